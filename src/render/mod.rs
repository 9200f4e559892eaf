//! Drawing with plotters, generic over the backend: the page draws to canvas, the command line
//! and the tests to SVG and bitmaps.

pub mod canvas;

use crate::objective::Theta;

/// Drawing caches and view state of the page: what the static layers show and whether they must
/// be redrawn.
#[derive(Debug, Clone)]
pub struct Layers {
    pixel_ratio: f64,
    dirty: bool,
}

impl Default for Layers {
    fn default() -> Self {
        Layers { pixel_ratio: 1.0, dirty: true }
    }
}

impl Layers {
    /// The data or the objective changed: redraw the static layers and refit the view.
    pub fn invalidate(&mut self) {
        self.dirty = true;
    }
    /// The start point changed: refit the view.
    pub fn invalidate_view(&mut self) {
        self.dirty = true;
    }
    /// Device pixels per CSS pixel.
    pub fn set_pixel_ratio(&mut self, ratio: f64) {
        self.pixel_ratio = ratio;
        self.dirty = true;
    }
    /// θ under a point of the surface canvas, in CSS pixels.
    pub fn surface_point_to_theta(&self, _x: f64, _y: f64) -> Option<Theta> {
        None
    }
    /// Data coordinates under a point of the data canvas, in CSS pixels.
    pub fn fit_point_to_data(&self, _x: f64, _y: f64) -> Option<(f64, f64)> {
        None
    }
}
