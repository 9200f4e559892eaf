"""gdviz: gradient descent on least-squares regression, from Python.

The functions run the gdviz core natively (the Rust crate, through the extension module
``gdviz._core``), exactly and synchronously, and return what the command line ``gdviz`` prints
as JSON, as a dict with the same field names (``None`` where the JSON has ``null``):

- :func:`fit` runs an optimizer and reports where it stopped (``gdviz fit``);
- :func:`solve` gives the exact optimum and the curvature (``gdviz solve``);
- :func:`lr_find` runs the learning-rate range test (``gdviz lr-find``);
- :func:`rate_map` maps heavy-ball momentum's rate over (η, μ) (``gdviz rate-map``).

``x`` is array-like of shape (n,) or (n, d) (a NumPy array, a list, a pandas DataFrame, whose
column names name the features as a CSV header does); ``y`` has shape (n,). Bad input raises
``ValueError`` with the core's message. ``gdviz.Explorer`` is the notebook widget (it needs
anywidget). See docs/notebook.md.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from . import _core

__all__ = ["fit", "solve", "lr_find", "rate_map", "Explorer", "MAX_FEATURES"]

#: The most features (columns of x, or powers with ``degree``) a model may have.
MAX_FEATURES: int = _core.MAX_FEATURES


def __getattr__(name: str) -> Any:
    # The widget is imported on first use, so that the functions work without anywidget.
    if name == "Explorer":
        try:
            from .explorer import Explorer
        except ImportError as error:
            missing = getattr(error, "name", None) or ""
            if missing == "anywidget" or missing.startswith("anywidget."):
                raise ImportError(
                    "gdviz.Explorer needs anywidget: pip install anywidget (the functions fit, solve, "
                    "lr_find and rate_map work without it)",
                    name="anywidget",
                ) from error
            raise
        globals()["Explorer"] = Explorer
        return Explorer
    raise AttributeError(f"module 'gdviz' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | {"Explorer"})


# ---------------------------------------------------------------------------------------------
# The data: x and y checked and turned into the arrays the core reads.


def _shape_text(shape: tuple[int, ...]) -> str:
    return "(" + ", ".join(str(k) for k in shape) + ("," if len(shape) == 1 else "") + ")"


def _ragged(name: str, value: Any) -> str | None:
    """Why a nested sequence is ragged, naming its first row whose length differs; else None."""
    if not isinstance(value, Sequence) or isinstance(value, (str, bytes)) or len(value) == 0:
        return None

    def length(row: Any) -> int | None:
        if isinstance(row, (str, bytes)) or not hasattr(row, "__len__"):
            return None
        return len(row)

    def text(k: int | None) -> str:
        return "a number" if k is None else f"{k} value" + ("" if k == 1 else "s")

    first = length(value[0])
    for i, row in enumerate(value):
        if length(row) != first:
            return f"{name} is ragged: row 0 has {text(first)}, row {i} has {text(length(row))}"
    return None


def _array(name: str, value: Any) -> np.ndarray:
    """``value`` as a float64 array; ragged or non-numeric input refused, naming ``name``."""
    try:
        if hasattr(value, "to_numpy") and callable(value.to_numpy):
            # pandas (and the like): a missing value becomes NaN, refused below as not finite.
            try:
                return np.asarray(value.to_numpy(dtype=np.float64, na_value=np.nan), dtype=np.float64)
            except TypeError:
                return np.asarray(value.to_numpy(), dtype=np.float64)
        if isinstance(value, (str, bytes)):
            raise ValueError(f"{name} must be an array of numbers, got a string")
        return np.asarray(value, dtype=np.float64)
    except (ValueError, TypeError) as error:
        reason = _ragged(name, value)
        if reason is not None:
            raise ValueError(reason) from None
        if str(error).startswith(name + " "):
            raise
        raise ValueError(f"{name} must hold numbers: {error}") from None


def _first_bad(array: np.ndarray) -> tuple[tuple[int, ...], float] | None:
    bad = ~np.isfinite(array)
    if not bad.any():
        return None
    at = tuple(int(k) for k in np.argwhere(bad)[0])
    return at, float(array[at])


_LARGE = f"be at most {_core.MAX_MAGNITUDE!r} in magnitude (so that its squares stay finite)"


def _first_large(array: np.ndarray) -> tuple[tuple[int, ...], float] | None:
    large = np.abs(array) > _core.MAX_MAGNITUDE
    if not large.any():
        return None
    at = tuple(int(k) for k in np.argwhere(large)[0])
    return at, float(array[at])


def _data(x: Any, y: Any) -> tuple[np.ndarray, list[str], np.ndarray]:
    """The feature columns (shape (d, n), C order), their names and the target (shape (n,))."""
    names: list[str] | None = None
    columns = getattr(x, "columns", None)
    if columns is not None and getattr(x, "ndim", 2) == 2 and not isinstance(x, np.ndarray):
        names = [str(c) for c in columns]
    elif getattr(x, "ndim", None) == 1 and getattr(x, "name", None) is not None:
        names = [str(x.name)]  # a named pandas Series
    xs = _array("x", x)
    ys = _array("y", y)
    if xs.ndim not in (1, 2):
        raise ValueError(f"x must have shape (n,) or (n, d), got shape {_shape_text(xs.shape)}")
    if ys.ndim != 1:
        raise ValueError(f"y must have shape (n,), got shape {_shape_text(ys.shape)}")
    x_ndim, x_shape = xs.ndim, xs.shape
    if xs.ndim == 1:
        xs = xs.reshape(-1, 1)
    n, d = xs.shape
    if n == 0 or d == 0:
        raise ValueError(f"x is empty: it has shape {_shape_text(x_shape)}")
    if ys.shape[0] == 0:
        raise ValueError("y is empty: it has shape (0,)")
    if ys.shape[0] != n:
        raise ValueError(f"x and y must have the same length: x has {n} rows, y has {ys.shape[0]} values")
    if d > MAX_FEATURES:
        raise ValueError(f"x has {d} features (columns): at most {MAX_FEATURES}")
    for name, array, first_bad, why in [
        ("x", xs if x_ndim == 2 else xs[:, 0], _first_bad, "be finite"),
        ("y", ys, _first_bad, "be finite"),
        ("x", xs if x_ndim == 2 else xs[:, 0], _first_large, _LARGE),
        ("y", ys, _first_large, _LARGE),
    ]:
        bad = first_bad(array)
        if bad is not None:
            at, value = bad
            where = f"{name}[{', '.join(str(k) for k in at)}]"
            if name == "x" and names is not None and len(at) == 2:
                where += f" (column {names[at[1]]!r})"
            raise ValueError(f"{name} must {why}: {where} is {value!r}")
    if names is None:
        names = ["x"] if d == 1 else [f"x{j}" for j in range(1, d + 1)]
    return np.ascontiguousarray(xs.T), names, np.ascontiguousarray(ys)


def _whole(name: str, value: Any) -> int:
    """A whole number (an int, a NumPy integer, or a float with no fractional part)."""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    try:
        return int(value.__index__())
    except (AttributeError, TypeError):
        raise TypeError(f"{name} must be a whole number, got {value!r}") from None


def _optional_whole(name: str, value: Any) -> int | None:
    return None if value is None else _whole(name, value)


def _init(value: Any) -> list[float] | None:
    if value is None:
        return None
    array = _array("init", value)
    if array.ndim != 1:
        raise ValueError(f"init must have shape (d + 1,), one value per coefficient, got shape {_shape_text(array.shape)}")
    return array.tolist()


def _hyperparameters(function: str, given: dict[str, Any], known: tuple[str, ...]) -> dict[str, Any]:
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise TypeError(f"{function}() got an unexpected keyword argument {unknown[0]!r}")
    whole = {"step_size", "total_steps"}
    return {k: (_optional_whole(k, v) if k in whole else v) for k, v in given.items()}


_OPTIMIZER_HYPERPARAMETERS = ("momentum", "beta1", "beta2", "alpha", "eps")
_FIT_HYPERPARAMETERS = _OPTIMIZER_HYPERPARAMETERS + (
    "schedule", "decay", "step_size", "total_steps",
    "rate_rule", "up", "down", "factor", "patience", "threshold", "cooldown", "min_lr",
    "line_search", "beta", "c",
)  # fmt: skip


# ---------------------------------------------------------------------------------------------
# The functions.


def fit(
    x: Any,
    y: Any,
    *,
    degree: int | None = None,
    loss: str = "half-mse",
    standardize: bool = False,
    optimizer: str = "sgd",
    lr: float = 0.05,
    batch_size: int | None = None,
    steps: int = 1000,
    seed: int = 1,
    init: Sequence[float] | None = None,
    tol: float = 1e-6,
    regularization: str = "none",
    lam: float = 0.1,
    l1_ratio: float = 0.5,
    **hyperparameters: Any,
) -> dict[str, Any]:
    """Run an optimizer on least squares and report where it stopped, as ``gdviz fit`` does.

    The model is ŷ = θ0 + Σⱼ θⱼ·xⱼ (or the powers x, …, x^degree of one column); the objective
    J(θ) = c/(2n)·Σ(ŷ − y)² + R(θ1..θd), c = 1 for ``loss="half-mse"`` and 2 for ``"mse"``.
    The run starts at θ = 0 (or ``init``, one value per coefficient, θ0 first) and stops after
    ``steps`` updates (``status`` "running"), when the gradient norm is ≤ ``tol``
    ("converged") or when J blows up ("diverged").

    ``regularization``: "none", "l1" (λΣ|θⱼ|), "l2" ((λ/2)Σθⱼ²) or "elastic-net"; ``lam`` is λ
    (used by l1, l2 and elastic-net), ``l1_ratio`` is ρ (used by elastic-net).
    ``optimizer``: sgd, momentum, nesterov, adagrad, rmsprop, adam, newton or cg.
    ``hyperparameters``: momentum, beta1, beta2, alpha, eps (each for the optimizers that have
    it); schedule (constant, step, exponential, inverse-time, cosine), decay, step_size,
    total_steps; rate_rule (none, bold-driver, plateau), up, down, factor, patience, threshold,
    cooldown, min_lr; line_search (none, exact, armijo, bb, polyak), beta, c.

    Returns the dict of ``gdviz fit``'s JSON: theta0, theta1, theta, features,
    loss_convention, loss, iterations, epochs, samples_seen, gradient_norm, lr_effective,
    evaluations, status, optimizer, rate_rule, line_search, optimum, lr_critical,
    condition_number, hessian_eigenvalues (and theta_standardized, divergence, optimum_error,
    warning when they apply). Raises ValueError for bad input, with the core's message.
    """
    columns, names, target = _data(x, y)
    extra = _hyperparameters("fit", hyperparameters, _FIT_HYPERPARAMETERS)
    return _core.fit(
        columns, names, target,
        degree=_optional_whole("degree", degree), loss=loss, standardize=standardize,
        optimizer=optimizer, lr=lr, batch_size=_optional_whole("batch_size", batch_size),
        steps=_whole("steps", steps), seed=_whole("seed", seed), init=_init(init), tol=tol,
        regularization=regularization, lam=lam, l1_ratio=l1_ratio, **extra,
    )  # fmt: skip


def solve(
    x: Any,
    y: Any,
    *,
    degree: int | None = None,
    loss: str = "half-mse",
    standardize: bool = False,
    regularization: str = "none",
    lam: float = 0.1,
    l1_ratio: float = 0.5,
) -> dict[str, Any]:
    """The exact optimum θ* and the curvature of J, as ``gdviz solve`` gives them.

    Closed form for one feature; the normal equations for several; coordinate descent to a
    duality gap of 1e-12 with an L1 part. Returns the dict of ``gdviz solve``'s JSON: theta0,
    theta1, theta (``None`` when θ* is not unique, with optimum_error saying why), features,
    loss_convention, loss, optimum, lr_critical, condition_number, hessian_eigenvalues (and
    theta_standardized, warning when they apply). Raises ValueError for bad input.
    """
    columns, names, target = _data(x, y)
    return _core.solve(
        columns, names, target,
        degree=_optional_whole("degree", degree), loss=loss, standardize=standardize,
        regularization=regularization, lam=lam, l1_ratio=l1_ratio,
    )  # fmt: skip


def lr_find(
    x: Any,
    y: Any,
    *,
    degree: int | None = None,
    loss: str = "half-mse",
    standardize: bool = False,
    optimizer: str = "sgd",
    batch_size: int | None = None,
    seed: int = 1,
    init: Sequence[float] | None = None,
    regularization: str = "none",
    lam: float = 0.1,
    l1_ratio: float = 0.5,
    start: float = 1e-7,
    end: float = 10.0,
    num_it: int = 100,
    beta: float = 0.98,
    stop_factor: float = 4.0,
    **hyperparameters: Any,
) -> dict[str, Any]:
    """The learning-rate range test (fastai's ``lr_find``), as ``gdviz lr-find`` runs it.

    From θ = 0 (or ``init``) the optimizer takes up to ``num_it`` updates at the rates
    start·(end/start)^(i/num_it) and stops once the loss smoothed with ``beta`` passes
    ``stop_factor`` times its best. ``hyperparameters``: the optimizer's (momentum, beta1,
    beta2, alpha, eps). Returns the dict of ``gdviz lr-find``'s JSON: lrs, losses,
    smooth_losses, suggestions (valley, steep, minimum), stopped, lr_critical, num_it,
    batch_size, optimizer, loss_convention. Raises ValueError for bad input.
    """
    columns, names, target = _data(x, y)
    extra = _hyperparameters("lr_find", hyperparameters, _OPTIMIZER_HYPERPARAMETERS)
    return _core.lr_find(
        columns, names, target,
        degree=_optional_whole("degree", degree), loss=loss, standardize=standardize,
        optimizer=optimizer, batch_size=_optional_whole("batch_size", batch_size),
        seed=_whole("seed", seed), init=_init(init),
        regularization=regularization, lam=lam, l1_ratio=l1_ratio,
        start=start, end=end, num_it=_whole("num_it", num_it), beta=beta, stop_factor=stop_factor,
        **extra,
    )  # fmt: skip


def rate_map(
    x: Any,
    y: Any,
    *,
    degree: int | None = None,
    loss: str = "half-mse",
    standardize: bool = False,
    regularization: str = "none",
    lam: float = 0.1,
    l1_ratio: float = 0.5,
    lr_range: tuple[float, float] | None = None,
    momentum_range: tuple[float, float] = (0.0, 0.999),
    grid: tuple[int, int] = (100, 100),
) -> dict[str, Any]:
    """The stability map of heavy-ball momentum, as ``gdviz rate-map`` computes it.

    The asymptotic rate of full-batch momentum at W learning rates log-spaced over
    ``lr_range`` (default 1e-3·2/λmax to 1.2·2(1 + μmax)/λmax) by H momenta evenly spaced over
    ``momentum_range``, ``grid=(W, H)``. Returns the dict of ``gdviz rate-map``'s JSON: lrs,
    momenta, rates (H rows of W), steps, optimum (Polyak's), plain_best, eigenvalues,
    lr_critical (and note with an L1 part). Raises ValueError for bad input.
    """
    columns, names, target = _data(x, y)
    return _core.rate_map(
        columns, names, target,
        degree=_optional_whole("degree", degree), loss=loss, standardize=standardize,
        regularization=regularization, lam=lam, l1_ratio=l1_ratio,
        lr_range=None if lr_range is None else list(lr_range),
        momentum_range=list(momentum_range),
        grid=[_whole("grid", k) for k in grid],
    )  # fmt: skip
