//! The update rules, one per optimizer, following torch.optim's documented rules and defaults
//! (SGD with and without momentum/Nesterov, Adagrad, RMSprop, Adam), so a result can be checked
//! against PyTorch. Each rule takes the gradient g at θ and the effective learning rate η and
//! returns the new θ; the L1 proximal step for plain GD is applied by the caller.

use crate::error::{Range, Result};
use crate::param::{param, Named, Param};
use crate::descent::explain::{frac, paren, row, sqrt, sup, tok, var, Math, NoTrace, Step, Tracer};
use crate::least_squares::objective::{Theta, MAX_PARAMS};
use serde::{Deserialize, Serialize};

/// An optimizer and its hyperparameters.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Optimizer {
    /// Plain gradient descent (SGD with mini-batches): θ ← θ − η·g.
    #[default]
    Sgd,
    /// Heavy ball: b ← μ·b + g, θ ← θ − η·b. μ ∈ [0, 1), default 0.9.
    Momentum { momentum: f64 },
    /// Nesterov (torch form): b ← μ·b + g, θ ← θ − η·(g + μ·b). μ ∈ [0, 1), default 0.9.
    Nesterov { momentum: f64 },
    /// Adagrad: s ← s + g², θ ← θ − η·g/(√s + ε). ε > 0, default 1e-10.
    Adagrad { eps: f64 },
    /// RMSprop: v ← α·v + (1−α)·g², θ ← θ − η·g/(√v + ε). α ∈ [0, 1) default 0.99, ε 1e-8.
    #[serde(rename = "rmsprop", alias = "rms-prop")]
    RmsProp { alpha: f64, eps: f64 },
    /// Adam: m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g², m̂ = m/(1−β1^t), v̂ = v/(1−β2^t),
    /// θ ← θ − η·m̂/(√v̂ + ε). Defaults β1 = 0.9, β2 = 0.999, ε = 1e-8.
    Adam { beta1: f64, beta2: f64, eps: f64 },
    /// Newton's method: θ ← θ − η·H⁻¹g, H the Hessian of the smooth part (full batch, smooth
    /// objectives); at η = 1 one step reaches θ* of the quadratic.
    Newton,
    /// Linear conjugate gradient on Hθ = b from the start (r = −g, p = r, α = rᵀr/pᵀHp,
    /// β = r′ᵀr′/rᵀr): θ ← θ + α·p, the learning rate unused; θ* in at most d + 1 steps.
    #[serde(rename = "cg", alias = "conjugate-gradient")]
    Cg,
}

impl Optimizer {
    /// The optimizer called `name` (a name or an alias of the [catalogue](OPTIMIZERS))
    /// with the catalogue's defaults, torch.optim's.
    pub fn with_defaults(name: &str) -> Result<Self> {
        let entry = OptimizerEntry::named(name)?;
        let d = |field| entry.default_of(field);
        Ok(match entry.name {
            "momentum" => Optimizer::Momentum { momentum: d("momentum") },
            "nesterov" => Optimizer::Nesterov { momentum: d("momentum") },
            "adagrad" => Optimizer::Adagrad { eps: d("eps") },
            "rmsprop" => Optimizer::RmsProp { alpha: d("alpha"), eps: d("eps") },
            "adam" => Optimizer::Adam { beta1: d("beta1"), beta2: d("beta2"), eps: d("eps") },
            "newton" => Optimizer::Newton,
            "cg" => Optimizer::Cg,
            _ => Optimizer::Sgd,
        })
    }

    /// The hyperparameter whose serde field is `field`, if this optimizer has it.
    pub fn hyperparameter_mut(&mut self, field: &str) -> Option<&mut f64> {
        match (self, field) {
            (Optimizer::Momentum { momentum } | Optimizer::Nesterov { momentum }, "momentum") => Some(momentum),
            (Optimizer::Adam { beta1, .. }, "beta1") => Some(beta1),
            (Optimizer::Adam { beta2, .. }, "beta2") => Some(beta2),
            (Optimizer::RmsProp { alpha, .. }, "alpha") => Some(alpha),
            (Optimizer::Adagrad { eps } | Optimizer::RmsProp { eps, .. } | Optimizer::Adam { eps, .. }, "eps") => Some(eps),
            _ => None,
        }
    }

    /// The value of hyperparameter `field`, if this optimizer has it.
    pub fn hyperparameter(&self, field: &str) -> Option<f64> {
        let mut copy = *self;
        copy.hyperparameter_mut(field).copied()
    }

    /// The catalogue's entry of this optimizer.
    pub fn entry(&self) -> &'static OptimizerEntry {
        OPTIMIZERS.iter().find(|e| e.name == self.name()).unwrap_or(&OPTIMIZERS[0])
    }

    /// The one name, used by the command line, the URL and serde.
    pub fn name(&self) -> &'static str {
        match self {
            Optimizer::Sgd => "sgd",
            Optimizer::Momentum { .. } => "momentum",
            Optimizer::Nesterov { .. } => "nesterov",
            Optimizer::Adagrad { .. } => "adagrad",
            Optimizer::RmsProp { .. } => "rmsprop",
            Optimizer::Adam { .. } => "adam",
            Optimizer::Newton => "newton",
            Optimizer::Cg => "cg",
        }
    }

    /// Checks each hyperparameter against its catalogue entry, in the catalogue's order, naming
    /// the first bad one and its range.
    pub fn validate(&self) -> Result<()> {
        for param in self.entry().params {
            param.check(self.hyperparameter(param.field).unwrap_or(f64::NAN))?;
        }
        Ok(())
    }

    /// True for plain gradient descent, which handles the L1 part by its proximal step; the
    /// others see the L1 part as a subgradient.
    pub fn is_plain(&self) -> bool {
        matches!(self, Optimizer::Sgd)
    }

    /// True for Newton's method and conjugate gradient, which use the Hessian: full batch and
    /// smooth objectives only.
    pub fn is_second_order(&self) -> bool {
        matches!(self, Optimizer::Newton | Optimizer::Cg)
    }

    /// One update of θ from the gradient `g` with learning rate `lr`, advancing `state`.
    #[inline]
    pub fn update(&self, state: &mut OptimizerState, theta: Theta, g: Theta, lr: f64) -> Theta {
        self.update_traced(state, theta, g, lr, &mut NoTrace)
    }

    /// [`Optimizer::update`], reporting each intermediate (the buffers, then θ) to `tracer`
    /// with its rule and the numbers in it.
    #[inline(always)]
    pub fn update_traced<T: Tracer>(
        &self,
        state: &mut OptimizerState,
        theta: Theta,
        g: Theta,
        lr: f64,
        tracer: &mut T,
    ) -> Theta {
        // The state before the update, for the explanation's formulas only.
        let before = if T::KEEPS_STEPS { *state } else { OptimizerState::default() };
        let (t, p) = (theta, theta.len());
        state.steps += 1;
        let mut out = theta;
        // θ ← θ − ηₜ·(direction), the last step of every rule.
        let theta_step = |direction: Math, out: Theta| Step {
            symbol: "θ",
            formula: row(vec![var("θ", t), tok("−"), var("ηₜ", lr), tok("·"), direction]),
            value: out.as_slice().to_vec(),
        };
        let g_squared = || sup(var("g", g), tok("2"));
        match *self {
            Optimizer::Sgd => {
                for i in 0..p {
                    out[i] = t[i] - lr * g[i];
                }
                tracer.step(|| theta_step(var("g", g), out));
            }
            // The caller passes Newton's direction H⁻¹g as `g`, and for CG −p with its α as
            // `lr` (θ + α·p).
            Optimizer::Newton => {
                for i in 0..p {
                    out[i] = t[i] - lr * g[i];
                }
                tracer.step(|| theta_step(var("H⁻¹g", g), out));
            }
            Optimizer::Cg => {
                for i in 0..p {
                    out[i] = t[i] - lr * g[i];
                }
                let direction = g.map(|v| -v);
                tracer.step(|| Step {
                    symbol: "θ",
                    formula: row(vec![var("θ", t), tok("+"), var("α", lr), tok("·"), var("p", direction)]),
                    value: out.as_slice().to_vec(),
                });
            }
            Optimizer::Momentum { momentum } | Optimizer::Nesterov { momentum } => {
                let nesterov = matches!(self, Optimizer::Nesterov { .. });
                for i in 0..p {
                    state.first[i] = momentum * state.first[i] + g[i];
                    let direction = if nesterov { g[i] + momentum * state.first[i] } else { state.first[i] };
                    out[i] = t[i] - lr * direction;
                }
                let b = state.first(p);
                tracer.step(|| Step {
                    symbol: "b",
                    formula: row(vec![var("μ", momentum), tok("·"), var("b", before.first(p)), tok("+"), var("g", g)]),
                    value: b.as_slice().to_vec(),
                });
                tracer.step(|| {
                    let direction = if nesterov {
                        paren(vec![var("g", g), tok("+"), var("μ", momentum), tok("·"), var("b", b)])
                    } else {
                        var("b", b)
                    };
                    theta_step(direction, out)
                });
            }
            Optimizer::Adagrad { eps } => {
                for i in 0..p {
                    state.second[i] += g[i] * g[i];
                    out[i] = t[i] - lr * g[i] / (state.second[i].sqrt() + eps);
                }
                let s = state.second(p);
                tracer.step(|| Step {
                    symbol: "s",
                    formula: row(vec![var("s", before.second(p)), tok("+"), g_squared()]),
                    value: s.as_slice().to_vec(),
                });
                tracer.step(|| theta_step(frac(var("g", g), row(vec![sqrt(var("s", s)), tok("+"), var("ε", eps)])), out));
            }
            Optimizer::RmsProp { alpha, eps } => {
                for i in 0..p {
                    state.second[i] = alpha * state.second[i] + (1.0 - alpha) * g[i] * g[i];
                    out[i] = t[i] - lr * g[i] / (state.second[i].sqrt() + eps);
                }
                let v = state.second(p);
                tracer.step(|| Step {
                    symbol: "v",
                    formula: row(vec![
                        var("α", alpha),
                        tok("·"),
                        var("v", before.second(p)),
                        tok("+"),
                        paren(vec![tok("1"), tok("−"), var("α", alpha)]),
                        tok("·"),
                        g_squared(),
                    ]),
                    value: v.as_slice().to_vec(),
                });
                tracer.step(|| theta_step(frac(var("g", g), row(vec![sqrt(var("v", v)), tok("+"), var("ε", eps)])), out));
            }
            Optimizer::Adam { beta1, beta2, eps } => {
                // β^t kept as running products (exact to rounding, no pow per step).
                state.beta1_power *= beta1;
                state.beta2_power *= beta2;
                let bias1 = 1.0 - state.beta1_power;
                let bias2 = 1.0 - state.beta2_power;
                let (mut m_hat, mut v_hat) = (theta, theta);
                for i in 0..p {
                    state.first[i] = beta1 * state.first[i] + (1.0 - beta1) * g[i];
                    state.second[i] = beta2 * state.second[i] + (1.0 - beta2) * g[i] * g[i];
                    m_hat[i] = state.first[i] / bias1;
                    v_hat[i] = state.second[i] / bias2;
                    out[i] = t[i] - lr * m_hat[i] / (v_hat[i].sqrt() + eps);
                }
                let (m, v, steps) = (state.first(p), state.second(p), state.steps as f64);
                let moment = |symbol, beta_symbol, beta, old: Theta, gradient: Math, value: Theta| Step {
                    symbol,
                    formula: row(vec![
                        var(beta_symbol, beta),
                        tok("·"),
                        var(symbol, old),
                        tok("+"),
                        paren(vec![tok("1"), tok("−"), var(beta_symbol, beta)]),
                        tok("·"),
                        gradient,
                    ]),
                    value: value.as_slice().to_vec(),
                };
                tracer.step(|| moment("m", "β₁", beta1, before.first(p), var("g", g), m));
                tracer.step(|| moment("v", "β₂", beta2, before.second(p), g_squared(), v));
                let corrected = |symbol, plain: &'static str, beta_symbol, beta: f64, raw: Theta, value: Theta| Step {
                    symbol,
                    formula: frac(var(plain, raw), row(vec![tok("1"), tok("−"), sup(var(beta_symbol, beta), var("t", steps))])),
                    value: value.as_slice().to_vec(),
                };
                tracer.step(|| corrected("m̂", "m", "β₁", beta1, m, m_hat));
                tracer.step(|| corrected("v̂", "v", "β₂", beta2, v, v_hat));
                tracer.step(|| {
                    theta_step(frac(var("m̂", m_hat), row(vec![sqrt(var("v̂", v_hat)), tok("+"), var("ε", eps)])), out)
                });
            }
        }
        out
    }
}

/// The running state of an optimizer: first-moment (momentum buffer or Adam's m) and
/// second-moment (Adagrad's sum, RMSprop's and Adam's v) accumulators, per parameter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OptimizerState {
    /// Momentum buffer b or Adam's m (the first d + 1 are used).
    pub first: [f64; MAX_PARAMS],
    /// Adagrad's s, RMSprop's or Adam's v (the first d + 1 are used).
    pub second: [f64; MAX_PARAMS],
    /// Updates taken.
    pub steps: u64,
    beta1_power: f64,
    beta2_power: f64,
}

impl OptimizerState {
    /// The first-moment buffer of `p` parameters.
    pub fn first(&self, p: usize) -> Theta {
        Theta::from_slice("first", &self.first[..p]).unwrap_or_default()
    }
    /// The second-moment buffer of `p` parameters.
    pub fn second(&self, p: usize) -> Theta {
        Theta::from_slice("second", &self.second[..p]).unwrap_or_default()
    }
}

impl Default for OptimizerState {
    fn default() -> Self {
        OptimizerState { first: [0.0; MAX_PARAMS], second: [0.0; MAX_PARAMS], steps: 0, beta1_power: 1.0, beta2_power: 1.0 }
    }
}

// The catalogue's entries: each optimizer's name, label and hyperparameters, torch.optim's
// defaults, with their valid ranges.

const UNIT_HALF_OPEN: Range = Range::HalfOpen { lo: 0.0, hi: 1.0 };

/// Momentum μ of heavy-ball and Nesterov momentum.
pub const MOMENTUM: Param = param("momentum", "momentum", "momentum", "label.momentum", 0.9, UNIT_HALF_OPEN, Some(0.01));
/// ε of Adagrad.
pub const ADAGRAD_EPS: Param = param("eps", "eps", "eps", "label.eps", 1e-10, Range::Positive, None);
/// ε of RMSprop and Adam.
pub const EPS: Param = param("eps", "eps", "eps", "label.eps", 1e-8, Range::Positive, None);
/// α of RMSprop.
pub const ALPHA: Param = param("alpha", "alpha", "alpha", "label.alpha", 0.99, UNIT_HALF_OPEN, Some(0.01));
/// β1 of Adam.
pub const BETA1: Param = param("beta1", "beta1", "beta1", "label.beta1", 0.9, UNIT_HALF_OPEN, Some(0.01));
/// β2 of Adam.
pub const BETA2: Param = param("beta2", "beta2", "beta2", "label.beta2", 0.999, UNIT_HALF_OPEN, Some(0.001));

/// An optimizer: its one name, the names also accepted on input, the page's label key, the
/// legend's name and its hyperparameters in order.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct OptimizerEntry {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub label: &'static str,
    pub legend: &'static str,
    pub params: &'static [Param],
}

/// The optimizers, torch.optim's defaults.
pub const OPTIMIZERS: &[OptimizerEntry] = &[
    OptimizerEntry { name: "sgd", aliases: &[], label: "optimizer.sgd", legend: "GD", params: &[] },
    OptimizerEntry { name: "momentum", aliases: &[], label: "optimizer.momentum", legend: "Momentum", params: &[MOMENTUM] },
    OptimizerEntry { name: "nesterov", aliases: &[], label: "optimizer.nesterov", legend: "Nesterov", params: &[MOMENTUM] },
    OptimizerEntry { name: "adagrad", aliases: &[], label: "optimizer.adagrad", legend: "Adagrad", params: &[ADAGRAD_EPS] },
    OptimizerEntry {
        name: "rmsprop",
        aliases: &["rms-prop"],
        label: "optimizer.rmsprop",
        legend: "RMSprop",
        params: &[ALPHA, EPS],
    },
    OptimizerEntry { name: "adam", aliases: &[], label: "optimizer.adam", legend: "Adam", params: &[BETA1, BETA2, EPS] },
    OptimizerEntry { name: "newton", aliases: &[], label: "optimizer.newton", legend: "Newton", params: &[] },
    OptimizerEntry { name: "cg", aliases: &["conjugate-gradient"], label: "optimizer.cg", legend: "CG", params: &[] },
];

impl OptimizerEntry {
    /// The default of hyperparameter `field` (NaN for a field the optimizer does not have).
    pub fn default_of(&self, field: &str) -> f64 {
        crate::param::default_of(self.params, field)
    }

    /// The optimizer called `name` (its name or an alias).
    pub fn named(name: &str) -> Result<&'static OptimizerEntry> {
        crate::param::named("optimizer", OPTIMIZERS, name)
    }
}

impl Named for OptimizerEntry {
    fn name(&self) -> &'static str {
        self.name
    }
    fn aliases(&self) -> &'static [&'static str] {
        self.aliases
    }
}
