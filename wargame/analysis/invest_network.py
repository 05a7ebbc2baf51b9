"""Suppliers in the supplemental solver: added supplier capacity as a lever, shared by lines.

A supplemental missile needs its components, which its suppliers make from their spare capacity
(today's plus any added by capital) and hand to the orders one after another (model/network.py:
`priority` order, then file order, each order in full before the next). So for a line i served
p-th by supplier s, with c components a missile, its supplemental missiles reach `need` by a
salvo's bound b only if

    spare_s(b) + added_s * ramp_s(b) - sum over earlier orders q of c_q * (missiles_q + 1)
        >= c * need_i(b),

one linear row per salvo (the + 1 keeps room for earlier orders rounded up to whole missiles).
With the line's own rows (invest.py) the LP then chooses between missiles, line capacity and
supplier capacity for every munition at once: one motor plant can be the cheapest answer for two
missiles.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from wargame.config.scenario import Scenario
from wargame.errors import InputError
from wargame.model.compile import CompiledModel
from wargame.model.draws import FIXED
from wargame.model.network import serving_order, supplier_line
from wargame.model.rates import FloatArray


@dataclass(frozen=True)
class SupplierRows:
    """One supplier's rows: its supplemental capacity at each taker's salvo bounds."""

    name: str
    takers: tuple[int, ...]  # coverage rows (munitions) in serving order
    per_unit: tuple[int, ...]  # components a missile of each taker takes
    spare: tuple[FloatArray, ...]  # components its spare capacity makes by each taker's bounds
    expansion: tuple[FloatArray, ...]  # added components per component/year of added capacity
    capacity_usd: float  # price of one component/year of added capacity
    ceiling_per_year: float
    expansion_start_days: float


@dataclass(frozen=True)
class SupplierPurchase:
    """Capacity a plan adds to a supplier."""

    supplier: str
    added_capacity_per_year: float
    capacity_usd: float


def network_rows(
    model: CompiledModel, scenario: Scenario, made_by: tuple[FloatArray, ...]
) -> tuple[SupplierRows, ...]:
    """Every supplier's rows; `made_by` is each munition's salvo bounds (Coverage.made_by)."""
    names = list(scenario.munitions)
    out = []
    end = float(model.end_day)
    for name, supplier in scenario.suppliers.items():
        line = supplier_line(name, supplier, model.warning_days, end, FIXED)
        order = serving_order(scenario, name)
        takers = tuple(names.index(m) for m in order)
        levers = supplier.supplemental
        out.append(
            SupplierRows(
                name=name,
                takers=takers,
                per_unit=tuple(scenario.munitions[m].production.components[name] for m in order),
                spare=tuple(line.spare.cumulative(made_by[i]) for i in takers),
                expansion=tuple(line.expansion.cumulative(made_by[i]) for i in takers),
                capacity_usd=levers.expansion_cost_ratio
                * supplier.unit_cost_usd
                / levers.funding_efficiency,
                ceiling_per_year=levers.expansion_ceiling_ratio * supplier.capacity_per_year,
                expansion_start_days=levers.expansion_delay_days,
            )
        )
    return tuple(out)


def network_constraints(
    network: tuple[SupplierRows, ...],
    needs: tuple[FloatArray, ...],
    windows: tuple[np.ndarray, ...],
    columns: int,
) -> tuple[list[np.ndarray], list[FloatArray]]:
    """The suppliers' LP rows (A_ub blocks and limits) over `columns` variables: two per
    munition (missiles, added line capacity), then one per supplier (added capacity)."""
    munitions = len(needs)
    blocks, limits = [], []
    for s, rows in enumerate(network):
        for p, (i, per) in enumerate(zip(rows.takers, rows.per_unit, strict=True)):
            window = windows[i]
            count = int(window.sum())
            block = np.zeros((count, columns))
            block[:, 2 * munitions + s] = -rows.expansion[p][window]
            earlier = 0.0
            for q in range(p):
                block[:, 2 * rows.takers[q]] = rows.per_unit[q]
                earlier += rows.per_unit[q]
            blocks.append(block)
            limits.append(rows.spare[p][window] - per * needs[i][window] - earlier)
    return blocks, limits


def first_blocked_by_supplier(
    network: tuple[SupplierRows, ...],
    needs: tuple[FloatArray, ...],
    windows: tuple[np.ndarray, ...],
    salvo_days: tuple[FloatArray, ...],
) -> tuple[float, str] | None:
    """The first conflict day some supplier cannot cover even at its ceiling with no other
    order before it, and the supplier; None if none."""
    found: list[tuple[float, str]] = []
    for rows in network:
        for p, (i, per) in enumerate(zip(rows.takers, rows.per_unit, strict=True)):
            reach = rows.spare[p] + rows.ceiling_per_year * rows.expansion[p]
            blocked = windows[i] & (reach < per * needs[i])
            if blocked.any():
                found.append((float(salvo_days[i][np.argmax(blocked)]), rows.name))
    return min(found) if found else None


def supplier_purchases(
    network: tuple[SupplierRows, ...], added: FloatArray, step: float
) -> tuple[SupplierPurchase, ...]:
    """Capacity rounded up to `step`, within each supplier's ceiling, priced."""
    out = []
    for rows, value in zip(network, added.tolist(), strict=True):
        rounded = min(rows.ceiling_per_year, np.ceil(value / step - 1e-6) * step)
        rounded = max(0.0, round(float(rounded), 6))
        out.append(SupplierPurchase(rows.name, rounded, rounded * rows.capacity_usd))
    return tuple(out)


def check_network_levers(scenario: Scenario, risk: float | None, origin: str) -> None:
    """Refuse what invest does not cover with suppliers yet, naming the field."""
    if not scenario.suppliers:
        return
    what = (
        "platforms"
        if scenario.platforms
        else "missions"
        if scenario.missions
        else "--risk"
        if risk is not None
        else None
    )
    if what is not None:
        raise InputError(f"{origin}: suppliers: invest does not cover suppliers with {what} yet")
    for name, nation in scenario.nations.items():
        if nation.spending_cap_usd is not None:
            raise InputError(
                f"{origin}: nations.{name}.spending_cap_usd: invest does not cover caps with "
                "suppliers yet"
            )
    for name, munition in scenario.munitions.items():
        if munition.supplemental.from_line is not None:
            raise InputError(
                f"{origin}: munitions.{name}.supplemental.from_line: invest does not cover "
                "purchases off other lines with suppliers yet"
            )
    for name, supplier in scenario.suppliers.items():
        if supplier.components:
            raise InputError(
                f"{origin}: suppliers.{name}.components: invest does not cover tiers of "
                "suppliers yet"
            )


def supplier_assignments(plan_suppliers: tuple[SupplierPurchase, ...]) -> dict[str, float]:
    """The plan's supplier capacity by dotted path, for the closed config."""
    return {
        f"suppliers.{p.supplier}.supplemental.added_capacity_per_year": p.added_capacity_per_year
        for p in plan_suppliers
    }
