//! The `gdviz` command line: a thin native front end over the core.
//!
//! ```text
//! gdviz solve  --csv FILE [data] [--reg KIND] [--lambda F] [--l1-ratio F]
//! gdviz fit    --csv FILE [data] [regularization] [--lr F] [--batch N] [--steps N] [--seed N]
//!              [--init T0,T1,…] [--tol F] [--optimizer NAME ...] [--schedule NAME ...]
//! gdviz plot   (as fit) --out DIR [--width PX] [--height PX]
//!   data: [--features A,B] [--target C] [--degree P] [--loss half-mse|mse] [--standardize]
//! gdviz preset NAME [--seed N] [--points N]
//! gdviz lr-find --csv FILE [data] [regularization] [--batch N] [optimizer] [--start F] [--end F] [--num-it N] [--beta F] [--stop-factor F]
//! gdviz rate-map --csv FILE [data] [regularization] [--lr-range A,B] [--momentum-range A,B] [--grid W,H]
//! ```
//! `solve` and `fit` print one JSON object; `preset` prints CSV. Bad input is reported as one
//! line on stderr naming the file (with line and column) or the flag, with exit status 2
//! ([`USAGE_EXIT_CODE`]). All the mathematics comes from the core: this module only turns flags
//! into core values, attributing each refusal to the flag it came from, and results into JSON.
//!
//! What `solve`, `fit`, `lr-find` and `rate-map` print is built from data in memory
//! ([`DataInput`]) by [`solve_output`], [`fit_output`], [`lr_find_output`] and
//! [`rate_map_output`]: the command line calls them after reading the CSV file, and the Python
//! package (`python/`) with arrays, naming the settings in its messages by their keyword
//! arguments ([`Naming`]).

use crate::least_squares::csv_io::{read_table, write_csv, write_table};
use crate::least_squares::features::{Features, LossConvention};
use crate::least_squares::data::{self, Dataset, GeneratorSettings};
use crate::error::{values_text, Error, Range};
use crate::least_squares::objective::{Regularization, Theta};
use crate::descent::optimizer::Optimizer;
use crate::descent::range_test::{self, RangeSettings, Stopped};
use crate::descent::rate_map::{self, MapSettings, RateMap};
use crate::catalog::{self, DEFAULT_LEARNING_RATE};
use crate::session::report::Analysis;
use crate::descent::run::{RunConfig, DEFAULT_TOLERANCE};
use crate::descent::schedule::Schedule;
use crate::descent::step_size::{LineSearch, RateRule};
use crate::session::Session;
use clap::{Args, Parser, Subcommand};
use std::io::Write;
use std::process::ExitCode;
use serde::Serialize;
use std::fmt;
use std::path::PathBuf;

/// Exit status for bad input, the same as clap's for usage errors.
pub const USAGE_EXIT_CODE: u8 = 2;
/// Default number of updates of `fit`.
pub const DEFAULT_STEPS: u64 = 1000;
// The other defaults are the catalogue's, except these three of the schedules, which suit a run
// of about --steps updates (the page's suit watching a run step by step).
/// Default γ of exponential decay: the rate shrinks by 1% per update.
pub const DEFAULT_EXPONENTIAL_GAMMA: f64 = 0.99;
/// Default d of inverse-time decay: the rate halves after 100 updates.
pub const DEFAULT_INVERSE_TIME_DECAY: f64 = 0.01;
/// Default step size of step decay, in updates.
pub const DEFAULT_STEP_SIZE: u64 = 100;

/// Gradient descent on least-squares linear regression, from the command line.
///
/// The model is ŷ = θ0 + Σⱼ θⱼ·φⱼ, the features φ being the x columns of the data or the powers
/// of one; the objective is J(θ) = c/(2n)·Σ(ŷᵢ − yᵢ)² + R(θ1..θd), c = 1 (half-mse) or 2 (mse),
/// the intercept θ0 never penalized. Data files are CSV with k ≥ 2 numeric columns and an
/// optional header row: by default the last column is y and every other one a feature.
#[derive(Debug, Parser)]
#[command(
    name = "gdviz",
    version,
    after_help = "Every command, flag and JSON field: docs/cli.md. The definitions of J, the critical rate and κ: docs/mathematics.md."
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
#[allow(clippy::large_enum_variant)] // built once per process: size does not matter
pub enum Command {
    /// Print the exact optimum θ* and the curvature of J for a data set, as JSON.
    #[command(allow_negative_numbers = true)]
    Solve(SolveArgs),
    /// Run an optimizer from θ_start and print where it stopped, as JSON.
    ///
    /// The run stops after --steps updates ("status": "running"), when the gradient norm
    /// falls to --tol ("converged"), or when J blows up ("diverged", with a "divergence"
    /// message). The output also has the exact optimum and the curvature, to compare with.
    #[command(allow_negative_numbers = true)]
    Fit(FitArgs),
    /// Print a preset data set as CSV (x,y), the same points the page shows.
    ///
    /// Presets: clean, noisy, outliers, ill-conditioned, two-features, cubic.
    #[command(allow_negative_numbers = true)]
    Preset(PresetArgs),
    /// Run an optimizer as `fit` does and draw the four plots (loss surface with the
    /// trajectory, data with the fit, loss curve, coefficients) as SVG and PNG files in --out,
    /// with the page's drawing code. Prints the paths written.
    #[command(allow_negative_numbers = true)]
    Plot(PlotArgs),
    /// The learning-rate range test (fastai's lr_find) on the data: sweep the rate up
    /// exponentially over one short run from θ_start, and print the curve, the suggested rates
    /// (valley, steep, minimum) and the critical rate, as JSON.
    #[command(name = "lr-find", allow_negative_numbers = true)]
    LrFind(LrFindArgs),
    /// The stability map of heavy-ball momentum on the data: the asymptotic rate of full-batch
    /// momentum (torch's SGD with momentum) at each learning rate η and momentum μ of a grid,
    /// the steps to shrink the error 10⁶ times, Polyak's optimum and plain descent's best, as
    /// JSON. The map is of the smooth part of J (an L1 part is left out, and a note says so).
    #[command(name = "rate-map", allow_negative_numbers = true)]
    RateMap(RateMapArgs),
}

/// Flags of `plot`: those of `fit`, and where and how large to draw.
#[derive(Debug, Args)]
pub struct PlotArgs {
    /// The data and the run, as for `fit`.
    #[command(flatten)]
    pub fit: FitArgs,
    /// Folder to write surface, fit and loss .svg and .png into (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Width of each image in pixels, in [200, 4000].
    #[arg(long, value_name = "PX", default_value_t = 800)]
    pub width: u32,
    /// Height of each image in pixels, in [150, 4000].
    #[arg(long, value_name = "PX", default_value_t = 600)]
    pub height: u32,
}

/// Flags of `solve`.
#[derive(Debug, Args)]
pub struct SolveArgs {
    /// The data and the model's features.
    #[command(flatten)]
    pub data: DataArgs,

    /// The penalty on the slopes.
    #[command(flatten)]
    pub regularization: RegularizationArgs,
}

/// The data flags, shared by `solve`, `fit` and `plot`: the file, which columns are the
/// features and the target, their powers, the loss convention and standardization.
#[derive(Debug, Args)]
pub struct DataArgs {
    /// CSV file of k ≥ 2 numeric columns (optional header row, blank lines skipped): by default
    /// the last column is y and every other one a feature.
    #[arg(long, value_name = "FILE")]
    pub csv: PathBuf,

    /// The feature columns, by header name or 1-based number: `--features x1,x3` [default:
    /// every column but the target].
    #[arg(long, value_name = "A,B", value_delimiter = ',')]
    pub features: Vec<String>,

    /// The target column y, by header name or 1-based number [default: the last].
    #[arg(long, value_name = "C")]
    pub target: Option<String>,

    /// Fit the powers x, x², …, x^P of the one feature column (P from 1 to 10).
    #[arg(long, value_name = "P")]
    pub degree: Option<usize>,

    /// The data term: half-mse (1/(2n)·Σr², the default) or mse (1/n·Σr², PyTorch's
    /// nn.MSELoss, so that a learning rate carries over to a PyTorch script); R is added
    /// unchanged.
    #[arg(long, value_name = "KIND", default_value = "half-mse")]
    pub loss: String,

    /// Standardize each feature (each power too) to mean 0 and standard deviation 1 before
    /// fitting; θ is printed in the original features and, as `theta_standardized`, in the
    /// standardized ones (the penalty applies to the standardized coefficients, and the
    /// Hessian, κ and the critical rate are the standardized problem's).
    #[arg(long)]
    pub standardize: bool,
}

/// The regularization flags, shared by `solve` and `fit`.
#[derive(Debug, Clone, PartialEq, Args)]
#[command(next_help_heading = "Regularization")]
pub struct RegularizationArgs {
    /// Penalty R on every slope: none, l1 (λΣ|θⱼ|), l2 ((λ/2)Σθⱼ²) or elastic-net
    /// (λ(ρΣ|θⱼ| + (1−ρ)/2·Σθⱼ²)).
    #[arg(long, value_name = "KIND", default_value = "none")]
    pub reg: String,
    /// Regularization strength λ ≥ 0, for l1, l2 and elastic-net [default: 0.1].
    #[arg(long, value_name = "F")]
    pub lambda: Option<f64>,
    /// L1 ratio ρ in [0, 1], for elastic-net [default: 0.5].
    #[arg(long = "l1-ratio", value_name = "F")]
    pub l1_ratio: Option<f64>,
}

/// Flags of `fit`.
#[derive(Debug, Args)]
pub struct FitArgs {
    /// The data and the model's features.
    #[command(flatten)]
    pub data: DataArgs,
    /// Base learning rate η > 0. The default is the page's; the output's lr_critical says
    /// where full-batch gradient descent starts to diverge on your data.
    #[arg(long, value_name = "F", default_value_t = DEFAULT_LEARNING_RATE)]
    pub lr: f64,
    /// Batch size b in [1, n]: n is full-batch gradient descent, 1 is SGD [default: n].
    #[arg(long, value_name = "N")]
    pub batch: Option<usize>,
    /// Most updates to take.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_STEPS)]
    pub steps: u64,
    /// Seed of the mini-batch sampler: the same seed gives the same run.
    #[arg(long, value_name = "N", default_value_t = data::DEFAULT_SEED)]
    pub seed: u64,
    /// Start point θ0,θ1,…,θd, one value per coefficient, e.g. --init -3,5 [default: all 0].
    #[arg(long, value_name = "T0,T1,…", allow_hyphen_values = true)]
    pub init: Option<String>,
    /// Converged when the gradient norm (with L1: the proximal gradient mapping's) is ≤ this.
    #[arg(long, value_name = "F", default_value_t = DEFAULT_TOLERANCE)]
    pub tol: f64,
    // Flattened after the run's own flags, which so keep the plain "Options" heading in --help.
    /// The penalty on the slopes.
    #[command(flatten)]
    pub regularization: RegularizationArgs,
    /// The update rule and its hyperparameters.
    #[command(flatten)]
    pub optimizer: OptimizerArgs,
    /// The learning-rate schedule.
    #[command(flatten)]
    pub schedule: ScheduleArgs,
    /// Rules of the step size that look at the loss, and line searches.
    #[command(flatten)]
    pub step_size: StepSizeArgs,
}

/// The step-size flags of `fit`: a rate that reacts to the loss, or a line search.
#[derive(Debug, Clone, PartialEq, Args)]
#[command(next_help_heading = "Step size that looks at the loss")]
pub struct StepSizeArgs {
    /// Rate rule: none; bold-driver (a tentative update kept when J does not grow, η·up, else
    /// undone, η·down); plateau (torch's ReduceLROnPlateau on J).
    #[arg(long = "rate-rule", value_name = "NAME", default_value = "none")]
    pub rate_rule: String,
    /// Increase factor in [1, 10] after a kept update, for bold-driver [default: 1.05].
    #[arg(long, value_name = "F")]
    pub up: Option<f64>,
    /// Decrease factor in (0, 1] after an undone update, for bold-driver [default: 0.5].
    #[arg(long, value_name = "F")]
    pub down: Option<f64>,
    /// η ← max(η·factor, min-lr) on a plateau, factor in [0, 1), for plateau [default: 0.1].
    #[arg(long, value_name = "F")]
    pub factor: Option<f64>,
    /// Steps without improvement before a reduction, for plateau [default: 10].
    #[arg(long, value_name = "N")]
    pub patience: Option<f64>,
    /// Relative improvement that counts, for plateau [default: 1e-4].
    #[arg(long, value_name = "F")]
    pub threshold: Option<f64>,
    /// Steps after a reduction before counting again, for plateau [default: 0].
    #[arg(long, value_name = "N")]
    pub cooldown: Option<f64>,
    /// Smallest rate, for plateau [default: 0].
    #[arg(long = "min-lr", value_name = "F")]
    pub min_lr: Option<f64>,
    /// Line search of full-batch plain gradient descent: none; exact (η = gᵀg/gᵀHg); armijo
    /// (backtracking from --lr); bb (Barzilai–Borwein); polyak (η = (J − J*)/gᵀg).
    #[arg(long = "line-search", value_name = "NAME", default_value = "none")]
    pub line_search: String,
    /// Backtracking factor β in (0, 1), for armijo [default: 0.5].
    #[arg(long, value_name = "F")]
    pub beta: Option<f64>,
    /// Sufficient-decrease constant c in (0, 1), for armijo [default: 1e-4].
    #[arg(long = "c", value_name = "F")]
    pub c: Option<f64>,
}

/// The optimizer flags of `fit`. Defaults are torch.optim's.
#[derive(Debug, Clone, PartialEq, Args)]
#[command(next_help_heading = "Optimizer (torch.optim's update rules and defaults)")]
pub struct OptimizerArgs {
    /// Update rule: sgd, momentum, nesterov, adagrad, rmsprop, adam; newton (θ − η·H⁻¹g) or cg
    /// (linear conjugate gradient, --lr unused), both full batch and without an L1 part.
    #[arg(long, value_name = "NAME", default_value = "sgd")]
    pub optimizer: String,
    /// Momentum μ in [0, 1), for momentum and nesterov [default: 0.9].
    #[arg(long, value_name = "F")]
    pub momentum: Option<f64>,
    /// β1 in [0, 1), for adam [default: 0.9].
    #[arg(long, value_name = "F")]
    pub beta1: Option<f64>,
    /// β2 in [0, 1), for adam [default: 0.999].
    #[arg(long, value_name = "F")]
    pub beta2: Option<f64>,
    /// α in [0, 1), for rmsprop [default: 0.99].
    #[arg(long, value_name = "F")]
    pub alpha: Option<f64>,
    /// ε > 0, for adagrad [default: 1e-10], rmsprop and adam [default: 1e-8].
    #[arg(long, value_name = "F")]
    pub eps: Option<f64>,
}

/// The learning-rate schedule flags of `fit`: η_t = η·factor(t).
#[derive(Debug, Clone, PartialEq, Args)]
#[command(next_help_heading = "Learning-rate schedule")]
pub struct ScheduleArgs {
    /// Schedule: constant, step (η·γ^⌊t/step-size⌋), exponential (η·γ^t),
    /// inverse-time (η/(1 + d·t)) or cosine (annealed to 0 over --total-steps).
    #[arg(long, value_name = "NAME", default_value = "constant")]
    pub schedule: String,
    /// γ in (0, 1] for step [default: 0.5] and exponential [default: 0.99];
    /// d ≥ 0 for inverse-time [default: 0.01].
    #[arg(long, value_name = "F")]
    pub decay: Option<f64>,
    /// Updates between decays, for step [default: 100].
    #[arg(long = "step-size", value_name = "N")]
    pub step_size: Option<u64>,
    /// Length of the cosine annealing in updates, for cosine [default: --steps].
    #[arg(long = "total-steps", value_name = "N")]
    pub total_steps: Option<u64>,
}

/// Flags of `lr-find`: the data, the model, the optimizer and the regularization as for `fit`
/// (a schedule, rate rule or line search has no place in a sweep of the rate), and the sweep.
#[derive(Debug, Args)]
pub struct LrFindArgs {
    /// The data and the model's features.
    #[command(flatten)]
    pub data: DataArgs,
    /// Batch size b in [1, n] [default: n, the full batch].
    #[arg(long, value_name = "N")]
    pub batch: Option<usize>,
    /// Seed of the mini-batch sampler.
    #[arg(long, value_name = "N", default_value_t = data::DEFAULT_SEED)]
    pub seed: u64,
    /// Start point θ0,θ1,…,θd [default: all 0].
    #[arg(long, value_name = "T0,T1,…", allow_hyphen_values = true)]
    pub init: Option<String>,
    /// The penalty on the slopes.
    #[command(flatten)]
    pub regularization: RegularizationArgs,
    /// The update rule and its hyperparameters.
    #[command(flatten)]
    pub optimizer: OptimizerArgs,
    /// The rate of the first update, > 0.
    #[arg(long, value_name = "F", default_value_t = range_test::DEFAULT_SETTINGS.start)]
    pub start: f64,
    /// The rate reached after --num-it updates, > --start.
    #[arg(long, value_name = "F", default_value_t = range_test::DEFAULT_SETTINGS.end)]
    pub end: f64,
    /// Most updates, in [6, 10000].
    #[arg(long = "num-it", value_name = "N", default_value_t = range_test::DEFAULT_SETTINGS.num_it)]
    pub num_it: usize,
    /// Smoothing factor β of the loss, in [0, 1).
    #[arg(long, value_name = "F", default_value_t = range_test::DEFAULT_SETTINGS.beta)]
    pub beta: f64,
    /// Stop once the smoothed loss passes this factor times its best, in (1, 1e6).
    #[arg(long = "stop-factor", value_name = "F", default_value_t = range_test::DEFAULT_SETTINGS.stop_factor)]
    pub stop_factor: f64,
}

/// Flags of `rate-map`: the data and the regularization as for `solve`, and the grid.
#[derive(Debug, Args)]
pub struct RateMapArgs {
    /// The data and the model's features.
    #[command(flatten)]
    pub data: DataArgs,
    /// The lowest and highest learning rates A,B, 0 < A < B, log-spaced between [default:
    /// 1e-3·2/λ_max to 1.2·2(1 + μ_max)/λ_max, μ_max the top of --momentum-range].
    #[arg(long = "lr-range", value_name = "A,B", allow_hyphen_values = true)]
    pub lr_range: Option<String>,
    /// The lowest and highest momenta a,b, 0 ≤ a < b < 1, evenly spaced between [default:
    /// 0,0.999].
    #[arg(long = "momentum-range", value_name = "A,B", allow_hyphen_values = true)]
    pub momentum_range: Option<String>,
    /// W learning rates by H momenta, each in [2, 1000] [default: 100,100].
    #[arg(long, value_name = "W,H", allow_hyphen_values = true)]
    pub grid: Option<String>,
    /// The penalty on the slopes.
    #[command(flatten)]
    pub regularization: RegularizationArgs,
}

/// Flags of `preset`.
#[derive(Debug, Args)]
pub struct PresetArgs {
    /// Preset name: clean, noisy, outliers or ill-conditioned (x,y); two-features (the
    /// tutorial's y = 2·x1 + 3·x2 + ε, x1, x2, ε standard normal, 100 points, columns x1,x2,y)
    /// or cubic (y = 1 + x − 0.8·x² + 0.3·x³ + ε, x uniform in [−2, 2], σ = 0.3, 60 points:
    /// fit it with `solve --degree 3`).
    #[arg(value_name = "NAME")]
    pub name: String,
    /// Seed of the generator: the same seed gives the same points [default: the page's, 1].
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Number of points in [2, 1000000] [default: the preset's].
    #[arg(long, value_name = "N")]
    pub points: Option<usize>,
}

/// Bad input, as one line: what it concerns (a file or a flag), then what is wrong.
#[derive(Debug, Clone, PartialEq)]
pub struct CliError {
    /// The file or flag at fault, if the message does not name it already.
    pub context: Option<String>,
    /// What is wrong, with the offending value.
    pub message: String,
}

impl CliError {
    /// An error whose message already says everything.
    pub fn plain(message: impl fmt::Display) -> Self {
        CliError { context: None, message: message.to_string() }
    }
    /// An error about `context` (a file or a flag).
    pub fn about(context: impl fmt::Display, message: impl fmt::Display) -> Self {
        CliError { context: Some(context.to_string()), message: message.to_string() }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.context {
            Some(context) => write!(f, "{context}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for CliError {}

/// Runs a parsed command; returns what to print on stdout.
pub fn run(command: &Command) -> Result<String, CliError> {
    match command {
        Command::Solve(args) => solve(args),
        Command::Fit(args) => fit(args),
        Command::Preset(args) => preset(args),
        Command::Plot(args) => plot(args),
        Command::LrFind(args) => lr_find(args),
        Command::RateMap(args) => rate_map(args),
    }
}

/// The one line to print for a clap error whose message is about one value (e.g.
/// `invalid value 'abc' for '--lr <F>': invalid float literal`); `None` for the other clap
/// errors (help, version, unknown or missing arguments), which clap prints best itself.
pub fn one_line_usage_error(error: &clap::Error) -> Option<String> {
    use clap::error::ErrorKind;
    match error.kind() {
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let text = error.to_string();
            let first = text.lines().next().unwrap_or_default();
            Some(first.strip_prefix("error: ").unwrap_or(first).to_string())
        }
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// The subcommands: each reads its data file, then builds its output from the data in memory.

fn solve(args: &SolveArgs) -> Result<String, CliError> {
    let data = read_data(&args.data)?;
    to_json(&solve_output(data, &args.regularization, Naming::Flags)?)
}

fn fit(args: &FitArgs) -> Result<String, CliError> {
    let data = read_data(&args.data)?;
    to_json(&fit_output(data, &FitSettings::of(args), Naming::Flags)?)
}

fn lr_find(args: &LrFindArgs) -> Result<String, CliError> {
    let settings = LrFindSettings {
        batch: args.batch,
        seed: args.seed,
        init: args.init.clone().map_or(Start::Zeros, Start::Text),
        regularization: args.regularization.clone(),
        optimizer: args.optimizer.clone(),
        range: RangeSettings { start: args.start, end: args.end, num_it: args.num_it, beta: args.beta, stop_factor: args.stop_factor },
    };
    // The sweep's flags are refused before the file is read.
    check_range_settings(&settings.range, Naming::Flags)?;
    let data = read_data(&args.data)?;
    to_json(&lr_find_output(data, &settings, Naming::Flags)?)
}

fn rate_map(args: &RateMapArgs) -> Result<String, CliError> {
    let mut map = MapSettings::default();
    if let Some(text) = &args.grid {
        let [width, height] = parse_pair(text, "--grid", "two whole numbers W,H")?;
        map.grid = [width, height];
    }
    if let Some(text) = &args.momentum_range {
        map.momentum_range = parse_pair(text, "--momentum-range", "two numbers a,b")?;
    }
    if let Some(text) = &args.lr_range {
        map.lr_range = Some(parse_pair(text, "--lr-range", "two numbers A,B")?);
    }
    // The grid's flags are refused before the file is read.
    map.validate().map_err(|e| map_flag_error(e, Naming::Flags))?;
    let data = read_data(&args.data)?;
    to_json(&rate_map_output(data, &RateMapSettings { map, regularization: args.regularization.clone() }, Naming::Flags)?)
}

fn plot(args: &PlotArgs) -> Result<String, CliError> {
    Range::IntegerIn { lo: 200.0, hi: 4000.0 }.check_count("width", args.width.into()).map_err(at("--width"))?;
    Range::IntegerIn { lo: 150.0, hi: 4000.0 }.check_count("height", args.height.into()).map_err(at("--height"))?;
    let data = read_data(&args.fit.data)?;
    let (session, _, _) = fitted_session(data.load(Naming::Flags)?, &FitSettings::of(&args.fit), Naming::Flags)?;
    let written = crate::render::export::write_plots(&session, &args.out, args.width, args.height)
        .map_err(|e| CliError::about(args.out.display(), e))?;
    Ok(written.iter().map(|p| format!("{}\n", p.display())).collect())
}

fn preset(args: &PresetArgs) -> Result<String, CliError> {
    if let Some(features) = data::feature_preset(&args.name) {
        let columns = features
            .generate(args.points.unwrap_or(features.points), features.noise, args.seed.unwrap_or(data::DEFAULT_SEED))
            .map_err(at("--points"))?;
        let columns: Vec<&[f64]> = columns.iter().map(Vec::as_slice).collect();
        return Ok(write_table(features.header, &columns));
    }
    let preset = data::preset(&args.name).map_err(|_| CliError::plain(data::unknown_preset(&args.name)))?;
    let settings = GeneratorSettings {
        points: args.points.unwrap_or(preset.settings.points),
        seed: args.seed.unwrap_or(preset.settings.seed),
        ..preset.settings
    };
    // The other settings are the preset's own, so only the number of points can be refused.
    let dataset = settings.generate().map_err(at("--points"))?;
    Ok(write_csv(&dataset))
}

/// The column `name` names: a header name, or a 1-based column number.
fn column(names: &[String], name: &str, flag: &str) -> Result<usize, CliError> {
    if let Some(j) = names.iter().position(|n| n == name) {
        return Ok(j);
    }
    match name.parse::<usize>() {
        Ok(j) if (1..=names.len()).contains(&j) => Ok(j - 1),
        _ => Err(CliError::about(
            flag,
            format!("no column \"{name}\": the columns are {} (or their numbers 1 to {})", names.join(", "), names.len()),
        )),
    }
}

/// Reads the data file and takes its feature columns and target as the data flags say; errors
/// name the file (with line and column) or the flag. The columns' names are the header's cells,
/// or x, y (x1, x2, …, y for more columns) without a header.
fn read_data(args: &DataArgs) -> Result<DataInput, CliError> {
    let file = args.csv.display();
    let bytes = std::fs::read(&args.csv).map_err(|e| CliError::about(&file, e))?;
    let table = read_table(bytes.as_slice()).map_err(|e| CliError::about(&file, e))?;
    let names = table.names();
    let target = match &args.target {
        Some(name) => column(&names, name, "--target")?,
        None => names.len() - 1,
    };
    let chosen: Vec<usize> = if args.features.is_empty() {
        (0..names.len()).filter(|&j| j != target).collect()
    } else {
        args.features.iter().map(|name| column(&names, name, "--features")).collect::<Result<_, _>>()?
    };
    if chosen.contains(&target) {
        return Err(CliError::about("--features", format!("the target column {} cannot also be a feature", names[target])));
    }
    let mut columns = table.columns;
    Ok(DataInput {
        source: file.to_string(),
        target: std::mem::take(&mut columns[target]),
        columns: chosen.iter().map(|&j| std::mem::take(&mut columns[j])).collect(),
        names: chosen.iter().map(|&j| names[j].clone()).collect(),
        degree: args.degree,
        loss: args.loss.clone(),
        standardize: args.standardize,
    })
}

// ---------------------------------------------------------------------------------------------
// The commands on data in memory. What `solve`, `fit`, `lr-find` and `rate-map` print is built
// here from a data set and settings that any front end makes: this command line after reading
// the CSV file, the Python package (python/) from arrays. Each returns the value printed as
// JSON, and each refusal names the setting at fault as the front end calls it ([`Naming`]).

/// How a front end calls its settings in messages: the command line's flags (`--lr`) or the
/// Python package's keyword arguments (`lr`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Naming {
    /// `--lr`, `--batch`, `--reg`, `--lambda`, …
    Flags,
    /// `lr`, `batch_size`, `regularization`, `lam`, …: [`KEYWORDS`].
    Keywords,
}

/// Each flag of the commands on data in memory and the Python keyword argument that sets the
/// same value.
pub const KEYWORDS: &[(&str, &str)] = &[
    ("--features", "x"),
    ("--degree", "degree"),
    ("--loss", "loss"),
    ("--standardize", "standardize"),
    ("--reg", "regularization"),
    ("--lambda", "lam"),
    ("--l1-ratio", "l1_ratio"),
    ("--lr", "lr"),
    ("--batch", "batch_size"),
    ("--steps", "steps"),
    ("--seed", "seed"),
    ("--init", "init"),
    ("--tol", "tol"),
    ("--optimizer", "optimizer"),
    ("--momentum", "momentum"),
    ("--beta1", "beta1"),
    ("--beta2", "beta2"),
    ("--alpha", "alpha"),
    ("--eps", "eps"),
    ("--schedule", "schedule"),
    ("--decay", "decay"),
    ("--step-size", "step_size"),
    ("--total-steps", "total_steps"),
    ("--rate-rule", "rate_rule"),
    ("--up", "up"),
    ("--down", "down"),
    ("--factor", "factor"),
    ("--patience", "patience"),
    ("--threshold", "threshold"),
    ("--cooldown", "cooldown"),
    ("--min-lr", "min_lr"),
    ("--line-search", "line_search"),
    ("--beta", "beta"),
    ("--c", "c"),
    ("--start", "start"),
    ("--end", "end"),
    ("--num-it", "num_it"),
    ("--stop-factor", "stop_factor"),
    ("--lr-range", "lr_range"),
    ("--momentum-range", "momentum_range"),
    ("--grid", "grid"),
];

impl Naming {
    /// What this front end calls the setting of `flag` (a flag of [`KEYWORDS`]).
    pub fn name(self, flag: &'static str) -> &'static str {
        match self {
            Naming::Flags => flag,
            Naming::Keywords => KEYWORDS.iter().find(|(f, _)| *f == flag).map_or(flag, |&(_, keyword)| keyword),
        }
    }

    /// Names the setting of `flag` in a core error.
    fn at(self, flag: &'static str) -> impl Fn(Error) -> CliError {
        let name = self.name(flag);
        move |error| CliError::about(name, error)
    }
}

/// A data set in memory, as the data flags take it from a file: the feature columns and their
/// names, the target y, and how the model reads them.
#[derive(Debug, Clone, PartialEq)]
pub struct DataInput {
    /// What the data is called in messages about its values (the file's path).
    pub source: String,
    /// The feature columns, each as long as `target`: 1 to 10 of them, or one with `degree`.
    pub columns: Vec<Vec<f64>>,
    /// One name per column: the coefficients' names (with `degree`, the powers of the first
    /// are named `x`, `x^2`, …).
    pub names: Vec<String>,
    /// The target y.
    pub target: Vec<f64>,
    /// Fit the powers x, x², …, x^P of the one column (P from 1 to 10).
    pub degree: Option<usize>,
    /// The data term: `half-mse` or `mse`.
    pub loss: String,
    /// Standardize each feature (each power too).
    pub standardize: bool,
}

/// Where a run starts.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Start {
    /// θ = 0.
    #[default]
    Zeros,
    /// One value per coefficient, θ0 first.
    Values(Vec<f64>),
    /// The text of `--init`, `T0,T1,…`, read where the run needs it (so that its refusal
    /// comes in the flags' order).
    Text(String),
}

impl Start {
    /// θ_start of `params` coefficients.
    fn theta(&self, params: usize, naming: Naming) -> Result<Theta, CliError> {
        match self {
            Start::Zeros => Ok(Theta::zeros(params)),
            Start::Text(text) => parse_init(text),
            // Too few or too many values for a θ at all: refused as the session refuses a θ of
            // the wrong length (which it checks, with finiteness, for the others).
            Start::Values(values) => Theta::from_slice("start", values).map_err(|_| {
                CliError::about(naming.name("--init"), Error::invalid("start", values_text(values), Range::Coordinates { count: params }))
            }),
        }
    }
}

/// The settings of `fit`: the run's, the penalty, the optimizer, the schedule and the step-size
/// rules. The default is `fit`'s with no flag.
#[derive(Debug, Clone, PartialEq)]
pub struct FitSettings {
    /// Base learning rate η.
    pub lr: f64,
    /// Batch size [default: n].
    pub batch: Option<usize>,
    /// Most updates.
    pub steps: u64,
    /// Seed of the mini-batch sampler.
    pub seed: u64,
    /// θ_start.
    pub init: Start,
    /// Converged when the gradient norm is ≤ this.
    pub tol: f64,
    /// The penalty on the slopes.
    pub regularization: RegularizationArgs,
    /// The update rule and its hyperparameters.
    pub optimizer: OptimizerArgs,
    /// The learning-rate schedule.
    pub schedule: ScheduleArgs,
    /// The rate rule and the line search.
    pub step_size: StepSizeArgs,
}

impl Default for FitSettings {
    fn default() -> Self {
        FitSettings {
            lr: DEFAULT_LEARNING_RATE,
            batch: None,
            steps: DEFAULT_STEPS,
            seed: data::DEFAULT_SEED,
            init: Start::Zeros,
            tol: DEFAULT_TOLERANCE,
            regularization: RegularizationArgs::default(),
            optimizer: OptimizerArgs::default(),
            schedule: ScheduleArgs::default(),
            step_size: StepSizeArgs::default(),
        }
    }
}

impl FitSettings {
    /// The settings of `fit`'s flags.
    fn of(args: &FitArgs) -> Self {
        FitSettings {
            lr: args.lr,
            batch: args.batch,
            steps: args.steps,
            seed: args.seed,
            init: args.init.clone().map_or(Start::Zeros, Start::Text),
            tol: args.tol,
            regularization: args.regularization.clone(),
            optimizer: args.optimizer.clone(),
            schedule: args.schedule.clone(),
            step_size: args.step_size.clone(),
        }
    }
}

impl Default for RegularizationArgs {
    /// No penalty.
    fn default() -> Self {
        RegularizationArgs { reg: "none".to_string(), lambda: None, l1_ratio: None }
    }
}

impl Default for OptimizerArgs {
    /// Plain SGD.
    fn default() -> Self {
        OptimizerArgs { optimizer: "sgd".to_string(), momentum: None, beta1: None, beta2: None, alpha: None, eps: None }
    }
}

impl Default for ScheduleArgs {
    /// A constant rate.
    fn default() -> Self {
        ScheduleArgs { schedule: "constant".to_string(), decay: None, step_size: None, total_steps: None }
    }
}

impl Default for StepSizeArgs {
    /// No rate rule, no line search.
    fn default() -> Self {
        StepSizeArgs {
            rate_rule: "none".to_string(),
            up: None,
            down: None,
            factor: None,
            patience: None,
            threshold: None,
            cooldown: None,
            min_lr: None,
            line_search: "none".to_string(),
            beta: None,
            c: None,
        }
    }
}

/// The settings of `lr-find`: the batches, the start, the penalty, the optimizer and the sweep.
/// The default is `lr-find`'s with no flag.
#[derive(Debug, Clone, PartialEq)]
pub struct LrFindSettings {
    /// Batch size [default: n].
    pub batch: Option<usize>,
    /// Seed of the mini-batch sampler.
    pub seed: u64,
    /// θ_start.
    pub init: Start,
    /// The penalty on the slopes.
    pub regularization: RegularizationArgs,
    /// The update rule and its hyperparameters.
    pub optimizer: OptimizerArgs,
    /// The sweep: start and end rates, updates, smoothing, stop factor.
    pub range: RangeSettings,
}

impl Default for LrFindSettings {
    fn default() -> Self {
        LrFindSettings {
            batch: None,
            seed: data::DEFAULT_SEED,
            init: Start::Zeros,
            regularization: RegularizationArgs::default(),
            optimizer: OptimizerArgs::default(),
            range: RangeSettings::default(),
        }
    }
}

/// The settings of `rate-map`: the grid and the penalty. The default is `rate-map`'s with no
/// flag.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RateMapSettings {
    /// The ranges of η and μ and the grid.
    pub map: MapSettings,
    /// The penalty on the slopes.
    pub regularization: RegularizationArgs,
}

/// A data set taken in by [`DataInput::load`]: the data set with its features, the
/// coefficients' names, the loss convention and whether to standardize.
struct LoadedData {
    data: Dataset,
    names: Vec<String>,
    loss: LossConvention,
    standardize: bool,
}

impl DataInput {
    /// The data set with its features, in the order the command line checks them: the loss,
    /// the model (`--degree` or the number of feature columns), the values, the spread when
    /// standardizing.
    fn load(self, naming: Naming) -> Result<LoadedData, CliError> {
        let loss = catalog::loss_convention(&self.loss).map_err(naming.at("--loss"))?;
        if self.names.len() != self.columns.len() {
            let error = Error::invalid("column-names", self.names.len(), Range::EqualCount { count: self.columns.len() });
            return Err(CliError::about(naming.name("--features"), error));
        }
        let features = match self.degree {
            Some(degree) => Features::Powers { degree },
            None => Features::Columns,
        };
        features
            .check(self.columns.len())
            .map_err(naming.at(if self.degree.is_some() { "--degree" } else { "--features" }))?;
        let feature_names = match self.degree {
            Some(degree) => {
                let base = self.names.first().map_or("x".to_string(), String::clone);
                (1..=degree).map(|p| if p == 1 { base.clone() } else { format!("{base}^{p}") }).collect()
            }
            None => self.names,
        };
        let data = Dataset::with_features(self.columns, self.target, features).map_err(|e| CliError::about(&self.source, e))?;
        if self.standardize {
            data.standardized().map_err(|flat| {
                let names: Vec<&str> = flat.iter().map(|&j| feature_names[j - 1].as_str()).collect();
                CliError::about(
                    naming.name("--standardize"),
                    format!("{} has no spread (all its values are equal): it cannot be standardized", names.join(", ")),
                )
            })?;
        }
        Ok(LoadedData { data, names: feature_names, loss, standardize: self.standardize })
    }
}

impl LoadedData {
    /// The session of this data with `regularization`, one run of `config` from `start`, in the
    /// loss convention and standardized when asked.
    fn session(&self, regularization: Regularization, config: RunConfig, start: Theta, naming: Naming) -> Result<Session, CliError> {
        // Regularization and run settings are valid by now, so the session can only refuse θ_start.
        let mut session =
            Session::with_loss(self.data.clone(), regularization, self.loss, config, start).map_err(naming.at("--init"))?;
        if self.standardize {
            session.set_standardize(true).map_err(naming.at("--standardize"))?;
        }
        Ok(session)
    }
}

/// What `solve` prints: the exact optimum and the curvature of J on `data` with the penalty
/// `regularization`.
pub fn solve_output(data: DataInput, regularization: &RegularizationArgs, naming: Naming) -> Result<SolveOutput, CliError> {
    let loaded = data.load(naming)?;
    let regularization = build_regularization(regularization, naming)?;
    let config = RunConfig::full_batch(DEFAULT_LEARNING_RATE, loaded.data.len());
    let start = Theta::zeros(loaded.data.features() + 1);
    let session = loaded.session(regularization, config, start, naming)?;
    let analysis = AnalysisJson::of(&session);
    let optimum = analysis.optimum.as_ref();
    Ok(SolveOutput {
        theta0: optimum.and_then(|o| o.theta0),
        theta1: optimum.and_then(|o| o.theta1),
        theta: optimum.map(|o| o.theta.clone()),
        theta_standardized: analysis.optimum_standardized.clone(),
        features: loaded.names,
        loss_convention: loaded.loss,
        loss: optimum.and_then(|o| o.loss),
        analysis,
    })
}

/// Builds the session of `fit` and runs it for `steps` updates.
fn fitted_session(loaded: LoadedData, settings: &FitSettings, naming: Naming) -> Result<(Session, LoadedData, Optimizer), CliError> {
    let n = loaded.data.len();
    let regularization = build_regularization(&settings.regularization, naming)?;
    let optimizer = build_optimizer(&settings.optimizer, naming)?;
    let schedule = build_schedule(&settings.schedule, settings.steps, naming)?;
    let config = run_config(settings, n, optimizer, schedule, naming)?;
    if optimizer.is_second_order() && regularization.l1_weight() > 0.0 {
        return Err(CliError::about(naming.name("--optimizer"), crate::descent::step_size::needs_smooth(optimizer.name())));
    }
    let theta_start = settings.init.theta(loaded.data.features() + 1, naming)?;
    let mut session = loaded.session(regularization, config, theta_start, naming)?;
    session.step(settings.steps);
    Ok((session, loaded, optimizer))
}

/// What `fit` prints: where the run of `settings` on `data` stopped, and the analysis.
pub fn fit_output(data: DataInput, settings: &FitSettings, naming: Naming) -> Result<FitOutput, CliError> {
    let (session, loaded, optimizer) = fitted_session(data.load(naming)?, settings, naming)?;
    let report = session.reports().remove(0);
    let original = session.to_original_scale(report.theta);
    Ok(FitOutput {
        theta0: finite(original[0]),
        theta1: finite(original[1]),
        theta: original.as_slice().iter().map(|&v| finite(v)).collect(),
        theta_standardized: session.standardization().map(|_| report.theta.as_slice().iter().map(|&v| finite(v)).collect()),
        features: loaded.names,
        loss_convention: loaded.loss,
        loss: finite(report.loss),
        iterations: report.iteration,
        epochs: report.epoch,
        samples_seen: report.samples_seen,
        gradient_norm: finite(report.grad_norm),
        lr_effective: finite(report.lr_effective),
        evaluations: report.evaluations,
        status: report.status.as_str(),
        optimizer: optimizer.name(),
        rate_rule: session.runs()[0].config().rate_rule.name(),
        line_search: session.runs()[0].config().line_search.name(),
        divergence: report.divergence.map(|d| d.message),
        analysis: AnalysisJson::of(&session),
    })
}

/// Refuses a bad setting of the sweep, naming it.
fn check_range_settings(settings: &RangeSettings, naming: Naming) -> Result<(), CliError> {
    settings.validate().map_err(|error| {
        let flag = match &error {
            Error::InvalidValue { name, .. } => match *name {
                "range-start" => "--start",
                "range-end" => "--end",
                "num-it" => "--num-it",
                "smoothing-beta" => "--beta",
                _ => "--stop-factor",
            },
            _ => "--num-it",
        };
        CliError::about(naming.name(flag), error)
    })
}

/// What `lr-find` prints: the learning-rate range test of `settings` on `data`.
pub fn lr_find_output(data: DataInput, settings: &LrFindSettings, naming: Naming) -> Result<LrFindOutput, CliError> {
    let range = settings.range;
    check_range_settings(&range, naming)?;
    let loaded = data.load(naming)?;
    let n = loaded.data.len();
    let regularization = build_regularization(&settings.regularization, naming)?;
    let optimizer = build_optimizer(&settings.optimizer, naming)?;
    if optimizer == Optimizer::Cg {
        return Err(CliError::about(naming.name("--optimizer"), Error::invalid("optimizer", "cg", Range::RateFollowing)));
    }
    if optimizer.is_second_order() && regularization.l1_weight() > 0.0 {
        return Err(CliError::about(naming.name("--optimizer"), crate::descent::step_size::needs_smooth(optimizer.name())));
    }
    let config =
        RunConfig { optimizer, seed: settings.seed, batch_size: settings.batch.unwrap_or(n), ..RunConfig::full_batch(range.start, n) };
    config.validate(n).map_err(naming.at("--batch"))?;
    let theta_start = settings.init.theta(loaded.data.features() + 1, naming)?;
    let session = loaded.session(regularization, config, theta_start, naming)?;
    let mut finder = session.range_finder(0, range).map_err(naming.at("--optimizer"))?;
    session.advance_range_finder(&mut finder, range.num_it);
    let test = finder.result(session.objective());
    let values = |v: &[f64]| v.iter().map(|&x| finite(x)).collect::<Vec<_>>();
    Ok(LrFindOutput {
        lrs: values(&test.lrs),
        losses: values(&test.losses),
        smooth_losses: values(&test.smooth_losses),
        suggestions: SuggestionsJson {
            valley: test.suggestions.valley.and_then(finite),
            steep: test.suggestions.steep.and_then(finite),
            minimum: test.suggestions.minimum.and_then(finite),
        },
        stopped: test.stopped.unwrap_or(Stopped::NumIt),
        lr_critical: finite(test.lr_critical),
        num_it: test.num_it,
        batch_size: config.batch_size,
        optimizer: optimizer.name(),
        loss_convention: loaded.loss,
    })
}

/// What `rate-map` prints: the stability map of heavy-ball momentum of `settings` on `data`.
pub fn rate_map_output(data: DataInput, settings: &RateMapSettings, naming: Naming) -> Result<RateMapOutput, CliError> {
    settings.map.validate().map_err(|e| map_flag_error(e, naming))?;
    let loaded = data.load(naming)?;
    let n = loaded.data.len();
    let regularization = build_regularization(&settings.regularization, naming)?;
    let config = RunConfig::full_batch(DEFAULT_LEARNING_RATE, n);
    let session = loaded.session(regularization, config, Theta::zeros(loaded.data.features() + 1), naming)?;
    let map = RateMap::of(session.objective(), &settings.map).map_err(|e| map_flag_error(e, naming))?;
    // The map is of full-batch heavy-ball at a constant rate: only an L1 part can be a caveat.
    let heavy_ball = RunConfig { optimizer: Optimizer::Momentum { momentum: 0.9 }, ..config };
    let caveats: Vec<String> = rate_map::caveats(&heavy_ball, n, &regularization).iter().map(|c| c.to_string()).collect();
    let values = |v: &[f64]| v.iter().map(|&x| finite(x)).collect::<Vec<_>>();
    Ok(RateMapOutput {
        lrs: values(&map.lrs),
        momenta: values(&map.momenta),
        rates: map.rates.iter().map(|row| values(row)).collect(),
        steps: map.steps,
        optimum: map.optimum.map(|o| MomentumOptimumJson { lr: finite(o.lr), momentum: finite(o.momentum), rate: finite(o.rate) }),
        plain_best: map.plain_best.map(|p| PlainBestJson { lr: finite(p.lr), rate: finite(p.rate) }),
        eigenvalues: values(&map.eigenvalues),
        lr_critical: finite(map.lr_critical),
        note: (!caveats.is_empty()).then(|| caveats.join("; ")),
    })
}

/// Names the setting of a refused map value: --grid, --momentum-range or --lr-range.
fn map_flag_error(error: Error, naming: Naming) -> CliError {
    let flag = match &error {
        Error::InvalidValue { name: "grid-columns" | "grid-rows", .. } => "--grid",
        Error::InvalidValue { name: "lowest-momentum" | "highest-momentum", .. } => "--momentum-range",
        _ => "--lr-range",
    };
    CliError::about(naming.name(flag), error)
}

/// Parses `A,B`: exactly two values (their ranges are the core's to check).
fn parse_pair<T: std::str::FromStr>(text: &str, flag: &str, expected: &str) -> Result<[T; 2], CliError> {
    let refuse = || CliError::about(flag, format!("expected {expected}, got {text:?}"));
    let values: Vec<T> = text.split(',').map(|part| part.trim().parse::<T>()).collect::<Result<_, _>>().map_err(|_| refuse())?;
    <[T; 2]>::try_from(values).map_err(|_| refuse())
}

// ---------------------------------------------------------------------------------------------
// From settings to core values. Each builder starts from valid defaults and applies one setting
// at a time, so that a refusal from the core is reported with the setting that caused it.

fn build_regularization(args: &RegularizationArgs, naming: Naming) -> Result<Regularization, CliError> {
    let kind = args.reg.as_str();
    let (default_lambda, default_l1_ratio) = (catalog::LAMBDA.default, catalog::L1_RATIO.default);
    Regularization::from_parts(kind, default_lambda, default_l1_ratio).map_err(naming.at("--reg"))?;
    check_applies(naming, "--lambda", args.lambda.is_some(), "--reg", kind, &["l1", "l2", "elastic-net"])?;
    check_applies(naming, "--l1-ratio", args.l1_ratio.is_some(), "--reg", kind, &["elastic-net"])?;
    let lambda = args.lambda.unwrap_or(default_lambda);
    Regularization::from_parts(kind, lambda, default_l1_ratio).map_err(naming.at("--lambda"))?;
    let l1_ratio = args.l1_ratio.unwrap_or(default_l1_ratio);
    Regularization::from_parts(kind, lambda, l1_ratio).map_err(naming.at("--l1-ratio"))
}

/// Each hyperparameter flag and the serde field of the hyperparameter it sets.
const OPTIMIZER_FLAGS: [(&str, &str); 5] =
    [("--momentum", "momentum"), ("--beta1", "beta1"), ("--beta2", "beta2"), ("--alpha", "alpha"), ("--eps", "eps")];

fn build_optimizer(args: &OptimizerArgs, naming: Naming) -> Result<Optimizer, CliError> {
    let mut optimizer = Optimizer::with_defaults(&args.optimizer).map_err(naming.at("--optimizer"))?;
    let values = [args.momentum, args.beta1, args.beta2, args.alpha, args.eps];
    for ((flag, field), value) in OPTIMIZER_FLAGS.iter().zip(values) {
        let applies_to: Vec<&str> =
            catalog::OPTIMIZERS.iter().filter(|e| has_field(e.params, &[field])).map(|e| e.name).collect();
        check_applies(naming, flag, value.is_some(), "--optimizer", optimizer.name(), &applies_to)?;
    }
    for ((flag, field), value) in OPTIMIZER_FLAGS.iter().zip(values) {
        if let (Some(value), Some(slot)) = (value, optimizer.hyperparameter_mut(field)) {
            *slot = value;
            optimizer.validate().map_err(naming.at(flag))?;
        }
    }
    Ok(optimizer)
}

/// Whether one of `params` is held in one of `fields`.
fn has_field(params: &[catalog::Param], fields: &[&str]) -> bool {
    params.iter().any(|p| fields.contains(&p.field))
}

/// The schedules with a parameter held in one of `fields`.
fn schedules_with(fields: &[&str]) -> Vec<&'static str> {
    catalog::SCHEDULES.iter().filter(|e| has_field(e.params, fields)).map(|e| e.name).collect()
}

fn build_schedule(args: &ScheduleArgs, steps: u64, naming: Naming) -> Result<Schedule, CliError> {
    let name = catalog::ScheduleEntry::named(&args.schedule).map_err(naming.at("--schedule"))?.name;
    let default_decay = match name {
        "step" => catalog::GAMMA.default,
        "exponential" => DEFAULT_EXPONENTIAL_GAMMA,
        _ => DEFAULT_INVERSE_TIME_DECAY,
    };
    let default_total_steps = steps.max(1);
    Schedule::from_parts(name, default_decay, DEFAULT_STEP_SIZE, default_total_steps).map_err(naming.at("--schedule"))?;
    check_applies(naming, "--decay", args.decay.is_some(), "--schedule", name, &schedules_with(&["gamma", "decay"]))?;
    check_applies(naming, "--step-size", args.step_size.is_some(), "--schedule", name, &schedules_with(&["step_size"]))?;
    check_applies(naming, "--total-steps", args.total_steps.is_some(), "--schedule", name, &schedules_with(&["total_steps"]))?;
    let decay = args.decay.unwrap_or(default_decay);
    Schedule::from_parts(name, decay, DEFAULT_STEP_SIZE, default_total_steps).map_err(naming.at("--decay"))?;
    let step_size = args.step_size.unwrap_or(DEFAULT_STEP_SIZE);
    Schedule::from_parts(name, decay, step_size, default_total_steps).map_err(naming.at("--step-size"))?;
    let total_steps = args.total_steps.unwrap_or(default_total_steps);
    Schedule::from_parts(name, decay, step_size, total_steps).map_err(naming.at("--total-steps"))
}

fn run_config(settings: &FitSettings, n: usize, optimizer: Optimizer, schedule: Schedule, naming: Naming) -> Result<RunConfig, CliError> {
    let mut config = RunConfig { optimizer, schedule, seed: settings.seed, ..RunConfig::full_batch(DEFAULT_LEARNING_RATE, n) };
    config.learning_rate = settings.lr;
    config.validate(n).map_err(naming.at("--lr"))?;
    config.tol = settings.tol;
    config.validate(n).map_err(naming.at("--tol"))?;
    let (rate_rule, line_search) = step_size_rules(&settings.step_size, naming)?;
    config.rate_rule = rate_rule;
    config.validate(n).map_err(naming.at("--rate-rule"))?;
    config.line_search = line_search;
    config.validate(n).map_err(naming.at("--line-search"))?;
    config.batch_size = settings.batch.unwrap_or(n);
    config.validate(n).map_err(naming.at("--batch"))?;
    Ok(config)
}

/// Each step-size flag, the serde field of the parameter it sets, and whether it belongs to
/// the rate rule (else to the line search).
const STEP_SIZE_FLAGS: [(&str, &str, bool); 9] = [
    ("--up", "up", true),
    ("--down", "down", true),
    ("--factor", "factor", true),
    ("--patience", "patience", true),
    ("--threshold", "threshold", true),
    ("--cooldown", "cooldown", true),
    ("--min-lr", "min_lr", true),
    ("--beta", "beta", false),
    ("--c", "c", false),
];

fn step_size_rules(args: &StepSizeArgs, naming: Naming) -> Result<(RateRule, LineSearch), CliError> {
    let mut rule = RateRule::with_defaults(&args.rate_rule).map_err(naming.at("--rate-rule"))?;
    let mut search = LineSearch::with_defaults(&args.line_search).map_err(naming.at("--line-search"))?;
    let values = [args.up, args.down, args.factor, args.patience, args.threshold, args.cooldown, args.min_lr, args.beta, args.c];
    for ((flag, field, of_rule), value) in STEP_SIZE_FLAGS.iter().zip(values) {
        let (choice_flag, chosen, entries) = if *of_rule {
            ("--rate-rule", rule.name(), catalog::RATE_RULES)
        } else {
            ("--line-search", search.name(), catalog::LINE_SEARCHES)
        };
        let applies_to: Vec<&str> = entries.iter().filter(|e| has_field(e.params, &[field])).map(|e| e.name).collect();
        check_applies(naming, flag, value.is_some(), choice_flag, chosen, &applies_to)?;
    }
    for ((flag, field, of_rule), value) in STEP_SIZE_FLAGS.iter().zip(values) {
        let Some(value) = value else { continue };
        if *of_rule {
            if let Some(slot) = rule.parameter_mut(field) {
                *slot = value;
            }
            rule.validate().map_err(naming.at(flag))?;
        } else {
            if let Some(slot) = search.parameter_mut(field) {
                *slot = value;
            }
            search.validate().map_err(naming.at(flag))?;
        }
    }
    Ok((rule, search))
}

/// Parses `T0,T1,…` (how many, and their finiteness, are the core's to check).
fn parse_init(text: &str) -> Result<Theta, CliError> {
    let refuse = || CliError::about("--init", format!("expected numbers T0,T1,… (one per coefficient), got {text:?}"));
    let values: Vec<f64> = text.split(',').map(|part| part.trim().parse::<f64>()).collect::<Result<_, _>>().map_err(|_| refuse())?;
    Theta::from_slice("start", &values).map_err(|_| refuse())
}

/// Refuses a setting given with a choice it does not apply to, e.g.
/// "--beta1 applies only to --optimizer adam" ("beta1 applies only to optimizer adam" in
/// Python's words).
fn check_applies(
    naming: Naming,
    flag: &'static str,
    given: bool,
    choice_flag: &'static str,
    chosen: &str,
    applies_to: &[&str],
) -> Result<(), CliError> {
    if given && !applies_to.contains(&chosen) {
        let (name, choice) = (naming.name(flag), naming.name(choice_flag));
        return Err(CliError::plain(format!("{name} applies only to {choice} {}", or_list(applies_to))));
    }
    Ok(())
}

/// "a", "a or b", "a, b or c".
fn or_list(items: &[&str]) -> String {
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        Some((last, _)) => last.to_string(),
        None => String::new(),
    }
}

/// Names the flag in a core error.
fn at(flag: &str) -> impl Fn(Error) -> CliError + '_ {
    move |error| CliError::about(flag, error)
}

// ---------------------------------------------------------------------------------------------
// JSON output. Every f64 goes through `finite`: non-finite values are written as null.

fn finite(value: f64) -> Option<f64> {
    value.is_finite().then_some(value)
}

fn to_json(value: &impl Serialize) -> Result<String, CliError> {
    let mut text = serde_json::to_string_pretty(value).map_err(CliError::plain)?;
    text.push('\n');
    Ok(text)
}

/// θ* (in the original features' scale) and J(θ*).
#[derive(Debug, Clone, Serialize)]
struct OptimumJson {
    theta0: Option<f64>,
    theta1: Option<f64>,
    /// Every coefficient, θ0 first.
    theta: Vec<Option<f64>>,
    loss: Option<f64>,
}

/// What `solve` and `fit` both report about the objective: the core's [`Analysis`] in the
/// command line's fields.
#[derive(Debug, Serialize)]
struct AnalysisJson {
    optimum: Option<OptimumJson>,
    #[serde(skip)]
    optimum_standardized: Option<Vec<Option<f64>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    optimum_error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    warning: Option<String>,
    lr_critical: Option<f64>,
    condition_number: Option<f64>,
    /// The Hessian's whole spectrum in ascending order.
    hessian_eigenvalues: Vec<Option<f64>>,
}

impl AnalysisJson {
    fn of(session: &Session) -> Self {
        let Analysis { curvature, optimum, optimum_error, .. } = Analysis::of(session);
        let values = |t: &[f64]| t.iter().map(|&v| finite(v)).collect::<Vec<_>>();
        let warning = optimum.filter(|o| o.solve_condition > 1e12).map(|o| {
            format!(
                "the normal equations are ill-conditioned (κ = {:.1e}): digits of θ* beyond the first few are rounding",
                o.solve_condition
            )
        });
        AnalysisJson {
            optimum: optimum.map(|o| {
                let theta = session.to_original_scale(o.theta);
                OptimumJson { theta0: finite(theta[0]), theta1: finite(theta[1]), theta: values(theta.as_slice()), loss: finite(o.loss) }
            }),
            optimum_standardized: session.standardization().and(optimum).map(|o| values(o.theta.as_slice())),
            optimum_error,
            warning,
            lr_critical: finite(curvature.lr_critical),
            condition_number: curvature.condition_number.and_then(finite),
            hessian_eigenvalues: values(&curvature.spectrum),
        }
    }
}

/// The output of `solve`: θ* and J(θ*) (null when not unique) in the original features' scale,
/// θ* in the standardized ones when standardized, the features' names, then the analysis.
#[derive(Debug, Serialize)]
pub struct SolveOutput {
    theta0: Option<f64>,
    theta1: Option<f64>,
    theta: Option<Vec<Option<f64>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    theta_standardized: Option<Vec<Option<f64>>>,
    features: Vec<String>,
    loss_convention: LossConvention,
    loss: Option<f64>,
    #[serde(flatten)]
    analysis: AnalysisJson,
}

/// The suggested rates of `lr-find` (null when too few points were kept to suggest one).
#[derive(Debug, Serialize)]
struct SuggestionsJson {
    valley: Option<f64>,
    steep: Option<f64>,
    minimum: Option<f64>,
}

/// The output of `lr-find`: one rate, raw loss and smoothed loss per update taken, the
/// suggestions, why it stopped, and the critical rate to compare them with.
#[derive(Debug, Serialize)]
pub struct LrFindOutput {
    lrs: Vec<Option<f64>>,
    losses: Vec<Option<f64>>,
    smooth_losses: Vec<Option<f64>>,
    suggestions: SuggestionsJson,
    stopped: Stopped,
    lr_critical: Option<f64>,
    num_it: usize,
    batch_size: usize,
    optimizer: &'static str,
    loss_convention: LossConvention,
}

/// Polyak's optimum in `rate-map`'s output.
#[derive(Debug, Serialize)]
struct MomentumOptimumJson {
    lr: Option<f64>,
    momentum: Option<f64>,
    rate: Option<f64>,
}

/// Plain descent's best in `rate-map`'s output.
#[derive(Debug, Serialize)]
struct PlainBestJson {
    lr: Option<f64>,
    rate: Option<f64>,
}

/// The output of `rate-map`: the grid, `rates[h][w]` and `steps[h][w]` at `momenta[h]` and
/// `lrs[w]` (steps null where the rate is ≥ 1), the marks (null with a null direction), the
/// spectrum and plain descent's critical rate; `note` when the map is of the smooth part only.
#[derive(Debug, Serialize)]
pub struct RateMapOutput {
    lrs: Vec<Option<f64>>,
    momenta: Vec<Option<f64>>,
    rates: Vec<Vec<Option<f64>>>,
    steps: Vec<Vec<Option<u64>>>,
    optimum: Option<MomentumOptimumJson>,
    plain_best: Option<PlainBestJson>,
    eigenvalues: Vec<Option<f64>>,
    lr_critical: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

/// The output of `fit`: where the run stopped, then the analysis.
#[derive(Debug, Serialize)]
pub struct FitOutput {
    theta0: Option<f64>,
    theta1: Option<f64>,
    theta: Vec<Option<f64>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    theta_standardized: Option<Vec<Option<f64>>>,
    features: Vec<String>,
    loss_convention: LossConvention,
    loss: Option<f64>,
    iterations: u64,
    epochs: u64,
    samples_seen: u64,
    gradient_norm: Option<f64>,
    lr_effective: Option<f64>,
    evaluations: u64,
    status: &'static str,
    optimizer: &'static str,
    rate_rule: &'static str,
    line_search: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    divergence: Option<String>,
    #[serde(flatten)]
    analysis: AnalysisJson,
}

// ---------------------------------------------------------------------------------------------
// The process: arguments in, output or one error line out.


/// The whole command line: parses the arguments, runs the command, prints its output or its
/// error, and returns the exit status (0, or 2 for bad input).
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return usage_error(&error),
    };
    match run(&cli.command) {
        Ok(output) => print_output(&output),
        Err(error) => {
            report(&error);
            ExitCode::from(USAGE_EXIT_CODE)
        }
    }
}

/// A clap error: a bad value as one line, anything else (help, version, unknown or missing
/// arguments) as clap prints it; clap's exit status (2 for usage errors, 0 for help).
fn usage_error(error: &clap::Error) -> ExitCode {
    match one_line_usage_error(error) {
        Some(line) => {
            report(&line);
            ExitCode::from(USAGE_EXIT_CODE)
        }
        None => {
            let _ = error.print();
            ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(USAGE_EXIT_CODE))
        }
    }
}

/// One line on stderr, prefixed with the program's name.
fn report(message: &dyn std::fmt::Display) {
    let _ = writeln!(std::io::stderr(), "gdviz: {message}");
}

/// Writes the result to stdout; a reader that went away early (`| head`) is not an error.
fn print_output(output: &str) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(output.as_bytes()).and_then(|()| stdout.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            report(&format!("cannot write the output: {e}"));
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn parse(args: &[&str]) -> Command {
        Cli::try_parse_from(std::iter::once("gdviz").chain(args.iter().copied())).expect("valid arguments").command
    }

    #[test]
    fn the_default_settings_are_the_flags_defaults() {
        let Command::Fit(fit) = parse(&["fit", "--csv", "d.csv"]) else { unreachable!() };
        assert_eq!(FitSettings::of(&fit), FitSettings::default());
        let Command::LrFind(args) = parse(&["lr-find", "--csv", "d.csv"]) else { unreachable!() };
        let settings = LrFindSettings {
            batch: args.batch,
            seed: args.seed,
            init: Start::Zeros,
            regularization: args.regularization,
            optimizer: args.optimizer,
            range: RangeSettings { start: args.start, end: args.end, num_it: args.num_it, beta: args.beta, stop_factor: args.stop_factor },
        };
        assert_eq!(settings, LrFindSettings::default());
        let Command::RateMap(args) = parse(&["rate-map", "--csv", "d.csv"]) else { unreachable!() };
        assert_eq!(args.regularization, RateMapSettings::default().regularization);
    }

    #[test]
    fn every_keyword_names_a_flag_of_the_commands_on_data() {
        let command = Cli::command();
        let flags: Vec<String> = ["solve", "fit", "lr-find", "rate-map"]
            .iter()
            .flat_map(|name| command.find_subcommand(name).expect("a subcommand").get_arguments())
            .filter_map(|arg| arg.get_long().map(|long| format!("--{long}")))
            .collect();
        for (flag, keyword) in KEYWORDS {
            assert!(flags.iter().any(|f| f == flag), "{flag} is no flag");
            assert_eq!(Naming::Keywords.name(flag), *keyword);
            assert_eq!(Naming::Flags.name(flag), *flag);
        }
        // Every flag but the file and the column choices has its keyword.
        for flag in &flags {
            let cli_only = ["--csv", "--target"].contains(&flag.as_str());
            assert!(cli_only || KEYWORDS.iter().any(|(f, _)| f == flag), "{flag} has no keyword");
        }
    }

    #[test]
    fn values_of_the_wrong_length_or_names_are_refused_not_panicked_on() {
        let data = |columns: Vec<Vec<f64>>, names: Vec<&str>, degree| DataInput {
            source: "data".into(),
            columns,
            names: names.into_iter().map(String::from).collect(),
            target: vec![1.0, 2.0, 4.0],
            degree,
            loss: "half-mse".into(),
            standardize: true,
        };
        let line = || data(vec![vec![0.0, 1.0, 2.0]], vec!["x"], None);
        let keywords = Naming::Keywords;
        let error = |settings: FitSettings| fit_output(line(), &settings, keywords).unwrap_err().message;
        for init in [vec![1.0], vec![0.0; 30]] {
            let message = error(FitSettings { init: Start::Values(init.clone()), ..FitSettings::default() });
            assert_eq!(message, format!("start θ must be 2 finite coordinates (θ0 to θ1), got {}", values_text(&init)));
        }
        let message = error(FitSettings { init: Start::Values(vec![f64::NAN, 0.0]), ..FitSettings::default() });
        assert_eq!(message, "start θ must be 2 finite coordinates (θ0 to θ1), got (NaN, 0)");
        let settings = FitSettings { optimizer: OptimizerArgs { beta1: Some(0.5), ..OptimizerArgs::default() }, ..FitSettings::default() };
        assert_eq!(fit_output(line(), &settings, keywords).unwrap_err().message, "beta1 applies only to optimizer adam");
        assert_eq!(fit_output(line(), &settings, Naming::Flags).unwrap_err().message, "--beta1 applies only to --optimizer adam");
        let regularization = RegularizationArgs::default();
        let refused = |input: DataInput| solve_output(input, &regularization, keywords).unwrap_err();
        assert_eq!(refused(data(vec![vec![0.0, 1.0, 2.0]], vec![], None)).context.as_deref(), Some("x"));
        assert!(refused(data(vec![], vec![], None)).message.contains("number of features"));
        assert!(refused(data(vec![vec![0.0, 1.0, 2.0]], vec!["x"], Some(usize::MAX))).message.contains("polynomial degree"));
        assert!(refused(data(vec![vec![0.0, 1.0]], vec!["x"], None)).message.contains("y values"));
        let flat = refused(data(vec![vec![1.0; 3], vec![0.0, 1.0, 2.0]], vec!["a", "b"], None));
        assert_eq!(flat.to_string(), "standardize: a has no spread (all its values are equal): it cannot be standardized");
    }
}
