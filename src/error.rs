//! The one error type of the core. Every variant carries the offending value and says the valid
//! range, so the message can be shown to a person as it is (in a terminal, or next to a control).

use std::fmt;

/// Everything the core can refuse. `Display` gives the full, user-facing message.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// A hyperparameter or generator setting outside its valid range.
    /// `name` is the user-facing name ("learning rate"), `value` the rejected value as typed,
    /// `range` the valid range in words ("a finite number > 0").
    InvalidValue { name: &'static str, value: String, range: String },
    /// A CSV cell or row that could not be read. `line` is 1-based; `column` is 1-based when the
    /// problem is in one cell.
    Csv { line: u64, column: Option<u64>, message: String },
    /// A data set with too few points to fit a line through.
    TooFewPoints { count: usize, min: usize },
    /// A preset name that does not exist.
    UnknownPreset { name: String, known: String },
    /// A name of an option that is not one of the known choices.
    UnknownChoice { name: &'static str, value: String, known: &'static str },
    /// An index out of range (a point or a run that does not exist).
    OutOfRange { name: &'static str, index: usize, len: usize },
}

impl Error {
    /// Shorthand for [`Error::InvalidValue`].
    pub fn invalid(name: &'static str, value: impl fmt::Display, range: impl Into<String>) -> Self {
        Error::InvalidValue { name, value: value.to_string(), range: range.into() }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidValue { name, value, range } => {
                write!(f, "{name} must be {range}, got {value}")
            }
            Error::Csv { line, column: Some(column), message } => {
                write!(f, "line {line}, column {column}: {message}")
            }
            Error::Csv { line, column: None, message } => write!(f, "line {line}: {message}"),
            Error::TooFewPoints { count, min } => {
                write!(f, "the data must have at least {min} points, got {count}")
            }
            Error::UnknownPreset { name, known } => {
                write!(f, "unknown preset \"{name}\"; known presets: {known}")
            }
            Error::UnknownChoice { name, value, known } => {
                write!(f, "{name} must be one of {known}, got \"{value}\"")
            }
            Error::OutOfRange { name, index, len } => {
                write!(f, "{name} {index} does not exist (there are {len})")
            }
        }
    }
}

impl std::error::Error for Error {}

/// Result with the core's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// Checks that `value` is finite and strictly positive.
pub fn require_positive(name: &'static str, value: f64) -> Result<f64> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(Error::invalid(name, value, "a finite number > 0"))
    }
}

/// Checks that `value` is finite and ≥ 0.
pub fn require_non_negative(name: &'static str, value: f64) -> Result<f64> {
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(Error::invalid(name, value, "a finite number ≥ 0"))
    }
}

/// Checks that `value` lies in the closed interval [lo, hi].
pub fn require_in(name: &'static str, value: f64, lo: f64, hi: f64) -> Result<f64> {
    if value.is_finite() && value >= lo && value <= hi {
        Ok(value)
    } else {
        Err(Error::invalid(name, value, format!("in [{lo}, {hi}]")))
    }
}

/// Checks that `value` lies in the half-open interval [lo, hi).
pub fn require_in_half_open(name: &'static str, value: f64, lo: f64, hi: f64) -> Result<f64> {
    if value.is_finite() && value >= lo && value < hi {
        Ok(value)
    } else {
        Err(Error::invalid(name, value, format!("in [{lo}, {hi})")))
    }
}
