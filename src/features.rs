//! Least squares with several features: ŷ = θ0 + Σⱼ θⱼ·φⱼ, j = 1..d, the features φ being the
//! x columns of the data or the powers x, x², …, x^p of one x column. This module holds the
//! features, their sufficient statistics (so that J, ∇J and the Hessian cost O(d²) whatever n),
//! the loss convention, the Hessian's spectrum and the exact optimum: the normal equations for
//! smooth objectives, coordinate descent on the covariance form to a duality gap of 1e-12 for
//! an L1 part. Pure Rust; the linear algebra is nalgebra's.
//!
//! The objective, with c = 1 for `half-mse` and c = 2 for `mse` (PyTorch's `nn.MSELoss`):
//! J(θ) = c/(2n)·Σ(ŷᵢ − yᵢ)² + R(θ1..θd), R the regularizer of [`Regularization`] applied to
//! every slope (L1: λ·Σ|θⱼ|; L2: (λ/2)·Σθⱼ²; elastic net: λ·(ρ·Σ|θⱼ| + (1−ρ)/2·Σθⱼ²)), never to
//! θ0. For c = 1 these are scikit-learn's LinearRegression, Ridge(alpha = n·λ), Lasso(alpha = λ)
//! and ElasticNet(alpha = λ, l1_ratio = ρ), with PolynomialFeatures(degree = p,
//! include_bias = False) for the powers.

use crate::error::{Error, Range, Result};
use crate::objective::{soft_threshold, Regularization};
use nalgebra::{DMatrix, DVector, SymmetricEigen};
use serde::{Deserialize, Serialize};

/// Most features a model may have.
pub const MAX_FEATURES: usize = 10;

/// The relative duality gap coordinate descent stops at (scikit-learn's `tol`, relative to
/// the variance of y).
pub const GAP_TOLERANCE: f64 = 1e-12;

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
                (1..=degree).map(|p| columns[0].iter().map(|&x| x.powi(p as i32)).collect()).collect()
            }
        };
        Range::IntegerIn { lo: 1.0, hi: MAX_FEATURES as f64 }.check_count("features", features.len() as u64)?;
        Ok(features)
    }
}

/// Sufficient statistics of d features φ and y, in centred form: with them J, ∇J and the
/// Hessian cost O(d²) whatever n.
#[derive(Debug, Clone, PartialEq)]
pub struct Moments {
    /// Number of points n.
    pub n: usize,
    /// Means of the features.
    pub mean: DVector<f64>,
    /// Mean of y.
    pub mean_y: f64,
    /// Σ = mean((φ − φ̄)(φ − φ̄)ᵀ), d × d.
    pub cov: DMatrix<f64>,
    /// s = mean((φ − φ̄)(y − ȳ)).
    pub cov_y: DVector<f64>,
    /// v = mean((y − ȳ)²).
    pub var_y: f64,
    /// The unregularized least-squares slopes β̂ (Σβ̂ = s) and the mean squared residual of
    /// that fit, computed by a pass over the points, when Σ is not singular: J then is a sum of
    /// non-negative terms, (β − β̂)ᵀΣ(β − β̂) + rss, with no cancellation near the optimum.
    pub least_squares: Option<(DVector<f64>, f64)>,
}

impl Moments {
    /// Two passes: the means (each with one correction pass), then the centred sums.
    /// `features[j][i]` is feature j of point i; all columns have the length of `ys`.
    pub fn from_points(features: &[Vec<f64>], ys: &[f64]) -> Moments {
        let n = ys.len();
        let nf = n as f64;
        let d = features.len();
        let mean_of = |v: &[f64]| {
            let m = v.iter().sum::<f64>() / nf;
            m + v.iter().map(|&a| a - m).sum::<f64>() / nf
        };
        let mean = DVector::from_iterator(d, features.iter().map(|f| mean_of(f)));
        let mean_y = mean_of(ys);
        let mut cov = DMatrix::zeros(d, d);
        let mut cov_y = DVector::zeros(d);
        let mut var_y = 0.0;
        let mut centred = vec![0.0; d];
        for i in 0..n {
            for j in 0..d {
                centred[j] = features[j][i] - mean[j];
            }
            let dy = ys[i] - mean_y;
            for j in 0..d {
                cov_y[j] += centred[j] * dy;
                for k in 0..=j {
                    cov[(j, k)] += centred[j] * centred[k];
                }
            }
            var_y += dy * dy;
        }
        for j in 0..d {
            for k in 0..=j {
                cov[(j, k)] /= nf;
                cov[(k, j)] = cov[(j, k)];
            }
        }
        let cov_y = cov_y / nf;
        let spread: Vec<usize> = (0..d).filter(|&j| cov[(j, j)] > 0.0).collect();
        let least_squares = (spread.len() == d).then(|| solve_scaled(&cov, &cov_y, &spread).ok()).flatten().map(|(beta, _)| {
            let rss = (0..n)
                .map(|i| {
                    let e = ys[i] - mean_y - (0..d).map(|j| beta[j] * (features[j][i] - mean[j])).sum::<f64>();
                    e * e
                })
                .sum::<f64>()
                / nf;
            (beta, rss)
        });
        Moments { n, mean, mean_y, cov, cov_y, var_y: var_y / nf, least_squares }
    }

    /// Number of features d.
    pub fn features(&self) -> usize {
        self.mean.len()
    }

    /// The moments of the standardized features φ′ⱼ = (φⱼ − φ̄ⱼ)/sⱼ (sⱼ the population standard
    /// deviation): mean 0, variance 1, Σ′ the correlation matrix, s′ⱼ = sⱼ_y/sⱼ; y unchanged.
    /// Worked out from these moments, no pass over the data. The features (1-based) with no
    /// spread when there are any.
    pub fn standardized(&self) -> std::result::Result<(Moments, Scaling), Vec<usize>> {
        let d = self.features();
        let scale = DVector::from_fn(d, |j, _| self.cov[(j, j)].sqrt());
        let flat: Vec<usize> = (0..d).filter(|&j| !(scale[j] > 0.0 && scale[j].is_finite())).map(|j| j + 1).collect();
        if !flat.is_empty() {
            return Err(flat);
        }
        let moments = Moments {
            n: self.n,
            mean: DVector::zeros(d),
            mean_y: self.mean_y,
            cov: DMatrix::from_fn(d, d, |j, k| if j == k { 1.0 } else { self.cov[(j, k)] / (scale[j] * scale[k]) }),
            cov_y: DVector::from_fn(d, |j, _| self.cov_y[j] / scale[j]),
            var_y: self.var_y,
            least_squares: self.least_squares.as_ref().map(|(beta, rss)| (beta.component_mul(&scale), *rss)),
        };
        Ok((moments, Scaling { mean: self.mean.iter().copied().collect(), scale: scale.iter().copied().collect() }))
    }
}

/// How features were standardized: φ′ⱼ = (φⱼ − meanⱼ)/scaleⱼ.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scaling {
    /// The features' means.
    pub mean: Vec<f64>,
    /// Their population standard deviations (> 0).
    pub scale: Vec<f64>,
}

impl Scaling {
    /// θ of the standardized model in the original features: θ0 + Σ θ′ⱼ(φⱼ − mⱼ)/sⱼ gives
    /// θⱼ = θ′ⱼ/sⱼ and θ0 = θ′0 − Σ θ′ⱼ·mⱼ/sⱼ.
    pub fn to_original(&self, theta: &[f64]) -> Vec<f64> {
        let slopes: Vec<f64> = theta[1..].iter().zip(&self.scale).map(|(t, s)| t / s).collect();
        let theta0 = theta[0] - slopes.iter().zip(&self.mean).map(|(b, m)| b * m).sum::<f64>();
        std::iter::once(theta0).chain(slopes).collect()
    }
}

/// Why a model has no unique optimum: the features (1-based) that make it so.
#[derive(Debug, Clone, PartialEq)]
pub enum NoUniqueOptimum {
    /// These features have no spread, and no L2 part pins their coefficients.
    NoSpread { features: Vec<usize> },
    /// These features are linear combinations of one another (collinear), and no L2 part
    /// picks one combination.
    Collinear { features: Vec<usize> },
}

impl std::fmt::Display for NoUniqueOptimum {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names = |v: &[usize]| v.iter().map(|j| format!("θ{j}")).collect::<Vec<_>>().join(", ");
        match self {
            NoUniqueOptimum::NoSpread { features } => write!(
                f,
                "the optimum is not unique: the feature(s) of {} have no spread (all their values are equal) and there is no L2 part",
                names(features)
            ),
            NoUniqueOptimum::Collinear { features } => write!(
                f,
                "the optimum is not unique: the features of {} are collinear (one is a combination of the others) and there is no L2 part",
                names(features)
            ),
        }
    }
}

/// The exact optimum of a model.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelOptimum {
    /// θ*, θ0 first (d + 1 values).
    pub theta: Vec<f64>,
    /// J(θ*).
    pub loss: f64,
    /// κ of the matrix the normal equations solved (cΣ + λ₂I scaled to a unit diagonal); above
    /// 1e12 the digits of θ* past the first few are rounding, and the report says so.
    pub condition_number: f64,
}

/// How [`Model::surface`] set the coefficients it does not show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Others {
    /// At their best for each point of the surface (the objective is smooth).
    Profile,
    /// At their values in θ* (the objective has an L1 part).
    AtOptimum,
}

/// Least squares over d features with a regularizer and a loss convention.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    moments: Moments,
    regularization: Regularization,
    loss: LossConvention,
}

impl Model {
    /// A model of `moments` with `regularization` (validated) and `loss`.
    pub fn new(moments: Moments, regularization: Regularization, loss: LossConvention) -> Result<Model> {
        regularization.validate()?;
        Ok(Model { moments, regularization, loss })
    }

    /// The sufficient statistics.
    pub fn moments(&self) -> &Moments {
        &self.moments
    }

    /// J(θ), θ0 first: c/2·(a² + βᵀΣβ − 2βᵀs + v) + R(β), a = θ0 + φ̄ᵀβ − ȳ.
    pub fn loss(&self, theta: &[f64]) -> f64 {
        let m = &self.moments;
        let beta = DVector::from_column_slice(&theta[1..]);
        let a = theta[0] + m.mean.dot(&beta) - m.mean_y;
        let quadratic = match &m.least_squares {
            Some((fit, rss)) => {
                let e = &beta - fit;
                e.dot(&(&m.cov * &e)).max(0.0) + rss
            }
            None => (beta.dot(&(&m.cov * &beta)) - 2.0 * beta.dot(&m.cov_y) + m.var_y).max(0.0),
        };
        0.5 * self.loss.factor() * (a * a + quadratic) + self.penalty(&beta)
    }

    fn penalty(&self, beta: &DVector<f64>) -> f64 {
        let (l1, l2) = (self.regularization.l1_weight(), self.regularization.l2_weight());
        l1 * beta.iter().map(|b| b.abs()).sum::<f64>() + 0.5 * l2 * beta.norm_squared()
    }

    /// ∇ of the smooth part (data term and L2 part), θ0 first:
    /// ∂/∂θ0 = c·a, ∇_β = c·(a·φ̄ + Σβ − s) + λ₂·β.
    pub fn smooth_gradient(&self, theta: &[f64]) -> Vec<f64> {
        let m = &self.moments;
        let c = self.loss.factor();
        let beta = DVector::from_column_slice(&theta[1..]);
        let a = theta[0] + m.mean.dot(&beta) - m.mean_y;
        let g = (&m.mean * a + &m.cov * &beta - &m.cov_y) * c + &beta * self.regularization.l2_weight();
        std::iter::once(c * a).chain(g.iter().copied()).collect()
    }

    /// The Hessian of the smooth part: c·[[1, φ̄ᵀ], [φ̄, E[φφᵀ]]] + λ₂·diag(0, 1, …, 1), with
    /// E[φφᵀ] = Σ + φ̄φ̄ᵀ the raw second moments.
    pub fn hessian(&self) -> DMatrix<f64> {
        let m = &self.moments;
        let d = m.features();
        let c = self.loss.factor();
        let mut h = DMatrix::zeros(d + 1, d + 1);
        h[(0, 0)] = c;
        for j in 0..d {
            h[(0, j + 1)] = c * m.mean[j];
            h[(j + 1, 0)] = c * m.mean[j];
            for k in 0..d {
                h[(j + 1, k + 1)] = c * (m.cov[(j, k)] + m.mean[j] * m.mean[k]);
            }
            h[(j + 1, j + 1)] += self.regularization.l2_weight();
        }
        h
    }

    /// The Hessian's eigenvalues in ascending order (negative rounding clamped to 0).
    pub fn spectrum(&self) -> Vec<f64> {
        let mut values: Vec<f64> = SymmetricEigen::new(self.hessian()).eigenvalues.iter().map(|v| v.max(0.0)).collect();
        values.sort_by(f64::total_cmp);
        values
    }

    /// The critical rate of full-batch gradient descent, 2/λ_max.
    pub fn lr_critical(&self) -> f64 {
        2.0 / self.spectrum().last().copied().unwrap_or(f64::INFINITY)
    }

    /// κ = λ_max/λ_min, ∞ when λ_min = 0.
    pub fn condition_number(&self) -> f64 {
        let s = self.spectrum();
        let (lo, hi) = (s[0], s[s.len() - 1]);
        if lo > 0.0 {
            hi / lo
        } else {
            f64::INFINITY
        }
    }

    /// The exact optimum. Smooth (no L1 part): β* solves (cΣ + λ₂I)β = c·s, scaled to a unit
    /// diagonal, by Cholesky, or by the eigen-decomposition when Cholesky fails; with an L1 part, coordinate descent on the
    /// covariance form until the duality gap is at most [`GAP_TOLERANCE`] × v. Then
    /// θ0* = ȳ − φ̄ᵀβ*. Without an L2 part, a feature with no spread or collinear features make
    /// the optimum not unique (with an L1 part, a feature with no spread gets θⱼ* = 0).
    pub fn optimum(&self) -> std::result::Result<ModelOptimum, NoUniqueOptimum> {
        let m = &self.moments;
        let d = m.features();
        let c = self.loss.factor();
        let (l1, l2) = (self.regularization.l1_weight(), self.regularization.l2_weight());
        let a = &m.cov * c + DMatrix::identity(d, d) * l2;
        let b = &m.cov_y * c;
        // Features with no spread and no L2 part: their coefficient is free (0 with L1).
        let spread: Vec<usize> = (0..d).filter(|&j| a[(j, j)] > 0.0).collect();
        if spread.len() < d && l1 == 0.0 {
            return Err(NoUniqueOptimum::NoSpread { features: (0..d).filter(|j| !spread.contains(j)).map(|j| j + 1).collect() });
        }
        let (solution, condition_number) = solve_scaled(&a, &b, &spread).map_err(|features| NoUniqueOptimum::Collinear { features })?;
        let beta = if l1 > 0.0 {
            coordinate_descent(&(&m.cov * c), l2, &b, l1, m.var_y * c)
        } else {
            solution
        };
        let theta0 = m.mean_y - m.mean.dot(&beta);
        let theta: Vec<f64> = std::iter::once(theta0).chain(beta.iter().copied()).collect();
        let loss = self.loss(&theta);
        Ok(ModelOptimum { theta, loss, condition_number })
    }

    /// J over a `cells × cells` grid of two coefficients `pair` (indices into θ, θ0 = 0) at
    /// the cell centres of `ranges`, row by row from the low end of the second (the layout of
    /// [`crate::objective::Objective::surface`]), and how the other coefficients were set:
    /// at their best for each cell (the profile, a quadratic worked out once from H by a Schur
    /// complement) when the objective is smooth, else at their values in `optimum`. O(1) a cell.
    pub fn surface(&self, pair: (usize, usize), ranges: [[f64; 2]; 2], cells: usize, optimum: &[f64]) -> (Vec<f64>, Others) {
        let m = &self.moments;
        let (d, c) = (m.features(), self.loss.factor());
        let l1 = self.regularization.l1_weight();
        // J(θ) = ½θᵀHθ − qᵀθ + r + l1·Σ|θⱼ|: q = c·E[zy], r = c/2·E[y²], z = (1, φ).
        let h = self.hessian();
        let mut q = DVector::zeros(d + 1);
        q[0] = c * m.mean_y;
        for j in 0..d {
            q[j + 1] = c * (m.cov_y[j] + m.mean[j] * m.mean_y);
        }
        let r = 0.5 * c * (m.var_y + m.mean_y * m.mean_y);
        let (a, b) = pair;
        let rest: Vec<usize> = (0..=d).filter(|&k| k != a && k != b).collect();
        let block = |rows: &[usize], cols: &[usize]| DMatrix::from_fn(rows.len(), cols.len(), |i, j| h[(rows[i], cols[j])]);
        let p = [a, b];
        let (mut s2, mut q2, mut r2) = (block(&p, &p), DVector::from_fn(2, |i, _| q[p[i]]), r);
        if rest.is_empty() {
            return (self.grid(&s2, &q2, r2, pair, ranges, cells), Others::Profile);
        }
        match (l1 == 0.0).then(|| block(&rest, &rest).cholesky()).flatten() {
            Some(ch) => {
                // min over θ_O of ½θᵀHθ − qᵀθ: θ_O = H_OO⁻¹(q_O − H_OP θ_P).
                let h_op = block(&rest, &p);
                let q_o = DVector::from_fn(rest.len(), |i, _| q[rest[i]]);
                let inv_h_op = ch.solve(&h_op);
                let inv_q_o = ch.solve(&q_o);
                s2 -= h_op.transpose() * &inv_h_op;
                q2 -= h_op.transpose() * &inv_q_o;
                r2 -= 0.5 * q_o.dot(&inv_q_o);
                (self.grid(&s2, &q2, r2, pair, ranges, cells), Others::Profile)
            }
            None => {
                // The others held at θ*: their terms are constants and a linear term in θ_P.
                let t_o = DVector::from_fn(rest.len(), |i, _| optimum[rest[i]]);
                let h_po = block(&p, &rest);
                let h_oo = block(&rest, &rest);
                let q_o = DVector::from_fn(rest.len(), |i, _| q[rest[i]]);
                q2 -= h_po * &t_o;
                r2 += 0.5 * t_o.dot(&(h_oo * &t_o)) - q_o.dot(&t_o) + l1 * rest.iter().filter(|&&k| k > 0).map(|&k| optimum[k].abs()).sum::<f64>();
                (self.grid(&s2, &q2, r2, pair, ranges, cells), Others::AtOptimum)
            }
        }
    }

    /// ½pᵀSp − qᵀp + r + l1·(|slopes of p|) over the grid.
    fn grid(&self, s: &DMatrix<f64>, q: &DVector<f64>, r: f64, pair: (usize, usize), ranges: [[f64; 2]; 2], cells: usize) -> Vec<f64> {
        let l1 = self.regularization.l1_weight();
        let (wa, wb) = (if pair.0 > 0 { l1 } else { 0.0 }, if pair.1 > 0 { l1 } else { 0.0 });
        let step = [(ranges[0][1] - ranges[0][0]) / cells as f64, (ranges[1][1] - ranges[1][0]) / cells as f64];
        let mut values = Vec::with_capacity(cells * cells);
        for row in 0..cells {
            let y = ranges[1][0] + (row as f64 + 0.5) * step[1];
            for col in 0..cells {
                let x = ranges[0][0] + (col as f64 + 0.5) * step[0];
                let quadratic = 0.5 * (s[(0, 0)] * x * x + 2.0 * s[(0, 1)] * x * y + s[(1, 1)] * y * y) - q[0] * x - q[1] * y + r;
                values.push(quadratic.max(0.0) + wa * x.abs() + wb * y.abs());
            }
        }
        values
    }
}

/// Solves a·β = b over the features `spread` (the others get 0), scaled to a unit diagonal (the
/// correlation matrix when `a` is a covariance): raw powers of x differ by many orders of
/// magnitude in scale, which the scaling removes, so that only a real dependence among the
/// features looks singular. Cholesky, or the eigen-decomposition when it fails. Returns β and
/// the scaled matrix's κ, or the (1-based) features that are collinear.
fn solve_scaled(a: &DMatrix<f64>, b: &DVector<f64>, spread: &[usize]) -> std::result::Result<(DVector<f64>, f64), Vec<usize>> {
    let root: Vec<f64> = spread.iter().map(|&j| a[(j, j)].sqrt()).collect();
    let scaled = DMatrix::from_fn(spread.len(), spread.len(), |r, k| a[(spread[r], spread[k])] / (root[r] * root[k]));
    let eigen = SymmetricEigen::new(scaled.clone());
    let (lo, hi) = eigen.eigenvalues.iter().fold((f64::INFINITY, 0.0f64), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    // Singular when the smallest eigenvalue is rounding next to the largest (or NaN).
    let floor = 0.5 * spread.len() as f64 * f64::EPSILON * hi;
    if lo.partial_cmp(&floor) != Some(std::cmp::Ordering::Greater) {
        let mut features = Vec::new();
        for (i, &v) in eigen.eigenvalues.iter().enumerate() {
            if v <= floor {
                let vector = eigen.eigenvectors.column(i);
                let largest = vector.amax();
                features.extend((0..spread.len()).filter(|&r| vector[r].abs() > 1e-6 * largest).map(|r| spread[r] + 1));
            }
        }
        features.sort_unstable();
        features.dedup();
        return Err(features);
    }
    let rhs = DVector::from_fn(spread.len(), |r, _| b[spread[r]] / root[r]);
    let y = match scaled.clone().cholesky() {
        Some(ch) => ch.solve(&rhs),
        None => eigen.eigenvectors.clone() * DMatrix::from_diagonal(&eigen.eigenvalues.map(|v| 1.0 / v)) * eigen.eigenvectors.transpose() * &rhs,
    };
    let mut beta = DVector::zeros(b.len());
    for (r, &j) in spread.iter().enumerate() {
        beta[j] = y[r] / root[r];
    }
    Ok((beta, if lo > 0.0 { hi / lo } else { f64::INFINITY }))
}

/// Minimizes ½βᵀ(G + λ₂I)β − bᵀβ + l1·‖β‖₁ (G = cΣ, b = c·s) by cyclic coordinate descent,
/// βⱼ ← S(bⱼ − Σ_{k≠j} A_jk·β_k, l1)/A_jj with A = G + λ₂I (0 for A_jj = 0), until the duality
/// gap is at most [`GAP_TOLERANCE`] × `v` (v = c·var(y)) and a sweep moves no coefficient by
/// more than 4 units in the last place (the optimality conditions then hold to rounding), or
/// 100,000 sweeps.
fn coordinate_descent(g: &DMatrix<f64>, l2: f64, b: &DVector<f64>, l1: f64, v: f64) -> DVector<f64> {
    let d = b.len();
    let a = g + DMatrix::identity(d, d) * l2;
    let mut beta = DVector::zeros(d);
    // The gradient of the smooth part, Aβ − b, kept up to date.
    let mut gradient: DVector<f64> = -b.clone();
    for _ in 0..100_000 {
        let mut moved = 0.0f64;
        for j in 0..d {
            let ajj: f64 = a[(j, j)];
            let old: f64 = beta[j];
            let new = if ajj > 0.0 { soft_threshold(-(gradient[j] - ajj * old), l1) / ajj } else { 0.0 };
            if new != old {
                let change = new - old;
                for k in 0..d {
                    gradient[k] += a[(k, j)] * change;
                }
                beta[j] = new;
                moved = moved.max(change.abs() / (4.0 * f64::EPSILON * new.abs().max(f64::MIN_POSITIVE)));
            }
        }
        if moved <= 1.0 && duality_gap(g, l2, b, l1, &beta, v) <= GAP_TOLERANCE * v.max(f64::MIN_POSITIVE) {
            break;
        }
    }
    beta
}

/// The duality gap at β of min ½βᵀGβ − bᵀβ + ½v + l1·‖β‖₁ + ½λ₂‖β‖²: scikit-learn's
/// elastic-net gap (`enet_coordinate_descent`) in the Gram form, ‖r‖² → βᵀGβ − 2bᵀβ + v,
/// Xᵀr → b − Gβ, rᵀy → v − bᵀβ. It is ≥ 0, 0 at the optimum, and bounds the primal's excess.
fn duality_gap(g: &DMatrix<f64>, l2: f64, b: &DVector<f64>, l1: f64, beta: &DVector<f64>, v: f64) -> f64 {
    let residual_norm2 = (beta.dot(&(g * beta)) - 2.0 * b.dot(beta) + v).max(0.0);
    let xt_a = b - g * beta - beta * l2;
    let dual_norm = xt_a.amax();
    let (constant, a_norm2) = if dual_norm > l1 {
        let c = l1 / dual_norm;
        (c, residual_norm2 * c * c)
    } else {
        (1.0, residual_norm2)
    };
    let ry = v - b.dot(beta);
    0.5 * (residual_norm2 + a_norm2) + l1 * beta.iter().map(|x| x.abs()).sum::<f64>() - constant * ry
        + 0.5 * l2 * (1.0 + constant * constant) * beta.norm_squared()
}
