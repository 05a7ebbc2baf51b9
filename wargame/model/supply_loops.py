"""The suppliers' allocation, compiled: one replication at a time, event day by event day
(model/suppliers.py states the rule; this module is the only code that carries it out).

Each replication walks its own event days: the days on which one of its supplier's lots or one
of its customers' lots lands. Nothing changes on the days between, so the walk costs the lots
that land, not the days of the run, and holds C numbers per replication, not days x R.
"""

from __future__ import annotations

import numpy as np
from numba import prange

from wargame.jit import compiled
from wargame.model.rates import ROUNDING_SLACK, BoolArray, FloatArray, IntArray

NEVER = np.iinfo(np.int64).max  # the day of a padded lot, after every real one


@compiled(inline=True)
def allocate_day(
    available: float, outstanding: FloatArray, priority: bool, given: FloatArray
) -> None:
    """Into `given` (C,): the components handed out from `available` against `outstanding`
    (C,), in customer order (priority order already applied); all of it when the stock covers
    it.

    Shares are exact (real) amounts: "priority" (`priority` True) keeps whole numbers whole;
    "pro_rata" gives each customer available x its outstanding / total outstanding, and the
    caller hands out the floor of each running total (the fractions wait, as for lots and
    salvos: no drift). Sums run in customer order (as numpy's would: the same bits)."""
    total = 0.0
    for c in range(outstanding.size):
        total += outstanding[c]
    through = 0.0  # outstanding of customers 0 .. c
    for c in range(outstanding.size):
        through += outstanding[c]
        if total <= available:  # the usual day: nobody waits
            given[c] = outstanding[c]
        elif priority:
            given[c] = min(max(available - (through - outstanding[c]), 0.0), outstanding[c])
        else:
            given[c] = outstanding[c] * (max(available, 0.0) / max(total, 1e-300))


@compiled(parallel=True)
def allocate(
    made_days: IntArray,
    made: IntArray,
    taken_days: IntArray,
    taken: IntArray,
    per_unit: IntArray,
    inventory: IntArray,
    priority: bool,
    got: IntArray,
    ledger_days: IntArray,
    ledger: IntArray,
    short: BoolArray,
) -> None:
    """Hand out one supplier's components, each replication on its own (in parallel).

    The supplier's lots land on `made_days` (R or 1, L; whole days, ascending) with `made`
    (R, L) components made by the end of each; customer c's lots land on `taken_days[:, c]`
    (R or 1, C, K; padded with NEVER) and plan `taken[:, c]` (R, C, K) units by the end of each,
    `per_unit[c]` components a unit. Replications lead, so each walks its memory in order.
    Writes `got` (R, C, K): components customer c has received by the end of its lot's day.
    When `ledger_days` (E,) is not empty, also the supplier's ledger on those days (the union
    of every replication's event days, ascending): `ledger` (E, 1 + 2C, R) holds made, then
    demanded and received by customer; `short` (E, R) whether it could not meet all
    outstanding demand on the last event day on or before each."""
    size = made.shape[0]
    # each replication's row of lot days: its own, or row 0 shared by all
    rows = np.arange(size), np.zeros(size, np.int64)
    made_rows = rows[0] if made_days.shape[0] > 1 else rows[1]
    taken_rows = rows[0] if taken_days.shape[0] > 1 else rows[1]
    for r in prange(size):  # replications are independent
        _walk(
            made_days[made_rows[r]],
            made[r],
            taken_days[taken_rows[r]],
            taken[r],
            per_unit,
            inventory[r],
            priority,
            got[r],
            ledger_days,
            ledger[:, :, r],
            short[:, r],
        )


@compiled(inline=True)
def _walk(
    supplied: IntArray,
    made: IntArray,
    lands: IntArray,
    taken: IntArray,
    per_unit: IntArray,
    inventory: int,
    priority: bool,
    got: IntArray,
    ledger_days: IntArray,
    ledger: IntArray,
    short: BoolArray,
) -> None:
    """One replication of `allocate` (its arrays without the R axis), event day by event day."""
    customers = taken.shape[0]
    state = np.zeros(1 + 2 * customers, dtype=np.int64)  # made, demanded..., received...
    given = np.zeros(customers, dtype=np.float64)  # exact running totals, handed out whole
    scratch = np.zeros((2, customers), dtype=np.float64)  # outstanding, today's shares
    k = np.zeros(customers, dtype=np.int64)  # each customer's next lot
    upcoming = np.full(customers, NEVER, dtype=np.int64)  # the day it lands (NEVER: none left)
    if lands.shape[1] > 0:
        upcoming[:] = lands[:, 0]
    was_short, e, s = False, 0, 0
    while True:
        day = supplied[s] if s < supplied.size else NEVER
        for c in range(customers):
            day = min(day, upcoming[c])
        if day == NEVER:
            break
        while e < ledger_days.size and ledger_days[e] < day:  # days with nothing landing
            _record(ledger, short, e, state, was_short)
            e += 1
        while s < supplied.size and supplied[s] <= day:
            state[0] = made[s]
            s += 1
        for c in range(customers):
            if upcoming[c] == day:
                while k[c] < lands.shape[1] and lands[c, k[c]] <= day:
                    state[1 + c] = per_unit[c] * taken[c, k[c]]
                    k[c] += 1
        was_short = _hand_out(state, given, inventory, priority, scratch)
        for c in range(customers):
            if upcoming[c] == day:  # its lots that landed today: what it has received by now
                j = k[c] - 1
                while j >= 0 and lands[c, j] == day:
                    got[c, j] = state[1 + customers + c]
                    j -= 1
                upcoming[c] = lands[c, k[c]] if k[c] < lands.shape[1] else NEVER
        if e < ledger_days.size and ledger_days[e] == day:
            _record(ledger, short, e, state, was_short)
            e += 1
    while e < ledger_days.size:  # after the last event day: as it stood
        _record(ledger, short, e, state, was_short)
        e += 1


@compiled(inline=True)
def _hand_out(
    state: IntArray, given: FloatArray, inventory: int, priority: bool, scratch: FloatArray
) -> bool:
    """One event day: hand out the stock on hand against what is owed (`given` holds each
    customer's exact running total, `state` the whole amounts); whether the supplier is short.
    The arithmetic runs in the order numpy's sums would (customer order)."""
    customers = given.size
    handed = 0.0
    for c in range(customers):
        handed += given[c]
    available = float(inventory + state[0]) - handed
    total = 0.0
    for c in range(customers):
        scratch[0, c] = state[1 + c] - given[c]
        total += scratch[0, c]
    allocate_day(available, scratch[0], priority, scratch[1])
    for c in range(customers):
        given[c] = given[c] + scratch[1, c]
        state[1 + customers + c] = np.int64(np.floor(given[c] + ROUNDING_SLACK))
    return bool(total > available + ROUNDING_SLACK)


@compiled(inline=True)
def _record(ledger: IntArray, short: BoolArray, e: int, state: IntArray, was_short: bool) -> None:
    """The ledger's row e (one replication's): the state after the last event day on or before."""
    for i in range(state.size):
        ledger[e, i] = state[i]
    short[e] = was_short
