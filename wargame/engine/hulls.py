"""The compiled core's hulls: created, loaded, lost, sailing, queueing and reloading, by the
SimPy model's rules (engine/fleet.py). Called by kernel.py's run_batch, phase by phase.

One replication's hulls: hull [h, WHERE | CLASS | PORT | WHEN | CHECK]; loaded, cells [h, m].
Each phase touches only the hulls it concerns, through the bookkeeping of engine/events.py (the
due lists, the hulls to check, the ports' queues), and tallies are kept as hulls move so that no
phase walks every hull to count them: ports_now[AHEAD] (the hulls sailing to, queued at or at a
berth of each port: choose reads it) and held [ON_STATION | ABOARD | FIRE_FROM, m]: the loaded
cells of each munition on hulls on station (the salvos read it) and on hulls not lost (the stock
afloat), and the lowest id that may hold the munition on station (the salvos fire from there:
every hull below it is off station or empty of it).
"""

from __future__ import annotations

import math

from wargame.engine.events import (
    ABOARD,
    AHEAD,
    BERTH,
    BUSY,
    CHECK,
    CHECKS,
    CLASS,
    FINISHING,
    FIRE_FROM,
    FIRST,
    LENGTH,
    LOST,
    NEXT,
    ON_STATION,
    PORT,
    QUEUED,
    STATION,
    TO_PORT,
    TO_STATION,
    WHEN,
    WHERE,
    add,
    check,
    dequeue,
    enqueue,
    push,
    sort_checks,
    unqueue,
)
from wargame.engine.serve import LOST_AFLOAT
from wargame.jit import compiled
from wargame.model.fleet import STEP_SLACK
from wargame.model.rates import FloatArray, IntArray

TRANSIT, BERTHS, OPENS = 0, 1, 2  # rows of port_ints
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
def shift(h: int, sign: int, loaded: IntArray, held: IntArray) -> None:
    """Add (sign 1) or take (-1) hull h's loaded cells to or from held[ON_STATION]."""
    for m in range(loaded.shape[1]):
        held[ON_STATION, m] += sign * loaded[h, m]


@compiled(inline=True)
def load(h: int, loaded: IntArray, cells: IntArray, depot: IntArray, held: IntArray) -> int:
    """Fill hull h's empty cells from the depots (counted in held[ABOARD]); missiles loaded."""
    total = 0
    for m in range(depot.size):
        n = min(cells[h, m] - loaded[h, m], depot[m])
        loaded[h, m] += n
        depot[m] -= n
        held[ABOARD, m] += n
        total += n
    return total


@compiled(inline=True)
def take_station(
    h: int, hull: IntArray, loaded: IntArray, held: IntArray, lists: IntArray, book: IntArray
) -> None:
    """Hull h is on station: its cells count for the salvos (which may fire from it now), and
    the departures check it."""
    hull[h, WHERE] = STATION
    for m in range(loaded.shape[1]):
        held[ON_STATION, m] += loaded[h, m]
        if loaded[h, m] > 0 and h < held[FIRE_FROM, m]:
            held[FIRE_FROM, m] = h
    check(h, hull, lists, book)


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
    held: IntArray,
    queue: IntArray,
    ports_now: IntArray,
) -> None:
    """Each class loses its step's hulls: on station first, then anywhere, lowest id first
    (losses [c, row, k]: row is r, or 0 when every replication shares the losses). A lost
    hull leaves its port's queue or berth; its entry in the due list is dropped when popped.
    Its missiles count in the munitions' tally [LOST_AFLOAT, m] and leave held."""
    for c in range(losses.shape[0]):
        left = losses[c, row, k]
        if left == 0:
            continue
        for on_station in (True, False):
            for h in range(count):
                if left == 0:
                    break
                where = hull[h, WHERE]
                if where == LOST or hull[h, CLASS] != c or (where == STATION) != on_station:
                    continue
                if on_station:
                    shift(h, -1, loaded, held)
                elif TO_PORT <= where <= BERTH:
                    ports_now[AHEAD, hull[h, PORT]] -= 1
                if where == QUEUED:
                    unqueue(h, hull[h, PORT], queue, ports_now)
                elif where == BERTH:
                    ports_now[BUSY, hull[h, PORT]] -= 1
                for m in range(loaded.shape[1]):
                    tally[LOST_AFLOAT, m] += loaded[h, m]
                    held[ABOARD, m] -= loaded[h, m]
                    loaded[h, m] = 0
                hull[h, WHERE] = LOST
                hulls_lost[c, r] += 1
                left -= 1


@compiled(inline=True)
def arrive(
    k: int,
    hull: IntArray,
    loaded: IntArray,
    held: IntArray,
    due: IntArray,
    lists: IntArray,
    book: IntArray,
    queue: IntArray,
    ports_now: IntArray,
) -> None:
    """The hulls due at step k: those sailing reach their port's queue (in it from step k) or
    the station; reloads due are listed to finish in the ports' phase; lost hulls are passed
    over."""
    h = due[FIRST, k]
    while h >= 0:
        after = hull[h, NEXT]
        where = hull[h, WHERE]
        if where == TO_PORT:
            hull[h, WHERE] = QUEUED
            enqueue(h, hull[h, PORT], hull, queue, ports_now)
        elif where == TO_STATION:
            take_station(h, hull, loaded, held, lists, book)
        elif where == BERTH:
            add(h, FINISHING, lists, book)
        h = after


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
    port_ints: IntArray,
    reload_rate: FloatArray,
    step_days: float,
    ports_now: IntArray,
) -> int:
    """Send hull h to the port, of its class's open when it gets there, that should have it
    back on station soonest (ties: preference); with none open, the class's last port.
    reload_ports [c, i] are class c's ports by preference (the row is not sliced: a slice
    takes a reference, at every departure). ports_now[AHEAD] counts the other hulls headed to
    or at each port, and then hull h at its port."""
    c = hull[h, CLASS]
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
        wait = -(-max(0, ports_now[AHEAD, p] + 1 - berths) // berths) * reload
        time = 2 * transit + wait + reload
        if time < best_time:
            best, best_time = p, time
    hull[h, PORT] = best
    ports_now[AHEAD, best] += 1
    chosen: int = best
    return chosen


@compiled(inline=True)
def depart(
    k: int,
    r: int,
    hull: IntArray,
    loaded: IntArray,
    cells: IntArray,
    threshold: FloatArray,
    reload_ports: IntArray,
    port_ints: IntArray,
    reload_rate: FloatArray,
    step_days: float,
    held: IntArray,
    due: IntArray,
    lists: IntArray,
    book: IntArray,
    queue: IntArray,
    ports_now: IntArray,
) -> None:
    """Hulls on station with a munition down to the threshold leave, lowest id first, for the
    port choose picks (queued there this step when it is no transit away). Only the hulls
    listed to check can run low (engine/events.py)."""
    sort_checks(lists, book)
    for i in range(book[CHECKS]):
        h = lists[CHECKS, i]
        hull[h, CHECK] = 0
        if hull[h, WHERE] != STATION or not runs_low(h, r, hull, loaded, cells, threshold):
            continue
        p = choose(
            h,
            k,
            False,
            r,
            hull,
            loaded,
            cells,
            reload_ports,
            port_ints,
            reload_rate,
            step_days,
            ports_now,
        )
        shift(h, -1, loaded, held)
        hull[h, WHEN] = k + port_ints[TRANSIT, p, r]
        if hull[h, WHEN] == k:
            hull[h, WHERE] = QUEUED
            enqueue(h, p, hull, queue, ports_now)
        else:
            hull[h, WHERE] = TO_PORT
            push(h, hull, due)
    book[CHECKS] = 0


@compiled(inline=True)
def work_ports(
    k: int,
    r: int,
    hull: IntArray,
    loaded: IntArray,
    cells: IntArray,
    depot: IntArray,
    port_ints: IntArray,
    reload_rate: FloatArray,
    step_days: float,
    held: IntArray,
    due: IntArray,
    lists: IntArray,
    book: IntArray,
    queue: IntArray,
    ports_now: IntArray,
) -> None:
    """Ports finish the reloads due (listed by arrive), then, in order, give free berths to
    their queues first come first served (ties by id); a granted hull loads what the depots
    hold, and one that loads nothing leaves."""
    for i in range(book[FINISHING]):
        h = lists[FINISHING, i]
        ports_now[BUSY, hull[h, PORT]] -= 1
        sail_back(h, k, r, hull, port_ints, loaded, held, due, lists, book, ports_now)
    book[FINISHING] = 0
    for p in range(port_ints.shape[1]):
        if k < port_ints[OPENS, p, r]:
            continue
        while ports_now[LENGTH, p] > 0 and ports_now[BUSY, p] < port_ints[BERTHS, p, r]:
            first = dequeue(p, queue, ports_now)
            missiles = load(first, loaded, cells, depot, held)
            done = k + steps(missiles * reload_rate[p, r], step_days)
            if done == k:
                sail_back(first, k, r, hull, port_ints, loaded, held, due, lists, book, ports_now)
            else:
                hull[first, WHERE], hull[first, WHEN] = BERTH, done
                ports_now[BUSY, p] += 1
                push(first, hull, due)


@compiled(inline=True)
def sail_back(
    h: int,
    k: int,
    r: int,
    hull: IntArray,
    port_ints: IntArray,
    loaded: IntArray,
    held: IntArray,
    due: IntArray,
    lists: IntArray,
    book: IntArray,
    ports_now: IntArray,
) -> None:
    """A reloaded hull sails for station; with no transit it is there this step."""
    ports_now[AHEAD, hull[h, PORT]] -= 1
    hull[h, WHEN] = k + port_ints[TRANSIT, hull[h, PORT], r]
    if hull[h, WHEN] == k:
        take_station(h, hull, loaded, held, lists, book)
    else:
        hull[h, WHERE] = TO_STATION
        push(h, hull, due)
