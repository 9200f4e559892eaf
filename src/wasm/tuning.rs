//! The tuning tools' side of the boundary: the learning-rate range test and the stability map's
//! check against real runs, each done a few updates at a time so that the page spreads it over
//! frames, and their plots on canvases. The handle's methods in [`super`] call these.

use super::canvas::{backend, blit_onto};
use crate::descent::range_test::{RangeFinder, RangeSettings, RangeTest};
use crate::descent::optimizer::Optimizer;
use crate::descent::rate_map::{self, Caveat, MapSettings, MeasuredRate, MomentumOptimum, PlainBest};
use crate::descent::run::RunConfig;
use crate::error::{Error, Range, Result};
use crate::least_squares::objective::{Objective, Theta};
use crate::render::primitives::{Scale, ViewTransform};
use crate::render::range_plot::{self, RangeScene, TheoryRates};
use crate::render::rate_map_plot::{self, RateMapScene};
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
    /// The stability map and its check against real runs.
    map: Option<MapUnderWay>,
    /// Where (η, μ) lie on the map as last drawn.
    map_transform: Option<ViewTransform>,
}

/// Rows and columns of the grid of real runs the map is checked against.
pub(super) const CHECK_GRID: usize = 16;

/// The stability map of the session's objective, and its check under way: the (η, μ) of the
/// grid of real runs, and what has been measured of them so far.
struct MapUnderWay {
    spectrum: Vec<f64>,
    lr_range: [f64; 2],
    momentum_range: [f64; 2],
    optimum: Option<MomentumOptimum>,
    plain_best: Option<PlainBest>,
    lr_critical: f64,
    objective: Objective,
    start: Theta,
    fingerprint: u64,
    /// The grid's points, rows of momenta, each row's rates across.
    points: Vec<(f64, f64)>,
    /// The theory's rate at each point.
    theory: Vec<f64>,
    /// The measurements so far, in the order of `points`.
    measured: Vec<(f64, f64, Option<MeasuredRate>)>,
}

/// How the measured rates agree with the theory, over the cells measured so far.
#[derive(Serialize, Default)]
struct Agreement {
    /// Cells where both converge (theory ≤ 0.99) and the rate is measured, not bounded.
    compared: usize,
    /// The median and the largest |measured − theory| over them.
    median_gap: Option<f64>,
    max_gap: Option<f64>,
    /// Cells the theory says diverge (rate ≥ 1.01), and how many of them did.
    predicted_divergent: usize,
    diverged: usize,
}

/// The stability map as the page reads it.
#[derive(Serialize)]
pub(super) struct MapReport {
    lr_range: [f64; 2],
    momentum_range: [f64; 2],
    optimum: Option<MomentumOptimum>,
    plain_best: Option<PlainBest>,
    lr_critical: f64,
    eigenvalues: Vec<f64>,
    /// Why the map does not describe run 1 exactly (empty when it does).
    caveats: Vec<Caveat>,
    /// Run 1's (η, μ), when it is plain descent or heavy-ball momentum.
    current: Option<(f64, f64)>,
    /// Real runs measured so far, of `total`.
    measured: usize,
    total: usize,
    done: bool,
    agreement: Agreement,
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

/// Run 1's (η, μ) when it is plain descent (μ = 0) or heavy-ball momentum.
fn current_point(session: &Session) -> Option<(f64, f64)> {
    let config = session.runs().first()?.config();
    match config.optimizer {
        Optimizer::Sgd => Some((config.learning_rate, 0.0)),
        Optimizer::Momentum { momentum } => Some((config.learning_rate, momentum)),
        _ => None,
    }
}

impl MapUnderWay {
    fn of(session: &Session) -> Result<Self> {
        let curvature = session.curvature();
        let spectrum = curvature.spectrum.clone();
        let settings = MapSettings::default();
        let lr_range = settings.lr_range_for(&spectrum)?;
        // The runs sit at the centres of a 16 × 16 tiling of the map, off its edges.
        let cells = CHECK_GRID as f64;
        let half_step = (lr_range[1] / lr_range[0]).powf(0.5 / cells);
        let [low, high] = settings.momentum_range;
        let inset = (high - low) / (2.0 * cells);
        let check = MapSettings {
            lr_range: Some([lr_range[0] * half_step, lr_range[1] / half_step]),
            momentum_range: [low + inset, high - inset],
            grid: [CHECK_GRID, CHECK_GRID],
        };
        let grid = rate_map::rate_map(&spectrum, &check)?;
        let points: Vec<(f64, f64)> = grid.momenta.iter().flat_map(|&mu| grid.lrs.iter().map(move |&lr| (lr, mu))).collect();
        let theory = grid.rates.iter().flatten().copied().collect();
        Ok(MapUnderWay {
            spectrum,
            lr_range,
            momentum_range: settings.momentum_range,
            optimum: grid.optimum,
            plain_best: grid.plain_best,
            lr_critical: grid.lr_critical,
            objective: *session.objective(),
            start: session.theta_start(),
            fingerprint: session.data().fingerprint(),
            measured: Vec::with_capacity(points.len()),
            points,
            theory,
        })
    }

    fn is_current(&self, session: &Session) -> bool {
        self.fingerprint == session.data().fingerprint() && self.objective == *session.objective() && self.start == session.theta_start()
    }

    fn agreement(&self) -> Agreement {
        let mut gaps = Vec::new();
        let mut agreement = Agreement::default();
        for ((_, _, measured), &theory) in self.measured.iter().zip(&self.theory) {
            let Some(m) = measured else { continue };
            if theory >= 1.01 {
                agreement.predicted_divergent += 1;
                agreement.diverged += usize::from(m.rate >= 1.0);
            } else if theory <= 0.99 && !m.bound && !m.diverged {
                gaps.push((m.rate - theory).abs());
            }
        }
        gaps.sort_by(f64::total_cmp);
        agreement.compared = gaps.len();
        agreement.median_gap = gaps.get(gaps.len() / 2).copied();
        agreement.max_gap = gaps.last().copied();
        agreement
    }
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
        self.range = None;
        self.range_transform = None;
    }

    /// Starts the stability map of the session's objective, and its check against real runs.
    pub(super) fn map_start(&mut self, session: &Session) -> Result<()> {
        self.map = Some(MapUnderWay::of(session)?);
        Ok(())
    }

    /// Measures up to `count` more of the check's real runs (all anew if the session changed);
    /// whether all are measured.
    pub(super) fn map_measure(&mut self, session: &Session, count: u32) -> Result<bool> {
        let Some(map) = self.map.as_mut() else {
            return Err(Error::invalid("stability-map", "not started", Range::ValidSetting));
        };
        if !map.is_current(session) {
            *map = MapUnderWay::of(session)?;
        }
        for _ in 0..count {
            let Some(&(lr, momentum)) = map.points.get(map.measured.len()) else { break };
            let measured = rate_map::measure_rate(&map.objective, lr, momentum, map.start)?;
            map.measured.push((lr, momentum, measured));
        }
        Ok(map.measured.len() >= map.points.len())
    }

    /// The map's report, handed to `with` (none before it is started).
    pub(super) fn map_report<T>(&self, session: &Session, with: impl FnOnce(Option<&MapReport>) -> T) -> T {
        let Some(map) = &self.map else { return with(None) };
        let caveats = session.runs().first().map_or_else(Vec::new, |run| {
            rate_map::caveats(run.config(), session.data().len(), &session.objective().regularization())
        });
        let report = MapReport {
            lr_range: map.lr_range,
            momentum_range: map.momentum_range,
            optimum: map.optimum,
            plain_best: map.plain_best,
            lr_critical: map.lr_critical,
            eigenvalues: map.spectrum.clone(),
            caveats,
            current: current_point(session),
            measured: map.measured.len(),
            total: map.points.len(),
            done: map.measured.len() >= map.points.len(),
            agreement: map.agreement(),
        };
        with(Some(&report))
    }

    /// Draws the map on `canvas`, the heat image through `blit`.
    pub(super) fn map_draw(&mut self, session: &Session, scale: Scale, canvas: &HtmlCanvasElement) -> Result<()> {
        let Some(map) = &self.map else { return Ok(()) };
        let scene = RateMapScene {
            spectrum: &map.spectrum,
            lr_range: map.lr_range,
            momentum_range: map.momentum_range,
            optimum: map.optimum,
            plain_best: map.plain_best,
            current: current_point(session),
            measured: &map.measured,
            scale,
        };
        let drawing = |message: String| Error::Drawing { message };
        let mut blit = blit_onto(canvas).map_err(drawing)?;
        let root = backend(canvas).map_err(drawing)?.into_drawing_area();
        let transform = rate_map_plot::draw(&root, &scene, &mut blit).map_err(drawing)?;
        root.present().map_err(|e| drawing(format!("{e:?}")))?;
        self.map_transform = Some(transform);
        Ok(())
    }

    /// The (η, μ) under a device pixel of the map, none outside it.
    pub(super) fn map_point_at(&self, x: f64, y: f64) -> Option<(f64, f64)> {
        self.map_transform.as_ref().and_then(|t| rate_map_plot::point_at(t, x, y))
    }

    /// Forgets the map.
    pub(super) fn map_clear(&mut self) {
        self.map = None;
        self.map_transform = None;
    }
}
