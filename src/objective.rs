//! The objective J(θ), its gradient, Hessian, exact optimum and surface grid, all from the
//! sufficient statistics: O(1) per evaluation, never a pass over the data.
//!
//! J(θ) = 1/(2n)·Σ (θ0 + θ1·x_i − y_i)² + R(θ1), the intercept θ0 never penalized, with
//! R = 0 (none), (λ/2)·θ1² (L2), λ·|θ1| (L1), λ·(ρ·|θ1| + (1−ρ)/2·θ1²) (elastic net).
//! These are scikit-learn's Lasso(alpha=λ), ElasticNet(alpha=λ, l1_ratio=ρ) and
//! Ridge(alpha=n·λ).

use crate::data::SufficientStats;
use crate::catalog::{self, L1_RATIO, LAMBDA};
use crate::error::Result;
use serde::{Deserialize, Serialize};

/// Parameters (θ0, θ1) of the line ŷ = θ0 + θ1·x.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Theta {
    /// Intercept θ0.
    pub theta0: f64,
    /// Slope θ1.
    pub theta1: f64,
}

impl Theta {
    /// θ = (theta0, theta1).
    pub const fn new(theta0: f64, theta1: f64) -> Self {
        Theta { theta0, theta1 }
    }
    /// True when both parameters are finite.
    pub fn is_finite(&self) -> bool {
        self.theta0.is_finite() && self.theta1.is_finite()
    }
    /// Euclidean norm.
    pub fn norm(&self) -> f64 {
        self.theta0.hypot(self.theta1)
    }
}

/// The penalty R(θ1) on the slope.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Regularization {
    /// R = 0.
    None,
    /// Ridge: R = (λ/2)·θ1².
    L2 { lambda: f64 },
    /// Lasso: R = λ·|θ1|.
    L1 { lambda: f64 },
    /// Elastic net: R = λ·(ρ·|θ1| + (1−ρ)/2·θ1²), ρ = `l1_ratio` ∈ [0, 1].
    ElasticNet { lambda: f64, l1_ratio: f64 },
}

impl Regularization {
    /// Builds and validates a regularization from its name ("none", "l1", "l2", "elastic-net"),
    /// λ ≥ 0 and ρ ∈ [0, 1] (ρ is only read for the elastic net).
    pub fn from_parts(name: &str, lambda: f64, l1_ratio: f64) -> Result<Self> {
        let reg = match catalog::regularization(name)?.name {
            "l1" => Regularization::L1 { lambda },
            "l2" => Regularization::L2 { lambda },
            "elastic-net" => Regularization::ElasticNet { lambda, l1_ratio },
            _ => Regularization::None,
        };
        reg.validate()?;
        Ok(reg)
    }

    /// Checks λ and ρ against their catalogue entries (λ ≥ 0 finite, ρ ∈ [0, 1]).
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

    /// Weight of the L2 part, λ2 = λ·(1 − ρ), so that the smooth penalty is (λ2/2)·θ1².
    pub fn l2_weight(&self) -> f64 {
        match *self {
            Regularization::None | Regularization::L1 { .. } => 0.0,
            Regularization::L2 { lambda } => lambda,
            Regularization::ElasticNet { lambda, l1_ratio } => lambda * (1.0 - l1_ratio),
        }
    }

    /// R(θ1).
    pub fn penalty(&self, theta1: f64) -> f64 {
        self.l1_weight() * theta1.abs() + 0.5 * self.l2_weight() * theta1 * theta1
    }
}

/// Soft-threshold S(v, t) = sign(v)·max(|v| − t, 0), the proximal map of t·|·|.
pub fn soft_threshold(v: f64, t: f64) -> f64 {
    if v > t {
        v - t
    } else if v < -t {
        v + t
    } else {
        0.0
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
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Optimum {
    /// θ*.
    pub theta: Theta,
    /// J(θ*).
    pub loss: f64,
}

/// Why there is no unique optimum.
#[derive(Debug, Clone, PartialEq)]
pub struct NotUnique;

impl std::fmt::Display for NotUnique {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(
            "the optimum is not unique: x has no spread (all x values are equal) and there is no \
             regularization, so every line through (x̄, ȳ) fits equally well",
        )
    }
}

/// The Hessian of the smooth part and what follows from it for gradient descent.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Curvature {
    /// H = [[1, x̄], [x̄, mean(x²) + λ2]] as `[h00, h01, h11]`.
    pub hessian: [f64; 3],
    /// Eigenvalues `[λ_min, λ_max]` of H (λ_min ≥ 0).
    pub eigenvalues: [f64; 2],
    /// Unit eigenvectors `[v_min, v_max]`, each `[d_theta0, d_theta1]`.
    pub eigenvectors: [[f64; 2]; 2],
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

/// J(θ) for one data set (through its sufficient statistics) and one regularization.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Objective {
    stats: SufficientStats,
    regularization: Regularization,
}

impl Objective {
    /// Objective of the data summarized by `stats` with `regularization` (validated).
    pub fn new(stats: SufficientStats, regularization: Regularization) -> Result<Self> {
        regularization.validate()?;
        Ok(Objective { stats, regularization })
    }

    /// The sufficient statistics.
    pub fn stats(&self) -> &SufficientStats {
        &self.stats
    }
    /// The regularization.
    pub fn regularization(&self) -> Regularization {
        self.regularization
    }
    /// The same data term without regularization.
    pub fn unregularized(&self) -> Objective {
        Objective { stats: self.stats, regularization: Regularization::None }
    }

    /// a = θ0 + θ1·x̄ − ȳ, the mean residual.
    fn mean_residual(&self, theta: Theta) -> f64 {
        theta.theta0 + theta.theta1 * self.stats.mean_x - self.stats.mean_y
    }

    /// The data term 1/(2n)·Σ r_i², in O(1): ½·(a² + Sxx·(θ1 − β)² + rss) (see
    /// [`SufficientStats`]), or ½·(a² + Syy) when all x are equal.
    pub fn data_loss(&self, theta: Theta) -> f64 {
        let s = &self.stats;
        let a = self.mean_residual(theta);
        if s.sxx > 0.0 {
            let beta = s.sxy / s.sxx;
            let d = theta.theta1 - beta;
            0.5 * (a * a + s.sxx * d * d + s.rss_ols)
        } else {
            0.5 * (a * a + s.syy)
        }
    }

    /// J(θ) = data term + R(θ1).
    pub fn loss(&self, theta: Theta) -> f64 {
        self.data_loss(theta) + self.regularization.penalty(theta.theta1)
    }

    /// Gradient of the data term: ∂/∂θ0 = mean(r) = a, ∂/∂θ1 = mean(r·x) = Sxx·θ1 − Sxy + x̄·a.
    pub fn data_gradient(&self, theta: Theta) -> Theta {
        let s = &self.stats;
        let a = self.mean_residual(theta);
        Theta::new(a, s.sxx * theta.theta1 - s.sxy + s.mean_x * a)
    }

    /// Gradient of the smooth part: the data term plus λ2·θ1.
    pub fn smooth_gradient(&self, theta: Theta) -> Theta {
        let g = self.data_gradient(theta);
        Theta::new(g.theta0, g.theta1 + self.regularization.l2_weight() * theta.theta1)
    }

    /// A subgradient of J: the smooth gradient plus λ1·sign(θ1), with sign(0) = 0.
    pub fn subgradient(&self, theta: Theta) -> Theta {
        let g = self.smooth_gradient(theta);
        Theta::new(g.theta0, g.theta1 + self.regularization.l1_weight() * sign0(theta.theta1))
    }

    /// The proximal step for the L1 part with step size η: θ1 ← S(θ1, η·λ1); θ0 unchanged.
    pub fn prox(&self, theta: Theta, learning_rate: f64) -> Theta {
        let t = learning_rate * self.regularization.l1_weight();
        Theta::new(theta.theta0, soft_threshold(theta.theta1, t))
    }

    /// The stationarity measure used for convergence and shown as "gradient norm":
    /// ‖∇J(θ)‖ without an L1 part; with one, the norm of the proximal gradient mapping
    /// G_η(θ) = (θ − prox_η(θ − η·∇f(θ)))/η, which is 0 exactly at the optimum.
    pub fn gradient_norm(&self, theta: Theta, learning_rate: f64) -> f64 {
        let g = self.smooth_gradient(theta);
        if self.regularization.l1_weight() == 0.0 {
            return g.norm();
        }
        // G_η written out without forming θ − prox(·) (which cancels to 0 when η·g is below one
        // ulp of θ, e.g. under a decaying schedule): θ0 is not penalized, so G0 = ∇f0; with
        // v = θ1 − η·∇f1, G1 = θ1/η if |v| ≤ η·λ1, else ∇f1 + λ1·sign(v). At η = 0 (a schedule
        // decayed to 0) the limit is the minimum-norm subgradient.
        let (eta, l1, g1) = (learning_rate, self.regularization.l1_weight(), g.theta1);
        let mapped1 = if eta > 0.0 {
            let v = theta.theta1 - eta * g1;
            if v.abs() <= eta * l1 {
                theta.theta1 / eta
            } else {
                g1 + l1 * sign0(v)
            }
        } else if theta.theta1 != 0.0 {
            g1 + l1 * sign0(theta.theta1)
        } else {
            soft_threshold(g1, l1)
        };
        Theta::new(g.theta0, mapped1).norm()
    }

    /// The exact optimum. With a = 0 at the optimum (θ0 is free), θ0* = ȳ − θ1*·x̄, and θ1*
    /// minimizes ½(Sxx + λ2)·θ1² − Sxy·θ1 + λ1·|θ1|, so θ1* = S(Sxy, λ1)/(Sxx + λ2).
    /// When Sxx + λ2 = 0 (all x equal, no L2 part) θ1* = 0 if λ1 > 0, else there is no unique
    /// optimum.
    pub fn optimum(&self) -> std::result::Result<Optimum, NotUnique> {
        let s = &self.stats;
        let (l1, l2) = (self.regularization.l1_weight(), self.regularization.l2_weight());
        let denominator = s.sxx + l2;
        let theta1 = if denominator > 0.0 {
            soft_threshold(s.sxy, l1) / denominator
        } else if l1 > 0.0 {
            0.0
        } else {
            return Err(NotUnique);
        };
        let theta = Theta::new(s.mean_y - theta1 * s.mean_x, theta1);
        Ok(Optimum { theta, loss: self.loss(theta) })
    }

    /// The Hessian of the smooth part and its eigen-analysis.
    pub fn curvature(&self) -> Curvature {
        let s = &self.stats;
        let l2 = self.regularization.l2_weight();
        let (h00, h01, h11) = (1.0, s.mean_x, s.mean_x2() + l2);
        // Eigenvalues of a symmetric 2×2: m ± √(((h00 − h11)/2)² + h01²). λ_min from
        // det/λ_max avoids cancellation; det = h00·h11 − h01² = Sxx + λ2 exactly.
        let m = 0.5 * (h00 + h11);
        let r = (0.5 * (h00 - h11)).hypot(h01);
        let lambda_max = m + r;
        let lambda_min = ((s.sxx + l2) / lambda_max).max(0.0);
        let eigenvector = |lambda: f64| -> [f64; 2] {
            // (H − λI)v = 0: v ∝ (h01, λ − h00) or (λ − h11, h01); take the longer, more exact one.
            let a = [h01, lambda - h00];
            let b = [lambda - h11, h01];
            let v = if a[0].hypot(a[1]) >= b[0].hypot(b[1]) { a } else { b };
            let norm = v[0].hypot(v[1]);
            if norm > 0.0 {
                [v[0] / norm, v[1] / norm]
            } else if lambda == lambda_max {
                [1.0, 0.0]
            } else {
                [0.0, 1.0]
            }
        };
        let v_max = eigenvector(lambda_max);
        // The eigenvectors of a symmetric matrix are orthogonal.
        let v_min = [-v_max[1], v_max[0]];
        Curvature {
            hessian: [h00, h01, h11],
            eigenvalues: [lambda_min, lambda_max],
            eigenvectors: [v_min, v_max],
            condition_number: (lambda_min > 0.0).then(|| lambda_max / lambda_min),
            lr_critical: 2.0 / lambda_max,
            lr_optimal: 2.0 / (h00 + h11),
            lr_monotone: 1.0 / lambda_max,
        }
    }

    /// J over a `cells`×`cells` grid of cell centres covering [θ0_lo, θ0_hi]×[θ1_lo, θ1_hi],
    /// row-major with row 0 at θ1_lo: `values[row·cells + col]`. O(1) per cell.
    pub fn surface(&self, theta0_range: [f64; 2], theta1_range: [f64; 2], cells: usize) -> Vec<f64> {
        let mut values = Vec::with_capacity(cells * cells);
        let step0 = (theta0_range[1] - theta0_range[0]) / cells as f64;
        let step1 = (theta1_range[1] - theta1_range[0]) / cells as f64;
        for row in 0..cells {
            let theta1 = theta1_range[0] + (row as f64 + 0.5) * step1;
            for col in 0..cells {
                let theta0 = theta0_range[0] + (col as f64 + 0.5) * step0;
                values.push(self.loss(Theta::new(theta0, theta1)));
            }
        }
        values
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
                let objective = Objective { stats: self.stats, regularization: reg };
                objective.optimum().ok().map(|o| (lambda, o.theta))
            })
            .collect()
    }
}
