"""The SimPy discrete-event model: the reference engine.

Each munition has a depot (its stock ashore), a production process that delivers lots into it and
a firing process that fires its salvos. A munition no platform carries fires straight from its
depot; one that platforms carry fires only from loaded cells on station (engine/fleet.py), and the
depot refills the cells of hulls that come back to port. A salvo fires what it can. Its unmet
demand is for want of missiles when the depot is empty, else for want of launchers; the first
salvo short for want of missiles marks the depletion moment. Within an instant, events keep the
phase order of engine/phases.py, so a lot that lands at time t can be fired at time t.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass

import numpy as np
import simpy
from simpy.events import Event

from wargame.engine.fleet import Fleet
from wargame.engine.phases import DELIVER, SALVO, TRANSFER, At
from wargame.engine.results import (
    LIMIT_INVENTORY,
    LIMIT_LAUNCHERS,
    BatchRun,
    FleetRun,
    GroupRun,
    MunitionBatch,
    MunitionRun,
    RunResult,
    salvo_days,
    stack_groups,
)
from wargame.model.compile import BatchModel, CompiledModel, CompiledMunition
from wargame.model.missions import BatchGroup, Transfers, shots_for, units_within
from wargame.model.rates import FloatArray, IntArray

Process = Generator[Event, object, None]


@dataclass
class Ledger:
    """A munition's per-day records (sim days) and per-step limits while the model runs."""

    demanded: IntArray
    fired: IntArray
    delivered: IntArray  # own lots and allies' foreign-share lots
    peacetime_used: IntArray
    lost_with_hulls: IntArray
    launch_lost: IntArray
    foreign_in: IntArray  # of `delivered`: lots of allies' lines' foreign share
    transfer_in: IntArray
    transfer_out: IntArray
    limits: IntArray  # per conflict step: none, launchers or inventory
    depleted_at: float | None = None  # sim time of the first salvo short of missiles


def _new_ledger(days: int, n_steps: int) -> Ledger:
    def zeros(n: int) -> IntArray:
        return np.zeros(n, dtype=np.int64)

    demanded, fired, delivered, used, lost, launch_lost, foreign, moved_in, moved_out = (
        zeros(days) for _ in range(9)
    )
    return Ledger(
        demanded,
        fired,
        delivered,
        used,
        lost,
        launch_lost,
        foreign,
        moved_in,
        moved_out,
        zeros(n_steps),
    )


@dataclass
class GroupLedger:
    """A demand group's per-day records (sim days) while the model runs."""

    demanded: IntArray  # new demanded shots per day
    served: IntArray  # demanded shots served per day
    shots: IntArray  # (members, days) shots fired by each listed munition
    short_at: float | None = None  # sim time of the first salvo not served in full
    unmet: int = 0  # backlog carried forward (only when the group keeps one)


class Theater:
    """The depots, the lines that fill them, the salvos that empty them, and the fleet between."""

    def __init__(self, env: simpy.Environment, model: CompiledModel) -> None:
        self.env, self.model = env, model
        days, n_steps = model.end_day, model.step_times.size
        self.levels = [m.inventory for m in model.munitions]  # depot stock ashore
        self.ledgers = [_new_ledger(days, n_steps) for _ in model.munitions]
        self.groups = [
            GroupLedger(
                np.zeros(days, np.int64),
                np.zeros(days, np.int64),
                np.zeros((len(g.members), days), np.int64),
            )
            for g in model.groups
        ]
        self.fleet = None
        if model.fleet is not None:
            lost = [ledger.lost_with_hulls for ledger in self.ledgers]
            self.fleet = Fleet(env, model.fleet, model.step_times, self.levels, lost)
        for i, munition in enumerate(model.munitions):
            env.process(self._production(i, munition.lot_times, munition.lot_sizes, False))
            env.process(self._production(i, munition.foreign_times, munition.foreign_sizes, True))
            env.process(self._peacetime(i, munition))
        if model.transfers is not None and model.transfers.source.size:
            env.process(self._transfers(model.transfers))
        env.process(self._salvos())

    def _production(self, i: int, times: FloatArray, sizes: IntArray, foreign: bool) -> Process:
        """Deliver each lot into the depot at its time (`foreign`: an ally's line's share)."""
        for time, size in zip(times.tolist(), sizes.tolist(), strict=True):
            if size > 0:
                yield At(self.env, time, DELIVER)
                self.levels[i] += size
                self.ledgers[i].delivered[int(time)] += size
                if foreign:
                    self.ledgers[i].foreign_in[int(time)] += size

    def _transfers(self, transfers: Transfers) -> Process:
        """Move missiles between depots at their steps, after the lots, in the order given."""
        step_times = self.model.step_times.tolist()
        order = np.argsort(transfers.step[:, 0], kind="stable").tolist()
        for t in order:
            k = int(transfers.step[t, 0])
            if k >= len(step_times):
                continue
            yield At(self.env, step_times[k], TRANSFER)
            source, target = int(transfers.source[t]), int(transfers.target[t])
            moved = min(int(transfers.missiles[t, 0]), self.levels[source])
            self.levels[source] -= moved
            self.levels[target] += moved
            day = int(step_times[k])
            self.ledgers[source].transfer_out[day] += moved
            self.ledgers[target].transfer_in[day] += moved

    def _peacetime(self, i: int, munition: CompiledMunition) -> Process:
        """Draw each pre-war day's tests and training at the day's start, after its lots, from
        what the depot holds (never below zero; use that finds it empty is skipped)."""
        for day, planned in enumerate(munition.peacetime_plan.tolist()):
            if planned > 0:
                yield At(self.env, float(day), SALVO)
                used = min(planned, self.levels[i])
                self.levels[i] -= used
                self.ledgers[i].peacetime_used[day] += used

    def _salvos(self) -> Process:
        """At each salvo, serve every demand group in order (model/missions.py)."""
        for k, time in enumerate(self.model.step_times.tolist()):
            yield At(self.env, time, SALVO)
            for g, group in enumerate(self.model.groups):
                self._serve(g, group, k, time)

    def _serve(self, g: int, group: BatchGroup, k: int, time: float) -> None:
        """Serve one group's salvo from its munitions in order; record who fired what."""
        ledger, day = self.groups[g], int(time)
        new = int(group.demand[k, 0])
        ledger.demanded[day] += new
        carried = ledger.unmet  # the backlog part of what is asked, served first
        remaining = new + carried
        for j, (i, per) in enumerate(zip(group.members, group.shots_per_demand, strict=True)):
            if remaining == 0:
                break
            if k < self.model.joins[i, 0]:
                continue  # its nation has not joined
            shot, units = self._fire(i, remaining, carried, per, k, time)
            ledger.shots[j, day] += shot
            carried -= min(carried, units)
            remaining -= units
        ledger.served[day] += new + ledger.unmet - remaining
        if remaining > 0 and ledger.short_at is None:
            ledger.short_at = time
        ledger.unmet = remaining if group.backlog else 0

    def _fire(
        self, i: int, remaining: int, carried: int, per: float, k: int, time: float
    ) -> tuple[int, int]:
        """Munition i serves what it can of `remaining` demanded shots at `per` shots each;
        the shots fired and the demanded shots served."""
        ledger, day = self.ledgers[i], int(time)
        launched = self.fleet is not None and self.model.fleet is not None
        launched = launched and self.model.fleet.launched[i]  # type: ignore[union-attr]
        asked = shots_for(remaining, per)
        can = self.fleet.on_station(i, k) if launched else self.levels[i]  # type: ignore[union-attr]
        units = remaining if asked <= can else units_within(can, per)
        wanted = shots_for(units, per)
        if launched:
            shot = self.fleet.fire(i, wanted, k)  # type: ignore[union-attr]
        else:
            shot = wanted
            self.levels[i] -= shot
        ledger.demanded[day] += shots_for(remaining - carried, per)
        ledger.fired[day] += shot
        if units < remaining:
            self._short(
                ledger, k, time, day, asked - shot, shots_for(carried, per), out=self.levels[i] == 0
            )
        return shot, units

    def _short(
        self, ledger: Ledger, k: int, time: float, day: int, unmet: int, carried: int, *, out: bool
    ) -> None:
        """Record a short salvo: for want of missiles when the depot is empty, else launchers."""
        if out:
            ledger.limits[k] = LIMIT_INVENTORY
            if ledger.depleted_at is None:
                ledger.depleted_at = time
        else:
            ledger.limits[k] = LIMIT_LAUNCHERS
            ledger.launch_lost[day] += max(0, unmet - carried)  # new demand left unfired

    def results(self) -> RunResult:
        """The run's results, once the environment has run to the end."""
        model = self.model
        runs = tuple(
            MunitionRun(
                name=munition.name,
                warning_days=model.warning_days,
                initial_inventory=munition.inventory,
                days_to_depletion=_conflict_day(ledger.depleted_at, model.warning_days),
                demanded=ledger.demanded,
                fired=ledger.fired,
                delivered=ledger.delivered,
                peacetime_used=ledger.peacetime_used,
                lost_with_hulls=ledger.lost_with_hulls,
                launch_lost=ledger.launch_lost,
                limits=ledger.limits,
                end_ashore=self.levels[i],
                end_afloat=0 if self.fleet is None else self.fleet.afloat(i),
                foreign_in=ledger.foreign_in,
                transfer_in=ledger.transfer_in,
                transfer_out=ledger.transfer_out,
            )
            for i, (munition, ledger) in enumerate(zip(model.munitions, self.ledgers, strict=True))
        )
        names = [m.name for m in model.munitions]
        groups = tuple(
            GroupRun(
                label=group.label,
                mission=group.mission,
                nation=group.nation,
                members=tuple(names[i] for i in group.members),
                days_to_shortfall=_conflict_day(ledger.short_at, model.warning_days),
                demanded=ledger.demanded,
                served=ledger.served,
                shots=ledger.shots,
            )
            for group, ledger in zip(model.groups, self.groups, strict=True)
        )
        fleet = None
        if self.fleet is not None and model.fleet is not None:
            log = self.fleet.log
            fleet = FleetRun(
                classes=tuple(c.name for c in model.fleet.classes),
                ports=tuple(p.name for p in model.fleet.ports),
                step_days=model.step_times - model.warning_days,
                alive=log.alive,
                on_station=log.on_station,
                capacity=log.capacity,
                waiting=log.waiting,
                reloading=log.reloading,
                hulls_lost=log.hulls_lost,
            )
        return RunResult(
            model.name,
            model.warning_days,
            model.horizon_days,
            model.seed,
            model.step_times,
            runs,
            fleet,
            groups,
        )


def _conflict_day(time: float | None, warning_days: int) -> float | None:
    """Sim time as a day of the conflict (None stays None: it never happened)."""
    return None if time is None else time - warning_days


def run_des(model: CompiledModel) -> RunResult:
    """Run `model` once, deterministically, and return its results."""
    env = simpy.Environment()
    theater = Theater(env, model)
    env.run(until=model.end_day)
    return theater.results()


def run_des_batch(model: BatchModel, *, paths: bool = False) -> BatchRun:
    """Run each replication of `model` alone with the SimPy engine; outcomes as for a batch."""
    runs = [run_des(model.replication(r)) for r in range(model.size)]
    days, _ = salvo_days(model.step_times)

    def each(pick: Callable[[MunitionRun], float | int | None], i: int) -> FloatArray:
        values = [pick(run.munitions[i]) for run in runs]
        return np.array([np.nan if v is None else v for v in values])

    def counts(pick: Callable[[MunitionRun], int], i: int) -> IntArray:
        return each(pick, i).astype(np.int64)

    munitions = tuple(
        MunitionBatch(
            name=m.name,
            days_to_depletion=each(lambda run: run.days_to_depletion, i),
            inventory_at_conflict_start=counts(lambda run: run.inventory_at_conflict_start, i),
            demanded=counts(lambda run: run.total_demanded, i),
            fired=counts(lambda run: run.total_fired, i),
            delivered=counts(lambda run: run.total_delivered, i),
            lost_with_hulls=counts(lambda run: run.total_lost_with_hulls, i),
            launch_lost=counts(lambda run: run.total_launch_lost, i),
            end_ashore=counts(lambda run: run.end_ashore, i),
            end_afloat=counts(lambda run: run.end_afloat, i),
            received=counts(lambda run: run.total_received, i),
            sent=counts(lambda run: run.total_sent, i),
            stock=np.stack([run.munitions[i].inventory[days] for run in runs], 1)
            if paths
            else None,
        )
        for i, m in enumerate(model.munitions)
    )
    fleets = [run.fleet for run in runs if run.fleet is not None]
    return BatchRun(
        size=model.size,
        step_times=model.step_times,
        warning_days=model.warning_days,
        munitions=munitions,
        class_names=fleets[0].classes if fleets else (),
        hulls_lost=np.stack([f.hulls_lost for f in fleets], 1) if fleets else None,
        launcher_limited_days=(
            np.array([run.launcher_limited().sum() for run in runs]) if fleets else None
        ),
        groups=stack_groups(runs, days if paths else None),
        join_steps=np.broadcast_to(model.joins, (len(model.munitions), model.size)),
    )
