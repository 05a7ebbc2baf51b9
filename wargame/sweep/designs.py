"""Designs: which points a sweep visits, and how its results are read back (SALib, scipy.qmc).

A point is a dict from dotted path to value. Every sampler and analyser takes the same problem
(names and bounds) and the sweep's seed, so a design is reproducible.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.stats import qmc

from wargame.sweep.spec import SweepSpec

Point = dict[str, float]


@dataclass(frozen=True)
class Design:
    """The points of a sweep, in order, and the matrix SALib reads them from."""

    kind: str
    names: tuple[str, ...]
    points: tuple[Point, ...]
    matrix: Any  # (points, parameters) as sampled, for the analysers
    base: Point  # the base point (oat), else the midpoints


def build(spec: SweepSpec, base_values: Point, whole: dict[str, bool]) -> Design:
    """The design's points; `base_values` are the base scenario's values of the parameters, and
    parameters marked `whole` (stocks, hulls, days) are rounded: the values that are run."""
    meta, params = spec.sweep, spec.parameters
    names = tuple(params)
    bounds = np.array([params[n].bounds() for n in names])
    problem = {"num_vars": len(names), "names": list(names), "bounds": bounds.tolist()}
    if meta.design == "grid":
        matrix = np.array(list(itertools.product(*(params[n].grid() for n in names))))
    elif meta.design == "oat":
        matrix = _one_at_a_time(names, bounds, base_values)
    elif meta.design == "morris":
        from SALib.sample import morris

        matrix = morris.sample(problem, meta.trajectories, num_levels=meta.levels, seed=meta.seed)
    elif meta.design == "sobol":
        from SALib.sample import sobol

        matrix = sobol.sample(problem, meta.samples, calc_second_order=False, seed=meta.seed)
    else:
        engine = qmc.Sobol if meta.design == "qmc-sobol" else qmc.LatinHypercube
        unit = engine(d=len(names), scramble=True, seed=meta.seed).random(meta.samples)
        matrix = qmc.scale(unit, bounds[:, 0], bounds[:, 1])
    matrix = np.array(matrix, dtype=np.float64)
    for i, name in enumerate(names):
        if whole.get(name, False):
            matrix[:, i] = np.rint(matrix[:, i])
    points = tuple({n: float(v) for n, v in zip(names, row, strict=True)} for row in matrix)
    return Design(meta.design, names, points, matrix, base_values)


def _one_at_a_time(names: tuple[str, ...], bounds: Any, base: Point) -> Any:
    """The base point, then each parameter at its low and at its high end, the rest at base."""
    rows = [[base[n] for n in names]]
    for i, _ in enumerate(names):
        for end in (0, 1):
            row = [base[n] for n in names]
            row[i] = bounds[i, end]
            rows.append(row)
    return np.array(rows)


def problem(design: Design, spec: SweepSpec) -> dict[str, Any]:
    """SALib's problem for the design."""
    return {
        "num_vars": len(design.names),
        "names": list(design.names),
        "bounds": [list(spec.parameters[n].bounds()) for n in design.names],
    }


def sensitivity(design: Design, spec: SweepSpec, metric: str, y: Any) -> dict[str, Any] | None:
    """Morris mu*, sigma (with mu*'s interval) or Sobol S1, ST (with intervals), by parameter."""
    y = np.asarray(y, dtype=np.float64)
    if design.kind not in ("morris", "sobol") or not np.all(np.isfinite(y)):
        return None
    seed = spec.sweep.seed
    if design.kind == "morris":
        from SALib.analyze import morris

        result = morris.analyze(
            problem(design, spec), design.matrix, y, num_levels=spec.sweep.levels, seed=seed
        )
        keys: tuple[str, ...] = ("mu_star", "sigma", "mu_star_conf")
    else:
        from SALib.analyze import sobol

        result = sobol.analyze(problem(design, spec), y, calc_second_order=False, seed=seed)
        keys = ("S1", "ST", "S1_conf", "ST_conf")
    return {
        "metric": metric,
        "parameters": list(design.names),
        **{key: [float(v) for v in np.asarray(result[key])] for key in keys},
    }
