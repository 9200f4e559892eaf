//! A session: one data set, one regularization, and up to [`MAX_RUNS`] runs that step together
//! from a common start. This is what the page's handle and the command line's `fit` drive.

use crate::data::{Dataset, Scaling};
use crate::error::{Error, Range, Result};
use crate::features::LossConvention;
use crate::objective::{Curvature, Objective, Optimum, Regularization, Theta};
use crate::solve::NoUniqueOptimum;
use crate::run::{require_finite_start, Run, RunConfig, StepReport};

/// Most runs a session holds at once.
pub const MAX_RUNS: usize = 6;

/// Data, objective and runs.
#[derive(Debug, Clone)]
pub struct Session {
    original: Dataset,
    standardization: Option<Scaling>,
    fitted: Dataset,
    objective: Objective,
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
            fitted: data.clone(),
            original: data,
            standardization: None,
            objective,
            theta_start,
            runs: vec![run],
        })
    }

    /// The data as given (before any standardization).
    pub fn original_data(&self) -> &Dataset {
        &self.original
    }
    /// The data the runs fit: the original, or with x standardized.
    pub fn data(&self) -> &Dataset {
        &self.fitted
    }
    /// The standardization in use, if the features are standardized.
    pub fn standardization(&self) -> Option<Scaling> {
        self.standardization
    }
    /// θ of the fitted (maybe standardized) model in the original features' scale; unchanged
    /// when they are not standardized.
    pub fn to_original_scale(&self, theta: Theta) -> Theta {
        match self.standardization {
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
        self.objective.curvature()
    }
    /// The exact optimum of the objective.
    pub fn optimum(&self) -> std::result::Result<Optimum, NoUniqueOptimum> {
        self.objective.optimum()
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
        change(run, &self.fitted, &self.objective)
    }

    /// Adds a run from the common start; at most [`MAX_RUNS`]. Returns its index.
    pub fn add_run(&mut self, config: RunConfig) -> Result<usize> {
        Range::AtMost { max: MAX_RUNS as f64 }.check_count("number-of-runs", self.runs.len() as u64 + 1)?;
        let run = Run::new(config, self.theta_start, &self.fitted, &self.objective)?;
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

    /// Steps every run `updates` times (each stops on its own at convergence or divergence).
    pub fn step(&mut self, updates: u64) -> Vec<StepReport> {
        let (data, objective) = (&self.fitted, &self.objective);
        self.runs.iter_mut().map(|run| run.step(updates, data, objective)).collect()
    }

    /// The reports of every run without stepping.
    pub fn reports(&self) -> Vec<StepReport> {
        self.runs.iter().map(|run| run.report(&self.fitted, &self.objective)).collect()
    }

    /// Restarts every run from `theta_start` (finite).
    pub fn reset(&mut self, theta_start: Theta) -> Result<()> {
        self.theta_start = require_finite_start(theta_start, &self.objective)?;
        for run in &mut self.runs {
            run.restart(theta_start, &self.fitted, &self.objective);
        }
        Ok(())
    }

    /// Replaces the data; θ of every run is kept.
    pub fn set_data(&mut self, data: Dataset) -> Result<()> {
        let old_n = self.fitted.len();
        let (fitted, standardization) = if self.standardization.is_some() {
            match data.standardized() {
                Ok((fitted, s)) => (fitted, Some(s)),
                Err(_) => (data.clone(), None),
            }
        } else {
            (data.clone(), None)
        };
        let objective = self.objective_of(&fitted, self.objective.regularization())?;
        let resized = objective.params() != self.objective.params();
        self.objective = objective;
        self.original = data;
        self.fitted = fitted;
        self.standardization = standardization;
        if resized {
            // Another number of features: θ means something else, so every run restarts at 0.
            self.theta_start = Theta::zeros(self.objective.params());
        }
        for run in &mut self.runs {
            run.data_changed(old_n, &self.fitted, &self.objective);
        }
        Ok(())
    }

    /// Edits the points in place by `edit` (adding, moving or removing one: see
    /// [`Dataset::add_point`]), updating the statistics without a pass over the data unless the
    /// features are standardized (their scale then changes with every point); θ of every run is
    /// kept. A refused edit changes nothing.
    pub fn edit_data(&mut self, edit: impl Fn(&mut Dataset) -> Result<()>) -> Result<()> {
        let old_n = self.fitted.len();
        edit(&mut self.original)?;
        match self.standardization {
            Some(_) => match self.original.standardized() {
                Ok((fitted, s)) => {
                    self.fitted = fitted;
                    self.standardization = Some(s);
                }
                Err(_) => {
                    self.fitted = self.original.clone();
                    self.standardization = None;
                }
            },
            // The same edit of the same points: it cannot be refused here.
            None => edit(&mut self.fitted)?,
        }
        self.objective = self.objective_of(&self.fitted, self.objective.regularization())?;
        for run in &mut self.runs {
            run.data_changed(old_n, &self.fitted, &self.objective);
        }
        Ok(())
    }

    /// After edits, the statistics exactly those of the points (see [`Dataset::settle`]); θ of
    /// every run is kept.
    pub fn settle_data(&mut self) -> Result<()> {
        let changed = self.original.settle() | self.fitted.settle();
        if changed {
            let n = self.fitted.len();
            self.objective = self.objective_of(&self.fitted, self.objective.regularization())?;
            for run in &mut self.runs {
                run.data_changed(n, &self.fitted, &self.objective);
            }
        }
        Ok(())
    }

    /// Replaces the loss convention; θ of every run is kept.
    pub fn set_loss_convention(&mut self, loss: LossConvention) -> Result<()> {
        self.objective = Objective::with_loss(*self.fitted.stats(), self.objective.regularization(), loss)?;
        for run in &mut self.runs {
            run.objective_changed(&self.objective);
        }
        Ok(())
    }

    /// Replaces the regularization (validated); θ of every run is kept.
    pub fn set_regularization(&mut self, regularization: Regularization) -> Result<()> {
        self.objective = self.objective_of(&self.fitted, regularization)?;
        for run in &mut self.runs {
            run.objective_changed(&self.objective);
        }
        Ok(())
    }

    /// Fits on standardized x (x − x̄)/s or on the original x. θ changes meaning, so every run
    /// restarts from the common start. Refused when all x are equal.
    pub fn set_standardize(&mut self, standardize: bool) -> Result<()> {
        if standardize == self.standardization.is_some() {
            return Ok(());
        }
        let old_n = self.fitted.len();
        if standardize {
            let (fitted, s) = self.original.standardized().map_err(|_| {
                Error::invalid("standardize", "on", Range::OffWithoutSpread)
            })?;
            self.fitted = fitted;
            self.standardization = Some(s);
        } else {
            self.fitted = self.original.clone();
            self.standardization = None;
        }
        self.objective = self.objective_of(&self.fitted, self.objective.regularization())?;
        for run in &mut self.runs {
            run.data_changed(old_n, &self.fitted, &self.objective);
        }
        self.reset(self.theta_start)
    }

    /// The objective of `data` with `regularization` in the session's loss convention.
    fn objective_of(&self, data: &Dataset, regularization: Regularization) -> Result<Objective> {
        Objective::with_loss(*data.stats(), regularization, self.objective.loss_convention())
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
