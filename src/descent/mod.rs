//! Descent on the least-squares objective: the optimizers' update rules, the schedules, the rate
//! rules and line searches that choose the step size, the mini-batch sampler, a run that applies
//! them one update at a time, and the explanation of a step.

pub mod explain;
pub mod optimizer;
pub mod range_test;
pub mod run;
pub mod sampler;
pub mod schedule;
pub mod step_size;
