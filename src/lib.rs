//! gdviz: gradient descent on least-squares linear regression, one iteration at a time.
//!
//! The crate reads bottom-up. Each layer is a folder (or, for a layer of one file, a file) and
//! imports only the layers below it; within a layer no file imports itself through others.
//! `tests/module_layers.rs` reads this list and holds the source to it.
//!
//! 0. [`error`], [`param`]: the shared leaves. The errors every value is refused with, the ranges
//!    they name, and a setting a person sets (its keys, default and range).
//! 1. [`least_squares`]: the mathematics of least squares. The data and its CSV reader, the
//!    statistics, the features of each model, the objective and its exact solutions. Nothing
//!    here knows about optimizers, runs or drawing.
//! 2. [`descent`]: the optimizers, the schedules, the rate rules and line searches, the
//!    mini-batch sampler, a run, and the explanation of a step.
//! 3. [`session`]: the runs on one data set, and the report of its analysis.
//! 4. [`render`]: drawing with plotters on any backend. Inside it, too, imports run one way:
//!    the primitives, then the view, then the plot modules, then the plot registry.
//! 5. [`catalog`]: gathers for the page what each entry of the core says of itself (an
//!    optimizer's parameters live next to its rule, the limits on points next to the data).
//! 6. [`wasm`], [`cli`]: the front ends. `wasm` is the only module that talks to JavaScript.
//!
//! Everything up to [`session`] is plain Rust with no browser imports, shared by the command line,
//! the page and the tests.

pub mod error;
pub mod param;

pub mod least_squares;

pub mod descent;

pub mod session;

pub mod render;

pub mod catalog;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
pub mod wasm;

pub use descent::optimizer::Optimizer;
pub use descent::run::{Run, RunConfig, Status, StepReport};
pub use descent::schedule::Schedule;
pub use error::{Error, Result};
pub use least_squares::data::{Dataset, GeneratorSettings, SufficientStats};
pub use least_squares::features::{Features, LossConvention};
pub use least_squares::objective::{Curvature, Objective, Optimum, Regularization, Theta};
pub use session::Session;
