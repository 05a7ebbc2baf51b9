"""A finished sweep as a tidy table (one row per point and metric), its sensitivity indices,
and its checks (`--check "METRIC OP VALUE"`)."""

from __future__ import annotations

import csv
import io
import math
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from wargame.errors import InputError
from wargame.numbers import number
from wargame.sweep.designs import sensitivity
from wargame.sweep.loading import Sweep
from wargame.sweep.run import SweepRun

OPERATORS: dict[str, Callable[[float, float], bool]] = {
    "<=": operator.le,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    ">": operator.gt,
}
CHECK = re.compile(
    r"^\s*(?P<metric>[A-Za-z0-9_.\-]+)\s*(?P<op><=|>=|==|!=|<|>)\s*(?P<value>\S+)\s*$"
)


@dataclass(frozen=True)
class Check:
    """A condition every point must meet. A null value (a quantile of "never ran out") counts
    as +infinity: the stock lasted beyond the horizon."""

    text: str
    metric: str
    op: str
    value: float

    def holds(self, value: float | None) -> bool:
        """Whether a point's value meets the check."""
        return OPERATORS[self.op](math.inf if value is None else value, self.value)


def parse_check(text: str, metrics: list[str]) -> Check:
    """A --check option, validated against the sweep's metrics."""
    match = CHECK.match(text)
    if match is None:
        raise InputError(f'--check "{text}": expected "METRIC OP VALUE", OP one of < <= > >= == !=')
    try:
        value = float(match["value"])
    except ValueError:
        raise InputError(f'--check "{text}": {match["value"]!r} is not a number') from None
    if match["metric"] not in metrics:
        known = ", ".join(metrics)
        raise InputError(f'--check "{text}": {match["metric"]} is not collected (metrics: {known})')
    return Check(text, match["metric"], match["op"], value)


def rows(sweep: Sweep, run: SweepRun) -> list[dict[str, Any]]:
    """The tidy table: per point (in design order) and metric, the point's values and result."""
    meta = sweep.spec.sweep
    table = []
    for index, (key, point) in enumerate(zip(run.keys, run.design.points, strict=True)):
        metrics = run.records[key]["metrics"]
        for metric in meta.metrics:
            table.append(
                {
                    "point": index,
                    **{name: point[name] for name in run.design.names},
                    "metric": metric,
                    "value": metrics[metric],
                    "design": meta.design,
                    "replications": meta.replications,
                    "seed": meta.seed,
                    "config_sha256": sweep.base_sha256,
                    "point_key": key,
                }
            )
    return table


def table_csv(table: list[dict[str, Any]]) -> str:
    """sweep.csv (an empty value is null)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(table[0]), lineterminator="\n")
    writer.writeheader()
    for row in table:
        writer.writerow(
            {
                k: "" if v is None else (f"{v:.17g}" if isinstance(v, float) else v)
                for k, v in row.items()
            }
        )
    return out.getvalue()


def table_parquet(table: list[dict[str, Any]]) -> bytes:
    """sweep.parquet: the same table, typed."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = {name: [row[name] for row in table] for name in table[0]}
    sink = pa.BufferOutputStream()
    pq.write_table(pa.table(columns), sink)
    return bytes(sink.getvalue().to_pybytes())


def series(run: SweepRun, metric: str) -> list[float | None]:
    """A metric's value at each point, in design order."""
    return [run.records[key]["metrics"][metric] for key in run.keys]


def indices(sweep: Sweep, run: SweepRun) -> list[dict[str, Any]]:
    """Morris or Sobol indices for each metric with a value at every point."""
    found = []
    for metric in sweep.spec.sweep.metrics:
        values = series(run, metric)
        if all(v is not None for v in values):
            result = sensitivity(run.design, sweep.spec, metric, values)
            if result is not None:
                found.append(result)
    return found


def violations(checks: list[Check], table: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of the table that break a check, with the check."""
    return [
        {**row, "check": check.text}
        for check in checks
        for row in table
        if row["metric"] == check.metric and not check.holds(row["value"])
    ]


def passes(checks: list[Check], table: list[dict[str, Any]]) -> list[str]:
    """One line per check that every point met, with how many points and the closest value."""
    lines = []
    for check in checks:
        values = [row["value"] for row in table if row["metric"] == check.metric]
        if not all(check.holds(v) for v in values):
            continue
        shown = [math.inf if v is None else v for v in values]
        closest = min(shown, key=lambda v: abs(v - check.value))
        lines.append(
            f"check passed: {check.text} at all {len(values):,} points "
            f"(closest: {'never' if math.isinf(closest) else number(closest)})"
        )
    return lines


def warnings(sweep: Sweep, table: list[dict[str, Any]]) -> list[str]:
    """What makes a sweep say nothing: a metric with the same value at every point (its
    parameters' ranges do not move it), and an invest target no point can meet."""
    lines = []
    for metric in sweep.spec.sweep.metrics:
        values = [row["value"] for row in table if row["metric"] == metric]
        if metric == "invest.feasible" and values and all(v == 0 for v in values):
            lines.append(
                f"warning: every point is infeasible: no money meets target_days = "
                f"{sweep.spec.sweep.target_days:g} at any point (the invest.* metrics are the "
                "best achievable's)"
            )
        elif len(values) > 1 and len(set(values)) == 1:
            value = "null (never ran out)" if values[0] is None else number(values[0])
            lines.append(
                f"warning: {metric} is {value} at every point: the swept ranges do not move it"
            )
    return lines
