//! How the step size is chosen beyond the clock's schedules: the rate rules that react to the
//! loss (the bold driver; PyTorch's ReduceLROnPlateau), the line searches of full-batch plain
//! gradient descent (exact, Armijo backtracking, Barzilai–Borwein, Polyak), and the second-order
//! and conjugate methods that do not suffer from ill-conditioning (Newton, linear conjugate
//! gradient). The rules are written here once; a run ([`crate::descent::run`]) applies them.

use crate::param::{param, Named, Param};
use crate::error::{Error, Range, Result};
use crate::least_squares::objective::{Objective, Theta};
use nalgebra::{DMatrix, DVector};
use serde::{Deserialize, Serialize};

/// Most trials of one Armijo backtracking search (β = 0.5 reaches 1e-18 of η₀).
pub const MAX_BACKTRACKS: usize = 60;

/// A rate that reacts to the loss, scaling the base learning rate (a schedule still applies on
/// top of it).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum RateRule {
    /// The base rate as it is.
    #[default]
    None,
    /// Bold driver: a tentative update at rate η; if J does not grow it is kept and η ← η·up,
    /// otherwise θ stays and η ← η·down. Defaults up = 1.05, down = 0.5.
    BoldDriver { up: f64, down: f64 },
    /// torch.optim.lr_scheduler.ReduceLROnPlateau on J (mode min, relative threshold): after
    /// more than `patience` steps without a relative improvement of `threshold`, η ←
    /// max(η·factor, min_lr) (when that changes η by more than 1e-8), then `cooldown` steps
    /// without counting. Stepped after every full-batch update, after every epoch otherwise.
    Plateau { factor: f64, patience: f64, threshold: f64, cooldown: f64, min_lr: f64 },
}

/// torch's `eps` of ReduceLROnPlateau: a reduction smaller than this is not made.
pub const PLATEAU_EPS: f64 = 1e-8;

/// A line search of full-batch plain gradient descent: how the step along −g is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum LineSearch {
    /// The learning rate (with its schedule and rate rule).
    #[default]
    None,
    /// η = gᵀg / gᵀHg, the exact minimizer of the smooth quadratic along −g.
    Exact,
    /// Backtracking from η₀ = the learning rate: η ← β·η until J(θ − η·g) ≤ J(θ) − c·η·gᵀg
    /// (with an L1 part: the proximal step and the test f(θ′) ≤ f(θ) + gᵀ(θ′ − θ) +
    /// ‖θ′ − θ‖²/(2η) on the smooth part f). Defaults β = 0.5, c = 1e-4.
    Armijo { beta: f64, c: f64 },
    /// Barzilai–Borwein: η₀ = the learning rate, then ηₖ = sᵀs / sᵀy, s = θₖ − θₖ₋₁,
    /// y = gₖ − gₖ₋₁.
    Bb,
    /// Polyak: η = (J(θ) − J*) / gᵀg, J* the exact optimum's loss.
    Polyak,
}

impl RateRule {
    /// The rule called `name` with the catalogue's defaults.
    pub fn with_defaults(name: &str) -> Result<Self> {
        let entry = rate_rule(name)?;
        let d = |field| default_of(entry.params, field);
        Ok(match entry.name {
            "bold-driver" => RateRule::BoldDriver { up: d("up"), down: d("down") },
            "plateau" => RateRule::Plateau {
                factor: d("factor"),
                patience: d("patience"),
                threshold: d("threshold"),
                cooldown: d("cooldown"),
                min_lr: d("min_lr"),
            },
            _ => RateRule::None,
        })
    }

    /// The one name: none, bold-driver, plateau.
    pub fn name(&self) -> &'static str {
        match self {
            RateRule::None => "none",
            RateRule::BoldDriver { .. } => "bold-driver",
            RateRule::Plateau { .. } => "plateau",
        }
    }

    /// The parameter whose serde field is `field`, if the rule has it.
    pub fn parameter_mut(&mut self, field: &str) -> Option<&mut f64> {
        match (self, field) {
            (RateRule::BoldDriver { up, .. }, "up") => Some(up),
            (RateRule::BoldDriver { down, .. }, "down") => Some(down),
            (RateRule::Plateau { factor, .. }, "factor") => Some(factor),
            (RateRule::Plateau { patience, .. }, "patience") => Some(patience),
            (RateRule::Plateau { threshold, .. }, "threshold") => Some(threshold),
            (RateRule::Plateau { cooldown, .. }, "cooldown") => Some(cooldown),
            (RateRule::Plateau { min_lr, .. }, "min_lr") => Some(min_lr),
            _ => None,
        }
    }

    /// Checks each parameter against its catalogue range, naming the first bad one.
    pub fn validate(&self) -> Result<()> {
        let mut copy = *self;
        check_params(rate_rule(self.name())?.params, |field| copy.parameter_mut(field).copied())
    }
}

impl LineSearch {
    /// The search called `name` with the catalogue's defaults.
    pub fn with_defaults(name: &str) -> Result<Self> {
        let entry = line_search(name)?;
        let d = |field| default_of(entry.params, field);
        Ok(match entry.name {
            "exact" => LineSearch::Exact,
            "armijo" => LineSearch::Armijo { beta: d("beta"), c: d("c") },
            "bb" => LineSearch::Bb,
            "polyak" => LineSearch::Polyak,
            _ => LineSearch::None,
        })
    }

    /// The one name: none, exact, armijo, bb, polyak.
    pub fn name(&self) -> &'static str {
        match self {
            LineSearch::None => "none",
            LineSearch::Exact => "exact",
            LineSearch::Armijo { .. } => "armijo",
            LineSearch::Bb => "bb",
            LineSearch::Polyak => "polyak",
        }
    }

    /// The parameter whose serde field is `field`, if the search has it.
    pub fn parameter_mut(&mut self, field: &str) -> Option<&mut f64> {
        match (self, field) {
            (LineSearch::Armijo { beta, .. }, "beta") => Some(beta),
            (LineSearch::Armijo { c, .. }, "c") => Some(c),
            _ => None,
        }
    }

    /// Checks each parameter against its catalogue range, naming the first bad one.
    pub fn validate(&self) -> Result<()> {
        let mut copy = *self;
        check_params(line_search(self.name())?.params, |field| copy.parameter_mut(field).copied())
    }
}

/// Each of `params` checked against its range, in order, with its value from `value` (a missing
/// one is NaN, refused).
fn check_params(params: &[Param], mut value: impl FnMut(&str) -> Option<f64>) -> Result<()> {
    for p in params {
        p.check(value(p.field).unwrap_or(f64::NAN))?;
    }
    Ok(())
}

fn default_of(params: &[Param], field: &str) -> f64 {
    params.iter().find(|p| p.field == field).map_or(f64::NAN, |p| p.default)
}

/// What a run's step-size rules remember between updates.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct StepSizeState {
    /// The rate rule's current rate (none until its first update: then the base rate).
    pub rate: Option<f64>,
    /// ReduceLROnPlateau's best J so far (none before its first step).
    pub best: Option<f64>,
    /// Its steps without improvement.
    pub bad_steps: u64,
    /// Its cooldown steps left.
    pub cooldown_left: u64,
    /// Barzilai–Borwein's previous θ and gradient.
    pub previous: Option<(Theta, Theta)>,
    /// Barzilai–Borwein's last rate.
    pub bb_rate: Option<f64>,
    /// J at θ, when known (the bold driver's J(θ) is the J of the point it accepted).
    pub loss_at: Option<(Theta, f64)>,
    /// Loss and gradient evaluations the rules and the update asked for (a Hessian–vector
    /// product and a Hessian count one each), rejected trials included.
    pub evaluations: u64,
    /// The rate of the last accepted update (for CG its α).
    pub last_rate: Option<f64>,
}

impl StepSizeState {
    /// One ReduceLROnPlateau step with the loss `metric` (torch's rule, mode min, relative
    /// threshold); returns the new rate for a current rate `rate`.
    pub fn plateau_step(&mut self, rule: &RateRule, metric: f64, rate: f64) -> f64 {
        let RateRule::Plateau { factor, patience, threshold, cooldown, min_lr } = *rule else { return rate };
        let better = self.best.is_none_or(|best| metric < best * (1.0 - threshold));
        if better {
            self.best = Some(metric);
            self.bad_steps = 0;
        } else {
            self.bad_steps += 1;
        }
        if self.cooldown_left > 0 {
            self.cooldown_left -= 1;
            self.bad_steps = 0;
        }
        let mut rate = rate;
        if self.bad_steps as f64 > patience {
            let reduced = (rate * factor).max(min_lr);
            if rate - reduced > PLATEAU_EPS {
                rate = reduced;
            }
            self.cooldown_left = cooldown as u64;
            self.bad_steps = 0;
        }
        rate
    }
}

/// One trial of a line search along −g: its step η, the point θ′ and f there; accepted or not.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Trial {
    /// The step tried.
    pub eta: f64,
    /// The point tried.
    pub theta: Theta,
    /// The smooth part f there (J without its L1 part: what Armijo's test compares).
    pub loss: f64,
    /// Whether the search took it.
    pub accepted: bool,
}

/// gᵀHg for the Hessian `h` of the smooth part.
pub fn curvature_along(h: &DMatrix<f64>, g: &Theta) -> f64 {
    let v = DVector::from_column_slice(g.as_slice());
    (v.transpose() * h * &v)[(0, 0)]
}

/// H·v.
pub fn hessian_times(h: &DMatrix<f64>, v: &Theta) -> Theta {
    let hv = h * DVector::from_column_slice(v.as_slice());
    let mut out = *v;
    for i in 0..out.len() {
        out[i] = hv[i];
    }
    out
}

/// The Newton direction H⁻¹g (Cholesky; LU when H is not positive definite); none when H is
/// singular.
pub fn newton_direction(h: &DMatrix<f64>, g: &Theta) -> Option<Theta> {
    let b = DVector::from_column_slice(g.as_slice());
    let x = match h.clone().cholesky() {
        Some(ch) => ch.solve(&b),
        None => h.clone().lu().solve(&b)?,
    };
    let mut out = *g;
    for i in 0..out.len() {
        out[i] = x[i];
    }
    out.is_finite().then_some(out)
}

/// uᵀv.
pub fn dot(u: &Theta, v: &Theta) -> f64 {
    u.as_slice().iter().zip(v.as_slice()).map(|(a, b)| a * b).sum()
}

/// The smooth part f of the objective (J without its L1 part).
pub fn smooth_loss(objective: &Objective, theta: Theta) -> f64 {
    let l2 = objective.regularization().l2_weight();
    objective.data_loss(theta) + 0.5 * l2 * theta.slopes().iter().map(|b| b * b).sum::<f64>()
}

/// The error of a line search, Newton or CG with a mini-batch.
pub fn needs_full_batch(name: &'static str, value: &str, n: usize) -> Error {
    Error::invalid(name, value.to_string(), Range::FullBatch { n })
}

/// The error of an L1 part with Newton or CG.
pub fn needs_smooth(optimizer: &str) -> Error {
    Error::invalid("optimizer", optimizer.to_string(), Range::SmoothObjective)
}

// The catalogue's entries: each rate rule's and line search's name, label, formula and
// parameters with their defaults and valid ranges.

/// Bold driver's increase factor after an accepted update.
pub const BOLD_UP: Param = param("boldUp", "bold-up", "up", "label.bold-up", 1.05, Range::Closed { lo: 1.0, hi: 10.0 }, Some(0.01));
/// Bold driver's decrease factor after a rejected update.
pub const BOLD_DOWN: Param = param("boldDown", "bold-down", "down", "label.bold-down", 0.5, Range::OpenClosed { lo: 0.0, hi: 1.0 }, Some(0.05));
/// ReduceLROnPlateau's factor (torch's default 0.1).
pub const PLATEAU_FACTOR: Param =
    param("plateauFactor", "plateau-factor", "factor", "label.plateau-factor", 0.1, Range::HalfOpen { lo: 0.0, hi: 1.0 }, Some(0.05));
/// ReduceLROnPlateau's patience (torch's default 10).
pub const PATIENCE: Param = param("patience", "patience", "patience", "label.patience", 10.0, Range::IntegerAtLeast { lo: 0.0 }, Some(1.0));
/// ReduceLROnPlateau's relative threshold (torch's default 1e-4).
pub const PLATEAU_THRESHOLD: Param =
    param("plateauThreshold", "plateau-threshold", "threshold", "label.plateau-threshold", 1e-4, Range::NonNegative, None);
/// ReduceLROnPlateau's cooldown (torch's default 0).
pub const COOLDOWN: Param = param("cooldown", "cooldown", "cooldown", "label.cooldown", 0.0, Range::IntegerAtLeast { lo: 0.0 }, Some(1.0));
/// ReduceLROnPlateau's smallest rate (torch's default 0).
pub const MIN_LR: Param = param("minLr", "min-lr", "min_lr", "label.min-lr", 0.0, Range::NonNegative, None);
/// Armijo's backtracking factor β.
pub const ARMIJO_BETA: Param = param("armijoBeta", "armijo-beta", "beta", "label.armijo-beta", 0.5, Range::Open { lo: 0.0, hi: 1.0 }, Some(0.05));
/// Armijo's sufficient-decrease constant c.
pub const ARMIJO_C: Param = param("armijoC", "armijo-c", "c", "label.armijo-c", 1e-4, Range::Open { lo: 0.0, hi: 1.0 }, None);

/// A rule of the step size (a rate rule or a line search): its name, label and formula keys,
/// parameters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RuleEntry {
    pub name: &'static str,
    pub label: &'static str,
    pub formula: &'static str,
    pub params: &'static [Param],
}

/// The rates that react to the loss.
pub const RATE_RULES: &[RuleEntry] = &[
    RuleEntry { name: "none", label: "rate-rule.none", formula: "rate-rule.formula.none", params: &[] },
    RuleEntry { name: "bold-driver", label: "rate-rule.bold-driver", formula: "rate-rule.formula.bold-driver", params: &[BOLD_UP, BOLD_DOWN] },
    RuleEntry {
        name: "plateau",
        label: "rate-rule.plateau",
        formula: "rate-rule.formula.plateau",
        params: &[PLATEAU_FACTOR, PATIENCE, PLATEAU_THRESHOLD, COOLDOWN, MIN_LR],
    },
];

/// The line searches of full-batch plain gradient descent.
pub const LINE_SEARCHES: &[RuleEntry] = &[
    RuleEntry { name: "none", label: "line-search.none", formula: "line-search.formula.none", params: &[] },
    RuleEntry { name: "exact", label: "line-search.exact", formula: "line-search.formula.exact", params: &[] },
    RuleEntry { name: "armijo", label: "line-search.armijo", formula: "line-search.formula.armijo", params: &[ARMIJO_BETA, ARMIJO_C] },
    RuleEntry { name: "bb", label: "line-search.bb", formula: "line-search.formula.bb", params: &[] },
    RuleEntry { name: "polyak", label: "line-search.polyak", formula: "line-search.formula.polyak", params: &[] },
];

/// The rate rule called `name`.
pub fn rate_rule(name: &str) -> Result<&'static RuleEntry> {
    crate::param::named("rate-rule", RATE_RULES, name)
}

/// The line search called `name`.
pub fn line_search(name: &str) -> Result<&'static RuleEntry> {
    crate::param::named("line-search", LINE_SEARCHES, name)
}

impl Named for RuleEntry {
    fn name(&self) -> &'static str {
        self.name
    }
}
