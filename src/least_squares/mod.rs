//! The mathematics of least squares: the data and its reader, the statistics of the data, the
//! features of each model, the objective and its exact solutions. Nothing here knows about
//! optimizers, runs or drawing.

pub mod csv_io;
pub mod data;
pub mod features;
pub mod objective;
pub mod solve;
pub mod stats;
