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
    /// Checks these features against `columns` x columns: 1 to [`MAX_FEATURES`] features, the
    /// powers of exactly one column.
    pub fn check(&self, columns: usize) -> Result<()> {
        let d = match *self {
            Features::Columns => columns,
            Features::Powers { degree } => {
                Range::IntegerIn { lo: 1.0, hi: MAX_FEATURES as f64 }.check_count("degree", degree as u64)?;
                if columns != 1 {
                    return Err(Error::invalid("feature-columns", columns, Range::OneColumn));
                }
                degree
            }
        };
        Range::IntegerIn { lo: 1.0, hi: MAX_FEATURES as f64 }.check_count("features", d as u64)?;
        Ok(())
    }

    /// Each point's features from its x columns (`columns[j][i]`: column j, point i), checked:
    /// 1 to [`MAX_FEATURES`] features, the powers of exactly one column.
    pub fn expand(&self, columns: &[Vec<f64>]) -> Result<Vec<Vec<f64>>> {
        let features = match *self {
            Features::Columns => columns.to_vec(),
            Features::Powers { degree } => {
                Range::IntegerIn { lo: 1.0, hi: MAX_FEATURES as f64 }.check_count("degree", degree as u64)?;
                if columns.len() != 1 {
                    return Err(Error::invalid("feature-columns", columns.len(), Range::OneColumn));
                }
                (1..=degree).map(|p| columns[0].iter().map(|&x| power(x, p)).collect()).collect()
            }
        };
        Range::IntegerIn { lo: 1.0, hi: MAX_FEATURES as f64 }.check_count("features", features.len() as u64)?;
        Ok(features)
    }
}

/// x^p by repeated multiplication, (((x·x)·x)…): the one definition of a power feature.
#[inline(always)]
pub fn power(x: f64, p: usize) -> f64 {
    let mut v = x;
    for _ in 1..p {
        v *= x;
    }
    v
}

/// Writes the powers x, x², …, x^degree into `out[..degree]`, each from the one before, with
/// the bits of [`power`].
#[inline(always)]
pub fn powers(x: f64, degree: usize, out: &mut [f64]) {
    let mut v = x;
    out[0] = v;
    for slot in out.iter_mut().take(degree).skip(1) {
        v *= x;
        *slot = v;
    }
}
