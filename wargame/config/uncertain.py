"""Uncertain inputs: any number in a scenario file may be a distribution instead.

    inventory = { dist = "uniform", low = 3000, high = 4000 }
    rate_per_day = { dist = "triangular", low = 60, mode = 100, high = 200 }
    lead_time_days = { dist = "normal", mean = 730, sd = 90 }  # truncated at the field's bounds
    funded_per_year = { dist = "lognormal", median = 60, sigma = 0.3 }
    hulls = { dist = "choice", values = [18, 20, 22], weights = [1, 2, 1] }
    value = { dist = "fixed", value = 4 }

Each replication draws every uncertain input once, by inverting the distribution's CDF at a uniform
from its own stream (model/streams.py). Normal and lognormal draws are truncated at the field's
physical bounds (and at optional `low`/`high`); whole-number fields are rounded. A production
line's `lot_slip_days` is drawn afresh for every lot. The `[scenario]` table (time grid, seed) is
fixed. The scenario is validated with every input at its median, and again with each input
alone at either end of its range (rules between two fields are not checked for every combination).
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar, get_origin, overload

import annotated_types
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator
from pydantic.fields import FieldInfo

from wargame.config.overrides import child_field
from wargame.config.scenario import Scenario
from wargame.errors import InputError

if TYPE_CHECKING:  # numpy loads where numbers are drawn: validating a file needs none of it
    import numpy as np
    from numpy.typing import NDArray

    FloatArray = NDArray[np.float64]
    BoolArray = NDArray[np.bool_]

# A cumulative probability and the value there: one number (a median, the ends of a range, with
# `math`), or an array of draws (with numpy). One formula per distribution serves both.
U = TypeVar("U", float, "FloatArray")


@overload
def _sqrt(x: float) -> float: ...
@overload
def _sqrt(x: FloatArray) -> FloatArray: ...
def _sqrt(x: float | FloatArray) -> float | FloatArray:
    if isinstance(x, float):
        return math.sqrt(x)
    import numpy as np

    return np.sqrt(x)


@overload
def _where(condition: bool, yes: float, no: float) -> float: ...
@overload
def _where(condition: BoolArray, yes: FloatArray, no: FloatArray) -> FloatArray: ...
def _where(
    condition: bool | BoolArray, yes: float | FloatArray, no: float | FloatArray
) -> float | FloatArray:
    if isinstance(condition, bool):
        return yes if condition else no
    import numpy as np

    return np.where(condition, yes, no)


def _as_drawn(values: FloatArray, u: U) -> U:
    """`values` (numpy, one per entry of `u`) shaped as `u`: one number for one number."""
    return float(values) if isinstance(u, float) else values


PER_LOT = ("lot_slip_days",)  # fields drawn once per lot rather than once per replication
# A distribution's parameters stay where float arithmetic is exact enough to invert its CDF and
# weights sum without overflow; every field's own bound is far below this anyway.
MAX_PARAMETER = 1e15


class _Dist(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, allow_inf_nan=False)

    @model_validator(mode="after")
    def _parameters_are_bounded(self) -> _Dist:
        for name, value in self.model_dump(exclude={"dist"}, exclude_none=True).items():
            for x in value if isinstance(value, list) else [value]:
                if abs(x) > MAX_PARAMETER:
                    raise ValueError(f"{name} {x:g} is beyond +-{MAX_PARAMETER:g}")
        return self

    def ppf(self, u: U, lo: float, hi: float) -> U:
        """The value at cumulative probability `u` (one number, or an array of them),
        truncated to [lo, hi] where that applies."""
        raise NotImplementedError

    def support(self, lo: float, hi: float) -> tuple[float, float]:
        """The least and greatest values a draw can take."""
        return self.ppf(0.0, lo, hi), self.ppf(1.0, lo, hi)


class Fixed(_Dist):
    dist: Literal["fixed"]
    value: float

    def ppf(self, u: U, lo: float, hi: float) -> U:
        if isinstance(u, float):
            return self.value
        import numpy as np

        values: FloatArray = np.full_like(u, self.value)
        return values


class Uniform(_Dist):
    dist: Literal["uniform"]
    low: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.high < self.low:
            raise ValueError(f"high {self.high:g} is below low {self.low:g}")
        return self

    def ppf(self, u: U, lo: float, hi: float) -> U:
        return self.low + u * (self.high - self.low)


class Triangular(_Dist):
    dist: Literal["triangular"]
    low: float
    mode: float
    high: float

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not self.low <= self.mode <= self.high or self.low == self.high:
            raise ValueError("needs low <= mode <= high and low < high")
        return self

    def ppf(self, u: U, lo: float, hi: float) -> U:
        a, c, b = self.low, self.mode, self.high
        cut = (c - a) / (b - a)
        rising = a + _sqrt(u * (b - a) * (c - a))
        falling = b - _sqrt((1.0 - u) * (b - a) * (b - c))
        return _where(u < cut, rising, falling)


class _Truncated(_Dist):
    """A distribution of x = transform(mean + sd * z), z standard normal, cut to [low, high]."""

    low: float | None = None
    high: float | None = None

    def _normal(self) -> tuple[float, float]:
        raise NotImplementedError

    def _to_normal(self, x: float) -> float:
        return x

    def _from_normal(self, y: FloatArray) -> FloatArray:
        return y

    def ppf(self, u: U, lo: float, hi: float) -> U:
        lo = max(lo, -math.inf if self.low is None else self.low)
        hi = min(hi, math.inf if self.high is None else self.high)
        mean, sd = self._normal()
        import numpy as np  # here: validating a file without these distributions needs none
        from scipy import special

        p_lo = special.ndtr((self._to_normal(lo) - mean) / sd)
        p_hi = special.ndtr((self._to_normal(hi) - mean) / sd)
        if p_hi <= p_lo:
            raise ValueError(f"no probability between the bounds {lo:g} and {hi:g}")
        with np.errstate(over="ignore"):  # a far tail overflows to inf, which the bounds clip
            y = mean + sd * special.ndtri(p_lo + np.asarray(u) * (p_hi - p_lo))
            return _as_drawn(np.clip(self._from_normal(y), lo, hi), u)


class Normal(_Truncated):
    dist: Literal["normal"]
    mean: float
    sd: float = Field(gt=0)

    def _normal(self) -> tuple[float, float]:
        return self.mean, self.sd


class LogNormal(_Truncated):
    dist: Literal["lognormal"]
    median: float = Field(gt=0)
    sigma: float = Field(gt=0, description="Standard deviation of the log.")

    def _normal(self) -> tuple[float, float]:
        return math.log(self.median), self.sigma

    def _to_normal(self, x: float) -> float:
        return math.log(x) if x > 0 else -math.inf

    def _from_normal(self, y: FloatArray) -> FloatArray:
        import numpy as np

        return np.exp(y)


class Choice(_Dist):
    dist: Literal["choice"]
    values: list[float] = Field(min_length=1)
    weights: list[Annotated[float, Field(ge=0)]] | None = None

    @model_validator(mode="after")
    def _weights_fit(self) -> Choice:
        if self.weights is not None and (
            len(self.weights) != len(self.values) or sum(self.weights) <= 0
        ):
            raise ValueError("weights need one non-negative weight per value, not all zero")
        return self

    def ppf(self, u: U, lo: float, hi: float) -> U:
        import numpy as np

        weights = np.ones(len(self.values)) if self.weights is None else np.array(self.weights)
        order = np.argsort(self.values, kind="stable")
        cumulative = np.cumsum(weights[order]) / weights.sum()
        index = np.minimum(np.searchsorted(cumulative, u, side="left"), len(order) - 1)
        return _as_drawn(np.asarray(self.values, dtype=np.float64)[order][index], u)


Distribution = Annotated[
    Fixed | Uniform | Triangular | Normal | LogNormal | Choice, Field(discriminator="dist")
]
_ADAPTER: TypeAdapter[Any] = TypeAdapter(Distribution)


@dataclass(frozen=True)
class Uncertain:
    """One uncertain input: where it is, how it is distributed, and its physical bounds."""

    path: str  # dotted, list indices as numbers: "munitions.tomahawk.firing.1.rate_per_day"
    dist: Any  # one of the distribution models above
    low: float  # the field's physical bounds (truncation for normal and lognormal)
    high: float
    integer: bool  # a whole-number field: draws are rounded
    per_lot: bool  # drawn once per lot (delivery slips) rather than once per replication
    open_low: bool = False  # the field must be above `low` (not at it): truncation never hits it

    def sample(self, u: U) -> U:
        """Draws at uniforms `u` (one number, or an array), rounded (half to even) for
        whole-number fields."""
        x: U = self.dist.ppf(u, self.low, self.high)
        if not self.integer:
            return x
        if isinstance(x, float):
            return float(round(x)) if math.isfinite(x) else x
        import numpy as np

        rounded: FloatArray = np.rint(x)
        return rounded

    def ends(self) -> tuple[float, float]:
        """The least and greatest draws."""
        a, b = self.dist.support(self.low, self.high)
        if not self.integer:
            return a, b
        return tuple(round(x) if math.isfinite(x) else x for x in (a, b))

    def describe(self) -> str:
        """The distribution in words, e.g. "uniform (low 3,000, high 4,000)"."""
        fields = self.dist.model_dump(exclude_none=True, exclude={"dist"})
        text = ", ".join(f"{name} {_plain(value)}" for name, value in fields.items())
        per = " per lot" if self.per_lot else ""
        return f"{self.dist.dist}{per} ({text})"

    def median(self) -> float | int:
        x = self.sample(0.5)
        return int(x) if self.integer else x


@dataclass(frozen=True)
class Study:
    """A validated scenario (uncertain inputs at their medians) and its uncertain inputs."""

    scenario: Scenario
    uncertain: tuple[Uncertain, ...]

    @property
    def stochastic(self) -> bool:
        """Whether replications differ: an uncertain input or daily randomness."""
        scenario = self.scenario
        noisy = (
            any(m.salvo_noise != "none" for m in scenario.munitions.values())
            or any(p.loss_noise != "none" for p in scenario.platforms.values())
            or any(m.salvo_noise != "none" for m in scenario.missions.values())
            or any(0 < n.join_probability < 1 for n in scenario.nations.values())
        )
        return bool(self.uncertain) or noisy

    @property
    def replications(self) -> int:
        """Replications the file asks for; 1000 when it is stochastic and does not say."""
        asked = self.scenario.scenario.replications
        return asked if asked is not None else (1000 if self.stochastic else 1)


def extract(data: dict[str, Any], origin: str) -> tuple[dict[str, Any], list[Uncertain]]:
    """Raw data with each distribution at its median, and the uncertain inputs found."""
    nominal = copy.deepcopy(data)
    found: list[Uncertain] = []
    _walk(nominal, [], Scenario, origin, found)
    return nominal, found


def check_ranges(
    nominal: dict[str, Any], found: list[Uncertain], origin: str, validate: Any
) -> None:
    """Validate the scenario with each uncertain input at either end of its range."""
    for item in found:
        for end in item.ends():
            if not math.isfinite(end) or (item.open_low and end == item.low):
                continue  # an unbounded tail, or an open bound no draw reaches
            data = copy.deepcopy(nominal)
            _set(data, item.path.split("."), end)
            try:
                validate(data, origin)
            except InputError as exc:
                detail = str(exc).removeprefix(f"{origin}: ")
                raise InputError(
                    f"{origin}: {item.path}: the distribution reaches {end:g}, "
                    f"which the schema rejects ({detail})"
                ) from None


def _walk(node: Any, keys: list[str], annotation: Any, origin: str, found: list[Uncertain]) -> None:
    items = node.items() if isinstance(node, dict) else enumerate(node)
    for key, value in list(items):
        here = [*keys, str(key)]
        try:
            child, info = child_field(annotation, node, str(key), ".".join(here))
        except ValueError:
            continue  # not in the schema: validation reports it, naming the field
        if isinstance(value, dict) and "dist" in value and not _is_table(child):
            item = _uncertain(here, value, child, info, origin)
            found.append(item)
            node[key] = item.median()
        elif isinstance(value, dict | list):
            _walk(value, here, child, origin, found)


def _uncertain(
    keys: list[str], table: dict[str, Any], annotation: Any, info: FieldInfo | None, origin: str
) -> Uncertain:
    path = ".".join(keys)
    if keys[0] == "scenario":
        raise InputError(f"{origin}: {path}: the [scenario] table is fixed (sweep it instead)")
    kind = number_kind(annotation)
    if kind is None:
        raise InputError(f"{origin}: {path}: only a number can be a distribution")
    try:
        dist = _ADAPTER.validate_python(table)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"] if p not in _DIST_NAMES)
        message = first["msg"].removeprefix("Value error, ")
        raise InputError(f"{origin}: {path}{'.' + where if where else ''}: {message}") from None
    low, high = _bounds(info)
    open_low = info is not None and any(isinstance(r, annotated_types.Gt) for r in info.metadata)
    item = Uncertain(path, dist, low, high, kind is int, keys[-1] in PER_LOT, open_low)
    try:
        item.ends()
    except ValueError as exc:
        raise InputError(f"{origin}: {path}: {exc}") from None
    return item


def _is_table(annotation: Any) -> bool:
    """Whether the schema has a table here (a section, or a table of named entries)."""
    options = getattr(annotation, "__args__", ()) if get_origin(annotation) is not dict else ()
    return any(
        get_origin(a) is dict or (isinstance(a, type) and issubclass(a, BaseModel))
        for a in (annotation, *options)
    )


_DIST_NAMES = ("fixed", "uniform", "triangular", "normal", "lognormal", "choice")


def number_kind(annotation: Any) -> type | None:
    """int or float for a number field's annotation (optional or not), else None."""
    options = getattr(annotation, "__args__", (annotation,))
    for kind in (int, float):
        if kind in options:
            return kind
    return None


def _bounds(info: FieldInfo | None) -> tuple[float, float]:
    low, high = -math.inf, math.inf
    for rule in [] if info is None else info.metadata:
        if isinstance(rule, annotated_types.Ge | annotated_types.Gt):
            low = max(low, float(getattr(rule, "ge", getattr(rule, "gt", low))))
        if isinstance(rule, annotated_types.Le | annotated_types.Lt):
            high = min(high, float(getattr(rule, "le", getattr(rule, "lt", high))))
    return low, high


def _set(data: Any, keys: list[str], value: Any) -> None:
    for key in keys[:-1]:
        data = data[int(key)] if isinstance(data, list) else data[key]
    if isinstance(data, list):
        data[int(keys[-1])] = value
    else:
        data[keys[-1]] = value


def _plain(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_plain(v) for v in value) + "]"
    return f"{value:,g}" if isinstance(value, int | float) else str(value)
