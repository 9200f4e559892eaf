//! The catalogue is the table the core validates with: every default passes, every value just
//! outside a range is refused with that range's words, each optimizer and schedule has one name
//! (the aliases rms-prop and step-decay still load), and the page's copy of it has the documented shape.

use gdviz::catalog::{self, catalog, check_value, Param, OPTIMIZERS, SCHEDULES};
use gdviz::error::{english_name, Range};
use gdviz::least_squares::objective::Regularization;
use gdviz::descent::optimizer::Optimizer;
use gdviz::descent::run::RunConfig;
use gdviz::descent::schedule::Schedule;
use serde_json::{json, Value};

/// The float just below and just above `v`.
fn below(v: f64) -> f64 {
    if v == 0.0 { -f64::from_bits(1) } else if v > 0.0 { f64::from_bits(v.to_bits() - 1) } else { f64::from_bits(v.to_bits() + 1) }
}
fn above(v: f64) -> f64 {
    -below(-v)
}

/// Values just outside `range`, worked out from its definition.
fn outside(range: Range) -> Vec<f64> {
    match range {
        Range::Positive => vec![0.0, -1e-300, f64::INFINITY, f64::NAN],
        Range::NonNegative => vec![below(0.0), f64::INFINITY, f64::NAN],
        Range::Closed { lo, hi } => vec![below(lo), above(hi), f64::NAN],
        Range::HalfOpen { lo, hi } => vec![below(lo), hi, f64::NAN],
        Range::OpenClosed { lo, hi } => vec![lo, above(hi), f64::NAN],
        Range::IntegerIn { lo, hi } => vec![lo - 1.0, hi + 1.0, lo + 0.5],
        Range::IntegerAtLeast { lo } => vec![lo - 1.0, lo + 0.5],
        Range::AtLeast { min } => vec![below(min), f64::INFINITY, f64::NAN],
        Range::Open { lo, hi } => vec![lo, hi, f64::NAN],
        other => panic!("no values outside {other:?} worked out"),
    }
}

/// The message for `param` refusing `value`, in the catalogue's words; the value as messages
/// quote numbers: plain, in e-notation below 1e-5 or from 1e16 (−5e-324, not 324 digits).
fn refusal(param: &Param, value: f64) -> String {
    let a = value.abs();
    let shown = if a != 0.0 && a.is_finite() && !(1e-5..1e16).contains(&a) { format!("{value:e}") } else { format!("{value}") };
    format!("{} must be {}, got {shown}", english_name(param.name), param.range)
}

#[test]
fn optimizer_defaults_pass_and_values_outside_are_refused() {
    for entry in OPTIMIZERS {
        let optimizer = Optimizer::with_defaults(entry.name).unwrap();
        assert_eq!(optimizer.name(), entry.name);
        assert_eq!(optimizer.entry(), entry);
        optimizer.validate().unwrap();
        for param in entry.params {
            assert_eq!(optimizer.hyperparameter(param.field), Some(param.default), "{} {}", entry.name, param.key);
            for value in outside(param.range) {
                let mut bad = optimizer;
                *bad.hyperparameter_mut(param.field).unwrap() = value;
                assert_eq!(bad.validate().unwrap_err().to_string(), refusal(param, value));
            }
        }
    }
}

#[test]
fn schedule_defaults_pass_and_values_outside_are_refused() {
    for entry in SCHEDULES {
        let schedule = Schedule::with_defaults(entry.name).unwrap();
        assert_eq!(schedule.name(), entry.name);
        assert_eq!(schedule.entry(), entry);
        schedule.validate().unwrap();
        for param in entry.params {
            assert_eq!(schedule.parameter(param.field), Some(param.default), "{} {}", entry.name, param.key);
        }
    }
    // The real-valued parameters through the core's objects, the counts at 0 (all a u64 can hold
    // outside "an integer ≥ 1").
    let gamma = &catalog::GAMMA;
    for value in outside(gamma.range) {
        assert_eq!(Schedule::Exponential { gamma: value }.validate().unwrap_err().to_string(), refusal(gamma, value));
        assert_eq!(Schedule::StepDecay { gamma: value, step_size: 3 }.validate().unwrap_err().to_string(), refusal(gamma, value));
    }
    for value in outside(catalog::DECAY.range) {
        assert_eq!(Schedule::InverseTime { decay: value }.validate().unwrap_err().to_string(), refusal(&catalog::DECAY, value));
    }
    assert_eq!(
        Schedule::StepDecay { gamma: 0.5, step_size: 0 }.validate().unwrap_err().to_string(),
        "step size must be an integer ≥ 1, got 0"
    );
    assert_eq!(Schedule::Cosine { total_steps: 0 }.validate().unwrap_err().to_string(), "total steps must be an integer ≥ 1, got 0");
}

#[test]
fn regularization_and_page_settings_follow_their_entries() {
    Regularization::from_parts("elastic-net", catalog::LAMBDA.default, catalog::L1_RATIO.default).unwrap();
    for value in outside(catalog::LAMBDA.range) {
        assert_eq!(Regularization::from_parts("l1", value, 0.5).unwrap_err().to_string(), refusal(&catalog::LAMBDA, value));
    }
    for value in outside(catalog::L1_RATIO.range) {
        assert_eq!(
            Regularization::from_parts("elastic-net", 0.1, value).unwrap_err().to_string(),
            refusal(&catalog::L1_RATIO, value)
        );
    }
    for param in catalog::params() {
        assert_eq!(check_value(param.key, param.default).unwrap(), param.default, "{}", param.key);
        assert_eq!(check_value(param.name, param.default).unwrap(), param.default, "{}", param.name);
        assert_eq!(param.integer, param.range.is_integer(), "{}", param.key);
        for value in outside(param.range) {
            let error = check_value(param.key, value).unwrap_err();
            assert_eq!(error.to_string(), refusal(param, value));
            assert_eq!(serde_json::to_value(&error).unwrap()["name"], param.name);
        }
    }
    let config = RunConfig::full_batch(catalog::LEARNING_RATE.default, 10);
    config.validate(10).unwrap();
    for value in outside(catalog::LEARNING_RATE.range) {
        let error = RunConfig { learning_rate: value, ..config }.validate(10).unwrap_err();
        assert_eq!(error.to_string(), refusal(&catalog::LEARNING_RATE, value));
    }
}

#[test]
fn check_value_names_the_setting_by_its_error_key() {
    let error = check_value("stepSize", 0.0).unwrap_err();
    assert_eq!(error.to_string(), "step size must be an integer ≥ 1, got 0");
    assert_eq!(serde_json::to_value(&error).unwrap()["name"], "step-size");
    assert_eq!(check_value("learningRate", -1.0).unwrap_err().to_string(), "learning rate must be a finite number > 0, got -1");
    assert_eq!(check_value("speed", 1001.0).unwrap_err().to_string(), "speed must be an integer in [1, 1000], got 1001");
    assert_eq!(check_value("seed", 9_007_199_254_740_992.0).unwrap_err().to_string(),
        "seed must be an integer in [0, 9007199254740991], got 9007199254740992");
    assert_eq!(check_value("momentum", 0.95).unwrap(), 0.95);
    let unknown = serde_json::to_value(check_value("warp", 1.0).unwrap_err()).unwrap();
    assert_eq!(unknown["kind"], "unknown-choice");
    assert_eq!(unknown["name"], "setting");
}

#[test]
fn one_name_each_and_the_aliases_still_load() {
    let rmsprop: Optimizer = serde_json::from_value(json!({"kind": "rms-prop", "alpha": 0.9, "eps": 1e-8})).unwrap();
    assert_eq!(rmsprop, Optimizer::RmsProp { alpha: 0.9, eps: 1e-8 });
    assert_eq!(serde_json::to_value(rmsprop).unwrap(), json!({"kind": "rmsprop", "alpha": 0.9, "eps": 1e-8}));
    let step: Schedule = serde_json::from_value(json!({"kind": "step-decay", "gamma": 0.5, "step_size": 3})).unwrap();
    assert_eq!(step, Schedule::StepDecay { gamma: 0.5, step_size: 3 });
    assert_eq!(serde_json::to_value(step).unwrap(), json!({"kind": "step", "gamma": 0.5, "step_size": 3}));
    let new_step: Schedule = serde_json::from_value(json!({"kind": "step", "gamma": 0.5, "step_size": 3})).unwrap();
    assert_eq!(new_step, step);
    let config: RunConfig = serde_json::from_value(json!({
        "learning_rate": 0.1, "batch_size": 4, "seed": 1, "tol": 1e-6,
        "optimizer": {"kind": "rms-prop", "alpha": 0.99, "eps": 1e-8},
        "schedule": {"kind": "step-decay", "gamma": 0.5, "step_size": 10},
    }))
    .unwrap();
    assert_eq!(config.optimizer.name(), "rmsprop");
    assert_eq!(config.schedule.name(), "step");
    // The from-name functions take both spellings.
    assert_eq!(Optimizer::with_defaults("rms-prop").unwrap(), Optimizer::RmsProp { alpha: 0.99, eps: 1e-8 });
    assert_eq!(Schedule::from_parts("step-decay", 0.5, 3, 1).unwrap(), step);
    assert_eq!(Schedule::with_defaults("step-decay").unwrap(), Schedule::StepDecay { gamma: 0.5, step_size: 10 });
    // Torch's defaults, written out.
    assert_eq!(Optimizer::with_defaults("adam").unwrap(), Optimizer::Adam { beta1: 0.9, beta2: 0.999, eps: 1e-8 });
    assert_eq!(Optimizer::with_defaults("adagrad").unwrap(), Optimizer::Adagrad { eps: 1e-10 });
    assert_eq!(Optimizer::with_defaults("nesterov").unwrap(), Optimizer::Nesterov { momentum: 0.9 });
}

#[test]
fn the_page_copy_has_the_documented_shape() {
    let c: Value = serde_json::to_value(catalog()).unwrap();
    let names = |list: &Value| list.as_array().unwrap().iter().map(|e| e["name"].as_str().unwrap().to_string()).collect::<Vec<_>>();
    assert_eq!(names(&c["optimizers"]), ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "newton", "cg"]);
    assert_eq!(names(&c["schedules"]), ["constant", "step", "exponential", "inverse-time", "cosine"]);
    assert_eq!(names(&c["rate_rules"]), ["none", "bold-driver", "plateau"]);
    assert_eq!(names(&c["line_searches"]), ["none", "exact", "armijo", "bb", "polyak"]);
    assert_eq!(names(&c["regularizations"]), ["none", "l1", "l2", "elastic-net"]);
    assert_eq!(
        c["optimizers"][1],
        json!({"name": "momentum", "aliases": [], "label": "optimizer.momentum", "legend": "Momentum",
               "params": [{"key": "momentum", "name": "momentum", "field": "momentum", "label": "label.momentum",
                           "default": 0.9, "range": {"kind": "half-open", "lo": 0.0, "hi": 1.0},
                           "integer": false, "step": 0.01}]})
    );
    assert_eq!(c["optimizers"][4]["aliases"], json!(["rms-prop"]));
    assert_eq!(c["optimizers"][3]["params"][0]["default"], 1e-10);
    assert_eq!(c["schedules"][1]["aliases"], json!(["step-decay"]));
    let step_size = &c["schedules"][1]["params"][1];
    assert_eq!(step_size["key"], "stepSize");
    assert_eq!(step_size["field"], "step_size");
    assert_eq!(step_size["default"], 10.0);
    assert_eq!(step_size["range"], json!({"kind": "integer-at-least", "lo": 1.0}));
    assert_eq!(step_size["integer"], true);
    assert_eq!(c["schedules"][4]["params"][0]["key"], "totalSteps");
    assert_eq!(c["regularization_params"][1]["key"], "l1Ratio");
    assert_eq!(c["regularization_params"][1]["range"], json!({"kind": "closed", "lo": 0.0, "hi": 1.0}));
    assert_eq!(c["max_runs"], 6);
    assert_eq!(c["run_colors"], json!(["#d55e00", "#0072b2", "#009e73", "#cc79a7", "#e69f00", "#56b4e9"]));
    assert_eq!(c["learning_rate"]["default"], 0.05);
    assert_eq!(c["learning_rate"]["range"], json!({"kind": "positive"}));
    assert_eq!(c["learning_rate"]["slider"], json!([1e-5, 10.0]));
    assert_eq!(c["batch_size"]["min"], 1);
    assert_eq!(c["points"]["range"], json!({"kind": "integer-in", "lo": 2.0, "hi": 1e6}));
    assert_eq!(c["seed"]["range"], json!({"kind": "integer-in", "lo": 0.0, "hi": 9007199254740991.0}));
    assert_eq!(c["seed"]["default"], 1.0);
    assert_eq!(c["speed"]["default"], 2.0);
    assert_eq!(c["tolerance"], 1e-6);
    assert_eq!(c["presets"][0]["name"], "clean");
    assert_eq!(c["presets"][0]["points"], 50);
    let names = c["value_names"].as_array().unwrap();
    assert!(names.contains(&json!({"key": "learning-rate", "english": "learning rate"})));
    assert!(names.contains(&json!({"key": "step-size", "english": "step size"})));
}

#[test]
fn every_optimizer_entry_makes_the_optimizer_of_its_name() {
    // An entry without its arm in Optimizer::with_defaults would run plain descent under its name.
    for entry in OPTIMIZERS {
        let optimizer = Optimizer::with_defaults(entry.name).unwrap();
        assert_eq!(optimizer.name(), entry.name, "the catalogue's {} makes {}", entry.name, optimizer.name());
    }
}
