"""The compiled core's bookkeeping of hulls, so that each phase touches only the hulls it concerns.

One replication's hulls are rows of `hull` [h, WHERE | CLASS | PORT | WHEN | CHECK | NEXT].
Beside them, kept as hulls move (nothing here is rebuilt per step, and nothing allocates):

- the due lists: due [FIRST | LAST, k], the first and last of the hulls whose sailing or reload
  ends at step k (-1: none), each pointing to the next (hull[h, NEXT], -1 at the end), so a
  step's arrivals and finished reloads are taken from its list instead of found by walking
  every hull. A hull is in one list at most (it enters when it starts to sail or reload and
  leaves when that ends); a hull lost on the way stays in its list and is passed over when the
  step comes. Events past the last step are never listed. The lists are first in, first out:
  hulls leave station in id order, so those bound for one port arrive in id order and join its
  queue at its end, without a search. (A heap ordered by step cost more than the walks it
  saved: perf found its sift-down the hottest loop of the core; and lists last in, first out
  made joining the queues quadratic when a whole squadron arrived at once.)
- the hulls to check: lists[CHECKS], the hulls on station whose loaded cells fell (fired) or
  that took station since the last departures. A hull on station that was not listed runs no
  lower than when it was last checked, so only the listed can leave.
- lists[FINISHING]: the reloads due this step, taken with the arrivals and finished in the
  ports' phase (after departures, as the phase order says).
- each port's queue: queue [port, i], a ring of hull ids in the order berths are given (the step
  a hull joined, then id), with ports_now [HEAD | LENGTH | BUSY | AHEAD, port]: the ring's
  start and length, the berths busy, and the hulls headed to, queued at or at a berth of the
  port (what choosing a port reads).

`book` [CHECKS | FINISHING] is each list's length.
"""

from __future__ import annotations

from wargame.jit import compiled
from wargame.model.rates import IntArray

WHERE, CLASS, PORT, WHEN, CHECK, NEXT = range(6)  # columns of a hull's row
COLUMNS = 6
UNUSED, STATION, TO_PORT, QUEUED, BERTH, TO_STATION, LOST = range(7)  # a hull's WHERE
CHECKS, FINISHING = range(2)  # rows of lists and entries of book
FIRST, LAST = range(2)  # rows of due
HEAD, LENGTH, BUSY, AHEAD = range(4)  # rows of ports_now
ON_STATION, ABOARD, FIRE_FROM = range(3)  # rows of held (engine/hulls.py)


@compiled(inline=True)
def earlier(a: int, b: int, hull: IntArray) -> bool:
    """Whether hull a comes before hull b: an earlier step (WHEN), then a lower id."""
    return hull[a, WHEN] < hull[b, WHEN] or (hull[a, WHEN] == hull[b, WHEN] and a < b)


@compiled(inline=True)
def push(h: int, hull: IntArray, due: IntArray) -> None:
    """List hull h, last, as due at its step hull[h, WHEN] (unless that is past the last step)."""
    k = hull[h, WHEN]
    if k < due.shape[1]:
        hull[h, NEXT] = -1
        if due[FIRST, k] < 0:
            due[FIRST, k] = h
        else:
            hull[due[LAST, k], NEXT] = h
        due[LAST, k] = h


@compiled(inline=True)
def ring(p: int, i: int, queue: IntArray, ports_now: IntArray) -> int:
    """Where the i-th hull of port p's queue is in its ring (a branch, not a division)."""
    at: int = ports_now[HEAD, p] + i
    return at - queue.shape[1] if at >= queue.shape[1] else at


@compiled(inline=True)
def add(h: int, row: int, lists: IntArray, book: IntArray) -> None:
    """Append hull h to lists[row] (CHECKS or FINISHING)."""
    lists[row, book[row]] = h
    book[row] += 1


@compiled(inline=True)
def check(h: int, hull: IntArray, lists: IntArray, book: IntArray) -> None:
    """List hull h for the next departures' check (once: the CHECK column says it is listed)."""
    if hull[h, CHECK] == 0:
        hull[h, CHECK] = 1
        add(h, CHECKS, lists, book)


@compiled(inline=True)
def sort_checks(lists: IntArray, book: IntArray) -> None:
    """The listed hulls in id order (departures go lowest id first); insertion sort, as the
    list is short (the hulls that fired or took station since the last step)."""
    for i in range(1, book[CHECKS]):
        h = lists[CHECKS, i]
        j = i
        while j > 0 and lists[CHECKS, j - 1] > h:
            lists[CHECKS, j] = lists[CHECKS, j - 1]
            j -= 1
        lists[CHECKS, j] = h


@compiled(inline=True)
def enqueue(h: int, p: int, hull: IntArray, queue: IntArray, ports_now: IntArray) -> None:
    """Hull h joins port p's queue at its step (hull[h, WHEN]): behind every hull that joined
    earlier, and among those that joined the same step in id order."""
    i = ports_now[LENGTH, p]
    while i > 0 and earlier(h, queue[p, ring(p, i - 1, queue, ports_now)], hull):
        queue[p, ring(p, i, queue, ports_now)] = queue[p, ring(p, i - 1, queue, ports_now)]
        i -= 1
    queue[p, ring(p, i, queue, ports_now)] = h
    ports_now[LENGTH, p] += 1


@compiled(inline=True)
def dequeue(p: int, queue: IntArray, ports_now: IntArray) -> int:
    """The first hull of port p's queue, taken out of it."""
    first: int = queue[p, ports_now[HEAD, p]]
    ports_now[HEAD, p] = ring(p, 1, queue, ports_now)
    ports_now[LENGTH, p] -= 1
    return first


@compiled(inline=True)
def unqueue(h: int, p: int, queue: IntArray, ports_now: IntArray) -> None:
    """Take hull h (lost) out of port p's queue, keeping the others' order."""
    i = 0
    while queue[p, ring(p, i, queue, ports_now)] != h:
        i += 1
    for j in range(i, ports_now[LENGTH, p] - 1):
        queue[p, ring(p, j, queue, ports_now)] = queue[p, ring(p, j + 1, queue, ports_now)]
    ports_now[LENGTH, p] -= 1
