"""What a sweep says: for each metric, its range over the design, the parameter that moves it
most, and whether it measured anything at all (a constant metric, every point infeasible).

Pure functions of the finished run and its indices; the report (and the terminal) word them.
How a parameter's influence is measured depends on the design: Morris mu*, Sobol ST, the swing
between the low and high ends (one at a time), the range of the metric's mean over the
parameter's values (grid), or the absolute rank correlation (Latin hypercube, qmc Sobol).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from wargame.sweep.loading import Sweep
from wargame.sweep.outputs import series
from wargame.sweep.run import SweepRun

INFLUENCE = {
    "morris": "mu*, the mean absolute elementary effect",
    "sobol": "total-order Sobol index",
    "oat": "swing from its low to its high end",
    "grid": "range of the metric's mean over its values",
    "lhs": "rank correlation",
    "qmc-sobol": "rank correlation",
}


@dataclass(frozen=True)
class MetricFinding:
    """One metric over the design."""

    metric: str
    low: float | None  # least and greatest finite value (None: no finite value)
    high: float | None
    missing: int  # points with no value (a quantile that never came: "never ran out")
    constant: bool  # one value at every point: the sweep measured nothing for it
    top: str | None  # the parameter that moves it most
    influence: float | None  # how much, in the design's measure (INFLUENCE)


def metric_findings(
    sweep: Sweep, run: SweepRun, found: Sequence[dict[str, Any]]
) -> list[MetricFinding]:
    """A finding for each of the sweep's metrics, in the sweep file's order."""
    by_metric = {item["metric"]: item for item in found}
    return [_finding(run, metric, by_metric.get(metric)) for metric in sweep.spec.sweep.metrics]


def all_infeasible(sweep: Sweep, run: SweepRun) -> bool:
    """Whether no point's supplemental meets the target (by invest.feasible, or by
    invest.achieved_days short of the sweep's target_days everywhere)."""
    metrics = sweep.spec.sweep.metrics
    if "invest.feasible" in metrics:
        return all(v is not None and v < 0.5 for v in series(run, "invest.feasible"))
    if "invest.achieved_days" in metrics:
        target = sweep.spec.sweep.target_days
        return all(v is not None and v < target for v in series(run, "invest.achieved_days"))
    return False


def _finding(run: SweepRun, metric: str, indices: dict[str, Any] | None) -> MetricFinding:
    raw = series(run, metric)
    values = np.array([math.nan if v is None else v for v in raw], dtype=float)
    finite = values[np.isfinite(values)]
    missing = int(values.size - finite.size)
    constant = values.size > 1 and (
        (finite.size == values.size and bool(np.all(finite == finite[0]))) or finite.size == 0
    )
    top, influence = (None, None) if constant else _top(run, values, indices)
    return MetricFinding(
        metric=metric,
        low=float(finite.min()) if finite.size else None,
        high=float(finite.max()) if finite.size else None,
        missing=missing,
        constant=constant,
        top=top,
        influence=influence,
    )


def _top(
    run: SweepRun, values: Any, indices: dict[str, Any] | None
) -> tuple[str | None, float | None]:
    """The most influential parameter and its influence (None when it cannot be measured)."""
    names = run.design.names
    scores = _scores(run, values, indices)
    if scores is None or not names or not np.any(np.isfinite(scores)):
        return None, None
    best = int(np.nanargmax(scores))
    return names[best], float(scores[best])


def _scores(run: SweepRun, values: Any, indices: dict[str, Any] | None) -> Any:
    names, kind = run.design.names, run.design.kind
    if indices is not None:
        return np.array(indices["mu_star"] if "mu_star" in indices else indices["ST"], dtype=float)
    if kind == "oat":
        return np.abs(values[2::2] - values[1::2])
    points = run.design.points
    scores = []
    for name in names:
        x = np.array([p[name] for p in points])
        ok = np.isfinite(values)
        if kind == "grid":
            means = [np.mean(values[ok & (x == level)]) for level in np.unique(x[ok])]
            scores.append(float(np.ptp(means)) if len(means) > 1 else math.nan)
        elif ok.sum() > 2 and np.ptp(x[ok]) > 0 and np.ptp(values[ok]) > 0:
            scores.append(abs(float(stats.spearmanr(x[ok], values[ok]).statistic)))
        else:
            scores.append(math.nan)
    return np.array(scores, dtype=float)
