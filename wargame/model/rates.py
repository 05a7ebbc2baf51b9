"""Piecewise-linear rates and their exact integrals, and their cutting into whole-missile events.

Firing plans (piecewise constant) and production lines (steps at lead times, linear ramps) are
both rates over time; salvos and lots are the integral of a rate over an interval, rounded so that
the running total is always the floor of the exact cumulative (no drift, whole missiles).

Batches: a rate may hold one curve per Monte Carlo replication. Then its knot arrays are (K, R)
and every result gains a trailing replication axis; parameters passed as (R,) arrays broadcast
against it. One code path serves a single run (R absent) and a batch.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from wargame.jit import compiled, first_call

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]
# (times in days, left limits?) -> rates per day, elementwise: times are (N,) or (N, R)
RateAt = Callable[[FloatArray, bool], FloatArray]

# Cumulative totals are floored after adding this, so that 4199.9999999 from float error counts as
# 4200 whole missiles; far below one missile, far above float noise at these magnitudes.
ROUNDING_SLACK = 1e-7


@dataclass(frozen=True)
class PiecewiseLinear:
    """A rate r(t) (per day) for t >= 0, linear between knots; a repeated knot time makes a jump.

    `times` and `rates` are (K,), or (K, R) for one curve per replication. The first knot is at
    day 0; after the last knot the rate holds its last value.
    """

    times: FloatArray
    rates: FloatArray

    @classmethod
    def from_points(cls, points: list[tuple[float, float]]) -> PiecewiseLinear:
        """Build from (time in days, rate per day) points in non-decreasing time order."""
        times = np.array([t for t, _ in points], dtype=np.float64)
        rates = np.array([r for _, r in points], dtype=np.float64)
        if times.size == 0 or times[0] != 0.0 or np.any(np.diff(times) < 0):
            raise ValueError("knots must start at day 0 and be in time order")
        return cls(times, rates)

    @classmethod
    def from_breaks(cls, breaks: Iterable[ArrayLike], rate_at: RateAt) -> PiecewiseLinear:
        """The rate `rate_at` describes, given every time where it may bend or jump.

        `rate_at(t, left)` must be linear between consecutive breaks; at each break both its left
        limit and its value are taken, so jumps are kept exactly. Breaks may be (R,) arrays (one
        per replication); breaks that are negative or infinite are dropped (moved onto day 0).
        """
        columns = np.broadcast_arrays(0.0, *(np.asarray(b, dtype=np.float64) for b in breaks))
        knots = np.stack(columns)  # (N,) or (N, R)
        knots = np.sort(np.where(np.isfinite(knots) & (knots > 0), knots, 0.0), axis=0)
        # Evaluate on a replication axis, so rates that vary by replication widen the knots.
        probe = knots if knots.ndim == 2 else knots[:, None]
        left, right = np.broadcast_arrays(rate_at(probe, True), rate_at(probe, False))
        if knots.ndim == 1 and left.shape[1] == 1:
            left, right = left[:, 0], right[:, 0]
        positive = probe > 0 if left.ndim == 2 else knots > 0
        left = np.where(positive, left, right)  # no left limit at day 0
        shape = (2 * left.shape[0], *left.shape[1:])
        times = np.repeat(knots, 2, axis=0)  # (2N,) when every replication shares them
        rates = np.stack([left, right], axis=1).reshape(shape)
        return cls(times, rates)

    @classmethod
    def steps(
        cls, starts: Sequence[ArrayLike], ends: Sequence[ArrayLike], rates: Sequence[ArrayLike]
    ) -> PiecewiseLinear:
        """A piecewise-constant rate: `rates[i]` on [starts[i], ends[i]), zero elsewhere.

        Intervals must not overlap; infinite ends are allowed.
        """
        spans = list(zip(starts, ends, rates, strict=True))

        def rate_at(t: FloatArray, left: bool) -> FloatArray:
            total = np.zeros_like(t)
            for start, end, rate in spans:
                total = total + np.where(within(t, start, end, left=left), rate, 0.0)
            return total

        return cls.from_breaks([*starts, *ends], rate_at)

    def cumulative(self, t: ArrayLike) -> FloatArray:
        """Integral of the rate from time 0 to each of `t` (days), exact for the linear pieces.

        `t` is (M,), or (M, R) for times that differ by replication; the result is (M,), or
        (M, R) when anything differs by replication.
        """
        t = np.asarray(t, dtype=np.float64)
        if self._shared_knots(t):  # linear in the rates: one matrix product for every replication
            # computed replication-major, which is how the compiled engine reads schedules
            return (self.rates.T @ self._basis()._cumulative(t).T).T
        return self._cumulative(t)

    def whole_amounts(self, bounds: ArrayLike) -> IntArray:
        """Whole units between consecutive `bounds` (days): whole_amounts(self.cumulative(bounds)).

        When only the rates differ by replication (a drawn firing rate on a shared salvo grid),
        one compiled pass per replication integrates and rounds straight into the (steps, R)
        int64 schedule, replication-major as the compiled engine reads it: no (steps, R) float
        cumulative in between (a Monte Carlo's largest temporary), and each time's piece found
        once for every replication."""
        t = np.asarray(bounds, dtype=np.float64)
        if not self._shared_knots(t):
            return whole_amounts(self.cumulative(t))
        # writable, C-ordered float arrays always: numba compiles (and caches) one version per
        # argument type, and a read-only or strided array is another type
        x, y, t = (np.require(a, np.float64, ("C", "W")) for a in (self.times, self.rates, t))
        amounts: IntArray = np.empty((y.shape[1], t.size - 1), np.int64)
        with first_call("whole-units", "the rates' whole units on a shared grid"):
            _whole_at_shared_knots(x, y, t, amounts)
        return amounts.T

    def _cumulative(self, t: FloatArray) -> FloatArray:
        x, y = self.times, self.rates
        dx = np.diff(x, axis=0)
        dx = dx[:, None] if dx.ndim < y.ndim else dx
        steps = np.cumsum(dx * (y[1:] + y[:-1]) / 2, axis=0)
        areas = np.concatenate((np.zeros((1, *steps.shape[1:])), steps))
        return self._evaluate(t, areas, left=False)

    def value(self, t: ArrayLike, *, left: bool = False) -> FloatArray:
        """The rate at each of `t`: right-continuous at jumps, or the left limit with `left`."""
        t = np.asarray(t, dtype=np.float64)
        if self._shared_knots(t):
            return self._basis()._evaluate(t, None, left=left) @ self.rates
        return self._evaluate(t, None, left=left)

    def _evaluate(self, t: FloatArray, areas: FloatArray | None, *, left: bool) -> FloatArray:
        """The rate at each of `t` (`areas` None), or its integral from 0 given `areas`, the
        integral at each knot; (M,) when nothing differs by replication, else (M, R).

        The compiled loop (_at_knots) finds each time's piece and interpolates in one pass:
        numpy needed a (times, knots, R) comparison and a gather per piece end, most of a
        Monte Carlo's compiling when the knots differ by replication (a drawn lead time)."""
        x, y = self.times, self.rates
        width = max(a.shape[1] if a.ndim == 2 else 1 for a in (x, y, t))
        shared = x.ndim == y.ndim == t.ndim == 1

        def columns(a: FloatArray, rows: int) -> FloatArray:
            # always a fresh, writable, C-ordered float array: numba compiles (and loads from its
            # cache) one version per argument type, and a read-only or strided view is another
            full = np.empty((rows, width))
            full[...] = a if a.ndim == 2 else a[:, None]
            return full

        knots = x.shape[0]
        out = np.empty((t.shape[0], width))
        with first_call("rates", "the rates' exact integrals"):
            _at_knots(
                columns(x, knots),
                columns(y, knots),
                np.zeros((0, width)) if areas is None else columns(areas, knots),
                columns(t, t.shape[0]),
                left,
                out,
            )
        return out[:, 0] if shared else out

    def _shared_knots(self, t: FloatArray) -> bool:
        """Whether only the rates differ by replication, at times every replication shares."""
        return self.times.ndim == 1 and self.rates.ndim == 2 and t.ndim == 1 and t.size > 1

    def _basis(self) -> PiecewiseLinear:
        """The same knots with one unit rate per knot: a curve's results are these, weighted."""
        return PiecewiseLinear(self.times, np.eye(self.times.size))

    def replication(self, r: int) -> PiecewiseLinear:
        """Replication r's curve (the curve itself when it is the same for all)."""
        times = self.times if self.times.ndim == 1 else self.times[:, r]
        rates = self.rates if self.rates.ndim == 1 else self.rates[:, r]
        return PiecewiseLinear(times, rates)


def aligned(*arrays: FloatArray) -> list[FloatArray]:
    """Arrays over the same times, some per replication (M, R) and some shared (M,): the
    shared ones as (M, 1), so that they broadcast."""
    batched = any(a.ndim == 2 for a in arrays)
    return [a[:, None] if batched and a.ndim == 1 else a for a in arrays]


def within(t: ArrayLike, start: ArrayLike, end: ArrayLike, *, left: bool) -> BoolArray:
    """Whether t is in [start, end), or for a left limit whether just before t is."""
    t, start, end = np.asarray(t), np.asarray(start), np.asarray(end)
    if left:
        return np.asarray((start < t) & (t <= end))
    return np.asarray((start <= t) & (t < end))


def ramp_share(t: ArrayLike, start: ArrayLike, length: ArrayLike, *, left: bool) -> FloatArray:
    """Share of a linear ramp from 0 at `start` to 1 at `start + length` (a step if length is 0)."""
    t, start, length = (np.asarray(a, dtype=np.float64) for a in (t, start, length))
    with np.errstate(over="ignore"):  # a ramp of a few ulps overflows to a step: the same
        ramp = np.clip((t - start) / np.where(length > 0, length, 1.0), 0.0, 1.0)
    return np.where(length > 0, ramp, within(t, start, np.inf, left=left).astype(np.float64))


def whole_amounts(cumulative_at_bounds: FloatArray) -> IntArray:
    """Whole-missile amounts between consecutive bounds (axis 0), given the exact cumulative at
    each bound. The running sum of the result is floor(cumulative), so rounding never drifts.
    """
    totals = np.asarray(cumulative_at_bounds, dtype=np.float64)
    columns = totals.reshape(totals.shape[0], -1)
    if not (columns.flags.c_contiguous or columns.flags.f_contiguous):
        columns = np.ascontiguousarray(columns)
    shape = (max(columns.shape[0] - 1, 0), columns.shape[1])
    by_column = columns.flags.f_contiguous and columns.shape[1] > 1  # keep replication-major
    amounts: IntArray = np.empty(shape, np.int64, order="F" if by_column else "C")
    with first_call("rounding", "the rounding of amounts to whole missiles"):
        _whole_amounts(columns, amounts)
    return amounts.reshape((shape[0], *totals.shape[1:]), order="A")


@compiled()
def _whole_amounts(totals: FloatArray, amounts: IntArray) -> None:
    """One pass per column: the differences of floor(total + slack) down the rows."""
    for j in range(totals.shape[1]):
        previous = math.floor(totals[0, j] + ROUNDING_SLACK)
        for i in range(1, totals.shape[0]):
            current = math.floor(totals[i, j] + ROUNDING_SLACK)
            amounts[i - 1, j] = current - previous
            previous = current


@compiled()
def _at_knots(
    x: FloatArray, y: FloatArray, areas: FloatArray, t: FloatArray, left: bool, out: FloatArray
) -> None:
    """For each time t[m, r] of curve r (knots x[:, r], rates y[:, r]): the piece it falls in
    (the last knot at or before it; for `left`, the last strictly before it), the rate there by
    linear interpolation, and with `areas` (the integral at each knot; no rows: the rate
    itself) the integral from 0, the piece's trapezoid added to the area at its start."""
    knots, integrate = x.shape[0], areas.shape[0] > 0
    for r in range(t.shape[1]):  # a curve at a time: its knots stay in cache
        for m in range(t.shape[0]):
            time = t[m, r]
            below = 0  # counted without a branch: knots are few, and a branch mispredicts
            if left:
                for k in range(knots):
                    below += x[k, r] < time
            else:
                for k in range(knots):
                    below += x[k, r] <= time
            i = min(max(below - 1, 0), knots - 1)
            j = min(i + 1, knots - 1)
            x0, y0 = x[i, r], y[i, r]
            span = x[j, r] - x0
            frac = min(max((time - x0) / span, 0.0), 1.0) if span > 0 else 0.0
            rate = y0 + frac * (y[j, r] - y0)
            out[m, r] = areas[i, r] + (time - x0) * (y0 + rate) / 2.0 if integrate else rate


@compiled()
def _whole_at_shared_knots(x: FloatArray, y: FloatArray, t: FloatArray, amounts: IntArray) -> None:
    """Into amounts[r, m] (replication-major): the whole units of curve r (knots x, shared;
    rates y[:, r]) between t[m] and t[m + 1], the differences of floor(integral + slack).

    The integral is _cumulative's and _at_knots's arithmetic (each piece's trapezoid added to
    the area at its start), so a replication's units are those of its own curve on its own.
    Where each time falls among the shared knots is found once for every replication, as runs
    of consecutive times in one piece: within a run the loop has no gathers, and vectorises."""
    knots, times = x.shape[0], t.shape[0]
    into = np.empty(times)  # t[m] less its piece's start (days)
    share = np.empty(times)  # how far along its piece t[m] is
    piece = np.empty(times, np.int64)  # each run's piece: the last knot at or before its times
    first = np.empty(times + 1, np.int64)  # each run's first time (and the end of the last)
    runs = 0
    for m in range(times):
        below = 0
        for k in range(knots):
            below += x[k] <= t[m]
        i = min(max(below - 1, 0), knots - 1)
        j = min(i + 1, knots - 1)
        span = x[j] - x[i]
        into[m] = t[m] - x[i]
        share[m] = min(max((t[m] - x[i]) / span, 0.0), 1.0) if span > 0 else 0.0
        if runs == 0 or piece[runs - 1] != i:
            piece[runs], first[runs] = i, m
            runs += 1
    first[runs] = times
    rates, areas, floors = np.empty(knots), np.empty(knots), np.empty(times)
    for r in range(y.shape[1]):
        for k in range(knots):  # one curve's rates side by side
            rates[k] = y[k, r]
        areas[0] = 0.0
        for k in range(1, knots):
            areas[k] = areas[k - 1] + (x[k] - x[k - 1]) * (rates[k] + rates[k - 1]) / 2
        for p in range(runs):
            i = piece[p]
            y0, rise, area = rates[i], rates[min(i + 1, knots - 1)] - rates[i], areas[i]
            for m in range(first[p], first[p + 1]):
                rate = y0 + share[m] * rise
                floors[m] = np.floor(area + into[m] * (y0 + rate) / 2.0 + ROUNDING_SLACK)
        for m in range(times - 1):
            amounts[r, m] = np.int64(floors[m + 1] - floors[m])
