//! Native tests of the drawing code: the same functions the page uses, on plotters' SVG and
//! bitmap backends.

use gdviz::render::export::{draw_plot, ensure_font, write_plots};
use gdviz::render::Plot;
use gdviz::render::surface::equal_aspect;
use gdviz::render::iteration_lines::{moving_mean, smoothing_window};
use gdviz::render::resolution::{m4, Trail};
use gdviz::descent::run::HistoryPoint;
use gdviz::render::{clip_segment, PixelRect, Scale, ViewTransform};
use gdviz::least_squares::data;
use gdviz::{Regularization, RunConfig, Session, Theta};
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
fn m4_keeps_per_column_the_first_the_lowest_the_highest_and_the_last() {
    // Columns by ⌊x⌋: column 0 holds (0.1, 5) (0.3, 1) (0.5, 9) (0.7, 4) (0.9, 6): first 5,
    // lowest 1, highest 9, last 6, all four in order; column 1 holds one point; column 2
    // holds a monotone pair (first = lowest, last = highest).
    let points: [(f64, f64); 8] = [(0.1, 5.0), (0.3, 1.0), (0.5, 9.0), (0.7, 4.0), (0.9, 6.0), (1.5, 2.0), (2.1, 3.0), (2.6, 8.0)];
    let kept = m4(&points, |p| p.0.floor() as i64, |p| p.1);
    assert_eq!(kept, vec![(0.1, 5.0), (0.3, 1.0), (0.5, 9.0), (0.9, 6.0), (1.5, 2.0), (2.1, 3.0), (2.6, 8.0)]);
    // A spike one point wide survives among a million flat points.
    let mut flat: Vec<(f64, f64)> = (0..1_000_000).map(|i| (i as f64 / 1000.0, 1.0)).collect();
    flat[654_321].1 = 1e6;
    let kept = m4(&flat, |p| p.0.floor() as i64, |p| p.1);
    assert!(kept.len() <= 4 * 1000, "{} points kept", kept.len());
    assert!(kept.contains(&(654.321, 1e6)));
}

/// The polylines a [`Trail`] keeps of `points` (data = pixels of a `size` view), taken in
/// `chunks` updates.
fn trail(points: &[(f64, f64)], size: u32, chunks: usize) -> Vec<Vec<(i32, i32)>> {
    let s = size as f64;
    let t = ViewTransform { rect: PixelRect { left: 0, top: 0, width: size as i32, height: size as i32 }, x: [0.0, s], y: [0.0, s] };
    let history: Vec<HistoryPoint> = points
        .iter()
        .enumerate()
        .map(|(i, &(x, y))| HistoryPoint { iteration: i as u64, epoch: 0, theta: Theta::new(x, y), loss: 1.0, grad_norm: 1.0, lr: 0.1 })
        .collect();
    let mut trail = Trail::default();
    let start = history[0].theta;
    for c in 1..=chunks {
        trail.update(&history[..history.len() * c / chunks], 1, start, (0, 1), &t, (size, size));
    }
    trail.lines().to_vec()
}

/// A seeded random walk of `steps` steps of about `step` pixels around (cx, cy).
/// (iteration, J) of a noisy descent: J = 2 + |a random walk| at each of `steps` + 1 iterations.
fn noisy_losses(steps: usize, seed: u64) -> Vec<(f64, f64)> {
    random_walk(steps, 0.05, (0.0, 0.0), seed).iter().enumerate().map(|(i, &(_, y))| (i as f64, 2.0 + y.abs())).collect()
}

/// The history of a path through `walk`, one point an iteration.
fn walk_history(walk: &[(f64, f64)]) -> Vec<HistoryPoint> {
    walk.iter()
        .enumerate()
        .map(|(i, &(x, y))| HistoryPoint { iteration: i as u64, epoch: 0, theta: Theta::new(x, y), loss: 1.0, grad_norm: 1.0, lr: 0.1 })
        .collect()
}

/// A recorded point at iteration `k` of three coefficients that move at different speeds.
fn coefficient_point(k: u64) -> HistoryPoint {
    let x = k as f64;
    HistoryPoint { iteration: k, epoch: k, theta: Theta::from_slice("theta", &[x.sin(), (x / 7.0).cos(), 1.0 / (1.0 + x)]).unwrap(), loss: 1.0, grad_norm: 1.0, lr: 0.1 }
}

fn random_walk(steps: usize, step: f64, centre: (f64, f64), seed: u64) -> Vec<(f64, f64)> {
    use rand_chacha::rand_core::{RngCore, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let mut unit = || (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
    let (mut x, mut y) = centre;
    let mut out = vec![(x, y)];
    for _ in 0..steps {
        // Drift back to the centre keeps the walk in a region, as SGD near θ*.
        x += step * unit() * 2.0 - 0.01 * (x - centre.0);
        y += step * unit() * 2.0 - 0.01 * (y - centre.1);
        out.push((x, y));
    }
    out
}

#[test]
fn a_path_draws_at_most_one_segment_per_pixel_whatever_its_length() {
    // A walk that stays within about ±25 px of the centre: far fewer pixels than steps.
    let walk = random_walk(200_000, 1.5, (100.0, 100.0), 3);
    let kept = trail(&walk, 200, 1);
    let segments: usize = kept.iter().map(|l| l.len() - 1).sum();
    assert!(segments < walk.len() / 20, "{segments} segments kept of {}", walk.len());
    let pixels: std::collections::HashSet<(i32, i32)> = walk.iter().map(|p| (p.0.round() as i32, p.1.round() as i32)).collect();
    assert!(segments <= pixels.len(), "{segments} segments for {} pixels", pixels.len());
    // Taken in over 1,000 frames, the trail is the one drawn at once.
    assert_eq!(trail(&walk, 200, 1_000), kept);
}

#[test]
fn a_trail_cut_at_a_step_is_the_trail_of_the_points_up_to_it_and_marks_give_every_new_line() {
    let walk = random_walk(20_000, 1.3, (100.0, 100.0), 11);
    let s = 200.0;
    let t = ViewTransform { rect: PixelRect { left: 0, top: 0, width: 200, height: 200 }, x: [0.0, s], y: [0.0, s] };
    let history = walk_history(&walk);
    let start = history[0].theta;
    let mut live = Trail::default();
    assert!(live.update(&history, 1, start, (0, 1), &t, (200, 200)), "a first update starts afresh");
    for m in [1usize, 2, 57, 4_000, 19_999, 20_001] {
        let mut fresh = Trail::default();
        fresh.update(&history[..m], 1, start, (0, 1), &t, (200, 200));
        assert_eq!(live.lines_until(history[m - 1].iteration), fresh.lines(), "cut at {m} points");
    }
    // Frame by frame: the lines since each mark, drawn one after another, are the whole trail.
    let mut trail = Trail::default();
    let mut drawn: Vec<Vec<(i32, i32)>> = Vec::new();
    let mut mark = trail.mark();
    for m in (0..=history.len()).step_by(733).chain([history.len()]) {
        let restarted = trail.update(&history[..m], 1, start, (0, 1), &t, (200, 200));
        assert_eq!(restarted, m == 0, "only the first update starts afresh");
        for line in trail.lines_since(mark) {
            match drawn.last_mut() {
                Some(last) if last.last() == line.first() && trail.lines().iter().any(|l| l.starts_with(last) && l.len() > last.len()) => {
                    last.extend_from_slice(&line[1..])
                }
                _ => drawn.push(line),
            }
        }
        mark = trail.mark();
    }
    assert_eq!(drawn, trail.lines());
    // Another view starts afresh.
    let t2 = ViewTransform { x: [0.0, 2.0 * s], ..t };
    assert!(trail.update(&history, 1, start, (0, 1), &t2, (200, 200)));
}

#[test]
fn a_loss_curve_kept_between_frames_is_the_one_decimated_at_once() {
    use gdviz::render::iteration_lines::{axis_end, moving_mean, Columns, CurveCache};
    // The axis end moves in steps: 1.02 × 9,800 = 9,996 → 10,000; 1.02 × 10,000 → 12,500.
    assert_eq!(axis_end(9_800.0), 10_000.0);
    assert_eq!(axis_end(10_000.0), 12_500.0);
    assert_eq!(axis_end(3.0), 10.0);
    let losses = noisy_losses(30_000, 21);
    for log in [false, true] {
        let columns = Columns { left: 72.0, right: 470.0, end: axis_end(30_000.0), log };
        let mut cache = CurveCache::default();
        let mut last = None;
        for m in (1..=losses.len()).step_by(977).chain([losses.len()]) {
            last = Some(cache.update(&losses[..m], None, Some(50), 1, columns).unwrap());
        }
        let kept = last.unwrap();
        let column = |p: &(f64, f64)| columns.of(p.0);
        assert_eq!(kept.raw, m4(&losses, column, |p| p.1), "log axis {log}: raw");
        let mean = moving_mean(&losses, 50);
        assert_eq!(kept.mean.unwrap(), m4(&mean, column, |p| p.1), "log axis {log}: mean");
        // Another history (a restart) starts afresh.
        let other: Vec<(f64, f64)> = losses.iter().map(|&(k, j)| (k, j + 1.0)).collect();
        assert_eq!(cache.update(&other, None, None, 1, columns).unwrap().raw, m4(&other, column, |p| p.1));
        // The live state after the recorded points is drawn, not kept.
        let (recorded, live) = losses.split_at(losses.len() - 1);
        let with_tail = cache.update(recorded, Some(live[0]), Some(50), 1, columns).unwrap();
        assert_eq!(with_tail.raw, m4(&losses, column, |p| p.1));
        assert_eq!(with_tail.mean.unwrap(), m4(&moving_mean(&losses, 50), column, |p| p.1));
        assert_eq!(cache.update(&losses, None, Some(50), 1, columns).unwrap().raw, m4(&losses, column, |p| p.1));
        // A J that is not finite is refused, so that the caller leaves it out.
        let mut bad = losses.clone();
        bad[100].1 = f64::INFINITY;
        assert_eq!(CurveCache::default().update(&bad, None, None, 1, columns), None);
    }
}

/// Whether every pixel of `a` has, at most one pixel away (in x, in y, or both), a pixel of `b`
/// of the same colour: the largest position error between two drawings of the same picture.
/// Each pixel counts as the colour of `palette` nearest to it (anti-aliased edges blend), and
/// pixels of the first colour (the background) are not checked.
fn within_one_pixel(a: &[u8], b: &[u8], (w, h): (u32, u32), palette: &[[u8; 3]]) -> Result<(), String> {
    let class = |buf: &[u8], x: i64, y: i64| -> Option<usize> {
        if x < 0 || y < 0 || x >= w as i64 || y >= h as i64 {
            return None;
        }
        let i = ((y * w as i64 + x) * 3) as usize;
        let d = |c: &[u8; 3]| (0..3).map(|k| (buf[i + k] as i32 - c[k] as i32).pow(2)).sum::<i32>();
        (0..palette.len()).min_by_key(|&k| d(&palette[k]))
    };
    for y in 0..h as i64 {
        for x in 0..w as i64 {
            let c = class(a, x, y).unwrap();
            if c == 0 {
                continue;
            }
            let near = (-1..=1).any(|dy| (-1..=1).any(|dx| class(b, x + dx, y + dy) == Some(c)));
            if !near {
                return Err(format!("pixel ({x}, {y}) of colour {:?} has no match within one pixel", palette[c]));
            }
        }
    }
    Ok(())
}

#[test]
fn a_long_noisy_path_and_curve_draw_within_one_pixel_of_their_full_drawing() {
    let size = (240u32, 240u32);
    let background = [120u8, 120, 140];
    let colour = RGBColor(213, 94, 0);
    let t = ViewTransform { rect: PixelRect { left: 0, top: 0, width: 240, height: 240 }, x: [0.0, 240.0], y: [0.0, 240.0] };
    // The trajectory: a long descent into a noisy cloud, drawn as the surface draws it (a white
    // halo under the line).
    let mut path: Vec<(f64, f64)> = (0..400).map(|i| (20.0 + i as f64 * 0.25, 220.0 - i as f64 * 0.25)).collect();
    path.extend(random_walk(50_000, 1.2, (120.0, 120.0), 9));
    let full = t.polylines(path.iter().copied());
    let draw_path = |lines: &[Vec<(i32, i32)>]| {
        let mut buffer = vec![0u8; (size.0 * size.1 * 3) as usize];
        {
            let root = BitMapBackend::with_buffer(&mut buffer, size).into_drawing_area();
            root.fill(&RGBColor(background[0], background[1], background[2])).unwrap();
            // The halo along every segment (the same in both drawings), then the lines.
            for line in &full {
                root.draw(&PathElement::new(line.clone(), ShapeStyle::from(&WHITE).stroke_width(4))).unwrap();
            }
            // Round joins and caps, as the page strokes them (a miter join would spike).
            for line in lines {
                for pair in line.windows(2) {
                    root.draw(&PathElement::new(pair.to_vec(), ShapeStyle::from(&colour).stroke_width(2))).unwrap();
                }
                for &p in line {
                    root.draw(&Circle::new(p, 1, colour.filled())).unwrap();
                }
            }
        }
        buffer
    };
    let kept = trail(&path, size.0, 7);
    let vertices = |lines: &[Vec<(i32, i32)>]| lines.iter().map(Vec::len).sum::<usize>();
    assert!(vertices(&kept) * 5 < vertices(&full), "{} of {} vertices kept", vertices(&kept), vertices(&full));
    let (a, b) = (draw_path(&full), draw_path(&kept));
    let palette = [background, [255, 255, 255], [213, 94, 0]];
    within_one_pixel(&a, &b, size, &palette).expect("decimated path against full");
    within_one_pixel(&b, &a, size, &palette).expect("full path against decimated");

    // The loss curve: 100,000 noisy points with spikes over 240 columns.
    let curve: Vec<(f64, f64)> = random_walk(100_000, 0.02, (0.0, 0.0), 5)
        .iter()
        .enumerate()
        .map(|(i, &(_, y))| (i as f64, 1.0 + y + if i % 9_973 == 0 { 3.0 } else { 0.0 }))
        .collect();
    // Pixels of the plotting area: x from 0 to 100,000 over 240 columns, y from 6 down to −2.
    let to_pixel = |p: &(f64, f64)| ((p.0 / 100_000.0 * 240.0).round() as i32, ((6.0 - p.1) / 8.0 * 240.0).round() as i32);
    let draw_curve = |points: &[(f64, f64)]| {
        let mut buffer = vec![255u8; (size.0 * size.1 * 3) as usize];
        {
            let root = BitMapBackend::with_buffer(&mut buffer, size).into_drawing_area();
            let line: Vec<(i32, i32)> = points.iter().map(to_pixel).collect();
            for pair in line.windows(2) {
                root.draw(&PathElement::new(pair.to_vec(), ShapeStyle::from(&colour).stroke_width(2))).unwrap();
            }
            for &p in &line {
                root.draw(&Circle::new(p, 1, colour.filled())).unwrap();
            }
        }
        buffer
    };
    let column = |p: &(f64, f64)| (p.0 / 100_000.0 * 240.0).floor() as i64;
    let decimated = m4(&curve, column, |p| p.1);
    assert!(decimated.len() <= 4 * (size.0 as usize + 1), "{} points", decimated.len());
    let (a, b) = (draw_curve(&curve), draw_curve(&decimated));
    let palette = [[255, 255, 255], [213, 94, 0]];
    within_one_pixel(&a, &b, size, &palette).expect("decimated curve against full");
    within_one_pixel(&b, &a, size, &palette).expect("full curve against decimated");
}

#[test]
fn the_moving_mean_averages_the_last_window_of_iterations() {
    // The window: one epoch, at most a tenth of k, at least 1.
    assert_eq!(smoothing_window(50, 20_000.0), 50.0);
    assert_eq!(smoothing_window(1_000_000, 20_000.0), 2_000.0);
    assert_eq!(smoothing_window(50, 5.0), 1.0);
    // J = k at iterations 0..=40, epoch of 2 updates: from k = 20 on the window is 2, so the
    // mean over (k − 2, k] is (k − 1 + k)/2 = k − 0.5; below k = 20 it is 1: J itself.
    let losses: Vec<(f64, f64)> = (0..=40).map(|k| (k as f64, k as f64)).collect();
    let mean = moving_mean(&losses, 2);
    assert_eq!(mean[10], (10.0, 10.0));
    assert_eq!(mean[30], (30.0, 29.5));
    // An epoch of 1000 updates: at k = 40 the window is 4: (37 + 38 + 39 + 40)/4 = 38.5.
    assert_eq!(moving_mean(&losses, 1000)[40], (40.0, 38.5));
    // A thinned history (every 4th iteration recorded), k = 80, epoch 8: the window (72, 80]
    // holds the recorded points 76 and 80 with J = 2 and 6: mean 4.
    let thinned: Vec<(f64, f64)> = (0..=20).map(|i| (4.0 * i as f64, if i % 2 == 0 { 6.0 } else { 2.0 })).collect();
    assert_eq!(moving_mean(&thinned, 8)[20], (80.0, 4.0));
}

/// Counts pixels whose colour differs from white.
fn non_white(buffer: &[u8]) -> usize {
    buffer.chunks_exact(3).filter(|p| p != &[255, 255, 255]).count()
}

#[test]
fn each_plot_draws_on_a_bitmap() {
    ensure_font().expect("a TrueType font (fonts-dejavu-core)");
    let s = session(0.1, 30);
    for plot in Plot::ALL {
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
fn write_plots_writes_an_svg_and_a_png_of_every_plot() {
    let dir = tempfile::tempdir().unwrap();
    let s = session(0.1, 30);
    let written = write_plots(&s, dir.path(), 400, 300).unwrap();
    assert_eq!(written.len(), 8);
    for name in ["surface", "fit", "loss", "coefficients"] {
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
        current: Theta::default(),
        tail: None,
        stride: 1,
        losses: Box::leak(Box::new([(0.0, first), (1.0, last)])),
        gradients: None,
        batches_per_epoch: None,
        label: String::new(),
        search: None,
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
    assert_eq!(names, [("surface", 4), ("fit", 2), ("loss", 2), ("coefficients", 2)]);
    for plot in Plot::ALL {
        assert_eq!(Plot::from_name(plot.name()).unwrap(), plot);
    }
    assert_eq!(
        Plot::from_name("contour").unwrap_err().to_string(),
        "plot must be one of surface, fit, loss, coefficients, got \"contour\""
    );
}

/// The loss plot's and the coefficient plot's frame is drawn once and kept while its key stays the
/// same: a frame drawn for a later state with the same key has the same pixels, the frame and the
/// data drawn one over the other have the pixels of one drawing of both, and neither holds the
/// other.
#[test]
fn a_kept_frame_has_the_pixels_of_a_frame_drawn_every_step() {
    use gdviz::descent::schedule::Schedule;
    use gdviz::render::primitives::Layers;
    use gdviz::render::scenes::run_paths;
    use gdviz::render::{BackendBlit, Language, PlotView};
    ensure_font().expect("a TrueType font (fonts-dejavu-core)");
    let size = (400u32, 300u32);
    let draw = |s: &Session, view: &mut PlotView, plot: Plot, layers: &[Layers]| {
        let paths = run_paths(s, None, Language::English);
        let foreground = plot.foreground(s, view, &paths, size);
        let key = foreground.frame_key(size).expect("a frame key");
        let mut buffer = vec![255u8; (size.0 * size.1 * 3) as usize];
        {
            let root = BitMapBackend::with_buffer(&mut buffer, size).into_drawing_area();
            for &part in layers {
                foreground.draw_top(&root, None, &mut BackendBlit { area: &root }, part).unwrap();
            }
        }
        (key, buffer)
    };
    // Plain descent with the theory's prediction; mini-batches (faint raw lines under their
    // mean); a decaying rate (the rate axis on the right) on log iterations.
    let data = || data::preset("noisy").unwrap().settings.generate().unwrap();
    let n = data().len();
    let mut decaying = RunConfig::full_batch(0.3, n);
    decaying.schedule = Schedule::with_defaults("exponential").unwrap();
    let cases = [
        (RunConfig::full_batch(0.05, n), false),
        (RunConfig { batch_size: 5, ..RunConfig::full_batch(0.02, n) }, false),
        (decaying, true),
    ];
    for (config, log) in cases {
        let mut s = Session::new(data(), Regularization::None, config, Theta::default()).unwrap();
        let mut view = PlotView::default();
        view.show_prediction = true;
        view.log_iterations = log;
        for plot in [Plot::Loss, Plot::Coefficients] {
            let (_, both) = draw(&s, &mut view, plot, &[Layers::Both]);
            let (_, layered) = draw(&s, &mut view, plot, &[Layers::Frame, Layers::Data]);
            assert!(both == layered, "{plot:?}: the frame and the data, one over the other, are one drawing of both");
            assert!(draw(&s, &mut view, plot, &[Layers::Frame]).1 != both, "{plot:?}: the frame holds no data");
            assert!(draw(&s, &mut view, plot, &[Layers::Data]).1 != both, "{plot:?}: the data hold no frame");
        }
        let (mut kept, mut same, mut changed) = ([None, None], 0, 0);
        for _ in 0..60 {
            s.step(1);
            for (k, plot) in [Plot::Loss, Plot::Coefficients].into_iter().enumerate() {
                let (key, frame) = draw(&s, &mut view, plot, &[Layers::Frame]);
                match &kept[k] {
                    Some((before, pixels)) if *before == key => {
                        assert!(*pixels == frame, "{plot:?} at step {}: the same key, the same frame", s.runs()[0].iteration());
                        same += 1;
                    }
                    _ => changed += 1,
                }
                kept[k] = Some((key, frame));
            }
        }
        // With a constant rate most steps keep the frame: the iteration axis's end (10, 12.5,
        // 15, 20, 25, 30, 40, 50, 60) moves it now and then. A decaying rate moves the rate
        // axis, and with it the loss plot's frame, at every step.
        if !log {
            assert!(same >= 100 && (10..=20).contains(&changed), "kept {same} times, drawn {changed} times");
        }
    }
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

/// A session on the tutorial's two features, y = 2·x1 + 3·x2 + ε.
fn two_feature_session() -> Session {
    let preset = data::feature_preset("two-features").unwrap();
    let mut columns = preset.generate(100, preset.noise, 1).unwrap();
    let ys = columns.pop().unwrap();
    let data = gdviz::Dataset::with_features(columns, ys, gdviz::Features::Columns).unwrap();
    let mut s = Session::new(data, Regularization::None, RunConfig::full_batch(0.1, 100), Theta::zeros(3)).unwrap();
    s.step(30);
    s
}

#[test]
fn several_features_draw_the_chosen_plane_and_predicted_against_observed() {
    ensure_font().expect("a TrueType font (fonts-dejavu-core)");
    let s = two_feature_session();
    for plot in [Plot::Surface, Plot::Fit, Plot::Loss] {
        let (w, h) = (480u32, 360u32);
        let mut buffer = vec![255u8; (w * h * 3) as usize];
        {
            let root = BitMapBackend::with_buffer(&mut buffer, (w, h)).into_drawing_area();
            draw_plot(&root, &s, plot, Scale::default()).unwrap();
            root.present().unwrap();
        }
        let min = if plot == Plot::Surface { (w * h / 3) as usize } else { 2_000 };
        assert!(non_white(&buffer) > min, "{plot:?}");
    }
    // The surface is over (θ1, θ2) for two feature columns; the data plot is the 3-D view
    // (predicted against observed is for three or more columns).
    let text = |plot| {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (480, 360)).into_drawing_area();
            draw_plot(&root, &s, plot, Scale::default()).unwrap();
            root.present().unwrap();
        }
        svg
    };
    let surface = text(Plot::Surface);
    // θ1 of a model of several features is no line's slope: θ₁ and θ₂ by their symbols.
    assert!(surface.contains("θ₁") && surface.contains("θ₂") && !surface.contains("slope"), "the axes of θ1 and θ2");
    let fit = text(Plot::Fit);
    assert!(fit.contains("x₁") && fit.contains("x₂") && !fit.contains("predicted ŷ"));
}

#[test]
fn the_predictions_and_the_polynomial_curve_are_the_model_s() {
    use gdviz::render::fit::{line_pixels, predictions};
    let s = two_feature_session();
    let data = s.data();
    let theta = Theta::from_slice("theta", &[0.5, 2.0, -1.0]).unwrap();
    for (i, p) in predictions(data, theta).iter().enumerate() {
        let by_hand = 0.5 + 2.0 * data.columns()[0][i] - data.columns()[1][i];
        assert!((p - by_hand).abs() < 1e-12);
    }
    // y = 1 − x + 0.5·x²: every pixel of the drawn curve lies within a pixel of it.
    let t = ViewTransform { rect: PixelRect { left: 0, top: 0, width: 300, height: 200 }, x: [-2.0, 2.0], y: [-1.0, 5.0] };
    let theta = Theta::from_slice("theta", &[1.0, -1.0, 0.5]).unwrap();
    let lines = line_pixels(&t, theta);
    // Only the vertices a line within a quarter pixel of the 151 samples needs, and every point
    // along the polyline, not only its vertices, within a pixel of the curve.
    let vertices = lines.iter().map(Vec::len).sum::<usize>();
    assert!((10..100).contains(&vertices), "{vertices} vertices");
    let points: Vec<(f64, f64)> = lines
        .iter()
        .flat_map(|line| line.windows(2))
        .flat_map(|w| (0..=10).map(move |k| {
            let f = k as f64 / 10.0;
            (w[0].0 as f64 + f * (w[1].0 - w[0].0) as f64, w[0].1 as f64 + f * (w[1].1 - w[0].1) as f64)
        }))
        .collect();
    assert!(points.len() > 100, "sampled along the view");
    for (px, py) in points {
        let (x, y) = t.to_data(px, py).unwrap();
        let curve = 1.0 - x + 0.5 * x * x;
        let per_pixel = (t.y[1] - t.y[0]) / t.rect.height as f64;
        // Within a pixel of the curve, allowing for its slope over half a pixel of x.
        let slack = per_pixel + (x - 1.0).abs() * (t.x[1] - t.x[0]) / t.rect.width as f64;
        assert!((y - curve).abs() <= slack + per_pixel, "({x}, {y}) vs {curve}");
    }
}

#[test]
fn the_plane_s_directions_are_its_hessian_s_eigenvectors() {
    let s = two_feature_session();
    for axes in [(1, 2), (0, 2), (2, 0)] {
        let (plane, _) = s.objective().pair_loss(axes);
        let gdviz::least_squares::objective::PairLoss::Plane { hessian: h, .. } = plane else { panic!("a plane for {axes:?}") };
        let [v_min, v_max] = plane.directions();
        let eigen = |v: Theta| {
            let hv = [h[0][0] * v[0] + h[0][1] * v[1], h[1][0] * v[0] + h[1][1] * v[1]];
            let lambda = hv[0] * v[0] + hv[1] * v[1];
            assert!((hv[0] - lambda * v[0]).abs() < 1e-12 && (hv[1] - lambda * v[1]).abs() < 1e-12, "{axes:?}: H v ∥ v");
            assert!((v.norm() - 1.0).abs() < 1e-14);
            lambda
        };
        assert!(eigen(v_min) <= eigen(v_max));
    }
}

#[test]
fn coefficient_lines_kept_between_frames_are_the_ones_decimated_at_once() {
    use gdviz::render::iteration_lines::CoefficientCache;
    let mut s = two_feature_session();
    let mut kept = CoefficientCache::default();
    for _ in 0..30 {
        s.step(97);
        let run = &s.runs()[0];
        let history = run.history().points();
        let last = run.iteration();
        let frame = kept.lines(history, run.history().stride(), last, 300, true);
        let fresh = CoefficientCache::default().lines(history, run.history().stride(), last, 300, true);
        assert_eq!(frame, fresh, "after {last} steps");
        assert_eq!(frame.lines.len(), 3);
        // At most four points per pixel column and coefficient.
        assert!(frame.lines.iter().all(|l| l.len() <= 4 * 301));
    }
}

/// The data plot of `session` drawn whole through the SVG backend with `view`.
fn fit_svg(session: &Session, view: &gdviz::render::PlotView) -> String {
    use gdviz::render::BackendBlit;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (480, 360)).into_drawing_area();
        Plot::Fit.draw_still(&root, session, view, &mut BackendBlit { area: &root }).unwrap();
        root.present().unwrap();
    }
    svg
}

/// A session on `n` points of two feature columns on the plane y = 2·x1 + 3·x2.
fn plane_session(n: usize) -> Session {
    let x1: Vec<f64> = (0..n).map(|i| (i as f64 * 0.37).sin()).collect();
    let x2: Vec<f64> = (0..n).map(|i| (i as f64 * 0.91).cos()).collect();
    let ys = x1.iter().zip(&x2).map(|(a, b)| 2.0 * a + 3.0 * b).collect();
    let data = gdviz::Dataset::with_features(vec![x1, x2], ys, gdviz::Features::Columns).unwrap();
    Session::new(data, Regularization::None, RunConfig::full_batch(0.1, n), Theta::zeros(3)).unwrap()
}

#[test]
fn two_feature_columns_draw_a_3d_view_that_turns_with_the_view_angle() {
    use gdviz::render::PlotView;
    ensure_font().expect("a TrueType font (fonts-dejavu-core)");
    let s = two_feature_session();
    let mut view = PlotView::still(&s, Scale::default());
    let front = fit_svg(&s, &view);
    let texts: Vec<&str> = front.lines().map(str::trim).collect();
    assert!(["x₁", "y", "x₂"].iter().all(|name| texts.contains(name)), "the three axes are named");
    assert!(!front.contains("predicted ŷ"));
    // Each of the 100 points is a dot; run 1's plane is drawn in its colour (vermillion).
    assert_eq!(front.matches("<circle").count(), 100);
    assert!(front.to_uppercase().contains("#D55E00"), "run 1's plane");
    view.rotate_fit(0.8, 0.3);
    let turned = fit_svg(&s, &view);
    assert_ne!(front, turned, "turning the view changes the drawing");
    assert_eq!(turned.matches("<circle").count(), 100);
}

#[test]
fn the_3d_view_draws_at_most_two_thousand_points_of_many() {
    ensure_font().expect("a TrueType font (fonts-dejavu-core)");
    // 10 000 points: every 5th, 2 000 of them.
    let s = plane_session(10_000);
    let svg = fit_svg(&s, &gdviz::render::PlotView::still(&s, Scale::default()));
    assert_eq!(svg.matches("<circle").count(), 2_000);
    assert_eq!(gdviz::render::fit::MAX_POINTS_3D, 2_000);
}

#[test]
fn rotate_fit_clamps_the_pitch_and_ignores_non_finite_turns() {
    use gdviz::render::view3d::ViewAngle;
    use gdviz::render::PlotView;
    let mut view = PlotView::default();
    let start = ViewAngle { yaw: 0.6, pitch: 0.35 };
    assert_eq!(view.fit_angle(), start);
    for plot in Plot::ALL {
        view.drawn(plot, (400, 300), None);
    }
    for (d_yaw, d_pitch) in [(f64::NAN, 0.0), (0.0, f64::NAN), (f64::INFINITY, 0.1), (0.1, f64::NEG_INFINITY), (f64::NAN, f64::INFINITY)] {
        view.rotate_fit(d_yaw, d_pitch);
        assert_eq!(view.fit_angle(), start, "({d_yaw}, {d_pitch}) changes nothing");
    }
    assert!(Plot::ALL.iter().all(|&p| !view.needs_background(p, (400, 300))), "and redraws nothing");
    // Tilted far past the top: held at 1.4 rad; only the data plot is redrawn.
    view.rotate_fit(0.0, 100.0);
    assert_eq!(view.fit_angle().pitch, 1.4);
    assert!(view.needs_background(Plot::Fit, (400, 300)));
    assert!([Plot::Surface, Plot::Loss, Plot::Coefficients].iter().all(|&p| !view.needs_background(p, (400, 300))));
    view.rotate_fit(0.0, -1e300);
    assert_eq!(view.fit_angle().pitch, -1.4);
    // A small turn adds up; a full turn of yaw is no turn.
    view.rotate_fit(0.1, 0.2);
    assert!((view.fit_angle().yaw - 0.7).abs() < 1e-12 && (view.fit_angle().pitch + 1.2).abs() < 1e-12);
    view.rotate_fit(2.0 * std::f64::consts::PI, 0.0);
    assert!((view.fit_angle().yaw - 0.7).abs() < 1e-12);
    view.rotate_fit(1e300, 0.0);
    let yaw = view.fit_angle().yaw;
    assert!(yaw.is_finite() && (-std::f64::consts::PI..std::f64::consts::PI).contains(&yaw));
}

#[test]
fn positions_on_the_3d_view_map_to_no_data_point() {
    use gdviz::render::scenes::run_paths;
    use gdviz::render::{BackendBlit, Foreground, Language, PlotView};
    ensure_font().expect("a TrueType font (fonts-dejavu-core)");
    let size = (480u32, 360u32);
    let mut view = PlotView::default();
    // The canvas's order: the background (when needed), its transform, then the foreground.
    let frame = |s: &Session, view: &mut PlotView| {
        let mut svg = String::new();
        let root = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        let background = Plot::Fit.background(s, view).unwrap();
        let t = background.draw(&root, &mut BackendBlit { area: &root }).unwrap();
        view.drawn(Plot::Fit, size, Some(t));
        let transform = view.transform(Plot::Fit);
        let paths = run_paths(s, None, Language::English);
        let foreground = Plot::Fit.foreground(s, view, &paths, size);
        let is_3d = matches!(foreground, Foreground::Fit { frame: Some(_), .. });
        foreground.draw_top(&root, transform, &mut BackendBlit { area: &root }, gdviz::render::primitives::Layers::Both).unwrap();
        is_3d
    };
    let two = two_feature_session();
    assert!(frame(&two, &mut view));
    assert_eq!(view.transform(Plot::Fit), None, "no transform, so nearest_point finds no point");
    assert_eq!(view.fit_point_to_data(240.0, 180.0), None);
    // Point edits are refused for two columns anyway.
    assert!(two.original_data().clone().add_point(0.0, 0.0).is_err());
    // Back to one x column: the middle of the plot maps to data again.
    let one = session(0.1, 10);
    assert!(!frame(&one, &mut view));
    assert!(view.transform(Plot::Fit).is_some());
    assert!(view.fit_point_to_data(240.0, 180.0).is_some());
}

#[test]
fn a_plane_is_cut_to_the_box_and_its_wireframe_lies_on_it() {
    use gdviz::render::fit::{plane_polygon, plane_wireframe};
    use gdviz::render::view3d::Box3d;
    let b = Box3d { x1: [0.0, 1.0], x2: [0.0, 1.0], y: [0.0, 1.0] };
    let theta = |t: [f64; 3]| Theta::from_slice("theta", &t).unwrap();
    // ŷ = x₁ spans the box's y range exactly: the whole square (points are (x₁, y, x₂)).
    assert_eq!(plane_polygon(&b, theta([0.0, 1.0, 0.0])), vec![(0.0, 0.0, 0.0), (1.0, 1.0, 0.0), (1.0, 1.0, 1.0), (0.0, 0.0, 1.0)]);
    // ŷ = 0.5 + x₁ + x₂ leaves through the top where x₁ + x₂ = 0.5: a triangle.
    let cut = plane_polygon(&b, theta([0.5, 1.0, 1.0]));
    let expected = [(0.0, 0.5, 0.0), (0.5, 1.0, 0.0), (0.0, 1.0, 0.5)];
    assert_eq!(cut.len(), 3);
    for (p, q) in cut.iter().zip(expected) {
        assert!((p.0 - q.0).abs() + (p.1 - q.1).abs() + (p.2 - q.2).abs() < 1e-12, "{p:?} vs {q:?}");
    }
    // The wireframe: 7 lines each way, every end inside the box and on the plane.
    let lines = plane_wireframe(&b, theta([0.2, 0.3, 0.4]), 7);
    assert_eq!(lines.len(), 14);
    for end in lines.iter().flatten() {
        assert!((0.0..=1.0).contains(&end.0) && (0.0..=1.0).contains(&end.1) && (0.0..=1.0).contains(&end.2));
        assert!((end.1 - (0.2 + 0.3 * end.0 + 0.4 * end.2)).abs() < 1e-12);
    }
    // A plane above the box, a non-finite one: nothing.
    assert!(plane_polygon(&b, theta([5.0, 0.0, 0.0])).is_empty() && plane_wireframe(&b, theta([5.0, 0.0, 0.0]), 7).is_empty());
    let diverged = Theta::from_slice("theta", &[f64::NAN, 1.0, 1.0]);
    if let Ok(t) = diverged {
        assert!(plane_polygon(&b, t).is_empty() && plane_wireframe(&b, t, 7).is_empty());
    }
}

#[test]
fn three_feature_columns_still_draw_predicted_against_observed() {
    ensure_font().expect("a TrueType font (fonts-dejavu-core)");
    let n = 50;
    let column = |k: f64| (0..n).map(|i| (i as f64 * k).sin()).collect::<Vec<f64>>();
    let (x1, x2, x3) = (column(0.37), column(0.91), column(1.3));
    let ys = (0..n).map(|i| x1[i] - 2.0 * x2[i] + 0.5 * x3[i]).collect();
    let data = gdviz::Dataset::with_features(vec![x1, x2, x3], ys, gdviz::Features::Columns).unwrap();
    let s = Session::new(data, Regularization::None, RunConfig::full_batch(0.1, n), Theta::zeros(4)).unwrap();
    let svg = fit_svg(&s, &gdviz::render::PlotView::still(&s, Scale::default()));
    assert!(svg.contains("predicted ŷ") && svg.contains("observed y") && !svg.contains("x₁"));
}

#[test]
fn a_line_search_draws_its_ray_function_with_the_armijo_line_and_its_trials() {
    use gdviz::render::scenes::run_paths;
    use gdviz::render::Language;
    use gdviz::descent::step_size::LineSearch;
    // The ill-conditioned preset from θ = 0 with Armijo from η₀ = 1: rejected trials, then one.
    let data = gdviz::least_squares::data::preset("ill-conditioned").unwrap().settings.generate().unwrap();
    let config = RunConfig { line_search: LineSearch::Armijo { beta: 0.5, c: 1e-4 }, ..RunConfig::full_batch(1.0, data.len()) };
    let mut session = Session::new(data, Regularization::None, config, Theta::new(0.0, 0.0)).unwrap();
    session.step(1);
    let paths = run_paths(&session, None, Language::English);
    let search = paths[0].search.as_ref().expect("run 1's search");
    assert!(search.trials.len() > 1 && search.trials.last().unwrap().accepted);
    // The curve is f(θ − η·g) from η = 0 (f at the start, J(0) here) to past the first trial.
    let objective = session.objective();
    assert_eq!(search.curve[0], (0.0, objective.loss(Theta::new(0.0, 0.0))));
    assert!(search.curve.last().unwrap().0 > search.trials[0].eta);
    // Armijo's line starts at f(θ) with slope −c·gᵀg.
    let g = objective.smooth_gradient(Theta::new(0.0, 0.0));
    let (f0, slope) = search.armijo.unwrap();
    assert_eq!(f0, search.curve[0].1);
    assert!((slope + 1e-4 * (g[0] * g[0] + g[1] * g[1])).abs() <= 1e-12 * slope.abs());
    // Drawn on the surface, titled with the range of η.
    ensure_font().expect("a TrueType font (fonts-dejavu-core)");
    let svg = |session: &Session| {
        let mut out = String::new();
        {
            let root = SVGBackend::with_string(&mut out, (640, 480)).into_drawing_area();
            draw_plot(&root, session, Plot::Surface, Scale::default()).unwrap();
            root.present().unwrap();
        }
        out
    };
    assert!(svg(&session).contains("J along the search ray, over η ∈ [0, "));
}

#[test]
fn runs_whose_rate_changes_show_it_per_iteration_on_the_loss_plot() {
    use gdviz::render::scenes::rate_lines;
    use gdviz::descent::step_size::RateRule;
    let data = gdviz::least_squares::data::preset("ill-conditioned").unwrap().settings.generate().unwrap();
    let n = data.len();
    let constant = RunConfig::full_batch(0.01, n);
    let mut session = Session::new(data, Regularization::None, constant, Theta::new(0.0, 0.0)).unwrap();
    session.step(5);
    assert!(rate_lines(&session, None).is_empty(), "a constant rate has no rate line");
    // The bold driver from η = 0.2, above the critical rate: the first step is undone and η
    // halves, as the rate line says update by update.
    let bold = RunConfig { rate_rule: RateRule::BoldDriver { up: 1.05, down: 0.5 }, ..RunConfig::full_batch(0.2, n) };
    session.add_run(bold).unwrap();
    session.reset(Theta::new(0.0, 0.0)).unwrap();
    session.step(4);
    let lines = rate_lines(&session, None);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].index, 1);
    assert_eq!(lines[0].points[0], (1.0, 0.2), "update 1 tried η = 0.2");
    assert_eq!(lines[0].points[1], (2.0, 0.1), "undone: update 2 at η/2");
    // The loss plot then has its rate axis.
    ensure_font().expect("a TrueType font (fonts-dejavu-core)");
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (480, 300)).into_drawing_area();
        draw_plot(&root, &session, Plot::Loss, Scale::default()).unwrap();
        root.present().unwrap();
    }
    assert!(svg.contains("rate ηₜ (thin)"));
}

/// The data plot's points composite like one translucent disc per point: k discs of opacity a
/// over a pixel leave it 1 − (1 − a)ᵏ opaque, whatever the order; a disc centred outside the
/// plotting area still covers the pixels it reaches inside.
#[test]
fn stacked_points_composite_like_one_disc_each() {
    use gdviz::render::fit::{point_style, render_points};
    let t = ViewTransform { rect: PixelRect { left: 0, top: 0, width: 100, height: 50 }, x: [0.0, 100.0], y: [0.0, 50.0] };
    // Style of a million points: radius 0.8 px, opacity 0.12 at the centre; a disc covers its
    // centre pixel fully and its four neighbours by 0.8 + 0.5 − 1 = 0.3.
    let n = 1_000_000;
    let (radius, alpha) = point_style(n);
    assert_eq!((radius, alpha), (0.8, 0.12));
    let at = |px: f64, py: f64| (px + 0.5, 50.0 - py - 0.5); // data point whose disc is centred on pixel (px, py)
    let mut points = vec![at(10.0, 10.0); 5];
    points.extend([at(11.0, 10.0); 2]);
    points.push(at(-1.0, 30.0)); // just outside the left edge
    points.push(at(500.0, 30.0)); // far outside: covers nothing
    let image = render_points(points.into_iter(), n, &t, Scale::default());
    let opacity = |x: u32, y: u32| image.pixels[((y * 100 + x) * 4 + 3) as usize] as f64;
    let edge = 0.3 * alpha;
    let expected = |clear: f64| 255.0 * (1.0 - clear);
    let centre = 0.88f64.powi(5) * (1.0 - edge).powi(2);
    assert!((opacity(10, 10) - expected(centre)).abs() <= 1.0, "{} against {}", opacity(10, 10), expected(centre));
    let beside = (1.0 - edge).powi(5) * 0.88f64.powi(2);
    assert!((opacity(11, 10) - expected(beside)).abs() <= 1.0, "{} against {}", opacity(11, 10), expected(beside));
    assert!((opacity(0, 30) - expected(1.0 - edge)).abs() <= 1.0, "{}", opacity(0, 30));
    assert_eq!(opacity(1, 30), 0.0);
    assert_eq!(opacity(99, 30), 0.0);
    assert_eq!(opacity(10, 12), 0.0);
}

/// A short plot gets fewer axis labels, one at most every 28 CSS pixels, whatever the pixel
/// ratio: a loss plot 110 CSS px tall shows 3, not 6 overlapping ones.
#[test]
fn short_axes_take_fewer_labels() {
    use gdviz::render::labels_along;
    let retina = Scale { pixel_ratio: 2.0, ..Scale::default() };
    assert_eq!(labels_along(110, Scale::default(), 6), 3);
    assert_eq!(labels_along(220, retina, 6), 3);
    assert_eq!(labels_along(400, Scale::default(), 6), 6);
    assert_eq!(labels_along(20, Scale::default(), 6), 2);
}

/// When the iteration axis grows (a larger axis end), the kept curves go on at their old, finer
/// pixel columns while the curves for the new ones are decimated a slice of the history per
/// frame; once caught up they are exactly the ones decimated at once. A longer axis so costs no
/// frame a pass over the whole history.
#[test]
fn a_longer_axis_is_decimated_a_slice_a_frame_and_then_as_at_once() {
    use gdviz::render::iteration_lines::{CoefficientCache, REBUILD_ROWS};
    use gdviz::render::iteration_lines::{axis_end, moving_mean, Columns, CurveCache, REBUILD_POINTS};
    let losses = noisy_losses(13_000, 5);
    let short = Columns { left: 72.0, right: 470.0, end: axis_end(12_000.0), log: false };
    let long = Columns { end: axis_end(13_000.0), ..short };
    assert!(long.end > short.end);
    let decimated = |points: &[(f64, f64)], columns: Columns| m4(points, |p| columns.of(p.0), |p| p.1);
    let mut cache = CurveCache::default();
    cache.update(&losses[..12_000], None, Some(50), 1, short).unwrap();
    let mean = moving_mean(&losses, 50);
    let calls = losses.len().div_ceil(REBUILD_POINTS);
    assert!(calls > 1, "the history is longer than a slice");
    for call in 1..=calls {
        let kept = cache.update(&losses, None, Some(50), 1, long).unwrap();
        let columns = if call < calls { short } else { long };
        assert_eq!(kept.raw, decimated(&losses, columns), "call {call} of {calls}: raw");
        assert_eq!(kept.mean.unwrap(), decimated(&mean, columns), "call {call} of {calls}: mean");
    }

    // The coefficient lines: 6,001 points of three coefficients, the axis from 6,000 to 8,000.
    let history: Vec<HistoryPoint> = (0..=6_000u64).map(coefficient_point).collect();
    assert!(axis_end(6_000.0) > axis_end(5_000.0));
    let mut kept = CoefficientCache::default();
    kept.lines(&history[..5_001], 1, 5_000, 300, true);
    let calls = history.len().div_ceil(REBUILD_ROWS);
    assert!(calls > 1);
    for call in 1..=calls {
        let frame = kept.lines(&history, 1, 6_000, 300, true);
        let at_once = CoefficientCache::default().lines(&history, 1, if call < calls { 5_000 } else { 6_000 }, 300, true);
        assert_eq!((&frame.lines, frame.range), (&at_once.lines, at_once.range), "call {call} of {calls}");
        assert_eq!(frame.end, axis_end(6_000.0), "the axis is the new one from the first call");
    }
}

#[test]
fn a_thinned_history_goes_on_from_the_kept_curves_and_is_decimated_a_slice_a_frame() {
    use gdviz::render::iteration_lines::{CoefficientCache, REBUILD_ROWS};
    use gdviz::render::iteration_lines::{axis_end, moving_mean, Columns, CurveCache, REBUILD_POINTS};
    // Every iteration up to 12,000 recorded, then every other one (the history thinned at its
    // cap) up to 14,000.
    let full = noisy_losses(14_000, 17);
    let dense = &full[..=12_000];
    let thinned: Vec<(f64, f64)> = full.iter().copied().step_by(2).collect();
    let at = thinned.partition_point(|p| p.0 <= 12_000.0);
    assert_eq!((thinned.len(), at), (7_001, 6_001));
    let columns = Columns { left: 72.0, right: 470.0, end: axis_end(14_000.0), log: false };
    let decimated = |points: &[(f64, f64)]| m4(points, |p| columns.of(p.0), |p| p.1);
    // Until the thinned points are decimated afresh, the kept curve goes on from iteration
    // 12,000: the finer points before it, the thinned ones after, and the moving mean of the
    // thinned history after it.
    let went_on: Vec<(f64, f64)> = dense.iter().chain(&thinned[at..]).copied().collect();
    let went_on_mean: Vec<(f64, f64)> = moving_mean(dense, 50).into_iter().chain(moving_mean(&thinned, 50).into_iter().skip(at)).collect();
    assert_ne!(decimated(&went_on), decimated(&thinned), "the two differ");
    let mut cache = CurveCache::default();
    cache.update(dense, None, Some(50), 1, columns).unwrap();
    let calls = thinned.len().div_ceil(REBUILD_POINTS);
    assert!(calls > 1, "the history is longer than a slice");
    for call in 1..=calls {
        let kept = cache.update(&thinned, None, Some(50), 2, columns).unwrap();
        let (raw, mean) = if call < calls { (decimated(&went_on), decimated(&went_on_mean)) } else { (decimated(&thinned), decimated(&moving_mean(&thinned, 50))) };
        assert_eq!(kept.raw, raw, "call {call} of {calls}: raw");
        assert_eq!(kept.mean.unwrap(), mean, "call {call} of {calls}: mean");
    }
    // A run that starts again with a thinned history of other losses is drawn afresh at once.
    let other: Vec<(f64, f64)> = thinned.iter().map(|&(k, j)| (k, j + 1.0)).collect();
    let mut cache = CurveCache::default();
    cache.update(dense, None, None, 1, columns).unwrap();
    assert_eq!(cache.update(&other, None, None, 2, columns).unwrap().raw, decimated(&other));

    // The coefficient lines: every iteration up to 5,000, then every other one up to 5,600 (on
    // the same axis, to 6,000).
    assert_eq!(axis_end(5_000.0), axis_end(5_600.0));
    let dense: Vec<HistoryPoint> = (0..=5_000).map(coefficient_point).collect();
    let thinned: Vec<HistoryPoint> = (0..=2_800).map(|i| coefficient_point(2 * i)).collect();
    let went_on: Vec<HistoryPoint> = dense.iter().chain(thinned.iter().filter(|p| p.iteration > 5_000)).copied().collect();
    let lines = |history: &[HistoryPoint]| CoefficientCache::default().lines(history, 2, 5_600, 300, true).lines;
    assert_ne!(lines(&went_on), lines(&thinned), "the two differ");
    let mut kept = CoefficientCache::default();
    kept.lines(&dense, 1, 5_000, 300, true);
    let calls = thinned.len().div_ceil(REBUILD_ROWS);
    assert!(calls > 1);
    for call in 1..=calls {
        let frame = kept.lines(&thinned, 2, 5_600, 300, true);
        let at_once = CoefficientCache::default().lines(if call < calls { &went_on } else { &thinned }, 2, 5_600, 300, true);
        assert_eq!((&frame.lines, frame.range), (&at_once.lines, at_once.range), "call {call} of {calls}");
    }

    // The trajectory goes on too, without starting again: the segments kept from the finer
    // points stay, and the thinned points after them are taken in.
    let walk = random_walk(16_000, 1.3, (100.0, 100.0), 23);
    let t = ViewTransform { rect: PixelRect { left: 0, top: 0, width: 200, height: 200 }, x: [0.0, 200.0], y: [0.0, 200.0] };
    let history = walk_history(&walk);
    let start = history[0].theta;
    let dense = &history[..=10_000];
    let thinned: Vec<HistoryPoint> = history.iter().copied().step_by(2).collect();
    let went_on: Vec<HistoryPoint> = dense.iter().chain(thinned.iter().filter(|p| p.iteration > 10_000)).copied().collect();
    let mut live = Trail::default();
    live.update(dense, 1, start, (0, 1), &t, (200, 200));
    assert!(!live.update(&thinned, 2, start, (0, 1), &t, (200, 200)), "a thinned history does not start the trail again");
    let mut fresh = Trail::default();
    fresh.update(&went_on, 1, start, (0, 1), &t, (200, 200));
    assert_eq!(live.lines(), fresh.lines());
    let mut coarse = Trail::default();
    coarse.update(&thinned, 2, start, (0, 1), &t, (200, 200));
    assert_ne!(live.lines(), coarse.lines(), "not the trail of the thinned points alone");
    let mut before = Trail::default();
    before.update(dense, 1, start, (0, 1), &t, (200, 200));
    assert_eq!(live.lines_until(10_000), before.lines(), "the timeline cuts it by iteration");
    // Another start does.
    assert!(live.update(&thinned, 2, Theta::new(1.0, 1.0), (0, 1), &t, (200, 200)));
}

#[test]
fn a_dense_line_filled_as_its_band_covers_the_pixels_of_the_stroked_line_within_one() {
    use gdviz::render::draw_line;
    use gdviz::render::resolution::{line_pieces, LinePiece};
    let size = (240u32, 240u32);
    let colour = RGBColor(0, 114, 178);
    let palette = [[255, 255, 255], [0, 114, 178]];
    // A line stroked 2 pixels wide with round joins and caps, as the page strokes it.
    let stroke = |root: &DrawingArea<BitMapBackend, plotters::coord::Shift>, line: &[(i32, i32)]| {
        for pair in line.windows(2) {
            root.draw(&PathElement::new(pair.to_vec(), ShapeStyle::from(&colour).stroke_width(2))).unwrap();
        }
        for &p in line {
            root.draw(&Circle::new(p, 1, colour.filled())).unwrap();
        }
    };
    let stroked = |line: &[(i32, i32)]| {
        let mut buffer = vec![255u8; (size.0 * size.1 * 3) as usize];
        stroke(&BitMapBackend::with_buffer(&mut buffer, size).into_drawing_area(), line);
        buffer
    };
    // Its pieces: the bands filled, the polylines stroked as above.
    let pieced = |line: &[(i32, i32)]| {
        let mut buffer = vec![255u8; (size.0 * size.1 * 3) as usize];
        {
            let root = BitMapBackend::with_buffer(&mut buffer, size).into_drawing_area();
            for piece in line_pieces(line, 1) {
                match piece {
                    LinePiece::Band(outline) => root.draw(&Polygon::new(outline, colour.filled())).unwrap(),
                    LinePiece::Line(line) => stroke(&root, &line),
                }
            }
        }
        buffer
    };
    // And as the plots draw it.
    let banded = |line: &[(i32, i32)]| {
        let mut buffer = vec![255u8; (size.0 * size.1 * 3) as usize];
        {
            let root = BitMapBackend::with_buffer(&mut buffer, size).into_drawing_area();
            draw_line(&root, line, ShapeStyle::from(&colour).stroke_width(2)).unwrap();
        }
        buffer
    };
    // A noisy curve of 100,000 points decimated to 240 columns, with a steep fall at the start
    // and spikes: one band.
    let curve: Vec<(f64, f64)> = random_walk(100_000, 0.03, (0.0, 0.0), 31)
        .iter()
        .enumerate()
        .map(|(i, &(_, y))| (i as f64, 1.0 + y + 4.0 * (-(i as f64) / 2_000.0).exp() + if i % 9_973 == 0 { 2.0 } else { 0.0 }))
        .collect();
    let decimated = m4(&curve, |p| (p.0 / 100_000.0 * 230.0).floor() as i64, |p| p.1);
    let dense: Vec<(i32, i32)> = decimated.iter().map(|p| (5 + (p.0 / 100_000.0 * 230.0).floor() as i32, ((6.0 - p.1) / 8.0 * 240.0).round() as i32)).collect();
    let pieces = line_pieces(&dense, 1);
    let columns = (dense[dense.len() - 1].0 - dense[0].0 + 1) as usize;
    assert!(columns >= 230);
    assert!(matches!(pieces.as_slice(), [LinePiece::Band(outline)] if outline.len() == 4 * columns), "one band, four corners a column");
    let (a, b) = (stroked(&dense), banded(&dense));
    within_one_pixel(&a, &b, size, &palette).expect("stroked against banded");
    within_one_pixel(&b, &a, size, &palette).expect("banded against stroked");
    // Sparse points (a short full-batch run over a wide axis) stay a stroked polyline; a line
    // sparse, then dense, then sparse again is drawn in three pieces, within a pixel too.
    let sparse: Vec<(i32, i32)> = (0..12).map(|i| (10 + 20 * i, 200 - (150.0 * (-(i as f64) / 3.0).exp()) as i32)).collect();
    assert_eq!(line_pieces(&sparse, 1), vec![LinePiece::Line(sparse.clone())]);
    let mixed: Vec<(i32, i32)> = (0..5)
        .map(|i| (10 + 15 * i, 30 + 10 * i))
        .chain((0..80).map(|i| (71 + i, 80 + ((i as f64) / 4.0).sin().mul_add(20.0, 0.0) as i32)))
        .chain((1..5).map(|i| (150 + 20 * i, 120 + 15 * i)))
        .collect();
    let kinds: Vec<bool> = line_pieces(&mixed, 1).iter().map(|p| matches!(p, LinePiece::Band(_))).collect();
    assert_eq!(kinds, vec![false, true, false]);
    let (a, b) = (stroked(&mixed), pieced(&mixed));
    within_one_pixel(&a, &b, size, &palette).expect("mixed: stroked against banded");
    within_one_pixel(&b, &a, size, &palette).expect("mixed: banded against stroked");
    // Points that step back (not a decimated line, but nothing may panic) are stroked.
    let back = [(10, 10), (11, 12), (5, 40), (6, 41)];
    let kinds: Vec<bool> = line_pieces(&back, 1).iter().map(|p| matches!(p, LinePiece::Band(_))).collect();
    assert_eq!(kinds, vec![true, false, true]);
    // A lone point is a dot.
    assert!(matches!(line_pieces(&[(50, 50)], 1).as_slice(), [LinePiece::Band(outline)] if outline.len() == 4));
    // The faint lines are set into an image the same way: within a pixel of the stroked line.
    let painted = |line: &[(i32, i32)]| {
        let mut image = gdviz::render::RgbaImage::new(size.0, size.1);
        let points: Vec<(f64, f64)> = line.iter().map(|&(x, y)| (x as f64, y as f64)).collect();
        gdviz::render::resolution::stroke_into(&mut image, &points, 2.0, colour, 1.0);
        image.to_rgb_over((255, 255, 255))
    };
    for (name, line) in [("dense", &dense), ("sparse", &sparse), ("mixed", &mixed)] {
        let (a, b) = (stroked(line), painted(line));
        within_one_pixel(&a, &b, size, &palette).unwrap_or_else(|e| panic!("{name}: stroked against set: {e}"));
        within_one_pixel(&b, &a, size, &palette).unwrap_or_else(|e| panic!("{name}: set against stroked: {e}"));
    }
}

/// The iteration labels of a narrow loss plot and coefficient plot (a side plot on a 1024-pixel
/// screen) stand apart: each label's text, at 0.64 of the font size a character (DejaVu Sans's
/// digits are 0.636 em wide), ends before the next begins.
#[test]
fn a_narrow_plot_s_iteration_labels_do_not_run_into_each_other() {
    use gdviz::render::{labels_across, BackendBlit, PlotView};
    let retina = Scale { pixel_ratio: 2.0, ..Scale::default() };
    assert_eq!(labels_across(112, Scale::default(), 6), 2);
    assert_eq!(labels_across(230, retina, 6), 2);
    assert_eq!(labels_across(400, Scale::default(), 6), 6);
    assert_eq!(labels_across(300, Scale::default(), 6), 5);
    ensure_font().expect("a TrueType font (fonts-dejavu-core)");
    let s = session(0.001, 4_000);
    let view = PlotView::still(&s, Scale::default());
    for plot in [Plot::Loss, Plot::Coefficients] {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (180, 160)).into_drawing_area();
            plot.draw_still(&root, &s, &view, &mut BackendBlit { area: &root }).unwrap();
            root.present().unwrap();
        }
        let labels = bottom_labels(&svg);
        assert!(labels.len() >= 2, "{plot:?}: {labels:?}");
        for pair in labels.windows(2) {
            let ((x0, w0), (x1, w1)) = (pair[0], pair[1]);
            assert!(x0 + w0 / 2.0 < x1 - w1 / 2.0, "{plot:?}: labels at {x0} and {x1} overlap: {labels:?}");
        }
    }
}

/// The iteration labels of an SVG plot: (centre x, estimated width) of each text on the lowest
/// row of numeric texts, left to right.
fn bottom_labels(svg: &str) -> Vec<(f64, f64)> {
    let attr = |tag: &str, name: &str| -> Option<f64> {
        let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        tag[start..].split('"').next()?.parse().ok()
    };
    let mut texts: Vec<(f64, f64, f64, String)> = Vec::new();
    for piece in svg.split("<text").skip(1) {
        let (tag, rest) = piece.split_once('>').unwrap();
        let text = rest.split("</text>").next().unwrap().trim().to_string();
        let numeric = !text.is_empty() && text.chars().all(|c| c.is_ascii_digit() || c == '.' || c == 'k' || c == 'M');
        if let (true, Some(x), Some(y), Some(size)) = (numeric, attr(tag, "x"), attr(tag, "y"), attr(tag, "font-size")) {
            texts.push((x, y, size, text));
        }
    }
    let bottom = texts.iter().map(|t| t.1).fold(f64::MIN, f64::max);
    let mut row: Vec<(f64, f64)> = texts
        .iter()
        .filter(|t| (t.1 - bottom).abs() < 1.0)
        .map(|t| (t.0, 0.64 * t.2 * t.3.chars().count() as f64))
        .collect();
    row.sort_by(|a, b| a.0.total_cmp(&b.0));
    row
}

/// A simplified polyline keeps its ends and passes within the tolerance of every point it drops;
/// a straight or flat run needs only its ends, a corner stays.
#[test]
fn a_simplified_line_passes_within_its_tolerance_of_every_point() {
    use gdviz::render::resolution::simplify;
    // The distance from p to the segment a–b, worked out here on its own.
    let to_segment = |p: (i32, i32), a: (i32, i32), b: (i32, i32)| {
        let (px, py, ax, ay, bx, by) = (p.0 as f64, p.1 as f64, a.0 as f64, a.1 as f64, b.0 as f64, b.1 as f64);
        let (dx, dy) = (bx - ax, by - ay);
        let t = if dx == 0.0 && dy == 0.0 { 0.0 } else { (((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)).clamp(0.0, 1.0) };
        (px - ax - t * dx).hypot(py - ay - t * dy)
    };
    let flat: Vec<(i32, i32)> = (0..100).map(|x| (x, 7)).collect();
    assert_eq!(simplify(&flat, 0.25), vec![(0, 7), (99, 7)]);
    let diagonal: Vec<(i32, i32)> = (0..50).map(|k| (2 * k, 3 * k)).collect();
    assert_eq!(simplify(&diagonal, 0.25), vec![(0, 0), (98, 147)]);
    let corner = [(0, 0), (5, 0), (10, 0), (10, 5), (10, 10)];
    assert_eq!(simplify(&corner, 0.25), vec![(0, 0), (10, 0), (10, 10)]);
    assert_eq!(simplify(&[(1, 1), (2, 2)], 0.25), vec![(1, 1), (2, 2)]);
    // A parabola sampled every two pixels, a staircase and a random walk.
    let parabola: Vec<(i32, i32)> = (0..200).map(|k| (2 * k, ((k as f64 - 100.0).powi(2) / 40.0).round() as i32)).collect();
    let stairs: Vec<(i32, i32)> = (0..300).map(|x| (x, x / 17)).collect();
    let walk: Vec<(i32, i32)> = random_walk(500, 2.0, (0.0, 100.0), 5).iter().enumerate().map(|(k, p)| (k as i32, p.1.round() as i32)).collect();
    for (name, line, tolerance) in [("parabola", &parabola, 0.25), ("stairs", &stairs, 0.25), ("walk", &walk, 0.25), ("walk", &walk, 3.0)] {
        let kept = simplify(line, tolerance);
        assert_eq!((kept[0], kept[kept.len() - 1]), (line[0], line[line.len() - 1]), "{name}: the ends kept");
        assert!(kept.len() < line.len(), "{name}: points dropped");
        // Every point lies within the tolerance of the kept segment over its x (x rises).
        for &p in line.iter() {
            let segment = kept.windows(2).position(|w| w[0].0 <= p.0 && p.0 <= w[1].0).unwrap();
            let next = kept.get(segment + 1).copied().unwrap_or(kept[segment]);
            assert!(to_segment(p, kept[segment], next) <= tolerance + 1e-9, "{name}: {p:?} is {} from {:?}–{:?}", to_segment(p, kept[segment], next), kept[segment], next);
        }
    }
}

/// Each SVG `<text>` as its words and its y (plotters writes `y="…"` on each).
fn svg_texts(svg: &str) -> Vec<(String, f64)> {
    svg.split("<text").skip(1)
        .filter_map(|t| {
            let (attributes, rest) = t.split_once('>')?;
            let y = attributes.split("y=\"").nth(1)?.split('"').next()?.parse().ok()?;
            Some((rest.split("</text>").next()?.trim().to_string(), y))
        })
        .collect()
}

/// The y of each SVG `<text>` whose words contain `needle`.
fn text_ys(svg: &str, needle: &str) -> Vec<f64> {
    svg_texts(svg).into_iter().filter(|(words, _)| words.contains(needle)).map(|(_, y)| y).collect()
}

#[test]
fn a_tall_surface_keeps_its_legend_under_the_bowl_and_a_square_one_over_it() {
    use gdviz::render::surface::plot_rect;
    ensure_font().expect("a TrueType font (fonts-dejavu-core)");
    let mut s = session(0.1, 0);
    let n = s.data().len();
    s.add_run(RunConfig::full_batch(0.05, n)).unwrap();
    s.add_run(RunConfig::full_batch(0.02, n)).unwrap();
    s.step(5);
    let svg = |(w, h): (u32, u32)| {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
            draw_plot(&root, &s, Plot::Surface, Scale::default()).unwrap();
            root.present().unwrap();
        }
        svg
    };
    // The stage's surface, 300 wide and 640 tall: the three labels below the plotting area and
    // below the axis title under it.
    let rect = plot_rect(300, 640, Scale::default());
    let bottom = f64::from(rect.top + rect.height);
    let tall = text_ys(&svg((300, 640)), "η=");
    assert_eq!(tall.len(), 3, "three runs' labels");
    assert!(tall.iter().all(|&y| y > bottom + 46.0 && y < 640.0), "labels at {tall:?}, the plot ends at {bottom}");
    // The page's square surface: the legend in the plotting area's top-left corner.
    let rect = plot_rect(480, 480, Scale::default());
    let square = text_ys(&svg((480, 480)), "η=");
    assert_eq!(square.len(), 3);
    assert!(square.iter().all(|&y| y > f64::from(rect.top) && y < f64::from(rect.top + rect.height) / 2.0), "labels at {square:?}");
}

#[test]
fn the_theory_note_takes_the_first_form_its_plot_has_room_for() {
    ensure_font().expect("a TrueType font (fonts-dejavu-core)");
    let s = session(0.05, 3);
    let texts = |width: u32| {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (width, 300)).into_drawing_area();
            draw_plot(&root, &s, Plot::Loss, Scale::default()).unwrap();
            root.present().unwrap();
        }
        svg_texts(&svg).into_iter().map(|(words, _)| words).filter(|t| t.contains("theory") || t.contains("/step")).collect::<Vec<_>>()
    };
    // Wide: the long form; then the short one; then the short one broken after its colon; then
    // none on a plot too narrow even for that.
    let forms: Vec<Vec<String>> = (130..=600).rev().step_by(10).map(texts).collect();
    assert!(forms[0].len() == 1 && forms[0][0].starts_with("theory (dashed): error ×"), "{:?}", forms[0]);
    assert!(forms.iter().any(|f| f.len() == 1 && f[0].starts_with("theory: ×")), "the short form");
    assert!(forms.iter().any(|f| f.len() == 2 && f[0] == "theory:" && f[1].starts_with("×") && f[1].ends_with("/step")), "two lines");
    assert!(forms.last().unwrap().is_empty(), "none at 130 px: {:?}", forms.last());
    // Narrowing the plot never goes back to a longer form.
    let rank = |f: &Vec<String>| match f.as_slice() {
        [long] if long.starts_with("theory (dashed)") => 0,
        [_] => 1,
        [_, _] => 2,
        _ => 3,
    };
    assert!(forms.windows(2).all(|w| rank(&w[0]) <= rank(&w[1])));
}
