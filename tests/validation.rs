//! Every bad input is refused with an error whose message names the value and the valid range,
//! asserted word for word; refused changes leave the state as it was. Presets are reproducible.

use gdviz::least_squares::data::{self, Dataset, GeneratorSettings};
use gdviz::error::Error;
use gdviz::least_squares::objective::{Objective, Regularization, Theta};
use gdviz::descent::optimizer::Optimizer;
use gdviz::descent::run::{Run, RunConfig};
use gdviz::descent::schedule::Schedule;
use gdviz::session::Session;

fn hand() -> Dataset {
    Dataset::new(vec![0.0, 1.0, 2.0, 3.0], vec![1.0, 2.0, 2.0, 5.0]).unwrap()
}

fn message<T: std::fmt::Debug>(result: Result<T, Error>) -> String {
    result.expect_err("expected an error").to_string()
}

fn run_with(config: RunConfig) -> Result<Run, Error> {
    let data = hand();
    let objective = Objective::new(*data.stats(), Regularization::None).unwrap();
    Run::new(config, Theta::new(0.0, 0.0), &data, &objective)
}

fn base() -> RunConfig {
    RunConfig::full_batch(0.1, 4)
}

#[test]
fn learning_rate() {
    for (lr, shown) in [(0.0, "0"), (-0.5, "-0.5"), (f64::NAN, "NaN"), (f64::INFINITY, "inf"), (f64::NEG_INFINITY, "-inf")] {
        let config = RunConfig { learning_rate: lr, ..base() };
        assert_eq!(message(run_with(config)), format!("learning rate must be a finite number > 0, got {shown}"));
    }
    // The setter refuses the same values and keeps the old rate.
    let data = hand();
    let objective = Objective::new(*data.stats(), Regularization::None).unwrap();
    let mut run = run_with(base()).unwrap();
    assert_eq!(
        message(run.set_learning_rate(f64::NAN, &objective)),
        "learning rate must be a finite number > 0, got NaN"
    );
    assert_eq!(message(run.set_learning_rate(0.0, &objective)), "learning rate must be a finite number > 0, got 0");
    assert_eq!(run.config().learning_rate, 0.1);
    assert_eq!(run.lr_effective(), 0.1);
}

#[test]
fn batch_size() {
    assert_eq!(message(run_with(RunConfig { batch_size: 0, ..base() })), "batch size must be an integer in [1, 4], got 0");
    assert_eq!(message(run_with(RunConfig { batch_size: 5, ..base() })), "batch size must be an integer in [1, 4], got 5");
    assert!(run_with(RunConfig { batch_size: 1, ..base() }).is_ok());
    assert!(run_with(RunConfig { batch_size: 4, ..base() }).is_ok());
    let mut run = run_with(base()).unwrap();
    assert_eq!(message(run.set_batch_size(0, 4)), "batch size must be an integer in [1, 4], got 0");
    assert_eq!(message(run.set_batch_size(5, 4)), "batch size must be an integer in [1, 4], got 5");
    assert_eq!(run.config().batch_size, 4);
}

#[test]
fn tolerance() {
    for (tol, shown) in [(0.0, "0"), (-1e-6, "-1e-6"), (f64::NAN, "NaN"), (f64::INFINITY, "inf")] {
        assert_eq!(
            message(run_with(RunConfig { tol, ..base() })),
            format!("tolerance must be a finite number > 0, got {shown}")
        );
    }
    let data = hand();
    let objective = Objective::new(*data.stats(), Regularization::None).unwrap();
    let mut run = run_with(base()).unwrap();
    assert_eq!(message(run.set_tolerance(0.0, &objective)), "tolerance must be a finite number > 0, got 0");
    assert_eq!(run.config().tol, 1e-6);
}

#[test]
fn start_theta() {
    let data = hand();
    let objective = Objective::new(*data.stats(), Regularization::None).unwrap();
    assert_eq!(
        message(Run::new(base(), Theta::new(f64::NAN, 0.0), &data, &objective)),
        "start θ must be 2 finite coordinates (θ0 to θ1), got (NaN, 0)"
    );
    let mut session = Session::new(data, Regularization::None, base(), Theta::new(0.0, 0.0)).unwrap();
    assert_eq!(message(session.reset(Theta::new(1.0, f64::INFINITY))), "start θ must be 2 finite coordinates (θ0 to θ1), got (1, inf)");
    assert_eq!(session.theta_start(), Theta::new(0.0, 0.0));
}

#[test]
fn regularization_strength_and_ratio() {
    const LAMBDA: &str = "regularization strength λ must be in [0, 1000000]";
    for name in ["l1", "l2", "elastic-net"] {
        assert_eq!(message(Regularization::from_parts(name, -1.0, 0.5)), format!("{LAMBDA}, got -1"));
        assert_eq!(message(Regularization::from_parts(name, f64::NAN, 0.5)), format!("{LAMBDA}, got NaN"));
        assert_eq!(message(Regularization::from_parts(name, f64::INFINITY, 0.5)), format!("{LAMBDA}, got inf"));
    }
    // ρ is only read for the elastic net.
    for (rho, shown) in [(1.5, "1.5"), (-0.1, "-0.1"), (f64::NAN, "NaN")] {
        assert_eq!(
            message(Regularization::from_parts("elastic-net", 1.0, rho)),
            format!("L1 ratio ρ must be in [0, 1], got {shown}")
        );
        assert!(Regularization::from_parts("l1", 1.0, rho).is_ok());
    }
    assert_eq!(
        Regularization::from_parts("elastic-net", 0.0, 1.0).unwrap(),
        Regularization::ElasticNet { lambda: 0.0, l1_ratio: 1.0 }
    );
    assert_eq!(Regularization::from_parts("none", -5.0, 9.0).unwrap(), Regularization::None);
    assert_eq!(
        message(Regularization::from_parts("ridge", 1.0, 0.5)),
        "regularization must be one of none, l1, l2, elastic-net, got \"ridge\""
    );
    assert_eq!(
        message(Regularization::from_parts("", 1.0, 0.5)),
        "regularization must be one of none, l1, l2, elastic-net, got \"\""
    );
    // The objective and the session refuse an invalid regularization built directly.
    let data = hand();
    assert_eq!(message(Objective::new(*data.stats(), Regularization::L2 { lambda: -2.0 })), format!("{LAMBDA}, got -2"));
    assert_eq!(
        message(Objective::new(*data.stats(), Regularization::ElasticNet { lambda: 1.0, l1_ratio: 2.0 })),
        "L1 ratio ρ must be in [0, 1], got 2"
    );
    let mut session = Session::new(data, Regularization::L1 { lambda: 0.5 }, base(), Theta::new(0.0, 0.0)).unwrap();
    assert_eq!(
        message(session.set_regularization(Regularization::L1 { lambda: f64::NAN })),
        format!("{LAMBDA}, got NaN")
    );
    assert_eq!(session.objective().regularization(), Regularization::L1 { lambda: 0.5 });
    assert_eq!(
        message(Session::new(hand(), Regularization::L1 { lambda: -1.0 }, base(), Theta::new(0.0, 0.0))),
        format!("{LAMBDA}, got -1")
    );
}

#[test]
fn optimizer_names_and_hyperparameters() {
    assert_eq!(
        message(Optimizer::with_defaults("lbfgs")),
        "optimizer must be one of sgd, momentum, nesterov, adagrad, rmsprop, adam, newton, cg, got \"lbfgs\""
    );
    let cases: [(Optimizer, &str); 12] = [
        (Optimizer::Momentum { momentum: 1.0 }, "momentum μ must be in [0, 1), got 1"),
        (Optimizer::Momentum { momentum: -0.1 }, "momentum μ must be in [0, 1), got -0.1"),
        (Optimizer::Nesterov { momentum: f64::NAN }, "momentum μ must be in [0, 1), got NaN"),
        (Optimizer::Adagrad { eps: 0.0 }, "epsilon ε must be a finite number > 0, got 0"),
        (Optimizer::Adagrad { eps: f64::INFINITY }, "epsilon ε must be a finite number > 0, got inf"),
        (Optimizer::RmsProp { alpha: 1.0, eps: 1e-8 }, "alpha α must be in [0, 1), got 1"),
        (Optimizer::RmsProp { alpha: 0.99, eps: -1.0 }, "epsilon ε must be a finite number > 0, got -1"),
        (Optimizer::Adam { beta1: 1.0, beta2: 0.999, eps: 1e-8 }, "beta1 β1 must be in [0, 1), got 1"),
        (Optimizer::Adam { beta1: -0.5, beta2: 0.999, eps: 1e-8 }, "beta1 β1 must be in [0, 1), got -0.5"),
        (Optimizer::Adam { beta1: 0.9, beta2: 1.5, eps: 1e-8 }, "beta2 β2 must be in [0, 1), got 1.5"),
        (Optimizer::Adam { beta1: 0.9, beta2: f64::NAN, eps: 1e-8 }, "beta2 β2 must be in [0, 1), got NaN"),
        (Optimizer::Adam { beta1: 0.9, beta2: 0.999, eps: 0.0 }, "epsilon ε must be a finite number > 0, got 0"),
    ];
    for (optimizer, expected) in cases {
        assert_eq!(message(optimizer.validate()), expected, "{optimizer:?}");
        assert_eq!(message(run_with(RunConfig { optimizer, ..base() })), expected);
        let mut run = run_with(base()).unwrap();
        let data = hand();
        let objective = Objective::new(*data.stats(), Regularization::None).unwrap();
        assert_eq!(message(run.set_optimizer(optimizer, data.len(), &objective)), expected);
        assert_eq!(run.config().optimizer, Optimizer::Sgd);
    }
    // Edges that are allowed: μ = 0, α = 0, β = 0.
    for ok in [
        Optimizer::Momentum { momentum: 0.0 },
        Optimizer::RmsProp { alpha: 0.0, eps: 1e-8 },
        Optimizer::Adam { beta1: 0.0, beta2: 0.0, eps: 1e-8 },
    ] {
        assert!(ok.validate().is_ok(), "{ok:?}");
    }
}

#[test]
fn schedule_names_and_parameters() {
    assert_eq!(
        message(Schedule::from_parts("linear", 0.5, 1, 1)),
        "schedule must be one of constant, step, exponential, inverse-time, cosine, got \"linear\""
    );
    assert_eq!(message(Schedule::from_parts("step", 0.0, 3, 1)), "decay γ must be in (0, 1], got 0");
    assert_eq!(message(Schedule::from_parts("step", 1.5, 3, 1)), "decay γ must be in (0, 1], got 1.5");
    assert_eq!(message(Schedule::from_parts("step", 0.5, 0, 1)), "step size must be an integer ≥ 1, got 0");
    assert_eq!(message(Schedule::from_parts("exponential", f64::NAN, 3, 1)), "decay γ must be in (0, 1], got NaN");
    assert_eq!(message(Schedule::from_parts("exponential", -0.5, 3, 1)), "decay γ must be in (0, 1], got -0.5");
    assert_eq!(message(Schedule::from_parts("inverse-time", -1.0, 3, 1)), "decay d must be a finite number ≥ 0, got -1");
    assert_eq!(message(Schedule::from_parts("cosine", 0.5, 3, 0)), "total steps must be an integer ≥ 1, got 0");
    assert!(Schedule::from_parts("exponential", 1.0, 0, 0).is_ok());
    assert!(Schedule::from_parts("inverse-time", 0.0, 0, 0).is_ok());
    let bad = Schedule::Cosine { total_steps: 0 };
    assert_eq!(message(run_with(RunConfig { schedule: bad, ..base() })), "total steps must be an integer ≥ 1, got 0");
    let mut run = run_with(base()).unwrap();
    assert_eq!(message(run.set_schedule(bad)), "total steps must be an integer ≥ 1, got 0");
    assert_eq!(run.config().schedule, Schedule::Constant);
}

fn settings() -> GeneratorSettings {
    data::preset("clean").unwrap().settings
}

#[test]
fn generator_settings() {
    let cases: [(GeneratorSettings, &str); 10] = [
        (GeneratorSettings { points: 1, ..settings() }, "points must be an integer in [2, 1000000], got 1"),
        (GeneratorSettings { points: 0, ..settings() }, "points must be an integer in [2, 1000000], got 0"),
        (
            GeneratorSettings { points: 1_000_001, ..settings() },
            "points must be an integer in [2, 1000000], got 1000001",
        ),
        (GeneratorSettings { noise: -1.0, ..settings() }, "noise must be a finite number ≥ 0, got -1"),
        (GeneratorSettings { noise: f64::NAN, ..settings() }, "noise must be a finite number ≥ 0, got NaN"),
        (
            GeneratorSettings { x_min: 3.0, x_max: 3.0, ..settings() },
            "x max must be a finite number > x min (3), got 3",
        ),
        (
            GeneratorSettings { x_min: 3.0, x_max: 1.0, ..settings() },
            "x max must be a finite number > x min (3), got 1",
        ),
        (
            GeneratorSettings { outlier_fraction: 1.5, ..settings() },
            "outlier fraction must be in [0, 1], got 1.5",
        ),
        (
            GeneratorSettings { outlier_fraction: -0.1, ..settings() },
            "outlier fraction must be in [0, 1], got -0.1",
        ),
        (GeneratorSettings { slope: f64::INFINITY, ..settings() }, "slope must be a finite number, got inf"),
    ];
    for (s, expected) in cases {
        assert_eq!(message(s.validate()), expected);
        assert_eq!(message(s.generate()), expected);
    }
    assert_eq!(
        message(GeneratorSettings { intercept: f64::NAN, ..settings() }.generate()),
        "intercept must be a finite number, got NaN"
    );
    assert_eq!(
        message(GeneratorSettings { x_min: f64::NEG_INFINITY, ..settings() }.generate()),
        "x min must be a finite number, got -inf"
    );
    // Edges that are allowed.
    assert_eq!(GeneratorSettings { points: 2, noise: 0.0, outlier_fraction: 1.0, ..settings() }.generate().unwrap().len(), 2);
}

#[test]
fn dataset_construction() {
    assert_eq!(
        message(Dataset::new(vec![1.0, 2.0, 3.0], vec![1.0, 2.0])),
        "the number of y values must be equal to the number of x values (3), got 2"
    );
    assert_eq!(message(Dataset::new(vec![1.0], vec![2.0])), "the data must have at least 2 points, got 1");
    assert_eq!(message(Dataset::new(vec![], vec![])), "the data must have at least 2 points, got 0");
    const RANGE: &str = "a finite number with magnitude ≤ 1e150";
    assert_eq!(
        message(Dataset::new(vec![1.0, f64::NAN], vec![2.0, 3.0])),
        format!("x of point must be {RANGE}, got NaN (point 2)")
    );
    assert_eq!(
        message(Dataset::new(vec![1.0, 2.0], vec![f64::INFINITY, 3.0])),
        format!("y of point must be {RANGE}, got inf (point 1)")
    );
    // Beyond 1e150 squares in the statistics could overflow.
    assert_eq!(
        message(Dataset::new(vec![1.0, -2e150], vec![2.0, 3.0])),
        format!("x of point must be {RANGE}, got {} (point 2)", -2e150)
    );
    assert!(Dataset::new(vec![1e150, -1e150], vec![-1e150, 1e150]).is_ok());
    assert!(Dataset::new(vec![1.0, 1.0], vec![2.0, 3.0]).is_ok());
}

#[test]
fn presets_and_session_limits() {
    assert_eq!(
        message(data::preset("wiggly")),
        "unknown preset \"wiggly\"; known presets: clean, noisy, outliers, ill-conditioned"
    );
    let mut session = Session::new(hand(), Regularization::None, base(), Theta::new(0.0, 0.0)).unwrap();
    assert_eq!(message(session.run(1)), "run 1 does not exist (there are 1)");
    assert_eq!(message(session.remove_run(0)), "number of runs must be at least 1, got 0");
    assert_eq!(message(session.remove_run(3)), "run 3 does not exist (there are 1)");
    for _ in 0..5 {
        session.add_run(base()).unwrap();
    }
    assert_eq!(message(session.add_run(base())), "number of runs must be at most 6, got 7");
    assert_eq!(session.runs().len(), 6);
    assert_eq!(
        message(session.add_run(RunConfig { batch_size: 9, ..base() })),
        "number of runs must be at most 6, got 7"
    );
    session.remove_run(5).unwrap();
    assert_eq!(message(session.add_run(RunConfig { batch_size: 9, ..base() })), "batch size must be an integer in [1, 4], got 9");
}

#[test]
fn presets_are_reproducible_and_seeded() {
    for p in data::PRESETS.iter() {
        let a = p.settings.generate().unwrap();
        let b = p.settings.generate().unwrap();
        assert_eq!(a.xs(), b.xs(), "{}", p.name);
        assert_eq!(a.ys(), b.ys(), "{}", p.name);
        assert_eq!(a.len(), p.settings.points);
        let other = GeneratorSettings { seed: p.settings.seed + 1, ..p.settings }.generate().unwrap();
        assert_ne!(a.xs(), other.xs(), "{}: another seed must give other x", p.name);
        assert_ne!(a.ys(), other.ys(), "{}: another seed must give other y", p.name);
        // The points respect the settings: x in [x_min, x_max).
        let s = p.settings;
        assert!(a.xs().iter().all(|&x| x >= s.x_min && x < s.x_max), "{}", p.name);
    }
    // Noise-free, outlier-free points lie on the line exactly (up to rounding).
    let exact = GeneratorSettings { noise: 0.0, outlier_fraction: 0.0, ..settings() }.generate().unwrap();
    for (x, y) in exact.xs().iter().zip(exact.ys()) {
        assert!((y - (1.0 + 2.0 * x)).abs() <= 1e-14 * (1.0 + y.abs()));
    }
    // Every point is an outlier at fraction 1: all lie above the line.
    let lifted = GeneratorSettings { noise: 0.0, outlier_fraction: 1.0, ..settings() }.generate().unwrap();
    assert!(lifted.xs().iter().zip(lifted.ys()).all(|(x, y)| *y > 1.0 + 2.0 * x));
}
