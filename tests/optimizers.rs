//! The update rules and learning-rate schedules against an independent implementation of
//! torch.optim's documented formulas, with the gradient computed here by
//! a direct loop over the points: 20 full-batch steps of every optimizer, with and without every
//! schedule, agree to 1e-12 relative.

use gdviz::least_squares::data::{self, Dataset};
use gdviz::least_squares::objective::{Objective, Regularization, Theta};
use gdviz::descent::optimizer::Optimizer;
use gdviz::descent::run::{Run, RunConfig, Status};
use gdviz::descent::schedule::Schedule;

// ---------------------------------------------------------------------------------------------
// The reference: torch.optim's formulas, written out from the spec text
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy)]
enum Rule {
    /// θ ← θ − η·g (then the L1 proximal step).
    Sgd,
    /// b ← μb + g, θ ← θ − ηb.
    Momentum { mu: f64 },
    /// b ← μb + g, θ ← θ − η(g + μb).
    Nesterov { mu: f64 },
    /// s ← s + g², θ ← θ − ηg/(√s + ε).
    Adagrad { eps: f64 },
    /// v ← αv + (1−α)g², θ ← θ − ηg/(√v + ε).
    RmsProp { alpha: f64, eps: f64 },
    /// m ← β1m + (1−β1)g, v ← β2v + (1−β2)g², m̂ = m/(1−β1^t), v̂ = v/(1−β2^t),
    /// θ ← θ − ηm̂/(√v̂ + ε), t counting from 1.
    Adam { beta1: f64, beta2: f64, eps: f64 },
}

impl Rule {
    fn to_optimizer(self) -> Optimizer {
        match self {
            Rule::Sgd => Optimizer::Sgd,
            Rule::Momentum { mu } => Optimizer::Momentum { momentum: mu },
            Rule::Nesterov { mu } => Optimizer::Nesterov { momentum: mu },
            Rule::Adagrad { eps } => Optimizer::Adagrad { eps },
            Rule::RmsProp { alpha, eps } => Optimizer::RmsProp { alpha, eps },
            Rule::Adam { beta1, beta2, eps } => Optimizer::Adam { beta1, beta2, eps },
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Decay {
    Constant,
    /// η·γ^⌊t/s⌋
    Step { gamma: f64, size: u64 },
    /// η·γ^t
    Exponential { gamma: f64 },
    /// η/(1 + d·t)
    InverseTime { d: f64 },
    /// η·(1 + cos(π·min(t, T)/T))/2
    Cosine { total: u64 },
}

impl Decay {
    /// The factor η_t/η with t = updates already taken.
    fn factor(self, t: u64) -> f64 {
        match self {
            Decay::Constant => 1.0,
            Decay::Step { gamma, size } => gamma.powf((t / size) as f64),
            Decay::Exponential { gamma } => gamma.powf(t as f64),
            Decay::InverseTime { d } => 1.0 / (1.0 + d * t as f64),
            Decay::Cosine { total } => {
                (1.0 + (std::f64::consts::PI * t.min(total) as f64 / total as f64).cos()) / 2.0
            }
        }
    }
    fn to_schedule(self) -> Schedule {
        match self {
            Decay::Constant => Schedule::Constant,
            Decay::Step { gamma, size } => Schedule::StepDecay { gamma, step_size: size },
            Decay::Exponential { gamma } => Schedule::Exponential { gamma },
            Decay::InverseTime { d } => Schedule::InverseTime { decay: d },
            Decay::Cosine { total } => Schedule::Cosine { total_steps: total },
        }
    }
}

/// Data-term gradient by a direct loop: (mean(r), mean(r·x)), r = θ0 + θ1·x − y.
fn gradient_direct(xs: &[f64], ys: &[f64], t: [f64; 2]) -> [f64; 2] {
    let n = xs.len() as f64;
    let (mut g0, mut g1) = (0.0, 0.0);
    for (x, y) in xs.iter().zip(ys) {
        let r = t[0] + t[1] * x - y;
        g0 += r;
        g1 += r * x;
    }
    [g0 / n, g1 / n]
}

fn loss_direct(xs: &[f64], ys: &[f64], t: [f64; 2], l1: f64, l2: f64) -> f64 {
    let n = xs.len() as f64;
    let mut sum = 0.0;
    for (x, y) in xs.iter().zip(ys) {
        let r = t[0] + t[1] * x - y;
        sum += r * r;
    }
    sum / (2.0 * n) + l1 * t[1].abs() + 0.5 * l2 * t[1] * t[1]
}

fn sign0(v: f64) -> f64 {
    if v > 0.0 {
        1.0
    } else if v < 0.0 {
        -1.0
    } else {
        0.0
    }
}

/// The trajectory θ_0..θ_steps and the learning rates η_0..η_{steps−1} of full-batch descent.
/// L1 (weight l1): soft-threshold after the plain step; a subgradient λ1·sign(θ1) for the rest.
#[allow(clippy::too_many_arguments)]
fn reference_trajectory(
    rule: Rule,
    decay: Decay,
    lr: f64,
    xs: &[f64],
    ys: &[f64],
    l1: f64,
    l2: f64,
    start: [f64; 2],
    steps: u64,
) -> (Vec<[f64; 2]>, Vec<f64>) {
    let mut theta = start;
    let mut first = [0.0f64; 2];
    let mut second = [0.0f64; 2];
    let mut path = vec![theta];
    let mut rates = Vec::new();
    for t in 0..steps {
        let eta = lr * decay.factor(t);
        rates.push(eta);
        let d = gradient_direct(xs, ys, theta);
        let mut g = [d[0], d[1] + l2 * theta[1]];
        if let Rule::Sgd = rule {
            for i in 0..2 {
                theta[i] -= eta * g[i];
            }
            let thr = eta * l1;
            theta[1] = if theta[1] > thr {
                theta[1] - thr
            } else if theta[1] < -thr {
                theta[1] + thr
            } else {
                0.0
            };
        } else {
            g[1] += l1 * sign0(theta[1]);
            let step = (t + 1) as f64;
            for i in 0..2 {
                theta[i] = match rule {
                    Rule::Sgd => unreachable!(),
                    Rule::Momentum { mu } => {
                        first[i] = mu * first[i] + g[i];
                        theta[i] - eta * first[i]
                    }
                    Rule::Nesterov { mu } => {
                        first[i] = mu * first[i] + g[i];
                        theta[i] - eta * (g[i] + mu * first[i])
                    }
                    Rule::Adagrad { eps } => {
                        second[i] += g[i] * g[i];
                        theta[i] - eta * g[i] / (second[i].sqrt() + eps)
                    }
                    Rule::RmsProp { alpha, eps } => {
                        second[i] = alpha * second[i] + (1.0 - alpha) * g[i] * g[i];
                        theta[i] - eta * g[i] / (second[i].sqrt() + eps)
                    }
                    Rule::Adam { beta1, beta2, eps } => {
                        first[i] = beta1 * first[i] + (1.0 - beta1) * g[i];
                        second[i] = beta2 * second[i] + (1.0 - beta2) * g[i] * g[i];
                        let m_hat = first[i] / (1.0 - beta1.powf(step));
                        let v_hat = second[i] / (1.0 - beta2.powf(step));
                        theta[i] - eta * m_hat / (v_hat.sqrt() + eps)
                    }
                };
            }
        }
        path.push(theta);
    }
    (path, rates)
}

// ---------------------------------------------------------------------------------------------
// The comparison
// ---------------------------------------------------------------------------------------------

const TORCH_DEFAULTS: [(&str, Rule, f64); 6] = [
    ("sgd", Rule::Sgd, 0.1),
    ("momentum", Rule::Momentum { mu: 0.9 }, 0.03),
    ("nesterov", Rule::Nesterov { mu: 0.9 }, 0.03),
    ("adagrad", Rule::Adagrad { eps: 1e-10 }, 0.5),
    ("rmsprop", Rule::RmsProp { alpha: 0.99, eps: 1e-8 }, 0.02),
    ("adam", Rule::Adam { beta1: 0.9, beta2: 0.999, eps: 1e-8 }, 0.05),
];

const OTHER_HYPERPARAMETERS: [Rule; 5] = [
    Rule::Momentum { mu: 0.5 },
    Rule::Nesterov { mu: 0.3 },
    Rule::Adagrad { eps: 1e-3 },
    Rule::RmsProp { alpha: 0.9, eps: 1e-4 },
    Rule::Adam { beta1: 0.8, beta2: 0.99, eps: 1e-6 },
];

const DECAYS: [Decay; 6] = [
    Decay::Constant,
    Decay::Step { gamma: 0.5, size: 3 },
    Decay::Exponential { gamma: 0.9 },
    Decay::InverseTime { d: 0.5 },
    // T = 10 < 20 steps: the rate reaches 0 and stays there.
    Decay::Cosine { total: 10 },
    Decay::Cosine { total: 40 },
];

fn close(a: f64, b: f64, rel: f64) -> bool {
    a == b || (a - b).abs() <= rel * a.abs().max(b.abs())
}

fn regularizations() -> [Regularization; 4] {
    [
        Regularization::None,
        Regularization::L2 { lambda: 0.3 },
        Regularization::L1 { lambda: 0.2 },
        Regularization::ElasticNet { lambda: 0.4, l1_ratio: 0.5 },
    ]
}

/// Runs 20 steps in the crate and in the reference and compares every θ, J and η_t.
fn compare(rule: Rule, decay: Decay, lr: f64, data: &Dataset, reg: Regularization, start: [f64; 2]) {
    let steps = 20;
    let (l1, l2) = (reg.l1_weight(), reg.l2_weight());
    let objective = Objective::new(*data.stats(), reg).unwrap();
    let mut config = RunConfig::full_batch(lr, data.len());
    config.optimizer = rule.to_optimizer();
    config.schedule = decay.to_schedule();
    config.tol = f64::MIN_POSITIVE; // never stop early
    let mut run = Run::new(config, Theta::new(start[0], start[1]), data, &objective).unwrap();
    let (path, rates) = reference_trajectory(rule, decay, lr, data.xs(), data.ys(), l1, l2, start, steps);
    let what = format!("{rule:?} {decay:?} lr={lr} {reg:?} start={start:?}");
    for t in 0..steps as usize {
        assert!(
            close(run.lr_effective(), rates[t], 1e-12),
            "{what}: η at t = {t}: {} vs {}",
            run.lr_effective(),
            rates[t]
        );
        let report = run.step(1, data, &objective);
        assert_eq!(report.status, Status::Running, "{what}");
        let expected = path[t + 1];
        let got = [report.theta[0], report.theta[1]];
        // Relative error of the vector θ: ‖θ − θ_ref‖ ≤ 1e-12·‖θ_ref‖. (Per component it would
        // be ill-posed when a component passes near 0, where the last update cancels it.)
        let error = (got[0] - expected[0]).hypot(got[1] - expected[1]);
        let size = expected[0].hypot(expected[1]);
        assert!(
            error <= 1e-12 * size,
            "{what}: θ after {} steps: {got:?} vs {expected:?} (rel {:e})",
            t + 1,
            error / size
        );
        let j = loss_direct(data.xs(), data.ys(), expected, l1, l2);
        assert!(close(report.loss, j, 1e-12), "{what}: J after {} steps: {} vs {j}", t + 1, report.loss);
    }
    assert_eq!(run.iteration(), steps);
}

fn data_sets() -> Vec<Dataset> {
    vec![
        Dataset::new(vec![0.0, 1.0, 2.0, 3.0], vec![1.0, 2.0, 2.0, 5.0]).unwrap(),
        data::preset("outliers").unwrap().settings.generate().unwrap(),
    ]
}

#[test]
fn every_optimizer_with_torch_defaults_matches_reference() {
    for data in data_sets() {
        for (_, rule, lr) in TORCH_DEFAULTS {
            for decay in DECAYS {
                for reg in regularizations() {
                    for start in [[0.0, 0.0], [0.5, -0.5]] {
                        compare(rule, decay, lr, &data, reg, start);
                    }
                }
            }
        }
    }
}

#[test]
fn every_optimizer_with_other_hyperparameters_matches_reference() {
    for data in data_sets() {
        for rule in OTHER_HYPERPARAMETERS {
            for decay in DECAYS {
                for reg in regularizations() {
                    compare(rule, decay, 0.04, &data, reg, [0.5, -0.5]);
                }
            }
        }
    }
}

#[test]
fn named_optimizers_have_torch_defaults() {
    for (name, rule, _) in TORCH_DEFAULTS {
        let opt = Optimizer::with_defaults(name).unwrap();
        assert_eq!(opt, rule.to_optimizer(), "{name}");
        assert_eq!(opt.name(), name);
        assert!(opt.validate().is_ok());
    }
    assert_eq!(Optimizer::default(), Optimizer::Sgd);
}

#[test]
fn named_schedules_map_to_their_parameters() {
    assert_eq!(Schedule::from_parts("constant", 0.3, 7, 9).unwrap(), Schedule::Constant);
    assert_eq!(
        Schedule::from_parts("step", 0.5, 3, 9).unwrap(),
        Schedule::StepDecay { gamma: 0.5, step_size: 3 }
    );
    assert_eq!(Schedule::from_parts("exponential", 0.9, 3, 9).unwrap(), Schedule::Exponential { gamma: 0.9 });
    assert_eq!(Schedule::from_parts("inverse-time", 2.0, 3, 9).unwrap(), Schedule::InverseTime { decay: 2.0 });
    assert_eq!(Schedule::from_parts("cosine", 0.9, 3, 9).unwrap(), Schedule::Cosine { total_steps: 9 });
    for name in ["constant", "step", "exponential", "inverse-time", "cosine"] {
        assert_eq!(Schedule::from_parts(name, 0.5, 3, 9).unwrap().name(), name);
    }
}

#[test]
fn schedule_factors_by_hand() {
    // step γ = 0.5, s = 3: t = 0..2 → 1, t = 3..5 → 0.5, t = 6 → 0.25.
    let s = Schedule::StepDecay { gamma: 0.5, step_size: 3 };
    assert_eq!([0, 2, 3, 5, 6].map(|t| s.factor(t)), [1.0, 1.0, 0.5, 0.5, 0.25]);
    // exponential γ = 0.5: 0.5^t.
    let s = Schedule::Exponential { gamma: 0.5 };
    assert_eq!([0, 1, 4].map(|t| s.factor(t)), [1.0, 0.5, 0.0625]);
    // inverse time d = 0.5: 1/(1 + 0.5t): t = 2 → 0.5, t = 6 → 0.25.
    let s = Schedule::InverseTime { decay: 0.5 };
    assert_eq!([0, 2, 6].map(|t| s.factor(t)), [1.0, 0.5, 0.25]);
    // cosine T = 4: t = 0 → 1, t = 2 → (1 + cos(π/2))/2 = 0.5, t = 4 and beyond → 0.
    let s = Schedule::Cosine { total_steps: 4 };
    assert_eq!(s.factor(0), 1.0);
    assert!((s.factor(2) - 0.5).abs() < 1e-15);
    // t = 1: (1 + cos(π/4))/2 = (1 + √2/2)/2.
    assert!((s.factor(1) - (1.0 + 0.5f64.sqrt()) / 2.0).abs() < 1e-15);
    assert_eq!(s.factor(4), 0.0);
    assert_eq!(s.factor(100), 0.0);
    assert_eq!(Schedule::Constant.factor(12345), 1.0);
}

#[test]
fn hand_first_steps() {
    // Hand data at θ = (0, 0): g = (−2.5, −5.25) (r = −y: mean(r) = −2.5, mean(r·x) = −21/4).
    let data = &data_sets()[0];
    let objective = Objective::new(*data.stats(), Regularization::None).unwrap();
    let first_step = |optimizer: Optimizer, lr: f64| {
        let mut config = RunConfig::full_batch(lr, 4);
        config.optimizer = optimizer;
        let mut run = Run::new(config, Theta::new(0.0, 0.0), data, &objective).unwrap();
        run.step(1, data, &objective).theta
    };
    // Adam's first step is η·sign(g) up to ε: m̂ = g, v̂ = g², so θ = η·g/(|g| + ε) ≈ (0.1, 0.1).
    let t = first_step(Optimizer::Adam { beta1: 0.9, beta2: 0.999, eps: 1e-8 }, 0.1);
    assert!((t[0] - 0.1).abs() < 1e-8 && (t[1] - 0.1).abs() < 1e-8, "{t:?}");
    // Adagrad's first step: s = g², θ = η·g/(|g| + 1e-10) ≈ η.
    let t = first_step(Optimizer::Adagrad { eps: 1e-10 }, 0.3);
    assert!((t[0] - 0.3).abs() < 1e-10 && (t[1] - 0.3).abs() < 1e-10, "{t:?}");
    // RMSprop's first step: v = 0.01·g², √v = 0.1|g|: θ ≈ 10·η.
    let t = first_step(Optimizer::RmsProp { alpha: 0.99, eps: 1e-8 }, 0.01);
    assert!((t[0] - 0.1).abs() < 1e-8 && (t[1] - 0.1).abs() < 1e-8, "{t:?}");
    // Momentum's first step equals plain GD's (b = g): (0.25, 0.525) at η = 0.1; Nesterov's is
    // η·(g + μg) = 1.9·that at μ = 0.9: (0.475, 0.9975).
    let t = first_step(Optimizer::Momentum { momentum: 0.9 }, 0.1);
    assert!((t[0] - 0.25).abs() < 1e-15 && (t[1] - 0.525).abs() < 1e-15, "{t:?}");
    let t = first_step(Optimizer::Nesterov { momentum: 0.9 }, 0.1);
    assert!((t[0] - 0.475).abs() < 1e-15 && (t[1] - 0.9975).abs() < 1e-15, "{t:?}");
}

#[test]
fn switching_optimizer_kind_resets_its_state() {
    // 5 momentum steps, then Adam: Adam must start fresh (m = v = 0, t = 1) from the current θ.
    let data = &data_sets()[1];
    let objective = Objective::new(*data.stats(), Regularization::L2 { lambda: 0.1 }).unwrap();
    let mut config = RunConfig::full_batch(0.02, data.len());
    config.optimizer = Optimizer::Momentum { momentum: 0.9 };
    config.tol = f64::MIN_POSITIVE;
    let mut run = Run::new(config, Theta::new(0.0, 0.0), data, &objective).unwrap();
    run.step(5, data, &objective);
    let here = run.theta();
    let adam = Rule::Adam { beta1: 0.9, beta2: 0.999, eps: 1e-8 };
    run.set_optimizer(adam.to_optimizer(), data.len(), &objective).unwrap();
    let (path, _) = reference_trajectory(adam, Decay::Constant, 0.02, data.xs(), data.ys(), 0.0, 0.1, [here[0], here[1]], 10);
    for expected in &path[1..] {
        let t = run.step(1, data, &objective).theta;
        assert!(close(t[0], expected[0], 1e-12) && close(t[1], expected[1], 1e-12), "{t:?} vs {expected:?}");
    }

    // Changing only μ keeps the momentum buffer: the next step uses b ← μ'·b + g.
    let mut config = RunConfig::full_batch(0.02, data.len());
    config.optimizer = Optimizer::Momentum { momentum: 0.9 };
    config.tol = f64::MIN_POSITIVE;
    let mut run = Run::new(config, Theta::new(0.0, 0.0), data, &objective).unwrap();
    let (path, _) = reference_trajectory(Rule::Momentum { mu: 0.9 }, Decay::Constant, 0.02, data.xs(), data.ys(), 0.0, 0.1, [0.0, 0.0], 3);
    run.step(3, data, &objective);
    // Rebuild the buffer b_3 from the reference path: θ3 = θ2 − η·b3 ⇒ b3 = (θ2 − θ3)/η.
    let b3 = [(path[2][0] - path[3][0]) / 0.02, (path[2][1] - path[3][1]) / 0.02];
    run.set_optimizer(Optimizer::Momentum { momentum: 0.5 }, data.len(), &objective).unwrap();
    let t3 = path[3];
    let g = gradient_direct(data.xs(), data.ys(), t3);
    let g = [g[0], g[1] + 0.1 * t3[1]];
    let expected = [t3[0] - 0.02 * (0.5 * b3[0] + g[0]), t3[1] - 0.02 * (0.5 * b3[1] + g[1])];
    let t = run.step(1, data, &objective).theta;
    assert!(close(t[0], expected[0], 1e-10) && close(t[1], expected[1], 1e-10), "{t:?} vs {expected:?}");
}

#[test]
fn schedule_counts_updates_already_taken_after_a_switch() {
    // 7 constant steps, then exponential γ = 0.5: the next rate is η·0.5^7 (t = 7 updates taken).
    let data = &data_sets()[0];
    let objective = Objective::new(*data.stats(), Regularization::None).unwrap();
    let mut run = Run::new(RunConfig::full_batch(0.1, 4), Theta::new(0.0, 0.0), data, &objective).unwrap();
    run.step(7, data, &objective);
    run.set_schedule(Schedule::Exponential { gamma: 0.5 }).unwrap();
    assert_eq!(run.lr_effective(), 0.1 / 128.0);
    let report = run.step(1, data, &objective);
    assert_eq!(report.lr_effective, 0.1 / 256.0);
}
