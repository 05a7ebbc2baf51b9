"""invest's outlays by US fiscal year, in constant and then-year dollars.

With `[scenario] start_date`, every payment of a plan falls in a fiscal year (October 1 to
September 30, wargame/calendar.py): a missile lot is paid when it is ordered (a lead time before
it lands), capital evenly over its build (expansion delay plus ramp) and split between fiscal
years by the days of it in each, launchers on the decision day. Constant dollars are of the base
fiscal year (`[economics] base_fiscal_year`, by default the decision day's), with each item's
real cost growth applied; then-year dollars are constant x index(FY) / index(base).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from wargame.analysis.invest import Plan
from wargame.analysis.invest_outputs import missile_payments
from wargame.calendar import fiscal_year_label, fiscal_year_of_day, fiscal_year_start_day
from wargame.config.economics import Economics
from wargame.config.scenario import Scenario
from wargame.model.compile import CompiledModel

KINDS = ("missiles_usd", "capacity_usd", "launchers_usd")
NO_ECONOMICS = Economics()  # no inflation, no growth: then-year equals constant


Payment = tuple[str, str, float, float, float]  # item, kind, first day, end day, USD


def payments(plan: Plan, model: CompiledModel, scenario: Scenario) -> list[Payment]:
    """(item, kind, first day, end day, USD at today's prices): a lump when first == end, else
    spread evenly over [first, end)."""
    out: list[Payment] = []
    for purchase, compiled in zip(plan.purchases, model.munitions, strict=True):
        munition = scenario.munitions[purchase.munition]
        lead = munition.production.lead_time_days
        for day, usd in missile_payments(purchase, compiled.line, lead):
            out.append((purchase.munition, "missiles_usd", day, day, usd))
        if purchase.capacity_usd:
            levers = munition.supplemental
            build = levers.expansion_delay_days + levers.expansion_ramp_days
            out.append((purchase.munition, "capacity_usd", 0.0, build, purchase.capacity_usd))
    for bought in plan.suppliers:
        plant = scenario.suppliers[bought.supplier].supplemental
        build = plant.expansion_delay_days + plant.expansion_ramp_days
        out.append((bought.supplier, "capacity_usd", 0.0, build, bought.capacity_usd))
    if plan.launchers.usd:
        out.append(("launchers", "launchers_usd", 0.0, 0.0, plan.launchers.usd))
    return out


def split_by_fiscal_year(
    start: dt.date, first: float, end: float, usd: float
) -> list[tuple[int, float]]:
    """(fiscal year, USD) of a payment: a lump in the year of its day, a spread by its days."""
    if end <= first:
        return [(fiscal_year_of_day(start, first), usd)]
    parts = []
    year = fiscal_year_of_day(start, first)
    while (year_start := fiscal_year_start_day(start, year)) < end:
        overlap = min(end, fiscal_year_start_day(start, year + 1)) - max(first, year_start)
        if overlap > 0:
            parts.append((year, usd * overlap / (end - first)))
        year += 1
    return parts


def base_year(scenario: Scenario) -> int:
    """The fiscal year whose constant dollars the outputs use."""
    start = scenario.scenario.start_date
    assert start is not None
    economics = scenario.economics or NO_ECONOMICS
    return economics.base_fiscal_year or fiscal_year_of_day(start, 0)


def fiscal_outlays(plan: Plan, model: CompiledModel, scenario: Scenario) -> dict[str, Any] | None:
    """invest.json's `outlays_by_fiscal_year` block, or None without a start date."""
    start = scenario.scenario.start_date
    if start is None:
        return None
    economics = scenario.economics or NO_ECONOMICS
    base = base_year(scenario)
    constant: dict[int, dict[str, float]] = defaultdict(lambda: dict.fromkeys(KINDS, 0.0))
    for item, kind, first, end, usd in payments(plan, model, scenario):
        for year, part in split_by_fiscal_year(start, first, end, usd):
            constant[year][kind] += part * economics.growth(item, year, base)
    rows: list[dict[str, Any]] = []
    totals = [0.0, 0.0]
    for year in sorted(constant):
        money = constant[year]
        factor = economics.then_year_factor(year, base)
        totals[0] += sum(money.values())
        totals[1] += sum(money.values()) * factor
        rows.append(
            {
                "fiscal_year": year,
                "label": fiscal_year_label(year),
                "from_day": fiscal_year_start_day(start, year),
                "constant_usd": {**money, "total_usd": sum(money.values())},
                "then_year_factor": factor,
                "then_year_usd": {
                    **{k: v * factor for k, v in money.items()},
                    "total_usd": sum(money.values()) * factor,
                },
            }
        )
    return {
        "constant_dollars": f"{fiscal_year_label(base)} dollars",
        "then_year_dollars": "dollars of each fiscal year (then-year)",
        "base_fiscal_year": base,
        "total_constant_usd": totals[0],
        "total_then_year_usd": totals[1],
        "years": rows,
    }
