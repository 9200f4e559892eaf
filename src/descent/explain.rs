//! The coming update of a run written out as data: the rule of each intermediate as a small
//! math tree with the current numbers in it, and the numbers it gives. The update code takes a
//! [`Tracer`]: stepping passes [`NoTrace`], whose methods do nothing and whose closures are never
//! called, so the trees are built only when explaining ([`Recorder`]).

use crate::least_squares::objective::Theta;
use serde::ser::{Serialize, SerializeSeq, Serializer};

/// A number or a vector of numbers (one per parameter θ0 … θd).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    /// One number.
    Scalar(f64),
    /// One number per parameter.
    Vector(Theta),
}

impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Scalar(v)
    }
}

impl From<Theta> for Value {
    fn from(v: Theta) -> Self {
        Value::Vector(v)
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Scalar(v) => v.serialize(serializer),
            Value::Vector(v) => v.as_slice().serialize(serializer),
        }
    }
}

/// A formula, serialized as the page renders it: a string is a token (a number, an identifier
/// or an operator), the rest are arrays whose first element names the node: `["row", ...]`,
/// `["frac", a, b]`, `["sqrt", a]`, `["sub", x, s]`, `["sup", x, s]`, `["hat", x]`, and
/// `["var", symbol, value]` for an operand with its current value.
#[derive(Debug, Clone, PartialEq)]
pub enum Math {
    /// A token.
    Token(&'static str),
    /// A group.
    Row(Vec<Math>),
    /// A fraction.
    Frac(Box<Math>, Box<Math>),
    /// A square root.
    Sqrt(Box<Math>),
    /// A subscript.
    Sub(Box<Math>, Box<Math>),
    /// A superscript.
    Sup(Box<Math>, Box<Math>),
    /// A hat accent.
    Hat(Box<Math>),
    /// An operand: its symbol and its current value.
    Var(&'static str, Value),
}

impl Serialize for Math {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Math::Token(text) => serializer.serialize_str(text),
            Math::Row(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len() + 1))?;
                seq.serialize_element("row")?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Math::Frac(a, b) => tagged(serializer, "frac", &[a, b]),
            Math::Sqrt(a) => tagged(serializer, "sqrt", &[a]),
            Math::Sub(a, b) => tagged(serializer, "sub", &[a, b]),
            Math::Sup(a, b) => tagged(serializer, "sup", &[a, b]),
            Math::Hat(a) => tagged(serializer, "hat", &[a]),
            Math::Var(symbol, value) => {
                let mut seq = serializer.serialize_seq(Some(3))?;
                seq.serialize_element("var")?;
                seq.serialize_element(symbol)?;
                seq.serialize_element(value)?;
                seq.end()
            }
        }
    }
}

fn tagged<S: Serializer>(serializer: S, name: &'static str, children: &[&Math]) -> Result<S::Ok, S::Error> {
    let mut seq = serializer.serialize_seq(Some(children.len() + 1))?;
    seq.serialize_element(name)?;
    for child in children {
        seq.serialize_element(child)?;
    }
    seq.end()
}

/// A token.
pub fn tok(text: &'static str) -> Math {
    Math::Token(text)
}
/// An operand `symbol` with its current value.
pub fn var(symbol: &'static str, value: impl Into<Value>) -> Math {
    Math::Var(symbol, value.into())
}
/// A group of parts.
pub fn row(parts: Vec<Math>) -> Math {
    Math::Row(parts)
}
/// `a` over `b`.
pub fn frac(a: Math, b: Math) -> Math {
    Math::Frac(Box::new(a), Box::new(b))
}
/// √a.
pub fn sqrt(a: Math) -> Math {
    Math::Sqrt(Box::new(a))
}
/// x^s.
pub fn sup(x: Math, s: Math) -> Math {
    Math::Sup(Box::new(x), Box::new(s))
}
/// (a).
pub fn paren(parts: Vec<Math>) -> Math {
    let mut all = vec![tok("(")];
    all.extend(parts);
    all.push(tok(")"));
    Math::Row(all)
}

/// One intermediate of an update: `symbol ← formula`, which comes to `value`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Step {
    /// The quantity computed ("b", "m̂", "θ").
    pub symbol: &'static str,
    /// Its rule with the current numbers.
    pub formula: Math,
    /// What it comes to, per parameter.
    pub value: Vec<f64>,
}

/// What an update reports as it goes. Stepping uses [`NoTrace`]; explaining uses [`Recorder`].
pub trait Tracer {
    /// Whether this tracer keeps the steps (so that the update keeps what they show).
    const KEEPS_STEPS: bool;
    /// An intermediate of the update, built by `make` only if this tracer keeps it.
    fn step(&mut self, make: impl FnOnce() -> Step);
    /// The index of a point of the mini-batch, in the order drawn.
    fn batch_index(&mut self, index: u32);
}

/// The tracer of stepping: keeps nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoTrace;

impl Tracer for NoTrace {
    const KEEPS_STEPS: bool = false;
    #[inline(always)]
    fn step(&mut self, _make: impl FnOnce() -> Step) {}
    #[inline(always)]
    fn batch_index(&mut self, _index: u32) {}
}

/// The tracer of explaining: keeps every step, and the batch's indices up to a limit.
#[derive(Debug, Clone, Default)]
pub struct Recorder {
    /// The intermediates, in order.
    pub steps: Vec<Step>,
    /// The batch's indices, when there are at most `max_indices`.
    pub indices: Vec<u32>,
    /// How many indices to keep.
    pub max_indices: usize,
}

impl Tracer for Recorder {
    const KEEPS_STEPS: bool = true;
    fn step(&mut self, make: impl FnOnce() -> Step) {
        self.steps.push(make());
    }
    fn batch_index(&mut self, index: u32) {
        if self.indices.len() < self.max_indices {
            self.indices.push(index);
        }
    }
}

/// The gradient an update uses.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct GradientUsed {
    /// "full" for full-batch updates, "batch" for mini-batch ones.
    pub kind: &'static str,
    /// The gradient the optimizer gets (with the L1 subgradient when `l1_subgradient`).
    pub value: Vec<f64>,
    /// The smooth part's gradient on the full data at θ.
    pub full: Vec<f64>,
    /// The coming mini-batch, for mini-batch updates.
    pub batch: Option<Batch>,
    /// Whether λ1·sign(θⱼ) was added (optimizers other than plain descent, with an L1 part).
    pub l1_subgradient: bool,
}

/// The coming mini-batch.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Batch {
    /// Its points (the last batch of an epoch may be short).
    pub size: usize,
    /// The 0-based indices of its points in the order drawn, for batches of at most
    /// [`MAX_LISTED_INDICES`] points.
    pub indices: Option<Vec<u32>>,
}

/// Largest batch whose indices are listed.
pub const MAX_LISTED_INDICES: usize = 64;

/// The proximal step of plain descent with an L1 part: each slope θⱼ soft-thresholded by
/// ηₜ·λ1.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Prox {
    /// ηₜ·λ1.
    pub threshold: f64,
    /// The slopes θ1 … θd after the gradient step.
    pub before: Vec<f64>,
    /// The slopes after the soft threshold.
    pub after: Vec<f64>,
}

/// The stability bands of full-batch descent on this quadratic.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Stability {
    /// `[λ_min, λ_max]` of the Hessian of the smooth part.
    pub eigenvalues: [f64; 2],
    /// 1/λ_max: no overshoot below it.
    pub lr_monotone: f64,
    /// 2/(λ_min + λ_max): the best constant rate.
    pub lr_optimal: f64,
    /// 2/λ_max: plain descent diverges above it.
    pub lr_critical: f64,
    /// κ = λ_max/λ_min; none when λ_min = 0.
    pub condition_number: Option<f64>,
    /// 2(1 + μ)/λ_max, where full-batch heavy-ball momentum diverges; only for momentum.
    /// (Along each eigen-direction θₖ₊₁ = θₖ − η·λ·θₖ + μ·(θₖ − θₖ₋₁), whose characteristic
    /// polynomial z² − (1 + μ − ηλ)·z + μ has both roots inside the unit circle iff
    /// 0 < ηλ < 2(1 + μ), for 0 ≤ μ < 1.)
    pub momentum_critical: Option<f64>,
    /// Whether the bands are this optimizer's: true for plain gradient descent.
    pub applies: bool,
}

/// The coming update of a run.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Explanation {
    /// The optimizer's name.
    pub optimizer: &'static str,
    /// Updates taken so far.
    pub iteration: u64,
    /// The effective learning rate ηₜ of the coming update.
    pub lr: f64,
    /// θ now.
    pub theta: Vec<f64>,
    /// The gradient the update uses.
    pub gradient: GradientUsed,
    /// Each intermediate, in order; the last is θ after the optimizer's rule.
    pub steps: Vec<Step>,
    /// The proximal step, for plain descent with an L1 part.
    pub prox: Option<Prox>,
    /// θ after the update: exactly where the run's next step takes it while it is running.
    pub next: Vec<f64>,
    /// The stability bands.
    pub stability: Stability,
}
