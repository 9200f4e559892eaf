//! Stepping: full-batch gradient descent converges below the critical rate and diverges above
//! it, the proximal step reaches the exact lasso solution, mini-batches are reproducible,
//! permutations, and counted correctly. Reference numbers (θ*, eigenvalues, rates, step counts)
//! are computed here from the data by direct loops and closed forms, not by the crate.

#[path = "support/reference.rs"]
mod reference;

use approx::assert_relative_eq;
use gdviz::least_squares::data::{self, Dataset};
use gdviz::least_squares::objective::{Objective, Regularization, Theta};
use gdviz::descent::run::{Run, RunConfig, Status};
use gdviz::descent::schedule::Schedule;
use gdviz::session::Session;

// ---------------------------------------------------------------------------------------------
// Independent reference computations
// ---------------------------------------------------------------------------------------------

/// Everything the tests need about one data set and one smooth L2 weight, from direct loops.
struct Reference {
    /// Eigenvalues of H = [[1, x̄], [x̄, mean(x²) + λ2]].
    lambda_min: f64,
    lambda_max: f64,
    /// Unit eigenvector of λ_max.
    v_max: [f64; 2],
    /// Exact minimizer of the smooth objective (λ1 = 0).
    theta_star: [f64; 2],
}

fn reference(xs: &[f64], ys: &[f64], l2: f64) -> Reference {
    let n = xs.len() as f64;
    let mx = xs.iter().sum::<f64>() / n;
    let my = ys.iter().sum::<f64>() / n;
    let mxx = xs.iter().map(|x| x * x).sum::<f64>() / n;
    let sxx = xs.iter().map(|x| (x - mx) * (x - mx)).sum::<f64>() / n;
    let sxy = xs.iter().zip(ys).map(|(x, y)| (x - mx) * (y - my)).sum::<f64>() / n;
    // Characteristic polynomial λ² − (1 + q)λ + det, det = q − x̄² = Sxx + λ2 (centred).
    let q = mxx + l2;
    let det = sxx + l2;
    let trace = 1.0 + q;
    let lambda_max = 0.5 * (trace + (trace * trace - 4.0 * det).sqrt());
    let lambda_min = det / lambda_max;
    // (H − λ_max I)v = 0 ⇒ v ∝ (x̄, λ_max − 1).
    let (a, b) = (mx, lambda_max - 1.0);
    let norm = a.hypot(b);
    let v_max = if norm > 0.0 { [a / norm, b / norm] } else { [1.0, 0.0] };
    // Normal equations [[1, x̄], [x̄, q]]·θ = (ȳ, mean(xy)) by Cramer's rule:
    // θ1 = (mean(xy) − x̄ȳ)/det = Sxy/det (both in centred form), θ0 = ȳ − θ1·x̄.
    let t1 = sxy / det;
    let t0 = my - t1 * mx;
    Reference { lambda_min, lambda_max, v_max, theta_star: [t0, t1] }
}

fn dist(t: Theta, s: [f64; 2]) -> f64 {
    (t[0] - s[0]).hypot(t[1] - s[1])
}

/// J by a direct loop.
fn loss_direct(xs: &[f64], ys: &[f64], t: Theta, l1: f64, l2: f64) -> f64 {
    let n = xs.len() as f64;
    let mut sum = 0.0;
    for (x, y) in xs.iter().zip(ys) {
        let r = t[0] + t[1] * x - y;
        sum += r * r;
    }
    sum / (2.0 * n) + l1 * t[1].abs() + 0.5 * l2 * t[1] * t[1]
}

/// The data sets of the convergence tests: every preset and the hand data set.
fn data_sets() -> Vec<(String, Dataset)> {
    let mut v: Vec<(String, Dataset)> = data::PRESETS
        .iter()
        .map(|p| (p.name.to_string(), p.settings.generate().unwrap()))
        .collect();
    v.push(("hand".into(), hand()));
    v
}

fn hand() -> Dataset {
    Dataset::new(vec![0.0, 1.0, 2.0, 3.0], vec![1.0, 2.0, 2.0, 5.0]).unwrap()
}

fn full_batch_run(lr: f64, tol: f64, data: &Dataset, objective: &Objective) -> Run {
    let mut config = RunConfig::full_batch(lr, data.len());
    config.tol = tol;
    Run::new(config, Theta::new(0.0, 0.0), data, objective).unwrap()
}

/// Steps so that ρ^k·e0 ≤ target: k = ⌈ln(target/e0)/ln ρ⌉.
fn steps_needed(rho: f64, e0: f64, target: f64) -> u64 {
    if e0 <= target {
        return 0;
    }
    ((target / e0).ln() / rho.ln()).ceil() as u64
}

/// All decimal numbers in a sentence.
fn numbers_in(text: &str) -> Vec<f64> {
    let mut out = Vec::new();
    let mut current = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() || c == '.' || ((c == 'e' || c == '-') && !current.is_empty()) {
            current.push(c);
        } else {
            let trimmed = current.trim_end_matches(['.', 'e', '-']);
            if let Ok(v) = trimmed.parse::<f64>() {
                out.push(v);
            }
            current.clear();
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Full batch: converge at 0.99·η_crit, diverge at 1.01·η_crit
// ---------------------------------------------------------------------------------------------

#[test]
fn full_batch_converges_just_below_critical_rate() {
    for (name, data) in data_sets() {
        for l2 in [0.0, 0.5] {
            let reg = if l2 == 0.0 { Regularization::None } else { Regularization::L2 { lambda: l2 } };
            let objective = Objective::new(*data.stats(), reg).unwrap();
            let r = reference(data.xs(), data.ys(), l2);
            let eta = 0.99 * 2.0 / r.lambda_max;
            // Along v_max the error is multiplied by |1 − 1.98| = 0.98 each step, along v_min by
            // 1 − 0.99·2·λ_min/λ_max; the slower one sets the rate.
            let rho = (1.0 - eta * r.lambda_min).abs().max((1.0 - eta * r.lambda_max).abs());
            assert!(rho < 1.0);
            let e0 = dist(Theta::new(0.0, 0.0), r.theta_star);
            let scale = 1.0 + r.theta_star[0].hypot(r.theta_star[1]);

            // 1) With a tolerance that never triggers, after the computed number of steps θ is
            //    within 1e-9·scale of θ*.
            let target = 1e-9 * scale;
            let steps = steps_needed(rho, e0, target);
            let mut run = full_batch_run(eta, f64::MIN_POSITIVE, &data, &objective);
            let report = run.step(steps, &data, &objective);
            assert_eq!(report.iteration, steps, "{name} λ2={l2}");
            assert_eq!(report.epoch, steps, "{name}: full batch, one epoch per update");
            assert_eq!(report.samples_seen, steps * data.len() as u64);
            let error = dist(report.theta, r.theta_star);
            assert!(
                error <= 2.0 * target,
                "{name} λ2={l2}: ‖θ − θ*‖ = {error:e} after {steps} steps (ρ = {rho})"
            );
            let j_star = loss_direct(data.xs(), data.ys(), Theta::new(r.theta_star[0], r.theta_star[1]), 0.0, l2);
            assert_relative_eq!(report.loss, j_star, max_relative = 1e-9);
            if name == "ill-conditioned" && l2 == 0.0 {
                // κ ≈ 2000: the slow direction needs ~ln(1e9·e0)·κ/1.98 > 10 000 steps.
                assert!(steps > 10_000, "{steps}");
            }

            // 2) With the default tolerance 1e-6 the run reports "converged" no later than the
            //    step where ‖θ − θ*‖ ≤ 1e-6/λ_max (then ‖∇J‖ = ‖H(θ − θ*)‖ ≤ 1e-6).
            let steps = steps_needed(rho, e0, 1e-6 / r.lambda_max) + 1;
            let mut run = full_batch_run(eta, 1e-6, &data, &objective);
            let report = run.step(steps, &data, &objective);
            assert_eq!(report.status, Status::Converged, "{name} λ2={l2} after {steps}");
            assert!(report.grad_norm <= 1e-6);
            assert!(report.iteration <= steps);
            // A converged run does not step further.
            let again = run.step(10, &data, &objective);
            assert_eq!(again.iteration, report.iteration);
            assert_eq!(again.theta, report.theta);
        }
    }
}

#[test]
fn full_batch_diverges_just_above_critical_rate() {
    for (name, data) in data_sets() {
        for l2 in [0.0, 0.5] {
            let reg = if l2 == 0.0 { Regularization::None } else { Regularization::L2 { lambda: l2 } };
            let objective = Objective::new(*data.stats(), reg).unwrap();
            let r = reference(data.xs(), data.ys(), l2);
            let lr_critical = 2.0 / r.lambda_max;
            let eta = 1.01 * lr_critical;
            // The component c along v_max grows by |1 − 2.02| = 1.02 per step, the others shrink;
            // J − J* ≥ ½·λ_max·c², so J > 1e10·J0 once ½·λ_max·c0²·1.02^(2k) > 1e10·J0.
            let start = Theta::new(0.0, 0.0);
            let j0 = loss_direct(data.xs(), data.ys(), start, 0.0, l2);
            let c0 = ((start[0] - r.theta_star[0]) * r.v_max[0]
                + (start[1] - r.theta_star[1]) * r.v_max[1])
                .abs();
            let bound = ((2.0 * 1e10 * j0 / (r.lambda_max * c0 * c0)).ln() / (2.0 * 1.02f64.ln())).ceil() as u64 + 2;
            let mut run = full_batch_run(eta, 1e-6, &data, &objective);
            let report = run.step(bound, &data, &objective);
            assert_eq!(report.status, Status::Diverged, "{name} λ2={l2} within {bound} steps");
            assert!(report.iteration > 10, "{name}: should take a while at 1.01·η_crit");
            assert!(report.theta.is_finite());
            assert!(report.loss.is_finite());
            assert!(report.grad_norm.is_finite());
            assert!(report.lr_effective.is_finite());
            let d = report.divergence.clone().expect("divergence details");
            assert_eq!(d.iteration, report.iteration);
            assert_relative_eq!(d.learning_rate, eta, max_relative = 1e-15);
            assert_relative_eq!(d.lr_critical, lr_critical, max_relative = 1e-12);
            assert!(d.last_loss.is_finite());
            // The message names both rates (to 3 significant digits).
            let nums = numbers_in(&d.message);
            let mentions = |v: f64| nums.iter().any(|&m| ((m - v) / v).abs() < 5e-3);
            assert!(mentions(eta), "{name}: {:?} lacks the rate {eta}", d.message);
            assert!(mentions(lr_critical), "{name}: {:?} lacks the critical rate {lr_critical}", d.message);
            // No more stepping.
            let again = run.step(1000, &data, &objective);
            assert_eq!(again, report);
            assert_eq!(run.iteration(), report.iteration);
            assert_eq!(run.history().points().last().unwrap().iteration, report.iteration);
        }
    }
}

#[test]
fn non_finite_update_keeps_last_finite_state() {
    // η = 1e300 sends θ to ±1e300·g and J to infinity on the first update.
    let data = hand();
    let objective = Objective::new(*data.stats(), Regularization::None).unwrap();
    let start = Theta::new(0.5, -0.5);
    let mut run = Run::new(RunConfig::full_batch(1e300, data.len()), start, &data, &objective).unwrap();
    let report = run.step(5, &data, &objective);
    assert_eq!(report.status, Status::Diverged);
    assert_eq!(report.theta, start);
    // J(0.5, −0.5): r = 0.5 − 0.5x − y = (−0.5, −2, −2.5, −6): (0.25 + 4 + 6.25 + 36)/8.
    assert_relative_eq!(report.loss, 46.5 / 8.0, max_relative = 1e-14);
    assert!(report.grad_norm.is_finite());
    let d = report.divergence.unwrap();
    assert!(d.message.contains("critical"), "{}", d.message);
    assert_eq!(run.step(3, &data, &objective).iteration, report.iteration);
    for p in run.history().points() {
        assert!(p.theta.is_finite() && p.loss.is_finite() && p.grad_norm.is_finite());
    }
}

#[test]
fn one_update_is_one_gradient_step() {
    // Hand data at θ = (0, 0): ∇J = (−2.5, −5.25) (mean(r), mean(r·x) with r = −y). With
    // η = 0.1: θ = (0.25, 0.525). J there: r = 0.25 + 0.525x − y = (−0.75, −1.225, −0.7, −3.175),
    // Σr² = 0.5625 + 1.500625 + 0.49 + 10.080625 = 12.63375, J = 1.57921875.
    let data = hand();
    let objective = Objective::new(*data.stats(), Regularization::None).unwrap();
    let mut run = Run::new(RunConfig::full_batch(0.1, 4), Theta::new(0.0, 0.0), &data, &objective).unwrap();
    let report = run.step(1, &data, &objective);
    assert_eq!(report.iteration, 1);
    assert_relative_eq!(report.theta[0], 0.25, max_relative = 1e-14);
    assert_relative_eq!(report.theta[1], 0.525, max_relative = 1e-14);
    assert_relative_eq!(report.loss, 1.57921875, max_relative = 1e-13);
    // The learning rate can change between steps; θ and the count carry on.
    run.set_learning_rate(0.2, &objective).unwrap();
    let before = report.theta;
    // ∇J at (0.25, 0.525): mean(r) = −5.85/4 = −1.4625, mean(r·x) = (0 − 1.225 − 1.4 − 9.525)/4
    // = −3.0375.
    let report = run.step(1, &data, &objective);
    assert_eq!(report.iteration, 2);
    assert_relative_eq!(report.theta[0], before[0] + 0.2 * 1.4625, max_relative = 1e-14);
    assert_relative_eq!(report.theta[1], before[1] + 0.2 * 3.0375, max_relative = 1e-14);
    assert_relative_eq!(report.lr_effective, 0.2);
    // History: one point per update plus the start.
    let h = run.history().points();
    assert_eq!(h.len(), 3);
    assert_eq!(h.iter().map(|p| p.iteration).collect::<Vec<_>>(), vec![0, 1, 2]);
    assert_eq!(h[0].theta, Theta::new(0.0, 0.0));
    assert_relative_eq!(h[0].loss, 4.25, max_relative = 1e-14);
}

// ---------------------------------------------------------------------------------------------
// L1 by the proximal step
// ---------------------------------------------------------------------------------------------

#[test]
fn proximal_gd_reaches_exact_lasso_solution() {
    // Hand data: Sxy = 1.5, Sxx = 1.25, x̄ = 1.5, ȳ = 2.5.
    // λ = 0.25: θ* = ((1.5 − 0.25)/1.25 → 1, 2.5 − 1.5 = 1) = (1, 1).
    // λ = 2 > Sxy: θ* = (2.5, 0), θ1 exactly 0.
    let data = hand();
    let r = reference(data.xs(), data.ys(), 0.0);
    let eta = 0.99 * 2.0 / r.lambda_max;
    let rho = (1.0 - eta * r.lambda_min).max(0.98);
    for (lambda, expected) in [(0.25, [1.0, 1.0]), (2.0, [2.5, 0.0]), (1.6, [2.5, 0.0])] {
        let objective = Objective::new(*data.stats(), Regularization::L1 { lambda }).unwrap();
        let steps = steps_needed(rho, 3.0, 1e-12);
        let mut run = full_batch_run(eta, 1e-10, &data, &objective);
        let report = run.step(steps, &data, &objective);
        assert_eq!(report.status, Status::Converged, "λ = {lambda}");
        assert_relative_eq!(report.theta[0], expected[0], max_relative = 1e-9);
        if expected[1] == 0.0 {
            assert_eq!(report.theta[1], 0.0, "λ = {lambda}: the slope must be exactly 0");
        } else {
            assert_relative_eq!(report.theta[1], expected[1], max_relative = 1e-9);
        }
    }
}

#[test]
fn proximal_gd_exact_zero_on_presets() {
    for (name, data) in data_sets() {
        let n = data.len() as f64;
        let mx = data.xs().iter().sum::<f64>() / n;
        let my = data.ys().iter().sum::<f64>() / n;
        let sxy = data.xs().iter().zip(data.ys()).map(|(x, y)| (x - mx) * (y - my)).sum::<f64>() / n;
        for reg in [
            Regularization::L1 { lambda: 1.5 * sxy.abs() },
            // Elastic net with λ1 = λ·ρ = 1.5·|Sxy|, and λ2 = λ·(1 − ρ).
            Regularization::ElasticNet { lambda: 3.0 * sxy.abs(), l1_ratio: 0.5 },
        ] {
            let l2 = reg.l2_weight();
            let objective = Objective::new(*data.stats(), reg).unwrap();
            let r = reference(data.xs(), data.ys(), l2);
            let eta = 0.99 * 2.0 / r.lambda_max;
            let rho = (1.0 - eta * r.lambda_min).max(0.98);
            let e0 = 1.0 + my.abs() + 10.0 * sxy.abs();
            let steps = steps_needed(rho, e0, 1e-12);
            let mut run = full_batch_run(eta, 1e-10, &data, &objective);
            let report = run.step(steps, &data, &objective);
            assert_eq!(report.status, Status::Converged, "{name} {reg:?}");
            assert_eq!(report.theta[1], 0.0, "{name} {reg:?}: slope must be exactly 0");
            assert_relative_eq!(report.theta[0], my, max_relative = 1e-9);
            assert!(report.grad_norm <= 1e-10);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Mini-batches
// ---------------------------------------------------------------------------------------------

fn minibatch_run(data: &Dataset, objective: &Objective, batch: usize, seed: u64, lr: f64) -> Run {
    let mut config = RunConfig::full_batch(lr, data.len());
    config.batch_size = batch;
    config.seed = seed;
    Run::new(config, Theta::new(0.0, 0.0), data, objective).unwrap()
}

#[test]
fn same_seed_same_trajectory_other_seed_differs() {
    let data = data::preset("noisy").unwrap().settings.generate().unwrap();
    let objective = Objective::new(*data.stats(), Regularization::ElasticNet { lambda: 0.1, l1_ratio: 0.5 }).unwrap();
    for batch in [1, 7, 32] {
        let mut a = minibatch_run(&data, &objective, batch, 42, 0.02);
        let mut b = minibatch_run(&data, &objective, batch, 42, 0.02);
        let mut c = minibatch_run(&data, &objective, batch, 43, 0.02);
        // Several calls of different sizes: the trajectory must not depend on how it was chunked.
        for k in [1, 10, 100, 389] {
            a.step(k, &data, &objective);
        }
        b.step(500, &data, &objective);
        c.step(500, &data, &objective);
        let (ha, hb, hc) = (a.history().points(), b.history().points(), c.history().points());
        assert_eq!(ha.len(), 501);
        assert_eq!(ha, hb, "batch {batch}: same seed must give bit-identical histories");
        assert_eq!(a.report(&data, &objective), b.report(&data, &objective));
        assert_ne!(ha[1..], hc[1..], "batch {batch}: another seed must differ");
        assert!(ha.iter().zip(hc).skip(1).any(|(p, q)| p.theta != q.theta));
        // Restarting replays the same trajectory.
        a.restart(Theta::new(0.0, 0.0), &data, &objective);
        a.step(500, &data, &objective);
        assert_eq!(a.history().points(), hb);
    }
}

#[test]
fn epoch_and_samples_count_with_short_last_batch() {
    // n = 10, b = 3: batches of 3, 3, 3, 1 make one epoch.
    let xs: Vec<f64> = (0..10).map(|i| i as f64).collect();
    let ys: Vec<f64> = xs.iter().map(|x| 1.0 + 2.0 * x).collect();
    let data = Dataset::new(xs, ys).unwrap();
    let objective = Objective::new(*data.stats(), Regularization::None).unwrap();
    let mut run = minibatch_run(&data, &objective, 3, 7, 1e-4);
    let expected = [(1, 0, 3), (2, 0, 6), (3, 0, 9), (4, 1, 10), (5, 1, 13), (8, 2, 20), (9, 2, 23)];
    let mut done = 0;
    for (iteration, epoch, samples) in expected {
        let r = run.step(iteration - done, &data, &objective);
        done = iteration;
        assert_eq!((r.iteration, r.epoch, r.samples_seen), (iteration, epoch, samples));
    }
    // Changing the batch size continues the epoch: 23 seen, 3 into epoch 2; b = 5 takes
    // 5 (→ 28), then the remaining 2 (→ 30, epoch 3).
    run.set_batch_size(5, data.len()).unwrap();
    let r = run.step(1, &data, &objective);
    assert_eq!((r.epoch, r.samples_seen), (2, 28));
    let r = run.step(1, &data, &objective);
    assert_eq!((r.epoch, r.samples_seen), (3, 30));
    // History records the epoch at each point.
    assert_eq!(run.history().points()[4].epoch, 1);
    assert_eq!(run.history().points()[3].epoch, 0);
}

/// Finds the index sets B of size `size` whose batch gradient at `at`, computed by a direct
/// loop (mean of r and r·x over B, plus λ2·θ1), equals `batch`.
fn matching_batches(data: &Dataset, at: Theta, batch: Theta, size: usize, l2: f64) -> Vec<Vec<usize>> {
    let n = data.len();
    let mut found = Vec::new();
    let mut subset = Vec::new();
    fn rec(start: usize, n: usize, size: usize, subset: &mut Vec<usize>, f: &mut dyn FnMut(&[usize])) {
        if subset.len() == size {
            f(subset);
            return;
        }
        for i in start..n {
            subset.push(i);
            rec(i + 1, n, size, subset, f);
            subset.pop();
        }
    }
    let (xs, ys) = (data.xs(), data.ys());
    rec(0, n, size, &mut subset, &mut |s: &[usize]| {
        let (mut g0, mut g1) = (0.0, 0.0);
        for &i in s {
            let r = at[0] + at[1] * xs[i] - ys[i];
            g0 += r;
            g1 += r * xs[i];
        }
        g0 /= s.len() as f64;
        g1 = g1 / s.len() as f64 + l2 * at[1];
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * (1.0 + a.abs().max(b.abs()));
        if close(g0, batch[0]) && close(g1, batch[1]) {
            found.push(s.to_vec());
        }
    });
    found
}

#[test]
fn each_epoch_uses_every_point_once() {
    // Irregular x and y so that different batches have different gradients.
    let xs: Vec<f64> = (0..10).map(|i| (i as f64) * 0.7 + ((i * i) as f64).sqrt() * 0.013).collect();
    let ys: Vec<f64> = (0..10).map(|i| (i as f64 * 1.3).sin() * 5.0 + i as f64).collect();
    let data = Dataset::new(xs, ys).unwrap();
    let l2 = 0.3;
    let objective = Objective::new(*data.stats(), Regularization::L2 { lambda: l2 }).unwrap();
    for batch in [1usize, 3, 4] {
        let mut run = minibatch_run(&data, &objective, batch, 11, 0.05);
        let mut orders: Vec<Vec<usize>> = Vec::new();
        let mut epoch_points: Vec<usize> = Vec::new();
        let mut samples = 0;
        for _ in 0..6 * data.len().div_ceil(batch) {
            let report = run.step(1, &data, &objective);
            let used = (report.samples_seen - samples) as usize;
            samples = report.samples_seen;
            let g = run.last_gradients().unwrap();
            // The full-batch gradient reported beside it is the direct-loop gradient too.
            let full = matching_batches(&data, g.at, g.full, data.len(), l2);
            assert_eq!(full.len(), 1, "full gradient");
            let found = matching_batches(&data, g.at, g.batch, used, l2);
            assert_eq!(found.len(), 1, "batch {batch}: exactly one subset of size {used} must match");
            epoch_points.extend(&found[0]);
            if epoch_points.len() >= data.len() {
                assert_eq!(epoch_points.len(), data.len(), "batches must not straddle epochs");
                let mut sorted = epoch_points.clone();
                sorted.sort_unstable();
                assert_eq!(sorted, (0..data.len()).collect::<Vec<_>>(), "batch {batch}: not a permutation");
                orders.push(std::mem::take(&mut epoch_points));
            }
        }
        assert_eq!(orders.len(), 6);
        if batch == 1 {
            // A fresh permutation each epoch (6 equal orders of 10 points: probability 1/10!^5).
            assert!(orders.windows(2).any(|w| w[0] != w[1]), "the same order every epoch");
        }
    }
}

#[test]
fn minibatch_step_uses_the_batch_gradient() {
    // b = 1 at θ = (0, 0) with η = 0.5 on (1, 3), (2, 1): the update must be
    // θ − η·(r_i, r_i·x_i) for one i: i = 0: r = −3 → (1.5, 1.5); i = 1: r = −1 → (0.5, 1).
    let data = Dataset::new(vec![1.0, 2.0], vec![3.0, 1.0]).unwrap();
    let objective = Objective::new(*data.stats(), Regularization::None).unwrap();
    let mut run = minibatch_run(&data, &objective, 1, 5, 0.5);
    let t = run.step(1, &data, &objective).theta;
    assert!(t == Theta::new(1.5, 1.5) || t == Theta::new(0.5, 1.0), "{t:?}");
}


#[test]
fn minibatch_trajectory_is_the_plain_fisher_yates_one_bit_for_bit() {
    // 50 points in batches of 7: 7 full batches and one of 1 per epoch; 120 updates cross 15
    // epochs. The same data, batches and seeds as the wasm test of this definition
    // (tests/wasm_boundary.rs), so both targets give these bits.
    let data = data::preset("clean").unwrap().settings.generate().unwrap();
    let objective = Objective::new(*data.stats(), Regularization::None).unwrap();
    for (batch, seed) in [(7, 5), (1, 9), (49, 1)] {
        let mut run = minibatch_run(&data, &objective, batch, seed, 0.01);
        for steps in [1u64, 8, 40, 120] {
            let done = run.iteration();
            let theta = run.step(steps - done, &data, &objective).theta;
            let [t0, t1] = reference::reference_sgd(data.xs(), data.ys(), batch, seed, 0.01, [0.0, 0.0], steps);
            let expected = Theta::new(t0, t1);
            assert_eq!(
                [theta[0], theta[1]].map(f64::to_bits),
                [expected[0], expected[1]].map(f64::to_bits),
                "b = {batch}, seed {seed}, after {steps} updates: {theta:?} ≠ {expected:?}"
            );
        }
    }
}

#[test]
fn every_order_of_an_epoch_is_equally_likely() {
    // n = 4, b = 1: each epoch is one of 4! = 24 orders. Over 24 000 epochs each order should
    // come 1000 times; Pearson's χ² with 23 degrees of freedom exceeds 70 with probability
    // below 1e-6. The point of each update is read back from its gradient: at θ = (0, 0),
    // g = (−y_i, −x_i·y_i), and the x_i are distinct.
    let xs = vec![1.0, 2.0, 3.0, 4.0];
    let ys = vec![10.0, 20.0, 30.0, 40.0];
    let data = Dataset::new(xs.clone(), ys).unwrap();
    let objective = Objective::new(*data.stats(), Regularization::None).unwrap();
    let epochs = 24_000;
    let mut run = minibatch_run(&data, &objective, 1, 2024, 1e-300);
    let mut counts = std::collections::HashMap::<[usize; 4], u32>::new();
    for _ in 0..epochs {
        let mut order = [0; 4];
        for slot in &mut order {
            run.step(1, &data, &objective);
            let g = run.last_gradients().unwrap().batch;
            let x = g[1] / g[0];
            *slot = xs.iter().position(|&xi| (xi - x).abs() < 1e-6).expect("a data point");
        }
        let mut sorted = order;
        sorted.sort_unstable();
        assert_eq!(sorted, [0, 1, 2, 3], "an epoch is a permutation");
        *counts.entry(order).or_default() += 1;
    }
    assert_eq!(counts.len(), 24, "every order occurs");
    let expected = epochs as f64 / 24.0;
    let chi2: f64 = counts.values().map(|&c| (c as f64 - expected).powi(2) / expected).sum();
    assert!(chi2 < 70.0, "χ² = {chi2} over 24 orders: {counts:?}");
}

// ---------------------------------------------------------------------------------------------
// Schedules and the reported numbers
// ---------------------------------------------------------------------------------------------

#[test]
fn gradient_norm_with_l1_stays_right_when_the_rate_decays() {
    // Cosine with T = 5 reaches η_t = η·(1 + cos π)/2 = 0 at t = 5; exponential with γ = 0.5
    // makes η_t tiny (η·θ-scale below one ulp of θ after ~50 updates) and underflows to 0 after
    // ~1075. The reported stationarity measure is the proximal gradient mapping
    // (θ − prox(θ − η∇f, ηλ1))/η; when |θ1| > η·(|∇f1| + λ1) it equals exactly
    // (∇f0, ∇f1 + λ1·sign(θ1)), and its limit at η = 0 with θ1 ≠ 0 is the same. From θ = 0 with
    // η0 = 0.01 the run travels at most Σ 0.01·0.5^t·‖g‖ ≈ 0.1, far from θ* = (1, 1): it must
    // keep "running", never report NaN, and never claim convergence.
    let data = hand();
    let lambda = 0.25;
    let objective = Objective::new(*data.stats(), Regularization::L1 { lambda }).unwrap();
    for (schedule, steps) in [(Schedule::Exponential { gamma: 0.5 }, 1200), (Schedule::Cosine { total_steps: 5 }, 8)] {
        let mut config = RunConfig::full_batch(0.01, data.len());
        config.schedule = schedule;
        let mut run = Run::new(config, Theta::new(0.0, 0.0), &data, &objective).unwrap();
        for _ in 0..steps {
            let report = run.step(1, &data, &objective);
            assert_eq!(report.status, Status::Running, "{schedule:?} at {}", report.iteration);
            assert!(report.grad_norm.is_finite(), "{schedule:?}: grad_norm = {}", report.grad_norm);
            let t = report.theta;
            // Direct gradient of the data term: (mean(r), mean(r·x)).
            let (mut g0, mut g1) = (0.0, 0.0);
            for (x, y) in data.xs().iter().zip(data.ys()) {
                let r = t[0] + t[1] * x - y;
                g0 += r / 4.0;
                g1 += r * x / 4.0;
            }
            let eta = report.lr_effective;
            if t[1] != 0.0 && t[1].abs() > eta * (g1.abs() + lambda) {
                let expected = g0.hypot(g1 + lambda * t[1].signum());
                assert_relative_eq!(report.grad_norm, expected, max_relative = 1e-9);
            }
        }
        assert_eq!(run.report(&data, &objective).lr_effective, 0.0, "{schedule:?}");
        for p in run.history().points() {
            assert!(p.grad_norm.is_finite(), "{schedule:?}: history grad_norm {}", p.grad_norm);
        }
    }
}

#[test]
fn session_runs_converge_and_diverge_on_their_own() {
    let data = data::preset("clean").unwrap().settings.generate().unwrap();
    let r = reference(data.xs(), data.ys(), 0.0);
    let crit = 2.0 / r.lambda_max;
    let mut session = Session::new(
        data.clone(),
        Regularization::None,
        RunConfig::full_batch(0.5 * crit, data.len()),
        Theta::new(0.0, 0.0),
    )
    .unwrap();
    session.add_run(RunConfig::full_batch(1.5 * crit, data.len())).unwrap();
    let mut minibatch = RunConfig::full_batch(0.1 * crit, data.len());
    minibatch.batch_size = 5;
    session.add_run(minibatch).unwrap();
    let reports = session.step(5000);
    assert_eq!(reports.len(), 3);
    assert_eq!(reports[0].status, Status::Converged);
    assert!(dist(reports[0].theta, r.theta_star) <= 1e-6 / r.lambda_min);
    assert_eq!(reports[1].status, Status::Diverged);
    assert_eq!(reports[2].status, Status::Running);
    assert_eq!(reports[2].iteration, 5000);
    assert_eq!(reports[2].samples_seen, 5000 * 5);
    // The runs restart together from a new start.
    session.reset(Theta::new(1.0, 1.0)).unwrap();
    for report in session.reports() {
        assert_eq!(report.iteration, 0);
        assert_eq!(report.theta, Theta::new(1.0, 1.0));
        assert_eq!(report.status, Status::Running);
    }
}

#[test]
fn a_divergence_says_its_cause_and_factor() {
    use gdviz::descent::optimizer::Optimizer;
    use gdviz::descent::run::DivergenceCause;
    let data = data::preset("clean").unwrap().settings.generate().unwrap();
    let objective = Objective::new(*data.stats(), Regularization::None).unwrap();
    let r = reference(data.xs(), data.ys(), 0.0);
    let critical = 2.0 / r.lambda_max;
    let diverge = |config: RunConfig| {
        let mut run = Run::new(config, Theta::new(0.0, 0.0), &data, &objective).unwrap();
        let report = run.step(200_000, &data, &objective);
        assert_eq!(report.status, Status::Diverged, "{config:?}");
        report.divergence.unwrap()
    };
    let n = data.len();
    // Above the critical rate.
    let d = diverge(RunConfig::full_batch(1.5 * critical, n));
    assert_eq!((d.cause, d.factor), (DivergenceCause::AboveCritical, 1e10));
    // Below it, single-point batches: a point at x ≈ 3 has curvature 1 + x² ≈ 10, far above λmax.
    let d = diverge(RunConfig { batch_size: 1, ..RunConfig::full_batch(0.9 * critical, n) });
    assert_eq!(d.cause, DivergenceCause::MinibatchNoise);
    assert!(d.message.contains("the noise of small batches"), "{}", d.message);
    // Below it, Nesterov with μ = 0.9: along an eigen-direction it is stable only for
    // η·λ < 2(1 + μ)/(1 + 2μ) = 3.8/2.8 < 2.
    let nesterov = Optimizer::Nesterov { momentum: 0.9 };
    let d = diverge(RunConfig { optimizer: nesterov, ..RunConfig::full_batch(0.9 * critical, n) });
    assert_eq!(d.cause, DivergenceCause::Optimizer);
    assert!(d.message.contains("this optimizer's momentum"), "{}", d.message);
    let value = serde_json::to_value(&d).unwrap();
    assert_eq!(value["cause"], "optimizer");
    assert_eq!(value["factor"], 1e10);
}
