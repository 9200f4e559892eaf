//! The features of the model ŷ = θ0 + Σⱼ θⱼ·φⱼ, j = 1..d: the x columns of the data or the
//! powers x, x², …, x^p of one x column; and the loss convention.
//!
//! The objective, with c = 1 for `half-mse` and c = 2 for `mse` (PyTorch's `nn.MSELoss`):
//! J(θ) = c/(2n)·Σ(ŷᵢ − yᵢ)² + R(θ1..θd), R the regularizer of [`Regularization`] applied to
//! every slope (L1: λ·Σ|θⱼ|; L2: (λ/2)·Σθⱼ²; elastic net: λ·(ρ·Σ|θⱼ| + (1−ρ)/2·Σθⱼ²)), never to
//! θ0. For c = 1 these are scikit-learn's LinearRegression, Ridge(alpha = n·λ), Lasso(alpha = λ)
//! and ElasticNet(alpha = λ, l1_ratio = ρ), with PolynomialFeatures(degree = p,
//! include_bias = False) for the powers.

use crate::error::{Error, Range, Result};
use crate::param::{param, Param};
use serde::{Deserialize, Serialize};

/// Most features a model may have.
pub const MAX_FEATURES: usize = 10;

/// How the data term is scaled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LossConvention {
    /// 1/(2n)·Σr²: the tutorials' J.
    #[default]
    HalfMse,
    /// 1/n·Σr²: PyTorch's `nn.MSELoss`.
    Mse,
}

impl LossConvention {
    /// c: 1 for `half-mse`, 2 for `mse`.
    pub fn factor(&self) -> f64 {
        match self {
            LossConvention::HalfMse => 1.0,
            LossConvention::Mse => 2.0,
        }
    }
}

/// Where the features come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Features {
    /// Every x column is a feature.
    Columns,
    /// The powers x, x², …, x^degree of the one x column.
    Powers { degree: usize },
}

impl Features {
    /// The number of features d these make of `columns` x columns.
    pub fn count(&self, columns: usize) -> usize {
        match *self {
            Features::Columns => columns,
            Features::Powers { degree } => degree,
        }
    }

    /// Checks these features against `columns` x columns: 1 to [`MAX_FEATURES`] features, the
    /// powers of exactly one column.
    pub fn check(&self, columns: usize) -> Result<()> {
        if let Features::Powers { degree } = *self {
            Range::IntegerIn { lo: 1.0, hi: MAX_FEATURES as f64 }.check_count("degree", degree as u64)?;
            if columns != 1 {
                return Err(Error::invalid("feature-columns", columns, Range::OneColumn));
            }
        }
        Range::IntegerIn { lo: 1.0, hi: MAX_FEATURES as f64 }.check_count("features", self.count(columns) as u64)?;
        Ok(())
    }
}

/// Writes the powers x, x², …, x^degree into `out[..degree]`, each from the one before by
/// repeated multiplication, (((x·x)·x)…): the one definition of a power feature.
#[inline(always)]
pub fn powers(x: f64, degree: usize, out: &mut [f64]) {
    let mut v = x;
    out[0] = v;
    for slot in out.iter_mut().take(degree).skip(1) {
        v *= x;
        *slot = v;
    }
}

// The catalogue's entries: the page's models and the polynomial's degree, the loss
// conventions.

/// The page's models: the line, the powers of one x column, every x column.
pub const MODELS: &[&str] = &["line", "polynomial", "columns"];

/// Degree of the page's polynomial model (the line is degree 1, its own model).
pub const DEGREE: Param = param(
    "degree",
    "degree",
    "degree",
    "label.degree",
    3.0,
    Range::IntegerIn { lo: 2.0, hi: MAX_FEATURES as f64 },
    Some(1.0),
);

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
pub fn loss_convention(name: &str) -> Result<LossConvention> {
    match name {
        "half-mse" => Ok(LossConvention::HalfMse),
        "mse" => Ok(LossConvention::Mse),
        _ => Err(Error::unknown_choice("loss", name, LOSS_CONVENTIONS.iter().map(|e| e.name))),
    }
}
