"""`wargame invest`: closed-form answers, minimality, monotonicity, infeasibility, outputs."""

from __future__ import annotations

import copy
import csv
import json
import math
from pathlib import Path
from typing import Any

import pytest
import tomlkit
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.conftest import build, scenario_data
from wargame.analysis.invest import Plan, coverage_rows, solve
from wargame.cli import app
from wargame.model.compile import compile_scenario

runner = CliRunner()
UNIT_COST = 1e6


def invest_data(
    *,
    inventory: int,
    rate: float,
    capacity: float,
    funded: float = 0.0,
    lead: float = 0.0,
    horizon: int = 365,
    warning: int = 0,
    **supplemental: Any,
) -> dict[str, Any]:
    """One munition, constant fire, daily lots, list-price levers unless told otherwise."""
    data = scenario_data(
        inventory=inventory,
        rate_per_day=rate,
        funded_per_year=funded,
        lead_time_days=lead,
        horizon_days=horizon,
        warning_days=warning,
        lot_interval_days=1.0,
    )
    data["munitions"]["m"]["production"]["capacity_per_year"] = capacity
    data["munitions"]["m"]["supplemental"] = {"funding_efficiency": 1.0, **supplemental}
    return data


def plan_for(data: dict[str, Any], target: float) -> Plan:
    scenario = build(data)
    return solve(coverage_rows(compile_scenario(scenario), scenario), target)


def write(data: dict[str, Any], path: Path) -> Path:
    path.write_text(tomlkit.dumps(data))
    return path


def run_days(config: Path, out: Path, *extra: str) -> float | None:
    result = runner.invoke(app, ["run", str(config), "--out", str(out), *extra])
    assert result.exit_code == 0, result.output
    days: float | None = json.loads((out / "summary.json").read_text())["munitions"]["m"][
        "days_to_depletion"
    ]
    return days


def test_no_production_and_ample_line_costs_the_gap_at_unit_cost() -> None:
    """(rate x D - inventory) x unit cost when the line's spare capacity delivers in time."""
    plan = plan_for(invest_data(inventory=1000, rate=100.0, capacity=1e6), 30.0)
    assert plan.feasible
    assert plan.purchases[0].missiles == 100 * 30 - 1000
    assert plan.total_usd == pytest.approx((100 * 30 - 1000) * UNIT_COST)
    assert plan.binding == "inventory"


def test_slow_line_buys_capacity_as_calculated_by_hand() -> None:
    """1,000 in stock, 20 a day for a year, a line with 5 a day spare and instant expansion.

    By salvo k the line must have delivered 20(k+1) - 1000 at (5 + e)(k+1) a day-lot, so
    e >= 15 - 1000/(k+1), tightest on the last day: e = 15 - 1000/365, i.e. 4,475 a year.
    """
    data = invest_data(
        inventory=1000,
        rate=20.0,
        capacity=5 * 365.0,
        expansion_delay_days=0.0,
        expansion_ramp_days=0.0,
        expansion_ceiling_ratio=10.0,
    )
    plan = plan_for(data, 365.0)
    purchase = plan.purchases[0]
    assert plan.feasible and plan.binding == "line_capacity"
    assert purchase.missiles == 20 * 365 - 1000
    assert purchase.added_capacity_per_year == pytest.approx(4475.0, abs=0.002)
    assert plan.total_usd == pytest.approx((6300 + 4475) * UNIT_COST, rel=1e-6)


def test_efficiency_and_discount_price_the_levers() -> None:
    data = invest_data(
        inventory=0, rate=10.0, capacity=1e6, funding_efficiency=0.5, multiyear_discount=0.1
    )
    plan = plan_for(data, 10.0)
    assert plan.total_usd == pytest.approx(100 * UNIT_COST * 0.9 / 0.5)


# A scenario whose target money can close with both levers (tests/test_outputs.py uses it too).
FUNDABLE = invest_data(
    inventory=1000,
    rate=20.0,
    capacity=5 * 365.0,
    expansion_delay_days=30.0,
    expansion_ramp_days=60.0,
    expansion_ceiling_ratio=10.0,
    horizon=200,
)


def test_applied_answer_meets_the_target_and_two_percent_less_does_not(tmp_path: Path) -> None:
    data = copy.deepcopy(FUNDABLE)
    config = write(data, tmp_path / "s.toml")
    out = tmp_path / "inv"
    result = runner.invoke(app, ["invest", str(config), "--target-days", "150", "--out", str(out)])
    assert result.exit_code == 0, result.output
    answer = json.loads((out / "invest.json").read_text())
    assert answer["status"] == "closed" and answer["target_days"] == 150
    bought = answer["breakdown"]["by_munition"]["m"]
    assert bought["missiles"] > 0 and bought["added_capacity_per_year"] > 0
    assert answer["closed_config"] == "closed.toml"  # beside invest.json, never a local path
    closed = out / answer["closed_config"]
    after = run_days(closed, tmp_path / "after")
    assert after is None or after >= 150
    table = "munitions.m.supplemental"
    fewer_missiles = f"{table}.missiles={math.floor(bought['missiles'] * 0.98)}"
    less_capacity = f"{table}.added_capacity_per_year={bought['added_capacity_per_year'] * 0.98}"
    for cut in (fewer_missiles, less_capacity):
        days = run_days(closed, tmp_path / "cut", "--set", cut)
        assert days is not None and days < 150, cut


def test_closed_config_keeps_comments_and_sources(tmp_path: Path) -> None:
    configs = Path(__file__).resolve().parents[1] / "configs"
    out = tmp_path / "inv"
    result = runner.invoke(
        app,
        [
            "invest",
            str(configs / "tomahawk-observed-2026.toml"),
            "--target-days",
            "90",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    text = (out / "closed.toml").read_text()
    assert "# Tomahawk at the rate observed in 2026" in text
    assert "[munitions.tomahawk.supplemental]" in text
    assert "wargame invest: least cost" in text


def test_unreachable_target_exits_3_with_the_best_achievable(tmp_path: Path) -> None:
    data = invest_data(inventory=100, rate=10.0, capacity=1e6, lead=60.0, horizon=100)
    config = write(data, tmp_path / "s.toml")
    out = tmp_path / "inv"
    result = runner.invoke(app, ["invest", str(config), "--out", str(out)])
    assert result.exit_code == 3
    assert "INFEASIBLE" in result.stdout and "lead_time" in result.stdout
    answer = json.loads((out / "invest.json").read_text())
    assert answer["status"] == "infeasible" and answer["binding_constraint"] == "lead_time"
    assert answer["achieved_days"] == 10.0  # 100 missiles at 10 a day; nothing arrives before 60
    assert answer["total_usd"] == 0.0


def test_ceiling_binds_when_the_line_cannot_grow_enough() -> None:
    data = invest_data(
        inventory=0,
        rate=20.0,
        capacity=365.0,
        expansion_delay_days=0.0,
        expansion_ramp_days=0.0,
        expansion_ceiling_ratio=2.0,
        horizon=60,
    )
    plan = plan_for(data, 60.0)
    assert not plan.feasible and plan.binding == "ceiling"
    assert plan.achieved_days < 60


def test_outlays_add_up_and_follow_order_dates(tmp_path: Path) -> None:
    data = invest_data(
        inventory=0, rate=10.0, capacity=3650.0, lead=400.0, warning=400, horizon=400
    )
    config = write(data, tmp_path / "s.toml")
    out = tmp_path / "inv"
    assert runner.invoke(app, ["invest", str(config), "--out", str(out)]).exit_code == 0
    answer = json.loads((out / "invest.json").read_text())
    years = answer["outlays_by_year"]
    assert sum(y["total_usd"] for y in years) == pytest.approx(answer["total_usd"])
    assert [y["year"] for y in years] == [1, 2]  # ordered from day 0 to day 399, a lead early


def test_cost_curve_csv_is_monotone_with_marginals(tmp_path: Path) -> None:
    data = invest_data(inventory=500, rate=10.0, capacity=1e5, horizon=120)
    config = write(data, tmp_path / "s.toml")
    out = tmp_path / "inv"
    assert runner.invoke(app, ["invest", str(config), "--out", str(out)]).exit_code == 0
    with (out / "cost_curve.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert [int(r["target_days"]) for r in rows] == list(range(121))
    costs = [float(r["total_usd"]) for r in rows]
    assert costs == sorted(costs)
    assert costs[50] == 0.0 and costs[120] == pytest.approx(700 * UNIT_COST)
    assert float(rows[60]["marginal_usd_per_day"]) == pytest.approx(costs[60] - costs[59])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--target-days", "400"], "--target-days 400: must be between 0 and the horizon"),
        (["--risk", "1.5"], "--risk 1.5: must be at least 0 and below 1"),
    ],
)
def test_bad_invest_arguments_exit_2(args: list[str], message: str, tmp_path: Path) -> None:
    config = write(invest_data(inventory=0, rate=1.0, capacity=365.0), tmp_path / "s.toml")
    result = runner.invoke(app, ["invest", str(config), *args, "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert message in result.stderr
    assert not (tmp_path / "o").exists()


@st.composite
def investable(draw: st.DrawFn) -> dict[str, Any]:
    capacity = draw(st.floats(0.0, 5000.0))
    return invest_data(
        inventory=draw(st.integers(0, 4000)),
        rate=draw(st.floats(0.0, 200.0)),
        capacity=capacity,
        funded=draw(st.floats(0.0, 1.0)) * capacity,
        lead=draw(st.floats(0.0, 500.0)),
        horizon=draw(st.integers(5, 120)),
        warning=draw(st.integers(0, 400)),
        expansion_delay_days=draw(st.floats(0.0, 400.0)),
        expansion_ramp_days=draw(st.floats(0.0, 400.0)),
        expansion_ceiling_ratio=draw(st.floats(0.0, 3.0)),
    )


def price(plan: Plan) -> float:
    """Money for the target, infinite when no money reaches it."""
    return plan.total_usd if plan.feasible else math.inf


@settings(max_examples=40, deadline=None)
@given(investable(), st.integers(1, 365), st.floats(0.0, 1.0))
def test_more_warning_never_costs_more(data: dict[str, Any], extra: int, share: float) -> None:
    target = share * data["scenario"]["horizon_days"]
    later = {
        **data,
        "scenario": {**data["scenario"], "warning_days": data["scenario"]["warning_days"] + extra},
    }
    assert price(plan_for(later, target)) <= price(plan_for(data, target)) * (1 + 1e-9) + 1e-3


@settings(max_examples=40, deadline=None)
@given(investable(), st.floats(0.0, 1.0), st.floats(0.0, 1.0))
def test_longer_target_never_costs_less(data: dict[str, Any], a: float, b: float) -> None:
    horizon = data["scenario"]["horizon_days"]
    short, long = sorted((a * horizon, b * horizon))
    assert price(plan_for(data, short)) <= price(plan_for(data, long)) * (1 + 1e-9) + 1e-3
