//! Canvas glue of the boundary: puts the scenes of [`crate::render::plots`] on the page's
//! canvases. Backgrounds and frames are drawn only when [`PlotView`] says so; foregrounds every
//! call.

use crate::render::scenes::run_paths;
use crate::render::surface;
use crate::render::primitives::Layers;
use crate::render::{Blit, DrawResult, Foreground, Plot, PlotView, RgbaImage, RunPath};
use crate::session::Session;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

fn context(canvas: &HtmlCanvasElement) -> DrawResult<CanvasRenderingContext2d> {
    canvas
        .get_context("2d")
        .map_err(|_| "the canvas has no 2D context".to_string())?
        .ok_or_else(|| "the canvas has no 2D context".to_string())?
        .dyn_into::<CanvasRenderingContext2d>()
        .map_err(|_| "the canvas has no 2D context".to_string())
}

pub(super) fn backend(canvas: &HtmlCanvasElement) -> DrawResult<CanvasBackend> {
    CanvasBackend::with_canvas_object(canvas.clone()).ok_or_else(|| "the canvas has no 2D context".to_string())
}

/// The blit of pixels onto `canvas` (for the plots drawn on demand).
pub(super) fn blit_onto(canvas: &HtmlCanvasElement) -> DrawResult<impl Blit> {
    Ok(CanvasBlit { context: context(canvas)? })
}

/// Puts RGBA pixels on a canvas: `putImageData` onto a scratch canvas, then one `drawImage`,
/// which composites the alpha (unlike `putImageData` alone).
struct CanvasBlit {
    context: CanvasRenderingContext2d,
}

/// A scratch canvas and an image of one size, kept between frames: the loss plot blits an
/// image every frame, and making a canvas and an image (their pixels outside the JS heap) for
/// each blit was a good part of a frame's drawing.
struct Scratch {
    size: (u32, u32),
    context: CanvasRenderingContext2d,
    canvas: HtmlCanvasElement,
    image: ImageData,
    pixels: js_sys::Uint8ClampedArray,
}

/// Sizes of scratch canvases kept (the plots blit images of a few sizes).
const SCRATCH_SIZES: usize = 4;

thread_local! {
    static SCRATCH: std::cell::RefCell<Vec<Scratch>> = const { std::cell::RefCell::new(Vec::new()) };
}

impl Scratch {
    fn new(width: u32, height: u32) -> DrawResult<Scratch> {
        let document = web_sys::window().and_then(|w| w.document()).ok_or_else(|| "no document".to_string())?;
        let canvas: HtmlCanvasElement = document
            .create_element("canvas")
            .map_err(|_| "could not create a canvas".to_string())?
            .dyn_into()
            .map_err(|_| "could not create a canvas".to_string())?;
        canvas.set_width(width);
        canvas.set_height(height);
        let image = ImageData::new_with_sw(width, height).map_err(|_| "could not create the image data".to_string())?;
        let pixels = js_sys::Reflect::get(&image, &"data".into())
            .map_err(|_| "the image data has no pixels".to_string())?
            .dyn_into::<js_sys::Uint8ClampedArray>()
            .map_err(|_| "the image data has no pixels".to_string())?;
        Ok(Scratch { size: (width, height), context: context(&canvas)?, canvas, image, pixels })
    }
}

impl Blit for CanvasBlit {
    fn blit(&mut self, left: i32, top: i32, image: &RgbaImage) -> DrawResult<()> {
        if image.width == 0 || image.height == 0 {
            return Ok(());
        }
        let size = (image.width, image.height);
        SCRATCH.with(|kept| {
            let mut kept = kept.borrow_mut();
            let at = match kept.iter().position(|s| s.size == size) {
                Some(at) => at,
                None => {
                    if kept.len() >= SCRATCH_SIZES {
                        kept.remove(0);
                    }
                    kept.push(Scratch::new(size.0, size.1)?);
                    kept.len() - 1
                }
            };
            let scratch = &kept[at];
            scratch.pixels.copy_from(&image.pixels);
            scratch.context.put_image_data(&scratch.image, 0.0, 0.0).map_err(|_| "putImageData failed".to_string())?;
            self.context
                .draw_image_with_html_canvas_element(&scratch.canvas, left as f64, top as f64)
                .map_err(|_| "drawImage failed".to_string())
        })
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

/// Draws `plot` alone, as [`draw_plots`] draws it.
pub fn draw_one(view: &mut PlotView, session: &Session, canvases: &[Vec<HtmlCanvasElement>], plot: Plot) -> DrawResult<()> {
    let layers = canvases.get(plot.index()).map_or(&[][..], Vec::as_slice);
    draw_plot(view, session, plot, layers, &mut None)
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
    // The loss curve's and the coefficients' frame: drawn again only when its axes change.
    if let (Some(key), true) = (drawing.frame_key(size), canvases.len() > 1) {
        if view.frame_changed(plot, key) {
            let root = backend(bottom)?.into_drawing_area();
            drawing.draw_top(&root, transform, &mut CanvasBlit { context: context(bottom)? }, Layers::Frame)?;
        }
        let root = backend(top)?.into_drawing_area();
        return drawing.draw_top(&root, transform, &mut CanvasBlit { context: foreground }, Layers::Data);
    }
    let root = backend(top)?.into_drawing_area();
    let mut blit = CanvasBlit { context: foreground };
    drawing.draw_top(&root, transform, &mut blit, Layers::Both)
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
