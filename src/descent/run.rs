//! A run: one optimizer stepping on one objective, one update per iteration, with its batch
//! sampler, status and history. Settings may change between steps without a reset.

use crate::param::{param, Param};
use crate::least_squares::data::Dataset;
use crate::descent::explain::{frac, row, sup, tok, var, Batch, Explanation, GradientUsed, NoTrace, Prox, Recorder, Stability, Step, Tracer, MAX_LISTED_INDICES};
use crate::error::{require_positive, Error, Range, Result};
use crate::least_squares::objective::{sign0, Objective, Theta};
use crate::descent::optimizer::{Optimizer, OptimizerState};
use crate::descent::sampler::{self, sampler_rng, EpochOrder, Overlay, Positions};
use crate::descent::schedule::Schedule;
use crate::descent::step_size::{self, dot, LineSearch, RateRule, StepSizeState, Trial, MAX_BACKTRACKS};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Default convergence tolerance on the gradient norm.
pub const DEFAULT_TOLERANCE: f64 = 1e-6;
/// A run diverges when J exceeds this factor times J(θ_start).
pub const DIVERGENCE_FACTOR: f64 = 1e10;
/// Most history points a run keeps; beyond it the history is thinned evenly (every other point
/// dropped, then only every 2nd, 4th, ... iteration recorded).
pub const HISTORY_CAP: usize = 20_000;

/// Where a run stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Still stepping.
    Running,
    /// The gradient norm (with L1: the proximal gradient mapping) is ≤ tol.
    Converged,
    /// θ or J became non-finite, or J exceeded 1e10 × J(θ_start). The run no longer steps.
    Diverged,
}

impl Status {
    /// "running", "converged" or "diverged".
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Running => "running",
            Status::Converged => "converged",
            Status::Diverged => "diverged",
        }
    }
}

/// Why a run diverged, as the divergence message explains it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DivergenceCause {
    /// The learning rate was above the critical rate 2/λ_max.
    AboveCritical,
    /// Full-batch plain descent below the critical rate still grew the loss past
    /// [`DIVERGENCE_FACTOR`] times its start (rounding near the critical rate).
    LossGrowth,
    /// Below the critical rate, the noise of small batches made the loss grow.
    MinibatchNoise,
    /// Below the critical rate, the optimizer's momentum or step-size adaptation made the
    /// loss grow.
    Optimizer,
}

/// What happened when a run diverged, in numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Divergence {
    /// The update (1-based) that blew up.
    pub iteration: u64,
    /// The effective learning rate of that update.
    pub learning_rate: f64,
    /// The critical rate 2/λ_max of full-batch gradient descent on this objective.
    pub lr_critical: f64,
    /// J at the last finite state, which the run keeps.
    pub last_loss: f64,
    /// Why, as the message says it.
    pub cause: DivergenceCause,
    /// The factor over J(θ_start) past which the loss counts as diverged: [`DIVERGENCE_FACTOR`].
    pub factor: f64,
    /// A plain sentence with the numbers, for a person (in English).
    pub message: String,
}

/// The settings of one run. All may change between steps.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RunConfig {
    /// Base learning rate η > 0 (finite).
    pub learning_rate: f64,
    /// Batch size b ∈ [1, n]; b = n is full-batch gradient descent.
    pub batch_size: usize,
    /// The update rule.
    pub optimizer: Optimizer,
    /// The learning-rate schedule.
    pub schedule: Schedule,
    /// A rate that reacts to the loss (none by default).
    #[serde(default)]
    pub rate_rule: RateRule,
    /// A line search of full-batch plain gradient descent (none by default).
    #[serde(default)]
    pub line_search: LineSearch,
    /// Seed of the mini-batch sampler.
    pub seed: u64,
    /// Convergence tolerance on the gradient norm, > 0.
    pub tol: f64,
}

impl RunConfig {
    /// Full-batch plain gradient descent at `learning_rate` on `n` points.
    pub fn full_batch(learning_rate: f64, n: usize) -> Self {
        RunConfig {
            learning_rate,
            batch_size: n,
            optimizer: Optimizer::Sgd,
            schedule: Schedule::Constant,
            rate_rule: RateRule::None,
            line_search: LineSearch::None,
            seed: crate::least_squares::data::DEFAULT_SEED,
            tol: DEFAULT_TOLERANCE,
        }
    }

    /// Checks every field against a data set of `n` points, and that they go together: a line
    /// search is for full-batch plain gradient descent without a rate rule; Newton and CG use
    /// the full batch.
    pub fn validate(&self, n: usize) -> Result<()> {
        LEARNING_RATE.check(self.learning_rate)?;
        validate_batch_size(self.batch_size, n)?;
        self.optimizer.validate()?;
        self.schedule.validate()?;
        self.rate_rule.validate()?;
        self.line_search.validate()?;
        require_positive("tolerance", self.tol)?;
        let full = self.batch_size >= n;
        if self.line_search != LineSearch::None {
            if !self.optimizer.is_plain() {
                return Err(Error::invalid("line-search", self.line_search.name(), Range::PlainDescent));
            }
            if self.rate_rule != RateRule::None {
                return Err(Error::invalid("rate-rule", self.rate_rule.name(), Range::WithoutLineSearch));
            }
            if !full {
                return Err(step_size::needs_full_batch("batch-size", &self.batch_size.to_string(), n));
            }
        }
        if self.optimizer.is_second_order() && !full {
            return Err(step_size::needs_full_batch("batch-size", &self.batch_size.to_string(), n));
        }
        Ok(())
    }

    /// Whether the rate changes from update to update: a schedule other than constant, a rate
    /// rule, a line search, or CG's own steps.
    pub fn rate_varies(&self) -> bool {
        self.schedule != Schedule::Constant || self.rate_rule != RateRule::None || self.step_chosen_by_update()
    }

    /// Whether the step of an update is known only once it is taken (a line search, CG): the
    /// rate reported is then the last accepted one.
    fn step_chosen_by_update(&self) -> bool {
        self.line_search != LineSearch::None || self.optimizer == Optimizer::Cg
    }
}

/// Newton and CG need a smooth objective: refused while the objective has an L1 part.
pub fn check_smooth(optimizer: &Optimizer, objective: &Objective) -> Result<()> {
    if optimizer.is_second_order() && objective.regularization().l1_weight() > 0.0 {
        return Err(step_size::needs_smooth(optimizer.name()));
    }
    Ok(())
}

fn validate_batch_size(batch_size: usize, n: usize) -> Result<()> {
    Range::IntegerIn { lo: 1.0, hi: n as f64 }.check_count("batch-size", batch_size as u64).map(|_| ())
}

/// `theta` when it has a finite value for each of the objective's parameters and J and its
/// gradient are finite there (θ = (0, −1e308) is finite, its loss is not), else the error
/// naming the start θ.
pub fn require_finite_start(theta: Theta, objective: &Objective) -> Result<Theta> {
    let theta = objective.check_theta("start", theta)?;
    if objective.loss(theta).is_finite() && objective.smooth_gradient(theta).norm().is_finite() {
        return Ok(theta);
    }
    Err(Error::invalid("start", crate::error::values_text(theta.as_slice()), Range::FiniteLoss { count: objective.params() }))
}

/// The state after a call to [`Run::step`]: every number finite (the run keeps its last finite
/// state when it diverges).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepReport {
    /// Updates taken.
    pub iteration: u64,
    /// Completed passes over the data: ⌊samples_seen / n⌋.
    pub epoch: u64,
    /// Points used so far, counting repeats.
    pub samples_seen: u64,
    /// Current θ.
    pub theta: Theta,
    /// J(θ) on the full data.
    pub loss: f64,
    /// Full-batch gradient norm at θ (with L1: the proximal gradient mapping's norm).
    pub grad_norm: f64,
    /// The rate in force: the learning rate of the next update (base rate × schedule, times
    /// the rate rule's factor); with a line search or CG, which choose their step during the
    /// update, the step of the last accepted update (before the first: the learning rate).
    pub lr_effective: f64,
    /// Loss and gradient evaluations the updates asked for (rejected trials, Hessians and
    /// Hessian–vector products included; the report's own J and ‖∇J‖ not).
    pub evaluations: u64,
    /// Where the run stands.
    pub status: Status,
    /// Set once the run has diverged.
    pub divergence: Option<Divergence>,
}

/// One recorded state of a run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct HistoryPoint {
    /// Updates taken at this point.
    pub iteration: u64,
    /// Completed epochs at this point.
    pub epoch: u64,
    /// θ.
    pub theta: Theta,
    /// J(θ).
    pub loss: f64,
    /// Gradient norm at θ.
    pub grad_norm: f64,
    /// The rate of the update that led here (at iteration 0: the rate in force).
    pub lr: f64,
}

/// The gradients of the last update, for drawing SGD's noise: the mini-batch gradient and the
/// full-batch gradient, both at the θ the update started from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LastGradients {
    /// θ before the update.
    pub at: Theta,
    /// Gradient of the batch used (smooth part).
    pub batch: Theta,
    /// Full-batch gradient (smooth part).
    pub full: Theta,
}

/// A run's history, bounded: beyond [`HISTORY_CAP`] points every other point is dropped and
/// only every `stride`-th iteration is recorded from then on. The (iteration, J) of each point
/// is kept in a column of its own too, which the loss curve borrows every frame.
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    points: Vec<HistoryPoint>,
    losses: Vec<(f64, f64)>,
    stride: u64,
}

impl History {
    fn new(first: HistoryPoint) -> Self {
        History { losses: vec![(first.iteration as f64, first.loss)], points: vec![first], stride: 1 }
    }
    /// Whether a point of `iteration` would be recorded (every `stride`-th).
    fn keeps(&self, iteration: u64) -> bool {
        iteration.is_multiple_of(self.stride)
    }
    fn push(&mut self, point: HistoryPoint) {
        if !self.keeps(point.iteration) {
            return;
        }
        self.losses.push((point.iteration as f64, point.loss));
        self.points.push(point);
        if self.points.len() > HISTORY_CAP {
            let stride = self.stride * 2;
            self.points.retain(|p| p.iteration.is_multiple_of(stride));
            self.losses.retain(|&(k, _)| (k as u64).is_multiple_of(stride));
            self.stride = stride;
        }
    }
    /// The recorded points, in order of iteration.
    pub fn points(&self) -> &[HistoryPoint] {
        &self.points
    }
    /// The recorded points up to iteration `until` (all of them when `None`), at least the first.
    pub fn until(&self, until: Option<u64>) -> &[HistoryPoint] {
        &self.points[..self.count_until(until)]
    }
    /// (iteration, J) of the points of [`History::until`].
    pub fn losses_until(&self, until: Option<u64>) -> &[(f64, f64)] {
        &self.losses[..self.count_until(until)]
    }
    fn count_until(&self, until: Option<u64>) -> usize {
        match until {
            Some(k) => self.points.partition_point(|p| p.iteration <= k).max(1),
            None => self.points.len(),
        }
    }
    /// 1 while every iteration is kept; 2^k after k thinnings.
    pub fn stride(&self) -> u64 {
        self.stride
    }
}

/// One optimizer run on an objective.
#[derive(Debug, Clone)]
pub struct Run {
    config: RunConfig,
    theta: Theta,
    theta_start: Theta,
    optimizer_state: OptimizerState,
    rng: ChaCha8Rng,
    /// The epoch order of the mini-batch sampler: empty until the first mini-batch update.
    order: EpochOrder,
    cursor: usize,
    iteration: u64,
    samples_seen: u64,
    status: Status,
    divergence: Option<Divergence>,
    history: History,
    last_gradients: Option<LastGradients>,
    /// What the rate rule and the line search remember.
    step_size: StepSizeState,
    /// The trials of the last line search (empty without one).
    trials: Vec<Trial>,
}

impl Run {
    /// A run from `theta_start` with `config`, validated against `data`.
    pub fn new(config: RunConfig, theta_start: Theta, data: &Dataset, objective: &Objective) -> Result<Self> {
        config.validate(data.len())?;
        check_smooth(&config.optimizer, objective)?;
        require_finite_start(theta_start, objective)?;
        let mut run = Run {
            config,
            theta: theta_start,
            theta_start,
            optimizer_state: OptimizerState::default(),
            rng: sampler_rng(config.seed),
            order: EpochOrder::default(),
            cursor: 0,
            iteration: 0,
            samples_seen: 0,
            status: Status::Running,
            divergence: None,
            history: History::new(HistoryPoint {
                iteration: 0,
                epoch: 0,
                theta: theta_start,
                loss: 0.0,
                grad_norm: 0.0,
                lr: config.learning_rate,
            }),
            last_gradients: None,
            step_size: StepSizeState::default(),
            trials: Vec::new(),
        };
        run.restart(theta_start, data, objective);
        Ok(run)
    }

    /// Back to iteration 0 at `theta_start`, with a fresh optimizer state and sampler (same seed).
    pub fn restart(&mut self, theta_start: Theta, data: &Dataset, objective: &Objective) {
        self.theta = theta_start;
        self.theta_start = theta_start;
        self.optimizer_state = OptimizerState::default();
        self.rng = sampler_rng(self.config.seed);
        self.order.clear();
        self.cursor = 0;
        self.iteration = 0;
        self.samples_seen = 0;
        self.status = Status::Running;
        self.divergence = None;
        self.last_gradients = None;
        self.step_size = StepSizeState::default();
        self.trials.clear();
        let first = self.history_point(data, objective);
        self.history = History::new(first);
        self.update_convergence(objective);
    }

    /// The settings.
    pub fn config(&self) -> &RunConfig {
        &self.config
    }
    /// Current θ.
    pub fn theta(&self) -> Theta {
        self.theta
    }
    /// θ the run started from.
    pub fn theta_start(&self) -> Theta {
        self.theta_start
    }
    /// Updates taken.
    pub fn iteration(&self) -> u64 {
        self.iteration
    }
    /// Where the run stands.
    pub fn status(&self) -> Status {
        self.status
    }
    /// The divergence, once it happened.
    pub fn divergence(&self) -> Option<&Divergence> {
        self.divergence.as_ref()
    }
    /// The recorded trajectory.
    pub fn history(&self) -> &History {
        &self.history
    }
    /// The gradients of the last update.
    pub fn last_gradients(&self) -> Option<LastGradients> {
        self.last_gradients
    }
    /// The optimizer's accumulated state (momentum buffer, second moments, update count).
    pub fn optimizer_state(&self) -> &OptimizerState {
        &self.optimizer_state
    }
    /// The rate in force (see [`StepReport::lr_effective`]).
    pub fn lr_effective(&self) -> f64 {
        let rate = rate_in_force(&self.config, &self.step_size, self.iteration);
        if self.config.step_chosen_by_update() {
            self.step_size.last_rate.unwrap_or(rate)
        } else {
            rate
        }
    }
    /// Loss and gradient evaluations so far (see [`StepReport::evaluations`]).
    pub fn evaluations(&self) -> u64 {
        self.step_size.evaluations
    }
    /// The trials of the last line search, the accepted one last (empty without a search).
    pub fn trials(&self) -> &[Trial] {
        &self.trials
    }

    /// Sets η (> 0, finite); takes effect at the next update (a rate rule starts again from it).
    pub fn set_learning_rate(&mut self, learning_rate: f64, objective: &Objective) -> Result<()> {
        self.config.learning_rate = LEARNING_RATE.check(learning_rate)?;
        self.step_size.rate = None;
        self.update_convergence(objective);
        Ok(())
    }
    /// Sets b ∈ [1, n]; takes effect at the next update, continuing the current epoch.
    pub fn set_batch_size(&mut self, batch_size: usize, n: usize) -> Result<()> {
        validate_batch_size(batch_size, n)?;
        RunConfig { batch_size, ..self.config }.validate(n)?;
        self.config.batch_size = batch_size;
        Ok(())
    }
    /// Sets the rate rule; it starts from the learning rate.
    pub fn set_rate_rule(&mut self, rate_rule: RateRule, n: usize) -> Result<()> {
        RunConfig { rate_rule, ..self.config }.validate(n)?;
        if rate_rule.name() != self.config.rate_rule.name() {
            self.step_size.rate = None;
            self.step_size.best = None;
            self.step_size.bad_steps = 0;
            self.step_size.cooldown_left = 0;
        }
        self.config.rate_rule = rate_rule;
        Ok(())
    }
    /// Sets the line search.
    pub fn set_line_search(&mut self, line_search: LineSearch, n: usize) -> Result<()> {
        RunConfig { line_search, ..self.config }.validate(n)?;
        if line_search.name() != self.config.line_search.name() {
            self.step_size.previous = None;
            self.step_size.bb_rate = None;
            self.step_size.last_rate = None;
            self.trials.clear();
        }
        self.config.line_search = line_search;
        Ok(())
    }
    /// Sets the tolerance (> 0).
    pub fn set_tolerance(&mut self, tol: f64, objective: &Objective) -> Result<()> {
        self.config.tol = require_positive("tolerance", tol)?;
        self.update_convergence(objective);
        Ok(())
    }
    /// Switches the update rule. The optimizer's accumulated state is reset when the kind
    /// changes (a momentum buffer means nothing to Adam); a change of hyperparameters only
    /// keeps it.
    pub fn set_optimizer(&mut self, optimizer: Optimizer, n: usize, objective: &Objective) -> Result<()> {
        optimizer.validate()?;
        RunConfig { optimizer, ..self.config }.validate(n)?;
        check_smooth(&optimizer, objective)?;
        if optimizer.name() != self.config.optimizer.name() {
            self.optimizer_state = OptimizerState::default();
            self.step_size.last_rate = None;
        }
        self.config.optimizer = optimizer;
        Ok(())
    }
    /// Sets the learning-rate schedule (applied from the current iteration on).
    pub fn set_schedule(&mut self, schedule: Schedule) -> Result<()> {
        schedule.validate()?;
        self.config.schedule = schedule;
        Ok(())
    }
    /// Sets the sampler seed; takes effect at the next restart.
    pub fn set_seed(&mut self, seed: u64) {
        self.config.seed = seed;
    }

    /// The data or the objective changed under the run: keep θ, forget the sampler's epoch,
    /// keep a full batch full, clamp a batch larger than the new n, and re-check convergence.
    /// Data with another number of features gives θ another meaning: the run restarts at 0.
    pub fn data_changed(&mut self, old_n: usize, data: &Dataset, objective: &Objective) {
        let n = data.len();
        if self.config.batch_size >= old_n || self.config.batch_size > n {
            self.config.batch_size = n;
        }
        self.order.clear();
        self.cursor = 0;
        if self.theta.len() != objective.params() {
            self.restart(Theta::zeros(objective.params()), data, objective);
        }
        self.objective_changed(data, objective);
    }

    /// The regularization changed: keep θ (unless J overflows there: the run starts again at
    /// 0), re-check convergence. What the step-size rules remember of the old objective is
    /// forgotten (CG's residual and direction among it).
    pub fn objective_changed(&mut self, data: &Dataset, objective: &Objective) {
        if require_finite_start(self.theta_start, objective).is_err() || require_finite_start(self.theta, objective).is_err() {
            // The new objective overflows where the run is (a huge λ at a huge θ): it starts
            // again at 0, where J is finite.
            self.restart(Theta::zeros(objective.params()), data, objective);
        }
        self.step_size.previous = None;
        self.step_size.loss_at = None;
        if self.config.optimizer == Optimizer::Cg {
            self.optimizer_state = OptimizerState::default();
        }
        self.update_convergence(objective);
    }

    fn update_convergence(&mut self, objective: &Objective) {
        if self.status == Status::Diverged {
            return;
        }
        let grad_norm = objective.gradient_norm(self.theta, self.lr_effective());
        self.status = if grad_norm <= self.config.tol { Status::Converged } else { Status::Running };
    }

    /// The report of the current state, without stepping.
    pub fn report(&self, data: &Dataset, objective: &Objective) -> StepReport {
        StepReport {
            iteration: self.iteration,
            epoch: self.samples_seen / data.len() as u64,
            samples_seen: self.samples_seen,
            theta: self.theta,
            loss: objective.loss(self.theta),
            grad_norm: objective.gradient_norm(self.theta, self.lr_effective()),
            lr_effective: self.lr_effective(),
            evaluations: self.step_size.evaluations,
            status: self.status,
            divergence: self.divergence.clone(),
        }
    }

    fn history_point(&self, data: &Dataset, objective: &Objective) -> HistoryPoint {
        HistoryPoint {
            iteration: self.iteration,
            epoch: self.samples_seen / data.len() as u64,
            theta: self.theta,
            loss: objective.loss(self.theta),
            grad_norm: objective.gradient_norm(self.theta, self.lr_effective()),
            lr: self.lr_effective(),
        }
    }

    /// Takes up to `updates` updates, stopping early on convergence or divergence, and reports.
    /// A diverged run does not step; a converged one steps again only if its settings or data
    /// changed so that it no longer is.
    pub fn step(&mut self, updates: u64, data: &Dataset, objective: &Objective) -> StepReport {
        let threshold = DIVERGENCE_FACTOR * objective.loss(self.theta_start).max(1e-300);
        let j_star = optimum_loss(&self.config, objective);
        // The smooth gradient at θ, computed for the convergence check of one update and used
        // by the next (the objective does not change within this call).
        let mut gradient_at: Option<(Theta, Theta)> = None;
        for _ in 0..updates {
            if self.status != Status::Running {
                break;
            }
            self.step_once(data, objective, threshold, j_star, &mut gradient_at);
        }
        self.report(data, objective)
    }

    /// One update; the run diverges when J passes `threshold` ([`DIVERGENCE_FACTOR`] times
    /// J(θ_start)).
    fn step_once(
        &mut self,
        data: &Dataset,
        objective: &Objective,
        threshold: f64,
        j_star: Option<f64>,
        gradient_at: &mut Option<(Theta, Theta)>,
    ) {
        let n = data.len();
        let known = gradient_at.take().and_then(|(at, g)| (at == self.theta).then_some(g));
        if self.config.batch_size < n && !self.order.holds(data) {
            self.order = EpochOrder::of(data);
            self.cursor = 0;
        }
        let mut sampler = Sampler { positions: &mut self.order, rng: &mut self.rng, cursor: self.cursor };
        let mut update = next_update(
            &self.config,
            self.theta,
            known,
            self.iteration,
            &mut self.optimizer_state,
            &mut self.step_size,
            j_star,
            &mut sampler,
            data,
            objective,
            &mut NoTrace,
        );
        self.cursor = sampler.cursor;
        self.last_gradients = Some(LastGradients { at: self.theta, batch: update.batch, full: update.full });
        let next = update.next;
        self.iteration += 1;
        let epochs_before = self.samples_seen / n as u64;
        self.samples_seen += update.used as u64;
        let loss = objective.loss(next);
        let finite = next.is_finite() && loss.is_finite();
        if finite {
            self.theta = next;
        }
        self.step_size.last_rate = Some(update.lr);
        self.trials = std::mem::take(&mut update.trials);
        // ReduceLROnPlateau: stepped with J after every full-batch update, with the full data's
        // J after every epoch of a mini-batch run.
        let epoch_done = self.samples_seen / n as u64 > epochs_before;
        if matches!(self.config.rate_rule, RateRule::Plateau { .. }) && finite && (self.config.batch_size >= n || epoch_done) {
            let rate = self.step_size.rate.unwrap_or(self.config.learning_rate);
            self.step_size.evaluations += 1;
            let rule = self.config.rate_rule;
            self.step_size.rate = Some(self.step_size.plateau_step(&rule, loss, rate));
        }
        let grad_norm = if !finite || loss > threshold {
            self.diverge(update.lr, n, objective);
            None
        } else {
            let g = objective.smooth_gradient(self.theta);
            let grad_norm = objective.gradient_norm_with(self.theta, g, self.lr_effective());
            *gradient_at = Some((self.theta, g));
            self.status = if grad_norm <= self.config.tol { Status::Converged } else { Status::Running };
            Some(grad_norm)
        };
        // The point as `history_point` would give it, from the values just computed (θ is
        // `next` when finite, so J(θ) is `loss`), and only when the history keeps it.
        if self.history.keeps(self.iteration) {
            let point = match (finite, grad_norm) {
                (true, Some(grad_norm)) => HistoryPoint {
                    iteration: self.iteration,
                    epoch: self.samples_seen / n as u64,
                    theta: self.theta,
                    loss,
                    grad_norm,
                    lr: update.lr,
                },
                _ => self.history_point(data, objective),
            };
            self.history.push(point);
        }
    }

    /// One update at the constant rate `lr`, as [`Run::step`] takes it but with no convergence
    /// or divergence check (the range test's): returns the loss, before the step, of the batch
    /// the update used: J(θ) on the full batch; on a mini-batch, the data term on that batch
    /// plus R(θ). θ takes the update's result even when it is not finite.
    pub(crate) fn batch_loss_update(&mut self, lr: f64, data: &Dataset, objective: &Objective) -> f64 {
        let n = data.len();
        self.config.learning_rate = lr;
        if self.config.batch_size < n && !self.order.holds(data) {
            self.order = EpochOrder::of(data);
            self.cursor = 0;
        }
        let theta = self.theta;
        let start = self.cursor;
        let mut sampler = Sampler { positions: &mut self.order, rng: &mut self.rng, cursor: self.cursor };
        let update = next_update(
            &self.config,
            theta,
            None,
            self.iteration,
            &mut self.optimizer_state,
            &mut self.step_size,
            None,
            &mut sampler,
            data,
            objective,
            &mut NoTrace,
        );
        self.cursor = sampler.cursor;
        self.iteration += 1;
        self.samples_seen += update.used as u64;
        self.theta = update.next;
        if update.used >= n {
            objective.loss(theta)
        } else {
            // The batch drawn lies at positions start.. of the epoch order, in the order drawn.
            let squares = sampler::squared_residuals(&self.order, start..start + update.used, theta);
            let c = objective.loss_convention().factor();
            c / (2.0 * update.used as f64) * squares + objective.regularization().penalty(theta.slopes())
        }
    }

    /// The coming update written out: computed by the same code as [`Run::step`], on a copy of
    /// the optimizer state and a peek at the sampler (its random numbers cloned, its swaps kept
    /// aside), so the run does not change. `next` is where the next update takes θ while the
    /// run is running.
    pub fn explain(&self, data: &Dataset, objective: &Objective) -> Explanation {
        let n = data.len();
        let started = self.order.holds(data);
        let mut overlay = Overlay { base: started.then_some(&self.order), data, changed: BTreeMap::new() };
        let mut rng = self.rng.clone();
        let mut sampler = Sampler { positions: &mut overlay, rng: &mut rng, cursor: if started { self.cursor } else { 0 } };
        let mut state = self.optimizer_state;
        let mut rules = self.step_size;
        let mut recorder = Recorder { max_indices: MAX_LISTED_INDICES, ..Recorder::default() };
        let update = next_update(
            &self.config,
            self.theta,
            None,
            self.iteration,
            &mut state,
            &mut rules,
            optimum_loss(&self.config, objective),
            &mut sampler,
            data,
            objective,
            &mut recorder,
        );
        let pair = |t: Theta| t.as_slice().to_vec();
        let full_batch = self.config.batch_size >= n;
        let optimizer = self.config.optimizer;
        let l1 = objective.regularization().l1_weight();
        let curvature = objective.curvature();
        let lambda_max = curvature.eigenvalues[1];
        Explanation {
            optimizer: optimizer.name(),
            iteration: self.iteration,
            lr: update.lr,
            theta: pair(self.theta),
            gradient: GradientUsed {
                kind: if full_batch { "full" } else { "batch" },
                value: pair(update.gradient),
                full: pair(update.full),
                batch: (!full_batch).then(|| Batch {
                    size: update.used,
                    indices: (update.used <= MAX_LISTED_INDICES).then_some(recorder.indices),
                }),
                l1_subgradient: !optimizer.is_plain() && l1 > 0.0,
            },
            steps: recorder.steps,
            prox: (optimizer.is_plain() && l1 > 0.0).then_some(Prox {
                threshold: update.lr * l1,
                before: update.stepped.slopes().to_vec(),
                after: update.next.slopes().to_vec(),
            }),
            next: pair(update.next),
            stability: Stability {
                eigenvalues: curvature.eigenvalues,
                lr_monotone: curvature.lr_monotone,
                lr_optimal: curvature.lr_optimal,
                lr_critical: curvature.lr_critical,
                condition_number: curvature.condition_number,
                momentum_critical: match optimizer {
                    Optimizer::Momentum { momentum } => Some(2.0 * (1.0 + momentum) / lambda_max),
                    _ => None,
                },
                applies: optimizer.is_plain(),
            },
        }
    }

    fn diverge(&mut self, lr: f64, n: usize, objective: &Objective) {
        let curvature = objective.curvature();
        let lr_critical = curvature.lr_critical;
        let last_loss = objective.loss(self.theta);
        let mut message = format!("Diverged at step {}: ", self.iteration);
        let plain = self.config.optimizer.is_plain();
        let cause = if lr > lr_critical {
            DivergenceCause::AboveCritical
        } else if plain && self.config.batch_size >= n {
            DivergenceCause::LossGrowth
        } else if plain {
            DivergenceCause::MinibatchNoise
        } else {
            DivergenceCause::Optimizer
        };
        if cause == DivergenceCause::AboveCritical {
            message.push_str(&format!(
                "the learning rate {} is above the critical rate {} for this data. Try a rate below {}.",
                sig(lr),
                sig(lr_critical),
                sig(lr_critical)
            ));
        } else if cause == DivergenceCause::LossGrowth {
            message.push_str(&format!(
                "the loss grew past {} times its starting value at learning rate {} (critical rate {}).",
                sig(DIVERGENCE_FACTOR),
                sig(lr),
                sig(lr_critical)
            ));
        } else {
            message.push_str(&format!(
                "the learning rate {} is below the full-batch critical rate {}, but {} made the loss grow past {} times its starting value. Try a smaller rate.",
                sig(lr),
                sig(lr_critical),
                if cause == DivergenceCause::MinibatchNoise {
                    "the noise of small batches"
                } else {
                    "this optimizer's momentum or step-size adaptation"
                },
                sig(DIVERGENCE_FACTOR),
            ));
        }
        self.status = Status::Diverged;
        self.divergence = Some(Divergence {
            iteration: self.iteration,
            learning_rate: lr,
            lr_critical,
            last_loss,
            cause,
            factor: DIVERGENCE_FACTOR,
            message,
        });
    }
}

/// The learning rate of update `iteration` before any rule: η·schedule(t).
fn effective_rate(config: &RunConfig, iteration: u64) -> f64 {
    config.learning_rate * config.schedule.factor(iteration)
}

/// The rate of update `iteration` with the rate rule: its rate (η until its first update)
/// times the schedule's factor.
fn rate_in_force(config: &RunConfig, rules: &StepSizeState, iteration: u64) -> f64 {
    match config.rate_rule {
        RateRule::None => effective_rate(config, iteration),
        _ => rules.rate.unwrap_or(config.learning_rate) * config.schedule.factor(iteration),
    }
}

/// J* for Polyak's step (none without it, or without a unique optimum).
fn optimum_loss(config: &RunConfig, objective: &Objective) -> Option<f64> {
    (config.line_search == LineSearch::Polyak).then(|| objective.optimum().ok().map(|o| o.loss)).flatten()
}

/// One update computed from a run's state: what it used and where it lands.
struct Update {
    /// Its effective learning rate.
    lr: f64,
    /// The smooth part's gradient on the full data at θ.
    full: Theta,
    /// The smooth part's gradient on the batch used (`full` for a full batch).
    batch: Theta,
    /// The gradient the optimizer got (`batch`, plus λ1·sign(θⱼ) for the other optimizers).
    gradient: Theta,
    /// Points used.
    used: usize,
    /// θ after the optimizer's rule, before the proximal step.
    stepped: Theta,
    /// θ after the update.
    next: Theta,
    /// A line search's trials, the accepted one last (empty without one).
    trials: Vec<Trial>,
}

/// The update of a run at `theta` after `iteration` updates: the batch gradient from `sampler`
/// (which it advances), the optimizer's rule on `state` (which it advances), and for plain
/// descent the L1 part's proximal step. Stepping and explaining both come here.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn next_update<P: Positions + ?Sized, T: Tracer>(
    config: &RunConfig,
    theta: Theta,
    known_full: Option<Theta>,
    iteration: u64,
    state: &mut OptimizerState,
    rules: &mut StepSizeState,
    j_star: Option<f64>,
    sampler: &mut Sampler<'_, P>,
    data: &Dataset,
    objective: &Objective,
    tracer: &mut T,
) -> Update {
    let lr = rate_in_force(config, rules, iteration);
    let n = data.len();
    let full = known_full.unwrap_or_else(|| objective.smooth_gradient(theta));
    let optimizer = config.optimizer;
    if optimizer.is_second_order() {
        return second_order_update(optimizer, theta, full, lr, state, rules, n, objective, tracer);
    }
    if config.line_search != LineSearch::None && optimizer.is_plain() && config.batch_size >= n {
        return line_search_update(config.line_search, theta, full, lr, state, rules, j_star, n, objective, tracer);
    }
    let (batch, used) = if config.batch_size >= n {
        (full, n)
    } else {
        let (mean, used) = sampler.batch_gradient(data, theta, config.batch_size, tracer);
        // The smooth part's gradient on the batch: c·(the data term's) plus λ2·θⱼ on each slope.
        let c = objective.loss_convention().factor();
        let l2 = objective.regularization().l2_weight();
        let mut g = mean;
        g[0] = c * mean[0];
        for j in 1..g.len() {
            g[j] = c * mean[j] + l2 * theta[j];
        }
        (g, used)
    };
    rules.evaluations += 1;
    let saved = *state;
    let mut update = if optimizer.is_plain() {
        // Proximal gradient step: the L1 part by soft-thresholding, exact zeros included.
        let stepped = optimizer.update_traced(state, theta, batch, lr, tracer);
        Update { lr, full, batch, gradient: batch, used, stepped, next: objective.prox(stepped, lr), trials: Vec::new() }
    } else {
        // Other optimizers see the L1 part as a subgradient, sign(0) = 0.
        let l1 = objective.regularization().l1_weight();
        let mut gradient = batch;
        for j in 1..gradient.len() {
            gradient[j] += l1 * sign0(theta[j]);
        }
        let next = optimizer.update_traced(state, theta, gradient, lr, tracer);
        Update { lr, full, batch, gradient, used, stepped: next, next, trials: Vec::new() }
    };
    if let RateRule::BoldDriver { up, down } = config.rate_rule {
        // A tentative update, kept when J does not grow (η ← η·up), undone otherwise (θ and the
        // optimizer's state as they were, η ← η·down); one iteration either way.
        let before = match rules.loss_at {
            Some((at, loss)) if at == theta => loss,
            _ => {
                rules.evaluations += 1;
                objective.loss(theta)
            }
        };
        rules.evaluations += 1;
        let after = objective.loss(update.next);
        let rate = rules.rate.unwrap_or(config.learning_rate);
        let kept = after <= before;
        tracer.step(|| Step {
            symbol: "J(θ′)",
            formula: row(vec![var("J(θ′)", after), tok(if kept { "≤" } else { ">" }), var("J(θ)", before)]),
            value: vec![after],
        });
        tracer.step(|| Step {
            symbol: "η",
            formula: row(vec![var("η", rate), tok("·"), if kept { var("up", up) } else { var("down", down) }]),
            value: vec![rate * if kept { up } else { down }],
        });
        // Kept finite whatever up and down are (f64::MAX·0 would be NaN).
        if kept {
            rules.rate = Some((rate * up).min(f64::MAX));
            rules.loss_at = Some((update.next, after));
        } else {
            rules.rate = Some((rate * down).min(f64::MAX));
            rules.loss_at = Some((theta, before));
            *state = saved;
            update.stepped = theta;
            update.next = theta;
        }
    }
    update
}

/// Newton's step θ − η·H⁻¹g (along −g when H is singular), or one step of linear conjugate
/// gradient (its residual r and direction p kept in the optimizer's two buffers).
#[allow(clippy::too_many_arguments)]
fn second_order_update<T: Tracer>(
    optimizer: Optimizer,
    theta: Theta,
    full: Theta,
    lr: f64,
    state: &mut OptimizerState,
    rules: &mut StepSizeState,
    n: usize,
    objective: &Objective,
    tracer: &mut T,
) -> Update {
    let h = objective.hessian();
    let p_len = theta.len();
    if optimizer == Optimizer::Newton {
        rules.evaluations += 2; // the gradient and the Hessian
        let direction = step_size::newton_direction(&h, &full).unwrap_or(full);
        tracer.step(|| Step { symbol: "H⁻¹g", formula: row(vec![tok("H⁻¹"), var("g", full)]), value: direction.as_slice().to_vec() });
        let next = optimizer.update_traced(state, theta, direction, lr, tracer);
        return Update { lr, full, batch: full, gradient: direction, used: n, stepped: next, next, trials: Vec::new() };
    }
    if state.steps == 0 {
        // r = b − Hθ = −g, p = r.
        rules.evaluations += 1;
        for i in 0..p_len {
            state.first[i] = -full[i];
            state.second[i] = -full[i];
        }
    }
    rules.evaluations += 1; // H·p
    let (p, r) = (state.first(p_len), state.second(p_len));
    let hp = step_size::hessian_times(&h, &p);
    let (rr, php) = (dot(&r, &r), dot(&p, &hp));
    let alpha = if php > 0.0 && rr > 0.0 && (rr / php).is_finite() { rr / php } else { 0.0 };
    tracer.step(|| Step { symbol: "α", formula: frac(var("rᵀr", rr), var("pᵀHp", php)), value: vec![alpha] });
    let next = optimizer.update_traced(state, theta, p.map(|v| -v), alpha, tracer);
    let mut r_next = r;
    for i in 0..p_len {
        r_next[i] = r[i] - alpha * hp[i];
    }
    let beta = if rr > 0.0 { dot(&r_next, &r_next) / rr } else { 0.0 };
    for i in 0..p_len {
        state.second[i] = r_next[i];
        state.first[i] = r_next[i] + beta * p[i];
    }
    Update { lr: alpha, full, batch: full, gradient: full, used: n, stepped: next, next, trials: Vec::new() }
}

/// One step of full-batch plain gradient descent along −g with the step chosen by `search`
/// (from η₀ = `lr` where the search starts from the learning rate), then the L1 part's
/// proximal step.
#[allow(clippy::too_many_arguments)]
fn line_search_update<T: Tracer>(
    search: LineSearch,
    theta: Theta,
    g: Theta,
    lr: f64,
    state: &mut OptimizerState,
    rules: &mut StepSizeState,
    j_star: Option<f64>,
    n: usize,
    objective: &Objective,
    tracer: &mut T,
) -> Update {
    rules.evaluations += 1; // the gradient
    let gg = dot(&g, &g);
    let l1 = objective.regularization().l1_weight();
    let mut trials = Vec::new();
    let eta = match search {
        LineSearch::None => lr,
        LineSearch::Exact => {
            rules.evaluations += 1; // H·g
            let ghg = step_size::curvature_along(&objective.hessian(), &g);
            let eta = if ghg > 0.0 && (gg / ghg).is_finite() { gg / ghg } else { lr };
            tracer.step(|| Step { symbol: "η", formula: frac(var("gᵀg", gg), var("gᵀHg", ghg)), value: vec![eta] });
            eta
        }
        LineSearch::Bb => {
            let eta = match rules.previous {
                Some((theta_before, g_before)) => {
                    let s = theta.as_slice().iter().zip(theta_before.as_slice()).map(|(a, b)| a - b);
                    let y = g.as_slice().iter().zip(g_before.as_slice()).map(|(a, b)| a - b);
                    let (ss, sy) = s.zip(y).fold((0.0, 0.0), |(ss, sy), (s, y)| (ss + s * s, sy + s * y));
                    let eta = if sy > 0.0 && (ss / sy).is_finite() { ss / sy } else { rules.bb_rate.unwrap_or(lr) };
                    tracer.step(|| Step { symbol: "η", formula: frac(var("sᵀs", ss), var("sᵀy", sy)), value: vec![eta] });
                    eta
                }
                None => {
                    tracer.step(|| Step { symbol: "η", formula: var("η₀", lr), value: vec![lr] });
                    lr
                }
            };
            rules.previous = Some((theta, g));
            rules.bb_rate = Some(eta);
            eta
        }
        LineSearch::Polyak => {
            rules.evaluations += 1; // J(θ)
            let loss = objective.loss(theta);
            match j_star {
                Some(best) if gg > 0.0 && ((loss - best) / gg).is_finite() => {
                    let eta = (loss - best).max(0.0) / gg;
                    tracer.step(|| Step {
                        symbol: "η",
                        formula: frac(row(vec![var("J(θ)", loss), tok("−"), var("J*", best)]), var("gᵀg", gg)),
                        value: vec![eta],
                    });
                    eta
                }
                _ => lr,
            }
        }
        LineSearch::Armijo { beta, c } => {
            rules.evaluations += 1; // f(θ)
            let f0 = step_size::smooth_loss(objective, theta);
            let mut eta = lr;
            for trial in 0..MAX_BACKTRACKS {
                let mut candidate = theta;
                for i in 0..candidate.len() {
                    candidate[i] = theta[i] - eta * g[i];
                }
                let candidate = objective.prox(candidate, eta);
                rules.evaluations += 1; // f(θ′)
                let f = step_size::smooth_loss(objective, candidate);
                let accepted = if l1 > 0.0 {
                    let mut linear = 0.0;
                    let mut square = 0.0;
                    for i in 0..candidate.len() {
                        let d = candidate[i] - theta[i];
                        linear += g[i] * d;
                        square += d * d;
                    }
                    f <= f0 + linear + square / (2.0 * eta)
                } else {
                    f <= f0 - c * eta * gg
                };
                let last = trial + 1 == MAX_BACKTRACKS;
                trials.push(Trial { eta, theta: candidate, loss: f, accepted: accepted || last });
                if accepted || last {
                    break;
                }
                eta *= beta;
            }
            let halvings = trials.len().saturating_sub(1) as f64;
            tracer.step(|| Step {
                symbol: "η",
                formula: row(vec![var("η₀", lr), tok("·"), sup(var("β", beta), var("k", halvings))]),
                value: vec![eta],
            });
            if l1 == 0.0 {
                let accepted = trials.last().map_or(f64::NAN, |t| t.loss);
                tracer.step(|| Step {
                    symbol: "J(θ′)",
                    formula: row(vec![var("J(θ − ηg)", accepted), tok("≤"), var("J(θ)", f0), tok("−"), var("c", c), tok("·"), var("η", eta), tok("·"), var("gᵀg", gg)]),
                    value: vec![accepted],
                });
            }
            eta
        }
    };
    let stepped = Optimizer::Sgd.update_traced(state, theta, g, eta, tracer);
    let next = objective.prox(stepped, eta);
    if trials.is_empty() {
        // Exact, BB and Polyak try one step: the accepted one.
        trials.push(Trial { eta, theta: next, loss: step_size::smooth_loss(objective, next), accepted: true });
    }
    Update { lr: eta, full: g, batch: g, gradient: g, used: n, stepped, next, trials }
}

/// The mini-batch sampler of a run: its epoch order (or an overlay on it), its random numbers
/// and the position of the next batch in the epoch.
struct Sampler<'a, P: Positions + ?Sized> {
    positions: &'a mut P,
    rng: &'a mut ChaCha8Rng,
    cursor: usize,
}

impl<P: Positions + ?Sized> Sampler<'_, P> {
    /// The mean data-term gradient at `theta` over the next batch of the current epoch, by the
    /// kernel [`sampler::batch_gradient`] (a lazily drawn uniform permutation per epoch; the
    /// last batch of an epoch may be short).
    #[inline(always)]
    fn batch_gradient<T: Tracer>(&mut self, data: &Dataset, theta: Theta, batch_size: usize, tracer: &mut T) -> (Theta, usize) {
        sampler::batch_gradient(self.positions, self.rng, &mut self.cursor, data.len(), theta, batch_size, tracer)
    }
}

/// A number with 3 significant digits, plain for 1e-3 ≤ |v| < 1e6 and in e-notation otherwise.
pub fn sig(v: f64) -> String {
    if !v.is_finite() {
        return if v.is_nan() { "undefined".into() } else if v > 0.0 { "∞".into() } else { "−∞".into() };
    }
    if v == 0.0 {
        return "0".into();
    }
    let a = v.abs();
    if (1e-3..1e6).contains(&a) {
        let digits = (2 - a.log10().floor() as i32).max(0) as usize;
        let s = format!("{v:.digits$}");
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    } else {
        format!("{v:.2e}")
    }
}

// The catalogue's entry of the base learning rate.

/// Default base learning rate of a new run on the page and of `gdviz fit`: below the critical
/// rate 2/λ_max of every preset (the smallest, "ill-conditioned", has η_crit ≈ 0.076).
pub const DEFAULT_LEARNING_RATE: f64 = 0.05;

/// Base learning rate η.
pub const LEARNING_RATE: Param = param(
    "learningRate",
    "learning-rate",
    "learning_rate",
    "label.learning-rate",
    DEFAULT_LEARNING_RATE,
    Range::Positive,
    None,
);
