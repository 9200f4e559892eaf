//! `gdviz._core`: the gdviz core's `fit`, `solve`, `lr_find` and `rate_map` for Python, natively.
//!
//! Each function takes the data as the package's `gdviz/__init__.py` hands it over (the feature
//! columns as a float64 array of shape (d, n), their names, the target as a float64 array of
//! shape (n,)), builds the command line's settings from its keyword arguments, and returns what
//! the command line prints as JSON, as a dict: the same output built by the same functions of
//! `gdviz::cli` ([`gdviz::cli::fit_output`] and its siblings), with `None` where the JSON has
//! `null`. A refusal of the core becomes a `ValueError` with the core's message, naming the
//! setting by its keyword. The arguments' defaults live in `gdviz/__init__.py`.
//!
//! Nothing here panics on any input: every value reaches the core through its checks, and the
//! counts that Python may give as negative numbers are refused here with the core's message. A
//! panic of the core itself (a bug) is raised as a `RuntimeError`, never as `PanicException`.

use gdviz::catalog;
use gdviz::cli::{
    self, CliError, DataInput, FitSettings, LrFindSettings, Naming, OptimizerArgs, RateMapSettings, RegularizationArgs,
    ScheduleArgs, Start, StepSizeArgs,
};
use gdviz::descent::range_test::{RangeSettings, MAX_UPDATES, MIN_UPDATES};
use gdviz::descent::rate_map::{MapSettings, MAX_GRID, MIN_GRID};
use gdviz::error::{Error, Range};
use gdviz::least_squares::data::MAX_MAGNITUDE;
use gdviz::least_squares::features::MAX_FEATURES;
use pyo3::buffer::PyBuffer;
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use serde::Serialize;

/// The core's refusal as a Python `ValueError` with the core's message.
fn value_error(error: CliError) -> PyErr {
    PyValueError::new_err(error.message)
}

/// A core error about one value, as a `ValueError`.
fn refused(error: Error) -> PyErr {
    PyValueError::new_err(error.to_string())
}

/// A whole number for a count of the core: one outside `range` that no unsigned integer holds (a
/// negative one) is refused here as the core refuses a count out of `range`, with its `key`.
fn count(value: i128, key: &'static str, range: Range) -> PyResult<u64> {
    u64::try_from(value).map_err(|_| refused(Error::invalid(key, value, range)))
}

/// [`count`] as a `usize`.
fn size(value: i128, key: &'static str, range: Range) -> PyResult<usize> {
    usize::try_from(value).map_err(|_| refused(Error::invalid(key, value, range)))
}

/// Two numbers given as a tuple or a list, e.g. `lr_range=(1e-3, 1.0)`.
fn pair<T: Copy>(values: &[T], keyword: &str, expected: &str) -> PyResult<[T; 2]> {
    <[T; 2]>::try_from(values).map_err(|_| PyValueError::new_err(format!("{keyword} must be {expected}, got {} values", values.len())))
}

/// The feature columns: a float64 buffer of shape (d, n) (the package's), or any sequence of
/// d sequences of n numbers.
fn columns(x: &Bound<'_, PyAny>) -> PyResult<Vec<Vec<f64>>> {
    if let Ok(buffer) = PyBuffer::<f64>::get(x) {
        let [d, n] = <[usize; 2]>::try_from(buffer.shape())
            .map_err(|_| PyValueError::new_err(format!("columns must have shape (d, n), got {} dimensions", buffer.dimensions())))?;
        let values = buffer.to_vec(x.py())?;
        return Ok(if n == 0 { vec![Vec::new(); d] } else { values.chunks(n).map(<[f64]>::to_vec).collect() });
    }
    x.extract()
}

/// The target: a float64 buffer of shape (n,) (the package's), or any sequence of n numbers.
fn target(y: &Bound<'_, PyAny>) -> PyResult<Vec<f64>> {
    if let Ok(buffer) = PyBuffer::<f64>::get(y) {
        if buffer.dimensions() != 1 {
            return Err(PyValueError::new_err(format!("target must have shape (n,), got {} dimensions", buffer.dimensions())));
        }
        return buffer.to_vec(y.py());
    }
    y.extract()
}

/// The data arguments every function shares, as the command line's data flags take them from
/// a file.
fn data_input(
    x: &Bound<'_, PyAny>,
    names: Vec<String>,
    y: &Bound<'_, PyAny>,
    degree: Option<i128>,
    loss: String,
    standardize: bool,
) -> PyResult<DataInput> {
    let degree_range = Range::IntegerIn { lo: 1.0, hi: MAX_FEATURES as f64 };
    Ok(DataInput {
        source: "x".to_string(),
        columns: columns(x)?,
        names,
        target: target(y)?,
        degree: degree.map(|p| size(p, "degree", degree_range)).transpose()?,
        loss,
        standardize,
    })
}

/// The penalty: `lam` is taken by l1, l2 and elastic-net, `l1_ratio` by elastic-net, and each
/// is left out for the others (where the command line refuses its flag, these have defaults).
fn regularization(kind: String, lam: f64, l1_ratio: f64) -> RegularizationArgs {
    let lambda = ["l1", "l2", "elastic-net"].contains(&kind.as_str()).then_some(lam);
    let l1_ratio = (kind == "elastic-net").then_some(l1_ratio);
    RegularizationArgs { reg: kind, lambda, l1_ratio }
}

/// The start: θ = 0, or one value per coefficient.
fn start(init: Option<Vec<f64>>) -> Start {
    init.map_or(Start::Zeros, Start::Values)
}

/// Runs `output` without holding the interpreter (a long run does not block other threads) and
/// returns its value as a Python object (dicts, lists, floats, ints, strings and `None`).
///
/// A panic of the core is a bug, never an answer to bad input: should one happen, it is raised
/// as a `RuntimeError` saying so, not as PyO3's `PanicException` (a `BaseException`, which
/// `except Exception` in a notebook does not catch).
fn output<T: Serialize + Send>(py: Python<'_>, output: impl FnOnce() -> Result<T, CliError> + Send) -> PyResult<Py<PyAny>> {
    let value = py.detach(|| std::panic::catch_unwind(std::panic::AssertUnwindSafe(output))).map_err(|panic| {
        let message = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("no message");
        PyRuntimeError::new_err(format!("the gdviz core failed on this input (a bug: please report it): {message}"))
    })?;
    Ok(pythonize::pythonize(py, &value.map_err(value_error)?)?.unbind())
}

/// `gdviz solve`: the exact optimum θ* and the curvature of J.
#[pyfunction]
#[pyo3(signature = (x, names, y, *, degree, loss, standardize, regularization, lam, l1_ratio))]
#[allow(clippy::too_many_arguments)] // one per keyword argument of gdviz.solve
fn solve(
    py: Python<'_>,
    x: &Bound<'_, PyAny>,
    names: Vec<String>,
    y: &Bound<'_, PyAny>,
    degree: Option<i128>,
    loss: String,
    standardize: bool,
    regularization: String,
    lam: f64,
    l1_ratio: f64,
) -> PyResult<Py<PyAny>> {
    let data = data_input(x, names, y, degree, loss, standardize)?;
    let regularization = self::regularization(regularization, lam, l1_ratio);
    output(py, move || cli::solve_output(data, &regularization, Naming::Keywords))
}

/// The optimizer and its hyperparameters (each `None` for its default).
fn optimizer_args(
    optimizer: String,
    momentum: Option<f64>,
    beta1: Option<f64>,
    beta2: Option<f64>,
    alpha: Option<f64>,
    eps: Option<f64>,
) -> OptimizerArgs {
    OptimizerArgs { optimizer, momentum, beta1, beta2, alpha, eps }
}

/// `gdviz fit`: a run of the optimizer from θ_start, where it stopped, and the analysis.
#[pyfunction]
#[pyo3(signature = (
    x, names, y, *, degree, loss, standardize, optimizer, lr, batch_size, steps, seed, init, tol,
    regularization, lam, l1_ratio,
    momentum=None, beta1=None, beta2=None, alpha=None, eps=None,
    schedule=None, decay=None, step_size=None, total_steps=None,
    rate_rule=None, up=None, down=None, factor=None, patience=None, threshold=None, cooldown=None, min_lr=None,
    line_search=None, beta=None, c=None,
))]
#[allow(clippy::too_many_arguments)] // one per keyword argument of gdviz.fit
fn fit(
    py: Python<'_>,
    x: &Bound<'_, PyAny>,
    names: Vec<String>,
    y: &Bound<'_, PyAny>,
    degree: Option<i128>,
    loss: String,
    standardize: bool,
    optimizer: String,
    lr: f64,
    batch_size: Option<i128>,
    steps: i128,
    seed: i128,
    init: Option<Vec<f64>>,
    tol: f64,
    regularization: String,
    lam: f64,
    l1_ratio: f64,
    momentum: Option<f64>,
    beta1: Option<f64>,
    beta2: Option<f64>,
    alpha: Option<f64>,
    eps: Option<f64>,
    schedule: Option<String>,
    decay: Option<f64>,
    step_size: Option<i128>,
    total_steps: Option<i128>,
    rate_rule: Option<String>,
    up: Option<f64>,
    down: Option<f64>,
    factor: Option<f64>,
    patience: Option<f64>,
    threshold: Option<f64>,
    cooldown: Option<f64>,
    min_lr: Option<f64>,
    line_search: Option<String>,
    beta: Option<f64>,
    c: Option<f64>,
) -> PyResult<Py<PyAny>> {
    let data = data_input(x, names, y, degree, loss, standardize)?;
    let n = data.target.len();
    let settings = FitSettings {
        lr,
        batch: batch_size.map(|b| size(b, "batch-size", Range::IntegerIn { lo: 1.0, hi: n as f64 })).transpose()?,
        steps: count(steps, "steps", Range::IntegerAtLeast { lo: 0.0 })?,
        seed: count(seed, "seed", Range::IntegerAtLeast { lo: 0.0 })?,
        init: start(init),
        tol,
        regularization: self::regularization(regularization, lam, l1_ratio),
        optimizer: optimizer_args(optimizer, momentum, beta1, beta2, alpha, eps),
        schedule: ScheduleArgs {
            schedule: schedule.unwrap_or_else(|| ScheduleArgs::default().schedule),
            decay,
            step_size: step_size.map(|s| count(s, "step-size", catalog::STEP_SIZE.range)).transpose()?,
            total_steps: total_steps.map(|s| count(s, "total-steps", catalog::TOTAL_STEPS.range)).transpose()?,
        },
        step_size: StepSizeArgs {
            rate_rule: rate_rule.unwrap_or_else(|| StepSizeArgs::default().rate_rule),
            up,
            down,
            factor,
            patience,
            threshold,
            cooldown,
            min_lr,
            line_search: line_search.unwrap_or_else(|| StepSizeArgs::default().line_search),
            beta,
            c,
        },
    };
    output(py, move || cli::fit_output(data, &settings, Naming::Keywords))
}

/// `gdviz lr-find`: the learning-rate range test (fastai's `lr_find`).
#[pyfunction]
#[pyo3(signature = (
    x, names, y, *, degree, loss, standardize, optimizer, batch_size, seed, init,
    regularization, lam, l1_ratio, start, end, num_it, beta, stop_factor,
    momentum=None, beta1=None, beta2=None, alpha=None, eps=None,
))]
#[allow(clippy::too_many_arguments)] // one per keyword argument of gdviz.lr_find
fn lr_find(
    py: Python<'_>,
    x: &Bound<'_, PyAny>,
    names: Vec<String>,
    y: &Bound<'_, PyAny>,
    degree: Option<i128>,
    loss: String,
    standardize: bool,
    optimizer: String,
    batch_size: Option<i128>,
    seed: i128,
    init: Option<Vec<f64>>,
    regularization: String,
    lam: f64,
    l1_ratio: f64,
    start: f64,
    end: f64,
    num_it: i128,
    beta: f64,
    stop_factor: f64,
    momentum: Option<f64>,
    beta1: Option<f64>,
    beta2: Option<f64>,
    alpha: Option<f64>,
    eps: Option<f64>,
) -> PyResult<Py<PyAny>> {
    let data = data_input(x, names, y, degree, loss, standardize)?;
    let n = data.target.len();
    let num_it = size(num_it, "num-it", Range::IntegerIn { lo: MIN_UPDATES as f64, hi: MAX_UPDATES as f64 })?;
    let settings = LrFindSettings {
        batch: batch_size.map(|b| size(b, "batch-size", Range::IntegerIn { lo: 1.0, hi: n as f64 })).transpose()?,
        seed: count(seed, "seed", Range::IntegerAtLeast { lo: 0.0 })?,
        init: self::start(init),
        regularization: self::regularization(regularization, lam, l1_ratio),
        optimizer: optimizer_args(optimizer, momentum, beta1, beta2, alpha, eps),
        range: RangeSettings { start, end, num_it, beta, stop_factor },
    };
    output(py, move || cli::lr_find_output(data, &settings, Naming::Keywords))
}

/// `gdviz rate-map`: the stability map of heavy-ball momentum over (η, μ).
#[pyfunction]
#[pyo3(signature = (x, names, y, *, degree, loss, standardize, regularization, lam, l1_ratio, lr_range, momentum_range, grid))]
#[allow(clippy::too_many_arguments)] // one per keyword argument of gdviz.rate_map
fn rate_map(
    py: Python<'_>,
    x: &Bound<'_, PyAny>,
    names: Vec<String>,
    y: &Bound<'_, PyAny>,
    degree: Option<i128>,
    loss: String,
    standardize: bool,
    regularization: String,
    lam: f64,
    l1_ratio: f64,
    lr_range: Option<Vec<f64>>,
    momentum_range: Vec<f64>,
    grid: Vec<i128>,
) -> PyResult<Py<PyAny>> {
    let data = data_input(x, names, y, degree, loss, standardize)?;
    let grid_range = Range::IntegerIn { lo: MIN_GRID as f64, hi: MAX_GRID as f64 };
    let [width, height] = pair(&grid, "grid", "two whole numbers (W, H)")?;
    let map = MapSettings {
        lr_range: lr_range.map(|r| pair(&r, "lr_range", "two numbers (A, B)")).transpose()?,
        momentum_range: pair(&momentum_range, "momentum_range", "two numbers (a, b)")?,
        grid: [size(width, "grid-columns", grid_range)?, size(height, "grid-rows", grid_range)?],
    };
    let settings = RateMapSettings { map, regularization: self::regularization(regularization, lam, l1_ratio) };
    output(py, move || cli::rate_map_output(data, &settings, Naming::Keywords))
}

/// The module `gdviz._core`.
#[pymodule]
#[pyo3(name = "_core")]
fn core_module(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_function(wrap_pyfunction!(solve, module)?)?;
    module.add_function(wrap_pyfunction!(fit, module)?)?;
    module.add_function(wrap_pyfunction!(lr_find, module)?)?;
    module.add_function(wrap_pyfunction!(rate_map, module)?)?;
    module.add("MAX_FEATURES", MAX_FEATURES)?;
    module.add("MAX_MAGNITUDE", MAX_MAGNITUDE)?;
    module.add("KEYWORDS", cli::KEYWORDS.to_vec())?;
    Ok(())
}
