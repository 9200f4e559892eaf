//! The stability map of heavy-ball momentum: the asymptotic rate of full-batch heavy-ball
//! descent (torch's SGD with momentum, b ← μ·b + g, θ ← θ − η·b) on the smooth part of J, over a
//! grid of learning rates η and momenta μ, with the steps it takes to shrink the error 10⁶ times,
//! the two classic marks (Polyak's optimum and plain descent's best rate), a check of the theory
//! against real updates, and the reasons the map may not describe a given run.
//!
//! On a quadratic with Hessian eigenvalues λᵢ the error along eigenvector i and the momentum
//! buffer's component there, (bᵢ, eᵢ), evolve by
//!
//! ```text
//! bᵢ′ = μ·bᵢ + λᵢ·eᵢ,   eᵢ′ = eᵢ − η·bᵢ′      so   Rᵢ = [[μ, λᵢ], [−η·μ, 1 − η·λᵢ]],
//! ```
//!
//! trace t = 1 + μ − η·λᵢ, determinant μ: the eigenvalues z solve z² − t·z + μ = 0. The asymptotic
//! rate is the largest spectral radius over i. With a = η·λᵢ and s = √μ,
//! t − 2s = (1 − s)² − a and t + 2s = (1 + s)² − a, so (see [`spectral_radius`]):
//!
//! - a < (1 − s)²: two real positive roots, ρ = (t + √D)/2, √D = √((1 − s)² − a)·√((1 + s)² − a);
//! - a > (1 + s)²: two real negative roots, ρ = (−t + √D)/2, √D = √(a − (1 − s)²)·√(a − (1 + s)²);
//! - otherwise complex roots of modulus √det: ρ = s = √μ.
//!
//! D is written as that product of two differences, each formed without cancelling t² against 4μ,
//! and never squared, so it neither loses digits near t² = 4μ nor overflows.
//!
//! A null direction (λᵢ = 0, collinear features) does not change J: its error neither grows nor
//! shrinks, and J does not see it. The rates here are those of J (of its error along the other
//! directions): eigenvalues ≤ 0 are skipped. The marks need κ, so they are `None` with a null
//! direction (see [`polyak_optimum`]).

use crate::descent::optimizer::{Optimizer, OptimizerState, OPTIMIZERS};
use crate::descent::run::{require_finite_start, RunConfig, DIVERGENCE_FACTOR};
use crate::descent::schedule::Schedule;
use crate::descent::step_size::{LineSearch, RateRule};
use crate::error::{Range, Result};
use crate::least_squares::objective::{Objective, Regularization, Theta};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The factor the error shrinks by in [`steps_to_shrink`]: 10⁶.
pub const SHRINK_FACTOR: f64 = 1e6;
/// The default grid: 100 learning rates × 100 momenta.
pub const DEFAULT_GRID: [usize; 2] = [100, 100];
/// Fewest rows or columns of the grid (its two ends).
pub const MIN_GRID: usize = 2;
/// Most rows or columns of the grid.
pub const MAX_GRID: usize = 1000;
/// The default momentum range: from plain descent to μ = 0.999.
pub const DEFAULT_MOMENTUM_RANGE: [f64; 2] = [0.0, 0.999];
/// The default lowest rate, as a fraction of plain descent's critical rate 2/λ_max.
pub const DEFAULT_LR_LOW_FRACTION: f64 = 1e-3;
/// The default highest rate, as a multiple of heavy-ball's critical rate 2(1 + μ_max)/λ_max at
/// the top of the momentum range (so the divergent region shows along every row).
pub const DEFAULT_LR_HIGH_FACTOR: f64 = 1.2;
/// Updates each measurement of [`measure_rate`] takes.
pub const MEASURE_STEPS: u64 = 200;

/// The spectral radius of Rᵢ = [[μ, λ], [−η·μ, 1 − η·λ]] for `lr` = η, `momentum` = μ and
/// `eigenvalue` = λ: the factor heavy-ball momentum shrinks (< 1) or grows (> 1) the error along
/// that eigenvector by per step, asymptotically. μ = 0 gives |1 − ηλ|, plain descent's factor.
///
/// Defined for every real η, μ, λ (the root formulas for μ < 0 too); never NaN for finite input
/// (∞ when η·λ overflows).
pub fn spectral_radius(lr: f64, momentum: f64, eigenvalue: f64) -> f64 {
    radius_and_gap(lr * eigenvalue, momentum).0
}

/// ρ and 1 − ρ of z² − t·z + μ = 0, t = 1 + μ − a, each computed without cancellation where it
/// matters: 1 − ρ as 2a/(1 − μ + a + √D) on the branch of real positive roots (from
/// (2 − t)² − D = 4a), where ρ → 1 as a → 0 (tiny η·λ_min on ill-conditioned data), and as
/// (1 − μ)/(1 + √μ) on the complex branch.
fn radius_and_gap(a: f64, mu: f64) -> (f64, f64) {
    if mu < 0.0 {
        // Real roots of opposite signs: ρ = (|t| + √(t² − 4μ))/2, the root by hypot.
        let t = 1.0 + mu - a;
        let rho = 0.5 * (t.abs() + t.hypot(2.0 * (-mu).sqrt()));
        return (rho, 1.0 - rho);
    }
    let s = mu.sqrt();
    let (lo, hi) = ((1.0 - s) * (1.0 - s), (1.0 + s) * (1.0 + s));
    if a < lo {
        // t > 2√μ: both roots real and positive, the larger (t + √D)/2.
        let root = (lo - a).sqrt() * (hi - a).sqrt();
        let rho = 0.5 * (1.0 + mu - a + root);
        let denominator = 1.0 - mu + a + root;
        let gap = if denominator > 0.0 && denominator.is_finite() { 2.0 * a / denominator } else { 1.0 - rho };
        (rho, gap)
    } else if a > hi {
        // t < −2√μ: both roots real and negative, the larger in modulus (−t + √D)/2.
        let root = (a - lo).sqrt() * (a - hi).sqrt();
        let rho = 0.5 * (a - 1.0 - mu + root);
        (rho, 1.0 - rho)
    } else {
        // Complex (or double) roots: |z|² = det = μ.
        (s, (1.0 - mu) / (1.0 + s))
    }
}

/// The asymptotic rate of heavy-ball momentum at (`lr`, `momentum`) on a quadratic whose Hessian
/// has the eigenvalues `spectrum`: the largest [`spectral_radius`] over its positive eigenvalues
/// (a null direction does not change J; see the module's notes). 0 when none is positive (J is
/// constant: there is nothing to shrink).
pub fn rate(spectrum: &[f64], lr: f64, momentum: f64) -> f64 {
    rate_and_gap(spectrum, lr, momentum).0
}

/// [`rate`] and 1 − rate, the latter without cancellation (see [`radius_and_gap`]).
fn rate_and_gap(spectrum: &[f64], lr: f64, momentum: f64) -> (f64, f64) {
    let mut worst = (0.0, 1.0);
    for &lambda in spectrum.iter().filter(|&&l| l > 0.0) {
        let (rho, gap) = radius_and_gap(lr * lambda, momentum);
        // The smallest 1 − ρ is the largest ρ; NaN (a NaN input) is kept.
        if gap < worst.1 || gap.is_nan() {
            worst = (rho, gap);
        }
    }
    worst
}

/// The updates heavy-ball momentum takes, asymptotically, to shrink the error 10⁶ times
/// ([`SHRINK_FACTOR`]) at `rate`: ⌈ln 10⁻⁶ / ln rate⌉, 1 when the rate is 0, `None` when it is
/// ≥ 1 (the error never shrinks) or NaN. A quotient within 10⁻¹² (relative) above an integer
/// counts as that integer, so that rate 0.1 gives 6 despite rounding. Saturates at `u64::MAX`.
pub fn steps_to_shrink(rate: f64) -> Option<u64> {
    steps_from(rate, 1.0 - rate)
}

/// [`steps_to_shrink`] with 1 − rate given (exact where `rate` rounds to 1).
fn steps_from(rate: f64, gap: f64) -> Option<u64> {
    if !(rate < 1.0 && gap > 0.0) {
        return None;
    }
    if rate <= 0.0 {
        return Some(1);
    }
    let log_rate = if gap < 0.5 { (-gap).ln_1p() } else { rate.ln() };
    let quotient = (1.0 / SHRINK_FACTOR).ln() / log_rate;
    let steps = (quotient * (1.0 - 1e-12)).ceil().max(1.0);
    // `as` saturates: a quotient beyond u64::MAX (1 − rate below ~1e-18) is u64::MAX.
    Some(steps as u64)
}

/// Polyak's heavy ball at its best for a quadratic with eigenvalues in [λ_min, λ_max]:
/// η = 4/(√λ_max + √λ_min)², μ = ((√κ − 1)/(√κ + 1))², rate (√κ − 1)/(√κ + 1), κ = λ_max/λ_min.
/// There λ_min sits at critical damping and λ_max at the other edge of the complex region, so
/// every eigenvalue's radius is √μ; no (η, μ) has a smaller rate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MomentumOptimum {
    /// η*.
    pub lr: f64,
    /// μ*.
    pub momentum: f64,
    /// (√κ − 1)/(√κ + 1), as (√λ_max − √λ_min)/(√λ_max + √λ_min).
    pub rate: f64,
}

/// Plain gradient descent (μ = 0) at its best rate η = 2/(λ_min + λ_max): rate (κ − 1)/(κ + 1).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PlainBest {
    /// η = 2/(λ_min + λ_max).
    pub lr: f64,
    /// (κ − 1)/(κ + 1), as (λ_max − λ_min)/(λ_max + λ_min).
    pub rate: f64,
}

/// λ_min and λ_max of `spectrum` when both are finite and λ_min > 0, else `None`.
fn extremes(spectrum: &[f64]) -> Option<(f64, f64)> {
    if spectrum.is_empty() || spectrum.iter().any(|l| !l.is_finite()) {
        return None;
    }
    let min = spectrum.iter().copied().fold(f64::INFINITY, f64::min);
    let max = spectrum.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (min > 0.0).then_some((min, max))
}

/// [`MomentumOptimum`] of `spectrum`; `None` when its smallest eigenvalue is 0 (κ infinite: a
/// null direction, θ* not unique) or any eigenvalue is not finite.
pub fn polyak_optimum(spectrum: &[f64]) -> Option<MomentumOptimum> {
    let (min, max) = extremes(spectrum)?;
    let (root_min, root_max) = (min.sqrt(), max.sqrt());
    let sum = root_min + root_max;
    let rate = (root_max - root_min) / sum;
    Some(MomentumOptimum { lr: 4.0 / (sum * sum), momentum: rate * rate, rate })
}

/// [`PlainBest`] of `spectrum`; `None` as for [`polyak_optimum`].
pub fn plain_best(spectrum: &[f64]) -> Option<PlainBest> {
    let (min, max) = extremes(spectrum)?;
    Some(PlainBest { lr: 2.0 / (min + max), rate: (max - min) / (max + min) })
}

/// Where the map is drawn: the learning rates (log-spaced) and momenta (linear) of its grid.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MapSettings {
    /// [A, B], 0 < A < B finite; `None` for the default [`DEFAULT_LR_LOW_FRACTION`]·2/λ_max to
    /// [`DEFAULT_LR_HIGH_FACTOR`]·2(1 + μ_max)/λ_max, μ_max the top of the momentum range.
    pub lr_range: Option<[f64; 2]>,
    /// [a, b], 0 ≤ a < b < 1 ([`DEFAULT_MOMENTUM_RANGE`] by default).
    pub momentum_range: [f64; 2],
    /// [W, H]: W learning rates (the columns) and H momenta (the rows), each an integer from
    /// [`MIN_GRID`] to [`MAX_GRID`] ([`DEFAULT_GRID`], 100 × 100, by default).
    pub grid: [usize; 2],
}

impl Default for MapSettings {
    fn default() -> Self {
        MapSettings { lr_range: None, momentum_range: DEFAULT_MOMENTUM_RANGE, grid: DEFAULT_GRID }
    }
}

impl MapSettings {
    /// Checks the settings, naming the first bad value and its range: the grid's columns
    /// ("grid-columns") and rows ("grid-rows"), the momenta ("lowest-momentum", then
    /// "highest-momentum", which must exceed it), then the rates ("lowest-lr", "highest-lr").
    pub fn validate(&self) -> Result<()> {
        let grid = Range::IntegerIn { lo: MIN_GRID as f64, hi: MAX_GRID as f64 };
        grid.check_count("grid-columns", self.grid[0] as u64)?;
        grid.check_count("grid-rows", self.grid[1] as u64)?;
        let [low, high] = self.momentum_range;
        Range::HalfOpen { lo: 0.0, hi: 1.0 }.check("lowest-momentum", low)?;
        Range::Open { lo: low, hi: 1.0 }.check("highest-momentum", high)?;
        if let Some(range) = self.lr_range {
            check_lr_range(range)?;
        }
        Ok(())
    }

    /// The learning-rate range: the one set, or the default for `spectrum` and this momentum
    /// range (refused, naming "lowest-lr" or "highest-lr", when the spectrum's λ_max is not a
    /// finite positive number).
    pub fn lr_range_for(&self, spectrum: &[f64]) -> Result<[f64; 2]> {
        let range = self.lr_range.unwrap_or_else(|| default_lr_range(spectrum, self.momentum_range[1]));
        check_lr_range(range)?;
        Ok(range)
    }
}

/// 0 < A < B, both finite.
fn check_lr_range([low, high]: [f64; 2]) -> Result<()> {
    Range::Positive.check("lowest-lr", low)?;
    Range::GreaterThan { than: "lowest-lr", bound: low }.check("highest-lr", high)?;
    Ok(())
}

/// [`DEFAULT_LR_LOW_FRACTION`]·2/λ_max to [`DEFAULT_LR_HIGH_FACTOR`]·2(1 + `momentum_max`)/λ_max.
pub fn default_lr_range(spectrum: &[f64], momentum_max: f64) -> [f64; 2] {
    let lambda_max = spectrum.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let lr_critical = 2.0 / lambda_max;
    [DEFAULT_LR_LOW_FRACTION * lr_critical, DEFAULT_LR_HIGH_FACTOR * (1.0 + momentum_max) * lr_critical]
}

/// `count` ≥ 2 values from `low` to `high`, both ends exactly, evenly spaced in ln.
fn log_spaced(low: f64, high: f64, count: usize) -> Vec<f64> {
    let (from, span) = (low.ln(), high.ln() - low.ln());
    let last = count - 1;
    (0..count)
        .map(|i| match i {
            0 => low,
            i if i == last => high,
            i => (from + span * i as f64 / last as f64).exp(),
        })
        .collect()
}

/// `count` ≥ 2 values from `low` to `high`, both ends exactly, evenly spaced.
fn linear(low: f64, high: f64, count: usize) -> Vec<f64> {
    let last = count - 1;
    (0..count)
        .map(|i| if i == last { high } else { low + (high - low) * i as f64 / last as f64 })
        .collect()
}

/// The stability map: the rate of heavy-ball momentum at each (η, μ) of the grid.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RateMap {
    /// The W learning rates, log-spaced, A and B exactly at the ends.
    pub lrs: Vec<f64>,
    /// The H momenta, evenly spaced, a and b exactly at the ends.
    pub momenta: Vec<f64>,
    /// `rates[h][w]`: the rate at `momenta[h]`, `lrs[w]` (≥ 1: no convergence; ∞ where η·λ
    /// overflows).
    pub rates: Vec<Vec<f64>>,
    /// `steps[h][w]`: [`steps_to_shrink`] of that rate (`None` where it is ≥ 1).
    pub steps: Vec<Vec<Option<u64>>>,
    /// Polyak's optimum ([`polyak_optimum`]).
    pub optimum: Option<MomentumOptimum>,
    /// Plain descent's best ([`plain_best`]).
    pub plain_best: Option<PlainBest>,
    /// The Hessian's spectrum the map is of, as given (ascending from the core).
    pub eigenvalues: Vec<f64>,
    /// Plain descent's critical rate 2/λ_max; heavy-ball's is 2(1 + μ)/λ_max.
    pub lr_critical: f64,
}

impl RateMap {
    /// The map of `objective`'s smooth part (its Hessian's spectrum; an L1 part is not in it).
    pub fn of(objective: &Objective, settings: &MapSettings) -> Result<RateMap> {
        rate_map(&objective.curvature().spectrum, settings)
    }
}

/// The stability map of heavy-ball momentum on a quadratic with Hessian eigenvalues `spectrum`
/// (`Curvature::spectrum`), over the grid of `settings` (validated first). O(W·H·p).
pub fn rate_map(spectrum: &[f64], settings: &MapSettings) -> Result<RateMap> {
    settings.validate()?;
    let [low, high] = settings.lr_range_for(spectrum)?;
    let [width, height] = settings.grid;
    let lrs = log_spaced(low, high, width);
    let momenta = linear(settings.momentum_range[0], settings.momentum_range[1], height);
    let positive: Vec<f64> = spectrum.iter().copied().filter(|&l| l > 0.0).collect();
    let mut rates = Vec::with_capacity(height);
    let mut steps = Vec::with_capacity(height);
    for &momentum in &momenta {
        let (row, row_steps): (Vec<f64>, Vec<Option<u64>>) = lrs
            .iter()
            .map(|&lr| {
                let (rate, gap) = rate_and_gap(&positive, lr, momentum);
                (rate, steps_from(rate, gap))
            })
            .unzip();
        rates.push(row);
        steps.push(row_steps);
    }
    let lambda_max = spectrum.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    Ok(RateMap {
        lrs,
        momenta,
        rates,
        steps,
        optimum: polyak_optimum(spectrum),
        plain_best: plain_best(spectrum),
        eigenvalues: spectrum.to_vec(),
        lr_critical: 2.0 / lambda_max,
    })
}

// ---------------------------------------------------------------------------------------------
// The empirical check: the rate of real updates, from the gap J_k − J*.

/// The rate of real heavy-ball updates, measured from the gap g_k = J_k − J* (J's error is
/// quadratic in θ's, so g shrinks by rate² a step) over the steps k1..k2: the r for which
/// r^(2k) touches the peaks of g_k in both halves of the window alike (see `hull_rate`), which
/// for g_k = C·r^(2k) is r exactly, and for an oscillating gap (complex roots:
/// g_k = r^(2k)·C·cos²(kθ + φ), or several directions of one modulus beating) the r of its
/// peaks, when each half of the window is at least half a period long.
///
/// What it cannot see in [`MEASURE_STEPS`] steps: two directions whose rates differ by less
/// than about 1% (the faster has not died out; the measured rate lies between them), a slow
/// rotation near critical damping (θ → 0: less than half a turn in the window), and the k·r^k
/// of a double root, (k2/k1)^(1/(k2 − k1)) above r. Rates above 1 are measured on the way to
/// divergence, as accurately.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MeasuredRate {
    /// The measured rate; ≥ 1 when the run diverged.
    pub rate: f64,
    /// [k1, k2]: the steps the rate is measured between. k2 is the last step before the gap
    /// fell to the rounding floor (or the last finite step, or [`MEASURE_STEPS`]); k1 = k2/4,
    /// late enough for the slowest direction to dominate, early enough that each half of the
    /// window holds a peak of an oscillating gap.
    pub window: [u64; 2],
    /// J became non-finite or passed [`DIVERGENCE_FACTOR`]·J(start), the run's own test.
    pub diverged: bool,
    /// The gap fell to the floor within 4 steps: too fast to measure, `rate` is an upper bound,
    /// (floor/g_0)^(1/(2(k2 + 1))).
    pub bound: bool,
}

/// The rate of [`MEASURE_STEPS`] full-batch heavy-ball updates at (`lr`, `momentum`) from
/// `start` on the smooth part of `objective` (an L1 part is dropped, as in the map): the same
/// update as a full-batch run's, θ ← `Optimizer::Momentum` on the smooth gradient, without the
/// run's history. `None` when the smooth part has no unique optimum (no J*) or `start` is
/// already at it (no gap to measure).
///
/// The rounding floor of the gap is 10⁻¹²·|J*| (J is computed to about 10⁻¹⁵·J, so the gap
/// keeps 2–3 digits there) plus 10⁻²⁴·g_0 (for J* = 0, where θ's own rounding, about
/// 10⁻³²·g_0, sets it); the first gap at or below it ends the window. The run's divergence test
/// is kept: J above [`DIVERGENCE_FACTOR`]·J(start) (or not finite) ends it, as it would stop a
/// run, and the rate measured on the way there is reported, at least 1.
/// Refuses a learning rate that is not a finite number > 0, a momentum outside [0, 1) and a
/// start without a finite J.
pub fn measure_rate(objective: &Objective, lr: f64, momentum: f64, start: Theta) -> Result<Option<MeasuredRate>> {
    Range::Positive.check("learning-rate", lr)?;
    let optimizer = Optimizer::Momentum { momentum };
    optimizer.validate()?;
    let smooth = smooth_part(objective);
    let start = require_finite_start(start, &smooth)?;
    let Ok(optimum) = smooth.optimum() else { return Ok(None) };
    let j_star = optimum.loss;
    let j_start = smooth.loss(start);
    let threshold = DIVERGENCE_FACTOR * j_start.max(1e-300);
    let mut gaps = vec![j_start - j_star];
    let floor = 1e-12 * j_star.abs() + 1e-24 * gaps[0];
    if gaps[0].is_nan() || gaps[0] <= floor {
        return Ok(None);
    }
    let (mut theta, mut state) = (start, OptimizerState::default());
    let mut diverged = false;
    let mut reached_floor = false;
    for _ in 0..MEASURE_STEPS {
        theta = optimizer.update(&mut state, theta, smooth.smooth_gradient(theta), lr);
        let loss = smooth.loss(theta);
        if !(theta.is_finite() && loss.is_finite()) {
            diverged = true;
            break;
        }
        let gap = loss - j_star;
        if gap <= floor {
            reached_floor = true;
            break;
        }
        gaps.push(gap);
        if loss > threshold {
            diverged = true;
            break;
        }
    }
    let k2 = gaps.len() - 1;
    if reached_floor && k2 < 4 {
        let rate = (floor / gaps[0]).powf(1.0 / (2.0 * (k2 + 1) as f64));
        return Ok(Some(MeasuredRate { rate, window: [0, k2 as u64], diverged, bound: true }));
    }
    let k1 = k2 / 4;
    let measured = if k2 > k1 { hull_rate(&gaps, k1, k2) } else { f64::INFINITY };
    let rate = if diverged { measured.max(1.0) } else { measured };
    Ok(Some(MeasuredRate { rate, window: [k1 as u64, k2 as u64], diverged, bound: false }))
}

/// The rate r with which the gaps `gaps[k1..=k2]` are best matched by r^(2k) from above: the
/// u = ln r at which max over the first half of ln g_k − 2k·u equals max over the second half
/// (the slope of the bridge of the upper hull of (k, ln g_k) across the two halves), by
/// bisection: the difference falls strictly as u grows, since every k of the second half
/// exceeds every k of the first. A geometric g_k = C·r^(2k) gives r exactly; an oscillating one
/// (complex roots, g_k = r^(2k)·C·cos²(kθ + φ)) gives the r of its peaks, each half of the window
/// holding a peak when it is at least half a period long.
fn hull_rate(gaps: &[f64], k1: usize, k2: usize) -> f64 {
    let middle = (k1 + k2).div_ceil(2);
    let logs: Vec<(f64, f64)> = (k1..=k2).map(|k| (k as f64, gaps[k].ln())).collect();
    let split = middle - k1;
    let (first, second) = logs.split_at(split);
    let top = |half: &[(f64, f64)], u: f64| half.iter().map(|&(k, l)| l - 2.0 * k * u).fold(f64::NEG_INFINITY, f64::max);
    // ln g spans less than 1500 (from 1e-320 to 1e308) and adjacent k differ by 1, so the root
    // lies in [−800, 800]; 64 halvings bring the bracket to 1e-16.
    let (mut low, mut high) = (-800.0_f64, 800.0_f64);
    for _ in 0..64 {
        let u = 0.5 * (low + high);
        if top(second, u) > top(first, u) {
            low = u;
        } else {
            high = u;
        }
    }
    (0.5 * (low + high)).exp()
}

/// `objective` without its L1 part (an elastic net keeps its L2 part λ₂ = λ·(1 − ρ)).
fn smooth_part(objective: &Objective) -> Objective {
    match objective.regularization() {
        Regularization::L1 { .. } => objective.with_regularization(Regularization::None),
        Regularization::ElasticNet { .. } => {
            objective.with_regularization(Regularization::L2 { lambda: objective.regularization().l2_weight() })
        }
        _ => *objective,
    }
}

/// The map's theory beside real runs on a grid (a coarse one: each cell is
/// [`MEASURE_STEPS`] updates).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EmpiricalCheck {
    /// The map's learning rates.
    pub lrs: Vec<f64>,
    /// The map's momenta.
    pub momenta: Vec<f64>,
    /// `theory[h][w]`: the map's rate.
    pub theory: Vec<Vec<f64>>,
    /// `measured[h][w]`: [`measure_rate`] there (`None` as it says).
    pub measured: Vec<Vec<Option<MeasuredRate>>>,
}

/// [`measure_rate`] from `start` at every cell of the grid of `settings`, beside the map's rate
/// of `objective`. O(W·H·[`MEASURE_STEPS`]·p²).
pub fn empirical_check(objective: &Objective, settings: &MapSettings, start: Theta) -> Result<EmpiricalCheck> {
    let map = RateMap::of(objective, settings)?;
    let mut measured = Vec::with_capacity(map.momenta.len());
    for &momentum in &map.momenta {
        let row = map.lrs.iter().map(|&lr| measure_rate(objective, lr, momentum, start)).collect::<Result<Vec<_>>>()?;
        measured.push(row);
    }
    Ok(EmpiricalCheck { lrs: map.lrs, momenta: map.momenta, theory: map.rates, measured })
}

// ---------------------------------------------------------------------------------------------
// Where the map applies.

/// A reason the map does not describe a run exactly. `name()` is a stable key for the page's
/// words; `Display` gives the English sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Caveat {
    /// An L1 part (lasso, elastic net): J is not smooth; the map is of the smooth part.
    L1Part,
    /// A batch smaller than n: the gradient is noisy; the map is of the full batch.
    MiniBatch,
    /// An optimizer other than plain descent (the map's μ = 0 row) and heavy-ball momentum.
    NotHeavyBall {
        /// The optimizer's name ("nesterov", "adam", …).
        optimizer: &'static str,
    },
    /// A schedule, a rate rule or a line search: the rate changes; the map is of a constant one.
    VaryingRate,
}

impl Caveat {
    /// "l1-part", "mini-batch", "not-heavy-ball" or "varying-rate".
    pub fn name(&self) -> &'static str {
        match self {
            Caveat::L1Part => "l1-part",
            Caveat::MiniBatch => "mini-batch",
            Caveat::NotHeavyBall { .. } => "not-heavy-ball",
            Caveat::VaryingRate => "varying-rate",
        }
    }
}

impl fmt::Display for Caveat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Caveat::L1Part => f.write_str("the L1 part is not smooth: the map shows the smooth part"),
            Caveat::MiniBatch => f.write_str("a mini-batch adds noise: the map shows the full batch"),
            Caveat::NotHeavyBall { optimizer } => {
                let legend = OPTIMIZERS.iter().find(|e| e.name == *optimizer).map_or(*optimizer, |e| e.legend);
                write!(f, "{legend} is not heavy-ball momentum: the map shows heavy-ball momentum")
            }
            Caveat::VaryingRate => {
                f.write_str("the learning rate changes during the run: the map shows a constant rate")
            }
        }
    }
}

/// The reasons the map does not describe a run of `config` on `n` points with `regularization`
/// exactly, in the order optimizer, batch, rate, L1 part; empty when it does (full-batch plain
/// descent or heavy-ball momentum at a constant rate on a smooth objective).
pub fn caveats(config: &RunConfig, n: usize, regularization: &Regularization) -> Vec<Caveat> {
    let mut out = Vec::new();
    if !matches!(config.optimizer, Optimizer::Sgd | Optimizer::Momentum { .. }) {
        out.push(Caveat::NotHeavyBall { optimizer: config.optimizer.name() });
    }
    if config.batch_size < n {
        out.push(Caveat::MiniBatch);
    }
    if config.schedule != Schedule::Constant || config.rate_rule != RateRule::None || config.line_search != LineSearch::None {
        out.push(Caveat::VaryingRate);
    }
    if regularization.l1_weight() > 0.0 {
        out.push(Caveat::L1Part);
    }
    out
}
