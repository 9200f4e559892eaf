"""gdviz.Explorer: the gdviz page as a Jupyter widget (anywidget).

The widget shows the page's embed view (the loss surface with the path of θ, the data with the
fit, the loss curve; Step / Play / Reset; the learning rate with its slider, and the control
groups named by ``show``) inside the notebook, running the same code as the page: the bundled
page and its WebAssembly module from the same build as the static site, inlined into the
widget's ESM (``static/widget.js``, built by ``make widget``). It needs no network.

Every setting of the page's catalogue is a traitlet synced both ways, validated in Python with
the core's ranges and words (``static/settings.json``, generated from the catalogue at build
time); the state of the run follows the page as read-only traitlets. See docs/notebook.md.
"""

from __future__ import annotations

import csv
import io
import json
import math
import numbers
import pathlib
import warnings
from decimal import Decimal
from typing import Any

import anywidget
import numpy as np
import traitlets

from . import _data as _fit_data

__all__ = ["Explorer"]

_STATIC = pathlib.Path(__file__).parent / "static"


def _load_table() -> dict[str, Any]:
    try:
        return json.loads((_STATIC / "settings.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ImportError(
            "gdviz.Explorer's front end is missing (gdviz/static/, built from the page by `make widget`, "
            "which `make python` runs before installing the package)"
        ) from None


_TABLE = _load_table()
_SETTINGS: list[dict[str, Any]] = _TABLE["settings"]
_PRESETS: dict[str, dict[str, Any]] = {p["name"]: p for p in _TABLE["presets"]}
_DATA: dict[str, Any] = _TABLE["data"]


# ---------------------------------------------------------------------------------------------
# The core's words for a refused value.


def _number_text(value: float) -> str:
    """A number as the core's messages quote it (Rust's shortest round-trip form; e-notation
    beyond 1e16 or below 1e-5): -1, 0.5, 1e-7, NaN, inf."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if value == 0:
        return "-0" if math.copysign(1.0, value) < 0 else "0"
    if 1e-5 <= abs(value) < 1e16:
        text = format(Decimal(repr(value)), "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    sign, digit_tuple, exponent = Decimal(repr(value)).as_tuple()
    digits = "".join(map(str, digit_tuple))
    power = exponent + len(digits) - 1
    digits = digits.rstrip("0") or "0"
    head = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    return f"{'-' if sign else ''}{head}e{power}"


def _contains(span: dict[str, Any], value: float) -> bool:
    """Whether ``value`` lies in a range of the catalogue (the core's Range::contains)."""
    if not math.isfinite(value):
        return False
    kind = span["kind"]
    lo, hi = span.get("lo"), span.get("hi")
    if kind == "positive":
        return value > 0
    if kind == "non-negative":
        return value >= 0
    if kind == "finite":
        return True
    if kind == "greater-than":
        return value > span["bound"]
    if kind == "closed":
        return lo <= value <= hi
    if kind == "half-open":
        return lo <= value < hi
    if kind == "open-closed":
        return lo < value <= hi
    if kind == "open":
        return lo < value < hi
    if kind == "integer-in":
        return value.is_integer() and lo <= value <= hi
    if kind == "integer-at-least":
        return value.is_integer() and lo <= value
    if kind == "at-most":
        return value <= span["max"]
    if kind == "at-least":
        return value >= span["min"]
    if kind == "magnitude-at-most":
        return abs(value) <= span["max"]
    raise ValueError(f"gdviz: unknown range kind {kind!r}")


def _from_page(obj: Any, name: str) -> bool:
    """Whether the value of ``name`` being set comes from the page (already checked by the core)."""
    return name in (getattr(obj, "_property_lock", None) or {})


def _real(value: Any) -> float | None:
    """A real number's float value; None for anything else (bools, text, None)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    return float(value)


def _got(value: Any) -> str:
    number = _real(value)
    return _number_text(number) if number is not None else f'"{value}"' if isinstance(value, str) else repr(value)


class _Number(traitlets.TraitType):
    """A number of the catalogue: refused outside its range with the core's message."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        super().__init__(default_value=spec["default"])
        self.info_text = spec.get("message", "").split(" must be ", 1)[-1]

    def span(self, obj: Any) -> tuple[dict[str, Any], str]:
        spec = self.spec
        if spec["kind"] == "batch":
            n = obj.n
            return {"kind": "integer-in", "lo": spec["min"], "hi": n}, spec["message"].replace("{n}", str(n))
        return spec["range"], spec["message"]

    def validate(self, obj: Any, value: Any) -> Any:
        number = _real(value)
        if _from_page(obj, self.name) and number is not None:
            return int(number) if self.spec["integer"] and number.is_integer() else number
        span, message = self.span(obj)
        if number is None or not _contains(span, number):
            raise traitlets.TraitError(f"{message}, got {_got(value)}")
        return int(number) if self.spec["integer"] else number


class _Degree(_Number):
    """The polynomial's degree, or None: the line (one x column) or every column (several)."""

    def validate(self, obj: Any, value: Any) -> Any:
        if value is None:
            return None
        degree = super().validate(obj, value)
        columns = obj._columns_count()
        if columns > 1 and not _from_page(obj, self.name):
            raise traitlets.TraitError(f"{_DATA['degree_columns_message']}, got {columns}")
        return degree


class _Choice(traitlets.TraitType):
    """One of the catalogue's names (or an alias of one, taken as that name)."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        super().__init__(default_value=spec["default"])
        self.info_text = "one of " + ", ".join(spec["choices"])

    def validate(self, obj: Any, value: Any) -> Any:
        if isinstance(value, str):
            name = self.spec.get("aliases", {}).get(value, value)
            if name in self.spec["choices"]:
                return name
        raise traitlets.TraitError(f"{self.spec['message']}, got {_got(value)}")


class _Show(traitlets.List):
    """The page's control groups to show (embed's show=): a list of names or "a,b" text."""

    def validate(self, obj: Any, value: Any) -> Any:
        if value is None:
            value = []
        if isinstance(value, str):
            value = [value]  # (traitlets' List wraps a text in a list itself)
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            raise traitlets.TraitError(f"show must be a list of names or a text of names separated by commas, got {value!r}")
        names = [part.strip() for item in value for part in item.split(",") if part.strip()]
        for name in names:
            if name not in _TABLE["show"]:
                raise traitlets.TraitError(f"{_TABLE['show_message']}, got {_got(name)}")
        return [n for n in _TABLE["show"] if n in names]


def _from_json_number(value: Any, _widget: Any = None) -> Any:
    """A number the page sent: non-finite ones come as text ("NaN", "Infinity", "-Infinity")."""
    return float(value) if isinstance(value, str) else value


def _from_json_numbers(value: Any, _widget: Any = None) -> Any:
    return [_from_json_number(v) for v in value] if isinstance(value, list) else value


def _setting_traits() -> dict[str, traitlets.TraitType]:
    traits: dict[str, traitlets.TraitType] = {}
    for spec in _SETTINGS:
        kind = spec["kind"]
        if kind == "flag":
            trait: traitlets.TraitType = traitlets.Bool(spec["default"])
        elif kind == "choice":
            trait = _Choice(spec)
        elif kind == "degree":
            trait = _Degree(spec)
        else:
            trait = _Number(spec)
        traits[spec["trait"]] = trait.tag(sync=True)
    return traits


#: The base class with one traitlet per setting of the catalogue (static/settings.json).
_Settings = type("_Settings", (anywidget.AnyWidget,), _setting_traits())

_COMMANDS_BEFORE_VIEW = 1000


class Explorer(_Settings):  # type: ignore[misc, valid-type]
    """The gdviz page in the notebook: gradient descent on least squares, live.

    ``Explorer(x=None, y=None, *, preset=None, show=None, height=480, **settings)``

    Data: ``x`` of shape (n,) or (n, d) and ``y`` of shape (n,) (NumPy arrays, lists, a pandas
    DataFrame whose columns name the features, as for :func:`gdviz.fit`; ``y`` may also name a
    column of the DataFrame ``x``), 2 to 1,000,000 rows and at most 10 features; or ``preset``,
    one of the page's data sets (clean, noisy, outliers, ill-conditioned, two-features, cubic;
    the first when neither is given). ``set_data(x, y)`` replaces the data later, and setting
    ``preset`` chooses a data set.

    ``show``: the page's control groups to show besides the learning rate (embed's names: rate,
    batch, optimizer, schedule, method, speed, regularization, data, model, view, start,
    explain, coefficients), a list or "a,b" text. ``height``: the widget's height in pixels
    (its lower edge can also be dragged).

    ``settings``: any setting of the page, each also a traitlet synced both ways: learning_rate,
    batch_size, optimizer, momentum, beta1, beta2, alpha, eps, schedule, gamma, step_size, decay,
    total_steps, rate_rule, bold_up, bold_down, plateau_factor, patience, plateau_threshold,
    cooldown, min_lr, line_search, armijo_beta, armijo_c, regularization, lam, l1_ratio, loss,
    degree, standardize, speed. A value outside its range is refused here with the core's
    message (``traitlets.TraitError``) and never sent. Setting one moves the page's control as
    a person's input does; moving a control on the page changes the traitlet. A value that the
    page refuses for another setting's sake (a line search with another optimizer than plain
    descent) comes back as the page's value, with the reason in ``error``.

    Read-only traitlets follow the run, at most 10 times a second: ``iteration``, ``theta``
    (θ0 first, in the original features' scale, as :func:`gdviz.fit` gives it), ``loss_value``,
    ``status`` (ready, running, paused, converged, diverged), ``lr_critical``,
    ``condition_number`` (``inf`` when λmin = 0), ``n`` (the number of points) and ``error``.

    Methods: :meth:`step`, :meth:`play`, :meth:`pause`, :meth:`reset` and :meth:`history`.
    The kernel hears the page only between cells: read what a command did in a later cell.
    """

    _esm = _STATIC / "widget.js"

    preset = traitlets.Unicode(None, allow_none=True).tag(sync=True)
    show = _Show(traitlets.Unicode()).tag(sync=True)
    height = traitlets.Int(480).tag(sync=True)

    # The data: the x columns one after the other and y, float64 little-endian, sent as binary
    # buffers; the columns' names (the x columns', then y's); _data_id changes with each set.
    _x = traitlets.Bytes(b"").tag(sync=True)
    _y = traitlets.Bytes(b"").tag(sync=True)
    _names = traitlets.List(traitlets.Unicode()).tag(sync=True)
    _rows = traitlets.Int(0).tag(sync=True)
    _data_id = traitlets.Int(0).tag(sync=True)
    # Set by the front end once a view's page has connected (commands wait for it).
    _connected = traitlets.Bool(False).tag(sync=True)

    iteration = traitlets.Int(_PRESETS[_TABLE["presets"][0]["name"]]["points"], read_only=True).tag(sync=True)
    theta = traitlets.List(traitlets.Float(), read_only=True).tag(sync=True, from_json=_from_json_numbers)
    loss_value = traitlets.Float(None, allow_none=True, read_only=True).tag(sync=True, from_json=_from_json_number)
    status = traitlets.Unicode("ready", read_only=True).tag(sync=True)
    lr_critical = traitlets.Float(None, allow_none=True, read_only=True).tag(sync=True, from_json=_from_json_number)
    condition_number = traitlets.Float(None, allow_none=True, read_only=True).tag(sync=True, from_json=_from_json_number)
    n = traitlets.Int(_PRESETS[_TABLE["presets"][0]["name"]]["points"], read_only=True).tag(sync=True)
    error = traitlets.Unicode("", read_only=True).tag(sync=True)

    def __init__(
        self,
        x: Any = None,
        y: Any = None,
        *,
        preset: str | None = None,
        show: Any = None,
        height: int = 480,
        **settings: Any,
    ) -> None:
        names = {spec["trait"] for spec in _SETTINGS}
        unknown = sorted(set(settings) - names)
        if unknown:
            raise TypeError(
                f"Explorer() got an unexpected keyword argument {unknown[0]!r}; its settings are "
                + ", ".join(spec["trait"] for spec in _SETTINGS)
            )
        if x is not None and preset is not None:
            raise TypeError("Explorer() takes data (x, y) or a preset, not both")
        if x is None and y is not None:
            raise TypeError("Explorer() got y without x")
        self._pending: list[dict[str, Any]] = []
        self._history: tuple[int, str] | None = None
        super().__init__()
        try:
            with self.hold_sync():
                if x is not None:
                    self.set_data(x, y)
                else:
                    self.preset = preset if preset is not None else _TABLE["presets"][0]["name"]
                self.show = show
                self.height = height
                # The data's settings first (the batch size is checked against its points).
                for spec in _SETTINGS:
                    if spec["trait"] in settings:
                        setattr(self, spec["trait"], settings[spec["trait"]])
        except Exception:
            self.close()
            raise
        self.on_msg(self._on_message)

    # ---- the data -------------------------------------------------------------------------------

    @traitlets.validate("preset")
    def _check_preset(self, proposal: Any) -> Any:
        value = proposal["value"]
        if value is not None and value not in _PRESETS:
            raise traitlets.TraitError(f"unknown preset \"{value}\"; known presets: {', '.join(_PRESETS)}")
        return value

    @traitlets.observe("preset")
    def _preset_changed(self, change: Any) -> None:
        if change["new"] is None:
            return
        if _from_page(self, "preset"):
            # A person chose a data set on the page: its points replace the ones given here.
            if self._rows:
                self._drop_data()
            return
        with self.hold_sync():
            self._drop_data()
            self._follow_points(_PRESETS[change["new"]]["points"], _PRESETS[change["new"]]["columns"])

    def _drop_data(self) -> None:
        self._x, self._y, self._names, self._rows = b"", b"", [], 0

    def _columns_count(self) -> int:
        if self._rows:
            return max(1, len(self._names) - 1)
        return _PRESETS.get(self.preset or "", {}).get("columns", 1)

    def _follow_points(self, n: int, columns: int) -> None:
        """What the page does when the data changes: a full batch stays full, a larger one is cut
        to the new number of points; data of several columns fits them all (no degree)."""
        old = self.n
        self.set_trait("n", n)
        if self.batch_size >= old or self.batch_size > n:
            self.batch_size = n
        if columns > 1:
            self.degree = None

    def set_data(self, x: Any, y: Any = None) -> None:
        """Replaces the page's data by ``x`` (shape (n,) or (n, d)) and ``y`` (shape (n,)).

        ``x`` may be a NumPy array, a list or a pandas DataFrame (its columns name the
        features); ``y`` may be omitted for a DataFrame (its last column is then y) or name one
        of its columns. 2 to 1,000,000 rows, at most 10 features, finite values. The arrays go
        to the page as binary buffers of float64.
        """
        columns = getattr(x, "columns", None)
        y_name = "y"
        if columns is not None and getattr(x, "ndim", 2) == 2 and (y is None or isinstance(y, str)):
            y_name = str(columns[-1]) if y is None else y
            if y_name not in [str(c) for c in columns]:
                raise ValueError(f"y names no column of x: {y_name!r}")
            y = x[[c for c in columns if str(c) == y_name][0]]
            x = x[[c for c in columns if str(c) != y_name]]
        elif y is None:
            raise TypeError("set_data() needs y, unless x is a DataFrame whose last column is y")
        elif getattr(y, "name", None) is not None:
            y_name = str(y.name)
        xs, names, ys = _fit_data(x, y)  # (d, n), as gdviz.fit reads them
        d, rows = xs.shape
        if rows < _DATA["min_rows"]:
            raise ValueError(_DATA["too_few_message"].format(min=_DATA["min_rows"], count=rows))
        if rows > _DATA["max_rows"]:
            raise ValueError(f"x has {rows:,} rows; the page takes at most {_DATA['max_rows']:,}")
        if d > _DATA["max_features"]:
            raise ValueError(f"{_DATA['features_message']}, got {d}")
        with self.hold_sync():
            self.preset = None
            self._x = np.ascontiguousarray(xs, dtype="<f8").tobytes()
            self._y = np.ascontiguousarray(ys, dtype="<f8").tobytes()
            self._names = [*names, y_name]
            self._rows = rows
            self._data_id += 1
            self._follow_points(rows, d)

    # ---- commands -------------------------------------------------------------------------------

    def _command(self, message: dict[str, Any]) -> None:
        if self._connected:
            self.send(message)
        elif len(self._pending) < _COMMANDS_BEFORE_VIEW:
            self._pending.append(message)

    @traitlets.observe("_connected")
    def _view_connected(self, change: Any) -> None:
        if change["new"]:
            pending, self._pending = self._pending, []
            for message in pending:
                self.send(message)

    def step(self, n: int = 1) -> None:
        """Takes ``n`` updates (≥ 1) at once, as ``n`` presses of Step do, and draws once."""
        count = _real(n)
        if count is None or not count.is_integer() or count < 1:
            raise ValueError(f"step's n must be an integer ≥ 1, got {_got(n)}")
        self._command({"command": "step", "n": int(count)})

    def play(self) -> None:
        """Plays the run (Play): ``speed`` updates a frame until it converges, diverges or pauses."""
        self._command({"command": "play"})

    def pause(self) -> None:
        """Pauses the run (Pause)."""
        self._command({"command": "pause"})

    def reset(self) -> None:
        """Restarts every run from its start point (Reset)."""
        self._command({"command": "reset"})

    def history(self) -> Any:
        """The trajectory: one row per recorded step of each run, the columns of the page's
        trajectory CSV (run, step, epoch, theta0 … thetaD, loss, grad_norm); a pandas DataFrame
        when pandas is installed, else a list of dicts.

        The page sends its trajectory after each :meth:`step`, :meth:`reset` and :meth:`pause`,
        when a run converges or diverges, and when asked. The kernel reads the page's messages
        only between cells, so the answer comes after the cell that asked: ``w.step(100)`` in
        one cell and ``w.history()`` in a later one returns the trajectory after those steps.
        When the trajectory held here is older than the page's run (the page's own buttons
        moved it), this asks the page, warns, and returns the older one; call it again in the
        next cell.
        """
        answer = self._history
        if answer is None or answer[0] != self.iteration:
            self._command({"command": "history"})
            warnings.warn(
                "gdviz.Explorer.history(): the page's trajectory "
                + ("has not come yet" if answer is None else f"held here is of iteration {answer[0]}, the run is at {self.iteration}")
                + "; it was asked for and comes after this cell: call history() again in the next one",
                stacklevel=2,
            )
        return _table(answer[1] if answer else "")

    def _on_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, dict) and content.get("reply") == "history":
            self._history = (int(content.get("iteration", 0)), str(content.get("csv", "")))


def _table(text: str) -> Any:
    """The trajectory CSV as a DataFrame (pandas installed) or a list of dicts."""
    rows = list(csv.reader(io.StringIO(text)))
    header, body = (rows[0], rows[1:]) if rows else ([], [])
    whole = {"run", "step", "epoch"}
    records = [{k: (int(v) if k in whole else float(v)) for k, v in zip(header, row)} for row in body]
    try:
        import pandas
    except ImportError:
        return records
    return pandas.DataFrame.from_records(records, columns=header)
