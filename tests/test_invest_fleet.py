"""`wargame invest` with launchers: buy reload capability or hulls, whichever is cheaper."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import tomlkit
from typer.testing import CliRunner

from tests.conftest import build, scenario_data
from wargame.analysis.invest_fleet import launch_days, solve_with_fleet
from wargame.cli import app

runner = CliRunner()


def slow_fleet(*, capability_usd: float, hull_usd: float) -> dict[str, Any]:
    """Two hulls of 20 cells, a pier five days away, 10 shots a day for 30 days.

    Reload at sea (on station) can be bought; so can hulls, delivered at once.
    """
    data = scenario_data(inventory=5000, rate_per_day=10.0, horizon_days=30)
    data["munitions"]["m"]["supplemental"] = {"funding_efficiency": 1.0}
    data["ports"] = {
        "sea": {
            "transit_days": 0.0,
            "berths": 2,
            "reload_days_per_cell": 0.01,
            "purchased": False,
            "capability_cost_usd": capability_usd,
        },
        "pier": {"transit_days": 5.0, "berths": 2, "reload_days_per_cell": 0.01},
    }
    data["platforms"] = {
        "ddg": {
            "hulls": 2,
            "cells_per_hull": 20,
            "loadout": {"m": 1.0},
            "reload_ports": ["sea", "pier"],
            "yard": {
                "hull_cost_usd": hull_usd,
                "capacity_per_year": 1000.0,
                "funded_per_year": 0.0,
                "supplemental": {"funding_efficiency": 1.0, "expansion_ceiling_ratio": 0.0},
            },
        }
    }
    return data


def test_the_fleet_alone_cannot_fire_the_month() -> None:
    assert launch_days(build(slow_fleet(capability_usd=1e9, hull_usd=1e9))) < 30


@pytest.mark.parametrize(
    ("capability_usd", "hull_usd", "choice"),
    [
        (1e8, 1e9, "reload capability at sea"),
        (1e11, 1e8, "ddg: "),
    ],
)
def test_cheaper_launcher_lever_is_chosen(
    capability_usd: float, hull_usd: float, choice: str
) -> None:
    plan = solve_with_fleet(
        build(slow_fleet(capability_usd=capability_usd, hull_usd=hull_usd)), 30.0
    )
    assert plan.feasible
    assert plan.launchers.label.startswith(choice)
    assert plan.total_usd == pytest.approx(plan.launchers.usd)  # 5,000 missiles need no more


def test_least_hulls_is_minimal() -> None:
    data = slow_fleet(capability_usd=1e11, hull_usd=1e8)
    plan = solve_with_fleet(build(data), 30.0)
    hulls = plan.launchers.assignments["platforms.ddg.yard.supplemental.hulls"]
    fewer = copy.deepcopy(data)
    fewer["platforms"]["ddg"]["yard"]["supplemental"]["hulls"] = hulls - 1
    assert launch_days(build(fewer)) < 30
    enough = copy.deepcopy(data)
    enough["platforms"]["ddg"]["yard"]["supplemental"]["hulls"] = hulls
    assert launch_days(build(enough)) >= 30


def test_closed_config_with_launchers_meets_the_target(tmp_path: Path) -> None:
    config = tmp_path / "fleet.toml"
    config.write_text(tomlkit.dumps(slow_fleet(capability_usd=1e8, hull_usd=1e9)))
    out = tmp_path / "inv"
    result = runner.invoke(app, ["invest", str(config), "--out", str(out)])
    assert result.exit_code == 0, result.output
    answer = json.loads((out / "invest.json").read_text())
    assert answer["breakdown"]["launchers"]["choice"] == "reload capability at sea"
    assert answer["breakdown"]["by_lever"]["launchers_usd"] == 1e8
    assert answer["total_usd"] == 1e8
    assert "purchased = true" in (out / "closed.toml").read_text()
    rerun = runner.invoke(app, ["run", str(out / "closed.toml"), "--out", str(tmp_path / "r")])
    assert rerun.exit_code == 0
    summary = json.loads((tmp_path / "r" / "summary.json").read_text())
    assert summary["munitions"]["m"]["shortfall"] == 0


def test_launchers_that_cannot_be_fixed_exit_3(tmp_path: Path) -> None:
    data = slow_fleet(capability_usd=1e8, hull_usd=1e9)
    data["munitions"]["m"]["firing"] = [{"start_day": 0, "rate_per_day": 500.0}]
    config = tmp_path / "fleet.toml"
    config.write_text(tomlkit.dumps(data))
    result = runner.invoke(app, ["invest", str(config), "--out", str(tmp_path / "inv")])
    assert result.exit_code == 3
    assert "binding constraint: launchers" in result.stdout


def test_missiles_parked_in_cells_are_bought_for_every_short_munition(tmp_path: Path) -> None:
    config = Path(__file__).parent / "data" / "two-munitions-in-cells.toml"
    out = tmp_path / "inv"
    result = runner.invoke(app, ["invest", str(config), "--out", str(out)])
    assert result.exit_code == 0, result.output
    answer = json.loads((out / "invest.json").read_text())
    bought = {m: b["missiles"] for m, b in answer["breakdown"]["by_munition"].items()}
    assert all(n > 0 for n in bought.values())
    assert answer["binding_constraint"] == "inventory"
    for name, n in bought.items():  # one missile fewer of either falls short
        cut = ["--set", f"munitions.{name}.supplemental.missiles={n - 1}"]
        rerun = runner.invoke(
            app, ["run", str(out / "closed.toml"), "--out", str(tmp_path / name), *cut]
        )
        assert rerun.exit_code == 0
        summary = json.loads((tmp_path / name / "summary.json").read_text())
        assert summary["munitions"][name]["shortfall"] > 0
