"""Peacetime use (tests and training): closed forms before the war, rebuild years, the solver."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from tests.conftest import REPO, build, only, scenario_data, simulate
from tests.test_invest import invest_data, plan_for
from tests.test_vector import assert_same, batch
from wargame.analysis.metrics import never_rebuilt, rebuild_years, summary
from wargame.config.loading import load_study
from wargame.engine.des import run_des
from wargame.engine.vector import run_vector
from wargame.model.compile import compile_batch, compile_scenario
from wargame.model.draws import FIXED


def with_use(data: dict[str, Any], use_per_year: float) -> dict[str, Any]:
    data["munitions"]["m"]["peacetime_use_per_year"] = use_per_year
    return data


def test_stock_falls_at_the_use_rate_before_the_war() -> None:
    """No production: the stock at the end of pre-war day d is 1,000 - floor(use (d + 1) / 365)."""
    warning, use = 365, 100.0
    data = with_use(scenario_data(inventory=1000, rate_per_day=0.0, warning_days=warning), use)
    run = only(simulate(data))
    days = np.arange(warning)
    expected = 1000 - np.floor(use * (days + 1) / 365 + 1e-7).astype(np.int64)
    np.testing.assert_array_equal(run.inventory[:warning], expected)
    assert run.inventory_at_conflict_start == 1000 - 100
    assert run.total_peacetime_use == 100


def test_use_nets_against_deliveries_before_the_war() -> None:
    """Daily lots of 1 and 73 a year of use for 100 days: start = inventory + 100 - 20."""
    data = scenario_data(
        inventory=500,
        rate_per_day=0.0,
        funded_per_year=365.0,
        warning_days=100,
        lot_interval_days=1,
    )
    run = only(simulate(with_use(data, 73.0)))
    assert run.inventory_at_conflict_start == 500 + 100 - 20


def test_use_never_takes_the_stock_below_zero_and_is_not_made_up() -> None:
    """5 missiles, one a day of use, a lot of 1 every 10 days: the stock empties on day 5 (6
    drawn, with day 0's lot), then each lot is drawn the day it lands: 8 used, none left."""
    data = scenario_data(
        inventory=5,
        rate_per_day=0.0,
        funded_per_year=36.5,
        warning_days=30,
        lot_interval_days=10.0,
    )
    data = with_use(data, 365.0)
    run = only(simulate(data))
    assert run.inventory.min() >= 0
    assert run.total_peacetime_use == 8
    assert run.inventory_at_conflict_start == 0
    vector = run_vector(compile_batch(build(data), FIXED))
    assert vector.munitions[0].inventory_at_conflict_start[0] == 0


def test_nothing_is_drawn_during_the_conflict() -> None:
    """With no warning the war sees the same stock, fire and end stock as without any use."""
    data = scenario_data(inventory=1000, rate_per_day=5.0, funded_per_year=60.0)
    plain, used = only(simulate(data)), only(simulate(with_use(data, 100.0)))
    assert used.total_peacetime_use == 0
    assert (used.total_fired, used.end_inventory, used.days_to_depletion) == (
        plain.total_fired,
        plain.end_inventory,
        plain.days_to_depletion,
    )


@pytest.mark.parametrize(
    ("fired", "funded", "use", "expected"),
    [
        (4000, 60.0, 0.0, 4000 / 60),
        (4000, 160.0, 100.0, 4000 / 60),  # net 60 a year
        (2000, 456.0, 100.0, 2000 / 356),
    ],
)
def test_rebuild_years_use_net_production(
    fired: int, funded: float, use: float, expected: float
) -> None:
    assert rebuild_years(fired, funded, use) == pytest.approx(expected)
    assert never_rebuilt(funded, use) is None


@pytest.mark.parametrize(("funded", "use"), [(60.0, 100.0), (100.0, 100.0), (0.0, 0.0)])
def test_rebuild_is_never_when_use_is_at_least_production(funded: float, use: float) -> None:
    assert rebuild_years(4000, funded, use) is None
    reason = never_rebuilt(funded, use)
    assert reason == ("nothing_funded" if funded == 0 else "peacetime_use")


def test_summary_says_why_the_stock_never_rebuilds() -> None:
    """The default's 60 a year built against 100 a year of tests and training: never."""
    scenario = build(with_use(scenario_data(inventory=100, funded_per_year=60.0), 100.0))
    model = compile_scenario(scenario)
    block = summary(run_des(model), model, "x")["munitions"]["m"]
    assert block["rebuild_years"] is None
    assert block["rebuild_never_because"] == "peacetime_use"


def test_engines_agree_with_peacetime_use_replication_by_replication() -> None:
    """Drawn use and stock, lots landing before the war, some stocks drained before it starts."""
    overrides = (
        "scenario.warning_days=400",
        "munitions.tomahawk.production.lead_time_days=100",
        'munitions.tomahawk.production.lot_slip_days={dist="uniform",low=0,high=45}',
        'munitions.tomahawk.peacetime_use_per_year={dist="uniform",low=0,high=5000}',
    )
    study = load_study(REPO / "configs" / "tomahawk-wargame.toml", overrides)
    des, vector = batch(study, 0, 120)
    assert_same(des, vector)
    starts = vector.munitions[0].inventory_at_conflict_start
    assert (starts == 0).any() and (starts > 0).any()  # both sides of the floor were exercised


def test_solver_buys_back_what_peacetime_use_takes_before_the_war() -> None:
    """100 a day for 30 days from 1,000, with 365 a year used over 100 days of warning: the
    plan buys 3,000 - 1,000 + 100 missiles."""
    data = with_use(invest_data(inventory=1000, rate=100.0, capacity=1e6, warning=100), 365.0)
    plan = plan_for(data, 30.0)
    assert plan.feasible
    assert plan.purchases[0].missiles == 100 * 30 - 1000 + 100
    assert math.isclose(plan.total_usd, 2100 * 1e6)
