"""Results: frozen, plain data (numpy arrays and numbers) that engines return and outputs read.

Daily arrays are indexed by sim day d (the day [d, d + 1) counted from the decision day); the
conflict day is d - warning_days. Totals count the conflict only; pre-war deliveries are in the
conflict-start stock.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from wargame.model.rates import FloatArray, IntArray

# What limited a salvo (MunitionRun.limits): nothing, loaded cells on station, or missiles.
LIMIT_NONE, LIMIT_LAUNCHERS, LIMIT_INVENTORY = 0, 1, 2
LIMIT_NAMES = ("none", "launchers", "inventory")


@dataclass(frozen=True)
class MunitionRun:
    """One munition's run: per-day flows, the stock at each day's end, and the depletion moment."""

    name: str
    warning_days: int
    initial_inventory: int  # stock on the decision day
    days_to_depletion: float | None  # from the conflict start; None if never within the horizon
    demanded: IntArray  # shots demanded per sim day (new demand, backlog not re-counted)
    fired: IntArray  # shots fired per sim day
    delivered: IntArray  # missiles delivered to US stocks per sim day
    peacetime_used: IntArray  # missiles drawn for tests and training per sim day (pre-war only)
    lost_with_hulls: IntArray  # missiles sunk in the cells of lost hulls per sim day
    launch_lost: IntArray  # demanded shots left unfired for want of launchers per sim day
    limits: IntArray  # per conflict step (salvo): LIMIT_NONE, LIMIT_LAUNCHERS or LIMIT_INVENTORY
    end_ashore: int  # missiles in the depot at the end, as the engine counted them
    end_afloat: int  # missiles in the cells of surviving hulls at the end
    foreign_in: IntArray  # of `delivered`, per sim day: lots of allies' lines' foreign share
    transfer_in: IntArray  # missiles transferred in per sim day
    transfer_out: IntArray  # missiles transferred out per sim day

    @property
    def inventory(self) -> IntArray:
        """Stock at the end of each sim day, ashore and in cells."""
        return self.initial_inventory + np.cumsum(
            self.delivered
            + self.transfer_in
            - self.transfer_out
            - self.peacetime_used
            - self.fired
            - self.lost_with_hulls
        )

    @property
    def total_received(self) -> int:
        """Missiles from other nations during the conflict: allies' lots and transfers in."""
        return self._conflict_total(self.foreign_in + self.transfer_in)

    @property
    def total_sent(self) -> int:
        """Missiles transferred to other nations during the conflict."""
        return self._conflict_total(self.transfer_out)

    @property
    def inventory_at_conflict_start(self) -> int:
        """Stock when the conflict starts: the decision-day stock plus pre-war deliveries, less
        pre-war peacetime use."""
        if self.warning_days == 0:
            return self.initial_inventory
        return int(self.inventory[self.warning_days - 1])  # nothing is fired or moved before

    @property
    def total_peacetime_use(self) -> int:
        """Missiles drawn for tests and training before the conflict."""
        return int(np.sum(self.peacetime_used))

    def _conflict_total(self, series: IntArray) -> int:
        return int(np.sum(series[self.warning_days :]))

    @property
    def total_demanded(self) -> int:
        """Shots demanded during the conflict."""
        return self._conflict_total(self.demanded)

    @property
    def total_fired(self) -> int:
        """Shots fired during the conflict."""
        return self._conflict_total(self.fired)

    @property
    def total_delivered(self) -> int:
        """Missiles delivered during the conflict."""
        return self._conflict_total(self.delivered)

    @property
    def shortfall(self) -> int:
        """Demanded shots never fired within the horizon (lost, or still in backlog at the end)."""
        return self.total_demanded - self.total_fired

    @property
    def total_lost_with_hulls(self) -> int:
        """Missiles lost with their hulls."""
        return int(np.sum(self.lost_with_hulls))

    @property
    def total_launch_lost(self) -> int:
        """Demanded shots left unfired for want of launchers."""
        return int(np.sum(self.launch_lost))

    @property
    def end_inventory(self) -> int:
        """Stock at the end of the horizon, ashore and in cells."""
        return int(self.inventory[-1])

    def daily_limits(self, step_times: FloatArray) -> IntArray:
        """What limited each sim day's salvos: the worst of the day (inventory over launchers)."""
        daily = np.zeros(self.demanded.size, dtype=np.int64)
        np.maximum.at(daily, step_times.astype(np.int64), self.limits)
        return daily


@dataclass(frozen=True)
class FleetRun:
    """The fleet step by step: arrays indexed [class | munition | port, conflict step]."""

    classes: tuple[str, ...]
    ports: tuple[str, ...]
    step_days: FloatArray  # conflict day of each step
    alive: IntArray  # hulls afloat per class
    on_station: IntArray  # hulls on station per class
    capacity: IntArray  # loaded cells on station per munition at each salvo, before it fires
    waiting: IntArray  # hulls queued for a berth per port
    reloading: IntArray  # busy berths per port
    hulls_lost: IntArray  # per class over the run


@dataclass(frozen=True)
class GroupRun:
    """A demand group's run (model/missions.py): per sim day, and its first short salvo."""

    label: str
    mission: str | None
    nation: str | None
    members: tuple[str, ...]  # munition names in order of preference
    days_to_shortfall: float | None  # conflict day of the first salvo not served in full
    demanded: IntArray  # new demanded shots per sim day
    served: IntArray  # demanded shots served per sim day
    shots: IntArray  # (members, sim days) shots each listed munition fired for it


@dataclass(frozen=True)
class GroupBatch:
    """A demand group in every replication: (R,) outcomes."""

    label: str
    mission: str | None
    nation: str | None
    members: tuple[str, ...]
    days_to_shortfall: FloatArray  # NaN where it was always served in full
    demanded: IntArray
    served: IntArray
    shots: IntArray  # (members, R)
    # per day with a salvo (days, kept replications), with paths: new demanded shots, served
    demanded_per_day: IntArray | None = None
    served_per_day: IntArray | None = None


@dataclass(frozen=True)
class RunResult:
    """A whole run: one MunitionRun per munition, in scenario order."""

    scenario_name: str
    warning_days: int
    horizon_days: int
    seed: int
    step_times: FloatArray  # sim time of each conflict step (salvo)
    munitions: tuple[MunitionRun, ...]
    fleet: FleetRun | None = None
    groups: tuple[GroupRun, ...] = ()

    def launcher_limited(self) -> NDArray[np.bool_]:
        """Per conflict day: whether any munition's worst salvo that day was launcher-limited."""
        days = np.zeros(self.horizon_days, dtype=bool)
        for run in self.munitions:
            days |= run.daily_limits(self.step_times)[self.warning_days :] == LIMIT_LAUNCHERS
        return days


# MunitionBatch's (R,) outcome arrays: what a batch keeps of every replication.
BATCH_OUTCOMES = (
    "days_to_depletion",
    "inventory_at_conflict_start",
    "demanded",
    "fired",
    "delivered",
    "lost_with_hulls",
    "launch_lost",
    "end_ashore",
    "end_afloat",
    "received",
    "sent",
)


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
    received: IntArray  # from other nations during the conflict (allies' lots, transfers in)
    sent: IntArray  # transferred to other nations during the conflict
    stock: IntArray | None = None  # (days with a salvo, R) ashore and afloat at the day's end
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
    groups: tuple[GroupBatch, ...] = ()
    join_steps: IntArray | None = None  # (M, R) the step each munition's nation joins


def salvo_days(step_times: FloatArray) -> tuple[IntArray, IntArray]:
    """The sim days with a salvo, and the index of each one's last salvo."""
    day = np.floor(step_times).astype(np.int64)
    last = np.nonzero(np.append(day[1:] != day[:-1], True))[0]
    return day[last], last


def stack_groups(runs: list[RunResult], days: IntArray | None = None) -> tuple[GroupBatch, ...]:
    """The demand groups of single runs (replications, in order) as a batch's outcomes; with
    `days` (the sim days with a salvo), their demand and service on those days too."""
    if not runs:
        return ()
    out = []
    for g, first in enumerate(runs[0].groups):
        each = [run.groups[g] for run in runs]
        warning = runs[0].warning_days
        out.append(
            GroupBatch(
                label=first.label,
                mission=first.mission,
                nation=first.nation,
                members=first.members,
                days_to_shortfall=np.array(
                    [np.nan if x.days_to_shortfall is None else x.days_to_shortfall for x in each]
                ),
                demanded=np.array([int(x.demanded[warning:].sum()) for x in each], np.int64),
                served=np.array([int(x.served[warning:].sum()) for x in each], np.int64),
                shots=np.array([x.shots[:, warning:].sum(axis=1) for x in each], np.int64).T,
                demanded_per_day=None
                if days is None
                else np.stack([x.demanded[days] for x in each], 1),
                served_per_day=None
                if days is None
                else np.stack([x.served[days] for x in each], 1),
            )
        )
    return tuple(out)
