//! A run as the plots draw it: its path through θ, its losses, its last gradients and line
//! search, and the order the paths are drawn in.

use crate::descent::step_size::Trial;
use crate::least_squares::objective::Theta;

/// The path of a run as data for drawing.
#[derive(Debug, Clone, PartialEq)]
pub struct RunPath<'a> {
    /// Run index (selects the colour).
    pub index: usize,
    /// θ where the path ends: the current θ live, the recorded one at a timeline step (the
    /// trajectory itself is drawn from the run's history, see [`resolution::Trail`]).
    pub current: Theta,
    /// (iteration, J) of the recorded points along the path (the run's history, borrowed).
    pub losses: &'a [(f64, f64)],
    /// (iteration, J) of the live state when it is past the last recorded point.
    pub tail: Option<(f64, f64)>,
    /// The history's stride: every `stride`-th iteration is recorded (see [`crate::descent::run::History`]).
    pub stride: u64,
    /// ⌈n/b⌉ for a mini-batch run (its loss curve is drawn with a moving mean), none for a
    /// full batch.
    pub batches_per_epoch: Option<u64>,
    /// Last mini-batch and full gradient at the θ they were taken, for mini-batch runs.
    pub gradients: Option<crate::descent::run::LastGradients>,
    /// Short name for the legend.
    pub label: String,
    /// Run 1's last line search, live: where it started and its trials.
    pub search: Option<Search>,
}

/// A line search as the surface shows it: the ray θ − η·g from `from`, the trials on it, and
/// the one-dimensional function the search saw, f(θ − η·g) over η (with the L1 part's proximal
/// step when there is one).
#[derive(Debug, Clone, PartialEq)]
pub struct Search {
    /// θ the search started from.
    pub from: Theta,
    /// Its trials in order, the accepted one last.
    pub trials: Vec<Trial>,
    /// (η, f) along the ray from η = 0 to past the farthest trial.
    pub curve: Vec<(f64, f64)>,
    /// Armijo's line: f(θ) and its slope −c·gᵀg (none for the other searches).
    pub armijo: Option<(f64, f64)>,
}

/// Samples of f along a search's ray.
pub const RAY_SAMPLES: usize = 64;

/// True when a run's loss has climbed above the loss it started at: it is going the wrong way
/// (diverging, or about to). On this quadratic, full-batch GD below the critical rate lowers J at
/// every step (each eigen-mode of the error shrinks by |1 − η·λ_i| < 1). Escaping runs are drawn
/// beneath the others, and the surface view stops following them while another run does not
/// escape. Non-finite losses escape.
pub fn escaping(start_loss: f64, loss: f64) -> bool {
    use std::cmp::Ordering::{Equal, Less};
    !matches!(loss.partial_cmp(&start_loss), Some(Less | Equal))
}

impl RunPath<'_> {
    /// (iteration, J) where the path ends: the live state, else the last recorded point.
    pub fn last_loss(&self) -> Option<(f64, f64)> {
        self.tail.or_else(|| self.losses.last().copied())
    }

    /// True when the path ends above the loss it started at (see [`escaping`]).
    pub fn escaping(&self) -> bool {
        match (self.losses.first(), self.last_loss()) {
            (Some(&(_, first)), Some((_, last))) => escaping(first, last),
            _ => false,
        }
    }
}

/// The order to draw paths in: escaping runs first (beneath), then the others from the last
/// run to run 1, so that run 1, the one the settings column controls, ends on top.
pub fn drawing_order<'p, 'a>(paths: &'p [RunPath<'a>]) -> Vec<&'p RunPath<'a>> {
    let mut order: Vec<&RunPath> = paths.iter().collect();
    order.sort_by_key(|p| (!p.escaping(), std::cmp::Reverse(p.index)));
    order
}
