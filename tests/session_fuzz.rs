//! A session driven by long random sequences of operations, with the values a person, a file
//! or a link could send: every setter with any f64 (NaN, ±∞, subnormals, ±1e308, 0, negative
//! zero, negatives, ordinary numbers), step counts, point edits, data of other widths,
//! regularization and model switches, standardization, comparison runs, restarts. After every
//! operation it checks:
//! - nothing panicked (a panic fails the test, with the seed and the operation to replay);
//! - a refused value is named in its error with its range, and changed nothing (the data, θ*,
//!   η_crit, the runs' settings and θ as before);
//! - every reported number is finite, or the run has diverged with its message.
//!
//! `make test` runs a short sequence; `make fuzz` runs GDVIZ_FUZZ_OPERATIONS operations (1e6)
//! and prints how many ran and how long they took.

use gdviz::least_squares::data::{self, Dataset, GeneratorSettings};
use gdviz::error::{english_name, Error};
use gdviz::least_squares::features::{Features, LossConvention};
use gdviz::least_squares::objective::{Regularization, Theta};
use gdviz::descent::optimizer::Optimizer;
use gdviz::descent::run::{RunConfig, Status};
use gdviz::descent::schedule::Schedule;
use gdviz::session::Session;
use gdviz::descent::step_size::{LineSearch, RateRule};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Operations of the short run inside `make test`.
const SHORT_RUN: u64 = 20_000;

/// The f64 values that break code: every special one, then ordinary ones of any magnitude.
fn any_f64(rng: &mut ChaCha8Rng) -> f64 {
    const SPECIAL: [f64; 14] = [
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        0.0,
        -0.0,
        5e-324,
        -5e-324,
        1e308,
        -1e308,
        f64::MAX,
        1e-300,
        -1.0,
        1.0,
        0.5,
    ];
    match rng.gen_range(0..4) {
        0 => SPECIAL[rng.gen_range(0..SPECIAL.len())],
        1 => rng.gen_range(-3.0..3.0),
        2 => rng.gen_range(0.0..1.0) * 10f64.powi(rng.gen_range(-12..12)),
        _ => (rng.gen_range(0..200) as f64) - 50.0,
    }
}

/// A count as a setter receives it: usually small, sometimes huge or zero.
fn any_count(rng: &mut ChaCha8Rng) -> usize {
    match rng.gen_range(0..6) {
        0 => 0,
        1 => usize::MAX,
        2 => rng.gen_range(1..1000),
        _ => rng.gen_range(1..60),
    }
}

fn any_optimizer(rng: &mut ChaCha8Rng) -> Optimizer {
    let mut optimizer = Optimizer::with_defaults(gdviz::catalog::OPTIMIZERS[rng.gen_range(0..gdviz::catalog::OPTIMIZERS.len())].name).unwrap();
    if rng.gen_bool(0.5) {
        for field in ["momentum", "beta1", "beta2", "alpha", "eps"] {
            if let Some(slot) = optimizer.hyperparameter_mut(field) {
                *slot = any_f64(rng);
            }
        }
    }
    optimizer
}

fn any_schedule(rng: &mut ChaCha8Rng) -> Schedule {
    let name = gdviz::catalog::SCHEDULES[rng.gen_range(0..gdviz::catalog::SCHEDULES.len())].name;
    Schedule::from_parts(name, any_f64(rng), rng.gen_range(0..50), rng.gen_range(0..500)).unwrap_or(Schedule::Constant)
}

fn any_rate_rule(rng: &mut ChaCha8Rng) -> RateRule {
    let mut rule = RateRule::with_defaults(gdviz::catalog::RATE_RULES[rng.gen_range(0..gdviz::catalog::RATE_RULES.len())].name).unwrap();
    if rng.gen_bool(0.3) {
        for field in ["up", "down", "factor", "patience", "threshold", "cooldown", "min_lr"] {
            if let Some(slot) = rule.parameter_mut(field) {
                *slot = any_f64(rng);
            }
        }
    }
    rule
}

fn any_line_search(rng: &mut ChaCha8Rng) -> LineSearch {
    let mut search = LineSearch::with_defaults(gdviz::catalog::LINE_SEARCHES[rng.gen_range(0..gdviz::catalog::LINE_SEARCHES.len())].name).unwrap();
    if rng.gen_bool(0.3) {
        for field in ["beta", "c"] {
            if let Some(slot) = search.parameter_mut(field) {
                *slot = any_f64(rng);
            }
        }
    }
    search
}

fn any_regularization(rng: &mut ChaCha8Rng) -> Result<Regularization, Error> {
    let name = gdviz::catalog::REGULARIZATIONS[rng.gen_range(0..gdviz::catalog::REGULARIZATIONS.len())].name;
    let lambda = if rng.gen_bool(0.7) { rng.gen_range(0.0..2.0) } else { any_f64(rng) };
    Regularization::from_parts(name, lambda, if rng.gen_bool(0.7) { rng.gen_range(0.0..1.0) } else { any_f64(rng) })
}

/// Data a file or a preset could give: a line's preset, a few points of one column (some
/// equal, some huge), several columns, or the powers of one column.
fn any_data(rng: &mut ChaCha8Rng) -> Result<Dataset, Error> {
    match rng.gen_range(0..5) {
        0 => {
            let preset = &data::PRESETS[rng.gen_range(0..data::PRESETS.len())];
            GeneratorSettings { points: rng.gen_range(2..80), seed: rng.gen_range(0..5), ..preset.settings }.generate()
        }
        1 => {
            let n = rng.gen_range(0..8);
            let xs = (0..n).map(|_| if rng.gen_bool(0.8) { rng.gen_range(-5.0..5.0) } else { any_f64(rng) }).collect();
            let ys = (0..n).map(|_| if rng.gen_bool(0.8) { rng.gen_range(-5.0..5.0) } else { any_f64(rng) }).collect();
            Dataset::new(xs, ys)
        }
        2 => {
            let (n, k) = (rng.gen_range(2..30), rng.gen_range(1..5));
            let columns = (0..k).map(|_| (0..n).map(|_| rng.gen_range(-3.0..3.0)).collect()).collect();
            let ys = (0..n).map(|_| rng.gen_range(-3.0..3.0)).collect();
            Dataset::with_features(columns, ys, Features::Columns)
        }
        3 => {
            let n = rng.gen_range(2..30);
            let xs: Vec<f64> = (0..n).map(|_| rng.gen_range(-2.0..2.0)).collect();
            let ys = (0..n).map(|_| rng.gen_range(-3.0..3.0)).collect();
            Dataset::with_features(vec![xs], ys, Features::Powers { degree: rng.gen_range(0..12) })
        }
        _ => {
            // Equal x: no spread to standardize by, no unique optimum without L2.
            let n = rng.gen_range(2..10);
            Dataset::new(vec![1.5; n], (0..n).map(|i| i as f64).collect())
        }
    }
}

fn any_theta(rng: &mut ChaCha8Rng, params: usize) -> Theta {
    let len = if rng.gen_bool(0.9) { params } else { rng.gen_range(1..12) };
    let values: Vec<f64> = (0..len).map(|_| if rng.gen_bool(0.85) { rng.gen_range(-4.0..4.0) } else { any_f64(rng) }).collect();
    Theta::from_slice("start", &values).unwrap_or_else(|_| Theta::zeros(params))
}

/// What a refused operation must leave as it was.
#[derive(Debug, PartialEq)]
struct Snapshot {
    data: u64,
    n: usize,
    lr_critical: u64,
    optimum: Option<Vec<u64>>,
    configs: Vec<String>,
    thetas: Vec<Vec<u64>>,
    regularization: String,
}

fn snapshot(s: &Session) -> Snapshot {
    let bits = |t: Theta| t.as_slice().iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    Snapshot {
        data: s.original_data().fingerprint(),
        n: s.data().len(),
        lr_critical: s.curvature().lr_critical.to_bits(),
        optimum: s.optimum().ok().map(|o| bits(o.theta)),
        configs: s.runs().iter().map(|r| format!("{:?}", r.config())).collect(),
        thetas: s.runs().iter().map(|r| bits(r.theta())).collect(),
        regularization: format!("{:?}", s.objective().regularization()),
    }
}

/// A refusal names its value (and the value's range, for a value out of range).
fn check_refusal(error: &Error, operation: &str) {
    let message = error.to_string();
    assert!(!message.is_empty(), "{operation}: an empty message");
    if let Error::InvalidValue { name, range, .. } = error {
        assert!(message.starts_with(english_name(name)), "{operation}: \"{message}\" does not name {name}");
        assert!(message.contains(&range.to_string()), "{operation}: \"{message}\" does not give the range {range}");
    }
}

/// Every report finite, or diverged with its message.
fn check_reports(s: &Session, operation: &str) {
    for (k, r) in s.reports().iter().enumerate() {
        let finite = r.theta.is_finite() && r.loss.is_finite() && r.grad_norm.is_finite() && r.lr_effective.is_finite();
        if r.status == Status::Diverged {
            assert!(r.divergence.as_ref().is_some_and(|d| !d.message.is_empty()), "{operation}: run {k} diverged without a message");
            assert!(r.theta.is_finite(), "{operation}: run {k} diverged and kept a non-finite θ");
        } else {
            assert!(finite, "{operation}: run {k} reports a non-finite number: {r:?}");
        }
    }
}

/// Runs `operations` random operations from `seed`; returns how many were refused.
fn drive(seed: u64, operations: u64) -> u64 {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let data = data::PRESETS[0].settings.generate().unwrap();
    let n = data.len();
    let mut session = Session::new(data, Regularization::None, RunConfig::full_batch(0.05, n), Theta::new(0.0, 0.0)).unwrap();
    let mut refused = 0;
    for step in 0..operations {
        let before = snapshot(&session);
        let runs = session.runs().len();
        let index = if rng.gen_bool(0.9) { rng.gen_range(0..runs) } else { rng.gen_range(0..8) };
        let op = rng.gen_range(0..20);
        let name = format!("seed {seed}, operation {step} (kind {op})");
        let n = session.data().len();
        let result: Result<(), Error> = match op {
            0 => session.with_run(index, |run, _, objective| run.set_learning_rate(any_f64(&mut rng), objective)),
            1 => {
                let b = any_count(&mut rng);
                session.with_run(index, |run, data, _| run.set_batch_size(b, data.len()))
            }
            2 => {
                let optimizer = any_optimizer(&mut rng);
                session.with_run(index, |run, data, objective| run.set_optimizer(optimizer, data.len(), objective))
            }
            3 => {
                let schedule = any_schedule(&mut rng);
                session.with_run(index, |run, _, _| run.set_schedule(schedule))
            }
            4 => {
                let rule = any_rate_rule(&mut rng);
                session.with_run(index, |run, data, _| run.set_rate_rule(rule, data.len()))
            }
            5 => {
                let search = any_line_search(&mut rng);
                session.with_run(index, |run, data, _| run.set_line_search(search, data.len()))
            }
            6 => session.with_run(index, |run, _, objective| run.set_tolerance(any_f64(&mut rng), objective)),
            7 => any_regularization(&mut rng).and_then(|r| session.set_regularization(r)),
            8 => session.set_loss_convention(if rng.gen_bool(0.5) { LossConvention::Mse } else { LossConvention::HalfMse }),
            9 => session.set_standardize(rng.gen_bool(0.5)),
            10 => {
                let params = session.objective().params();
                session.reset(any_theta(&mut rng, params))
            }
            11 | 12 => {
                session.step(rng.gen_range(0..40));
                Ok(())
            }
            13 => {
                let (x, y) = (if rng.gen_bool(0.8) { rng.gen_range(-5.0..5.0) } else { any_f64(&mut rng) }, any_f64(&mut rng));
                session.edit_data(|d| d.add_point(x, y))
            }
            14 => {
                let (i, x, y) = (rng.gen_range(0..n + 2), rng.gen_range(-5.0..5.0), if rng.gen_bool(0.8) { rng.gen_range(-5.0..5.0) } else { any_f64(&mut rng) });
                session.edit_data(|d| d.move_point(i, x, y))
            }
            15 => {
                let i = rng.gen_range(0..n + 2);
                session.edit_data(|d| d.remove_point(i))
            }
            16 => session.settle_data(),
            17 => any_data(&mut rng).and_then(|d| session.set_data(d)),
            18 => {
                let config = RunConfig {
                    learning_rate: if rng.gen_bool(0.8) { rng.gen_range(1e-4..0.5) } else { any_f64(&mut rng) },
                    batch_size: if rng.gen_bool(0.7) { n } else { any_count(&mut rng) },
                    optimizer: any_optimizer(&mut rng),
                    line_search: if rng.gen_bool(0.3) { any_line_search(&mut rng) } else { LineSearch::None },
                    ..RunConfig::full_batch(0.05, n)
                };
                session.add_run(config).map(|_| ())
            }
            _ => {
                if rng.gen_bool(0.5) {
                    session.remove_run(index)
                } else {
                    session.clear_comparisons();
                    Ok(())
                }
            }
        };
        if let Err(error) = &result {
            refused += 1;
            check_refusal(error, &name);
            assert_eq!(snapshot(&session), before, "{name}: the refused operation ({error}) changed the session");
        }
        check_reports(&session, &name);
        // The analysis and an explanation of every run are always available.
        let _ = gdviz::session::report::Analysis::of(&session);
        for run in session.runs() {
            let _ = run.explain(session.data(), session.objective());
        }
    }
    refused
}

#[test]
fn random_operations_never_panic_and_keep_every_invariant() {
    let operations = std::env::var("GDVIZ_FUZZ_OPERATIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(SHORT_RUN);
    let seeds = 4;
    let started = std::time::Instant::now();
    let mut refused = 0;
    for seed in 0..seeds {
        refused += drive(seed, operations / seeds);
    }
    println!(
        "session fuzz: {} operations in {:.1} s ({} refused, each named and changing nothing)",
        operations / seeds * seeds,
        started.elapsed().as_secs_f64(),
        refused
    );
}

/// Found by the fuzzer: a start whose coordinates are finite but whose loss overflows (θ1 =
/// −1e308) was taken, and every readout became non-finite.
#[test]
fn a_start_whose_loss_overflows_is_refused_and_changes_nothing() {
    let data = data::PRESETS[0].settings.generate().unwrap();
    let n = data.len();
    let mut session = Session::new(data, Regularization::None, RunConfig::full_batch(0.05, n), Theta::new(0.0, 0.0)).unwrap();
    let before = snapshot(&session);
    let error = session.reset(Theta::new(3.0, -1e308)).unwrap_err();
    assert_eq!(error.to_string(), "start θ must be 2 coordinates at which the loss J is a finite number, got (3, -1e308)");
    assert_eq!(snapshot(&session), before);
    check_reports(&session, "reset");
}

/// Found by the fuzzer: λ = 1e308 was taken, and λ·θ overflowed the gradient while J stayed
/// finite; and the bold driver's up = 1e308 overflowed its rate, then ∞·0 made it NaN. Both
/// ranges are now bounded, and a rule's rate is kept finite whatever its factors.
#[test]
fn the_ranges_that_kept_the_numbers_finite() {
    assert_eq!(
        Regularization::from_parts("l2", 1e308, 0.5).unwrap_err().to_string(),
        "regularization strength λ must be in [0, 1000000], got 1e308"
    );
    assert_eq!(
        RateRule::BoldDriver { up: 1e308, down: 0.5 }.validate().unwrap_err().to_string(),
        "increase factor up must be in [1, 10], got 1e308"
    );
    // At the largest up, 400 kept steps in a row: the rate stays finite.
    let xs: Vec<f64> = (0..20).map(|i| i as f64 / 19.0).collect();
    let ys = xs.iter().map(|x| 1.0 + 2.0 * x).collect();
    let data = Dataset::new(xs, ys).unwrap();
    let config = RunConfig { rate_rule: RateRule::BoldDriver { up: 10.0, down: 0.5 }, tol: 1e-300, ..RunConfig::full_batch(1e-300, 20) };
    let mut session = Session::new(data, Regularization::None, config, Theta::new(0.0, 0.0)).unwrap();
    session.step(400);
    check_reports(&session, "400 bold steps");
}
