"""Typing stub of gdviz._core, the extension module (python/src/lib.rs).

Its functions take the data as gdviz's functions hand it over: ``x`` the feature columns as a
float64 array of shape (d, n) (or d sequences of n numbers), ``names`` one name per column,
``y`` the target as a float64 array of shape (n,). Every keyword has to be given except the
hyperparameters; the defaults are gdviz's (``gdviz/__init__.py``). Each returns the dict of the
command line's JSON and raises ValueError with the core's message for bad input.
"""

from collections.abc import Sequence
from typing import Any

MAX_FEATURES: int
#: The largest magnitude of a value of x or y (1e150): their squares and products stay finite.
MAX_MAGNITUDE: float
#: Each flag of the command line and the keyword argument that sets the same value, e.g.
#: ("--lambda", "lam"): how a message of the core names a setting here.
KEYWORDS: list[tuple[str, str]]

_Columns = Any  # a float64 buffer of shape (d, n), or a sequence of d sequences of n numbers
_Target = Any  # a float64 buffer of shape (n,), or a sequence of n numbers

def solve(
    x: _Columns,
    names: Sequence[str],
    y: _Target,
    *,
    degree: int | None,
    loss: str,
    standardize: bool,
    regularization: str,
    lam: float,
    l1_ratio: float,
) -> dict[str, Any]: ...
def fit(
    x: _Columns,
    names: Sequence[str],
    y: _Target,
    *,
    degree: int | None,
    loss: str,
    standardize: bool,
    optimizer: str,
    lr: float,
    batch_size: int | None,
    steps: int,
    seed: int,
    init: Sequence[float] | None,
    tol: float,
    regularization: str,
    lam: float,
    l1_ratio: float,
    momentum: float | None = None,
    beta1: float | None = None,
    beta2: float | None = None,
    alpha: float | None = None,
    eps: float | None = None,
    schedule: str | None = None,
    decay: float | None = None,
    step_size: int | None = None,
    total_steps: int | None = None,
    rate_rule: str | None = None,
    up: float | None = None,
    down: float | None = None,
    factor: float | None = None,
    patience: float | None = None,
    threshold: float | None = None,
    cooldown: float | None = None,
    min_lr: float | None = None,
    line_search: str | None = None,
    beta: float | None = None,
    c: float | None = None,
) -> dict[str, Any]: ...
def lr_find(
    x: _Columns,
    names: Sequence[str],
    y: _Target,
    *,
    degree: int | None,
    loss: str,
    standardize: bool,
    optimizer: str,
    batch_size: int | None,
    seed: int,
    init: Sequence[float] | None,
    regularization: str,
    lam: float,
    l1_ratio: float,
    start: float,
    end: float,
    num_it: int,
    beta: float,
    stop_factor: float,
    momentum: float | None = None,
    beta1: float | None = None,
    beta2: float | None = None,
    alpha: float | None = None,
    eps: float | None = None,
) -> dict[str, Any]: ...
def rate_map(
    x: _Columns,
    names: Sequence[str],
    y: _Target,
    *,
    degree: int | None,
    loss: str,
    standardize: bool,
    regularization: str,
    lam: float,
    l1_ratio: float,
    lr_range: Sequence[float] | None,
    momentum_range: Sequence[float],
    grid: Sequence[int],
) -> dict[str, Any]: ...
