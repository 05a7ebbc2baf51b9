"""Compile the fleet: ports, platform classes, losses, reinforcements and shipyards, in steps.

The fleet moves on the salvo grid: conflict step k is sim time warning + k * salvo interval.
Sailing and reloading take whole steps (rounded up), so a hull's cycle is one step to decide to
leave, a transit each way, and its reload; both engines share these numbers exactly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from wargame.config.fleet import PlatformClass, Yard
from wargame.config.models import DAYS_PER_YEAR
from wargame.config.scenario import Scenario
from wargame.model.line import LineSpec, compile_line
from wargame.model.rates import (
    FloatArray,
    IntArray,
    PiecewiseLinear,
    ramp_share,
    whole_amounts,
    within,
)

STEP_SLACK = 1e-9  # durations within this of a whole number of steps count as that number
YARD_LOT_DAYS = 30.0  # hulls leave the yard at month ends
NEVER = 2**62  # the available-from step of a port whose capability was not bought


def steps(days: float, step_days: float) -> int:
    """Whole salvo intervals needed to cover `days` (0 for 0)."""
    return max(0, math.ceil(days / step_days - STEP_SLACK))


@dataclass(frozen=True)
class CompiledPort:
    """A reload port in steps."""

    name: str
    transit_steps: int
    berths: int
    reload_days_per_cell: float
    available_from_step: int  # first conflict step it can reload (negative: before the war)


@dataclass(frozen=True)
class CompiledClass:
    """A platform class: its hulls' cells per munition and what happens to it, step by step."""

    name: str
    initial_hulls: int  # on station, loaded, at conflict start (yard hulls delivered before too)
    cells: tuple[int, ...]  # loadable cells per munition, in the model's munition order
    reload_ports: tuple[int, ...]  # port indices in order of preference
    threshold: float  # leaves station when any munition's loaded cells fall to this share
    losses: IntArray  # hulls lost at each conflict step
    arrivals: IntArray  # hulls arriving empty at its port at each conflict step


@dataclass(frozen=True)
class CompiledFleet:
    """Everything the engines need to move hulls."""

    step_days: float
    steps: int  # conflict steps (salvos) in the horizon
    ports: tuple[CompiledPort, ...]
    classes: tuple[CompiledClass, ...]
    launched: tuple[bool, ...]  # per munition: fired only from loaded cells on station


def compile_fleet(scenario: Scenario, step_times: FloatArray) -> CompiledFleet | None:
    """The fleet on the conflict's step grid, or None when the scenario has no platforms."""
    if not scenario.platforms:
        return None
    meta = scenario.scenario
    dt, warning = meta.salvo_interval_days, meta.warning_days
    bounds = np.append(step_times, float(warning + meta.horizon_days))
    port_names = list(scenario.ports)
    ports = tuple(
        CompiledPort(
            name=name,
            transit_steps=steps(port.transit_days, dt),
            berths=port.berths,
            reload_days_per_cell=port.reload_days_per_cell,
            available_from_step=(
                math.ceil((port.available_from_day - warning) / dt - STEP_SLACK)
                if port.purchased
                else NEVER
            ),
        )
        for name, port in scenario.ports.items()
    )
    munitions = list(scenario.munitions)
    classes = tuple(
        _compile_class(name, platform, munitions, port_names, warning, dt, bounds)
        for name, platform in scenario.platforms.items()
    )
    launched = tuple(name in scenario.launched_munitions for name in munitions)
    return CompiledFleet(dt, step_times.size, ports, classes, launched)


def _compile_class(
    name: str,
    platform: PlatformClass,
    munitions: list[str],
    port_names: list[str],
    warning: int,
    dt: float,
    bounds: FloatArray,
) -> CompiledClass:
    n_steps = bounds.size - 1
    cells = tuple(
        math.floor(platform.cells_per_hull * platform.loadout.get(m, 0.0) + 1e-9) for m in munitions
    )
    loss_rate = PiecewiseLinear.steps(
        [warning + p.start_day for p in platform.losses],
        [warning + p.end for p in platform.losses],
        [p.rate_per_day for p in platform.losses],
    )
    arrivals = np.zeros(n_steps, dtype=np.int64)
    for reinforcement in platform.reinforcements:
        _arrive(arrivals, reinforcement.day, reinforcement.hulls, dt)
    before_war = 0
    if platform.yard is not None:
        before_war = _yard_deliveries(platform, arrivals, warning, dt, bounds[-1])
    return CompiledClass(
        name=name,
        initial_hulls=platform.hulls + before_war,
        cells=cells,
        reload_ports=tuple(port_names.index(p) for p in platform.reload_ports),
        threshold=platform.reload_threshold,
        losses=whole_amounts(loss_rate.cumulative(bounds)),
        arrivals=arrivals,
    )


def _arrive(arrivals: IntArray, conflict_day: float, hulls: int, dt: float) -> None:
    """Add `hulls` arriving at the first step at or after `conflict_day` (if within the horizon)."""
    step = steps(conflict_day, dt)
    if step < arrivals.size:
        arrivals[step] += hulls


def _yard_deliveries(
    platform: PlatformClass, arrivals: IntArray, warning: int, dt: float, end: float
) -> int:
    """Add the yard's wartime hulls (this theater's share) to `arrivals`; return pre-war hulls.

    Hulls already in the pipeline deliver from day 0 at the funded rate capped by capacity; hulls
    bought on the decision day arrive from the build time on, in the capacity left over.
    """
    yard = platform.yard
    assert yard is not None
    levers = yard.supplemental
    output = yard_output(yard, levers.added_capacity_per_year)

    def spare_at(t: float, left: bool) -> float:
        if not within(t, yard.build_time_days, math.inf, left=left):
            return 0.0
        return _yard_capacity(yard, levers.added_capacity_per_year, t, left) - output.at(t, left)

    spare = PiecewiseLinear.from_breaks([*output.times, yard.build_time_days], spare_at)
    grid = compile_line(LineSpec(output, 0.0, yard.capacity_per_year, YARD_LOT_DAYS), levers, end)
    bounds = grid.lot_bounds
    made = output.cumulative(bounds) + np.minimum(levers.hulls, spare.cumulative(bounds))
    before_war = 0
    for time, hulls in zip(
        grid.lot_times.tolist(), whole_amounts(yard.theater_share * made).tolist(), strict=True
    ):
        in_theater = time + yard.transit_to_theater_days
        if in_theater <= warning:
            before_war += hulls
        elif hulls:
            _arrive(arrivals, in_theater - warning, hulls, dt)
    return before_war


def _yard_capacity(yard: Yard, added_per_year: float, t: float, left: bool) -> float:
    """Hulls per day the yard can deliver at time t: today's plus added capacity as it ramps."""
    levers = yard.supplemental
    share = ramp_share(t, levers.expansion_delay_days, levers.expansion_ramp_days, left=left)
    return (yard.capacity_per_year + added_per_year * share) / DAYS_PER_YEAR


def yard_output(yard: Yard, added_per_year: float) -> PiecewiseLinear:
    """Funded hulls per day actually delivered: the funded rate, capped by the yard's capacity.

    Capacity can sit below the funded rate (Virginia-class boats: about 1.2 a year delivered
    against 2 funded); added capacity lifts deliveries toward the funded rate as it ramps.
    """
    levers = yard.supplemental
    start, ramp = levers.expansion_delay_days, levers.expansion_ramp_days
    breaks = [start, start + ramp]
    gap = yard.funded_per_year - yard.capacity_per_year
    if added_per_year > 0 and 0 < gap < added_per_year:  # where capacity overtakes funding
        breaks.append(start + ramp * gap / added_per_year)
    funded = yard.funded_per_year / DAYS_PER_YEAR
    return PiecewiseLinear.from_breaks(
        breaks, lambda t, left: min(funded, _yard_capacity(yard, added_per_year, t, left))
    )
