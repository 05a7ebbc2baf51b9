"""Fire before the war: firing phases with negative days draw the stock in peacetime."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import tomlkit
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.conftest import REPO, build, scenario_data
from tests.test_vector import assert_same, batch
from wargame.analysis.metrics import summary
from wargame.cli import app
from wargame.config.loading import load_study
from wargame.engine.des import run_des
from wargame.model.compile import compile_scenario

runner = CliRunner()


def prewar(
    *, warning: int, start: float, end: float, rate: float, use: float = 0.0, **kw: Any
) -> dict[str, Any]:
    """One munition: `rate` a day from `start` to `end` (conflict days, negative before it),
    then 10 a day in the conflict; `use` a year of tests and training."""
    data = scenario_data(warning_days=warning, horizon_days=60, **kw)
    munition = data["munitions"]["m"]
    munition["firing"] = [
        {"start_day": start, "end_day": end, "rate_per_day": rate},
        {"start_day": max(end, 0.0), "rate_per_day": 10.0},
    ]
    munition["peacetime_use_per_year"] = use
    return data


@given(
    warning=st.integers(1, 200),
    span=st.tuples(st.integers(0, 200), st.integers(1, 200)),
    rate=st.floats(0.0, 20.0),
    use=st.floats(0.0, 2000.0),
)
@settings(max_examples=40, deadline=None)
def test_the_stock_at_the_conflict_start_nets_both_pre_war_draws(
    warning: int, span: tuple[int, int], rate: float, use: float
) -> None:
    """No production, a deep stock: start stock = stock - floor(rate x days) - floor(use x W / 365),
    the pre-war part of a phase that runs into the war counted once, its conflict part as demand."""
    first = -min(span[0], warning)
    end = float(first + span[1])
    data = prewar(
        warning=warning, start=float(first), end=end, rate=rate, use=use, inventory=100_000
    )
    model = compile_scenario(build(data))
    run = run_des(model).munitions[0]
    before = min(end, 0.0) - first
    fire = math.floor(rate * before + 1e-7)
    training = math.floor(use * warning / 365 + 1e-7)
    assert run.inventory_at_conflict_start == 100_000 - fire - training
    into = min(max(end, 0.0), 60.0)  # days of the first phase within the conflict
    conflict = into * rate + (60 - into) * 10.0
    assert abs(run.total_demanded - conflict) <= 1  # whole salvos: the floor of the running total
    block = summary(run_des(model), model, "x")["munitions"]["m"]
    assert block.get("fired_before_war", 0) == fire


def test_pre_war_fire_counts_in_the_rebuild_years() -> None:
    data = prewar(
        warning=100, start=-50, end=-10, rate=5.0, inventory=10_000, funded_per_year=100.0
    )
    model = compile_scenario(build(data))
    block = summary(run_des(model), model, "x")["munitions"]["m"]
    assert block["fired_before_war"] == 200
    assert block["rebuild_years"] == pytest.approx((block["fired"] + 200) / 100.0)


def test_the_depot_never_goes_below_zero_before_the_war() -> None:
    data = prewar(warning=30, start=-30, end=0, rate=10.0, inventory=100)
    model = compile_scenario(build(data))
    run = run_des(model).munitions[0]
    assert run.inventory_at_conflict_start == 0
    assert np.all(run.inventory >= 0)
    assert summary(run_des(model), model, "x")["munitions"]["m"]["fired_before_war"] == 100


def test_engines_agree_with_fire_before_the_war() -> None:
    overrides = (
        "scenario.warning_days=120",
        "munitions.tomahawk.production.lead_time_days=30",
        'munitions.tomahawk.firing=[{start_day={dist="uniform",low=-120,high=-20},end_day=-5,'
        'rate_per_day={dist="uniform",low=0,high=60}},{start_day=0,end_day=7,rate_per_day=600},'
        "{start_day=7,rate_per_day=100}]",
    )
    study = load_study(REPO / "configs" / "tomahawk-wargame.toml", overrides)
    des, vector = batch(study, 0, 60)
    assert_same(des, vector)
    starts = vector.munitions[0].inventory_at_conflict_start
    assert (starts == 0).any() and (starts > 0).any()


@pytest.mark.parametrize(
    ("where", "phase", "field"),
    [
        ("munitions", {"start_day": -31, "rate_per_day": 1}, "munitions.m.firing.0.start_day"),
        ("missions", {"start_day": -5, "rate_per_day": 1}, "missions.strike.firing.0.start_day"),
    ],
)
def test_fire_before_the_decision_day_or_in_a_mission_is_refused(
    where: str, phase: dict[str, Any], field: str, tmp_path: Path
) -> None:
    data = scenario_data(warning_days=30)
    if where == "munitions":
        data["munitions"]["m"]["firing"] = [phase]
    else:
        data["munitions"]["m"]["firing"] = []
        data["missions"] = {"strike": {"munitions": [{"name": "m"}], "firing": [phase]}}
    path = tmp_path / "bad.toml"
    path.write_text(tomlkit.dumps(data))
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    assert field in result.output and len(result.output.strip().splitlines()) == 1


def test_a_dated_phase_is_the_phase_of_its_days() -> None:
    """With start_date 2026-01-01 and 60 days of warning, 2026-01-31 is conflict day -30."""
    data = prewar(warning=60, start=-30, end=-10, rate=2.0, inventory=1000)
    data["scenario"]["start_date"] = "2026-01-01"
    dated = build(
        {
            **data,
            "munitions": {
                "m": {
                    **data["munitions"]["m"],
                    "firing": [
                        {"start_date": "2026-01-31", "end_date": "2026-02-20", "rate_per_day": 2.0},
                        data["munitions"]["m"]["firing"][1],
                    ],
                }
            },
        }
    )
    phase = dated.munitions["m"].firing[0]
    assert (phase.start_day, phase.end_day) == (-30.0, -10.0)
    by_days = run_des(compile_scenario(build(data))).munitions[0]
    by_dates = run_des(compile_scenario(dated)).munitions[0]
    assert by_dates.inventory_at_conflict_start == by_days.inventory_at_conflict_start == 960


def test_a_dated_phase_without_a_start_date_is_refused(tmp_path: Path) -> None:
    data = scenario_data(warning_days=30)
    data["munitions"]["m"]["firing"] = [{"start_date": "2026-01-01", "rate_per_day": 1.0}]
    path = tmp_path / "bad.toml"
    path.write_text(tomlkit.dumps(data))
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert "munitions.m.firing.0.start_date: a dated phase needs [scenario] start_date" in (
        result.output
    )


def test_a_monte_carlo_rebuilds_the_planned_fire_before_the_war(tmp_path: Path) -> None:
    data = prewar(
        warning=100, start=-50, end=-10, rate=5.0, inventory=10_000, funded_per_year=100.0
    )
    data["munitions"]["m"]["inventory"] = {"dist": "uniform", "low": 9000, "high": 11000}
    out = tmp_path / "mc"
    config = tmp_path / "s.toml"
    config.write_text(tomlkit.dumps(data))
    result = runner.invoke(app, ["run", str(config), "--replications", "50", "--out", str(out)])
    assert result.exit_code == 0, result.output
    import json

    block = json.loads((out / "summary.json").read_text())["munitions"]["m"]
    assert block["fired_before_war_planned"] == 200
    fired = block["fired"]["p50"]
    assert block["rebuild_years_median"] == pytest.approx((int(fired) + 200) / 100.0)
