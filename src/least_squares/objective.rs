//! The objective J(θ), its gradient, Hessian, exact optimum and surface grid, all from the
//! sufficient statistics: O(d²) per evaluation, never a pass over the data.
//!
//! The model is ŷ = θ0 + Σⱼ θⱼ·φⱼ (j = 1..d; for a line d = 1 and φ1 = x). With c = 1 for the
//! `half-mse` convention and c = 2 for `mse` (PyTorch's `nn.MSELoss`),
//! J(θ) = c/(2n)·Σ(ŷᵢ − yᵢ)² + R(θ1..θd), the intercept θ0 never penalized, with R = 0 (none),
//! (λ/2)·Σθⱼ² (L2), λ·Σ|θⱼ| (L1), λ·(ρ·Σ|θⱼ| + (1−ρ)/2·Σθⱼ²) (elastic net). For c = 1 these
//! are scikit-learn's LinearRegression, Ridge(alpha = n·λ), Lasso(alpha = λ) and
//! ElasticNet(alpha = λ, l1_ratio = ρ).
//!
//! One feature has closed forms (the 2×2 Hessian's eigenvalues, θ1* = S(c·Sxy, λ1)/(c·Sxx + λ2));
//! several use nalgebra (`SymmetricEigen`, the scaled normal equations, coordinate descent).

use crate::param::{param, Named, Param};
use crate::error::{Error, Range, Result};
use crate::least_squares::features::{LossConvention, MAX_FEATURES};
use crate::least_squares::solve::{coordinate_descent, soft_threshold, solve_scaled, solve_semidefinite, NoUniqueOptimum};
use crate::least_squares::stats::SufficientStats;
use nalgebra::{DMatrix, DVector, SymmetricEigen};
use serde::{Deserialize, Serialize};

/// Most parameters a model has: the intercept and [`MAX_FEATURES`] slopes.
pub const MAX_PARAMS: usize = MAX_FEATURES + 1;

/// The parameters θ = (θ0, θ1, …, θd) of a model, θ0 the intercept: d + 1 values, at most
/// [`MAX_PARAMS`], kept inline (a `Copy` value, no allocation). `Theta::new(θ0, θ1)` is a line.
#[derive(Clone, Copy)]
pub struct Theta {
    len: usize,
    values: [f64; MAX_PARAMS],
}

impl Theta {
    /// The line's θ = (theta0, theta1).
    pub const fn new(theta0: f64, theta1: f64) -> Self {
        let mut values = [0.0; MAX_PARAMS];
        values[0] = theta0;
        values[1] = theta1;
        Theta { len: 2, values }
    }
    /// `len` zeros (2 ≤ len ≤ [`MAX_PARAMS`], clamped into that range).
    pub fn zeros(len: usize) -> Self {
        Theta { len: len.clamp(2, MAX_PARAMS), values: [0.0; MAX_PARAMS] }
    }
    /// θ from its values, θ0 first: 2 to [`MAX_PARAMS`] of them, else the error naming `name`.
    pub fn from_slice(name: &'static str, values: &[f64]) -> Result<Self> {
        Range::IntegerIn { lo: 2.0, hi: MAX_PARAMS as f64 }.check_count(name, values.len() as u64)?;
        let mut theta = Theta::zeros(values.len());
        theta.values[..values.len()].copy_from_slice(values);
        Ok(theta)
    }
    /// Number of parameters d + 1.
    #[inline(always)]
    pub fn len(&self) -> usize {
        self.len
    }
    /// Never true: θ has an intercept and at least one slope.
    pub fn is_empty(&self) -> bool {
        false
    }
    /// The values, θ0 first.
    #[inline(always)]
    pub fn as_slice(&self) -> &[f64] {
        &self.values[..self.len]
    }
    /// The values, θ0 first, to change.
    #[inline(always)]
    pub fn as_mut_slice(&mut self) -> &mut [f64] {
        &mut self.values[..self.len]
    }
    /// The slopes θ1..θd.
    #[inline(always)]
    pub fn slopes(&self) -> &[f64] {
        &self.values[1..self.len]
    }
    /// True when every parameter is finite.
    pub fn is_finite(&self) -> bool {
        self.as_slice().iter().all(|v| v.is_finite())
    }
    /// Euclidean norm: hypot for two values (a line: hypot(θ0, θ1)); for more, √(Σv²) while no
    /// square can overflow or underflow, hypot's fold otherwise.
    pub fn norm(&self) -> f64 {
        let values = self.as_slice();
        if values.len() > 2 {
            // √(Σv²) directly while no square can overflow or underflow (hypot's care costs a
            // libm call per coordinate, and this runs after every update).
            let largest = values.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
            if (1e-150..=1e150).contains(&largest) {
                return values.iter().map(|v| v * v).sum::<f64>().sqrt();
            }
        }
        values[1..].iter().fold(values[0].abs(), |acc, &v| acc.hypot(v))
    }
    /// θ with each value mapped by `f`.
    pub fn map(&self, mut f: impl FnMut(f64) -> f64) -> Theta {
        let mut out = *self;
        for v in out.as_mut_slice() {
            *v = f(*v);
        }
        out
    }
    /// The coordinates `pair` (indices, θ0 = 0) as a point of the plane.
    pub fn pair(&self, pair: (usize, usize)) -> (f64, f64) {
        (self.get(pair.0), self.get(pair.1))
    }
    /// The two coefficients `axes` as a point of their plane (a line's θ itself for (0, 1)).
    pub fn shown(&self, axes: (usize, usize)) -> Theta {
        Theta::new(self.get(axes.0), self.get(axes.1))
    }
    /// θₖ, or NaN past the end.
    pub fn get(&self, k: usize) -> f64 {
        if k < self.len { self.values[k] } else { f64::NAN }
    }
}

impl Default for Theta {
    /// The line's θ = (0, 0).
    fn default() -> Self {
        Theta::zeros(2)
    }
}

/// θₖ for k < len (past the end, in a release build, the unused zeros: never a panic).
impl std::ops::Index<usize> for Theta {
    type Output = f64;
    #[inline(always)]
    fn index(&self, k: usize) -> &f64 {
        debug_assert!(k < self.len, "θ{k} of {} parameters", self.len);
        &self.values[k]
    }
}

impl std::ops::IndexMut<usize> for Theta {
    #[inline(always)]
    fn index_mut(&mut self, k: usize) -> &mut f64 {
        debug_assert!(k < self.len, "θ{k} of {} parameters", self.len);
        &mut self.values[k]
    }
}

impl PartialEq for Theta {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl std::fmt::Debug for Theta {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.as_slice()).finish()
    }
}

/// θ serializes as `{theta0, theta1, theta: [θ0, …, θd]}`: the line's two names, which every
/// front end reads, and the whole vector.
impl Serialize for Theta {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Theta", 3)?;
        s.serialize_field("theta0", &self.values[0])?;
        s.serialize_field("theta1", &self.values[1])?;
        s.serialize_field("theta", self.as_slice())?;
        s.end()
    }
}

impl<'de> Deserialize<'de> for Theta {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Parts {
            theta0: f64,
            theta1: f64,
            theta: Option<Vec<f64>>,
        }
        let parts = Parts::deserialize(deserializer)?;
        match parts.theta {
            Some(values) => Theta::from_slice("start", &values).map_err(serde::de::Error::custom),
            None => Ok(Theta::new(parts.theta0, parts.theta1)),
        }
    }
}

/// The penalty R on the slopes θ1..θd (never on the intercept θ0).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Regularization {
    /// R = 0.
    None,
    /// Ridge: R = (λ/2)·Σθⱼ².
    L2 { lambda: f64 },
    /// Lasso: R = λ·Σ|θⱼ|.
    L1 { lambda: f64 },
    /// Elastic net: R = λ·(ρ·Σ|θⱼ| + (1−ρ)/2·Σθⱼ²), ρ = `l1_ratio` ∈ [0, 1].
    ElasticNet { lambda: f64, l1_ratio: f64 },
}

impl Regularization {
    /// Builds and validates a regularization from its name ("none", "l1", "l2", "elastic-net"),
    /// λ ≥ 0 and ρ ∈ [0, 1] (ρ is only read for the elastic net).
    pub fn from_parts(name: &str, lambda: f64, l1_ratio: f64) -> Result<Self> {
        let reg = match RegularizationEntry::named(name)?.name {
            "l1" => Regularization::L1 { lambda },
            "l2" => Regularization::L2 { lambda },
            "elastic-net" => Regularization::ElasticNet { lambda, l1_ratio },
            _ => Regularization::None,
        };
        reg.validate()?;
        Ok(reg)
    }

    /// Checks λ and ρ against their catalogue entries (λ ∈ [0, 1e6], ρ ∈ [0, 1]).
    pub fn validate(&self) -> Result<()> {
        match *self {
            Regularization::None => Ok(()),
            Regularization::L1 { lambda } | Regularization::L2 { lambda } => LAMBDA.check(lambda).map(|_| ()),
            Regularization::ElasticNet { lambda, l1_ratio } => {
                LAMBDA.check(lambda)?;
                L1_RATIO.check(l1_ratio).map(|_| ())
            }
        }
    }

    /// The name used by the command line and the URL.
    pub fn name(&self) -> &'static str {
        match self {
            Regularization::None => "none",
            Regularization::L1 { .. } => "l1",
            Regularization::L2 { .. } => "l2",
            Regularization::ElasticNet { .. } => "elastic-net",
        }
    }

    /// λ (0 for none).
    pub fn lambda(&self) -> f64 {
        match *self {
            Regularization::None => 0.0,
            Regularization::L1 { lambda } | Regularization::L2 { lambda } => lambda,
            Regularization::ElasticNet { lambda, .. } => lambda,
        }
    }

    /// Weight of the L1 part, λ1 = λ·ρ (ρ = 1 for L1, 0 for L2).
    pub fn l1_weight(&self) -> f64 {
        match *self {
            Regularization::None | Regularization::L2 { .. } => 0.0,
            Regularization::L1 { lambda } => lambda,
            Regularization::ElasticNet { lambda, l1_ratio } => lambda * l1_ratio,
        }
    }

    /// Weight of the L2 part, λ2 = λ·(1 − ρ), so that the smooth penalty is (λ2/2)·Σθⱼ².
    pub fn l2_weight(&self) -> f64 {
        match *self {
            Regularization::None | Regularization::L1 { .. } => 0.0,
            Regularization::L2 { lambda } => lambda,
            Regularization::ElasticNet { lambda, l1_ratio } => lambda * (1.0 - l1_ratio),
        }
    }

    /// R of the slopes θ1..θd: λ1·Σ|θⱼ| + Σ(λ2/2)·θⱼ².
    pub fn penalty(&self, slopes: &[f64]) -> f64 {
        let (l1, l2) = (self.l1_weight(), self.l2_weight());
        let (mut absolute, mut square) = (slopes[0].abs(), 0.5 * l2 * slopes[0] * slopes[0]);
        for &t in &slopes[1..] {
            absolute += t.abs();
            square += 0.5 * l2 * t * t;
        }
        l1 * absolute + square
    }
}

/// sign with sign(0) = 0, as used for the L1 subgradient.
pub fn sign0(v: f64) -> f64 {
    if v > 0.0 {
        1.0
    } else if v < 0.0 {
        -1.0
    } else {
        0.0
    }
}

/// The exact minimizer θ* and J(θ*).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Optimum {
    /// θ*.
    pub theta: Theta,
    /// J(θ*).
    pub loss: f64,
    /// κ of the matrix the normal equations solved (cΣ + λ₂I scaled to a unit diagonal; 1 for
    /// one feature): above 1e12 the digits of θ* past the first few are rounding.
    pub solve_condition: f64,
}

/// How [`Objective::surface_of`] set the coefficients it does not show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Others {
    /// At their best for each point of the surface (the objective is smooth), or there are none.
    Profile,
    /// At their values in θ* (the objective has an L1 part).
    AtOptimum,
}

/// The largest eigenvalue of the symmetric 2×2 [[a, b], [b, c]], m + √(((a − c)/2)² + b²) with
/// m = (a + c)/2, and its unit eigenvector: (b, λ − a) or (λ − c, b), whichever is longer (the
/// more exact), or (1, 0) when both vanish.
fn largest_eigen(a: f64, b: f64, c: f64) -> (f64, [f64; 2]) {
    let lambda = 0.5 * (a + c) + (0.5 * (a - c)).hypot(b);
    let u = [b, lambda - a];
    let w = [lambda - c, b];
    let v = if u[0].hypot(u[1]) >= w[0].hypot(w[1]) { u } else { w };
    let norm = v[0].hypot(v[1]);
    (lambda, if norm > 0.0 { [v[0] / norm, v[1] / norm] } else { [1.0, 0.0] })
}

/// J as a function of two coefficients, the others fixed by [`Objective::pair_loss`].
#[derive(Debug, Clone, Copy)]
pub enum PairLoss<'a> {
    /// The objective itself: a line's (θ0, θ1).
    Whole(&'a Objective),
    /// ½pᵀHp − qᵀp + r + Σ l1ᵢ·|pᵢ| in the shown coefficients p.
    Plane { hessian: [[f64; 2]; 2], linear: [f64; 2], constant: f64, l1: [f64; 2] },
}

impl PairLoss<'_> {
    /// J at (x, y) of the two coefficients. O(1).
    #[inline]
    pub fn loss(&self, x: f64, y: f64) -> f64 {
        match self {
            PairLoss::Whole(objective) => objective.loss(Theta::new(x, y)),
            PairLoss::Plane { hessian: s, linear: q, constant: r, l1 } => {
                let quadratic = 0.5 * (s[0][0] * x * x + 2.0 * s[0][1] * x * y + s[1][1] * y * y) - q[0] * x - q[1] * y + r;
                quadratic.max(0.0) + l1[0] * x.abs() + l1[1] * y.abs()
            }
        }
    }

    /// The unit directions of least and of most curvature in the plane of the two coefficients
    /// (the eigenvectors of the Hessian of this function's smooth part), least first.
    pub fn directions(&self) -> [Theta; 2] {
        match self {
            PairLoss::Whole(objective) => objective.curvature().extreme_eigenvectors(),
            PairLoss::Plane { hessian: s, .. } => {
                let (_, v_max) = largest_eigen(s[0][0], s[0][1], s[1][1]);
                [Theta::new(-v_max[1], v_max[0]), Theta::new(v_max[0], v_max[1])]
            }
        }
    }
}

/// The Hessian of the smooth part and what follows from it for gradient descent.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Curvature {
    /// H = c·[[1, φ̄ᵀ], [φ̄, E[φφᵀ]]] + λ2·diag(0, 1, …, 1), row-major, (d + 1)² values; for a
    /// line [[1, x̄], [x̄, mean(x²) + λ2]] (c = 1).
    pub hessian: Vec<f64>,
    /// Every eigenvalue of H in ascending order (≥ 0).
    pub spectrum: Vec<f64>,
    /// Unit eigenvectors, one per eigenvalue of `spectrum`, in its order.
    pub eigenvectors: Vec<Theta>,
    /// `[λ_min, λ_max]`.
    pub eigenvalues: [f64; 2],
    /// κ = λ_max/λ_min; `None` when λ_min = 0 (infinite).
    pub condition_number: Option<f64>,
    /// η_crit = 2/λ_max: full-batch GD converges for η < η_crit and diverges for η > η_crit.
    pub lr_critical: f64,
    /// 2/(λ_min + λ_max): the constant rate with the fastest worst-case contraction,
    /// (κ − 1)/(κ + 1) per step.
    pub lr_optimal: f64,
    /// 1/λ_max: below it the error shrinks monotonically along every eigen-direction (no
    /// overshoot).
    pub lr_monotone: f64,
}

impl Curvature {
    /// The unit eigenvectors of λ_min and λ_max.
    pub fn extreme_eigenvectors(&self) -> [Theta; 2] {
        [self.eigenvectors[0], self.eigenvectors[self.eigenvectors.len() - 1]]
    }
}

/// J(θ) for one data set (through its sufficient statistics), one regularization and one loss
/// convention.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Objective {
    stats: SufficientStats,
    regularization: Regularization,
    loss: LossConvention,
}

impl Objective {
    /// Objective of the data summarized by `stats` with `regularization` (validated), in the
    /// `half-mse` convention.
    pub fn new(stats: SufficientStats, regularization: Regularization) -> Result<Self> {
        Self::with_loss(stats, regularization, LossConvention::HalfMse)
    }

    /// Objective of `stats` with `regularization` (validated) in the convention `loss`.
    pub fn with_loss(stats: SufficientStats, regularization: Regularization, loss: LossConvention) -> Result<Self> {
        regularization.validate()?;
        Ok(Objective { stats, regularization, loss })
    }

    /// The sufficient statistics.
    pub fn stats(&self) -> &SufficientStats {
        &self.stats
    }
    /// The regularization.
    pub fn regularization(&self) -> Regularization {
        self.regularization
    }
    /// The loss convention.
    pub fn loss_convention(&self) -> LossConvention {
        self.loss
    }
    /// Number of parameters d + 1.
    pub fn params(&self) -> usize {
        self.stats.d + 1
    }
    /// The same data term without regularization.
    pub fn unregularized(&self) -> Objective {
        Objective { regularization: Regularization::None, ..*self }
    }
    /// The same objective with another regularization.
    pub fn with_regularization(&self, regularization: Regularization) -> Objective {
        Objective { regularization, ..*self }
    }

    /// `theta` when it has d + 1 finite values, else the error naming `name`.
    pub fn check_theta(&self, name: &'static str, theta: Theta) -> Result<Theta> {
        if theta.len() == self.params() && theta.is_finite() {
            Ok(theta)
        } else {
            Err(Error::invalid(name, crate::error::values_text(theta.as_slice()), Range::Coordinates { count: self.params() }))
        }
    }

    /// a = θ0 + φ̄ᵀβ − ȳ, the mean residual.
    #[inline(always)]
    fn mean_residual(&self, theta: &Theta) -> f64 {
        let s = &self.stats;
        if s.d == 1 {
            return theta[0] + theta[1] * s.mean[0] - s.mean_y;
        }
        let mut sum = theta[0];
        for j in 0..s.d {
            sum += theta[j + 1] * s.mean[j];
        }
        sum - s.mean_y
    }

    /// (Σu)ⱼ for the slopes-like vector `u`.
    #[inline(always)]
    fn cov_times(&self, j: usize, u: &[f64]) -> f64 {
        let row = &self.stats.cov[j];
        let mut sum = row[0] * u[0];
        for k in 1..self.stats.d {
            sum += row[k] * u[k];
        }
        sum
    }

    /// The data term c/(2n)·Σ r_i², in O(d²): c/2·(a² + (β − β̂)ᵀΣ(β − β̂) + rss) (see
    /// [`SufficientStats`]), or c/2·(a² + βᵀΣβ − 2βᵀs + v) when Σ is singular.
    pub fn data_loss(&self, theta: Theta) -> f64 {
        let s = &self.stats;
        let d = s.d;
        let a = self.mean_residual(&theta);
        if d == 1 {
            // The line's form of the same sums, term for term.
            let inner = match &s.least_squares {
                Some(fit) => {
                    let e = theta[1] - fit[0];
                    a * a + s.cov[0][0] * e * e + s.rss
                }
                None => {
                    let b = theta[1];
                    let mut centred = s.cov[0][0] * b * b - 2.0 * (b * s.cov_y[0]) + s.var_y;
                    if centred < 0.0 {
                        centred = 0.0;
                    }
                    a * a + centred
                }
            };
            return 0.5 * (self.loss.factor() * inner);
        }
        let beta = theta.slopes();
        let inner = match &s.least_squares {
            Some(fit) => {
                let mut e = [0.0; MAX_FEATURES];
                for j in 0..d {
                    e[j] = beta[j] - fit[j];
                }
                let mut quadratic = self.cov_times(0, &e) * e[0];
                for j in 1..d {
                    quadratic += self.cov_times(j, &e) * e[j];
                }
                // Σ is positive semi-definite; rounding may leave a tiny negative (NaN stays).
                if quadratic < 0.0 {
                    quadratic = 0.0;
                }
                a * a + quadratic + s.rss
            }
            None => {
                let (mut quadratic, mut linear) = (self.cov_times(0, beta) * beta[0], beta[0] * s.cov_y[0]);
                for j in 1..d {
                    quadratic += self.cov_times(j, beta) * beta[j];
                    linear += beta[j] * s.cov_y[j];
                }
                let mut centred = quadratic - 2.0 * linear + s.var_y;
                if centred < 0.0 {
                    centred = 0.0;
                }
                a * a + centred
            }
        };
        0.5 * (self.loss.factor() * inner)
    }

    /// J(θ) = data term + R(θ1..θd).
    pub fn loss(&self, theta: Theta) -> f64 {
        self.data_loss(theta) + self.regularization.penalty(theta.slopes())
    }

    /// Gradient of the data term: ∂/∂θ0 = c·a, ∂/∂θⱼ = c·((Σβ)ⱼ − sⱼ + φ̄ⱼ·a); for a line
    /// mean(r) and mean(r·x).
    pub fn data_gradient(&self, theta: Theta) -> Theta {
        let s = &self.stats;
        let c = self.loss.factor();
        let a = self.mean_residual(&theta);
        let mut g = theta;
        g[0] = c * a;
        if s.d == 1 {
            g[1] = c * (s.cov[0][0] * theta[1] - s.cov_y[0] + s.mean[0] * a);
            return g;
        }
        for j in 0..s.d {
            g[j + 1] = c * (self.cov_times(j, theta.slopes()) - s.cov_y[j] + s.mean[j] * a);
        }
        g
    }

    /// Gradient of the smooth part: the data term plus λ2·θⱼ on each slope.
    #[inline]
    pub fn smooth_gradient(&self, theta: Theta) -> Theta {
        let l2 = self.regularization.l2_weight();
        if self.stats.d == 1 {
            // The line's two partial derivatives, with the same arithmetic as below.
            let s = &self.stats;
            let c = self.loss.factor();
            let a = theta[0] + theta[1] * s.mean[0] - s.mean_y;
            return Theta::new(c * a, c * (s.cov[0][0] * theta[1] - s.cov_y[0] + s.mean[0] * a) + l2 * theta[1]);
        }
        let mut g = self.data_gradient(theta);
        for j in 1..g.len() {
            g[j] += l2 * theta[j];
        }
        g
    }

    /// A subgradient of J: the smooth gradient plus λ1·sign(θⱼ) on each slope, sign(0) = 0.
    pub fn subgradient(&self, theta: Theta) -> Theta {
        let mut g = self.smooth_gradient(theta);
        let l1 = self.regularization.l1_weight();
        for j in 1..g.len() {
            g[j] += l1 * sign0(theta[j]);
        }
        g
    }

    /// The proximal step for the L1 part with step size η: θⱼ ← S(θⱼ, η·λ1) on each slope; θ0
    /// unchanged.
    pub fn prox(&self, theta: Theta, learning_rate: f64) -> Theta {
        let t = learning_rate * self.regularization.l1_weight();
        let mut out = theta;
        for j in 1..out.len() {
            out[j] = soft_threshold(theta[j], t);
        }
        out
    }

    /// The stationarity measure used for convergence and shown as "gradient norm":
    /// ‖∇J(θ)‖ without an L1 part; with one, the norm of the proximal gradient mapping
    /// G_η(θ) = (θ − prox_η(θ − η·∇f(θ)))/η, which is 0 exactly at the optimum.
    pub fn gradient_norm(&self, theta: Theta, learning_rate: f64) -> f64 {
        self.gradient_norm_with(theta, self.smooth_gradient(theta), learning_rate)
    }

    /// [`Objective::gradient_norm`] from `g`, the smooth gradient at `theta` already computed.
    pub fn gradient_norm_with(&self, theta: Theta, g: Theta, learning_rate: f64) -> f64 {
        if self.regularization.l1_weight() == 0.0 {
            return g.norm();
        }
        // G_η written out without forming θ − prox(·) (which cancels to 0 when η·g is below one
        // ulp of θ, e.g. under a decaying schedule): θ0 is not penalized, so G0 = ∇f0; with
        // v = θⱼ − η·∇fⱼ, Gⱼ = θⱼ/η if |v| ≤ η·λ1, else ∇fⱼ + λ1·sign(v). At η = 0 (a schedule
        // decayed to 0) the limit is the minimum-norm subgradient.
        let (eta, l1) = (learning_rate, self.regularization.l1_weight());
        let mut mapped = g;
        for j in 1..g.len() {
            let (t, gj) = (theta[j], g[j]);
            mapped[j] = if eta > 0.0 {
                let v = t - eta * gj;
                if v.abs() <= eta * l1 {
                    t / eta
                } else {
                    gj + l1 * sign0(v)
                }
            } else if t != 0.0 {
                gj + l1 * sign0(t)
            } else {
                soft_threshold(gj, l1)
            };
        }
        mapped.norm()
    }

    /// The exact optimum. With a = 0 at the optimum (θ0 is free), θ0* = ȳ − φ̄ᵀβ*, and β*
    /// minimizes ½βᵀ(cΣ + λ2·I)β − c·sᵀβ + λ1·‖β‖₁. One feature: β* = S(c·Sxy, λ1)/(c·Sxx + λ2).
    /// Several: without an L1 part the normal equations (cΣ + λ2·I)β = c·s scaled to a unit
    /// diagonal, by Cholesky or, when it fails, the eigen-decomposition; with one, coordinate
    /// descent on the covariance form until the duality gap is at most
    /// [`crate::least_squares::solve::GAP_TOLERANCE`] × c·v. Without an L2 part a feature with no spread (when
    /// there is no L1 part either) or collinear features make the optimum not unique; with an
    /// L1 part a feature with no spread gets θⱼ* = 0.
    pub fn optimum(&self) -> std::result::Result<Optimum, NoUniqueOptimum> {
        let s = &self.stats;
        let d = s.d;
        let c = self.loss.factor();
        let (l1, l2) = (self.regularization.l1_weight(), self.regularization.l2_weight());
        let mut theta = Theta::zeros(d + 1);
        let mut solve_condition = 1.0;
        if d == 1 {
            let denominator = c * s.cov[0][0] + l2;
            theta[1] = if denominator > 0.0 {
                soft_threshold(c * s.cov_y[0], l1) / denominator
            } else if l1 > 0.0 {
                0.0
            } else {
                return Err(NoUniqueOptimum::NoSpread { features: vec![1], d });
            };
        } else {
            let a = s.cov_matrix() * c + DMatrix::identity(d, d) * l2;
            let b = s.cov_y_vector() * c;
            let spread: Vec<usize> = (0..d).filter(|&j| a[(j, j)] > 0.0).collect();
            if spread.len() < d && l1 == 0.0 {
                let features = (0..d).filter(|j| !spread.contains(j)).map(|j| j + 1).collect();
                return Err(NoUniqueOptimum::NoSpread { features, d });
            }
            // No feature with spread (only possible with an L1 part, which sets them all to 0):
            // no system to solve.
            let (solution, condition) = if spread.is_empty() {
                (DVector::zeros(d), 1.0)
            } else {
                solve_scaled(&a, &b, &spread).map_err(|features| NoUniqueOptimum::Collinear { features })?
            };
            solve_condition = condition;
            let beta = if l1 > 0.0 { coordinate_descent(&(s.cov_matrix() * c), l2, &b, l1, s.var_y * c) } else { solution };
            theta.as_mut_slice()[1..].copy_from_slice(beta.as_slice());
        }
        let mut fitted = theta[1] * s.mean[0];
        for j in 1..d {
            fitted += theta[j + 1] * s.mean[j];
        }
        theta[0] = s.mean_y - fitted;
        Ok(Optimum { theta, loss: self.loss(theta), solve_condition })
    }

    /// The Hessian of the smooth part as a matrix (see [`Curvature::hessian`]).
    pub fn hessian(&self) -> DMatrix<f64> {
        let s = &self.stats;
        let d = s.d;
        let c = self.loss.factor();
        let l2 = self.regularization.l2_weight();
        let mut h = DMatrix::zeros(d + 1, d + 1);
        h[(0, 0)] = c;
        for j in 0..d {
            h[(0, j + 1)] = c * s.mean[j];
            h[(j + 1, 0)] = c * s.mean[j];
            for k in 0..d {
                h[(j + 1, k + 1)] = c * (s.cov[j][k] + s.mean[j] * s.mean[k]);
            }
            h[(j + 1, j + 1)] += l2;
        }
        h
    }

    /// The Hessian of the smooth part and its eigen-analysis.
    pub fn curvature(&self) -> Curvature {
        if self.stats.d == 1 {
            return self.line_curvature();
        }
        let h = self.hessian();
        let p = h.nrows();
        let eigen = SymmetricEigen::new(h.clone());
        let mut order: Vec<usize> = (0..p).collect();
        order.sort_by(|&a, &b| eigen.eigenvalues[a].total_cmp(&eigen.eigenvalues[b]));
        let spectrum: Vec<f64> = order.iter().map(|&i| eigen.eigenvalues[i].max(0.0)).collect();
        let eigenvectors = order
            .iter()
            .map(|&i| {
                let column: Vec<f64> = eigen.eigenvectors.column(i).iter().copied().collect();
                Theta::from_slice("eigenvector", &column).unwrap_or_default()
            })
            .collect();
        let (lambda_min, lambda_max) = (spectrum[0], spectrum[p - 1]);
        Curvature {
            hessian: h.transpose().iter().copied().collect(),
            spectrum,
            eigenvectors,
            eigenvalues: [lambda_min, lambda_max],
            condition_number: (lambda_min > 0.0).then(|| lambda_max / lambda_min),
            lr_critical: 2.0 / lambda_max,
            lr_optimal: 2.0 / (lambda_min + lambda_max),
            lr_monotone: 1.0 / lambda_max,
        }
    }

    /// The closed form for one feature: H = [[c, c·x̄], [c·x̄, c·mean(x²) + λ2]].
    fn line_curvature(&self) -> Curvature {
        let s = &self.stats;
        let c = self.loss.factor();
        let l2 = self.regularization.l2_weight();
        let (h00, h01, h11) = (c, c * s.mean_x(), c * s.mean_x2() + l2);
        // λ_min from det/λ_max avoids cancellation; det = h00·h11 − h01² = c·(c·Sxx + λ2) exactly.
        let (lambda_max, v_max) = largest_eigen(h00, h01, h11);
        let lambda_min = (c * (c * s.sxx() + l2) / lambda_max).max(0.0);
        // The eigenvectors of a symmetric matrix are orthogonal.
        let v_min = [-v_max[1], v_max[0]];
        Curvature {
            hessian: vec![h00, h01, h01, h11],
            spectrum: vec![lambda_min, lambda_max],
            eigenvectors: vec![Theta::new(v_min[0], v_min[1]), Theta::new(v_max[0], v_max[1])],
            eigenvalues: [lambda_min, lambda_max],
            condition_number: (lambda_min > 0.0).then(|| lambda_max / lambda_min),
            lr_critical: 2.0 / lambda_max,
            lr_optimal: 2.0 / (h00 + h11),
            lr_monotone: 1.0 / lambda_max,
        }
    }

    /// J over a `cells`×`cells` grid of cell centres covering [θ0_lo, θ0_hi]×[θ1_lo, θ1_hi] of
    /// a line, row-major with row 0 at θ1_lo: `values[row·cells + col]`. O(1) per cell. The
    /// surface over (θ0, θ1) of [`Objective::surface_of`].
    pub fn surface(&self, theta0_range: [f64; 2], theta1_range: [f64; 2], cells: usize) -> Vec<f64> {
        self.surface_of((0, 1), [theta0_range, theta1_range], cells).0
    }

    /// J over a `cells × cells` grid of two coefficients `pair` (indices into θ, θ0 = 0, the
    /// first along the columns) at the cell centres of `ranges`, row by row from the low end of
    /// the second, and how the other coefficients were set (see [`Objective::pair_loss`]).
    /// O(1) a cell.
    pub fn surface_of(&self, pair: (usize, usize), ranges: [[f64; 2]; 2], cells: usize) -> (Vec<f64>, Others) {
        let step = [(ranges[0][1] - ranges[0][0]) / cells as f64, (ranges[1][1] - ranges[1][0]) / cells as f64];
        let centre = |i: usize, axis: usize| ranges[axis][0] + (i as f64 + 0.5) * step[axis];
        let (shown, others) = self.pair_loss(pair);
        let mut values = Vec::with_capacity(cells * cells);
        for row in 0..cells {
            let y = centre(row, 1);
            for col in 0..cells {
                values.push(shown.loss(centre(col, 0), y));
            }
        }
        (values, others)
    }

    /// J as a function of the two coefficients `pair` (indices into θ, θ0 = 0), and how the
    /// others are set: at their best for each point (the profile, a quadratic worked out once
    /// from H by a Schur complement) when the objective is smooth, else at their values in θ*.
    /// With no other coefficient (a line and the pair (0, 1)), J itself.
    pub fn pair_loss(&self, pair: (usize, usize)) -> (PairLoss<'_>, Others) {
        let p = self.params();
        let (a, b) = pair;
        let rest: Vec<usize> = (0..p).filter(|&k| k != a && k != b).collect();
        if rest.is_empty() && pair == (0, 1) {
            return (PairLoss::Whole(self), Others::Profile);
        }
        let s = &self.stats;
        let (d, c) = (s.d, self.loss.factor());
        let l1 = self.regularization.l1_weight();
        // J(θ) = ½θᵀHθ − qᵀθ + r + l1·Σ|θⱼ|: q = c·E[zy], r = c/2·E[y²], z = (1, φ).
        let h = self.hessian();
        let mut q = DVector::zeros(d + 1);
        q[0] = c * s.mean_y;
        for j in 0..d {
            q[j + 1] = c * (s.cov_y[j] + s.mean[j] * s.mean_y);
        }
        let r = 0.5 * c * (s.var_y + s.mean_y * s.mean_y);
        let block = |rows: &[usize], cols: &[usize]| DMatrix::from_fn(rows.len(), cols.len(), |i, j| h[(rows[i], cols[j])]);
        let shown = [a, b];
        let (mut s2, mut q2, mut r2) = (block(&shown, &shown), DVector::from_fn(2, |i, _| q[shown[i]]), r);
        let q_o = DVector::from_fn(rest.len(), |i, _| q[rest[i]]);
        let mut others = Others::Profile;
        if !rest.is_empty() {
            if l1 == 0.0 {
                // min over θ_O of ½θᵀHθ − qᵀθ: θ_O = H_OO⁻¹(q_O − H_OP θ_P), with the
                // pseudo-inverse when the others are collinear (then θ_O is not unique,
                // but the minimum is).
                let h_op = block(&rest, &shown);
                let mut right = DMatrix::zeros(rest.len(), 3);
                right.view_mut((0, 0), (rest.len(), 2)).copy_from(&h_op);
                right.set_column(2, &q_o);
                let solved = solve_semidefinite(&block(&rest, &rest), &right);
                let inv_h_op = solved.columns(0, 2).into_owned();
                let inv_q_o: DVector<f64> = solved.column(2).into_owned();
                s2 -= h_op.transpose() * &inv_h_op;
                q2 -= h_op.transpose() * &inv_q_o;
                r2 -= 0.5 * q_o.dot(&inv_q_o);
            } else {
                // The others held at θ*: their terms are constants and a linear term in θ_P.
                let optimum = self.optimum().map(|o| o.theta).unwrap_or(Theta::zeros(p));
                let t_o = DVector::from_fn(rest.len(), |i, _| optimum[rest[i]]);
                q2 -= block(&shown, &rest) * &t_o;
                r2 += 0.5 * t_o.dot(&(block(&rest, &rest) * &t_o)) - q_o.dot(&t_o)
                    + l1 * rest.iter().filter(|&&k| k > 0).map(|&k| optimum[k].abs()).sum::<f64>();
                others = Others::AtOptimum;
            }
        }
        let weights = [if a > 0 { l1 } else { 0.0 }, if b > 0 { l1 } else { 0.0 }];
        let plane = PairLoss::Plane {
            hessian: [[s2[(0, 0)], s2[(0, 1)]], [s2[(1, 0)], s2[(1, 1)]]],
            linear: [q2[0], q2[1]],
            constant: r2,
            l1: weights,
        };
        (plane, others)
    }

    /// θ*(λ) for `count` values of λ from 0 to `lambda_max` (same kind and ρ as the current
    /// regularization), for drawing the regularization path. Skips λ with no unique optimum.
    pub fn regularization_path(&self, lambda_max: f64, count: usize) -> Vec<(f64, Theta)> {
        let count = count.max(2);
        (0..count)
            .filter_map(|i| {
                let lambda = lambda_max * i as f64 / (count - 1) as f64;
                let reg = match self.regularization {
                    Regularization::None => Regularization::None,
                    Regularization::L1 { .. } => Regularization::L1 { lambda },
                    Regularization::L2 { .. } => Regularization::L2 { lambda },
                    Regularization::ElasticNet { l1_ratio, .. } => {
                        Regularization::ElasticNet { lambda, l1_ratio }
                    }
                };
                self.with_regularization(reg).optimum().ok().map(|o| (lambda, o.theta))
            })
            .collect()
    }
}

// The catalogue's entries: each regularization's name, label and parameters, with their
// defaults and valid ranges.

/// Regularization strength λ.
/// The largest regularization strength: far beyond any useful λ, and small enough that λ·θ and
/// λ·θ² stay finite wherever J of the data is.
pub const MAX_LAMBDA: f64 = 1e6;
/// The regularization strength λ.
pub const LAMBDA: Param = param("lambda", "lambda", "lambda", "label.reg-strength", 0.1, Range::Closed { lo: 0.0, hi: MAX_LAMBDA }, None);
/// L1 ratio ρ of the elastic net (scikit-learn's default).
pub const L1_RATIO: Param =
    param("l1Ratio", "l1-ratio", "l1_ratio", "label.l1-ratio", 0.5, Range::Closed { lo: 0.0, hi: 1.0 }, Some(0.05));

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

impl RegularizationEntry {
    /// The regularization called `name`.
    pub fn named(name: &str) -> Result<&'static RegularizationEntry> {
        crate::param::named("regularization", REGULARIZATIONS, name)
    }
}

impl Named for RegularizationEntry {
    fn name(&self) -> &'static str {
        self.name
    }
}
