//! The stability map of heavy-ball momentum, against numbers worked out by hand below and
//! against real momentum runs (never against the map's own output).
//!
//! The diagonal data set: x = (−2, −2, 2, 2), y = (0, 2, 2, 4). x̄ = 0 and mean(x²) = 4, so in
//! the half-mse convention H = [[1, x̄], [x̄, mean(x²)]] = diag(1, 4): eigenvalues 1 and 4, each
//! along a coordinate. The fit is θ* = (ȳ, mean(x·y)/mean(x²)) = (2, 8/16) = (2, 0.5), the
//! residuals are ±1, so J* = ½·mean(r²) = 0.5; J(0) = ½·mean(y²) = ½·24/4 = 3.
//!
//! Heavy ball on eigenvalue λ: z² − t·z + μ = 0 with t = 1 + μ − η·λ. Real roots when t² ≥ 4μ,
//! the larger in modulus (|t| + √(t² − 4μ))/2; complex roots of modulus √μ otherwise. The rate is
//! the larger over λ = 1 and λ = 4.

use approx::assert_abs_diff_eq;
use gdviz::descent::optimizer::Optimizer;
use gdviz::descent::rate_map::{
    caveats, empirical_check, measure_rate, plain_best, polyak_optimum, rate, rate_map, spectral_radius, steps_to_shrink,
    Caveat, MapSettings, RateMap, MEASURE_STEPS,
};
use gdviz::descent::run::{Run, RunConfig, Status};
use gdviz::descent::schedule::Schedule;
use gdviz::least_squares::data::Dataset;
use gdviz::least_squares::features::Features;
use gdviz::least_squares::objective::{Objective, Regularization, Theta};
use serde_json::Value;
use std::process::{Command, Output};

fn diagonal_data() -> Dataset {
    Dataset::new(vec![-2.0, -2.0, 2.0, 2.0], vec![0.0, 2.0, 2.0, 4.0]).unwrap()
}

fn diagonal() -> Objective {
    Objective::new(*diagonal_data().stats(), Regularization::None).unwrap()
}

/// Three correlated features, deterministic: eigenvalues from about 0.05 to 14.
fn three_features() -> Objective {
    let n = 50;
    let x1: Vec<f64> = (0..n).map(|i| ((i * 7919) % 101) as f64 / 50.0 - 1.0).collect();
    let x2: Vec<f64> = (0..n).map(|i| ((i * 104729) % 97) as f64 / 20.0 + 1.0).collect();
    let x3: Vec<f64> = (0..n).map(|i| x1[i] * 0.5 + ((i * 31) % 13) as f64 / 13.0).collect();
    let y: Vec<f64> = (0..n).map(|i| 1.0 + 2.0 * x1[i] - x2[i] + 0.5 * x3[i] + ((i * 17) % 7) as f64 / 7.0).collect();
    let data = Dataset::with_features(vec![x1, x2, x3], y, Features::Columns).unwrap();
    Objective::new(*data.stats(), Regularization::None).unwrap()
}

#[test]
fn the_rate_by_hand_on_a_diagonal_hessian() {
    let spectrum = diagonal().curvature().spectrum;
    assert_eq!(spectrum, vec![1.0, 4.0]);
    let cases: [(f64, f64, f64, &str); 9] = [
        // μ = 0: max |1 − ηλ|.
        (0.3, 0.0, 0.7, "max(|1 − 0.3|, |1 − 1.2|)"),
        (0.45, 0.0, 0.8, "max(|1 − 0.45|, |1 − 1.8|)"),
        // μ = 0.36, η = 0.5: t = 1.36 − 0.5 = 0.86 and 1.36 − 2 = −0.64, both |t| < 2·0.6 = 1.2:
        // complex, modulus √0.36.
        (0.5, 0.36, 0.6, "complex for both"),
        // μ = 0.25, η = 0.1: λ = 1 gives t = 1.15, t² − 4μ = 1.3225 − 1 = 0.3225 = 129/400, so
        // ρ = (1.15 + √129/20)/2 = (23 + √129)/40; λ = 4 gives t = 0.85 < 1: complex, 0.5.
        (0.1, 0.25, (23.0 + 129f64.sqrt()) / 40.0, "real, positive roots"),
        // μ = 0.25, η = 0.6: λ = 4 gives t = −1.15, the same t² − 4μ = 129/400; λ = 1 gives
        // t = 0.65: complex, 0.5.
        (0.6, 0.25, (23.0 + 129f64.sqrt()) / 40.0, "real, negative roots"),
        // μ = 0.25, η = 0.25: λ = 1 gives t = 1 = 2√μ, a double root 0.5; λ = 4 gives t = 0.25.
        (0.25, 0.25, 0.5, "critical damping"),
        // μ = 0.25, η = 0.625 = 2(1 + μ)/4: λ = 4 gives t = −1.25, t² − 4μ = 0.5625, ρ = (1.25 + 0.75)/2.
        (0.625, 0.25, 1.0, "the edge 2(1 + μ)/λ_max"),
        // Divergent: μ = 0, η = 0.6: |1 − 2.4|.
        (0.6, 0.0, 1.4, "plain descent above 2/λ_max"),
        // μ = 0.25, η = 0.7: λ = 4 gives t = −1.55, t² − 4μ = 2.4025 − 1 = 561/400,
        // ρ = (1.55 + √561/20)/2 = (31 + √561)/40 ≈ 1.367.
        (0.7, 0.25, (31.0 + 561f64.sqrt()) / 40.0, "momentum above 2(1 + μ)/λ_max"),
    ];
    for (lr, momentum, expected, what) in cases {
        let got = rate(&spectrum, lr, momentum);
        assert!((got - expected).abs() <= 1e-12, "{what}: η = {lr}, μ = {momentum}: {got} ≠ {expected}");
    }
    // The map holds the same numbers at its grid points: η from 0.1 to 0.4 (0.2 between, to
    // rounding), μ = 0 and 0.36. At μ = 0.36, η = 0.1: λ = 1 gives t = 1.26, t² − 4μ = 1.5876
    // − 1.44 = 0.1476 = 369/2500, ρ = (63 + √369)/100; λ = 4: t = 0.96 < 1.2, complex, 0.6.
    let settings = MapSettings { lr_range: Some([0.1, 0.4]), momentum_range: [0.0, 0.36], grid: [3, 2] };
    let map = RateMap::of(&diagonal(), &settings).unwrap();
    let expected = [[0.9, 0.8, 0.6], [(63.0 + 369f64.sqrt()) / 100.0, 0.6, 0.6]];
    for (h, row) in expected.iter().enumerate() {
        for (w, &value) in row.iter().enumerate() {
            assert_abs_diff_eq!(map.rates[h][w], value, epsilon = 1e-12);
        }
    }
}

#[test]
fn one_eigenvalue_has_the_closed_form_everywhere_and_never_nan() {
    // μ = 0: |1 − ηλ|; inside [(1 − √μ)², (1 + √μ)²] for ηλ: √μ.
    for a in [0.0, 0.3, 1.0, 1.7, 2.0, 5.0] {
        assert_abs_diff_eq!(spectral_radius(a, 0.0, 1.0), (1.0_f64 - a).abs(), epsilon = 1e-15);
    }
    for (a, mu) in [(0.5, 0.64), (1.0, 0.9), (2.5, 0.5)] {
        assert_abs_diff_eq!(spectral_radius(a, mu, 1.0), f64::sqrt(mu), epsilon = 1e-15);
    }
    // Tiny η·λ: ρ = 1 − η·λ/(1 − μ) to first order; the gap is not lost to rounding in the
    // steps (ln 10⁶ / (1e-12/(1 − 0.5)) = 6.9e12 steps).
    let steps = rate_map(&[1e-12, 1.0], &MapSettings { lr_range: Some([1.0, 1.5]), momentum_range: [0.5, 0.6], grid: [2, 2] })
        .unwrap()
        .steps[0][0]
        .unwrap();
    assert!((steps as f64 - 1e6f64.ln() / 2e-12).abs() < 1e-6 * steps as f64, "{steps}");
    let extremes = [-f64::MAX, -1e300, -1.0, -1e-300, 0.0, 1e-300, 0.5, 1.0, 2.0, 1e300, f64::MAX];
    for &lr in &extremes {
        for &mu in &extremes {
            for &lambda in &extremes {
                let radius = spectral_radius(lr, mu, lambda);
                assert!(!radius.is_nan() && radius >= 0.0, "ρ({lr}, {mu}, {lambda}) = {radius}");
            }
        }
    }
}

#[test]
fn steps_to_shrink_by_hand() {
    // ln 10⁻⁶ = −13.8155…: 0.1 → 6 exactly (the quotient is 6 to rounding), 0.5 → 19.93 → 20,
    // 0.6 → 13.8155/0.5108 = 27.05 → 28, 0.999999 → 13.8155/1.0000005e-6 = 13815503.7 → 13815504.
    assert_eq!(steps_to_shrink(0.1), Some(6));
    assert_eq!(steps_to_shrink(0.5), Some(20));
    assert_eq!(steps_to_shrink(0.6), Some(28));
    assert_eq!(steps_to_shrink(0.999999), Some(13_815_504));
    assert_eq!(steps_to_shrink(1e-300), Some(1));
    assert_eq!(steps_to_shrink(0.0), Some(1));
    for never in [1.0, 1.4, f64::INFINITY, f64::NAN] {
        assert_eq!(steps_to_shrink(never), None, "{never}");
    }
}

#[test]
fn polyak_optimum_is_the_best_rate_and_plain_descent_its_own() {
    // λ = 1, 4: κ = 4, √κ = 2: rate (2 − 1)/(2 + 1) = 1/3, μ* = 1/9, η* = 4/(2 + 1)² = 4/9;
    // plain descent: η = 2/5, rate (4 − 1)/(4 + 1) = 3/5.
    let spectrum = diagonal().curvature().spectrum;
    let optimum = polyak_optimum(&spectrum).unwrap();
    assert_abs_diff_eq!(optimum.rate, 1.0 / 3.0, epsilon = 1e-15);
    assert_abs_diff_eq!(optimum.momentum, 1.0 / 9.0, epsilon = 1e-15);
    assert_abs_diff_eq!(optimum.lr, 4.0 / 9.0, epsilon = 1e-15);
    let plain = plain_best(&spectrum).unwrap();
    assert_abs_diff_eq!(plain.lr, 0.4, epsilon = 1e-15);
    assert_abs_diff_eq!(plain.rate, 0.6, epsilon = 1e-15);

    for objective in [diagonal(), three_features()] {
        let curvature = objective.curvature();
        let kappa = curvature.condition_number.unwrap();
        let optimum = polyak_optimum(&curvature.spectrum).unwrap();
        let expected = (kappa.sqrt() - 1.0) / (kappa.sqrt() + 1.0);
        assert_abs_diff_eq!(optimum.rate, expected, epsilon = 1e-12);
        assert_abs_diff_eq!(optimum.momentum, expected * expected, epsilon = 1e-12);
        // At (η*, μ*) λ_min sits exactly on critical damping, a double root: a rounding δ in
        // η·λ moves it by about √δ ≈ 1e-8, so the map's radius there is the mark's to 1e-7.
        assert_abs_diff_eq!(rate(&curvature.spectrum, optimum.lr, optimum.momentum), optimum.rate, epsilon = 1e-7);
        // No point of a fine grid around it does better, beyond rounding.
        let settings = MapSettings {
            lr_range: Some([0.2 * optimum.lr, 5.0 * optimum.lr]),
            momentum_range: [0.0, 0.995],
            grid: [400, 400],
        };
        let map = rate_map(&curvature.spectrum, &settings).unwrap();
        let best = map.rates.iter().flatten().copied().fold(f64::INFINITY, f64::min);
        assert!(best >= optimum.rate - 1e-12, "a grid point beats Polyak's optimum: {best} < {}", optimum.rate);
        assert!(best <= optimum.rate + 0.02, "the grid passes near the optimum: {best}");
        // Plain descent's best is the best of the μ = 0 row.
        let plain = plain_best(&curvature.spectrum).unwrap();
        assert_abs_diff_eq!(plain.rate, (kappa - 1.0) / (kappa + 1.0), epsilon = 1e-12);
        let row_best = map.rates[0].iter().copied().fold(f64::INFINITY, f64::min);
        assert!(row_best >= plain.rate - 1e-12);
        assert_abs_diff_eq!(rate(&curvature.spectrum, plain.lr, 0.0), plain.rate, epsilon = 1e-12);
    }
}

#[test]
fn a_null_direction_is_skipped_and_leaves_no_marks() {
    // x constant: H = [[1, 1], [1, 1]], eigenvalues 0 and 2. J does not see the null direction;
    // the rate is that of λ = 2 alone, and with κ infinite there are no marks.
    let data = Dataset::new(vec![1.0; 4], vec![1.0, 2.0, 3.0, 4.0]).unwrap();
    let objective = Objective::new(*data.stats(), Regularization::None).unwrap();
    let spectrum = objective.curvature().spectrum;
    assert_eq!(spectrum, vec![0.0, 2.0]);
    for (lr, momentum) in [(0.1, 0.0), (0.3, 0.5), (1.2, 0.9)] {
        assert_eq!(rate(&spectrum, lr, momentum), spectral_radius(lr, momentum, 2.0));
    }
    let map = RateMap::of(&objective, &MapSettings { grid: [4, 3], ..MapSettings::default() }).unwrap();
    assert_eq!(map.optimum, None);
    assert_eq!(map.plain_best, None);
    assert_abs_diff_eq!(map.lr_critical, 1.0, epsilon = 1e-15);
    // No unique optimum, no J*: nothing to measure.
    assert_eq!(measure_rate(&objective, 0.1, 0.5, Theta::zeros(2)).unwrap(), None);
}

#[test]
fn the_grid_is_log_spaced_in_rate_and_linear_in_momentum() {
    let map = RateMap::of(&diagonal(), &MapSettings::default()).unwrap();
    assert_eq!((map.lrs.len(), map.momenta.len()), (100, 100));
    assert_eq!(map.rates.len(), 100);
    assert!(map.rates.iter().all(|row| row.len() == 100) && map.steps.iter().all(|row| row.len() == 100));
    // Defaults: A = 1e-3·2/λ_max = 5e-4, B = 1.2·2(1 + 0.999)/4 = 1.1994.
    assert_abs_diff_eq!(map.lrs[0], 5e-4, epsilon = 1e-18);
    assert_abs_diff_eq!(map.lrs[99], 1.1994, epsilon = 1e-15);
    assert_eq!((map.momenta[0], map.momenta[99]), (0.0, 0.999));
    let ratio = (1.1994f64 / 5e-4).powf(1.0 / 99.0);
    for w in 1..100 {
        assert_abs_diff_eq!(map.lrs[w] / map.lrs[w - 1], ratio, epsilon = 1e-12);
    }
    for h in 0..100 {
        assert_abs_diff_eq!(map.momenta[h], 0.999 * h as f64 / 99.0, epsilon = 1e-15);
    }
    for (rates, steps) in map.rates.iter().zip(&map.steps) {
        for (&r, &s) in rates.iter().zip(steps) {
            assert_eq!(s.is_none(), r >= 1.0, "rate {r}, steps {s:?}");
        }
    }
    // Given ends are kept exactly.
    let settings = MapSettings { lr_range: Some([0.003, 0.7]), momentum_range: [0.1, 0.9], grid: [7, 5] };
    let map = RateMap::of(&diagonal(), &settings).unwrap();
    assert_eq!((map.lrs[0], map.lrs[6], map.momenta[0], map.momenta[4]), (0.003, 0.7, 0.1, 0.9));
    assert_eq!(map.rates.len(), 5);
    assert!(map.rates.iter().all(|row| row.len() == 7));
}

#[test]
fn bad_settings_are_refused_by_name_and_range() {
    let objective = diagonal();
    let cases: [(MapSettings, &str); 9] = [
        (MapSettings { grid: [1, 5], ..MapSettings::default() }, "columns of the map (learning rates) must be an integer in [2, 1000], got 1"),
        (MapSettings { grid: [5, 1001], ..MapSettings::default() }, "rows of the map (momenta) must be an integer in [2, 1000], got 1001"),
        (MapSettings { momentum_range: [-0.1, 0.5], ..MapSettings::default() }, "lowest momentum μ must be in [0, 1), got -0.1"),
        (MapSettings { momentum_range: [0.5, 0.3], ..MapSettings::default() }, "highest momentum μ must be in (0.5, 1), got 0.3"),
        (MapSettings { momentum_range: [0.0, 1.0], ..MapSettings::default() }, "highest momentum μ must be in (0, 1), got 1"),
        (MapSettings { lr_range: Some([0.0, 1.0]), ..MapSettings::default() }, "lowest learning rate must be a finite number > 0, got 0"),
        (
            MapSettings { lr_range: Some([1.0, 0.5]), ..MapSettings::default() },
            "highest learning rate must be a finite number > lowest learning rate (1), got 0.5",
        ),
        (
            MapSettings { lr_range: Some([1.0, f64::INFINITY]), ..MapSettings::default() },
            "highest learning rate must be a finite number > lowest learning rate (1), got inf",
        ),
        (MapSettings { lr_range: Some([f64::NAN, 1.0]), ..MapSettings::default() }, "lowest learning rate must be a finite number > 0, got NaN"),
    ];
    for (settings, message) in cases {
        assert_eq!(RateMap::of(&objective, &settings).unwrap_err().to_string(), message);
    }
    // Extreme but valid: no panic, rates finite or ∞, never NaN.
    let settings = MapSettings { lr_range: Some([f64::MIN_POSITIVE, f64::MAX]), momentum_range: [0.0, 0.999_999], grid: [50, 2] };
    let map = RateMap::of(&objective, &settings).unwrap();
    assert!(map.rates.iter().flatten().all(|r| !r.is_nan()));
    assert_eq!(map.rates[0][49], f64::INFINITY);
    // measure_rate refuses what a run would.
    assert_eq!(
        measure_rate(&objective, 0.1, 1.0, Theta::zeros(2)).unwrap_err().to_string(),
        "momentum μ must be in [0, 1), got 1"
    );
    assert_eq!(
        measure_rate(&objective, -0.1, 0.5, Theta::zeros(2)).unwrap_err().to_string(),
        "learning rate must be a finite number > 0, got -0.1"
    );
}

/// The losses J_0 … J_k of a full-batch heavy-ball run from θ = 0, as the page runs it: a
/// `Run` with torch's update, a tolerance that never stops it, and the run's own divergence test.
fn run_losses(lr: f64, momentum: f64) -> (Vec<f64>, Status) {
    let data = diagonal_data();
    let objective = diagonal();
    let config = RunConfig {
        optimizer: Optimizer::Momentum { momentum },
        learning_rate: lr,
        batch_size: data.len(),
        tol: f64::MIN_POSITIVE,
        ..RunConfig::full_batch(lr, data.len())
    };
    let mut run = Run::new(config, Theta::zeros(2), &data, &objective).unwrap();
    let report = run.step(MEASURE_STEPS, &data, &objective);
    let losses = run.history().points().iter().map(|p| p.loss).collect();
    (losses, report.status)
}

/// (g_k2/g_k1)^(1/(2(k2 − k1))) for the gaps g = J − J*.
fn rate_between(losses: &[f64], j_star: f64, k1: usize, k2: usize) -> f64 {
    ((losses[k2] - j_star) / (losses[k1] - j_star)).powf(1.0 / (2.0 * (k2 - k1) as f64))
}

#[test]
fn real_momentum_runs_shrink_at_the_map_rate() {
    let j_star = 0.5;
    let objective = diagonal();
    assert_abs_diff_eq!(objective.optimum().unwrap().loss, j_star, epsilon = 1e-15);

    // Converging, real roots: μ = 0.25, η = 0.1, rate r = (23 + √129)/40 ≈ 0.859 (see above).
    // The other directions decay at 0.5 (λ = 4) and at the other root (1.15 − √0.3225)/2 ≈ 0.291:
    // past k1 = 20 their share of the gap is below (0.5/0.859)^40 ≈ 4e-10, and at k2 = 60 the
    // gap, about 2.5·r^120 ≈ 3e-8, is still 10⁷ times J's rounding (1e-15·J* ≈ 5e-16). So the
    // measured rate is r to about 1e-9; 1e-7 allows for it.
    let r = (23.0 + 129f64.sqrt()) / 40.0;
    let (losses, status) = run_losses(0.1, 0.25);
    assert_eq!(status, Status::Running);
    assert_abs_diff_eq!(rate_between(&losses, j_star, 20, 60), r, epsilon = 1e-7);
    let measured = measure_rate(&objective, 0.1, 0.25, Theta::zeros(2)).unwrap().unwrap();
    assert!(!measured.diverged && !measured.bound);
    assert_abs_diff_eq!(measured.rate, r, epsilon = 1e-6);

    // Critical damping: μ = 0.81, η = 0.01: λ = 1 gives t = 1.8 = 2√μ, a double root 0.9, and
    // λ = 4 gives t = 1.77, complex of modulus 0.9. The error along λ = 1 is (A + B·k)·0.9^k, so
    // the gap is about k²·0.81^k: between k1 = 50 and k2 = 150 the measured rate exceeds
    // r = 0.9 by the factor (150/50)^(1/100) = 1.011 at most (the k² term alone), and less while
    // A still counts. That slowdown is the signature of a double root; the map's rate is the
    // limit, which the ratio approaches as 2^(1/k).
    let (losses, status) = run_losses(0.01, 0.81);
    assert_eq!(status, Status::Running);
    let measured = rate_between(&losses, j_star, 50, 150);
    let jordan = 3f64.powf(1.0 / 100.0);
    assert!(measured > 0.9 && measured <= 0.9 * jordan + 1e-6, "critical damping: {measured}");
    let library = measure_rate(&objective, 0.01, 0.81, Theta::zeros(2)).unwrap().unwrap();
    let [k1, k2] = library.window.map(|k| k as f64);
    assert!(library.rate >= 0.9 - 1e-3 && library.rate <= 0.9 * (k2 / k1).powf(1.0 / (k2 - k1)) + 1e-3, "{library:?}");

    // Diverging: μ = 0.25, η = 0.7, rate (31 + √561)/40 ≈ 1.367. The run stops once J passes
    // 1e10·J(0) = 3e10, after about ln(1e10)/ln(1.367²) ≈ 37 updates; from k1 = 10 on, the
    // other root (−0.183) and the λ = 1 direction (0.5) are below 1e-8 of the gap, so the
    // growth is the rate to about 1e-9.
    let r = (31.0 + 561f64.sqrt()) / 40.0;
    let (losses, status) = run_losses(0.7, 0.25);
    assert_eq!(status, Status::Diverged);
    let last = losses.len() - 1;
    assert!((30..=45).contains(&last), "diverged after {last} updates");
    assert_abs_diff_eq!(rate_between(&losses, j_star, 10, last), r, epsilon = 1e-7);
    let measured = measure_rate(&objective, 0.7, 0.25, Theta::zeros(2)).unwrap().unwrap();
    assert!(measured.diverged);
    assert_eq!(measured.window[1], last as u64, "the run's own divergence test ends the window");
    assert_abs_diff_eq!(measured.rate, r, epsilon = 1e-6);
}

#[test]
fn the_empirical_check_agrees_with_the_map_on_a_coarse_grid() {
    // Each cell: 200 real updates. The tolerances, from what 200 updates can resolve:
    // - rates ≥ 1.01: the run must grow (or diverge);
    // - rates ≤ 0.99: within 0.03. The largest misses are transients, not the theory: near
    //   critical damping the rotation θ → 0 makes less than half a turn in the window (the gap
    //   is then on its way down a slow cosine, or rising k²-like), and two directions whose rates
    //   differ by under 1% are not separated in 200 steps. Away from those (most cells) the
    //   agreement is far closer: half the cells within 1e-3 (1e-5 on the diagonal data);
    // - rates within 1% of 1: between 0.95 and 1.05 (too slow to tell in 200 steps);
    // - a rate "bound" (the gap hit rounding within 4 steps) is at least the map's rate.
    for objective in [diagonal(), three_features()] {
        let settings = MapSettings { grid: [16, 16], ..MapSettings::default() };
        let check = empirical_check(&objective, &settings, Theta::zeros(objective.params())).unwrap();
        assert_eq!((check.theory.len(), check.measured.len()), (16, 16));
        let mut misses = Vec::new();
        for h in 0..16 {
            for w in 0..16 {
                let theory = check.theory[h][w];
                let measured = check.measured[h][w].unwrap();
                let cell = format!("μ = {}, η = {}: theory {theory}, measured {measured:?}", check.momenta[h], check.lrs[w]);
                if measured.bound {
                    assert!(measured.rate >= theory - 1e-9, "{cell}");
                } else if theory >= 1.01 {
                    assert!(measured.rate > 1.0, "{cell}");
                } else if theory <= 0.99 {
                    assert!((measured.rate - theory).abs() <= 0.03, "{cell}");
                    misses.push((measured.rate - theory).abs());
                } else {
                    assert!((0.95..=1.05).contains(&measured.rate), "{cell}");
                }
            }
        }
        misses.sort_by(f64::total_cmp);
        assert!(misses[misses.len() / 2] <= 1e-3, "median miss {}", misses[misses.len() / 2]);
    }
}

#[test]
fn the_reasons_the_map_does_not_describe_a_run() {
    let n = 10;
    let base = RunConfig { optimizer: Optimizer::Momentum { momentum: 0.9 }, ..RunConfig::full_batch(0.1, n) };
    assert!(caveats(&base, n, &Regularization::L2 { lambda: 0.1 }).is_empty());
    assert!(caveats(&RunConfig::full_batch(0.1, n), n, &Regularization::None).is_empty(), "plain descent is the μ = 0 row");
    let all = caveats(
        &RunConfig { optimizer: Optimizer::with_defaults("adam").unwrap(), batch_size: 3, schedule: Schedule::Cosine { total_steps: 100 }, ..base },
        n,
        &Regularization::ElasticNet { lambda: 0.1, l1_ratio: 0.5 },
    );
    assert_eq!(all, vec![Caveat::NotHeavyBall { optimizer: "adam" }, Caveat::MiniBatch, Caveat::VaryingRate, Caveat::L1Part]);
    let names: Vec<&str> = all.iter().map(Caveat::name).collect();
    assert_eq!(names, ["not-heavy-ball", "mini-batch", "varying-rate", "l1-part"]);
    let words: Vec<String> = all.iter().map(Caveat::to_string).collect();
    assert_eq!(
        words,
        [
            "Adam is not heavy-ball momentum: the map shows heavy-ball momentum",
            "a mini-batch adds noise: the map shows the full batch",
            "the learning rate changes during the run: the map shows a constant rate",
            "the L1 part is not smooth: the map shows the smooth part",
        ]
    );
    let nesterov = RunConfig { optimizer: Optimizer::Nesterov { momentum: 0.9 }, ..base };
    assert_eq!(caveats(&nesterov, n, &Regularization::None), vec![Caveat::NotHeavyBall { optimizer: "nesterov" }]);
    assert_eq!(
        serde_json::to_value(Caveat::NotHeavyBall { optimizer: "nesterov" }).unwrap(),
        serde_json::json!({"kind": "not-heavy-ball", "optimizer": "nesterov"})
    );
}

// ---------------------------------------------------------------------------------------------
// The command line.

fn gdviz(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gdviz")).args(args).output().expect("running gdviz")
}

fn diagonal_csv(dir: &tempfile::TempDir) -> String {
    let path = dir.path().join("diagonal.csv");
    std::fs::write(&path, "x,y\n-2,0\n-2,2\n2,2\n2,4\n").unwrap();
    path.to_str().unwrap().to_string()
}

fn numbers(value: &Value) -> Vec<f64> {
    value.as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect()
}

#[test]
fn rate_map_prints_the_grid_the_rates_and_the_marks() {
    let dir = tempfile::tempdir().unwrap();
    let csv = diagonal_csv(&dir);
    let args = ["rate-map", "--csv", &csv, "--lr-range", "0.1,0.4", "--momentum-range", "0,0.36", "--grid", "3,2"];
    let out = gdviz(&args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let lrs = numbers(&json["lrs"]);
    assert_eq!((lrs.len(), lrs[0], lrs[2]), (3, 0.1, 0.4));
    assert_abs_diff_eq!(lrs[1], 0.2, epsilon = 1e-15);
    assert_eq!(numbers(&json["momenta"]), [0.0, 0.36]);
    // By hand, as in the_rate_by_hand_on_a_diagonal_hessian.
    let expected = [[0.9, 0.8, 0.6], [(63.0 + 369f64.sqrt()) / 100.0, 0.6, 0.6]];
    let rates = json["rates"].as_array().unwrap();
    assert_eq!(rates.len(), 2);
    for (row, want) in rates.iter().zip(expected) {
        for (got, want) in numbers(row).iter().zip(want) {
            assert_abs_diff_eq!(*got, want, epsilon = 1e-12);
        }
    }
    // ⌈ln 10⁶ / −ln r⌉: 0.9 → 131.1 → 132, 0.8 → 61.9 → 62, 0.6 → 27.05 → 28.
    assert_eq!(json["steps"][0], serde_json::json!([132, 62, 28]));
    assert_abs_diff_eq!(json["optimum"]["rate"].as_f64().unwrap(), 1.0 / 3.0, epsilon = 1e-15);
    assert_abs_diff_eq!(json["optimum"]["lr"].as_f64().unwrap(), 4.0 / 9.0, epsilon = 1e-15);
    assert_abs_diff_eq!(json["optimum"]["momentum"].as_f64().unwrap(), 1.0 / 9.0, epsilon = 1e-15);
    assert_abs_diff_eq!(json["plain_best"]["lr"].as_f64().unwrap(), 0.4, epsilon = 1e-15);
    assert_abs_diff_eq!(json["plain_best"]["rate"].as_f64().unwrap(), 0.6, epsilon = 1e-15);
    assert_eq!(numbers(&json["eigenvalues"]), [1.0, 4.0]);
    assert_eq!(json["lr_critical"], 0.5);
    assert!(json.get("note").is_none());

    // Defaults: 100 × 100, from 1e-3·η_crit to 1.2·2(1 + 0.999)/λ_max; a divergent corner is null
    // in steps. An L1 part: the note.
    let out = gdviz(&["rate-map", "--csv", &csv, "--reg", "l1"]);
    assert!(out.status.success());
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let lrs = numbers(&json["lrs"]);
    assert_eq!((lrs.len(), lrs[0]), (100, 5e-4));
    assert_abs_diff_eq!(lrs[99], 1.1994, epsilon = 1e-15);
    let rates = json["rates"].as_array().unwrap();
    assert!(rates.len() == 100 && rates.iter().all(|row| row.as_array().unwrap().len() == 100));
    assert_eq!(json["steps"][0][99], Value::Null);
    assert_eq!(json["note"], "the L1 part is not smooth: the map shows the smooth part");
}

#[test]
fn rate_map_names_the_flag_and_the_range() {
    let dir = tempfile::tempdir().unwrap();
    let csv = diagonal_csv(&dir);
    let cases: [(&[&str], &str); 8] = [
        (&["--grid", "1,5"], "--grid: columns of the map (learning rates) must be an integer in [2, 1000], got 1"),
        (&["--grid", "5,2000"], "--grid: rows of the map (momenta) must be an integer in [2, 1000], got 2000"),
        (&["--grid", "5"], "--grid: expected two whole numbers W,H, got \"5\""),
        (&["--grid", "2.5,4"], "--grid: expected two whole numbers W,H, got \"2.5,4\""),
        (&["--momentum-range", "0.5,0.2"], "--momentum-range: highest momentum μ must be in (0.5, 1), got 0.2"),
        (&["--momentum-range", "-0.5,0.2"], "--momentum-range: lowest momentum μ must be in [0, 1), got -0.5"),
        (&["--lr-range", "-1,2"], "--lr-range: lowest learning rate must be a finite number > 0, got -1"),
        (&["--lr-range", "1,0.5"], "--lr-range: highest learning rate must be a finite number > lowest learning rate (1), got 0.5"),
    ];
    for (flags, message) in cases {
        let mut args = vec!["rate-map", "--csv", csv.as_str()];
        args.extend_from_slice(flags);
        let out = gdviz(&args);
        assert_eq!(out.status.code(), Some(2), "{flags:?}");
        assert!(out.stdout.is_empty());
        assert_eq!(String::from_utf8(out.stderr).unwrap(), format!("gdviz: {message}\n"));
    }
}
