//! The analysis of a session's objective, built once here and serialized by both front ends:
//! the page takes it as it is, the command line writes its own JSON fields from it.

use crate::least_squares::data::{Scaling, SufficientStats};
use crate::least_squares::objective::{Curvature, Optimum};
use crate::session::Session;
use serde::Serialize;

/// Why an optimum that exists cannot be shown.
pub const OPTIMUM_OVERFLOWS: &str = "the optimum overflows the range of floating-point numbers";

/// What the objective says about gradient descent on it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Analysis {
    /// Number of points.
    pub n: usize,
    /// The Hessian and the rates that follow from it.
    pub curvature: Curvature,
    /// The exact optimum, when it is unique and finite.
    pub optimum: Option<Optimum>,
    /// Why there is no `optimum`.
    pub optimum_error: Option<String>,
    /// The optimum without regularization, when it is unique.
    pub unregularized_optimum: Option<Optimum>,
    /// The standardization of the features, when it is on.
    pub standardization: Option<Scaling>,
    /// The sufficient statistics of the fitted data.
    pub stats: SufficientStats,
}

impl Analysis {
    /// The analysis of the session's objective (worked out once by the session), with its
    /// standardization.
    pub fn of(session: &Session) -> Self {
        let objective = session.objective();
        let (optimum, optimum_error) = match session.optimum() {
            Ok(o) if o.theta.is_finite() && o.loss.is_finite() => (Some(o), None),
            Ok(_) => (None, Some(OPTIMUM_OVERFLOWS.to_string())),
            Err(not_unique) => (None, Some(not_unique.to_string())),
        };
        Analysis {
            n: objective.stats().n,
            curvature: session.curvature(),
            optimum,
            optimum_error,
            unregularized_optimum: session.unregularized_optimum(),
            standardization: session.standardization(),
            stats: *objective.stats(),
        }
    }
}
