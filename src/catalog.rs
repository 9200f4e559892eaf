//! The catalogue of choices and settings, owned by the core: every optimizer, schedule and
//! regularization with its one name, its parameters, their defaults and valid ranges, and the
//! page's other settings. The core validates with these same entries ([`Param::check`]), and the
//! page builds its controls from [`catalog`], so a range or a default is written once, here.

use crate::data::{self, DEFAULT_SEED, MAX_POINTS, MIN_POINTS};
use crate::error::{Error, Range, Result, VALUE_NAMES};
use serde::Serialize;

/// Default base learning rate of a new run on the page and of `gdviz fit`: below the critical
/// rate 2/λ_max of every preset (the smallest, "ill-conditioned", has η_crit ≈ 0.076).
pub const DEFAULT_LEARNING_RATE: f64 = 0.05;
/// Largest integer every double holds exactly (2^53 − 1): the largest seed.
pub const MAX_SEED: f64 = 9_007_199_254_740_991.0;

/// One number a person sets.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Param {
    /// The page's state and URL key ("stepSize").
    pub key: &'static str,
    /// The key of the value in errors, one of [`VALUE_NAMES`] ("step-size").
    pub name: &'static str,
    /// The serde field of the core's object that holds it ("step_size").
    pub field: &'static str,
    /// The page's label key ("label.step-size").
    pub label: &'static str,
    /// The default value.
    pub default: f64,
    /// The valid values.
    pub range: Range,
    /// Whether only integers are valid.
    pub integer: bool,
    /// A step for the page's number field; none means any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<f64>,
}

impl Param {
    /// `value` when it lies in the range, else the error naming this parameter.
    pub fn check(&self, value: f64) -> Result<f64> {
        self.range.check(self.name, value)
    }
}

const fn param(
    key: &'static str,
    name: &'static str,
    field: &'static str,
    label: &'static str,
    default: f64,
    range: Range,
    step: Option<f64>,
) -> Param {
    let integer = matches!(range, Range::IntegerIn { .. } | Range::IntegerAtLeast { .. });
    Param { key, name, field, label, default, range, integer, step }
}

const UNIT_HALF_OPEN: Range = Range::HalfOpen { lo: 0.0, hi: 1.0 };
const GAMMA_RANGE: Range = Range::OpenClosed { lo: 0.0, hi: 1.0 };
const AT_LEAST_ONE: Range = Range::IntegerAtLeast { lo: 1.0 };

/// Momentum μ of heavy-ball and Nesterov momentum.
pub const MOMENTUM: Param = param("momentum", "momentum", "momentum", "label.momentum", 0.9, UNIT_HALF_OPEN, Some(0.01));
/// ε of Adagrad.
pub const ADAGRAD_EPS: Param = param("eps", "eps", "eps", "label.eps", 1e-10, Range::Positive, None);
/// ε of RMSprop and Adam.
pub const EPS: Param = param("eps", "eps", "eps", "label.eps", 1e-8, Range::Positive, None);
/// α of RMSprop.
pub const ALPHA: Param = param("alpha", "alpha", "alpha", "label.alpha", 0.99, UNIT_HALF_OPEN, Some(0.01));
/// β1 of Adam.
pub const BETA1: Param = param("beta1", "beta1", "beta1", "label.beta1", 0.9, UNIT_HALF_OPEN, Some(0.01));
/// β2 of Adam.
pub const BETA2: Param = param("beta2", "beta2", "beta2", "label.beta2", 0.999, UNIT_HALF_OPEN, Some(0.001));

/// γ of step decay and exponential decay.
pub const GAMMA: Param = param("gamma", "gamma", "gamma", "label.gamma", 0.5, GAMMA_RANGE, Some(0.05));
/// Updates between decays of step decay.
pub const STEP_SIZE: Param = param("stepSize", "step-size", "step_size", "label.step-size", 10.0, AT_LEAST_ONE, Some(1.0));
/// d of inverse-time decay.
pub const DECAY: Param = param("decay", "decay", "decay", "label.decay", 0.1, Range::NonNegative, None);
/// T of cosine annealing.
pub const TOTAL_STEPS: Param =
    param("totalSteps", "total-steps", "total_steps", "label.total-steps", 100.0, AT_LEAST_ONE, Some(1.0));

/// Regularization strength λ.
/// The largest regularization strength: far beyond any useful λ, and small enough that λ·θ and
/// λ·θ² stay finite wherever J of the data is.
pub const MAX_LAMBDA: f64 = 1e6;
/// The regularization strength λ.
pub const LAMBDA: Param = param("lambda", "lambda", "lambda", "label.reg-strength", 0.1, Range::Closed { lo: 0.0, hi: MAX_LAMBDA }, None);
/// L1 ratio ρ of the elastic net (scikit-learn's default).
pub const L1_RATIO: Param =
    param("l1Ratio", "l1-ratio", "l1_ratio", "label.l1-ratio", 0.5, Range::Closed { lo: 0.0, hi: 1.0 }, Some(0.05));

/// Base learning rate η.
pub const LEARNING_RATE: Param = param(
    "learningRate",
    "learning-rate",
    "learning_rate",
    "label.learning-rate",
    DEFAULT_LEARNING_RATE,
    Range::Positive,
    None,
);
/// Number of generated points; the default is the first preset's.
pub const POINTS: Param = param(
    "points",
    "points",
    "points",
    "label.points",
    data::PRESETS[0].settings.points as f64,
    Range::IntegerIn { lo: MIN_POINTS as f64, hi: MAX_POINTS as f64 },
    Some(1.0),
);
/// Noise σ of the generator; the default is the first preset's.
pub const NOISE: Param =
    param("noise", "noise", "noise", "label.noise", data::PRESETS[0].settings.noise, Range::NonNegative, None);
/// Seed of the generator and of the mini-batch sampler.
pub const SEED: Param =
    param("seed", "seed", "seed", "label.seed", DEFAULT_SEED as f64, Range::IntegerIn { lo: 0.0, hi: MAX_SEED }, Some(1.0));
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
    RATE_RULES.iter().find(|e| e.name == name).ok_or_else(|| Error::unknown_choice("rate-rule", name, RATE_RULES.iter().map(|e| e.name)))
}

/// The line search called `name`.
pub fn line_search(name: &str) -> Result<&'static RuleEntry> {
    LINE_SEARCHES
        .iter()
        .find(|e| e.name == name)
        .ok_or_else(|| Error::unknown_choice("line-search", name, LINE_SEARCHES.iter().map(|e| e.name)))
}

/// The page's models: the line, the powers of one x column, every x column.
pub const MODELS: &[&str] = &["line", "polynomial", "columns"];

/// Degree of the page's polynomial model (the line is degree 1, its own model).
pub const DEGREE: Param = param(
    "degree",
    "degree",
    "degree",
    "label.degree",
    3.0,
    Range::IntegerIn { lo: 2.0, hi: crate::features::MAX_FEATURES as f64 },
    Some(1.0),
);
/// The page's updates per animation frame.
pub const SPEED: Param =
    param("speed", "speed", "speed", "label.speed", 2.0, Range::IntegerIn { lo: 1.0, hi: 1000.0 }, Some(1.0));

/// An optimizer: its one name, the names also accepted on input, the page's label key, the
/// legend's name and its hyperparameters in order.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct OptimizerEntry {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub label: &'static str,
    pub legend: &'static str,
    pub params: &'static [Param],
}

/// The optimizers, torch.optim's defaults.
pub const OPTIMIZERS: &[OptimizerEntry] = &[
    OptimizerEntry { name: "sgd", aliases: &[], label: "optimizer.sgd", legend: "GD", params: &[] },
    OptimizerEntry { name: "momentum", aliases: &[], label: "optimizer.momentum", legend: "Momentum", params: &[MOMENTUM] },
    OptimizerEntry { name: "nesterov", aliases: &[], label: "optimizer.nesterov", legend: "Nesterov", params: &[MOMENTUM] },
    OptimizerEntry { name: "adagrad", aliases: &[], label: "optimizer.adagrad", legend: "Adagrad", params: &[ADAGRAD_EPS] },
    OptimizerEntry {
        name: "rmsprop",
        aliases: &["rms-prop"],
        label: "optimizer.rmsprop",
        legend: "RMSprop",
        params: &[ALPHA, EPS],
    },
    OptimizerEntry { name: "adam", aliases: &[], label: "optimizer.adam", legend: "Adam", params: &[BETA1, BETA2, EPS] },
    OptimizerEntry { name: "newton", aliases: &[], label: "optimizer.newton", legend: "Newton", params: &[] },
    OptimizerEntry { name: "cg", aliases: &["conjugate-gradient"], label: "optimizer.cg", legend: "CG", params: &[] },
];

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

/// A regularization: name, label key and the keys of the parameters it reads.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RegularizationEntry {
    pub name: &'static str,
    pub label: &'static str,
    pub params: &'static [&'static str],
}

/// The regularizations.
pub const REGULARIZATIONS: &[RegularizationEntry] = &[
    RegularizationEntry { name: "none", label: "reg.none", params: &[] },
    RegularizationEntry { name: "l1", label: "reg.l1", params: &[LAMBDA.key] },
    RegularizationEntry { name: "l2", label: "reg.l2", params: &[LAMBDA.key] },
    RegularizationEntry { name: "elastic-net", label: "reg.elastic-net", params: &[LAMBDA.key, L1_RATIO.key] },
];

/// The parameters of the regularizations.
pub const REGULARIZATION_PARAMS: &[Param] = &[LAMBDA, L1_RATIO];

/// A loss convention: its name (the command line's `--loss`) and label key.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LossEntry {
    pub name: &'static str,
    pub label: &'static str,
}

/// The loss conventions, the default first.
pub const LOSS_CONVENTIONS: &[LossEntry] =
    &[LossEntry { name: "half-mse", label: "loss.half-mse" }, LossEntry { name: "mse", label: "loss.mse" }];

/// The loss convention called `name`.
pub fn loss_convention(name: &str) -> Result<crate::features::LossConvention> {
    match name {
        "half-mse" => Ok(crate::features::LossConvention::HalfMse),
        "mse" => Ok(crate::features::LossConvention::Mse),
        _ => Err(Error::unknown_choice("loss", name, LOSS_CONVENTIONS.iter().map(|e| e.name))),
    }
}

impl OptimizerEntry {
    /// The default of hyperparameter `field` (NaN for a field the optimizer does not have).
    pub fn default_of(&self, field: &str) -> f64 {
        default_of(self.params, field)
    }
}

impl ScheduleEntry {
    /// The default of parameter `field` (NaN for a field the schedule does not have).
    pub fn default_of(&self, field: &str) -> f64 {
        default_of(self.params, field)
    }
}

fn default_of(params: &[Param], field: &str) -> f64 {
    params.iter().find(|p| p.field == field).map_or(f64::NAN, |p| p.default)
}

/// The optimizer called `name` (its name or an alias).
pub fn optimizer(name: &str) -> Result<&'static OptimizerEntry> {
    OPTIMIZERS
        .iter()
        .find(|e| e.name == name || e.aliases.contains(&name))
        .ok_or_else(|| Error::unknown_choice("optimizer", name, OPTIMIZERS.iter().map(|e| e.name)))
}

/// The schedule called `name` (its name or an alias).
pub fn schedule(name: &str) -> Result<&'static ScheduleEntry> {
    SCHEDULES
        .iter()
        .find(|e| e.name == name || e.aliases.contains(&name))
        .ok_or_else(|| Error::unknown_choice("schedule", name, SCHEDULES.iter().map(|e| e.name)))
}

/// The regularization called `name`.
pub fn regularization(name: &str) -> Result<&'static RegularizationEntry> {
    REGULARIZATIONS
        .iter()
        .find(|e| e.name == name)
        .ok_or_else(|| Error::unknown_choice("regularization", name, REGULARIZATIONS.iter().map(|e| e.name)))
}

/// The settings [`check_value`] knows, besides the optimizers' and schedules' parameters.
const SETTINGS: [Param; 8] = [LEARNING_RATE, POINTS, NOISE, SEED, DEGREE, SPEED, LAMBDA, L1_RATIO];

/// Every parameter with a fixed range, each once (by key).
pub fn params() -> Vec<&'static Param> {
    let all = OPTIMIZERS
        .iter()
        .flat_map(|e| e.params)
        .chain(SCHEDULES.iter().flat_map(|e| e.params))
        .chain(RATE_RULES.iter().flat_map(|e| e.params))
        .chain(LINE_SEARCHES.iter().flat_map(|e| e.params))
        .chain(&SETTINGS);
    let mut out: Vec<&'static Param> = Vec::new();
    for p in all {
        if !out.iter().any(|q| q.key == p.key) {
            out.push(p);
        }
    }
    out
}

/// Checks `value` against the range of the setting with page key or error key `key`
/// ("stepSize" or "step-size"); the error names the setting by its error key.
pub fn check_value(key: &str, value: f64) -> Result<f64> {
    let all = params();
    match all.iter().find(|p| p.key == key || p.name == key) {
        Some(p) => p.check(value),
        None => Err(Error::unknown_choice("setting", key, all.iter().map(|p| p.key))),
    }
}

/// A preset as the page lists it.
#[derive(Debug, Clone, Serialize)]
pub struct PresetInfo {
    pub name: &'static str,
    pub label: &'static str,
    pub description: &'static str,
    pub points: usize,
    pub noise: f64,
    /// Number of x columns (1 for a line's data and the curved preset).
    pub columns: usize,
}

/// The presets as the page lists them: the lines', then the several-feature ones.
pub fn presets() -> Vec<PresetInfo> {
    let lines = data::PRESETS.iter().map(|p| PresetInfo {
        name: p.name,
        label: p.label,
        description: p.description,
        points: p.settings.points,
        noise: p.settings.noise,
        columns: 1,
    });
    let features = data::FEATURE_PRESETS.iter().map(|p| PresetInfo {
        name: p.name,
        label: p.label,
        description: p.description,
        points: p.points,
        noise: p.noise,
        columns: p.header.len() - 1,
    });
    lines.chain(features).collect()
}

/// The learning rate and the range of the page's log-scale slider.
#[derive(Debug, Clone, Serialize)]
pub struct LearningRateSetting {
    #[serde(flatten)]
    pub param: Param,
    pub slider: [f64; 2],
}

/// The batch size: an integer from `min` to the number of points.
#[derive(Debug, Clone, Serialize)]
pub struct BatchSizeSetting {
    pub key: &'static str,
    pub name: &'static str,
    pub min: usize,
}

/// The key of a value the core validates and its English name ("learning-rate", "learning rate").
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ValueName {
    pub key: &'static str,
    pub english: &'static str,
}

/// The largest file an import reads: its data rows and its bytes.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct ImportLimits {
    pub max_rows: usize,
    pub max_bytes: usize,
}

/// Everything the page builds its controls from.
#[derive(Debug, Clone, Serialize)]
pub struct Catalog {
    pub optimizers: &'static [OptimizerEntry],
    pub schedules: &'static [ScheduleEntry],
    pub rate_rules: &'static [RuleEntry],
    pub line_searches: &'static [RuleEntry],
    pub regularizations: &'static [RegularizationEntry],
    pub regularization_params: &'static [Param],
    pub loss_conventions: &'static [LossEntry],
    pub presets: Vec<PresetInfo>,
    pub max_runs: usize,
    pub run_colors: Vec<String>,
    pub learning_rate: LearningRateSetting,
    pub batch_size: BatchSizeSetting,
    pub points: Param,
    pub noise: Param,
    pub seed: Param,
    pub models: &'static [&'static str],
    pub degree: Param,
    pub speed: Param,
    pub tolerance: f64,
    /// The largest file an import reads.
    pub import: ImportLimits,
    /// Every value key of the errors with its English name, for the page's English strings.
    pub value_names: Vec<ValueName>,
}

/// The catalogue.
pub fn catalog() -> Catalog {
    Catalog {
        optimizers: OPTIMIZERS,
        schedules: SCHEDULES,
        rate_rules: RATE_RULES,
        line_searches: LINE_SEARCHES,
        regularizations: REGULARIZATIONS,
        regularization_params: REGULARIZATION_PARAMS,
        loss_conventions: LOSS_CONVENTIONS,
        presets: presets(),
        max_runs: crate::session::MAX_RUNS,
        run_colors: crate::render::RUN_COLORS.iter().map(|c| format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)).collect(),
        learning_rate: LearningRateSetting { param: LEARNING_RATE, slider: [1e-5, 10.0] },
        batch_size: BatchSizeSetting { key: "batchSize", name: "batch-size", min: 1 },
        points: POINTS,
        noise: NOISE,
        seed: SEED,
        models: MODELS,
        degree: DEGREE,
        speed: SPEED,
        tolerance: crate::run::DEFAULT_TOLERANCE,
        import: ImportLimits { max_rows: crate::csv_io::MAX_ROWS, max_bytes: crate::csv_io::MAX_BYTES },
        value_names: VALUE_NAMES.iter().map(|&(key, english)| ValueName { key, english }).collect(),
    }
}
