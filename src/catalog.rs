//! The catalogue of choices and settings, as the page builds its controls from it: every
//! optimizer, schedule, rate rule, line search and regularization with its one name, its
//! parameters, their defaults and valid ranges, and the page's other settings.
//!
//! Each entry lives next to what it describes (an optimizer's hyperparameters next to its rule in
//! [`crate::descent::optimizer`], the limits on points next to the data in
//! [`crate::least_squares::data`]), where the core validates with it; this module only gathers
//! them for the page ([`catalog`]) and the command line, and no part of the core imports it.

pub use crate::descent::optimizer::{OptimizerEntry, ADAGRAD_EPS, ALPHA, BETA1, BETA2, EPS, MOMENTUM, OPTIMIZERS};
pub use crate::descent::run::{DEFAULT_LEARNING_RATE, DEFAULT_TOLERANCE, LEARNING_RATE};
pub use crate::descent::schedule::{ScheduleEntry, DECAY, GAMMA, SCHEDULES, STEP_SIZE, TOTAL_STEPS};
pub use crate::descent::step_size::{
    line_search, rate_rule, RuleEntry, ARMIJO_BETA, ARMIJO_C, BOLD_DOWN, BOLD_UP, COOLDOWN, LINE_SEARCHES, MIN_LR,
    PATIENCE, PLATEAU_FACTOR, PLATEAU_THRESHOLD, RATE_RULES,
};
pub use crate::least_squares::csv_io::{MAX_BYTES, MAX_ROWS};
pub use crate::least_squares::data::{MAX_SEED, NOISE, POINTS, SEED};
pub use crate::least_squares::features::{loss_convention, LossEntry, DEGREE, LOSS_CONVENTIONS, MODELS};
pub use crate::least_squares::objective::{
    RegularizationEntry, L1_RATIO, LAMBDA, MAX_LAMBDA, REGULARIZATIONS, REGULARIZATION_PARAMS,
};
pub use crate::param::Param;
use crate::error::{Error, Range, Result, VALUE_NAMES};
use crate::least_squares::data;
use crate::param::param;
use serde::Serialize;

/// The page's updates per animation frame.
pub const SPEED: Param =
    param("speed", "speed", "speed", "label.speed", 2.0, Range::IntegerIn { lo: 1.0, hi: 1000.0 }, Some(1.0));

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
        tolerance: DEFAULT_TOLERANCE,
        import: ImportLimits { max_rows: MAX_ROWS, max_bytes: MAX_BYTES },
        value_names: VALUE_NAMES.iter().map(|&(key, english)| ValueName { key, english }).collect(),
    }
}
