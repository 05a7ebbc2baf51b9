"""The SimPy discrete-event model: the reference engine.

Each munition has a depot (a SimPy Container holding its stock), a production process that puts
lots into it, and a firing process that takes salvos out of it. A salvo fires what it can; the
first salvo that cannot fire all it demands marks the depletion moment. Lots due at the same
instant as a salvo are scheduled URGENT, so a lot that lands at time t can be fired at time t.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field

import numpy as np
import simpy
from simpy.events import URGENT, Event

from wargame.engine.results import MunitionRun, RunResult
from wargame.model.compile import CompiledModel, CompiledMunition
from wargame.model.rates import IntArray

Process = Generator[Event, object, None]


class UrgentTimeout(Event):
    """A timeout processed before NORMAL events due at the same time (deliveries before salvos)."""

    def __init__(self, env: simpy.Environment, delay: float) -> None:
        super().__init__(env)
        self._ok = True
        self._value = None
        env.schedule(self, URGENT, delay)


@dataclass
class Depot:
    """A munition's stock and its per-day ledger (sim days)."""

    stock: simpy.Container
    demanded: IntArray
    fired: IntArray
    delivered: IntArray
    depleted_at: float | None = None  # sim time of the first salvo that could not fire in full
    unmet: int = field(default=0)  # backlog carried forward (only when the munition keeps one)


def run_des(model: CompiledModel) -> RunResult:
    """Run `model` once, deterministically, and return its results."""
    env = simpy.Environment()
    runs = []
    depots = []
    for munition in model.munitions:
        depot = _new_depot(env, munition, model.end_day)
        env.process(_production(env, munition, depot))
        env.process(_firing(env, munition, depot))
        depots.append(depot)
    env.run(until=model.end_day)
    for munition, depot in zip(model.munitions, depots, strict=True):
        runs.append(_munition_run(model, munition, depot))
    return RunResult(
        scenario_name=model.name,
        warning_days=model.warning_days,
        horizon_days=model.horizon_days,
        seed=model.seed,
        munitions=tuple(runs),
    )


def _new_depot(env: simpy.Environment, munition: CompiledMunition, days: int) -> Depot:
    stock = simpy.Container(env, init=munition.inventory)

    def zeros() -> IntArray:
        return np.zeros(days, dtype=np.int64)

    return Depot(stock, demanded=zeros(), fired=zeros(), delivered=zeros())


def _production(env: simpy.Environment, munition: CompiledMunition, depot: Depot) -> Process:
    """Deliver each lot into the depot at its time."""
    for time, size in zip(munition.lot_times.tolist(), munition.lot_sizes.tolist(), strict=True):
        yield UrgentTimeout(env, time - env.now)
        if size > 0:
            yield depot.stock.put(size)
            depot.delivered[int(time)] += size


def _firing(env: simpy.Environment, munition: CompiledMunition, depot: Depot) -> Process:
    """Fire each salvo from the depot; record demand, shots, and when the stock ran out."""
    for time, demand in zip(
        munition.salvo_times.tolist(), munition.salvo_demand.tolist(), strict=True
    ):
        yield env.timeout(time - env.now)
        day = int(time)
        depot.demanded[day] += demand
        wanted = demand + depot.unmet
        shot = min(wanted, int(depot.stock.level))
        if shot > 0:
            yield depot.stock.get(shot)
            depot.fired[day] += shot
        if shot < wanted and depot.depleted_at is None:  # wanted > 0 here
            depot.depleted_at = time
        depot.unmet = wanted - shot if munition.backlog else 0


def _munition_run(model: CompiledModel, munition: CompiledMunition, depot: Depot) -> MunitionRun:
    depleted = depot.depleted_at
    return MunitionRun(
        name=munition.name,
        warning_days=model.warning_days,
        initial_inventory=munition.inventory,
        days_to_depletion=None if depleted is None else depleted - model.warning_days,
        demanded=depot.demanded,
        fired=depot.fired,
        delivered=depot.delivered,
    )
