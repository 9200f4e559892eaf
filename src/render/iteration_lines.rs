//! The lines along the iteration axis at screen resolution, kept between frames: the axis's end,
//! its labels and pixel columns, each run's loss curve with its moving mean, and the first run's
//! coefficient lines, each M4-decimated to the plot's pixel columns
//! ([`super::resolution::M4`]).

use super::resolution::M4;
use super::run_path::RunPath;
use crate::descent::run::HistoryPoint;
use crate::least_squares::objective::Theta;

/// Iteration labels without decimals: 1200, 15k, 2.5M.
pub fn format_iteration(v: f64) -> String {
    if v >= 1e6 {
        format!("{:.1}M", v / 1e6)
    } else if v >= 1e4 {
        format!("{:.0}k", v / 1e3)
    } else {
        format!("{v:.0}")
    }
}

/// The trailing moving mean of J that the loss curve draws over a mini-batch run's raw line:
/// at each recorded iteration k, the mean of the recorded J over the iterations
/// (k − w(k), k], w(k) = [`smoothing_window`]`(batches_per_epoch, k)`. Recorded points are
/// evenly spaced (every iteration, or every 2^m-th once a long history is thinned), so the mean
/// over them is the mean over the window.
pub fn moving_mean(losses: &[(f64, f64)], batches_per_epoch: u64) -> Vec<(f64, f64)> {
    let mut mean = MovingMean::default();
    (0..losses.len()).map(|i| (losses[i].0, mean.next(losses, i, batches_per_epoch))).collect()
}

/// The state of [`moving_mean`] between points, so that a curve can be taken in a few
/// points at a time.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct MovingMean {
    /// Sum of J before the window's first point, and up to the current point.
    before: f64,
    upto: f64,
    /// The window's first point.
    first: usize,
}

impl MovingMean {
    /// The mean at point `i` of `losses`, the points before it taken in already.
    fn next(&mut self, losses: &[(f64, f64)], i: usize, batches_per_epoch: u64) -> f64 {
        self.next_at(|m| losses[m], i, batches_per_epoch)
    }

    /// [`MovingMean::next`] with the points read through `point`.
    fn next_at(&mut self, point: impl Fn(usize) -> (f64, f64), i: usize, batches_per_epoch: u64) -> f64 {
        let (k, j) = point(i);
        self.upto += j;
        // k − w(k) never decreases with k, so the window's first point only moves forward.
        let start = k - smoothing_window(batches_per_epoch, k);
        while self.first < i && point(self.first).0 <= start {
            self.before += point(self.first).1;
            self.first += 1;
        }
        ((self.upto - self.before) / (i + 1 - self.first) as f64).max(0.0)
    }
}

/// The right end of the iteration axis for runs at `max_iteration`: the next of 1, 1.25, 1.5,
/// 2, 2.5, 3, 4, 5, 6, 8 × 10^m at or above 1.02 × `max_iteration` (at least 10), so that the
/// axis, its labels and the curves' pixel columns stay put for many frames of a long run.
pub fn axis_end(max_iteration: f64) -> f64 {
    let want = (max_iteration * 1.02).max(10.0);
    if !want.is_finite() {
        return want;
    }
    let decade = 10f64.powf(want.log10().floor());
    [1.0, 1.25, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0]
        .iter()
        .map(|m| m * decade)
        .find(|&v| v >= want)
        .unwrap_or(10.0 * decade)
}

/// How the loss plot maps iterations to pixel columns: the plotting area's left and right edge
/// (device pixels), the axis end and whether it is logarithmic.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Columns {
    /// Left edge of the plotting area.
    pub left: f64,
    /// Right edge of the plotting area.
    pub right: f64,
    /// The axis's right end ([`axis_end`]).
    pub end: f64,
    /// Iterations on a log axis (iteration 0 at 1).
    pub log: bool,
}

impl Columns {
    /// The pixel column of iteration `k`.
    pub fn of(&self, k: f64) -> i64 {
        let (axis, a1) = if self.log { (k.max(1.0).ln(), self.end.max(10.0).ln()) } else { (k, self.end) };
        (self.left + axis * (self.right - self.left) / a1).floor() as i64
    }
}

/// A run's loss curve at screen resolution: its raw (iteration, J) and, for a mini-batch run,
/// its moving mean, each M4-decimated to the plot's pixel columns.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Decimated {
    /// The raw line.
    pub raw: Vec<(f64, f64)>,
    /// The moving mean, for a mini-batch run.
    pub mean: Option<Vec<(f64, f64)>>,
}

/// What a [`CurveCache`] was decimated for: the columns, the moving mean's epoch, the run's
/// first point (its bits) and its history's stride.
#[derive(Debug, Clone, Copy, PartialEq)]
struct CurveKey {
    columns: Columns,
    batches_per_epoch: Option<u64>,
    first: (u64, u64),
    stride: u64,
}

impl CurveKey {
    /// Whether a curve kept for `self` can go on, drawn as it is, for a history of `key`: the
    /// same run and columns, only the axis longer or the history thinned since.
    fn leads_to(&self, key: &CurveKey) -> bool {
        let (a, b) = (self.columns, key.columns);
        self.batches_per_epoch == key.batches_per_epoch
            && self.first == key.first
            && a.left == b.left
            && a.right == b.right
            && a.log == b.log
            && a.end <= b.end
            && self.stride <= key.stride
    }
}

/// A run's [`Decimated`] curve kept from frame to frame: the points already taken in are not
/// looked at again while the run's history only grows and the columns stay.
///
/// When the axis grows (a larger [`axis_end`]) or the history is thinned (every other point
/// dropped), the curve is decimated afresh for the new axis or points, [`REBUILD_POINTS`] points
/// of the history a call, while the kept one goes on (at its columns, from the first point
/// past the last it took in) and is drawn; the fresh one takes its place once it has caught
/// up. Neither costs a frame a pass over the whole history.
#[derive(Debug, Clone, Default)]
pub struct CurveCache {
    key: Option<CurveKey>,
    taken: usize,
    last: Option<(u64, u64)>,
    raw: M4<(f64, f64)>,
    mean: M4<(f64, f64)>,
    state: MovingMean,
    /// The curve being decimated afresh (see above).
    next: Option<Box<CurveCache>>,
}

/// Points of the history a curve decimated afresh takes in per call (see [`CurveCache`]).
pub const REBUILD_POINTS: usize = 2_000;

impl CurveCache {
    /// The curve of the recorded `losses` (in order of iteration; a history recording every
    /// `stride`-th iteration), then `tail` (the live state, not kept), drawn with `columns`,
    /// with a moving mean over `batches_per_epoch` when given; takes in only the points new
    /// since the last call unless the history changed under it. `None` when a point is not
    /// finite (see [`curves`]).
    pub fn update(
        &mut self,
        losses: &[(f64, f64)],
        tail: Option<(f64, f64)>,
        batches_per_epoch: Option<u64>,
        stride: u64,
        columns: Columns,
    ) -> Option<Decimated> {
        let first = losses.first().map_or((0, 0), bits);
        let key = CurveKey { columns, batches_per_epoch, first, stride };
        if !(self.holds(losses) && self.key == Some(key) && self.next.is_none()) {
            if self.goes_on(losses, &key) {
                let mut next = match self.next.take() {
                    Some(next) if next.key == Some(key) && next.holds(losses) => next,
                    _ => Box::new(CurveCache { key: Some(key), ..CurveCache::default() }),
                };
                let upto = (next.taken + REBUILD_POINTS).min(losses.len());
                next.take_in(losses, upto);
                if next.taken == losses.len() {
                    *self = *next;
                } else {
                    self.next = Some(next);
                }
            } else {
                *self = CurveCache { key: Some(key), ..CurveCache::default() };
            }
        }
        if !losses[self.taken..].iter().chain(&tail).all(|(_, j)| j.is_finite()) {
            *self = CurveCache::default();
            return None;
        }
        self.take_in(losses, losses.len());
        let Some((k, j)) = tail else {
            return Some(Decimated { raw: self.raw.snapshot(), mean: batches_per_epoch.map(|_| self.mean.snapshot()) });
        };
        // The live state goes on copies: the next frame's history has it, or a later point.
        let c = self.key.map_or(columns, |key| key.columns).of(k);
        let mut raw = self.raw.clone();
        raw.push(c, j, (k, j));
        let mean = batches_per_epoch.map(|epoch| {
            let mut state = self.state;
            let n = losses.len();
            let m = state.next_at(|i| if i < n { losses[i] } else { (k, j) }, n, epoch);
            let mut mean = self.mean.clone();
            mean.push(c, m, (k, m));
            mean.finish()
        });
        Some(Decimated { raw: raw.finish(), mean })
    }

    /// Whether `losses` still holds the points taken in: the history only grew.
    fn holds(&self, losses: &[(f64, f64)]) -> bool {
        losses.len() >= self.taken && (self.taken == 0 || self.last == Some(bits(&losses[self.taken - 1])))
    }

    /// Whether this curve can go on, drawn as it is, for `losses` of `key` while a fresh one is
    /// built; when the history was thinned, it is moved onto the thinned points first: it goes
    /// on from the first point past the last it took in, with the moving mean's state as the
    /// thinned points up to there give it.
    fn goes_on(&mut self, losses: &[(f64, f64)], key: &CurveKey) -> bool {
        let Some(old) = self.key.filter(|old| self.taken > 0 && old.leads_to(key)) else { return false };
        if old.stride == key.stride {
            return self.holds(losses);
        }
        let last = self.last.map_or(0.0, |(k, _)| f64::from_bits(k));
        if losses.last().is_none_or(|p| p.0 < last) {
            return false;
        }
        let at = losses.partition_point(|p| p.0 <= last);
        self.taken = at;
        self.last = Some(bits(&losses[at - 1]));
        if let Some(epoch) = key.batches_per_epoch {
            self.state = MovingMean::default();
            for i in 0..at {
                self.state.next(losses, i, epoch);
            }
        }
        self.key = Some(CurveKey { stride: key.stride, ..old });
        true
    }

    /// Takes in `losses[taken..upto]` at the columns of this curve's key.
    fn take_in(&mut self, losses: &[(f64, f64)], upto: usize) {
        let Some(key) = self.key else { return };
        for i in self.taken..upto {
            let (k, j) = losses[i];
            let c = key.columns.of(k);
            self.raw.push(c, j, (k, j));
            if let Some(epoch) = key.batches_per_epoch {
                let m = self.state.next(losses, i, epoch);
                self.mean.push(c, m, (k, m));
            }
        }
        if upto > self.taken {
            self.taken = upto;
            self.last = Some(bits(&losses[upto - 1]));
        }
    }
}

/// A point's bits, to tell a history that changed under a cache.
fn bits(p: &(f64, f64)) -> (u64, u64) {
    (p.0.to_bits(), p.1.to_bits())
}

/// Each path's curve decimated for `columns`, from `caches` (one per run index, kept between
/// frames; grown as needed).
pub fn curves(paths: &[RunPath], caches: &mut Vec<CurveCache>, columns: Columns) -> Vec<Decimated> {
    paths
        .iter()
        .map(|path| {
            if caches.len() <= path.index {
                caches.resize_with(path.index + 1, CurveCache::default);
            }
            let epoch = path.batches_per_epoch.filter(|_| path.losses.len() + usize::from(path.tail.is_some()) > 2);
            caches[path.index].update(path.losses, path.tail, epoch, path.stride, columns).unwrap_or_else(|| {
                // A non-finite J is left out, and the curve decimated afresh without it.
                let finite: Vec<(f64, f64)> = path.losses.iter().copied().chain(path.tail).filter(|(_, j)| j.is_finite()).collect();
                let epoch = epoch.filter(|_| finite.len() > 2);
                CurveCache::default().update(&finite, None, epoch, path.stride, columns).unwrap_or_default()
            })
        })
        .collect()
}

/// The window of the moving mean at iteration k, in iterations: one epoch (⌈n/b⌉ updates), but
/// at most a tenth of k (so that the mean follows the descent early on, and is as wide on a
/// log iteration axis at every k), and at least 1.
pub fn smoothing_window(batches_per_epoch: u64, k: f64) -> f64 {
    (batches_per_epoch as f64).min((k / 10.0).floor()).max(1.0)
}

/// A run's coefficients per iteration decimated to pixel columns: one polyline per
/// coefficient, the range of their values, the iteration axis's end.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CoefficientLines {
    /// Per coefficient, (iteration, θⱼ) at screen resolution.
    pub lines: Vec<Vec<(f64, f64)>>,
    /// The smallest and largest finite value of any coefficient.
    pub range: Option<[f64; 2]>,
    /// The end of the iteration axis.
    pub end: f64,
}

/// What a [`CoefficientCache`] was decimated for: the history's stride, the axis's end, the
/// data area's width and the run's start (which holds the number of coefficients).
#[derive(Debug, Clone, Copy, PartialEq)]
struct CoefficientKey {
    stride: u64,
    end: f64,
    width: i64,
    start: Theta,
}

impl CoefficientKey {
    /// Whether lines kept for `self` can go on, drawn as they are, for a history of `key`: the
    /// same run and width, only the axis longer or the history thinned since.
    fn leads_to(&self, key: &CoefficientKey) -> bool {
        self.width == key.width && self.start == key.start && self.end <= key.end && self.stride <= key.stride
    }
}

/// The first run's coefficient lines kept between frames: only the points recorded since the
/// last frame are taken in, unless the run restarted.
///
/// When the axis grows or the history is thinned, the lines are decimated afresh,
/// [`REBUILD_ROWS`] points of the history a call, while the kept ones go on (at their columns,
/// from the first point past the last they took in) and are drawn, as
/// [`crate::render::loss_curve::CurveCache`] does.
#[derive(Debug, Clone, Default)]
pub struct CoefficientCache {
    key: Option<CoefficientKey>,
    taken: usize,
    last: Option<(u64, Theta)>,
    m4: Vec<M4<(f64, f64)>>,
    range: Option<[f64; 2]>,
    /// The lines being decimated afresh (see above).
    next: Option<Box<CoefficientCache>>,
}

/// Points of the history lines decimated afresh take in per call (see [`CoefficientCache`]).
pub const REBUILD_ROWS: usize = 1_000;

impl CoefficientCache {
    /// The lines of `history` (a run's recorded points, thinned with `stride`) up to
    /// `last_iteration` on a data area `width` pixels wide; `live` when `history` is the whole
    /// live history (else it is drawn afresh and nothing is kept).
    pub fn lines(&mut self, history: &[HistoryPoint], stride: u64, last_iteration: u64, width: i64, live: bool) -> CoefficientLines {
        let Some(first) = history.first() else { return CoefficientLines::default() };
        let end = axis_end(last_iteration as f64);
        let key = CoefficientKey { stride, end, width, start: first.theta };
        if !(live && self.holds(history) && self.key == Some(key) && self.next.is_none()) {
            if live && self.goes_on(history, &key) {
                let mut next = match self.next.take() {
                    Some(next) if next.key == Some(key) && next.holds(history) => next,
                    _ => Box::new(CoefficientCache::empty(key)),
                };
                let upto = (next.taken + REBUILD_ROWS).min(history.len());
                next.take_in(history, upto);
                if next.taken == history.len() {
                    *self = *next;
                } else {
                    self.next = Some(next);
                }
            } else {
                *self = CoefficientCache::empty(key);
            }
        }
        self.take_in(history, history.len());
        let lines = CoefficientLines { lines: self.m4.iter().map(M4::snapshot).collect(), range: self.range, end };
        if !live {
            *self = CoefficientCache::default();
        }
        lines
    }

    fn empty(key: CoefficientKey) -> Self {
        CoefficientCache { key: Some(key), m4: (0..key.start.len()).map(|_| M4::default()).collect(), ..CoefficientCache::default() }
    }

    /// Whether `history` still holds the points taken in: it only grew.
    fn holds(&self, history: &[HistoryPoint]) -> bool {
        history.len() >= self.taken && (self.taken == 0 || self.last == Some((history[self.taken - 1].iteration, history[self.taken - 1].theta)))
    }

    /// Whether these lines can go on, drawn as they are, for `history` of `key` while fresh
    /// ones are built; when the history was thinned, they go on from its first point past the
    /// last they took in.
    fn goes_on(&mut self, history: &[HistoryPoint], key: &CoefficientKey) -> bool {
        let Some(old) = self.key.filter(|old| self.taken > 0 && old.leads_to(key)) else { return false };
        if old.stride == key.stride {
            return self.holds(history);
        }
        let last = self.last.map_or(0, |(k, _)| k);
        if history.last().is_none_or(|p| p.iteration < last) {
            return false;
        }
        let at = history.partition_point(|p| p.iteration <= last);
        self.taken = at;
        self.last = Some((history[at - 1].iteration, history[at - 1].theta));
        self.key = Some(CoefficientKey { stride: key.stride, ..old });
        true
    }

    /// Takes in `history[taken..upto]` at the columns of this cache's axis.
    fn take_in(&mut self, history: &[HistoryPoint], upto: usize) {
        let Some(key) = self.key else { return };
        let column = |k: u64| (k as f64 / key.end * key.width as f64).floor() as i64;
        for point in &history[self.taken..upto] {
            for (j, m4) in self.m4.iter_mut().enumerate() {
                let v = point.theta[j];
                m4.push(column(point.iteration), v, (point.iteration as f64, v));
                self.range = widen(self.range, v);
            }
        }
        if upto > self.taken {
            self.taken = upto;
            self.last = Some((history[upto - 1].iteration, history[upto - 1].theta));
        }
    }
}

/// `range` grown to hold `v` when it is finite.
pub fn widen(range: Option<[f64; 2]>, v: f64) -> Option<[f64; 2]> {
    if !v.is_finite() {
        return range;
    }
    Some(match range {
        Some([lo, hi]) => [lo.min(v), hi.max(v)],
        None => [v, v],
    })
}
