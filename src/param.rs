//! A number a person sets: its keys on the page, in errors and in serde, its label, its default
//! and its valid range. Each entry is declared next to what it describes (an optimizer's
//! hyperparameters next to its rule, the number of points next to the data); the core validates
//! with these same entries ([`Param::check`]) and [`crate::catalog`] gathers them for the page,
//! so a range or a default is written once.

use crate::error::{Error, Range, Result};
use serde::Serialize;

/// One number a person sets.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Param {
    /// The page's state and URL key ("stepSize").
    pub key: &'static str,
    /// The key of the value in errors, one of [`crate::error::VALUE_NAMES`] ("step-size").
    pub name: &'static str,
    /// The serde field of the core's object that holds it ("step_size").
    pub field: &'static str,
    /// The page's label key ("label.step-size").
    pub label: &'static str,
    /// The default value.
    pub default: f64,
    /// The valid values.
    pub range: Range,
    /// Whether only integers are valid.
    pub integer: bool,
    /// A step for the page's number field; none means any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<f64>,
}

impl Param {
    /// `value` when it lies in the range, else the error naming this parameter.
    pub fn check(&self, value: f64) -> Result<f64> {
        self.range.check(self.name, value)
    }
}

/// A parameter; integer-only when its range is.
pub const fn param(
    key: &'static str,
    name: &'static str,
    field: &'static str,
    label: &'static str,
    default: f64,
    range: Range,
    step: Option<f64>,
) -> Param {
    let integer = matches!(range, Range::IntegerIn { .. } | Range::IntegerAtLeast { .. });
    Param { key, name, field, label, default, range, integer, step }
}

/// An entry of a table of choices (the optimizers, the schedules, the rate rules …): its one
/// name and the other names it is accepted by.
pub trait Named {
    /// The one name.
    fn name(&self) -> &'static str;
    /// Other names accepted on input.
    fn aliases(&self) -> &'static [&'static str] {
        &[]
    }
}

/// The entry of `table` called `name` (its name or an alias), else the error that names `kind`
/// and lists the names.
pub fn named<E: Named>(kind: &'static str, table: &'static [E], name: &str) -> Result<&'static E> {
    table
        .iter()
        .find(|e| e.name() == name || e.aliases().contains(&name))
        .ok_or_else(|| Error::unknown_choice(kind, name, table.iter().map(Named::name)))
}

/// The default of the parameter whose serde field is `field` (NaN for a field not among them).
pub fn default_of(params: &[Param], field: &str) -> f64 {
    params.iter().find(|p| p.field == field).map_or(f64::NAN, |p| p.default)
}
