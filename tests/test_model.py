"""Closed-form oracles for the SimPy model: constant rates, lead times, lots, surge, backlog."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import build, only, scenario_data, simulate
from wargame.analysis.metrics import rebuild_years
from wargame.config.loading import load_scenario
from wargame.engine.des import run_des
from wargame.model.compile import compile_scenario


@pytest.mark.parametrize(
    ("inventory", "fire", "produced_per_year"),
    [
        (4000, 600.0, 0.0),
        (4000, 40.0, 60.0),
        (4200, 600.0, 0.0),
        (1000, 7.3, 365.0),
        (50, 3.0, 0.0),
    ],
)
def test_constant_rates_deplete_at_inventory_over_net_rate(
    inventory: int, fire: float, produced_per_year: float
) -> None:
    """Days to depletion = inventory / (fire - production), to within one salvo interval."""
    data = scenario_data(
        inventory=inventory,
        rate_per_day=fire,
        funded_per_year=produced_per_year,
        lot_interval_days=1.0,  # lots as fine as salvos, so the oracle's tolerance is one salvo
    )
    expected = inventory / (fire - produced_per_year / 365.0)
    got = only(simulate(data)).days_to_depletion
    assert got is not None
    assert abs(got - expected) <= 1.0


def test_salvo_interval_sets_the_precision() -> None:
    data = scenario_data(inventory=4000, rate_per_day=600.0)
    data["scenario"]["salvo_interval_days"] = 0.05
    got = only(simulate(data)).days_to_depletion
    assert got is not None
    assert abs(got - 4000 / 600) <= 0.05


def test_production_at_the_fire_rate_never_runs_out() -> None:
    run = only(simulate(scenario_data(inventory=100, rate_per_day=1.0, funded_per_year=365.0)))
    assert run.days_to_depletion is None
    assert run.shortfall == 0


def test_first_lot_lands_at_the_lead_time_in_monthly_lots() -> None:
    data = scenario_data(rate_per_day=0.0, funded_per_year=60.0, lead_time_days=100.0)
    munition = compile_scenario(build(data)).munitions[0]
    delivered = munition.lot_times[munition.lot_sizes > 0]
    assert delivered[0] == pytest.approx(100.0)
    np.testing.assert_allclose(np.diff(delivered), 365.0 / 12.0)
    assert set(munition.lot_sizes[munition.lot_sizes > 0].tolist()) == {5}  # 60 a year, monthly
    run = only(simulate(data))
    assert run.delivered[:100].sum() == 0
    assert run.delivered[100] == 5


def test_deliveries_over_a_horizon_match_the_rate() -> None:
    """12 monthly lots of 60/yr starting at day 0 deliver 60 in a year, no more, no less."""
    run = only(simulate(scenario_data(rate_per_day=0.0, funded_per_year=60.0, horizon_days=365)))
    assert run.total_delivered == 60


def test_foreign_share_takes_its_part_of_the_line() -> None:
    data = scenario_data(rate_per_day=0.0, funded_per_year=400.0, foreign_share=0.25)
    run = only(simulate(data))
    assert run.total_delivered == 300


def test_warning_time_deliveries_add_to_the_conflict_start_stock() -> None:
    data = scenario_data(inventory=1000, funded_per_year=120.0, warning_days=365, rate_per_day=0.0)
    run = only(simulate(data))
    assert run.inventory_at_conflict_start == 1120


def test_surge_ramp_delivers_the_trapezoid() -> None:
    """Surge from 0 to 365/yr after 10 days over a 20-day ramp: 10 in the ramp, then 1/day."""
    surge = {"rate_per_year": 365.0, "delay_days": 10.0, "ramp_days": 20.0}
    data = scenario_data(rate_per_day=0.0, surge=surge, lot_interval_days=1.0, horizon_days=60)
    run = only(simulate(data))
    assert run.delivered[:10].sum() == 0
    assert run.total_delivered == 10 + 30  # the ramp's triangle, then 30 days at 1/day


def test_backlog_fires_later_what_was_missed() -> None:
    lost = scenario_data(
        inventory=0, rate_per_day=10.0, funded_per_year=3650.0, lot_interval_days=1.0
    )
    kept = scenario_data(
        inventory=0, rate_per_day=10.0, funded_per_year=3650.0, lot_interval_days=1.0
    )
    kept["munitions"]["m"]["firing"] = [{"start_day": 0, "end_day": 5, "rate_per_day": 20.0}]
    lost["munitions"]["m"]["firing"] = [{"start_day": 0, "end_day": 5, "rate_per_day": 20.0}]
    kept["munitions"]["m"]["backlog"] = True
    lost_run, kept_run = only(simulate(lost)), only(simulate(kept))
    assert lost_run.total_demanded == kept_run.total_demanded == 100
    assert lost_run.total_fired == 50  # 10 a day arrive, 20 a day are asked for
    assert kept_run.total_fired == 100  # the backlog is fired once demand stops
    assert kept_run.shortfall == 0


def test_days_to_depletion_counts_from_the_conflict_start() -> None:
    data = scenario_data(inventory=100, rate_per_day=10.0, warning_days=30)
    assert only(simulate(data)).days_to_depletion == pytest.approx(10.0)


def test_rebuild_years_is_fired_over_the_funded_rate() -> None:
    assert rebuild_years(4000, 60.0) == pytest.approx(4000 / 60)
    assert rebuild_years(4000, 0.0) is None
    run = only(simulate(scenario_data(inventory=4000, rate_per_day=600.0, funded_per_year=60.0)))
    assert math.isclose(run.total_fired / 60.0, rebuild_years(run.total_fired, 60.0) or 0.0)


def test_issue_example_runs_out_in_the_first_week(example_file: Path) -> None:
    run = only(run_des(compile_scenario(load_scenario(example_file))))
    assert run.days_to_depletion == 6.0  # 4,000 at 600 a day: day 6's salvo finds 400 left
    assert run.total_fired == 4000
