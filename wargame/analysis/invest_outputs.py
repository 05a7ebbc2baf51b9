"""What `wargame invest` reports: outlays by year, the cost curve, invest.json and its CSV."""

from __future__ import annotations

import csv
import io
import itertools
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from wargame import __version__
from wargame.analysis.invest import (
    NO_PURCHASE,
    Coverage,
    LauncherOption,
    Plan,
    Purchase,
    solve,
)
from wargame.analysis.invest_bills import SpendingCap
from wargame.analysis.invest_missions import GroupCoverage
from wargame.analysis.invest_network import SupplierRows
from wargame.analysis.invest_routes import Route
from wargame.analysis.invest_shared import SharedProblem, shared_plan
from wargame.analysis.metrics import SCHEMA_VERSION
from wargame.config.models import DAYS_PER_YEAR
from wargame.config.scenario import Scenario
from wargame.model.compile import CompiledModel
from wargame.model.line import Line

CURVE_COLUMNS = (
    "target_days",
    "feasible",
    "total_usd",
    "missiles_usd",
    "capacity_usd",
    "marginal_usd_per_day",
)


@dataclass(frozen=True)
class CurvePoint:
    """The least money for one campaign length (None past the best achievable)."""

    target_days: int
    plan: Plan

    @property
    def total_usd(self) -> float | None:
        """Price of meeting the target, or None when no money reaches it."""
        return self.plan.total_usd if self.plan.feasible else None


def cost_curve(
    rows: tuple[Coverage, ...],
    horizon_days: int,
    launchers: LauncherOption = NO_PURCHASE,
    launch_days: float = math.inf,
    groups: Sequence[GroupCoverage] = (),
    caps: Sequence[SpendingCap] = (),
    routes: tuple[Route, ...] = (),
    shared: SharedProblem | None = None,
    network: tuple[SupplierRows, ...] = (),
) -> list[CurvePoint]:
    """The least money for every whole campaign length from 0 days to the horizon (`groups`:
    the missions' rows, invest_missions.py).

    With a fleet, the launcher purchase is fixed (the plan's) and lengths past what its launchers
    can fire are out of reach; missiles are priced by the LP alone.
    """
    curve = []
    for days in range(horizon_days + 1):
        if shared is not None:  # a munition serving two groups: invest_shared.py's program
            plan = shared_plan(shared, rows, float(days), caps)
        else:
            plan = solve(rows, float(days), groups, caps, routes, network)
        plan = replace(plan, launchers=launchers)
        if days > launch_days:
            plan = replace(plan, feasible=False)
        curve.append(CurvePoint(days, plan))
    return curve


def marginal_costs(curve: list[CurvePoint]) -> list[float | None]:
    """Cost of one more day at each point: the step from the previous length (None if unknown)."""
    out: list[float | None] = [None]
    for before, after in itertools.pairwise(curve):
        if before.total_usd is None or after.total_usd is None:
            out.append(None)
        else:
            out.append(after.total_usd - before.total_usd)
    return out


def cost_curve_csv(curve: list[CurvePoint]) -> str:
    """The cost curve as CSV, one row per campaign length."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CURVE_COLUMNS)
    for point, marginal in zip(curve, marginal_costs(curve), strict=True):
        feasible = point.plan.feasible
        missiles = point.plan.bought_missiles_usd if feasible else None
        capacity = (
            sum(p.capacity_usd for p in point.plan.purchases) + point.plan.suppliers_usd
            if feasible
            else None
        )
        writer.writerow(
            (
                point.target_days,
                str(feasible).lower(),
                _cell(point.total_usd),
                _cell(missiles),
                _cell(capacity),
                _cell(marginal),
            )
        )
    return out.getvalue()


def _cell(value: float | None) -> str:
    return "" if value is None else repr(float(value))


def outlays_by_year(plan: Plan, model: CompiledModel, scenario: Scenario) -> list[dict[str, Any]]:
    """Money by year after the decision day: missiles paid when ordered, capital over the build."""
    by_year: dict[int, dict[str, float]] = defaultdict(
        lambda: {"missiles_usd": 0.0, "capacity_usd": 0.0, "launchers_usd": 0.0}
    )
    for purchase, compiled in zip(plan.purchases, model.munitions, strict=True):
        munition = scenario.munitions[purchase.munition]
        lead = munition.production.lead_time_days
        for day, usd in missile_payments(purchase, compiled.line, lead):
            by_year[int(day // DAYS_PER_YEAR) + 1]["missiles_usd"] += usd
        build = (
            munition.supplemental.expansion_delay_days + munition.supplemental.expansion_ramp_days
        )
        for year, usd in _spread(purchase.capacity_usd, build):
            by_year[year]["capacity_usd"] += usd
    for day, usd in _route_payments(plan, model, scenario):
        by_year[int(day // DAYS_PER_YEAR) + 1]["missiles_usd"] += usd
    for bought in plan.suppliers:
        levers = scenario.suppliers[bought.supplier].supplemental
        build = levers.expansion_delay_days + levers.expansion_ramp_days
        for year, usd in _spread(bought.capacity_usd, build):
            by_year[year]["capacity_usd"] += usd
    by_year[1]["launchers_usd"] += plan.launchers.usd  # obligated on the decision day
    return [
        {
            "year": year,
            "from_day": (year - 1) * DAYS_PER_YEAR,
            **money,
            "total_usd": sum(money.values()),
        }
        for year, money in sorted(by_year.items())
        if sum(money.values()) > 0
    ]


def missile_payments(purchase: Purchase, line: Line, lead: float) -> list[tuple[float, float]]:
    """(order day, USD) per lot: each lot's supplemental missiles are ordered a lead time early."""
    return _payments(line, lead, 0, purchase.missiles, purchase.added_capacity_per_year,
                     purchase.missiles_usd)  # fmt: skip


def _route_payments(
    plan: Plan, model: CompiledModel, scenario: Scenario
) -> list[tuple[float, float]]:
    """(order day, USD) of the missiles bought off other lines: ordered a lead time before the
    line's lots that carry them, after its owner's order and earlier buyers'."""
    names = [m.name for m in model.munitions]
    ahead: dict[str, int] = {}
    out = []
    for route in plan.routes:
        seller = plan.purchases[names.index(route.line)]
        before = ahead.get(route.line, seller.missiles)
        ahead[route.line] = before + route.missiles
        lead = scenario.munitions[route.line].production.lead_time_days
        line = model.munitions[names.index(route.line)].line
        added = seller.added_capacity_per_year
        out += _payments(line, lead, before, route.missiles, added, route.missiles_usd)
    return out


def _payments(
    line: Line, lead: float, before: int, missiles: int, added: float, usd: float
) -> list[tuple[float, float]]:
    """(order day, USD) per lot of an order of `missiles` made after `before` others on the
    line, with `added` capacity a year bought."""
    if missiles == 0:
        return []
    made = line.supplemental_cumulative(line.lot_bounds, before + missiles, added)
    made = made - line.supplemental_cumulative(line.lot_bounds, before, added)
    per_lot = np.diff(made)
    per_lot[-1] += missiles - made[-1]  # any remainder rides on the last order
    price = usd / missiles
    order_days = np.maximum(line.lot_times - lead, 0.0)
    return [(float(d), float(n * price)) for d, n in zip(order_days, per_lot, strict=True) if n > 0]


def _spread(usd: float, build_days: float) -> list[tuple[int, float]]:
    """Split `usd` evenly over [0, build_days) into years 1, 2, ... (all in year 1 if instant)."""
    if usd == 0:
        return []
    if build_days <= 0:
        return [(1, usd)]
    years = int(np.ceil(build_days / DAYS_PER_YEAR))
    shares = [
        min(DAYS_PER_YEAR, build_days - (y - 1) * DAYS_PER_YEAR) / build_days
        for y in range(1, years + 1)
    ]
    return [(y, usd * share) for y, share in zip(range(1, years + 1), shares, strict=True)]


def invest_summary(
    plan: Plan,
    *,
    scenario_name: str,
    config_sha256: str,
    risk: float | None,
    outlays: list[dict[str, Any]],
    days_to_depletion_after: dict[str, float | None],
    closed_config: str,
    risk_check: dict[str, Any] | None = None,
    bills: dict[str, dict[str, Any]] | None = None,
    fiscal: dict[str, Any] | None = None,
    suppliers: bool = False,
) -> dict[str, Any]:
    """invest.json's content; `risk_check` is how the plan fares across replications; `bills`
    each nation's bill (invest_bills.nation_bills), for scenarios with nations; `fiscal` the
    outlays by fiscal year in constant and then-year dollars (with a start date)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "wargame_version": __version__,
        "scenario": scenario_name,
        "config_sha256": config_sha256,
        "status": "closed" if plan.feasible else "infeasible",
        "target_days": plan.target_days,
        "risk": risk,
        "uncertainty": risk_check,
        "achieved_days": plan.achieved_days,
        "total_usd": plan.total_usd,
        "breakdown": {
            "by_lever": {
                "missiles_usd": plan.bought_missiles_usd,
                "capacity_usd": sum(p.capacity_usd for p in plan.purchases),
                "launchers_usd": plan.launchers.usd,
            },
            "launchers": {
                "choice": plan.launchers.label,
                "usd": plan.launchers.usd,
                "sets": plan.launchers.assignments,
            },
            "by_munition": {
                p.munition: {
                    "missiles": p.missiles,
                    "missiles_usd": p.missiles_usd,
                    "added_capacity_per_year": p.added_capacity_per_year,
                    "capacity_usd": p.capacity_usd,
                    "total_usd": p.total_usd,
                }
                for p in plan.purchases
            },
            "off_lines": [
                {
                    "munition": p.munition,
                    "line": p.line,
                    "missiles": p.missiles,
                    "missiles_usd": p.missiles_usd,
                }
                for p in plan.routes
            ],
            **(
                {
                    "by_nation": {n: bill["total_usd"] for n, bill in bills.items()},
                    "nations": bills,
                }
                if bills
                else {}
            ),
        },
        "outlays_by_year": outlays,
        **({"outlays_by_fiscal_year": fiscal} if fiscal is not None else {}),
        "days_to_depletion_after": days_to_depletion_after,
        "binding_constraint": plan.binding,
        "binding_detail": plan.binding_detail,
        **(network_block(plan) if suppliers else {}),
        "closed_config": closed_config,
    }


def network_block(plan: Plan) -> dict[str, Any]:
    """invest.json's supplier figures: capacity bought for each, and the one that binds."""
    return {
        "by_supplier": {
            p.supplier: {
                "added_capacity_per_year": p.added_capacity_per_year,
                "capacity_usd": p.capacity_usd,
            }
            for p in plan.suppliers
        },
        "binding_supplier": plan.binding_supplier,
    }
