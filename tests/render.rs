//! Native tests of the drawing code: the same functions the page uses, on plotters' SVG and
//! bitmap backends.

use gdviz::render::export::{draw_plot, ensure_font, write_plots};
use gdviz::render::Plot;
use gdviz::render::surface::equal_aspect;
use gdviz::render::{clip_segment, decimate, PixelRect, Scale, ViewTransform};
use gdviz::{data, Regularization, RunConfig, Session, Theta};
use plotters::prelude::*;

fn session(lr: f64, steps: u64) -> Session {
    let data = data::preset("clean").unwrap().settings.generate().unwrap();
    let n = data.len();
    let mut s = Session::new(data, Regularization::None, RunConfig::full_batch(lr, n), Theta::default()).unwrap();
    s.step(steps);
    s
}

#[test]
fn clipping_keeps_inside_segments_and_cuts_crossing_ones() {
    let b = ([0.0, 1.0], [0.0, 1.0]);
    // Inside: unchanged.
    assert_eq!(clip_segment((0.2, 0.2), (0.8, 0.5), b.0, b.1), Some(((0.2, 0.2), (0.8, 0.5))));
    // Crossing the right edge at x = 1: from (0.5, 0.5) to (1.5, 0.5) → (1, 0.5).
    assert_eq!(clip_segment((0.5, 0.5), (1.5, 0.5), b.0, b.1), Some(((0.5, 0.5), (1.0, 0.5))));
    // Diagonal through the whole box from (-1,-1) to (2,2): cut to (0,0)–(1,1).
    let ((x0, y0), (x1, y1)) = clip_segment((-1.0, -1.0), (2.0, 2.0), b.0, b.1).unwrap();
    assert!((x0.abs() + y0.abs()) < 1e-12 && (x1 - 1.0).abs() < 1e-12 && (y1 - 1.0).abs() < 1e-12);
    // Outside, and non-finite: nothing.
    assert_eq!(clip_segment((2.0, 2.0), (3.0, 5.0), b.0, b.1), None);
    assert_eq!(clip_segment((0.5, 0.5), (f64::INFINITY, 0.5), b.0, b.1), None);
    assert_eq!(clip_segment((0.5, 0.5), (1e308, -1e308), b.0, b.1).map(|s| s.0), Some((0.5, 0.5)));
}

#[test]
fn view_transform_maps_corners_and_back() {
    let t = ViewTransform { rect: PixelRect { left: 10, top: 20, width: 100, height: 50 }, x: [0.0, 2.0], y: [-1.0, 1.0] };
    assert_eq!(t.to_pixel(0.0, 1.0), (10.0, 20.0)); // top-left
    assert_eq!(t.to_pixel(2.0, -1.0), (110.0, 70.0)); // bottom-right
    let (x, y) = t.to_data(60.0, 45.0).unwrap(); // centre
    assert!((x - 1.0).abs() < 1e-12 && y.abs() < 1e-12);
    assert_eq!(t.to_data(5.0, 45.0), None);
    // A diverging path is clipped at the view's edge, not drawn to i32 overflow.
    let lines = t.polylines([(1.0, 0.0), (1e200, 0.0)]);
    assert_eq!(lines, vec![vec![(60, 45), (110, 45)]]);
}

#[test]
fn equal_aspect_gives_both_axes_the_same_units_per_pixel() {
    let rect = PixelRect { left: 0, top: 0, width: 400, height: 200 };
    let v = equal_aspect([[0.0, 1.0], [0.0, 1.0]], rect);
    let (ux, uy) = ((v[0][1] - v[0][0]) / 400.0, (v[1][1] - v[1][0]) / 200.0);
    assert!((ux - uy).abs() < 1e-15, "{ux} vs {uy}");
    // The original window is kept inside.
    assert!(v[0][0] <= 0.0 && v[0][1] >= 1.0 && v[1][0] <= 0.0 && v[1][1] >= 1.0);
}

#[test]
fn decimate_keeps_first_and_last() {
    let v: Vec<u32> = (0..1000).collect();
    let d = decimate(&v, 100);
    assert!(d.len() <= 101);
    assert_eq!(d.first(), Some(&0));
    assert_eq!(d.last(), Some(&999));
}

/// Counts pixels whose colour differs from white.
fn non_white(buffer: &[u8]) -> usize {
    buffer.chunks_exact(3).filter(|p| p != &[255, 255, 255]).count()
}

#[test]
fn each_plot_draws_on_a_bitmap() {
    ensure_font().expect("a TrueType font (fonts-dejavu-core)");
    let s = session(0.1, 30);
    for plot in [Plot::Surface, Plot::Fit, Plot::Loss] {
        let (w, h) = (480u32, 360u32);
        let mut buffer = vec![255u8; (w * h * 3) as usize];
        {
            let root = BitMapBackend::with_buffer(&mut buffer, (w, h)).into_drawing_area();
            draw_plot(&root, &s, plot, Scale::default()).unwrap();
            root.present().unwrap();
        }
        let coloured = non_white(&buffer);
        // The surface is a full heatmap (most pixels coloured); the other two are mostly white
        // with axes, points and lines (a few thousand pixels at least).
        let min = if plot == Plot::Surface { (w * h / 3) as usize } else { 2_000 };
        assert!(coloured > min, "{:?}: only {coloured} coloured pixels", plot);
    }
}

#[test]
fn svg_output_has_axis_titles_and_the_optimum() {
    ensure_font().expect("a TrueType font (fonts-dejavu-core)");
    let s = session(0.1, 30);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (480, 360)).into_drawing_area();
        draw_plot(&root, &s, Plot::Surface, Scale::default()).unwrap();
        root.present().unwrap();
    }
    assert!(svg.contains("θ0 (intercept)"), "x axis title missing");
    assert!(svg.contains("θ1 (slope)"), "y axis title missing");
    assert!(svg.contains("θ*"), "optimum label missing");
    assert!(svg.contains("<image"), "heatmap image missing");
}

#[test]
fn a_diverged_run_draws_without_nan() {
    ensure_font().expect("a TrueType font (fonts-dejavu-core)");
    let data = data::preset("clean").unwrap().settings.generate().unwrap();
    let n = data.len();
    let probe = Session::new(data.clone(), Regularization::None, RunConfig::full_batch(0.1, n), Theta::default()).unwrap();
    let lr = 1.5 * probe.curvature().lr_critical;
    let mut s = Session::new(data, Regularization::None, RunConfig::full_batch(lr, n), Theta::default()).unwrap();
    s.step(10_000);
    assert_eq!(s.runs()[0].status(), gdviz::Status::Diverged);
    for plot in [Plot::Surface, Plot::Fit, Plot::Loss] {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (480, 360)).into_drawing_area();
            draw_plot(&root, &s, plot, Scale::default()).unwrap();
            root.present().unwrap();
        }
        assert!(!svg.contains("NaN") && !svg.contains("inf"), "{plot:?} has a non-finite number");
    }
}

#[test]
fn write_plots_writes_three_svgs_and_three_pngs() {
    let dir = tempfile::tempdir().unwrap();
    let s = session(0.1, 30);
    let written = write_plots(&s, dir.path(), 400, 300).unwrap();
    assert_eq!(written.len(), 6);
    for name in ["surface", "fit", "loss"] {
        let svg = std::fs::read_to_string(dir.path().join(format!("{name}.svg"))).unwrap();
        assert!(svg.starts_with("<svg"), "{name}.svg is not an SVG");
        let png = std::fs::read(dir.path().join(format!("{name}.png"))).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{name}.png is not a PNG");
    }
}

/// The extent (larger side) of the surface view the page would show after each step.
fn view_extents(session: &mut Session, steps: usize) -> (f64, f64) {
    let mut layers = gdviz::render::PlotView::default();
    let extent = |v: [[f64; 2]; 2]| (v[0][1] - v[0][0]).max(v[1][1] - v[1][0]);
    let first = extent(layers.surface_view(session));
    let mut last = first;
    for _ in 0..steps {
        session.step(1);
        last = extent(layers.surface_view(session));
    }
    (first, last)
}

#[test]
fn a_diverging_comparison_run_does_not_zoom_the_surface_out() {
    let data = data::preset("clean").unwrap().settings.generate().unwrap();
    let n = data.len();
    let probe = Session::new(data.clone(), Regularization::None, RunConfig::full_batch(0.1, n), Theta::default()).unwrap();
    let critical = probe.curvature().lr_critical;
    // Alone, a run at 1.5 × the critical rate is followed: the view grows with it.
    let mut alone = Session::new(data.clone(), Regularization::None, RunConfig::full_batch(1.5 * critical, n), Theta::default()).unwrap();
    let (first, last) = view_extents(&mut alone, 40);
    assert!(last > 8.0 * first, "a lone diverging run is followed: {first} → {last}");
    // Beside a converging run (0.5 × critical) the view stays on the converging one.
    let mut both = Session::new(data, Regularization::None, RunConfig::full_batch(0.5 * critical, n), Theta::default()).unwrap();
    both.add_run(RunConfig::full_batch(1.5 * critical, n)).unwrap();
    let (first, last) = view_extents(&mut both, 40);
    assert!(last < 2.0 * first, "the view stays on the converging run: {first} → {last}");
}

#[test]
fn escaping_runs_are_drawn_first_and_run_one_last() {
    use gdviz::render::{drawing_order, RunPath};
    let path = |index: usize, first: f64, last: f64| RunPath {
        index,
        thetas: vec![Theta::default()],
        losses: vec![(0.0, first), (1.0, last)],
        gradients: None,
        label: String::new(),
    };
    // Run 3 (index 2) climbs from J = 1 to 50: beneath. Then runs 2, 1 in reverse order.
    let paths = [path(0, 1.0, 0.5), path(1, 1.0, 0.2), path(2, 1.0, 50.0)];
    let order: Vec<usize> = drawing_order(&paths).iter().map(|p| p.index).collect();
    assert_eq!(order, vec![2, 1, 0]);
    let paths = [path(0, 1.0, f64::INFINITY), path(1, 1.0, 0.2)];
    let order: Vec<usize> = drawing_order(&paths).iter().map(|p| p.index).collect();
    assert_eq!(order, vec![0, 1]);
}

#[test]
fn the_plots_are_listed_once_with_their_layers() {
    let names: Vec<(&str, usize)> = Plot::ALL.iter().map(|p| (p.name(), p.layers())).collect();
    assert_eq!(names, [("surface", 2), ("fit", 2), ("loss", 1)]);
    for plot in Plot::ALL {
        assert_eq!(Plot::from_name(plot.name()).unwrap(), plot);
    }
    assert_eq!(Plot::from_name("contour").unwrap_err().to_string(), "plot must be one of surface, fit, loss, got \"contour\"");
}

#[test]
fn a_background_is_redrawn_only_when_the_view_says_so() {
    use gdviz::render::PlotView;
    let mut s = session(0.1, 30);
    let mut view = PlotView::default();
    for plot in Plot::ALL {
        assert!(view.needs_background(plot, (400, 300)));
        view.drawn(plot, (400, 300), None);
        assert!(!view.needs_background(plot, (400, 300)));
        assert!(view.needs_background(plot, (401, 300)), "a new size needs a new background");
    }
    // Stepping inside the window changes no background; a new start point refits them all.
    view.surface_view(&s);
    view.drawn(Plot::Surface, (400, 300), None);
    s.step(1);
    view.surface_view(&s);
    assert!(!view.needs_background(Plot::Surface, (400, 300)));
    view.invalidate();
    assert!(Plot::ALL.iter().all(|&p| view.needs_background(p, (400, 300))));
    assert_eq!(view.surface_window(), None);
}
