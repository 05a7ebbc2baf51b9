"""The supplemental solver: the least money, decided on day 0, that meets demand for D days.

Levers per munition: extra missiles (ordered on the decision day, delivered from the lead time as
fast as spare capacity allows) and added line capacity (online after a delay and a ramp, up to a
ceiling). Both are priced through the funding efficiency.

Why a linear program: with extra missiles delivered as early as capacity allows, the whole-missile
SimPy model fires every salvo of the first D days in full exactly when, at each salvo, the missiles
made for US stocks by the end of the latest delivered lot cover the cumulative demand. That is one
inequality per salvo, linear in (missiles, added capacity) per munition: missiles >= need and
spare + added * ramp >= need. HiGHS (scipy.optimize.linprog) then returns the exact least-cost mix,
and the same rows tell what binds: the lead time, the expansion delay, or the ceiling.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from wargame.analysis.invest_bills import SpendingCap, cap_rows
from wargame.analysis.invest_missions import GroupCoverage, constraints, first_blocked
from wargame.analysis.invest_routes import (
    Route,
    RoutePurchase,
    big_m,
    columns,
    missile_bound,
    reach_all,
    reach_into,
    route_rows,
)
from wargame.analysis.invest_routes import purchases as route_purchases
from wargame.config.models import Munition
from wargame.config.scenario import Scenario
from wargame.model.compile import CompiledModel, CompiledMunition
from wargame.model.rates import ROUNDING_SLACK, FloatArray

# Added capacity is written to the closed config rounded up to this step (missiles per year).
CAPACITY_STEP = 1e-3


@dataclass(frozen=True)
class Coverage:
    """One munition's coverage rows: per salvo of the conflict, what the supplemental must supply.

    Row k holds for the salvo at conflict day `salvo_days[k]`: supplemental missiles delivered by
    then must reach `need[k]`; what spare capacity can deliver by then is
    `spare[k] + added_per_year * expansion[k]`.
    """

    name: str
    salvo_days: FloatArray
    made_by: FloatArray  # sim day up to which production counts for each salvo (its lot's bound)
    need: FloatArray
    spare: FloatArray
    expansion: FloatArray
    lead_time_days: float
    expansion_start_days: float
    missile_usd: float  # price of one supplemental missile, after discount and efficiency
    capacity_usd: float  # price of one missile/year of added capacity, after efficiency
    ceiling_per_year: float


@dataclass(frozen=True)
class Purchase:
    """What the plan buys for one munition."""

    munition: str
    missiles: int
    added_capacity_per_year: float
    missiles_usd: float
    capacity_usd: float

    @property
    def total_usd(self) -> float:
        """Missiles and capacity together."""
        return self.missiles_usd + self.capacity_usd

    @property
    def label(self) -> str:
        """How a bill names it."""
        return self.munition


@dataclass(frozen=True)
class LauncherOption:
    """A launcher purchase: what it sets in the scenario, what it costs, and what it is."""

    label: str
    assignments: dict[str, Any]
    usd: float


NO_PURCHASE = LauncherOption("no launcher purchase", {}, 0.0)


@dataclass(frozen=True)
class Plan:
    """The least-cost supplemental for a target, or the best achievable when none reaches it."""

    target_days: float
    feasible: bool
    achieved_days: float  # the target, or the best achievable days when infeasible
    purchases: tuple[Purchase, ...]
    binding: str  # inventory, line_capacity, ceiling, lead_time, expansion_delay, launchers, none
    binding_detail: str
    launchers: LauncherOption = NO_PURCHASE
    routes: tuple[RoutePurchase, ...] = ()  # missiles allies buy off other nations' lines

    @property
    def missiles_usd(self) -> float:
        """Price of the missile-side purchases (missiles, line capacity, missiles off allies'
        lines)."""
        return sum(p.total_usd for p in self.purchases) + sum(p.total_usd for p in self.routes)

    @property
    def bought_missiles_usd(self) -> float:
        """Price of the missiles alone, off every line."""
        own = sum(p.missiles_usd for p in self.purchases)
        return own + sum(p.missiles_usd for p in self.routes)

    @property
    def total_usd(self) -> float:
        """The plan's whole price, launchers included."""
        return self.missiles_usd + self.launchers.usd


def coverage_rows(model: CompiledModel, scenario: Scenario) -> tuple[Coverage, ...]:
    """The LP rows of every munition, from the compiled model with no supplemental applied."""
    return tuple(
        _coverage(munition, scenario.munitions[munition.name], model.warning_days)
        for munition in model.munitions
    )


def _coverage(compiled: CompiledMunition, munition: Munition, warning: int) -> Coverage:
    line = compiled.line
    # The last lot delivered at or before each salvo (lots go first at equal times) carries what
    # was made up to the next lot bound; index -1 (no lot yet) maps to bound 0, where nothing is.
    lot = np.searchsorted(line.lot_times, compiled.salvo_times, side="right") - 1
    bound = line.lot_bounds[lot + 1]
    demanded = np.cumsum(compiled.salvo_demand)
    funded = line.us_share * line.output.cumulative(bound)
    # Peacetime use is counted as planned, even where the stock would run dry before the war and
    # skip some: supplemental missiles landing then would be drawn too, so the plan stays enough.
    prewar_use = int(compiled.peacetime_plan.sum())
    need = demanded - compiled.inventory + prewar_use - funded - ROUNDING_SLACK
    supplemental = munition.supplemental
    efficiency = supplemental.funding_efficiency
    return Coverage(
        name=compiled.name,
        salvo_days=compiled.salvo_times - warning,
        made_by=bound,
        need=need,
        spare=line.spare.cumulative(bound),
        expansion=line.expansion.cumulative(bound),
        lead_time_days=munition.production.lead_time_days,
        expansion_start_days=supplemental.expansion_delay_days,
        missile_usd=missile_price(munition),
        capacity_usd=supplemental.expansion_cost_ratio * munition.unit_cost_usd / efficiency,
        ceiling_per_year=ceiling(munition),
    )


def ceiling(munition: Munition) -> float:
    """The most capacity a year the supplemental can add to the munition's line: the absolute
    ceiling when set (a co-production line built from nothing), else the ratio of today's."""
    levers = munition.supplemental
    if levers.expansion_ceiling_per_year is not None:
        return levers.expansion_ceiling_per_year
    return levers.expansion_ceiling_ratio * munition.production.capacity_per_year


def missile_price(munition: Munition) -> float:
    """Price of one supplemental missile: list price less the discount, over the efficiency."""
    supplemental = munition.supplemental
    return (
        munition.unit_cost_usd
        * (1 - supplemental.multiyear_discount)
        / supplemental.funding_efficiency
    )


class NoPlanError(Exception):
    """No plan meets the salvos of the window: the spending caps, or allies' orders competing
    for one line's spare capacity, leave none."""


def solve(
    rows: tuple[Coverage, ...],
    target_days: float,
    groups: Sequence[GroupCoverage] = (),
    caps: Sequence[SpendingCap] = (),
    routes: tuple[Route, ...] = (),
) -> Plan:
    """The least-cost plan meeting every salvo before conflict day `target_days`, else the best.

    `groups` are the missions' demand groups (invest_missions.py), whose rows join the LP,
    `caps` the nations' spending caps and `routes` allies' purchases off other lines
    (invest_routes.py). When no money reaches the target, the plan is the least-cost one for the
    best achievable days (the conflict day of the first salvo no lever can cover, or that no
    plan within the caps and the shared lines covers), with the reason it cannot go further.
    """
    try:
        return _solve(rows, target_days, groups, caps, routes)
    except NoPlanError:
        return _best_within(rows, target_days, groups, caps, routes)


def _best_within(
    rows: tuple[Coverage, ...],
    target_days: float,
    groups: Sequence[GroupCoverage],
    caps: Sequence[SpendingCap],
    routes: tuple[Route, ...],
) -> Plan:
    """The best days the caps and shared lines allow (bisection over the salvo days: a later
    target never costs less), and the least-cost plan for them."""
    days = sorted({float(d) for row in rows for d in row.salvo_days if d < target_days})
    low, high = 0, len(days)  # days[:low] can be met; days[:high + 1] cannot
    while low < high:
        middle = (low + high + 1) // 2
        try:
            _least_cost(rows, days[middle - 1] + 1e-9, groups, caps, routes)
            low = middle
        except NoPlanError:
            high = middle - 1
    best = days[low] if low < len(days) else target_days
    purchases, bought = _least_cost(rows, best, groups, caps, routes)
    if caps:
        names = ", ".join(f"{cap.nation} ({cap.usd:,.0f} USD)" for cap in caps)
        binding, detail = "spending_cap", f"the spending caps of {names} cannot cover"
    else:
        binding = "shared_line"
        detail = "orders competing for one line's spare capacity cannot cover"
    detail = f"{detail} conflict day {best:g}"
    return Plan(target_days, False, best, purchases, binding, detail, routes=bought)


def _solve(
    rows: tuple[Coverage, ...],
    target_days: float,
    groups: Sequence[GroupCoverage],
    caps: Sequence[SpendingCap],
    routes: tuple[Route, ...],
) -> Plan:
    blocked = [
        (day, i)
        for i, row in enumerate(rows)
        if (day := _first_blocked(row, target_days, reach_into(i, rows, routes))) is not None
    ]
    blocked += [
        found
        for group in groups
        if (found := first_blocked(group, rows, target_days, reach_all(rows, routes)))
    ]
    if not blocked:
        purchases, bought = _least_cost(rows, target_days, groups, caps, routes)
        binding, detail = what_binds(rows, purchases)
        if binding == "none" and any(p.missiles for p in bought):
            binding, detail = "inventory", "the missiles themselves, some off an ally's line"
        return Plan(target_days, True, target_days, purchases, binding, detail, routes=bought)
    best_days, culprit = min(blocked)
    purchases, bought = _least_cost(rows, best_days, groups, caps, routes)
    binding, detail = _why_blocked(rows[culprit], best_days)
    return Plan(target_days, False, best_days, purchases, binding, detail, routes=bought)


def _window(row: Coverage, target_days: float) -> np.ndarray:
    return (row.salvo_days < target_days) & (row.need > 0)


def _first_blocked(row: Coverage, target_days: float, more: FloatArray) -> float | None:
    """Conflict day of the first salvo before the target that no purchase can cover, if any
    (`more`: what other lines could add by each salvo)."""
    reachable = row.spare + row.ceiling_per_year * row.expansion + more
    blocked = _window(row, target_days) & (reachable < row.need)
    return float(row.salvo_days[np.argmax(blocked)]) if blocked.any() else None


def _least_cost(
    rows: tuple[Coverage, ...],
    target_days: float,
    groups: Sequence[GroupCoverage] = (),
    caps: Sequence[SpendingCap] = (),
    routes: tuple[Route, ...] = (),
) -> tuple[tuple[Purchase, ...], tuple[RoutePurchase, ...]]:
    """Solve the LP over every munition's and group's rows in the window, within the spending
    caps (a mixed-integer program when allies buy off other lines); round missiles up to whole
    ones. NoPlanError when the caps or the shared lines leave no plan."""
    from scipy.optimize import linprog  # here, not at import: scipy.optimize costs ~0.7 s to load

    steps = rows[0].salvo_days.size if rows else 0
    salvo_days = rows[0].salvo_days if rows else np.zeros(0)
    layout = columns(routes, rows, salvo_days[:steps] < target_days)
    cost = np.zeros(layout.width)
    cost[: layout.base] = [price for row in rows for price in (row.missile_usd, row.capacity_usd)]
    for r, route in enumerate(routes):
        cost[layout.base + r] = route.missile_usd
    blocks, limits = [], []
    for i, row in enumerate(rows):
        window = _window(row, target_days)
        need, spare, expansion = row.need[window], row.spare[window], row.expansion[window]
        block = np.zeros((2 * need.size, layout.width))
        block[: need.size, 2 * i] = -1.0  # missiles (+ routes) >= need
        block[need.size :, 2 * i + 1] = -expansion  # added * ramp (+ routes) >= need - spare
        for k, t in enumerate(np.nonzero(window)[0]):
            for column in layout.into(i, int(t)):
                block[k, column] = block[need.size + k, column] = -1.0
        blocks.append(block)
        limits.append(np.concatenate((-need, spare - need)))
    more_blocks, more_limits = constraints(groups, rows, target_days, layout)
    blocks += more_blocks
    limits += more_limits
    cap_blocks, cap_limits = cap_rows(rows, caps, layout, CAPACITY_STEP)
    blocks += cap_blocks
    limits += cap_limits
    bound = missile_bound(rows, groups) if routes else None
    route_blocks, route_limits = route_rows(layout, rows, big_m(rows, routes, bound))
    blocks += route_blocks
    limits += route_limits
    bounds = [b for row in rows for b in ((0, bound), (0, row.ceiling_per_year))]
    bounds += [(0, bound)] * len(routes) + [(0, None), (0, 1)] * len(layout.y)
    integrality = np.zeros(layout.width)
    integrality[layout.base + len(routes) + 1 :: 2] = 1  # each route and salvo's z
    a_ub = np.vstack(blocks) if blocks else None
    b_ub = np.concatenate(limits) if limits else None
    result = linprog(
        cost,
        A_ub=a_ub,
        b_ub=b_ub,
        bounds=bounds,
        method="highs",
        integrality=integrality if layout.y else None,
        options={"mip_rel_gap": 0.0} if layout.y else None,  # the least cost, not within 0.01%
    )
    if result.status == 2 and (caps or routes):  # infeasible: only these can make it so
        raise NoPlanError
    if result.status != 0:
        raise RuntimeError(f"investment LP failed: {result.message}")
    purchases = tuple(
        purchase(row, result.x[2 * i], result.x[2 * i + 1]) for i, row in enumerate(rows)
    )
    return purchases, route_purchases(layout, result.x, [row.name for row in rows])


def purchase(row: Coverage, missiles: float, added: float) -> Purchase:
    """Whole missiles (rounded up) and capacity rounded up to CAPACITY_STEP, within the ceiling."""
    whole = max(0, math.ceil(missiles - 1e-6))
    added = min(row.ceiling_per_year, math.ceil(added / CAPACITY_STEP - 1e-6) * CAPACITY_STEP)
    added = max(0.0, round(added, 6))
    return Purchase(row.name, whole, added, whole * row.missile_usd, added * row.capacity_usd)


def what_binds(rows: tuple[Coverage, ...], purchases: tuple[Purchase, ...]) -> tuple[str, str]:
    at_ceiling = [
        p
        for p, r in zip(purchases, rows, strict=True)
        if p.added_capacity_per_year > 0
        and p.added_capacity_per_year >= r.ceiling_per_year - CAPACITY_STEP
    ]
    expanded = [p for p in purchases if p.added_capacity_per_year > 0]
    if at_ceiling:
        names = ", ".join(p.munition for p in at_ceiling)
        return "ceiling", f"{names}: the line is expanded to its ceiling"
    if expanded:
        names = ", ".join(p.munition for p in expanded)
        return "line_capacity", f"{names}: today's spare capacity cannot deliver in time"
    if any(p.missiles > 0 for p in purchases):
        return "inventory", "the missiles themselves: today's spare capacity delivers in time"
    return "none", "the stock already lasts: no money is needed"


def _why_blocked(row: Coverage, day: float) -> tuple[str, str]:
    """Name the constraint that stops `row` from covering its salvo on conflict `day`."""
    k = int(np.argmax(row.salvo_days >= day))
    if row.made_by[k] <= row.lead_time_days:
        return "lead_time", (
            f"{row.name}: missiles ordered on the decision day arrive only after the "
            f"{row.lead_time_days:g}-day lead time, too late for conflict day {day:g}"
        )
    if row.expansion[k] == 0:
        return "expansion_delay", (
            f"{row.name}: today's spare capacity falls short by conflict day {day:g}, and added "
            f"capacity starts only {row.expansion_start_days:g} days after the decision"
        )
    return "ceiling", (
        f"{row.name}: even the ceiling of {row.ceiling_per_year:,.0f}/yr of added capacity "
        f"cannot deliver enough by conflict day {day:g}"
    )


def without_supplemental(scenario: Scenario) -> Scenario:
    """The scenario with no supplemental bought, the baseline the solver prices from."""
    munitions = {
        name: munition.model_copy(
            update={
                "supplemental": munition.supplemental.model_copy(
                    update={"missiles": 0, "added_capacity_per_year": 0.0}
                )
            }
        )
        for name, munition in scenario.munitions.items()
    }
    return scenario.model_copy(update={"munitions": munitions})
