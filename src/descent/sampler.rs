//! The mini-batch sampler: each run's epoch order of the points, shuffled lazily in place, and the
//! batch-gradient kernel that draws a batch from it and sums its gradient.
//!
//! The epoch order keeps the points themselves, x and y side by side in a 16-byte [`Point`]
//! (never split across a cache line), with the points' original indices beside them in a
//! separate array. Drawing position k of an epoch swaps the records at k and at a uniform j ∈ [k, n)
//! and then reads record k: one random access brings both coordinates, and since successive j
//! are independent of the data the processor overlaps their cache misses. The original indices
//! are swapped along and read only to list a batch (the explanation).
//!
//! Data with several feature columns keeps a row of the features and y per point instead; the
//! powers of one x column keep (x, y) and compute the powers as the point is read.
//!
//! Memory: 20 bytes a point (16 for the point, 4 for its index) for each run that takes
//! mini-batches, built at its first mini-batch update (8·(d + 1) + 4 with d feature columns);
//! full-batch runs have none.

use crate::least_squares::data::{Dataset, Layout, PerFeature};
use crate::descent::explain::{NoTrace, Tracer};
use crate::least_squares::features::{powers, MAX_FEATURES};
use crate::least_squares::objective::{Theta, MAX_PARAMS};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;

/// One point of the data set, x and y side by side: 16 bytes, aligned to 16 so that a record
/// never spans two cache lines.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[repr(C, align(16))]
pub struct Point {
    /// x.
    pub x: f64,
    /// y.
    pub y: f64,
}

/// How many positions' random numbers are drawn before their swaps are made: the swaps then run
/// as a tight loop of independent memory accesses, away from the generator's block refills.
const DRAW_CHUNK: usize = 256;

/// Adds point `p`'s terms of the data-term gradient at θ = (t0, t1) to the sums `g`:
/// r = t0 + t1·x − y, g0 += r, g1 += r·x. Every gradient of a batch or of a sequence of points
/// is summed by this, in the order of the points.
#[inline(always)]
pub fn add_residual(g: &mut [f64; 2], t0: f64, t1: f64, p: Point) {
    let r = t0 + t1 * p.x - p.y;
    g[0] += r;
    g[1] += r * p.x;
}

/// Adds the terms of a point with features `phi[..d]` and target `y` to the sums `g` at θ:
/// r = θ0 + Σθⱼφⱼ − y, g0 += r, gⱼ += r·φⱼ (for one feature the arithmetic of
/// [`add_residual`]).
#[inline(always)]
pub fn add_feature_residual(g: &mut [f64; MAX_PARAMS], theta: &Theta, phi: &PerFeature, d: usize, y: f64) {
    let mut r = theta[0];
    for j in 0..d {
        r += theta[j + 1] * phi[j];
    }
    r -= y;
    g[0] += r;
    for j in 0..d {
        g[j + 1] += r * phi[j];
    }
}

/// The sums (Σ r, Σ r·x) at `theta` over `points` in their order, by [`add_residual`].
#[inline]
pub fn residual_sums(points: &[Point], theta: Theta) -> [f64; 2] {
    let mut g = [0.0; 2];
    for &p in points {
        add_residual(&mut g, theta[0], theta[1], p);
    }
    g
}

/// The positions of an epoch's order, read and swapped by the kernel.
pub(crate) trait Positions {
    /// Swaps the records at positions `k` and `j`.
    fn swap(&mut self, k: usize, j: usize);
    /// How the points' features are read.
    fn layout(&self) -> Layout;
    /// The point (x, y) at position `k` (layouts [`Layout::Line`] and [`Layout::Powers`]).
    fn point(&self, k: usize) -> Point;
    /// The features of the point at position `k` into `out` and its y (layout [`Layout::Rows`]).
    fn row(&self, k: usize, out: &mut PerFeature) -> f64;
    /// The original index (in the data set) of the point at position `k`.
    fn index(&self, k: usize) -> u32;
}

/// An epoch order stored whole: the points in their current order and their original indices.
#[derive(Debug, Clone)]
pub struct EpochOrder {
    /// The points (x, y) for one x column.
    points: Vec<Point>,
    /// The rows (φ1 … φd, y) for d feature columns, `width` = d + 1 values each.
    rows: Vec<f64>,
    width: usize,
    indices: Vec<u32>,
    layout: Layout,
    /// The fingerprint of the data set the points were copied from, to notice a data set that
    /// changed without the order being cleared.
    fingerprint: Option<u64>,
}

impl Default for EpochOrder {
    fn default() -> Self {
        EpochOrder { points: Vec::new(), rows: Vec::new(), width: 0, indices: Vec::new(), layout: Layout::Line, fingerprint: None }
    }
}

impl EpochOrder {
    /// The points of `data` in their original order.
    pub fn of(data: &Dataset) -> Self {
        let layout = data.layout();
        let mut order = EpochOrder { layout, indices: (0..data.len() as u32).collect(), fingerprint: Some(data.fingerprint()), ..EpochOrder::default() };
        match layout {
            Layout::Line | Layout::Powers { .. } => {
                order.points = data.xs().iter().zip(data.ys()).map(|(&x, &y)| Point { x, y }).collect();
            }
            Layout::Rows { d } => {
                order.width = d + 1;
                order.rows.reserve(data.len() * order.width);
                let mut phi = [0.0; MAX_FEATURES];
                for (i, &y) in data.ys().iter().enumerate() {
                    data.feature_row(i, &mut phi);
                    order.rows.extend_from_slice(&phi[..d]);
                    order.rows.push(y);
                }
            }
        }
        order
    }
    /// Whether this order holds the points of `data` (same count, same statistics).
    pub fn holds(&self, data: &Dataset) -> bool {
        self.indices.len() == data.len() && self.fingerprint == Some(data.fingerprint())
    }
    /// Forgets the points (keeps the memory).
    pub fn clear(&mut self) {
        self.points.clear();
        self.rows.clear();
        self.indices.clear();
        self.fingerprint = None;
    }
    /// The points in the current order.
    pub fn points(&self) -> &[Point] {
        &self.points
    }
    /// The original indices of the points, in the current order.
    pub fn indices(&self) -> &[u32] {
        &self.indices
    }
    /// Number of points (0 before it is built).
    pub fn len(&self) -> usize {
        self.indices.len()
    }
    /// True before it is built.
    pub fn is_empty(&self) -> bool {
        self.indices.is_empty()
    }
}

impl Positions for EpochOrder {
    #[inline(always)]
    fn swap(&mut self, k: usize, j: usize) {
        if self.width == 0 {
            self.points.swap(k, j);
        } else {
            for c in 0..self.width {
                self.rows.swap(k * self.width + c, j * self.width + c);
            }
        }
        self.indices.swap(k, j);
    }
    #[inline(always)]
    fn layout(&self) -> Layout {
        self.layout
    }
    #[inline(always)]
    fn point(&self, k: usize) -> Point {
        self.points[k]
    }
    #[inline(always)]
    fn row(&self, k: usize, out: &mut PerFeature) -> f64 {
        let d = self.width - 1;
        let row = &self.rows[k * self.width..(k + 1) * self.width];
        out[..d].copy_from_slice(&row[..d]);
        row[d]
    }
    #[inline(always)]
    fn index(&self, k: usize) -> u32 {
        self.indices[k]
    }
}

/// An epoch order seen through swaps made on top of it, which leave it unchanged: the run's own
/// order (or the data set's order, before its first mini-batch) and, aside, the positions changed.
pub(crate) struct Overlay<'a> {
    /// The run's order, when it has one.
    pub base: Option<&'a EpochOrder>,
    /// The data set, read in its own order when there is no base.
    pub data: &'a Dataset,
    /// The original indices of the points moved by the swaps made on the overlay.
    pub changed: BTreeMap<usize, u32>,
}

impl Positions for Overlay<'_> {
    fn swap(&mut self, k: usize, j: usize) {
        let (a, b) = (self.index(k), self.index(j));
        self.changed.insert(k, b);
        self.changed.insert(j, a);
    }
    fn layout(&self) -> Layout {
        self.data.layout()
    }
    fn point(&self, k: usize) -> Point {
        let i = self.index(k) as usize;
        Point { x: self.data.xs()[i], y: self.data.ys()[i] }
    }
    fn row(&self, k: usize, out: &mut PerFeature) -> f64 {
        let i = self.index(k) as usize;
        self.data.feature_row(i, out);
        self.data.ys()[i]
    }
    fn index(&self, k: usize) -> u32 {
        match (self.changed.get(&k), self.base) {
            (Some(&i), _) => i,
            (None, Some(base)) => base.indices[k],
            (None, None) => k as u32,
        }
    }
}

/// A uniform integer in [0, `range`) for `range` ≥ 1, from the generator's u32s by Lemire's
/// multiply-and-reject: the high half of v·range for a uniform u32 v, rejecting the
/// (2³² mod range) values of the low half below 2³² mod range, so that every result has exactly
/// ⌊2³²/range⌋ preimages. A rejection has probability below range/2³², and the remainder is
/// only computed when one may happen.
#[inline(always)]
pub fn uniform_below(rng: &mut impl RngCore, range: u32) -> u32 {
    let mut product = u64::from(rng.next_u32()) * u64::from(range);
    if (product as u32) < range {
        let threshold = range.wrapping_neg() % range;
        while (product as u32) < threshold {
            product = u64::from(rng.next_u32()) * u64::from(range);
        }
    }
    (product >> 32) as u32
}

/// The random numbers of a run's sampler for `seed`: ChaCha8, stream 1 (stream 0 makes the
/// synthetic data).
pub fn sampler_rng(seed: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(1);
    rng
}

/// The mean data-term gradient at `theta` over the next batch of the current epoch of an order
/// of `n` points, and the batch's size; the last batch of an epoch may be short, and `cursor`
/// (the position of the next batch) returns to 0 after it.
///
/// The epoch's order is a uniformly random permutation drawn lazily by Fisher–Yates: position
/// k is swapped with a uniform position in [k, n) just before it is used, so a batch costs
/// O(b), with no O(n) shuffle at epoch starts. Positions are drawn as u32 (the same on 64-bit
/// hosts and on wasm32, by [`uniform_below`]) and the sums run in the order drawn, so the
/// result is the same bits on every target. The tracer gets the batch's original indices in
/// that order.
#[inline(always)]
pub(crate) fn batch_gradient<P: Positions + ?Sized, T: Tracer>(
    positions: &mut P,
    rng: &mut ChaCha8Rng,
    cursor: &mut usize,
    n: usize,
    theta: Theta,
    batch_size: usize,
    tracer: &mut T,
) -> (Theta, usize) {
    let start = (*cursor).min(n);
    let end = start.saturating_add(batch_size).min(n);
    let layout = positions.layout();
    let mut sums = [0.0; MAX_PARAMS];
    let mut drawn = [0usize; DRAW_CHUNK];
    let mut k = start;
    while k < end {
        let stop = (k + DRAW_CHUNK).min(end);
        for (slot, position) in drawn.iter_mut().zip(k..stop) {
            *slot = position + uniform_below(rng, (n - position) as u32) as usize;
        }
        match layout {
            Layout::Line => {
                let (t0, t1) = (theta[0], theta[1]);
                let mut g = [sums[0], sums[1]];
                for (&j, position) in drawn.iter().zip(k..stop) {
                    positions.swap(position, j);
                    tracer.batch_index(positions.index(position));
                    add_residual(&mut g, t0, t1, positions.point(position));
                }
                sums[..2].copy_from_slice(&g);
            }
            Layout::Powers { degree, scaling } => {
                let mut phi = [0.0; MAX_FEATURES];
                for (&j, position) in drawn.iter().zip(k..stop) {
                    positions.swap(position, j);
                    tracer.batch_index(positions.index(position));
                    let p = positions.point(position);
                    powers(p.x, degree, &mut phi);
                    if let Some(s) = &scaling {
                        s.apply(&mut phi);
                    }
                    add_feature_residual(&mut sums, &theta, &phi, degree, p.y);
                }
            }
            Layout::Rows { d } => {
                let mut phi = [0.0; MAX_FEATURES];
                for (&j, position) in drawn.iter().zip(k..stop) {
                    positions.swap(position, j);
                    tracer.batch_index(positions.index(position));
                    let y = positions.row(position, &mut phi);
                    add_feature_residual(&mut sums, &theta, &phi, d, y);
                }
            }
        }
        k = stop;
    }
    let used = end - start;
    *cursor = if end == n { 0 } else { end };
    let scale = used.max(1) as f64;
    let mut mean = theta;
    for (m, s) in mean.as_mut_slice().iter_mut().zip(sums) {
        *m = s / scale;
    }
    (mean, used)
}

/// The sum of the squared residuals r = θ0 + Σθⱼφⱼ − y at `theta` over the positions `range` of
/// an epoch order, read in sequence: the loss of the batch [`batch_gradient`] last drew there.
pub(crate) fn squared_residuals<P: Positions + ?Sized>(positions: &P, range: std::ops::Range<usize>, theta: Theta) -> f64 {
    let mut sum = 0.0;
    let mut phi = [0.0; MAX_FEATURES];
    let residual = |phi: &PerFeature, d: usize, y: f64| {
        let mut r = theta[0];
        for j in 0..d {
            r += theta[j + 1] * phi[j];
        }
        r - y
    };
    for k in range {
        let r = match positions.layout() {
            Layout::Line => {
                let p = positions.point(k);
                theta[0] + theta[1] * p.x - p.y
            }
            Layout::Powers { degree, scaling } => {
                let p = positions.point(k);
                powers(p.x, degree, &mut phi);
                if let Some(s) = &scaling {
                    s.apply(&mut phi);
                }
                residual(&phi, degree, p.y)
            }
            Layout::Rows { d } => {
                let y = positions.row(k, &mut phi);
                residual(&phi, d, y)
            }
        };
        sum += r * r;
    }
    sum
}

/// A mini-batch sampler on its own, over one data set: the epoch order, its random numbers and
/// the position of the next batch. Runs keep these parts in themselves; this is the same kernel
/// for measuring it (the page's batch benchmark).
#[derive(Debug, Clone)]
pub struct EpochSampler {
    order: EpochOrder,
    rng: ChaCha8Rng,
    cursor: usize,
}

impl EpochSampler {
    /// A sampler over `data` seeded with `seed`, at the start of its first epoch.
    pub fn new(data: &Dataset, seed: u64) -> Self {
        EpochSampler { order: EpochOrder::of(data), rng: sampler_rng(seed), cursor: 0 }
    }
    /// The mean data-term gradient at `theta` over the next batch of at most `batch_size` points
    /// of the current epoch (a run's mini-batch kernel), and the batch's size.
    pub fn batch_gradient(&mut self, theta: Theta, batch_size: usize) -> (Theta, usize) {
        let n = self.order.len();
        batch_gradient(&mut self.order, &mut self.rng, &mut self.cursor, n, theta, batch_size, &mut NoTrace)
    }
    /// The same sums over the next `batch_size` points of the current order read in sequence,
    /// without drawing or swapping (wrapping to position 0 at the end): the kernel's arithmetic
    /// at the speed of a sequential read.
    pub fn sequential_gradient(&mut self, theta: Theta, batch_size: usize) -> (Theta, usize) {
        let n = self.order.len();
        let start = self.cursor.min(n);
        let end = start.saturating_add(batch_size).min(n);
        let g = residual_sums(&self.order.points()[start..end], theta);
        let used = end - start;
        self.cursor = if end == n { 0 } else { end };
        let scale = used.max(1) as f64;
        (Theta::new(g[0] / scale, g[1] / scale), used)
    }
    /// The epoch order.
    pub fn order(&self) -> &EpochOrder {
        &self.order
    }
    /// The position of the next batch in the epoch.
    pub fn cursor(&self) -> usize {
        self.cursor
    }
}
