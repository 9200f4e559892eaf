//! Learning-rate schedules: the effective rate at iteration t (0-based: t updates already taken)
//! is η_t = η·factor(t).

use crate::error::{require_non_negative, Error, Range, Result};
use serde::{Deserialize, Serialize};

/// A learning-rate schedule.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Schedule {
    /// η_t = η.
    #[default]
    Constant,
    /// Step decay (torch StepLR): η_t = η·γ^⌊t/step_size⌋, γ ∈ (0, 1], step_size ≥ 1.
    StepDecay { gamma: f64, step_size: u64 },
    /// Exponential (torch ExponentialLR): η_t = η·γ^t, γ ∈ (0, 1].
    Exponential { gamma: f64 },
    /// Inverse time: η_t = η/(1 + d·t), d ≥ 0.
    InverseTime { decay: f64 },
    /// Cosine annealing to 0 (torch CosineAnnealingLR with η_min = 0):
    /// η_t = η·(1 + cos(π·min(t, T)/T))/2, T = total_steps ≥ 1. It holds at 0 after T
    /// instead of rising again as torch's periodic form does.
    Cosine { total_steps: u64 },
}

/// Names accepted by [`Schedule::from_parts`].
pub const SCHEDULE_NAMES: &[&str] = &["constant", "step", "exponential", "inverse-time", "cosine"];

impl Schedule {
    /// Builds a schedule from its command-line name and parameters: `decay` is γ for step and
    /// exponential decay and d for inverse time; `step_size` for step decay; `total_steps` for
    /// cosine.
    pub fn from_parts(name: &str, decay: f64, step_size: u64, total_steps: u64) -> Result<Self> {
        let schedule = match name {
            "constant" => Schedule::Constant,
            "step" => Schedule::StepDecay { gamma: decay, step_size },
            "exponential" => Schedule::Exponential { gamma: decay },
            "inverse-time" => Schedule::InverseTime { decay },
            "cosine" => Schedule::Cosine { total_steps },
            other => {
                return Err(Error::unknown_choice("schedule", other, SCHEDULE_NAMES.iter().copied()))
            }
        };
        schedule.validate()?;
        Ok(schedule)
    }

    /// The command-line name.
    pub fn name(&self) -> &'static str {
        match self {
            Schedule::Constant => "constant",
            Schedule::StepDecay { .. } => "step",
            Schedule::Exponential { .. } => "exponential",
            Schedule::InverseTime { .. } => "inverse-time",
            Schedule::Cosine { .. } => "cosine",
        }
    }

    /// Checks the parameters, naming the bad one and its range.
    pub fn validate(&self) -> Result<()> {
        const GAMMA: Range = Range::OpenClosed { lo: 0.0, hi: 1.0 };
        const COUNT: Range = Range::IntegerAtLeast { lo: 1.0 };
        match *self {
            Schedule::Constant => Ok(()),
            Schedule::StepDecay { gamma, step_size } => {
                GAMMA.check("gamma", gamma)?;
                COUNT.check_count("step-size", step_size).map(|_| ())
            }
            Schedule::Exponential { gamma } => GAMMA.check("gamma", gamma).map(|_| ()),
            Schedule::InverseTime { decay } => require_non_negative("decay", decay).map(|_| ()),
            Schedule::Cosine { total_steps } => COUNT.check_count("total-steps", total_steps).map(|_| ()),
        }
    }

    /// The factor η_t/η at iteration t.
    pub fn factor(&self, t: u64) -> f64 {
        match *self {
            Schedule::Constant => 1.0,
            Schedule::StepDecay { gamma, step_size } => powi(gamma, t / step_size.max(1)),
            Schedule::Exponential { gamma } => powi(gamma, t),
            Schedule::InverseTime { decay } => 1.0 / (1.0 + decay * t as f64),
            Schedule::Cosine { total_steps } => {
                let total = total_steps.max(1);
                let progress = t.min(total) as f64 / total as f64;
                0.5 * (1.0 + libm::cos(std::f64::consts::PI * progress))
            }
        }
    }
}

/// γ^k by `libm::pow` (the same bits on every platform); 0 once it underflows.
fn powi(gamma: f64, k: u64) -> f64 {
    libm::pow(gamma, k as f64)
}
