//! The learning-rate range test, as fastai's `LRFinder` and `lr_find` run it
//! (`fastai/callback/schedule.py`), on a copy of a run's settings.
//!
//! - Update i (i = 0 … num_it − 1) uses the rate ηᵢ = start·(end/start)^(i/num_it).
//! - The loss recorded at update i is that update's batch loss before the step: J(θᵢ) on the
//!   full batch; on a mini-batch, the data term on that batch plus R.
//! - Smoothing: avg ← β·avg + (1 − β)·loss, and smooth_k = avg/(1 − β^k) for the k-th loss.
//! - Stopping: when smooth > stop_factor × the best smooth loss so far (the stopping update is
//!   recorded), when the loss is not finite, or after num_it updates.
//! - Suggestions on the points fastai keeps, `[num_it/10 .. len − 5)` cut at the first
//!   non-finite smoothed loss: valley (the default), steep and minimum/10.
//!
//! The test never touches a run: it starts a run of its own from the start θ with the run's
//! optimizer, batch size, seed and objective, and a constant rate it sets before each update.
//! It advances a few updates at a time ([`RangeFinder::advance`]) so that a page can spread it
//! over frames.

use crate::descent::optimizer::Optimizer;
use crate::descent::run::{Run, RunConfig};
use crate::descent::schedule::Schedule;
use crate::descent::step_size::{LineSearch, RateRule};
use crate::error::{Error, Range, Result};
use crate::least_squares::data::Dataset;
use crate::least_squares::objective::{Objective, Theta};
use serde::{Deserialize, Serialize};

/// fastai's defaults: `lr_find(start_lr=1e-7, end_lr=10, num_it=100)`, `AvgSmoothLoss(beta=0.98)`
/// and the divergence test `smooth_loss > 4*best_loss`.
pub const DEFAULT_SETTINGS: RangeSettings = RangeSettings { start: 1e-7, end: 10.0, num_it: 100, beta: 0.98, stop_factor: 4.0 };

/// Fewest updates: fastai's `LRFinder` raises a smaller `num_it` to 6.
pub const MIN_UPDATES: usize = 6;
/// Most updates a range test takes.
pub const MAX_UPDATES: usize = 10_000;
/// Points fastai leaves out at the end of the curve before suggesting (`losses[...:-5]`).
const TAIL: usize = 5;

/// The settings of a range test.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RangeSettings {
    /// The first rate, > 0.
    pub start: f64,
    /// The rate the sweep reaches after `num_it` updates, > start.
    pub end: f64,
    /// Most updates, in [6, 10000].
    pub num_it: usize,
    /// The smoothing factor β of the loss, in [0, 1).
    pub beta: f64,
    /// Stop once the smoothed loss exceeds this factor times the best so far, > 1.
    pub stop_factor: f64,
}

impl Default for RangeSettings {
    fn default() -> Self {
        DEFAULT_SETTINGS
    }
}

impl RangeSettings {
    /// Checks each setting, naming it and its valid range.
    pub fn validate(&self) -> Result<()> {
        Range::Positive.check("range-start", self.start)?;
        Range::GreaterThan { than: "range-start", bound: self.start }.check("range-end", self.end)?;
        Range::IntegerIn { lo: MIN_UPDATES as f64, hi: MAX_UPDATES as f64 }.check_count("num-it", self.num_it as u64)?;
        Range::HalfOpen { lo: 0.0, hi: 1.0 }.check("smoothing-beta", self.beta)?;
        Range::Open { lo: 1.0, hi: 1e6 }.check("stop-factor", self.stop_factor)?;
        Ok(())
    }

    /// The rate of update `i`: start·(end/start)^(i/num_it).
    pub fn rate(&self, i: usize) -> f64 {
        self.start * (self.end / self.start).powf(i as f64 / self.num_it as f64)
    }
}

/// Why the test stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stopped {
    /// The smoothed loss passed stop_factor × its best, or a loss was not finite.
    Diverged,
    /// All num_it updates were taken.
    NumIt,
}

/// The rates the test suggests (none when too few points are kept to suggest one).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Suggestions {
    /// fastai's default: a rate inside the longest falling stretch of the smoothed loss.
    pub valley: Option<f64>,
    /// The rate where the smoothed loss falls fastest against log η.
    pub steep: Option<f64>,
    /// The rate of the lowest smoothed loss, divided by 10.
    pub minimum: Option<f64>,
}

/// Where each suggestion was read off the curve: an index into the recorded points.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct SuggestionPoints {
    /// The point whose rate is the valley suggestion.
    pub valley: Option<usize>,
    /// The point whose rate is the steep suggestion.
    pub steep: Option<usize>,
    /// The point of the lowest smoothed loss (its rate is 10 × the minimum suggestion).
    pub minimum: Option<usize>,
}

/// A range test's curve and what it suggests.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RangeTest {
    /// The rate of each update taken.
    pub lrs: Vec<f64>,
    /// The batch loss before each update (may end with one non-finite loss).
    pub losses: Vec<f64>,
    /// The smoothed losses.
    pub smooth_losses: Vec<f64>,
    /// The suggested rates.
    pub suggestions: Suggestions,
    /// The points they were read at.
    pub points: SuggestionPoints,
    /// Why the test stopped (none while it is still going).
    pub stopped: Option<Stopped>,
    /// The critical rate 2/λ_max of full-batch gradient descent on the objective.
    pub lr_critical: f64,
    /// Updates the test takes at most.
    pub num_it: usize,
}

/// A range test under way: its own run, and the curve so far.
#[derive(Debug, Clone)]
pub struct RangeFinder {
    settings: RangeSettings,
    run: Run,
    lrs: Vec<f64>,
    losses: Vec<f64>,
    smooth: Vec<f64>,
    avg: f64,
    best: f64,
    stopped: Option<Stopped>,
}

impl RangeFinder {
    /// A range test from `theta_start` with the optimizer, batch size and seed of `config`, at a
    /// constant rate chosen per update (the schedule, rate rule and line search are not used:
    /// the sweep is the schedule). CG chooses its own steps, so it has no range test.
    pub fn new(settings: RangeSettings, config: &RunConfig, theta_start: Theta, data: &Dataset, objective: &Objective) -> Result<Self> {
        settings.validate()?;
        if config.optimizer == Optimizer::Cg {
            return Err(Error::invalid("optimizer", "cg", Range::RateFollowing));
        }
        let config = RunConfig {
            learning_rate: settings.start,
            schedule: Schedule::Constant,
            rate_rule: RateRule::None,
            line_search: LineSearch::None,
            ..*config
        };
        let run = Run::new(config, theta_start, data, objective)?;
        let capacity = settings.num_it;
        Ok(RangeFinder {
            settings,
            run,
            lrs: Vec::with_capacity(capacity),
            losses: Vec::with_capacity(capacity),
            smooth: Vec::with_capacity(capacity),
            avg: 0.0,
            best: f64::INFINITY,
            stopped: None,
        })
    }

    /// The settings.
    pub fn settings(&self) -> &RangeSettings {
        &self.settings
    }

    /// Whether the test has stopped.
    pub fn is_done(&self) -> bool {
        self.stopped.is_some()
    }

    /// Updates taken.
    pub fn taken(&self) -> usize {
        self.lrs.len()
    }

    /// Takes up to `updates` more updates (fewer when the test stops), on the data and
    /// objective it was made with.
    pub fn advance(&mut self, updates: usize, data: &Dataset, objective: &Objective) {
        for _ in 0..updates {
            if self.stopped.is_some() {
                return;
            }
            let i = self.lrs.len();
            let lr = self.settings.rate(i);
            let loss = self.run.batch_loss_update(lr, data, objective);
            self.lrs.push(lr);
            self.losses.push(loss);
            let beta = self.settings.beta;
            self.avg = beta * self.avg + (1.0 - beta) * loss;
            let smooth = self.avg / (1.0 - beta.powi(self.smooth.len() as i32 + 1));
            self.smooth.push(smooth);
            if smooth < self.best {
                self.best = smooth;
            }
            if !loss.is_finite() || !smooth.is_finite() || smooth > self.settings.stop_factor * self.best {
                self.stopped = Some(Stopped::Diverged);
            } else if self.lrs.len() >= self.settings.num_it {
                self.stopped = Some(Stopped::NumIt);
            }
        }
    }

    /// The curve so far, with its suggestions (worked out on what is recorded so far).
    pub fn result(&self, objective: &Objective) -> RangeTest {
        let (suggestions, points) = suggest(&self.lrs, &self.smooth, self.settings.num_it);
        RangeTest {
            lrs: self.lrs.clone(),
            losses: self.losses.clone(),
            smooth_losses: self.smooth.clone(),
            suggestions,
            points,
            stopped: self.stopped,
            lr_critical: objective.curvature().lr_critical,
            num_it: self.settings.num_it,
        }
    }
}

/// The whole range test at once.
pub fn range_test(settings: RangeSettings, config: &RunConfig, theta_start: Theta, data: &Dataset, objective: &Objective) -> Result<RangeTest> {
    let mut finder = RangeFinder::new(settings, config, theta_start, data, objective)?;
    finder.advance(settings.num_it, data, objective);
    Ok(finder.result(objective))
}

/// fastai's suggestions on the recorded curve: the points `[num_it/10 .. len − 5)`, cut at the
/// first non-finite loss, then valley, steep and minimum on them. Indices are into the whole
/// curve.
pub fn suggest(lrs: &[f64], losses: &[f64], num_it: usize) -> (Suggestions, SuggestionPoints) {
    let len = lrs.len().min(losses.len());
    let first = (num_it / 10).min(len);
    let last = len.saturating_sub(TAIL).max(first);
    let kept = losses[first..last].iter().position(|v| !v.is_finite()).map_or(last, |cut| first + cut);
    let (lrs_kept, losses_kept) = (&lrs[first..kept], &losses[first..kept]);
    let valley = valley(losses_kept).map(|i| first + i);
    let steep = steep(lrs_kept, losses_kept).map(|i| first + i);
    let minimum = argmin(losses_kept).map(|i| first + i);
    (
        Suggestions {
            valley: valley.map(|i| lrs[i]),
            steep: steep.map(|i| lrs[i]),
            minimum: minimum.map(|i| lrs[i] / 10.0),
        },
        SuggestionPoints { valley, steep, minimum },
    )
}

/// fastai's `valley`: the longest decreasing subsequence (by its O(n²) dynamic programme),
/// and the point a third plus a sixth of the way along the stretch it spans. A negative index
/// counts from the end, as in Python.
fn valley(losses: &[f64]) -> Option<usize> {
    let n = losses.len();
    if n == 0 {
        return None;
    }
    let mut lds = vec![1usize; n];
    let (mut max_start, mut max_end) = (0i64, 0usize);
    for i in 1..n {
        for j in 0..i {
            if losses[i] < losses[j] && lds[i] < lds[j] + 1 {
                lds[i] = lds[j] + 1;
            }
            if lds[max_end] < lds[i] {
                max_end = i;
                max_start = max_end as i64 - lds[max_end] as i64;
            }
        }
    }
    let sections = (max_end as i64 - max_start) as f64 / 3.0;
    let index = max_start + sections.trunc() as i64 + (sections / 2.0).trunc() as i64;
    Some(if index < 0 { (index + n as i64) as usize } else { index as usize })
}

/// fastai's `steep`: the rate where Δloss/Δln η is lowest (the first such point).
fn steep(lrs: &[f64], losses: &[f64]) -> Option<usize> {
    let slopes: Vec<f64> = (1..losses.len()).map(|i| (losses[i] - losses[i - 1]) / (lrs[i].ln() - lrs[i - 1].ln())).collect();
    argmin(&slopes)
}

/// The index of the first smallest value (as torch's `argmin`).
fn argmin(values: &[f64]) -> Option<usize> {
    let mut best: Option<usize> = None;
    for (i, &v) in values.iter().enumerate() {
        if best.is_none_or(|b| v < values[b]) {
            best = Some(i);
        }
    }
    best
}
