"""Peacetime use: missiles fired in tests and training between the decision day and the war.

The use of sim day [d, d + 1) is drawn at time d, after any lot that lands at or before d (lots
go first at equal times), for d = 0 .. warning - 1. Amounts are whole missiles whose running
total is the floor of the exact use (as lots and salvos are). A draw takes what the depot holds
and no more: the stock never goes below zero, and use that finds it empty is not made up later.
Operations before the war (a munition's firing phases with negative days: the Red Sea, strikes
in peacetime) join the same plan, day by day: they draw the stock exactly as tests and training
do, and the pre-war draws count in the stock at the conflict start and in the rebuild years.
During the conflict peacetime use stops (test and training shots are assumed to give way to the
war); after it, the use nets against the funded deliveries in rebuild years (analysis/metrics.py).

The SimPy engine applies the plan draw by draw; the vectorised engine takes the stock at the
conflict start, for which `used_before_war` gives the closed form (a Lindley recursion,
x_d = max(0, x_{d-1} + delivered_d - planned_d), solved by a running minimum).
"""

from __future__ import annotations

import numpy as np

from wargame.config.models import DAYS_PER_YEAR
from wargame.jit import compiled
from wargame.model.draws import per_replication
from wargame.model.rates import FloatArray, IntArray, PiecewiseLinear, whole_amounts


def peacetime_plan(use_per_year: FloatArray, warning: int) -> IntArray:
    """(warning, R) whole missiles planned for each pre-war sim day; (0, R) with no use."""
    use = per_replication(np.asarray(use_per_year, dtype=np.float64), 0)
    if warning == 0 or not np.any(use > 0):
        return np.zeros((0, use.shape[-1]), dtype=np.int64)
    bounds = np.arange(warning + 1, dtype=np.float64)[:, None]
    return whole_amounts(bounds * use / DAYS_PER_YEAR)


def fire_before_war(demand: PiecewiseLinear, warning: int) -> IntArray:
    """(warning, R) whole missiles a munition's own firing phases demand on each pre-war sim day
    (phases with negative days); (0, R or 1) when none do. Running totals are floors, as for use."""
    if warning == 0:  # no days before the war (most scenarios): nothing to integrate
        return np.zeros((0, 1), dtype=np.int64)
    bounds = np.arange(warning + 1, dtype=np.float64)
    planned = per_replication(whole_amounts(demand.cumulative(bounds)), 1)
    if not np.any(planned > 0):
        return np.zeros((0, planned.shape[-1]), dtype=np.int64)
    return planned


def drawn_plan(use: IntArray, fire: IntArray) -> IntArray:
    """One pre-war plan of both draws, tests and training and operations: (W or 0, R)."""
    if fire.shape[0] == 0:
        return use
    if use.shape[0] == 0:
        return fire
    return use + fire


def used_before_war(
    plan: IntArray, inventory: IntArray, lot_times: FloatArray, lot_sizes: IntArray
) -> IntArray:
    """(R,) missiles peacetime use actually takes before the war, the stock never below zero.

    `plan` is (W, R or 1); `inventory` (R,) the decision-day stock; lots are (lots, R or 1).
    """
    days = plan.shape[0]
    size = max(plan.shape[1], np.size(inventory), lot_times.shape[-1], lot_sizes.shape[-1])
    used = np.zeros(size, dtype=np.int64)
    if days == 0:
        return used
    _lindley(
        np.ascontiguousarray(plan, dtype=np.int64),
        np.ascontiguousarray(np.broadcast_to(inventory, (size,)), dtype=np.int64),
        np.ascontiguousarray(lot_times, dtype=np.float64),
        np.ascontiguousarray(lot_sizes, dtype=np.int64),
        used,
    )
    return used


@compiled()
def _lindley(
    plan: IntArray, inventory: IntArray, lot_times: FloatArray, lot_sizes: IntArray, used: IntArray
) -> None:
    """Into `used` (R,): each replication's planned use less the use that found the depot empty
    (the deepest the stock would have gone below zero), one pass over the pre-war days. A lot at
    time t lands before the draw of day ceil(t)."""
    days = plan.shape[0]
    landed = np.zeros(days, dtype=np.int64)  # lots landing before each day's draw
    for r in range(used.size):
        landed[:] = 0
        rt, rs = min(r, lot_times.shape[1] - 1), min(r, lot_sizes.shape[1] - 1)
        for lot in range(lot_times.shape[0]):
            day = max(np.ceil(lot_times[lot, rt]), 0.0)
            if day < days:
                landed[int(day)] += lot_sizes[lot, rs]
        level, lowest, planned = inventory[r], inventory[r], 0
        rp = min(r, plan.shape[1] - 1)
        for d in range(days):
            planned += plan[d, rp]
            level += landed[d] - plan[d, rp]
            lowest = min(lowest, level)
        used[r] = planned - max(0, -lowest)
