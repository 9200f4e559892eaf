//! Descent on the least-squares objective: the optimizers' update rules, the schedules, the rate
//! rules and line searches that choose the step size, the mini-batch sampler, a run that applies
//! them one update at a time, the explanation of a step, and the stability map of heavy-ball
//! momentum over (η, μ).

pub mod explain;
pub mod optimizer;
pub mod range_test;
pub mod rate_map;
pub mod run;
pub mod sampler;
pub mod schedule;
pub mod step_size;
