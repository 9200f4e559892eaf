//! A run carried to Python: a self-contained script, for PyTorch or for NumPy, that reproduces a
//! run of a session from its start, with comments (Export ▾ → Copy as PyTorch, Copy as NumPy).
//!
//! Everything the script needs comes from the session: the data (inline up to
//! [`MAX_INLINE_ROWS`] rows, every value in Rust's shortest round-trip digits so that Python
//! reads the same doubles; beyond that read from the CSV file the page's Export data saves), the
//! features as the page builds them (the powers, the chosen columns, the standardization's means
//! and scales to the last bit), the loss convention, the penalty, the run's settings, its start
//! and its number of updates. The last line the script prints is JSON,
//! `{"theta": [θ0, …, θd], "loss": J}`: θ in the scale the run fits (the standardized features
//! when standardization is on), J the full-data objective.
//!
//! A full-batch run is reproduced to rounding: the core's rules follow torch.optim's, and the
//! script writes out in Python what torch has no class for (Newton's method, conjugate gradient,
//! the line searches, the bold driver; in NumPy every update). A mini-batch run is not: the
//! script's batches come from torch's `DataLoader` or NumPy's `default_rng`, in another order
//! than the page's seeded sampler.

use crate::descent::optimizer::Optimizer;
use crate::descent::run::{Run, RunConfig, Status, DIVERGENCE_FACTOR};
use crate::descent::schedule::Schedule;
use crate::descent::step_size::{LineSearch, RateRule, MAX_BACKTRACKS, PLATEAU_EPS};
use crate::error::{Error, Range, Result};
use crate::least_squares::data::{Layout, Scaling};
use crate::least_squares::features::LossConvention;
use crate::least_squares::objective::{Regularization, Theta};
use crate::session::Session;

/// Most rows a script holds inline; beyond them it reads [`DATA_FILE`].
pub const MAX_INLINE_ROWS: usize = 10_000;
/// The file the page's Export data saves, which a script of a larger data set reads.
pub const DATA_FILE: &str = "gdviz-data.csv";

/// Which Python a script is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScriptKind {
    /// torch: `nn.Linear`, `nn.MSELoss`, torch.optim's optimizer and schedule.
    PyTorch,
    /// NumPy alone: every update written out as torch.optim defines it.
    NumPy,
}

impl ScriptKind {
    /// The kind called `name`: "pytorch" (or "torch") or "numpy".
    pub fn named(name: &str) -> Result<Self> {
        match name {
            "pytorch" | "torch" => Ok(ScriptKind::PyTorch),
            "numpy" => Ok(ScriptKind::NumPy),
            _ => Err(Error::unknown_choice("script", name, ["pytorch", "numpy"])),
        }
    }
    /// "pytorch" or "numpy".
    pub fn name(&self) -> &'static str {
        match self {
            ScriptKind::PyTorch => "pytorch",
            ScriptKind::NumPy => "numpy",
        }
    }
    /// The file name the page saves the script under when the clipboard refuses it.
    pub fn file_name(&self) -> &'static str {
        match self {
            ScriptKind::PyTorch => "gdviz-run.py",
            ScriptKind::NumPy => "gdviz-run-numpy.py",
        }
    }
    fn label(&self) -> &'static str {
        match self {
            ScriptKind::PyTorch => "PyTorch",
            ScriptKind::NumPy => "NumPy",
        }
    }
}

/// The CSV file a script reads when its data is too large to write inline: the file's name and
/// its columns as the page's Export data writes them (every x column, the ones left out of the
/// model too, then y).
#[derive(Debug, Clone, PartialEq)]
pub struct DataFile {
    /// The file's name (or path), [`DATA_FILE`] by default.
    pub file: String,
    /// The names of its columns, the x columns' then y's.
    pub names: Vec<String>,
    /// The x columns the model fits (0-based, increasing), one per x column of the session's data.
    pub fitted: Vec<usize>,
}

impl DataFile {
    /// The file Export data writes of the session's own columns: x (or x1 … xk) and y, every
    /// column fitted.
    pub fn of(session: &Session) -> Self {
        let k = session.original_data().columns().len();
        let xs: Vec<String> = if k == 1 { vec!["x".into()] } else { (1..=k).map(|j| format!("x{j}")).collect() };
        DataFile { file: DATA_FILE.into(), names: xs.into_iter().chain(["y".to_string()]).collect(), fitted: (0..k).collect() }
    }

    fn check(&self, columns: usize) -> Result<()> {
        let x_count = self.names.len().saturating_sub(1);
        let increasing = self.fitted.windows(2).all(|w| w[0] < w[1]);
        if self.fitted.len() != columns || !increasing || self.fitted.iter().any(|&j| j >= x_count) {
            let fitted: Vec<String> = self.fitted.iter().map(usize::to_string).collect();
            return Err(Error::invalid("feature-columns", fitted.join(", "), Range::ColumnsOf { count: x_count.max(1) }));
        }
        Ok(())
    }
}

/// The script of run `run` (0-based) of `session` for `kind`, a larger data set read from
/// [`DataFile::of`] the session.
pub fn script(session: &Session, run: usize, kind: ScriptKind) -> Result<String> {
    script_with(session, run, kind, &DataFile::of(session))
}

/// The script of run `run` (0-based) of `session` for `kind`; beyond [`MAX_INLINE_ROWS`] points
/// the data is read from `file`.
pub fn script_with(session: &Session, run: usize, kind: ScriptKind, file: &DataFile) -> Result<String> {
    let data = session.original_data();
    file.check(data.columns().len())?;
    let plan = Plan::of(session, session.run(run)?, run, kind, file);
    Ok(match kind {
        ScriptKind::NumPy => numpy_script(&plan),
        ScriptKind::PyTorch => torch_script(&plan),
    })
}

/// The model's features, as the original data lays them out.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Model {
    Line,
    Powers(usize),
    Columns(usize),
}

/// Everything a script says, read from the session once.
struct Plan<'a> {
    kind: ScriptKind,
    number: usize,
    config: RunConfig,
    columns: &'a [Vec<f64>],
    ys: &'a [f64],
    model: Model,
    scaling: Option<Scaling>,
    loss: LossConvention,
    reg: Regularization,
    start: Theta,
    page_theta: Theta,
    page_loss: f64,
    status: Status,
    updates: u64,
    n: usize,
    j_star: Option<f64>,
    file: &'a DataFile,
}

impl<'a> Plan<'a> {
    fn of(session: &'a Session, run: &'a Run, index: usize, kind: ScriptKind, file: &'a DataFile) -> Self {
        let data = session.original_data();
        let model = match data.layout() {
            Layout::Line => Model::Line,
            Layout::Powers { degree, .. } => Model::Powers(degree),
            Layout::Rows { d } => Model::Columns(d),
        };
        let objective = session.objective();
        let config = *run.config();
        Plan {
            kind,
            number: index + 1,
            config,
            columns: data.columns(),
            ys: data.ys(),
            model,
            scaling: session.standardization(),
            loss: objective.loss_convention(),
            reg: objective.regularization(),
            start: run.theta_start(),
            page_theta: run.theta(),
            page_loss: objective.loss(run.theta()),
            status: run.status(),
            updates: run.iteration(),
            n: data.len(),
            j_star: (config.line_search == LineSearch::Polyak).then(|| session.optimum().ok().map(|o| o.loss)).flatten(),
            file,
        }
    }

    fn full(&self) -> bool {
        self.config.batch_size >= self.n
    }
    fn second_order(&self) -> bool {
        self.config.optimizer.is_second_order()
    }
    /// A line search chooses the step (the core's condition: plain descent on the full batch).
    fn search(&self) -> bool {
        self.config.line_search != LineSearch::None && self.config.optimizer.is_plain() && self.full()
    }
    /// A first-order optimizer steps (torch.optim's in the PyTorch script).
    fn first_order(&self) -> bool {
        !self.second_order() && !self.search()
    }
    fn l1(&self) -> bool {
        self.reg.l1_weight() > 0.0
    }
    /// The L1 part is applied by its proximal step (plain descent and the line searches).
    fn proximal(&self) -> bool {
        self.l1() && self.config.optimizer.is_plain()
    }
    /// The bold driver acts (the page applies it to the first-order optimizers only).
    fn bold(&self) -> Option<(f64, f64)> {
        match self.config.rate_rule {
            RateRule::BoldDriver { up, down } if self.first_order() => Some((up, down)),
            _ => None,
        }
    }
    /// ReduceLROnPlateau acts (CG does not use the rate).
    fn plateau(&self) -> bool {
        matches!(self.config.rate_rule, RateRule::Plateau { .. }) && self.config.optimizer != Optimizer::Cg
    }
    /// The rate rule's own rate is kept in a variable `rate`.
    fn rate_variable(&self) -> bool {
        self.bold().is_some() || self.plateau()
    }
    fn scheduled(&self) -> bool {
        self.config.schedule != Schedule::Constant && self.config.optimizer != Optimizer::Cg
    }
    /// torch's own lr_scheduler class steps the schedule (else a `schedule(t)` function).
    fn torch_scheduler(&self) -> bool {
        self.kind == ScriptKind::PyTorch && self.first_order() && self.config.rate_rule == RateRule::None && self.scheduled()
    }
    /// Whether the optimizer keeps a state that the bold driver restores.
    fn stateful(&self) -> bool {
        !matches!(self.config.optimizer, Optimizer::Sgd)
    }
    fn needs_hessian(&self) -> bool {
        self.second_order() || (self.search() && self.config.line_search == LineSearch::Exact)
    }
}

// ---------------------------------------------------------------------------------------------
// Writing Python

/// A number as Python reads it back to the same double: Rust's shortest round-trip digits.
fn num(v: f64) -> String {
    format!("{v:?}")
}

/// Values as a Python list.
fn list(values: &[f64]) -> String {
    let items: Vec<String> = values.iter().map(|&v| num(v)).collect();
    format!("[{}]", items.join(", "))
}

/// The text of a script, written line by line.
struct Py {
    out: String,
    /// The array library: `np` or `torch`.
    lib: &'static str,
}

/// The width comment paragraphs are wrapped to.
const WIDTH: usize = 99;

impl Py {
    fn new(kind: ScriptKind) -> Self {
        Py { out: String::with_capacity(16_384), lib: if kind == ScriptKind::NumPy { "np" } else { "torch" } }
    }
    fn line(&mut self, text: impl AsRef<str>) {
        self.out.push_str(text.as_ref());
        self.out.push('\n');
    }
    fn blank(&mut self) {
        self.out.push('\n');
    }
    /// A comment paragraph at `indent`, wrapped.
    fn comment(&mut self, indent: &str, text: &str) {
        let prefix = format!("{indent}# ");
        self.wrapped(&prefix, &prefix, text);
    }
    /// A row of the header's table: its name, then its text wrapped under the text's column.
    fn row(&mut self, name: &str, text: &str) {
        self.wrapped(&format!("#   {name:<12}"), &format!("#   {:<12}", ""), text);
    }
    /// `text`'s words wrapped to [`WIDTH`], the first line after `first`, the others after `next`.
    fn wrapped(&mut self, first: &str, next: &str, text: &str) {
        let mut current = String::new();
        let mut prefix = first;
        for word in text.split_whitespace() {
            if !current.is_empty() && prefix.chars().count() + current.chars().count() + 1 + word.chars().count() > WIDTH {
                self.line(format!("{prefix}{current}"));
                current.clear();
                prefix = next;
            }
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(word);
        }
        if !current.is_empty() {
            self.line(format!("{prefix}{current}"));
        }
    }
    /// A section's rule and title.
    fn section(&mut self, text: &str) {
        self.blank();
        self.blank();
        self.line(format!("# {}", "-".repeat(WIDTH - 2)));
        self.comment("", text);
    }
    /// Lines of code, `$lib` replaced by the array library; a leading newline is dropped.
    fn code(&mut self, text: &str) {
        let text = text.strip_prefix('\n').unwrap_or(text);
        for line in text.lines() {
            self.line(line.replace("$lib", self.lib).replace("$cat", if self.lib == "np" { "np.concatenate" } else { "torch.cat" }));
        }
    }
}

/// `text` with PEP 8's blank lines at the top level: two before a `def` or a `class` (and before
/// the comments just above one) and two after a function's body, at most two anywhere else.
fn tidy(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let top = |l: &str| !l.is_empty() && !l.starts_with(' ');
    let definition = |l: &str| l.starts_with("def ") || l.starts_with("class ");
    let mut out = String::with_capacity(text.len() + 256);
    let (mut blanks, mut after_definition, mut started, mut after_comment) = (0usize, false, false, false);
    for (i, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            blanks += 1;
            continue;
        }
        let wanted = if !top(line) || !started {
            blanks.min(1)
        } else {
            // A comment block counts as the definition it stands on.
            let next_code = lines[i..].iter().find(|l| !l.trim().is_empty() && !l.starts_with('#')).copied().unwrap_or("");
            let opens = definition(line) || (line.starts_with('#') && definition(next_code) && blanks > 0);
            if definition(line) && after_comment && blanks == 0 {
                0
            } else if opens || after_definition {
                2
            } else {
                blanks.min(2)
            }
        };
        for _ in 0..wanted {
            out.push('\n');
        }
        out.push_str(line);
        out.push('\n');
        if top(line) && !line.starts_with('#') {
            after_definition = definition(line) || line.starts_with('@');
        } else if top(line) && line.starts_with('#') {
            after_definition = false;
        }
        after_comment = top(line) && line.starts_with('#');
        blanks = 0;
        started = true;
    }
    out
}

// ---------------------------------------------------------------------------------------------
// What the run is, in words

fn model_words(p: &Plan) -> String {
    let names = feature_names(p);
    let mut terms = vec!["θ0".to_string()];
    for (j, name) in names.iter().enumerate() {
        terms.push(format!("θ{}·{name}", j + 1));
    }
    let kind = match p.model {
        Model::Line => "the line",
        Model::Powers(_) => "the polynomial",
        Model::Columns(_) => "the plane of the x columns",
    };
    let standardized = if p.scaling.is_some() { ", the features standardized" } else { "" };
    format!("{kind} ŷ = {}{standardized}", terms.join(" + "))
}

fn feature_names(p: &Plan) -> Vec<String> {
    const SUPERSCRIPTS: [&str; 11] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹", "¹⁰"];
    match p.model {
        Model::Line => vec![column_name(p, 0)],
        Model::Powers(degree) => {
            let x = column_name(p, 0);
            (1..=degree).map(|k| if k == 1 { x.clone() } else { format!("{x}{}", SUPERSCRIPTS[k]) }).collect()
        }
        Model::Columns(k) => (0..k).map(|j| column_name(p, j)).collect(),
    }
}

/// The name of fitted x column `j` (from the data file's header).
fn column_name(p: &Plan, j: usize) -> String {
    let name = p.file.names.get(p.file.fitted[j]).map(|s| s.trim().to_string()).unwrap_or_default();
    let plain = !name.is_empty() && name.chars().all(|c| !c.is_control());
    if plain {
        name
    } else if p.columns.len() == 1 {
        "x".into()
    } else {
        format!("x{}", j + 1)
    }
}

fn loss_words(p: &Plan) -> String {
    match p.loss {
        LossConvention::HalfMse => "J(θ) = 1/(2n)·Σ(ŷ − y)² + R: the page's half-mse convention".into(),
        LossConvention::Mse => "J(θ) = 1/n·Σ(ŷ − y)² + R: the mse convention, torch's nn.MSELoss()".into(),
    }
}

fn penalty_words(p: &Plan) -> String {
    match p.reg {
        Regularization::None => "none (R = 0)".into(),
        Regularization::L2 { lambda } => format!("L2 (ridge), λ = {}: R = (λ/2)·Σθj²", num(lambda)),
        Regularization::L1 { lambda } => format!("L1 (lasso), λ = {}: R = λ·Σ|θj|", num(lambda)),
        Regularization::ElasticNet { lambda, l1_ratio } => format!(
            "elastic net, λ = {}, ρ = {}: R = λ·(ρ·Σ|θj| + (1 − ρ)/2·Σθj²)",
            num(lambda),
            num(l1_ratio)
        ),
    }
}

fn optimizer_words(optimizer: Optimizer) -> String {
    match optimizer {
        Optimizer::Sgd => "gradient descent (torch's SGD)".into(),
        Optimizer::Momentum { momentum } => format!("heavy-ball momentum, μ = {} (torch's SGD with momentum)", num(momentum)),
        Optimizer::Nesterov { momentum } => format!("Nesterov momentum, μ = {} (torch's SGD with nesterov=True)", num(momentum)),
        Optimizer::Adagrad { eps } => format!("Adagrad, ε = {}", num(eps)),
        Optimizer::RmsProp { alpha, eps } => format!("RMSprop, α = {}, ε = {}", num(alpha), num(eps)),
        Optimizer::Adam { beta1, beta2, eps } => format!("Adam, β1 = {}, β2 = {}, ε = {}", num(beta1), num(beta2), num(eps)),
        Optimizer::Newton => "Newton's method".into(),
        Optimizer::Cg => "linear conjugate gradient".into(),
    }
}

fn schedule_words(schedule: Schedule) -> String {
    match schedule {
        Schedule::Constant => "constant".into(),
        Schedule::StepDecay { gamma, step_size } => format!("step decay, η·{}^⌊t/{step_size}⌋ (torch's StepLR)", num(gamma)),
        Schedule::Exponential { gamma } => format!("exponential, η·{}^t (torch's ExponentialLR)", num(gamma)),
        Schedule::InverseTime { decay } => format!("inverse time, η/(1 + {}·t) (torch's LambdaLR)", num(decay)),
        Schedule::Cosine { total_steps } => {
            format!("cosine annealing to 0 over {total_steps} updates, then 0 (torch's CosineAnnealingLR)")
        }
    }
}

fn rule_words(p: &Plan) -> Option<String> {
    match p.config.rate_rule {
        RateRule::None => None,
        RateRule::BoldDriver { up, down } => Some(if p.first_order() {
            format!("bold driver, up {}, down {}", num(up), num(down))
        } else {
            "bold driver (the page does not apply it to Newton or CG)".into()
        }),
        RateRule::Plateau { factor, patience, threshold, cooldown, min_lr } => Some(if p.plateau() {
            format!(
                "reduce on plateau (torch's ReduceLROnPlateau), factor {}, patience {}, threshold {}, cooldown {}, min_lr {}",
                num(factor),
                patience,
                num(threshold),
                cooldown,
                num(min_lr)
            )
        } else {
            "reduce on plateau (CG does not use the rate)".into()
        }),
    }
}

fn search_words(search: LineSearch) -> String {
    match search {
        LineSearch::None => "none".into(),
        LineSearch::Exact => "exact: η = gᵀg / gᵀHg".into(),
        LineSearch::Armijo { beta, c } => format!("Armijo backtracking, β = {}, c = {}", num(beta), num(c)),
        LineSearch::Bb => "Barzilai–Borwein: η = sᵀs / sᵀy".into(),
        LineSearch::Polyak => "Polyak: η = (J(θ) − J*) / gᵀg".into(),
    }
}

fn header(p: &Plan, py: &mut Py) {
    let kind = p.kind.label();
    py.line("#!/usr/bin/env python3");
    py.comment("", &format!("gdviz: run {} of the page, carried to {kind} (gdviz {}).", p.number, env!("CARGO_PKG_VERSION")));
    py.line("#");
    py.line("# What the page runs:");
    let inline = p.n <= MAX_INLINE_ROWS;
    let mut rows: Vec<(&str, String)> = vec![
        ("data", format!("{} points, {}", p.n, if inline { "inline below".to_string() } else { format!("read from {}", p.file.file) })),
        ("model", model_words(p)),
        ("loss", loss_words(p)),
        ("penalty", if p.reg == Regularization::None { penalty_words(p) } else { format!("{}, never on θ0", penalty_words(p)) }),
        ("optimizer", format!("{}, learning rate η = {}", optimizer_words(p.config.optimizer), num(p.config.learning_rate))),
    ];
    if p.config.optimizer == Optimizer::Cg {
        rows.last_mut().unwrap().1 = format!("{} (its own step: the learning rate is unused)", optimizer_words(p.config.optimizer));
    }
    rows.push(("schedule", schedule_words(p.config.schedule)));
    if let Some(words) = rule_words(p) {
        rows.push(("rate rule", words));
    }
    if p.search() {
        rows.push(("line search", search_words(p.config.line_search)));
    }
    rows.push((
        "batches",
        if p.full() {
            format!("the full batch (n = {})", p.n)
        } else {
            format!("mini-batches of {}, seed {} (in another order than the page's: see below)", p.config.batch_size, p.config.seed)
        },
    ));
    rows.push(("start", format!("θ = {}", list(p.start.as_slice()))));
    rows.push(("updates", format!("{}, as many as the page's run has taken", p.updates)));
    rows.push(("the page", format!("θ = {}, J = {} ({})", list(p.page_theta.as_slice()), num(p.page_loss), p.status.as_str())));
    for (name, text) in rows {
        py.row(name, &text);
    }
    py.line("#");
    let needs = if p.kind == ScriptKind::PyTorch { "torch" } else { "numpy" };
    py.comment(
        "",
        &format!(
            "Run it with `python3 {}` (it needs {needs}). It runs the run's current settings from its start: a run \
             whose settings changed while it ran took another path. The last line it prints is JSON, \
             {{\"theta\": [θ0, …, θd], \"loss\": J}}: θ in the scale of the features the run fits{}, as the page's \
             run holds it, and J the objective on the full data (the data term plus R).",
            p.kind.file_name(),
            if p.scaling.is_some() { " (the standardized ones; the original-scale θ is printed before it)" } else { "" }
        ),
    );
}

// ---------------------------------------------------------------------------------------------
// The data and the features

fn data_section(p: &Plan, py: &mut Py) {
    let k = p.columns.len();
    let y_name = p.file.names.last().map(|s| s.trim()).filter(|s| !s.is_empty() && !s.chars().any(char::is_control)).unwrap_or("y");
    let header: Vec<String> = (0..k).map(|j| column_name(p, j)).chain([y_name.to_string()]).collect();
    let array = if p.kind == ScriptKind::NumPy { "np.array" } else { "torch.tensor" };
    if p.n <= MAX_INLINE_ROWS {
        py.section(&format!(
            "The data: {} points, inline, one row each ({}). Every value is written in Rust's shortest round-trip \
             digits, so that Python reads the very doubles the page holds.",
            p.n,
            header.join(", ")
        ));
        py.line(format!("DATA = {array}(["));
        let mut row = Vec::with_capacity(k + 1);
        for i in 0..p.n {
            row.clear();
            row.extend(p.columns.iter().map(|c| c[i]));
            row.push(p.ys[i]);
            py.line(format!("    {},", list(&row)));
        }
        py.line("])");
    } else {
        let mut picked: Vec<String> = p.file.fitted.iter().map(usize::to_string).collect();
        picked.push("-1".into());
        let all: Vec<&str> = p.file.names.iter().map(|s| s.trim()).collect();
        py.section(&format!(
            "The data: {} points, more than the {MAX} written inline here: read from the CSV file the page's \
             Data ▾ → Export data saves ({}; put it next to this script or change the path). Its columns: {}; the \
             model fits column{} {} (0-based), y is the last.",
            p.n,
            DATA_FILE,
            all.join(", "),
            if p.file.fitted.len() == 1 { "" } else { "s" },
            p.file.fitted.iter().map(usize::to_string).collect::<Vec<_>>().join(", "),
            MAX = MAX_INLINE_ROWS,
        ));
        py.line(format!("DATA_CSV = {}", python_string(&p.file.file)));
        if p.kind == ScriptKind::NumPy {
            py.line(format!("DATA = np.loadtxt(DATA_CSV, delimiter=\",\", skiprows=1, ndmin=2)[:, [{}]]", picked.join(", ")));
        } else {
            py.line("with open(DATA_CSV, newline=\"\") as file:");
            py.line("    rows = list(csv.reader(file))[1:]  # the header left out");
            py.line(format!("DATA = torch.tensor([[float(row[j]) for j in ({})] for row in rows])", picked.join(", ")));
        }
    }
    py.line("X = DATA[:, :-1]  # the x column(s) the model fits");
    if p.kind == ScriptKind::NumPy {
        py.line("y = DATA[:, -1]");
    } else {
        py.line("y = DATA[:, -1:]  # y as a column, the shape of the model's output");
    }
    py.line("n = len(y)");
}

/// `text` as a Python string literal.
fn python_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn features_section(p: &Plan, py: &mut Py) {
    let names = feature_names(p).join(", ");
    match p.model {
        Model::Line => {
            py.section(&format!("The feature: {names} itself (d = 1)."));
            py.line("Z = X");
        }
        Model::Columns(k) => {
            py.section(&format!("The features: the x columns {names} themselves (d = {k})."));
            py.line("Z = X");
        }
        Model::Powers(degree) => {
            py.section(&format!(
                "The features: the powers {names} of the one x column (d = {degree}), each the one before times x, as \
                 the page computes them (scikit-learn's PolynomialFeatures(degree={degree}, include_bias=False))."
            ));
            py.line(format!("DEGREE = {degree}"));
            py.line("powers = [X[:, 0]]");
            py.line("for _ in range(1, DEGREE):");
            py.line("    powers.append(powers[-1] * X[:, 0])");
            py.line(if p.kind == ScriptKind::NumPy { "Z = np.stack(powers, axis=1)" } else { "Z = torch.stack(powers, dim=1)" });
        }
    }
    if let Some(s) = &p.scaling {
        py.blank();
        py.comment(
            "",
            "Standardized, as the page's Standardize does it (scikit-learn's StandardScaler): φ′ = (φ − mean)/scale, \
             with each feature's mean and population standard deviation (ddof=0), written here as the page computed \
             them, to the last bit (Z.mean(0) and Z.std(0) give them to rounding). The run's θ is the θ of these \
             standardized features.",
        );
        let array = if p.kind == ScriptKind::NumPy { "np.array" } else { "torch.tensor" };
        py.line(format!("MEAN = {array}({})", list(&s.mean[..s.d])));
        py.line(format!("SCALE = {array}({})", list(&s.scale[..s.d])));
        py.line("Z = (Z - MEAN) / SCALE");
    }
    py.line("d = Z.shape[1]");
}

/// LAMBDA, L1 and L2 as Python constants.
fn penalty_constants(p: &Plan, py: &mut Py) {
    match p.reg {
        Regularization::None => {
            py.line("L1 = 0.0  # no penalty");
            py.line("L2 = 0.0");
        }
        Regularization::L2 { lambda } => {
            py.line(format!("LAMBDA = {}  # L2 (ridge)", num(lambda)));
            py.line("L1 = 0.0");
            py.line("L2 = LAMBDA");
        }
        Regularization::L1 { lambda } => {
            py.line(format!("LAMBDA = {}  # L1 (lasso)", num(lambda)));
            py.line("L1 = LAMBDA");
            py.line("L2 = 0.0");
        }
        Regularization::ElasticNet { lambda, l1_ratio } => {
            py.line(format!("LAMBDA = {}  # elastic net", num(lambda)));
            py.line(format!("L1_RATIO = {}", num(l1_ratio)));
            py.line("L1 = LAMBDA * L1_RATIO");
            py.line("L2 = LAMBDA * (1 - L1_RATIO)");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The pieces both scripts share (written with `$lib`)

/// The L1 part's proximal step.
fn prox_function(py: &mut Py) {
    py.blank();
    py.blank();
    py.code(
        r#"
def prox(theta, eta):
    """The L1 part's proximal step: each slope soft-thresholded at η·λ1, θ0 unchanged."""
    t = eta * L1
    s = theta[1:]
    slopes = $lib.where(s > t, s - t, $lib.where(s < -t, s + t, 0.0 * s))
    return $cat([theta[:1], slopes])"#,
    );
}

fn schedule_function(p: &Plan, py: &mut Py) {
    py.section(&format!(
        "The schedule: the rate of update t (0-based) is η·schedule(t); {}.",
        schedule_words(p.config.schedule)
    ));
    match p.config.schedule {
        Schedule::Constant => {}
        Schedule::StepDecay { gamma, step_size } => {
            py.line(format!("GAMMA = {}", num(gamma)));
            py.line(format!("STEP_SIZE = {step_size}"));
            py.code("\n\ndef schedule(t):\n    return GAMMA ** (t // STEP_SIZE)");
        }
        Schedule::Exponential { gamma } => {
            py.line(format!("GAMMA = {}", num(gamma)));
            py.code("\n\ndef schedule(t):\n    return GAMMA ** t");
        }
        Schedule::InverseTime { decay } => {
            py.line(format!("DECAY = {}", num(decay)));
            py.code("\n\ndef schedule(t):\n    return 1 / (1 + DECAY * t)");
        }
        Schedule::Cosine { total_steps } => {
            py.line(format!("T_MAX = {total_steps}"));
            py.blank();
            py.blank();
            py.line("def schedule(t):");
            py.line("    # Held at 0 after T_MAX, as on the page (torch's CosineAnnealingLR rises again after T_max:");
            py.line("    # its period is 2·T_max).");
            py.line("    return 0.5 * (1 + math.cos(math.pi * (min(t, T_MAX) / T_MAX)))");
        }
    }
}

/// The closed-form Hessian of the smooth part.
fn hessian_block(p: &Plan, py: &mut Py) {
    py.blank();
    py.comment(
        "",
        "The Hessian of the smooth part, in closed form: H = C·mean(z·zᵀ) + λ2·diag(0, 1, …, 1), z = (1, φ), C = 1 \
         for the half-mse convention and 2 for mse.",
    );
    if p.kind == ScriptKind::PyTorch {
        py.line(format!("C = {}", num(p.loss.factor())));
        py.line("ZB = torch.cat([torch.ones(n, 1), Z], dim=1)");
        py.line("H = C * (ZB.T @ ZB) / n");
        py.line("H[1:, 1:] += L2 * torch.eye(d)");
    } else {
        py.line("ZB = np.hstack([np.ones((n, 1)), Z])");
        py.line("H = C * (ZB.T @ ZB) / n");
        py.line("H[1:, 1:] += L2 * np.eye(d)");
    }
}

fn newton_block(py: &mut Py) {
    py.code(
        r#"

def newton_direction(g):
    """H⁻¹g; g itself when H is singular."""
    try:
        direction = $lib.linalg.solve(H, g)
    except $lib.linalg.LinAlgError:
        return g
    return direction if bool($lib.isfinite(direction).all()) else g"#,
    );
}

fn cg_block(py: &mut Py) {
    py.code(
        r#"

r = p = None  # CG's residual b − Hθ and direction


def cg_step(theta):
    """One step of linear CG on Hθ = b from the start (r = p = −∇J there): θ + α·p, α = rᵀr/pᵀHp."""
    global r, p
    if r is None:
        r = -gradient(theta)
        p = r
    hp = H @ p
    rr, php = float(r @ r), float(p @ hp)
    alpha = rr / php if php > 0 and rr > 0 and math.isfinite(rr / php) else 0.0
    theta_next = theta + alpha * p
    r_next = r - alpha * hp
    beta = float(r_next @ r_next) / rr if rr > 0 else 0.0
    r, p = r_next, r_next + beta * p
    return theta_next"#,
    );
}

fn line_search_block(p: &Plan, py: &mut Py) {
    match p.config.line_search {
        LineSearch::None => {}
        LineSearch::Exact => py.code(
            r#"

def line_search(theta, g, lr):
    """The exact step along −g of the smooth quadratic: η = gᵀg / gᵀHg."""
    gg, ghg = float(g @ g), float(g @ (H @ g))
    return gg / ghg if ghg > 0 and math.isfinite(gg / ghg) else lr"#,
        ),
        LineSearch::Armijo { beta, c } => {
            py.line(format!("ARMIJO_BETA = {}", num(beta)));
            py.line(format!("ARMIJO_C = {}", num(c)));
            py.line(format!("MAX_BACKTRACKS = {MAX_BACKTRACKS}"));
            let test = if p.l1() {
                "        # With an L1 part: the proximal step and the test on the smooth part f.\n        \
                 step = candidate - theta\n        \
                 accepted = f <= f0 + float(g @ step) + float(step @ step) / (2 * eta)"
            } else {
                "        accepted = f <= f0 - ARMIJO_C * eta * gg"
            };
            let candidate = if p.l1() { "prox(theta - eta * g, eta)" } else { "theta - eta * g" };
            py.code(&format!(
                r#"

def line_search(theta, g, lr):
    """Backtracking from η₀ = the learning rate: η ← β·η until J(θ − η·g) ≤ J(θ) − c·η·gᵀg."""
    f0, gg = smooth_loss(theta), float(g @ g)
    eta = lr
    for trial in range(MAX_BACKTRACKS):
        candidate = {candidate}
        f = smooth_loss(candidate)
{test}
        if accepted or trial + 1 == MAX_BACKTRACKS:
            return eta
        eta *= ARMIJO_BETA"#
            ));
        }
        LineSearch::Bb => py.code(
            r#"
previous = None  # the previous θ and gradient
bb_rate = None  # the last step


def line_search(theta, g, lr):
    """Barzilai–Borwein: η₀ = the learning rate, then η = sᵀs / sᵀy, s = θ − θ₋₁, y = g − g₋₁."""
    global previous, bb_rate
    eta = lr
    if previous is not None:
        s, y_step = theta - previous[0], g - previous[1]
        ss, sy = float(s @ s), float(s @ y_step)
        eta = ss / sy if sy > 0 and math.isfinite(ss / sy) else (lr if bb_rate is None else bb_rate)
    previous, bb_rate = (theta, g), eta
    return eta"#,
        ),
        LineSearch::Polyak => {
            match p.j_star {
                Some(j) => py.line(format!("J_STAR = {}  # J at the exact optimum θ*, as the page solved it", num(j))),
                None => py.line("J_STAR = None  # the objective has no unique optimum: the learning rate is used"),
            }
            py.code(
                r#"

def line_search(theta, g, lr):
    """Polyak: η = (J(θ) − J*) / gᵀg."""
    gg = float(g @ g)
    if J_STAR is None or gg <= 0:
        return lr
    excess = float(loss(theta)) - J_STAR
    return max(excess, 0.0) / gg if math.isfinite(excess / gg) else lr"#,
            );
        }
    }
}

/// `lr = …` of update t.
fn rate_line(p: &Plan) -> &'static str {
    match (p.rate_variable(), p.scheduled()) {
        (true, true) => "    lr = rate * schedule(t)",
        (true, false) => "    lr = rate",
        (false, true) => "    lr = LR * schedule(t)",
        (false, false) => "    lr = LR",
    }
}

/// The result: θ (and its original scale), J.
fn result_section(p: &Plan, py: &mut Py) {
    py.section(&format!(
        "The result. θ is in the scale of the features the run fits{}, as the page's run holds it; J is the \
         objective on the full data (the data term plus R) in the page's convention.",
        if p.scaling.is_some() { ", the standardized ones" } else { "" }
    ));
    if p.scaling.is_some() {
        py.code(
            r#"def to_original(theta):
    """θ of the standardized features in the original ones: θj/scale_j, θ0 − Σj θj·mean_j/scale_j."""
    slopes = theta[1:] / SCALE
    return $cat([theta[:1] - (slopes * MEAN).sum(), slopes])


print("theta in the original features' scale:", json.dumps(to_original(theta).tolist()))"#,
        );
    }
    py.line("print(json.dumps({\"theta\": theta.tolist(), \"loss\": float(loss(theta))}))");
}

/// The end of an update: θ and J finite (else, after `restore`, the loop ends), then the
/// plateau's step and the divergence test.
fn update_end(p: &Plan, py: &mut Py, restore: &str) {
    py.line(format!("    if not (bool({}.isfinite(theta_next).all()) and math.isfinite(J_next)):", py.lib));
    py.line("        # The page keeps the last finite θ and stops the run.");
    if !restore.is_empty() {
        py.line(format!("        {restore}"));
    }
    py.line("        print(f\"update {t + 1}: θ or J is no longer finite (the page stops here)\")");
    py.line("        break");
    py.line("    theta = theta_next");
    if p.plateau() {
        let calls: &[&str] = if p.kind == ScriptKind::NumPy {
            &["rate = plateau.step(J_next, rate)"]
        } else if p.first_order() {
            &["plateau.step(J_next)"]
        } else {
            &["plateau.step(J_next)", "rate = rate_holder.param_groups[0][\"lr\"]"]
        };
        let indent = if p.full() {
            py.line("    # ReduceLROnPlateau, stepped with the full data's J after every update.");
            "    "
        } else {
            py.line("    if seen // n > epochs_before:  # after every epoch, with the full data's J");
            "        "
        };
        for call in calls {
            py.line(format!("{indent}{call}"));
        }
    }
    py.line("    if J_next > DIVERGED_ABOVE:");
    py.line("        print(f\"update {t + 1}: J passed 1e10·J(θ_start), the run diverged (the page stops here)\")");
    py.line("        break");
}

/// The run's head, in either script: its section, the number of updates, θ from `THETA_START`
/// (made by `array`), the divergence threshold, a rate rule's `rate` (commented `rate_comment`),
/// `before_loop`, and the loop's first line with the update's rate (CG has none).
fn run_head(p: &Plan, py: &mut Py, array: &str, rate_comment: &str, before_loop: Option<&str>) {
    py.section(&format!("The run: {} updates, as many as the page's run {} has taken.", p.updates, p.number));
    py.line(format!("UPDATES = {}", p.updates));
    py.line(format!("theta = {array}(THETA_START)"));
    divergence_constant(py);
    if p.rate_variable() {
        py.line(format!("rate = LR  # {rate_comment}"));
    }
    if let Some(line) = before_loop {
        py.line(line);
    }
    py.line("for t in range(UPDATES):");
    if p.config.optimizer != Optimizer::Cg {
        py.line(rate_line(p));
    }
}

/// The update's step when it is written out (a line search, Newton, CG), the same in both
/// scripts; false for the first-order optimizers, whose step each script writes its own way.
fn written_out_step(p: &Plan, py: &mut Py) -> bool {
    if p.search() {
        py.line("    g = gradient(theta)");
        py.line("    eta = line_search(theta, g, lr)");
        py.line(if p.proximal() { "    theta_next = prox(theta - eta * g, eta)" } else { "    theta_next = theta - eta * g" });
    } else if p.config.optimizer == Optimizer::Newton {
        py.line("    theta_next = theta - lr * newton_direction(gradient(theta))");
    } else if p.config.optimizer == Optimizer::Cg {
        py.line("    theta_next = cg_step(theta)");
    } else {
        return false;
    }
    true
}

fn divergence_constant(py: &mut Py) {
    py.line(format!(
        "DIVERGED_ABOVE = {DIVERGENCE_FACTOR:e} * max(float(loss(theta)), 1e-300)  # the page stops a run whose J passes it"
    ));
}

/// The mini-batch note.
fn minibatch_note(p: &Plan, py: &mut Py, how: &str) {
    py.section(&format!(
        "Mini-batches of {} points without replacement: {how} The page draws its own seeded permutations (ChaCha8), \
         so the batches here come in another order: θ ends near the page's θ, not on it.",
        p.config.batch_size
    ));
    py.line(format!("BATCH_SIZE = {}", p.config.batch_size));
    py.line(format!("SEED = {}", p.config.seed));
}

// ---------------------------------------------------------------------------------------------
// NumPy

fn numpy_script(p: &Plan) -> String {
    let mut py = Py::new(ScriptKind::NumPy);
    header(p, &mut py);
    py.blank();
    if p.bold().is_some() {
        py.line("import copy");
    }
    py.line("import json");
    py.line("import math");
    if p.bold().is_some() {
        py.line("import sys");
    }
    py.blank();
    py.line("import numpy as np");
    data_section(p, &mut py);
    features_section(p, &mut py);

    py.section(&format!(
        "The objective: J(θ) = C/(2n)·Σ(θ0 + Σj θj·φj − y)² + R(θ1, …, θd), C = {} ({}), with the penalty R = \
         λ1·Σ|θj| + (λ2/2)·Σθj² on the slopes alone, never on θ0. Here {}.",
        num(p.loss.factor()),
        if p.loss == LossConvention::HalfMse { "the page's half-mse; mse, torch's nn.MSELoss(), has C = 2" } else { "mse, torch's nn.MSELoss()" },
        penalty_words(p)
    ));
    py.line(format!("C = {}", num(p.loss.factor())));
    penalty_constants(p, &mut py);
    py.code(
        r#"


def residuals(theta, rows=slice(None)):
    return theta[0] + Z[rows] @ theta[1:] - y[rows]


def smooth_loss(theta):
    """J without its L1 part: the data term plus (λ2/2)·Σθj²."""
    r = residuals(theta)
    return C / 2 * np.mean(r * r) + L2 / 2 * np.sum(theta[1:] ** 2)


def loss(theta):
    """J(θ) on the full data: the data term plus R."""
    return smooth_loss(theta) + L1 * np.sum(np.abs(theta[1:]))


def gradient(theta, rows=slice(None)):
    """The gradient of the smooth part over the points `rows` (all of them by default)."""
    r = residuals(theta, rows)
    g = np.empty_like(theta)
    g[0] = C * np.mean(r)
    g[1:] = C * (r @ Z[rows]) / len(r) + L2 * theta[1:]
    return g"#,
    );
    if p.proximal() {
        prox_function(&mut py);
    }
    numpy_method(p, &mut py);
    if p.scheduled() {
        schedule_function(p, &mut py);
    }
    rate_rule_numpy(p, &mut py);
    if !p.full() {
        minibatch_note(p, &mut py, "a fresh permutation of the points each epoch, from NumPy's default_rng seeded with the \
             run's seed, the last batch of an epoch short when the batch size does not divide n (as on the page).");
        py.code(
            r#"
rng = np.random.default_rng(SEED)
order, cursor = None, 0


def next_batch():
    """The indices of the next batch of the epoch (a new permutation at the start of each)."""
    global order, cursor
    if cursor == 0:
        order = rng.permutation(n)
    rows = order[cursor:cursor + BATCH_SIZE]
    cursor = (cursor + len(rows)) % n
    return rows"#,
        );
    }

    py.line(format!("THETA_START = {}", list(p.start.as_slice())));
    let seen = (!p.full() && p.plateau()).then_some("seen = 0  # points used so far, for the epochs");
    run_head(p, &mut py, "np.array", "the rate rule's rate", seen);
    if !written_out_step(p, &mut py) {
        if p.full() {
            py.line("    g = gradient(theta)");
        } else {
            py.line("    rows = next_batch()");
            py.line("    g = gradient(theta, rows)");
        }
        if p.l1() && !p.proximal() {
            py.line("    g[1:] += L1 * np.sign(theta[1:])  # the L1 part as its subgradient, sign(0) = 0, as the page does");
        }
        if p.bold().is_some() && p.stateful() {
            py.line("    saved = copy.deepcopy(state)");
        }
        py.line("    theta_next = optimizer_step(theta, g, lr)");
        if p.proximal() {
            py.line("    theta_next = prox(theta_next, lr)  # the L1 part by its proximal step, as the page does");
        }
    }
    if !p.full() && p.plateau() {
        py.line("    epochs_before = seen // n");
        py.line("    seen += len(rows)");
    }
    py.line("    J_next = loss(theta_next)");
    if p.bold().is_some() {
        py.line("    if J_next <= loss(theta):  # kept");
        py.line("        rate = min(rate * UP, sys.float_info.max)");
        py.line("    else:  # undone");
        py.line("        rate = min(rate * DOWN, sys.float_info.max)");
        if p.stateful() {
            py.line("        state = saved");
        }
        py.line("        theta_next, J_next = theta, loss(theta)");
    }
    update_end(p, &mut py, "");
    result_section(p, &mut py);
    tidy(&py.out)
}

/// The optimizer's update (or Newton's, CG's, the line search), in NumPy.
fn numpy_method(p: &Plan, py: &mut Py) {
    let config = p.config;
    if p.search() {
        py.section(&format!(
            "Gradient descent with a line search: {}; then, with an L1 part, its proximal step (as on the page).",
            search_words(config.line_search)
        ));
        py.line(format!("LR = {}  # η₀ of the searches that start from the learning rate", num(config.learning_rate)));
        if p.needs_hessian() {
            hessian_block(p, py);
        }
        line_search_block(p, py);
        return;
    }
    match config.optimizer {
        Optimizer::Newton => {
            py.section("Newton's method, written out: θ ← θ − η·H⁻¹∇J(θ).");
            py.line(format!("LR = {}", num(config.learning_rate)));
            hessian_block(p, py);
            newton_block(py);
        }
        Optimizer::Cg => {
            py.section("Linear conjugate gradient on the quadratic J, written out: its own step α, no learning rate.");
            py.line(format!("LR = {}  # unused by CG", num(config.learning_rate)));
            hessian_block(p, py);
            cg_block(py);
        }
        optimizer => {
            py.section(&format!(
                "The optimizer: {}, its update written out as torch.optim defines it (the L2 part is in the gradient, \
                 as torch's weight_decay adds it).",
                optimizer_words(optimizer)
            ));
            py.line(format!("LR = {}", num(config.learning_rate)));
            let (constants, state, body) = numpy_update(optimizer);
            for c in constants {
                py.line(c);
            }
            py.line(format!("state = {state}"));
            py.blank();
            py.blank();
            py.line("def optimizer_step(theta, g, lr):");
            py.code(body);
        }
    }
}

/// An optimizer's constants, its initial state and the body of its update, in NumPy.
fn numpy_update(optimizer: Optimizer) -> (Vec<String>, &'static str, &'static str) {
    match optimizer {
        Optimizer::Momentum { momentum } => (
            vec![format!("MOMENTUM = {}", num(momentum))],
            "{\"buffer\": np.zeros(d + 1)}",
            "    \"\"\"torch's SGD with momentum: b ← μ·b + g, θ ← θ − η·b.\"\"\"\n    \
             state[\"buffer\"] = MOMENTUM * state[\"buffer\"] + g\n    \
             return theta - lr * state[\"buffer\"]",
        ),
        Optimizer::Nesterov { momentum } => (
            vec![format!("MOMENTUM = {}", num(momentum))],
            "{\"buffer\": np.zeros(d + 1)}",
            "    \"\"\"torch's SGD with nesterov=True: b ← μ·b + g, θ ← θ − η·(g + μ·b).\"\"\"\n    \
             state[\"buffer\"] = MOMENTUM * state[\"buffer\"] + g\n    \
             return theta - lr * (g + MOMENTUM * state[\"buffer\"])",
        ),
        Optimizer::Adagrad { eps } => (
            vec![format!("EPS = {}", num(eps))],
            "{\"sum\": np.zeros(d + 1)}",
            "    \"\"\"torch's Adagrad: s ← s + g², θ ← θ − η·g/(√s + ε).\"\"\"\n    \
             state[\"sum\"] = state[\"sum\"] + g * g\n    \
             return theta - lr * g / (np.sqrt(state[\"sum\"]) + EPS)",
        ),
        Optimizer::RmsProp { alpha, eps } => (
            vec![format!("ALPHA = {}", num(alpha)), format!("EPS = {}", num(eps))],
            "{\"square_avg\": np.zeros(d + 1)}",
            "    \"\"\"torch's RMSprop: v ← α·v + (1 − α)·g², θ ← θ − η·g/(√v + ε).\"\"\"\n    \
             state[\"square_avg\"] = ALPHA * state[\"square_avg\"] + (1 - ALPHA) * g * g\n    \
             return theta - lr * g / (np.sqrt(state[\"square_avg\"]) + EPS)",
        ),
        Optimizer::Adam { beta1, beta2, eps } => (
            vec![format!("BETA1 = {}", num(beta1)), format!("BETA2 = {}", num(beta2)), format!("EPS = {}", num(eps))],
            "{\"step\": 0, \"m\": np.zeros(d + 1), \"v\": np.zeros(d + 1)}",
            "    \"\"\"torch's Adam: m ← β1·m + (1 − β1)·g, v ← β2·v + (1 − β2)·g², bias-corrected,\n    \
             θ ← θ − η·m̂/(√v̂ + ε).\"\"\"\n    \
             state[\"step\"] += 1\n    \
             state[\"m\"] = BETA1 * state[\"m\"] + (1 - BETA1) * g\n    \
             state[\"v\"] = BETA2 * state[\"v\"] + (1 - BETA2) * g * g\n    \
             m_hat = state[\"m\"] / (1 - BETA1 ** state[\"step\"])\n    \
             v_hat = state[\"v\"] / (1 - BETA2 ** state[\"step\"])\n    \
             return theta - lr * m_hat / (np.sqrt(v_hat) + EPS)",
        ),
        // Every variant by name, so that a new optimizer does not compile until its update is
        // written here. Newton and CG are written out step by step and never come here.
        Optimizer::Sgd | Optimizer::Newton | Optimizer::Cg => (Vec::new(), "{}  # plain gradient descent keeps none", "    \"\"\"torch's SGD: θ ← θ − η·g.\"\"\"\n    return theta - lr * g"),
    }
}

/// The bold driver's and ReduceLROnPlateau's constants (and the latter written out), in NumPy.
fn rate_rule_numpy(p: &Plan, py: &mut Py) {
    if let Some((up, down)) = p.bold() {
        py.section(
            "The bold driver, as the page does it: a tentative update at the current rate, kept when J does not grow \
             (the rate times UP), undone otherwise (θ and the optimizer's state as they were, the rate times DOWN).",
        );
        py.line(format!("UP, DOWN = {}, {}", num(up), num(down)));
    }
    if let (true, RateRule::Plateau { factor, patience, threshold, cooldown, min_lr }) = (p.plateau(), p.config.rate_rule) {
        py.section(&format!(
            "Reduce on plateau, as torch.optim.lr_scheduler.ReduceLROnPlateau(mode=\"min\", threshold_mode=\"rel\", \
             eps={}) defines it, written out; the page steps it with the full data's J after every update of a \
             full-batch run, after every epoch of a mini-batch one.",
            num(PLATEAU_EPS)
        ));
        py.line(format!("FACTOR = {}", num(factor)));
        py.line(format!("PATIENCE = {}", patience));
        py.line(format!("THRESHOLD = {}", num(threshold)));
        py.line(format!("COOLDOWN = {}", cooldown));
        py.line(format!("MIN_LR = {}", num(min_lr)));
        py.code(&format!(
            r#"


class Plateau:
    def __init__(self):
        self.best = None
        self.bad_steps = 0
        self.cooldown_left = 0

    def step(self, metric, rate):
        """One step with the loss `metric`: the rate from now on."""
        if self.best is None or metric < self.best * (1 - THRESHOLD):
            self.best = metric
            self.bad_steps = 0
        else:
            self.bad_steps += 1
        if self.cooldown_left > 0:
            self.cooldown_left -= 1
            self.bad_steps = 0
        if self.bad_steps > PATIENCE:
            reduced = max(rate * FACTOR, MIN_LR)
            if rate - reduced > {eps}:
                rate = reduced
            self.cooldown_left = COOLDOWN
            self.bad_steps = 0
        return rate


plateau = Plateau()"#,
            eps = num(PLATEAU_EPS)
        ));
    }
}

// ---------------------------------------------------------------------------------------------
// PyTorch

fn torch_script(p: &Plan) -> String {
    let mut py = Py::new(ScriptKind::PyTorch);
    header(p, &mut py);
    py.blank();
    if p.bold().is_some() {
        py.line("import copy");
    }
    if p.n > MAX_INLINE_ROWS {
        py.line("import csv");
    }
    py.line("import json");
    py.line("import math");
    if p.bold().is_some() {
        py.line("import sys");
    }
    py.blank();
    py.line("import torch");
    py.line("from torch import nn");
    if !p.full() {
        py.line("from torch.utils.data import DataLoader, TensorDataset");
    }
    py.blank();
    py.line("torch.set_default_dtype(torch.float64)  # the page computes in float64");
    data_section(p, &mut py);
    features_section(p, &mut py);

    py.section(
        "The model ŷ = θ0 + Σj θj·φj: nn.Linear(d, 1), θ0 its bias and θ1, …, θd its weight, set to the run's start.",
    );
    py.line(format!("THETA_START = {}", list(p.start.as_slice())));
    py.code(
        r#"model = nn.Linear(d, 1)
with torch.no_grad():
    model.bias.copy_(torch.tensor(THETA_START[:1]))
    model.weight.copy_(torch.tensor([THETA_START[1:]]))


def get_theta():
    """θ = (θ0, θ1, …, θd): the bias, then the weight."""
    return torch.cat([model.bias.detach(), model.weight.detach().flatten()])


def set_theta(theta):
    with torch.no_grad():
        model.bias.copy_(theta[:1])
        model.weight.copy_(theta[1:].reshape(1, -1))"#,
    );

    let half = p.loss == LossConvention::HalfMse;
    py.section(&format!(
        "The loss: {}, plus the penalty R = λ1·Σ|θj| + (λ2/2)·Σθj² on the slopes (the weight), never on θ0 (the \
         bias). Here {}.",
        if half {
            "the page's half-mse convention, ½·mean((ŷ − y)²), half of nn.MSELoss()"
        } else {
            "the mse convention, nn.MSELoss() itself"
        },
        penalty_words(p)
    ));
    py.line("mse = nn.MSELoss()");
    penalty_constants(p, &mut py);
    py.blank();
    py.blank();
    py.line("def data_term(prediction, target):");
    py.line(if half { "    return 0.5 * mse(prediction, target)" } else { "    return mse(prediction, target)" });
    py.code(
        r#"

def loss(theta):
    """J(θ) on the full data: the data term plus R = λ1·Σ|θj| + (λ2/2)·Σθj²."""
    set_theta(theta)
    with torch.no_grad():
        w = model.weight
        return float(data_term(model(Z), y) + L1 * w.abs().sum() + L2 / 2 * (w * w).sum())"#,
    );
    if !p.first_order() {
        py.code(
            r#"

def smooth_loss(theta):
    """J without its L1 part."""
    set_theta(theta)
    with torch.no_grad():
        w = model.weight
        return float(data_term(model(Z), y) + L2 / 2 * (w * w).sum())


def gradient(theta):
    """The gradient of the smooth part at θ, by autograd: (∂/∂θ0, ∂/∂θ1, …, ∂/∂θd)."""
    set_theta(theta)
    model.zero_grad()
    w = model.weight
    (data_term(model(Z), y) + L2 / 2 * (w * w).sum()).backward()
    return torch.cat([model.bias.grad, model.weight.grad.flatten()])"#,
        );
    }
    if p.proximal() {
        prox_function(&mut py);
    }
    if p.first_order() {
        torch_first_order(p, &mut py);
    } else {
        torch_written_out(p, &mut py);
    }
    result_section(p, &mut py);
    tidy(&py.out)
}

/// The torch.optim constructor of a first-order optimizer.
fn torch_optimizer(optimizer: Optimizer) -> String {
    match optimizer {
        Optimizer::Momentum { momentum } => format!("torch.optim.SGD(params, lr=LR, momentum={})", num(momentum)),
        Optimizer::Nesterov { momentum } => format!("torch.optim.SGD(params, lr=LR, momentum={}, nesterov=True)", num(momentum)),
        Optimizer::Adagrad { eps } => format!("torch.optim.Adagrad(params, lr=LR, eps={})", num(eps)),
        Optimizer::RmsProp { alpha, eps } => format!("torch.optim.RMSprop(params, lr=LR, alpha={}, eps={})", num(alpha), num(eps)),
        Optimizer::Adam { beta1, beta2, eps } => {
            format!("torch.optim.Adam(params, lr=LR, betas=({}, {}), eps={})", num(beta1), num(beta2), num(eps))
        }
        // Every variant by name (see numpy_update); Newton and CG never come here.
        Optimizer::Sgd | Optimizer::Newton | Optimizer::Cg => "torch.optim.SGD(params, lr=LR)".into(),
    }
}

fn torch_plateau(p: &Plan, py: &mut Py, holder: &str) {
    if let (true, RateRule::Plateau { factor, patience, threshold, cooldown, min_lr }) = (p.plateau(), p.config.rate_rule) {
        py.blank();
        py.comment(
            "",
            "Reduce on plateau: torch's ReduceLROnPlateau, stepped with the full data's J after every update of a \
             full-batch run, after every epoch of a mini-batch one, as on the page.",
        );
        py.line("plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(");
        py.line(format!(
            "    {holder}, mode=\"min\", factor={}, patience={patience}, threshold={}, threshold_mode=\"rel\",",
            num(factor),
            num(threshold)
        ));
        py.line(format!("    cooldown={cooldown}, min_lr={}, eps={},", num(min_lr), num(PLATEAU_EPS)));
        py.line(")");
    }
}

fn torch_first_order(p: &Plan, py: &mut Py) {
    let config = p.config;
    py.section(&format!("The optimizer: {}.", optimizer_words(config.optimizer)));
    py.line(format!("LR = {}", num(config.learning_rate)));
    if p.reg.l2_weight() > 0.0 {
        py.line("params = [");
        py.line("    # The L2 part as weight decay on the slopes alone: (λ2/2)·Σθj² adds λ2·θj to their gradient.");
        py.line("    {\"params\": [model.weight], \"weight_decay\": L2},");
        py.line("    {\"params\": [model.bias], \"weight_decay\": 0.0},  # the intercept is never penalized");
        py.line("]");
    } else {
        py.line("params = model.parameters()");
    }
    py.line(format!("optimizer = {}", torch_optimizer(config.optimizer)));
    if p.torch_scheduler() {
        py.blank();
        match config.schedule {
            Schedule::StepDecay { gamma, step_size } => {
                py.comment("", &format!("The schedule: {}.", schedule_words(config.schedule)));
                py.line(format!(
                    "scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size={step_size}, gamma={})",
                    num(gamma)
                ));
            }
            Schedule::Exponential { gamma } => {
                py.comment("", &format!("The schedule: {}.", schedule_words(config.schedule)));
                py.line(format!("scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma={})", num(gamma)));
            }
            Schedule::InverseTime { decay } => {
                py.comment("", &format!("The schedule: {}.", schedule_words(config.schedule)));
                py.line(format!("DECAY = {}", num(decay)));
                py.line("scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda t: 1 / (1 + DECAY * t))");
            }
            Schedule::Cosine { total_steps } => {
                py.comment(
                    "",
                    "The schedule: cosine annealing to 0 over T_MAX updates. torch's CosineAnnealingLR rises again \
                     after T_max (its period is 2·T_max); the page holds the rate at 0 after T_MAX, so the script \
                     stops stepping the scheduler there.",
                );
                py.line(format!("T_MAX = {total_steps}"));
                py.line("scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=T_MAX, eta_min=0.0)");
            }
            Schedule::Constant => {}
        }
    }
    torch_plateau(p, py, "optimizer");
    if p.scheduled() && !p.torch_scheduler() {
        schedule_function(p, py);
    }
    if let Some((up, down)) = p.bold() {
        py.section(
            "The bold driver, as the page does it: a tentative update at the current rate, kept when J does not grow \
             (the rate times UP), undone otherwise (θ and the optimizer's state as they were, the rate times DOWN).",
        );
        py.line(format!("UP, DOWN = {}, {}", num(up), num(down)));
    }
    if p.l1() {
        py.blank();
        if p.proximal() {
            py.comment(
                "",
                "The L1 part: the page's plain gradient descent applies it by its proximal step, soft-thresholding each \
                 slope at η·λ1 after the gradient step, which lands on exact zeros. torch's autograd of λ1·Σ|θj| \
                 added to the loss gives its subgradient λ1·sign(θj) instead: another method, whose θ hovers around \
                 0 and differs from the page's. PROXIMAL = False runs that.",
            );
            py.line("PROXIMAL = True");
        } else {
            py.comment(
                "",
                "The L1 part is added to the loss: torch's autograd gives its subgradient λ1·sign(θj), sign(0) = 0, which \
                 is what the page gives this optimizer (the page's plain gradient descent, unlike it, soft-thresholds).",
            );
        }
    }
    if !p.full() {
        minibatch_note(
            p,
            py,
            "torch's DataLoader, shuffled each epoch by a torch.Generator seeded with the run's seed, the last batch \
             of an epoch short when the batch size does not divide n (as on the page).",
        );
        py.code(
            r#"loader = DataLoader(TensorDataset(Z, y), batch_size=BATCH_SIZE, shuffle=True,
                    generator=torch.Generator().manual_seed(SEED))
batches = iter(loader)


def next_batch():
    """The next batch of the epoch (a new shuffle at the start of each)."""
    global batches
    try:
        return next(batches)
    except StopIteration:
        batches = iter(loader)
        return next(batches)"#,
        );
    }

    py.section(&format!("The run: {} updates, as many as the page's run {} has taken.", p.updates, p.number));
    py.line(format!("UPDATES = {}", p.updates));
    py.line("theta = get_theta()");
    divergence_constant(py);
    if p.bold().is_some() {
        py.line("rate = LR  # the bold driver's rate");
    }
    if !p.full() && p.plateau() {
        py.line("seen = 0  # points used so far, for the epochs");
    }
    py.line("for t in range(UPDATES):");
    let set_groups = "    for group in optimizer.param_groups:\n        group[\"lr\"] = lr";
    if p.bold().is_some() {
        py.line(rate_line(p));
        py.code(set_groups);
    } else if p.plateau() && p.scheduled() {
        py.line("    rate = optimizer.param_groups[0][\"lr\"]  # ReduceLROnPlateau's rate");
        py.line("    lr = rate * schedule(t)");
        py.code(set_groups);
    } else if p.proximal() {
        py.line("    lr = optimizer.param_groups[0][\"lr\"]");
    }
    if p.bold().is_some() {
        py.line("    before = loss(theta)");
        if p.stateful() {
            py.line("    saved = copy.deepcopy(optimizer.state_dict())");
        }
    }
    let (inputs, targets) = if p.full() { ("Z", "y") } else { ("inputs", "targets") };
    if !p.full() {
        py.line("    inputs, targets = next_batch()");
    }
    py.line("    optimizer.zero_grad()");
    py.line(format!("    batch_loss = data_term(model({inputs}), {targets})"));
    if p.l1() {
        if p.proximal() {
            py.line("    if not PROXIMAL:");
            py.line("        batch_loss = batch_loss + L1 * model.weight.abs().sum()");
        } else {
            py.line("    batch_loss = batch_loss + L1 * model.weight.abs().sum()");
        }
    }
    py.line("    batch_loss.backward()");
    py.line("    optimizer.step()");
    if p.proximal() {
        py.line("    if PROXIMAL:");
        py.line("        set_theta(prox(get_theta(), lr))");
    }
    if p.plateau() && p.scheduled() {
        py.line("    for group in optimizer.param_groups:");
        py.line("        group[\"lr\"] = rate");
    }
    if !p.full() && p.plateau() {
        py.line("    epochs_before = seen // n");
        py.line(format!("    seen += len({targets})"));
    }
    py.line("    theta_next = get_theta()");
    py.line("    J_next = loss(theta_next)");
    if p.bold().is_some() {
        py.line("    if J_next <= before:  # kept");
        py.line("        rate = min(rate * UP, sys.float_info.max)");
        py.line("    else:  # undone");
        py.line("        rate = min(rate * DOWN, sys.float_info.max)");
        if p.stateful() {
            py.line("        optimizer.load_state_dict(saved)");
        }
        py.line("        theta_next, J_next = theta, before");
        py.line("        set_theta(theta)");
    }
    update_end(p, py, "set_theta(theta)");
    if p.torch_scheduler() {
        // After the divergence test's break: the next update's rate.
        let step = if matches!(config.schedule, Schedule::Cosine { .. }) {
            "    if scheduler.last_epoch < T_MAX:  # held at 0 after T_MAX, as on the page\n        scheduler.step()"
        } else {
            "    scheduler.step()"
        };
        py.code(step);
    }
}

fn torch_written_out(p: &Plan, py: &mut Py) {
    let config = p.config;
    if p.search() {
        py.section(&format!(
            "Gradient descent with a line search, written out: {}; then, with an L1 part, its proximal step (as on \
             the page).",
            search_words(config.line_search)
        ));
        py.line(format!("LR = {}  # η₀ of the searches that start from the learning rate", num(config.learning_rate)));
        if p.needs_hessian() {
            hessian_block(p, py);
        }
        line_search_block(p, py);
    } else if config.optimizer == Optimizer::Newton {
        py.section("Newton's method, written out (torch.optim has none): θ ← θ − η·H⁻¹∇J(θ).");
        py.line(format!("LR = {}", num(config.learning_rate)));
        hessian_block(p, py);
        newton_block(py);
        if p.plateau() {
            py.blank();
            py.comment("", "ReduceLROnPlateau needs an optimizer to hold the rate: a placeholder, never stepped.");
            py.line("rate_holder = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=LR)");
            torch_plateau(p, py, "rate_holder");
        }
    } else {
        py.section("Linear conjugate gradient on the quadratic J, written out (torch.optim has none): its own step α.");
        py.line(format!("LR = {}  # unused by CG", num(config.learning_rate)));
        hessian_block(p, py);
        cg_block(py);
    }
    if p.scheduled() {
        schedule_function(p, py);
    }

    run_head(p, py, "torch.tensor", "ReduceLROnPlateau's rate", None);
    written_out_step(p, py);
    py.line("    J_next = loss(theta_next)");
    update_end(p, py, "");
    py.line("set_theta(theta)");
}
