//! The 3-D view of data of two feature columns, as the view keeps it between frames: whether
//! the data plot is 3-D, the box it shows and the angle it is seen from.

use super::primitives::padded;
use crate::least_squares::data::{Dataset, Layout};

/// Whether the data plot is the 3-D view: data of exactly two feature columns.
pub fn is_3d(data: &Dataset) -> bool {
    data.layout() == Layout::Rows { d: 2 }
}

/// The view angle of the 3-D data plot, in radians: `yaw` turns the box about its vertical
/// (y) axis, `pitch` tilts it towards or away from the viewer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ViewAngle {
    /// Turn about the vertical axis, kept in [−π, π).
    pub yaw: f64,
    /// Tilt, within [−[`ViewAngle::MAX_PITCH`], [`ViewAngle::MAX_PITCH`]].
    pub pitch: f64,
}

impl ViewAngle {
    /// Largest tilt either way (about 80°): short of edge-on, where the box flattens to a line.
    pub const MAX_PITCH: f64 = 1.4;
    /// The angle the 3-D view starts at: a little from the side and from above.
    pub const DEFAULT: ViewAngle = ViewAngle { yaw: 0.6, pitch: 0.35 };

    /// This angle turned by `d_yaw` and tilted by `d_pitch`, the pitch clamped to
    /// ±[`ViewAngle::MAX_PITCH`]; unchanged when either is not finite.
    pub fn rotated(self, d_yaw: f64, d_pitch: f64) -> ViewAngle {
        if !(d_yaw.is_finite() && d_pitch.is_finite()) {
            return self;
        }
        let pi = std::f64::consts::PI;
        let yaw = (self.yaw + d_yaw + pi).rem_euclid(2.0 * pi) - pi;
        let pitch = (self.pitch + d_pitch).clamp(-Self::MAX_PITCH, Self::MAX_PITCH);
        if !(yaw.is_finite() && pitch.is_finite()) {
            return self;
        }
        ViewAngle { yaw, pitch }
    }
}

impl Default for ViewAngle {
    fn default() -> Self {
        ViewAngle::DEFAULT
    }
}

/// The box the 3-D view shows: the x₁, x₂ and y ranges of the points, each with a margin.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Box3d {
    /// Range of the first feature column.
    pub x1: [f64; 2],
    /// Range of the second feature column.
    pub x2: [f64; 2],
    /// Range of y.
    pub y: [f64; 2],
}

/// What both layers of the 3-D view are drawn in: the box and the view angle.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame3d {
    /// The data box.
    pub bounds: Box3d,
    /// The view angle.
    pub angle: ViewAngle,
}

/// The box of the 3-D view of `data` (its first two columns and y), with margins.
pub fn box_3d(data: &Dataset) -> Box3d {
    let range = |values: &[f64], pad: f64| {
        let (lo, hi) = values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| (lo.min(v), hi.max(v)));
        if !(lo.is_finite() && hi.is_finite()) {
            return [-1.0, 1.0];
        }
        padded(lo, hi, pad, 1e-9_f64.max(lo.abs().max(hi.abs()) * 1e-9))
    };
    let columns = data.columns();
    let column = |j: usize| columns.get(j).map_or([-1.0, 1.0], |c| range(c, 0.06));
    Box3d { x1: column(0), x2: column(1), y: range(data.ys(), 0.08) }
}
