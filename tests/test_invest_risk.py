"""The supplemental under uncertainty: `wargame invest --risk`."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from tests.conftest import REPO, scenario_data
from wargame.analysis.invest_plan import without_supplemental
from wargame.analysis.invest_risk import MARGIN_Z, RISK_REPLICATIONS, check, solve_at_risk
from wargame.cli import app
from wargame.config.loading import validate_study
from wargame.config.uncertain import Study
from wargame.model.draws import sample

runner = CliRunner()


def uncertain_stock() -> Study:
    """100 shots a day from a stock uniform on [1000, 2000]; a fast, idle line to buy from."""
    data = scenario_data(rate_per_day=100.0, horizon_days=60, capacity_per_year=100_000.0)
    data["munitions"]["m"]["inventory"] = {"dist": "uniform", "low": 1000, "high": 2000}
    return validate_study(data, "risk.toml")


def test_missiles_bought_are_the_closed_form_quantile() -> None:
    """Covering replication j takes 2,000 - I_j missiles for 20 days, so the plan buys
    2,000 less the stock of the last replication kept, cheapest (largest stock) first."""
    study = uncertain_stock()
    scenario = without_supplemental(study.scenario)
    for risk in (0.1, 0.5):
        plan, covered = solve_at_risk(study, scenario, 20.0, risk)
        n = RISK_REPLICATIONS
        keep = math.ceil((1 - risk) * n + MARGIN_Z * math.sqrt(n * risk * (1 - risk)))
        stocks = sample(study.uncertain, 0, np.arange(n)).values["munitions.m.inventory"]
        kept_lowest = np.sort(stocks)[::-1][keep - 1]
        assert covered == keep and plan.feasible
        assert plan.purchases[0].missiles == 2000 - int(kept_lowest)


def test_less_risk_never_costs_less_and_fresh_replications_meet_it() -> None:
    study = uncertain_stock()
    scenario = without_supplemental(study.scenario)
    costs = []
    for risk in (0.5, 0.2, 0.05, 0.0):
        plan, covered = solve_at_risk(study, scenario, 20.0, risk)
        costs.append(plan.total_usd)
        missiles = {"supplemental": {"missiles": plan.purchases[0].missiles}}
        data = scenario_data(rate_per_day=100.0, horizon_days=60, capacity_per_year=100_000.0)
        data["munitions"]["m"] |= missiles
        closed = validate_study(data, "closed.toml").scenario
        result = check(study, closed, 20.0, risk, covered)
        assert result.p_out_before_target <= risk + 0.01
    assert costs == sorted(costs)


def test_invest_reports_how_the_median_plan_fares(tmp_path: Path) -> None:
    config = REPO / "configs" / "tomahawk-wargame.toml"
    args = ["invest", str(config), "--target-days", "14", "--set", "scenario.warning_days=1460"]
    result = runner.invoke(app, [*args, "--out", str(tmp_path / "median")])
    assert result.exit_code == 0, result.output
    median = json.loads((tmp_path / "median" / "invest.json").read_text())
    assert median["uncertainty"]["accepted"] is None
    at_risk = runner.invoke(app, [*args, "--risk", "0.05", "--out", str(tmp_path / "risk")])
    assert at_risk.exit_code == 0, at_risk.output
    risky = json.loads((tmp_path / "risk" / "invest.json").read_text())
    assert risky["uncertainty"]["p_out_before_target"] <= 0.05 + 0.01
    assert risky["total_usd"] >= median["total_usd"]
    assert (
        median["uncertainty"]["p_out_before_target"] > risky["uncertainty"]["p_out_before_target"]
    )


def test_risk_with_platforms_is_refused(tmp_path: Path) -> None:
    config = REPO / "configs" / "taiwan-fleet.toml"
    uncertain = 'munitions.tomahawk.inventory={dist="uniform",low=3000,high=4000}'
    result = runner.invoke(
        app,
        ["invest", str(config), "--set", uncertain, "--risk", "0.1", "--out", str(tmp_path / "x")],
    )
    assert result.exit_code == 2
    assert "--risk: scenarios with platforms are not covered yet" in result.stderr
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize("risk", ["1", "-0.1"])
def test_risk_out_of_range_exits_2(tmp_path: Path, risk: str) -> None:
    config = REPO / "configs" / "tomahawk-wargame.toml"
    result = runner.invoke(app, ["invest", str(config), "--risk", risk, "--out", str(tmp_path)])
    assert result.exit_code == 2
