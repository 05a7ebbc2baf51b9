"""Turn a validated Scenario into plain numbers and schedules, once, for every engine.

Time is in days from the decision day (day 0); the conflict starts at `warning_days`. A salvo at
time t fires the demand of [t, t + salvo interval); a lot delivered at time t carries the line's
output of [t, t + lot interval), so the first lot lands exactly at the lead time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from wargame.config.models import DAYS_PER_YEAR, Munition, Production
from wargame.config.scenario import Scenario
from wargame.model.fleet import CompiledFleet, compile_fleet
from wargame.model.line import TIME_SLACK, Line, LineSpec, compile_line
from wargame.model.rates import (
    FloatArray,
    IntArray,
    PiecewiseLinear,
    ramp_share,
    whole_amounts,
    within,
)


@dataclass(frozen=True)
class CompiledMunition:
    """One munition as schedules: when shots are demanded and when missiles arrive (sim days)."""

    name: str
    inventory: int
    unit_cost_usd: float
    backlog: bool
    demand_rate: PiecewiseLinear  # shots per day demanded, sim time
    line: Line
    funded_us_per_year: float  # US deliveries per year at the funded rate (for rebuild years)
    salvo_times: FloatArray
    salvo_demand: IntArray
    lot_sizes: IntArray  # whole missiles delivered at line.lot_times, supplemental included

    @property
    def lot_times(self) -> FloatArray:
        """When each lot is delivered (sim days)."""
        return self.line.lot_times


@dataclass(frozen=True)
class CompiledModel:
    """A scenario as plain numbers: what both engines read."""

    name: str
    warning_days: int
    horizon_days: int
    salvo_interval_days: float
    seed: int
    step_times: FloatArray  # sim time of each conflict step: the salvo grid, shared by all
    munitions: tuple[CompiledMunition, ...]
    fleet: CompiledFleet | None = None  # None: munitions fire straight from their depots

    @property
    def end_day(self) -> int:
        """Sim time at which the run stops (days from the decision day)."""
        return self.warning_days + self.horizon_days


def compile_scenario(scenario: Scenario) -> CompiledModel:
    """Compile `scenario` into schedules."""
    meta = scenario.scenario
    end = float(meta.warning_days + meta.horizon_days)
    step_times = _grid(float(meta.warning_days), end, meta.salvo_interval_days)
    munitions = tuple(
        _compile_munition(name, munition, meta.warning_days, step_times, end)
        for name, munition in scenario.munitions.items()
    )
    return CompiledModel(
        name=meta.name,
        warning_days=meta.warning_days,
        horizon_days=meta.horizon_days,
        salvo_interval_days=meta.salvo_interval_days,
        seed=meta.seed,
        step_times=step_times,
        munitions=munitions,
        fleet=compile_fleet(scenario, step_times),
    )


def _compile_munition(
    name: str, munition: Munition, warning: int, step_times: FloatArray, end: float
) -> CompiledMunition:
    demand = demand_rate(munition, warning)
    salvo_demand = whole_amounts(demand.cumulative(np.append(step_times, end)))
    line = munition_line(munition, warning, end)
    supplemental = munition.supplemental
    lot_cumulative = line.us_cumulative(
        line.lot_bounds, supplemental.missiles, supplemental.added_capacity_per_year
    )
    return CompiledMunition(
        name=name,
        inventory=munition.inventory,
        unit_cost_usd=munition.unit_cost_usd,
        backlog=munition.backlog,
        demand_rate=demand,
        line=line,
        funded_us_per_year=munition.production.funded_per_year * line.us_share,
        salvo_times=step_times,
        salvo_demand=salvo_demand,
        lot_sizes=whole_amounts(lot_cumulative),
    )


def demand_rate(munition: Munition, warning: int) -> PiecewiseLinear:
    """Shots demanded per day in sim time: the firing phases shifted to the conflict start."""
    phases = munition.firing
    return PiecewiseLinear.steps(
        [warning + p.start_day for p in phases],
        [warning + p.end for p in phases],
        [p.rate_per_day for p in phases],
    )


def munition_line(munition: Munition, warning: int, end: float) -> Line:
    """The munition's line: funded output and surge, spare and expandable capacity, lots."""
    production = munition.production
    return compile_line(
        LineSpec(
            output=line_rate(production, warning),
            lead_time_days=production.lead_time_days,
            capacity_per_year=production.capacity_per_year,
            lot_interval_days=production.lot_interval_days,
            us_share=1.0 - production.foreign_share,
        ),
        munition.supplemental,
        end,
    )


def line_rate(production: Production, warning: int) -> PiecewiseLinear:
    """The line's output per day in sim time: funded after the lead time, plus any wartime surge.

    The surge ramps linearly from the funded rate (zero before the lead time) to the surge rate;
    validation keeps both at or below capacity.
    """
    surge = production.surge
    breaks = [production.lead_time_days]
    if surge is not None:
        start = warning + surge.delay_days
        breaks += [start, start + surge.ramp_days]
    return PiecewiseLinear.from_breaks(
        breaks, lambda t, left: _line_rate_at(production, warning, t, left=left)
    )


def _line_rate_at(production: Production, warning: int, t: float, *, left: bool) -> float:
    """Line output per day at time t (the left limit when `left`, for the jump at a knot)."""
    after_lead = within(t, production.lead_time_days, math.inf, left=left)
    base = production.funded_per_year / DAYS_PER_YEAR if after_lead else 0.0
    surge = production.surge
    if surge is None:
        return base
    share = ramp_share(t, warning + surge.delay_days, surge.ramp_days, left=left)
    return base + share * max(0.0, surge.rate_per_year / DAYS_PER_YEAR - base)


def _grid(first: float, end: float, interval: float) -> FloatArray:
    """Times first, first + interval, ... strictly before `end`."""
    count = max(0, math.ceil((end - first) / interval - TIME_SLACK))
    return first + interval * np.arange(count, dtype=np.float64)
