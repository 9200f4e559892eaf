//! The one error type of the core. Every variant carries its parts as data (a stable key naming
//! the value, the value, its valid [`Range`], the known choices, the CSV line and column), so a
//! front end can phrase it in its own language; `Display` gives the English message, which can
//! be shown to a person as it is (in a terminal, or next to a control).

use serde::ser::{Serialize, SerializeMap, Serializer};
use std::fmt;

/// A number as a message quotes it: Rust's shortest round-trip form, in e-notation beyond
/// 1e16 or below 1e-5 (−1e308, not 309 digits).
pub fn number_text(v: f64) -> String {
    let a = v.abs();
    if a == 0.0 || !a.is_finite() || (1e-5..1e16).contains(&a) {
        v.to_string()
    } else {
        format!("{v:e}")
    }
}

/// Values as a message quotes a point: "(v₀, v₁, …)", each by [`number_text`].
pub fn values_text(values: &[f64]) -> String {
    let values: Vec<String> = values.iter().map(|&v| number_text(v)).collect();
    format!("({})", values.join(", "))
}

/// The stable key of every value the core can refuse, with its English name: the one table of
/// those names.
pub const VALUE_NAMES: &[(&str, &str)] = &[
    ("learning-rate", "learning rate"),
    ("batch-size", "batch size"),
    ("tolerance", "tolerance"),
    ("start", "start θ"),
    ("momentum", "momentum μ"),
    ("beta1", "beta1 β1"),
    ("beta2", "beta2 β2"),
    ("alpha", "alpha α"),
    ("eps", "epsilon ε"),
    ("gamma", "decay γ"),
    ("step-size", "step size"),
    ("decay", "decay d"),
    ("total-steps", "total steps"),
    ("lambda", "regularization strength λ"),
    ("l1-ratio", "L1 ratio ρ"),
    ("points", "points"),
    ("features", "number of features"),
    ("degree", "polynomial degree"),
    ("loss", "loss convention"),
    ("feature-columns", "feature columns"),
    ("surface-axes", "surface axes"),
    ("model", "model"),
    ("rate-rule", "rate rule"),
    ("line-search", "line search"),
    ("bold-up", "increase factor up"),
    ("bold-down", "decrease factor down"),
    ("plateau-factor", "plateau factor"),
    ("patience", "patience"),
    ("plateau-threshold", "plateau threshold"),
    ("cooldown", "cooldown"),
    ("min-lr", "minimum rate"),
    ("armijo-beta", "backtracking factor β"),
    ("armijo-c", "sufficient-decrease constant c"),
    ("column-names", "the number of column names"),
    ("noise", "noise"),
    ("seed", "seed"),
    ("speed", "speed"),
    ("intercept", "intercept"),
    ("slope", "slope"),
    ("x-min", "x min"),
    ("x-max", "x max"),
    ("outlier-fraction", "outlier fraction"),
    ("y-count", "the number of y values"),
    ("x-of-point", "x of point"),
    ("y-of-point", "y of point"),
    ("point", "point"),
    ("run", "run"),
    ("number-of-runs", "number of runs"),
    ("run-settings", "run settings"),
    ("standardize", "standardize x"),
    ("optimizer", "optimizer"),
    ("schedule", "schedule"),
    ("regularization", "regularization"),
    ("dataset", "dataset"),
    ("language", "language"),
    ("plot", "plot"),
    ("layers", "canvas layers"),
    ("setting", "setting"),
    ("width", "width"),
    ("height", "height"),
    ("range-start", "start rate"),
    ("range-end", "end rate"),
    ("num-it", "number of updates"),
    ("smoothing-beta", "smoothing β"),
    ("stop-factor", "stop factor"),
    ("range-test", "range test"),
    ("stability-map", "stability map"),
    ("script", "script"),
    ("lowest-lr", "lowest learning rate"),
    ("highest-lr", "highest learning rate"),
    ("lowest-momentum", "lowest momentum μ"),
    ("highest-momentum", "highest momentum μ"),
    ("grid-columns", "columns of the map (learning rates)"),
    ("grid-rows", "rows of the map (momenta)"),
];

/// The English name of the value with key `key` ("learning-rate" → "learning rate"); the key
/// itself for a key missing from [`VALUE_NAMES`].
pub fn english_name(key: &str) -> &str {
    VALUE_NAMES.iter().find(|(k, _)| *k == key).map_or(key, |(_, name)| name)
}

/// The valid values of a setting. `Display` gives the English words ("a finite number > 0");
/// [`Range::contains`] is the check.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Range {
    /// A finite number > 0.
    Positive,
    /// A finite number ≥ 0.
    NonNegative,
    /// Any finite number.
    Finite,
    /// A finite number greater than another setting's value (`than` is that setting's key).
    GreaterThan { than: &'static str, bound: f64 },
    /// [lo, hi].
    Closed { lo: f64, hi: f64 },
    /// [lo, hi).
    HalfOpen { lo: f64, hi: f64 },
    /// (lo, hi].
    OpenClosed { lo: f64, hi: f64 },
    /// An integer in [lo, hi].
    IntegerIn { lo: f64, hi: f64 },
    /// An integer ≥ lo.
    IntegerAtLeast { lo: f64 },
    /// At most `max`.
    AtMost { max: f64 },
    /// At least `min`.
    AtLeast { min: f64 },
    /// A finite number with |value| ≤ max.
    MagnitudeAtMost { max: f64 },
    /// As many as there are x values.
    EqualCount { count: usize },
    /// As many canvases as a plot has layers.
    Canvases { count: usize },
    /// A point with both coordinates finite.
    FinitePoint,
    /// Off, when the x values have no spread to standardize by.
    OffWithoutSpread,
    /// An object of the expected shape.
    ValidSetting,
    /// One x column: powers are taken of a single column.
    OneColumn,
    /// A point of `count` finite coordinates (θ0 … θ(count−1)).
    Coordinates { count: usize },
    /// Several x columns: the model of every column needs more than one.
    SeveralColumns,
    /// At least one of the columns 0 … count − 1, each once, in increasing order.
    ColumnsOf { count: usize },
    /// Strictly between `lo` and `hi`.
    Open { lo: f64, hi: f64 },
    /// The full batch of `n` points (line searches, Newton and CG use every point).
    FullBatch { n: usize },
    /// A method for smooth objectives, so none while the objective has an L1 part.
    SmoothObjective,
    /// Plain gradient descent: a line search chooses the step along −g.
    PlainDescent,
    /// None while a line search chooses the step.
    WithoutLineSearch,
    /// No L1 part while a run uses Newton or CG.
    SmoothForSecondOrder,
    /// A point of `count` coordinates at which J and its gradient are finite.
    FiniteLoss { count: usize },
    /// An optimizer whose step is the learning rate (the range test sweeps it; CG chooses its own).
    RateFollowing,
}

impl Range {
    /// Whether `value` lies in the range. The ranges that are not about one number
    /// ([`Range::FinitePoint`], [`Range::OffWithoutSpread`], [`Range::ValidSetting`],
    /// [`Range::Coordinates`]) hold no
    /// number.
    pub fn contains(&self, value: f64) -> bool {
        if !value.is_finite() {
            return false;
        }
        match *self {
            Range::Positive => value > 0.0,
            Range::NonNegative => value >= 0.0,
            Range::Finite => true,
            Range::GreaterThan { bound, .. } => value > bound,
            Range::Closed { lo, hi } => lo <= value && value <= hi,
            Range::HalfOpen { lo, hi } => lo <= value && value < hi,
            Range::OpenClosed { lo, hi } => lo < value && value <= hi,
            Range::IntegerIn { lo, hi } => value.fract() == 0.0 && lo <= value && value <= hi,
            Range::IntegerAtLeast { lo } => value.fract() == 0.0 && lo <= value,
            Range::AtMost { max } => value <= max,
            Range::AtLeast { min } => value >= min,
            Range::MagnitudeAtMost { max } => value.abs() <= max,
            Range::EqualCount { count } => value == count as f64,
            Range::Canvases { count } => value == count as f64,
            Range::FinitePoint | Range::OffWithoutSpread | Range::ValidSetting => false,
            Range::OneColumn => value == 1.0,
            Range::Coordinates { .. } => false,
            Range::SeveralColumns => value >= 2.0,
            Range::ColumnsOf { .. } => false,
            Range::Open { lo, hi } => lo < value && value < hi,
            Range::FullBatch { n } => value == n as f64,
            Range::SmoothObjective | Range::PlainDescent | Range::WithoutLineSearch | Range::SmoothForSecondOrder => false,
            Range::FiniteLoss { .. } => false,
            Range::RateFollowing => false,
        }
    }

    /// Whether only integers lie in the range.
    pub fn is_integer(&self) -> bool {
        matches!(self, Range::IntegerIn { .. } | Range::IntegerAtLeast { .. } | Range::EqualCount { .. })
    }

    /// `value` when it lies in the range, else the [`Error::InvalidValue`] naming `name` (a key
    /// of [`VALUE_NAMES`]).
    pub fn check(&self, name: &'static str, value: f64) -> Result<f64> {
        if self.contains(value) {
            Ok(value)
        } else {
            Err(Error::invalid(name, number_text(value), *self))
        }
    }

    /// [`Range::check`] for a count or an index: the value is shown exactly in the error.
    pub fn check_count(&self, name: &'static str, value: u64) -> Result<u64> {
        if self.contains(value as f64) {
            Ok(value)
        } else {
            Err(Error::invalid(name, value, *self))
        }
    }
}

impl fmt::Display for Range {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Range::Positive => f.write_str("a finite number > 0"),
            Range::NonNegative => f.write_str("a finite number ≥ 0"),
            Range::Finite => f.write_str("a finite number"),
            Range::GreaterThan { than, bound } => write!(f, "a finite number > {} ({bound})", english_name(than)),
            Range::Closed { lo, hi } => write!(f, "in [{lo}, {hi}]"),
            Range::HalfOpen { lo, hi } => write!(f, "in [{lo}, {hi})"),
            Range::OpenClosed { lo, hi } => write!(f, "in ({lo}, {hi}]"),
            Range::IntegerIn { lo, hi } => write!(f, "an integer in [{lo}, {hi}]"),
            Range::IntegerAtLeast { lo } => write!(f, "an integer ≥ {lo}"),
            Range::AtMost { max } => write!(f, "at most {max}"),
            Range::AtLeast { min } => write!(f, "at least {min}"),
            Range::MagnitudeAtMost { max } => write!(f, "a finite number with magnitude ≤ {max:e}"),
            Range::EqualCount { count } => write!(f, "equal to the number of x values ({count})"),
            Range::Canvases { count: 1 } => f.write_str("1 canvas"),
            Range::Canvases { count } => write!(f, "{count} canvases"),
            Range::FinitePoint => f.write_str("finite"),
            Range::OffWithoutSpread => f.write_str("off when all x values are equal (their spread is 0)"),
            Range::ValidSetting => f.write_str("a valid setting"),
            Range::OneColumn => f.write_str("1 (the powers are those of one x column)"),
            Range::Coordinates { count } => write!(f, "{count} finite coordinates (θ0 to θ{})", count - 1),
            Range::SeveralColumns => f.write_str("at least 2 (All columns fits data of several x columns)"),
            Range::ColumnsOf { count } => write!(f, "one or more of the columns 0 to {}, each once, in increasing order", count - 1),
            Range::Open { lo, hi } => write!(f, "in ({lo}, {hi})"),
            Range::FullBatch { n } => write!(f, "the full batch of {n} (line searches, Newton and CG use every point)"),
            Range::SmoothObjective => f.write_str("a method for smooth objectives; choose another while there is an L1 part"),
            Range::PlainDescent => f.write_str("used with plain gradient descent only (choose Plain GD / SGD)"),
            Range::WithoutLineSearch => f.write_str("none while a line search chooses the step"),
            Range::SmoothForSecondOrder => f.write_str("without an L1 part while a run uses Newton or CG (they need a smooth objective)"),
            Range::FiniteLoss { count } => write!(f, "{count} coordinates at which the loss J is a finite number"),
            Range::RateFollowing => f.write_str("an optimizer whose step is the learning rate (CG chooses its own step)"),
        }
    }
}

/// What is wrong with a CSV file, at the line (and column) of an [`Error::Csv`].
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum CsvProblem {
    /// The input could not be read; `text` is the reader's reason.
    Io { text: String },
    /// No rows at all.
    EmptyFile,
    /// A row with another number of cells than `expected`.
    Columns { expected: usize, found: usize },
    /// Fewer data rows than `min`.
    TooFewRows { found: usize, min: usize },
    /// A cell that is not UTF-8 text.
    NotUtf8,
    /// An empty cell.
    EmptyCell,
    /// A cell that is not a number; `text` is the cell, cut when `truncated`.
    NotANumber { text: String, truncated: bool },
    /// A cell that is a number but not a finite one (nan, inf, beyond ±1.8e308).
    NotFinite { text: String, truncated: bool },
    /// More data rows than `max`.
    TooManyRows { max: usize },
    /// More bytes than `max`.
    TooLarge { max: usize },
}

/// The cell in double quotes with Rust's escapes, followed by "…" when it was cut.
fn quoted(text: &str, truncated: bool) -> String {
    format!("{text:?}{}", if truncated { "…" } else { "" })
}

impl fmt::Display for CsvProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CsvProblem::Io { text } => write!(f, "could not read the data: {text}"),
            CsvProblem::EmptyFile => f.write_str("the file is empty; expected rows of two numbers x,y"),
            CsvProblem::TooManyRows { max } => write!(f, "the file has more than {max} data rows, the most a data set holds"),
            CsvProblem::TooLarge { max } => write!(f, "the file is larger than {} MiB, the most an import reads", max >> 20),
            CsvProblem::Columns { expected: 2, found } => write!(f, "expected 2 columns (x,y), found {found}"),
            CsvProblem::Columns { expected, found } => write!(f, "expected {expected} columns, as in the first row, found {found}"),
            CsvProblem::TooFewRows { found, min } => {
                let rows = if *found == 1 { "row" } else { "rows" };
                write!(f, "the file ends after {found} data {rows}; at least {min} are needed to fit a line")
            }
            CsvProblem::NotUtf8 => f.write_str("the cell is not valid UTF-8 text"),
            CsvProblem::EmptyCell => f.write_str("the cell is empty; expected a number"),
            CsvProblem::NotANumber { text, truncated } => write!(f, "{} is not a number", quoted(text, *truncated)),
            CsvProblem::NotFinite { text, truncated } => {
                write!(f, "{} is not a finite number", quoted(text, *truncated))
            }
        }
    }
}

/// Everything the core can refuse. `Display` gives the full English message; serializing gives
/// its parts (see the `Serialize` implementation).
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// A setting outside its valid range. `name` is a key of [`VALUE_NAMES`] ("learning-rate"),
    /// `value` the rejected value as typed, `range` the valid values.
    InvalidValue { name: &'static str, value: String, range: Range },
    /// A CSV cell or row that could not be read. `line` is 1-based; `column` is 1-based when the
    /// problem is in one cell.
    Csv { line: u64, column: Option<u64>, problem: CsvProblem },
    /// A data set with too few points to fit a line through.
    TooFewPoints { count: usize, min: usize },
    /// A preset name that does not exist.
    UnknownPreset { name: String, known: Vec<String> },
    /// A name of an option (`name`, a key of [`VALUE_NAMES`]) that is not one of `known`.
    UnknownChoice { name: &'static str, value: String, known: Vec<String> },
    /// An index out of range (a point or a run that does not exist); `name` is a key.
    OutOfRange { name: &'static str, index: usize, len: usize },
    /// A plot could not be drawn.
    Drawing { message: String },
}

impl Error {
    /// Shorthand for [`Error::InvalidValue`].
    pub fn invalid(name: &'static str, value: impl fmt::Display, range: Range) -> Self {
        Error::InvalidValue { name, value: value.to_string(), range }
    }

    /// Shorthand for [`Error::UnknownChoice`] among `known`.
    pub fn unknown_choice<'a>(name: &'static str, value: &str, known: impl IntoIterator<Item = &'a str>) -> Self {
        Error::UnknownChoice { name, value: value.to_string(), known: known.into_iter().map(String::from).collect() }
    }

    /// The kind of error as the serialized `kind`: "invalid-value", "csv", "too-few-points",
    /// "unknown-preset", "unknown-choice", "out-of-range" or "drawing".
    pub fn kind(&self) -> &'static str {
        match self {
            Error::InvalidValue { .. } => "invalid-value",
            Error::Csv { .. } => "csv",
            Error::TooFewPoints { .. } => "too-few-points",
            Error::UnknownPreset { .. } => "unknown-preset",
            Error::UnknownChoice { .. } => "unknown-choice",
            Error::OutOfRange { .. } => "out-of-range",
            Error::Drawing { .. } => "drawing",
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidValue { name, value, range } => {
                write!(f, "{} must be {range}, got {value}", english_name(name))
            }
            Error::Csv { line, column: Some(column), problem } => {
                write!(f, "line {line}, column {column}: {problem}")
            }
            Error::Csv { line, column: None, problem } => write!(f, "line {line}: {problem}"),
            Error::TooFewPoints { count, min } => {
                write!(f, "the data must have at least {min} points, got {count}")
            }
            Error::UnknownPreset { name, known } => {
                write!(f, "unknown preset \"{name}\"; known presets: {}", known.join(", "))
            }
            Error::UnknownChoice { name, value, known } => {
                write!(f, "{} must be one of {}, got \"{value}\"", english_name(name), known.join(", "))
            }
            Error::OutOfRange { name, index, len } => {
                write!(f, "{} {index} does not exist (there are {len})", english_name(name))
            }
            Error::Drawing { message } => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {}

/// One object with `kind` and the English `message`, then the variant's parts:
/// `name` (a key), `value` (text), `range`, `known`, `line`, `column` (null when the whole row
/// is at fault), `problem`, `count`, `min`, `index`, `len`. An unknown preset has `name`
/// "dataset" and the asked-for name as `value`.
impl Serialize for Error {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("kind", self.kind())?;
        map.serialize_entry("message", &self.to_string())?;
        match self {
            Error::InvalidValue { name, value, range } => {
                map.serialize_entry("name", name)?;
                map.serialize_entry("value", value)?;
                map.serialize_entry("range", range)?;
            }
            Error::Csv { line, column, problem } => {
                map.serialize_entry("line", line)?;
                map.serialize_entry("column", column)?;
                map.serialize_entry("problem", problem)?;
            }
            Error::TooFewPoints { count, min } => {
                map.serialize_entry("count", count)?;
                map.serialize_entry("min", min)?;
            }
            Error::UnknownPreset { name, known } => {
                map.serialize_entry("name", "dataset")?;
                map.serialize_entry("value", name)?;
                map.serialize_entry("known", known)?;
            }
            Error::UnknownChoice { name, value, known } => {
                map.serialize_entry("name", name)?;
                map.serialize_entry("value", value)?;
                map.serialize_entry("known", known)?;
            }
            Error::OutOfRange { name, index, len } => {
                map.serialize_entry("name", name)?;
                map.serialize_entry("index", index)?;
                map.serialize_entry("len", len)?;
            }
            Error::Drawing { .. } => {}
        }
        map.end()
    }
}

/// Result with the core's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// Checks that `value` is finite and strictly positive.
pub fn require_positive(name: &'static str, value: f64) -> Result<f64> {
    Range::Positive.check(name, value)
}

/// Checks that `value` is finite and ≥ 0.
pub fn require_non_negative(name: &'static str, value: f64) -> Result<f64> {
    Range::NonNegative.check(name, value)
}

/// Checks that `value` is finite.
pub fn require_finite(name: &'static str, value: f64) -> Result<f64> {
    Range::Finite.check(name, value)
}
