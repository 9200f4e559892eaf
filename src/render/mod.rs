//! Drawing with plotters, generic over the backend: the page draws to canvas (through the
//! boundary in [`crate::wasm`]), the command line and the tests to SVG and bitmaps.
//!
//! Each plot has a static layer (redrawn only when the data, the objective or the view change)
//! and a moving layer (redrawn each frame). Dense layers (the heatmap, the scatter) are rendered
//! as RGBA pixels in Rust ([`RgbaImage`]) and handed to a [`Blit`], which on the page is one
//! `putImageData`/`drawImage` call instead of one canvas call per cell or point.
//!
//! Inside, imports run one way, bottom first (`tests/module_layers.rs` holds the files to this
//! list as it holds the crate to the crate root's):
//!
//! 1. [`text`], [`primitives`], [`plot`], [`run_path`], [`resolution`], [`iteration_lines`],
//!    [`view3d`]: the primitives. The words of the plots; colours, scale, pixel rectangles,
//!    views, images and blits; which plots there are; a run as the plots draw it; trajectories
//!    and lines at screen resolution; the loss curves and coefficient lines kept between frames;
//!    the 3-D data plot's box and angle.
//! 2. [`view`]: the view, what the plots show and what they last drew.
//! 3. [`surface`], [`fit`], [`loss_curve`], [`coefficients`], [`range_plot`], [`rate_map_plot`]:
//!    the plot modules (the range test's and the stability map's are drawn on demand, in dialogs).
//! 4. [`scenes`]: the plot registry, what each plot draws from the session and the view.
//! 5. [`export`]: the plots written to files.
//!
//! This file only declares them and names the ones the front ends use most.

pub mod text;
pub mod primitives;
pub mod plot;
pub mod run_path;
pub mod resolution;
pub mod iteration_lines;
pub mod view3d;

pub mod view;

pub mod coefficients;
pub mod fit;
pub mod loss_curve;
pub mod range_plot;
pub mod rate_map_plot;
pub mod surface;

pub mod scenes;

#[cfg(not(target_arch = "wasm32"))]
pub mod export;

pub use plot::Plot;
pub use primitives::{
    clip_segment, labels_across, labels_along, run_color, BackendBlit, Blit, DrawResult, PixelRect, RgbaImage, Scale,
    ViewTransform, RUN_COLORS,
};
pub use resolution::draw_line;
pub use run_path::{drawing_order, RunPath};
pub use scenes::{Background, Foreground};
pub use text::{Label, Language};
pub use view::PlotView;
