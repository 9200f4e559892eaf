//! The JavaScript boundary (`gdviz::wasm::Visualizer`) in a real browser: headless Chromium
//! through wasm-bindgen-test-runner (`make test`, or
//! `cargo test --target wasm32-unknown-unknown --test wasm_boundary` with CHROMEDRIVER set).
#![cfg(target_arch = "wasm32")]

#[path = "support/reference.rs"]
mod reference;

use gdviz::wasm::Visualizer;
use serde::Deserialize;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

wasm_bindgen_test_configure!(run_in_browser);

/// The fields of a step report this test reads (the report has more).
#[derive(Debug, Deserialize)]
struct Report {
    iteration: u64,
    loss: f64,
    grad_norm: f64,
    status: String,
    theta: Theta,
}

#[derive(Debug, Deserialize)]
struct Theta {
    theta0: f64,
    theta1: f64,
}

fn reports(value: JsValue) -> Vec<Report> {
    serde_wasm_bindgen::from_value(value).expect("step reports deserialize")
}

/// Property `key` of a JS object.
fn property(value: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(value, &JsValue::from_str(key)).expect("a readable property")
}

/// The `message` of a thrown JS `Error`.
fn message(error: JsValue) -> String {
    assert!(error.is_instance_of::<js_sys::Error>(), "the exception is a JS Error object");
    property(&error, "message").as_string().expect("the message is a string")
}

#[wasm_bindgen_test]
fn constructs_at_iteration_zero() {
    let vis = Visualizer::new().expect("the default visualizer constructs");
    let now = reports(vis.reports().expect("reports"));
    assert_eq!(now.len(), 1);
    assert_eq!(now[0].iteration, 0);
    assert_eq!(now[0].status, "running");
    assert_eq!((now[0].theta.theta0, now[0].theta.theta1), (0.0, 0.0));
    assert!(now[0].loss.is_finite() && now[0].loss > 0.0);

    let analysis: serde_json::Value =
        serde_wasm_bindgen::from_value(vis.analysis().expect("analysis")).expect("analysis deserializes");
    let lr_critical = analysis["curvature"]["lr_critical"].as_f64().expect("lr_critical is a number");
    assert!(lr_critical.is_finite() && lr_critical > 0.0);
    assert!(analysis["n"].as_u64().expect("n") >= 2);
}

#[wasm_bindgen_test]
fn one_step_raises_the_iteration_and_lowers_the_loss() {
    let mut vis = Visualizer::new().expect("constructs");
    let before = reports(vis.reports().expect("reports")).remove(0);
    let after = reports(vis.step(1).expect("step")).remove(0);
    assert_eq!(after.iteration, 1);
    assert!(after.loss < before.loss, "loss {} → {} at the default rate", before.loss, after.loss);
    assert!(after.grad_norm.is_finite());
    assert_eq!(after.status, "running");

    let later = reports(vis.step(10).expect("step")).remove(0);
    assert_eq!(later.iteration, 11);
    assert!(later.loss < after.loss);
}

#[wasm_bindgen_test]
fn a_bad_learning_rate_throws_with_the_core_message() {
    let mut vis = Visualizer::new().expect("constructs");
    let error = vis.set_learning_rate(0, -1.0).expect_err("a negative rate is refused");
    assert_eq!(message(error), "learning rate must be a finite number > 0, got -1");

    let error = vis.set_learning_rate(0, f64::NAN).expect_err("NaN is refused");
    assert_eq!(message(error), "learning rate must be a finite number > 0, got NaN");

    // The run keeps its last good rate and still steps.
    let report = reports(vis.step(1).expect("step")).remove(0);
    assert_eq!(report.iteration, 1);
    assert_eq!(report.status, "running");
}

#[wasm_bindgen_test]
fn other_bad_values_throw_with_their_range() {
    let mut vis = Visualizer::new().expect("constructs");
    let n = reports(vis.reports().expect("reports")).len();
    assert_eq!(n, 1);
    let error = vis.set_batch_size(0, 0.0).expect_err("batch size 0 is refused");
    assert_eq!(message(error), "batch size must be an integer in [1, 50], got 0");
    let error = vis.set_regularization("l2", -1.0, 0.5).expect_err("negative λ is refused");
    assert_eq!(message(error), "regularization strength λ must be in [0, 1000000], got -1");
    let error = vis.load_preset("clean", 1.0, 0.2, 1.0).expect_err("one point is refused");
    assert_eq!(message(error), "points must be an integer in [2, 1000000], got 1");
    let error = vis.set_language("fr").expect_err("an unknown language is refused");
    assert_eq!(message(error), "language must be one of en, zh, got \"fr\"");
    vis.set_language("zh-CN").expect("Chinese with a region tag");
}

fn canvas(width: u32, height: u32) -> HtmlCanvasElement {
    let document = web_sys::window().expect("window").document().expect("document");
    let canvas: HtmlCanvasElement = document
        .create_element("canvas")
        .expect("create canvas")
        .dyn_into()
        .expect("a canvas element");
    canvas.set_width(width);
    canvas.set_height(height);
    canvas
}

/// Whether any pixel of the canvas has alpha > 0.
fn has_ink(canvas: &HtmlCanvasElement) -> bool {
    let context: CanvasRenderingContext2d = canvas
        .get_context("2d")
        .expect("get_context")
        .expect("a 2d context")
        .dyn_into()
        .expect("CanvasRenderingContext2d");
    let image = context
        .get_image_data(0.0, 0.0, canvas.width() as f64, canvas.height() as f64)
        .expect("get_image_data");
    image.data().0.chunks_exact(4).any(|pixel| pixel[3] > 0)
}

#[wasm_bindgen_test]
fn drawing_into_created_canvases_leaves_pixels() {
    let mut vis = Visualizer::new().expect("constructs");
    vis.set_pixel_ratio(1.0);
    vis.step(20).expect("step");
    let [surface_static, surface_halo, surface_trails, surface_moving, fit_static, fit_moving, loss_frame, loss, coefficients_frame, coefficients] =
        [(); 10].map(|_| canvas(400, 300));
    let layers = |canvases: &[&HtmlCanvasElement]| canvases.iter().map(|c| JsValue::from(*c)).collect::<js_sys::Array>();
    vis.attach("surface", layers(&[&surface_static, &surface_halo, &surface_trails, &surface_moving])).expect("attach the surface");
    vis.attach("fit", layers(&[&fit_static, &fit_moving])).expect("attach the data plot");
    vis.attach("loss", layers(&[&loss_frame, &loss])).expect("attach the loss curve");
    vis.attach("coefficients", layers(&[&coefficients_frame, &coefficients])).expect("attach the coefficient plot");
    vis.draw().expect("draw");
    assert!(has_ink(&surface_static), "the loss surface is blank");
    assert!(has_ink(&surface_trails) && has_ink(&surface_halo), "the trajectory and its halo are missing");
    assert!(has_ink(&fit_static) || has_ink(&fit_moving), "the data plot is blank");
    assert!(has_ink(&loss_frame) && has_ink(&loss), "the loss curve or its frame is blank");
    assert!(has_ink(&coefficients_frame) && has_ink(&coefficients), "the coefficient plot or its frame is blank");
    // Positions on the drawn plots map back to θ and to data coordinates.
    assert_eq!(vis.surface_point_to_theta(200.0, 150.0).len(), 2);
    assert_eq!(vis.fit_point_to_data(200.0, 150.0).len(), 2);
    vis.step(5).expect("step");
    vis.draw().expect("draw again");

    let plots: serde_json::Value = serde_wasm_bindgen::from_value(Visualizer::plots().expect("plots")).expect("plots");
    assert_eq!(
        plots,
        serde_json::json!([
            {"name": "surface", "layers": 4},
            {"name": "fit", "layers": 2},
            {"name": "loss", "layers": 2},
            {"name": "coefficients", "layers": 2}
        ])
    );
    let error = vis.attach("contour", layers(&[&loss])).expect_err("an unknown plot is refused");
    assert_eq!(message(error.clone()), "plot must be one of surface, fit, loss, coefficients, got \"contour\"");
    assert_eq!(property(&error, "kind").as_string().as_deref(), Some("unknown-choice"));
    let error = vis.attach("surface", layers(&[&loss])).expect_err("one canvas is too few for the surface");
    assert_eq!(message(error), "canvas layers must be 4 canvases, got 1");
    let not_canvases: js_sys::Array = [JsValue::from_str("a"), JsValue::from_f64(1.0)].iter().collect();
    let error = vis.attach("fit", not_canvases).expect_err("strings are not canvases");
    assert_eq!(property(&error, "name").as_string().as_deref(), Some("layers"));
}

#[wasm_bindgen_test]
fn a_thrown_error_carries_its_parts_as_properties() {
    let mut vis = Visualizer::new().expect("constructs");
    let error = vis.set_learning_rate(0, -1.0).expect_err("a negative rate is refused");
    assert!(error.is_instance_of::<js_sys::Error>());
    assert_eq!(property(&error, "kind").as_string().as_deref(), Some("invalid-value"));
    assert_eq!(property(&error, "name").as_string().as_deref(), Some("learning-rate"));
    assert_eq!(property(&error, "value").as_string().as_deref(), Some("-1"));
    let range = property(&error, "range");
    assert_eq!(property(&range, "kind").as_string().as_deref(), Some("positive"));

    let error = vis.set_batch_size(0, 0.0).expect_err("batch size 0 is refused");
    let range = property(&error, "range");
    assert_eq!(property(&range, "kind").as_string().as_deref(), Some("integer-in"));
    assert_eq!(property(&range, "lo").as_f64(), Some(1.0));
    assert_eq!(property(&range, "hi").as_f64(), Some(50.0));

    let error = vis.set_language("fr").expect_err("an unknown language is refused");
    assert_eq!(property(&error, "kind").as_string().as_deref(), Some("unknown-choice"));
    assert_eq!(property(&error, "name").as_string().as_deref(), Some("language"));
    let known: Vec<String> = serde_wasm_bindgen::from_value(property(&error, "known")).expect("known is an array");
    assert_eq!(known, ["en", "zh"]);

    let error = vis.import_csv("x,y\n1,2\n3,abc\n").expect_err("a bad cell is refused");
    assert_eq!(message(error.clone()), "line 3, column 2: \"abc\" is not a number");
    assert_eq!(property(&error, "kind").as_string().as_deref(), Some("csv"));
    assert_eq!(property(&error, "line").as_f64(), Some(3.0));
    assert_eq!(property(&error, "column").as_f64(), Some(2.0));
    let problem = property(&error, "problem");
    assert_eq!(property(&problem, "kind").as_string().as_deref(), Some("not-a-number"));
    assert_eq!(property(&problem, "text").as_string().as_deref(), Some("abc"));

    let bad = js_sys::JSON::parse(r#"{"kind": "momentum", "momentum": "fast"}"#).expect("JSON");
    let error = vis.set_optimizer(0, bad).expect_err("a bad optimizer object is refused");
    assert_eq!(property(&error, "name").as_string().as_deref(), Some("optimizer"));
    let range = property(&error, "range");
    assert_eq!(property(&range, "kind").as_string().as_deref(), Some("valid-setting"));
}

#[wasm_bindgen_test]
fn the_catalogue_lists_the_optimizers_and_checks_values() {
    let catalog: serde_json::Value =
        serde_wasm_bindgen::from_value(Visualizer::catalog().expect("catalog")).expect("the catalogue deserializes");
    let names: Vec<&str> =
        catalog["optimizers"].as_array().expect("optimizers").iter().map(|o| o["name"].as_str().expect("a name")).collect();
    assert_eq!(names, ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "newton", "cg"]);
    assert_eq!(catalog["optimizers"][1]["params"][0]["default"].as_f64(), Some(0.9));
    let rules: Vec<&str> = catalog["rate_rules"].as_array().expect("rate rules").iter().map(|r| r["name"].as_str().expect("a name")).collect();
    assert_eq!(rules, ["none", "bold-driver", "plateau"]);
    assert_eq!(catalog["run_colors"][0].as_str(), Some("#d55e00"));

    assert_eq!(Visualizer::check_value("momentum", 0.5).expect("in range"), 0.5);
    let error = Visualizer::check_value("stepSize", 0.0).expect_err("0 steps is refused");
    assert_eq!(message(error.clone()), "step size must be an integer ≥ 1, got 0");
    assert_eq!(property(&error, "name").as_string().as_deref(), Some("step-size"));
    let range = property(&error, "range");
    assert_eq!(property(&range, "kind").as_string().as_deref(), Some("integer-at-least"));

    // An alias of a kind is accepted too.
    let mut vis = Visualizer::new().expect("constructs");
    let old = js_sys::JSON::parse(r#"{"kind": "rms-prop", "alpha": 0.9, "eps": 1e-8}"#).expect("JSON");
    vis.set_optimizer(0, old).expect("rms-prop is accepted");
    let config: serde_json::Value = serde_wasm_bindgen::from_value(vis.run_config(0).expect("config")).expect("config");
    assert_eq!(config["optimizer"]["kind"].as_str(), Some("rmsprop"));
}

#[wasm_bindgen_test]
fn explain_step_gives_the_next_theta_of_step() {
    let mut vis = Visualizer::new().expect("constructs");
    vis.step(3).expect("step");
    let explanation: serde_json::Value =
        serde_wasm_bindgen::from_value(vis.explain_step(0).expect("explain_step")).expect("deserializes");
    assert_eq!(explanation["optimizer"].as_str(), Some("sgd"));
    assert_eq!(explanation["iteration"].as_u64(), Some(3));
    assert_eq!(explanation["steps"][0]["symbol"].as_str(), Some("θ"));
    assert_eq!(explanation["steps"][0]["formula"][0].as_str(), Some("row"));
    let next = reports(vis.step(1).expect("step")).remove(0);
    assert_eq!(explanation["next"][0].as_f64(), Some(next.theta.theta0));
    assert_eq!(explanation["next"][1].as_f64(), Some(next.theta.theta1));
    let error = vis.explain_step(4).expect_err("run 4 does not exist");
    assert_eq!(message(error.clone()), "run 4 does not exist (there are 1)");
    assert_eq!(property(&error, "kind").as_string().as_deref(), Some("out-of-range"));
}

#[wasm_bindgen_test]
fn history_tail_gives_the_last_rows() {
    let mut vis = Visualizer::new().expect("constructs");
    vis.step(10).expect("step");
    assert_eq!(vis.history_length(0).expect("history length"), 11);
    let all = vis.history(0).expect("history");
    let tail = vis.history_tail(0, 3).expect("tail");
    // A line's row: iteration, epoch, θ0, θ1, loss, gradient norm.
    assert_eq!(vis.history_width(), 6);
    assert_eq!(tail.len(), 3 * 6);
    assert_eq!(tail[..], all[all.len() - 18..]);
    assert_eq!(tail[0], 8.0, "the rows of iterations 8, 9 and 10");
    assert_eq!(vis.history_tail(0, 50).expect("tail"), all);
    let error = vis.history_tail(2, 3).expect_err("run 2 does not exist");
    assert_eq!(message(error), "run 2 does not exist (there are 1)");
}


#[wasm_bindgen_test]
fn mini_batch_steps_are_the_plain_fisher_yates_ones_bit_for_bit() {
    // The default data (50 points) in batches of 7 and of 1, seeds 5 and 9, across epochs; the
    // native test of the same definition on the same runs is in tests/stepping.rs.
    for (batch, seed) in [(7u32, 5u64), (1, 9)] {
        let mut vis = Visualizer::new().expect("constructs");
        vis.set_seed(0, seed as f64).expect("seed");
        vis.reset(vec![0.0, 0.0]).expect("reset applies the seed");
        vis.set_batch_size(0, batch as f64).expect("batch size");
        vis.set_learning_rate(0, 0.01).expect("rate");
        let (xs, ys) = (vis.xs(), vis.ys());
        let mut done = 0;
        for steps in [1u32, 8, 40, 120] {
            let report = reports(vis.step(steps - done).expect("step")).remove(0);
            done = steps;
            assert_eq!(report.status, "running");
            let expected = reference::reference_sgd(&xs, &ys, batch as usize, seed, 0.01, [0.0, 0.0], steps as u64);
            assert_eq!(
                [report.theta.theta0.to_bits(), report.theta.theta1.to_bits()],
                expected.map(f64::to_bits),
                "b = {batch}, seed {seed}, after {steps} updates"
            );
        }
    }
}

#[wasm_bindgen_test]
fn a_polynomial_steps_draws_and_keeps_its_degree_across_data() {
    let mut vis = Visualizer::new().expect("constructs");
    vis.set_model("polynomial", 3.0).expect("degree 3");
    assert_eq!(vis.degree(), 3);
    assert_eq!(vis.feature_names(), ["x", "x²", "x³"]);
    assert_eq!(vis.theta_start(), vec![0.0; 4], "four coefficients, restarted at 0");
    assert_eq!(vis.history_width(), 8);
    let analysis: serde_json::Value = serde_wasm_bindgen::from_value(vis.analysis().expect("analysis")).expect("analysis");
    assert_eq!(analysis["curvature"]["spectrum"].as_array().map(Vec::len), Some(4));
    vis.set_learning_rate(0, 0.001).expect("rate");
    let steps: serde_json::Value = serde_wasm_bindgen::from_value(vis.step(10).expect("step")).expect("reports");
    assert_eq!(steps[0]["theta"]["theta"].as_array().map(Vec::len), Some(4));
    assert_eq!(steps[0]["iteration"], 10);
    // Drawn without a panic on every plot.
    vis.set_pixel_ratio(1.0);
    let layers = |n: usize| (0..n).map(|_| JsValue::from(canvas(300, 200))).collect::<js_sys::Array>();
    let coefficients = canvas(300, 200);
    vis.attach("surface", layers(4)).expect("surface");
    vis.attach("fit", layers(2)).expect("fit");
    vis.attach("loss", layers(2)).expect("loss");
    vis.attach("coefficients", [JsValue::from(canvas(300, 200)), JsValue::from(&coefficients)].iter().collect::<js_sys::Array>()).expect("coefficients");
    vis.draw().expect("draw");
    assert!(has_ink(&coefficients));
    // The surface's coefficients: any two distinct of the four.
    assert_eq!(vis.surface_axes(), vec![0, 1]);
    vis.set_surface_axes(1.0, 3.0).expect("(θ1, θ3)");
    assert_eq!(vis.surface_axes(), vec![1, 3]);
    vis.draw().expect("draw the other plane");
    assert_eq!(message(vis.set_surface_axes(1.0, 1.0).expect_err("the same twice")), "surface axes must be a valid setting, got (1, 1)");
    assert_eq!(message(vis.set_surface_axes(0.0, 4.0).expect_err("θ4 does not exist")), "surface axes must be an integer in [0, 3], got 4");
    // A start of the wrong length, a degree out of range: refused, nothing changed.
    assert_eq!(message(vis.reset(vec![1.0, 2.0]).expect_err("two values")), "start θ must be 4 finite coordinates (θ0 to θ3), got (1, 2)");
    assert_eq!(message(vis.set_model("polynomial", 11.0).expect_err("too high")), "polynomial degree must be an integer in [2, 10], got 11");
    assert_eq!(vis.model(), "polynomial");
    assert_eq!(vis.degree(), 3);
    vis.reset(vec![1.0, 0.0, 0.0, 0.5]).expect("a start of four");
    assert_eq!(vis.theta_start(), vec![1.0, 0.0, 0.0, 0.5]);
    // Loading another data set keeps the degree; degree 1 is the line again.
    vis.load_preset("noisy", 200.0, 1.0, 1.0).expect("preset");
    assert_eq!(vis.history_width(), 8);
    vis.set_model("line", f64::NAN).expect("the line");
    assert_eq!(vis.model(), "line");
    assert_eq!(vis.theta_start(), vec![0.0, 0.0]);
    assert_eq!(vis.history_width(), 6);
}

#[wasm_bindgen_test]
fn several_columns_come_from_a_preset_or_a_file_and_choose_the_model() {
    let mut vis = Visualizer::new().expect("constructs");
    // The two-feature preset: three coefficients, the columns' names, the model of every column.
    vis.load_preset("two-features", 100.0, 1.0, 1.0).expect("preset");
    assert_eq!(vis.model(), "columns");
    assert_eq!(vis.feature_names(), ["x1", "x2"]);
    assert_eq!(vis.theta_start(), vec![0.0; 3]);
    assert_eq!(message(vis.set_model("polynomial", 3.0).expect_err("powers of two columns")), "feature columns must be 1 (the powers are those of one x column), got 2");
    assert_eq!(message(vis.set_model("cubic", 3.0).expect_err("no such model")), "model must be one of line, polynomial, columns, got \"cubic\"");
    // A three-column file with a header: its names label the coefficients.
    vis.import_csv("height,weight,price\n1,2,10\n2,1,11\n3,5,20\n4,3,17\n").expect("import");
    assert_eq!(vis.column_names(), ["height", "weight", "price"]);
    assert_eq!(vis.feature_names(), ["height", "weight"]);
    assert_eq!(vis.export_csv(), "height,weight,price\n1,2,10\n2,1,11\n3,5,20\n4,3,17\n");
    // A bad file: line and column named, the data as it was.
    let error = message(vis.import_csv("a,b,c\n1,2,3\n4,5\n").expect_err("short row"));
    assert_eq!(error, "line 3: expected 3 columns, as in the first row, found 2");
    assert_eq!(vis.feature_names(), ["height", "weight"]);
    vis.set_model("columns", 0.0).expect("all columns stays");
    // Leaving a column out: two coefficients, the column kept in the data; never none, never
    // out of range; points of several columns are not edited on the plot.
    vis.set_feature_columns(vec![1]).expect("weight only");
    assert_eq!(vis.feature_names(), ["weight"]);
    assert_eq!(vis.theta_start(), vec![0.0; 2]);
    assert_eq!(vis.model(), "columns");
    assert_eq!(vis.export_csv(), "height,weight,price\n1,2,10\n2,1,11\n3,5,20\n4,3,17\n");
    let refused = "feature columns must be one or more of the columns 0 to 1, each once, in increasing order";
    assert_eq!(message(vis.set_feature_columns(vec![]).expect_err("none")), format!("{refused}, got ()"));
    assert_eq!(message(vis.set_feature_columns(vec![0, 2]).expect_err("no third")), format!("{refused}, got (0, 2)"));
    assert_eq!(message(vis.set_feature_columns(vec![1, 0]).expect_err("order")), format!("{refused}, got (1, 0)"));
    assert_eq!(vis.feature_columns(), vec![1]);
    assert!(vis.add_point(1.0, 2.0).is_err());
    vis.set_feature_columns(vec![0, 1]).expect("both again");
    assert_eq!(vis.feature_names(), ["height", "weight"]);
    // Two columns: the line again, or the polynomial when one was chosen.
    vis.set_points(vec![0.0, 1.0, 2.0], vec![1.0, 3.0, 5.0]).expect("points");
    assert_eq!(vis.model(), "line");
    assert_eq!(message(vis.set_model("columns", 0.0).expect_err("one column")), "feature columns must be at least 2 (All columns fits data of several x columns), got 1");
    vis.set_model("polynomial", 2.0).expect("a parabola");
    vis.load_preset("two-features", 50.0, 0.0, 2.0).expect("preset");
    assert_eq!(vis.model(), "columns");
    vis.import_csv("x,y\n0,1\n1,2\n2,5\n").expect("two columns");
    assert_eq!(vis.model(), "polynomial");
    assert_eq!(vis.feature_names(), ["x", "x²"]);
}

#[wasm_bindgen_test]
fn step_sizes_cross_the_boundary_with_their_errors_and_trials() {
    let mut vis = Visualizer::new().expect("constructs");
    vis.set_learning_rate(0, 1.0).expect("rate");
    let armijo = serde_wasm_bindgen::to_value(&serde_json::json!({"kind": "armijo", "beta": 0.5, "c": 1e-4})).unwrap();
    vis.set_line_search(0, armijo).expect("Armijo");
    vis.step(1).expect("step");
    let trials: serde_json::Value = serde_wasm_bindgen::from_value(vis.line_search_trials(0).expect("trials")).expect("trials");
    let trials = trials.as_array().expect("a list");
    assert!(!trials.is_empty());
    assert_eq!(trials[0]["eta"], 1.0, "from η₀ = the learning rate");
    assert_eq!(trials.last().unwrap()["accepted"], true);
    // A mini-batch is refused while the search is on; a bad rule object names the rule.
    assert_eq!(
        message(vis.set_batch_size(0, 5.0).expect_err("mini-batch")),
        "batch size must be the full batch of 50 (line searches, Newton and CG use every point), got 5"
    );
    let bad = serde_wasm_bindgen::to_value(&serde_json::json!({"kind": "bold-driver", "up": 0.5, "down": 0.5})).unwrap();
    assert_eq!(message(vis.set_rate_rule(0, bad).expect_err("up below 1")), "increase factor up must be in [1, 10], got 0.5");
    // The methods ladder: five full-batch comparisons, CG and Newton last.
    let ladder: serde_json::Value = serde_wasm_bindgen::from_value(vis.methods_ladder().expect("ladder")).expect("configs");
    let kinds: Vec<&str> = ladder.as_array().unwrap().iter().map(|c| c["optimizer"]["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["sgd", "momentum", "sgd", "cg", "newton"]);
    assert_eq!(ladder[2]["line_search"]["kind"], "exact");
}

#[wasm_bindgen_test]
fn run_1_crosses_as_a_python_script_of_the_columns_the_model_fits() {
    let mut vis = Visualizer::new().expect("constructs");
    vis.import_csv("height,weight,price\n1,2,10\n2,1,11\n3,5,20\n4,3,17\n").expect("import");
    vis.set_feature_columns(vec![1]).expect("weight only");
    vis.step(2).expect("step");
    let numpy = vis.export_script("numpy").expect("NumPy");
    assert!(numpy.contains("# The feature: weight itself (d = 1)."));
    assert!(numpy.contains("    [2.0, 10.0],") && numpy.contains("UPDATES = 2") && numpy.contains("THETA_START = [0.0, 0.0]"));
    let torch = vis.export_script("pytorch").expect("PyTorch");
    assert!(torch.contains("model = nn.Linear(d, 1)"));
    assert_eq!(message(vis.export_script("julia").expect_err("no such script")), "script must be one of pytorch, numpy, got \"julia\"");
}

#[wasm_bindgen_test]
fn the_tuning_tools_refuse_bad_input_and_draw_without_touching_the_runs() {
    let mut vis = Visualizer::new().expect("the default visualizer constructs");
    // Before a start: an error, not a panic; nothing to read or to click.
    assert!(message(vis.range_test_advance(5).unwrap_err()).contains("range test"));
    assert!(vis.range_test_result().unwrap().is_null());
    assert!(vis.range_test_rate_at(10.0, 10.0).is_nan());
    assert!(message(vis.rate_map_measure(5).unwrap_err()).contains("stability map"));
    assert!(vis.rate_map_point_at(10.0, 10.0).is_empty());
    // Bad settings name themselves.
    for (start, end, num_it, beta, factor, name) in [
        (f64::NAN, 10.0, 100.0, 0.98, 4.0, "start rate"),
        (1e-7, 1e-8, 100.0, 0.98, 4.0, "end rate"),
        (1e-7, 10.0, 5.5, 0.98, 4.0, "number of updates"),
        (1e-7, 10.0, 100.0, -0.1, 4.0, "smoothing β"),
        (1e-7, 10.0, 100.0, 0.98, f64::INFINITY, "stop factor"),
    ] {
        let error = message(vis.range_test_start(start, end, num_it, beta, factor).unwrap_err());
        assert!(error.starts_with(name), "{error}");
    }
    // A whole range test and the map, drawn; run 1 stays at iteration 0.
    vis.range_test_start(1e-7, 10.0, 100.0, 0.98, 4.0).expect("starts");
    let mut done = false;
    for _ in 0..200 {
        done = vis.range_test_advance(7).expect("advances");
        if done {
            break;
        }
    }
    assert!(done, "the test stops within its 100 updates");
    let plot = canvas(640, 360);
    vis.draw_range_test(&plot).expect("draws");
    assert!(has_ink(&plot));
    assert!(vis.range_test_rate_at(320.0, 180.0) > 0.0);
    vis.rate_map_start().expect("starts");
    while !vis.rate_map_measure(40).expect("measures") {}
    let map = canvas(640, 384);
    vis.draw_rate_map(&map).expect("draws");
    assert!(has_ink(&map));
    assert_eq!(vis.rate_map_point_at(320.0, 190.0).len(), 2);
    let report = reports(vis.reports().unwrap());
    assert_eq!(report[0].iteration, 0);
}
