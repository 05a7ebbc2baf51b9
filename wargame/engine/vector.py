"""The vectorised engine: R replications of the SimPy model's rules at once.

It reads the same compiled schedules as the SimPy engine (model/compile.py, for a batch): numpy
bins each replication's lots on the salvo grid and lays the schedules out as arrays, and the
compiled core (engine/kernel.py) runs every replication through the same per-step rules as the
SimPy model, in parallel. Memory is (munitions, R) for the outcomes plus the schedules of the
batch; per-step paths only when asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from wargame.engine.kernel import run_batch
from wargame.engine.results import BatchRun, GroupBatch, MunitionBatch, salvo_days
from wargame.engine.serve import DEPLETED, GROUP_DEMANDED, SERVED, SHORT
from wargame.jit import first_call
from wargame.model.compile import BatchModel, BatchMunition
from wargame.model.peacetime import used_before_war
from wargame.model.rates import BoolArray, FloatArray, IntArray


@dataclass(frozen=True)
class _Deliveries:
    """A munition's lots on the salvo grid: (lots, R) steps and sizes, and (R,) totals."""

    time: FloatArray  # sim time each lot lands
    step: IntArray  # the salvo each lot lands before (steps: after the last; -1: not in the war)
    size: IntArray
    before_war: IntArray  # delivered before the war, less what peacetime use took
    after_last: IntArray  # landing after the last salvo, before the end
    in_conflict: IntArray
    foreign_in_conflict: IntArray  # of in_conflict: allies' lines' foreign share


def _deliveries(munition: BatchMunition, model: BatchModel) -> _Deliveries:
    """Own lots, then allies' foreign-share lots, as one list of lots."""
    size, n_steps = model.size, model.step_times.size

    def lots(times: FloatArray, sizes: IntArray) -> tuple[FloatArray, IntArray]:
        shaped = np.broadcast_to(times, (times.shape[0], size))
        return shaped, np.broadcast_to(sizes, shaped.shape)

    own_times, own_sizes = lots(munition.lot_times, munition.lot_sizes)
    foreign_times, foreign_sizes = lots(munition.foreign_times, munition.foreign_sizes)
    times = np.concatenate((own_times, foreign_times))
    sizes = np.concatenate((own_sizes, foreign_sizes))
    foreign = np.arange(times.shape[0])[:, None] >= own_times.shape[0]
    landed = times < model.end_day
    war = times >= model.warning_days
    step = np.searchsorted(model.step_times, times, side="left")
    return _Deliveries(
        time=times,
        step=np.where(landed & war, step, -1),
        size=sizes,
        before_war=np.where(landed & ~war, sizes, 0).sum(axis=0)
        - used_before_war(munition.peacetime_plan, munition.inventory, times, sizes),
        after_last=np.where(landed & war & (step == n_steps), sizes, 0).sum(axis=0),
        in_conflict=np.where(landed & war, sizes, 0).sum(axis=0),
        foreign_in_conflict=np.where(landed & war & foreign, sizes, 0).sum(axis=0),
    )


def _war_lots(deliveries: list[_Deliveries], n_steps: int, size: int) -> tuple[IntArray, IntArray]:
    """(N, R, lots) the step and size of each lot landing before a salvo of the war, packed to
    the front of each replication's row and padded with step -1: the only lots the core reads
    (earlier ones are in the stock at the war's start, later ones in `after_last`). A run of
    decades before a short war keeps a few of its hundreds of lots."""
    kept = [(d.step >= 0) & (d.step < n_steps) for d in deliveries]
    width = max([int(k.sum(axis=0).max(initial=0)) for k in kept] + [0])
    steps = np.full((len(deliveries), size, width), -1, dtype=np.int64)
    sizes = np.zeros((len(deliveries), size, width), dtype=np.int64)
    for i, (d, k) in enumerate(zip(deliveries, kept, strict=True)):
        row, lot = np.nonzero(k.T)  # by replication, then lot: each replication's in order
        counts = k.sum(axis=0)
        slot = np.arange(row.size) - (np.cumsum(counts) - counts)[row]
        steps[i, row, slot] = d.step[lot, row]
        sizes[i, row, slot] = d.size[lot, row]
    return steps, sizes


def _late(lots: _Deliveries, model: BatchModel) -> IntArray:
    """(steps, R): at a day's last salvo, what lands after it the same day (for day-end stock)."""
    size, n_steps = model.size, model.step_times.size
    day = np.floor(model.step_times)
    closes = np.append(day[1:] != day[:-1], True)  # the day's last salvo
    before = np.clip(lots.step - 1, 0, n_steps - 1)
    late = (lots.step > 0) & closes[before] & (np.floor(lots.time) == day[before])
    binned = np.zeros((size, n_steps), np.int64)  # replication-major, as the core reads it
    # whole missiles added in place (a float bincount over every cell took ten times as long)
    np.add.at(binned.reshape(-1), (np.arange(size) * n_steps + before)[late], lots.size[late])
    return binned.T


def run_vector(model: BatchModel, *, paths: bool = False) -> BatchRun:
    """Run every replication of `model`; `paths` also keeps per-step stock and shots."""
    size, n_steps, n = model.size, model.step_times.size, len(model.munitions)
    deliveries = [_deliveries(m, model) for m in model.munitions]

    def per_munition(arrays: list[IntArray]) -> IntArray:
        return np.array(np.stack([np.broadcast_to(a, (size,)) for a in arrays]), order="C")

    def schedule(arrays: list[IntArray], length: int) -> IntArray:  # (length, R) -> (N, R, length)
        if (
            len(arrays) == 1
            and arrays[0].shape == (length, size)
            and arrays[0].T.flags.c_contiguous
        ):
            return arrays[0].T[None]  # already replication-major: no copy
        out = np.empty((len(arrays), size, length), dtype=np.int64)
        for i, a in enumerate(arrays):
            out[i] = np.broadcast_to(a, (length, size)).T
        return out

    start = per_munition([m.inventory for m in model.munitions]) + per_munition(
        [d.before_war for d in deliveries]
    )
    fleet = _FleetArrays.of(model)
    lot_step, lot_size = _war_lots(deliveries, n_steps, size)
    plan = (
        schedule([g.demand for g in model.groups], n_steps),
        lot_step,
        lot_size,
        schedule([_late(d, model) for d in deliveries], n_steps)
        if paths
        else np.zeros((n, size, 0), np.int64),
        start,
        per_munition([d.after_last for d in deliveries]),
    )
    flags = (np.array(fleet.launched), np.floor(model.step_times).astype(np.int64))
    out = np.zeros((9, n, size), dtype=np.int64)
    out[DEPLETED] = -1  # the step each replication ran out (-1: never)
    width = max((len(g.members) for g in model.groups), default=0)
    out_groups = (
        np.zeros((3, len(model.groups), size), np.int64),
        np.zeros((len(model.groups), width, size), np.int64),
    )
    out_groups[0][SHORT] = -1
    out_fleet = (np.zeros((fleet.initial.shape[0], size), np.int64), np.zeros(size, np.int64))
    shape = (n_steps if paths else 0, n, size)
    served_shape = (n_steps if paths else 0, len(model.groups), size)
    recorded = (
        np.zeros(shape, np.int64),
        np.zeros(shape, np.int64),
        np.zeros(served_shape, np.int64),
    )
    hulls = fleet.slots > 0
    kind, what = (
        ("core-fleet", "the vector core with hulls") if hulls else ("core", "the vector core")
    )
    with first_call(kind, what):
        run_batch(
            plan,
            flags,
            _group_arrays(model, width),
            _transfer_arrays(model),
            fleet.port_ints,
            fleet.reload_rate,
            fleet.step_days,
            fleet.classes() if hulls else None,
            fleet.slots,
            out,
            out_groups,
            out_fleet,
            recorded,
        )
    depleted, demanded, fired, lost, launch_lost, ashore, afloat, moved_in, moved_out = out
    hulls_lost, limited_days = out_fleet
    fired_steps, stock, served_steps = recorded
    days = np.where(depleted >= 0, model.step_times[depleted] - model.warning_days, np.nan)
    closing = _each_day(salvo_days(model.step_times)[1], n_steps)
    runs = tuple(
        MunitionBatch(
            name=m.name,
            days_to_depletion=days[i],
            inventory_at_conflict_start=start[i],
            demanded=demanded[i],
            fired=fired[i],
            delivered=deliveries[i].in_conflict,
            lost_with_hulls=lost[i],
            launch_lost=launch_lost[i],
            end_ashore=ashore[i],
            end_afloat=afloat[i],
            received=deliveries[i].foreign_in_conflict + moved_in[i],
            sent=moved_out[i],
            stock=stock[closing, i] if paths else None,
            fired_per_step=fired_steps[:, i] if paths else None,
        )
        for i, m in enumerate(model.munitions)
    )
    has_fleet = model.fleet is not None
    return BatchRun(
        size=size,
        step_times=model.step_times,
        warning_days=model.warning_days,
        munitions=runs,
        class_names=model.fleet.class_names if model.fleet is not None else (),
        hulls_lost=hulls_lost if has_fleet else None,
        launcher_limited_days=limited_days if has_fleet else None,
        groups=_group_outcomes(model, out_groups, (plan[0], served_steps) if paths else None),
        join_steps=np.broadcast_to(model.joins, (len(model.munitions), size)),
    )


def _each_day(last: IntArray, steps: int) -> IntArray | slice:
    """The steps that close a day with a salvo, as an index: every step (a slice, so that
    indexing takes a view, not a copy of the paths) when each day has one salvo."""
    return slice(None) if last.size == steps else last


def _group_arrays(
    model: BatchModel, width: int
) -> tuple[IntArray, FloatArray, BoolArray, IntArray]:
    """The demand groups as the compiled core reads them: members (-1 pads), shots per demand,
    backlog, and each munition's join step per replication."""
    n_groups, size = len(model.groups), model.size
    members = np.full((n_groups, width), -1, dtype=np.int64)
    per = np.ones((n_groups, width))
    for g, group in enumerate(model.groups):
        members[g, : len(group.members)] = group.members
        per[g, : len(group.members)] = group.shots_per_demand
    backlog = np.array([g.backlog for g in model.groups], dtype=np.bool_)
    joins = np.array(np.broadcast_to(model.joins, (len(model.munitions), size)), order="C")
    return members, per, backlog, joins


def _transfer_arrays(model: BatchModel) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """The scheduled transfers as the compiled core reads them."""
    transfers, size = model.transfers, model.size
    if transfers is None:
        empty = np.zeros((0, size), np.int64)
        return empty, np.zeros(0, np.int64), np.zeros(0, np.int64), empty
    count = transfers.source.size

    def full(a: IntArray) -> IntArray:
        return np.array(np.broadcast_to(a, (count, size)), dtype=np.int64, order="C")

    return full(transfers.step), transfers.source, transfers.target, full(transfers.missiles)


def _group_outcomes(
    model: BatchModel,
    out_groups: tuple[IntArray, IntArray],
    steps: tuple[IntArray, IntArray] | None,
) -> tuple[GroupBatch, ...]:
    """Each group's (R,) outcomes from the compiled core's tallies; with `steps` (demand
    [g, r, step] and served [step, g, r]), also per day with a salvo (paths)."""
    summary, shots = out_groups
    daily = None
    if steps is not None:  # the steps of each day with a salvo summed: their first step onward
        last = salvo_days(model.step_times)[1]
        demand, served = np.moveaxis(steps[0], 2, 0), steps[1]
        daily = (demand, served)
        if last.size < model.step_times.size:  # a day with several salvos (else each step is)
            first = np.concatenate(([0], last[:-1] + 1))
            daily = (np.add.reduceat(demand, first, axis=0), np.add.reduceat(served, first, axis=0))
    names = [m.name for m in model.munitions]
    short = summary[SHORT]
    days = np.where(short >= 0, model.step_times[short] - model.warning_days, np.nan)
    return tuple(
        GroupBatch(
            label=group.label,
            mission=group.mission,
            nation=group.nation,
            members=tuple(names[i] for i in group.members),
            days_to_shortfall=days[g],
            demanded=summary[GROUP_DEMANDED, g],
            served=summary[SERVED, g],
            shots=shots[g, : len(group.members)],
            demanded_per_day=None if daily is None else daily[0][:, g],
            served_per_day=None if daily is None else daily[1][:, g],
        )
        for g, group in enumerate(model.groups)
    )


@dataclass(frozen=True)
class _FleetArrays:
    """The batch's fleet as the full, contiguous arrays the compiled core reads."""

    step_days: float
    launched: tuple[bool, ...]
    port_ints: IntArray  # (TRANSIT | BERTHS | OPENS, P, R)
    reload_rate: FloatArray  # (P, R)
    initial: IntArray  # (C, R)
    cells: IntArray  # (C, M, R)
    threshold: FloatArray  # (C, R)
    reload_ports: IntArray  # (C, most ports) port indices by preference, -1 pads
    losses: IntArray  # (C, R, steps), or (C, 1, steps) when every replication shares them
    arrivals: IntArray  # (C, R, steps), or (C, 1, steps)
    slots: int  # most hulls any replication ever has (0: no fleet)

    @classmethod
    def of(cls, model: BatchModel) -> _FleetArrays:
        """The fleet's arrays, or empty ones for a model without platforms."""
        size, n_steps, n = model.size, model.step_times.size, len(model.munitions)
        spec = model.fleet
        if spec is None:
            no_steps = np.zeros((0, size, n_steps), np.int64)
            return cls(
                1.0,
                (False,) * n,
                np.zeros((3, 0, size), np.int64),
                np.zeros((0, size)),
                np.zeros((0, size), np.int64),
                np.zeros((0, n, size), np.int64),
                np.zeros((0, size)),
                np.zeros((0, 1), np.int64),
                no_steps,
                no_steps,
                0,
            )

        def full(a: NDArray[Any], shape: tuple[int, ...]) -> NDArray[Any]:
            return np.array(np.broadcast_to(a, shape), order="C")  # a writable copy

        # (C, steps, R) as (C, R, steps) in one copy; losses or arrivals that every replication
        # shares stay (C, 1, steps), each on its own: the core reads row 0 for every replication.
        def by_replication(a: IntArray) -> IntArray:
            rows = size if a.ndim == 3 and a.shape[2] > 1 else 1
            out = np.empty((n_classes, rows, n_steps), np.int64)
            out[...] = np.broadcast_to(a, (n_classes, n_steps, rows)).transpose(0, 2, 1)
            return out

        n_ports, n_classes = len(spec.port_names), len(spec.class_names)
        per_port = (n_ports, size)
        initial = full(spec.initial_hulls, (n_classes, size))
        arrivals = by_replication(spec.arrivals)
        most = max(len(p) for p in spec.reload_ports)
        return cls(
            step_days=spec.step_days,
            launched=spec.launched,
            port_ints=np.stack(
                [
                    full(spec.transit_steps, per_port),
                    full(spec.berths, per_port),
                    full(spec.available_from_step, per_port),
                ]
            ),
            reload_rate=full(spec.reload_days_per_cell, per_port).astype(np.float64),
            initial=initial,
            cells=full(spec.cells, (n_classes, n, size)),
            threshold=full(spec.threshold, (n_classes, size)).astype(np.float64),
            reload_ports=np.array([[*p, *[-1] * (most - len(p))] for p in spec.reload_ports]),
            losses=by_replication(spec.losses),
            arrivals=arrivals,
            slots=int(np.max(initial.sum(axis=0) + arrivals.sum(axis=(0, 2)), initial=0)),
        )

    def classes(self) -> tuple[IntArray, IntArray, FloatArray, IntArray, IntArray, IntArray]:
        """The platform classes in the order the compiled core reads them."""
        return (
            self.initial,
            self.cells,
            self.threshold,
            self.reload_ports.astype(np.int64),
            self.losses,
            self.arrivals,
        )
