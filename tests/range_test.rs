//! The learning-rate range test against a transcription, written here, of fastai's loop
//! (`LRFinder`, `Recorder`, `AvgSmoothLoss` in fastai/callback/schedule.py and learner.py) and
//! of `lr_find`'s suggestions (`valley`, `steep`, `minimum`), on a full-batch and a mini-batch
//! run. The transcription computes losses and gradients by direct sums over the points; only the
//! mini-batch order (the data loader) comes from the crate's sampler.

use gdviz::descent::optimizer::Optimizer;
use gdviz::descent::range_test::{range_test, suggest, RangeSettings, Stopped, DEFAULT_SETTINGS};
use gdviz::descent::run::RunConfig;
use gdviz::descent::sampler::EpochSampler;
use gdviz::least_squares::data::Dataset;
use gdviz::least_squares::features::LossConvention;
use gdviz::least_squares::objective::{Regularization, Theta};
use gdviz::session::Session;

/// 60 points near y = 1 + 2x, x from 0 to 5.9, with a deterministic wiggle.
fn points() -> (Vec<f64>, Vec<f64>) {
    let xs: Vec<f64> = (0..60).map(|i| 0.1 * i as f64).collect();
    let ys = xs.iter().enumerate().map(|(i, x)| 1.0 + 2.0 * x + 0.3 * (i as f64 * 1.7).sin()).collect();
    (xs, ys)
}

/// What fastai's loop records: the rate and the loss before each step, the smoothed loss, and
/// whether it stopped on divergence.
struct Recorded {
    lrs: Vec<f64>,
    losses: Vec<f64>,
    smooth: Vec<f64>,
    diverged: bool,
}

/// fastai's training loop under `LRFinder(start_lr, end_lr, num_it)`, for ŷ = θ0 + θ1·x with
/// loss c/(2b)·Σr² + (λ/2)·θ1² and torch's SGD with momentum μ (μ = 0: plain SGD).
/// `batches(i)` gives the indices of batch i.
#[allow(clippy::too_many_arguments)]
fn fastai_loop(
    xs: &[f64],
    ys: &[f64],
    c: f64,
    l2: f64,
    momentum: f64,
    settings: RangeSettings,
    mut batches: impl FnMut(usize) -> Vec<usize>,
) -> Recorded {
    let (start_lr, end_lr, num_it, beta) = (settings.start, settings.end, settings.num_it, settings.beta);
    let mut theta = [0.0f64, 0.0];
    let mut buf: Option<[f64; 2]> = None;
    let mut out = Recorded { lrs: vec![], losses: vec![], smooth: vec![], diverged: false };
    // AvgSmoothLoss: count, val.
    let (mut count, mut val) = (0i32, 0.0f64);
    let mut best_loss = f64::INFINITY;
    let mut train_iter = 0usize;
    loop {
        // before_batch: SchedExp(start, end)(pos) = start * (end/start) ** pos.
        let pos = train_iter as f64 / num_it as f64;
        let lr = start_lr * (end_lr / start_lr).powf(pos);
        // Forward and backward on the batch.
        let batch = batches(train_iter);
        let b = batch.len() as f64;
        let (mut sq, mut g0, mut g1) = (0.0, 0.0, 0.0);
        for &i in &batch {
            let r = theta[0] + theta[1] * xs[i] - ys[i];
            sq += r * r;
            g0 += r;
            g1 += r * xs[i];
        }
        let loss = c / (2.0 * b) * sq + 0.5 * l2 * theta[1] * theta[1];
        let g = [c * g0 / b, c * g1 / b + l2 * theta[1]];
        // torch.optim.SGD(momentum=μ): buf = g on the first step, then μ·buf + g.
        let step = match buf {
            None => g,
            Some(v) => [momentum * v[0] + g[0], momentum * v[1] + g[1]],
        };
        buf = Some(step);
        theta = [theta[0] - lr * step[0], theta[1] - lr * step[1]];
        // TrainEvalCallback.after_batch, then Recorder.after_batch (AvgSmoothLoss.accumulate:
        // val = torch.lerp(loss, val, beta)), then LRFinder.after_batch.
        train_iter += 1;
        count += 1;
        val = loss + beta * (val - loss);
        let smooth = val / (1.0 - beta.powi(count));
        out.lrs.push(lr);
        out.losses.push(loss);
        out.smooth.push(smooth);
        if smooth < best_loss {
            best_loss = smooth;
        }
        if smooth > 4.0 * best_loss || !loss.is_finite() {
            out.diverged = true;
            break;
        }
        if train_iter >= num_it {
            break;
        }
    }
    out
}

/// Python's `a[start:stop]` with a negative stop, as `lr_find` slices `[num_it//10:-5]`.
fn py_slice(values: &[f64], start: usize, from_end: usize) -> Vec<f64> {
    let stop = values.len().saturating_sub(from_end);
    if start >= stop {
        return vec![];
    }
    values[start..stop].to_vec()
}

/// fastai's `valley(lrs, losses, num_it)`, line for line (Python's negative index included).
fn fastai_valley(lrs: &[f64], losses: &[f64]) -> f64 {
    let n = losses.len();
    let (mut max_start, mut max_end) = (0isize, 0usize);
    let mut lds = vec![1usize; n];
    for i in 1..n {
        for j in 0..i {
            if losses[i] < losses[j] && lds[i] < lds[j] + 1 {
                lds[i] = lds[j] + 1;
            }
            if lds[max_end] < lds[i] {
                max_end = i;
                max_start = max_end as isize - lds[max_end] as isize;
            }
        }
    }
    let sections = (max_end as isize - max_start) as f64 / 3.0;
    let idx = max_start + sections as isize + (sections / 2.0) as isize;
    let idx = if idx < 0 { n as isize + idx } else { idx };
    lrs[idx as usize]
}

/// fastai's `steep`: grads = (losses[1:] − losses[:-1]) / (lrs[1:].log() − lrs[:-1].log()),
/// lrs[grads.argmin()].
fn fastai_steep(lrs: &[f64], losses: &[f64]) -> f64 {
    let grads: Vec<f64> = (0..losses.len() - 1).map(|i| (losses[i + 1] - losses[i]) / (lrs[i + 1].ln() - lrs[i].ln())).collect();
    let mut arg = 0;
    for (i, g) in grads.iter().enumerate() {
        if *g < grads[arg] {
            arg = i;
        }
    }
    lrs[arg]
}

/// fastai's `minimum`: lrs[losses.argmin()] / 10.
fn fastai_minimum(lrs: &[f64], losses: &[f64]) -> f64 {
    let mut arg = 0;
    for (i, l) in losses.iter().enumerate() {
        if *l < losses[arg] {
            arg = i;
        }
    }
    lrs[arg] / 10.0
}

/// `lr_find`'s suggestions from the recorder's lrs and (smoothed) losses.
fn fastai_suggestions(recorded: &Recorded, num_it: usize) -> (f64, f64, f64) {
    let lrs = py_slice(&recorded.lrs, num_it / 10, 5);
    let mut losses = py_slice(&recorded.smooth, num_it / 10, 5);
    if let Some(cut) = losses.iter().position(|l| l.is_nan()) {
        losses.truncate(cut);
    }
    let lrs = &lrs[..losses.len()];
    (fastai_valley(lrs, &losses), fastai_steep(lrs, &losses), fastai_minimum(lrs, &losses))
}

fn assert_all_close(name: &str, ours: &[f64], theirs: &[f64]) {
    assert_all_within(name, ours, theirs, &vec![1.0; ours.len()]);
}

/// Each pair equal to 1e-12 relative, times `growth[k]`: how much the iteration itself can have
/// amplified rounding by point k (1 while it is stable).
fn assert_all_within(name: &str, ours: &[f64], theirs: &[f64], growth: &[f64]) {
    assert_eq!(ours.len(), theirs.len(), "{name}: {} points against fastai's {}", ours.len(), theirs.len());
    for (k, (a, b)) in ours.iter().zip(theirs).enumerate() {
        let tolerance = 1e-12 * growth[k];
        assert!(a == b || (a - b).abs() <= tolerance * a.abs().max(b.abs()), "{name}[{k}]: {a} against fastai's {b} (tolerance {tolerance:e})");
    }
}

#[test]
fn a_full_batch_range_test_is_fastais_loop() {
    let (xs, ys) = points();
    let l2 = 0.05;
    let data = Dataset::new(xs.clone(), ys.clone()).unwrap();
    let n = xs.len();
    let session = Session::new(data, Regularization::L2 { lambda: l2 }, RunConfig::full_batch(0.1, n), Theta::zeros(2)).unwrap();
    let config = *session.runs()[0].config();
    let ours = range_test(DEFAULT_SETTINGS, &config, Theta::zeros(2), session.data(), session.objective()).unwrap();
    let theirs = fastai_loop(&xs, &ys, 1.0, l2, 0.0, DEFAULT_SETTINGS, |_| (0..n).collect());
    // With rates up to 10 the full batch diverges before the 100th update, and stops on it.
    assert!(theirs.diverged && theirs.lrs.len() < 100, "the transcription should stop on divergence");
    assert_eq!(ours.stopped, Some(Stopped::Diverged));
    assert_all_close("lrs", &ours.lrs, &theirs.lrs);
    // Past the critical rate each step multiplies the error along the top eigenvector, and so
    // any rounding difference between two correct programs, by |1 − η·λ_max| (the loss computed
    // from sums of squares here, from the sufficient statistics in the crate). Below it the
    // losses agree to 1e-12; above it, to 1e-12 times that product.
    let lambda_max = top_eigenvalue(&xs, l2);
    let mut growth = vec![1.0];
    for lr in &theirs.lrs {
        let last = *growth.last().unwrap();
        growth.push(last * (1.0 - lr * lambda_max).abs().max(1.0));
    }
    assert!(growth[theirs.lrs.len() - 1] > 1e3, "the test should reach the unstable rates");
    assert_all_within("losses", &ours.losses, &theirs.losses, &growth);
    assert_all_within("smooth_losses", &ours.smooth_losses, &theirs.smooth, &growth);
    let (valley, steep, minimum) = fastai_suggestions(&theirs, 100);
    assert_eq!(ours.suggestions.valley, Some(valley));
    assert_eq!(ours.suggestions.steep, Some(steep));
    assert_eq!(ours.suggestions.minimum, Some(minimum));
    // The rates are the closed form start·(end/start)^(i/num_it): 1e-7·10^(8i/100).
    for (i, lr) in ours.lrs.iter().enumerate() {
        assert!((lr / 10f64.powf(-7.0 + 0.08 * i as f64) - 1.0).abs() < 1e-12);
    }
    assert!((ours.lr_critical / (2.0 / lambda_max) - 1.0).abs() < 1e-12);
}

/// λ_max of H = [[1, x̄], [x̄, mean(x²) + λ]], in closed form.
fn top_eigenvalue(xs: &[f64], l2: f64) -> f64 {
    let n = xs.len() as f64;
    let (mx, mxx) = (xs.iter().sum::<f64>() / n, xs.iter().map(|x| x * x).sum::<f64>() / n);
    let (a, d) = (1.0, mxx + l2);
    (a + d) / 2.0 + (((a - d) / 2.0).powi(2) + mx * mx).sqrt()
}

#[test]
fn a_mini_batch_range_test_with_momentum_is_fastais_loop() {
    let (xs, ys) = points();
    let n = xs.len();
    let (batch, seed, momentum) = (8, 7, 0.9);
    let data = Dataset::new(xs.clone(), ys.clone()).unwrap();
    let config = RunConfig { batch_size: batch, seed, optimizer: Optimizer::Momentum { momentum }, ..RunConfig::full_batch(0.1, n) };
    // The mse convention doubles the data term: c = 2.
    let session = Session::with_loss(data.clone(), Regularization::L2 { lambda: 0.02 }, LossConvention::Mse, config, Theta::zeros(2)).unwrap();
    let settings = RangeSettings { start: 1e-5, end: 3.0, num_it: 80, ..DEFAULT_SETTINGS };
    let ours = range_test(settings, &config, Theta::zeros(2), session.data(), session.objective()).unwrap();
    // The data loader: the crate's seeded epoch order, 8 points a batch, the last of each epoch short.
    let mut sampler = EpochSampler::new(&data, seed);
    let theirs = fastai_loop(&xs, &ys, 2.0, 0.02, momentum, settings, |_| {
        let start = sampler.cursor();
        let (_, used) = sampler.batch_gradient(Theta::zeros(2), batch);
        sampler.order().indices()[start..start + used].iter().map(|&i| i as usize).collect()
    });
    // Momentum 0.9 with rates up to 3 diverges before the 80th update.
    assert!(theirs.diverged && theirs.lrs.len() < 80);
    assert_eq!(ours.stopped, Some(Stopped::Diverged));
    assert_all_close("lrs", &ours.lrs, &theirs.lrs);
    assert_all_close("losses", &ours.losses, &theirs.losses);
    assert_all_close("smooth_losses", &ours.smooth_losses, &theirs.smooth);
    let (valley, steep, minimum) = fastai_suggestions(&theirs, 80);
    assert_eq!(ours.suggestions.valley, Some(valley));
    assert_eq!(ours.suggestions.steep, Some(steep));
    assert_eq!(ours.suggestions.minimum, Some(minimum));
}

#[test]
fn a_range_test_that_runs_all_its_updates_stops_on_num_it() {
    let (xs, ys) = points();
    let n = xs.len();
    let data = Dataset::new(xs.clone(), ys.clone()).unwrap();
    let session = Session::new(data, Regularization::None, RunConfig::full_batch(0.1, n), Theta::zeros(2)).unwrap();
    // Rates up to 0.01, far below the critical rate: the loss only falls.
    let settings = RangeSettings { start: 1e-6, end: 1e-2, num_it: 50, ..DEFAULT_SETTINGS };
    let ours = range_test(settings, session.runs()[0].config(), Theta::zeros(2), session.data(), session.objective()).unwrap();
    let theirs = fastai_loop(&xs, &ys, 1.0, 0.0, 0.0, settings, |_| (0..n).collect());
    assert!(!theirs.diverged);
    assert_eq!(ours.stopped, Some(Stopped::NumIt));
    assert_eq!(ours.lrs.len(), 50);
    assert_all_close("smooth_losses", &ours.smooth_losses, &theirs.smooth);
    // A falling curve: its longest valley is all of it (max_start = −1, Python's last-but-one
    // reading), and the lowest loss is the last kept point.
    let (valley, steep, minimum) = fastai_suggestions(&theirs, 50);
    assert_eq!(ours.suggestions.valley, Some(valley));
    assert_eq!(ours.suggestions.steep, Some(steep));
    assert_eq!(ours.suggestions.minimum, Some(minimum));
    assert_eq!(ours.suggestions.minimum, Some(ours.lrs[50 - 5 - 1] / 10.0));
}

#[test]
fn suggestions_follow_fastais_slicing_and_valley_by_hand() {
    // Ten points, num_it 10: kept are [1, 5), i.e. indices 1..=4 with losses 5, 4, 6, 3.
    let lrs: Vec<f64> = (0..10).map(|i| 10f64.powi(i - 5)).collect();
    let losses = [9.0, 5.0, 4.0, 6.0, 3.0, 1.0, 1.0, 1.0, 1.0, 1.0];
    let (s, points) = suggest(&lrs, &losses, 10);
    // Longest decreasing subsequence of [5, 4, 6, 3]: 5, 4, 3 (length 3) ending at kept index 3;
    // max_start = 3 − 3 = 0, sections = 1, idx = 0 + 1 + 0 = 1 → whole index 2.
    assert_eq!(points.valley, Some(2));
    assert_eq!(s.valley, Some(lrs[2]));
    // Slopes against ln η (equal steps): −1, +2, −3 → steepest at kept index 2 → whole index 3.
    assert_eq!(points.steep, Some(3));
    // Lowest kept loss 3 at whole index 4: minimum = lrs[4]/10.
    assert_eq!(s.minimum, Some(lrs[4] / 10.0));
    // A non-finite loss cuts the kept points: only 5, 4 remain.
    let cut = [9.0, 5.0, 4.0, f64::NAN, 3.0, 1.0, 1.0, 1.0, 1.0, 1.0];
    let (s, points) = suggest(&lrs, &cut, 10);
    assert_eq!(points.minimum, Some(2));
    assert_eq!(s.steep, Some(lrs[1]));
    // Fewer than six points: nothing is kept, nothing suggested.
    let (s, _) = suggest(&lrs[..5], &losses[..5], 10);
    assert_eq!((s.valley, s.steep, s.minimum), (None, None, None));
}

#[test]
fn bad_settings_are_refused_with_their_names_and_ranges() {
    let (xs, ys) = points();
    let n = xs.len();
    let data = Dataset::new(xs, ys).unwrap();
    let session = Session::new(data, Regularization::None, RunConfig::full_batch(0.1, n), Theta::zeros(2)).unwrap();
    let cases = [
        (RangeSettings { start: 0.0, ..DEFAULT_SETTINGS }, "start rate must be a finite number > 0, got 0"),
        (RangeSettings { end: 1e-8, ..DEFAULT_SETTINGS }, "end rate must be a finite number > start rate (0.0000001), got 1e-8"),
        (RangeSettings { num_it: 5, ..DEFAULT_SETTINGS }, "number of updates must be an integer in [6, 10000], got 5"),
        (RangeSettings { beta: 1.0, ..DEFAULT_SETTINGS }, "smoothing β must be in [0, 1), got 1"),
        (RangeSettings { stop_factor: f64::NAN, ..DEFAULT_SETTINGS }, "stop factor must be in (1, 1000000), got NaN"),
    ];
    for (settings, message) in cases {
        let error = session.range_finder(0, settings).unwrap_err();
        assert_eq!(error.to_string(), message);
    }
    let cg = RunConfig { optimizer: Optimizer::Cg, ..RunConfig::full_batch(0.1, n) };
    let error = range_test(DEFAULT_SETTINGS, &cg, Theta::zeros(2), session.data(), session.objective()).unwrap_err();
    assert!(error.to_string().contains("CG chooses its own step"), "{error}");
}

// ---------------------------------------------------------------------------------------------
// The command line: `gdviz lr-find`.

fn gdviz(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_gdviz")).args(args).output().expect("running gdviz")
}

#[test]
fn lr_find_prints_the_curve_the_suggestions_and_the_critical_rate() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("line.csv");
    // y = 1 + 2x exactly: J(0) = ½·mean(y²) = ½·(1 + 9 + 25 + 49)/4 = 10.5. H = [[1, 1.5], [1.5, 3.5]]
    // has λ_max = 2.25 + √(1.25² + 1.5²) = 2.25 + √3.8125.
    std::fs::write(&csv, "x,y\n0,1\n1,3\n2,5\n3,7\n").unwrap();
    let out = gdviz(&["lr-find", "--csv", csv.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let numbers = |key: &str| -> Vec<f64> { json[key].as_array().unwrap().iter().map(|v| v.as_f64().unwrap_or(f64::NAN)).collect() };
    let (lrs, losses, smooth) = (numbers("lrs"), numbers("losses"), numbers("smooth_losses"));
    assert_eq!(losses[0], 10.5);
    // avg = 0.02·10.5, smooth = avg/(1 − 0.98).
    assert!((smooth[0] - 10.5).abs() < 1e-12);
    assert_eq!(lrs[0], 1e-7);
    assert!((lrs[1] / 10f64.powf(-7.0 + 0.08) - 1.0).abs() < 1e-14);
    assert_eq!(json["stopped"], "diverged");
    assert!(lrs.len() < 100 && lrs.len() == losses.len() && losses.len() == smooth.len());
    let lambda_max = 2.25 + 3.8125f64.sqrt();
    assert!((json["lr_critical"].as_f64().unwrap() * lambda_max / 2.0 - 1.0).abs() < 1e-12);
    // Valley and steep are rates of the curve; minimum is one of them divided by 10.
    let suggestion = |key: &str| json["suggestions"][key].as_f64().unwrap();
    assert!(lrs.contains(&suggestion("valley")));
    assert!(lrs.contains(&suggestion("steep")));
    assert!(lrs.iter().any(|lr| lr / 10.0 == suggestion("minimum")));
}

#[test]
fn lr_find_refuses_bad_flags_naming_them() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("line.csv");
    std::fs::write(&csv, "x,y\n0,1\n1,3\n2,5\n3,7\n").unwrap();
    let path = csv.to_str().unwrap();
    let cases: [(&[&str], &str); 5] = [
        (&["--num-it", "3"], "gdviz: --num-it: number of updates must be an integer in [6, 10000], got 3"),
        (&["--beta", "1"], "gdviz: --beta: smoothing β must be in [0, 1), got 1"),
        (&["--start", "-1"], "gdviz: --start: start rate must be a finite number > 0, got -1"),
        (&["--stop-factor", "0.5"], "gdviz: --stop-factor: stop factor must be in (1, 1000000), got 0.5"),
        (&["--optimizer", "cg"], "gdviz: --optimizer: optimizer must be an optimizer whose step is the learning rate (CG chooses its own step), got cg"),
    ];
    for (flags, message) in cases {
        let mut args = vec!["lr-find", "--csv", path];
        args.extend_from_slice(flags);
        let out = gdviz(&args);
        assert_eq!(out.status.code(), Some(2), "{flags:?}");
        assert!(out.stdout.is_empty());
        assert_eq!(String::from_utf8_lossy(&out.stderr).trim_end(), message);
    }
}
