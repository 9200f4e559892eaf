//! The explanation of the coming update is computed by the stepping code itself: its `next` is
//! exactly (bit for bit) where the next step takes θ, for every optimizer, full batch and
//! mini-batch, with and without an L1 part, many steps in a row; its numbers agree with the
//! rules worked out here by direct loops over the data.

use approx::assert_relative_eq;
use gdviz::catalog::OPTIMIZERS;
use gdviz::least_squares::data::{self, Dataset};
use gdviz::descent::explain::Explanation;
use gdviz::least_squares::objective::{Objective, Regularization, Theta};
use gdviz::descent::optimizer::Optimizer;
use gdviz::descent::run::{Run, RunConfig, Status};
use serde_json::{json, Value};

fn preset() -> Dataset {
    data::preset("noisy").unwrap().settings.generate().unwrap()
}

/// A run of `optimizer` (with its defaults) at a rate it stays stable with.
fn run(optimizer: Optimizer, batch_size: usize, data: &Dataset, objective: &Objective) -> Run {
    let lr = match optimizer {
        Optimizer::Adagrad { .. } | Optimizer::Adam { .. } => 0.05,
        Optimizer::RmsProp { .. } => 0.01,
        _ => 0.02,
    };
    let config = RunConfig { optimizer, batch_size, tol: f64::MIN_POSITIVE, ..RunConfig::full_batch(lr, data.len()) };
    Run::new(config, Theta::new(-1.0, 3.0), data, objective).unwrap()
}

#[test]
fn next_is_exactly_where_the_step_goes() {
    let data = preset();
    for regularization in [Regularization::None, Regularization::ElasticNet { lambda: 0.3, l1_ratio: 0.5 }] {
        let objective = Objective::new(*data.stats(), regularization).unwrap();
        for entry in OPTIMIZERS {
            let optimizer = Optimizer::with_defaults(entry.name).unwrap();
            for batch_size in [data.len(), 3] {
                // Newton and CG take the full batch of a smooth objective; CG is done in d + 1 steps.
                let second_order = optimizer.is_second_order();
                if second_order && (batch_size < data.len() || regularization != Regularization::None) {
                    continue;
                }
                let mut run = run(optimizer, batch_size, &data, &objective);
                for step in 0..150 {
                    if second_order && run.status() == Status::Converged {
                        break;
                    }
                    assert_eq!(run.status(), Status::Running, "{} b={batch_size} {regularization:?}", entry.name);
                    let explanation = run.explain(&data, &objective);
                    assert_eq!(run.explain(&data, &objective), explanation, "explaining changes nothing");
                    assert_eq!(explanation.iteration, step);
                    let theta = run.step(1, &data, &objective).theta;
                    assert_eq!(
                        explanation.next.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
                        [theta[0], theta[1]].map(f64::to_bits),
                        "{} b={batch_size} {regularization:?} step {step}",
                        entry.name
                    );
                }
            }
        }
    }
}

/// The smooth gradient over the points `indices` by a direct loop, with the L2 part.
fn gradient_over(data: &Dataset, indices: &[u32], theta: [f64; 2], l2: f64) -> [f64; 2] {
    let (mut g0, mut g1) = (0.0, 0.0);
    for &i in indices {
        let (x, y) = (data.xs()[i as usize], data.ys()[i as usize]);
        let r = theta[0] + theta[1] * x - y;
        g0 += r;
        g1 += r * x;
    }
    let b = indices.len() as f64;
    [g0 / b, g1 / b + l2 * theta[1]]
}

#[test]
fn the_batch_is_the_one_the_step_uses_and_its_gradient_agrees() {
    let data = preset();
    let l2 = 0.2;
    let objective = Objective::new(*data.stats(), Regularization::L2 { lambda: l2 }).unwrap();
    let mut run = run(Optimizer::Sgd, 3, &data, &objective);
    let mut seen = 0;
    for _ in 0..80 {
        let e = run.explain(&data, &objective);
        assert_eq!(e.gradient.kind, "batch");
        let batch = e.gradient.batch.as_ref().unwrap();
        let indices = batch.indices.as_ref().unwrap();
        // 200 points in batches of 3: 66 full batches, then one of 2 closes the epoch.
        assert_eq!(batch.size, if seen % 200 == 198 { 2 } else { 3 });
        assert_eq!(indices.len(), batch.size);
        let g = gradient_over(&data, indices, [e.theta[0], e.theta[1]], l2);
        assert_relative_eq!(e.gradient.value[0], g[0], max_relative = 1e-12);
        assert_relative_eq!(e.gradient.value[1], g[1], max_relative = 1e-12);
        // Plain descent: θ − η·g.
        assert_relative_eq!(e.next[0], e.theta[0] - e.lr * g[0], max_relative = 1e-12);
        assert_relative_eq!(e.next[1], e.theta[1] - e.lr * g[1], max_relative = 1e-12);
        let full = gradient_over(&data, &(0..200).collect::<Vec<u32>>(), [e.theta[0], e.theta[1]], l2);
        assert_relative_eq!(e.gradient.full[0], full[0], max_relative = 1e-9, epsilon = 1e-12);
        assert_relative_eq!(e.gradient.full[1], full[1], max_relative = 1e-9, epsilon = 1e-12);
        seen += batch.size;
        run.step(1, &data, &objective);
    }
    // A large batch lists no indices.
    let e = self::run(Optimizer::Sgd, 100, &data, &objective).explain(&data, &objective);
    assert_eq!(e.gradient.batch.as_ref().unwrap().indices, None);
    assert_eq!(e.gradient.batch.as_ref().unwrap().size, 100);
}

#[test]
fn momentum_is_written_out_with_its_numbers() {
    let data = Dataset::new(vec![0.0, 1.0, 2.0, 3.0], vec![1.0, 2.0, 2.0, 5.0]).unwrap();
    let objective = Objective::new(*data.stats(), Regularization::None).unwrap();
    let mut run = run(Optimizer::Momentum { momentum: 0.9 }, 4, &data, &objective);
    run.step(1, &data, &objective);
    let e: Explanation = run.explain(&data, &objective);
    // After one step b = g₀ (the gradient at the start); the coming b is 0.9·b + g.
    let g_start = gradient_over(&data, &[0, 1, 2, 3], [-1.0, 3.0], 0.0);
    let g = gradient_over(&data, &[0, 1, 2, 3], [e.theta[0], e.theta[1]], 0.0);
    let b = [0.9 * g_start[0] + g[0], 0.9 * g_start[1] + g[1]];
    assert_eq!(e.optimizer, "momentum");
    assert_eq!(e.iteration, 1);
    assert_eq!(e.gradient.kind, "full");
    assert!(e.gradient.batch.is_none() && e.prox.is_none() && !e.gradient.l1_subgradient);
    assert_eq!(e.steps.len(), 2);
    assert_eq!((e.steps[0].symbol, e.steps[1].symbol), ("b", "θ"));
    for (i, b) in b.iter().enumerate() {
        assert_relative_eq!(e.steps[0].value[i], b, max_relative = 1e-12);
        assert_relative_eq!(e.next[i], e.theta[i] - 0.02 * b, max_relative = 1e-12);
    }
    assert_eq!(e.steps[1].value, e.next);
    let step: Value = serde_json::to_value(&e.steps[0]).unwrap();
    let old_b = step["formula"][3][2].clone();
    for i in 0..2 {
        assert_relative_eq!(old_b[i].as_f64().unwrap(), g_start[i], max_relative = 1e-12);
    }
    assert_eq!(
        step["formula"],
        json!(["row", ["var", "μ", 0.9], "·", ["var", "b", old_b], "+", ["var", "g", e.gradient.value], ])
    );
    // H = [[1, 1.5], [1.5, 3.5]]: λmax = 2.25 + √3.8125; heavy ball diverges above 2(1 + μ)/λmax.
    let lambda_max = 2.25 + 3.8125f64.sqrt();
    assert_relative_eq!(e.stability.momentum_critical.unwrap(), 3.8 / lambda_max, max_relative = 1e-12);
    assert_relative_eq!(e.stability.lr_critical, 2.0 / lambda_max, max_relative = 1e-12);
    assert!(!e.stability.applies);
}

#[test]
fn adam_shows_its_moments_and_plain_descent_its_proximal_step() {
    let data = preset();
    let objective = Objective::new(*data.stats(), Regularization::L1 { lambda: 0.5 }).unwrap();
    let e = run(Optimizer::with_defaults("adam").unwrap(), 200, &data, &objective).explain(&data, &objective);
    let symbols: Vec<&str> = e.steps.iter().map(|s| s.symbol).collect();
    assert_eq!(symbols, ["m", "v", "m̂", "v̂", "θ"]);
    assert!(e.gradient.l1_subgradient);
    // Adam's first step from zero moments: m̂ = g, v̂ = g², θ moves by η·g/(|g| + ε) ≈ η per coordinate.
    let g = e.gradient.value.clone();
    for (i, g) in g.iter().enumerate() {
        assert_relative_eq!(e.steps[2].value[i], g, max_relative = 1e-12);
        assert_relative_eq!(e.steps[3].value[i], g * g, max_relative = 1e-12);
        assert_relative_eq!(e.theta[i] - e.next[i], 0.05 * g / (g.abs() + 1e-8), max_relative = 1e-9);
    }
    // With an L1 part the subgradient λ·sign(θ1) = 0.5 is in g1 (θ1 = 3 > 0).
    assert_relative_eq!(e.gradient.value[1] - e.gradient.full[1], 0.5, max_relative = 1e-12);
    assert!(e.prox.is_none());

    let e = run(Optimizer::Sgd, 200, &data, &objective).explain(&data, &objective);
    let prox = e.prox.unwrap();
    assert_relative_eq!(prox.threshold, 0.02 * 0.5, max_relative = 1e-15);
    assert_eq!(prox.before, [e.steps[0].value[1]]);
    assert_relative_eq!(prox.after[0], prox.before[0] - prox.threshold, max_relative = 1e-15);
    assert_eq!(prox.after, [e.next[1]]);
    assert!(e.stability.applies && e.stability.momentum_critical.is_none() && !e.gradient.l1_subgradient);
}

#[test]
fn next_stays_exact_when_the_data_changes_under_a_mini_batch_run() {
    use gdviz::session::Session;
    let data = preset();
    let config = RunConfig { batch_size: 3, ..RunConfig::full_batch(0.02, data.len()) };
    let mut session = Session::new(data, Regularization::None, config, Theta::new(-1.0, 3.0)).unwrap();
    session.add_run(RunConfig { optimizer: Optimizer::with_defaults("nesterov").unwrap(), ..config }).unwrap();
    for round in 0..4 {
        for _ in 0..7 {
            let expected: Vec<Explanation> =
                session.runs().iter().map(|r| r.explain(session.data(), session.objective())).collect();
            let reports = session.step(1);
            for (e, report) in expected.iter().zip(&reports) {
                assert_eq!(e.next.iter().map(|v| v.to_bits()).collect::<Vec<_>>(), [report.theta[0], report.theta[1]].map(f64::to_bits));
            }
        }
        // New points (same count): the sampler starts a fresh epoch.
        let seed = 10 + round;
        let settings = data::GeneratorSettings { seed, ..data::preset("noisy").unwrap().settings };
        session.set_data(settings.generate().unwrap()).unwrap();
    }
}

#[test]
fn the_listed_indices_are_the_points_the_step_sums() {
    // The batch the explanation lists, by original index into the data set, is the batch the
    // step then uses: its gradient, summed here over exactly those data points in the listed
    // order, equals the step's batch gradient exactly. Also after the data change under the run
    // (every point moved): the epoch order must hold the new points.
    use gdviz::session::Session;
    let data = preset();
    let n = data.len();
    let config = RunConfig { batch_size: 9, ..RunConfig::full_batch(0.01, n) };
    let mut session = Session::new(data.clone(), Regularization::None, config, Theta::new(-1.0, 3.0)).unwrap();
    for round in 0..3 {
        for _ in 0..30 {
            let e = session.runs()[0].explain(session.data(), session.objective());
            let indices = e.gradient.batch.as_ref().unwrap().indices.clone().unwrap();
            let mut sorted = indices.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), indices.len(), "distinct points");
            assert!(sorted.iter().all(|&i| (i as usize) < n));
            session.step(1);
            let g = session.runs()[0].last_gradients().unwrap();
            assert_eq!(vec![g.at[0], g.at[1]], e.theta);
            let expected = gradient_over(session.data(), &indices, [e.theta[0], e.theta[1]], 0.0);
            assert_eq!([g.batch[0], g.batch[1]], expected, "round {round}: batch {indices:?}");
        }
        // Every y moved up by 0.5 + round: the same n, other points.
        let ys: Vec<f64> = data.ys().iter().map(|y| y + 0.5 + round as f64).collect();
        session.set_data(Dataset::new(data.xs().to_vec(), ys).unwrap()).unwrap();
    }
}
