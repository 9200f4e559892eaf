//! The tuning tools' side of the boundary: the learning-rate range test, run a few updates at a
//! time so that the page spreads it over frames, and its plot on a canvas. The handle's methods
//! in [`super`] call these.

use super::canvas::backend;
use crate::descent::range_test::{RangeFinder, RangeSettings, RangeTest};
use crate::descent::run::RunConfig;
use crate::error::{Error, Range, Result};
use crate::least_squares::objective::Objective;
use crate::render::primitives::{Scale, ViewTransform};
use crate::render::range_plot::{self, RangeScene, TheoryRates};
use crate::session::Session;
use plotters::prelude::*;
use serde::Serialize;
use web_sys::HtmlCanvasElement;

/// The tuning tools' state between calls.
#[derive(Default)]
pub(super) struct Tuning {
    /// The range test under way or done, with what it was started on.
    range: Option<RangeUnderWay>,
    /// Where rates lie on the range test's plot as last drawn.
    range_transform: Option<ViewTransform>,
}

/// A range test and the session it belongs to: the data's fingerprint, the objective, run 1's
/// settings and the start (when any of them changes, the test starts over).
struct RangeUnderWay {
    finder: RangeFinder,
    fingerprint: u64,
    objective: Objective,
    config: RunConfig,
    start: Vec<f64>,
}

impl RangeUnderWay {
    fn of(session: &Session, settings: RangeSettings) -> Result<Self> {
        let finder = session.range_finder(0, settings)?;
        Ok(RangeUnderWay {
            finder,
            fingerprint: session.data().fingerprint(),
            objective: *session.objective(),
            config: *session.run(0)?.config(),
            start: session.theta_start().as_slice().to_vec(),
        })
    }

    /// Whether the test still belongs to `session` as it is.
    fn is_current(&self, session: &Session) -> bool {
        let Some(run) = session.runs().first() else { return false };
        self.fingerprint == session.data().fingerprint()
            && self.objective == *session.objective()
            && self.config == *run.config()
            && self.start == session.theta_start().as_slice()
    }
}

/// The range test as the page reads it: the curve and suggestions, and what to compare them
/// with.
#[derive(Serialize)]
pub(super) struct RangeReport<'a> {
    #[serde(flatten)]
    test: &'a RangeTest,
    /// Updates taken so far.
    taken: usize,
    /// Whether the test has stopped.
    done: bool,
    /// The theory's rates [1/λmax, 2/(λmin+λmax), 2/λmax], when run 1 is full-batch plain descent.
    theory: Option<[f64; 3]>,
    /// Run 1's learning rate.
    current: f64,
}

/// The theory's rates of full-batch plain descent, when run 1 is that.
fn theory_rates(session: &Session) -> Option<TheoryRates> {
    let config = session.runs().first()?.config();
    let plain = config.optimizer.is_plain() && config.batch_size >= session.data().len();
    let curvature = session.curvature();
    plain.then_some(TheoryRates { monotone: curvature.lr_monotone, optimal: curvature.lr_optimal, critical: curvature.lr_critical })
}

/// Run 1's learning rate.
fn current_rate(session: &Session) -> f64 {
    session.runs().first().map_or(f64::NAN, |r| r.config().learning_rate)
}

impl Tuning {
    /// Starts a range test with run 1's settings from the common start.
    pub(super) fn range_start(&mut self, session: &Session, start: f64, end: f64, num_it: f64, beta: f64, stop_factor: f64) -> Result<()> {
        Range::IntegerIn { lo: 6.0, hi: 10_000.0 }.check("num-it", num_it)?;
        let settings = RangeSettings { start, end, num_it: num_it as usize, beta, stop_factor };
        self.range = Some(RangeUnderWay::of(session, settings)?);
        Ok(())
    }

    /// Up to `updates` more updates (the test starts over if the session changed under it);
    /// whether it has stopped.
    pub(super) fn range_advance(&mut self, session: &Session, updates: u32) -> Result<bool> {
        let Some(range) = self.range.as_mut() else {
            return Err(Error::invalid("range-test", "not started", Range::ValidSetting));
        };
        if !range.is_current(session) {
            *range = RangeUnderWay::of(session, *range.finder.settings())?;
        }
        session.advance_range_finder(&mut range.finder, updates as usize);
        Ok(range.finder.is_done())
    }

    /// The report of the test so far (none before one is started), handed to `with`.
    pub(super) fn range_report<T>(&self, session: &Session, with: impl FnOnce(Option<&RangeReport>) -> T) -> T {
        let Some(range) = &self.range else { return with(None) };
        let test = range.finder.result(session.objective());
        let theory = theory_rates(session).map(|t| [t.monotone, t.optimal, t.critical]);
        let report = RangeReport { test: &test, taken: range.finder.taken(), done: range.finder.is_done(), theory, current: current_rate(session) };
        with(Some(&report))
    }

    /// Draws the range test's plot on `canvas`.
    pub(super) fn range_draw(&mut self, session: &Session, scale: Scale, canvas: &HtmlCanvasElement) -> Result<()> {
        let Some(range) = &self.range else { return Ok(()) };
        let test = range.finder.result(session.objective());
        let scene = RangeScene { test: &test, theory: theory_rates(session), current: current_rate(session), scale };
        let drawing = |message: String| Error::Drawing { message };
        let root = backend(canvas).map_err(drawing)?.into_drawing_area();
        let transform = range_plot::draw(&root, &scene).map_err(drawing)?;
        root.present().map_err(|e| drawing(format!("{e:?}")))?;
        self.range_transform = Some(transform);
        Ok(())
    }

    /// The learning rate under a device pixel of the range test's plot, NaN outside it.
    pub(super) fn range_rate_at(&self, x: f64, y: f64) -> f64 {
        self.range_transform.as_ref().and_then(|t| range_plot::rate_at(t, x, y)).unwrap_or(f64::NAN)
    }

    /// Forgets the range test.
    pub(super) fn range_clear(&mut self) {
        *self = Tuning::default();
    }
}
