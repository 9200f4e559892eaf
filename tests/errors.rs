//! Errors as data: each error's parts (kind, key, value, range, known choices, CSV line and
//! problem) serialize as one object beside its English message, and each range's check agrees
//! with its words.

use gdviz::least_squares::csv_io::read_csv;
use gdviz::least_squares::data::{self, Dataset};
use gdviz::error::{english_name, Error, Range, VALUE_NAMES};
use gdviz::least_squares::objective::Regularization;
use gdviz::descent::optimizer::Optimizer;
use serde_json::{json, Value};

fn parts(error: &Error) -> Value {
    serde_json::to_value(error).expect("an error serializes")
}

#[test]
fn an_invalid_value_carries_its_key_value_and_range() {
    let error = Optimizer::Momentum { momentum: 2.0 }.validate().unwrap_err();
    assert_eq!(
        parts(&error),
        json!({
            "kind": "invalid-value",
            "message": "momentum μ must be in [0, 1), got 2",
            "name": "momentum",
            "value": "2",
            "range": {"kind": "half-open", "lo": 0.0, "hi": 1.0},
        })
    );
    let error = Regularization::from_parts("l2", -1.0, 0.5).unwrap_err();
    assert_eq!(parts(&error)["name"], "lambda");
    assert_eq!(parts(&error)["range"], json!({"kind": "closed", "lo": 0.0, "hi": 1e6}));
}

#[test]
fn a_csv_error_carries_line_column_and_problem() {
    let error = read_csv("x,y\n1,2\n3,abc\n".as_bytes()).unwrap_err();
    assert_eq!(
        parts(&error),
        json!({
            "kind": "csv",
            "message": "line 3, column 2: \"abc\" is not a number",
            "line": 3,
            "column": 2,
            "problem": {"kind": "not-a-number", "text": "abc", "truncated": false},
        })
    );
    // A whole row at fault: the column is there, as null.
    let error = read_csv("1,2\n3,4,5\n".as_bytes()).unwrap_err();
    let value = parts(&error);
    assert_eq!(value["column"], Value::Null);
    assert!(value.as_object().unwrap().contains_key("column"));
    assert_eq!(value["problem"], json!({"kind": "columns", "expected": 2, "found": 3}));
    let error = read_csv("1,2\n".as_bytes()).unwrap_err();
    assert_eq!(parts(&error)["problem"], json!({"kind": "too-few-rows", "found": 1, "min": 2}));
    assert_eq!(error.to_string(), "line 1: the file ends after 1 data row; at least 2 are needed to fit a line");
}

#[test]
fn choices_points_and_indices_carry_their_numbers() {
    let error = Optimizer::with_defaults("lbfgs").unwrap_err();
    let value = parts(&error);
    assert_eq!(value["kind"], "unknown-choice");
    assert_eq!(value["name"], "optimizer");
    assert_eq!(value["value"], "lbfgs");
    assert_eq!(value["known"], json!(["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "newton", "cg"]));

    let error = data::preset("wiggly").unwrap_err();
    let value = parts(&error);
    assert_eq!(value["kind"], "unknown-preset");
    assert_eq!(value["name"], "dataset");
    assert_eq!(value["value"], "wiggly");
    assert_eq!(value["known"], json!(["clean", "noisy", "outliers", "ill-conditioned"]));

    let error = Dataset::new(vec![1.0], vec![2.0]).unwrap_err();
    assert_eq!(
        parts(&error),
        json!({"kind": "too-few-points", "message": "the data must have at least 2 points, got 1", "count": 1, "min": 2})
    );

    let error = Error::OutOfRange { name: "run", index: 3, len: 1 };
    assert_eq!(
        parts(&error),
        json!({"kind": "out-of-range", "message": "run 3 does not exist (there are 1)", "name": "run", "index": 3, "len": 1})
    );

    let error = Dataset::new(vec![1.0, 2.0], vec![f64::NAN, 3.0]).unwrap_err();
    assert_eq!(parts(&error)["name"], "y-of-point");
    assert_eq!(parts(&error)["range"], json!({"kind": "magnitude-at-most", "max": 1e150}));
}

#[test]
fn every_key_has_one_english_name() {
    for (i, (key, name)) in VALUE_NAMES.iter().enumerate() {
        assert_eq!(english_name(key), *name);
        assert!(!VALUE_NAMES[..i].iter().any(|(k, _)| k == key), "{key} twice");
        assert!(key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'), "{key} is not kebab-case");
    }
    assert_eq!(english_name("learning-rate"), "learning rate");
    assert_eq!(english_name("l1-ratio"), "L1 ratio ρ");
}

#[test]
fn each_range_checks_what_its_words_say() {
    let cases: [(Range, &str, &[f64], &[f64]); 10] = [
        (Range::Positive, "a finite number > 0", &[1e-300, 5.0], &[0.0, -1.0, f64::INFINITY, f64::NAN]),
        (Range::NonNegative, "a finite number ≥ 0", &[0.0, 3.0], &[-1e-300, f64::INFINITY]),
        (Range::Finite, "a finite number", &[-1e300, 0.0], &[f64::NEG_INFINITY, f64::NAN]),
        (Range::Closed { lo: 0.0, hi: 1.0 }, "in [0, 1]", &[0.0, 1.0], &[-0.01, 1.01]),
        (Range::HalfOpen { lo: 0.0, hi: 1.0 }, "in [0, 1)", &[0.0, 0.999], &[1.0, -0.1]),
        (Range::OpenClosed { lo: 0.0, hi: 1.0 }, "in (0, 1]", &[1e-9, 1.0], &[0.0, 1.5]),
        (Range::IntegerIn { lo: 2.0, hi: 1e6 }, "an integer in [2, 1000000]", &[2.0, 1e6], &[1.0, 2.5, 1e6 + 1.0]),
        (Range::IntegerAtLeast { lo: 1.0 }, "an integer ≥ 1", &[1.0, 1e12], &[0.0, 1.5]),
        (Range::AtMost { max: 6.0 }, "at most 6", &[6.0, -3.0], &[7.0]),
        (Range::GreaterThan { than: "x-min", bound: 3.0 }, "a finite number > x min (3)", &[3.5], &[3.0, 1.0]),
    ];
    for (range, words, inside, outside) in cases {
        assert_eq!(range.to_string(), words);
        for &v in inside {
            assert!(range.contains(v), "{v} should be {words}");
        }
        for &v in outside {
            assert!(!range.contains(v), "{v} should not be {words}");
            // The value as messages quote numbers: in e-notation below 1e-5 (−1e-300).
            let shown = if v != 0.0 && v.abs() < 1e-5 { format!("{v:e}") } else { format!("{v}") };
            assert_eq!(range.check("tolerance", v).unwrap_err().to_string(), format!("tolerance must be {words}, got {shown}"));
        }
    }
}
