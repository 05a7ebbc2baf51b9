"""Piecewise-linear rates and their exact integrals, and their cutting into whole-missile events.

Firing plans (piecewise constant) and production lines (steps at lead times, linear ramps) are
both rates over time; salvos and lots are the integral of a rate over an interval, rounded so that
the running total is always the floor of the exact cumulative (no drift, whole missiles).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
RateAt = Callable[[float, bool], float]  # (time in days, left limit?) -> rate per day

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
    def from_breaks(cls, breaks: Iterable[float], rate_at: RateAt) -> PiecewiseLinear:
        """The rate `rate_at` describes, given every time where it may bend or jump.

        `rate_at(t, left)` must be linear between consecutive breaks; at each break both its left
        limit and its value are taken, so jumps are kept exactly.
        """
        points: list[tuple[float, float]] = []
        for t in sorted({0.0, *(b for b in breaks if np.isfinite(b) and b >= 0)}):
            if t > 0:
                points.append((t, rate_at(t, True)))
            points.append((t, rate_at(t, False)))
        return cls.from_points(points)

    @classmethod
    def steps(cls, starts: list[float], ends: list[float], rates: list[float]) -> PiecewiseLinear:
        """A piecewise-constant rate: `rates[i]` on [starts[i], ends[i]), zero elsewhere.

        Intervals must not overlap; infinite ends are allowed.
        """
        spans = list(zip(starts, ends, rates, strict=True))

        def rate_at(t: float, left: bool) -> float:
            return sum(rate for start, end, rate in spans if within(t, start, end, left=left))

        return cls.from_breaks([*starts, *ends], rate_at)

    def cumulative(self, t: FloatArray) -> FloatArray:
        """Integral of the rate from time 0 to each of `t` (days), exact for the linear pieces."""
        t = np.asarray(t, dtype=np.float64)
        x, y = self.times, self.rates
        areas = np.concatenate(([0.0], np.cumsum(np.diff(x) * (y[1:] + y[:-1]) / 2.0)))
        idx = self._segment(t, "right")
        return areas[idx] + (t - x[idx]) * (y[idx] + self.value(t)) / 2.0

    def value(self, t: FloatArray, *, left: bool = False) -> FloatArray:
        """The rate at each of `t`: right-continuous at jumps, or the left limit with `left`."""
        t = np.asarray(t, dtype=np.float64)
        x, y = self.times, self.rates
        idx = self._segment(t, "left" if left else "right")
        nxt = np.minimum(idx + 1, x.size - 1)
        span = x[nxt] - x[idx]
        safe_span = np.where(span > 0, span, 1.0)
        frac = np.where(span > 0, np.clip((t - x[idx]) / safe_span, 0.0, 1.0), 0.0)
        return y[idx] + frac * (y[nxt] - y[idx])

    def at(self, t: float, left: bool) -> float:
        """Scalar form of `value`, in the shape `from_breaks` takes."""
        return float(self.value(np.array([t]), left=left)[0])

    def _segment(self, t: FloatArray, side: str) -> IntArray:
        """Index of the piece each time falls in (for `left`, the piece just before a knot)."""
        idx = np.searchsorted(self.times, t, side="right" if side == "right" else "left") - 1
        return np.clip(idx, 0, self.times.size - 1).astype(np.int64)


def within(t: float, start: float, end: float, *, left: bool) -> bool:
    """Whether t is in [start, end), or for a left limit whether just before t is."""
    if left:
        return start < t <= end
    return start <= t < end


def ramp_share(t: float, start: float, length: float, *, left: bool) -> float:
    """Share of a linear ramp from 0 at `start` to 1 at `start + length` (a step if length is 0)."""
    if length > 0:
        return min(max((t - start) / length, 0.0), 1.0)
    return 1.0 if within(t, start, np.inf, left=left) else 0.0


def whole_amounts(cumulative_at_bounds: FloatArray) -> IntArray:
    """Whole-missile amounts between consecutive bounds, given the exact cumulative at each bound.

    The running sum of the result is floor(cumulative), so rounding never drifts.
    """
    floors = np.floor(cumulative_at_bounds + ROUNDING_SLACK).astype(np.int64)
    return np.diff(floors)
