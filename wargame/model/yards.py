"""Shipyards in the model: each yard's capacity shared by the classes it builds, in lots.

A yard's capacity is work per year (a class's hull is `work_per_hull` units; a yard of one class,
`[platforms.X.yard]`, counts in hulls). The classes are served in priority order: class i delivers
its funded work, up to the capacity the classes before it leave,

    work_i(t) = clip(capacity(t) - sum of funded work before i, 0, funded_i * work_i),

so the first class gets its funded rate first and the others what is left. Hulls already in the
pipeline deliver from day 0 at that rate. Extra hulls ordered on the decision day (a lever) are
built from their class's build time in the capacity no funded work uses, again in priority order.
Hulls leave the yard in monthly lots; every number may be an (R,) array, one per replication.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from wargame.config.fleet import YardLevers
from wargame.config.models import DAYS_PER_YEAR
from wargame.config.scenario import Scenario
from wargame.model.draws import Draws, per_replication
from wargame.model.line import LineSpec, compile_line
from wargame.model.rates import (
    FloatArray,
    IntArray,
    PiecewiseLinear,
    aligned,
    ramp_share,
    whole_amounts,
    within,
)

YARD_LOT_DAYS = 30.0  # hulls leave the yard at month ends


@dataclass(frozen=True)
class YardCapacity:
    """A yard's capacity (work/year) and its capital-funded addition as it ramps up."""

    base_per_year: FloatArray
    added_per_year: FloatArray
    delay_days: FloatArray
    ramp_days: FloatArray

    def __call__(self, t: FloatArray, left: bool) -> FloatArray:
        """Work per day the yard can deliver at time t (the left limit when `left`)."""
        share = ramp_share(t, self.delay_days, self.ramp_days, left=left)
        return (self.base_per_year + self.added_per_year * share) / DAYS_PER_YEAR

    def work_by(self, t: FloatArray) -> FloatArray:
        """Work the yard could deliver from day 0 to each of `t` (units)."""
        start, ramp = self.delay_days, self.ramp_days
        return PiecewiseLinear.from_breaks([start, start + ramp], self).cumulative(t)

    def crossing(self, level: FloatArray) -> FloatArray:
        """When the ramping capacity passes `level` (work/year); NaN where it never does."""
        gap, added = level - self.base_per_year, self.added_per_year
        overtakes = (added > 0) & (gap > 0) & (gap < added)
        share = gap / np.where(added > 0, added, 1.0)
        return np.where(overtakes, self.delay_days + self.ramp_days * share, np.nan)


@dataclass(frozen=True)
class Build:
    """One class a yard builds, its numbers drawn: hulls and work units."""

    platform: str
    work_per_hull: FloatArray
    funded_per_year: FloatArray  # hulls/year
    build_time_days: FloatArray
    extra_hulls: FloatArray
    theater_share: FloatArray
    transit_days: FloatArray
    funded_until_day: FloatArray  # funded work stops here (inf: never)


@dataclass(frozen=True)
class YardOutput:
    """The hulls of one class one yard delivers: lot times (L, R') and whole hulls per lot."""

    yard: str
    platform: str
    work_per_hull: FloatArray
    lot_times: FloatArray  # (L, 1) or (L, R): the day each lot leaves the yard
    delivered: IntArray  # (L, R): hulls of the class in each lot
    to_theater: IntArray  # (L, R): of those, the theater's share (whole hulls)
    theater_days: FloatArray  # (L, R): the day each lot reaches the theater
    capacity: YardCapacity  # the yard's (shared by every class it builds)


def funded_work(build: Build, t: FloatArray, left: bool = False) -> FloatArray:
    """The class's funded work a year at t, or just before it when `left` (zero once its
    funding ends)."""
    on = t <= build.funded_until_day if left else t < build.funded_until_day
    return np.where(on, build.funded_per_year * build.work_per_hull, 0.0)


def class_output(before: list[Build], build: Build, capacity: YardCapacity) -> PiecewiseLinear:
    """Hulls per day of `build` when the classes `before` it are served first."""
    start, ramp = capacity.delay_days, capacity.ramp_days
    ends = [b.funded_until_day for b in [*before, build]]

    def ahead(t: FloatArray, left: bool = False) -> FloatArray:
        zero = np.zeros_like(np.asarray(t, float))
        return sum((funded_work(b, t, left) for b in before), zero)

    def rate_at(t: FloatArray, left: bool) -> FloatArray:
        left_over = capacity(t, left) - ahead(t, left) / DAYS_PER_YEAR
        own = funded_work(build, t, left) / DAYS_PER_YEAR
        return np.clip(left_over, 0.0, own) / build.work_per_hull

    crossings = []
    for when in [np.asarray(0.0), *ends]:  # each level of funded work ahead, and with its own
        level = ahead(np.asarray(when))
        crossings += [capacity.crossing(level), capacity.crossing(level + funded_work(build, when))]
    return PiecewiseLinear.from_breaks([start, start + ramp, *ends, *crossings], rate_at)


def compile_yards(scenario: Scenario, draws: Draws, end: float) -> dict[str, list[YardOutput]]:
    """Every yard's deliveries up to sim time `end`, by class (yards in file order)."""
    out: dict[str, list[YardOutput]] = {name: [] for name in scenario.platforms}
    for yard_name, path, capacity_per_year, levers, builds in _yards(scenario, draws):
        capacity = YardCapacity(
            capacity_per_year,
            draws.num(
                f"{path}.supplemental.added_capacity_per_year", levers.added_capacity_per_year
            ),
            draws.num(f"{path}.supplemental.expansion_delay_days", levers.expansion_delay_days),
            draws.num(f"{path}.supplemental.expansion_ramp_days", levers.expansion_ramp_days),
        )
        for output in _deliveries(yard_name, capacity, builds, end):
            out[output.platform].append(output)
    return out


def _yards(
    scenario: Scenario, draws: Draws
) -> Iterator[tuple[str, str, FloatArray, YardLevers, list[Build]]]:
    """Each yard: its name, config path, capacity, levers and builds (a class's own yard first)."""
    for name, platform in scenario.platforms.items():
        if platform.yard is None:
            continue
        yard, path = platform.yard, f"platforms.{name}.yard"
        build = Build(
            name,
            np.asarray(1.0),
            draws.num(f"{path}.funded_per_year", yard.funded_per_year),
            draws.num(f"{path}.build_time_days", yard.build_time_days),
            draws.num(f"{path}.supplemental.hulls", yard.supplemental.hulls),
            draws.num(f"{path}.theater_share", yard.theater_share),
            draws.num(f"{path}.transit_to_theater_days", yard.transit_to_theater_days),
            _until(draws, f"{path}.funded_until_day", yard.funded_until_day),
        )
        capacity = draws.num(f"{path}.capacity_per_year", yard.capacity_per_year)
        yield name, path, capacity, yard.supplemental, [build]
    for yard_name, shared in scenario.yards.items():
        path = f"yards.{yard_name}"
        builds = [
            Build(
                b.platform,
                draws.num(f"{path}.builds.{i}.work_per_hull", b.work_per_hull),
                draws.num(f"{path}.builds.{i}.funded_per_year", b.funded_per_year),
                draws.num(f"{path}.builds.{i}.build_time_days", b.build_time_days),
                draws.num(f"{path}.builds.{i}.extra_hulls", b.extra_hulls),
                draws.num(f"{path}.builds.{i}.theater_share", b.theater_share),
                draws.num(f"{path}.builds.{i}.transit_to_theater_days", b.transit_to_theater_days),
                _until(draws, f"{path}.builds.{i}.funded_until_day", b.funded_until_day),
            )
            for i, b in enumerate(shared.builds)
        ]
        capacity = draws.num(f"{path}.capacity_per_year", shared.capacity_per_year)
        yield yard_name, path, capacity, shared.supplemental, builds


def _deliveries(
    yard: str, capacity: YardCapacity, builds: list[Build], end: float
) -> list[YardOutput]:
    """Each build's hulls in lots: funded work in priority order, then extras in what is left."""
    outputs = [class_output(builds[:i], build, capacity) for i, build in enumerate(builds)]
    times = [t for output in outputs for t in output.times]

    def spare_from(start: FloatArray) -> PiecewiseLinear:
        def spare_at(t: FloatArray, left: bool) -> FloatArray:
            pairs = zip(outputs, builds, strict=True)
            used = sum(o.value(t, left=left) * b.work_per_hull for o, b in pairs)
            return np.where(within(t, start, np.inf, left=left), capacity(t, left) - used, 0.0)

        return PiecewiseLinear.from_breaks([*times, start], spare_at)

    grid = compile_line(
        LineSpec(
            outputs[0],
            lead_time_days=np.asarray(0.0),
            capacity_per_year=capacity.base_per_year,
            lot_interval_days=np.asarray(YARD_LOT_DAYS),
            expansion_delay_days=capacity.delay_days,
            expansion_ramp_days=capacity.ramp_days,
            us_share=np.asarray(1.0),
        ),
        end,
    )
    bounds, taken, result = grid.lot_bounds, np.asarray(0.0), []
    for output, build in zip(outputs, builds, strict=True):
        funded = output.cumulative(bounds)
        made = funded
        if np.any(build.extra_hulls > 0):  # extras take the capacity funded work leaves
            funded, spare = aligned(funded, spare_from(build.build_time_days).cumulative(bounds))
            extra_work = np.clip(spare - taken, 0.0, build.extra_hulls * build.work_per_hull)
            taken = taken + extra_work
            made = funded + extra_work / build.work_per_hull
        result.append(_lots(yard, build, grid.lot_times, made, capacity))
    return result


def _lots(
    yard: str, build: Build, lot_times: FloatArray, made: FloatArray, capacity: YardCapacity
) -> YardOutput:
    """Whole hulls per lot from the cumulative made at the lot bounds."""
    theater = per_replication(whole_amounts(build.theater_share * made), 1)
    delivered = per_replication(whole_amounts(made), 1)
    times = per_replication(lot_times, 1)
    theater_days, theater, delivered = np.broadcast_arrays(
        times + build.transit_days, theater, delivered
    )
    return YardOutput(
        yard, build.platform, build.work_per_hull, times, delivered, theater, theater_days, capacity
    )


def _until(draws: Draws, path: str, day: float | None) -> FloatArray:
    return np.asarray(np.inf) if day is None else draws.num(path, day)
