"""gdviz's functions: the command line's JSON to the bit, scikit-learn's optima, every refusal.

Run by `make test-python` (which builds the command line, target/release/gdviz, and names it in
GDVIZ_CLI). Each comparison with the command line writes the same data to a CSV file in a
temporary folder (numbers by repr, which reads back to the same float64), runs `gdviz` with the
flags that match the keyword arguments, and compares the dict with the JSON read back, every
float by its bits.
"""

from __future__ import annotations

import json
import math
import os
import pathlib
import random
import struct
import subprocess
import sys
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import ElasticNet, Lasso, Ridge

import gdviz
from gdviz import _core

ROOT = pathlib.Path(__file__).resolve().parents[2]
FLAGS = {keyword: flag for flag, keyword in _core.KEYWORDS}


@pytest.fixture(scope="session")
def cli() -> pathlib.Path:
    path = pathlib.Path(os.environ.get("GDVIZ_CLI", "target/release/gdviz"))
    path = path if path.is_absolute() else ROOT / path
    if not path.is_file():
        pytest.fail(f"the command line {path} is missing: run `make test-python` (or cargo build --release --bin gdviz)")
    return path


# ---------------------------------------------------------------------------------------------
# Data


def line(n: int = 30, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2.0, 3.0, n)
    return x, 1.5 - 0.7 * x + rng.normal(0.0, 0.4, n)


def several(n: int = 60, d: int = 3, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, d)) * np.linspace(0.5, 2.0, d) + np.linspace(-1.0, 1.0, d)
    coefficients = np.array([2.0, -3.0, 0.05, 1.0, -0.5][:d])
    return x, 0.8 + x @ coefficients + rng.normal(0.0, 0.3, n)


def frame(n: int = 60, seed: int = 1) -> tuple[pd.DataFrame, pd.Series]:
    x, y = several(n, 3, seed)
    return pd.DataFrame(x, columns=["height", "width", "noise"]), pd.Series(y, name="price")


def write_csv(folder: pathlib.Path, x: Any, y: Any) -> pathlib.Path:
    """x and y as the command line reads them: a header row only for a DataFrame's names."""
    header = [str(c) for c in x.columns] + ["y"] if isinstance(x, pd.DataFrame) else None
    xs = np.asarray(x, dtype=np.float64).reshape(len(y), -1)
    rows = [",".join(repr(float(v)) for v in row) + "," + repr(float(t)) for row, t in zip(xs, np.asarray(y, dtype=np.float64))]
    path = folder / "data.csv"
    path.write_text("\n".join(([",".join(header)] if header else []) + rows) + "\n")
    return path


def flags(kwargs: dict[str, Any]) -> list[str]:
    """The command line's flags for gdviz's keyword arguments."""
    out: list[str] = []
    for keyword, value in kwargs.items():
        flag = FLAGS[keyword]
        if value is True:
            out.append(flag)
        elif isinstance(value, (list, tuple)):
            out += [flag, ",".join(repr(v) for v in value)]
        else:
            out += [flag, str(value)]
    return out


def run_cli(cli: pathlib.Path, command: str, csv: pathlib.Path, kwargs: dict[str, Any]) -> subprocess.CompletedProcess:
    return subprocess.run([str(cli), command, "--csv", str(csv), *flags(kwargs)], capture_output=True, text=True, timeout=120)


def cli_json(cli: pathlib.Path, command: str, csv: pathlib.Path, kwargs: dict[str, Any]) -> Any:
    done = run_cli(cli, command, csv, kwargs)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def assert_same(got: Any, want: Any, path: str = "") -> None:
    """Equal dicts, lists and values of the same types, every float equal bit for bit."""
    assert type(got) is type(want), f"{path}: {type(got).__name__} {got!r} against {type(want).__name__} {want!r}"
    if isinstance(want, dict):
        assert list(got) == list(want), f"{path}: keys {list(got)} against {list(want)}"
        for key in want:
            assert_same(got[key], want[key], f"{path}.{key}")
    elif isinstance(want, list):
        assert len(got) == len(want), f"{path}: {len(got)} items against {len(want)}"
        for i, (a, b) in enumerate(zip(got, want)):
            assert_same(a, b, f"{path}[{i}]")
    elif isinstance(want, float):
        assert struct.pack("<d", got) == struct.pack("<d", want), f"{path}: {got!r} against {want!r}"
    else:
        assert got == want, f"{path}: {got!r} against {want!r}"


# ---------------------------------------------------------------------------------------------
# The command line's JSON, to the bit

DATA = {"line": line, "several": several, "frame": frame}

SOLVE_CASES = [
    ("line", {}),
    ("line", {"loss": "mse", "regularization": "l2", "lam": 0.3}),
    ("line", {"degree": 3, "standardize": True}),
    ("several", {}),
    ("several", {"regularization": "l1", "lam": 0.2}),
    ("several", {"regularization": "elastic-net", "lam": 0.1, "l1_ratio": 0.3, "standardize": True}),
    ("frame", {"regularization": "l2"}),
]


@pytest.mark.parametrize(("data", "kwargs"), SOLVE_CASES)
def test_solve_is_the_command_lines(cli, tmp_path, data, kwargs):
    x, y = DATA[data]()
    assert_same(gdviz.solve(x, y, **kwargs), cli_json(cli, "solve", write_csv(tmp_path, x, y), kwargs))


FIT_CASES = [
    ("line", {}),
    ("line", {"lr": 0.2, "steps": 5000, "tol": 1e-9}),
    ("line", {"lr": 5.0, "steps": 50}),  # diverges: nulls and a divergence message
    ("line", {"optimizer": "adam", "lr": 0.1, "beta1": 0.8, "beta2": 0.99, "eps": 1e-7, "steps": 300}),
    ("line", {"optimizer": "momentum", "momentum": 0.5, "batch_size": 7, "seed": 42, "steps": 200}),
    ("line", {"optimizer": "rmsprop", "alpha": 0.9, "schedule": "step", "decay": 0.7, "step_size": 20, "steps": 150}),
    ("line", {"optimizer": "adagrad", "lr": 0.5, "schedule": "cosine", "total_steps": 80, "steps": 100}),
    ("line", {"init": [-3.0, 5.0], "steps": 0}),
    ("line", {"degree": 3, "standardize": True, "optimizer": "nesterov", "lr": 0.1, "steps": 400}),
    ("line", {"rate_rule": "bold-driver", "up": 1.1, "down": 0.4, "steps": 100}),
    ("line", {"rate_rule": "plateau", "factor": 0.5, "patience": 3, "threshold": 1e-3, "cooldown": 1, "min_lr": 1e-4}),
    ("line", {"line_search": "armijo", "beta": 0.6, "c": 0.01, "lr": 2.0, "steps": 60}),
    ("line", {"line_search": "exact", "steps": 40}),
    ("several", {"optimizer": "newton", "lr": 1.0, "steps": 3}),
    ("several", {"optimizer": "cg", "steps": 5, "regularization": "l2", "lam": 0.5}),
    ("several", {"regularization": "l1", "lam": 0.05, "lr": 0.1, "steps": 800}),
    ("several", {"regularization": "elastic-net", "lam": 0.2, "l1_ratio": 0.7, "schedule": "inverse-time", "decay": 0.001}),
    ("frame", {"standardize": True, "schedule": "exponential", "steps": 300, "loss": "mse"}),
]


@pytest.mark.parametrize(("data", "kwargs"), FIT_CASES)
def test_fit_is_the_command_lines(cli, tmp_path, data, kwargs):
    x, y = DATA[data]()
    assert_same(gdviz.fit(x, y, **kwargs), cli_json(cli, "fit", write_csv(tmp_path, x, y), kwargs))


def test_none_where_the_json_has_null(cli, tmp_path):
    x, y = several(20, 2)
    x = np.column_stack([x[:, 0], 2.0 * x[:, 0]])  # collinear: no unique optimum
    csv = write_csv(tmp_path, x, y)
    solved = gdviz.solve(x, y)
    assert solved["theta"] is None and solved["optimum"] is None and solved["theta0"] is None
    assert isinstance(solved["optimum_error"], str)
    assert_same(solved, cli_json(cli, "solve", csv, {}))
    assert_same(gdviz.fit(x, y, steps=20), cli_json(cli, "fit", csv, {"steps": 20}))
    diverged = gdviz.fit(*line(), lr=5.0, steps=50)
    assert diverged["status"] == "diverged" and isinstance(diverged["divergence"], str)


LR_FIND_CASES = [
    ("line", {}),
    ("line", {"num_it": 60, "start": 1e-5, "end": 100.0, "beta": 0.9, "stop_factor": 10.0}),
    ("line", {"optimizer": "momentum", "momentum": 0.8, "batch_size": 5, "seed": 3, "init": [1.0, 1.0]}),
    ("several", {"optimizer": "adam", "beta2": 0.9, "regularization": "l2", "lam": 0.2, "standardize": True}),
    ("frame", {"regularization": "l1", "lam": 0.01, "loss": "mse"}),
]


@pytest.mark.parametrize(("data", "kwargs"), LR_FIND_CASES)
def test_lr_find_is_the_command_lines(cli, tmp_path, data, kwargs):
    x, y = DATA[data]()
    assert_same(gdviz.lr_find(x, y, **kwargs), cli_json(cli, "lr-find", write_csv(tmp_path, x, y), kwargs))


RATE_MAP_CASES = [
    ("line", {}),
    ("line", {"grid": (30, 12), "lr_range": (0.001, 2.0), "momentum_range": (0.1, 0.95)}),
    ("several", {"grid": (16, 9), "regularization": "l1", "lam": 0.1}),  # a note: the smooth part only
    ("frame", {"grid": (8, 8), "standardize": True, "degree": None}),
]


@pytest.mark.parametrize(("data", "kwargs"), RATE_MAP_CASES)
def test_rate_map_is_the_command_lines(cli, tmp_path, data, kwargs):
    x, y = DATA[data]()
    kwargs = {k: v for k, v in kwargs.items() if v is not None}
    assert_same(gdviz.rate_map(x, y, **kwargs), cli_json(cli, "rate-map", write_csv(tmp_path, x, y), kwargs))


def test_every_keyword_of_the_functions_is_a_setting_of_the_core():
    import inspect

    keywords = {k for f in (gdviz.fit, gdviz.solve, gdviz.lr_find, gdviz.rate_map) for k in inspect.signature(f).parameters}
    keywords |= set(gdviz._FIT_HYPERPARAMETERS)
    assert keywords - {"x", "y", "hyperparameters"} == set(FLAGS) - {"x"}


def test_the_names_of_a_dataframe_series_and_array_name_the_features():
    x, y = frame()
    assert gdviz.solve(x, y)["features"] == ["height", "width", "noise"]
    assert gdviz.solve(x["width"], y)["features"] == ["width"]
    assert gdviz.solve(x["width"], y, degree=3)["features"] == ["width", "width^2", "width^3"]
    assert gdviz.solve(x.to_numpy(), y)["features"] == ["x1", "x2", "x3"]
    assert gdviz.solve(x["width"].to_numpy(), y)["features"] == ["x"]
    assert gdviz.solve(x[["width"]].to_numpy(), y)["features"] == ["x"]


def test_arrays_lists_tuples_and_frames_give_the_same_result():
    x, y = frame()
    want = gdviz.fit(x.to_numpy(), y.to_numpy(), steps=50)
    for xs, ys in [(x.to_numpy().tolist(), y.tolist()), (np.asfortranarray(x.to_numpy()), tuple(y)), (x.to_numpy()[::-1][::-1], y.to_numpy()[::1]), (x, y)]:
        got = gdviz.fit(xs, ys, steps=50)
        assert got["theta"] == want["theta"] and got["loss"] == want["loss"]
    ints = gdviz.solve([0, 1, 2, 3], [1, 3, 5, 8])
    assert ints["theta"] == gdviz.solve([0.0, 1.0, 2.0, 3.0], [1.0, 3.0, 5.0, 8.0])["theta"]


# ---------------------------------------------------------------------------------------------
# scikit-learn's optima, reached by a converged fit


def converged(x: Any, y: Any, **kwargs: Any) -> dict[str, Any]:
    lr = 0.9 * gdviz.solve(x, y, **kwargs)["lr_critical"]
    out = gdviz.fit(x, y, lr=lr, steps=200_000, tol=1e-11, **kwargs)
    assert out["status"] == "converged", out["status"]
    return out


def as_kind(kind: str, x: np.ndarray, y: np.ndarray) -> tuple[Any, Any]:
    if kind == "list":
        return x.tolist(), y.tolist()
    if kind == "frame":
        return pd.DataFrame(x, columns=[f"f{j}" for j in range(x.shape[1])]), pd.Series(y)
    return x, y


KINDS = ["numpy", "list", "frame"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("lam", [0.05, 1.0])
def test_fit_with_l2_reaches_ridge(kind, lam):
    x, y = several()
    model = Ridge(alpha=len(y) * lam).fit(x, y)
    xs, ys = as_kind(kind, x, y)
    out = converged(xs, ys, regularization="l2", lam=lam)
    np.testing.assert_allclose(out["theta"], [model.intercept_, *model.coef_], rtol=1e-8, atol=1e-9)
    np.testing.assert_allclose(gdviz.solve(xs, ys, regularization="l2", lam=lam)["theta"], out["theta"], rtol=1e-8, atol=1e-9)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("lam", [0.02, 0.3])
def test_fit_with_l1_reaches_lasso(kind, lam):
    x, y = several()
    model = Lasso(alpha=lam, tol=1e-14, max_iter=1_000_000).fit(x, y)
    xs, ys = as_kind(kind, x, y)
    out = converged(xs, ys, regularization="l1", lam=lam)
    np.testing.assert_allclose(out["theta"], [model.intercept_, *model.coef_], rtol=1e-7, atol=1e-8)
    # Coefficients at exactly 0 where Lasso's are: the proximal step sets them there.
    assert [t == 0.0 for t in out["theta"][1:]] == [c == 0.0 for c in model.coef_]


@pytest.mark.parametrize("kind", KINDS)
def test_fit_with_the_elastic_net_reaches_scikit_learns(kind):
    x, y = several()
    model = ElasticNet(alpha=0.2, l1_ratio=0.4, tol=1e-14, max_iter=1_000_000).fit(x, y)
    out = converged(*as_kind(kind, x, y), regularization="elastic-net", lam=0.2, l1_ratio=0.4)
    np.testing.assert_allclose(out["theta"], [model.intercept_, *model.coef_], rtol=1e-7, atol=1e-8)


# ---------------------------------------------------------------------------------------------
# Bad input: ValueError with the core's message, never a panic

X, Y = line(6)

BAD_DATA = [
    ([0.0, 1.0, math.nan, 3.0], [1.0, 2.0, 3.0, 4.0], "x must be finite: x[2] is nan"),
    ([[0.0, 1.0], [1.0, math.inf], [2.0, 0.0]], [1.0, 2.0, 3.0], "x must be finite: x[1, 1] is inf"),
    (
        pd.DataFrame({"a": [0.0, 1.0, 2.0], "b": [1.0, None, 0.0]}),
        [1.0, 2.0, 3.0],
        "x must be finite: x[1, 1] (column 'b') is nan",
    ),
    ([0.0, 1.0, 2.0], [1.0, -math.inf, 3.0], "y must be finite: y[1] is -inf"),
    ([[0.0, 1.0], [1.0], [2.0, 0.0]], [1.0, 2.0, 3.0], "x is ragged: row 0 has 2 values, row 1 has 1 value"),
    ([0.0, [1.0, 2.0]], [1.0, 2.0], "x is ragged: row 0 has a number, row 1 has 2 values"),
    ([0.0, 1.0], [[1.0, 2.0], [3.0]], "y is ragged: row 0 has 2 values, row 1 has 1 value"),
    ([], [], "x is empty: it has shape (0,)"),
    (np.empty((3, 0)), [1.0, 2.0, 3.0], "x is empty: it has shape (3, 0)"),
    ([0.0, 1.0], [], "y is empty: it has shape (0,)"),
    ([0.0, 1.0, 2.0, 3.0], [1.0, 2.0, 3.0], "x and y must have the same length: x has 4 rows, y has 3 values"),
    (np.zeros((5, 11)), np.zeros(5), "x has 11 features (columns): at most 10"),
    (np.zeros((2, 2, 2)), [1.0, 2.0], "x must have shape (n,) or (n, d), got shape (2, 2, 2)"),
    ([0.0, 1.0], [[1.0], [2.0]], "y must have shape (n,), got shape (2, 1)"),
    (["a", "b"], [1.0, 2.0], "x must hold numbers: could not convert string to float: 'a'"),
    ("0,1,2", [1.0, 2.0, 3.0], "x must be an array of numbers, got a string"),
    ([1.0], [2.0], "the data must have at least 2 points, got 1"),
    ([0.0, 1e200], [1.0, 2.0], "x must be at most 1e+150 in magnitude (so that its squares stay finite): x[1] is 1e+200"),
    ([0.0, 1.0], [1.0, -1e151], "y must be at most 1e+150 in magnitude (so that its squares stay finite): y[1] is -1e+151"),
]


@pytest.mark.parametrize(("x", "y", "message"), BAD_DATA)
@pytest.mark.parametrize("function", [gdviz.fit, gdviz.solve, gdviz.lr_find, gdviz.rate_map])
def test_bad_data_is_refused_naming_the_argument(function, x, y, message):
    with pytest.raises(ValueError) as refusal:
        function(x, y)
    assert str(refusal.value) == message


BAD_SETTINGS = [
    (gdviz.fit, {"lr": -1}, "learning rate must be a finite number > 0, got -1"),
    (gdviz.fit, {"lr": math.nan}, "learning rate must be a finite number > 0, got NaN"),
    (gdviz.fit, {"beta1": 0.5}, "beta1 applies only to optimizer adam"),
    (gdviz.fit, {"momentum": 0.5}, "momentum applies only to optimizer momentum or nesterov"),
    (gdviz.fit, {"decay": 0.5}, "decay applies only to schedule step, exponential or inverse-time"),
    (gdviz.fit, {"c": 0.5}, "c applies only to line_search armijo"),
    (gdviz.fit, {"patience": 2}, "patience applies only to rate_rule plateau"),
    (gdviz.fit, {"optimizer": "adam", "beta1": 1.5}, None),
    (gdviz.fit, {"optimizer": "lbfgs"}, None),
    (gdviz.fit, {"schedule": "cosine", "total_steps": 0}, None),
    (gdviz.fit, {"line_search": "exact", "batch_size": 2}, None),
    (gdviz.fit, {"optimizer": "newton", "regularization": "l1"}, None),
    (gdviz.fit, {"batch_size": 0}, "batch size must be an integer in [1, 6], got 0"),
    (gdviz.fit, {"batch_size": 7}, "batch size must be an integer in [1, 6], got 7"),
    (gdviz.fit, {"tol": 0}, None),
    (gdviz.fit, {"init": [1.0, 2.0, 3.0]}, "start θ must be 2 finite coordinates (θ0 to θ1), got (1, 2, 3)"),
    (gdviz.fit, {"init": [math.inf, 0.0]}, "start θ must be 2 finite coordinates (θ0 to θ1), got (inf, 0)"),
    (gdviz.fit, {"regularization": "l2", "lam": -1}, None),
    (gdviz.fit, {"regularization": "ridge"}, None),
    (gdviz.fit, {"regularization": "elastic-net", "l1_ratio": 2}, None),
    (gdviz.fit, {"loss": "mae"}, None),
    (gdviz.fit, {"degree": 0}, "polynomial degree must be an integer in [1, 10], got 0"),
    (gdviz.fit, {"degree": 11}, "polynomial degree must be an integer in [1, 10], got 11"),
    (gdviz.solve, {"regularization": "l1", "lam": math.inf}, None),
    (gdviz.lr_find, {"optimizer": "cg"}, None),
    (gdviz.lr_find, {"num_it": 3}, "number of updates must be an integer in [6, 10000], got 3"),
    (gdviz.lr_find, {"start": 1.0, "end": 0.5}, None),
    (gdviz.lr_find, {"beta": 1.0}, None),
    (gdviz.lr_find, {"stop_factor": 1.0}, None),
    (gdviz.rate_map, {"grid": (1, 5)}, "columns of the map (learning rates) must be an integer in [2, 1000], got 1"),
    (gdviz.rate_map, {"momentum_range": (0.5, 0.2)}, None),
    (gdviz.rate_map, {"lr_range": (0.0, 1.0)}, None),
]


@pytest.mark.parametrize(("function", "kwargs", "message"), BAD_SETTINGS)
def test_bad_settings_are_refused_with_the_command_lines_message(cli, tmp_path, function, kwargs, message):
    """The message is the command line's for the same flags, the flags named as keywords."""
    with pytest.raises(ValueError) as refusal:
        function(X, Y, **kwargs)
    command = {gdviz.fit: "fit", gdviz.solve: "solve", gdviz.lr_find: "lr-find", gdviz.rate_map: "rate-map"}[function]
    done = run_cli(cli, command, write_csv(tmp_path, X, Y), kwargs)
    assert done.returncode == 2, done.stdout
    words = done.stderr.strip().removeprefix("gdviz: ")
    if words.startswith("--") and ": " in words and " " not in words.split(": ", 1)[0]:
        words = words.split(": ", 1)[1]  # the flag named first: the keyword is not repeated
    for flag, keyword in sorted(_core.KEYWORDS, key=lambda pair: -len(pair[0])):
        words = words.replace(flag + " ", keyword + " ")
    assert str(refusal.value) == words
    if message is not None:
        assert str(refusal.value) == message


NEGATIVE_COUNTS = [
    (gdviz.fit, {"steps": -1}, "steps must be an integer ≥ 0, got -1"),
    (gdviz.fit, {"seed": -5}, "seed must be an integer ≥ 0, got -5"),
    (gdviz.fit, {"batch_size": -1}, "batch size must be an integer in [1, 6], got -1"),
    (gdviz.fit, {"degree": -2}, "polynomial degree must be an integer in [1, 10], got -2"),
    (gdviz.fit, {"schedule": "step", "step_size": -3}, "step size must be an integer ≥ 1, got -3"),
    (gdviz.fit, {"schedule": "cosine", "total_steps": -3}, "total steps must be an integer ≥ 1, got -3"),
    (gdviz.fit, {"steps": 2**70}, "steps must be an integer ≥ 0, got 1180591620717411303424"),
    (gdviz.lr_find, {"num_it": -1}, "number of updates must be an integer in [6, 10000], got -1"),
    (gdviz.rate_map, {"grid": (10, -1)}, "rows of the map (momenta) must be an integer in [2, 1000], got -1"),
    (gdviz.rate_map, {"lr_range": (1e-3, 0.1, 1.0)}, "lr_range must be two numbers (A, B), got 3 values"),
]


@pytest.mark.parametrize(("function", "kwargs", "message"), NEGATIVE_COUNTS)
def test_negative_counts_are_refused_as_the_core_refuses_a_count(function, kwargs, message):
    with pytest.raises(ValueError) as refusal:
        function(X, Y, **kwargs)
    assert str(refusal.value) == message


def test_wrong_types_and_keywords_raise_type_error():
    for kwargs in [{"steps": 2.5}, {"lr": "fast"}, {"learning_rate": 0.1}, {"standardize": "yes"}, {"lr": None}]:
        with pytest.raises(TypeError):
            gdviz.fit(X, Y, **kwargs)
    with pytest.raises(ValueError, match="^init must be an array of numbers, got a string$"):
        gdviz.fit(X, Y, init="1,2")
    with pytest.raises(TypeError, match="unexpected keyword argument 'momentum'"):
        gdviz.solve(X, Y, momentum=0.9)
    with pytest.raises(TypeError, match="unexpected keyword argument 'schedule'"):
        gdviz.lr_find(X, Y, schedule="cosine")
    assert gdviz.fit(X, Y, steps=10.0)["iterations"] == gdviz.fit(X, Y, steps=np.int64(10))["iterations"] == 10


def test_no_input_makes_the_core_panic():
    """Random settings, mostly sane, sometimes wild: each call returns a dict or raises ValueError
    (never PanicException, which is no ValueError), and most calls run."""
    rng = random.Random(7)
    wild = [-1e308, -1.0, 0.0, 1e-300, 0.999, 1.0, 2.0, 7.0, 1e6, 1e308, math.inf, -math.inf, math.nan]

    def number(sane: list[float]) -> float:
        return rng.choice(wild) if rng.random() < 0.1 else rng.choice(sane)

    def count(sane: list[int]) -> int:
        return rng.choice([-(2**64), -1, 0, 1, 2**63, 2**64]) if rng.random() < 0.1 else rng.choice(sane)

    optimizers = {
        "sgd": [], "momentum": ["momentum"], "nesterov": ["momentum"], "adagrad": ["eps"],
        "rmsprop": ["alpha", "eps"], "adam": ["beta1", "beta2", "eps"], "newton": [], "cg": [],
    }  # fmt: skip
    schedules = {"constant": [], "step": ["decay", "step_size"], "exponential": ["decay"], "inverse-time": ["decay"],
                 "cosine": ["total_steps"]}  # fmt: skip
    rules = {"none": [], "bold-driver": ["up", "down"], "plateau": ["factor", "patience", "threshold", "cooldown", "min_lr"]}
    searches = {"none": [], "exact": [], "armijo": ["beta", "c"], "bb": [], "polyak": []}
    datasets = [line(8), several(12, 2), ([0.0, 0.0, 0.0], [1.0, 2.0, 3.0]), ([1e150, -1e150, 0.0], [1e150, 0.0, 1.0])]

    def common(n: int, d: int) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "regularization": rng.choice(["none", "l1", "l2", "elastic-net"]),
            "lam": number([0.0, 0.01, 0.5]),
            "l1_ratio": number([0.0, 0.3, 1.0]),
            "loss": rng.choice(["half-mse", "mse"]),
            "standardize": rng.random() < 0.3,
        }
        if d == 1 and rng.random() < 0.3:
            kwargs["degree"] = count([1, 2, 3, 10])
        return kwargs

    def optimizer(kwargs: dict[str, Any]) -> None:
        name = rng.choice(list(optimizers))
        kwargs["optimizer"] = name
        for key in optimizers[name]:
            kwargs[key] = number([0.0, 0.5, 0.9, 1e-8])

    outcomes = {"ran": 0, "refused": 0}

    def call(function: Any, x: Any, y: Any, **kwargs: Any) -> None:
        try:
            out = function(x, y, **kwargs)
        except ValueError:
            outcomes["refused"] += 1
        else:
            assert isinstance(out, dict)
            outcomes["ran"] += 1

    for _ in range(300):
        x, y = rng.choice(datasets)
        n, d = len(y), np.asarray(x).reshape(len(y), -1).shape[1]
        kwargs = common(n, d)
        optimizer(kwargs)
        schedule, rule, search = rng.choice(list(schedules)), rng.choice(list(rules)), rng.choice(list(searches))
        kwargs.update(schedule=schedule, rate_rule=rule, line_search=search)
        for key in schedules[schedule]:
            kwargs[key] = count([1, 10, 50]) if key in ("step_size", "total_steps") else number([0.5, 0.9, 0.01])
        for key in rules[rule] + searches[search]:
            kwargs[key] = number([0.5, 1.5, 2.0, 0.1, 0.0])
        kwargs.update(lr=number([0.01, 0.1, 1.0, 3.0]), steps=count([0, 1, 5, 60]), seed=count([0, 1, 99]))
        if rng.random() < 0.3:
            kwargs["batch_size"] = count(list(range(1, n + 1)))
        if rng.random() < 0.2:
            kwargs["init"] = [number([0.0, 1.0, -3.0]) for _ in range(rng.choice([d + 1, d + 1, 1, 12]))]
        call(gdviz.fit, x, y, **kwargs)

        sweep = common(n, d)
        optimizer(sweep)
        sweep.update(start=number([1e-7, 1e-3]), end=number([1.0, 10.0, 1e3]), num_it=count([6, 20, 100]))
        sweep.update(beta=number([0.0, 0.5, 0.98]), stop_factor=number([1.5, 4.0, 100.0]), seed=count([0, 5]))
        if rng.random() < 0.3:
            sweep["batch_size"] = count(list(range(1, n + 1)))
        call(gdviz.lr_find, x, y, **sweep)

        grid = (count([2, 5, 9]), count([2, 4, 7]))
        momenta = (number([0.0, 0.1]), number([0.5, 0.99]))
        lrs = (number([1e-4, 1e-2]), number([1.0, 5.0])) if rng.random() < 0.5 else None
        call(gdviz.rate_map, x, y, grid=grid, momentum_range=momenta, lr_range=lrs, **common(n, d))
    assert outcomes["ran"] > 200, outcomes
    assert outcomes["refused"] > 100, outcomes


def test_every_feature_flat_with_an_l1_penalty_has_an_optimum():
    out = gdviz.solve([0.0, 0.0, 0.0], [1.0, 2.0, 3.0], degree=3, regularization="l1", lam=0.01)
    assert out["theta"] == [2.0, 0.0, 0.0, 0.0]


# ---------------------------------------------------------------------------------------------
# The widget is optional


def test_the_functions_work_without_anywidget_and_explorer_names_it():
    script = (
        "import sys; sys.modules['anywidget'] = None\n"
        "import gdviz\n"
        "assert gdviz.solve([0, 1, 2], [1, 3, 5])['theta'] == [1.0, 2.0]\n"
        "try:\n"
        "    gdviz.Explorer\n"
        "except ImportError as error:\n"
        "    print(error)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "anywidget" in done.stdout, done.stdout
