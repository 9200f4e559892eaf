//! Sufficient statistics of d features φ and y, in centred form: with them J, ∇J, the Hessian
//! and a full-batch step cost O(d²) whatever n. Pure Rust, fixed-size arrays (no allocation on
//! the hot path).
//!
//! With a = θ0 + φ̄ᵀβ − ȳ (β the slopes θ1..θd) the centred sums of (φ − φ̄) vanish, so
//! mean(r²) = a² + βᵀΣβ − 2βᵀs + v. When Σ is not singular, with β̂ the least-squares slopes
//! (Σβ̂ = s) and rss the mean squared residual of that fit, this is a² + (β − β̂)ᵀΣ(β − β̂) + rss,
//! a sum of non-negative terms with no cancellation near the optimum; rss itself comes from a
//! pass over the residuals, not from the subtraction. For one feature these are x̄, Sxx, Sxy, Syy
//! and the least-squares line's mean squared residual.

use crate::least_squares::features::MAX_FEATURES;
use crate::least_squares::solve::solve_scaled;
use nalgebra::{DMatrix, DVector};
use serde::Serialize;

/// One value per feature (the first d are used).
pub type PerFeature = [f64; MAX_FEATURES];

/// Sufficient statistics of d features and y.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SufficientStats {
    /// Number of points n.
    pub n: usize,
    /// Number of features d (1 to [`MAX_FEATURES`]).
    pub d: usize,
    /// Means of the features φ̄.
    pub mean: PerFeature,
    /// ȳ.
    pub mean_y: f64,
    /// Σ = mean((φ − φ̄)(φ − φ̄)ᵀ); a feature whose values are all equal has exactly 0 in its
    /// row and column.
    pub cov: [PerFeature; MAX_FEATURES],
    /// s = mean((φ − φ̄)(y − ȳ)).
    pub cov_y: PerFeature,
    /// v = mean((y − ȳ)²).
    pub var_y: f64,
    /// The unregularized least-squares slopes β̂ (Σβ̂ = s) when Σ is not singular.
    pub least_squares: Option<PerFeature>,
    /// mean((y − ȳ − β̂ᵀ(φ − φ̄))²), the mean squared residual of the least-squares fit; v when
    /// there is none.
    pub rss: f64,
}

impl SufficientStats {
    /// The statistics of `n` points whose features `row(i, out)` writes into `out[..d]` and whose
    /// y values are `ys`. Passes: the sums, the means' correction, the centred sums, the
    /// least-squares residuals.
    pub fn from_rows(d: usize, ys: &[f64], mut row: impl FnMut(usize, &mut PerFeature)) -> Self {
        let n = ys.len();
        let nf = n as f64;
        let mut phi = [0.0; MAX_FEATURES];
        // The means, each with one correction pass (which removes most of the naive mean's
        // rounding error); a feature with all values equal is noted so that its centred
        // values are exactly 0.
        let mut sums = [-0.0; MAX_FEATURES];
        let mut first = [0.0; MAX_FEATURES];
        let mut constant = [true; MAX_FEATURES];
        let mut sum_y = -0.0;
        for (i, &y) in ys.iter().enumerate() {
            row(i, &mut phi);
            for j in 0..d {
                if i == 0 {
                    first[j] = phi[j];
                } else if phi[j] != first[j] {
                    constant[j] = false;
                }
                sums[j] += phi[j];
            }
            sum_y += y;
        }
        let mut mean = [0.0; MAX_FEATURES];
        for j in 0..d {
            mean[j] = sums[j] / nf;
        }
        let mean_y0 = sum_y / nf;
        let (mut corrections, mut correction_y) = ([-0.0; MAX_FEATURES], -0.0);
        for (i, &y) in ys.iter().enumerate() {
            row(i, &mut phi);
            for j in 0..d {
                corrections[j] += phi[j] - mean[j];
            }
            correction_y += y - mean_y0;
        }
        for j in 0..d {
            mean[j] += corrections[j] / nf;
        }
        let mean_y = mean_y0 + correction_y / nf;
        let mut cov = [[0.0; MAX_FEATURES]; MAX_FEATURES];
        let mut cov_y = [0.0; MAX_FEATURES];
        let mut var_y = 0.0;
        let mut centred = [0.0; MAX_FEATURES];
        for (i, &y) in ys.iter().enumerate() {
            row(i, &mut phi);
            for j in 0..d {
                centred[j] = if constant[j] { 0.0 } else { phi[j] - mean[j] };
            }
            let dy = y - mean_y;
            for j in 0..d {
                for k in 0..=j {
                    cov[j][k] += centred[j] * centred[k];
                }
                cov_y[j] += centred[j] * dy;
            }
            var_y += dy * dy;
        }
        #[allow(clippy::needless_range_loop)] // the lower triangle, mirrored
        for j in 0..d {
            for k in 0..=j {
                cov[j][k] /= nf;
                cov[k][j] = cov[j][k];
            }
            cov_y[j] /= nf;
        }
        var_y /= nf;
        let mut stats = SufficientStats { n, d, mean, mean_y, cov, cov_y, var_y, least_squares: None, rss: var_y };
        if let Some(beta) = stats.least_squares_slopes() {
            let mut rss = -0.0;
            for (i, &y) in ys.iter().enumerate() {
                row(i, &mut phi);
                let mut fitted = beta[0] * (phi[0] - mean[0]);
                for j in 1..d {
                    fitted += beta[j] * (phi[j] - mean[j]);
                }
                let e = (y - mean_y) - fitted;
                rss += e * e;
            }
            stats.least_squares = Some(beta);
            stats.rss = rss / nf;
        }
        stats
    }

    /// The statistics with the point of features `phi` and target `y` added, updated in place
    /// without a pass over the points (Welford's update of the centred moments; the residual
    /// sum by the recursive least-squares update, RSS′ = RSS + w·e²/(1 + w·δᵀS⁻¹δ), w = n/(n+1),
    /// δ = φ − φ̄, e = (y − ȳ) − β̂ᵀδ, S = n·Σ): O(d²) for the moments and O(d³) for the new β̂,
    /// whatever n. False when the update cannot be trusted (a singular or nearly singular Σ
    /// before or after), and the caller recomputes from the points; the statistics are then
    /// unchanged.
    pub fn add(&mut self, phi: &PerFeature, y: f64) -> bool {
        let Some(point) = self.deviation(phi, y) else { return false };
        let (n0, n1) = (self.n as f64, self.n as f64 + 1.0);
        let w = n0 / n1;
        let mut next = self.shifted(&point, 1.0);
        next.n = self.n + 1;
        next.rss = (self.rss * n0 + w * point.e * point.e / (1.0 + w * point.h / n0)) / n1;
        next.commit(self)
    }

    /// The statistics with the point of features `phi` and target `y` (one of the points)
    /// removed, in place: the moments by the inverse update, the residual sum by the deletion
    /// formula RSS′ = RSS − e²/(1 − h), h = 1/n + δᵀS⁻¹δ the point's leverage. False, leaving
    /// the statistics unchanged, when it cannot be trusted (a singular Σ, a point of leverage
    /// near 1, fewer than three points left).
    pub fn remove(&mut self, phi: &PerFeature, y: f64) -> bool {
        if self.n < 4 {
            return false;
        }
        let Some(point) = self.deviation(phi, y) else { return false };
        let (n0, n1) = (self.n as f64, self.n as f64 - 1.0);
        let leverage = 1.0 / n0 + point.h / n0;
        if leverage.is_nan() || 1.0 - leverage <= 1e-9 {
            return false;
        }
        let mut next = self.shifted(&point, -1.0);
        next.n = self.n - 1;
        next.rss = (self.rss * n0 - point.e * point.e / (1.0 - leverage)) / n1;
        next.commit(self)
    }

    /// How the point (φ, y) lies against these statistics, when Σ is positive definite and the
    /// least-squares fit exists.
    fn deviation(&self, phi: &PerFeature, y: f64) -> Option<Deviation> {
        let fit = self.least_squares?;
        let inverse_delta = self.cov_solve(phi)?;
        let mut delta = [0.0; MAX_FEATURES];
        let dy = y - self.mean_y;
        let (mut e, mut h) = (dy, 0.0);
        for j in 0..self.d {
            delta[j] = phi[j] - self.mean[j];
            e -= fit[j] * delta[j];
            h += delta[j] * inverse_delta[j];
        }
        Some(Deviation { delta, dy, e, h })
    }

    /// The means and centred moments with the point added (`sign` 1) or removed (−1): with
    /// n′ = n + sign and w = n/n′, φ̄′ = φ̄ + sign·δ/n′, n′Σ′ = nΣ + sign·w·δδᵀ, and the same for
    /// s and v (Welford's update).
    fn shifted(&self, point: &Deviation, sign: f64) -> SufficientStats {
        let (n0, d) = (self.n as f64, self.d);
        let n1 = n0 + sign;
        let w = sign * n0 / n1;
        let (delta, dy) = (&point.delta, point.dy);
        let mut next = *self;
        for j in 0..d {
            next.mean[j] = self.mean[j] + sign * delta[j] / n1;
            for k in 0..d {
                next.cov[j][k] = (self.cov[j][k] * n0 + w * delta[j] * delta[k]) / n1;
            }
            next.cov_y[j] = (self.cov_y[j] * n0 + w * delta[j] * dy) / n1;
        }
        next.mean_y = self.mean_y + sign * dy / n1;
        next.var_y = (self.var_y * n0 + w * dy * dy) / n1;
        next
    }

    /// Σ⁻¹u for the first d values of `u`, when Σ is positive definite.
    fn cov_solve(&self, u: &PerFeature) -> Option<PerFeature> {
        let d = self.d;
        let mut out = [0.0; MAX_FEATURES];
        let delta = DVector::from_fn(d, |j, _| u[j] - self.mean[j]);
        if d == 1 {
            out[0] = delta[0] / self.cov[0][0];
            return out[0].is_finite().then_some(out);
        }
        let solution = self.cov_matrix().cholesky()?.solve(&delta);
        out[..d].copy_from_slice(solution.as_slice());
        Some(out)
    }

    /// Takes these updated statistics into `target` when they can be trusted: every feature
    /// keeps a spread well above rounding (else a feature may have become constant, which only
    /// a pass over the points tells exactly), the least-squares fit exists, and the residual sum
    /// is not negative. Returns whether it did.
    fn commit(mut self, target: &mut SufficientStats) -> bool {
        for j in 0..self.d {
            let square = self.cov[j][j] + self.mean[j] * self.mean[j];
            if self.cov[j][j].is_nan() || self.cov[j][j] <= 1e-9 * square {
                return false;
            }
        }
        if !(self.var_y >= 0.0 && self.rss >= 0.0) {
            return false;
        }
        self.least_squares = None;
        let Some(beta) = self.least_squares_slopes() else { return false };
        self.least_squares = Some(beta);
        *target = self;
        true
    }

    /// β̂ solving Σβ̂ = s when every feature has spread and Σ is not singular: s/Σ for one
    /// feature, else the scaled normal equations.
    fn least_squares_slopes(&self) -> Option<PerFeature> {
        let d = self.d;
        if (0..d).any(|j| self.cov[j][j].partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater)) {
            return None;
        }
        let mut beta = [0.0; MAX_FEATURES];
        if d == 1 {
            beta[0] = self.cov_y[0] / self.cov[0][0];
            return Some(beta);
        }
        let spread: Vec<usize> = (0..d).collect();
        let (solution, _) = solve_scaled(&self.cov_matrix(), &self.cov_y_vector(), &spread).ok()?;
        beta[..d].copy_from_slice(solution.as_slice());
        Some(beta)
    }

    /// Σ as a d × d matrix.
    pub fn cov_matrix(&self) -> DMatrix<f64> {
        DMatrix::from_fn(self.d, self.d, |j, k| self.cov[j][k])
    }

    /// s as a vector of d.
    pub fn cov_y_vector(&self) -> DVector<f64> {
        DVector::from_fn(self.d, |j, _| self.cov_y[j])
    }

    /// The mean of the (only or first) feature, x̄ for a line.
    pub fn mean_x(&self) -> f64 {
        self.mean[0]
    }
    /// Sxx = mean((x − x̄)²) of the first feature.
    pub fn sxx(&self) -> f64 {
        self.cov[0][0]
    }
    /// Sxy = mean((x − x̄)(y − ȳ)) of the first feature.
    pub fn sxy(&self) -> f64 {
        self.cov_y[0]
    }
    /// Syy = mean((y − ȳ)²).
    pub fn syy(&self) -> f64 {
        self.var_y
    }
    /// mean(x²) = Sxx + x̄² of the first feature.
    pub fn mean_x2(&self) -> f64 {
        self.cov[0][0] + self.mean[0] * self.mean[0]
    }

    /// A fingerprint of these statistics (their bits hashed), to tell data sets apart cheaply.
    pub fn fingerprint(&self) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ self.n as u64 ^ ((self.d as u64) << 56);
        let mut mix = |v: f64| {
            h ^= v.to_bits();
            h = h.wrapping_mul(0x0100_0000_01b3).rotate_left(23);
        };
        for j in 0..self.d {
            mix(self.mean[j]);
            mix(self.cov_y[j]);
            for k in 0..=j {
                mix(self.cov[j][k]);
            }
        }
        mix(self.mean_y);
        mix(self.var_y);
        mix(self.rss);
        h
    }
}

/// A point against the statistics it is added to or removed from: δ = φ − φ̄, y − ȳ, its
/// least-squares residual e = (y − ȳ) − β̂ᵀδ and δᵀΣ⁻¹δ.
struct Deviation {
    delta: PerFeature,
    dy: f64,
    e: f64,
    h: f64,
}

/// How features are standardized: φ′ⱼ = (φⱼ − meanⱼ)/scaleⱼ, with each feature's mean and
/// population standard deviation. Serializes as `{mean: [..], scale: [..]}`, d values each.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scaling {
    /// Number of features d.
    pub d: usize,
    /// The features' means.
    pub mean: PerFeature,
    /// Their population standard deviations (> 0).
    pub scale: PerFeature,
}

impl Serialize for Scaling {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("Scaling", 2)?;
        s.serialize_field("mean", &self.mean[..self.d])?;
        s.serialize_field("scale", &self.scale[..self.d])?;
        s.end()
    }
}

impl Scaling {
    /// The standardization of the features of `stats`, or the (1-based) features with no
    /// spread, which cannot be standardized.
    pub fn of(stats: &SufficientStats) -> std::result::Result<Scaling, Vec<usize>> {
        let d = stats.d;
        let mut scale = [1.0; MAX_FEATURES];
        for (j, slot) in scale.iter_mut().enumerate().take(d) {
            *slot = stats.cov[j][j].sqrt();
        }
        let flat: Vec<usize> = (0..d).filter(|&j| !(scale[j] > 0.0 && scale[j].is_finite())).map(|j| j + 1).collect();
        if flat.is_empty() {
            Ok(Scaling { d, mean: stats.mean, scale })
        } else {
            Err(flat)
        }
    }

    /// Standardizes the features in `phi[..d]` in place.
    #[inline(always)]
    pub fn apply(&self, phi: &mut PerFeature) {
        for ((v, m), s) in phi.iter_mut().zip(&self.mean).zip(&self.scale).take(self.d) {
            *v = (*v - m) / s;
        }
    }

    /// θ of the standardized model in the original features: θ0 + Σ θ′ⱼ(φⱼ − mⱼ)/sⱼ gives
    /// θⱼ = θ′ⱼ/sⱼ and θ0 = θ′0 − Σ θⱼ·mⱼ. `theta` holds d + 1 values, θ0 first.
    pub fn to_original(&self, theta: &[f64]) -> Vec<f64> {
        let mut out = theta.to_vec();
        let mut theta0 = theta[0];
        for j in 0..self.d {
            let slope = theta[j + 1] / self.scale[j];
            theta0 -= slope * self.mean[j];
            out[j + 1] = slope;
        }
        out[0] = theta0;
        out
    }
}
