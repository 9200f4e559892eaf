//! The `gdviz` binary, run as a user runs it, on small data sets whose answers are worked out by
//! hand below (never taken from the code's own output).
//!
//! The line data set: (0,1), (1,3), (2,5), (3,7), exactly on y = 1 + 2x. With n = 4:
//!   x̄ = 1.5, ȳ = 4,
//!   Sxx = mean((x − x̄)²) = (2.25 + 0.25 + 0.25 + 2.25)/4 = 1.25,
//!   Sxy = mean((x − x̄)(y − ȳ)) = (4.5 + 0.5 + 0.5 + 4.5)/4 = 2.5,
//!   Syy = mean((y − ȳ)²) = (9 + 1 + 1 + 9)/4 = 5, mean(x²) = (0 + 1 + 4 + 9)/4 = 3.5.
//! The intercept is free, so θ0* = ȳ − θ1*·x̄ and θ1* = S(Sxy, λ1)/(Sxx + λ2) (S the soft
//! threshold), and at θ* the data term is ½·Sxx·(θ1* − 2)² (the points lie on the line).
//! Hessian of the smooth part: [[1, x̄], [x̄, mean(x²) + λ2]] = [[1, 1.5], [1.5, 3.5 + λ2]], with
//! eigenvalues m ± √(((1 − h11)/2)² + 1.5²), m = (1 + h11)/2; η_crit = 2/λ_max.

use approx::assert_abs_diff_eq;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A directory of CSV files for one test.
struct Files {
    dir: tempfile::TempDir,
}

impl Files {
    fn new() -> Self {
        Files { dir: tempfile::tempdir().expect("a temporary directory") }
    }
    /// Writes `contents` to `name` and returns its path as a string.
    fn write(&self, name: &str, contents: &[u8]) -> String {
        let path: PathBuf = self.dir.path().join(name);
        std::fs::write(&path, contents).expect("writing a test file");
        path.to_str().expect("a UTF-8 temp path").to_string()
    }
    /// The line data set y = 1 + 2x, with a header.
    fn line(&self) -> String {
        self.write("line.csv", b"x,y\n0,1\n1,3\n2,5\n3,7\n")
    }
}

fn gdviz(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gdviz")).args(args).output().expect("running gdviz")
}

/// Runs a command that must succeed and print one JSON object.
fn json(args: &[&str]) -> Value {
    let out = gdviz(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "gdviz {args:?} failed: {stderr}");
    assert!(stderr.is_empty(), "gdviz {args:?} wrote to stderr: {stderr}");
    let value: Value = serde_json::from_slice(&out.stdout).expect("valid JSON on stdout");
    assert!(value.is_object(), "one JSON object");
    value
}

/// Runs a command that must fail with status 2, nothing on stdout, and one line on stderr;
/// returns that line.
fn fails(args: &[&str]) -> String {
    let out = gdviz(args);
    assert_eq!(out.status.code(), Some(2), "gdviz {args:?} should exit with 2");
    assert!(out.stdout.is_empty(), "gdviz {args:?} printed to stdout");
    let stderr = String::from_utf8(out.stderr).expect("UTF-8 stderr");
    assert!(stderr.ends_with('\n') && stderr.lines().count() == 1, "one line, got {stderr:?}");
    stderr.trim_end().to_string()
}

fn num(value: &Value, key: &str) -> f64 {
    value[key].as_f64().unwrap_or_else(|| panic!("{key} should be a number in {value}"))
}

/// Checks θ, J and the optimum of a `solve` output against the expected θ* and J(θ*).
fn assert_solution(out: &Value, theta0: f64, theta1: f64, loss: f64) {
    for value in [out, &out["optimum"]] {
        assert_abs_diff_eq!(num(value, "theta0"), theta0, epsilon = 1e-12);
        assert_abs_diff_eq!(num(value, "theta1"), theta1, epsilon = 1e-12);
        assert_abs_diff_eq!(num(value, "loss"), loss, epsilon = 1e-12);
    }
    assert!(out.get("optimum_error").is_none());
}

/// Checks the eigenvalues, condition number and critical rate for H = [[1, 1.5], [1.5, h11]].
fn assert_curvature(out: &Value, h11: f64) {
    let m = (1.0 + h11) / 2.0;
    let r = (((1.0 - h11) / 2.0).powi(2) + 1.5 * 1.5).sqrt();
    let (low, high) = (m - r, m + r);
    let eigenvalues = out["hessian_eigenvalues"].as_array().expect("an array");
    assert_eq!(eigenvalues.len(), 2);
    assert_abs_diff_eq!(eigenvalues[0].as_f64().unwrap(), low, epsilon = 1e-12);
    assert_abs_diff_eq!(eigenvalues[1].as_f64().unwrap(), high, epsilon = 1e-12);
    assert_abs_diff_eq!(num(out, "condition_number"), high / low, epsilon = 1e-9);
    assert_abs_diff_eq!(num(out, "lr_critical"), 2.0 / high, epsilon = 1e-12);
}

// ---------------------------------------------------------------------------------------------
// solve

#[test]
fn solve_without_regularization_finds_the_line() {
    let files = Files::new();
    let out = json(&["solve", "--csv", &files.line()]);
    // θ1* = Sxy/Sxx = 2, θ0* = 4 − 2·1.5 = 1, J = 0 (every point on the line).
    assert_solution(&out, 1.0, 2.0, 0.0);
    // H = [[1, 1.5], [1.5, 3.5]]: λ = 2.25 ± √(1.5625 + 2.25) = 2.25 ± √3.8125.
    assert_abs_diff_eq!(out["hessian_eigenvalues"][1].as_f64().unwrap(), 2.25 + 3.8125f64.sqrt(), epsilon = 1e-12);
    assert_curvature(&out, 3.5);
    let mut keys: Vec<&str> = out.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        ["condition_number", "features", "hessian_eigenvalues", "loss", "loss_convention", "lr_critical", "optimum", "theta", "theta0", "theta1"]
    );
    // Every coefficient, θ0 first, and the feature's name (x1 without a header's).
    assert_eq!(out["theta"], serde_json::json!([out["theta0"], out["theta1"]]));
    assert_eq!(out["optimum"]["theta"], serde_json::json!([out["optimum"]["theta0"], out["optimum"]["theta1"]]));
    assert_eq!(out["features"].as_array().unwrap().len(), 1);
}

#[test]
fn solve_with_l2() {
    let files = Files::new();
    let out = json(&["solve", "--csv", &files.line(), "--reg", "l2", "--lambda", "0.25"]);
    // θ1* = 2.5/(1.25 + 0.25) = 5/3, θ0* = 4 − 1.5·5/3 = 1.5;
    // J = ½·1.25·(5/3 − 2)² + (0.25/2)·(5/3)² = 5/72 + 25/72 = 5/12.
    assert_solution(&out, 1.5, 5.0 / 3.0, 5.0 / 12.0);
    assert_curvature(&out, 3.75);
}

#[test]
fn solve_with_l1() {
    let files = Files::new();
    let out = json(&["solve", "--csv", &files.line(), "--reg", "l1", "--lambda", "0.5"]);
    // θ1* = (2.5 − 0.5)/1.25 = 1.6, θ0* = 4 − 1.5·1.6 = 1.6;
    // J = ½·1.25·0.4² + 0.5·1.6 = 0.1 + 0.8 = 0.9. No smooth penalty: H as without one.
    assert_solution(&out, 1.6, 1.6, 0.9);
    assert_curvature(&out, 3.5);

    // λ = 3 ≥ Sxy: the slope is thresholded to exactly 0, θ0* = ȳ = 4, J = ½·Syy = 2.5.
    let out = json(&["solve", "--csv", &files.line(), "--reg", "l1", "--lambda", "3"]);
    assert_solution(&out, 4.0, 0.0, 2.5);
}

#[test]
fn solve_with_elastic_net() {
    let files = Files::new();
    let args = ["solve", "--csv", &files.line(), "--reg", "elastic-net", "--lambda", "1", "--l1-ratio", "0.5"];
    let out = json(&args);
    // λ1 = λ2 = 0.5: θ1* = (2.5 − 0.5)/(1.25 + 0.5) = 8/7, θ0* = 4 − 1.5·8/7 = 16/7;
    // J = ½·1.25·(8/7 − 2)² + 1·(0.5·8/7 + 0.25·(8/7)²) = 22.5/49 + 44/49 = 133/98.
    assert_solution(&out, 16.0 / 7.0, 8.0 / 7.0, 133.0 / 98.0);
    // h11 = 3.5 + 0.5 = 4: λ = 2.5 ± √(2.25 + 2.25) = 2.5 ± 1.5·√2.
    assert_curvature(&out, 4.0);
}

#[test]
fn solve_reports_a_non_unique_optimum_as_null_with_the_reason() {
    let files = Files::new();
    // All x equal: every line through (2, 2) fits equally well.
    let path = files.write("vertical.csv", b"2,1\n2,3\n");
    let out = json(&["solve", "--csv", &path]);
    for key in ["theta0", "theta1", "loss", "optimum", "condition_number"] {
        assert!(out[key].is_null(), "{key} should be null in {out}");
    }
    assert!(out["optimum_error"].as_str().unwrap().contains("not unique"), "{out}");
    // H = [[1, 2], [2, 4]]: eigenvalues 0 and 5, η_crit = 2/5.
    assert_abs_diff_eq!(out["hessian_eigenvalues"][0].as_f64().unwrap(), 0.0, epsilon = 1e-12);
    assert_abs_diff_eq!(out["hessian_eigenvalues"][1].as_f64().unwrap(), 5.0, epsilon = 1e-12);
    assert_abs_diff_eq!(num(&out, "lr_critical"), 0.4, epsilon = 1e-12);

    // An L1 penalty makes it unique: θ1* = 0, θ0* = ȳ = 2, J = ½·Syy = ½·1.
    let out = json(&["solve", "--csv", &path, "--reg", "l1", "--lambda", "0.1"]);
    assert_solution(&out, 2.0, 0.0, 0.5);
}

// ---------------------------------------------------------------------------------------------
// fit

#[test]
fn fit_converges_to_the_optimum_below_the_critical_rate() {
    let files = Files::new();
    // η_crit = 2/(2.25 + √3.8125) ≈ 0.4759; 0.47 is just below it.
    for lr in ["0.4", "0.47"] {
        let out = json(&["fit", "--csv", &files.line(), "--lr", lr, "--steps", "100000"]);
        assert_eq!(out["status"], "converged", "{out}");
        assert_eq!(out["optimizer"], "sgd");
        // Converged means ‖∇J‖ = ‖H(θ − θ*)‖ ≤ 1e-6, so ‖θ − θ*‖ ≤ 1e-6/λ_min ≈ 3.4e-6.
        assert_abs_diff_eq!(num(&out, "theta0"), 1.0, epsilon = 1e-5);
        assert_abs_diff_eq!(num(&out, "theta1"), 2.0, epsilon = 1e-5);
        assert!(num(&out, "gradient_norm") <= 1e-6);
        let iterations = out["iterations"].as_u64().unwrap();
        assert!(iterations > 0 && iterations < 100000);
        // Full batch: every update is one pass over the 4 points.
        assert_eq!(out["epochs"].as_u64(), Some(iterations));
        assert_eq!(out["samples_seen"].as_u64(), Some(4 * iterations));
        assert!(out.get("divergence").is_none());
        assert_abs_diff_eq!(out["optimum"]["theta1"].as_f64().unwrap(), 2.0, epsilon = 1e-12);
    }
}

#[test]
fn fit_with_l1_reaches_the_lasso_solution() {
    let files = Files::new();
    let out = json(&["fit", "--csv", &files.line(), "--reg", "l1", "--lambda", "0.5", "--lr", "0.4", "--steps", "100000"]);
    assert_eq!(out["status"], "converged", "{out}");
    // θ* = (1.6, 1.6) as in solve_with_l1.
    assert_abs_diff_eq!(num(&out, "theta0"), 1.6, epsilon = 1e-5);
    assert_abs_diff_eq!(num(&out, "theta1"), 1.6, epsilon = 1e-5);
    assert_abs_diff_eq!(num(&out, "loss"), 0.9, epsilon = 1e-9);
}

#[test]
fn fit_with_l1_and_a_vanishing_rate_is_not_falsely_converged() {
    let files = Files::new();
    // At θ = (1, 1): a = 1 + 1.5 − 4 = −1.5, ∇f = (a, Sxx·θ1 − Sxy + x̄·a) = (−1.5, −3.5).
    // Steps of 1e-17 leave θ where it is; the proximal gradient mapping is
    // (∇f0, ∇f1 + λ·sign(θ1)) = (−1.5, −3), of norm √11.25, not 0 (θ ≠ θ* = (1.6, 1.6)).
    let args = ["fit", "--csv", &files.line(), "--reg", "l1", "--lambda", "0.5", "--init", "1,1", "--lr", "1e-17", "--steps", "5"];
    let out = json(&args);
    assert_eq!(out["status"], "running", "{out}");
    assert_abs_diff_eq!(num(&out, "gradient_norm"), 11.25f64.sqrt(), epsilon = 1e-12);
    // J(1, 1) = ½·(a² + Sxx·(θ1 − 2)²) + λ·|θ1| = ½·(2.25 + 1.25) + 0.5.
    assert_abs_diff_eq!(num(&out, "loss"), 2.25, epsilon = 1e-12);

    // A cosine schedule that has decayed to η = 0 still reports a gradient norm.
    let args = ["fit", "--csv", &files.line(), "--reg", "l1", "--lambda", "0.5", "--schedule", "cosine", "--total-steps", "5", "--steps", "10"];
    let out = json(&args);
    assert_eq!(num(&out, "lr_effective"), 0.0);
    assert!(num(&out, "gradient_norm") > 0.0, "{out}");
    assert_eq!(out["status"], "running");
}

#[test]
fn fit_diverges_above_the_critical_rate_and_stays_valid_json() {
    let files = Files::new();
    let out = json(&["fit", "--csv", &files.line(), "--lr", "0.5", "--steps", "100000"]);
    assert_eq!(out["status"], "diverged", "{out}");
    assert!(out["iterations"].as_u64().unwrap() < 100000);
    let divergence = out["divergence"].as_str().expect("a divergence message");
    assert!(divergence.contains("above the critical rate"), "{divergence}");
    // Every value is a finite number (JSON has no other kind) or null.
    for (key, value) in out.as_object().unwrap() {
        match value {
            Value::Number(n) => assert!(n.as_f64().unwrap().is_finite(), "{key}"),
            Value::Null | Value::String(_) | Value::Object(_) | Value::Array(_) => {}
            Value::Bool(_) => panic!("{key} should not be a bool"),
        }
    }
    for key in ["theta0", "theta1", "loss", "lr_critical"] {
        assert!(out[key].is_number(), "{key} in {out}");
    }
}

#[test]
fn fit_stops_at_steps_and_starts_at_init() {
    let files = Files::new();
    // No update at all: θ = (−3, 5); residuals −3 + 5x − y = −4, −1, 2, 5, J = 46/8.
    let out = json(&["fit", "--csv", &files.line(), "--init", "-3,5", "--steps", "0"]);
    assert_eq!(out["status"], "running");
    assert_eq!(out["iterations"], 0);
    assert_abs_diff_eq!(num(&out, "theta0"), -3.0);
    assert_abs_diff_eq!(num(&out, "theta1"), 5.0);
    assert_abs_diff_eq!(num(&out, "loss"), 5.75, epsilon = 1e-12);

    // A few updates at a small rate: still running after exactly --steps.
    let out = json(&["fit", "--csv", &files.line(), "--lr", "0.01", "--steps", "3"]);
    assert_eq!(out["status"], "running");
    assert_eq!(out["iterations"], 3);

    // Starting at the optimum: converged without an update.
    let out = json(&["fit", "--csv", &files.line(), "--init", "1, 2"]);
    assert_eq!(out["status"], "converged");
    assert_eq!(out["iterations"], 0);
}

#[test]
fn fit_with_adam_names_the_optimizer() {
    let files = Files::new();
    let out = json(&["fit", "--csv", &files.line(), "--optimizer", "adam", "--lr", "0.1", "--steps", "3000"]);
    assert_eq!(out["optimizer"], "adam");
    assert!(["running", "converged"].contains(&out["status"].as_str().unwrap()), "{out}");
    // J(0, 0) = mean(y²)/2 = 84/8 = 10.5; Adam gets close to J* = 0.
    assert!(num(&out, "loss") < 0.01, "{out}");

    // Each optimizer's own hyperparameters are accepted with it.
    for args in [
        vec!["--optimizer", "adam", "--beta1", "0.8", "--beta2", "0.99", "--eps", "1e-6"],
        vec!["--optimizer", "momentum", "--momentum", "0.5"],
        vec!["--optimizer", "nesterov", "--momentum", "0.5"],
        vec!["--optimizer", "rmsprop", "--alpha", "0.9", "--eps", "1e-6"],
        vec!["--optimizer", "adagrad", "--eps", "1e-6"],
    ] {
        let line = files.line();
        let mut all = vec!["fit", "--csv", line.as_str(), "--steps", "10"];
        all.extend(&args);
        assert_eq!(json(&all)["optimizer"], args[1]);
    }
}

#[test]
fn fit_applies_the_schedule() {
    let files = Files::new();
    // Step decay: after 25 updates η_t = 0.1·0.5^⌊25/10⌋ = 0.025 (25 updates at η ≤ 0.1 are
    // far from converged: the slow direction shrinks by at most 1 − 0.1·0.297 per update).
    let args = ["fit", "--csv", &files.line(), "--lr", "0.1", "--steps", "25", "--schedule", "step", "--decay", "0.5", "--step-size", "10"];
    let out = json(&args);
    assert_eq!(out["iterations"], 25);
    assert_abs_diff_eq!(num(&out, "lr_effective"), 0.025, epsilon = 1e-15);

    // Inverse time: η/(1 + d·t) = 0.1/(1 + 0.1·10) = 0.05.
    let args = ["fit", "--csv", &files.line(), "--lr", "0.1", "--steps", "10", "--schedule", "inverse-time", "--decay", "0.1"];
    assert_abs_diff_eq!(num(&json(&args), "lr_effective"), 0.05, epsilon = 1e-15);

    // Cosine over 20 updates, halfway: η·(1 + cos(π/2))/2 = η/2.
    let args = ["fit", "--csv", &files.line(), "--lr", "0.1", "--steps", "10", "--schedule", "cosine", "--total-steps", "20"];
    assert_abs_diff_eq!(num(&json(&args), "lr_effective"), 0.05, epsilon = 1e-15);
}

#[test]
fn the_aliases_are_accepted_and_the_one_name_is_printed() {
    let files = Files::new();
    let out = json(&["fit", "--csv", &files.line(), "--optimizer", "rms-prop", "--alpha", "0.9", "--steps", "10"]);
    assert_eq!(out["optimizer"], "rmsprop");
    // Step decay as "step-decay": after 25 updates η_t = 0.1·0.5^⌊25/10⌋ = 0.025.
    let args = ["fit", "--csv", &files.line(), "--lr", "0.1", "--steps", "25", "--schedule", "step-decay", "--step-size", "10"];
    assert_abs_diff_eq!(num(&json(&args), "lr_effective"), 0.025, epsilon = 1e-15);
}

#[test]
fn mini_batch_fits_are_reproducible_by_seed() {
    let files = Files::new();
    let line = files.line();
    let run = |seed: &str| {
        let out = gdviz(&["fit", "--csv", &line, "--batch", "1", "--lr", "0.1", "--steps", "7", "--seed", seed]);
        assert!(out.status.success());
        out.stdout
    };
    assert_eq!(run("3"), run("3"), "the same seed gives the same run");
    let (a, b): (Value, Value) = (serde_json::from_slice(&run("3")).unwrap(), serde_json::from_slice(&run("4")).unwrap());
    assert_ne!(a["theta0"], b["theta0"], "another seed visits the points in another order");
    // 7 updates of one point each on 4 points: 7 samples, 1 full epoch.
    assert_eq!(a["samples_seen"], 7);
    assert_eq!(a["epochs"], 1);
}

// ---------------------------------------------------------------------------------------------
// preset

#[test]
fn preset_prints_the_pages_data_as_csv() {
    let out = gdviz(&["preset", "clean"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("x,y\n"));
    let data = gdviz::least_squares::csv_io::read_csv(text.as_bytes()).expect("the output reads back");
    let preset = gdviz::least_squares::data::preset("clean").unwrap();
    assert_eq!(data.len(), preset.settings.points);
    assert_eq!(text.lines().count(), preset.settings.points + 1);
    // The same points the page generates, bit for bit.
    assert_eq!(data, preset.settings.generate().unwrap());
}

#[test]
fn preset_seed_and_points_choose_the_data() {
    let run = |seed: &str| {
        let out = gdviz(&["preset", "noisy", "--seed", seed, "--points", "12"]);
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let first = run("7");
    assert_eq!(first.lines().count(), 13, "header and 12 rows");
    assert_eq!(gdviz::least_squares::csv_io::read_csv(first.as_bytes()).unwrap().len(), 12);
    assert_eq!(run("7"), first, "the same seed gives the same points");
    assert_ne!(run("8"), first, "another seed gives other points");
}

// ---------------------------------------------------------------------------------------------
// Bad input: exit status 2 and one line naming the file (line, column) or the flag.

#[test]
fn file_errors_name_the_file() {
    let files = Files::new();
    let bad = files.write("bad.csv", b"x,y\n0,1\n1,3\n2,abc\n");
    assert_eq!(fails(&["solve", "--csv", &bad]), format!("gdviz: {bad}: line 4, column 2: \"abc\" is not a number"));
    let wide = files.write("wide.csv", b"0,1\n1,3\n2,5,7\n");
    assert_eq!(fails(&["fit", "--csv", &wide]), format!("gdviz: {wide}: line 3: expected 2 columns (x,y), found 3"));
    let short = files.write("short.csv", b"x,y\n0,1\n");
    assert_eq!(
        fails(&["solve", "--csv", &short]),
        format!("gdviz: {short}: line 2: the file ends after 1 data row; at least 2 are needed to fit a line")
    );
    let empty = files.write("empty.csv", b"");
    assert_eq!(
        fails(&["solve", "--csv", &empty]),
        format!("gdviz: {empty}: line 1: the file is empty; expected rows of two numbers x,y")
    );
    let infinite = files.write("inf.csv", b"0,1\n1,1e999\n");
    assert_eq!(
        fails(&["solve", "--csv", &infinite]),
        format!("gdviz: {infinite}: line 2, column 2: \"1e999\" is not a finite number")
    );

    let missing = Path::new(files.dir.path()).join("missing.csv");
    let missing = missing.to_str().unwrap();
    let message = fails(&["solve", "--csv", missing]);
    assert!(message.starts_with(&format!("gdviz: {missing}: ")), "{message}");
    assert!(message.contains("No such file"), "{message}");

    let directory = files.dir.path().to_str().unwrap();
    assert!(fails(&["solve", "--csv", directory]).starts_with(&format!("gdviz: {directory}: ")));
}

#[test]
fn flag_errors_name_the_flag() {
    let files = Files::new();
    let line = files.line();
    let cases: &[(&[&str], &str)] = &[
        (&["--lr", "-1"], "--lr: learning rate must be a finite number > 0, got -1"),
        (&["--lr", "0"], "--lr: learning rate must be a finite number > 0, got 0"),
        (&["--lr", "inf"], "--lr: learning rate must be a finite number > 0, got inf"),
        (&["--lr", "nan"], "--lr: learning rate must be a finite number > 0, got NaN"),
        (&["--batch", "0"], "--batch: batch size must be an integer in [1, 4], got 0"),
        (&["--batch", "5"], "--batch: batch size must be an integer in [1, 4], got 5"),
        (&["--tol", "0"], "--tol: tolerance must be a finite number > 0, got 0"),
        (&["--reg", "ridge"], "--reg: regularization must be one of none, l1, l2, elastic-net, got \"ridge\""),
        (&["--reg", "l2", "--lambda", "-1"], "--lambda: regularization strength λ must be in [0, 1000000], got -1"),
        (&["--lambda", "1"], "--lambda applies only to --reg l1, l2 or elastic-net"),
        (&["--reg", "l1", "--l1-ratio", "0.5"], "--l1-ratio applies only to --reg elastic-net"),
        (&["--reg", "elastic-net", "--l1-ratio", "1.5"], "--l1-ratio: L1 ratio ρ must be in [0, 1], got 1.5"),
        (
            &["--optimizer", "lbfgs"],
            "--optimizer: optimizer must be one of sgd, momentum, nesterov, adagrad, rmsprop, adam, newton, cg, got \"lbfgs\"",
        ),
        (&["--beta1", "0.5"], "--beta1 applies only to --optimizer adam"),
        (&["--optimizer", "momentum", "--eps", "1e-3"], "--eps applies only to --optimizer adagrad, rmsprop or adam"),
        (&["--momentum", "0.5"], "--momentum applies only to --optimizer momentum or nesterov"),
        (&["--optimizer", "adam", "--alpha", "0.5"], "--alpha applies only to --optimizer rmsprop"),
        (&["--optimizer", "momentum", "--momentum", "1"], "--momentum: momentum μ must be in [0, 1), got 1"),
        (&["--optimizer", "adam", "--beta2", "-0.1"], "--beta2: beta2 β2 must be in [0, 1), got -0.1"),
        (&["--optimizer", "rmsprop", "--eps", "0"], "--eps: epsilon ε must be a finite number > 0, got 0"),
        (
            &["--schedule", "warmup"],
            "--schedule: schedule must be one of constant, step, exponential, inverse-time, cosine, got \"warmup\"",
        ),
        (&["--decay", "0.5"], "--decay applies only to --schedule step, exponential or inverse-time"),
        (&["--schedule", "step", "--total-steps", "5"], "--total-steps applies only to --schedule cosine"),
        (&["--schedule", "exponential", "--decay", "1.5"], "--decay: decay γ must be in (0, 1], got 1.5"),
        (&["--schedule", "inverse-time", "--decay", "-1"], "--decay: decay d must be a finite number ≥ 0, got -1"),
        (&["--schedule", "step", "--step-size", "0"], "--step-size: step size must be an integer ≥ 1, got 0"),
        (&["--schedule", "cosine", "--total-steps", "0"], "--total-steps: total steps must be an integer ≥ 1, got 0"),
        (&["--init", "1"], "--init: expected numbers T0,T1,… (one per coefficient), got \"1\""),
        (&["--init", "1,2,3"], "--init: start θ must be 2 finite coordinates (θ0 to θ1), got (1, 2, 3)"),
        (&["--init", "inf,0"], "--init: start θ must be 2 finite coordinates (θ0 to θ1), got (inf, 0)"),
        (&["--lr", "abc"], "invalid value 'abc' for '--lr <F>': invalid float literal"),
        (&["--steps", "-1"], "invalid value '-1' for '--steps <N>': invalid digit found in string"),
        (&["--up", "1.1"], "--up applies only to --rate-rule bold-driver"),
        (&["--rate-rule", "plateau", "--beta", "0.5"], "--beta applies only to --line-search armijo"),
        (&["--rate-rule", "bold-driver", "--up", "0.5"], "--up: increase factor up must be in [1, 10], got 0.5"),
        (&["--rate-rule", "plateau", "--patience", "2.5"], "--patience: patience must be an integer ≥ 0, got 2.5"),
        (&["--line-search", "armijo", "--c", "1"], "--c: sufficient-decrease constant c must be in (0, 1), got 1"),
        (&["--line-search", "golden"], "--line-search: line search must be one of none, exact, armijo, bb, polyak, got \"golden\""),
        (&["--line-search", "exact", "--optimizer", "adam"], "--line-search: line search must be used with plain gradient descent only (choose Plain GD / SGD), got exact"),
        (&["--line-search", "exact", "--rate-rule", "plateau"], "--line-search: rate rule must be none while a line search chooses the step, got plateau"),
        (&["--line-search", "bb", "--batch", "2"], "--batch: batch size must be the full batch of 4 (line searches, Newton and CG use every point), got 2"),
        (&["--optimizer", "newton", "--reg", "l1"], "--optimizer: optimizer must be a method for smooth objectives; choose another while there is an L1 part, got newton"),
    ];
    for (flags, expected) in cases {
        let mut args = vec!["fit", "--csv", line.as_str()];
        args.extend_from_slice(flags);
        assert_eq!(fails(&args), format!("gdviz: {expected}"), "gdviz {args:?}");
    }
    // solve checks the regularization flags the same way.
    assert_eq!(
        fails(&["solve", "--csv", &line, "--reg", "l2", "--lambda", "nan"]),
        "gdviz: --lambda: regularization strength λ must be in [0, 1000000], got NaN"
    );
}

#[test]
fn preset_errors() {
    assert_eq!(
        fails(&["preset", "wavy"]),
        "gdviz: unknown preset \"wavy\"; known presets: clean, noisy, outliers, ill-conditioned, two-features, cubic"
    );
    assert_eq!(
        fails(&["preset", "clean", "--points", "1"]),
        "gdviz: --points: points must be an integer in [2, 1000000], got 1"
    );
}

#[test]
fn usage_errors_exit_with_status_2() {
    for args in [
        &[][..],
        &["solve"][..],
        &["fit", "--csv", "a.csv", "--bogus"][..],
        &["explain"][..],
        &["preset"][..],
    ] {
        let out = gdviz(args);
        assert_eq!(out.status.code(), Some(2), "gdviz {args:?}");
        assert!(out.stdout.is_empty(), "gdviz {args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("Usage"), "gdviz {args:?}");
    }
    // A flag without its value is a bad value: one line.
    assert_eq!(fails(&["solve", "--csv"]), "gdviz: a value is required for '--csv <FILE>' but none was supplied");
}

#[test]
fn help_documents_the_defaults() {
    let out = gdviz(&["fit", "--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8(out.stdout).unwrap();
    for expected in ["--lr <F>", "[default: 0.05]", "[default: 1000]", "[default: n]", "--optimizer", "--schedule"] {
        assert!(help.contains(expected), "{expected} missing from:\n{help}");
    }
}

#[test]
fn the_command_definition_is_consistent() {
    use clap::CommandFactory;
    gdviz::cli::Cli::command().debug_assert();
}

/// `gdviz plot` writes the four plots as SVG and PNG and prints their paths.
#[test]
fn plot_writes_four_svg_and_four_png_files() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("line.csv");
    std::fs::write(&csv, "x,y\n0,1\n1,3\n2,5\n3,7\n").unwrap();
    let out = dir.path().join("plots");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_gdviz"))
        .args(["plot", "--csv", csv.to_str().unwrap(), "--lr", "0.3", "--steps", "40", "--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let printed = String::from_utf8(output.stdout).unwrap();
    assert_eq!(printed.lines().count(), 8, "{printed}");
    for name in ["surface", "fit", "loss", "coefficients"] {
        let svg = std::fs::read_to_string(out.join(format!("{name}.svg"))).unwrap();
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"), "{name}.svg is not a whole SVG");
        let png = std::fs::read(out.join(format!("{name}.png"))).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{name}.png is not a PNG");
        // 800×600 by default: the PNG header's IHDR holds width and height big-endian.
        assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), 800);
        assert_eq!(u32::from_be_bytes(png[20..24].try_into().unwrap()), 600);
    }
    // The loss curve labels its axes; the surface names θ0 and θ1.
    assert!(std::fs::read_to_string(out.join("loss.svg")).unwrap().contains("iteration"));
    assert!(std::fs::read_to_string(out.join("surface.svg")).unwrap().contains("θ1 (slope)"));
    // The coefficient plot names each coefficient in its legend.
    let coefficients = std::fs::read_to_string(out.join("coefficients.svg")).unwrap();
    assert!(coefficients.contains("θ₀") && coefficients.contains("θ₁"));
}

#[test]
fn plot_rejects_a_bad_size_with_exit_status_2() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("line.csv");
    std::fs::write(&csv, "0,1\n1,3\n2,5\n").unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_gdviz"))
        .args(["plot", "--csv", csv.to_str().unwrap(), "--width", "5", "--out", dir.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&output.stderr).trim(), "gdviz: --width: width must be an integer in [200, 4000], got 5");
}

/// The numbers of a JSON array.
fn numbers(value: &Value) -> Vec<f64> {
    value.as_array().expect("an array").iter().map(|v| v.as_f64().expect("a number")).collect()
}

#[test]
fn solve_with_several_features_gives_the_coefficients_back() {
    let files = Files::new();
    // y = 0.5 + 2·a − 3·b + 0.25·c exactly, at 12 irregular points.
    let mut csv = String::from("a,b,c,y\n");
    for i in 0..12 {
        let (a, b, c) = ((i * 7 % 11) as f64 / 3.0, (i * 5 % 7) as f64 - 2.0, ((i * i) % 13) as f64 / 4.0);
        csv.push_str(&format!("{a},{b},{c},{}\n", 0.5 + 2.0 * a - 3.0 * b + 0.25 * c));
    }
    let path = files.write("three.csv", csv.as_bytes());
    let out = json(&["solve", "--csv", &path]);
    for (got, want) in numbers(&out["theta"]).iter().zip([0.5, 2.0, -3.0, 0.25]) {
        assert_abs_diff_eq!(*got, want, epsilon = 1e-12);
    }
    assert_eq!(out["features"], serde_json::json!(["a", "b", "c"]));
    assert_eq!(out["theta0"], out["theta"][0]);
    assert_eq!(out["theta1"], out["theta"][1]);
    assert_eq!(out["optimum"]["theta"], out["theta"]);
    assert_eq!(numbers(&out["hessian_eigenvalues"]).len(), 4);
    let spectrum = numbers(&out["hessian_eigenvalues"]);
    assert!(spectrum.windows(2).all(|w| w[0] <= w[1]), "ascending: {spectrum:?}");
    // Two of the columns by name and by number, the target by number.
    let out = json(&["solve", "--csv", &path, "--features", "a,2", "--target", "4"]);
    assert_eq!(out["features"], serde_json::json!(["a", "b"]));
    assert_eq!(numbers(&out["theta"]).len(), 3);
}

#[test]
fn solve_by_hand_with_orthogonal_features_ridge_and_the_mse_convention() {
    let files = Files::new();
    // As in tests/features.rs: Σ = I, s = (1, 0, 1), ȳ = 2. Ridge λ = 1 with mse (c = 2):
    // (2Σ + I)β = 2s → β = (2/3, 0, 2/3), θ0 = 2. Without a header the features are x1, x2, x3.
    let path = files.write("orthogonal.csv", b"1,1,1,4\n-1,1,-1,0\n1,-1,-1,2\n-1,-1,1,2\n");
    let out = json(&["solve", "--csv", &path, "--reg", "l2", "--lambda", "1", "--loss", "mse"]);
    for (got, want) in numbers(&out["theta"]).iter().zip([2.0, 2.0 / 3.0, 0.0, 2.0 / 3.0]) {
        assert_abs_diff_eq!(*got, want, epsilon = 1e-12);
    }
    assert_eq!(out["features"], serde_json::json!(["x1", "x2", "x3"]));
    assert_eq!(out["loss_convention"], "mse");
    // The powers of one column: y = 1 + x + x² exactly.
    let path = files.write("quadratic.csv", b"x,y\n-2,3\n-1,1\n0,1\n1,3\n2,7\n3,13\n");
    let out = json(&["solve", "--csv", &path, "--degree", "2"]);
    for (got, want) in numbers(&out["theta"]).iter().zip([1.0, 1.0, 1.0]) {
        assert_abs_diff_eq!(*got, want, epsilon = 1e-12);
    }
    assert_eq!(out["features"], serde_json::json!(["x", "x^2"]));
}

#[test]
fn solve_with_several_features_refuses_bad_input_in_one_line() {
    let files = Files::new();
    let three = files.write("three.csv", b"a,b,y\n1,2,3\n2,0,1\n3,1,4\n");
    assert_eq!(
        fails(&["solve", "--csv", &three, "--features", "q"]),
        "gdviz: --features: no column \"q\": the columns are a, b, y (or their numbers 1 to 3)"
    );
    assert_eq!(
        fails(&["solve", "--csv", &three, "--degree", "2"]),
        "gdviz: --degree: feature columns must be 1 (the powers are those of one x column), got 2"
    );
    let line = files.line();
    assert_eq!(
        fails(&["solve", "--csv", &line, "--degree", "11"]),
        "gdviz: --degree: polynomial degree must be an integer in [1, 10], got 11"
    );
    assert_eq!(
        fails(&["solve", "--csv", &line, "--loss", "l1"]),
        "gdviz: --loss: loss convention must be one of half-mse, mse, got \"l1\""
    );
    let mut wide = (1..=11).map(|j| format!("f{j}")).collect::<Vec<_>>().join(",") + ",y\n";
    for i in 0..3 {
        wide += &((0..12).map(|j| ((i * 12 + j) % 5).to_string()).collect::<Vec<_>>().join(",") + "\n");
    }
    let wide = files.write("wide.csv", wide.as_bytes());
    assert_eq!(fails(&["solve", "--csv", &wide]), "gdviz: --features: number of features must be an integer in [1, 10], got 11");
    let ragged = files.write("ragged.csv", b"a,b,y\n1,2,3\n2,0\n");
    let message = fails(&["solve", "--csv", &ragged]);
    assert!(message.ends_with("ragged.csv: line 3: expected 3 columns, as in the first row, found 2"), "{message}");
    // A feature with no spread and no L2 part: the JSON says why there is no optimum.
    let constant = files.write("constant.csv", b"a,b,y\n1,5,3\n2,5,1\n3,5,4\n");
    let out = json(&["solve", "--csv", &constant]);
    assert!(out["optimum"].is_null() && out["theta"].is_null());
    assert_eq!(
        out["optimum_error"],
        "the optimum is not unique: the feature(s) of θ2 have no spread (all their values are equal) and there is no L2 part"
    );
}

#[test]
fn the_several_feature_presets_print_their_header_and_fit_their_truth() {
    let files = Files::new();
    let out = gdviz(&["preset", "two-features"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("x1,x2,y"));
    assert_eq!(lines.count(), 100);
    // The same seed, the same points; another seed, others.
    assert_eq!(gdviz(&["preset", "two-features"]).stdout, text.as_bytes());
    assert_ne!(gdviz(&["preset", "two-features", "--seed", "2"]).stdout, text.as_bytes());
    // Fitted, θ is near its truth (0, 2, 3): with 100 points and noise σ = 1 each coefficient's
    // standard error is about 0.1, so 0.4 is four of them.
    let path = files.write("two.csv", text.as_bytes());
    let out = json(&["solve", "--csv", &path]);
    for (got, want) in numbers(&out["theta"]).iter().zip([0.0, 2.0, 3.0]) {
        assert!((got - want).abs() < 0.4, "{:?}", out["theta"]);
    }
    let cubic = String::from_utf8(gdviz(&["preset", "cubic"]).stdout).unwrap();
    assert!(cubic.starts_with("x,y\n") && cubic.lines().count() == 61);
    let path = files.write("cubic.csv", cubic.as_bytes());
    let out = json(&["solve", "--csv", &path, "--degree", "3"]);
    for (got, want) in numbers(&out["theta"]).iter().zip([1.0, 1.0, -0.8, 0.3]) {
        assert!((got - want).abs() < 0.25, "{:?}", out["theta"]);
    }
    assert_eq!(
        fails(&["preset", "two-features", "--points", "1"]),
        "gdviz: --points: points must be an integer in [2, 1000000], got 1"
    );
}

#[test]
fn solve_standardizes_each_feature_and_prints_both_scales() {
    let files = Files::new();
    let path = files.write("quadratic.csv", b"x,y\n-2,3.1\n-1,0.9\n0,1.05\n1,3\n2,7.2\n3,12.9\n");
    let plain = json(&["solve", "--csv", &path, "--degree", "2"]);
    let standardized = json(&["solve", "--csv", &path, "--degree", "2", "--standardize"]);
    // Without a penalty both fit the same model: the same θ in the original powers.
    for (a, b) in numbers(&standardized["theta"]).iter().zip(numbers(&plain["theta"])) {
        assert_abs_diff_eq!(*a, b, epsilon = 1e-10);
    }
    assert_eq!(numbers(&standardized["theta_standardized"]).len(), 3);
    assert!(plain.get("theta_standardized").is_none());
    // Standardizing makes the valley rounder.
    assert!(standardized["condition_number"].as_f64().unwrap() < plain["condition_number"].as_f64().unwrap());
    let flat = files.write("flat.csv", b"a,b,y\n1,5,3\n2,5,1\n3,5,4\n");
    assert_eq!(
        fails(&["solve", "--csv", &flat, "--standardize"]),
        "gdviz: --standardize: b has no spread (all its values are equal): it cannot be standardized"
    );
}

#[test]
fn solve_says_when_raw_high_powers_make_the_normal_equations_ill_conditioned() {
    let files = Files::new();
    // x from 0 to 9.75, its powers up to x¹⁰: columns from 1 to about 8e9 wide.
    let mut csv = String::from("x,y\n");
    for i in 0..40 {
        let x = i as f64 / 4.0;
        csv.push_str(&format!("{x},{}\n", (x * 0.7).cos()));
    }
    let path = files.write("powers.csv", csv.as_bytes());
    let raw = json(&["solve", "--csv", &path, "--degree", "10"]);
    let warning = raw["warning"].as_str().expect("a warning");
    assert!(warning.starts_with("the normal equations are ill-conditioned (κ = "), "{warning}");
    assert!(json(&["solve", "--csv", &path, "--degree", "3"]).get("warning").is_none());
}

#[test]
fn fit_runs_on_several_features_on_powers_and_in_both_loss_conventions() {
    let files = Files::new();
    // Three points on y = 1 + 2·a − b exactly, a = (−1, 0, 1), b = (1, −2, 1):
    //   ā = 0, b̄ = 0, mean(a²) = 2/3, mean(b²) = 2, mean(a·b) = 0: H = diag(1, 2/3, 2).
    //   η_crit = 2/λ_max = 1; at η = 0.5 every coordinate converges.
    let path = files.write("ab.csv", b"a,b,y\n-1,1,-2\n0,-2,3\n1,1,2\n");
    let out = json(&["fit", "--csv", &path, "--lr", "0.5", "--steps", "5000", "--tol", "1e-12"]);
    assert_eq!(out["features"], serde_json::json!(["a", "b"]));
    assert_eq!(out["status"], "converged");
    for (got, want) in numbers(&out["theta"]).iter().zip([1.0, 2.0, -1.0]) {
        assert_abs_diff_eq!(*got, want, epsilon = 1e-6);
    }
    assert_abs_diff_eq!(num(&out, "theta0"), 1.0, epsilon = 1e-6);
    assert_abs_diff_eq!(num(&out, "lr_critical"), 1.0, epsilon = 1e-12);
    for (got, want) in numbers(&out["hessian_eigenvalues"]).iter().zip([2.0 / 3.0, 1.0, 2.0]) {
        assert_abs_diff_eq!(*got, want, epsilon = 1e-12);
    }
    // mse at η is half-mse at 2η, step for step (no penalty).
    let half = json(&["fit", "--csv", &path, "--lr", "0.2", "--steps", "7"]);
    let mse = json(&["fit", "--csv", &path, "--lr", "0.1", "--steps", "7", "--loss", "mse"]);
    assert_eq!(mse["loss_convention"], "mse");
    for (a, b) in numbers(&mse["theta"]).iter().zip(numbers(&half["theta"])) {
        assert_abs_diff_eq!(*a, b, epsilon = 1e-12);
    }
    assert_abs_diff_eq!(num(&mse, "lr_critical"), 0.5, epsilon = 1e-12);
    // The powers of one column, standardized: y = x² on x = −1, 0, 1, 2 is fitted exactly.
    let square = files.write("square.csv", b"x,y\n-1,1\n0,0\n1,1\n2,4\n");
    let out = json(&["fit", "--csv", &square, "--degree", "2", "--standardize", "--lr", "0.5", "--steps", "20000", "--tol", "1e-12"]);
    assert_eq!(out["features"], serde_json::json!(["x", "x^2"]));
    for (got, want) in numbers(&out["theta"]).iter().zip([0.0, 0.0, 1.0]) {
        assert_abs_diff_eq!(*got, want, epsilon = 1e-9);
    }
    assert_eq!(numbers(&out["theta_standardized"]).len(), 3);
    // A start with the wrong number of coefficients, and powers of two columns, are refused.
    assert_eq!(
        fails(&["fit", "--csv", &path, "--init", "1,2"]),
        "gdviz: --init: start θ must be 3 finite coordinates (θ0 to θ2), got (1, 2)"
    );
    assert_eq!(
        fails(&["fit", "--csv", &path, "--degree", "2"]),
        "gdviz: --degree: feature columns must be 1 (the powers are those of one x column), got 2"
    );
}

#[test]
fn plot_draws_one_feature_in_either_loss_convention_and_several_features_too() {
    let files = Files::new();
    let line = files.line();
    let out = files.dir.path().join("plots");
    let status = gdviz(&["plot", "--csv", &line, "--loss", "mse", "--standardize", "--lr", "0.1", "--out", out.to_str().unwrap()]);
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    assert!(out.join("surface.svg").exists());
    let two = files.write("ab.csv", b"a,b,y\n-1,1,-2\n0,-2,3\n1,1,2\n2,0,5\n");
    let several = files.dir.path().join("several");
    let status = gdviz(&["plot", "--csv", &two, "--out", several.to_str().unwrap()]);
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    let fit = std::fs::read_to_string(several.join("fit.svg")).unwrap();
    assert!(fit.contains("x₁") && fit.contains("x₂") && !fit.contains("predicted ŷ"), "two feature columns: the 3-D view");
}

#[test]
fn solve_with_l1_on_features_without_spread_sets_every_slope_to_zero() {
    // x = 0, 0, 0: every power is flat. With an L1 part the optimum is θⱼ = 0 and θ0 = ȳ = 2.
    let files = Files::new();
    let csv = files.write("flat.csv", b"x,y\n0,1\n0,2\n0,3\n");
    let out = json(&["solve", "--csv", &csv, "--degree", "3", "--reg", "l1"]);
    let theta: Vec<f64> = out["theta"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
    assert_eq!(theta, vec![2.0, 0.0, 0.0, 0.0]);
}
