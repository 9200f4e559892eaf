//! What every plot draws with: the colours, the scale of a screen and reader, pixel rectangles
//! and the linear view of data onto them, RGBA images and the blits that put them on a drawing,
//! and how many labels an axis holds.

use super::text::{self, Label, Language};
use plotters::prelude::*;

/// Result of a drawing function: the message of whatever failed.
pub type DrawResult<T> = Result<T, String>;

pub(crate) fn draw_err<E: std::fmt::Debug>(e: E) -> String {
    format!("drawing failed: {e:?}")
}

/// Colours of the runs (Okabe–Ito, readable by colour-blind people), in order of run index.
pub const RUN_COLORS: [RGBColor; 6] = [
    RGBColor(213, 94, 0),    // vermillion
    RGBColor(0, 114, 178),   // blue
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(230, 159, 0),   // orange
    RGBColor(86, 180, 233),  // sky blue
];

/// Colour of run `index`.
pub fn run_color(index: usize) -> RGBColor {
    RUN_COLORS[index % RUN_COLORS.len()]
}

/// Dark text and axis colour (contrast > 12:1 on white).
pub const INK: RGBColor = RGBColor(33, 37, 41);
/// Secondary text colour (contrast > 7:1 on white).
pub const MUTED: RGBColor = RGBColor(73, 80, 87);

/// How the plots are drawn for this screen and reader: sizes that scale with the device pixel
/// ratio and the presenter mode, and the language of their words.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    /// Device pixels per CSS pixel.
    pub pixel_ratio: f64,
    /// Extra magnification of text and lines (1 normally, about 1.4 in presenter mode).
    pub zoom: f64,
    /// The smallest text, in CSS pixels after the zoom (0: none; 18 on a lesson's stage in
    /// presenter mode, so that words smaller than the rest still read from the back of a room).
    pub min_font: f64,
    /// Language of the words in the plots.
    pub language: Language,
}

impl Default for Scale {
    fn default() -> Self {
        Scale { pixel_ratio: 1.0, zoom: 1.0, min_font: 0.0, language: Language::English }
    }
}

impl Scale {
    /// `css` CSS pixels in device pixels, at least 1.
    pub fn px(&self, css: f64) -> u32 {
        (css * self.pixel_ratio * self.zoom).round().max(1.0) as u32
    }
    /// The text of `label` in this scale's language.
    pub fn text(&self, label: Label) -> &'static str {
        text::label(self.language, label)
    }
    /// A font of `css` CSS pixels, magnified by the zoom and at least `min_font`.
    pub fn font(&self, css: f64) -> f64 {
        (css * self.zoom).max(self.min_font) * self.pixel_ratio
    }
}

/// A rectangle of device pixels: the plotting area of a chart.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PixelRect {
    /// Left edge.
    pub left: i32,
    /// Top edge.
    pub top: i32,
    /// Width (> 0).
    pub width: i32,
    /// Height (> 0).
    pub height: i32,
}

impl PixelRect {
    pub(crate) fn from_ranges(x: std::ops::Range<i32>, y: std::ops::Range<i32>) -> Self {
        PixelRect { left: x.start, top: y.start, width: (x.end - x.start).max(1), height: (y.end - y.start).max(1) }
    }
}

/// A linear view of data coordinates onto a pixel rectangle (y up).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ViewTransform {
    /// Pixel rectangle of the plotting area.
    pub rect: PixelRect,
    /// Data x range shown.
    pub x: [f64; 2],
    /// Data y range shown.
    pub y: [f64; 2],
}

impl ViewTransform {
    /// Pixel position of a data point (may lie outside the rectangle).
    pub fn to_pixel(&self, x: f64, y: f64) -> (f64, f64) {
        let r = &self.rect;
        let px = r.left as f64 + (x - self.x[0]) / (self.x[1] - self.x[0]) * r.width as f64;
        let py = r.top as f64 + (self.y[1] - y) / (self.y[1] - self.y[0]) * r.height as f64;
        (px, py)
    }
    /// Data point under a pixel, or `None` outside the rectangle.
    pub fn to_data(&self, px: f64, py: f64) -> Option<(f64, f64)> {
        let r = &self.rect;
        let fx = (px - r.left as f64) / r.width as f64;
        let fy = (py - r.top as f64) / r.height as f64;
        if !(0.0..=1.0).contains(&fx) || !(0.0..=1.0).contains(&fy) {
            return None;
        }
        Some((self.x[0] + fx * (self.x[1] - self.x[0]), self.y[1] - fy * (self.y[1] - self.y[0])))
    }
    /// Clips the segment a–b (data coordinates) to the view; `None` when it lies outside.
    pub fn clip(&self, a: (f64, f64), b: (f64, f64)) -> Option<((f64, f64), (f64, f64))> {
        clip_segment(a, b, self.x, self.y)
    }
    /// Maps a polyline to pixels, clipping each segment to the view, split where it leaves.
    pub fn polylines(&self, points: impl IntoIterator<Item = (f64, f64)>) -> Vec<Vec<(i32, i32)>> {
        let mut lines: Vec<Vec<(i32, i32)>> = Vec::new();
        let mut current: Vec<(i32, i32)> = Vec::new();
        let mut previous: Option<(f64, f64)> = None;
        let pixel = |p: (f64, f64)| {
            let (x, y) = self.to_pixel(p.0, p.1);
            (x.round() as i32, y.round() as i32)
        };
        for p in points {
            if let Some(a) = previous {
                match self.clip(a, p) {
                    Some((ca, cb)) => {
                        let (pa, pb) = (pixel(ca), pixel(cb));
                        if current.last() != Some(&pa) {
                            if current.len() > 1 {
                                lines.push(std::mem::take(&mut current));
                            }
                            current.clear();
                            current.push(pa);
                        }
                        if current.last() != Some(&pb) {
                            current.push(pb);
                        }
                    }
                    None => {
                        if current.len() > 1 {
                            lines.push(std::mem::take(&mut current));
                        }
                        current.clear();
                    }
                }
            }
            previous = Some(p);
        }
        if current.len() > 1 {
            lines.push(current);
        }
        lines
    }
    /// True when the data point lies inside the view.
    pub fn contains(&self, x: f64, y: f64) -> bool {
        x >= self.x[0] && x <= self.x[1] && y >= self.y[0] && y <= self.y[1]
    }
}

/// Liang–Barsky clipping of the segment a–b to the box [x0, x1]×[y0, y1]. Non-finite points
/// give `None`.
pub fn clip_segment(a: (f64, f64), b: (f64, f64), x: [f64; 2], y: [f64; 2]) -> Option<((f64, f64), (f64, f64))> {
    if !(a.0.is_finite() && a.1.is_finite() && b.0.is_finite() && b.1.is_finite()) {
        return None;
    }
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    if !(dx.is_finite() && dy.is_finite()) {
        return None;
    }
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [(-dx, a.0 - x[0]), (dx, x[1] - a.0), (-dy, a.1 - y[0]), (dy, y[1] - a.1)] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
            if t0 > t1 {
                return None;
            }
        }
    }
    Some(((a.0 + t0 * dx, a.1 + t0 * dy), (a.0 + t1 * dx, a.1 + t1 * dy)))
}

/// How many labels a vertical axis `length` device pixels long takes: at most one every 28 CSS
/// pixels (about two lines of its text), between 2 and `most`; a short plot's labels do not
/// overlap.
pub fn labels_along(length: u32, scale: Scale, most: usize) -> usize {
    labels_every(length, scale, 28.0, most)
}

/// How many labels a horizontal axis `length` device pixels long takes: at most one every 56
/// CSS pixels (a label of five characters and a gap), between 2 and `most`; a narrow plot's
/// labels do not run into each other.
pub fn labels_across(length: u32, scale: Scale, most: usize) -> usize {
    labels_every(length, scale, 56.0, most)
}

fn labels_every(length: u32, scale: Scale, css: f64, most: usize) -> usize {
    ((length / scale.px(css)) as usize).clamp(2, most)
}

/// An RGBA image, row-major from the top-left, 4 bytes a pixel (the layout of `ImageData`).
#[derive(Debug, Clone, PartialEq)]
pub struct RgbaImage {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width·height·4` bytes.
    pub pixels: Vec<u8>,
}

impl RgbaImage {
    /// A transparent image.
    pub fn new(width: u32, height: u32) -> Self {
        RgbaImage { width, height, pixels: vec![0; (width as usize) * (height as usize) * 4] }
    }
    /// Blends `color` with opacity `alpha` ∈ [0, 1] over the pixel (x, y) (source-over).
    pub fn blend(&mut self, x: i64, y: i64, color: RGBColor, alpha: f64) {
        if x < 0 || y < 0 || x >= self.width as i64 || y >= self.height as i64 {
            return;
        }
        let i = ((y as usize) * self.width as usize + x as usize) * 4;
        let p = &mut self.pixels[i..i + 4];
        let da = p[3] as f64 / 255.0;
        let out_a = alpha + da * (1.0 - alpha);
        if out_a <= 0.0 {
            return;
        }
        let mix = |s: u8, d: u8| ((s as f64 * alpha + d as f64 * da * (1.0 - alpha)) / out_a).round() as u8;
        p[0] = mix(color.0, p[0]);
        p[1] = mix(color.1, p[1]);
        p[2] = mix(color.2, p[2]);
        p[3] = (out_a * 255.0).round() as u8;
    }
    /// Sets the pixel (x, y) to an opaque colour.
    pub fn set(&mut self, x: u32, y: u32, color: (u8, u8, u8)) {
        let i = ((y as usize) * self.width as usize + x as usize) * 4;
        self.pixels[i..i + 4].copy_from_slice(&[color.0, color.1, color.2, 255]);
    }
    /// The image composited over an opaque background, as RGB bytes (for plotters' bitmaps).
    pub fn to_rgb_over(&self, background: (u8, u8, u8)) -> Vec<u8> {
        let mut out = Vec::with_capacity((self.width * self.height * 3) as usize);
        for p in self.pixels.chunks_exact(4) {
            let a = p[3] as f64 / 255.0;
            let mix = |s: u8, b: u8| (s as f64 * a + b as f64 * (1.0 - a)).round() as u8;
            out.extend_from_slice(&[mix(p[0], background.0), mix(p[1], background.1), mix(p[2], background.2)]);
        }
        out
    }
}

/// Puts a pixel layer onto a drawing: the page uses `putImageData`/`drawImage`, native
/// backends [`BackendBlit`].
pub trait Blit {
    /// Draws `image` with its top-left corner at device pixel (left, top), compositing its
    /// alpha over what is there.
    fn blit(&mut self, left: i32, top: i32, image: &RgbaImage) -> DrawResult<()>;
    /// True when [`Blit::blit`] composites the image's alpha over what is drawn below (the
    /// page's canvases); false when it covers its rectangle (still images over white).
    fn composites_alpha(&self) -> bool {
        false
    }
}

/// The pixels of a `width`-wide image of `levels` (row-major) whose level differs from the level
/// to their right or below: where contour lines pass. Each comes as (column, row, [its level,
/// the right one's, the lower one's]); at the image's right and bottom edges the missing
/// neighbour counts as the pixel's own level.
pub fn level_edges(levels: &[i32], width: usize) -> impl Iterator<Item = (usize, usize, [i32; 3])> + '_ {
    let height = levels.len().checked_div(width).unwrap_or(0);
    (0..height).flat_map(move |row| (0..width).map(move |col| (col, row))).filter_map(move |(col, row)| {
        let i = row * width + col;
        let l = levels[i];
        let right = if col + 1 < width { levels[i + 1] } else { l };
        let down = if row + 1 < height { levels[i + width] } else { l };
        (l != right || l != down).then_some((col, row, [l, right, down]))
    })
}

/// A [`Blit`] for any plotters backend: composites the image over white and draws it as a
/// plotters bitmap element (used for SVG and PNG output).
pub struct BackendBlit<'a, DB: DrawingBackend> {
    /// The drawing area to put the image on.
    pub area: &'a DrawingArea<DB, plotters::coord::Shift>,
}

impl<DB: DrawingBackend> Blit for BackendBlit<'_, DB> {
    fn blit(&mut self, left: i32, top: i32, image: &RgbaImage) -> DrawResult<()> {
        let rgb = image.to_rgb_over((255, 255, 255));
        let element: BitMapElement<(i32, i32)> =
            BitMapElement::with_owned_buffer((left, top), (image.width, image.height), rgb)
                .ok_or_else(|| "drawing failed: bitmap buffer has the wrong size".to_string())?;
        self.area.draw(&element).map_err(draw_err)
    }
}

/// Nice axis bounds: the range grown by `pad` of its width on each side, and at least `min_width`
/// wide.
pub fn padded(lo: f64, hi: f64, pad: f64, min_width: f64) -> [f64; 2] {
    let (mut lo, mut hi) = (lo.min(hi), lo.max(hi));
    let w = hi - lo;
    if w < min_width {
        let c = 0.5 * (lo + hi);
        lo = c - 0.5 * min_width;
        hi = c + 0.5 * min_width;
    }
    let w = hi - lo;
    [lo - pad * w, hi + pad * w]
}

/// Which part of a plot whose axes follow the runs (the loss curve, the coefficients) to draw:
/// its frame (white ground, grid, axes, labels, reference lines: redrawn only when its
/// [`FrameKey`] changes), its data (the lines, every frame, on a transparent layer above), or
/// both on one drawing (a still image). The frame is drawn before the data in either case, so
/// the layers give the pixels of the one drawing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layers {
    /// The frame only.
    Frame,
    /// The data only (nothing filled first).
    Data,
    /// The frame, then the data.
    Both,
}

impl Layers {
    /// Whether the frame is drawn.
    pub fn frame(self) -> bool {
        self != Layers::Data
    }
    /// Whether the data are drawn.
    pub fn data(self) -> bool {
        self != Layers::Frame
    }
}

/// The numbers a plot's frame is drawn from (axis ranges, reference values, size, scale), bit
/// for bit: the frame layer is redrawn when they change.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FrameKey(Vec<u64>);

impl FrameKey {
    /// A key of `size` and `scale`, to which [`FrameKey::push`] adds the plot's numbers.
    pub fn new(size: (u32, u32), scale: Scale) -> FrameKey {
        let language = match scale.language {
            super::text::Language::English => 0.0,
            super::text::Language::Chinese => 1.0,
        };
        let mut key = FrameKey(Vec::new());
        for v in [f64::from(size.0), f64::from(size.1), scale.pixel_ratio, scale.zoom, language] {
            key.push(v);
        }
        key
    }
    /// Adds a number (NaN for "none").
    pub fn push(&mut self, v: f64) {
        self.0.push(v.to_bits());
    }
}
