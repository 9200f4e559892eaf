//! The tuning tools.
//!
//! The `rate_map` group times one stability map of heavy-ball momentum at 200 × 200 (40 000
//! cells) for d = 1, 3 and 10 features: the Hessian's eigen-decomposition once (closed form for
//! one feature, nalgebra's `SymmetricEigen` for several), then each cell's rate, the largest
//! spectral radius over the d + 1 eigenvalues, and its steps to shrink the error 10⁶ times.
//! Criterion's throughput is in cells, so its time per element is the cost of one cell.

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use gdviz::descent::rate_map::{MapSettings, RateMap};
use gdviz::least_squares::data::Dataset;
use gdviz::least_squares::features::Features;
use gdviz::least_squares::objective::{Objective, Regularization};
use std::time::Duration;

/// The grid of every map timed here.
const GRID: [usize; 2] = [200, 200];

/// `d` correlated feature columns of 500 points and a target on them, from a fixed sequence
/// (no randomness: the same data every run).
fn objective(d: usize) -> Objective {
    let n = 500;
    let wave = |i: usize, j: usize| ((i * (2 * j + 3) + j * j) as f64 * 0.618_033_988_75).fract() * 2.0 - 1.0;
    let columns: Vec<Vec<f64>> = (0..d).map(|j| (0..n).map(|i| wave(i, j) + 0.3 * wave(i, 0) + j as f64).collect()).collect();
    let ys: Vec<f64> = (0..n).map(|i| columns.iter().enumerate().map(|(j, c)| (j + 1) as f64 * c[i]).sum::<f64>() + wave(i, 99)).collect();
    let data = Dataset::with_features(columns, ys, Features::Columns).expect("valid data");
    Objective::new(*data.stats(), Regularization::L2 { lambda: 0.01 }).expect("a valid objective")
}

fn rate_map(c: &mut Criterion) {
    let mut group = c.benchmark_group("rate_map");
    group.sample_size(20).warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(3));
    group.throughput(Throughput::Elements((GRID[0] * GRID[1]) as u64));
    let settings = MapSettings { grid: GRID, ..MapSettings::default() };
    for d in [1usize, 3, 10] {
        let objective = objective(d);
        group.bench_with_input(BenchmarkId::new("200x200", format!("d{d}")), &d, |b, _| {
            b.iter(|| RateMap::of(black_box(&objective), black_box(&settings)).expect("a valid map"))
        });
    }
    group.finish();
}

criterion_group!(benches, rate_map);
criterion_main!(benches);
