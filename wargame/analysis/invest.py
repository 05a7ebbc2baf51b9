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
]

import math
from collections.abc import Sequence

import numpy as np

from wargame.analysis.invest_missions import GroupCoverage, SpendingCap, constraints, first_blocked
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
)
from wargame.config.models import Munition
from wargame.config.scenario import Scenario
from wargame.model.compile import CompiledModel, CompiledMunition
from wargame.model.rates import ROUNDING_SLACK, FloatArray


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
        ceiling_per_year=supplemental.expansion_ceiling_ratio
        * munition.production.capacity_per_year,
    )


def missile_price(munition: Munition) -> float:
    """Price of one supplemental missile: list price less the discount, over the efficiency."""
    supplemental = munition.supplemental
    return (
        munition.unit_cost_usd
        * (1 - supplemental.multiyear_discount)
        / supplemental.funding_efficiency
    )


class OverCapError(Exception):
    """No plan within the spending caps meets the salvos of the window."""


def solve(
    rows: tuple[Coverage, ...],
    target_days: float,
    groups: Sequence[GroupCoverage] = (),
    caps: Sequence[SpendingCap] = (),
    network: tuple[SupplierRows, ...] = (),
) -> Plan:
    """The least-cost plan meeting every salvo before conflict day `target_days`, else the best.

    `groups` are the missions' demand groups (invest_missions.py), whose rows join the LP, and
    `caps` the nations' spending caps. When no money reaches the target, the plan is the
    least-cost one for the best achievable days (the conflict day of the first salvo no lever
    can cover, or that no plan within the caps covers), with the reason it cannot go further.
    `network` are the suppliers' rows (invest_network.py): supplier capacity joins the levers.
    """
    try:
        return _solve(rows, target_days, groups, caps, network)
    except OverCapError:
        return _within_caps(rows, target_days, groups, caps, network)


def _within_caps(
    rows: tuple[Coverage, ...],
    target_days: float,
    groups: Sequence[GroupCoverage],
    caps: Sequence[SpendingCap],
    network: tuple[SupplierRows, ...] = (),
) -> Plan:
    """The best days the caps (or suppliers filling orders in turn) allow (bisection over the
    salvo days: a later target never costs less), and the least-cost plan for them."""
    days = sorted({float(d) for row in rows for d in row.salvo_days if d < target_days})
    low, high = 0, len(days)  # days[:low] can be met within the caps; days[:high + 1] cannot
    while low < high:
        middle = (low + high + 1) // 2
        try:
            _least_cost(rows, days[middle - 1] + 1e-9, groups, caps, network)
            low = middle
        except OverCapError:
            high = middle - 1
    best = days[low] if low < len(days) else target_days
    purchases, added = _least_cost(rows, best, groups, caps, network)
    bought = supplier_purchases(network, added, CAPACITY_STEP)
    if not caps:
        expanded = sorted(
            (b for b in bought if b.added_capacity_per_year > 0), key=lambda b: -b.capacity_usd
        )
        names = ", ".join(b.supplier for b in expanded) or ", ".join(n.name for n in network)
        detail = (
            f"{names}: filling supplemental orders in turn, even at the ceiling of added "
            f"capacity, cannot cover conflict day {best:g}"
        )
        only = expanded[0].supplier if expanded else None
        return Plan(
            target_days,
            False,
            best,
            purchases,
            "supplier_capacity",
            detail,
            suppliers=bought,
            binding_supplier=only,
        )
    names = ", ".join(f"{cap.nation} ({cap.usd:,.0f} USD)" for cap in caps)
    detail = f"the spending caps of {names} cannot cover conflict day {best:g}"
    return Plan(target_days, False, best, purchases, "spending_cap", detail, suppliers=bought)


def _solve(
    rows: tuple[Coverage, ...],
    target_days: float,
    groups: Sequence[GroupCoverage],
    caps: Sequence[SpendingCap],
    network: tuple[SupplierRows, ...] = (),
) -> Plan:
    blocked = [
        (day, i)
        for i, row in enumerate(rows)
        if (day := _first_blocked(row, target_days)) is not None
    ]
    blocked += [found for group in groups if (found := first_blocked(group, rows, target_days))]
    windows = tuple(_window(row, target_days) for row in rows)
    short = first_blocked_by_supplier(
        network, tuple(r.need for r in rows), windows, tuple(r.salvo_days for r in rows)
    )
    if short is not None and (not blocked or short[0] < min(blocked)[0]):
        purchases, added = _least_cost(rows, short[0], groups, caps, network)
        detail = (
            f"{short[1]}: even the ceiling of added supplier capacity cannot make the "
            f"components in time for conflict day {short[0]:g}"
        )
        bought = supplier_purchases(network, added, CAPACITY_STEP)
        return Plan(
            target_days,
            False,
            short[0],
            purchases,
            "supplier_capacity",
            detail,
            suppliers=bought,
            binding_supplier=short[1],
        )
    if not blocked:
        purchases, added = _least_cost(rows, target_days, groups, caps, network)
        bought = supplier_purchases(network, added, CAPACITY_STEP)
        binding, detail, supplier = _what_binds(rows, purchases, network, bought)
        return Plan(
            target_days,
            True,
            target_days,
            purchases,
            binding,
            detail,
            suppliers=bought,
            binding_supplier=supplier,
        )
    best_days, culprit = min(blocked)
    purchases, added = _least_cost(rows, best_days, groups, caps, network)
    binding, detail = _why_blocked(rows[culprit], best_days)
    bought = supplier_purchases(network, added, CAPACITY_STEP)
    return Plan(target_days, False, best_days, purchases, binding, detail, suppliers=bought)


def _window(row: Coverage, target_days: float) -> np.ndarray:
    return (row.salvo_days < target_days) & (row.need > 0)


def _first_blocked(row: Coverage, target_days: float) -> float | None:
    """Conflict day of the first salvo before the target that no purchase can cover, if any."""
    reachable = row.spare + row.ceiling_per_year * row.expansion
    blocked = _window(row, target_days) & (reachable < row.need)
    return float(row.salvo_days[np.argmax(blocked)]) if blocked.any() else None


def _least_cost(
    rows: tuple[Coverage, ...],
    target_days: float,
    groups: Sequence[GroupCoverage] = (),
    caps: Sequence[SpendingCap] = (),
    network: tuple[SupplierRows, ...] = (),
) -> tuple[tuple[Purchase, ...], FloatArray]:
    """Solve the LP over every munition's, group's and supplier's rows in the window, within the
    spending caps; round missiles up to whole ones. The purchases and the (unrounded) capacity
    added to each supplier. OverCapError when the caps (or suppliers) leave no plan."""
    from scipy.optimize import linprog  # here, not at import: scipy.optimize costs ~0.7 s to load

    cost = np.array([price for row in rows for price in (row.missile_usd, row.capacity_usd)])
    cost = np.concatenate((cost, [s.capacity_usd for s in network]))
    blocks, limits = [], []
    for i, row in enumerate(rows):
        window = _window(row, target_days)
        need, spare, expansion = row.need[window], row.spare[window], row.expansion[window]
        block = np.zeros((2 * need.size, 2 * len(rows)))
        block[: need.size, 2 * i] = -1.0  # missiles >= need
        block[need.size :, 2 * i + 1] = -expansion  # added * ramp >= need - spare
        blocks.append(block)
        limits.append(np.concatenate((-need, spare - need)))
    more_blocks, more_limits = constraints(groups, rows, target_days)
    blocks += more_blocks
    limits += more_limits
    for cap in caps:  # the bill within the cap, after rounding up to whole missiles and steps
        block = np.zeros(2 * len(rows))
        rounding = 0.0
        for i in cap.munitions:
            block[2 * i], block[2 * i + 1] = rows[i].missile_usd, rows[i].capacity_usd
            rounding += rows[i].missile_usd + CAPACITY_STEP * rows[i].capacity_usd
        blocks.append(block[None])
        limits.append(np.array([max(0.0, cap.usd - rounding)]))
    bounds = [b for row in rows for b in ((0, None), (0, row.ceiling_per_year))]
    bounds += [(0, s.ceiling_per_year) for s in network]
    if network:
        columns = cost.size
        blocks = [np.pad(b, ((0, 0), (0, columns - b.shape[1]))) for b in blocks]
        windows = tuple(_window(row, target_days) for row in rows)
        more_blocks, more_limits = network_constraints(
            network, tuple(r.need for r in rows), windows, columns
        )
        blocks += more_blocks
        limits += more_limits
    a_ub = np.vstack(blocks) if blocks else None
    b_ub = np.concatenate(limits) if limits else None
    result = linprog(cost, A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs")
    if result.status == 2 and (caps or network):  # infeasible: the caps or orders in turn
        raise OverCapError
    if result.status != 0:
        raise RuntimeError(f"investment LP failed: {result.message}")
    purchases = tuple(
        _purchase(row, result.x[2 * i], result.x[2 * i + 1]) for i, row in enumerate(rows)
    )
    return purchases, np.asarray(result.x[2 * len(rows) :], dtype=np.float64)


def _purchase(row: Coverage, missiles: float, added: float) -> Purchase:
    """Whole missiles (rounded up) and capacity rounded up to CAPACITY_STEP, within the ceiling."""
    whole = max(0, math.ceil(missiles - 1e-6))
    added = min(row.ceiling_per_year, math.ceil(added / CAPACITY_STEP - 1e-6) * CAPACITY_STEP)
    added = max(0.0, round(added, 6))
    return Purchase(row.name, whole, added, whole * row.missile_usd, added * row.capacity_usd)


def _what_binds(
    rows: tuple[Coverage, ...],
    purchases: tuple[Purchase, ...],
    network: tuple[SupplierRows, ...] = (),
    bought: tuple[SupplierPurchase, ...] = (),
) -> tuple[str, str, str | None]:
    """What binds a feasible plan, and the supplier that does (if one does)."""
    expanded_suppliers = [b for b in bought if b.added_capacity_per_year > 0]
    if expanded_suppliers:
        first = max(expanded_suppliers, key=lambda b: b.capacity_usd)
        names = ", ".join(b.supplier for b in expanded_suppliers)
        return (
            "supplier_capacity",
            f"{names}: the supplier's spare capacity cannot make the components in time",
            first.supplier,
        )
    binding, detail = _line_binding(rows, purchases)
    return binding, detail, None


def _line_binding(rows: tuple[Coverage, ...], purchases: tuple[Purchase, ...]) -> tuple[str, str]:
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
