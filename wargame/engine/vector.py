"""The vectorised engine: R replications of the SimPy model's rules, one numpy step at a time.

It reads the same compiled schedules as the SimPy engine (model/compile.py, for a batch) and
follows the same order within a step: lots delivered since the last salvo, then the fleet (losses,
arrivals, departures, ports; engine/vector_fleet.py), then each munition's salvo. A salvo fires
what it can; if it falls short with the depot empty the munition has run out (the depletion
moment), otherwise launchers held it back. Memory is (munitions, R) plus the fleet's
(hull slots, R), and per-step paths only when asked for.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from wargame.engine.results import LIMIT_INVENTORY, LIMIT_LAUNCHERS, LIMIT_NONE
from wargame.engine.vector_fleet import VectorFleet
from wargame.model.compile import BatchModel, BatchMunition
from wargame.model.rates import FloatArray, IntArray


@dataclass(frozen=True)
class MunitionBatch:
    """One munition in every replication: (R,) totals over the conflict, paths if recorded."""

    name: str
    days_to_depletion: FloatArray  # from the conflict start; NaN where it never ran out
    inventory_at_conflict_start: IntArray
    demanded: IntArray
    fired: IntArray
    delivered: IntArray
    lost_with_hulls: IntArray
    launch_lost: IntArray  # demanded shots left unfired for want of launchers
    end_ashore: IntArray
    end_afloat: IntArray
    stock: IntArray | None = None  # (steps, R) ashore and afloat after each salvo
    fired_per_step: IntArray | None = None  # (steps, R)

    @property
    def shortfall(self) -> IntArray:
        """Demanded shots never fired within the horizon."""
        return self.demanded - self.fired

    @property
    def end_inventory(self) -> IntArray:
        """Stock at the end of the horizon, ashore and in cells."""
        return self.end_ashore + self.end_afloat


@dataclass(frozen=True)
class BatchRun:
    """A batch of replications: per munition, and for the fleet, (R,) outcomes."""

    size: int
    step_times: FloatArray
    warning_days: int
    munitions: tuple[MunitionBatch, ...]
    class_names: tuple[str, ...] = ()
    hulls_lost: IntArray | None = None  # (classes, R)
    launcher_limited_days: IntArray | None = None  # (R,) conflict days held back by launchers


@dataclass(frozen=True)
class _Deliveries:
    """A munition's lots binned on the salvo grid, (R,) or (steps, R)."""

    before_war: IntArray
    per_step: IntArray  # landing after the previous salvo, up to and at this one
    after_last: IntArray  # landing after the last salvo, before the end
    in_conflict: IntArray


def _deliveries(munition: BatchMunition, model: BatchModel) -> _Deliveries:
    size, n_steps = model.size, model.step_times.size
    times = np.broadcast_to(munition.lot_times, (munition.lot_times.shape[0], size))
    sizes = np.broadcast_to(munition.lot_sizes, times.shape)
    landed = times < model.end_day
    war = times >= model.warning_days
    step = np.searchsorted(model.step_times, times, side="left")
    cell = (step * size + np.arange(size))[landed & war]
    binned = np.bincount(cell, weights=sizes[landed & war], minlength=(n_steps + 1) * size)
    per_step = binned.reshape(n_steps + 1, size).round().astype(np.int64)
    return _Deliveries(
        before_war=np.where(landed & ~war, sizes, 0).sum(axis=0),
        per_step=per_step[:n_steps],
        after_last=per_step[n_steps],
        in_conflict=np.where(landed & war, sizes, 0).sum(axis=0),
    )


class _Campaign:
    """Depots, backlogs and ledgers of every munition across the batch, while it runs."""

    def __init__(self, model: BatchModel, paths: bool) -> None:
        self.model, size = model, model.size
        n = len(model.munitions)
        self.deliveries = [_deliveries(m, model) for m in model.munitions]
        inventory = [np.broadcast_to(m.inventory, (size,)) for m in model.munitions]
        self.initial = np.stack(inventory).astype(np.int64)
        self.depots = self.initial + np.stack([d.before_war for d in self.deliveries])
        self.start = self.depots.copy()

        def zeros() -> IntArray:
            return np.zeros((n, size), dtype=np.int64)

        self.unmet, self.demanded, self.fired = zeros(), zeros(), zeros()
        self.lost, self.launch_lost, self.day_limit = zeros(), zeros(), zeros()
        self.depleted = np.full((n, size), -1, dtype=np.int64)
        self.limited_days = np.zeros(size, dtype=np.int64)
        self.fleet = None
        launched = (False,) * n
        if model.fleet is not None:
            self.fleet = VectorFleet(model.fleet, size, self.depots)
            launched = model.fleet.launched
        self.launched = launched
        shape = (model.step_times.size, n, size)
        self.stock = np.zeros(shape, dtype=np.int64) if paths else None
        self.fired_steps = np.zeros(shape, dtype=np.int64) if paths else None

    def step(self, k: int) -> None:
        """Step k: deliveries, then the fleet in phase order, then every salvo."""
        self.depots += np.stack([d.per_step[k] for d in self.deliveries])
        fleet = self.fleet
        if fleet is not None:
            if k == 0:
                fleet.load_out()
            fleet.lose(k)
            self.lost += fleet.lost_missiles
            fleet.arrive(k)
            fleet.depart(k)
            fleet.work_ports(k)
        for i, munition in enumerate(self.model.munitions):
            self._salvo(i, munition, k)
        if self.stock is not None:
            self.stock[k] = self.depots + self._afloat()

    def _salvo(self, i: int, munition: BatchMunition, k: int) -> None:
        demand = munition.salvo_demand[k]
        wanted = demand + self.unmet[i]
        if self.launched[i] and self.fleet is not None:
            shot = self.fleet.fire(i, wanted)[0]
        else:
            shot = np.minimum(wanted, self.depots[i])
            self.depots[i] -= shot
        short = shot < wanted
        out = self.depots[i] == 0
        first = short & out & (self.depleted[i] < 0)
        self.depleted[i] = np.where(first, k, self.depleted[i])
        by_launchers = short & ~out
        self.launch_lost[i] += np.where(by_launchers, np.maximum(0, wanted - shot - self.unmet[i]), 0)
        limit = np.where(short, np.where(out, LIMIT_INVENTORY, LIMIT_LAUNCHERS), LIMIT_NONE)
        self.day_limit[i] = np.maximum(self.day_limit[i], limit)
        self.unmet[i] = wanted - shot if munition.backlog else 0
        self.demanded[i] += demand
        self.fired[i] += shot
        if self.fired_steps is not None:
            self.fired_steps[k, i] = shot

    def close_day(self) -> None:
        """A day held back by launchers: any munition whose worst salvo that day was launchers."""
        self.limited_days += np.any(self.day_limit == LIMIT_LAUNCHERS, axis=0)
        self.day_limit[:] = LIMIT_NONE

    def _afloat(self) -> IntArray:
        if self.fleet is None:
            return np.zeros_like(self.depots)
        return np.stack([self.fleet.afloat(i) for i in range(len(self.launched))])

    def result(self) -> BatchRun:
        """The batch's outcomes once every step has run."""
        model = self.model
        self.depots += np.stack([d.after_last for d in self.deliveries])
        afloat = self._afloat()
        days = np.where(
            self.depleted >= 0, model.step_times[self.depleted] - model.warning_days, np.nan
        )
        runs = tuple(
            MunitionBatch(
                name=m.name,
                days_to_depletion=days[i],
                inventory_at_conflict_start=self.start[i],
                demanded=self.demanded[i],
                fired=self.fired[i],
                delivered=self.deliveries[i].in_conflict,
                lost_with_hulls=self.lost[i],
                launch_lost=self.launch_lost[i],
                end_ashore=self.depots[i],
                end_afloat=afloat[i],
                stock=None if self.stock is None else self.stock[:, i],
                fired_per_step=None if self.fired_steps is None else self.fired_steps[:, i],
            )
            for i, m in enumerate(model.munitions)
        )
        fleet = self.fleet
        return BatchRun(
            size=model.size,
            step_times=model.step_times,
            warning_days=model.warning_days,
            munitions=runs,
            class_names=() if model.fleet is None else model.fleet.class_names,
            hulls_lost=None if fleet is None else fleet.hulls_lost,
            launcher_limited_days=None if fleet is None else self.limited_days,
        )


def run_vector(model: BatchModel, *, paths: bool = False) -> BatchRun:
    """Run every replication of `model` at once; `paths` also keeps per-step stock and shots."""
    campaign = _Campaign(model, paths)
    days = np.floor(model.step_times).astype(np.int64)
    for k in range(model.step_times.size):
        campaign.step(k)
        if k + 1 == days.size or days[k + 1] != days[k]:
            campaign.close_day()
    return campaign.result()
