"""The launch side: closed-form cycles, equality with the core model, conservation, monotonicity."""

from __future__ import annotations

import copy
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import build, only, scenario_data, simulate
from wargame.config.loading import load_scenario
from wargame.config.models import MAX_CELLS
from wargame.engine.des import run_des
from wargame.engine.results import LIMIT_LAUNCHERS, RunResult
from wargame.errors import InputError
from wargame.model.compile import compile_scenario

CONFIGS = Path(__file__).resolve().parents[1] / "configs"


def with_fleet(
    data: dict[str, Any],
    *,
    hulls: int = 1,
    cells: int = 96,
    transit: float = 2.0,
    reload_per_cell: float = 3.0 / 96,
    berths: int = 1,
    **platform: Any,
) -> dict[str, Any]:
    """Add one port and one platform class carrying munition `m` to scenario data."""
    out = copy.deepcopy(data)
    out["ports"] = {
        "p": {"transit_days": transit, "berths": berths, "reload_days_per_cell": reload_per_cell}
    }
    out["platforms"] = {
        "ddg": {
            "hulls": hulls,
            "cells_per_hull": cells,
            "loadout": {"m": 1.0},
            "reload_ports": ["p"],
            **platform,
        }
    }
    return out


def test_one_hull_fires_its_cells_once_per_cycle() -> None:
    """C cells, transit T, reload R steps: a cycle is 1 + 2T + R steps, C shots a cycle."""
    data = with_fleet(
        scenario_data(inventory=100_000, rate_per_day=1000.0, horizon_days=60),
        cells=96,
        transit=2.0,
        reload_per_cell=3.0 / 96,
    )
    run = only(simulate(data))
    cycle = 1 + 2 * 2 + 3
    assert run.total_fired == 96 * math.ceil(60 / cycle)
    assert np.flatnonzero(run.fired).tolist() == list(range(0, 60, cycle))
    assert run.days_to_depletion is None  # short of launchers, never of missiles


def test_unlimited_cells_and_zero_cycle_equal_the_core_model() -> None:
    for core in (
        scenario_data(inventory=4000, rate_per_day=600.0, funded_per_year=2e4, lot_interval_days=3),
        scenario_data(
            inventory=500,
            rate_per_day=30.0,
            funded_per_year=3650.0,
            warning_days=20,
            lot_interval_days=7.0,
        ),
    ):
        for backlog in (False, True):
            core["munitions"]["m"]["backlog"] = backlog
            launched = with_fleet(
                core,
                hulls=100,
                cells=MAX_CELLS,
                transit=0.0,
                reload_per_cell=0.0,
                reload_threshold=1.0,
            )
            a, b = only(simulate(core)), only(simulate(launched))
            assert a.days_to_depletion == b.days_to_depletion
            for series in ("demanded", "fired", "delivered", "inventory", "limits"):
                np.testing.assert_array_equal(getattr(a, series), getattr(b, series))


def test_taiwan_first_week_is_launcher_limited() -> None:
    """The README's finding: with sourced defaults the fleet cannot fire the first week's demand."""
    result = run_des(compile_scenario(load_scenario(CONFIGS / "taiwan-fleet.toml")))
    run = only(result)
    week = slice(0, 7)
    assert (run.limits[week] == LIMIT_LAUNCHERS).sum() >= 3
    assert run.fired[week].sum() < 0.5 * run.demanded[week].sum()
    assert run.days_to_depletion is not None and run.days_to_depletion > 7


def conservation_holds(result: RunResult) -> None:
    """Flows balance against the stock the engine holds at the end, ashore and in cells."""
    for run in result.munitions:
        start, end = run.inventory_at_conflict_start, run.end_ashore + run.end_afloat
        assert start + run.total_delivered == run.total_fired + run.total_lost_with_hulls + end
        assert run.end_inventory == end
        assert np.all(run.inventory >= 0)


def test_losses_sink_hulls_and_their_missiles() -> None:
    data = with_fleet(
        scenario_data(inventory=10_000, rate_per_day=10.0, horizon_days=30),
        hulls=10,
        losses=[{"start_day": 0, "end_day": 10, "rate_per_day": 0.5}],
    )
    result = simulate(data)
    assert result.fleet is not None
    assert result.fleet.hulls_lost.tolist() == [5]
    assert only(result).total_lost_with_hulls > 0
    conservation_holds(result)


@st.composite
def fleets(draw: st.DrawFn, *, settled: bool = False) -> dict[str, Any]:
    """Scenarios with one class of hulls; `settled`: stock all ashore up front, no hull lost.

    Only settled fleets are monotone in hulls and reload speed. With deliveries trickling in, a
    hull that reloads sooner sails with fewer missiles and can miss the next lot; with losses, a
    hull back on station sooner is exposed sooner. Both are real effects at salvo resolution.
    """
    data = scenario_data(
        inventory=draw(st.integers(0, 3000)),
        rate_per_day=draw(st.floats(0.0, 300.0)),
        funded_per_year=0.0 if settled else draw(st.floats(0.0, 2000.0)),
        horizon_days=draw(st.integers(1, 60)),
        warning_days=draw(st.integers(0, 30)),
        lot_interval_days=draw(st.floats(1.0, 30.0)),
    )
    data["munitions"]["m"]["backlog"] = draw(st.booleans())
    return with_fleet(
        data,
        hulls=draw(st.integers(0, 6)),
        cells=draw(st.integers(1, 150)),
        transit=draw(st.floats(0.0, 4.0)),
        reload_per_cell=draw(st.floats(0.0, 0.1)),
        berths=draw(st.integers(1, 3)),
        reload_threshold=0.0 if settled else draw(st.floats(0.0, 1.0)),
        losses=[{"start_day": 0, "rate_per_day": 0.0 if settled else draw(st.floats(0.0, 0.5))}],
        reinforcements=[{"day": draw(st.floats(0.0, 30.0)), "hulls": draw(st.integers(1, 3))}],
    )


@settings(max_examples=50, deadline=None)
@given(fleets())
def test_stock_is_conserved_with_launchers(data: dict[str, Any]) -> None:
    conservation_holds(simulate(data))


@settings(max_examples=100, deadline=None)
@given(fleets(settled=True), st.integers(1, 4))
def test_more_hulls_never_fire_less(data: dict[str, Any], extra: int) -> None:
    more = copy.deepcopy(data)
    more["platforms"]["ddg"]["hulls"] += extra
    assert only(simulate(more)).total_fired >= only(simulate(data)).total_fired


@settings(max_examples=100, deadline=None)
@given(fleets(settled=True), st.floats(0.0, 1.0), st.floats(0.0, 1.0))
def test_faster_reloads_never_fire_less(data: dict[str, Any], cut: float, sail: float) -> None:
    faster = copy.deepcopy(data)
    faster["ports"]["p"]["reload_days_per_cell"] *= cut
    faster["ports"]["p"]["transit_days"] *= sail
    assert only(simulate(faster)).total_fired >= only(simulate(data)).total_fired


def test_yard_capacity_caps_funded_hulls_until_expanded() -> None:
    """Funded 2 a year, capacity 1.2: 1.2 a year arrive; +0.8 a year of capacity brings 2."""
    data = with_fleet(scenario_data(inventory=0, rate_per_day=0.0, horizon_days=3650))
    yard: dict[str, Any] = {
        "hull_cost_usd": 4.5e9,
        "capacity_per_year": 1.2,
        "funded_per_year": 2.0,
    }
    data["platforms"]["ddg"]["yard"] = yard
    result = simulate(data)
    assert result.fleet is not None
    # Monthly lots carry the month ahead: the last, on day 3630, brings the total to
    # floor(1.2 * 3660 / 365) = 12 hulls.
    assert result.fleet.alive[0, -1] == 1 + 12
    yard["supplemental"] = {
        "added_capacity_per_year": 0.8,
        "expansion_delay_days": 0.0,
        "expansion_ramp_days": 0.0,
    }
    expanded = simulate(data)
    assert expanded.fleet is not None
    assert expanded.fleet.alive[0, -1] == 1 + 20  # the funded two a year: floor(2 * 3660 / 365)


def test_yard_hulls_delivered_before_the_war_start_on_station() -> None:
    data = with_fleet(scenario_data(inventory=1000, rate_per_day=0.0, warning_days=730))
    data["platforms"]["ddg"]["yard"] = {
        "hull_cost_usd": 1e9,
        "capacity_per_year": 2.0,
        "funded_per_year": 2.0,
    }
    model = compile_scenario(build(data))
    assert model.fleet is not None
    assert model.fleet.classes[0].initial_hulls == 1 + 4


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"loadout": {"x": 1.0}}, "platforms: ddg.loadout: no munition named 'x'"),
        ({"reload_ports": ["nowhere"]}, "platforms: ddg.reload_ports: no port named 'nowhere'"),
        ({"loadout": {"m": 0.7, "m2": 0.5}}, "platforms.ddg.loadout: shares add up to 1.2"),
        ({"cells_per_hull": 2, "loadout": {"m": 0.3}}, "loadout gives no whole cell"),
    ],
)
def test_bad_fleet_input_names_the_field(change: dict[str, Any], message: str) -> None:
    data = with_fleet(scenario_data())
    data["platforms"]["ddg"].update(change)
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(".", r"\.")):
        build(data)


def test_a_port_not_bought_or_not_yet_open_reloads_nobody() -> None:
    base = with_fleet(
        scenario_data(inventory=10_000, rate_per_day=1000.0, horizon_days=20),
        transit=1.0,
        reload_per_cell=0.0,
    )
    closed = copy.deepcopy(base)
    closed["ports"]["p"]["purchased"] = False
    assert only(simulate(closed)).total_fired == 96  # the initial load-out, never reloaded
    later = copy.deepcopy(base)
    later["ports"]["p"]["available_from_day"] = 10.0
    fired_days = np.flatnonzero(only(simulate(later)).fired).tolist()
    assert fired_days[0] == 0 and fired_days[1] > 10


def test_a_mixed_hull_leaves_when_one_munition_runs_out() -> None:
    data = with_fleet(
        scenario_data(inventory=100_000, rate_per_day=1000.0, horizon_days=20),
        transit=1.0,
        reload_per_cell=0.0,
    )
    data["munitions"]["other"] = copy.deepcopy(data["munitions"]["m"])
    data["munitions"]["other"]["firing"] = [{"start_day": 0, "rate_per_day": 0.0}]
    data["platforms"]["ddg"]["loadout"] = {"m": 0.5, "other": 0.5}
    fired = simulate(data).munitions[0].fired
    assert np.flatnonzero(fired).tolist() == list(range(0, 20, 3))  # 1 + 2 transits + 0 reload


def test_hulls_back_within_the_step_count_as_on_station() -> None:
    data = with_fleet(
        scenario_data(inventory=100_000, rate_per_day=1000.0, horizon_days=5),
        transit=0.0,
        reload_per_cell=0.0,
    )
    result = simulate(data)
    assert result.fleet is not None
    assert result.fleet.on_station[0].tolist() == [1] * 5
    assert only(result).fired.tolist() == [96] * 5
