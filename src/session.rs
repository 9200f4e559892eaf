//! A session: one data set, one regularization, and up to [`MAX_RUNS`] runs that step together
//! from a common start. This is what the page's handle and the command line's `fit` drive.

use crate::data::{Dataset, Standardization};
use crate::error::{Error, Range, Result};
use crate::objective::{Curvature, NotUnique, Objective, Optimum, Regularization, Theta};
use crate::run::{require_finite_start, Run, RunConfig, StepReport};

/// Most runs a session holds at once.
pub const MAX_RUNS: usize = 6;

/// Data, objective and runs.
#[derive(Debug, Clone)]
pub struct Session {
    original: Dataset,
    standardization: Option<Standardization>,
    fitted: Dataset,
    objective: Objective,
    theta_start: Theta,
    runs: Vec<Run>,
}

impl Session {
    /// A session on `data` with `regularization` and one run with `config` from `theta_start`.
    pub fn new(data: Dataset, regularization: Regularization, config: RunConfig, theta_start: Theta) -> Result<Self> {
        let objective = Objective::new(*data.stats(), regularization)?;
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
    /// The standardization in use, if x is standardized.
    pub fn standardization(&self) -> Option<Standardization> {
        self.standardization
    }
    /// θ of the fitted (maybe standardized) model in the original x scale; unchanged when x is
    /// not standardized.
    pub fn to_original_scale(&self, theta: Theta) -> Theta {
        match self.standardization {
            Some(s) => {
                let (a, b) = s.to_original(theta.theta0, theta.theta1);
                Theta::new(a, b)
            }
            None => theta,
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
    pub fn optimum(&self) -> std::result::Result<Optimum, NotUnique> {
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
        self.theta_start = require_finite_start(theta_start)?;
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
                Some((fitted, s)) => (fitted, Some(s)),
                None => (data.clone(), None),
            }
        } else {
            (data.clone(), None)
        };
        self.objective = Objective::new(*fitted.stats(), self.objective.regularization())?;
        self.original = data;
        self.fitted = fitted;
        self.standardization = standardization;
        for run in &mut self.runs {
            run.data_changed(old_n, &self.fitted, &self.objective);
        }
        Ok(())
    }

    /// Replaces the regularization (validated); θ of every run is kept.
    pub fn set_regularization(&mut self, regularization: Regularization) -> Result<()> {
        self.objective = Objective::new(*self.fitted.stats(), regularization)?;
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
            let (fitted, s) = self.original.standardized().ok_or_else(|| {
                Error::invalid("standardize", "on", Range::OffWithoutSpread)
            })?;
            self.fitted = fitted;
            self.standardization = Some(s);
        } else {
            self.fitted = self.original.clone();
            self.standardization = None;
        }
        self.objective = Objective::new(*self.fitted.stats(), self.objective.regularization())?;
        for run in &mut self.runs {
            run.data_changed(old_n, &self.fitted, &self.objective);
        }
        self.reset(self.theta_start)
    }

    /// Every run's recorded trajectory as CSV: `run,step,epoch,theta0,theta1,loss,grad_norm`,
    /// runs numbered from 1, values with Rust's shortest round-trip formatting, θ in the scale
    /// the runs fit (standardized x when standardization is on).
    pub fn trajectory_csv(&self) -> String {
        let mut out = String::from("run,step,epoch,theta0,theta1,loss,grad_norm\n");
        for (k, run) in self.runs.iter().enumerate() {
            for p in run.history().points() {
                out.push_str(&format!(
                    "{},{},{},{},{},{},{}\n",
                    k + 1,
                    p.iteration,
                    p.epoch,
                    p.theta.theta0,
                    p.theta.theta1,
                    p.loss,
                    p.grad_norm
                ));
            }
        }
        out
    }
}
