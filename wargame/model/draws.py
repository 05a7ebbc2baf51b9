"""Sampled values of a scenario's uncertain inputs, as the compiler reads them.

A fixed run has no draws: every input reads as its scenario value (a 0-d array). A Monte Carlo
batch holds one (R,) array per uncertain input, keyed by the input's dotted path in the scenario
file ("munitions.tomahawk.inventory", "munitions.tomahawk.firing.0.rate_per_day"); the compiler
broadcasts them, so each replication gets its own schedules from one pass of numpy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from wargame.config.uncertain import Uncertain
from wargame.model.rates import FloatArray, IntArray, PiecewiseLinear
from wargame.model.streams import poisson, root_key, uniforms


@dataclass(frozen=True)
class Draws:
    """Per-replication values of the uncertain inputs (none for a fixed run).

    A Monte Carlo batch also knows its replication numbers, so the compiler can draw daily
    randomness (salvo sizes, hull losses, lot slips) from each replication's own streams.
    """

    size: int = 1  # replications
    values: Mapping[str, FloatArray] = field(default_factory=dict)
    key: int = 0  # streams.root_key of the scenario seed
    reps: IntArray | None = None  # replication numbers; None: a fixed run, no daily randomness
    per_lot: Mapping[str, Uncertain] = field(default_factory=dict)

    def stream(self, path: str, count: int) -> FloatArray | None:
        """(count, R) uniforms from each replication's stream for `path`; None in a fixed run."""
        return None if self.reps is None else uniforms(self.key, path, self.reps, count)

    def per_item(self, path: str, count: int, nominal: float) -> FloatArray:
        """An input drawn afresh for each of `count` items (lots): (count, R), or its value."""
        u = self.stream(path, count) if path in self.per_lot else None
        return self.num(path, nominal) if u is None else self.per_lot[path].sample(u)

    def counts(self, path: str, rate: PiecewiseLinear, bounds: FloatArray, noisy: bool) -> IntArray:
        """Whole amounts of `rate` per step between the step `bounds` (steps + 1,): Poisson
        draws around its integral when `noisy` in a Monte Carlo batch, else whole amounts whose
        running total is the floor of the integral (no drift)."""
        u = self.stream(path, bounds.shape[0] - 1) if noisy else None
        if u is None:
            return rate.whole_amounts(bounds)
        means = per_replication(np.maximum(np.diff(rate.cumulative(bounds), axis=0), 0.0), 1)
        return poisson(u, means)

    def num(self, path: str, nominal: float) -> FloatArray:
        """The input at `path`: its (R,) draws, or the scenario's value when it is fixed."""
        drawn = self.values.get(path)
        return np.asarray(nominal, dtype=np.float64) if drawn is None else drawn

    def count(self, path: str, nominal: int) -> IntArray:
        """A whole-number input (inventory, hulls): draws are already rounded when sampled."""
        return np.rint(self.num(path, nominal)).astype(np.int64)

    @property
    def batched(self) -> bool:
        """Whether any input varies by replication."""
        return bool(self.values)


FIXED = Draws()


def per_replication(a: NDArray[Any], ndim: int) -> NDArray[Any]:
    """`a` with a trailing replication axis: (..., R) for a batch, (..., 1) when fixed.

    `ndim` is the array's dimension without replications (0 for a number, 1 for a schedule).
    """
    a = np.asarray(a)
    return a[..., None] if a.ndim == ndim else a


def pick(a: NDArray[Any], r: int) -> NDArray[Any]:
    """Replication r of an array with a trailing replication axis of size R or 1."""
    return a[..., min(r, a.shape[-1] - 1)]


def stacked(arrays: Sequence[NDArray[Any]], ndim: int) -> NDArray[Any]:
    """Per-item arrays (ports, classes) stacked on a leading axis, replication axis last."""
    return np.stack(np.broadcast_arrays(*(per_replication(a, ndim) for a in arrays)))


def phase_rate(phases: Sequence[Any], warning: int, draws: Draws, path: str) -> PiecewiseLinear:
    """A list of rate phases (firing, losses) as a rate per day in sim time.

    `path` names the list in the scenario file, so each phase's days and rate may be uncertain.
    """
    starts, ends, rates = [], [], []
    for i, phase in enumerate(phases):
        starts.append(warning + draws.num(f"{path}.{i}.start_day", phase.start_day))
        ends.append(warning + draws.num(f"{path}.{i}.end_day", phase.end))
        rates.append(draws.num(f"{path}.{i}.rate_per_day", phase.rate_per_day))
    return PiecewiseLinear.steps(starts, ends, rates)


def sample(uncertain: Sequence[Uncertain], seed: int, reps: IntArray) -> Draws:
    """Replications `reps` of a scenario's uncertain inputs, from their own streams."""
    key = root_key(seed)
    values = {
        item.path: item.sample(uniforms(key, item.path, reps))
        for item in uncertain
        if not item.per_lot
    }
    per_lot = {item.path: item for item in uncertain if item.per_lot}
    return Draws(reps.size, values, key, reps, per_lot)
