//! The update rules, one per optimizer, following torch.optim's documented rules and defaults
//! (SGD with and without momentum/Nesterov, Adagrad, RMSprop, Adam), so a result can be checked
//! against PyTorch. Each rule takes the gradient g at θ and the effective learning rate η and
//! returns the new θ; the L1 proximal step for plain GD is applied by the caller.

use crate::catalog::{self, OptimizerEntry};
use crate::error::Result;
use crate::objective::Theta;
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
}

impl Optimizer {
    /// The optimizer called `name` (a name or an alias of the [catalogue](catalog::OPTIMIZERS))
    /// with the catalogue's defaults, torch.optim's.
    pub fn with_defaults(name: &str) -> Result<Self> {
        let entry = catalog::optimizer(name)?;
        let d = |field| entry.default_of(field);
        Ok(match entry.name {
            "momentum" => Optimizer::Momentum { momentum: d("momentum") },
            "nesterov" => Optimizer::Nesterov { momentum: d("momentum") },
            "adagrad" => Optimizer::Adagrad { eps: d("eps") },
            "rmsprop" => Optimizer::RmsProp { alpha: d("alpha"), eps: d("eps") },
            "adam" => Optimizer::Adam { beta1: d("beta1"), beta2: d("beta2"), eps: d("eps") },
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
        catalog::OPTIMIZERS.iter().find(|e| e.name == self.name()).unwrap_or(&catalog::OPTIMIZERS[0])
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

    /// One update of θ from the gradient `g` with learning rate `lr`, advancing `state`.
    pub fn update(&self, state: &mut OptimizerState, theta: Theta, g: Theta, lr: f64) -> Theta {
        let t = [theta.theta0, theta.theta1];
        let g = [g.theta0, g.theta1];
        state.steps += 1;
        let mut out = [0.0; 2];
        match *self {
            Optimizer::Sgd => {
                for i in 0..2 {
                    out[i] = t[i] - lr * g[i];
                }
            }
            Optimizer::Momentum { momentum } => {
                for i in 0..2 {
                    state.first[i] = momentum * state.first[i] + g[i];
                    out[i] = t[i] - lr * state.first[i];
                }
            }
            Optimizer::Nesterov { momentum } => {
                for i in 0..2 {
                    state.first[i] = momentum * state.first[i] + g[i];
                    out[i] = t[i] - lr * (g[i] + momentum * state.first[i]);
                }
            }
            Optimizer::Adagrad { eps } => {
                for i in 0..2 {
                    state.second[i] += g[i] * g[i];
                    out[i] = t[i] - lr * g[i] / (state.second[i].sqrt() + eps);
                }
            }
            Optimizer::RmsProp { alpha, eps } => {
                for i in 0..2 {
                    state.second[i] = alpha * state.second[i] + (1.0 - alpha) * g[i] * g[i];
                    out[i] = t[i] - lr * g[i] / (state.second[i].sqrt() + eps);
                }
            }
            Optimizer::Adam { beta1, beta2, eps } => {
                // β^t kept as running products (exact to rounding, no pow per step).
                state.beta1_power *= beta1;
                state.beta2_power *= beta2;
                let bias1 = 1.0 - state.beta1_power;
                let bias2 = 1.0 - state.beta2_power;
                for i in 0..2 {
                    state.first[i] = beta1 * state.first[i] + (1.0 - beta1) * g[i];
                    state.second[i] = beta2 * state.second[i] + (1.0 - beta2) * g[i] * g[i];
                    let m_hat = state.first[i] / bias1;
                    let v_hat = state.second[i] / bias2;
                    out[i] = t[i] - lr * m_hat / (v_hat.sqrt() + eps);
                }
            }
        }
        Theta::new(out[0], out[1])
    }
}

/// The running state of an optimizer: first-moment (momentum buffer or Adam's m) and
/// second-moment (Adagrad's sum, RMSprop's and Adam's v) accumulators, per parameter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OptimizerState {
    /// Momentum buffer b or Adam's m.
    pub first: [f64; 2],
    /// Adagrad's s, RMSprop's or Adam's v.
    pub second: [f64; 2],
    /// Updates taken.
    pub steps: u64,
    beta1_power: f64,
    beta2_power: f64,
}

impl Default for OptimizerState {
    fn default() -> Self {
        OptimizerState { first: [0.0; 2], second: [0.0; 2], steps: 0, beta1_power: 1.0, beta2_power: 1.0 }
    }
}
