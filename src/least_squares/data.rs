//! Data: a validated set of points (x_i, y_i), its sufficient statistics, the seeded synthetic
//! generator and the named presets. Pure Rust; the page and the command line share it, so a preset
//! is the same data in both (random numbers from ChaCha8 and `libm`, bit-identical on every target).

use crate::param::{param, Param};
use crate::error::{require_finite, Error, Range, Result};
use crate::least_squares::features::{powers, Features};
pub use crate::least_squares::stats::{PerFeature, Scaling, SufficientStats};
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

/// A validated data set: at least [`MIN_POINTS`] points, every coordinate finite, and the
/// features the model takes from its x columns: the columns themselves, or the powers of its
/// one column (standardized, when asked, as they are read).
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset {
    columns: Vec<Vec<f64>>,
    ys: Vec<f64>,
    features: Features,
    scaling: Option<Scaling>,
    stats: SufficientStats,
    fingerprint: u64,
    /// Whether `stats` come from a pass over the points (not from in-place updates).
    exact: bool,
}

/// How the features of a data set are laid out, for the kernels that read its points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Layout {
    /// One feature, x itself: a point is (x, y).
    Line,
    /// The powers x, …, x^degree of one column, standardized by `scaling` when it is set: a
    /// point is (x, y) and its features are computed as it is read.
    Powers { degree: usize, scaling: Option<Scaling> },
    /// `d` feature columns: a point is a row of d features and y.
    Rows { d: usize },
}

impl Dataset {
    /// A data set of one x column; rejects unequal lengths, fewer than 2 points and non-finite
    /// values (naming the point, 1-based).
    pub fn new(xs: Vec<f64>, ys: Vec<f64>) -> Result<Self> {
        Self::with_features(vec![xs], ys, Features::Columns)
    }

    /// A data set of x `columns` (each as long as `ys`) with the model's `features`: 1 to
    /// [`MAX_FEATURES`] of them, the powers of exactly one column, every feature's magnitude at
    /// most [`MAX_MAGNITUDE`] so that its squares and products stay finite.
    pub fn with_features(columns: Vec<Vec<f64>>, ys: Vec<f64>, features: Features) -> Result<Self> {
        let features = match features {
            Features::Powers { degree: 1 } => Features::Columns,
            other => other,
        };
        Features::check(&features, columns.len())?;
        for column in &columns {
            if column.len() != ys.len() {
                return Err(Error::invalid("y-count", ys.len(), Range::EqualCount { count: column.len() }));
            }
        }
        if ys.len() < MIN_POINTS {
            return Err(Error::TooFewPoints { count: ys.len(), min: MIN_POINTS });
        }
        // |v| ≤ 1e150 keeps every square and product in the statistics finite.
        let range = Range::MagnitudeAtMost { max: MAX_MAGNITUDE };
        let several = columns.len() > 1;
        for (i, &y) in ys.iter().enumerate() {
            for (j, column) in columns.iter().enumerate() {
                let x = column[i];
                if !range.contains(x) {
                    let at = if several { format!("{x} (point {}, column {})", i + 1, j + 1) } else { format!("{x} (point {})", i + 1) };
                    return Err(Error::invalid("x-of-point", at, range));
                }
            }
            if !range.contains(y) {
                return Err(Error::invalid("y-of-point", format!("{y} (point {})", i + 1), range));
            }
        }
        if let Features::Powers { degree } = features {
            if let Some((i, &x)) = columns[0].iter().enumerate().find(|(_, &x)| !power_bound(degree).contains(x)) {
                return Err(too_large_power(x, i, degree));
            }
        }
        Ok(Self::build(columns, ys, features, None))
    }

    fn build(columns: Vec<Vec<f64>>, ys: Vec<f64>, features: Features, scaling: Option<Scaling>) -> Self {
        let d = features.count(columns.len());
        let stats = SufficientStats::from_rows(d, &ys, |i, out| read_features(&columns, features, scaling.as_ref(), i, out));
        Dataset { columns, ys, features, scaling, fingerprint: stats.fingerprint(), stats, exact: true }
    }

    /// The x values of the (first) x column.
    pub fn xs(&self) -> &[f64] {
        &self.columns[0]
    }
    /// The x columns.
    pub fn columns(&self) -> &[Vec<f64>] {
        &self.columns
    }
    /// The y values.
    pub fn ys(&self) -> &[f64] {
        &self.ys
    }
    /// Number of points n (≥ 2).
    pub fn len(&self) -> usize {
        self.ys.len()
    }
    /// Always false: a data set has at least two points.
    pub fn is_empty(&self) -> bool {
        self.ys.is_empty()
    }
    /// Number of features d.
    pub fn features(&self) -> usize {
        self.features.count(self.columns.len())
    }
    /// How a point's features are read.
    pub fn layout(&self) -> Layout {
        match self.features {
            Features::Powers { degree } => Layout::Powers { degree, scaling: self.scaling },
            Features::Columns if self.columns.len() == 1 => Layout::Line,
            Features::Columns => Layout::Rows { d: self.columns.len() },
        }
    }
    /// The features of point `i` into `out[..d]`.
    #[inline]
    pub fn feature_row(&self, i: usize, out: &mut PerFeature) {
        read_features(&self.columns, self.features, self.scaling.as_ref(), i, out);
    }
    /// A fingerprint of the statistics, to tell data sets apart cheaply.
    pub fn fingerprint(&self) -> u64 {
        self.fingerprint
    }
    /// The sufficient statistics, computed once when the data set was built.
    pub fn stats(&self) -> &SufficientStats {
        &self.stats
    }
    /// The smallest and largest x (of the first column) and y: `[x_min, x_max, y_min, y_max]`.
    pub fn bounds(&self) -> [f64; 4] {
        let mut b = [f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY];
        for (&x, &y) in self.xs().iter().zip(&self.ys) {
            b[0] = b[0].min(x);
            b[1] = b[1].max(x);
            b[2] = b[2].min(y);
            b[3] = b[3].max(y);
        }
        b
    }

    /// The same columns and y with the model's features `features` (see
    /// [`Dataset::with_features`]).
    pub fn with_feature_kind(&self, features: Features) -> Result<Dataset> {
        Dataset::with_features(self.columns.clone(), self.ys.clone(), features)
    }

    /// Adds the point (x, y) to data of one x column; its statistics are updated in place, in
    /// O(d²) (see [`SufficientStats::add`]), not recomputed ([`Dataset::settle`] makes them
    /// exact when the edits are done). A refused point changes nothing.
    pub fn add_point(&mut self, x: f64, y: f64) -> Result<()> {
        self.check_point(x, y, self.len())?;
        self.columns[0].push(x);
        self.ys.push(y);
        let phi = self.features_of(x);
        if self.stats.add(&phi, y) {
            self.updated();
        } else {
            self.recompute();
        }
        Ok(())
    }

    /// Moves point `index` (0-based) of data of one x column to (x, y), updating the
    /// statistics in place (the old point removed, the new one added).
    pub fn move_point(&mut self, index: usize, x: f64, y: f64) -> Result<()> {
        self.check_index(index)?;
        self.check_point(x, y, index)?;
        let (old_phi, old_y) = (self.features_of(self.columns[0][index]), self.ys[index]);
        self.columns[0][index] = x;
        self.ys[index] = y;
        let phi = self.features_of(x);
        let mut stats = self.stats;
        if stats.remove(&old_phi, old_y) && stats.add(&phi, y) {
            self.stats = stats;
            self.updated();
        } else {
            self.recompute();
        }
        Ok(())
    }

    /// Removes point `index` (0-based) of data of one x column; at least [`MIN_POINTS`] stay.
    pub fn remove_point(&mut self, index: usize) -> Result<()> {
        self.check_index(index)?;
        if self.len() <= MIN_POINTS {
            return Err(Error::TooFewPoints { count: self.len() - 1, min: MIN_POINTS });
        }
        let (phi, y) = (self.features_of(self.columns[0][index]), self.ys[index]);
        self.columns[0].remove(index);
        self.ys.remove(index);
        if self.stats.remove(&phi, y) {
            self.updated();
        } else {
            self.recompute();
        }
        Ok(())
    }

    /// Refuses an edit of data that is not one x column (read as it is), or a point (x, y)
    /// outside the magnitudes [`Dataset::with_features`] allows; `index` names the point.
    fn check_point(&self, x: f64, y: f64, index: usize) -> Result<()> {
        if self.columns.len() != 1 || self.scaling.is_some() {
            return Err(Error::invalid("feature-columns", self.columns.len(), Range::OneColumn));
        }
        let range = Range::MagnitudeAtMost { max: MAX_MAGNITUDE };
        if !range.contains(x) {
            return Err(Error::invalid("x-of-point", format!("{x} (point {})", index + 1), range));
        }
        if !range.contains(y) {
            return Err(Error::invalid("y-of-point", format!("{y} (point {})", index + 1), range));
        }
        if let Features::Powers { degree } = self.features {
            if !power_bound(degree).contains(x) {
                return Err(too_large_power(x, index, degree));
            }
        }
        Ok(())
    }

    fn check_index(&self, index: usize) -> Result<()> {
        if index < self.len() {
            Ok(())
        } else {
            Err(Error::OutOfRange { name: "point", index, len: self.len() })
        }
    }

    /// The features of a point of the one x column at `x`.
    fn features_of(&self, x: f64) -> PerFeature {
        let mut phi = [0.0; crate::least_squares::features::MAX_FEATURES];
        read_features(&[vec![x]], self.features, None, 0, &mut phi);
        phi
    }

    /// The statistics were updated in place.
    fn updated(&mut self) {
        self.fingerprint = self.stats.fingerprint();
        self.exact = false;
    }

    /// The statistics from the points again.
    fn recompute(&mut self) {
        let (columns, features, scaling) = (&self.columns, self.features, self.scaling.as_ref());
        let d = self.features();
        self.stats = SufficientStats::from_rows(d, &self.ys, |i, out| read_features(columns, features, scaling, i, out));
        self.fingerprint = self.stats.fingerprint();
        self.exact = true;
    }

    /// After edits, the statistics from a pass over the points, so that they are exactly those
    /// of a data set built from the same points (as a link or a file rebuilds it): in-place
    /// updates agree with them only to rounding. O(n), once an edit is done (a drag ended).
    /// Returns whether anything changed.
    pub fn settle(&mut self) -> bool {
        if self.exact {
            return false;
        }
        let before = self.stats;
        self.recompute();
        self.stats != before
    }

    /// The same points with every feature standardized: φ′ⱼ = (φⱼ − φ̄ⱼ)/sⱼ, sⱼ the population
    /// standard deviation. Feature columns are rewritten (for a line x′ = (x − x̄)/s); powers are
    /// standardized as they are read. The (1-based) features with no spread when there are any.
    pub fn standardized(&self) -> std::result::Result<(Dataset, Scaling), Vec<usize>> {
        let scaling = Scaling::of(&self.stats)?;
        let data = match self.features {
            Features::Columns => {
                let columns = self
                    .columns
                    .iter()
                    .enumerate()
                    .map(|(j, column)| column.iter().map(|&x| (x - scaling.mean[j]) / scaling.scale[j]).collect())
                    .collect();
                Self::build(columns, self.ys.clone(), Features::Columns, None)
            }
            Features::Powers { .. } => Self::build(self.columns.clone(), self.ys.clone(), self.features, Some(scaling)),
        };
        Ok((data, scaling))
    }
}

/// The magnitudes of x whose power `degree` stays within [`MAX_MAGNITUDE`].
fn power_bound(degree: usize) -> Range {
    Range::MagnitudeAtMost { max: libm::pow(MAX_MAGNITUDE, 1.0 / degree as f64) }
}

/// The error for point `index` (0-based) at `x`, whose power `degree` is too large.
fn too_large_power(x: f64, index: usize, degree: usize) -> Error {
    Error::invalid("x-of-point", format!("{x} (point {}, whose power {degree} is too large)", index + 1), power_bound(degree))
}

/// The features of point `i` of `columns` into `out[..d]`: the columns' values or the powers of
/// the one column, then standardized by `scaling`.
#[inline]
fn read_features(columns: &[Vec<f64>], features: Features, scaling: Option<&Scaling>, i: usize, out: &mut PerFeature) {
    match features {
        Features::Columns => {
            for (slot, column) in out.iter_mut().zip(columns) {
                *slot = column[i];
            }
        }
        Features::Powers { degree } => powers(columns[0][i], degree, out),
    }
    if let Some(scaling) = scaling {
        scaling.apply(out);
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
        POINTS.range.check_count(POINTS.name, self.points as u64)?;
        require_finite("intercept", self.intercept)?;
        require_finite("slope", self.slope)?;
        NOISE.check(self.noise)?;
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
    /// Name used by the command line and the URL.
    pub name: &'static str,
    /// Label for the page.
    pub label: &'static str,
    /// One sentence saying what the preset shows.
    pub description: &'static str,
    /// The columns' names, y last.
    pub header: &'static [&'static str],
    /// Default number of points.
    pub points: usize,
    /// Default standard deviation σ of the noise ε.
    pub noise: f64,
    /// One row, drawn from the random numbers with noise σ.
    row: fn(&mut ChaCha8Rng, f64) -> Vec<f64>,
}

/// The several-feature presets.
pub const FEATURE_PRESETS: [FeaturePreset; 2] = [
    // The tutorial's y = 2·x1 + 3·x2 + ε: x1, x2 standard normal, ε normal with σ = 1.
    FeaturePreset {
        name: "two-features",
        label: "Two features (y = 2·x₁ + 3·x₂ + ε)",
        description: "100 points of the tutorial's plane y = 2·x₁ + 3·x₂ + ε: three coefficients, \
                      a plane to rotate in 3-D.",
        header: &["x1", "x2", "y"],
        points: 100,
        noise: 1.0,
        row: two_features_row,
    },
    // A curve for polynomial fits: y = 1 + x − 0.8·x² + 0.3·x³ + ε, x uniform in [−2, 2], ε
    // normal with σ = 0.3.
    FeaturePreset {
        name: "cubic",
        label: "Curved (cubic)",
        description: "60 points of y = 1 + x − 0.8·x² + 0.3·x³ + ε, x in [−2, 2]: a line underfits; \
                      choose Model: Polynomial, degree 3.",
        header: &["x", "y"],
        points: 60,
        noise: 0.3,
        row: cubic_row,
    },
];

fn two_features_row(rng: &mut ChaCha8Rng, noise: f64) -> Vec<f64> {
    let (x1, x2) = (standard_normal(rng), standard_normal(rng));
    vec![x1, x2, 2.0 * x1 + 3.0 * x2 + noise * standard_normal(rng)]
}

fn cubic_row(rng: &mut ChaCha8Rng, noise: f64) -> Vec<f64> {
    let x = -2.0 + 4.0 * unit(rng);
    vec![x, 1.0 + x - 0.8 * x * x + 0.3 * x * x * x + noise * standard_normal(rng)]
}

/// Finds a several-feature preset by name.
pub fn feature_preset(name: &str) -> Option<&'static FeaturePreset> {
    FEATURE_PRESETS.iter().find(|p| p.name == name)
}

impl FeaturePreset {
    /// Its columns for `points` points (in [2, 1 000 000]), noise σ ≥ 0 (finite) and `seed`:
    /// ChaCha8 stream 0 and `libm`, the same on every platform.
    pub fn generate(&self, points: usize, noise: f64, seed: u64) -> Result<Vec<Vec<f64>>> {
        POINTS.range.check_count(POINTS.name, points as u64)?;
        NOISE.check(noise)?;
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut columns = vec![Vec::with_capacity(points); self.header.len()];
        for _ in 0..points {
            for (column, v) in columns.iter_mut().zip((self.row)(&mut rng, noise)) {
                column.push(v);
            }
        }
        Ok(columns)
    }
}

// The catalogue's entries: the generator's settings with their defaults and valid ranges.

/// Largest integer every double holds exactly (2^53 − 1): the largest seed.
pub const MAX_SEED: f64 = 9_007_199_254_740_991.0;

/// Number of generated points; the default is the first preset's.
pub const POINTS: Param = param(
    "points",
    "points",
    "points",
    "label.points",
    PRESETS[0].settings.points as f64,
    Range::IntegerIn { lo: MIN_POINTS as f64, hi: MAX_POINTS as f64 },
    Some(1.0),
);
/// Noise σ of the generator; the default is the first preset's.
pub const NOISE: Param =
    param("noise", "noise", "noise", "label.noise", PRESETS[0].settings.noise, Range::NonNegative, None);
/// Seed of the generator and of the mini-batch sampler.
pub const SEED: Param =
    param("seed", "seed", "seed", "label.seed", DEFAULT_SEED as f64, Range::IntegerIn { lo: 0.0, hi: MAX_SEED }, Some(1.0));
