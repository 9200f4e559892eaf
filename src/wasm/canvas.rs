//! Canvas glue of the boundary: puts the scenes of [`crate::render::plots`] on the page's
//! canvases. Backgrounds are drawn only when [`PlotView`] says so; foregrounds every call.

use crate::render::plots::run_paths;
use crate::render::surface;
use crate::render::{Blit, DrawResult, Foreground, Plot, PlotView, RgbaImage, RunPath};
use crate::session::Session;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

fn context(canvas: &HtmlCanvasElement) -> DrawResult<CanvasRenderingContext2d> {
    canvas
        .get_context("2d")
        .map_err(|_| "the canvas has no 2D context".to_string())?
        .ok_or_else(|| "the canvas has no 2D context".to_string())?
        .dyn_into::<CanvasRenderingContext2d>()
        .map_err(|_| "the canvas has no 2D context".to_string())
}

fn backend(canvas: &HtmlCanvasElement) -> DrawResult<CanvasBackend> {
    CanvasBackend::with_canvas_object(canvas.clone()).ok_or_else(|| "the canvas has no 2D context".to_string())
}

/// Puts RGBA pixels on a canvas: `putImageData` onto a scratch canvas, then one `drawImage`,
/// which composites the alpha (unlike `putImageData` alone).
struct CanvasBlit {
    context: CanvasRenderingContext2d,
}

impl Blit for CanvasBlit {
    fn blit(&mut self, left: i32, top: i32, image: &RgbaImage) -> DrawResult<()> {
        if image.width == 0 || image.height == 0 {
            return Ok(());
        }
        let data = ImageData::new_with_u8_clamped_array_and_sh(Clamped(&image.pixels), image.width, image.height)
            .map_err(|_| "could not create the image data".to_string())?;
        let document = web_sys::window()
            .and_then(|w| w.document())
            .ok_or_else(|| "no document".to_string())?;
        let scratch: HtmlCanvasElement = document
            .create_element("canvas")
            .map_err(|_| "could not create a canvas".to_string())?
            .dyn_into()
            .map_err(|_| "could not create a canvas".to_string())?;
        scratch.set_width(image.width);
        scratch.set_height(image.height);
        context(&scratch)?
            .put_image_data(&data, 0.0, 0.0)
            .map_err(|_| "putImageData failed".to_string())?;
        self.context
            .draw_image_with_html_canvas_element(&scratch, left as f64, top as f64)
            .map_err(|_| "drawImage failed".to_string())
    }
    fn composites_alpha(&self) -> bool {
        true
    }
}

/// Draws every plot on its stacked canvases (`canvases[plot.index()]`, bottom to top; a plot
/// with none is skipped). The runs' paths are worked out once for all plots.
pub fn draw_plots(view: &mut PlotView, session: &Session, canvases: &[Vec<HtmlCanvasElement>]) -> DrawResult<()> {
    let mut paths = None;
    for plot in Plot::ALL {
        let layers = canvases.get(plot.index()).map_or(&[][..], Vec::as_slice);
        draw_plot(view, session, plot, layers, &mut paths)?;
    }
    Ok(())
}

/// Draws `plot` on its stacked `canvases` (bottom to top): the background on the first only
/// when `view` says it must be redrawn, the foreground on the last (cleared first when it lies
/// over a background). Canvases not laid out yet (under 8 pixels) are skipped. `paths` holds
/// the runs' paths once the first plot drawn has worked them out.
fn draw_plot<'s>(
    view: &mut PlotView,
    session: &'s Session,
    plot: Plot,
    canvases: &[HtmlCanvasElement],
    paths: &mut Option<Vec<RunPath<'s>>>,
) -> DrawResult<()> {
    let (Some(bottom), Some(top)) = (canvases.first(), canvases.last()) else { return Ok(()) };
    if canvases.iter().any(|c| c.width() < 8 || c.height() < 8) {
        return Ok(());
    }
    if plot == Plot::Surface {
        view.surface_view(session);
    }
    let size = (bottom.width(), bottom.height());
    if canvases.len() > 1 && view.needs_background(plot, size) {
        if let Some(background) = plot.background(session, view) {
            let root = backend(bottom)?.into_drawing_area();
            let mut blit = CanvasBlit { context: context(bottom)? };
            let transform = background.draw(&root, &mut blit)?;
            view.drawn(plot, size, Some(transform));
        }
    }
    let foreground = context(top)?;
    if canvases.len() > 1 {
        foreground.clear_rect(0.0, 0.0, top.width() as f64, top.height() as f64);
    }
    round_lines(&foreground);
    let paths = paths.get_or_insert_with(|| run_paths(session, view.scrub, view.scale().language));
    let transform = view.transform(plot);
    let drawing = plot.foreground(session, view, paths, (top.width(), top.height()));
    // The trajectories' layers, between the background and the foreground, are kept between
    // frames: cleared only when the drawing starts afresh, added to otherwise.
    if let (Foreground::Surface { trails, scale, .. }, [_, halo, lines, _]) = (&drawing, canvases) {
        for layer in [halo, lines] {
            let c = context(layer)?;
            if trails.clear {
                c.clear_rect(0.0, 0.0, layer.width() as f64, layer.height() as f64);
            }
            round_lines(&c);
        }
        let (halo_root, lines_root) = (backend(halo)?.into_drawing_area(), backend(lines)?.into_drawing_area());
        surface::draw_trails(&halo_root, &lines_root, trails, WHITE.to_rgba(), *scale)?;
    }
    let root = backend(top)?.into_drawing_area();
    let mut blit = CanvasBlit { context: foreground };
    drawing.draw_top(&root, transform, &mut blit)
}

/// Round joins and caps: a trajectory or a loss curve turning sharply would otherwise spike (a
/// miter join reaches up to 10 line widths), and the screen-resolution drawing of
/// [`crate::render::resolution`] keeps its one-pixel bound with them.
fn round_lines(context: &CanvasRenderingContext2d) {
    context.set_line_join("round");
    context.set_line_cap("round");
}

/// Shows the surface's halo layer at [`surface::HALO_ALPHA`] (it is drawn opaque).
pub fn style_layers(plot: Plot, canvases: &[HtmlCanvasElement]) {
    if let (Plot::Surface, [_, halo, _, _]) = (plot, canvases) {
        let _ = halo.style().set_property("opacity", &surface::HALO_ALPHA.to_string());
    }
}
