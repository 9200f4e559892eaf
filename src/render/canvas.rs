//! Drawing onto the page's canvases.

use super::Layers;
use crate::session::Session;
use web_sys::HtmlCanvasElement;

/// The page's canvases.
pub struct Canvases<'a> {
    pub surface_static: &'a HtmlCanvasElement,
    pub surface_moving: &'a HtmlCanvasElement,
    pub fit_static: &'a HtmlCanvasElement,
    pub fit_moving: &'a HtmlCanvasElement,
    pub loss: &'a HtmlCanvasElement,
}

/// Draws the three plots (stub).
pub fn draw_all(_layers: &mut Layers, _session: &Session, _canvases: &Canvases) -> Result<(), String> {
    Ok(())
}
