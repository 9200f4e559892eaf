//! Learning-rate schedules: the effective rate at iteration t (0-based: t updates already taken)
//! is η_t = η·factor(t).

use crate::error::{Range, Result};
use crate::param::{param, Named, Param};
use serde::{Deserialize, Serialize};

/// A learning-rate schedule.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Schedule {
    /// η_t = η.
    #[default]
    Constant,
    /// Step decay (torch StepLR): η_t = η·γ^⌊t/step_size⌋, γ ∈ (0, 1], step_size ≥ 1.
    #[serde(rename = "step", alias = "step-decay")]
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

impl Schedule {
    /// Builds a schedule from its name (or an alias, see the [catalogue](SCHEDULES))
    /// and parameters: `decay` is γ for step and exponential decay and d for inverse time;
    /// `step_size` for step decay; `total_steps` for cosine.
    pub fn from_parts(name: &str, decay: f64, step_size: u64, total_steps: u64) -> Result<Self> {
        let schedule = match ScheduleEntry::named(name)?.name {
            "step" => Schedule::StepDecay { gamma: decay, step_size },
            "exponential" => Schedule::Exponential { gamma: decay },
            "inverse-time" => Schedule::InverseTime { decay },
            "cosine" => Schedule::Cosine { total_steps },
            _ => Schedule::Constant,
        };
        schedule.validate()?;
        Ok(schedule)
    }

    /// The schedule called `name` (a name or an alias) with the catalogue's defaults.
    pub fn with_defaults(name: &str) -> Result<Self> {
        let entry = ScheduleEntry::named(name)?;
        let d = |field| entry.default_of(field);
        let count = |field| d(field) as u64;
        Ok(match entry.name {
            "step" => Schedule::StepDecay { gamma: d("gamma"), step_size: count("step_size") },
            "exponential" => Schedule::Exponential { gamma: d("gamma") },
            "inverse-time" => Schedule::InverseTime { decay: d("decay") },
            "cosine" => Schedule::Cosine { total_steps: count("total_steps") },
            _ => Schedule::Constant,
        })
    }

    /// The value of parameter `field` (a serde field), if this schedule has it.
    pub fn parameter(&self, field: &str) -> Option<f64> {
        match (*self, field) {
            (Schedule::StepDecay { gamma, .. } | Schedule::Exponential { gamma }, "gamma") => Some(gamma),
            (Schedule::StepDecay { step_size, .. }, "step_size") => Some(step_size as f64),
            (Schedule::InverseTime { decay }, "decay") => Some(decay),
            (Schedule::Cosine { total_steps }, "total_steps") => Some(total_steps as f64),
            _ => None,
        }
    }

    /// The catalogue's entry of this schedule.
    pub fn entry(&self) -> &'static ScheduleEntry {
        SCHEDULES.iter().find(|e| e.name == self.name()).unwrap_or(&SCHEDULES[0])
    }

    /// The one name, used by the command line, the URL and serde.
    pub fn name(&self) -> &'static str {
        match self {
            Schedule::Constant => "constant",
            Schedule::StepDecay { .. } => "step",
            Schedule::Exponential { .. } => "exponential",
            Schedule::InverseTime { .. } => "inverse-time",
            Schedule::Cosine { .. } => "cosine",
        }
    }

    /// Checks each parameter against its catalogue entry, naming the first bad one and its
    /// range.
    pub fn validate(&self) -> Result<()> {
        for param in self.entry().params {
            param.check(self.parameter(param.field).unwrap_or(f64::NAN))?;
        }
        Ok(())
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

// The catalogue's entries: each schedule's name, label, formula and parameters with their
// defaults and valid ranges.

const GAMMA_RANGE: Range = Range::OpenClosed { lo: 0.0, hi: 1.0 };
const AT_LEAST_ONE: Range = Range::IntegerAtLeast { lo: 1.0 };

/// γ of step decay and exponential decay.
pub const GAMMA: Param = param("gamma", "gamma", "gamma", "label.gamma", 0.5, GAMMA_RANGE, Some(0.05));
/// Updates between decays of step decay.
pub const STEP_SIZE: Param = param("stepSize", "step-size", "step_size", "label.step-size", 10.0, AT_LEAST_ONE, Some(1.0));
/// d of inverse-time decay.
pub const DECAY: Param = param("decay", "decay", "decay", "label.decay", 0.1, Range::NonNegative, None);
/// T of cosine annealing.
pub const TOTAL_STEPS: Param =
    param("totalSteps", "total-steps", "total_steps", "label.total-steps", 100.0, AT_LEAST_ONE, Some(1.0));

/// A learning-rate schedule: name, accepted aliases, label and formula keys, parameters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ScheduleEntry {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub label: &'static str,
    pub formula: &'static str,
    pub params: &'static [Param],
}

/// The schedules.
pub const SCHEDULES: &[ScheduleEntry] = &[
    ScheduleEntry {
        name: "constant",
        aliases: &[],
        label: "schedule.constant",
        formula: "schedule.formula.constant",
        params: &[],
    },
    ScheduleEntry {
        name: "step",
        aliases: &["step-decay"],
        label: "schedule.step",
        formula: "schedule.formula.step",
        params: &[GAMMA, STEP_SIZE],
    },
    ScheduleEntry {
        name: "exponential",
        aliases: &[],
        label: "schedule.exponential",
        formula: "schedule.formula.exponential",
        params: &[GAMMA],
    },
    ScheduleEntry {
        name: "inverse-time",
        aliases: &[],
        label: "schedule.inverse-time",
        formula: "schedule.formula.inverse-time",
        params: &[DECAY],
    },
    ScheduleEntry {
        name: "cosine",
        aliases: &[],
        label: "schedule.cosine",
        formula: "schedule.formula.cosine",
        params: &[TOTAL_STEPS],
    },
];

impl ScheduleEntry {
    /// The default of parameter `field` (NaN for a field the schedule does not have).
    pub fn default_of(&self, field: &str) -> f64 {
        crate::param::default_of(self.params, field)
    }

    /// The schedule called `name` (its name or an alias).
    pub fn named(name: &str) -> Result<&'static ScheduleEntry> {
        crate::param::named("schedule", SCHEDULES, name)
    }
}

impl Named for ScheduleEntry {
    fn name(&self) -> &'static str {
        self.name
    }
    fn aliases(&self) -> &'static [&'static str] {
        self.aliases
    }
}
