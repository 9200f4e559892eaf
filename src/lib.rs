//! gdviz: gradient descent on least-squares linear regression, one iteration at a time.
//!
//! The core ([`data`], [`features`], [`stats`], [`objective`], [`solve`], [`optimizer`],
//! [`schedule`], [`run`], [`sampler`], [`session`], [`catalog`], [`csv_io`]) is plain Rust with no browser imports and is shared by the command line and the
//! page. [`render`] draws the charts with plotters on any backend. [`wasm`] is the only module
//! that talks to JavaScript.

pub mod catalog;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
pub mod csv_io;
pub mod data;
pub mod error;
pub mod features;
pub mod explain;
pub mod objective;
pub mod optimizer;
pub mod run;
pub mod sampler;
pub mod schedule;
pub mod solve;
pub mod stats;
pub mod step_size;
pub mod render;
pub mod report;
pub mod session;
pub mod wasm;

pub use data::{Dataset, GeneratorSettings, SufficientStats};
pub use error::{Error, Result};
pub use features::{Features, LossConvention};
pub use objective::{Curvature, Objective, Optimum, Regularization, Theta};
pub use optimizer::Optimizer;
pub use run::{Run, RunConfig, Status, StepReport};
pub use schedule::Schedule;
pub use session::Session;
