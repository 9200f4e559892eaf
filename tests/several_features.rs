//! Runs on models with several features against values worked out here from the definitions:
//! full-batch descent against a per-point loop, mini-batch SGD against a reference sampler
//! over feature rows, Adam against torch's rule written out per coordinate, the loss
//! conventions (mse at η is half-mse at 2η), proximal descent against the lasso's optimality
//! conditions, the theory curve over every eigen-direction, and standardized powers giving a
//! polynomial back.

use gdviz::least_squares::data::Dataset;
use gdviz::least_squares::features::{Features, LossConvention};
use gdviz::descent::optimizer::Optimizer;
use gdviz::{Regularization, RunConfig, Session, Theta};

#[allow(dead_code)]
#[path = "support/reference.rs"]
mod reference;

/// A fixed, irregular set of values in [−2, 2].
fn values(n: usize, seed: u64) -> Vec<f64> {
    (0..n).map(|i| (((i as u64 * 7919 + seed * 104_729) % 1000) as f64 / 250.0) - 2.0).collect()
}

/// Three feature columns and y = 1 + x1 − 2·x2 + 0.5·x3 + a little noise, 50 points.
fn three_columns() -> (Vec<Vec<f64>>, Vec<f64>) {
    let (x1, x2, x3) = (values(50, 21), values(50, 22), values(50, 23));
    let ys = (0..50).map(|i| 1.0 + x1[i] - 2.0 * x2[i] + 0.5 * x3[i] + 0.1 * ((i * 7) % 5) as f64).collect();
    (vec![x1, x2, x3], ys)
}

/// The features of point i, written out: the columns, or x, x², x³ … of the one column.
fn row(columns: &[Vec<f64>], features: Features, i: usize) -> Vec<f64> {
    match features {
        Features::Columns => columns.iter().map(|c| c[i]).collect(),
        Features::Powers { degree } => (1..=degree).map(|p| (0..p).fold(1.0, |v, _| v * columns[0][i])).collect(),
    }
}

/// The smooth gradient at θ summed point by point over `indices`:
/// c·mean(rᵢ·(1, φᵢ)) + λ2·(0, β), rᵢ = θ0 + Σθⱼφᵢⱼ − yᵢ.
fn gradient(rows: &[Vec<f64>], ys: &[f64], indices: &[usize], theta: &[f64], c: f64, l2: f64) -> Vec<f64> {
    let mut g = vec![0.0; theta.len()];
    for &i in indices {
        let r = theta[0] + rows[i].iter().zip(&theta[1..]).map(|(f, t)| f * t).sum::<f64>() - ys[i];
        g[0] += r;
        for (j, f) in rows[i].iter().enumerate() {
            g[j + 1] += r * f;
        }
    }
    let used = indices.len() as f64;
    (0..theta.len()).map(|k| c * g[k] / used + if k > 0 { l2 * theta[k] } else { 0.0 }).collect()
}

fn session(columns: &[Vec<f64>], ys: &[f64], features: Features, reg: Regularization, loss: LossConvention, config: RunConfig) -> Session {
    let data = Dataset::with_features(columns.to_vec(), ys.to_vec(), features).unwrap();
    let start = Theta::zeros(data.features() + 1);
    Session::with_loss(data, reg, loss, config, start).unwrap()
}

fn close(a: &[f64], b: &[f64], tol: f64) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() <= tol * y.abs().max(1.0))
}

#[test]
fn full_batch_descent_on_three_features_follows_the_per_point_loop() {
    let (columns, ys) = three_columns();
    let rows: Vec<Vec<f64>> = (0..50).map(|i| row(&columns, Features::Columns, i)).collect();
    let all: Vec<usize> = (0..50).collect();
    for (loss, c) in [(LossConvention::HalfMse, 1.0), (LossConvention::Mse, 2.0)] {
        for l2 in [0.0, 0.2] {
            let reg = if l2 > 0.0 { Regularization::L2 { lambda: l2 } } else { Regularization::None };
            let mut s = session(&columns, &ys, Features::Columns, reg, loss, RunConfig::full_batch(0.05, 50));
            let report = s.step(40).remove(0);
            let mut theta = vec![0.0; 4];
            for _ in 0..40 {
                let g = gradient(&rows, &ys, &all, &theta, c, l2);
                for (t, g) in theta.iter_mut().zip(g) {
                    *t -= 0.05 * g;
                }
            }
            assert!(close(report.theta.as_slice(), &theta, 1e-12), "{loss:?} λ2={l2}: {:?} vs {theta:?}", report.theta);
            // J at the end by its definition.
            let r2: f64 = (0..50)
                .map(|i| {
                    let r = theta[0] + rows[i].iter().zip(&theta[1..]).map(|(f, t)| f * t).sum::<f64>() - ys[i];
                    r * r
                })
                .sum();
            let j = c * r2 / 100.0 + 0.5 * l2 * theta[1..].iter().map(|t| t * t).sum::<f64>();
            assert!((report.loss - j).abs() <= 1e-12 * j, "J {} vs {j}", report.loss);
        }
    }
}

/// θ after `steps` plain mini-batch SGD updates from 0, from the definition of the sampler (as
/// `tests/support/reference.rs` for a line): a lazily shuffled index vector, position k swapped
/// with k + u, u uniform in [0, n − k) by Lemire's multiply-and-reject on ChaCha8 (stream 1)
/// u32s, batches of consecutive positions ending at the epoch's end.
fn reference_sgd(rows: &[Vec<f64>], ys: &[f64], batch: usize, seed: u64, lr: f64, c: f64, steps: u64) -> Vec<f64> {
    use rand_chacha::rand_core::SeedableRng;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(1);
    let n = ys.len();
    let mut order: Vec<usize> = (0..n).collect();
    let mut k = 0;
    let mut theta = vec![0.0; rows[0].len() + 1];
    for _ in 0..steps {
        let end = (k + batch).min(n);
        let mut indices = Vec::new();
        while k < end {
            let offset = reference::uniform_below(&mut rng, (n - k) as u64);
            order.swap(k, k + offset as usize);
            indices.push(order[k]);
            k += 1;
        }
        let g = gradient(rows, ys, &indices, &theta, c, 0.0);
        for (t, g) in theta.iter_mut().zip(g) {
            *t -= lr * g;
        }
        if k == n {
            k = 0;
        }
    }
    theta
}

#[test]
fn minibatch_sgd_on_feature_columns_and_on_powers_follows_the_reference_sampler() {
    let (columns, ys) = three_columns();
    let x = vec![values(50, 5)];
    let cubic: Vec<f64> = x[0].iter().map(|&x| 1.0 - x + 0.5 * x * x + 0.1 * x * x * x).collect();
    for (columns, ys, features, lr) in [(&columns, &ys, Features::Columns, 0.05), (&x, &cubic, Features::Powers { degree: 3 }, 0.01)] {
        let rows: Vec<Vec<f64>> = (0..50).map(|i| row(columns, features, i)).collect();
        for (loss, c) in [(LossConvention::HalfMse, 1.0), (LossConvention::Mse, 2.0)] {
            let config = RunConfig { batch_size: 7, seed: 11, ..RunConfig::full_batch(lr, 50) };
            let mut s = session(columns, ys, features, Regularization::None, loss, config);
            let report = s.step(60).remove(0);
            let want = reference_sgd(&rows, ys, 7, 11, lr, c, 60);
            assert!(close(report.theta.as_slice(), &want, 1e-12), "{features:?} {loss:?}: {:?} vs {want:?}", report.theta);
        }
    }
}

#[test]
fn mse_at_eta_is_half_mse_at_two_eta_for_full_batches_and_mini_batches() {
    let (columns, ys) = three_columns();
    for batch in [50, 4] {
        let config = |lr| RunConfig { batch_size: batch, seed: 3, ..RunConfig::full_batch(lr, 50) };
        let mut mse = session(&columns, &ys, Features::Columns, Regularization::None, LossConvention::Mse, config(0.02));
        let mut half = session(&columns, &ys, Features::Columns, Regularization::None, LossConvention::HalfMse, config(0.04));
        for _ in 0..5 {
            let (a, b) = (mse.step(20).remove(0), half.step(20).remove(0));
            assert!(close(a.theta.as_slice(), b.theta.as_slice(), 1e-12), "b={batch}: {:?} vs {:?}", a.theta, b.theta);
            // The mse loss is twice the half-mse one.
            assert!((a.loss - 2.0 * b.loss).abs() <= 1e-12 * a.loss);
        }
    }
    // Its critical rate is half the other's.
    let mse = session(&columns, &ys, Features::Columns, Regularization::None, LossConvention::Mse, RunConfig::full_batch(0.02, 50));
    let half = session(&columns, &ys, Features::Columns, Regularization::None, LossConvention::HalfMse, RunConfig::full_batch(0.02, 50));
    assert!((2.0 * mse.curvature().lr_critical - half.curvature().lr_critical).abs() <= 1e-14);
}

#[test]
fn adam_on_three_features_is_torch_s_rule_per_coordinate() {
    let (columns, ys) = three_columns();
    let rows: Vec<Vec<f64>> = (0..50).map(|i| row(&columns, Features::Columns, i)).collect();
    let all: Vec<usize> = (0..50).collect();
    let (beta1, beta2, eps, lr) = (0.9, 0.999, 1e-8, 0.1);
    let config = RunConfig { optimizer: Optimizer::Adam { beta1, beta2, eps }, ..RunConfig::full_batch(lr, 50) };
    let mut s = session(&columns, &ys, Features::Columns, Regularization::L2 { lambda: 0.1 }, LossConvention::HalfMse, config);
    let report = s.step(30).remove(0);
    // torch.optim.Adam: m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g², θ ← θ − η·m̂/(√v̂ + ε).
    let (mut theta, mut m, mut v) = (vec![0.0; 4], [0.0; 4], [0.0; 4]);
    for t in 1..=30 {
        let g = gradient(&rows, &ys, &all, &theta, 1.0, 0.1);
        for k in 0..4 {
            m[k] = beta1 * m[k] + (1.0 - beta1) * g[k];
            v[k] = beta2 * v[k] + (1.0 - beta2) * g[k] * g[k];
            let m_hat = m[k] / (1.0 - f64::powi(beta1, t));
            let v_hat = v[k] / (1.0 - f64::powi(beta2, t));
            theta[k] -= lr * m_hat / (v_hat.sqrt() + eps);
        }
    }
    assert!(close(report.theta.as_slice(), &theta, 1e-12), "{:?} vs {theta:?}", report.theta);
}

#[test]
fn proximal_descent_switches_coefficients_off_and_meets_the_lasso_conditions() {
    // y depends on x1 strongly, on x2 weakly and not on x3: a λ between their pulls keeps x1,
    // switches x3 off exactly.
    let (x1, x2, x3) = (values(60, 31), values(60, 32), values(60, 33));
    let ys: Vec<f64> = (0..60).map(|i| 0.5 + 2.0 * x1[i] + 0.3 * x2[i] + 0.05 * ((i * 5) % 3) as f64).collect();
    let columns = vec![x1, x2, x3];
    let rows: Vec<Vec<f64>> = (0..60).map(|i| row(&columns, Features::Columns, i)).collect();
    let all: Vec<usize> = (0..60).collect();
    let lambda = 0.2;
    let config = RunConfig { tol: 1e-12, ..RunConfig::full_batch(0.3, 60) };
    let mut s = session(&columns, &ys, Features::Columns, Regularization::L1 { lambda }, LossConvention::HalfMse, config);
    let report = s.step(100_000).remove(0);
    let theta = report.theta.as_slice();
    assert_eq!(report.status.as_str(), "converged", "{report:?}");
    // KKT, with the gradient summed point by point: ∂θ0 = 0; θⱼ ≠ 0 ⇒ gⱼ + λ·sign θⱼ = 0;
    // θⱼ = 0 ⇒ |gⱼ| ≤ λ.
    let g = gradient(&rows, &ys, &all, theta, 1.0, 0.0);
    assert!(g[0].abs() < 1e-10, "{g:?}");
    for j in 1..4 {
        if theta[j] != 0.0 {
            assert!((g[j] + lambda * theta[j].signum()).abs() < 1e-10, "θ{j} = {}: {g:?}", theta[j]);
        } else {
            assert!(g[j].abs() <= lambda + 1e-10, "θ{j} = 0: {g:?}");
        }
    }
    assert_eq!(theta[3], 0.0, "x3 is switched off exactly: {theta:?}");
    assert!(theta[1] > 1.0, "x1 is kept: {theta:?}");
    // The exact optimum (coordinate descent) is the same point.
    let optimum = s.optimum().unwrap().theta;
    assert!(close(theta, optimum.as_slice(), 1e-9), "{theta:?} vs {optimum:?}");
}

#[test]
fn the_theory_curve_sums_over_every_eigen_direction() {
    // J_k − J* = ½·Σᵢ λᵢ(vᵢ·e0)²(1 − ηλᵢ)^(2k) along the run, for full-batch descent at a
    // constant rate: the run's recorded losses against the prediction.
    let (columns, ys) = three_columns();
    let mut s = session(&columns, &ys, Features::Columns, Regularization::L2 { lambda: 0.05 }, LossConvention::Mse, RunConfig::full_batch(0.1, 50));
    s.step(60);
    let predictions = gdviz::render::scenes::predictions(&s);
    assert_eq!(predictions.len(), 1);
    let p = &predictions[0];
    assert_eq!(p.modes.len(), 4, "one mode per eigen-direction");
    let j_star = s.optimum().unwrap().loss;
    for point in s.runs()[0].history().points().iter().step_by(10) {
        let excess = point.loss - j_star;
        let predicted = p.excess(point.iteration as f64);
        // J − J* cancels to about one rounding of J*.
        assert!((excess - predicted).abs() <= 1e-9 * excess + 1e-14 * j_star, "k = {}: {excess} vs {predicted}", point.iteration);
    }
}

#[test]
fn standardized_powers_give_the_polynomial_back_in_the_original_scale() {
    let x = vec![values(40, 7)];
    let ys: Vec<f64> = x[0].iter().map(|&x| 1.0 - x + 0.5 * x * x + 0.1 * x * x * x).collect();
    let data = Dataset::with_features(x, ys, Features::Powers { degree: 3 }).unwrap();
    let config = RunConfig { tol: 1e-11, ..RunConfig::full_batch(0.1, 40) };
    let mut s = Session::new(data, Regularization::None, config, Theta::zeros(4)).unwrap();
    s.set_standardize(true).unwrap();
    // Standardized, the curvature is that of the correlation matrix: λ_max ≤ 1 + d.
    let lr = 0.9 * s.curvature().lr_critical;
    s.with_run(0, |run, _, objective| run.set_learning_rate(lr, objective)).unwrap();
    let report = s.step(200_000).remove(0);
    assert_eq!(report.status.as_str(), "converged");
    let original = s.to_original_scale(report.theta);
    assert!(close(original.as_slice(), &[1.0, -1.0, 0.5, 0.1], 1e-9), "{original:?}");
}

#[test]
fn a_data_set_of_another_width_restarts_the_runs_and_a_start_of_the_wrong_length_is_refused() {
    let (columns, ys) = three_columns();
    let line = Dataset::new(columns[0].clone(), ys.clone()).unwrap();
    let mut s = Session::new(line, Regularization::None, RunConfig::full_batch(0.05, 50), Theta::new(1.0, 2.0)).unwrap();
    s.step(5);
    s.set_data(Dataset::with_features(columns, ys, Features::Columns).unwrap()).unwrap();
    let report = s.reports().remove(0);
    assert_eq!(report.theta, Theta::zeros(4));
    assert_eq!(report.iteration, 0);
    let e = s.reset(Theta::new(1.0, 2.0)).unwrap_err();
    assert_eq!(e.to_string(), "start θ must be 4 finite coordinates (θ0 to θ3), got (1, 2)");
    assert!(s.step(3)[0].loss.is_finite());
}

#[test]
fn momentum_nesterov_adagrad_and_rmsprop_on_three_features_are_torch_s_rules_per_coordinate() {
    let (columns, ys) = three_columns();
    let rows: Vec<Vec<f64>> = (0..50).map(|i| row(&columns, Features::Columns, i)).collect();
    let all: Vec<usize> = (0..50).collect();
    let lr = 0.02;
    let optimizers = [
        Optimizer::Momentum { momentum: 0.9 },
        Optimizer::Nesterov { momentum: 0.8 },
        Optimizer::Adagrad { eps: 1e-10 },
        Optimizer::RmsProp { alpha: 0.99, eps: 1e-8 },
    ];
    for optimizer in optimizers {
        let config = RunConfig { optimizer, ..RunConfig::full_batch(lr, 50) };
        let mut s = session(&columns, &ys, Features::Columns, Regularization::None, LossConvention::HalfMse, config);
        let report = s.step(25).remove(0);
        // torch.optim's rules, written out per coordinate: SGD(momentum, nesterov): b ← μb + g,
        // step b or g + μb; Adagrad: s ← s + g², step g/(√s + ε); RMSprop: v ← αv + (1−α)g²,
        // step g/(√v + ε).
        let (mut theta, mut first, mut second) = (vec![0.0; 4], [0.0; 4], [0.0; 4]);
        for _ in 0..25 {
            let g = gradient(&rows, &ys, &all, &theta, 1.0, 0.0);
            for k in 0..4 {
                let step = match optimizer {
                    Optimizer::Momentum { momentum } => {
                        first[k] = momentum * first[k] + g[k];
                        first[k]
                    }
                    Optimizer::Nesterov { momentum } => {
                        first[k] = momentum * first[k] + g[k];
                        g[k] + momentum * first[k]
                    }
                    Optimizer::Adagrad { eps } => {
                        second[k] += g[k] * g[k];
                        g[k] / (second[k].sqrt() + eps)
                    }
                    Optimizer::RmsProp { alpha, eps } => {
                        second[k] = alpha * second[k] + (1.0 - alpha) * g[k] * g[k];
                        g[k] / (second[k].sqrt() + eps)
                    }
                    _ => unreachable!(),
                };
                theta[k] -= lr * step;
            }
        }
        assert!(close(report.theta.as_slice(), &theta, 1e-12), "{optimizer:?}: {:?} vs {theta:?}", report.theta);
    }
}

/// With two of the features identical (x3 = x2) and no L2 part there is no unique θ*, but the
/// surface over (θ0, θ1) is still the profile: the least J over θ2, θ3, which depends only on
/// s = θ2 + θ3, so it is the one-dimensional least squares in s at each point, solved here by
/// hand: s = E[x2·r] / E[x2²] with r = y − θ0 − θ1·x1.
#[test]
fn the_surface_over_a_pair_is_the_profile_even_when_the_others_are_collinear() {
    let (mut columns, _) = three_columns();
    columns[2] = columns[1].clone();
    let (x1, x2) = (columns[0].clone(), columns[1].clone());
    let ys: Vec<f64> = (0..50).map(|i| 1.0 + x1[i] - 2.0 * x2[i] + 0.1 * ((i * 7) % 5) as f64).collect();
    let n = ys.len() as f64;
    let data = Dataset::with_features(columns, ys.clone(), Features::Columns).unwrap();
    let s = Session::new(data, Regularization::None, RunConfig::full_batch(0.1, 50), Theta::zeros(4)).unwrap();
    assert!(s.objective().optimum().is_err(), "no unique optimum");
    let (plane, others) = s.objective().pair_loss((0, 1));
    assert_eq!(others, gdviz::least_squares::objective::Others::Profile);
    for (t0, t1) in [(0.0, 0.0), (1.0, 1.0), (-2.0, 3.5), (0.7, -1.2)] {
        let r: Vec<f64> = (0..50).map(|i| ys[i] - t0 - t1 * x1[i]).collect();
        let best = (0..50).map(|i| x2[i] * r[i]).sum::<f64>() / (0..50).map(|i| x2[i] * x2[i]).sum::<f64>();
        let profile = (0..50).map(|i| (r[i] - best * x2[i]).powi(2)).sum::<f64>() / (2.0 * n);
        let got = plane.loss(t0, t1);
        assert!((got - profile).abs() <= 1e-10 * profile.max(1.0), "({t0}, {t1}): {got} against {profile}");
    }
}
