//! The step-size rules (bold driver, ReduceLROnPlateau), the line searches (exact, Armijo,
//! Barzilai–Borwein, Polyak) and the second-order methods (Newton, conjugate gradient) against a
//! reimplementation here: the gradient and the Hessian by direct loops over the points (rows
//! z = (1, x₁, …, x_d)), θ* by Gaussian elimination of the normal equations, each rule a loop
//! over its published formula, and torch's ReduceLROnPlateau from its source's logic.

use gdviz::least_squares::data::Dataset;
use gdviz::least_squares::features::Features;
use gdviz::least_squares::objective::{Objective, Regularization, Theta};
use gdviz::descent::optimizer::Optimizer;
use gdviz::descent::run::{Run, RunConfig, Status};
use gdviz::session::Session;
use gdviz::descent::step_size::{LineSearch, RateRule};

// ---------------------------------------------------------------------------------------------
// The reference: J, ∇J, H of ½·mean squared error by loops over the rows, θ* by elimination.
// ---------------------------------------------------------------------------------------------

struct Problem {
    rows: Vec<Vec<f64>>, // z = (1, x…)
    ys: Vec<f64>,
    l2: f64,
    l1: f64,
}

impl Problem {
    fn p(&self) -> usize {
        self.rows[0].len()
    }
    fn residuals(&self, t: &[f64]) -> Vec<f64> {
        self.rows.iter().zip(&self.ys).map(|(z, y)| z.iter().zip(t).map(|(a, b)| a * b).sum::<f64>() - y).collect()
    }
    /// f(θ) = 1/(2n)·Σr² + λ2/2·Σ slopes².
    fn smooth(&self, t: &[f64]) -> f64 {
        let n = self.ys.len() as f64;
        self.residuals(t).iter().map(|r| r * r).sum::<f64>() / (2.0 * n) + 0.5 * self.l2 * t[1..].iter().map(|b| b * b).sum::<f64>()
    }
    fn loss(&self, t: &[f64]) -> f64 {
        self.smooth(t) + self.l1 * t[1..].iter().map(|b| b.abs()).sum::<f64>()
    }
    fn gradient(&self, t: &[f64]) -> Vec<f64> {
        let n = self.ys.len() as f64;
        let r = self.residuals(t);
        (0..self.p())
            .map(|j| {
                let data: f64 = self.rows.iter().zip(&r).map(|(z, r)| z[j] * r).sum::<f64>() / n;
                if j > 0 { data + self.l2 * t[j] } else { data }
            })
            .collect()
    }
    fn hessian(&self) -> Vec<Vec<f64>> {
        let n = self.ys.len() as f64;
        let p = self.p();
        (0..p)
            .map(|a| {
                (0..p)
                    .map(|b| self.rows.iter().map(|z| z[a] * z[b]).sum::<f64>() / n + if a == b && a > 0 { self.l2 } else { 0.0 })
                    .collect()
            })
            .collect()
    }
    fn hess_times(&self, v: &[f64]) -> Vec<f64> {
        self.hessian().iter().map(|row| row.iter().zip(v).map(|(a, b)| a * b).sum()).collect()
    }
    /// θ* = H⁻¹b, b = (1/n)Zᵀy, by Gaussian elimination with partial pivoting.
    fn optimum(&self) -> Vec<f64> {
        let n = self.ys.len() as f64;
        let p = self.p();
        let mut a = self.hessian();
        let mut b: Vec<f64> = (0..p).map(|j| self.rows.iter().zip(&self.ys).map(|(z, y)| z[j] * y).sum::<f64>() / n).collect();
        solve(&mut a, &mut b)
    }
    fn data(&self) -> Dataset {
        let d = self.p() - 1;
        let columns: Vec<Vec<f64>> = (1..=d).map(|j| self.rows.iter().map(|z| z[j]).collect()).collect();
        Dataset::with_features(columns, self.ys.clone(), Features::Columns).unwrap()
    }
    fn objective(&self) -> Objective {
        let regularization = match (self.l1 > 0.0, self.l2 > 0.0) {
            (false, false) => Regularization::None,
            (false, true) => Regularization::L2 { lambda: self.l2 },
            (true, false) => Regularization::L1 { lambda: self.l1 },
            (true, true) => panic!("one penalty at a time here"),
        };
        Objective::new(*self.data().stats(), regularization).unwrap()
    }
}

fn solve(a: &mut [Vec<f64>], b: &mut [f64]) -> Vec<f64> {
    let p = b.len();
    for col in 0..p {
        let pivot = (col..p).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs())).unwrap();
        a.swap(col, pivot);
        b.swap(col, pivot);
        let (upper, lower) = a.split_at_mut(col + 1);
        let pivot_row = &upper[col];
        for (offset, row) in lower.iter_mut().enumerate() {
            let f = row[col] / pivot_row[col];
            for (x, p) in row.iter_mut().zip(pivot_row).skip(col) {
                *x -= f * p;
            }
            b[col + 1 + offset] -= f * b[col];
        }
    }
    let mut x = vec![0.0; p];
    for row in (0..p).rev() {
        let s: f64 = (row + 1..p).map(|k| a[row][k] * x[k]).sum();
        x[row] = (b[row] - s) / a[row][row];
    }
    x
}

fn dot(u: &[f64], v: &[f64]) -> f64 {
    u.iter().zip(v).map(|(a, b)| a * b).sum()
}

/// Points of d features, deterministic, correlated so that the valley is narrow: x₁ in [4, 6]
/// like the ill-conditioned preset, the others mixing it.
fn problem(d: usize, n: usize) -> Problem {
    problem_over(d, n, 4.0)
}

/// The same with x₁ in [x0, x0 + 2] (x0 = −1: a round valley, so that the methods whose steps
/// follow the gradient's last digits, CG and BB, are compared over many digits).
fn problem_over(d: usize, n: usize, x0: f64) -> Problem {
    let mut rows = Vec::new();
    let mut ys = Vec::new();
    for i in 0..n {
        let u = i as f64 / (n - 1) as f64;
        let x1 = x0 + 2.0 * u;
        let mut z = vec![1.0, x1];
        for j in 2..=d {
            z.push(((i * (j + 3)) % 7) as f64 / 3.0 - 1.0 + 0.1 * x1);
        }
        let noise = ((i * 37) % 11) as f64 / 11.0 - 0.5;
        let y = 1.0 + 2.0 * x1 + z[2..].iter().enumerate().map(|(k, x)| (k as f64 + 1.0) * x).sum::<f64>() + 0.2 * noise;
        rows.push(z);
        ys.push(y);
    }
    Problem { rows, ys, l2: 0.0, l1: 0.0 }
}

/// A full-batch run of `config` from θ = 0, `steps` updates, with the rate after each update.
fn run(problem: &Problem, config: RunConfig, steps: u64) -> (Run, Vec<(Vec<f64>, f64)>) {
    let data = problem.data();
    let objective = problem.objective();
    let mut run = Run::new(config, Theta::zeros(problem.p()), &data, &objective).unwrap();
    let mut path = Vec::new();
    for _ in 0..steps {
        let report = run.step(1, &data, &objective);
        path.push((report.theta.as_slice().to_vec(), report.lr_effective));
    }
    (run, path)
}

fn config(n: usize, lr: f64) -> RunConfig {
    RunConfig { tol: 1e-300, ..RunConfig::full_batch(lr, n) }
}

fn close(a: &[f64], b: &[f64], rel: f64) -> bool {
    a.iter().zip(b).all(|(x, y)| (x - y).abs() <= rel * y.abs().max(1.0))
}

// ---------------------------------------------------------------------------------------------
// Second-order methods
// ---------------------------------------------------------------------------------------------

#[test]
fn newton_at_rate_one_reaches_the_optimum_in_one_step() {
    for d in 1..=3 {
        let p = problem(d, 40);
        let (_, path) = run(&p, RunConfig { optimizer: Optimizer::Newton, ..config(40, 1.0) }, 1);
        let star = p.optimum();
        assert!(close(&path[0].0, &star, 1e-12), "d = {d}: {:?} against {star:?}", path[0].0);
    }
    // At η = 0.5 it goes half way: θ1 = θ0 − 0.5·H⁻¹g = θ*/2 from θ0 = 0.
    let p = problem(2, 40);
    let (_, path) = run(&p, RunConfig { optimizer: Optimizer::Newton, ..config(40, 0.5) }, 1);
    let half: Vec<f64> = p.optimum().iter().map(|v| v / 2.0).collect();
    assert!(close(&path[0].0, &half, 1e-12));
}

#[test]
fn conjugate_gradient_reaches_the_optimum_in_d_plus_one_steps_along_the_textbook_iterates() {
    for d in 1..=3 {
        let p = problem_over(d, 40, -1.0);
        let steps = d as u64 + 1;
        let (_, path) = run(&p, RunConfig { optimizer: Optimizer::Cg, ..config(40, 0.123) }, steps);
        // The textbook loop: r = −g, p = r, α = rᵀr/pᵀHp, θ += αp, r −= αHp, β = r′ᵀr′/rᵀr.
        let mut theta = vec![0.0; d + 1];
        let mut r: Vec<f64> = p.gradient(&theta).iter().map(|g| -g).collect();
        let mut dir = r.clone();
        for (k, (got, rate)) in path.iter().enumerate().take(steps as usize) {
            let hp = p.hess_times(&dir);
            let alpha = dot(&r, &r) / dot(&dir, &hp);
            for i in 0..=d {
                theta[i] += alpha * dir[i];
            }
            let r_next: Vec<f64> = r.iter().zip(&hp).map(|(r, h)| r - alpha * h).collect();
            let beta = dot(&r_next, &r_next) / dot(&r, &r);
            dir = r_next.iter().zip(&dir).map(|(r, p)| r + beta * p).collect();
            r = r_next;
            assert!(close(got, &theta, 1e-9), "d = {d}, step {}: {got:?} against {theta:?}", k + 1);
            assert!((rate - alpha).abs() <= 1e-9 * alpha.abs(), "the reported rate is α");
        }
        assert!(close(&path[d].0, &p.optimum(), 1e-9), "d = {d}: θ* after d + 1 steps");
    }
}

// ---------------------------------------------------------------------------------------------
// Line searches
// ---------------------------------------------------------------------------------------------

#[test]
fn the_exact_line_search_steps_by_g_squared_over_the_curvature_along_g() {
    let p = problem_over(2, 30, -1.0);
    let (_, path) = run(&p, RunConfig { line_search: LineSearch::Exact, ..config(30, 0.01) }, 5);
    let mut theta = vec![0.0; 3];
    for (k, (got, rate)) in path.iter().enumerate() {
        let g = p.gradient(&theta);
        let eta = dot(&g, &g) / dot(&g, &p.hess_times(&g));
        theta = theta.iter().zip(&g).map(|(t, g)| t - eta * g).collect();
        assert!((rate - eta).abs() <= 1e-12 * eta, "step {}: η {rate} against {eta}", k + 1);
        assert!(close(got, &theta, 1e-12));
        // The exact minimizer along −g: the new gradient is orthogonal to the old one.
        assert!(dot(&p.gradient(&theta), &g).abs() <= 1e-9 * dot(&g, &g));
    }
}

/// Armijo backtracking from η₀ = `lr`: η ← β·η until J(θ − ηg) ≤ J(θ) − c·η·gᵀg; with an L1 part
/// the proximal step and the test f(θ′) ≤ f(θ) + gᵀ(θ′ − θ) + ‖θ′ − θ‖²/(2η).
fn armijo_reference(p: &Problem, lr: f64, beta: f64, c: f64, steps: usize) -> Vec<(Vec<f64>, f64, usize)> {
    let mut theta = vec![0.0; p.p()];
    let mut out = Vec::new();
    for _ in 0..steps {
        let g = p.gradient(&theta);
        let f0 = p.smooth(&theta);
        let mut eta = lr;
        let mut trials = 0;
        let next = loop {
            trials += 1;
            let mut cand: Vec<f64> = theta.iter().zip(&g).map(|(t, g)| t - eta * g).collect();
            for v in cand.iter_mut().skip(1) {
                let t = eta * p.l1;
                *v = if *v > t { *v - t } else if *v < -t { *v + t } else { 0.0 };
            }
            let ok = if p.l1 > 0.0 {
                let d: Vec<f64> = cand.iter().zip(&theta).map(|(a, b)| a - b).collect();
                p.smooth(&cand) <= f0 + dot(&g, &d) + dot(&d, &d) / (2.0 * eta)
            } else {
                p.smooth(&cand) <= f0 - c * eta * dot(&g, &g)
            };
            if ok {
                break cand;
            }
            eta *= beta;
        };
        theta = next;
        out.push((theta.clone(), eta, trials));
    }
    out
}

#[test]
fn armijo_accepts_the_first_rate_of_sufficient_decrease_with_and_without_l1() {
    for l1 in [0.0, 0.3] {
        let mut p = problem(2, 30);
        p.l1 = l1;
        let (lr, beta, c) = (2.0, 0.5, 1e-4);
        let (run, path) = run(&p, RunConfig { line_search: LineSearch::Armijo { beta, c }, ..config(30, lr) }, 20);
        let expected = armijo_reference(&p, lr, beta, c, 20);
        for (k, ((got, rate), (theta, eta, _))) in path.iter().zip(&expected).enumerate() {
            assert_eq!(*rate, *eta, "λ1 = {l1}, step {}: the accepted η", k + 1);
            assert!(close(got, theta, 1e-12), "λ1 = {l1}, step {}", k + 1);
        }
        // Evaluations: per step the gradient, f(θ) and one f per trial.
        let evaluations: usize = expected.iter().map(|(_, _, trials)| 2 + trials).sum();
        assert_eq!(run.evaluations(), evaluations as u64);
        // The last search's trials: rejected ones first, the accepted one last.
        let trials = run.trials();
        assert_eq!(trials.len(), expected[19].2);
        assert!(trials.last().unwrap().accepted && trials[..trials.len() - 1].iter().all(|t| !t.accepted));
    }
}

#[test]
fn barzilai_borwein_rates_are_s_squared_over_s_dot_y() {
    let p = problem_over(2, 30, -1.0);
    let lr = 0.01;
    let (_, path) = run(&p, RunConfig { line_search: LineSearch::Bb, ..config(30, lr) }, 8);
    let mut theta = vec![0.0; 3];
    let mut previous: Option<(Vec<f64>, Vec<f64>)> = None;
    for (k, (got, rate)) in path.iter().enumerate() {
        let g = p.gradient(&theta);
        let eta = match &previous {
            None => lr,
            Some((t0, g0)) => {
                let s: Vec<f64> = theta.iter().zip(t0).map(|(a, b)| a - b).collect();
                let y: Vec<f64> = g.iter().zip(g0).map(|(a, b)| a - b).collect();
                dot(&s, &s) / dot(&s, &y)
            }
        };
        previous = Some((theta.clone(), g.clone()));
        theta = theta.iter().zip(&g).map(|(t, g)| t - eta * g).collect();
        assert!((rate - eta).abs() <= 1e-9 * eta, "step {}: η {rate} against {eta}", k + 1);
        assert!(close(got, &theta, 1e-9), "step {}", k + 1);
    }
}

#[test]
fn polyak_steps_by_the_excess_loss_over_g_squared() {
    let p = problem(1, 30);
    let star = p.optimum();
    let j_star = p.loss(&star);
    let (run, path) = run(&p, RunConfig { line_search: LineSearch::Polyak, ..config(30, 0.01) }, 10);
    let mut theta = vec![0.0; 2];
    for (k, (got, rate)) in path.iter().enumerate() {
        let g = p.gradient(&theta);
        let eta = (p.loss(&theta) - j_star) / dot(&g, &g);
        theta = theta.iter().zip(&g).map(|(t, g)| t - eta * g).collect();
        assert!((rate - eta).abs() <= 1e-9 * eta, "step {}: η {rate} against {eta}", k + 1);
        assert!(close(got, &theta, 1e-9));
    }
    assert_eq!(run.evaluations(), 20, "the gradient and J(θ) per step");
}

// ---------------------------------------------------------------------------------------------
// Rate rules
// ---------------------------------------------------------------------------------------------

#[test]
fn the_bold_driver_undoes_a_step_that_raises_the_loss_and_halves_the_rate() {
    let p = problem(1, 30);
    let h = p.hessian();
    // Above the critical rate the first tentative step raises J: θ stays, η halves.
    let lambda_max = 0.5 * (h[0][0] + h[1][1]) + (0.25 * (h[0][0] - h[1][1]).powi(2) + h[0][1].powi(2)).sqrt();
    let lr = 3.0 / lambda_max;
    let (up, down) = (1.05, 0.5);
    let (run, path) = run(&p, RunConfig { rate_rule: RateRule::BoldDriver { up, down }, ..config(30, lr) }, 30);
    // The reference loop.
    let mut theta = vec![0.0; 2];
    let mut eta = lr;
    let mut undone = 0;
    for (k, (got, rate)) in path.iter().enumerate() {
        let g = p.gradient(&theta);
        let tentative: Vec<f64> = theta.iter().zip(&g).map(|(t, g)| t - eta * g).collect();
        if p.loss(&tentative) <= p.loss(&theta) {
            theta = tentative;
            eta *= up;
        } else {
            eta *= down;
            undone += 1;
        }
        assert!(close(got, &theta, 1e-12), "step {}", k + 1);
        assert!((rate - eta).abs() <= 1e-12 * eta, "step {}: η {rate} against {eta}", k + 1);
    }
    assert_eq!(path[0].0, vec![0.0, 0.0], "the first step was undone: θ stays");
    assert_eq!(path[0].1, lr / 2.0, "and η halved");
    assert!(undone >= 2);
    // Evaluations: J(θ) once at the start, then per step the gradient and J(θ′).
    assert_eq!(run.evaluations(), 1 + 2 * 30);
}

/// torch.optim.lr_scheduler.ReduceLROnPlateau (mode "min", threshold_mode "rel"), written from
/// its source: is_better(a, best) = a < best·(1 − threshold); num_bad_epochs counts the others;
/// in cooldown it is held at 0; beyond patience the rate becomes max(lr·factor, min_lr) if that
/// lowers it by more than eps, then the cooldown starts.
struct TorchPlateau {
    factor: f64,
    patience: u64,
    threshold: f64,
    cooldown: u64,
    min_lr: f64,
    eps: f64,
    best: f64,
    num_bad_epochs: u64,
    cooldown_counter: u64,
    lr: f64,
}

impl TorchPlateau {
    fn step(&mut self, metrics: f64) {
        if metrics < self.best * (1.0 - self.threshold) {
            self.best = metrics;
            self.num_bad_epochs = 0;
        } else {
            self.num_bad_epochs += 1;
        }
        if self.cooldown_counter > 0 {
            self.cooldown_counter -= 1;
            self.num_bad_epochs = 0;
        }
        if self.num_bad_epochs > self.patience {
            let new_lr = (self.lr * self.factor).max(self.min_lr);
            if self.lr - new_lr > self.eps {
                self.lr = new_lr;
            }
            self.cooldown_counter = self.cooldown;
            self.num_bad_epochs = 0;
        }
    }
}

#[test]
fn the_plateau_rule_is_torch_s_reduce_lr_on_plateau_replayed_on_the_same_losses() {
    let p = problem(1, 30);
    let (factor, patience, threshold, cooldown, min_lr) = (0.5, 3.0, 0.02, 2.0, 1e-4);
    let lr = 0.01;
    let rule = RateRule::Plateau { factor, patience, threshold, cooldown, min_lr };
    let (run, path) = run(&p, RunConfig { rate_rule: rule, ..config(30, lr) }, 120);
    let mut torch = TorchPlateau {
        factor,
        patience: patience as u64,
        threshold,
        cooldown: cooldown as u64,
        min_lr,
        eps: 1e-8,
        best: f64::INFINITY,
        num_bad_epochs: 0,
        cooldown_counter: 0,
        lr,
    };
    // The rate of update k is the one after the scheduler's step with J after update k − 1; θ
    // follows θ ← θ − η·g, replayed here.
    let mut theta = vec![0.0; 2];
    let mut reductions = 0;
    for (k, (got, rate)) in path.iter().enumerate() {
        let eta = torch.lr;
        let g = p.gradient(&theta);
        theta = theta.iter().zip(&g).map(|(t, g)| t - eta * g).collect();
        assert!(close(got, &theta, 1e-9), "step {}", k + 1);
        let before = torch.lr;
        torch.step(p.loss(&theta));
        if torch.lr < before {
            reductions += 1;
        }
        assert!((rate - torch.lr).abs() <= 1e-15, "after step {}: η {rate} against torch's {}", k + 1, torch.lr);
    }
    assert!(reductions >= 3, "the replay reduced the rate {reductions} times");
    assert!(path.last().unwrap().1 >= min_lr);
    assert_eq!(run.evaluations(), 2 * 120, "the gradient and the scheduler's J per step");
}

#[test]
fn plain_descent_counts_one_gradient_an_update_and_newton_two() {
    let p = problem(2, 20);
    let (run, _) = run(&p, config(20, 0.001), 7);
    assert_eq!(run.evaluations(), 7);
    let (run, _) = run_newton(&p);
    assert_eq!(run.evaluations(), 2 * 3);
    let (cg, _) = self::run(&p, RunConfig { optimizer: Optimizer::Cg, ..config(20, 0.1) }, 3);
    assert_eq!(cg.evaluations(), 1 + 3, "the first gradient, then one H·p a step");
    let (exact, _) = self::run(&p, RunConfig { line_search: LineSearch::Exact, ..config(20, 0.1) }, 4);
    assert_eq!(exact.evaluations(), 2 * 4, "the gradient and H·g");
}

fn run_newton(p: &Problem) -> (Run, Vec<(Vec<f64>, f64)>) {
    // θ* after one step; tolerance 0 keeps it stepping at the optimum.
    run(p, RunConfig { optimizer: Optimizer::Newton, ..config(20, 0.5) }, 3)
}

// ---------------------------------------------------------------------------------------------
// What goes together
// ---------------------------------------------------------------------------------------------

#[test]
fn line_searches_newton_and_cg_refuse_what_they_cannot_do() {
    let p = problem(1, 20);
    let data = p.data();
    let objective = p.objective();
    let message = |config: RunConfig| Run::new(config, Theta::zeros(2), &data, &objective).unwrap_err().to_string();
    assert_eq!(
        message(RunConfig { line_search: LineSearch::Exact, batch_size: 5, ..config(20, 0.1) }),
        "batch size must be the full batch of 20 (line searches, Newton and CG use every point), got 5"
    );
    assert_eq!(
        message(RunConfig { line_search: LineSearch::Bb, optimizer: Optimizer::Momentum { momentum: 0.9 }, ..config(20, 0.1) }),
        "line search must be used with plain gradient descent only (choose Plain GD / SGD), got bb"
    );
    assert_eq!(
        message(RunConfig { line_search: LineSearch::Exact, rate_rule: RateRule::BoldDriver { up: 1.05, down: 0.5 }, ..config(20, 0.1) }),
        "rate rule must be none while a line search chooses the step, got bold-driver"
    );
    assert_eq!(
        message(RunConfig { optimizer: Optimizer::Cg, batch_size: 1, ..config(20, 0.1) }),
        "batch size must be the full batch of 20 (line searches, Newton and CG use every point), got 1"
    );
    assert_eq!(
        message(RunConfig { rate_rule: RateRule::BoldDriver { up: 0.9, down: 0.5 }, ..config(20, 0.1) }),
        "increase factor up must be in [1, 10], got 0.9"
    );
    let mut lasso = problem(1, 20);
    lasso.l1 = 0.1;
    let l1 = lasso.objective();
    let refused = Run::new(RunConfig { optimizer: Optimizer::Newton, ..config(20, 1.0) }, Theta::zeros(2), &data, &l1).unwrap_err();
    assert_eq!(refused.to_string(), "optimizer must be a method for smooth objectives; choose another while there is an L1 part, got newton");
    // A session with a Newton run refuses an L1 part, and keeps its objective.
    let mut session = Session::new(data.clone(), Regularization::None, RunConfig { optimizer: Optimizer::Newton, ..config(20, 1.0) }, Theta::zeros(2)).unwrap();
    let refused = session.set_regularization(Regularization::L1 { lambda: 0.1 }).unwrap_err();
    assert_eq!(refused.to_string(), "regularization must be without an L1 part while a run uses Newton or CG (they need a smooth objective), got l1");
    assert_eq!(session.objective().regularization(), Regularization::None);
    session.set_regularization(Regularization::L2 { lambda: 0.1 }).unwrap();
    // A refused setting leaves the run as it was.
    let mut run = Run::new(config(20, 0.1), Theta::zeros(2), &data, &objective).unwrap();
    assert!(run.set_batch_size(3, 20).is_ok());
    assert!(run.set_line_search(LineSearch::Exact, 20).is_err());
    assert_eq!(run.config().line_search, LineSearch::None);
    assert_eq!(run.config().batch_size, 3);
    let report = run.step(3, &data, &objective);
    assert_eq!(report.status, Status::Running);
}

#[test]
fn the_plateau_rule_of_a_mini_batch_run_steps_once_an_epoch_with_the_full_data_s_loss() {
    // 30 points in batches of 10: an epoch every 3 updates. A large threshold makes every
    // epoch a bad one, so with patience 0 the rate halves at each epoch's end and only there.
    let p = problem(1, 30);
    let data = p.data();
    let objective = p.objective();
    let rule = RateRule::Plateau { factor: 0.5, patience: 0.0, threshold: 0.9, cooldown: 0.0, min_lr: 0.0 };
    let config = RunConfig { rate_rule: rule, batch_size: 10, ..config(30, 0.004) };
    let mut run = Run::new(config, Theta::zeros(2), &data, &objective).unwrap();
    let mut rates = Vec::new();
    for _ in 0..9 {
        rates.push(run.step(1, &data, &objective).lr_effective);
    }
    // The first epoch's J sets the best (no reduction); each later epoch is not 90 % better.
    assert_eq!(rates, [0.004, 0.004, 0.004, 0.004, 0.004, 0.002, 0.002, 0.002, 0.001]);
    // Evaluations: one gradient an update and one J an epoch.
    assert_eq!(run.evaluations(), 9 + 3);
}
