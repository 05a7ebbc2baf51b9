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
from wargame.model.rates import (
    FloatArray,
    IntArray,
    PiecewiseLinear,
    ramp_share,
    whole_amounts,
    within,
)

# Grid points closer than this to the end of a span count as the end (float noise in k * interval).
TIME_SLACK = 1e-9


@dataclass(frozen=True)
class Line:
    """A munition's production line as rates per day (sim time) and its lot grid.

    Supplemental missiles ordered on the decision day take the line's spare capacity from the lead
    time on, as fast as it allows: their cumulative delivery is min(missiles, spare cumulative).
    """

    us_share: float  # fraction of line output delivered to US stocks
    output: PiecewiseLinear  # funded output plus surge, before the foreign share
    spare: PiecewiseLinear  # today's capacity less output, zero before the lead time
    expansion: PiecewiseLinear  # added spare per missile/year of added capacity (ramp, after lead)
    lot_times: FloatArray  # when each lot is delivered
    lot_bounds: FloatArray  # lot k carries what was made in [bounds[k], bounds[k + 1])

    def us_cumulative(self, t: FloatArray, missiles: float, added_per_year: float) -> FloatArray:
        """Missiles made for US stocks by each of `t`: the funded share plus the supplemental."""
        reachable = self.spare.cumulative(t) + added_per_year * self.expansion.cumulative(t)
        return self.us_share * self.output.cumulative(t) + np.minimum(missiles, reachable)


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
    salvo_grid = _grid(float(warning), end, salvo_interval)
    salvo_demand = whole_amounts(demand.cumulative(np.append(salvo_grid, end)))
    line = compile_line(munition, warning, end)
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
        salvo_times=salvo_grid,
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


def compile_line(munition: Munition, warning: int, end: float) -> Line:
    """The munition's line: output, spare and expandable capacity, and the lot grid to `end`."""
    production = munition.production
    supplemental = munition.supplemental
    lead = production.lead_time_days
    output = line_rate(production, warning)
    capacity = production.capacity_per_year / DAYS_PER_YEAR
    ramp_start, ramp_days = supplemental.expansion_delay_days, supplemental.expansion_ramp_days

    def spare_at(t: float, left: bool) -> float:
        open_ = within(t, lead, math.inf, left=left)
        return max(0.0, capacity - output.at(t, left)) if open_ else 0.0

    def expansion_at(t: float, left: bool) -> float:
        open_ = within(t, lead, math.inf, left=left)
        share = ramp_share(t, ramp_start, ramp_days, left=left)
        return share / DAYS_PER_YEAR if open_ else 0.0

    lot_times = _lot_grid(lead, production.lot_interval_days, end)
    last_bound = lot_times[-1] + production.lot_interval_days if lot_times.size else end
    lot_bounds = np.append(lot_times, last_bound)
    lot_bounds[0] = 0.0  # the first lot also carries anything made before it
    return Line(
        us_share=1.0 - production.foreign_share,
        output=output,
        spare=PiecewiseLinear.from_breaks([*output.times, lead], spare_at),
        expansion=PiecewiseLinear.from_breaks(
            [lead, ramp_start, ramp_start + ramp_days], expansion_at
        ),
        lot_times=lot_times,
        lot_bounds=lot_bounds,
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


def _lot_grid(lead: float, interval: float, end: float) -> FloatArray:
    """Lot times lead + k * interval (k may be negative) in [0, end): the grid meets the lead."""
    first_k = -math.floor(lead / interval + TIME_SLACK)
    last_k = math.ceil((end - lead) / interval - TIME_SLACK)
    return np.maximum(lead + interval * np.arange(first_k, last_k, dtype=np.float64), 0.0)
