"""The vectorised core's hulls by event (engine/events.py) against the SimPy model: squadrons
arriving together, queues kept between steps, hulls lost while queued or at a berth, ports with
no transit or opening late, and salvos that skip emptied hulls."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import build, scenario_data
from tests.test_vector import assert_same
from wargame.engine.des import run_des, run_des_batch
from wargame.engine.vector import run_vector
from wargame.model.compile import compile_batch, compile_scenario
from wargame.model.draws import FIXED


def two_ports(
    data: dict[str, Any], near: dict[str, Any], far: dict[str, Any], classes: dict[str, Any]
) -> dict[str, Any]:
    """Scenario data with ports `near` and `far` and platform classes carrying munition m."""
    out = copy.deepcopy(data)
    out["ports"] = {"near": near, "far": far}
    out["platforms"] = classes
    return out


@st.composite
def fleets(draw: st.DrawFn) -> dict[str, Any]:
    """Small fleets where many hulls move at once through few berths, with heavy losses."""
    data = scenario_data(
        inventory=draw(st.integers(0, 3000)),
        rate_per_day=draw(st.floats(0.0, 400.0)),
        funded_per_year=draw(st.floats(0.0, 20_000.0)),
        horizon_days=draw(st.integers(5, 60)),
        lot_interval_days=draw(st.floats(1.0, 10.0)),
    )

    def port() -> dict[str, Any]:
        return {
            "transit_days": draw(st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.5])),
            "berths": draw(st.integers(1, 3)),
            "reload_days_per_cell": draw(st.floats(0.0, 0.3)),
            "available_from_day": draw(st.sampled_from([0.0, 0.0, 4.0])),
        }

    def platform(ports: list[str]) -> dict[str, Any]:
        return {
            "hulls": draw(st.integers(0, 12)),
            "cells_per_hull": draw(st.integers(4, 40)),  # a whole cell at a 0.3 share
            "loadout": {"m": draw(st.floats(0.3, 1.0))},
            "reload_ports": ports,
            "reload_threshold": draw(st.floats(0.0, 0.6)),
            "losses": [{"start_day": 0, "rate_per_day": draw(st.floats(0.0, 1.5))}],
            "reinforcements": [
                {"day": draw(st.floats(0.0, 10.0)), "hulls": draw(st.integers(1, 6))}
            ],
        }

    order = draw(st.permutations(["near", "far"]))
    classes = {"ddg": platform(list(order)), "ssn": platform([order[0]])}
    return two_ports(data, port(), port(), classes)


@settings(max_examples=60, deadline=None)
@given(fleets())
def test_hulls_by_event_agree_with_the_simpy_model(data: dict[str, Any]) -> None:
    """Every outcome (fired, lost with hulls, hulls lost, launcher-limited days, the stock at
    each day's end) equal in both engines, whatever the fleet does."""
    model = compile_batch(build(data), FIXED)
    assert_same(run_des_batch(model, paths=True), run_vector(model, paths=True))


def test_hulls_lost_in_a_queue_leave_it_and_the_engines_agree() -> None:
    """Twenty hulls fire out on the first day and queue at one berth with a ten-day reload;
    losses from day 3 then take hulls off station (queued or at the berth), as the SimPy
    model's log shows, and the engines still agree step by step."""
    data = two_ports(
        scenario_data(inventory=100_000, rate_per_day=2000.0, horizon_days=40),
        {"transit_days": 0.0, "berths": 1, "reload_days_per_cell": 0.5},
        {"transit_days": 2.0, "berths": 1, "reload_days_per_cell": 0.5},
        {
            "ddg": {
                "hulls": 20,
                "cells_per_hull": 20,
                "loadout": {"m": 1.0},
                "reload_ports": ["near", "far"],
                "losses": [{"start_day": 3, "end_day": 20, "rate_per_day": 0.5}],
            }
        },
    )
    scenario = build(data)
    log = run_des(compile_scenario(scenario)).fleet
    assert log is not None
    lost = np.diff(log.alive[0]) < 0  # a hull lost at step k + 1
    queued = log.waiting.sum(axis=0)[:-1] > 0
    assert np.any(lost & (log.on_station[0][:-1] == 0) & queued)
    model = compile_batch(scenario, FIXED)
    assert_same(run_des_batch(model, paths=True), run_vector(model, paths=True))
