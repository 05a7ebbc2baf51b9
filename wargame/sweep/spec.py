"""The sweep file: a base scenario, the parameters to vary, the design, and the metrics to collect.

[sweep]
name = "Which assumption matters most?"
base = "../tomahawk-wargame.toml"          # relative to this file
design = "morris"                          # grid | oat | morris | sobol | qmc-sobol | lhs
replications = 1000                        # Monte Carlo replications per point
seed = 0                                   # the same at every point: common random numbers
metrics = ["tomahawk.days_to_depletion.p50", "tomahawk.shortfall.mean", "invest.total_usd"]
trajectories = 20                          # morris: r
levels = 4                                 # morris: grid levels
samples = 64                               # sobol (a power of 2), qmc-sobol, lhs
target_days = 30                           # the invest.* metrics' target

[parameters."munitions.tomahawk.inventory"]
low = 3000                                 # a range: grid steps, oat ends, or sampled
high = 4000
steps = 3                                  # grid only (or give values = [...])
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

DESIGNS = ("grid", "oat", "morris", "sobol", "qmc-sobol", "lhs")
OUTCOMES = (
    "days_to_depletion",
    "shortfall",
    "fired",
    "end_inventory",
    "lost_with_hulls",
    "fire_lost_to_launch_limits",
)
STATISTICS = ("p5", "p10", "p50", "p90", "p95", "mean")
INVEST_METRICS = ("invest.total_usd", "invest.achieved_days", "invest.feasible")
METRIC = re.compile(
    r"^(?P<munition>[a-z0-9][a-z0-9_-]*)\.(?P<outcome>[a-z_]+)\.(?P<stat>[a-z0-9_]+)$"
)


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, allow_inf_nan=False)


class Parameter(_Strict):
    """One swept input: a range (low, high, and for a grid, steps) or a list of values."""

    low: float | None = None
    high: float | None = None
    steps: int | None = Field(default=None, ge=2, le=1000)
    values: list[float] | None = Field(default=None, min_length=1, max_length=1000)

    @model_validator(mode="after")
    def _range_or_values(self) -> Parameter:
        has_range = self.low is not None and self.high is not None
        if not has_range and self.values is None:
            raise ValueError("give low and high, or values")
        if has_range and self.high <= self.low:  # type: ignore[operator]
            raise ValueError(f"high {self.high:g} is not above low {self.low:g}")
        return self

    def grid(self) -> list[float]:
        """The values a grid visits."""
        if self.values is not None:
            return list(self.values)
        assert self.low is not None and self.high is not None
        count = self.steps or 3
        return [self.low + (self.high - self.low) * i / (count - 1) for i in range(count)]

    def bounds(self) -> tuple[float, float]:
        """The range sampled by oat, morris, sobol, qmc-sobol and lhs."""
        if self.low is not None and self.high is not None:
            return self.low, self.high
        assert self.values is not None
        return min(self.values), max(self.values)


class SweepMeta(_Strict):
    """The `[sweep]` table."""

    name: str = Field(min_length=1, max_length=200)
    base: str = Field(min_length=1, description="The base scenario file, relative to the spec.")
    design: Literal["grid", "oat", "morris", "sobol", "qmc-sobol", "lhs"]
    metrics: list[str] = Field(min_length=1)
    replications: int = Field(default=1000, ge=1, le=10_000_000)
    seed: int = Field(default=0, ge=0, le=2**63 - 1)
    trajectories: int = Field(default=20, ge=2, le=10_000)
    levels: int = Field(default=4, ge=2, le=100)
    samples: int = Field(default=64, ge=2, le=1_000_000)
    target_days: float = Field(default=30.0, gt=0, le=36_500)

    @model_validator(mode="after")
    def _known_metrics(self) -> SweepMeta:
        for i, name in enumerate(self.metrics):
            problem = metric_problem(name)
            if problem:
                raise ValueError(f"metrics.{i}: {name!r}: {problem}")
        if self.design == "sobol" and self.samples & (self.samples - 1):
            raise ValueError(f"samples {self.samples}: sobol needs a power of 2")
        return self


MAX_POINTS = 1_000_000  # a design's points are built in memory before any is run


class SweepSpec(_Strict):
    """A whole sweep file."""

    sweep: SweepMeta
    parameters: dict[str, Parameter] = Field(min_length=1)

    @model_validator(mode="after")
    def _design_is_bounded(self) -> SweepSpec:
        count = self.point_count()
        if count > MAX_POINTS:
            field = "parameters" if self.sweep.design in ("grid", "oat") else "sweep.design"
            raise ValueError(
                f"{field}: the {self.sweep.design} design has {count:,} points, above the "
                f"{MAX_POINTS:,} a sweep may have"
            )
        return self

    def point_count(self) -> int:
        """How many points the design visits, counted without building it."""
        meta, k = self.sweep, len(self.parameters)
        if meta.design == "grid":
            return math.prod(
                len(p.values) if p.values is not None else (p.steps or 3)
                for p in self.parameters.values()
            )
        if meta.design == "oat":
            return 1 + 2 * k
        if meta.design == "morris":
            return meta.trajectories * (k + 1)
        if meta.design == "sobol":
            return meta.samples * (k + 2)  # first-order and total indices only
        return meta.samples

    def base_path(self, spec_path: Path) -> Path:
        """The base scenario's path."""
        return (spec_path.parent / self.sweep.base).resolve()


def metric_problem(name: str) -> str | None:
    """Why `name` is not a metric a sweep can collect, or None."""
    if name in INVEST_METRICS:
        return None
    if name.startswith("launch.launcher_limited_days."):
        stat = name.rsplit(".", 1)[1]
        return None if stat in STATISTICS else f"unknown statistic (known: {', '.join(STATISTICS)})"
    match = METRIC.match(name)
    if match is None:
        return "expected MUNITION.OUTCOME.STATISTIC, launch.launcher_limited_days.STAT or invest.*"
    if match["outcome"] not in OUTCOMES:
        return f"unknown outcome (known: {', '.join(OUTCOMES)})"
    known = STATISTICS + (("p_depleted_by",) if match["outcome"] == "days_to_depletion" else ())
    if match["stat"] not in known:
        return f"unknown statistic (known: {', '.join(known)})"
    return None
