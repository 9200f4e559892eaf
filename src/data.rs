//! Data: a validated set of points (x_i, y_i), its sufficient statistics, the seeded synthetic
//! generator and the named presets. Pure Rust; the page and the command line share it, so a preset
//! is the same data in both (random numbers from ChaCha8 and `libm`, bit-identical on every target).

use crate::catalog;
use crate::error::{require_finite, Error, Range, Result};
use rand::RngCore;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

/// Fewest points a data set may have: two points determine a line.
pub const MIN_POINTS: usize = 2;
/// Largest magnitude of a coordinate: squares and products stay finite.
pub const MAX_MAGNITUDE: f64 = 1e150;
/// Most points the generator makes (memory: 16 bytes a point).
pub const MAX_POINTS: usize = 1_000_000;

/// A validated data set: at least [`MIN_POINTS`] points, every coordinate finite.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    xs: Vec<f64>,
    ys: Vec<f64>,
    stats: SufficientStats,
}

impl Dataset {
    /// Builds a data set from its coordinates; rejects unequal lengths, fewer than 2 points and
    /// non-finite values (naming the point, 1-based).
    pub fn new(xs: Vec<f64>, ys: Vec<f64>) -> Result<Self> {
        if xs.len() != ys.len() {
            return Err(Error::invalid("y-count", ys.len(), Range::EqualCount { count: xs.len() }));
        }
        if xs.len() < MIN_POINTS {
            return Err(Error::TooFewPoints { count: xs.len(), min: MIN_POINTS });
        }
        // |v| ≤ 1e150 keeps every square and product in the statistics finite.
        let range = Range::MagnitudeAtMost { max: MAX_MAGNITUDE };
        for (i, (&x, &y)) in xs.iter().zip(&ys).enumerate() {
            for (name, v) in [("x-of-point", x), ("y-of-point", y)] {
                if !range.contains(v) {
                    return Err(Error::invalid(name, format!("{v} (point {})", i + 1), range));
                }
            }
        }
        let stats = SufficientStats::from_points(&xs, &ys);
        Ok(Dataset { xs, ys, stats })
    }

    /// The x values.
    pub fn xs(&self) -> &[f64] {
        &self.xs
    }
    /// The y values.
    pub fn ys(&self) -> &[f64] {
        &self.ys
    }
    /// Number of points n (≥ 2).
    pub fn len(&self) -> usize {
        self.xs.len()
    }
    /// Always false: a data set has at least two points.
    pub fn is_empty(&self) -> bool {
        self.xs.is_empty()
    }
    /// The sufficient statistics, computed once when the data set was built.
    pub fn stats(&self) -> &SufficientStats {
        &self.stats
    }
    /// The smallest and largest x and y: `[x_min, x_max, y_min, y_max]`.
    pub fn bounds(&self) -> [f64; 4] {
        let mut b = [f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY];
        for (&x, &y) in self.xs.iter().zip(&self.ys) {
            b[0] = b[0].min(x);
            b[1] = b[1].max(x);
            b[2] = b[2].min(y);
            b[3] = b[3].max(y);
        }
        b
    }

    /// The same points with x standardized: x' = (x − x̄)/s, s the population standard
    /// deviation of x. Returns `None` when all x are equal (s = 0).
    pub fn standardized(&self) -> Option<(Dataset, Standardization)> {
        let s = self.stats.sxx.sqrt();
        if s <= 0.0 || !s.is_finite() {
            return None;
        }
        let mean = self.stats.mean_x;
        let xs = self.xs.iter().map(|&x| (x - mean) / s).collect();
        let data = Dataset::new(xs, self.ys.clone()).ok()?;
        Some((data, Standardization { mean, scale: s }))
    }
}

/// How x was standardized: x' = (x − mean)/scale.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Standardization {
    /// Mean of the original x.
    pub mean: f64,
    /// Population standard deviation of the original x (> 0).
    pub scale: f64,
}

impl Standardization {
    /// Maps parameters of the standardized model ŷ = a + b·x' back to the original scale:
    /// a + b·(x − m)/s = (a − b·m/s) + (b/s)·x.
    pub fn to_original(&self, theta0: f64, theta1: f64) -> (f64, f64) {
        let slope = theta1 / self.scale;
        (theta0 - slope * self.mean, slope)
    }
}

/// Sufficient statistics of a data set for the least-squares loss, in centred form.
///
/// With r_i = θ0 + θ1·x_i − y_i and a = θ0 + θ1·x̄ − ȳ, the centred sums of (x − x̄) vanish, so
/// mean(r²) = a² + θ1²·Sxx − 2·θ1·Sxy + Syy. Writing β = Sxy/Sxx (the least-squares slope) and
/// rss = Syy − Sxy²/Sxx (the mean squared residual of the least-squares line), this is
/// a² + Sxx·(θ1 − β)² + rss, a sum of non-negative terms with no cancellation near the optimum;
/// rss itself is computed by a pass over the residuals, not by the subtraction.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SufficientStats {
    /// Number of points n.
    pub n: usize,
    /// x̄, the mean of x.
    pub mean_x: f64,
    /// ȳ, the mean of y.
    pub mean_y: f64,
    /// Sxx = mean((x − x̄)²), exactly 0 when all x are equal.
    pub sxx: f64,
    /// Sxy = mean((x − x̄)(y − ȳ)).
    pub sxy: f64,
    /// Syy = mean((y − ȳ)²).
    pub syy: f64,
    /// mean((y − ȳ − β·(x − x̄))²), the mean squared residual of the unregularized
    /// least-squares line (equal to Syy when Sxx = 0).
    pub rss_ols: f64,
}

impl SufficientStats {
    /// Two passes: the means (with one correction pass), then the centred sums.
    pub fn from_points(xs: &[f64], ys: &[f64]) -> Self {
        let n = xs.len();
        let nf = n as f64;
        let mean = |v: &[f64]| {
            let m = v.iter().sum::<f64>() / nf;
            // One correction pass removes most of the rounding error of the naive mean.
            m + v.iter().map(|&a| a - m).sum::<f64>() / nf
        };
        let mean_x = mean(xs);
        let mean_y = mean(ys);
        let all_x_equal = xs.iter().all(|&x| x == xs[0]);
        let (mut sxx, mut sxy, mut syy) = (0.0, 0.0, 0.0);
        for (&x, &y) in xs.iter().zip(ys) {
            let dx = if all_x_equal { 0.0 } else { x - mean_x };
            let dy = y - mean_y;
            sxx += dx * dx;
            sxy += dx * dy;
            syy += dy * dy;
        }
        sxx /= nf;
        sxy /= nf;
        syy /= nf;
        let rss_ols = if sxx > 0.0 {
            let beta = sxy / sxx;
            xs.iter()
                .zip(ys)
                .map(|(&x, &y)| {
                    let e = (y - mean_y) - beta * (x - mean_x);
                    e * e
                })
                .sum::<f64>()
                / nf
        } else {
            syy
        };
        SufficientStats { n, mean_x, mean_y, sxx, sxy, syy, rss_ols }
    }

    /// mean(x²) = Sxx + x̄².
    pub fn mean_x2(&self) -> f64 {
        self.sxx + self.mean_x * self.mean_x
    }
}

/// Settings of the seeded synthetic generator: y = intercept + slope·x + noise, x uniform in
/// [x_min, x_max], noise normal with standard deviation `noise`, and a fraction of the points
/// lifted far above the line as outliers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GeneratorSettings {
    /// Number of points, in [2, 1 000 000].
    pub points: usize,
    /// True intercept (finite).
    pub intercept: f64,
    /// True slope (finite).
    pub slope: f64,
    /// Standard deviation σ of the Gaussian noise, ≥ 0.
    pub noise: f64,
    /// Smallest x (finite, < x_max).
    pub x_min: f64,
    /// Largest x (finite, > x_min).
    pub x_max: f64,
    /// Fraction of points made outliers, in [0, 1].
    pub outlier_fraction: f64,
    /// Seed of the random numbers: the same seed gives the same points, bit for bit.
    pub seed: u64,
}

impl GeneratorSettings {
    /// Checks every field, naming the first bad one and its valid range.
    pub fn validate(&self) -> Result<()> {
        catalog::POINTS.range.check_count(catalog::POINTS.name, self.points as u64)?;
        require_finite("intercept", self.intercept)?;
        require_finite("slope", self.slope)?;
        catalog::NOISE.check(self.noise)?;
        require_finite("x-min", self.x_min)?;
        Range::GreaterThan { than: "x-min", bound: self.x_min }.check("x-max", self.x_max)?;
        Range::Closed { lo: 0.0, hi: 1.0 }.check("outlier-fraction", self.outlier_fraction)?;
        Ok(())
    }

    /// Generates the points. Deterministic: the same settings give the same data on every
    /// platform (ChaCha8 stream 0 for the data; `libm` for the transcendental functions).
    pub fn generate(&self) -> Result<Dataset> {
        self.validate()?;
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);
        let n = self.points;
        let (mut xs, mut ys) = (Vec::with_capacity(n), Vec::with_capacity(n));
        let span = self.x_max - self.x_min;
        // Outliers sit 0.5 to 1 "spread" above the line, spread being the rise of the line over
        // the x range plus 3σ (and at least 1), so they pull a least-squares fit visibly.
        let spread = (self.slope.abs() * span + 3.0 * self.noise).max(1.0);
        for _ in 0..n {
            let x = self.x_min + span * unit(&mut rng);
            let mut y = self.intercept + self.slope * x + self.noise * standard_normal(&mut rng);
            if unit(&mut rng) < self.outlier_fraction {
                y += spread * (0.5 + 0.5 * unit(&mut rng));
            }
            xs.push(x);
            ys.push(y);
        }
        Dataset::new(xs, ys)
    }
}

/// A uniform number in [0, 1) from the top 53 bits of a u64.
pub(crate) fn unit(rng: &mut impl RngCore) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// A standard normal number by the Box–Muller transform, with `libm` so that every platform
/// gives the same bits.
fn standard_normal(rng: &mut impl RngCore) -> f64 {
    let u1 = 1.0 - unit(rng); // in (0, 1], so ln is finite
    let u2 = unit(rng);
    libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(2.0 * std::f64::consts::PI * u2)
}

/// A named data set: its generator settings without the seed, and a sentence for the page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Preset {
    /// Name used by the command line and the URL ("clean", "noisy", ...).
    pub name: &'static str,
    /// Label for the page.
    pub label: &'static str,
    /// One sentence saying what the preset shows.
    pub description: &'static str,
    /// Generator settings (the seed here is the default seed).
    pub settings: GeneratorSettings,
}

/// Default seed of the presets.
pub const DEFAULT_SEED: u64 = 1;

const fn preset_settings(
    points: usize,
    noise: f64,
    x_min: f64,
    x_max: f64,
    outlier_fraction: f64,
) -> GeneratorSettings {
    GeneratorSettings {
        points,
        intercept: 1.0,
        slope: 2.0,
        noise,
        x_min,
        x_max,
        outlier_fraction,
        seed: DEFAULT_SEED,
    }
}

/// The named presets, the first being the page's default.
pub const PRESETS: [Preset; 4] = [
    Preset {
        name: "clean",
        label: "Clean line",
        description: "50 points close to y = 1 + 2x: a tilted bowl, descent converges quickly.",
        settings: preset_settings(50, 0.2, 0.0, 3.0, 0.0),
    },
    Preset {
        name: "noisy",
        label: "Noisy line",
        description: "200 points of y = 1 + 2x with noise σ = 1: mini-batch gradients scatter.",
        settings: preset_settings(200, 1.0, 0.0, 3.0, 0.0),
    },
    Preset {
        name: "outliers",
        label: "Line with outliers",
        description: "100 points with 10% outliers above the line: least squares is pulled up.",
        settings: preset_settings(100, 0.3, 0.0, 3.0, 0.1),
    },
    Preset {
        name: "ill-conditioned",
        label: "Ill-conditioned (x far from 0)",
        description: "x between 4 and 6: a long narrow valley, the critical learning rate is tiny \
                      and progress along the valley is slow. Try standardizing x.",
        settings: preset_settings(50, 0.2, 4.0, 6.0, 0.0),
    },
];

/// Finds a preset by name.
pub fn preset(name: &str) -> Result<&'static Preset> {
    PRESETS.iter().find(|p| p.name == name).ok_or_else(|| Error::UnknownPreset {
        name: name.to_string(),
        known: PRESETS.iter().map(|p| p.name.to_string()).collect(),
    })
}

/// The error for a preset `name` that is neither a line's ([`PRESETS`]) nor a several-feature
/// one ([`FEATURE_PRESETS`]), listing both.
pub fn unknown_preset(name: &str) -> Error {
    Error::UnknownPreset {
        name: name.to_string(),
        known: PRESETS.iter().map(|p| p.name).chain(FEATURE_PRESETS.iter().map(|p| p.name)).map(String::from).collect(),
    }
}

/// A named data set with several feature columns (or one to fit by its powers), for the
/// several-feature model: its columns' names (the last is y) and how a row is drawn.
#[derive(Debug, Clone, Copy)]
pub struct FeaturePreset {
    /// Name used by the command line.
    pub name: &'static str,
    /// The columns' names, y last.
    pub header: &'static [&'static str],
    /// Default number of points.
    pub points: usize,
    /// One row, drawn from the random numbers.
    row: fn(&mut ChaCha8Rng) -> Vec<f64>,
}

/// The several-feature presets.
pub const FEATURE_PRESETS: [FeaturePreset; 2] = [
    // The tutorial's y = 2·x1 + 3·x2 + ε: x1, x2 and ε standard normal.
    FeaturePreset { name: "two-features", header: &["x1", "x2", "y"], points: 100, row: two_features_row },
    // A curve for polynomial fits: y = 1 + x − 0.8·x² + 0.3·x³ + ε, x uniform in [−2, 2], ε
    // normal with σ = 0.3.
    FeaturePreset { name: "cubic", header: &["x", "y"], points: 60, row: cubic_row },
];

fn two_features_row(rng: &mut ChaCha8Rng) -> Vec<f64> {
    let (x1, x2) = (standard_normal(rng), standard_normal(rng));
    vec![x1, x2, 2.0 * x1 + 3.0 * x2 + standard_normal(rng)]
}

fn cubic_row(rng: &mut ChaCha8Rng) -> Vec<f64> {
    let x = -2.0 + 4.0 * unit(rng);
    vec![x, 1.0 + x - 0.8 * x * x + 0.3 * x * x * x + 0.3 * standard_normal(rng)]
}

/// Finds a several-feature preset by name.
pub fn feature_preset(name: &str) -> Option<&'static FeaturePreset> {
    FEATURE_PRESETS.iter().find(|p| p.name == name)
}

impl FeaturePreset {
    /// Its columns for `points` points (in [2, 1 000 000]) and `seed`: ChaCha8 stream 0 and
    /// `libm`, the same on every platform.
    pub fn generate(&self, points: usize, seed: u64) -> Result<Vec<Vec<f64>>> {
        catalog::POINTS.range.check_count(catalog::POINTS.name, points as u64)?;
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut columns = vec![Vec::with_capacity(points); self.header.len()];
        for _ in 0..points {
            for (column, v) in columns.iter_mut().zip((self.row)(&mut rng)) {
                column.push(v);
            }
        }
        Ok(columns)
    }
}
