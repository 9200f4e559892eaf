//! Step throughput and surface evaluation.
//!
//! Each `step` benchmark times one `Run::step(1000)` call (1000 updates), so the reported time
//! divided by 1000 is the cost of one update; criterion also reports updates per second.
//! A full-batch update is O(1) from the sufficient statistics, a mini-batch update O(b), so the
//! full-batch and b = 1 / b = 32 figures should not grow with n (apart from cache effects; a
//! mini-batch run copies the points into its epoch order once, at its first mini-batch update,
//! and shuffles lazily, with no O(n) work at epoch starts).
//!
//! The `minibatch` group times one mini-batch update (`Run::step(1)`) at n = 1e6 with b = 1e4 and
//! b = 1e5, with the throughput in points, so criterion's time per element is the cost per point
//! of drawing the batch from the epoch order and summing its gradient.

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use gdviz::least_squares::data::GeneratorSettings;
use gdviz::least_squares::objective::{Objective, Regularization, Theta};
use gdviz::descent::run::{Run, RunConfig, Status};
use std::time::Duration;

const UPDATES_PER_CALL: u64 = 1000;

fn data_set(points: usize) -> gdviz::least_squares::data::Dataset {
    GeneratorSettings {
        points,
        intercept: 1.0,
        slope: 2.0,
        noise: 1.0,
        x_min: 0.0,
        x_max: 3.0,
        outlier_fraction: 0.05,
        seed: 7,
    }
    .generate()
    .expect("valid generator settings")
}

fn step_throughput(c: &mut Criterion) {
    let mut group = c.benchmark_group("step");
    group.sample_size(10).warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(2));
    group.throughput(Throughput::Elements(UPDATES_PER_CALL));
    for points in [10_000usize, 100_000, 1_000_000] {
        let data = data_set(points);
        let objective = Objective::new(*data.stats(), Regularization::L2 { lambda: 0.01 }).unwrap();
        let lr_critical = objective.curvature().lr_critical;
        for (label, batch_size, lr) in
            [("full", points, 0.5 * lr_critical), ("b32", 32, 0.1 * lr_critical), ("b1", 1, 0.02 * lr_critical)]
        {
            let mut config = RunConfig::full_batch(lr, points);
            config.batch_size = batch_size;
            // A tolerance that never triggers: the run keeps stepping for the whole measurement.
            config.tol = f64::MIN_POSITIVE;
            let start = Theta::new(-3.0, 5.0);
            let mut run = Run::new(config, start, &data, &objective).unwrap();
            group.bench_with_input(BenchmarkId::new(label, points), &points, |b, _| {
                b.iter(|| {
                    let report = run.step(black_box(UPDATES_PER_CALL), &data, &objective);
                    if report.status != Status::Running {
                        // Never expected; keeps the measurement honest if it happens.
                        run.restart(start, &data, &objective);
                    }
                    report
                })
            });
            assert_eq!(run.status(), Status::Running, "{label} n={points} stopped stepping");
        }
    }
    group.finish();
}

fn minibatch_points(c: &mut Criterion) {
    let points = 1_000_000usize;
    let data = data_set(points);
    let objective = Objective::new(*data.stats(), Regularization::L2 { lambda: 0.01 }).unwrap();
    let lr = 0.1 * objective.curvature().lr_critical;
    let mut group = c.benchmark_group("minibatch");
    group.sample_size(20).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    for batch_size in [10_000usize, 100_000] {
        let config = RunConfig { batch_size, tol: f64::MIN_POSITIVE, ..RunConfig::full_batch(lr, points) };
        let start = Theta::new(-3.0, 5.0);
        let mut run = Run::new(config, start, &data, &objective).unwrap();
        // The epoch order is built by the first mini-batch update: not part of the measurement.
        run.step(1, &data, &objective);
        group.throughput(Throughput::Elements(batch_size as u64));
        group.bench_with_input(BenchmarkId::new("n1e6", batch_size), &batch_size, |b, _| {
            b.iter(|| {
                let report = run.step(black_box(1), &data, &objective);
                if report.status != Status::Running {
                    run.restart(start, &data, &objective);
                }
                report
            })
        });
        assert_eq!(run.status(), Status::Running, "b={batch_size} stopped stepping");
    }
    group.finish();
}

/// The several-feature model at d = 1, 3 and 10 on n = 1e4 and 1e6 points: 1000 full-batch
/// gradient-descent updates from the sufficient statistics, and a 200×200 surface over (θ0, θ1)
/// (the profile of the others). Both cost O(d²) an update or a cell whatever n, so the times at
/// n = 1e6 and 1e4 should be the same.
fn features(c: &mut Criterion) {
    use gdviz::{Features, Theta};
    let mut group = c.benchmark_group("features");
    group.sample_size(10).warm_up_time(Duration::from_millis(300)).measurement_time(Duration::from_secs(1));
    for d in [1usize, 3, 10] {
        for points in [10_000usize, 1_000_000] {
            let columns: Vec<Vec<f64>> =
                (0..d).map(|j| (0..points).map(|i| ((i * (j + 3) * 7919 % 10_007) as f64) / 5000.0 - 1.0).collect()).collect();
            let ys: Vec<f64> = (0..points).map(|i| columns.iter().map(|c| c[i]).sum::<f64>() + (i % 17) as f64 * 0.01).collect();
            let data = gdviz::Dataset::with_features(columns, ys, Features::Columns).unwrap();
            let model = Objective::new(*data.stats(), Regularization::L2 { lambda: 0.01 }).unwrap();
            let lr = 0.5 * model.curvature().lr_critical;
            group.bench_with_input(BenchmarkId::new(format!("gd-step/d{d}"), points), &points, |b, _| {
                b.iter(|| {
                    let mut theta = Theta::zeros(d + 1);
                    for _ in 0..UPDATES_PER_CALL {
                        let g = model.smooth_gradient(theta);
                        for k in 0..=d {
                            theta[k] -= lr * g[k];
                        }
                    }
                    black_box(theta)
                })
            });
            group.bench_with_input(BenchmarkId::new(format!("surface/d{d}"), points), &points, |b, _| {
                b.iter(|| model.surface_of((0, 1), black_box([[-2.0, 2.0], [-2.0, 2.0]]), 200))
            });
        }
    }
    group.finish();
}

/// Moving one point of a one-x data set (the line and the powers to x³) on n = 1e4 and 1e6
/// points: the statistics are updated in place, so the time should not depend on n.
fn point_edit(c: &mut Criterion) {
    use gdviz::Features;
    let mut group = c.benchmark_group("edit");
    group.sample_size(20).warm_up_time(Duration::from_millis(300)).measurement_time(Duration::from_secs(1));
    for (label, features) in [("line", Features::Columns), ("cubic", Features::Powers { degree: 3 })] {
        for points in [10_000usize, 1_000_000] {
            let xs: Vec<f64> = (0..points).map(|i| ((i * 7919 % 10_007) as f64) / 5000.0 - 1.0).collect();
            let ys: Vec<f64> = xs.iter().map(|x| 1.0 + 2.0 * x + 0.1 * (x * 37.0).sin()).collect();
            let mut data = gdviz::Dataset::with_features(vec![xs], ys, features).unwrap();
            let mut k = 0usize;
            group.bench_with_input(BenchmarkId::new(format!("move-point/{label}"), points), &points, |b, _| {
                b.iter(|| {
                    // Each point to a place of its own, so that x keeps its spread.
                    k = (k + 7) % points;
                    let x = (k % 1000) as f64 / 500.0 - 1.0;
                    data.move_point(k, black_box(x), black_box(1.0 + 2.0 * x)).unwrap();
                })
            });
        }
    }
    group.finish();
}

fn surface(c: &mut Criterion) {
    let data = data_set(100_000);
    let objective = Objective::new(*data.stats(), Regularization::ElasticNet { lambda: 0.1, l1_ratio: 0.5 }).unwrap();
    let mut group = c.benchmark_group("surface");
    group.sample_size(20).warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(2));
    group.throughput(Throughput::Elements(200 * 200));
    group.bench_function("200x200", |b| {
        b.iter(|| objective.surface(black_box([-4.0, 6.0]), black_box([-2.0, 6.0]), black_box(200)))
    });
    group.finish();
}

criterion_group!(benches, step_throughput, minibatch_points, surface, features, point_edit);
criterion_main!(benches);
