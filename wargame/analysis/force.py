"""The force over the years as outputs: summary.json's `force` and `yards` blocks and force.csv.

Counts are per year (delivered, retired, transferred and received in that year) and at its end
(hulls, cells). A fixed run reports numbers; a Monte Carlo the distribution of each across
replications, as other outcomes. A class is below its goal in a year when its hulls at the year's
end are fewer than `goal_hulls` (in a Monte Carlo: in the median replication).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import numpy as np

from wargame.analysis.uncertainty import distribution
from wargame.model.force import COUNTS, ClassForce, Force, war_hulls
from wargame.model.rates import FloatArray, IntArray

FIELDS = ("hulls", *COUNTS, "cells")  # each year's numbers, in force.csv's column order
CSV_COLUMNS = ("class", "year", "end_day", *FIELDS, "goal_hulls", "below_goal")

Stat = Callable[[FloatArray], Any]


def yearly(force: ClassForce) -> dict[str, IntArray]:
    """Each field per year (Y, R): flows within the year, stocks at its end."""
    out = {"hulls": force.by_year["hulls"]}
    for name in COUNTS:
        cumulative = force.by_year[name]
        out[name] = np.diff(cumulative, axis=0, prepend=np.zeros_like(cumulative[:1]))
    out["cells"] = force.by_year["hulls"] * force.cells_per_hull
    return out


def total_cells(force: Force) -> IntArray:
    """Cells of every class at each year end (Y, R): hulls x cells per hull, summed."""
    return sum(
        (yearly(c)["cells"] for c in force.classes), np.zeros((force.years.ends.size, 1), np.int64)
    )


def below_goal(force: ClassForce, years: tuple[str, ...]) -> list[str]:
    """The years whose end finds the class below its goal (median replication)."""
    if force.goal_hulls is None:
        return []
    hulls = np.median(force.by_year["hulls"], axis=1)
    return [label for label, n in zip(years, hulls, strict=True) if n < force.goal_hulls]


def force_block(force: Force, stat: Stat) -> dict[str, Any]:
    """summary.json's `force`: per class, its years (each field through `stat`) and goal."""
    labels, ends = force.years.labels, force.years.ends
    block: dict[str, Any] = {}
    for cls in force.classes:
        per_year = yearly(cls)
        block[cls.name] = {
            "goal_hulls": cls.goal_hulls,
            "years_below_goal": below_goal(cls, labels),
            "in_theater_at_war_start": stat(war_hulls(cls).astype(np.float64)),
            "years": [
                {"year": label, "end_day": float(end)}
                | {f: stat(per_year[f][y].astype(np.float64)) for f in FIELDS}
                for y, (label, end) in enumerate(zip(labels, ends, strict=True))
            ],
        }
    return block


def yards_block(force: Force, stat: Stat) -> dict[str, Any]:
    """summary.json's `yards`: per yard and year, the work it could do and each class's share."""
    labels = force.years.labels
    block: dict[str, Any] = {}
    for load in force.yards:
        # work in the yard's unit, to 6 places (float noise in a year's difference of running
        # totals), in single runs and Monte Carlo runs alike
        capacity = np.round(_per_year(load.capacity), 6)
        work = {name: np.round(_per_year(done), 6) for name, done in load.work.items()}
        block[load.name] = [
            {"year": label, "capacity": stat(capacity[y])}
            | {"work": {name: stat(done[y]) for name, done in work.items()}}
            for y, label in enumerate(labels)
        ]
    return block


def _per_year(cumulative: FloatArray) -> FloatArray:
    return np.diff(cumulative, axis=0, prepend=np.zeros_like(cumulative[:1]))


def fixed(values: FloatArray) -> float | int:
    """A fixed run's number: the one replication's, as an int when whole."""
    value = float(values[0])
    return int(value) if value.is_integer() else round(value, 6)


def blocks(force: Force | None, stat: Stat) -> dict[str, Any]:
    """summary.json's `force`, `force_cells` (every class's cells at each year end) and `yards`
    blocks, each number through `stat`; none without a force."""
    if force is None:
        return {}
    cells = total_cells(force).astype(np.float64)
    return {
        "force": force_block(force, stat),
        "force_cells": [
            {"year": label, "cells": stat(cells[y])} for y, label in enumerate(force.years.labels)
        ],
        "yards": yards_block(force, stat),
    }


def run_blocks(force: Force | None) -> dict[str, Any]:
    """A fixed run's blocks: the one replication's numbers."""
    return blocks(force, fixed)


def montecarlo_blocks(force: Force | None) -> dict[str, Any]:
    """A Monte Carlo's blocks: each number's distribution across replications."""
    return blocks(force, distribution)


def force_csv(force: Force, *, spread: bool = False) -> str:
    """force.csv: one row per class and year. A fixed run's numbers; with `spread` (a Monte
    Carlo), each field's 5th, 50th and 95th percentiles and mean over the replications, and
    `below_goal` for the median replication."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    fields = [f"{f}_{s}" for f in FIELDS for s in SPREAD] if spread else list(FIELDS)
    writer.writerow([*CSV_COLUMNS[:3], *fields, *CSV_COLUMNS[-2:]])
    labels = force.years.labels
    for cls in force.classes:
        per_year, below = yearly(cls), set(below_goal(cls, labels))
        for y, (label, end) in enumerate(zip(labels, force.years.ends, strict=True)):
            goal = "" if cls.goal_hulls is None else cls.goal_hulls
            if spread:
                numbers = [_spread(per_year[f][y])[s] for f in FIELDS for s in SPREAD]
            else:
                numbers = [int(per_year[f][y, 0]) for f in FIELDS]
            writer.writerow([cls.name, label, f"{end:g}", *numbers, goal, int(label in below)])
    return out.getvalue()


SPREAD = ("p5", "p50", "p95", "mean")


def _spread(values: IntArray) -> dict[str, float]:
    q = np.quantile(values.astype(np.float64), [0.05, 0.5, 0.95], method="inverted_cdf")
    return {"p5": q[0], "p50": q[1], "p95": q[2], "mean": round(float(values.mean()), 6)}
