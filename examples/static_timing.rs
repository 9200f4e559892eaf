//! Times the static layers natively: `cargo run --release --example static_timing`.
use gdviz::render::export::{draw_plot, ensure_font};
use gdviz::render::{Plot, Scale};
use gdviz::{data, Regularization, RunConfig, Session, Theta};
use plotters::prelude::*;
fn main() {
    ensure_font().unwrap();
    let data = data::preset("clean").unwrap().settings.generate().unwrap();
    let n = data.len();
    let mut s = Session::new(data, Regularization::None, RunConfig::full_batch(0.1, n), Theta::default()).unwrap();
    s.step(30);
    for plot in Plot::ALL {
        let (w, h) = (1040u32, 920u32);
        let mut buffer = vec![255u8; (w * h * 3) as usize];
        let t = std::time::Instant::now();
        {
            let root = BitMapBackend::with_buffer(&mut buffer, (w, h)).into_drawing_area();
            draw_plot(&root, &s, plot, Scale { pixel_ratio: 2.0, ..Scale::default() }).unwrap();
        }
        println!("{plot:?}: {:?}", t.elapsed());
    }
}
