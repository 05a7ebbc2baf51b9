"""Invariants of the SimPy model over random scenarios (hypothesis)."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import only, scenario_data, simulate
from wargame.engine.results import MunitionRun

NEVER = float("inf")


def depletion(run: MunitionRun) -> float:
    """Days to depletion, infinite when the stock lasts the horizon."""
    return NEVER if run.days_to_depletion is None else run.days_to_depletion


phase = st.fixed_dictionaries(
    {"length": st.floats(0.5, 60.0), "rate_per_day": st.floats(0.0, 500.0)}
)


@st.composite
def scenarios(draw: st.DrawFn) -> dict[str, Any]:
    """One-munition scenarios with several firing phases, a line, surge, warning and backlog."""
    data = scenario_data(
        inventory=draw(st.integers(0, 5000)),
        funded_per_year=draw(st.floats(0.0, 1000.0)),
        lead_time_days=draw(st.floats(0.0, 400.0)),
        horizon_days=draw(st.integers(1, 200)),
        warning_days=draw(st.integers(0, 100)),
        lot_interval_days=draw(st.floats(1.0, 60.0)),
        foreign_share=draw(st.floats(0.0, 0.9)),
    )
    data["scenario"]["salvo_interval_days"] = draw(st.sampled_from([0.25, 0.5, 1.0, 2.0]))
    munition = data["munitions"]["m"]
    munition["backlog"] = draw(st.booleans())
    start, phases = 0.0, []
    for drawn in draw(st.lists(phase, min_size=1, max_size=4)):
        phases.append(
            {
                "start_day": start,
                "end_day": start + drawn["length"],
                "rate_per_day": drawn["rate_per_day"],
            }
        )
        start += drawn["length"]
    munition["firing"] = phases
    return data


@settings(max_examples=60, deadline=None)
@given(scenarios())
def test_inventory_never_negative_and_stock_is_conserved(data: dict[str, Any]) -> None:
    run = only(simulate(data))
    assert np.all(run.inventory >= 0)
    assert np.all(run.fired >= 0)
    # start + delivered = fired + end, over the conflict and over the whole run
    assert (
        run.inventory_at_conflict_start + run.total_delivered == run.total_fired + run.end_inventory
    )
    assert run.initial_inventory + run.delivered.sum() == run.fired.sum() + run.end_inventory
    assert run.total_fired <= run.total_demanded or data["munitions"]["m"]["backlog"]
    assert run.shortfall >= 0


@settings(max_examples=60, deadline=None)
@given(scenarios(), st.floats(1.0, 1000.0))
def test_more_production_never_shortens_days_to_depletion(
    data: dict[str, Any], extra: float
) -> None:
    production = data["munitions"]["m"]["production"]
    more = {
        **data,
        "munitions": {
            "m": {
                **data["munitions"]["m"],
                "production": {
                    **production,
                    "funded_per_year": production["funded_per_year"] + extra,
                    "capacity_per_year": production["capacity_per_year"] + extra,
                },
            }
        },
    }
    base, boosted = only(simulate(data)), only(simulate(more))
    assert depletion(boosted) >= depletion(base)
    assert boosted.total_fired >= base.total_fired


@settings(max_examples=30, deadline=None)
@given(scenarios(), st.integers(1, 2000))
def test_more_inventory_never_shortens_days_to_depletion(data: dict[str, Any], extra: int) -> None:
    more = {
        **data,
        "munitions": {
            "m": {
                **data["munitions"]["m"],
                "inventory": data["munitions"]["m"]["inventory"] + extra,
            }
        },
    }
    base, boosted = only(simulate(data)), only(simulate(more))
    assert depletion(boosted) >= depletion(base)
