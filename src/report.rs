//! The analysis of a session's objective, built once here and serialized by both front ends:
//! the page takes it as it is, the command line writes its own JSON fields from it.

use crate::data::{Scaling, SufficientStats};
use crate::objective::{Curvature, Objective, Optimum};
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
    /// The analysis of `objective` on data that is not standardized.
    pub fn of(objective: &Objective) -> Self {
        let (optimum, optimum_error) = match objective.optimum() {
            Ok(o) if o.theta.is_finite() && o.loss.is_finite() => (Some(o), None),
            Ok(_) => (None, Some(OPTIMUM_OVERFLOWS.to_string())),
            Err(not_unique) => (None, Some(not_unique.to_string())),
        };
        Analysis {
            n: objective.stats().n,
            curvature: objective.curvature(),
            optimum,
            optimum_error,
            unregularized_optimum: objective.unregularized().optimum().ok(),
            standardization: None,
            stats: *objective.stats(),
        }
    }
}

/// The analysis of the session's objective, with its standardization.
pub fn analysis(session: &Session) -> Analysis {
    Analysis { standardization: session.standardization(), ..Analysis::of(session.objective()) }
}
