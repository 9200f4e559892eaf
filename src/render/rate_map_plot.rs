//! The stability map of heavy-ball momentum (Distill's "Why Momentum Really Works" figure, on
//! the page's data): over the learning rate η (log axis) and the momentum μ, each pixel coloured
//! by the updates the error takes to shrink 10⁶ times at the rate the theory gives there
//! ([`crate::descent::rate_map`]), divergence in a hatched grey of its own, contours every half decade (3.2, 10, 32,
//! 100, … updates); marks for run 1's (η, μ), Polyak's optimum and plain descent's best rate;
//! and the rates measured from real runs as dots coloured on the same scale.

use super::primitives::{draw_err, level_edges, run_color, Blit, DrawResult, PixelRect, RgbaImage, Scale, ViewTransform, INK, MUTED};
use super::text::Label;
use crate::descent::rate_map::{rate, steps_to_shrink, MeasuredRate, MomentumOptimum, PlainBest};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::colors::colormaps::ViridisRGB;

/// Decades of updates the colour scale spans: 1 to 10⁴ (slower is the darkest colour).
pub const STEP_DECADES: f64 = 4.0;
/// Contours per decade of updates (at 10^(k/2): 3.2, 10, 32, 100, …).
const CONTOURS_PER_DECADE: f64 = 2.0;
/// The colour of divergence (rate ≥ 1), and of its hatching: greys apart from every colour of
/// the viridis scale in lightness, so that they read in any colour vision and in print.
const DIVERGED: (u8, u8, u8) = (222, 222, 222);
const HATCH: (u8, u8, u8) = (150, 150, 150);

/// What the map shows.
#[derive(Debug, Clone)]
pub struct RateMapScene<'a> {
    /// The Hessian's eigenvalues (of J's smooth part).
    pub spectrum: &'a [f64],
    /// The learning rates across, [A, B].
    pub lr_range: [f64; 2],
    /// The momenta up, [a, b].
    pub momentum_range: [f64; 2],
    /// Polyak's optimum, when κ is finite.
    pub optimum: Option<MomentumOptimum>,
    /// Plain descent's best constant rate, when κ is finite.
    pub plain_best: Option<PlainBest>,
    /// Run 1's (η, μ), when it is plain descent (μ = 0) or heavy-ball momentum.
    pub current: Option<(f64, f64)>,
    /// The rates measured so far: (η, μ, measurement).
    pub measured: &'a [(f64, f64, Option<MeasuredRate>)],
    /// Pixel ratio, zoom and language.
    pub scale: Scale,
}

/// The position on the colour scale of `steps` updates: 1 at one update, 0 at 10⁴ and beyond.
fn shade_of_steps(steps: f64) -> f64 {
    (1.0 - steps.max(1.0).log10() / STEP_DECADES).clamp(0.0, 1.0)
}

fn viridis(t: f64) -> (u8, u8, u8) {
    let c: RGBColor = ViridisRGB.get_color(t.clamp(0.0, 1.0) as f32);
    (c.0, c.1, c.2)
}

/// The colour of a rate: by the updates it takes to shrink the error 10⁶ times; `None` (the
/// divergence colour) when the rate is ≥ 1.
fn color_of_rate(rate: f64) -> Option<(u8, u8, u8)> {
    steps_to_shrink(rate).map(|s| viridis(shade_of_steps(s as f64)))
}

/// The plotting area on a `width`×`height` canvas, leaving room for the axes' labels and the
/// colour bar.
fn plot_rect(width: u32, height: u32, scale: Scale) -> PixelRect {
    let (left, top) = (scale.px(10.0 + 62.0) as i32, scale.px(10.0) as i32);
    let right = width as i32 - scale.px(10.0 + 92.0) as i32;
    let bottom = height as i32 - scale.px(10.0 + 44.0) as i32;
    PixelRect::from_ranges(left..right.max(left + 1), top..bottom.max(top + 1))
}

/// The heat image: each pixel's rate at its centre, and white-blended pixels where the contour
/// level changes from a neighbour (or where convergence meets divergence).
fn render(scene: &RateMapScene, t: &ViewTransform) -> RgbaImage {
    let (w, h) = (t.rect.width as u32, t.rect.height as u32);
    let mut image = RgbaImage::new(w, h);
    let mut levels = vec![i32::MIN; (w * h) as usize];
    const SHADES: usize = 512;
    let palette: Vec<(u8, u8, u8)> = (0..SHADES).map(|k| viridis(k as f64 / (SHADES - 1) as f64)).collect();
    let step_x = (t.x[1] - t.x[0]) / w as f64;
    let step_y = (t.y[1] - t.y[0]) / h as f64;
    for row in 0..h {
        let momentum = t.y[1] - (row as f64 + 0.5) * step_y;
        for col in 0..w {
            let lr = 10f64.powf(t.x[0] + (col as f64 + 0.5) * step_x);
            let i = (row * w + col) as usize;
            match steps_to_shrink(rate(scene.spectrum, lr, momentum)) {
                Some(steps) => {
                    let steps = steps as f64;
                    let shade = shade_of_steps(steps);
                    image.set(col, row, palette[(shade * (SHADES - 1) as f64).round() as usize]);
                    levels[i] = (steps.log10() * CONTOURS_PER_DECADE).floor().min(STEP_DECADES * CONTOURS_PER_DECADE) as i32;
                }
                None => {
                    let hatch = (col + row) % scale_hatch(scene.scale) < 2;
                    image.set(col, row, if hatch { HATCH } else { DIVERGED });
                    levels[i] = i32::MAX;
                }
            }
        }
    }
    for (col, row, around) in level_edges(&levels, w as usize) {
        if around.contains(&i32::MAX) {
            // The edge of divergence: drawn dark, the stability boundary.
            image.set(col as u32, row as u32, (INK.0, INK.1, INK.2));
        } else {
            image.blend(col as i64, row as i64, WHITE, 0.55);
        }
    }
    image
}

/// The hatching's period in device pixels.
fn scale_hatch(scale: Scale) -> u32 {
    scale.px(8.0).max(4)
}

/// Draws the map on `root` (the heat image through `blit`) and returns where (η, μ) lie on
/// it: the plotting area, x in log10 η and y in μ.
pub fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, scene: &RateMapScene, blit: &mut dyn Blit) -> DrawResult<ViewTransform> {
    let scale = scene.scale;
    root.fill(&WHITE).map_err(draw_err)?;
    let (width, height) = root.dim_in_pixel();
    let rect = plot_rect(width, height, scale);
    let x = [scene.lr_range[0].log10(), scene.lr_range[1].log10()];
    let y = scene.momentum_range;
    let transform = ViewTransform { rect, x, y };
    let image = render(scene, &transform);
    blit.blit(rect.left, rect.top, &image)?;

    // The frame and the axes over the image.
    let font = ("sans-serif", scale.font(13.0)).into_font().color(&INK);
    let small = ("sans-serif", scale.font(12.0)).into_font().color(&INK);
    let outline = ShapeStyle::from(&INK).stroke_width(scale.px(1.0));
    root.draw(&Rectangle::new([(rect.left, rect.top), (rect.left + rect.width, rect.top + rect.height)], outline)).map_err(draw_err)?;
    // Tick labels: decades of η below, tenths of μ on the left.
    let tick = scale.px(4.0) as i32;
    for decade in (x[0].ceil() as i32)..=(x[1].floor() as i32) {
        let (px, py) = transform.to_pixel(decade as f64, y[0]);
        let (px, py) = (px.round() as i32, py.round() as i32);
        root.draw(&PathElement::new(vec![(px, py), (px, py + tick)], outline)).map_err(draw_err)?;
        let text = format!("1e{decade}");
        let style = small.clone().pos(plotters::style::text_anchor::Pos::new(
            plotters::style::text_anchor::HPos::Center,
            plotters::style::text_anchor::VPos::Top,
        ));
        root.draw(&Text::new(text, (px, py + tick + 2), style)).map_err(draw_err)?;
    }
    let tenths = ((y[1] - y[0]) * 10.0).round().max(1.0) as i32;
    let step = if tenths > 6 { 2 } else { 1 };
    for k in (0..=tenths).step_by(step) {
        let mu = (y[0] * 10.0).ceil() / 10.0 + k as f64 / 10.0;
        if mu > y[1] + 1e-9 {
            break;
        }
        let (px, py) = transform.to_pixel(x[0], mu);
        let (px, py) = (px.round() as i32, py.round() as i32);
        root.draw(&PathElement::new(vec![(px - tick, py), (px, py)], outline)).map_err(draw_err)?;
        let style = small.clone().pos(plotters::style::text_anchor::Pos::new(
            plotters::style::text_anchor::HPos::Right,
            plotters::style::text_anchor::VPos::Center,
        ));
        root.draw(&Text::new(format!("{mu:.1}"), (px - tick - 3, py), style)).map_err(draw_err)?;
    }
    let centred = font.clone().pos(plotters::style::text_anchor::Pos::new(
        plotters::style::text_anchor::HPos::Center,
        plotters::style::text_anchor::VPos::Top,
    ));
    root.draw(&Text::new(scale.text(Label::RateLogAxis), (rect.left + rect.width / 2, rect.top + rect.height + scale.px(22.0) as i32), centred))
        .map_err(draw_err)?;
    let up = font.clone().transform(FontTransform::Rotate270);
    root.draw(&Text::new(scale.text(Label::MomentumAxis), (scale.px(8.0) as i32, rect.top + rect.height / 2 + scale.px(40.0) as i32), up))
        .map_err(draw_err)?;

    // The measured rates: dots on the same colour scale, ringed in white and ink.
    let radius = scale.px(3.5) as i32;
    for &(lr, momentum, measured) in scene.measured {
        let Some(m) = measured else { continue };
        let (px, py) = transform.to_pixel(lr.log10(), momentum);
        let (px, py) = (px.round() as i32, py.round() as i32);
        let (r, g, b) = if m.diverged { DIVERGED } else { color_of_rate(m.rate).unwrap_or(DIVERGED) };
        root.draw(&Circle::new((px, py), radius + scale.px(1.0) as i32, WHITE.filled())).map_err(draw_err)?;
        root.draw(&Circle::new((px, py), radius, RGBColor(r, g, b).filled())).map_err(draw_err)?;
        root.draw(&Circle::new((px, py), radius, ShapeStyle::from(&INK).stroke_width(1))).map_err(draw_err)?;
    }

    // The marks.
    let label = |text: &str, (px, py): (i32, i32)| -> DrawResult<()> {
        let style = small.clone();
        let size = super::text::text_size(root, text, &style).unwrap_or((0, 0));
        let left = if px + size.0 as i32 + scale.px(12.0) as i32 > rect.left + rect.width { px - size.0 as i32 - scale.px(10.0) as i32 } else { px + scale.px(9.0) as i32 };
        let top = (py - size.1 as i32 - scale.px(4.0) as i32).max(rect.top);
        root.draw(&Rectangle::new([(left - 2, top - 1), (left + size.0 as i32 + 2, top + size.1 as i32 + 1)], WHITE.mix(0.85).filled()))
            .map_err(draw_err)?;
        root.draw(&Text::new(text.to_string(), (left, top), style)).map_err(draw_err)
    };
    let at = |lr: f64, momentum: f64| {
        let (px, py) = transform.to_pixel(lr.log10(), momentum);
        (px.round() as i32, py.round() as i32)
    };
    if let Some(best) = scene.plain_best {
        let p = at(best.lr, y[0].max(0.0));
        let s = scale.px(7.0) as i32;
        root.draw(&Polygon::new(vec![(p.0, p.1 - s), (p.0 - s, p.1 + s / 2), (p.0 + s, p.1 + s / 2)], WHITE.filled())).map_err(draw_err)?;
        root.draw(&PathElement::new(vec![(p.0, p.1 - s), (p.0 - s, p.1 + s / 2), (p.0 + s, p.1 + s / 2), (p.0, p.1 - s)], ShapeStyle::from(&INK).stroke_width(scale.px(1.5))))
            .map_err(draw_err)?;
        label(scale.text(Label::PlainBest), (p.0, p.1 - s))?;
    }
    if let Some(optimum) = scene.optimum.filter(|o| o.momentum >= y[0] && o.momentum <= y[1]) {
        let p = at(optimum.lr, optimum.momentum);
        let s = scale.px(7.0) as i32;
        let diamond = vec![(p.0, p.1 - s), (p.0 + s, p.1), (p.0, p.1 + s), (p.0 - s, p.1)];
        root.draw(&Polygon::new(diamond.clone(), WHITE.filled())).map_err(draw_err)?;
        let mut closed = diamond;
        closed.push((p.0, p.1 - s));
        root.draw(&PathElement::new(closed, ShapeStyle::from(&INK).stroke_width(scale.px(1.5)))).map_err(draw_err)?;
        label(scale.text(Label::PolyakOptimum), p)?;
    }
    if let Some((lr, momentum)) = scene.current {
        if lr.log10() >= x[0] && lr.log10() <= x[1] && momentum >= y[0] && momentum <= y[1] {
            let p = at(lr, momentum);
            let color = run_color(0);
            let s = scale.px(8.0) as i32;
            let style = ShapeStyle::from(&WHITE).stroke_width(scale.px(5.0));
            root.draw(&PathElement::new(vec![(p.0 - s, p.1), (p.0 + s, p.1)], style)).map_err(draw_err)?;
            root.draw(&PathElement::new(vec![(p.0, p.1 - s), (p.0, p.1 + s)], style)).map_err(draw_err)?;
            let style = ShapeStyle::from(&color).stroke_width(scale.px(2.5));
            root.draw(&PathElement::new(vec![(p.0 - s, p.1), (p.0 + s, p.1)], style)).map_err(draw_err)?;
            root.draw(&PathElement::new(vec![(p.0, p.1 - s), (p.0, p.1 + s)], style)).map_err(draw_err)?;
            label(scale.text(Label::RunOne), p)?;
        }
    }
    draw_color_bar(root, rect, scale)?;
    Ok(transform)
}

/// The colour scale on the right: updates to shrink the error 10⁶ times, 1 to 10⁴ on a log
/// axis, and the divergence swatch below it.
fn draw_color_bar<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, rect: PixelRect, scale: Scale) -> DrawResult<()> {
    let x0 = rect.left + rect.width + scale.px(12.0) as i32;
    let bar_w = scale.px(14.0) as i32;
    let swatch = scale.px(22.0) as i32;
    let top = rect.top;
    let bottom = rect.top + rect.height - swatch - scale.px(8.0) as i32;
    let steps = 64;
    for k in 0..steps {
        let y0 = top + (bottom - top) * k / steps;
        let y1 = top + (bottom - top) * (k + 1) / steps;
        let (r, g, b) = viridis(1.0 - (k as f64 + 0.5) / steps as f64);
        root.draw(&Rectangle::new([(x0, y0), (x0 + bar_w, y1)], RGBColor(r, g, b).filled())).map_err(draw_err)?;
    }
    let ink = ShapeStyle::from(&INK).stroke_width(1);
    root.draw(&Rectangle::new([(x0, top), (x0 + bar_w, bottom)], ink)).map_err(draw_err)?;
    let font = ("sans-serif", scale.font(12.0)).into_font().color(&MUTED);
    for k in 0..=STEP_DECADES as i32 {
        let y = top + ((bottom - top) as f64 * k as f64 / STEP_DECADES).round() as i32;
        root.draw(&PathElement::new(vec![(x0 + bar_w, y), (x0 + bar_w + scale.px(4.0) as i32, y)], ink)).map_err(draw_err)?;
        let text = if k == STEP_DECADES as i32 { "≥1e4".to_string() } else { format!("{}", 10u32.pow(k as u32)) };
        root.draw(&Text::new(text, (x0 + bar_w + scale.px(6.0) as i32, y - scale.px(6.0) as i32), font.clone())).map_err(draw_err)?;
    }
    // Divergence: the hatched grey.
    let (s0, s1) = (bottom + scale.px(8.0) as i32, bottom + scale.px(8.0) as i32 + swatch);
    root.draw(&Rectangle::new([(x0, s0), (x0 + bar_w, s1)], RGBColor(DIVERGED.0, DIVERGED.1, DIVERGED.2).filled())).map_err(draw_err)?;
    let hatch = ShapeStyle::from(&RGBColor(HATCH.0, HATCH.1, HATCH.2)).stroke_width(scale.px(1.5));
    let mut d = 0;
    while d < swatch + bar_w {
        let a = (x0 + d.min(bar_w), s0 + (d - bar_w).max(0));
        let b = (x0 + (d - swatch).max(0), s0 + d.min(swatch));
        root.draw(&PathElement::new(vec![a, b], hatch)).map_err(draw_err)?;
        d += scale_hatch(scale) as i32;
    }
    root.draw(&Rectangle::new([(x0, s0), (x0 + bar_w, s1)], ink)).map_err(draw_err)?;
    root.draw(&Text::new(scale.text(Label::Diverges), (x0 + bar_w + scale.px(6.0) as i32, s0 + scale.px(4.0) as i32), font.clone())).map_err(draw_err)?;
    let up = font.transform(FontTransform::Rotate270);
    root.draw(&Text::new(scale.text(Label::StepsToShrink), (x0 + bar_w + scale.px(44.0) as i32, bottom - scale.px(4.0) as i32), up)).map_err(draw_err)?;
    Ok(())
}

/// The (η, μ) under a device pixel of a map drawn with `transform` (none outside it).
pub fn point_at(transform: &ViewTransform, px: f64, py: f64) -> Option<(f64, f64)> {
    transform.to_data(px, py).map(|(lx, mu)| (10f64.powf(lx), mu))
}
