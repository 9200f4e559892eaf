//! A session: one data set, one regularization, and up to [`MAX_RUNS`] runs that step together
//! from a common start. This is what the page's handle and the command line's `fit` drive.

pub mod report;
pub mod script;

use crate::least_squares::data::{Dataset, Scaling};
use crate::error::{Error, Range, Result};
use crate::least_squares::features::LossConvention;
use crate::least_squares::objective::{Curvature, Objective, Optimum, Regularization, Theta};
use crate::least_squares::solve::NoUniqueOptimum;
use crate::descent::optimizer::Optimizer;
use crate::descent::range_test::{RangeFinder, RangeSettings};
use crate::descent::run::{require_finite_start, Run, RunConfig, StepReport};
use crate::descent::step_size::LineSearch;

/// Most runs a session holds at once.
pub const MAX_RUNS: usize = 6;

/// Data, objective and runs.
#[derive(Debug, Clone)]
pub struct Session {
    original: Dataset,
    /// The original data with its features standardized, and how, while standardization is on.
    standardized: Option<(Dataset, Scaling)>,
    objective: Objective,
    /// What follows from the objective, worked out once when it changes (the plots ask every
    /// frame): its Hessian analysis, its exact optimum and the optimum without regularization.
    derived: Derived,
    theta_start: Theta,
    runs: Vec<Run>,
}

impl Session {
    /// A session on `data` with `regularization` and one run with `config` from `theta_start`.
    pub fn new(data: Dataset, regularization: Regularization, config: RunConfig, theta_start: Theta) -> Result<Self> {
        Self::with_loss(data, regularization, LossConvention::HalfMse, config, theta_start)
    }

    /// [`Session::new`] in the loss convention `loss`.
    pub fn with_loss(
        data: Dataset,
        regularization: Regularization,
        loss: LossConvention,
        config: RunConfig,
        theta_start: Theta,
    ) -> Result<Self> {
        let objective = Objective::with_loss(*data.stats(), regularization, loss)?;
        let run = Run::new(config, theta_start, &data, &objective)?;
        Ok(Session {
            original: data,
            standardized: None,
            derived: Derived::of(&objective),
            objective,
            theta_start,
            runs: vec![run],
        })
    }

    /// The data as given (before any standardization).
    pub fn original_data(&self) -> &Dataset {
        &self.original
    }
    /// The data the runs fit: the original, or with its features standardized.
    pub fn data(&self) -> &Dataset {
        fitted(&self.original, &self.standardized)
    }
    /// The standardization in use, if the features are standardized.
    pub fn standardization(&self) -> Option<Scaling> {
        self.standardized.as_ref().map(|(_, s)| *s)
    }
    /// θ of the fitted (maybe standardized) model in the original features' scale; unchanged
    /// when they are not standardized.
    pub fn to_original_scale(&self, theta: Theta) -> Theta {
        match self.standardization() {
            Some(s) if theta.len() == s.d + 1 => Theta::from_slice("theta", &s.to_original(theta.as_slice())).unwrap_or(theta),
            _ => theta,
        }
    }
    /// The objective on the fitted data.
    pub fn objective(&self) -> &Objective {
        &self.objective
    }
    /// The Hessian analysis of the objective.
    pub fn curvature(&self) -> Curvature {
        self.derived.curvature.clone()
    }
    /// The exact optimum of the objective.
    pub fn optimum(&self) -> std::result::Result<Optimum, NoUniqueOptimum> {
        self.derived.optimum.clone()
    }
    /// The exact optimum without regularization, when it is unique.
    pub fn unregularized_optimum(&self) -> Option<Optimum> {
        self.derived.unregularized_optimum
    }

    /// Takes `objective` and works out what follows from it.
    fn set_objective(&mut self, objective: Objective) {
        self.derived = Derived::of(&objective);
        self.objective = objective;
    }
    /// The common start θ.
    pub fn theta_start(&self) -> Theta {
        self.theta_start
    }
    /// The runs.
    pub fn runs(&self) -> &[Run] {
        &self.runs
    }
    /// Run `index`.
    pub fn run(&self, index: usize) -> Result<&Run> {
        let len = self.runs.len();
        self.runs.get(index).ok_or(Error::OutOfRange { name: "run", index, len })
    }

    /// Applies `change` to run `index` with the session's data and objective.
    pub fn with_run<T>(
        &mut self,
        index: usize,
        change: impl FnOnce(&mut Run, &Dataset, &Objective) -> Result<T>,
    ) -> Result<T> {
        let len = self.runs.len();
        let run = self.runs.get_mut(index).ok_or(Error::OutOfRange { name: "run", index, len })?;
        change(run, fitted(&self.original, &self.standardized), &self.objective)
    }

    /// Adds a run from the common start; at most [`MAX_RUNS`]. Returns its index.
    pub fn add_run(&mut self, config: RunConfig) -> Result<usize> {
        Range::AtMost { max: MAX_RUNS as f64 }.check_count("number-of-runs", self.runs.len() as u64 + 1)?;
        let run = Run::new(config, self.theta_start, self.data(), &self.objective)?;
        self.runs.push(run);
        Ok(self.runs.len() - 1)
    }

    /// Removes run `index`; the last remaining run cannot be removed.
    pub fn remove_run(&mut self, index: usize) -> Result<()> {
        let len = self.runs.len();
        if index >= len {
            return Err(Error::OutOfRange { name: "run", index, len });
        }
        Range::AtLeast { min: 1.0 }.check_count("number-of-runs", len as u64 - 1)?;
        self.runs.remove(index);
        Ok(())
    }

    /// Keeps only the first run.
    pub fn clear_comparisons(&mut self) {
        self.runs.truncate(1);
    }

    /// A range test with the settings of run `run` from the common start, on the fitted data
    /// and objective; the runs are not touched.
    pub fn range_finder(&self, run: usize, settings: RangeSettings) -> Result<RangeFinder> {
        RangeFinder::new(settings, self.run(run)?.config(), self.theta_start, self.data(), &self.objective)
    }

    /// Advances `finder` by up to `updates` updates on this session's data and objective.
    pub fn advance_range_finder(&self, finder: &mut RangeFinder, updates: usize) {
        finder.advance(updates, self.data(), &self.objective);
    }

    /// Steps every run `updates` times (each stops on its own at convergence or divergence).
    pub fn step(&mut self, updates: u64) -> Vec<StepReport> {
        let (data, objective) = (fitted(&self.original, &self.standardized), &self.objective);
        self.runs.iter_mut().map(|run| run.step(updates, data, objective)).collect()
    }

    /// The reports of every run without stepping.
    pub fn reports(&self) -> Vec<StepReport> {
        self.runs.iter().map(|run| run.report(self.data(), &self.objective)).collect()
    }

    /// Restarts every run from `theta_start` (finite).
    pub fn reset(&mut self, theta_start: Theta) -> Result<()> {
        self.theta_start = require_finite_start(theta_start, &self.objective)?;
        let data = fitted(&self.original, &self.standardized);
        for run in &mut self.runs {
            run.restart(theta_start, data, &self.objective);
        }
        Ok(())
    }

    /// Replaces the data; θ of every run is kept.
    pub fn set_data(&mut self, data: Dataset) -> Result<()> {
        let old_n = self.data().len();
        self.original = data;
        self.restandardize();
        self.refit(old_n)
    }

    /// Edits the points in place by `edit` (adding, moving or removing one: see
    /// [`Dataset::add_point`]), updating the statistics without a pass over the data unless the
    /// features are standardized (their scale then changes with every point); θ of every run is
    /// kept. A refused edit changes nothing.
    pub fn edit_data(&mut self, edit: impl FnOnce(&mut Dataset) -> Result<()>) -> Result<()> {
        let old_n = self.data().len();
        edit(&mut self.original)?;
        self.restandardize();
        self.refit(old_n)
    }

    /// After edits, the statistics exactly those of the points (see [`Dataset::settle`]); θ of
    /// every run is kept.
    pub fn settle_data(&mut self) -> Result<()> {
        if self.original.settle() {
            let n = self.data().len();
            self.refit(n)?;
        }
        Ok(())
    }

    /// The standardized data again from the original, while standardization is on (off when the
    /// features lost their spread).
    fn restandardize(&mut self) {
        if self.standardized.is_some() {
            self.standardized = self.original.standardized().ok();
        }
    }

    /// The objective of the fitted data again (its regularization is valid, so only a bug could
    /// make it fail), and every run told of the change (`old_n` points before it). Data with
    /// another number of features restarts the runs at θ = 0.
    fn refit(&mut self, old_n: usize) -> Result<()> {
        let data = fitted(&self.original, &self.standardized);
        let objective = Objective::with_loss(*data.stats(), self.objective.regularization(), self.objective.loss_convention())?;
        if objective.params() != self.objective.params() || require_finite_start(self.theta_start, &objective).is_err() {
            self.theta_start = Theta::zeros(objective.params());
        }
        self.derived = Derived::of(&objective);
        self.objective = objective;
        for run in &mut self.runs {
            run.data_changed(old_n, data, &self.objective);
        }
        Ok(())
    }

    /// Replaces the loss convention; θ of every run is kept.
    pub fn set_loss_convention(&mut self, loss: LossConvention) -> Result<()> {
        self.set_objective(Objective::with_loss(*self.data().stats(), self.objective.regularization(), loss)?);
        let data = fitted(&self.original, &self.standardized);
        if require_finite_start(self.theta_start, &self.objective).is_err() {
            self.theta_start = Theta::zeros(self.objective.params());
        }
        for run in &mut self.runs {
            run.objective_changed(data, &self.objective);
        }
        Ok(())
    }

    /// Replaces the regularization (validated); θ of every run is kept. An L1 part is refused
    /// while a run uses Newton or CG.
    pub fn set_regularization(&mut self, regularization: Regularization) -> Result<()> {
        if regularization.l1_weight() > 0.0 && self.runs.iter().any(|r| r.config().optimizer.is_second_order()) {
            return Err(Error::invalid("regularization", regularization.name(), Range::SmoothForSecondOrder));
        }
        self.set_objective(Objective::with_loss(*self.data().stats(), regularization, self.objective.loss_convention())?);
        let data = fitted(&self.original, &self.standardized);
        if require_finite_start(self.theta_start, &self.objective).is_err() {
            self.theta_start = Theta::zeros(self.objective.params());
        }
        for run in &mut self.runs {
            run.objective_changed(data, &self.objective);
        }
        Ok(())
    }

    /// Fits on standardized x (x − x̄)/s or on the original x. θ changes meaning, so every run
    /// restarts from the common start. Refused when all x are equal.
    pub fn set_standardize(&mut self, standardize: bool) -> Result<()> {
        if standardize == self.standardized.is_some() {
            return Ok(());
        }
        let old_n = self.data().len();
        self.standardized = if standardize {
            Some(self.original.standardized().map_err(|_| Error::invalid("standardize", "on", Range::OffWithoutSpread))?)
        } else {
            None
        };
        self.refit(old_n)?;
        self.reset(self.theta_start)
    }

    /// The comparisons of the methods ladder, besides run 1: plain gradient descent at the best
    /// constant rate 2/(λ_min + λ_max); heavy-ball momentum at Polyak's tuning for a quadratic,
    /// η = 4/(√λ_max + √λ_min)², μ = ((√κ − 1)/(√κ + 1))² (μ = 0.9 when κ is infinite); plain
    /// descent with the exact line search; conjugate gradient; Newton at η = 1 — each full batch
    /// with run 1's seed and tolerance. CG and Newton are left out while there is an L1 part.
    pub fn methods_ladder(&self) -> Vec<RunConfig> {
        let base = self.runs[0].config();
        let n = self.data().len();
        let c = &self.derived.curvature;
        let plain = RunConfig { seed: base.seed, tol: base.tol, ..RunConfig::full_batch(base.learning_rate, n) };
        let [low, high] = c.eigenvalues;
        let (root_low, root_high) = (low.max(0.0).sqrt(), high.sqrt());
        let heavy_rate = 4.0 / ((root_high + root_low) * (root_high + root_low));
        let kappa_root = root_high / root_low;
        let momentum = if kappa_root.is_finite() { ((kappa_root - 1.0) / (kappa_root + 1.0)).powi(2) } else { 0.9 };
        let usable = |rate: f64| if rate.is_finite() && rate > 0.0 { rate } else { base.learning_rate };
        let mut ladder = vec![
            RunConfig { learning_rate: usable(c.lr_optimal), ..plain },
            RunConfig { learning_rate: usable(heavy_rate), optimizer: Optimizer::Momentum { momentum: momentum.min(0.999) }, ..plain },
            RunConfig { line_search: LineSearch::Exact, ..plain },
        ];
        if self.objective.regularization().l1_weight() == 0.0 {
            ladder.push(RunConfig { optimizer: Optimizer::Cg, ..plain });
            ladder.push(RunConfig { learning_rate: 1.0, optimizer: Optimizer::Newton, ..plain });
        }
        ladder
    }

    /// Every run's recorded trajectory as CSV: `run,step,epoch,theta0,…,thetaD,loss,grad_norm`,
    /// runs numbered from 1, values with Rust's shortest round-trip formatting, θ in the scale
    /// the runs fit (standardized features when standardization is on).
    pub fn trajectory_csv(&self) -> String {
        let thetas: Vec<String> = (0..self.objective.params()).map(|k| format!("theta{k}")).collect();
        let mut out = format!("run,step,epoch,{},loss,grad_norm\n", thetas.join(","));
        for (k, run) in self.runs.iter().enumerate() {
            for p in run.history().points() {
                let values: Vec<String> = p.theta.as_slice().iter().map(f64::to_string).collect();
                out.push_str(&format!("{},{},{},{},{},{}\n", k + 1, p.iteration, p.epoch, values.join(","), p.loss, p.grad_norm));
            }
        }
        out
    }
}

/// What follows from an objective (see [`Session::curvature`], [`Session::optimum`]).
#[derive(Debug, Clone)]
struct Derived {
    curvature: Curvature,
    optimum: std::result::Result<Optimum, NoUniqueOptimum>,
    unregularized_optimum: Option<Optimum>,
}

impl Derived {
    fn of(objective: &Objective) -> Derived {
        Derived {
            curvature: objective.curvature(),
            optimum: objective.optimum(),
            unregularized_optimum: objective.unregularized().optimum().ok(),
        }
    }
}

/// The data the runs fit: the standardized data while standardization is on, else the original.
fn fitted<'a>(original: &'a Dataset, standardized: &'a Option<(Dataset, Scaling)>) -> &'a Dataset {
    standardized.as_ref().map_or(original, |(data, _)| data)
}
