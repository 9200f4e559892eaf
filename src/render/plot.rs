//! The plots, listed once: each one's name (also the file stem of `gdviz plot`) and how many
//! stacked canvases it draws on. What each draws is in [`super::scenes`].

use crate::error::{Error, Result};
use serde::Serialize;

/// A plot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plot {
    /// The loss surface with the trajectories.
    Surface,
    /// The data with the fitted lines.
    Fit,
    /// The loss curve.
    Loss,
    /// The coefficients per iteration.
    Coefficients,
}

/// A plot as the page lists it: its name and how many stacked canvases it draws on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PlotInfo {
    /// "surface", "fit", "loss" or "coefficients".
    pub name: &'static str,
    /// 4 for the surface, 2 for the others (see [`Plot::layers`]).
    pub layers: usize,
}

impl Plot {
    /// Every plot, in the page's order.
    pub const ALL: [Plot; 4] = [Plot::Surface, Plot::Fit, Plot::Loss, Plot::Coefficients];

    /// "surface", "fit", "loss" or "coefficients" (also the file stem of `gdviz plot`).
    pub fn name(&self) -> &'static str {
        match self {
            Plot::Surface => "surface",
            Plot::Fit => "fit",
            Plot::Loss => "loss",
            Plot::Coefficients => "coefficients",
        }
    }

    /// The plot called `name`.
    pub fn from_name(name: &str) -> Result<Plot> {
        Plot::ALL
            .into_iter()
            .find(|p| p.name() == name)
            .ok_or_else(|| Error::unknown_choice("plot", name, Plot::ALL.iter().map(Plot::name)))
    }

    /// Position in [`Plot::ALL`].
    pub fn index(&self) -> usize {
        *self as usize
    }

    /// How many stacked canvases the plot draws on: the surface four (background, the
    /// trajectories' halo and lines, kept between frames, and a foreground), the others two
    /// (the data plot's background and foreground; the loss curve's and the coefficients'
    /// frame, redrawn when their axes change, and their lines, every frame).
    pub fn layers(&self) -> usize {
        match self {
            Plot::Surface => 4,
            Plot::Fit | Plot::Loss | Plot::Coefficients => 2,
        }
    }

    /// Name and layer count.
    pub fn info(&self) -> PlotInfo {
        PlotInfo { name: self.name(), layers: self.layers() }
    }
}
