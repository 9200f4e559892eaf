//! The exported scripts (Export ▾ → Copy as NumPy, Copy as PyTorch; `gdviz::session::script`)
//! run in Python against the core: each case builds a session, steps it, writes run 1's script,
//! and runs it; a full-batch script must end on the core's θ and J to 1e-9, relative. The cases
//! cover every optimizer, schedule, rate rule, line search and penalty, the mse convention, a
//! standardized polynomial and two feature columns; a mini-batch script runs and ends finite, and
//! a data set of more than 10,000 rows is read from the CSV the page's Export data writes.
//!
//! Python: `GDVIZ_PYTHON`, else the repository's `.venv/bin/python` (`make setup-python` makes
//! it, with numpy); without either the tests fail and say so. The PyTorch scripts' tests are
//! ignored by default: `make test-torch` installs torch into the same environment and runs them
//! (`cargo test --test scripts -- --ignored`). All the cases of a test share one
//! Python process. `GDVIZ_KEEP_SCRIPTS=DIR` keeps a copy of the scripts in DIR.

use gdviz::descent::optimizer::Optimizer;
use gdviz::descent::run::RunConfig;
use gdviz::descent::schedule::Schedule;
use gdviz::descent::step_size::{LineSearch, RateRule};
use gdviz::least_squares::csv_io::write_table;
use gdviz::least_squares::data::{self, Dataset, GeneratorSettings};
use gdviz::least_squares::features::{Features, LossConvention};
use gdviz::session::script::{script, script_with, DataFile, ScriptKind, DATA_FILE, MAX_INLINE_ROWS};
use gdviz::{Regularization, Session, Theta};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

/// Relative agreement of a full-batch script with the core.
const TOLERANCE: f64 = 1e-9;

// ---------------------------------------------------------------------------------------------
// Python

/// The Python to run the scripts with: `GDVIZ_PYTHON`, else `.venv/bin/python`; a failure that
/// names `make setup-python` when neither exists.
fn python() -> PathBuf {
    if let Some(path) = std::env::var_os("GDVIZ_PYTHON") {
        let path = PathBuf::from(path);
        assert!(path.exists(), "GDVIZ_PYTHON={} does not exist", path.display());
        return path;
    }
    let venv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python");
    assert!(
        venv.exists(),
        "no Python to run the exported scripts: {} is missing. Run `make setup-python` (a virtual environment \
         with numpy), or set GDVIZ_PYTHON to a Python that has numpy",
        venv.display()
    );
    venv
}

/// What one script printed last: θ and J, or the error.
type Outcome = Result<(Vec<f64>, f64), String>;

/// The driver: runs each case's `script.py` in its own folder (where its CSV is) in this one
/// process, and prints the case's name and its last line; then the versions of numpy and torch.
const DRIVER: &str = r#"
import contextlib, io, json, os, runpy, sys, traceback
base = sys.argv[1]
for name in sys.argv[2:]:
    os.chdir(os.path.join(base, name))
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            runpy.run_path("script.py", run_name="__main__")
        lines = out.getvalue().strip().splitlines()
        print(name + "\t" + (lines[-1] if lines else "no output"), flush=True)
    except BaseException:
        print(name + "\tERROR " + json.dumps(traceback.format_exc()), flush=True)
for module in ("numpy", "torch"):
    if module in sys.modules:
        print("version\t" + module + " " + sys.modules[module].__version__, flush=True)
"#;

/// One script to run: its case's name, its text and the CSV file beside it, if any.
struct Job {
    name: String,
    script: String,
    csv: Option<String>,
}

/// Runs every job in one Python process; each case's outcome, and the versions printed.
fn run_python(jobs: &[Job]) -> (BTreeMap<String, Outcome>, Vec<String>) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for job in jobs {
        let folder = dir.path().join(&job.name);
        std::fs::create_dir(&folder).unwrap();
        std::fs::write(folder.join("script.py"), &job.script).unwrap();
        if let Some(csv) = &job.csv {
            std::fs::write(folder.join(DATA_FILE), csv).unwrap();
        }
    }
    // GDVIZ_KEEP_SCRIPTS=DIR keeps a copy of the scripts, to read or run by hand.
    if let Some(keep) = std::env::var_os("GDVIZ_KEEP_SCRIPTS") {
        for job in jobs {
            let folder = PathBuf::from(&keep).join(&job.name);
            std::fs::create_dir_all(&folder).unwrap();
            std::fs::write(folder.join("script.py"), &job.script).unwrap();
        }
    }
    let driver = dir.path().join("driver.py");
    std::fs::write(&driver, DRIVER).unwrap();
    let output = Command::new(python())
        .arg(&driver)
        .arg(dir.path())
        .args(jobs.iter().map(|j| &j.name))
        .output()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "python failed:\n{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
    let mut outcomes = BTreeMap::new();
    let mut versions = Vec::new();
    for line in stdout.lines() {
        let Some((name, rest)) = line.split_once('\t') else { continue };
        if name == "version" {
            versions.push(rest.to_string());
            continue;
        }
        let outcome = match serde_json::from_str::<serde_json::Value>(rest) {
            Ok(value) => {
                let theta = value["theta"].as_array().map(|a| a.iter().filter_map(|v| v.as_f64()).collect());
                match (theta, value["loss"].as_f64()) {
                    (Some(theta), Some(loss)) => Ok((theta, loss)),
                    _ => Err(format!("not {{theta, loss}}: {rest}")),
                }
            }
            Err(_) => Err(rest.replace("\\n", "\n")),
        };
        outcomes.insert(name.to_string(), outcome);
    }
    (outcomes, versions)
}

/// The largest difference of `a` from `b` relative to b's largest magnitude.
fn relative(a: &[f64], b: &[f64]) -> f64 {
    let scale = b.iter().fold(0.0_f64, |m, v| m.max(v.abs())).max(1e-300);
    if a.len() != b.len() {
        return f64::INFINITY;
    }
    a.iter().zip(b).map(|(x, y)| (x - y).abs() / scale).fold(0.0, f64::max)
}

// ---------------------------------------------------------------------------------------------
// The cases

/// A case: a session stepped by the core.
struct Case {
    name: &'static str,
    session: Session,
}

fn line(preset: &str) -> Dataset {
    data::preset(preset).unwrap().settings.generate().unwrap()
}

fn cubic() -> Dataset {
    let mut columns = data::feature_preset("cubic").unwrap().generate(60, 0.3, 1).unwrap();
    let ys = columns.pop().unwrap();
    Dataset::with_features(columns, ys, Features::Powers { degree: 3 }).unwrap()
}

fn two_features() -> Dataset {
    let mut columns = data::feature_preset("two-features").unwrap().generate(100, 1.0, 1).unwrap();
    let ys = columns.pop().unwrap();
    Dataset::with_features(columns, ys, Features::Columns).unwrap()
}

/// The settings of a case: full-batch `optimizer` at `lr`, changed by `change`.
fn config(data: &Dataset, lr: f64, optimizer: &str, change: impl FnOnce(&mut RunConfig)) -> RunConfig {
    let mut c = RunConfig { optimizer: Optimizer::with_defaults(optimizer).unwrap(), ..RunConfig::full_batch(lr, data.len()) };
    change(&mut c);
    c
}

/// A session on `data`, standardized or not, stepped `updates` times from a start off the origin.
fn stepped(data: Dataset, reg: Regularization, loss: LossConvention, standardize: bool, config: RunConfig, updates: u64) -> Session {
    let d = data.features();
    let start: Vec<f64> = (0..=d).map(|k| 0.5 - 0.25 * k as f64).collect();
    let mut session = Session::with_loss(data, reg, loss, config, Theta::from_slice("start", &start).unwrap()).unwrap();
    session.set_standardize(standardize).unwrap();
    session.step(updates);
    session
}

fn case(name: &'static str, data: Dataset, lr: f64, optimizer: &str, updates: u64, change: impl FnOnce(&mut RunConfig)) -> Case {
    let config = config(&data, lr, optimizer, change);
    Case { name, session: stepped(data, Regularization::None, LossConvention::HalfMse, false, config, updates) }
}

fn with(name: &'static str, data: Dataset, reg: Regularization, loss: LossConvention, standardize: bool, config: RunConfig, updates: u64) -> Case {
    Case { name, session: stepped(data, reg, loss, standardize, config, updates) }
}

/// The full-batch cases: every optimizer, schedule, rate rule, line search, penalty, the mse
/// convention, a standardized cubic and two columns.
fn full_batch_cases() -> Vec<Case> {
    let none = |_: &mut RunConfig| {};
    let half = LossConvention::HalfMse;
    let schedule = |s: Schedule| move |c: &mut RunConfig| c.schedule = s;
    let rule = |r: RateRule| move |c: &mut RunConfig| c.rate_rule = r;
    let search = |s: &str| {
        let s = LineSearch::with_defaults(s).unwrap();
        move |c: &mut RunConfig| c.line_search = s
    };
    let l2 = Regularization::L2 { lambda: 0.3 };
    let l1 = Regularization::L1 { lambda: 0.2 };
    let elastic = Regularization::ElasticNet { lambda: 0.3, l1_ratio: 0.5 };
    let noisy = || line("noisy");
    vec![
        case("sgd", noisy(), 0.1, "sgd", 80, none),
        case("momentum", noisy(), 0.05, "momentum", 80, none),
        case("nesterov", noisy(), 0.05, "nesterov", 80, none),
        case("adagrad", noisy(), 0.5, "adagrad", 80, none),
        case("rmsprop", noisy(), 0.02, "rmsprop", 80, none),
        case("adam", noisy(), 0.05, "adam", 80, none),
        case("diverges", noisy(), 1.0, "sgd", 200, none),
        case("newton", noisy(), 0.5, "newton", 12, none),
        case("newton-cubic", cubic(), 0.7, "newton", 12, none),
        case("cg-cubic", cubic(), 0.05, "cg", 3, none),
        case("step", noisy(), 0.2, "sgd", 60, schedule(Schedule::StepDecay { gamma: 0.5, step_size: 10 })),
        case("exponential", noisy(), 0.05, "momentum", 60, schedule(Schedule::Exponential { gamma: 0.97 })),
        case("inverse-time", noisy(), 0.2, "sgd", 60, schedule(Schedule::InverseTime { decay: 0.1 })),
        case("cosine-past-t-max", noisy(), 0.2, "sgd", 50, schedule(Schedule::Cosine { total_steps: 30 })),
        case("cosine-adam", noisy(), 0.05, "adam", 50, schedule(Schedule::Cosine { total_steps: 30 })),
        case("bold-driver", noisy(), 0.4, "sgd", 60, rule(RateRule::with_defaults("bold-driver").unwrap())),
        case("bold-driver-adam", noisy(), 0.3, "adam", 60, rule(RateRule::with_defaults("bold-driver").unwrap())),
        case("plateau", noisy(), 0.1, "sgd", 80, rule(RateRule::Plateau { factor: 0.5, patience: 2.0, threshold: 0.01, cooldown: 1.0, min_lr: 0.0 })),
        case("plateau-schedule-adam", noisy(), 0.05, "adam", 80, |c| {
            c.rate_rule = RateRule::Plateau { factor: 0.5, patience: 3.0, threshold: 0.01, cooldown: 0.0, min_lr: 0.001 };
            c.schedule = Schedule::Exponential { gamma: 0.99 };
        }),
        case("plateau-newton", noisy(), 0.3, "newton", 10, rule(RateRule::Plateau { factor: 0.5, patience: 1.0, threshold: 0.5, cooldown: 0.0, min_lr: 0.0 })),
        case("exact", noisy(), 0.1, "sgd", 30, search("exact")),
        case("armijo", noisy(), 1.0, "sgd", 30, search("armijo")),
        case("bb", noisy(), 0.1, "sgd", 20, search("bb")),
        case("polyak", noisy(), 0.1, "sgd", 20, search("polyak")),
        with("l2", noisy(), l2, half, false, config(&noisy(), 0.1, "sgd", none), 80),
        with("l2-adam", noisy(), l2, half, false, config(&noisy(), 0.05, "adam", none), 80),
        with("l1", noisy(), l1, half, false, config(&noisy(), 0.1, "sgd", none), 80),
        with("l1-adam", noisy(), l1, half, false, config(&noisy(), 0.05, "adam", none), 80),
        with("elastic-net", noisy(), elastic, half, false, config(&noisy(), 0.1, "sgd", none), 80),
        with("elastic-net-momentum", noisy(), elastic, half, false, config(&noisy(), 0.05, "momentum", none), 80),
        with("armijo-l1", noisy(), l1, half, false, config(&noisy(), 1.0, "sgd", search("armijo")), 25),
        with("mse", noisy(), l2, LossConvention::Mse, false, config(&noisy(), 0.05, "sgd", none), 80),
        with("mse-rmsprop", noisy(), Regularization::None, LossConvention::Mse, false, config(&noisy(), 0.02, "rmsprop", none), 80),
        with("cubic-standardized", cubic(), Regularization::None, half, true, config(&cubic(), 0.1, "sgd", none), 100),
        with("cubic-standardized-adam-l2", cubic(), l2, half, true, config(&cubic(), 0.05, "adam", none), 100),
        with("cubic-standardized-exact", cubic(), Regularization::None, half, true, config(&cubic(), 0.1, "sgd", search("exact")), 20),
        with("cubic-standardized-newton", cubic(), Regularization::None, LossConvention::Mse, true, config(&cubic(), 0.5, "newton", none), 6),
        with("cubic-standardized-cg", cubic(), l2, half, true, config(&cubic(), 0.1, "cg", none), 4),
        with("two-columns", two_features(), Regularization::None, half, false, config(&two_features(), 0.1, "sgd", none), 80),
        with("two-columns-nesterov-l2-mse", two_features(), l2, LossConvention::Mse, false, config(&two_features(), 0.05, "nesterov", none), 80),
        with("two-columns-standardized-adagrad", two_features(), elastic, half, true, config(&two_features(), 0.3, "adagrad", none), 80),
    ]
}

/// The mini-batch cases: they run and end finite.
fn mini_batch_cases() -> Vec<Case> {
    let noisy = line("noisy");
    let two = two_features();
    let plateau = RateRule::Plateau { factor: 0.5, patience: 1.0, threshold: 0.01, cooldown: 0.0, min_lr: 0.0 };
    vec![
        Case {
            name: "mini-batch-sgd-plateau",
            session: stepped(noisy.clone(), Regularization::L1 { lambda: 0.05 }, LossConvention::HalfMse, false,
                config(&noisy, 0.05, "sgd", |c| { c.batch_size = 16; c.rate_rule = plateau; }), 60),
        },
        Case {
            name: "mini-batch-adam-bold",
            session: stepped(two.clone(), Regularization::L2 { lambda: 0.1 }, LossConvention::Mse, true,
                config(&two, 0.05, "adam", |c| {
                    c.batch_size = 30;
                    c.rate_rule = RateRule::with_defaults("bold-driver").unwrap();
                    c.schedule = Schedule::Exponential { gamma: 0.98 };
                }), 50),
        },
    ]
}

/// Run 1's scripts of `cases` for `kind`, run; the failures, the worst differences and versions.
fn check_full_batch(kind: ScriptKind) -> (Vec<String>, f64, f64, Vec<String>) {
    let cases = full_batch_cases();
    let jobs: Vec<Job> = cases
        .iter()
        .map(|c| Job { name: c.name.to_string(), script: script(&c.session, 0, kind).unwrap(), csv: None })
        .collect();
    let (outcomes, versions) = run_python(&jobs);
    let (mut failures, mut worst_theta, mut worst_loss) = (Vec::new(), 0.0_f64, 0.0_f64);
    for case in &cases {
        let report = &case.session.reports()[0];
        assert!(report.iteration > 0, "{}: the core took no update", case.name);
        println!("{:<36} {:>4} updates, {:<9} lr {:.3e}", case.name, report.iteration, report.status.as_str(), report.lr_effective);
        match outcomes.get(case.name) {
            Some(Ok((theta, loss))) => {
                let (dt, dl) = (relative(theta, report.theta.as_slice()), (loss - report.loss).abs() / report.loss.abs().max(1e-300));
                worst_theta = worst_theta.max(dt);
                worst_loss = worst_loss.max(dl);
                if !(dt <= TOLERANCE && dl <= TOLERANCE) {
                    failures.push(format!(
                        "{}: θ {theta:?} J {loss} against the core's θ {:?} J {} after {} updates ({:.1e}, {:.1e} relative)",
                        case.name, report.theta, report.loss, report.iteration, dt, dl
                    ));
                }
            }
            Some(Err(error)) => failures.push(format!("{}: {error}", case.name)),
            None => failures.push(format!("{}: no output", case.name)),
        }
    }
    (failures, worst_theta, worst_loss, versions)
}

fn check_mini_batch(kind: ScriptKind) -> Vec<String> {
    let cases = mini_batch_cases();
    let jobs: Vec<Job> = cases
        .iter()
        .map(|c| Job { name: c.name.to_string(), script: script(&c.session, 0, kind).unwrap(), csv: None })
        .collect();
    let (outcomes, _) = run_python(&jobs);
    let mut failures = Vec::new();
    for case in &cases {
        let report = &case.session.reports()[0];
        match outcomes.get(case.name) {
            Some(Ok((theta, loss))) => {
                let start_loss = case.session.objective().loss(case.session.theta_start());
                let fine = theta.len() == report.theta.len() && theta.iter().all(|v| v.is_finite()) && loss.is_finite() && *loss < start_loss;
                if !fine {
                    failures.push(format!("{}: θ {theta:?} J {loss} (J at the start {start_loss})", case.name));
                }
            }
            Some(Err(error)) => failures.push(format!("{}: {error}", case.name)),
            None => failures.push(format!("{}: no output", case.name)),
        }
    }
    failures
}

/// 12,000 rows of three x columns (the model fits the first and the third) and y; the CSV the
/// page's Export data writes of them; a session stepped on the fitted columns, standardized.
fn large_case() -> (Session, DataFile, String) {
    let settings = GeneratorSettings { points: MAX_INLINE_ROWS + 2_000, ..data::PRESETS[1].settings };
    let base = settings.generate().unwrap();
    let xs = base.xs().to_vec();
    let other: Vec<f64> = xs.iter().enumerate().map(|(i, x)| x * 0.5 + ((i * 37) % 11) as f64 * 0.1).collect();
    let unused: Vec<f64> = (0..xs.len()).map(|i| i as f64).collect();
    let ys = base.ys().to_vec();
    let names = ["x_a", "unused", "x_b", "y"];
    let csv = write_table(&names, &[&xs, &unused, &other, &ys]);
    let data = Dataset::with_features(vec![xs, other], ys, Features::Columns).unwrap();
    let config = config(&data, 0.05, "momentum", |_| {});
    let session = stepped(data, Regularization::L2 { lambda: 0.01 }, LossConvention::HalfMse, true, config, 40);
    let file = DataFile { file: DATA_FILE.into(), names: names.iter().map(|s| s.to_string()).collect(), fitted: vec![0, 2] };
    (session, file, csv)
}

fn check_large(kind: ScriptKind) -> Vec<String> {
    let (session, file, csv) = large_case();
    let text = script_with(&session, 0, kind, &file).unwrap();
    let mut failures = Vec::new();
    if !text.contains("DATA_CSV = \"gdviz-data.csv\"") || text.len() > 100_000 {
        failures.push(format!("the script of {} rows does not read {DATA_FILE} ({} bytes)", session.data().len(), text.len()));
    }
    let (outcomes, _) = run_python(&[Job { name: "large".into(), script: text, csv: Some(csv) }]);
    let report = &session.reports()[0];
    match outcomes.get("large") {
        Some(Ok((theta, loss))) => {
            let (dt, dl) = (relative(theta, report.theta.as_slice()), (loss - report.loss).abs() / report.loss);
            if !(dt <= TOLERANCE && dl <= TOLERANCE) {
                failures.push(format!("large: θ {theta:?} J {loss} against {:?} {} ({dt:.1e}, {dl:.1e})", report.theta, report.loss));
            }
        }
        Some(Err(error)) => failures.push(format!("large: {error}")),
        None => failures.push("large: no output".into()),
    }
    failures
}

// ---------------------------------------------------------------------------------------------
// NumPy

#[test]
fn numpy_scripts_reproduce_full_batch_runs() {
    let (failures, worst_theta, worst_loss, versions) = check_full_batch(ScriptKind::NumPy);
    println!("{}: worst relative difference θ {worst_theta:.2e}, J {worst_loss:.2e}", versions.join(", "));
    assert!(failures.is_empty(), "NumPy scripts against the core:\n  {}", failures.join("\n  "));
}

#[test]
fn a_numpy_mini_batch_script_runs_and_ends_finite() {
    let failures = check_mini_batch(ScriptKind::NumPy);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_numpy_script_of_more_than_10000_rows_reads_the_exported_csv() {
    let failures = check_large(ScriptKind::NumPy);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// The scripts' text

#[test]
fn the_pytorch_script_uses_torchs_own_classes() {
    let data = line("noisy");
    let n = data.len();
    let text = |reg, loss, change: &dyn Fn(&mut RunConfig)| {
        let mut c = RunConfig::full_batch(0.05, n);
        change(&mut c);
        let session = stepped(data.clone(), reg, loss, false, c, 3);
        script(&session, 0, ScriptKind::PyTorch).unwrap()
    };
    let plain = text(Regularization::L2 { lambda: 0.1 }, LossConvention::HalfMse, &|c| {
        c.optimizer = Optimizer::with_defaults("adam").unwrap();
        c.schedule = Schedule::StepDecay { gamma: 0.5, step_size: 10 };
    });
    for needle in [
        "torch.set_default_dtype(torch.float64)",
        "model = nn.Linear(d, 1)",
        "mse = nn.MSELoss()",
        "return 0.5 * mse(prediction, target)",
        "{\"params\": [model.weight], \"weight_decay\": L2}",
        "{\"params\": [model.bias], \"weight_decay\": 0.0}",
        "torch.optim.Adam(params, lr=LR, betas=(0.9, 0.999), eps=1e-8)",
        "torch.optim.lr_scheduler.StepLR(optimizer, step_size=10, gamma=0.5)",
        "THETA_START = [0.5, 0.25]",
        "print(json.dumps({\"theta\": theta.tolist(), \"loss\": float(loss(theta))}))",
    ] {
        assert!(plain.contains(needle), "no {needle:?} in\n{plain}");
    }
    let mse = text(Regularization::L1 { lambda: 0.1 }, LossConvention::Mse, &|c| {
        c.schedule = Schedule::Cosine { total_steps: 20 };
    });
    for needle in ["return mse(prediction, target)", "CosineAnnealingLR(optimizer, T_max=T_MAX", "if scheduler.last_epoch < T_MAX", "PROXIMAL = True"] {
        assert!(mse.contains(needle), "no {needle:?} in\n{mse}");
    }
    let inverse = text(Regularization::None, LossConvention::HalfMse, &|c| c.schedule = Schedule::InverseTime { decay: 0.1 });
    assert!(inverse.contains("LambdaLR(optimizer, lambda t: 1 / (1 + DECAY * t))"));
    let exponential = text(Regularization::None, LossConvention::HalfMse, &|c| c.schedule = Schedule::Exponential { gamma: 0.9 });
    assert!(exponential.contains("ExponentialLR(optimizer, gamma=0.9)"));
    let plateau = text(Regularization::None, LossConvention::HalfMse, &|c| c.rate_rule = RateRule::with_defaults("plateau").unwrap());
    assert!(plateau.contains("ReduceLROnPlateau(\n    optimizer, mode=\"min\", factor=0.1, patience=10,"));
    let mini = text(Regularization::None, LossConvention::HalfMse, &|c| {
        c.batch_size = 10;
        c.seed = 7;
    });
    assert!(mini.contains("DataLoader(TensorDataset(Z, y), batch_size=BATCH_SIZE, shuffle=True"));
    assert!(mini.contains("generator=torch.Generator().manual_seed(SEED)") && mini.contains("SEED = 7"));
    assert!(mini.contains("another order"));
}

#[test]
fn the_data_is_inline_to_the_last_bit_up_to_10000_rows() {
    let xs: Vec<f64> = (0..MAX_INLINE_ROWS).map(|i| 0.1 * i as f64 + 1e-7).collect();
    let ys: Vec<f64> = xs.iter().map(|x| 1.0 / 3.0 + x).collect();
    let data = Dataset::new(xs.clone(), ys.clone()).unwrap();
    let session = Session::new(data, Regularization::None, RunConfig::full_batch(1e-3, xs.len()), Theta::default()).unwrap();
    for kind in [ScriptKind::NumPy, ScriptKind::PyTorch] {
        let text = script(&session, 0, kind).unwrap();
        assert!(!text.contains("DATA_CSV"), "{kind:?}: {MAX_INLINE_ROWS} rows are inline");
        assert!(text.contains(&format!("    [{:?}, {:?}],", xs[1], ys[1])));
        assert!(text.contains(&format!("    [{:?}, {:?}],", xs[9_999], ys[9_999])));
        assert!(text.contains("UPDATES = 0"));
    }
}

#[test]
fn a_run_that_does_not_exist_is_refused() {
    let data = line("clean");
    let session = Session::new(data.clone(), Regularization::None, RunConfig::full_batch(0.05, data.len()), Theta::default()).unwrap();
    assert!(script(&session, 1, ScriptKind::NumPy).is_err());
    assert!(ScriptKind::named("julia").is_err());
    assert_eq!(ScriptKind::named("numpy").unwrap().file_name(), "gdviz-run-numpy.py");
    assert_eq!(ScriptKind::named("pytorch").unwrap().file_name(), "gdviz-run.py");
}

// ---------------------------------------------------------------------------------------------
// PyTorch (`make test-torch`)

/// Fails with the way to install torch when it is missing.
fn require_torch() {
    let ok = Command::new(python()).args(["-c", "import torch"]).status().is_ok_and(|s| s.success());
    assert!(ok, "torch is not installed in {}: run `make test-torch` (it installs it)", python().display());
}

#[test]
#[ignore = "needs torch: make test-torch"]
fn pytorch_scripts_reproduce_full_batch_runs() {
    require_torch();
    let (failures, worst_theta, worst_loss, versions) = check_full_batch(ScriptKind::PyTorch);
    println!(
        "{}: {} cases, worst relative difference θ {worst_theta:.2e}, J {worst_loss:.2e}",
        versions.join(", "),
        full_batch_cases().len()
    );
    assert!(failures.is_empty(), "PyTorch scripts against the core:\n  {}", failures.join("\n  "));
}

#[test]
#[ignore = "needs torch: make test-torch"]
fn a_pytorch_mini_batch_script_runs_and_ends_finite() {
    require_torch();
    let failures = check_mini_batch(ScriptKind::PyTorch);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
#[ignore = "needs torch: make test-torch"]
fn a_pytorch_script_of_more_than_10000_rows_reads_the_exported_csv() {
    require_torch();
    let failures = check_large(ScriptKind::PyTorch);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
