//! Renders the three plots of a preset to a folder, for looking at them: 
//! `cargo run --example render_check -- OUT_DIR [preset] [lr] [steps]`.
use gdviz::{data, render::export, Regularization, RunConfig, Session, Theta};
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let out = args.get(1).map(String::as_str).unwrap_or("artifacts/native");
    let name = args.get(2).map(String::as_str).unwrap_or("clean");
    let lr: f64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(0.1);
    let steps: u64 = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(50);
    let data = data::preset(name).unwrap().settings.generate().unwrap();
    let n = data.len();
    let mut s = Session::new(data, Regularization::None, RunConfig::full_batch(lr, n), Theta::default()).unwrap();
    let mut c = RunConfig::full_batch(lr, n);
    c.batch_size = 1;
    s.add_run(c).unwrap();
    s.step(steps);
    for p in export::write_plots(&s, std::path::Path::new(out), 640, 480).unwrap() { println!("{}", p.display()); }
}
