//! The several-feature model against values worked out independently: noiseless data gives its
//! θ back, normal equations solved by hand, the KKT conditions of lasso and elastic net, the
//! one-feature objective, the loss conventions, and refusals with their messages.

use gdviz::least_squares::data::{Dataset, SufficientStats};
use gdviz::least_squares::features::{Features, LossConvention};
use gdviz::least_squares::objective::{Objective, Others, Regularization};
use gdviz::least_squares::solve::NoUniqueOptimum;
use gdviz::least_squares::data;
use gdviz::Theta;

/// The objective of some feature columns, with θ as slices.
struct Model(Objective);

/// θ* as a vector and J(θ*).
#[derive(Debug)]
struct Opt {
    theta: Vec<f64>,
    loss: f64,
}

impl Model {
    fn theta(t: &[f64]) -> Theta {
        Theta::from_slice("theta", t).unwrap()
    }
    fn optimum(&self) -> Result<Opt, NoUniqueOptimum> {
        self.0.optimum().map(|o| Opt { theta: o.theta.as_slice().to_vec(), loss: o.loss })
    }
    fn loss(&self, t: &[f64]) -> f64 {
        self.0.loss(Self::theta(t))
    }
    fn smooth_gradient(&self, t: &[f64]) -> Vec<f64> {
        self.0.smooth_gradient(Self::theta(t)).as_slice().to_vec()
    }
    fn spectrum(&self) -> Vec<f64> {
        self.0.curvature().spectrum
    }
    fn lr_critical(&self) -> f64 {
        self.0.curvature().lr_critical
    }
    fn condition_number(&self) -> f64 {
        self.0.curvature().condition_number.unwrap_or(f64::INFINITY)
    }
    fn surface(&self, pair: (usize, usize), ranges: [[f64; 2]; 2], cells: usize) -> (Vec<f64>, Others) {
        self.0.surface_of(pair, ranges, cells)
    }
}

fn stats_of(features: &[Vec<f64>], ys: &[f64]) -> SufficientStats {
    *Dataset::with_features(features.to_vec(), ys.to_vec(), Features::Columns).unwrap().stats()
}

fn model(features: &[Vec<f64>], ys: &[f64], regularization: Regularization, loss: LossConvention) -> Model {
    Model(Objective::with_loss(stats_of(features, ys), regularization, loss).unwrap())
}

/// A fixed, irregular set of values in [−2, 2].
fn values(n: usize, seed: u64) -> Vec<f64> {
    (0..n).map(|i| (((i as u64 * 7919 + seed * 104_729) % 1000) as f64 / 250.0) - 2.0).collect()
}

#[test]
fn noiseless_data_gives_its_theta_back() {
    // y = 0.5 + 2·x1 − 3·x2 + 0.25·x3 exactly.
    let (x1, x2, x3) = (values(40, 1), values(40, 2), values(40, 3));
    let ys: Vec<f64> = (0..40).map(|i| 0.5 + 2.0 * x1[i] - 3.0 * x2[i] + 0.25 * x3[i]).collect();
    let m = model(&[x1, x2, x3], &ys, Regularization::None, LossConvention::HalfMse);
    let o = m.optimum().unwrap();
    for (got, want) in o.theta.iter().zip([0.5, 2.0, -3.0, 0.25]) {
        assert!((got - want).abs() < 1e-12, "{:?}", o.theta);
    }
    assert!(o.loss < 1e-24, "J* = {}", o.loss);
    // The cubic y = 1 − x + 0.5·x² + 0.1·x³ from the powers of one column.
    let x = values(30, 5);
    let ys: Vec<f64> = x.iter().map(|&x| 1.0 - x + 0.5 * x * x + 0.1 * x * x * x).collect();
    let powers = vec![x.clone(), x.iter().map(|v| v * v).collect(), x.iter().map(|v| v * v * v).collect()];
    let o = model(&powers, &ys, Regularization::None, LossConvention::HalfMse).optimum().unwrap();
    for (got, want) in o.theta.iter().zip([1.0, -1.0, 0.5, 0.1]) {
        assert!((got - want).abs() < 1e-10, "{:?}", o.theta);
    }
}

#[test]
fn normal_equations_solved_by_hand() {
    // Four points whose centred feature columns are orthogonal:
    //   φ1 = (1, −1, 1, −1), φ2 = (1, 1, −1, −1), φ3 = (1, −1, −1, 1), all with mean 0 and
    //   mean square 1, so Σ = I; y = (4, 0, 2, 2), ȳ = 2, y − ȳ = (2, −2, 0, 0).
    //   s = mean(φ·(y − ȳ)): s1 = (2 + 2)/4 = 1, s2 = (2 − 2)/4 = 0, s3 = (2 + 2)/4 = 1.
    //   Without regularization β = Σ⁻¹s = (1, 0, 1), θ0 = ȳ − φ̄ᵀβ = 2.
    //   Ridge λ = 1 (half-mse): (Σ + I)β = s → β = (0.5, 0, 0.5).
    //   With mse (c = 2) and ridge λ = 1: (2Σ + I)β = 2s → β = (2/3, 0, 2/3).
    let f = [vec![1.0, -1.0, 1.0, -1.0], vec![1.0, 1.0, -1.0, -1.0], vec![1.0, -1.0, -1.0, 1.0]];
    let ys = [4.0, 0.0, 2.0, 2.0];
    let cases = [
        (Regularization::None, LossConvention::HalfMse, [2.0, 1.0, 0.0, 1.0]),
        (Regularization::L2 { lambda: 1.0 }, LossConvention::HalfMse, [2.0, 0.5, 0.0, 0.5]),
        (Regularization::L2 { lambda: 1.0 }, LossConvention::Mse, [2.0, 2.0 / 3.0, 0.0, 2.0 / 3.0]),
        // Lasso λ = 0.5 with Σ = I: βⱼ = S(sⱼ, 0.5) = (0.5, 0, 0.5).
        (Regularization::L1 { lambda: 0.5 }, LossConvention::HalfMse, [2.0, 0.5, 0.0, 0.5]),
    ];
    for (regularization, loss, want) in cases {
        let o = model(&f, &ys, regularization, loss).optimum().unwrap();
        for (got, want) in o.theta.iter().zip(want) {
            assert!((got - want).abs() < 1e-12, "{regularization:?} {loss:?}: {:?}", o.theta);
        }
    }
    // J at θ = 0 by hand: residuals (−4, 0, −2, −2), mean square 24/4 = 6: half-mse 3, mse 6.
    let zero = [0.0; 4];
    assert!((model(&f, &ys, Regularization::None, LossConvention::HalfMse).loss(&zero) - 3.0).abs() < 1e-12);
    assert!((model(&f, &ys, Regularization::None, LossConvention::Mse).loss(&zero) - 6.0).abs() < 1e-12);
    // The gradient at 0 (half-mse): −mean(r)… = mean((ŷ − y)·(1, φ)): (−2, −1, 0, −1)·… by hand:
    //   ∂θ0 = mean(−4, 0, −2, −2) = −2; ∂θ1 = mean(−4·1, 0, −2·1, −2·−1) = −1;
    //   ∂θ2 = mean(−4, 0, 2, 2) = 0; ∂θ3 = mean(−4, 0, 2, −2) = −1.
    let g = model(&f, &ys, Regularization::None, LossConvention::HalfMse).smooth_gradient(&zero);
    for (got, want) in g.iter().zip([-2.0, -1.0, 0.0, -1.0]) {
        assert!((got - want).abs() < 1e-12, "{g:?}");
    }
}

#[test]
fn lasso_and_elastic_net_meet_their_kkt_conditions() {
    // Correlated features, y with noise: at β*, for θⱼ ≠ 0 the smooth gradient plus
    // λρ·sign(θⱼ) is 0, and for θⱼ = 0 its magnitude is at most λρ (to 1e-10).
    let (x1, x2, x3, x4) = (values(60, 11), values(60, 12), values(60, 13), values(60, 14));
    let x2: Vec<f64> = x2.iter().zip(&x1).map(|(a, b)| 0.3 * a + 0.7 * b).collect();
    let ys: Vec<f64> = (0..60).map(|i| 1.0 + 1.5 * x1[i] - 0.2 * x2[i] + 0.05 * x3[i] + 0.3 * (x4[i] * 7.0).sin()).collect();
    let f = [x1, x2, x3, x4];
    for loss in [LossConvention::HalfMse, LossConvention::Mse] {
        for (lambda, rho) in [(0.05, 1.0), (0.3, 1.0), (0.2, 0.5), (1.0, 0.2)] {
            let regularization =
                if rho == 1.0 { Regularization::L1 { lambda } } else { Regularization::ElasticNet { lambda, l1_ratio: rho } };
            let m = model(&f, &ys, regularization, loss);
            let o = m.optimum().unwrap();
            let g = m.smooth_gradient(&o.theta);
            assert!(g[0].abs() < 1e-10, "intercept gradient {}", g[0]);
            for (j, (&t, &g)) in o.theta.iter().zip(&g).enumerate().skip(1) {
                if t != 0.0 {
                    assert!((g + lambda * rho * t.signum()).abs() < 1e-10, "λ={lambda} ρ={rho} θ{j}={t}: {g}");
                } else {
                    assert!(g.abs() <= lambda * rho + 1e-10, "λ={lambda} ρ={rho} θ{j}=0: {g}");
                }
            }
        }
    }
    // A large λ switches every feature off: θ = (ȳ, 0, 0, 0, 0).
    let m = model(&f, &ys, Regularization::L1 { lambda: 100.0 }, LossConvention::HalfMse);
    let o = m.optimum().unwrap();
    assert!(o.theta[1..].iter().all(|&t| t == 0.0), "{:?}", o.theta);
}

#[test]
fn one_feature_agrees_with_the_line() {
    let d = data::preset("ill-conditioned").unwrap().settings.generate().unwrap();
    for regularization in [Regularization::None, Regularization::L2 { lambda: 0.1 }, Regularization::L1 { lambda: 0.1 }, Regularization::ElasticNet { lambda: 0.2, l1_ratio: 0.5 }] {
        let line = Objective::new(*d.stats(), regularization).unwrap();
        let m = model(&[d.xs().to_vec()], d.ys(), regularization, LossConvention::HalfMse);
        let (a, b) = (line.optimum().unwrap(), m.optimum().unwrap());
        assert!((a.theta[0] - b.theta[0]).abs() < 1e-9 && (a.theta[1] - b.theta[1]).abs() < 1e-9, "{regularization:?}: {a:?} {b:?}");
        let spectrum = m.spectrum();
        let c = line.curvature();
        for (x, y) in spectrum.iter().zip(c.eigenvalues) {
            assert!((x - y).abs() <= 1e-9 * y.max(1.0), "{spectrum:?} vs {:?}", c.eigenvalues);
        }
        let t = [0.3, -1.2];
        assert!((m.loss(&t) - line.loss(Theta::new(0.3, -1.2))).abs() < 1e-12 * line.loss(Theta::new(0.3, -1.2)));
    }
}

#[test]
fn mse_doubles_the_data_term_and_its_curvature() {
    let (x1, x2) = (values(25, 3), values(25, 4));
    let ys: Vec<f64> = (0..25).map(|i| x1[i] - x2[i] + 0.1 * ((i * i) % 7) as f64).collect();
    let f = [x1, x2];
    let (half, full) = (
        model(&f, &ys, Regularization::None, LossConvention::HalfMse),
        model(&f, &ys, Regularization::None, LossConvention::Mse),
    );
    let t = [0.2, 0.4, -0.3];
    assert!((full.loss(&t) - 2.0 * half.loss(&t)).abs() < 1e-12);
    for (a, b) in full.spectrum().iter().zip(half.spectrum()) {
        assert!((a - 2.0 * b).abs() < 1e-12);
    }
    assert!((full.lr_critical() - half.lr_critical() / 2.0).abs() < 1e-15);
}

#[test]
fn refusals_name_the_problem() {
    let x = values(10, 1);
    assert_eq!(
        Features::Powers { degree: 11 }.check(1).unwrap_err().to_string(),
        "polynomial degree must be an integer in [1, 10], got 11"
    );
    assert_eq!(
        Features::Powers { degree: 2 }.check(2).unwrap_err().to_string(),
        "feature columns must be 1 (the powers are those of one x column), got 2"
    );
    assert_eq!(Features::Columns.check(11).unwrap_err().to_string(), "number of features must be an integer in [1, 10], got 11");
    // A feature with no spread, no L2 part: named.
    let ys = values(10, 2);
    let constant = vec![3.0; 10];
    let e = model(&[x.clone(), constant.clone()], &ys, Regularization::None, LossConvention::HalfMse).optimum().unwrap_err();
    assert_eq!(e, NoUniqueOptimum::NoSpread { features: vec![2], d: 2 });
    // With an L2 part it is unique (θ2 = 0).
    let o = model(&[x.clone(), constant], &ys, Regularization::L2 { lambda: 0.1 }, LossConvention::HalfMse).optimum().unwrap();
    assert_eq!(o.theta[2], 0.0);
    // Collinear features (x3 = x1 + 2·x2), no L2 part: the three named.
    let x2 = values(10, 3);
    let x3: Vec<f64> = x.iter().zip(&x2).map(|(a, b)| a + 2.0 * b).collect();
    let e = model(&[x.clone(), x2.clone(), x3.clone()], &ys, Regularization::None, LossConvention::HalfMse).optimum().unwrap_err();
    assert_eq!(e, NoUniqueOptimum::Collinear { features: vec![1, 2, 3] });
    assert!(e.to_string().contains("θ1, θ2, θ3 are collinear"), "{e}");
    let e = model(&[x, x2, x3], &ys, Regularization::L1 { lambda: 0.1 }, LossConvention::HalfMse).optimum().unwrap_err();
    assert_eq!(e, NoUniqueOptimum::Collinear { features: vec![1, 2, 3] });
}

#[test]
fn the_surface_over_two_coefficients_is_the_line_s_for_one_feature_and_a_profile_for_more() {
    // One feature, (θ0, θ1): the line's surface cell for cell.
    let d = data::preset("noisy").unwrap().settings.generate().unwrap();
    for regularization in [Regularization::None, Regularization::L2 { lambda: 0.3 }, Regularization::L1 { lambda: 0.2 }, Regularization::ElasticNet { lambda: 0.4, l1_ratio: 0.5 }] {
        let line = Objective::new(*d.stats(), regularization).unwrap();
        let m = model(&[d.xs().to_vec()], d.ys(), regularization, LossConvention::HalfMse);
        let (values, others) = m.surface((0, 1), [[-1.0, 3.0], [0.0, 4.0]], 40);
        let expected = line.surface([-1.0, 3.0], [0.0, 4.0], 40);
        assert_eq!(others, Others::Profile);
        for (a, b) in values.iter().zip(&expected) {
            assert!((a - b).abs() <= 1e-9 * b.max(1.0), "{regularization:?}: {a} vs {b}");
        }
    }
    // Orthogonal features with mean 0 (Σ = I, s = (1, 0, 1)): the others' best values do not
    // depend on (θ0, θ1), they are θ2 = 0 and θ3 = 1, so the profile is J(θ0, θ1, 0, 1).
    let f = [vec![1.0, -1.0, 1.0, -1.0], vec![1.0, 1.0, -1.0, -1.0], vec![1.0, -1.0, -1.0, 1.0]];
    let ys = [4.0, 0.0, 2.0, 2.0];
    let m = model(&f, &ys, Regularization::None, LossConvention::HalfMse);
    let (values, others) = m.surface((0, 1), [[0.0, 4.0], [-1.0, 3.0]], 4);
    assert_eq!(others, Others::Profile);
    for (i, v) in values.iter().enumerate() {
        let (x, y) = (0.5 + (i % 4) as f64, -0.5 + (i / 4) as f64);
        assert!((v - m.loss(&[x, y, 0.0, 1.0])).abs() < 1e-12, "cell {i}: {v}");
    }
    // With an L1 part the others stay at θ*: the cell is J with them there.
    let m = model(&f, &ys, Regularization::L1 { lambda: 0.5 }, LossConvention::HalfMse);
    let o = m.optimum().unwrap();
    let (values, others) = m.surface((1, 3), [[-1.0, 1.0], [0.0, 2.0]], 4);
    assert_eq!(others, Others::AtOptimum);
    for (i, v) in values.iter().enumerate() {
        let (x, y) = (-0.75 + 0.5 * (i % 4) as f64, 0.25 + 0.5 * (i / 4) as f64);
        assert!((v - m.loss(&[o.theta[0], x, o.theta[2], y])).abs() < 1e-12, "cell {i}: {v}");
    }
}

/// θ after `steps` full-batch gradient-descent updates at rate `lr` from θ = 0, each gradient
/// summed point by point: c/n·Σ rᵢ·(1, φᵢ) + λ₂·(0, β).
fn per_point_descent(f: &[Vec<f64>], ys: &[f64], c: f64, l2: f64, lr: f64, steps: usize) -> Vec<f64> {
    let (d, n) = (f.len(), ys.len());
    let mut theta = vec![0.0; d + 1];
    for _ in 0..steps {
        let mut g = vec![0.0; d + 1];
        for i in 0..n {
            let r = theta[0] + (0..d).map(|j| theta[j + 1] * f[j][i]).sum::<f64>() - ys[i];
            g[0] += r;
            for j in 0..d {
                g[j + 1] += r * f[j][i];
            }
        }
        for (k, t) in theta.iter_mut().enumerate() {
            let mut gk = c * g[k] / n as f64;
            if k > 0 {
                gk += l2 * *t;
            }
            *t -= lr * gk;
        }
    }
    theta
}

/// The same descent from the model's gradient (its sufficient statistics).
fn model_descent(m: &Model, d: usize, lr: f64, steps: usize) -> Vec<f64> {
    let mut theta = vec![0.0; d + 1];
    for _ in 0..steps {
        let g = m.smooth_gradient(&theta);
        for (t, g) in theta.iter_mut().zip(g) {
            *t -= lr * g;
        }
    }
    theta
}

#[test]
fn descent_on_three_features_follows_the_per_point_loop_and_mse_at_eta_is_half_mse_at_two_eta() {
    let (x1, x2, x3) = (values(50, 21), values(50, 22), values(50, 23));
    let ys: Vec<f64> = (0..50).map(|i| 1.0 + x1[i] - 2.0 * x2[i] + 0.5 * x3[i] + 0.1 * ((i * 7) % 5) as f64).collect();
    let f = vec![x1, x2, x3];
    for (loss, c) in [(LossConvention::HalfMse, 1.0), (LossConvention::Mse, 2.0)] {
        for l2 in [0.0, 0.1] {
            let regularization = if l2 > 0.0 { Regularization::L2 { lambda: l2 } } else { Regularization::None };
            let m = model(&f, &ys, regularization, loss);
            let lr = 0.5 * m.lr_critical();
            let (a, b) = (model_descent(&m, 3, lr, 40), per_point_descent(&f, &ys, c, l2, lr, 40));
            for (x, y) in a.iter().zip(&b) {
                assert!((x - y).abs() < 1e-12, "{loss:?} λ2={l2}: {a:?} vs {b:?}");
            }
        }
    }
    // Without regularization the mse gradient is twice the half-mse one: mse at η is half-mse
    // at 2η, step for step.
    let half = model(&f, &ys, Regularization::None, LossConvention::HalfMse);
    let full = model(&f, &ys, Regularization::None, LossConvention::Mse);
    let eta = 0.2 * full.lr_critical();
    for (x, y) in model_descent(&full, 3, eta, 40).iter().zip(model_descent(&half, 3, 2.0 * eta, 40)) {
        assert!((x - y).abs() < 1e-12, "{x} vs {y}");
    }
}

#[test]
fn standardized_moments_are_those_of_the_standardized_columns_and_theta_maps_back() {
    let (x1, x2) = (values(30, 31), values(30, 32));
    let x2: Vec<f64> = x2.iter().zip(&x1).map(|(a, b)| 10.0 + 50.0 * a + 3.0 * b).collect();
    let ys: Vec<f64> = (0..30).map(|i| 2.0 - x1[i] + 0.01 * x2[i] + 0.05 * ((i * 3) % 7) as f64).collect();
    let f = vec![x1, x2];
    let data = Dataset::with_features(f.clone(), ys.clone(), Features::Columns).unwrap();
    let (standardized, scaling) = data.standardized().unwrap();
    let standardized = *standardized.stats();
    // The columns standardized by hand, their moments computed from the points.
    let by_hand: Vec<Vec<f64>> = f
        .iter()
        .map(|c| {
            let m = c.iter().sum::<f64>() / c.len() as f64;
            let s = (c.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / c.len() as f64).sqrt();
            c.iter().map(|v| (v - m) / s).collect()
        })
        .collect();
    let direct = stats_of(&by_hand, &ys);
    for j in 0..2 {
        assert!(standardized.mean[j].abs() < 1e-14 && direct.mean[j].abs() < 1e-12);
        assert!((standardized.cov_y[j] - direct.cov_y[j]).abs() < 1e-12);
        for k in 0..2 {
            assert!((standardized.cov[j][k] - direct.cov[j][k]).abs() < 1e-12);
        }
    }
    // Without regularization the fit is the same model: θ maps back to the unstandardized θ*.
    let half = |stats| Model(Objective::with_loss(stats, Regularization::None, LossConvention::HalfMse).unwrap());
    let plain = half(*data.stats()).optimum().unwrap();
    let scaled = half(standardized).optimum().unwrap();
    for (a, b) in scaling.to_original(&scaled.theta).iter().zip(&plain.theta) {
        assert!((a - b).abs() < 1e-10 * b.abs().max(1.0), "{a} vs {b}");
    }
    // Standardizing shrinks κ (x2 is 50 times wider than x1 here).
    let (raw, st) = (half(*data.stats()).condition_number(), half(direct).condition_number());
    assert!(raw > 100.0 * st, "κ {raw} vs standardized {st}");
    // A feature with no spread cannot be standardized: it is named.
    let flat = Dataset::with_features(vec![f[0].clone(), vec![1.0; 30]], ys, Features::Columns).unwrap();
    assert_eq!(flat.standardized().unwrap_err(), vec![2]);
}
