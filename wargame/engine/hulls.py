"""The compiled core's hulls: created, loaded, lost, sailing, queueing and reloading, hull by hull
in id order, by the SimPy model's rules (engine/fleet.py). Called by kernel.py's run_batch.

One replication's hulls: hull [h, WHERE | CLASS | PORT | WHEN]; loaded, cells [h, m]. Two
tallies are kept as hulls move, so that no phase walks every hull to count them: ahead [port],
the hulls sailing to, queued at or at a berth of each port (choose reads it), and station [m],
the loaded cells of each munition on hulls on station (the salvos read it).
"""

from __future__ import annotations

import math

from wargame.engine.serve import LOST_AFLOAT, STATION, WHERE
from wargame.jit import compiled
from wargame.model.fleet import STEP_SLACK
from wargame.model.rates import FloatArray, IntArray

UNUSED, TO_PORT, QUEUED, BERTH, TO_STATION, LOST = 0, 2, 3, 4, 5, 6  # a hull's WHERE (and STATION)
CLASS, PORT, WHEN = 1, 2, 3  # columns of a hull's row (WHERE is 0)
TRANSIT, BERTHS, OPENS = 0, 1, 2  # rows of port_ints
BUSY, QUEUE = 0, 1  # rows of work_ports' counts (indexed, not sliced: a slice takes a reference)
LATE = 2**62  # a step no run reaches


@compiled(inline=True)
def steps(days: float, step_days: float) -> int:
    """Whole salvo intervals needed to cover `days` (model.fleet.steps, for one number)."""
    return max(0, math.ceil(days / step_days - STEP_SLACK))


@compiled(inline=True)
def new_hull(
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
    for m in range(hull_cells.shape[1]):  # element by element: a slice would take a reference
        hull_cells[h, m] = cells[c, m, r]


@compiled(inline=True)
def shift(h: int, sign: int, loaded: IntArray, into: IntArray) -> None:
    """Add (sign 1) or take (-1) hull h's loaded cells to or from `into` [m]."""
    for m in range(into.size):
        into[m] += sign * loaded[h, m]


@compiled(inline=True)
def load(h: int, loaded: IntArray, cells: IntArray, depot: IntArray) -> int:
    """Fill hull h's empty cells from the depots; missiles loaded."""
    total = 0
    for m in range(depot.size):
        n = min(cells[h, m] - loaded[h, m], depot[m])
        loaded[h, m] += n
        depot[m] -= n
        total += n
    return total


@compiled(inline=True)
def afloat(m: int, count: int, hull: IntArray, loaded: IntArray) -> int:
    total = 0
    for h in range(count):
        if hull[h, WHERE] != LOST:
            total += loaded[h, m]
    return total


@compiled(inline=True)
def runs_low(
    h: int, r: int, hull: IntArray, loaded: IntArray, cells: IntArray, threshold: FloatArray
) -> bool:
    """Whether any munition the hull carries is down to the class threshold of its cells."""
    share = threshold[hull[h, CLASS], r]
    for m in range(loaded.shape[1]):
        if cells[h, m] > 0 and loaded[h, m] <= share * cells[h, m]:
            return True
    return False


@compiled(inline=True)
def lose(
    k: int,
    r: int,
    row: int,
    count: int,
    hull: IntArray,
    loaded: IntArray,
    losses: IntArray,
    tally: IntArray,
    hulls_lost: IntArray,
    ahead: IntArray,
    station: IntArray,
) -> None:
    """Each class loses its step's hulls: on station first, then anywhere, lowest id first
    (losses [c, row, k]: row is r, or 0 when every replication shares the losses)."""
    for c in range(losses.shape[0]):
        left = losses[c, row, k]
        for on_station in (True, False):
            for h in range(count):
                if left == 0:
                    break
                alive = hull[h, WHERE] != LOST and hull[h, CLASS] == c
                if alive and (hull[h, WHERE] == STATION) == on_station:
                    if on_station:
                        shift(h, -1, loaded, station)
                    elif TO_PORT <= hull[h, WHERE] <= BERTH:
                        ahead[hull[h, PORT]] -= 1
                    for m in range(loaded.shape[1]):
                        tally[LOST_AFLOAT, m] += loaded[h, m]
                        loaded[h, m] = 0
                    hull[h, WHERE] = LOST
                    hulls_lost[c, r] += 1
                    left -= 1


@compiled(inline=True)
def arrive(k: int, count: int, hull: IntArray, loaded: IntArray, station: IntArray) -> None:
    """Hulls due this step reach their port's queue (in it from step k) or the station."""
    for h in range(count):
        if hull[h, WHEN] == k and hull[h, WHERE] == TO_PORT:
            hull[h, WHERE] = QUEUED
        elif hull[h, WHEN] == k and hull[h, WHERE] == TO_STATION:
            hull[h, WHERE] = STATION
            shift(h, 1, loaded, station)


@compiled(inline=True)
def choose(
    h: int,
    k: int,
    at_port: bool,
    r: int,
    hull: IntArray,
    loaded: IntArray,
    cells: IntArray,
    reload_ports: IntArray,
    c: int,
    port_ints: IntArray,
    reload_rate: FloatArray,
    step_days: float,
    ahead: IntArray,
) -> int:
    """Send hull h to the port, of its class's open when it gets there, that should have it
    back on station soonest (ties: preference); with none open, the class's last port.
    reload_ports [c, i] are class c's ports by preference (the row is not sliced: a slice
    takes a reference, at every departure). `ahead`
    counts the other hulls headed to or at each port, and then hull h at its port."""
    empty = 0
    for m in range(cells.shape[1]):
        empty += cells[h, m] - loaded[h, m]
    n_ports = 0  # counted in a loop: `np.sum(reload_ports >= 0)` would allocate, every call
    while n_ports < reload_ports.shape[1] and reload_ports[c, n_ports] >= 0:
        n_ports += 1
    best, best_time = reload_ports[c, n_ports - 1], LATE
    for i in range(n_ports):
        p = reload_ports[c, i]
        transit, berths = port_ints[TRANSIT, p, r], port_ints[BERTHS, p, r]
        if (k if at_port else k + transit) < port_ints[OPENS, p, r]:
            continue
        reload = steps(empty * reload_rate[p, r], step_days)
        wait = -(-max(0, ahead[p] + 1 - berths) // berths) * reload
        time = 2 * transit + wait + reload
        if time < best_time:
            best, best_time = p, time
    hull[h, PORT] = best
    ahead[best] += 1
    chosen: int = best
    return chosen


@compiled(inline=True)
def work_ports(
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
    waiting: IntArray,
    ahead: IntArray,
    station: IntArray,
) -> None:
    """Ports, in order, finish due reloads and give free berths first come first served (ties
    by id); a granted hull loads what the depots hold, and one that loads nothing leaves.
    `counts` [busy | queued, port] and `waiting` [port, i] (each port's queued hulls, in id
    order) are scratch: one walk over the hulls finds them, and each grant reads its port's."""
    n_ports = port_ints.shape[1]
    for p in range(n_ports):
        counts[BUSY, p] = counts[QUEUE, p] = 0
    for h in range(count):
        p = hull[h, PORT]
        if hull[h, WHERE] == BERTH and hull[h, WHEN] == k:
            sail_back(h, k, r, hull, port_ints, loaded, ahead, station)
        elif hull[h, WHERE] == BERTH:
            counts[BUSY, p] += 1
        elif hull[h, WHERE] == QUEUED:
            waiting[p, counts[QUEUE, p]] = h
            counts[QUEUE, p] += 1
    for p in range(n_ports):
        if k < port_ints[OPENS, p, r]:
            continue
        listed = counts[QUEUE, p]
        while counts[QUEUE, p] > 0 and counts[BUSY, p] < port_ints[BERTHS, p, r]:
            at = -1  # the first come of the port's queue (ties: lowest id, listed first)
            for i in range(listed):
                h = waiting[p, i]
                if h >= 0 and (at < 0 or hull[h, WHEN] < hull[waiting[p, at], WHEN]):
                    at = i
            first = waiting[p, at]
            waiting[p, at] = -1
            counts[QUEUE, p] -= 1
            done = k + steps(load(first, loaded, cells, depot) * reload_rate[p, r], step_days)
            if done == k:
                sail_back(first, k, r, hull, port_ints, loaded, ahead, station)
            else:
                hull[first, WHERE], hull[first, WHEN] = BERTH, done
                counts[BUSY, p] += 1


@compiled(inline=True)
def sail_back(
    h: int,
    k: int,
    r: int,
    hull: IntArray,
    port_ints: IntArray,
    loaded: IntArray,
    ahead: IntArray,
    station: IntArray,
) -> None:
    """A reloaded hull sails for station; with no transit it is there this step."""
    ahead[hull[h, PORT]] -= 1
    hull[h, WHEN] = k + port_ints[TRANSIT, hull[h, PORT], r]
    hull[h, WHERE] = STATION if hull[h, WHEN] == k else TO_STATION
    if hull[h, WHERE] == STATION:
        shift(h, 1, loaded, station)
