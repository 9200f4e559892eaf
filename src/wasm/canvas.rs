//! Canvas glue of the boundary: puts the plots of [`crate::render`] on the page's canvases.
//! Static layers are drawn only when [`Layers`] says so; moving layers every call.

use crate::objective::Theta;
use crate::render::layers::{predictions, run_paths, unregularized_optimum, Layers};
use crate::render::loss_curve::LossScene;
use crate::render::surface::SurfaceScene;
use crate::render::{fit, loss_curve, surface, Blit, DrawResult, RgbaImage};
use crate::session::Session;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

/// The page's canvases: two stacked layers for the surface and the data plot, one for the loss.
pub struct Canvases<'a> {
    pub surface_static: &'a HtmlCanvasElement,
    pub surface_moving: &'a HtmlCanvasElement,
    pub fit_static: &'a HtmlCanvasElement,
    pub fit_moving: &'a HtmlCanvasElement,
    pub loss: &'a HtmlCanvasElement,
}

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
}

fn size(canvas: &HtmlCanvasElement) -> (u32, u32) {
    (canvas.width(), canvas.height())
}

/// Draws the three plots.
pub fn draw_all(layers: &mut Layers, session: &Session, c: &Canvases) -> DrawResult<()> {
    let sizes = [size(c.surface_static), size(c.fit_static)];
    if sizes.iter().chain([size(c.loss)].iter()).any(|&(w, h)| w < 8 || h < 8) {
        return Ok(()); // not laid out yet
    }
    let view = layers.surface_view(session);
    if layers.needs_static(sizes) {
        draw_static(layers, session, c, view)?;
        layers.drawn(sizes);
    }
    let scale = layers.scale();
    let paths = run_paths(session, layers.scrub);

    if let Some(t) = layers.surface_transform {
        let (w, h) = size(c.surface_moving);
        context(c.surface_moving)?.clear_rect(0.0, 0.0, w as f64, h as f64);
        let root = backend(c.surface_moving)?.into_drawing_area();
        surface::draw_moving(&root, &t, &paths, session.theta_start(), scale)?;
    }
    if let Some(t) = layers.fit_transform {
        let (w, h) = size(c.fit_moving);
        context(c.fit_moving)?.clear_rect(0.0, 0.0, w as f64, h as f64);
        let root = backend(c.fit_moving)?.into_drawing_area();
        let lines: Vec<(usize, Theta)> = session
            .runs()
            .iter()
            .enumerate()
            .zip(&paths)
            .map(|((i, run), path)| (i, session.to_original_scale(*path.thetas.last().unwrap_or(&run.theta()))))
            .collect();
        fit::draw_moving(&root, &t, &lines, scale)?;
    }
    let optimum_loss = session.optimum().ok().map(|o| o.loss);
    let predictions = if layers.show_prediction { predictions(session) } else { Vec::new() };
    let root = backend(c.loss)?.into_drawing_area();
    loss_curve::draw(&root, &LossScene { paths: &paths, optimum_loss, predictions, scale })
}

fn draw_static(layers: &mut Layers, session: &Session, c: &Canvases, view: [[f64; 2]; 2]) -> DrawResult<()> {
    let scale = layers.scale();
    let objective = session.objective();
    let optimum = session.optimum().ok();
    let lambda = objective.regularization().lambda();
    let regularization_path = if lambda > 0.0 {
        objective.regularization_path(4.0 * lambda, 120).into_iter().map(|(_, t)| t).collect()
    } else {
        Vec::new()
    };
    let scene = SurfaceScene {
        objective,
        optimum,
        unregularized_optimum: unregularized_optimum(session),
        regularization_path,
        curvature: objective.curvature(),
        view,
        scale,
        show_eigen_directions: layers.show_eigen_directions,
    };
    let root = backend(c.surface_static)?.into_drawing_area();
    let mut blit = CanvasBlit { context: context(c.surface_static)? };
    layers.surface_transform = Some(surface::draw_static(&root, &scene, &mut blit)?);

    let fit_scene = fit::FitScene {
        data: session.original_data(),
        optimum: optimum.map(|o| session.to_original_scale(o.theta)),
        scale,
    };
    let root = backend(c.fit_static)?.into_drawing_area();
    let mut blit = CanvasBlit { context: context(c.fit_static)? };
    layers.fit_transform = Some(fit::draw_static(&root, &fit_scene, &mut blit)?);
    Ok(())
}

