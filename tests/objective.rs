//! The objective J(θ), its gradient, Hessian, exact optimum and surface, each checked against
//! numbers worked out by hand in the comments or by a direct, straightforward computation written
//! here (a loop over the points, Cramer's rule on the normal equations, the quadratic formula on
//! the characteristic polynomial, the KKT conditions, a brute-force 1-D minimization) — never
//! against the crate's own output.

use approx::assert_relative_eq;
use gdviz::least_squares::data::{self, Dataset};
use gdviz::least_squares::objective::{Objective, Regularization, Theta};
use gdviz::least_squares::solve::NoUniqueOptimum;
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------
// Independent reference implementations
// ---------------------------------------------------------------------------------------------

/// J(θ) by a direct loop over the points: 1/(2n)·Σ(θ0 + θ1·x − y)² + λ1·|θ1| + (λ2/2)·θ1².
fn loss_direct(xs: &[f64], ys: &[f64], t0: f64, t1: f64, l1: f64, l2: f64) -> f64 {
    let n = xs.len() as f64;
    let mut sum = 0.0;
    for i in 0..xs.len() {
        let r = t0 + t1 * xs[i] - ys[i];
        sum += r * r;
    }
    sum / (2.0 * n) + l1 * t1.abs() + 0.5 * l2 * t1 * t1
}

/// Gradient of the data term by a direct loop: (mean(r), mean(r·x)).
fn data_gradient_direct(xs: &[f64], ys: &[f64], t0: f64, t1: f64) -> (f64, f64) {
    let n = xs.len() as f64;
    let (mut g0, mut g1) = (0.0, 0.0);
    for i in 0..xs.len() {
        let r = t0 + t1 * xs[i] - ys[i];
        g0 += r;
        g1 += r * xs[i];
    }
    (g0 / n, g1 / n)
}

/// (λ1, λ2) of a regularization, written out from the definitions of J (docs/mathematics.md, "The objective").
fn weights(reg: Regularization) -> (f64, f64) {
    match reg {
        Regularization::None => (0.0, 0.0),
        Regularization::L1 { lambda } => (lambda, 0.0),
        Regularization::L2 { lambda } => (0.0, lambda),
        Regularization::ElasticNet { lambda, l1_ratio } => (lambda * l1_ratio, lambda * (1.0 - l1_ratio)),
    }
}

/// Solves [[a, b], [c, d]]·(u, v) = (e, f) by Cramer's rule.
fn cramer(a: f64, b: f64, c: f64, d: f64, e: f64, f: f64) -> (f64, f64) {
    let det = a * d - b * c;
    ((e * d - b * f) / det, (a * f - e * c) / det)
}

/// The minimizer of Σ r_i² + α·θ1² (scikit-learn's Ridge with a free intercept) from the raw
/// normal equations [[n, Σx], [Σx, Σx² + α]]·θ = (Σy, Σxy), solved by Cramer's rule.
fn ridge_normal_equations(xs: &[f64], ys: &[f64], alpha: f64) -> (f64, f64) {
    let n = xs.len() as f64;
    let sx: f64 = xs.iter().sum();
    let sy: f64 = ys.iter().sum();
    let sxx: f64 = xs.iter().map(|x| x * x).sum();
    let sxy: f64 = xs.iter().zip(ys).map(|(x, y)| x * y).sum();
    cramer(n, sx, sx, sxx + alpha, sy, sxy)
}

/// Golden-section minimization of a convex function of one variable on [lo, hi].
fn golden_min(f: impl Fn(f64) -> f64, mut lo: f64, mut hi: f64) -> f64 {
    let g = (5f64.sqrt() - 1.0) / 2.0;
    let mut a = hi - g * (hi - lo);
    let mut b = lo + g * (hi - lo);
    let (mut fa, mut fb) = (f(a), f(b));
    for _ in 0..200 {
        if fa <= fb {
            hi = b;
            b = a;
            fb = fa;
            a = hi - g * (hi - lo);
            fa = f(a);
        } else {
            lo = a;
            a = b;
            fa = fb;
            b = lo + g * (hi - lo);
            fb = f(b);
        }
    }
    0.5 * (lo + hi)
}

fn objective(xs: &[f64], ys: &[f64], reg: Regularization) -> Objective {
    let data = Dataset::new(xs.to_vec(), ys.to_vec()).unwrap();
    Objective::new(*data.stats(), reg).unwrap()
}

// ---------------------------------------------------------------------------------------------
// The hand data set (0,1), (1,2), (2,2), (3,5)
//
//   n = 4, x̄ = 6/4 = 1.5, ȳ = 10/4 = 2.5
//   x − x̄ = (−1.5, −0.5, 0.5, 1.5),  y − ȳ = (−1.5, −0.5, −0.5, 2.5)
//   Sxx = (2.25 + 0.25 + 0.25 + 2.25)/4 = 5/4 = 1.25
//   Sxy = (2.25 + 0.25 − 0.25 + 3.75)/4 = 6/4 = 1.5
//   Syy = (2.25 + 0.25 + 0.25 + 6.25)/4 = 9/4 = 2.25
//   mean(x²) = (0 + 1 + 4 + 9)/4 = 3.5
// ---------------------------------------------------------------------------------------------

const HX: [f64; 4] = [0.0, 1.0, 2.0, 3.0];
const HY: [f64; 4] = [1.0, 2.0, 2.0, 5.0];

#[test]
fn hand_data_sufficient_statistics() {
    let data = Dataset::new(HX.to_vec(), HY.to_vec()).unwrap();
    let s = data.stats();
    assert_eq!(s.n, 4);
    assert_relative_eq!(s.mean_x(), 1.5, max_relative = 1e-15);
    assert_relative_eq!(s.mean_y, 2.5, max_relative = 1e-15);
    assert_relative_eq!(s.sxx(), 1.25, max_relative = 1e-15);
    assert_relative_eq!(s.sxy(), 1.5, max_relative = 1e-15);
    assert_relative_eq!(s.syy(), 2.25, max_relative = 1e-15);
    // Least-squares residuals below: Σr² = 1.8, mean 0.45.
    assert_relative_eq!(s.rss, 0.45, max_relative = 1e-14);
    assert_relative_eq!(s.mean_x2(), 3.5, max_relative = 1e-15);
}

#[test]
fn hand_optimum_no_regularization() {
    // θ1* = Sxy/Sxx = 1.5/1.25 = 1.2, θ0* = ȳ − θ1*·x̄ = 2.5 − 1.8 = 0.7.
    // Residuals 0.7 + 1.2x − y: −0.3, −0.1, 1.1, −0.7; Σr² = 0.09 + 0.01 + 1.21 + 0.49 = 1.8;
    // J* = 1.8/(2·4) = 0.225.
    let opt = objective(&HX, &HY, Regularization::None).optimum().unwrap();
    assert_relative_eq!(opt.theta[1], 1.2, max_relative = 1e-14);
    assert_relative_eq!(opt.theta[0], 0.7, max_relative = 1e-14);
    assert_relative_eq!(opt.loss, 0.225, max_relative = 1e-13);
    assert_relative_eq!(opt.loss, loss_direct(&HX, &HY, 0.7, 1.2, 0.0, 0.0), max_relative = 1e-13);
}

#[test]
fn hand_optimum_l2() {
    // λ = 0.25: θ1* = Sxy/(Sxx + λ) = 1.5/1.5 = 1, θ0* = 2.5 − 1.5 = 1.
    // Residuals 1 + x − y: 0, 0, 1, −1; data term 2/8 = 0.25; penalty (0.25/2)·1 = 0.125;
    // J* = 0.375.
    let opt = objective(&HX, &HY, Regularization::L2 { lambda: 0.25 }).optimum().unwrap();
    assert_relative_eq!(opt.theta[1], 1.0, max_relative = 1e-14);
    assert_relative_eq!(opt.theta[0], 1.0, max_relative = 1e-14);
    assert_relative_eq!(opt.loss, 0.375, max_relative = 1e-13);
    assert_relative_eq!(opt.loss, loss_direct(&HX, &HY, 1.0, 1.0, 0.0, 0.25), max_relative = 1e-13);
}

#[test]
fn hand_optimum_l1() {
    // λ = 0.25 < Sxy: θ1* = (Sxy − λ)/Sxx = 1.25/1.25 = 1, θ0* = 1; J* = 0.25 + 0.25·1 = 0.5.
    let opt = objective(&HX, &HY, Regularization::L1 { lambda: 0.25 }).optimum().unwrap();
    assert_relative_eq!(opt.theta[1], 1.0, max_relative = 1e-14);
    assert_relative_eq!(opt.theta[0], 1.0, max_relative = 1e-14);
    assert_relative_eq!(opt.loss, 0.5, max_relative = 1e-13);
    assert_relative_eq!(opt.loss, loss_direct(&HX, &HY, 1.0, 1.0, 0.25, 0.0), max_relative = 1e-13);

    // λ = Sxy = 1.5 and λ = 2 > Sxy: the soft-threshold gives exactly 0, θ0* = ȳ = 2.5,
    // J* = Syy/2 = 1.125.
    for lambda in [1.5, 2.0, 100.0] {
        let opt = objective(&HX, &HY, Regularization::L1 { lambda }).optimum().unwrap();
        assert_eq!(opt.theta[1], 0.0, "λ = {lambda}");
        assert_eq!(opt.theta[0], 2.5, "λ = {lambda}");
        assert_relative_eq!(opt.loss, 1.125, max_relative = 1e-14);
        assert_relative_eq!(opt.loss, loss_direct(&HX, &HY, 2.5, 0.0, lambda, 0.0), max_relative = 1e-14);
    }
}

#[test]
fn hand_optimum_elastic_net() {
    // λ = 0.5, ρ = 0.5: λ1 = 0.25, λ2 = 0.25.
    // θ1* = (Sxy − λ1)/(Sxx + λ2) = 1.25/1.5 = 5/6, θ0* = 2.5 − 1.5·5/6 = 1.25.
    // Residuals 1.25 + (5/6)x − y in twelfths: 3, 1, 11, −15 → Σr² = 356/144 = 89/36,
    // data term 89/288; penalty 0.5·(0.5·5/6 + 0.25·25/36) = 85/288; J* = 174/288 = 29/48.
    // KKT: Sxx·θ1 − Sxy + λ2·θ1 + λ1 = 1.5·5/6 − 1.25 = 0.
    let reg = Regularization::ElasticNet { lambda: 0.5, l1_ratio: 0.5 };
    let opt = objective(&HX, &HY, reg).optimum().unwrap();
    assert_relative_eq!(opt.theta[1], 5.0 / 6.0, max_relative = 1e-14);
    assert_relative_eq!(opt.theta[0], 1.25, max_relative = 1e-14);
    assert_relative_eq!(opt.loss, 29.0 / 48.0, max_relative = 1e-13);
    assert_relative_eq!(opt.loss, loss_direct(&HX, &HY, 1.25, 5.0 / 6.0, 0.25, 0.25), max_relative = 1e-13);

    // λ = 4, ρ = 0.5: λ1 = 2 > Sxy, so θ1* = 0 exactly whatever λ2.
    let opt = objective(&HX, &HY, Regularization::ElasticNet { lambda: 4.0, l1_ratio: 0.5 })
        .optimum()
        .unwrap();
    assert_eq!(opt.theta, Theta::new(2.5, 0.0));

    // ρ = 0 is ridge with λ2 = λ, ρ = 1 is lasso with λ1 = λ.
    let ridge = objective(&HX, &HY, Regularization::ElasticNet { lambda: 0.25, l1_ratio: 0.0 })
        .optimum()
        .unwrap();
    assert_relative_eq!(ridge.theta[1], 1.0, max_relative = 1e-14);
    let lasso = objective(&HX, &HY, Regularization::ElasticNet { lambda: 0.25, l1_ratio: 1.0 })
        .optimum()
        .unwrap();
    assert_relative_eq!(lasso.theta[1], 1.0, max_relative = 1e-14);
}

#[test]
fn l2_matches_sklearn_ridge_with_alpha_n_lambda() {
    // scikit-learn's Ridge(alpha) minimizes Σr² + α·θ1² with a free intercept. Dividing by 2n
    // gives our objective with λ = α/n, so the two minimizers coincide.
    // Hand data, α = 1 → λ = 0.25: the normal equations [[4, 6], [6, 14 + 1]]·θ = (10, 21)
    // (Σx = 6, Σx² = 14, Σy = 10, Σxy = 0 + 2 + 4 + 15 = 21): det = 60 − 36 = 24,
    // θ0 = (10·15 − 6·21)/24 = 24/24 = 1, θ1 = (4·21 − 6·10)/24 = 24/24 = 1.
    let (t0, t1) = ridge_normal_equations(&HX, &HY, 1.0);
    assert_relative_eq!(t0, 1.0, max_relative = 1e-14);
    assert_relative_eq!(t1, 1.0, max_relative = 1e-14);
    let opt = objective(&HX, &HY, Regularization::L2 { lambda: 1.0 / 4.0 }).optimum().unwrap();
    assert_relative_eq!(opt.theta[0], t0, max_relative = 1e-13);
    assert_relative_eq!(opt.theta[1], t1, max_relative = 1e-13);

    // A preset and several α.
    let data = data::preset("noisy").unwrap().settings.generate().unwrap();
    let n = data.len() as f64;
    for alpha in [0.0, 0.5, 10.0, 1000.0] {
        let (t0, t1) = ridge_normal_equations(data.xs(), data.ys(), alpha);
        let obj = Objective::new(*data.stats(), Regularization::L2 { lambda: alpha / n }).unwrap();
        let opt = obj.optimum().unwrap();
        assert_relative_eq!(opt.theta[0], t0, max_relative = 1e-10);
        assert_relative_eq!(opt.theta[1], t1, max_relative = 1e-10);
    }
}

#[test]
fn optimum_not_unique_when_all_x_equal() {
    // x = 2, 2, 2; y = 1, 2, 4: ȳ = 7/3. Without an L2 part the slope is undetermined.
    let xs = [2.0, 2.0, 2.0];
    let ys = [1.0, 2.0, 4.0];
    let not_unique = NoUniqueOptimum::NoSpread { features: vec![1], d: 1 };
    assert_eq!(objective(&xs, &ys, Regularization::None).optimum(), Err(not_unique.clone()));
    assert_eq!(objective(&xs, &ys, Regularization::L1 { lambda: 0.0 }).optimum(), Err(not_unique.clone()));
    assert_eq!(objective(&xs, &ys, Regularization::L2 { lambda: 0.0 }).optimum(), Err(not_unique.clone()));
    assert!(not_unique.to_string().contains("not unique"));

    // With L1 the penalty picks θ1 = 0; the intercept is then ȳ.
    let ybar = 7.0 / 3.0;
    for reg in [
        Regularization::L1 { lambda: 0.1 },
        Regularization::L2 { lambda: 0.1 },
        Regularization::ElasticNet { lambda: 0.1, l1_ratio: 1.0 },
        Regularization::ElasticNet { lambda: 0.1, l1_ratio: 0.3 },
    ] {
        let opt = objective(&xs, &ys, reg).optimum().unwrap();
        assert_eq!(opt.theta[1], 0.0, "{reg:?}");
        assert_relative_eq!(opt.theta[0], ybar, max_relative = 1e-15);
        // J* = Syy/2 with Syy = ((−4/3)² + (−1/3)² + (5/3)²)/3 = (16 + 1 + 25)/27 = 42/27.
        assert_relative_eq!(opt.loss, 21.0 / 27.0, max_relative = 1e-14);
    }
    // The data term is flat along θ1 through (x̄, ȳ): J(ȳ − 2t, t) is the same for every t.
    let obj = objective(&xs, &ys, Regularization::None);
    let j0 = obj.loss(Theta::new(ybar, 0.0));
    for t in [-3.0, 0.5, 7.0] {
        assert_relative_eq!(obj.loss(Theta::new(ybar - 2.0 * t, t)), j0, max_relative = 1e-12);
    }
    // Curvature: λ_min = 0, no finite condition number.
    let c = obj.curvature();
    assert_eq!(c.eigenvalues[0], 0.0);
    assert_eq!(c.condition_number, None);
    // H = [[1, 2], [2, 4]]: λ_max = trace = 5.
    assert_relative_eq!(c.eigenvalues[1], 5.0, max_relative = 1e-15);
}

// ---------------------------------------------------------------------------------------------
// Random data: closed forms vs normal equations, KKT and brute force
// ---------------------------------------------------------------------------------------------

fn dataset_strategy() -> impl Strategy<Value = (Vec<f64>, Vec<f64>)> {
    (2usize..40).prop_flat_map(|n| {
        (prop::collection::vec(-10.0f64..10.0, n), prop::collection::vec(-10.0f64..10.0, n))
    })
}

fn spread(xs: &[f64]) -> f64 {
    let m = xs.iter().sum::<f64>() / xs.len() as f64;
    xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / xs.len() as f64
}

fn reg_strategy() -> impl Strategy<Value = Regularization> {
    prop_oneof![
        Just(Regularization::None),
        (0.0f64..5.0).prop_map(|lambda| Regularization::L2 { lambda }),
        (0.0f64..5.0).prop_map(|lambda| Regularization::L1 { lambda }),
        (0.0f64..5.0, 0.0f64..=1.0).prop_map(|(lambda, l1_ratio)| Regularization::ElasticNet { lambda, l1_ratio }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Without an L1 part the optimum solves the normal equations of the smooth objective
    /// [[1, x̄], [x̄, mean(x²) + λ2]]·θ = (ȳ, mean(xy)), here from raw sums by Cramer's rule.
    #[test]
    fn smooth_optimum_solves_normal_equations((xs, ys) in dataset_strategy(), lambda in 0.0f64..5.0) {
        prop_assume!(spread(&xs) > 1e-3);
        let n = xs.len() as f64;
        let (t0, t1) = ridge_normal_equations(&xs, &ys, n * lambda);
        for reg in [Regularization::L2 { lambda }, Regularization::ElasticNet { lambda, l1_ratio: 0.0 }] {
            let opt = objective(&xs, &ys, reg).optimum().unwrap();
            let scale = 1.0 + t0.abs() + t1.abs();
            prop_assert!((opt.theta[0] - t0).abs() <= 1e-9 * scale, "{:?} vs {:?}", opt.theta, (t0, t1));
            prop_assert!((opt.theta[1] - t1).abs() <= 1e-9 * scale, "{:?} vs {:?}", opt.theta, (t0, t1));
            prop_assert!((opt.loss - loss_direct(&xs, &ys, t0, t1, 0.0, lambda)).abs()
                <= 1e-9 * (1.0 + opt.loss));
        }
    }

    /// The optimum satisfies the KKT conditions, checked with the gradient of a direct loop:
    /// ∂/∂θ0 = 0; for θ1 ≠ 0, g1 + λ2·θ1 + λ1·sign(θ1) = 0; for θ1 = 0, |g1| ≤ λ1.
    #[test]
    fn optimum_satisfies_kkt((xs, ys) in dataset_strategy(), reg in reg_strategy()) {
        prop_assume!(spread(&xs) > 1e-3);
        let (l1, l2) = weights(reg);
        let opt = objective(&xs, &ys, reg).optimum().unwrap();
        let (theta0, theta1) = (opt.theta[0], opt.theta[1]);
        let (g0, g1) = data_gradient_direct(&xs, &ys, theta0, theta1);
        let scale = 1.0 + ys.iter().map(|y| y.abs()).fold(0.0, f64::max) * (1.0 + xs.iter().map(|x| x.abs()).fold(0.0, f64::max));
        prop_assert!(g0.abs() <= 1e-12 * scale, "g0 = {}", g0);
        if theta1 != 0.0 {
            let r = g1 + l2 * theta1 + l1 * theta1.signum();
            prop_assert!(r.abs() <= 1e-11 * scale, "stationarity residual {}", r);
        } else {
            prop_assert!(g1.abs() <= l1 * (1.0 + 1e-12) + 1e-12 * scale, "|g1| = {} > λ1 = {}", g1.abs(), l1);
        }
        prop_assert!((opt.loss - loss_direct(&xs, &ys, theta0, theta1, l1, l2)).abs() <= 1e-10 * (1.0 + opt.loss));
    }

    /// Brute force: with θ0 = ȳ − θ1·x̄ (optimal for any θ1), minimize the direct-loop J over θ1
    /// by golden section and compare minimizer and minimum.
    #[test]
    fn optimum_matches_brute_force((xs, ys) in dataset_strategy(), reg in reg_strategy()) {
        prop_assume!(spread(&xs) > 0.5);
        let (l1, l2) = weights(reg);
        let n = xs.len() as f64;
        let xbar = xs.iter().sum::<f64>() / n;
        let ybar = ys.iter().sum::<f64>() / n;
        let profile = |t1: f64| loss_direct(&xs, &ys, ybar - t1 * xbar, t1, l1, l2);
        let t1 = golden_min(profile, -100.0, 100.0);
        let opt = objective(&xs, &ys, reg).optimum().unwrap();
        // The profile's curvature is Sxx + λ2 ≥ 0.5, so |Δθ1| ≲ √(2·ΔJ/0.5) for ΔJ ≈ 1e-14·J.
        prop_assert!((opt.theta[1] - t1).abs() <= 1e-5, "closed form {} vs brute force {}", opt.theta[1], t1);
        prop_assert!(opt.loss <= profile(t1) + 1e-12 * (1.0 + opt.loss));
        prop_assert!((opt.loss - profile(t1)).abs() <= 1e-9 * (1.0 + opt.loss));
    }

    /// An L1 weight at or above |Sxy| gives an exactly zero slope and θ0 = ȳ.
    #[test]
    fn large_l1_gives_exact_zero((xs, ys) in dataset_strategy(), factor in 1.0f64..3.0, rho in 0.0f64..=1.0) {
        let n = xs.len() as f64;
        let xbar = xs.iter().sum::<f64>() / n;
        let ybar = ys.iter().sum::<f64>() / n;
        let sxy = xs.iter().zip(&ys).map(|(x, y)| (x - xbar) * (y - ybar)).sum::<f64>() / n;
        // A hair above |Sxy| to stay clear of rounding in the two computations of Sxy.
        let l1 = sxy.abs() * factor * (1.0 + 1e-9) + 1e-12;
        let opt = objective(&xs, &ys, Regularization::L1 { lambda: l1 }).optimum().unwrap();
        prop_assert_eq!(opt.theta[1], 0.0);
        prop_assert!((opt.theta[0] - ybar).abs() <= 1e-12 * (1.0 + ybar.abs()));
        if rho > 0.01 {
            let reg = Regularization::ElasticNet { lambda: l1 / rho, l1_ratio: rho };
            if let Ok(opt) = objective(&xs, &ys, reg).optimum() {
                prop_assert_eq!(opt.theta[1], 0.0);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Loss, gradient, gradient norm
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn loss_matches_direct_loop((xs, ys) in dataset_strategy(), reg in reg_strategy(),
                                t0 in -20.0f64..20.0, t1 in -20.0f64..20.0) {
        let (l1, l2) = weights(reg);
        let obj = objective(&xs, &ys, reg);
        let direct = loss_direct(&xs, &ys, t0, t1, l1, l2);
        let got = obj.loss(Theta::new(t0, t1));
        prop_assert!((got - direct).abs() <= 1e-12 * (1.0 + direct), "{} vs {}", got, direct);
        let data_term = loss_direct(&xs, &ys, t0, t1, 0.0, 0.0);
        prop_assert!((obj.data_loss(Theta::new(t0, t1)) - data_term).abs() <= 1e-12 * (1.0 + data_term));
    }

    /// The gradient of the smooth part against central differences of the direct-loop loss.
    /// J is quadratic, so central differences have no truncation error; the tolerance covers
    /// rounding, ε·J/h.
    #[test]
    fn smooth_gradient_matches_finite_differences((xs, ys) in dataset_strategy(),
                                                  lambda in 0.0f64..5.0, rho in 0.0f64..=1.0,
                                                  t0 in -20.0f64..20.0, t1 in -20.0f64..20.0) {
        for reg in [Regularization::None, Regularization::L2 { lambda },
                    Regularization::ElasticNet { lambda, l1_ratio: rho }] {
            let (_, l2) = weights(reg);
            let obj = objective(&xs, &ys, reg);
            let f = |a: f64, b: f64| loss_direct(&xs, &ys, a, b, 0.0, l2);
            let h = 1e-3;
            let fd0 = (f(t0 + h, t1) - f(t0 - h, t1)) / (2.0 * h);
            let fd1 = (f(t0, t1 + h) - f(t0, t1 - h)) / (2.0 * h);
            let g = obj.smooth_gradient(Theta::new(t0, t1));
            let tol = 1e-8 * (1.0 + f(t0, t1));
            prop_assert!((g[0] - fd0).abs() <= tol, "∂θ0 {} vs {}", g[0], fd0);
            prop_assert!((g[1] - fd1).abs() <= tol, "∂θ1 {} vs {}", g[1], fd1);
            // The data-term gradient alone, and the L2 part alone.
            let gd = obj.data_gradient(Theta::new(t0, t1));
            let (d0, d1) = data_gradient_direct(&xs, &ys, t0, t1);
            prop_assert!((gd[0] - d0).abs() <= 1e-10 * (1.0 + d0.abs()));
            prop_assert!((gd[1] - d1).abs() <= 1e-10 * (1.0 + d1.abs()));
            prop_assert!((g[1] - gd[1] - l2 * t1).abs() <= 1e-12 * (1.0 + g[1].abs()));
        }
    }

    /// With an L1 part, away from θ1 = 0, the subgradient is the gradient of the whole J.
    #[test]
    fn l1_subgradient_matches_finite_differences((xs, ys) in dataset_strategy(),
                                                 lambda in 0.0f64..5.0, rho in 0.0f64..=1.0,
                                                 t0 in -20.0f64..20.0, t1 in -20.0f64..20.0) {
        let h = 1e-3;
        prop_assume!(t1.abs() > 10.0 * h);
        for reg in [Regularization::L1 { lambda }, Regularization::ElasticNet { lambda, l1_ratio: rho }] {
            let (l1, l2) = weights(reg);
            let obj = objective(&xs, &ys, reg);
            let f = |a: f64, b: f64| loss_direct(&xs, &ys, a, b, l1, l2);
            let fd0 = (f(t0 + h, t1) - f(t0 - h, t1)) / (2.0 * h);
            let fd1 = (f(t0, t1 + h) - f(t0, t1 - h)) / (2.0 * h);
            let g = obj.subgradient(Theta::new(t0, t1));
            let tol = 1e-8 * (1.0 + f(t0, t1));
            prop_assert!((g[0] - fd0).abs() <= tol, "∂θ0 {} vs {}", g[0], fd0);
            prop_assert!((g[1] - fd1).abs() <= tol, "∂θ1 {} vs {}", g[1], fd1);
        }
    }

    /// The gradient norm: ‖∇J‖ without L1; with L1 the norm of the proximal gradient mapping
    /// (θ − S(θ − η·∇f(θ), η·λ1))/η, here with the soft-threshold written out.
    #[test]
    fn gradient_norm_matches_definition((xs, ys) in dataset_strategy(), reg in reg_strategy(),
                                        t0 in -20.0f64..20.0, t1 in -20.0f64..20.0, eta in 0.001f64..1.0) {
        let (l1, l2) = weights(reg);
        let obj = objective(&xs, &ys, reg);
        let (d0, d1) = data_gradient_direct(&xs, &ys, t0, t1);
        let (g0, g1) = (d0, d1 + l2 * t1);
        let expected = if l1 == 0.0 {
            (g0 * g0 + g1 * g1).sqrt()
        } else {
            let v = t1 - eta * g1;
            let p1 = if v.abs() <= eta * l1 { 0.0 } else { v - eta * l1 * v.signum() };
            let m0 = g0; // (θ0 − (θ0 − η·g0))/η
            let m1 = (t1 - p1) / eta;
            (m0 * m0 + m1 * m1).sqrt()
        };
        let got = obj.gradient_norm(Theta::new(t0, t1), eta);
        prop_assert!((got - expected).abs() <= 1e-9 * (1.0 + expected), "{} vs {}", got, expected);
    }
}

#[test]
fn hand_gradient_and_loss() {
    // At θ = (0, 0): r = −y = (−1, −2, −2, −5); J = (1 + 4 + 4 + 25)/8 = 34/8 = 4.25;
    // ∂θ0 = mean(r) = −10/4 = −2.5; ∂θ1 = mean(r·x) = (0 − 2 − 4 − 15)/4 = −21/4 = −5.25.
    let obj = objective(&HX, &HY, Regularization::None);
    assert_relative_eq!(obj.loss(Theta::new(0.0, 0.0)), 4.25, max_relative = 1e-14);
    let g = obj.smooth_gradient(Theta::new(0.0, 0.0));
    assert_relative_eq!(g[0], -2.5, max_relative = 1e-14);
    assert_relative_eq!(g[1], -5.25, max_relative = 1e-14);
    // With L2 λ = 0.25 at θ = (0, 2): r = 2x − y = (−1, 0, 2, 1): data term 6/8 = 0.75,
    // penalty 0.125·4 = 0.5, J = 1.25; ∂θ0 = 2/4 = 0.5, ∂θ1 = (0 + 0 + 4 + 3)/4 + 0.25·2 = 2.25.
    let obj = objective(&HX, &HY, Regularization::L2 { lambda: 0.25 });
    assert_relative_eq!(obj.loss(Theta::new(0.0, 2.0)), 1.25, max_relative = 1e-14);
    let g = obj.smooth_gradient(Theta::new(0.0, 2.0));
    assert_relative_eq!(g[0], 0.5, max_relative = 1e-14);
    assert_relative_eq!(g[1], 2.25, max_relative = 1e-14);
    // L1 λ = 0.25 at θ = (0, −1): r = −x − y = (−1, −3, −4, −8): data term 90/8 = 11.25,
    // penalty 0.25, J = 11.5; subgradient ∂θ1 = (0 − 3 − 8 − 24)/4 − 0.25 = −9.
    let obj = objective(&HX, &HY, Regularization::L1 { lambda: 0.25 });
    assert_relative_eq!(obj.loss(Theta::new(0.0, -1.0)), 11.5, max_relative = 1e-14);
    assert_relative_eq!(obj.subgradient(Theta::new(0.0, -1.0))[1], -9.0, max_relative = 1e-14);
    // At θ1 = 0 the subgradient uses sign(0) = 0: ∂θ1 = −5.25 at θ = (0, 0).
    assert_relative_eq!(obj.subgradient(Theta::new(0.0, 0.0))[1], -5.25, max_relative = 1e-14);
}

#[test]
fn loss_is_accurate_near_the_optimum_of_far_away_data() {
    // x around 1e4, y = 3 + 0.5x + tiny noise: the centred form must not lose J* to cancellation.
    let xs: Vec<f64> = (0..100).map(|i| 1.0e4 + i as f64 * 0.01).collect();
    let ys: Vec<f64> = xs.iter().enumerate().map(|(i, x)| 3.0 + 0.5 * x + if i % 2 == 0 { 1e-3 } else { -1e-3 }).collect();
    let obj = objective(&xs, &ys, Regularization::None);
    let opt = obj.optimum().unwrap();
    let direct = loss_direct(&xs, &ys, opt.theta[0], opt.theta[1], 0.0, 0.0);
    // J* ≈ (1e-3)²/2 = 5e-7 (the alternating noise is nearly orthogonal to x).
    assert_relative_eq!(opt.loss, direct, max_relative = 1e-4);
    assert!(opt.loss > 4e-7 && opt.loss < 5.1e-7, "J* = {}", opt.loss);
}

// ---------------------------------------------------------------------------------------------
// Hessian and curvature
// ---------------------------------------------------------------------------------------------

/// Eigenvalues of H = [[1, m], [m, q]] as roots of λ² − (1 + q)·λ + (q − m²) = 0, with the
/// determinant passed in separately (q − m² = Sxx + λ2, computed from centred sums) and the
/// small root taken as det/λ_max (Vieta) to avoid cancellation.
fn eig_by_characteristic_polynomial(q: f64, det: f64) -> (f64, f64) {
    let trace = 1.0 + q;
    let disc = (trace * trace - 4.0 * det).max(0.0);
    let big = 0.5 * (trace + disc.sqrt());
    (det / big, big)
}

fn check_curvature(xs: &[f64], ys: &[f64], reg: Regularization) {
    let (_, l2) = weights(reg);
    let n = xs.len() as f64;
    let m = xs.iter().sum::<f64>() / n;
    let q = xs.iter().map(|x| x * x).sum::<f64>() / n + l2;
    let det = xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / n + l2;
    let (lo, hi) = eig_by_characteristic_polynomial(q, det);
    let c = objective(xs, ys, reg).curvature();
    assert_relative_eq!(c.hessian[0], 1.0);
    assert_relative_eq!(c.hessian[1], m, max_relative = 1e-12, epsilon = 1e-14);
    assert_relative_eq!(c.hessian[2], m, max_relative = 1e-12, epsilon = 1e-14);
    assert_relative_eq!(c.hessian[3], q, max_relative = 1e-12);
    assert_relative_eq!(c.eigenvalues[1], hi, max_relative = 1e-12);
    assert_relative_eq!(c.eigenvalues[0], lo, max_relative = 1e-9, epsilon = 1e-300);
    // The eigenvalues are roots of the characteristic polynomial p(λ) = (1 − λ)(q − λ) − m².
    for &l in &c.eigenvalues {
        let p = (1.0 - l) * (q - l) - m * m;
        assert!(p.abs() <= 1e-10 * (1.0 + q * q), "p({l}) = {p}");
    }
    // Hv = λv, unit length, orthogonal.
    for (k, v) in c.eigenvectors.iter().enumerate() {
        let l = c.eigenvalues[k];
        let hv = [v[0] + m * v[1], m * v[0] + q * v[1]];
        assert!((hv[0] - l * v[0]).abs() <= 1e-12 * hi, "H v − λ v = {:?}", hv);
        assert!((hv[1] - l * v[1]).abs() <= 1e-12 * hi, "H v − λ v = {:?}", hv);
        assert_relative_eq!(v[0].hypot(v[1]), 1.0, max_relative = 1e-14);
    }
    let [a, b] = c.extreme_eigenvectors();
    assert!((a[0] * b[0] + a[1] * b[1]).abs() <= 1e-14);
    assert_relative_eq!(c.lr_critical, 2.0 / hi, max_relative = 1e-12);
    assert_relative_eq!(c.lr_optimal, 2.0 / (lo + hi), max_relative = 1e-12);
    assert_relative_eq!(c.lr_monotone, 1.0 / hi, max_relative = 1e-12);
    if lo > 0.0 {
        assert_relative_eq!(c.condition_number.unwrap(), hi / lo, max_relative = 1e-9);
    }
}

#[test]
fn hand_curvature() {
    // Hand data, no regularization: H = [[1, 1.5], [1.5, 3.5]], trace 4.5, det 3.5 − 2.25 = 1.25.
    // λ = (4.5 ± √(20.25 − 5))/2 = (4.5 ± √15.25)/2.
    let c = objective(&HX, &HY, Regularization::None).curvature();
    let r = 15.25f64.sqrt();
    assert_relative_eq!(c.eigenvalues[1], (4.5 + r) / 2.0, max_relative = 1e-14);
    assert_relative_eq!(c.eigenvalues[0], (4.5 - r) / 2.0, max_relative = 1e-13);
    assert_relative_eq!(c.lr_critical, 4.0 / (4.5 + r), max_relative = 1e-14);
    assert_relative_eq!(c.lr_optimal, 2.0 / 4.5, max_relative = 1e-14);
    assert_relative_eq!(c.condition_number.unwrap(), (4.5 + r) / (4.5 - r), max_relative = 1e-13);
    // With L2 λ = 0.25: H = [[1, 1.5], [1.5, 3.75]], trace 4.75, det 1.5.
    let c = objective(&HX, &HY, Regularization::L2 { lambda: 0.25 }).curvature();
    let r = (4.75f64 * 4.75 - 6.0).sqrt();
    assert_relative_eq!(c.eigenvalues[1], (4.75 + r) / 2.0, max_relative = 1e-14);
    assert_relative_eq!(c.eigenvalues[0], (4.75 - r) / 2.0, max_relative = 1e-13);
    // L1 has no smooth penalty: same Hessian as none.
    let c1 = objective(&HX, &HY, Regularization::L1 { lambda: 3.0 }).curvature();
    let c0 = objective(&HX, &HY, Regularization::None).curvature();
    assert_eq!(c1.hessian, c0.hessian);
    // x̄ = 0 gives a diagonal H = [[1, 0], [0, mean(x²)]]: eigenvectors the axes.
    let c = objective(&[-2.0, 2.0], &[0.0, 1.0], Regularization::None).curvature();
    assert_eq!(c.eigenvalues, [1.0, 4.0]);
    assert_eq!(c.eigenvectors[1].map(f64::abs), Theta::new(0.0, 1.0));
    assert_eq!(c.eigenvectors[0].map(f64::abs), Theta::new(1.0, 0.0));
    let c = objective(&[-0.5, 0.5], &[0.0, 1.0], Regularization::None).curvature();
    assert_eq!(c.eigenvalues, [0.25, 1.0]);
    assert_eq!(c.eigenvectors[1].map(f64::abs), Theta::new(1.0, 0.0));
}

#[test]
fn curvature_of_presets() {
    for p in data::PRESETS.iter() {
        let d = p.settings.generate().unwrap();
        for reg in [
            Regularization::None,
            Regularization::L2 { lambda: 0.3 },
            Regularization::L1 { lambda: 0.3 },
            Regularization::ElasticNet { lambda: 0.3, l1_ratio: 0.4 },
        ] {
            check_curvature(d.xs(), d.ys(), reg);
        }
    }
}

#[test]
fn ill_conditioned_preset_has_large_condition_number() {
    // x uniform in [4, 6]: x̄ ≈ 5, Sxx ≈ 4/12 = 1/3, so H ≈ [[1, 5], [5, 25.33]],
    // λ_max ≈ 26.3, λ_min ≈ (1/3)/26.3 ≈ 0.0127, κ ≈ 2000.
    let d = data::preset("ill-conditioned").unwrap().settings.generate().unwrap();
    let c = Objective::new(*d.stats(), Regularization::None).unwrap().curvature();
    let kappa = c.condition_number.unwrap();
    assert!(kappa > 1000.0, "κ = {kappa}");
    // The clean preset (x in [0, 3]) is well conditioned by comparison.
    let d = data::preset("clean").unwrap().settings.generate().unwrap();
    let c = Objective::new(*d.stats(), Regularization::None).unwrap().curvature();
    assert!(c.condition_number.unwrap() < 100.0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn curvature_matches_characteristic_polynomial((xs, ys) in dataset_strategy(), reg in reg_strategy()) {
        check_curvature(&xs, &ys, reg);
    }
}

// ---------------------------------------------------------------------------------------------
// Surface
// ---------------------------------------------------------------------------------------------

#[test]
fn surface_is_row_major_cell_centres() {
    let reg = Regularization::ElasticNet { lambda: 0.4, l1_ratio: 0.5 };
    let (l1, l2) = weights(reg);
    let obj = objective(&HX, &HY, reg);
    // 4 cells over θ0 ∈ [−2, 2] (centres −1.5, −0.5, 0.5, 1.5), θ1 ∈ [0, 8] (centres 1, 3, 5, 7).
    let values = obj.surface([-2.0, 2.0], [0.0, 8.0], 4);
    assert_eq!(values.len(), 16);
    let centres0 = [-1.5, -0.5, 0.5, 1.5];
    let centres1 = [1.0, 3.0, 5.0, 7.0];
    for (row, &t1) in centres1.iter().enumerate() {
        for (col, &t0) in centres0.iter().enumerate() {
            let expected = loss_direct(&HX, &HY, t0, t1, l1, l2);
            assert_relative_eq!(values[row * 4 + col], expected, max_relative = 1e-13);
        }
    }
    assert!(obj.surface([-1.0, 1.0], [-1.0, 1.0], 0).is_empty());
}

#[test]
fn regularization_path_follows_closed_form() {
    // Hand data, L1: θ1*(λ) = max(1.5 − λ, 0)/1.25; at λ = 0, 0.5, 1, 1.5, 2: 1.2, 0.8, 0.4, 0, 0.
    let obj = objective(&HX, &HY, Regularization::L1 { lambda: 0.1 });
    let path = obj.regularization_path(2.0, 5);
    let expected = [(0.0, 1.2), (0.5, 0.8), (1.0, 0.4), (1.5, 0.0), (2.0, 0.0)];
    assert_eq!(path.len(), 5);
    for ((lambda, theta), (el, et1)) in path.iter().zip(expected) {
        assert_relative_eq!(*lambda, el, max_relative = 1e-15);
        assert_relative_eq!(theta[1], et1, max_relative = 1e-14, epsilon = 1e-15);
        assert_relative_eq!(theta[0], 2.5 - 1.5 * et1, max_relative = 1e-14);
    }
}
