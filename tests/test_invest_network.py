"""invest across the supplier network: supplier capacity as a lever for several munitions."""

from __future__ import annotations

import copy
import json
import math
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from tests.conftest import build, simulate
from tests.test_invest import write
from tests.test_vector import assert_same, batch
from wargame.analysis.invest import coverage_rows, solve
from wargame.analysis.invest_network import network_rows
from wargame.cli import app
from wargame.config.loading import validate_study
from wargame.model.compile import compile_scenario

runner = CliRunner()


def line(rate: float, cost: float) -> dict[str, Any]:
    return {
        "inventory": 100,
        "unit_cost_usd": cost,
        "firing": [{"start_day": 0, "rate_per_day": rate}],
        "production": {
            "funded_per_year": 100.0,
            "capacity_per_year": 1000.0,
            "lot_interval_days": 7.0,
            "components": {"srm": 1},
        },
    }


# Two missiles on one motor maker with no spare capacity: only a motor plant lets supplemental
# missiles of either type get motors.
NETWORK: dict[str, Any] = {
    "scenario": {"name": "motor plant", "horizon_days": 120, "warning_days": 730},
    "suppliers": {
        "srm": {
            "capacity_per_year": 200.0,
            "funded_per_year": 200.0,
            "unit_cost_usd": 4e5,
            "allocation": "pro_rata",
            "supplemental": {"expansion_ceiling_ratio": 3.0},
        }
    },
    "munitions": {"tomahawk": line(8.0, 2.24e6), "sm6": line(8.0, 3.9e6)},
}


def invest(data: dict[str, Any], target: float, tmp_path: Path) -> dict[str, Any]:
    out = tmp_path / "inv"
    config = write(data, tmp_path / "s.toml")
    result = runner.invoke(
        app, ["invest", str(config), "--target-days", str(target), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    loaded: dict[str, Any] = json.loads((out / "invest.json").read_text())
    assert 'id="suppliers"' in (out / "invest.html").read_text()
    return loaded


def first_short(data: dict[str, Any]) -> float | None:
    result = simulate(data)
    days = [r.days_to_depletion for r in result.munitions if r.days_to_depletion is not None]
    return min(days) if days else None


def test_one_motor_plant_serves_two_missiles_and_two_percent_less_fails(tmp_path: Path) -> None:
    answer = invest(copy.deepcopy(NETWORK), 40.0, tmp_path)
    assert answer["status"] == "closed"
    assert answer["binding_constraint"] == "supplier_capacity"
    assert answer["binding_supplier"] == "srm"
    plant = answer["by_supplier"]["srm"]
    assert plant["added_capacity_per_year"] > 0
    bought = answer["breakdown"]["by_munition"]
    assert bought["tomahawk"]["missiles"] > 0 and bought["sm6"]["missiles"] > 0
    assert answer["total_usd"] == pytest.approx(
        sum(b["total_usd"] for b in bought.values()) + plant["capacity_usd"]
    )
    applied = copy.deepcopy(NETWORK)
    applied["suppliers"]["srm"]["supplemental"]["added_capacity_per_year"] = plant[
        "added_capacity_per_year"
    ]
    for name, b in bought.items():
        applied["munitions"][name]["supplemental"] = {"missiles": b["missiles"]}
    after = first_short(applied)
    assert after is None or after >= 40
    cuts = [("srm", 0.98 * plant["added_capacity_per_year"])] + [
        (name, math.floor(0.98 * b["missiles"])) for name, b in bought.items()
    ]
    for name, value in cuts:
        cut = copy.deepcopy(applied)
        if name == "srm":
            cut["suppliers"]["srm"]["supplemental"]["added_capacity_per_year"] = value
        else:
            cut["munitions"][name]["supplemental"]["missiles"] = value
        days = first_short(cut)
        assert days is not None and days < 40, (name, value)


def test_the_solver_is_no_dearer_than_any_fixed_motor_plant() -> None:
    """Fix the plant at each size on a grid and price the rest: none is cheaper than the LP's."""
    data = copy.deepcopy(NETWORK)
    data["suppliers"]["srm"]["capacity_per_year"] = 260.0  # some spare: missiles alone can help
    scenario = build(data)
    model = compile_scenario(scenario)
    rows = coverage_rows(model, scenario)
    network = network_rows(model, scenario, tuple(r.made_by for r in rows))
    target = 45.0
    best = solve(rows, target, network=network)
    assert best.feasible
    (plant,) = network
    grid = []
    for added in np.linspace(0.0, plant.ceiling_per_year, 61):
        fixed = replace(
            plant,
            spare=tuple(s + added * e for s, e in zip(plant.spare, plant.expansion, strict=True)),
            ceiling_per_year=0.0,
        )
        plan = solve(rows, target, network=(fixed,))
        if plan.feasible:
            grid.append(plan.total_usd + added * plant.capacity_usd)
    assert grid, "some plant size must meet the target"
    assert best.total_usd <= min(grid) * (1 + 1e-6)
    assert best.total_usd >= min(grid) * 0.97  # the grid is fine enough to come close


def test_supplemental_orders_are_filled_in_turn() -> None:
    """100 spare motors a year, orders of 60 then 60: the first in full, the second the rest.

    Lots carry what is made up to their bound (model/compile.py), a lot interval past the last.
    """
    data: dict[str, Any] = {
        "scenario": {"name": "orders", "horizon_days": 365},
        "suppliers": {"srm": {"capacity_per_year": 100.0, "funded_per_year": 0.0}},
        "munitions": {"a": line(0.0, 1e6), "b": line(0.0, 1e6)},
    }
    for name in ("a", "b"):
        data["munitions"][name]["production"]["funded_per_year"] = 0.0
        data["munitions"][name]["supplemental"] = {"missiles": 60}
    result = simulate(data)
    delivered = {r.name: int(r.delivered.sum()) for r in result.munitions}
    assert delivered["a"] == 60
    # the last weekly lot carries what is made to its bound, a week past day 364
    model = compile_scenario(build(data))
    bound = float(model.munitions[1].line.lot_bounds[-1])
    assert delivered["b"] == math.floor(100 * bound / 365) - 60
    (ledger,) = model.suppliers  # outside the funded pool: made = used + waiting, all used here
    assert ledger.supplemental_made is not None and ledger.supplemental_used is not None
    assert int(ledger.supplemental_made[0]) == math.floor(100 * bound / 365)
    assert ledger.supplemental_used[:, 0].tolist() == [60, delivered["b"]]


def test_engines_agree_with_supplemental_orders_through_suppliers() -> None:
    data = copy.deepcopy(NETWORK)
    data["suppliers"]["srm"]["supplemental"]["added_capacity_per_year"] = {
        "dist": "uniform",
        "low": 0,
        "high": 400,
    }
    for name in ("tomahawk", "sm6"):
        data["munitions"][name]["supplemental"] = {
            "missiles": {"dist": "uniform", "low": 0, "high": 400}
        }
    study = validate_study(data, "test")
    des, vector = batch(study, 0, 30)
    assert_same(des, vector)
    days = np.array([m.days_to_depletion for m in des.munitions])
    assert np.nanstd(days) > 0  # the orders and the plant moved the outcome


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: (
                d["suppliers"]["srm"].update(components={"fuel": 1})
                or d["suppliers"].update(fuel={"capacity_per_year": 10.0, "funded_per_year": 10.0})
            ),
            "suppliers.srm.components: invest does not cover tiers",
        ),
    ],
)
def test_what_invest_does_not_cover_with_suppliers_exits_2(
    change: Any, message: str, tmp_path: Path
) -> None:
    data = copy.deepcopy(NETWORK)
    change(data)
    config = write(data, tmp_path / "s.toml")
    result = runner.invoke(app, ["invest", str(config), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2, result.output
    assert message in result.output
