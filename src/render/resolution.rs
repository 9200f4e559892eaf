//! Drawing at screen resolution: however long a history, a trajectory or a curve sends the
//! canvas no more vertices than its pixels can show, and the picture stays within one pixel of
//! the one drawn with every point.
//!
//! - Trajectories ([`Trail`]): a segment whose pixels (its Bresenham line between
//!   its integer end points) the path has all painted already changes nothing and is left out.
//!   Every segment kept paints at least one new pixel, so a path draws at most as many segments
//!   as its plotting area has pixels, whatever its length; a random walk that stays in a small
//!   region draws about one segment per pixel of that region.
//! - Curves over an increasing x ([`m4`]): per pixel column, the first, the lowest, the highest
//!   and the last point, in their order (M4 decimation: Jugel et al., "M4: A Visualization-
//!   Oriented Time Series Data Aggregation", VLDB 2014). A line through them rasterizes like the
//!   line through all points; spikes and extremes stay.
//!
//! A [`Trail`] keeps a run's trajectory from frame to frame, so that a frame maps and tests only
//! the points recorded since the last one, and says which polylines are new since a mark, so
//! that a canvas kept between frames gets only those.

use super::primitives::{draw_err, DrawResult, RgbaImage, ViewTransform};
use plotters::prelude::*;
use crate::least_squares::objective::Theta;
use crate::descent::run::HistoryPoint;

/// Polylines in device pixels.
pub type Polylines = Vec<Vec<(i32, i32)>>;

/// A run's polylines: (run index, polylines).
pub type RunLines = (usize, Polylines);

/// What identifies the drawing a [`Trail`] holds: the run's start and history stride, and the
/// view and canvas it was drawn for.
#[derive(Debug, Clone, Copy, PartialEq)]
struct TrailKey {
    start: Theta,
    axes: (usize, usize),
    stride: u64,
    transform: ViewTransform,
    size: (u32, u32),
}

/// A run's trajectory at screen resolution, kept from frame to frame: the recorded points
/// already taken in are mapped, clipped and tested against the pixels painted once, so that a
/// frame takes in only the new ones. A segment (between the rounded pixels of two successive
/// points, clipped to the view) is kept when its Bresenham line paints a pixel the path has not
/// painted; successive kept segments form polylines.
#[derive(Debug, Clone, Default)]
pub struct Trail {
    key: Option<TrailKey>,
    /// History points taken in.
    taken: usize,
    /// The last point taken in (iteration, θ).
    last: Option<(u64, Theta)>,
    /// The pixels the kept segments paint.
    painted: PixelSet,
    kept: Polylines,
    /// For each vertex of `kept`, the iteration of the recorded point whose segment put it there.
    sources: Vec<Vec<u64>>,
    /// Whether the next kept segment may extend the last polyline.
    open: bool,
}

impl Trail {
    /// Takes in the recorded `points` (a run's history, or its start up to a step) not taken in
    /// yet: all of them when the run restarted, or the view or canvas changed. `stride` is the
    /// history's: when it was thinned since, the trail goes on from its first point past the
    /// last one taken in (the segments kept from the finer points stay). `start` is the run's
    /// start, `axes` the two coefficients shown, `transform` the view, `size` the canvas.
    /// Returns true when it started again from the first point.
    pub fn update(&mut self, points: &[HistoryPoint], stride: u64, start: Theta, axes: (usize, usize), transform: &ViewTransform, size: (u32, u32)) -> bool {
        let key = TrailKey { start, axes, stride, transform: *transform, size };
        let thinned = self.key.is_some_and(|old| old.stride < stride && TrailKey { stride, ..old } == key);
        if let (true, Some((last, _))) = (thinned, self.last) {
            if points.last().is_some_and(|p| p.iteration >= last) {
                self.taken = points.partition_point(|p| p.iteration <= last);
                self.last = Some((points[self.taken - 1].iteration, points[self.taken - 1].theta));
                self.key = Some(key);
            }
        }
        let continues = self.key == Some(key)
            && points.len() >= self.taken
            && (self.taken == 0 || self.last == Some((points[self.taken - 1].iteration, points[self.taken - 1].theta)));
        if !continues {
            *self = Trail { key: Some(key), painted: PixelSet::new(size.0, size.1), ..Trail::default() };
        }
        for p in &points[self.taken..] {
            self.take(p.iteration, p.theta.shown(axes), transform);
            self.last = Some((p.iteration, p.theta));
        }
        self.taken = points.len();
        !continues
    }

    fn take(&mut self, iteration: u64, theta: Theta, t: &ViewTransform) {
        let pixel = |p: (f64, f64)| {
            let (x, y) = t.to_pixel(p.0, p.1);
            (x.round() as i32, y.round() as i32)
        };
        let Some((_, previous)) = self.last else { return };
        let previous = previous.shown(self.key.map_or((0, 1), |k| k.axes));
        let Some((a, b)) = t.clip((previous[0], previous[1]), (theta[0], theta[1])) else {
            self.open = false;
            return;
        };
        let (pa, pb) = (pixel(a), pixel(b));
        if pa == pb {
            return;
        }
        if !self.painted.insert_line(pa, pb) {
            self.open = false;
            return;
        }
        match (self.kept.last_mut(), self.sources.last_mut()) {
            (Some(line), Some(sources)) if self.open && line.last() == Some(&pa) => {
                line.push(pb);
                sources.push(iteration);
            }
            _ => {
                self.kept.push(vec![pa, pb]);
                self.sources.push(vec![iteration, iteration]);
            }
        }
        self.open = true;
    }

    /// The kept polylines.
    pub fn lines(&self) -> &[Vec<(i32, i32)>] {
        &self.kept
    }

    /// The kept polylines as the recorded points up to iteration `until` alone would have kept
    /// them (whether a segment is kept depends only on the points before it): the timeline's
    /// view of an earlier step, without taking the points in again.
    pub fn lines_until(&self, until: u64) -> Polylines {
        self.kept
            .iter()
            .zip(&self.sources)
            .map(|(line, sources)| {
                let n = sources.partition_point(|&k| k <= until);
                line[..n].to_vec()
            })
            .filter(|line| line.len() > 1)
            .collect()
    }

    /// Where the kept polylines end now: (polylines, points of the last one).
    pub fn mark(&self) -> (usize, usize) {
        (self.kept.len(), self.kept.last().map_or(0, Vec::len))
    }

    /// The polylines kept since `mark` (an earlier [`Trail::mark`] of this same trail): the
    /// last polyline then from its last point on, when it grew, and every polyline after it.
    pub fn lines_since(&self, (lines, points): (usize, usize)) -> Polylines {
        let mut out = Vec::new();
        if lines > 0 {
            if let Some(line) = self.kept.get(lines - 1).filter(|l| l.len() > points && points > 0) {
                out.push(line[points - 1..].to_vec());
            }
        }
        out.extend(self.kept.iter().skip(lines).cloned());
        out
    }
}

/// Strokes a polyline of pixel points (relative to the image) `width` pixels wide in `color` at
/// opacity `alpha` into `image`, replacing what it covers: every pixel is set, never blended,
/// so where the line crosses itself it is not darker (one stroke). Where successive points lie
/// at most one pixel column apart (a noisy loss curve, decimated), each column is set once,
/// over the span the line reaches there (see [`line_pieces`]) widened by half the width;
/// elsewhere each segment is walked one pixel at a time along its longer axis, setting the
/// pixels within half the width of each step. Points that are not finite break the line.
pub fn stroke_into(image: &mut RgbaImage, points: &[(f64, f64)], width: f64, color: plotters::style::RGBColor, alpha: f64) {
    let (w, h) = (image.width as i64, image.height as i64);
    let r = (width / 2.0).max(0.5);
    let reach = r.ceil() as i64;
    // The disc's half height at each horizontal offset: |dy| with √(dx² + dy²) ≤ r.
    let rise = |dx: i64| -> Option<i64> { (0..=reach).rev().find(|&dy| (((dx * dx + dy * dy) as f64).sqrt()) <= r) };
    let disc: Vec<(i64, i64)> = (-reach..=reach)
        .flat_map(|dy| (-reach..=reach).map(move |dx| (dx, dy)))
        .filter(|&(dx, dy)| ((dx * dx + dy * dy) as f64).sqrt() <= r)
        .collect();
    let rises: Vec<(i64, i64)> = (-reach..=reach).filter_map(|dx| rise(dx).map(|dy| (dx, dy))).collect();
    let pixel = [color.0, color.1, color.2, (alpha.clamp(0.0, 1.0) * 255.0).round() as u8];
    let pixels = &mut image.pixels;
    let mut set = |px: i64, py: i64| {
        if px >= 0 && py >= 0 && px < w && py < h {
            let i = ((py * w + px) * 4) as usize;
            pixels[i..i + 4].copy_from_slice(&pixel);
        }
    };
    let finite = |p: &(f64, f64)| p.0.is_finite() && p.1.is_finite();
    for run in points.split(|p| !finite(p)).filter(|run| !run.is_empty()) {
        let rounded: Vec<(i32, i32)> = run.iter().map(|p| (p.0.round() as i32, p.1.round() as i32)).collect();
        for (a, b, dense) in stretches(&rounded) {
            if dense {
                // Each column once: the union of the discs over the spans of the columns beside.
                let (x0, span) = column_spans(&rounded[a..=b]);
                let (x0, n) = (x0 as i64, span.len() as i64);
                for x in x0 - reach..x0 + n + reach {
                    let (mut lo, mut hi) = (i64::MAX, i64::MIN);
                    for &(dx, dy) in &rises {
                        if let Some(&(top, bottom)) = usize::try_from(x - dx - x0).ok().and_then(|c| span.get(c)) {
                            lo = lo.min(top as i64 - dy);
                            hi = hi.max(bottom as i64 + dy);
                        }
                    }
                    for y in lo.max(0)..=hi.min(h - 1) {
                        set(x, y);
                    }
                }
            } else {
                for pair in run[a..=b].windows(2) {
                    let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
                    let steps = (x1 - x0).abs().max((y1 - y0).abs()).ceil().clamp(1.0, 1e5) as usize;
                    for k in 0..=steps {
                        let f = k as f64 / steps as f64;
                        let (cx, cy) = ((x0 + f * (x1 - x0)).round() as i64, (y0 + f * (y1 - y0)).round() as i64);
                        for &(dx, dy) in &disc {
                            set(cx + dx, cy + dy);
                        }
                    }
                }
            }
        }
    }
}

/// A set of pixels of a `width × height` area, one bit each.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PixelSet {
    width: i64,
    height: i64,
    bits: Vec<u64>,
}

impl PixelSet {
    fn new(width: u32, height: u32) -> Self {
        let count = width as usize * height as usize;
        PixelSet { width: width as i64, height: height as i64, bits: vec![0; count.div_ceil(64)] }
    }

    /// Adds the pixel; true when it was not in the set (pixels outside never are added).
    fn insert(&mut self, (x, y): (i32, i32)) -> bool {
        let (x, y) = (x as i64, y as i64);
        if x < 0 || y < 0 || x >= self.width || y >= self.height {
            return false;
        }
        let i = (y * self.width + x) as usize;
        let (word, bit) = (i / 64, 1u64 << (i % 64));
        let new = self.bits[word] & bit == 0;
        self.bits[word] |= bit;
        new
    }

    /// Adds the pixels of the Bresenham line from `a` to `b`; true when any was new.
    fn insert_line(&mut self, a: (i32, i32), b: (i32, i32)) -> bool {
        let (mut x, mut y) = (a.0 as i64, a.1 as i64);
        let (x1, y1) = (b.0 as i64, b.1 as i64);
        let (dx, dy) = ((x1 - x).abs(), -(y1 - y).abs());
        let (sx, sy) = (if x < x1 { 1 } else { -1 }, if y < y1 { 1 } else { -1 });
        let mut err = dx + dy;
        let mut new = false;
        loop {
            new |= self.insert((x as i32, y as i32));
            if x == x1 && y == y1 {
                return new;
            }
            let e2 = 2 * err;
            if e2 >= dy {
                err += dy;
                x += sx;
            }
            if e2 <= dx {
                err += dx;
                y += sy;
            }
        }
    }
}

/// A piece of a line drawn at screen resolution (see [`line_pieces`]).
#[derive(Debug, Clone, PartialEq)]
pub enum LinePiece {
    /// The outline of the pixels a stretch of the line covers where it has a point in every
    /// pixel column: a polygon to fill.
    Band(Vec<(i32, i32)>),
    /// A stretch whose points lie two or more columns apart: a polyline to stroke.
    Line(Vec<(i32, i32)>),
}

/// A line through `points` (device pixels, x never decreasing, as [`m4`] keeps them) `2·half`
/// pixels wide, as pieces that are cheap to draw. Where successive points lie in the same or
/// the next pixel column (a curve with at least one point per column, as a long history has)
/// the line is a band: in each column x, from the least to the greatest y the line reaches
/// there (its points in the column and the midpoints of its segments to the columns beside),
/// widened by `half` above and below, over [x, x + 1). That is the pixels the stroked line
/// covers, within one pixel, and a canvas fills it as one simple polygon instead of stroking
/// (and joining) up to four segments a column. Elsewhere the segments are kept as a polyline.
pub fn line_pieces(points: &[(i32, i32)], half: i32) -> Vec<LinePiece> {
    stretches(points)
        .into_iter()
        .map(|(a, b, dense)| if dense { LinePiece::Band(band(&points[a..=b], half)) } else { LinePiece::Line(points[a..=b].to_vec()) })
        .collect()
}

/// The stretches of a line through `points` (x never decreasing): (first, last, dense), each
/// from one point to the next stretch's first, dense where successive points are at most one
/// pixel column apart (a lone point is a dense stretch of one).
fn stretches(points: &[(i32, i32)]) -> Vec<(usize, usize, bool)> {
    if points.len() == 1 {
        return vec![(0, 0, true)];
    }
    // x never decreasing within a dense stretch, however the points come.
    let dense = |k: usize| (0..=1).contains(&(i64::from(points[k + 1].0) - i64::from(points[k].0)));
    let mut out = Vec::new();
    let mut start = 0;
    for k in 0..points.len().saturating_sub(1) {
        if k + 2 == points.len() || dense(k + 1) != dense(k) {
            out.push((start, k + 1, dense(k)));
            start = k + 1;
        }
    }
    out
}

/// Per pixel column of a dense stretch, from its first point's column on: the least and the
/// greatest y the line reaches there (its points in the column and the midpoints of its
/// segments to the columns beside).
fn column_spans(points: &[(i32, i32)]) -> (i32, Vec<(i32, i32)>) {
    let x0 = points[0].0;
    let columns = (points[points.len() - 1].0 - x0 + 1) as usize;
    let mut span = vec![(i32::MAX, i32::MIN); columns];
    let mut reach = |x: i32, y: i32| {
        let s = &mut span[(x - x0) as usize];
        *s = (s.0.min(y), s.1.max(y));
    };
    for (n, &(x, y)) in points.iter().enumerate() {
        reach(x, y);
        if let Some(&(x1, y1)) = points.get(n + 1).filter(|p| p.0 == x + 1) {
            // The segment crosses into the next column at its midpoint.
            let sum = i64::from(y) + i64::from(y1);
            let (lo, hi) = (sum.div_euclid(2) as i32, (sum + 1).div_euclid(2) as i32);
            reach(x, lo);
            reach(x, hi);
            reach(x1, lo);
            reach(x1, hi);
        }
    }
    (x0, span)
}

/// The outline of a dense stretch (see [`line_pieces`]): the top edge left to right, then the
/// bottom edge right to left.
fn band(points: &[(i32, i32)], half: i32) -> Vec<(i32, i32)> {
    let (x0, span) = column_spans(points);
    let mut outline = Vec::with_capacity(4 * span.len());
    for (c, &(top, _)) in span.iter().enumerate() {
        let x = x0 + c as i32;
        outline.push((x, top.saturating_sub(half)));
        outline.push((x + 1, top.saturating_sub(half)));
    }
    for (c, &(_, bottom)) in span.iter().enumerate().rev() {
        let x = x0 + c as i32;
        outline.push((x + 1, bottom.saturating_add(half)));
        outline.push((x, bottom.saturating_add(half)));
    }
    outline
}

/// M4 decimation of points in order of increasing x: for each run of consecutive points in the
/// same pixel `column`, the first, the one of least `value`, the one of greatest `value` and
/// the last, in their original order and each once.
pub fn m4<T: Copy>(points: &[T], column: impl Fn(&T) -> i64, value: impl Fn(&T) -> f64) -> Vec<T> {
    let mut m4 = M4::default();
    for p in points {
        m4.push(column(p), value(p), *p);
    }
    m4.finish()
}

/// A point of a column: its position in the input, its value, the point.
type Pick<T> = (usize, f64, T);

/// [`m4`] taking the points one at a time (in order of increasing x), so that a curve worked
/// out point by point (a moving mean) need not be stored whole.
#[derive(Debug, Clone)]
pub struct M4<T> {
    out: Vec<T>,
    /// The column being gathered, and its first, lowest, highest and last point with their
    /// positions in the input.
    current: Option<(i64, [Pick<T>; 4])>,
    count: usize,
}

impl<T> Default for M4<T> {
    fn default() -> Self {
        M4 { out: Vec::new(), current: None, count: 0 }
    }
}

impl<T: Copy> M4<T> {
    /// Takes the next point, in pixel `column`, of `value`.
    pub fn push(&mut self, column: i64, value: f64, point: T) {
        let at = (self.count, value, point);
        self.count += 1;
        match &mut self.current {
            Some((c, picks)) if *c == column => {
                if value < picks[1].1 {
                    picks[1] = at;
                }
                if value > picks[2].1 {
                    picks[2] = at;
                }
                picks[3] = at;
            }
            _ => {
                self.flush();
                self.current = Some((column, [at; 4]));
            }
        }
    }

    fn flush(&mut self) {
        if let Some((_, mut picks)) = self.current.take() {
            picks.sort_unstable_by_key(|p| p.0);
            let mut previous = None;
            for (i, _, p) in picks {
                if previous != Some(i) {
                    self.out.push(p);
                    previous = Some(i);
                }
            }
        }
    }

    /// The points kept so far, the column being gathered included (it may still change).
    pub fn snapshot(&self) -> Vec<T> {
        let mut copy = M4 { out: Vec::with_capacity(self.out.len() + 4), current: self.current, count: self.count };
        copy.out.extend_from_slice(&self.out);
        copy.finish()
    }

    /// The points kept.
    pub fn finish(mut self) -> Vec<T> {
        self.flush();
        self.out
    }
}

/// How far (device pixels) a simplified polyline or outline may pass from a point it drops
/// ([`simplify`]).
pub const SIMPLIFY_TOLERANCE: f64 = 0.25;

/// The points of a polyline (or of a polygon's outline, its closing edge kept) that a line
/// within `tolerance` pixels of every point needs, the first and the last always kept. A canvas
/// strokes and fills in time proportional to its vertices, and a flat or straight stretch (a
/// converged loss curve, a coefficient at rest, a fitted curve sampled every two pixels) needs
/// two. See [`simplified`].
pub fn simplify(points: &[(i32, i32)], tolerance: f64) -> Vec<(i32, i32)> {
    let at: Vec<(f64, f64)> = points.iter().map(|p| (f64::from(p.0), f64::from(p.1))).collect();
    simplified(&at, tolerance).into_iter().map(|k| points[k]).collect()
}

/// The indices of the points [`simplify`] keeps, in one pass (sleeve fitting): from the last
/// point kept, a segment may end at a point whose direction lies within every wedge of the
/// points passed since (the directions from which a ray passes within `tolerance` of the point:
/// its own ± asin(tolerance / distance)); where the next point's direction leaves them, the one
/// before is kept and the fitting starts again from it. Points within `tolerance` of the last
/// kept one constrain nothing.
pub fn simplified(points: &[(f64, f64)], tolerance: f64) -> Vec<usize> {
    if points.len() < 3 {
        return (0..points.len()).collect();
    }
    let mut kept = vec![0];
    let (mut anchor, mut last) = (0, 0);
    // The admissible directions, as angles from `base` (radians), once a point constrains them.
    let mut cone: Option<(f64, f64, f64)> = None;
    let mut i = 1;
    while i < points.len() {
        let (dx, dy) = (points[i].0 - points[anchor].0, points[i].1 - points[anchor].1);
        let d = dx.hypot(dy);
        if d <= tolerance || d.is_nan() {
            last = i;
            i += 1;
            continue;
        }
        let direction = dy.atan2(dx);
        let half = (tolerance / d).asin();
        match cone {
            None => cone = Some((direction, -half, half)),
            Some((base, lo, hi)) => {
                let a = (direction - base + std::f64::consts::PI).rem_euclid(std::f64::consts::TAU) - std::f64::consts::PI;
                if a < lo || a > hi {
                    // No segment from the anchor to this point passes near them all: keep the
                    // point before and fit again from it (this point is looked at again).
                    kept.push(last);
                    anchor = last;
                    cone = None;
                    continue;
                }
                cone = Some((base, lo.max(a - half), hi.min(a + half)));
            }
        }
        last = i;
        i += 1;
    }
    if kept.last() != Some(&(points.len() - 1)) {
        kept.push(points.len() - 1);
    }
    kept
}

/// Draws a line through `pixels` (backend pixels, x never decreasing) in `style` on `root` at
/// screen resolution: its stretches with a point in every pixel column filled as the band of
/// pixels they cover, the rest stroked ([`line_pieces`]), each outline and polyline
/// [`simplify`]d.
pub fn draw_line<DB: DrawingBackend>(root: &DrawingArea<DB, plotters::coord::Shift>, pixels: &[(i32, i32)], style: ShapeStyle) -> DrawResult<()> {
    let (bx, by) = root.get_base_pixel();
    let local = |p: &(i32, i32)| (p.0 - bx, p.1 - by);
    let half = (style.stroke_width / 2).max(1) as i32;
    for piece in line_pieces(pixels, half) {
        match piece {
            LinePiece::Band(outline) => {
                let outline = simplify(&outline, SIMPLIFY_TOLERANCE);
                root.draw(&Polygon::new(outline.iter().map(local).collect::<Vec<_>>(), ShapeStyle { filled: true, ..style })).map_err(draw_err)?
            }
            LinePiece::Line(line) => {
                let line = simplify(&line, SIMPLIFY_TOLERANCE);
                root.draw(&PathElement::new(line.iter().map(local).collect::<Vec<_>>(), style)).map_err(draw_err)?
            }
        }
    }
    Ok(())
}
