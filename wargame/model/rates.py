"""Piecewise-linear rates and their exact integrals, and their cutting into whole-missile events.

Firing plans (piecewise constant) and production lines (steps at lead times, linear surge ramps) are
both rates over time; salvos and lots are the integral of a rate over an interval, rounded so that
the running total is always the floor of the exact cumulative (no drift, whole missiles).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

# Cumulative totals are floored after adding this, so that 4199.9999999 from float error counts as
# 4200 whole missiles; far below one missile, far above float noise at these magnitudes.
ROUNDING_SLACK = 1e-7


@dataclass(frozen=True)
class PiecewiseLinear:
    """A rate r(t) (per day) for t >= 0, linear between knots; a repeated knot time makes a jump.

    The first knot is at day 0; after the last knot the rate holds its last value.
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
    def steps(cls, starts: list[float], ends: list[float], rates: list[float]) -> PiecewiseLinear:
        """A piecewise-constant rate: `rates[i]` on [starts[i], ends[i]), zero elsewhere.

        Intervals must not overlap; infinite ends are allowed.
        """
        points: list[tuple[float, float]] = [(0.0, 0.0)]
        for start, end, rate in sorted(zip(starts, ends, rates, strict=True)):
            points += [(start, 0.0), (start, rate)]
            if np.isfinite(end):
                points += [(end, rate), (end, 0.0)]
            else:
                break
        points.sort(key=lambda point: point[0])  # stable: keeps jump order at equal times
        return cls.from_points(points)

    def cumulative(self, t: FloatArray) -> FloatArray:
        """Integral of the rate from time 0 to each of `t` (days), exact for the linear pieces."""
        t = np.asarray(t, dtype=np.float64)
        x, y = self.times, self.rates
        areas = np.concatenate(([0.0], np.cumsum(np.diff(x) * (y[1:] + y[:-1]) / 2.0)))
        idx = self._segment(t)
        return areas[idx] + (t - x[idx]) * (y[idx] + self.value(t)) / 2.0

    def value(self, t: FloatArray) -> FloatArray:
        """The rate at each of `t`, right-continuous at jumps."""
        t = np.asarray(t, dtype=np.float64)
        x, y = self.times, self.rates
        idx = self._segment(t)
        nxt = np.minimum(idx + 1, x.size - 1)
        span = x[nxt] - x[idx]
        safe_span = np.where(span > 0, span, 1.0)
        frac = np.where(span > 0, np.clip((t - x[idx]) / safe_span, 0.0, 1.0), 0.0)
        return y[idx] + frac * (y[nxt] - y[idx])

    def _segment(self, t: FloatArray) -> IntArray:
        """Index of the last knot at or before each time (the piece each time falls in)."""
        idx = np.searchsorted(self.times, t, side="right") - 1
        return np.clip(idx, 0, self.times.size - 1).astype(np.int64)


def whole_amounts(cumulative_at_bounds: FloatArray) -> IntArray:
    """Whole-missile amounts between consecutive bounds, given the exact cumulative at each bound.

    The running sum of the result is floor(cumulative), so rounding never drifts.
    """
    floors = np.floor(cumulative_at_bounds + ROUNDING_SLACK).astype(np.int64)
    return np.diff(floors)
