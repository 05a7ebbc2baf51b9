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
from wargame.analysis.invest_network import (
    SupplierPurchase,
    SupplierRows,
    first_blocked_by_supplier,
    network_constraints,
    supplier_purchases,
)
from wargame.analysis.invest_plan import (
    CAPACITY_STEP,
    NO_PURCHASE,
    Coverage,
    LauncherOption,
    Plan,
    Purchase,
    without_supplemental,
)
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

__all__ = [
    "CAPACITY_STEP",
    "NO_PURCHASE",
    "Coverage",
    "LauncherOption",
    "Plan",
    "Purchase",
    "coverage_rows",
    "missile_price",
    "solve",
    "without_supplemental",
]


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
    if compiled.supply_factor is not None:  # suppliers limit the funded output (model/network.py)
        funded = funded * compiled.supply_factor[lot + 1]
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
    network: tuple[SupplierRows, ...] = (),
) -> Plan:
    """The least-cost plan meeting every salvo before conflict day `target_days`, else the best.

    `groups` are the missions' demand groups (invest_missions.py), whose rows join the LP,
    `caps` the nations' spending caps, `routes` allies' purchases off other lines
    (invest_routes.py) and `network` the suppliers' rows (invest_network.py): supplier capacity
    joins the levers. When no money reaches the target, the plan is the least-cost one for the
    best achievable days (the conflict day of the first salvo no lever can cover, or that no
    plan within the caps, the shared lines and the suppliers covers), with the reason it cannot
    go further.
    """
    if routes and network:
        raise ValueError("purchases off other lines and suppliers are not solved together")
    lp = _Program(rows, groups, caps, routes, network)
    try:
        return _solve(lp, target_days)
    except NoPlanError:
        return _best_within(lp, target_days)


@dataclass(frozen=True)
class _Program:
    """What every LP of one solve shares: the rows and the levers beside the munitions'."""

    rows: tuple[Coverage, ...]
    groups: Sequence[GroupCoverage]
    caps: Sequence[SpendingCap]
    routes: tuple[Route, ...]
    network: tuple[SupplierRows, ...]


@dataclass(frozen=True)
class _Solution:
    """One LP's answer: each munition's purchase, missiles off other lines, supplier capacity."""

    purchases: tuple[Purchase, ...]
    routes: tuple[RoutePurchase, ...]
    suppliers: tuple[SupplierPurchase, ...]

    def plan(
        self, target: float, feasible: bool, days: float, binding: str, detail: str, **more: Any
    ) -> Plan:
        """The plan these purchases make."""
        return Plan(
            target,
            feasible,
            days,
            self.purchases,
            binding,
            detail,
            routes=self.routes,
            suppliers=self.suppliers,
            **more,
        )


def _best_within(lp: _Program, target_days: float) -> Plan:
    """The best days the caps, shared lines or suppliers filling orders in turn allow (bisection
    over the salvo days: a later target never costs less), and the least-cost plan for them."""
    days = sorted({float(d) for row in lp.rows for d in row.salvo_days if d < target_days})
    low, high = 0, len(days)  # days[:low] can be met; days[:high + 1] cannot
    while low < high:
        middle = (low + high + 1) // 2
        try:
            _least_cost(lp, days[middle - 1] + 1e-9)
            low = middle
        except NoPlanError:
            high = middle - 1
    best = days[low] if low < len(days) else target_days
    found = _least_cost(lp, best)
    if lp.caps:
        names = ", ".join(f"{cap.nation} ({cap.usd:,.0f} USD)" for cap in lp.caps)
        detail = f"the spending caps of {names} cannot cover conflict day {best:g}"
        return found.plan(target_days, False, best, "spending_cap", detail)
    if lp.network:
        expanded = sorted(
            (b for b in found.suppliers if b.added_capacity_per_year > 0),
            key=lambda b: -b.capacity_usd,
        )
        names = ", ".join(b.supplier for b in expanded) or ", ".join(n.name for n in lp.network)
        detail = (
            f"{names}: filling supplemental orders in turn, even at the ceiling of added "
            f"capacity, cannot cover conflict day {best:g}"
        )
        only = expanded[0].supplier if expanded else None
        return found.plan(
            target_days, False, best, "supplier_capacity", detail, binding_supplier=only
        )
    detail = f"orders competing for one line's spare capacity cannot cover conflict day {best:g}"
    return found.plan(target_days, False, best, "shared_line", detail)


def _solve(lp: _Program, target_days: float) -> Plan:
    rows, routes = lp.rows, lp.routes
    blocked = [
        (day, i)
        for i, row in enumerate(rows)
        if (day := _first_blocked(row, target_days, reach_into(i, rows, routes))) is not None
    ]
    blocked += [
        found
        for group in lp.groups
        if (found := first_blocked(group, rows, target_days, reach_all(rows, routes)))
    ]
    windows = tuple(_window(row, target_days) for row in rows)
    short = first_blocked_by_supplier(
        lp.network, tuple(r.need for r in rows), windows, tuple(r.salvo_days for r in rows)
    )
    if short is not None and (not blocked or short[0] < min(blocked)[0]):
        detail = (
            f"{short[1]}: even the ceiling of added supplier capacity cannot make the "
            f"components in time for conflict day {short[0]:g}"
        )
        return _least_cost(lp, short[0]).plan(
            target_days, False, short[0], "supplier_capacity", detail, binding_supplier=short[1]
        )
    if not blocked:
        answer = _least_cost(lp, target_days)
        binding, detail, supplier = _what_binds_with(rows, answer)
        return answer.plan(
            target_days, True, target_days, binding, detail, binding_supplier=supplier
        )
    best_days, culprit = min(blocked)
    binding, detail = _why_blocked(rows[culprit], best_days)
    return _least_cost(lp, best_days).plan(target_days, False, best_days, binding, detail)


def _window(row: Coverage, target_days: float) -> np.ndarray:
    return (row.salvo_days < target_days) & (row.need > 0)


def _first_blocked(row: Coverage, target_days: float, more: FloatArray) -> float | None:
    """Conflict day of the first salvo before the target that no purchase can cover, if any
    (`more`: what other lines could add by each salvo)."""
    reachable = row.spare + row.ceiling_per_year * row.expansion + more
    blocked = _window(row, target_days) & (reachable < row.need)
    return float(row.salvo_days[np.argmax(blocked)]) if blocked.any() else None


def _least_cost(lp: _Program, target_days: float) -> _Solution:
    """Solve the LP over every munition's, group's and supplier's rows in the window, within the
    spending caps (a mixed-integer program when allies buy off other lines); round missiles up
    to whole ones. NoPlanError when the caps, the shared lines or suppliers filling orders in
    turn leave no plan."""
    from scipy.optimize import linprog  # here, not at import: scipy.optimize costs ~0.7 s to load

    rows, groups, caps, routes, network = lp.rows, lp.groups, lp.caps, lp.routes, lp.network

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
    if network:  # one column per supplier after the munitions' (no routes beside suppliers)
        width = layout.width + len(network)
        cost = np.concatenate((cost, [s.capacity_usd for s in network]))
        bounds += [(0, s.ceiling_per_year) for s in network]
        integrality = np.zeros(width)
        blocks = [np.pad(b, ((0, 0), (0, width - b.shape[1]))) for b in blocks]
        windows = tuple(_window(row, target_days) for row in rows)
        more_blocks, more_limits = network_constraints(
            network, tuple(r.need for r in rows), windows, width
        )
        blocks += more_blocks
        limits += more_limits
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
    if result.status == 2 and (caps or routes or network):  # only these can make it infeasible
        raise NoPlanError
    if result.status != 0:
        raise RuntimeError(f"investment LP failed: {result.message}")
    purchases = tuple(
        purchase(row, result.x[2 * i], result.x[2 * i + 1]) for i, row in enumerate(rows)
    )
    added = np.asarray(result.x[layout.width :], dtype=np.float64)
    return _Solution(
        purchases,
        route_purchases(layout, result.x, [row.name for row in rows]),
        supplier_purchases(network, added, CAPACITY_STEP),
    )


def purchase(row: Coverage, missiles: float, added: float) -> Purchase:
    """Whole missiles (rounded up) and capacity rounded up to CAPACITY_STEP, within the ceiling."""
    whole = max(0, math.ceil(missiles - 1e-6))
    added = min(row.ceiling_per_year, math.ceil(added / CAPACITY_STEP - 1e-6) * CAPACITY_STEP)
    added = max(0.0, round(added, 6))
    return Purchase(row.name, whole, added, whole * row.missile_usd, added * row.capacity_usd)


def _what_binds_with(rows: tuple[Coverage, ...], found: _Solution) -> tuple[str, str, str | None]:
    """What binds a feasible plan, and the supplier that does (if one does)."""
    expanded = [b for b in found.suppliers if b.added_capacity_per_year > 0]
    if expanded:
        first = max(expanded, key=lambda b: b.capacity_usd)
        names = ", ".join(b.supplier for b in expanded)
        detail = f"{names}: the supplier's spare capacity cannot make the components in time"
        return "supplier_capacity", detail, first.supplier
    binding, detail = what_binds(rows, found.purchases)
    if binding == "none" and any(p.missiles for p in found.routes):
        binding, detail = "inventory", "the missiles themselves, some off an ally's line"
    return binding, detail, None


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
