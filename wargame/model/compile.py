"""Turn a validated Scenario into plain numbers and schedules, once, for every engine.

Time is in days from the decision day (day 0); the conflict starts at `warning_days`. A salvo at
time t fires the demand of [t, t + salvo interval); a lot delivered at time t carries the line's
output of [t, t + lot interval), so the first lot lands exactly at the lead time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from wargame.config.models import DAYS_PER_YEAR, Munition, Production, Scenario
from wargame.model.rates import FloatArray, IntArray, PiecewiseLinear, whole_amounts

# Grid points closer than this to the end of a span count as the end (float noise in k * interval).
TIME_SLACK = 1e-9


@dataclass(frozen=True)
class CompiledMunition:
    """One munition as schedules: when shots are demanded and when missiles arrive (sim days)."""

    name: str
    inventory: int
    unit_cost_usd: float
    backlog: bool
    demand_rate: PiecewiseLinear  # shots per day demanded, sim time
    line_rate: PiecewiseLinear  # line output per day, sim time, before the foreign share
    us_share: float  # fraction of line output delivered to US stocks
    funded_us_per_year: float  # US deliveries per year at the funded rate (for rebuild years)
    salvo_times: FloatArray
    salvo_demand: IntArray
    lot_times: FloatArray
    lot_sizes: IntArray


@dataclass(frozen=True)
class CompiledModel:
    """A scenario as plain numbers: what both engines read."""

    name: str
    warning_days: int
    horizon_days: int
    salvo_interval_days: float
    seed: int
    munitions: tuple[CompiledMunition, ...]

    @property
    def end_day(self) -> int:
        """Sim time at which the run stops (days from the decision day)."""
        return self.warning_days + self.horizon_days


def compile_scenario(scenario: Scenario) -> CompiledModel:
    """Compile `scenario` into schedules."""
    meta = scenario.scenario
    munitions = tuple(
        _compile_munition(
            name, munition, meta.warning_days, meta.horizon_days, meta.salvo_interval_days
        )
        for name, munition in scenario.munitions.items()
    )
    return CompiledModel(
        name=meta.name,
        warning_days=meta.warning_days,
        horizon_days=meta.horizon_days,
        salvo_interval_days=meta.salvo_interval_days,
        seed=meta.seed,
        munitions=munitions,
    )


def _compile_munition(
    name: str, munition: Munition, warning: int, horizon: int, salvo_interval: float
) -> CompiledMunition:
    end = float(warning + horizon)
    demand = demand_rate(munition, warning)
    salvo_times, salvo_demand = _schedule(demand, _grid(float(warning), end, salvo_interval), end)
    production = munition.production
    line = line_rate(production, warning)
    us_share = 1.0 - production.foreign_share
    lot_grid = _lot_grid(production.lead_time_days, production.lot_interval_days, end)
    last_lot_end = lot_grid[-1] + production.lot_interval_days if lot_grid.size else end
    lot_times, lot_sizes = _schedule(line, lot_grid, last_lot_end, scale=us_share, from_zero=True)
    return CompiledMunition(
        name=name,
        inventory=munition.inventory,
        unit_cost_usd=munition.unit_cost_usd,
        backlog=munition.backlog,
        demand_rate=demand,
        line_rate=line,
        us_share=us_share,
        funded_us_per_year=production.funded_per_year * us_share,
        salvo_times=salvo_times,
        salvo_demand=salvo_demand,
        lot_times=lot_times,
        lot_sizes=lot_sizes,
    )


def demand_rate(munition: Munition, warning: int) -> PiecewiseLinear:
    """Shots demanded per day in sim time: the firing phases shifted to the conflict start."""
    phases = munition.firing
    return PiecewiseLinear.steps(
        [warning + p.start_day for p in phases],
        [warning + p.end for p in phases],
        [p.rate_per_day for p in phases],
    )


def line_rate(production: Production, warning: int) -> PiecewiseLinear:
    """The line's output per day in sim time: funded after the lead time, plus any wartime surge.

    The surge ramps linearly from the funded rate (zero before the lead time) to the surge rate;
    validation keeps both at or below capacity.
    """
    surge = production.surge
    breaks = {0.0, production.lead_time_days}
    if surge is not None:
        start = warning + surge.delay_days
        breaks |= {start, start + surge.ramp_days}
    points: list[tuple[float, float]] = []
    for t in sorted(breaks):
        if t > 0:
            points.append((t, _line_rate_at(production, warning, t, left=True)))
        points.append((t, _line_rate_at(production, warning, t, left=False)))
    return PiecewiseLinear.from_points(points)


def _line_rate_at(production: Production, warning: int, t: float, *, left: bool) -> float:
    """Line output per day at time t (the left limit when `left`, for the jump at a knot)."""
    after_lead = t > production.lead_time_days if left else t >= production.lead_time_days
    base = production.funded_per_year / DAYS_PER_YEAR if after_lead else 0.0
    surge = production.surge
    if surge is None:
        return base
    start = warning + surge.delay_days
    if surge.ramp_days > 0:
        share = min(max((t - start) / surge.ramp_days, 0.0), 1.0)
    else:
        share = 1.0 if (t > start if left else t >= start) else 0.0
    return base + share * max(0.0, surge.rate_per_year / DAYS_PER_YEAR - base)


def _grid(first: float, end: float, interval: float) -> FloatArray:
    """Times first, first + interval, ... strictly before `end`."""
    count = max(0, math.ceil((end - first) / interval - TIME_SLACK))
    return first + interval * np.arange(count, dtype=np.float64)


def _lot_grid(lead: float, interval: float, end: float) -> FloatArray:
    """Lot times lead + k * interval (k may be negative) in [0, end): the grid meets the lead."""
    first_k = -math.floor(lead / interval + TIME_SLACK)
    last_k = math.ceil((end - lead) / interval - TIME_SLACK)
    return np.maximum(lead + interval * np.arange(first_k, last_k, dtype=np.float64), 0.0)


def _schedule(
    rate: PiecewiseLinear,
    times: FloatArray,
    last_bound: float,
    *,
    scale: float = 1.0,
    from_zero: bool = False,
) -> tuple[FloatArray, IntArray]:
    """Whole amounts at `times`, each the integral of `rate` up to the next time (or `last_bound`).

    With `from_zero` the first amount also covers [0, times[0]). Zero amounts are kept: a salvo of
    no new demand still fires any backlog.
    """
    bounds = np.concatenate((times, [last_bound]))
    if from_zero:
        bounds[0] = 0.0
    return times, whole_amounts(scale * rate.cumulative(bounds))
