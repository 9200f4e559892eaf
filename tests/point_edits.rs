//! Editing single points updates the sufficient statistics in place: after every edit of a
//! long sequence they agree with the statistics computed from the edited points from scratch;
//! an edit that leaves x without spread is caught exactly; a refused edit changes nothing.

use gdviz::least_squares::data::{Dataset, SufficientStats};
use gdviz::least_squares::features::Features;
use gdviz::{Regularization, RunConfig, Session, Theta};

/// A small deterministic generator (an LCG) for the edits.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        ((self.next() * n as f64) as usize).min(n - 1)
    }
}

/// Every statistic of `a` within `tol` of `b` (relative to the scale of each).
fn agree(a: &SufficientStats, b: &SufficientStats, tol: f64) -> Result<(), String> {
    let near = |x: f64, y: f64, scale: f64, what: &str| {
        if (x - y).abs() <= tol * scale.max(y.abs()) {
            Ok(())
        } else {
            Err(format!("{what}: {x} vs {y}"))
        }
    };
    if a.n != b.n {
        return Err(format!("n: {} vs {}", a.n, b.n));
    }
    near(a.mean_y, b.mean_y, b.var_y.sqrt(), "ȳ")?;
    near(a.var_y, b.var_y, b.var_y, "var y")?;
    near(a.rss, b.rss, 1e-3 * b.var_y, "rss")?;
    for j in 0..b.d {
        let scale = b.cov[j][j].sqrt();
        near(a.mean[j], b.mean[j], scale, "mean")?;
        near(a.cov_y[j], b.cov_y[j], scale * b.var_y.sqrt(), "cov y")?;
        for k in 0..b.d {
            near(a.cov[j][k], b.cov[j][k], scale * b.cov[k][k].sqrt(), "cov")?;
        }
    }
    Ok(())
}

#[test]
fn a_thousand_edits_keep_the_statistics_those_of_the_points() {
    for features in [Features::Columns, Features::Powers { degree: 3 }] {
        let mut rng = Lcg(7);
        let xs: Vec<f64> = (0..200).map(|_| 4.0 * rng.next() - 2.0).collect();
        let ys: Vec<f64> = xs.iter().map(|&x| 1.0 + x - 0.5 * x * x + 0.3 * (rng.next() - 0.5)).collect();
        let mut data = Dataset::with_features(vec![xs], ys, features).unwrap();
        for step in 0..1000 {
            let (x, y) = (4.0 * rng.next() - 2.0, 3.0 * rng.next() - 1.0);
            match step % 3 {
                0 => data.add_point(x, y).unwrap(),
                1 => data.move_point(rng.below(data.len()), x, y).unwrap(),
                _ => data.remove_point(rng.below(data.len())).unwrap(),
            }
            let scratch = Dataset::with_features(data.columns().to_vec(), data.ys().to_vec(), features).unwrap();
            agree(data.stats(), scratch.stats(), 1e-10).unwrap_or_else(|e| panic!("{features:?}, edit {step}: {e}"));
        }
    }
}

#[test]
fn an_edit_that_leaves_x_without_spread_is_caught_exactly() {
    let mut data = Dataset::new(vec![1.0, 1.0, 1.0, 2.0, 3.0], vec![0.0, 1.0, 2.0, 3.0, 4.0]).unwrap();
    data.move_point(3, 1.0, 3.0).unwrap();
    data.move_point(4, 1.0, 4.0).unwrap();
    assert_eq!(data.stats().sxx(), 0.0);
    let objective = gdviz::Objective::new(*data.stats(), Regularization::None).unwrap();
    assert!(objective.optimum().is_err(), "x has no spread: no unique optimum");
    // And spread again.
    data.add_point(5.0, 1.0).unwrap();
    let scratch = Dataset::new(data.xs().to_vec(), data.ys().to_vec()).unwrap();
    agree(data.stats(), scratch.stats(), 1e-12).unwrap();
}

#[test]
fn a_refused_edit_changes_nothing() {
    let mut data = Dataset::new(vec![0.0, 1.0, 2.0], vec![1.0, 3.0, 5.0]).unwrap();
    let before = data.clone();
    assert_eq!(data.add_point(f64::NAN, 1.0).unwrap_err().to_string(), "x of point must be a finite number with magnitude ≤ 1e150, got NaN (point 4)");
    assert_eq!(data.move_point(1, 0.0, f64::INFINITY).unwrap_err().to_string(), "y of point must be a finite number with magnitude ≤ 1e150, got inf (point 2)");
    assert!(data.move_point(3, 0.0, 0.0).unwrap_err().to_string().contains("point"));
    data.remove_point(0).unwrap();
    let two = data.clone();
    assert!(data.remove_point(0).is_err(), "two points stay");
    assert_eq!(data, two);
    assert_ne!(data, before);
    // Data of two feature columns is not edited point by point.
    let mut columns = Dataset::with_features(vec![vec![0.0, 1.0, 2.0], vec![1.0, 0.0, 1.0]], vec![1.0, 2.0, 3.0], Features::Columns).unwrap();
    assert_eq!(
        columns.add_point(1.0, 1.0).unwrap_err().to_string(),
        "feature columns must be 1 (the powers are those of one x column), got 2"
    );
}

#[test]
fn a_session_edits_its_points_standardized_or_not_and_keeps_its_runs() {
    let xs: Vec<f64> = (0..30).map(|i| i as f64 * 0.1).collect();
    let ys: Vec<f64> = xs.iter().map(|x| 1.0 + 2.0 * x).collect();
    for standardize in [false, true] {
        let data = Dataset::new(xs.clone(), ys.clone()).unwrap();
        let mut s = Session::new(data, Regularization::None, RunConfig::full_batch(0.1, 30), Theta::new(0.5, 0.5)).unwrap();
        s.set_standardize(standardize).unwrap();
        s.step(5);
        let theta = s.reports()[0].theta;
        s.edit_data(|d| d.move_point(3, 0.3, 10.0)).unwrap();
        assert_eq!(s.reports()[0].theta, theta, "θ is kept");
        // The fitted data is the edited data, standardized when asked, from scratch.
        let mut edited = ys.clone();
        edited[3] = 10.0;
        let scratch = Dataset::new(xs.clone(), edited).unwrap();
        let scratch = if standardize { scratch.standardized().unwrap().0 } else { scratch };
        agree(s.data().stats(), scratch.stats(), 1e-12).unwrap();
        assert!(s.edit_data(|d| d.move_point(99, 0.0, 0.0)).is_err());
        agree(s.data().stats(), scratch.stats(), 1e-12).unwrap();
    }
}

#[test]
fn settling_after_edits_gives_the_statistics_of_the_points_to_the_last_bit() {
    let xs: Vec<f64> = (0..50).map(|i| (i as f64 * 0.37).sin() * 3.0).collect();
    let ys: Vec<f64> = xs.iter().map(|x| 0.5 - x + 0.1 * x * x).collect();
    let mut data = Dataset::new(xs, ys).unwrap();
    for k in 0..20 {
        data.move_point(k, k as f64 * 0.1, 1.0 - k as f64 * 0.05).unwrap();
    }
    let scratch = Dataset::new(data.xs().to_vec(), data.ys().to_vec()).unwrap();
    assert!(data.settle(), "in-place updates differ from a pass in their last bits");
    assert_eq!(data.stats(), scratch.stats());
    assert!(!data.settle(), "settled data stays as it is");
}
