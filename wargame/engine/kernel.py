"""The vectorised engine's compiled core: every replication of a batch through the SimPy rules.

numba compiles these loops to machine code (cached on disk after the first run) and runs the
replications on all cores. Each replication keeps a handful of small arrays (its depots and its
hulls) and walks the salvo grid in the SimPy model's phase order (engine/phases.py): lots,
load-out, losses, arrivals, reinforcements, departures, ports, salvos. Hulls are numbered as the
SimPy model numbers them, so "lowest id first" is "lowest row first". Pure: arrays in, arrays out.

Arrays (built in engine/vector.py), with r the replication:
    plan      demand [g, r, step] per demand group; late [m, r, step]; lot_step, lot_size
              [m, r, lot] (step -1: not in the war); start, after_last [m, r]
    flags     launched [m]; step_day (steps,): the sim day of each salvo
    groups    members [g, j] (-1 pads), shots per demand [g, j], backlog [g]; joins [m, r]
    transfers step [t, r], source [t], target [t], missiles [t, r]
    port_ints [TRANSIT | BERTHS | OPENS, port, r]; reload_rate [port, r] (days per cell)
    classes   initial [c, r]; cells [c, m, r]; threshold [c, r]; reload_ports [c, i] (-1 pads);
              losses, arrivals [c, r, step] (r only 0 when every replication shares them)
    out       depleted, demanded, fired, lost, launch_lost, ashore, afloat, transfer in and
              out [m, r]; groups: short step, demanded, served [g, r] and shots [g, j, r];
              hulls_lost [c, r]; limited_days (r,); stock, fired_steps [step, m, r] and the
              groups' demanded shots served [step, g, r] (paths)
    one replication's hulls: hull [h, WHERE | CLASS | PORT | WHEN | CHECK]; loaded, cells [h, m],
              and their bookkeeping (engine/events.py)
"""

from __future__ import annotations

import numpy as np
from numba import prange

from wargame.engine.events import ABOARD, COLUMNS, ON_STATION, QUEUED, STATION, enqueue
from wargame.engine.hulls import (
    arrive,
    choose,
    depart,
    load,
    lose,
    new_hull,
    take_station,
    work_ports,
)
from wargame.engine.results import LIMIT_INVENTORY, LIMIT_LAUNCHERS, LIMIT_NONE
from wargame.engine.serve import (
    AFLOAT,
    ASHORE,
    DEMANDED,
    DEPLETED,
    FIRED,
    GROUP_DEMANDED,
    LAUNCH_LOST,
    SERVED,
    SHORT,
    fire_from_station,
    transfer,
)
from wargame.engine.serve import shots as shots_for
from wargame.engine.serve import units as units_within
from wargame.jit import compiled
from wargame.model.rates import BoolArray, FloatArray, IntArray


@compiled(parallel=True)
def run_batch(
    plan: tuple[IntArray, IntArray, IntArray, IntArray, IntArray, IntArray],
    flags: tuple[BoolArray, IntArray],
    groups: tuple[IntArray, FloatArray, BoolArray, IntArray],
    transfers: tuple[IntArray, IntArray, IntArray, IntArray],
    port_ints: IntArray,
    reload_rate: FloatArray,
    step_days: float,
    classes: tuple[IntArray, IntArray, FloatArray, IntArray, IntArray, IntArray] | None,
    slots: int,
    out_munitions: IntArray,
    out_groups: tuple[IntArray, IntArray],
    out_fleet: tuple[IntArray, IntArray],
    paths: tuple[IntArray, IntArray, IntArray],
) -> None:
    """Run every replication; results go to the `out_*` arrays, and to `paths` unless empty.

    `paths` gets the shots of every salvo, the stock at the end of each day with a salvo, and
    each group's demanded shots served at every salvo.
    `classes` is None for a scenario without hulls: numba then compiles a core without the
    hulls' phases (the branch is pruned when typed), much quicker to build on first use.
    """
    record = paths[0].size > 0
    demand, lot_step, lot_size, late, start, after_last = plan
    launched, step_day = flags
    members, per_shot, group_backlog, joins = groups
    transfer_source = transfers[1]
    group_summary, group_shots_out = out_groups
    hulls_lost, limited_days = out_fleet
    n_munitions = start.shape[0]
    n_groups, size, n_steps = demand.shape
    if classes is not None:  # unpacked once: each unpacking takes a reference per array
        initial, cells, threshold, reload_ports, losses, arrivals = classes
        # each replication's row of losses and of arrivals: its own, or row 0 shared (vector.py)
        loss_rows = np.arange(size) if losses.shape[1] > 1 else np.zeros(size, np.int64)
        arrival_rows = np.arange(size) if arrivals.shape[1] > 1 else np.zeros(size, np.int64)
    for r in prange(size):  # replications are independent: each thread takes its own
        depot = start[:, r].copy()
        tally = out_munitions[
            :, :, r
        ].copy()  # this replication's outcomes, written back at the end
        unmet = np.zeros(n_groups, np.int64)
        day_limit = np.zeros(n_munitions, np.int64)
        hull = np.zeros((slots, COLUMNS), np.int64)
        loaded = np.zeros((slots, n_munitions), np.int64)
        hull_cells = np.zeros((slots, n_munitions), np.int64)
        due = np.full((2, n_steps if slots > 0 else 0), -1, np.int64)  # engine/events.py
        lists = np.zeros((2, slots), np.int64)  # to check, finishing (engine/events.py)
        book = np.zeros(2, np.int64)  # the lists' lengths
        queue = np.zeros((port_ints.shape[1], slots), np.int64)  # each port's queue, a ring
        ports_now = np.zeros((4, port_ints.shape[1]), np.int64)  # rings, berths busy, ahead
        held = np.zeros((3, n_munitions), np.int64)  # on station, aboard, fire from (hulls.py)
        count = 0  # hulls created so far
        arriving = np.zeros((n_munitions, n_steps), np.int64)  # lots landing before each salvo
        group_tally = group_summary[:, :, r].copy()  # the groups' outcomes, written back at the end
        group_shots = np.zeros((n_groups, members.shape[1]), np.int64)
        fired_now = np.zeros(n_munitions, np.int64)  # each munition's shots at this salvo
        for m in range(n_munitions):
            for j in range(lot_step.shape[2]):
                if 0 <= lot_step[m, r, j] < n_steps:
                    arriving[m, lot_step[m, r, j]] += lot_size[m, r, j]
        for k in range(n_steps):
            for m in range(n_munitions):
                depot[m] += arriving[m, k]
            if transfer_source.size > 0:
                transfer(k, r, transfers, depot, tally)
            if classes is not None:  # pruned at compile time for munitions-only scenarios
                if k == 0:  # load-out: the initial hulls take station loaded, in id order
                    for c in range(initial.shape[0]):
                        for _ in range(initial[c, r]):
                            new_hull(c, r, count, STATION, k, hull, hull_cells, cells)
                            count += 1
                    for h in range(count):
                        load(h, loaded, hull_cells, depot, held)
                        take_station(h, hull, loaded, held, lists, book)
                shared = arrival_rows[r]
                lose(
                    k,
                    r,
                    loss_rows[r],
                    count,
                    hull,
                    loaded,
                    losses,
                    tally,
                    hulls_lost,
                    held,
                    queue,
                    ports_now,
                )
                arrive(k, hull, loaded, held, due, lists, book, queue, ports_now)
                for c in range(initial.shape[0]):  # reinforcements, queued at a port
                    for _ in range(arrivals[c, shared, k]):
                        new_hull(c, r, count, QUEUED, k, hull, hull_cells, cells)
                        p = choose(
                            count,
                            k,
                            True,
                            r,
                            hull,
                            loaded,
                            hull_cells,
                            reload_ports,
                            port_ints,
                            reload_rate,
                            step_days,
                            ports_now,
                        )
                        enqueue(count, p, hull, queue, ports_now)
                        count += 1
                depart(
                    k,
                    r,
                    hull,
                    loaded,
                    hull_cells,
                    threshold,
                    reload_ports,
                    port_ints,
                    reload_rate,
                    step_days,
                    held,
                    due,
                    lists,
                    book,
                    queue,
                    ports_now,
                )
                work_ports(
                    k,
                    r,
                    hull,
                    loaded,
                    hull_cells,
                    depot,
                    port_ints,
                    reload_rate,
                    step_days,
                    held,
                    due,
                    lists,
                    book,
                    queue,
                    ports_now,
                )
            for g in range(n_groups):  # the groups in order (model/missions.py's rules)
                new = demand[g, r, k]
                carried = unmet[g]
                remaining = new + carried
                for j in range(members.shape[1]):
                    m = members[g, j]
                    if m < 0 or remaining == 0:
                        break
                    if k < joins[m, r]:
                        continue  # its nation has not joined
                    per = per_shot[g, j]
                    asked = shots_for(remaining, per)
                    can = held[ON_STATION, m] if launched[m] else depot[m]
                    units = remaining if asked <= can else units_within(can, per)
                    wanted = shots_for(units, per)
                    if launched[m]:
                        shot = fire_from_station(m, wanted, count, hull, loaded, held, lists, book)
                    else:
                        shot = wanted
                        depot[m] -= shot
                    tally[DEMANDED, m] += shots_for(remaining - carried, per)
                    tally[FIRED, m] += shot
                    limit = LIMIT_NONE
                    if units < remaining and depot[m] == 0:  # for want of missiles
                        limit = LIMIT_INVENTORY
                        if tally[DEPLETED, m] < 0:
                            tally[DEPLETED, m] = k
                    elif units < remaining:  # for want of launchers: new demand left unfired
                        limit = LIMIT_LAUNCHERS
                        tally[LAUNCH_LOST, m] += max(0, asked - shot - shots_for(carried, per))
                    day_limit[m] = max(day_limit[m], limit)
                    group_shots[g, j] += shot
                    fired_now[m] += shot
                    carried -= min(carried, units)
                    remaining -= units
                group_tally[GROUP_DEMANDED, g] += new
                group_tally[SERVED, g] += new + unmet[g] - remaining
                if record:
                    paths[2][k, g, r] = new + unmet[g] - remaining
                if remaining > 0 and group_tally[SHORT, g] < 0:
                    group_tally[SHORT, g] = k
                unmet[g] = remaining if group_backlog[g] else 0
            if record:
                for m in range(n_munitions):
                    paths[0][k, m, r] = fired_now[m]
            for m in range(n_munitions):
                fired_now[m] = 0
            if k + 1 == n_steps or step_day[k + 1] != step_day[k]:  # the day is over
                limited = False
                for m in range(n_munitions):
                    limited |= day_limit[m] == LIMIT_LAUNCHERS
                    day_limit[m] = LIMIT_NONE
                    if record:  # the day's end stock: later lots that day count
                        paths[1][k, m, r] = depot[m] + held[ABOARD, m] + late[m, r, k]
                limited_days[r] += limited
        for m in range(n_munitions):
            tally[ASHORE, m] = depot[m] + after_last[m, r]
            tally[AFLOAT, m] = held[ABOARD, m]
        out_munitions[:, :, r] = tally
        group_summary[:, :, r] = group_tally
        group_shots_out[:, :, r] = group_shots
