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
              losses, arrivals [c, r, step]
    out       depleted, demanded, fired, lost, launch_lost, ashore, afloat, transfer in and
              out [m, r]; groups: short step, demanded, served [g, r] and shots [g, j, r];
              hulls_lost [c, r]; limited_days (r,); stock, fired_steps [step, m, r] (paths)
    one replication's hulls: hull [h, WHERE | CLASS | PORT | WHEN]; loaded, cells [h, m]
"""

from __future__ import annotations

import math

import numpy as np
from numba import prange

from wargame.engine.results import LIMIT_LAUNCHERS, LIMIT_NONE
from wargame.engine.serve import (
    AFLOAT,
    ASHORE,
    LOST_AFLOAT,
    serve,
    transfer,
)
from wargame.jit import compiled
from wargame.model.fleet import STEP_SLACK
from wargame.model.rates import BoolArray, FloatArray, IntArray

UNUSED, STATION, TO_PORT, QUEUED, BERTH, TO_STATION, LOST = 0, 1, 2, 3, 4, 5, 6
WHERE, CLASS, PORT, WHEN = 0, 1, 2, 3  # columns of a hull's row
TRANSIT, BERTHS, OPENS = 0, 1, 2  # rows of port_ints
LATE = 2**62  # a step no run reaches


@compiled(parallel=True)
def run_batch(
    plan: tuple[IntArray, IntArray, IntArray, IntArray, IntArray, IntArray],
    flags: tuple[BoolArray, IntArray],
    groups: tuple[IntArray, FloatArray, BoolArray, IntArray],
    transfers: tuple[IntArray, IntArray, IntArray, IntArray],
    port_ints: IntArray,
    reload_rate: FloatArray,
    step_days: float,
    classes: tuple[IntArray, IntArray, FloatArray, IntArray, IntArray, IntArray],
    slots: int,
    out_munitions: IntArray,
    out_groups: tuple[IntArray, IntArray],
    out_fleet: tuple[IntArray, IntArray],
    paths: tuple[IntArray, IntArray],
) -> None:
    """Run every replication; results go to the `out_*` arrays, and to `paths` unless empty.

    `paths` gets the shots of every salvo and the stock at the end of each day with a salvo.
    """
    record = paths[0].size > 0
    demand, lot_step, lot_size, late, start, after_last = plan
    launched, step_day = flags
    initial, cells, threshold, reload_ports, losses, arrivals = classes
    hulls_lost, limited_days = out_fleet
    n_munitions = start.shape[0]
    n_groups, size, n_steps = demand.shape
    for r in prange(size):  # replications are independent: each thread takes its own
        depot = start[:, r].copy()
        tally = out_munitions[
            :, :, r
        ].copy()  # this replication's outcomes, written back at the end
        unmet = np.zeros(n_groups, np.int64)
        day_limit = np.zeros(n_munitions, np.int64)
        hull = np.zeros((slots, 4), np.int64)
        loaded = np.zeros((slots, n_munitions), np.int64)
        hull_cells = np.zeros((slots, n_munitions), np.int64)
        counts = np.zeros((2, port_ints.shape[1]), np.int64)  # scratch: per-port tallies
        count = 0  # hulls created so far
        arriving = np.zeros((n_munitions, n_steps), np.int64)  # lots landing before each salvo
        for m in range(n_munitions):
            for j in range(lot_step.shape[2]):
                if 0 <= lot_step[m, r, j] < n_steps:
                    arriving[m, lot_step[m, r, j]] += lot_size[m, r, j]
        for k in range(n_steps):
            for m in range(n_munitions):
                depot[m] += arriving[m, k]
            transfer(k, r, transfers, depot, tally)
            if slots > 0:
                if k == 0:  # load-out: the initial hulls take station loaded, in id order
                    for c in range(initial.shape[0]):
                        for _ in range(initial[c, r]):
                            _new_hull(c, r, count, STATION, k, hull, hull_cells, cells)
                            count += 1
                    for h in range(count):
                        _load(h, loaded, hull_cells, depot)
                _lose(k, r, count, hull, loaded, losses, tally, hulls_lost)
                _arrive(k, count, hull)
                for c in range(initial.shape[0]):  # reinforcements, queued at a port
                    for _ in range(arrivals[c, r, k]):
                        _new_hull(c, r, count, QUEUED, k, hull, hull_cells, cells)
                        count += 1
                        _choose(
                            count - 1,
                            k,
                            True,
                            r,
                            count,
                            hull,
                            loaded,
                            hull_cells,
                            reload_ports[c],
                            port_ints,
                            reload_rate,
                            step_days,
                            counts[0],
                        )
                for h in range(count):
                    if hull[h, WHERE] == STATION and _runs_low(
                        h, r, hull, loaded, hull_cells, threshold
                    ):
                        p = _choose(
                            h,
                            k,
                            False,
                            r,
                            count,
                            hull,
                            loaded,
                            hull_cells,
                            reload_ports[hull[h, CLASS]],
                            port_ints,
                            reload_rate,
                            step_days,
                            counts[0],
                        )
                        hull[h, WHEN] = k + port_ints[TRANSIT, p, r]
                        hull[h, WHERE] = QUEUED if hull[h, WHEN] == k else TO_PORT
                _work_ports(
                    k,
                    r,
                    count,
                    hull,
                    loaded,
                    hull_cells,
                    depot,
                    port_ints,
                    reload_rate,
                    step_days,
                    counts,
                )
            state = (depot, tally, unmet, day_limit, count, hull, loaded)
            for g in range(n_groups):
                serve(k, r, g, demand[g, r, k], groups, launched, state, out_groups, paths[0])
            if k + 1 == n_steps or step_day[k + 1] != step_day[k]:  # the day is over
                limited = False
                for m in range(n_munitions):
                    limited |= day_limit[m] == LIMIT_LAUNCHERS
                    day_limit[m] = LIMIT_NONE
                    if record:  # the day's end stock: later lots that day count
                        paths[1][k, m, r] = (
                            depot[m] + _afloat(m, count, hull, loaded) + late[m, r, k]
                        )
                limited_days[r] += limited
        for m in range(n_munitions):
            tally[ASHORE, m] = depot[m] + after_last[m, r]
            tally[AFLOAT, m] = _afloat(m, count, hull, loaded)
        out_munitions[:, :, r] = tally


@compiled()
def _steps(days: float, step_days: float) -> int:
    """Whole salvo intervals needed to cover `days` (model.fleet.steps, for one number)."""
    return max(0, math.ceil(days / step_days - STEP_SLACK))


@compiled()
def _new_hull(
    c: int,
    r: int,
    h: int,
    where: int,
    k: int,
    hull: IntArray,
    hull_cells: IntArray,
    cells: IntArray,
) -> None:
    hull[h, WHERE], hull[h, CLASS], hull[h, WHEN] = where, c, k
    hull_cells[h] = cells[c, :, r]


@compiled()
def _load(h: int, loaded: IntArray, cells: IntArray, depot: IntArray) -> int:
    """Fill hull h's empty cells from the depots; missiles loaded."""
    total = 0
    for m in range(depot.size):
        n = min(cells[h, m] - loaded[h, m], depot[m])
        loaded[h, m] += n
        depot[m] -= n
        total += n
    return total


@compiled()
def _afloat(m: int, count: int, hull: IntArray, loaded: IntArray) -> int:
    total = 0
    for h in range(count):
        if hull[h, WHERE] != LOST:
            total += loaded[h, m]
    return total


@compiled()
def _runs_low(
    h: int, r: int, hull: IntArray, loaded: IntArray, cells: IntArray, threshold: FloatArray
) -> bool:
    """Whether any munition the hull carries is down to the class threshold of its cells."""
    share = threshold[hull[h, CLASS], r]
    for m in range(loaded.shape[1]):
        if cells[h, m] > 0 and loaded[h, m] <= share * cells[h, m]:
            return True
    return False


@compiled()
def _lose(
    k: int,
    r: int,
    count: int,
    hull: IntArray,
    loaded: IntArray,
    losses: IntArray,
    tally: IntArray,
    hulls_lost: IntArray,
) -> None:
    """Each class loses its step's hulls: on station first, then anywhere, lowest id first."""
    for c in range(losses.shape[0]):
        left = losses[c, r, k]
        for on_station in (True, False):
            for h in range(count):
                if left == 0:
                    break
                alive = hull[h, WHERE] != LOST and hull[h, CLASS] == c
                if alive and (hull[h, WHERE] == STATION) == on_station:
                    tally[LOST_AFLOAT] += loaded[h]
                    loaded[h] = 0
                    hull[h, WHERE] = LOST
                    hulls_lost[c, r] += 1
                    left -= 1


@compiled()
def _arrive(k: int, count: int, hull: IntArray) -> None:
    """Hulls due this step reach their port's queue (in it from step k) or the station."""
    for h in range(count):
        if hull[h, WHEN] == k and hull[h, WHERE] == TO_PORT:
            hull[h, WHERE] = QUEUED
        elif hull[h, WHEN] == k and hull[h, WHERE] == TO_STATION:
            hull[h, WHERE] = STATION


@compiled()
def _choose(
    h: int,
    k: int,
    at_port: bool,
    r: int,
    count: int,
    hull: IntArray,
    loaded: IntArray,
    cells: IntArray,
    reload_ports: IntArray,
    port_ints: IntArray,
    reload_rate: FloatArray,
    step_days: float,
    ahead: IntArray,
) -> int:
    """Send hull h to the port, of its class's open when it gets there, that should have it
    back on station soonest (ties: preference); with none open, the class's last port."""
    ahead[:] = 0  # hulls headed to or at each port
    for g in range(count):
        where = hull[g, WHERE]
        if g != h and TO_PORT <= where <= BERTH:  # sailing to, queued at or at a berth
            ahead[hull[g, PORT]] += 1
    empty: int = np.sum(cells[h]) - np.sum(loaded[h])
    n_ports = int(np.sum(reload_ports >= 0))
    best, best_time = reload_ports[n_ports - 1], LATE
    for i in range(n_ports):
        p = reload_ports[i]
        transit, berths = port_ints[TRANSIT, p, r], port_ints[BERTHS, p, r]
        if (k if at_port else k + transit) < port_ints[OPENS, p, r]:
            continue
        reload = _steps(empty * reload_rate[p, r], step_days)
        wait = -(-max(0, ahead[p] + 1 - berths) // berths) * reload
        time = 2 * transit + wait + reload
        if time < best_time:
            best, best_time = p, time
    hull[h, PORT] = best
    chosen: int = best
    return chosen


@compiled()
def _work_ports(
    k: int,
    r: int,
    count: int,
    hull: IntArray,
    loaded: IntArray,
    cells: IntArray,
    depot: IntArray,
    port_ints: IntArray,
    reload_rate: FloatArray,
    step_days: float,
    counts: IntArray,
) -> None:
    """Ports, in order, finish due reloads and give free berths first come first served (ties
    by id); a granted hull loads what the depots hold, and one that loads nothing leaves."""
    n_ports = port_ints.shape[1]
    busy, queued = counts[0], counts[1]
    counts[:] = 0
    for h in range(count):
        p = hull[h, PORT]
        if hull[h, WHERE] == BERTH and hull[h, WHEN] == k:
            _sail_back(h, k, r, hull, port_ints)
        elif hull[h, WHERE] == BERTH:
            busy[p] += 1
        elif hull[h, WHERE] == QUEUED:
            queued[p] += 1
    for p in range(n_ports):
        if k < port_ints[OPENS, p, r]:
            continue
        while queued[p] > 0 and busy[p] < port_ints[BERTHS, p, r]:
            first = -1
            for h in range(count):
                mine = hull[h, WHERE] == QUEUED and hull[h, PORT] == p
                if mine and (first < 0 or hull[h, WHEN] < hull[first, WHEN]):
                    first = h
            queued[p] -= 1
            done = k + _steps(_load(first, loaded, cells, depot) * reload_rate[p, r], step_days)
            if done == k:
                _sail_back(first, k, r, hull, port_ints)
            else:
                hull[first, WHERE], hull[first, WHEN] = BERTH, done
                busy[p] += 1


@compiled()
def _sail_back(h: int, k: int, r: int, hull: IntArray, port_ints: IntArray) -> None:
    """A reloaded hull sails for station; with no transit it is there this step."""
    hull[h, WHEN] = k + port_ints[TRANSIT, hull[h, PORT], r]
    hull[h, WHERE] = STATION if hull[h, WHEN] == k else TO_STATION
