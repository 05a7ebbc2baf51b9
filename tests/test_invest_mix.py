"""`invest --target-hulls`: the least-cost mix of levers (analysis/invest_mix.py) in closed form,
never dearer than the best single lever, minimal (each lever 2% or one hull less misses), and
verified through the projection."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.conftest import build
from tests.test_force import EXAMPLE, fleet_data, shared_yard
from wargame.analysis.invest_fleet import apply
from wargame.analysis.invest_force import Target, hulls_by_year, solve_hulls
from wargame.analysis.invest_hulls import assignments
from wargame.analysis.invest_mix import solve_mix
from wargame.config.loading import load_scenario

HULL_YEAR = 1e9  # USD a hull-year of extension
HULL = 1e9  # USD a hull, so a hull a year of capacity costs 1e9 (ratio 1, efficiency 1)


def early_and_late(**yard: Any) -> dict[str, Any]:
    """Ten hulls: three of 2000 retire mid-FY2026 (a 25.5-year life), seven of 2010 serve on.
    A yard of 1 hull a year (funded 6) adds one by each year end; added capacity shows from day
    365. Ten from FY2026 on needs the three kept past FY2026's end (an extension of just over
    half a year; capacity cannot arrive in time) and one more hull by FY2027's end (capacity of
    about one hull a year; the extension would need more than 1.5 years)."""
    data = fleet_data(
        years=6,
        hulls=10,
        service_life_years=25.5,
        cohorts=[{"year": 2000, "hulls": 3}, {"year": 2010, "hulls": 7}],
        life_extension={"most_years": 5, "cost_per_hull_year_usd": HULL_YEAR},
    )
    data["platforms"]["ddg"]["yard"] = {
        "hull_cost_usd": HULL,
        "capacity_per_year": 1.0,
        "funded_per_year": 6.0,
        "supplemental": {
            "funding_efficiency": 1.0,
            "expansion_cost_ratio": 1.0,
            "expansion_ceiling_ratio": 5.0,
            "expansion_delay_days": 365.0,
            "expansion_ramp_days": 0.0,
        },
        **yard,
    }
    out: dict[str, Any] = data
    return out


def test_a_mix_is_strictly_cheaper_than_any_single_lever() -> None:
    scenario = build(early_and_late())
    target = Target("ddg", 10, "FY2026")
    assert list(hulls_by_year(scenario, "ddg")[:3]) == [8, 9, 10]  # 7 + the yard's 1, 2, 3
    plan, options = solve_mix(scenario, target)
    assert plan is not None
    single = {o.lever: o for o in options}
    assert single["ddg: added capacity (units/yr)"].cost_usd is None  # too late for FY2026
    extension = single["life extension (years)"]
    assert extension.amount == pytest.approx(1.5, abs=1e-3)  # past FY2027's end
    assert extension.cost_usd == 6 * HULL_YEAR  # three hulls at two year ends
    bought = {o.lever: o for o in plan.bought}
    assert set(bought) == {"life extension (years)", "ddg: added capacity (units/yr)"}
    assert bought["life extension (years)"].amount == pytest.approx(0.5, abs=1e-3)
    assert bought["life extension (years)"].cost_usd == 3 * HULL_YEAR
    # Three hulls by FY2027's end (day 730): the lot then carries the month to day 750, so the
    # base makes 750/365 and the added x from day 365 makes x (750 - 365)/365.
    capacity = bought["ddg: added capacity (units/yr)"].amount
    assert capacity == pytest.approx((3 - 750 / 365) * 365 / (750 - 365), rel=2e-4)
    assert capacity is not None
    assert plan.cost_usd == pytest.approx(3 * HULL_YEAR + capacity * HULL)
    assert plan.cost_usd < 0.7 * (extension.cost_usd or 0.0)
    assert plan.less_fails and all(o.less_fails for o in plan.bought)
    closed = apply(scenario, assignments(scenario, "ddg", plan))
    assert hulls_by_year(closed, "ddg").min() >= 10
    fewer = {o.path: 0.98 * (o.amount or 0.0) for o in plan.bought}  # the whole mix 2% less
    assert hulls_by_year(apply(scenario, fewer), "ddg").min() < 10


def test_whole_hulls_join_the_mix_and_one_less_misses() -> None:
    """A build time of a year and spare capacity: extra hulls arrive from FY2027 and cost less
    than capacity, so the mix is the extension and one extra hull."""
    data = early_and_late(funded_per_year=1.0, capacity_per_year=2.0, build_time_days=300.0)
    scenario = build(data)
    plan, options = solve_mix(scenario, Target("ddg", 10, "FY2026"))
    assert plan is not None
    bought = {o.lever: o for o in plan.bought}
    assert bought["ddg: extra hulls"].amount == 1 and bought["ddg: extra hulls"].less_fails
    best_single = min(o.cost_usd for o in options if o.cost_usd is not None)
    assert plan.cost_usd < best_single
    closed = apply(scenario, assignments(scenario, "ddg", plan))
    assert hulls_by_year(closed, "ddg").min() >= 10


@pytest.mark.parametrize("hulls", [40, 44, 46, 48, 50])
def test_the_mix_is_never_dearer_than_one_lever_and_is_minimal(hulls: int, tmp_path: Path) -> None:
    """The issue's example with an extension lever: every target the mix meets through the
    projection, at no more than the best single lever, and each lever less misses."""
    text = EXAMPLE.read_text()
    text += "[platforms.ssn.life_extension]\nmost_years = 10\ncost_per_hull_year_usd = 0.5e9\n"
    text += "[platforms.ssn.yard.supplemental]\nexpansion_ceiling_ratio = 3.0\n"
    path = tmp_path / "ssn.toml"
    path.write_text(text)
    scenario = load_scenario(path)
    target = Target("ssn", hulls, "FY2030")
    plan, _ = solve_mix(scenario, target)
    best_single, _ = solve_hulls(scenario, target)
    if best_single is not None:
        assert plan is not None and plan.cost_usd <= (best_single.cost_usd or 0.0)
    if plan is None:
        return
    assert plan.less_fails
    closed = apply(scenario, assignments(scenario, "ssn", plan))
    assert np.min(hulls_by_year(closed, "ssn")[4:]) >= hulls


def test_capacity_bought_at_a_shared_yard_serves_the_priority_class_first() -> None:
    """A yard builds the ssbn (2.5 units a year funded) before the ddg: at a base of 2.5 every
    unit bought goes to the ddg; at 2.0 the first 0.5 a year fills the ssbn's funded work, so
    the least capacity for the same ddg target is exactly 0.5 a year more (no ramp)."""
    least = []
    for base in (2.5, 2.0):
        data = shared_yard(base)
        data["yards"]["eb"]["builds"][1]["hull_cost_usd"] = HULL
        data["yards"]["eb"]["supplemental"] = {
            "expansion_ramp_days": 0.0,
            "expansion_ceiling_ratio": 3.0,
        }
        plan, _ = solve_mix(build(data), Target("ddg", 2, "FY2030"))
        assert plan is not None and [o.lever for o in plan.bought] == [
            "eb: added capacity (units/yr)"
        ]
        least.append(plan.bought[0].amount or 0.0)
    assert least[1] - least[0] == pytest.approx(0.5, abs=1e-3)
