//! The only module that talks to JavaScript: an opaque handle over a [`Session`] and the page's
//! canvases. Errors become JS exceptions carrying the core's message; nothing here panics on
//! user input. Reports cross as plain objects through serde-wasm-bindgen.

use crate::catalog;
use crate::least_squares::data::{self, Dataset, GeneratorSettings};
use crate::error::{Error, Range};
use crate::least_squares::features::Features;
use crate::least_squares::objective::{Regularization, Theta};
use crate::descent::optimizer::Optimizer;
use crate::render::{Plot, PlotView};
use crate::render::Language;

mod bench;
mod canvas;
mod convert;
mod tuning;
pub use bench::BatchBench;
use crate::descent::run::RunConfig;
use crate::descent::schedule::Schedule;
use crate::session::Session;
use convert::{from_js, js_error, to_js};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::HtmlCanvasElement;

/// Most updates one call to [`Visualizer::step`] takes (a frame at the page's top speed takes 1000).
pub const MAX_UPDATES_PER_CALL: u32 = 1_000_000;


/// Installs the panic hook once, so that a bug shows its message in the console.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// The page's handle: data, objective, runs and the drawing caches.
#[wasm_bindgen]
pub struct Visualizer {
    session: Session,
    view: PlotView,
    /// Per plot (in [`Plot::ALL`] order): its canvases, bottom to top; empty until attached.
    canvases: [Vec<HtmlCanvasElement>; Plot::ALL.len()],
    /// The degree of the polynomial fitted to one x column (1: the line), kept when the data
    /// changes.
    degree: usize,
    /// The data's columns' names, the x columns' then y's (a file's header, or x, y).
    names: Vec<String>,
    /// Every x column of data of several (empty for one): the model fits the `chosen` ones.
    all_columns: Vec<Vec<f64>>,
    /// The x columns fitted (indices into `all_columns`, increasing).
    chosen: Vec<usize>,
    /// The tuning tools' state: the range test under way.
    tuning: tuning::Tuning,
}

#[wasm_bindgen]
impl Visualizer {
    /// A visualizer on the first preset, one full-batch plain-GD run at the default rate from
    /// θ = (0, 0).
    #[wasm_bindgen(constructor)]
    pub fn new() -> Result<Visualizer, JsValue> {
        let data = data::PRESETS[0].settings.generate().map_err(js_error)?;
        let config = RunConfig::full_batch(catalog::DEFAULT_LEARNING_RATE, data.len());
        let session = Session::new(data, Regularization::None, config, Theta::default()).map_err(js_error)?;
        Ok(Visualizer { session, view: PlotView::default(), canvases: Default::default(), degree: 1, names: default_names(1), all_columns: Vec::new(), chosen: Vec::new(), tuning: Default::default() })
    }

    /// The presets: `[{name, label, description, points, noise}]`.
    pub fn presets() -> Result<JsValue, JsValue> {
        to_js(&catalog::presets())
    }

    /// The catalogue the page builds its controls from: `{optimizers, schedules,
    /// regularizations, regularization_params, presets, max_runs, run_colors, learning_rate,
    /// batch_size, points, noise, seed, speed, tolerance, value_names}` (see
    /// [`catalog::Catalog`]).
    pub fn catalog() -> Result<JsValue, JsValue> {
        to_js(&catalog::catalog())
    }

    /// Checks `value` against the range of the catalogue setting `key` (a page key such as
    /// "stepSize" or "learningRate", or an error key such as "step-size"); throws the core's
    /// error, named by the error key.
    pub fn check_value(key: &str, value: f64) -> Result<f64, JsValue> {
        catalog::check_value(key, value).map_err(js_error)
    }

    /// Replaces the data by preset `name` (a line's, or a several-feature one: two-features,
    /// cubic) with `points` points, noise σ and `seed`. θ of the runs is kept when the number of
    /// coefficients stays.
    pub fn load_preset(&mut self, name: &str, points: f64, noise: f64, seed: f64) -> Result<(), JsValue> {
        let points = catalog::POINTS.check(points).map_err(js_error)? as usize;
        let seed = catalog::SEED.check(seed).map_err(js_error)? as u64;
        if let Some(features) = data::feature_preset(name) {
            let mut columns = features.generate(points, noise, seed).map_err(js_error)?;
            let ys = columns.pop().unwrap_or_default();
            let names = features.header.iter().map(|s| s.to_string()).collect();
            return self.set_table(columns, ys, names);
        }
        let preset = data::preset(name).map_err(|_| js_error(data::unknown_preset(name)))?;
        let settings = GeneratorSettings { points, noise, seed, ..preset.settings };
        let dataset = settings.generate().map_err(js_error)?;
        self.set_dataset(dataset, default_names(1))
    }

    /// Replaces the data by the given points (same length, ≥ 2, finite). θ is kept.
    pub fn set_points(&mut self, xs: Vec<f64>, ys: Vec<f64>) -> Result<(), JsValue> {
        let dataset = Dataset::new(xs, ys).map_err(js_error)?;
        self.set_dataset(dataset, default_names(1))
    }

    /// Replaces the data by x `columns` (an array of 1 to 10 arrays or Float64Arrays, each as
    /// long as `ys`) and `ys`, named by `names` (the x columns' then y's; empty for x1 … xk, y).
    /// A value that is not a number is NaN, refused with its point and column.
    pub fn set_columns(&mut self, columns: js_sys::Array, ys: Vec<f64>, names: Vec<String>) -> Result<(), JsValue> {
        // A Float64Array is copied once into the core; another array is converted first.
        let columns: Vec<Vec<f64>> = columns
            .iter()
            .map(|c| c.dyn_into::<js_sys::Float64Array>().unwrap_or_else(|c| js_sys::Float64Array::new(&c)).to_vec())
            .collect();
        let names = if names.is_empty() { default_names(columns.len()) } else { names };
        self.set_table(columns, ys, names)
    }

    /// Replaces the data by CSV text of k ≥ 2 columns, the x columns then y (the command line's
    /// rules; a header names the columns). Data of several x columns fits all of them; two
    /// columns fit a line, or the chosen polynomial. On error the data is unchanged and the
    /// exception names the line and column.
    pub fn import_csv(&mut self, text: &str) -> Result<(), JsValue> {
        let table = crate::least_squares::csv_io::read_table(text.as_bytes()).map_err(js_error)?;
        let names = table.names();
        let mut columns = table.columns;
        let ys = columns.pop().unwrap_or_default();
        self.set_table(columns, ys, names)
    }

    /// The current (original-scale) data as CSV under its columns' names, every x column (those
    /// left out of the model too), then y.
    pub fn export_csv(&self) -> String {
        let data = self.session.original_data();
        let names: Vec<&str> = self.names.iter().map(String::as_str).collect();
        let xs = if self.all_columns.is_empty() { data.columns() } else { &self.all_columns };
        let columns: Vec<&[f64]> = xs.iter().map(Vec::as_slice).chain([data.ys()]).collect();
        crate::least_squares::csv_io::write_table(&names, &columns)
    }

    /// Run 1 as a self-contained Python script with comments, `kind` "pytorch" or "numpy"
    /// ([`crate::session::script`]); beyond 10,000 points it reads the file [`Self::export_csv`]
    /// saves, gdviz-data.csv.
    pub fn export_script(&self, kind: &str) -> Result<String, JsValue> {
        use crate::session::script::{script_with, DataFile, ScriptKind, DATA_FILE};
        let kind = ScriptKind::named(kind).map_err(js_error)?;
        let k = self.session.original_data().columns().len();
        let fitted = if self.all_columns.is_empty() { (0..k).collect() } else { self.chosen.clone() };
        let file = DataFile { file: DATA_FILE.into(), names: self.names.clone(), fitted };
        script_with(&self.session, 0, kind, &file).map_err(js_error)
    }

    /// The data's columns' names: the x columns' then y's.
    pub fn column_names(&self) -> Vec<String> {
        self.names.clone()
    }

    /// Every x column of the data (copies, the ones left out of the model included), as an
    /// array of Float64Arrays.
    pub fn x_columns(&self) -> js_sys::Array {
        let columns: &[Vec<f64>] = if self.all_columns.is_empty() { self.session.original_data().columns() } else { &self.all_columns };
        columns.iter().map(|c| JsValue::from(js_sys::Float64Array::from(c.as_slice()))).collect()
    }

    /// Number of x columns of the data (the ones left out of the model included).
    pub fn column_count(&self) -> usize {
        self.all_columns.len().max(self.session.original_data().columns().len())
    }

    /// Fits only the x columns `indices` (0-based, increasing, at least one) of data of several
    /// columns; the others stay in the data (export, link) and can be chosen again.
    pub fn set_feature_columns(&mut self, indices: Vec<u32>) -> Result<(), JsValue> {
        let count = self.all_columns.len();
        let chosen: Vec<usize> = indices.iter().map(|&j| j as usize).collect();
        let increasing = chosen.windows(2).all(|w| w[0] < w[1]);
        if count < 2 {
            return Err(js_error(Error::invalid("feature-columns", self.column_count(), Range::SeveralColumns)));
        }
        if chosen.is_empty() || !increasing || chosen.iter().any(|&j| j >= count) {
            let text = format!("({})", indices.iter().map(u32::to_string).collect::<Vec<_>>().join(", "));
            return Err(js_error(Error::invalid("feature-columns", text, Range::ColumnsOf { count })));
        }
        if chosen == self.chosen {
            return Ok(());
        }
        let columns = chosen.iter().map(|&j| self.all_columns[j].clone()).collect();
        let ys = self.session.original_data().ys().to_vec();
        let dataset = Dataset::with_features(columns, ys, Features::Columns).map_err(js_error)?;
        self.session.set_data(dataset).map_err(js_error)?;
        self.chosen = chosen;
        self.view.invalidate();
        Ok(())
    }

    /// The x columns fitted (0-based indices into every x column).
    pub fn feature_columns(&self) -> Vec<u32> {
        if self.all_columns.is_empty() {
            vec![0]
        } else {
            self.chosen.iter().map(|&j| j as u32).collect()
        }
    }

    /// The x values of the original data (a copy).
    pub fn xs(&self) -> Vec<f64> {
        self.session.original_data().xs().to_vec()
    }
    /// The y values of the original data (a copy).
    pub fn ys(&self) -> Vec<f64> {
        self.session.original_data().ys().to_vec()
    }

    /// Adds the point (x, y) (finite). θ is kept. The statistics are then exact (a pass over
    /// the points), so that the data reloaded from a link gives the same numbers.
    pub fn add_point(&mut self, x: f64, y: f64) -> Result<(), JsValue> {
        self.edit_points(|data| data.add_point(x, y))?;
        self.settle_points()
    }

    /// Moves point `index` (0-based) to (x, y), the statistics updated in place (O(1) in n, for
    /// dragging); call [`Visualizer::settle_points`] when the drag ends.
    pub fn move_point(&mut self, index: usize, x: f64, y: f64) -> Result<(), JsValue> {
        self.edit_points(|data| data.move_point(index, x, y))
    }

    /// Deletes point `index` (0-based); at least 2 points stay. The statistics are then exact.
    pub fn remove_point(&mut self, index: usize) -> Result<(), JsValue> {
        self.edit_points(|data| data.remove_point(index))?;
        self.settle_points()
    }

    /// After moves, the statistics from a pass over the points: exactly those the same points
    /// give when loaded from a link or a file.
    pub fn settle_points(&mut self) -> Result<(), JsValue> {
        self.session.settle_data().map_err(js_error)?;
        self.view.redraw();
        Ok(())
    }

    /// The index of the point drawn nearest to a position on the data canvas (CSS pixels),
    /// if it lies within `radius` CSS pixels; otherwise -1.
    pub fn nearest_point(&self, x: f64, y: f64, radius: f64) -> i32 {
        let Some(t) = self.view.transform(Plot::Fit) else { return -1 };
        let r = self.view.scale().pixel_ratio;
        let data = self.session.original_data();
        let mut best = (-1i32, (radius * r) * (radius * r));
        for (i, (&px, &py)) in data.xs().iter().zip(data.ys()).enumerate() {
            let (cx, cy) = t.to_pixel(px, py);
            let d = (cx - x * r).powi(2) + (cy - y * r).powi(2);
            if d <= best.1 {
                best = (i as i32, d);
            }
        }
        best.0
    }

    /// Every run's trajectory as CSV: `run,step,epoch,theta0,theta1,loss,grad_norm`.
    pub fn trajectory_csv(&self) -> String {
        self.session.trajectory_csv()
    }

    /// Legend labels of the runs, e.g. "GD η=0.05".
    pub fn run_labels(&self) -> Vec<String> {
        let n = self.session.data().len();
        let language = self.view.scale().language;
        self.session.runs().iter().map(|r| crate::render::scenes::run_label(r, n, language)).collect()
    }

    /// Shows the runs as they were at `iteration` (the timeline), without recomputing; a
    /// negative or non-finite value goes back to live.
    pub fn set_scrub(&mut self, iteration: f64) {
        self.view.scrub = (iteration.is_finite() && iteration >= 0.0).then_some(iteration as u64);
    }

    /// θ (d + 1 values, θ0 first) of the fitted model in the original features' scale
    /// (unchanged when they are not standardized).
    pub fn to_original_scale(&self, theta: Vec<f64>) -> Result<Vec<f64>, JsValue> {
        let theta = self.session.objective().check_theta("theta", Theta::from_slice("theta", &theta).map_err(js_error)?).map_err(js_error)?;
        Ok(self.session.to_original_scale(theta).as_slice().to_vec())
    }

    /// Chooses the model: "line"; "polynomial", the powers x … x^degree of the one x column
    /// (degree 2 to 10); "columns", every x column of data with several. The polynomial degree
    /// is kept for the one-column data loaded after. Every run restarts at θ = 0 when the number
    /// of coefficients changes.
    pub fn set_model(&mut self, kind: &str, degree: f64) -> Result<(), JsValue> {
        let columns = self.column_count();
        let degree = match kind {
            "line" => 1,
            "polynomial" => catalog::DEGREE.check(degree).map_err(js_error)? as usize,
            "columns" if columns > 1 => return Ok(()),
            "columns" => return Err(js_error(Error::invalid("feature-columns", columns, Range::SeveralColumns))),
            other => return Err(js_error(Error::unknown_choice("model", other, catalog::MODELS.iter().copied()))),
        };
        if columns > 1 {
            return Err(js_error(Error::invalid("feature-columns", columns, Range::OneColumn)));
        }
        let data = self.session.original_data().with_feature_kind(Features::Powers { degree }).map_err(js_error)?;
        self.session.set_data(data).map_err(js_error)?;
        self.degree = degree;
        self.view.invalidate();
        Ok(())
    }

    /// The model fitted now: "line", "polynomial" or "columns".
    pub fn model(&self) -> String {
        if !self.all_columns.is_empty() {
            return "columns".to_string();
        }
        match self.session.original_data().layout() {
            data::Layout::Line => "line",
            data::Layout::Powers { .. } => "polynomial",
            data::Layout::Rows { .. } => "columns",
        }
        .to_string()
    }

    /// The degree of the polynomial fitted to one x column (1: the line).
    pub fn degree(&self) -> usize {
        self.degree
    }

    /// The names of the features, one per slope: the x column's name (x) for a line, its powers
    /// (x, x², …) for a polynomial, the columns' names for several columns.
    pub fn feature_names(&self) -> Vec<String> {
        let data = self.session.original_data();
        let base = self.names.first().map_or("x", String::as_str);
        if !self.all_columns.is_empty() {
            return self.chosen.iter().filter_map(|&j| self.names.get(j).cloned()).collect();
        }
        match data.layout() {
            data::Layout::Rows { .. } => self.names[..self.names.len().saturating_sub(1)].to_vec(),
            _ => (1..=data.features()).map(|p| if p == 1 { base.to_string() } else { format!("{base}{}", superscript(p)) }).collect(),
        }
    }

    /// Shows the coefficients `across` and `up` (indices into θ, θ0 = 0) on the loss surface.
    pub fn set_surface_axes(&mut self, across: f64, up: f64) -> Result<(), JsValue> {
        let p = self.session.objective().params();
        let range = Range::IntegerIn { lo: 0.0, hi: (p - 1) as f64 };
        let a = range.check("surface-axes", across).map_err(js_error)? as usize;
        let b = range.check("surface-axes", up).map_err(js_error)? as usize;
        if a == b {
            return Err(js_error(Error::invalid("surface-axes", format!("({a}, {b})"), Range::ValidSetting)));
        }
        self.view.set_axes((a, b));
        Ok(())
    }

    /// How the surface sets the coefficients it does not show: "none" (a line has only the two),
    /// "profile" (each at its best for every point) or "at-optimum" (held at θ*, with an L1
    /// part).
    pub fn surface_others(&self) -> String {
        let objective = self.session.objective();
        if objective.params() == 2 {
            return "none".to_string();
        }
        match objective.pair_loss(self.view.axes(&self.session)).1 {
            crate::least_squares::objective::Others::Profile => "profile",
            crate::least_squares::objective::Others::AtOptimum => "at-optimum",
        }
        .to_string()
    }

    /// The coefficients the loss surface shows: `[across, up]`.
    pub fn surface_axes(&self) -> Vec<usize> {
        let (a, b) = self.view.axes(&self.session);
        vec![a, b]
    }

    /// Replaces the data by x `columns` and `ys` named by `names`: one column fits the line or
    /// the chosen polynomial, several fit every column.
    fn set_table(&mut self, columns: Vec<Vec<f64>>, ys: Vec<f64>, names: Vec<String>) -> Result<(), JsValue> {
        let width = columns.len();
        if names.len() != width + 1 {
            return Err(js_error(Error::invalid("column-names", names.len(), Range::EqualCount { count: width + 1 })));
        }
        let all_columns = if width > 1 { columns.clone() } else { Vec::new() };
        let dataset = Dataset::with_features(columns, ys, Features::Columns).map_err(js_error)?;
        self.set_dataset(dataset, names)?;
        self.chosen = (0..all_columns.len()).collect();
        self.all_columns = all_columns;
        Ok(())
    }

    /// Replaces the data (of one x column, or every column of several) and its names.
    fn set_dataset(&mut self, dataset: Dataset, names: Vec<String>) -> Result<(), JsValue> {
        let dataset = match (self.degree, dataset.columns().len()) {
            (degree, 1) if degree > 1 => dataset.with_feature_kind(Features::Powers { degree }).map_err(js_error)?,
            _ => dataset,
        };
        self.session.set_data(dataset).map_err(js_error)?;
        self.names = names.into_iter().map(|n| clip_name(&n)).collect();
        self.all_columns = Vec::new();
        self.chosen = Vec::new();
        self.view.invalidate();
        Ok(())
    }

    /// Edits single points in place (their statistics updated, not recomputed): redraws but
    /// keeps the surface view, so that it does not jump while a point is dragged.
    fn edit_points(&mut self, edit: impl Fn(&mut Dataset) -> crate::error::Result<()>) -> Result<(), JsValue> {
        if !self.all_columns.is_empty() {
            return Err(js_error(Error::invalid("feature-columns", self.all_columns.len(), Range::OneColumn)));
        }
        self.session.edit_data(edit).map_err(js_error)?;
        self.view.redraw();
        Ok(())
    }

    /// Sets the loss convention: "half-mse" (1/(2n)·Σr², the default) or "mse" (PyTorch's
    /// `nn.MSELoss`, 1/n·Σr²). θ of every run is kept.
    pub fn set_loss_convention(&mut self, name: &str) -> Result<(), JsValue> {
        let loss = catalog::loss_convention(name).map_err(js_error)?;
        self.session.set_loss_convention(loss).map_err(js_error)?;
        self.view.invalidate();
        Ok(())
    }

    /// Sets the regularization: `kind` one of none, l1, l2, elastic-net; λ ≥ 0; ρ ∈ [0, 1].
    pub fn set_regularization(&mut self, kind: &str, lambda: f64, l1_ratio: f64) -> Result<(), JsValue> {
        let reg = Regularization::from_parts(kind, lambda, l1_ratio).map_err(js_error)?;
        self.session.set_regularization(reg).map_err(js_error)?;
        self.view.invalidate();
        Ok(())
    }

    /// Fits on standardized x or on the original x; restarts the runs.
    pub fn set_standardize(&mut self, on: bool) -> Result<(), JsValue> {
        self.session.set_standardize(on).map_err(js_error)?;
        self.view.invalidate();
        Ok(())
    }

    /// Number of runs (1 to 6).
    pub fn run_count(&self) -> usize {
        self.session.runs().len()
    }

    /// Adds a comparison run; `config` is `{learning_rate, batch_size, optimizer, schedule,
    /// seed, tol}` as in [`RunConfig`]. Returns its index.
    pub fn add_run(&mut self, config: JsValue) -> Result<usize, JsValue> {
        let config: RunConfig = from_js("run-settings", config)?;
        self.session.add_run(config).map_err(js_error)
    }

    /// Removes run `index` (not the last one).
    pub fn remove_run(&mut self, index: usize) -> Result<(), JsValue> {
        self.session.remove_run(index).map_err(js_error)
    }

    /// Keeps only run 0.
    pub fn clear_comparisons(&mut self) {
        self.session.clear_comparisons();
    }

    /// The settings of run `index` as `{learning_rate, batch_size, optimizer, schedule, seed, tol}`.
    pub fn run_config(&self, index: usize) -> Result<JsValue, JsValue> {
        to_js(self.session.run(index).map_err(js_error)?.config())
    }

    /// Sets the learning rate of run `index` (> 0, finite).
    pub fn set_learning_rate(&mut self, index: usize, learning_rate: f64) -> Result<(), JsValue> {
        self.session
            .with_run(index, |run, _, objective| run.set_learning_rate(learning_rate, objective))
            .map_err(js_error)
    }

    /// Sets the batch size of run `index` (integer in [1, n]).
    pub fn set_batch_size(&mut self, index: usize, batch_size: f64) -> Result<(), JsValue> {
        let n = self.session.data().len();
        let b = Range::IntegerIn { lo: 1.0, hi: n as f64 }.check("batch-size", batch_size).map_err(js_error)? as usize;
        self.session.with_run(index, |run, data, _| run.set_batch_size(b, data.len())).map_err(js_error)
    }

    /// Sets the optimizer of run `index`: `{kind: "sgd"|"momentum"|..., ...hyperparameters}`.
    pub fn set_optimizer(&mut self, index: usize, optimizer: JsValue) -> Result<(), JsValue> {
        let optimizer: Optimizer = from_js("optimizer", optimizer)?;
        self.session.with_run(index, |run, data, objective| run.set_optimizer(optimizer, data.len(), objective)).map_err(js_error)
    }

    /// Sets the schedule of run `index`: `{kind: "constant"|"step"|..., ...parameters}` (the
    /// spellings "step-decay" and "rms-prop" are accepted too).
    pub fn set_schedule(&mut self, index: usize, schedule: JsValue) -> Result<(), JsValue> {
        let schedule: Schedule = from_js("schedule", schedule)?;
        self.session.with_run(index, |run, _, _| run.set_schedule(schedule)).map_err(js_error)
    }

    /// Sets the rate rule of run `index`: `{kind: "none"|"bold-driver"|"plateau", ...parameters}`.
    pub fn set_rate_rule(&mut self, index: usize, rule: JsValue) -> Result<(), JsValue> {
        let rule: crate::descent::step_size::RateRule = from_js("rate-rule", rule)?;
        self.session.with_run(index, |run, data, _| run.set_rate_rule(rule, data.len())).map_err(js_error)
    }

    /// Sets the line search of run `index`: `{kind: "none"|"exact"|"armijo"|"bb"|"polyak",
    /// ...parameters}` (full-batch plain gradient descent only).
    pub fn set_line_search(&mut self, index: usize, search: JsValue) -> Result<(), JsValue> {
        let search: crate::descent::step_size::LineSearch = from_js("line-search", search)?;
        self.session.with_run(index, |run, data, _| run.set_line_search(search, data.len())).map_err(js_error)
    }

    /// The comparisons of the methods ladder (run configs, see [`Session::methods_ladder`]).
    pub fn methods_ladder(&self) -> Result<JsValue, JsValue> {
        to_js(&self.session.methods_ladder())
    }

    /// The trials of run `index`'s last line search: `[{eta, theta, loss, accepted}]`, the
    /// accepted one last (empty without a search).
    pub fn line_search_trials(&self, index: usize) -> Result<JsValue, JsValue> {
        let run = self.session.run(index).map_err(js_error)?;
        to_js(&run.trials())
    }

    /// Sets the sampler seed of run `index` (used from the next reset).
    pub fn set_seed(&mut self, index: usize, seed: f64) -> Result<(), JsValue> {
        let seed = catalog::SEED.check(seed).map_err(js_error)? as u64;
        self.session
            .with_run(index, |run, _, _| {
                run.set_seed(seed);
                Ok(())
            })
            .map_err(js_error)
    }

    /// Sets the convergence tolerance of run `index` (> 0).
    pub fn set_tolerance(&mut self, index: usize, tol: f64) -> Result<(), JsValue> {
        self.session.with_run(index, |run, _, objective| run.set_tolerance(tol, objective)).map_err(js_error)
    }

    /// Restarts every run from θ (d + 1 values, θ0 first).
    pub fn reset(&mut self, theta: Vec<f64>) -> Result<(), JsValue> {
        let theta = Theta::from_slice("start", &theta).map_err(js_error)?;
        self.session.reset(theta).map_err(js_error)?;
        self.view.invalidate_view();
        Ok(())
    }

    /// The common start θ, θ0 first (`[theta0, theta1]` for a line).
    pub fn theta_start(&self) -> Vec<f64> {
        self.session.theta_start().as_slice().to_vec()
    }

    /// Steps every run `updates` times; returns one report per run:
    /// `{iteration, epoch, samples_seen, theta: {theta0, theta1}, loss, grad_norm, lr_effective,
    /// status, divergence: null | {iteration, learning_rate, lr_critical, last_loss, cause,
    /// factor, message}}` (cause: "above-critical", "loss-growth", "minibatch-noise" or "optimizer").
    /// At most [`MAX_UPDATES_PER_CALL`] updates a call, so that one call cannot freeze the page.
    pub fn step(&mut self, updates: u32) -> Result<JsValue, JsValue> {
        let reports = self.session.step(u64::from(updates.min(MAX_UPDATES_PER_CALL)));
        to_js(&reports)
    }

    /// The reports of every run without stepping.
    pub fn reports(&self) -> Result<JsValue, JsValue> {
        to_js(&self.session.reports())
    }

    /// `{n, curvature: {hessian, eigenvalues, eigenvectors, condition_number, lr_critical,
    /// lr_optimal, lr_monotone}, optimum: {theta, loss} | null, optimum_error, standardization,
    /// unregularized_optimum, stats}`.
    pub fn analysis(&self) -> Result<JsValue, JsValue> {
        to_js(&crate::session::report::Analysis::of(&self.session))
    }

    /// The trajectory of run `index` as `[iteration, epoch, theta0, …, thetaD, loss, grad_norm]`
    /// rows flattened into one array.
    pub fn history(&self, index: usize) -> Result<Vec<f64>, JsValue> {
        let run = self.session.run(index).map_err(js_error)?;
        Ok(rows(run.history().points()))
    }

    /// The last `count` recorded rows of run `run` (all of them when it has fewer), in the
    /// layout of [`Visualizer::history`].
    pub fn history_tail(&self, run: usize, count: usize) -> Result<Vec<f64>, JsValue> {
        let points = self.session.run(run).map_err(js_error)?.history().points();
        Ok(rows(&points[points.len().saturating_sub(count)..]))
    }

    /// The number of values in a history row: iteration, epoch, the d + 1 coefficients, loss
    /// and gradient norm (6 for a line).
    pub fn history_width(&self) -> usize {
        self.session.objective().params() + 4
    }

    /// The number of recorded rows of run `run`.
    pub fn history_length(&self, run: usize) -> Result<usize, JsValue> {
        Ok(self.session.run(run).map_err(js_error)?.history().points().len())
    }

    /// The coming update of run `run`, computed by the stepping code without stepping:
    /// `{optimizer, iteration, lr, theta: [θ0, θ1], gradient: {kind: "full"|"batch", value,
    /// full, batch: null | {size, indices: null | [...]}, l1_subgradient}, steps: [{symbol,
    /// formula, value}], prox: null | {threshold, before, after}, next: [θ0, θ1], stability:
    /// {eigenvalues, lr_monotone, lr_optimal, lr_critical, condition_number, momentum_critical,
    /// applies}}` (see [`crate::descent::explain::Explanation`]). `next` is exactly where `step(1)` takes
    /// the run while it is running.
    pub fn explain_step(&self, run: usize) -> Result<JsValue, JsValue> {
        let run = self.session.run(run).map_err(js_error)?;
        to_js(&run.explain(self.session.data(), self.session.objective()))
    }

    /// 1 while run `index` keeps every step; 2^k once its history was thinned k times.
    pub fn history_stride(&self, index: usize) -> Result<f64, JsValue> {
        Ok(self.session.run(index).map_err(js_error)?.history().stride() as f64)
    }

    /// The gradients at θ = (theta0, theta1) on the full data: `{smooth: [g0, g1]` (data term
    /// plus the L2 part), `subgradient: [g0, g1]` (plus λ1·sign(θ1)), `l1_weight, l2_weight}`.
    pub fn gradient_at(&self, theta0: f64, theta1: f64) -> Result<JsValue, JsValue> {
        #[derive(Serialize)]
        struct Gradients {
            smooth: Vec<f64>,
            subgradient: Vec<f64>,
            l1_weight: f64,
            l2_weight: f64,
        }
        let objective = self.session.objective();
        let theta = objective.check_theta("theta", Theta::new(theta0, theta1)).map_err(js_error)?;
        let (g, s) = (objective.smooth_gradient(theta), objective.subgradient(theta));
        let reg = objective.regularization();
        to_js(&Gradients {
            smooth: g.as_slice().to_vec(),
            subgradient: s.as_slice().to_vec(),
            l1_weight: reg.l1_weight(),
            l2_weight: reg.l2_weight(),
        })
    }

    /// Run `index`'s optimizer state and last update's gradients:
    /// `{first: [b0, b1], second: [v0, v1], steps, last: null | {at, batch, full}}` (first: momentum
    /// buffer or Adam's m; second: Adagrad's sum, RMSprop's or Adam's v).
    pub fn optimizer_state(&self, index: usize) -> Result<JsValue, JsValue> {
        #[derive(Serialize)]
        struct State {
            first: Vec<f64>,
            second: Vec<f64>,
            steps: u64,
            last: Option<crate::descent::run::LastGradients>,
        }
        let run = self.session.run(index).map_err(js_error)?;
        let s = run.optimizer_state();
        let p = run.theta().len();
        to_js(&State { first: s.first[..p].to_vec(), second: s.second[..p].to_vec(), steps: s.steps, last: run.last_gradients() })
    }

    /// Sets the ratio of device pixels to CSS pixels (the page passes `devicePixelRatio`).
    pub fn set_pixel_ratio(&mut self, ratio: f64) {
        if ratio.is_finite() && ratio > 0.0 {
            self.view.set_pixel_ratio(ratio);
        }
    }

    /// Magnifies text and lines of the plots (presenter mode: about 1.4; normal: 1).
    pub fn set_zoom(&mut self, zoom: f64) {
        self.view.set_zoom(zoom);
    }

    /// Sets the smallest text of the plots in CSS pixels (0: none; a lesson's stage in presenter
    /// mode: 18).
    pub fn set_min_font(&mut self, css: f64) {
        self.view.set_min_font(css);
    }

    /// Sets the language of the words in the plots: "en" or "zh" (region tags such as "zh-CN"
    /// are accepted).
    pub fn set_language(&mut self, code: &str) -> Result<(), JsValue> {
        let language = Language::from_code(code)
            .ok_or_else(|| js_error(Error::unknown_choice("language", code, ["en", "zh"])))?;
        self.view.set_language(language);
        Ok(())
    }

    /// Shows or hides the overlays: the Hessian's eigen-directions on the surface and the
    /// predicted convergence rate on the loss curve.
    pub fn set_overlays(&mut self, eigen_directions: bool, prediction: bool) {
        self.view.show_eigen_directions = eigen_directions;
        self.view.show_prediction = prediction;
        self.view.redraw();
    }

    /// Draws the loss curve's iterations on a log axis (iteration 0 at its left edge, 1) or on
    /// a linear one.
    pub fn set_log_iterations(&mut self, on: bool) {
        self.view.log_iterations = on;
    }

    /// The plots: `[{name, layers}]`, `layers` the number of stacked canvases each draws on
    /// (4 for "surface": background, trajectory halo, trajectory lines, foreground; 2 for the
    /// others: background or frame, and foreground).
    pub fn plots() -> Result<JsValue, JsValue> {
        to_js(&Plot::ALL.map(|p| p.info()))
    }

    /// Gives plot `plot` ("surface", "fit", "loss" or "coefficients") its canvases, bottom to top, as many as
    /// [`Visualizer::plots`] says; they replace any given before. Its background is drawn anew
    /// at the next [`Visualizer::draw`].
    pub fn attach(&mut self, plot: &str, layers: js_sys::Array) -> Result<(), JsValue> {
        let plot = Plot::from_name(plot).map_err(js_error)?;
        let range = Range::Canvases { count: plot.layers() };
        let count = layers.length() as usize;
        if count != plot.layers() {
            return Err(js_error(Error::invalid("layers", count, range)));
        }
        let mut canvases = Vec::with_capacity(count);
        for (position, layer) in layers.iter().enumerate() {
            let canvas = layer.dyn_into::<HtmlCanvasElement>().map_err(|_| {
                js_error(Error::invalid("layers", format!("something other than a canvas at {position}"), range))
            })?;
            canvases.push(canvas);
        }
        canvas::style_layers(plot, &canvases);
        self.canvases[plot.index()] = canvases;
        self.view.redraw();
        Ok(())
    }

    /// Draws every attached plot. Backgrounds are redrawn only when the data, the
    /// regularization, the view or the canvas size changed; foregrounds every call.
    pub fn draw(&mut self) -> Result<(), JsValue> {
        canvas::draw_plots(&mut self.view, &self.session, &self.canvases).map_err(|message| js_error(Error::Drawing { message }))
    }

    /// Draws plot `plot` alone, as [`Visualizer::draw`] draws it (the page's start draws its
    /// plots one task each, so that no task of the start is long).
    pub fn draw_plot(&mut self, plot: &str) -> Result<(), JsValue> {
        let plot = Plot::from_name(plot).map_err(js_error)?;
        canvas::draw_one(&mut self.view, &self.session, &self.canvases, plot).map_err(|message| js_error(Error::Drawing { message }))
    }

    /// Starts the learning-rate range test with run 1's settings from the common start: rates
    /// from `start` to `end` over at most `num_it` updates, losses smoothed with `beta`, stopped
    /// past `stop_factor` × the best. Nothing of the runs changes.
    pub fn range_test_start(&mut self, start: f64, end: f64, num_it: f64, beta: f64, stop_factor: f64) -> Result<(), JsValue> {
        self.tuning.range_start(&self.session, start, end, num_it, beta, stop_factor).map_err(js_error)
    }

    /// Takes up to `updates` more updates of the range test (it starts over if the data, the
    /// objective, run 1's settings or the start changed); returns whether it has stopped.
    pub fn range_test_advance(&mut self, updates: u32) -> Result<bool, JsValue> {
        self.tuning.range_advance(&self.session, updates).map_err(js_error)
    }

    /// The range test so far, or null before one is started: `{lrs, losses, smooth_losses,
    /// suggestions: {valley, steep, minimum}, points, stopped, lr_critical, num_it, taken, done,
    /// theory: [1/λmax, 2/(λmin+λmax), 2/λmax] or null, current}` (non-finite numbers as null).
    pub fn range_test_result(&self) -> Result<JsValue, JsValue> {
        self.tuning.range_report(&self.session, |report| match report {
            Some(report) => to_js(report),
            None => Ok(JsValue::NULL),
        })
    }

    /// Draws the range test's plot on `canvas` (at the plots' pixel ratio, zoom and language).
    pub fn draw_range_test(&mut self, canvas: &HtmlCanvasElement) -> Result<(), JsValue> {
        self.tuning.range_draw(&self.session, self.view.scale(), canvas).map_err(js_error)
    }

    /// The learning rate under a point of the range test's canvas (device pixels from its
    /// top-left corner), or NaN outside the plotting area or before it is drawn.
    pub fn range_test_rate_at(&self, x: f64, y: f64) -> f64 {
        self.tuning.range_rate_at(x, y)
    }

    /// Forgets the range test.
    pub fn range_test_clear(&mut self) {
        self.tuning.range_clear();
    }

    /// Starts the stability map of heavy-ball momentum on the session's objective (its smooth
    /// part), and its check against 16 × 16 real runs of 200 updates.
    pub fn rate_map_start(&mut self) -> Result<(), JsValue> {
        self.tuning.map_start(&self.session).map_err(js_error)
    }

    /// Measures up to `count` more of the check's real runs (anew if the data, the objective or
    /// the start changed); returns whether all are measured.
    pub fn rate_map_measure(&mut self, count: u32) -> Result<bool, JsValue> {
        self.tuning.map_measure(&self.session, count).map_err(js_error)
    }

    /// The map, or null before it is started: `{lr_range, momentum_range, optimum: {lr,
    /// momentum, rate}, plain_best: {lr, rate}, lr_critical, eigenvalues, caveats: [{kind,
    /// optimizer?}], current: [η, μ] or null, measured, total, done, agreement: {compared,
    /// median_gap, max_gap, predicted_divergent, diverged}}`.
    pub fn rate_map_result(&self) -> Result<JsValue, JsValue> {
        self.tuning.map_report(&self.session, |report| match report {
            Some(report) => to_js(report),
            None => Ok(JsValue::NULL),
        })
    }

    /// Draws the stability map on `canvas` (at the plots' pixel ratio, zoom and language).
    pub fn draw_rate_map(&mut self, canvas: &HtmlCanvasElement) -> Result<(), JsValue> {
        self.tuning.map_draw(&self.session, self.view.scale(), canvas).map_err(js_error)
    }

    /// The [η, μ] under a point of the map's canvas (device pixels from its top-left corner), or
    /// an empty array outside the map or before it is drawn.
    pub fn rate_map_point_at(&self, x: f64, y: f64) -> Vec<f64> {
        self.tuning.map_point_at(x, y).map_or_else(Vec::new, |(lr, mu)| vec![lr, mu])
    }

    /// Forgets the stability map.
    pub fn rate_map_clear(&mut self) {
        self.tuning.map_clear();
    }

    /// Maps a position on the surface canvas (CSS pixels from its top-left corner) to θ, or
    /// returns an empty array when it lies outside the plotting area.
    pub fn surface_point_to_theta(&self, x: f64, y: f64) -> Vec<f64> {
        match self.view.surface_point_to_theta(x, y) {
            Some(t) => vec![t[0], t[1]],
            None => Vec::new(),
        }
    }

    /// Maps a position on the data canvas (CSS pixels) to data coordinates (x, y), or an empty
    /// array outside the plotting area.
    pub fn fit_point_to_data(&self, x: f64, y: f64) -> Vec<f64> {
        match self.view.fit_point_to_data(x, y) {
            Some((a, b)) => vec![a, b],
            None => Vec::new(),
        }
    }

    /// Turns the 3-D data plot by `d_yaw` about its vertical axis and tilts it by `d_pitch`
    /// (radians; the tilt stays within ±1.4, a non-finite value changes nothing); its
    /// background is redrawn at the next [`Visualizer::draw`].
    pub fn rotate_fit(&mut self, d_yaw: f64, d_pitch: f64) {
        self.view.rotate_fit(d_yaw, d_pitch);
    }

    /// Whether the data plot is the 3-D view (data of exactly two feature columns): a drag
    /// turns it, and it takes no point edits.
    pub fn fit_is_3d(&self) -> bool {
        crate::render::view3d::is_3d(self.session.original_data())
    }
}

/// History points as `[iteration, epoch, theta0, …, thetaD, loss, grad_norm]` rows (d + 5
/// values each: [`Visualizer::history_width`]), flattened.
fn rows(points: &[crate::descent::run::HistoryPoint]) -> Vec<f64> {
    let width = points.first().map_or(0, |p| p.theta.len() + 4);
    let mut out = Vec::with_capacity(points.len() * width);
    for p in points {
        out.extend_from_slice(&[p.iteration as f64, p.epoch as f64]);
        out.extend_from_slice(p.theta.as_slice());
        out.extend_from_slice(&[p.loss, p.grad_norm]);
    }
    out
}

/// Longest column name kept, in characters.
const MAX_NAME_CHARS: usize = 24;

/// The names of `k` x columns and y when the data has none: x, y for one; x1 … xk, y for more.
fn default_names(k: usize) -> Vec<String> {
    let xs = if k == 1 { vec!["x".to_string()] } else { (1..=k).map(|j| format!("x{j}")).collect() };
    xs.into_iter().chain(["y".to_string()]).collect()
}

/// A column name as labels show it: at most [`MAX_NAME_CHARS`] characters, an ellipsis after.
fn clip_name(name: &str) -> String {
    let name = name.trim();
    if name.chars().count() <= MAX_NAME_CHARS {
        return name.to_string();
    }
    name.chars().take(MAX_NAME_CHARS - 1).chain(['…']).collect()
}

/// Reads a CSV file's bytes by the command line's rules (see [`crate::least_squares::csv_io`]) into
/// `{names, columns: [Float64Array], ys: Float64Array}`: the x columns and y, for
/// [`Visualizer::set_columns`]. A page's worker calls it, so that a large file is read off the
/// page's thread; a bad file throws the error naming its line and column.
#[wasm_bindgen]
pub fn read_columns(bytes: &[u8]) -> Result<JsValue, JsValue> {
    crate::least_squares::csv_io::check_size(bytes.len()).map_err(js_error)?;
    let table = crate::least_squares::csv_io::read_table(bytes).map_err(js_error)?;
    let names: js_sys::Array = table.names().iter().map(|n| JsValue::from_str(n)).collect();
    let mut columns: Vec<js_sys::Float64Array> = table.columns.iter().map(|c| js_sys::Float64Array::from(c.as_slice())).collect();
    let ys = columns.pop().unwrap_or_else(|| js_sys::Float64Array::new_with_length(0));
    let out = js_sys::Object::new();
    js_sys::Reflect::set(&out, &"names".into(), &names)?;
    js_sys::Reflect::set(&out, &"columns".into(), &columns.into_iter().collect::<js_sys::Array>())?;
    js_sys::Reflect::set(&out, &"ys".into(), &ys)?;
    Ok(out.into())
}

/// `k` in superscript digits (x² for 2).
fn superscript(k: usize) -> String {
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    k.to_string().chars().map(|c| c.to_digit(10).map_or(c, |d| DIGITS[d as usize])).collect()
}
