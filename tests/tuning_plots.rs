//! The tuning tools' plots drawn natively: the range test's curve and the stability map put
//! each rate where the axes say, and the map colours divergence apart from convergence where the
//! closed form (worked here) says the boundary lies.

use gdviz::descent::range_test::{range_test, DEFAULT_SETTINGS};
use gdviz::descent::rate_map::{plain_best, polyak_optimum};
use gdviz::render::export::ensure_font;
use gdviz::render::primitives::{BackendBlit, Scale};
use gdviz::render::range_plot::{self, RangeScene, TheoryRates};
use gdviz::render::rate_map_plot::{self, RateMapScene};
use gdviz::{Dataset, Regularization, RunConfig, Session, Theta};
use plotters::prelude::*;

const SIZE: (u32, u32) = (800, 480);

fn session() -> Session {
    // x centred at 0 with mean(x²) = 4: H = diag(1, 4), λ = 1 and 4, the critical rate 0.5.
    let xs = vec![-2.0, -2.0, 2.0, 2.0];
    let ys = vec![0.0, 2.0, 2.0, 4.0];
    let data = Dataset::new(xs, ys).unwrap();
    Session::new(data, Regularization::None, RunConfig::full_batch(0.1, 4), Theta::zeros(2)).unwrap()
}

#[test]
fn the_range_plot_puts_each_rate_where_its_axis_says() {
    ensure_font().unwrap();
    let s = session();
    let test = range_test(DEFAULT_SETTINGS, s.runs()[0].config(), Theta::zeros(2), s.data(), s.objective()).unwrap();
    let theory = TheoryRates { monotone: 0.25, optimal: 0.4, critical: 0.5 };
    let scene = RangeScene { test: &test, theory: Some(theory), current: 0.1, scale: Scale::default() };
    let mut buffer = vec![0u8; (SIZE.0 * SIZE.1 * 3) as usize];
    let transform = {
        let root = BitMapBackend::with_buffer(&mut buffer, SIZE).into_drawing_area();
        range_plot::draw(&root, &scene).unwrap()
    };
    // Every rate of the sweep, and the theory's, lies inside the axis; a pixel's rate is within
    // one pixel's worth of the rate drawn there.
    let per_pixel = (transform.x[1] - transform.x[0]) / transform.rect.width as f64;
    for lr in test.lrs.iter().chain([&0.25, &0.4, &0.5]) {
        let (px, py) = transform.to_pixel(lr.log10(), (transform.y[0] + transform.y[1]) / 2.0);
        let back = range_plot::rate_at(&transform, px, py).expect("inside the plot");
        assert!((back.log10() - lr.log10()).abs() <= per_pixel, "{lr} read back as {back}");
    }
    assert!(range_plot::rate_at(&transform, 0.0, 0.0).is_none(), "outside the plotting area");
    // The smoothed curve is drawn: dark ink on the column of the first rate.
    let (px, _) = transform.to_pixel(test.lrs[0].log10(), 0.0);
    let column = px.round() as u32 + 1;
    let dark = (transform.rect.top as u32..(transform.rect.top + transform.rect.height) as u32)
        .any(|y| buffer[((y * SIZE.0 + column) * 3) as usize] < 80);
    assert!(dark, "the smoothed loss's line crosses its first column");
}

#[test]
fn the_map_colours_divergence_beyond_the_closed_form_boundary() {
    ensure_font().unwrap();
    let spectrum = [1.0, 4.0];
    let optimum = polyak_optimum(&spectrum);
    let best = plain_best(&spectrum);
    let scene = RateMapScene {
        spectrum: &spectrum,
        lr_range: [1e-3, 2.0],
        momentum_range: [0.0, 0.9],
        optimum,
        plain_best: best,
        current: None,
        measured: &[],
        scale: Scale::default(),
    };
    let mut buffer = vec![0u8; (SIZE.0 * SIZE.1 * 3) as usize];
    let transform = {
        let root = BitMapBackend::with_buffer(&mut buffer, SIZE).into_drawing_area();
        let mut blit = BackendBlit { area: &root };
        rate_map_plot::draw(&root, &scene, &mut blit).unwrap()
    };
    let pixel = |lr: f64, mu: f64| {
        let (px, py) = transform.to_pixel(lr.log10(), mu);
        let i = ((py.round() as u32 * SIZE.0 + px.round() as u32) * 3) as usize;
        (buffer[i], buffer[i + 1], buffer[i + 2])
    };
    let grey = |(r, g, b): (u8, u8, u8)| r == g && g == b;
    // Heavy-ball diverges past η = 2(1 + μ)/λ_max = (1 + μ)/2: at μ = 0.5 beyond 0.75, at μ = 0.02
    // beyond 0.51.
    for (lr, mu) in [(0.9, 0.5), (1.5, 0.2), (0.6, 0.02)] {
        assert!(grey(pixel(lr, mu)), "({lr}, {mu}) diverges: grey, got {:?}", pixel(lr, mu));
    }
    // Well inside: η = 0.1 at μ = 0.5, η = 0.2 at μ = 0.3, η = 0.3 just above μ = 0.
    for (lr, mu) in [(0.1, 0.5), (0.2, 0.3), (0.3, 0.02)] {
        assert!(!grey(pixel(lr, mu)), "({lr}, {mu}) converges: coloured, got {:?}", pixel(lr, mu));
    }
    // A point of the map reads back as its (η, μ).
    let (px, py) = transform.to_pixel(0.1f64.log10(), 0.5);
    let (lr, mu) = rate_map_plot::point_at(&transform, px, py).unwrap();
    assert!((lr / 0.1 - 1.0).abs() < 0.01 && (mu - 0.5).abs() < 0.01);
}
