"""The vectorised engine agrees with the SimPy model: exactly with fixed inputs on every config,
replication by replication with uncertain inputs, and in distribution under independent seeds."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from tests.conftest import CONFIGS, REPO
from wargame.config.loading import load_scenario, load_study
from wargame.config.uncertain import Study
from wargame.engine.des import run_des, run_des_batch
from wargame.engine.results import BATCH_OUTCOMES, BatchRun, RunResult, salvo_days
from wargame.engine.vector import run_vector
from wargame.model.compile import compile_batch, compile_scenario
from wargame.model.draws import FIXED, sample

TAIWAN_UNCERTAIN = (
    "platforms.ddg.loss_noise='poisson'",
    "platforms.cg.loss_noise='poisson'",
    'munitions.tomahawk.inventory={dist="uniform",low=3000,high=4000}',
    'ports.sasebo.berths={dist="choice",values=[3,4,5]}',
    "munitions.tomahawk.salvo_noise='poisson'",
)


def assert_same(des: BatchRun, vector: BatchRun) -> None:
    """Every outcome of every replication, equal."""
    for a, b in zip(des.munitions, vector.munitions, strict=True):
        for field in BATCH_OUTCOMES:  # NaN (never ran out) equals NaN here
            np.testing.assert_array_equal(getattr(a, field), getattr(b, field), err_msg=field)
        if a.stock is not None and b.stock is not None:
            np.testing.assert_array_equal(a.stock, b.stock)
    for name in ("hulls_lost", "launcher_limited_days"):
        a_value, b_value = getattr(des, name), getattr(vector, name)
        assert (a_value is None) == (b_value is None)
        if a_value is not None:
            np.testing.assert_array_equal(a_value, b_value, err_msg=name)


@pytest.mark.parametrize("config", CONFIGS, ids=lambda p: p.name)
def test_fixed_inputs_give_the_same_numbers_on_every_config(config: Path) -> None:
    """Every uncertain input at its median: totals, depletion day, daily stock, fleet losses."""
    scenario = load_scenario(config)
    des = run_des(compile_scenario(scenario))
    vector = run_vector(compile_batch(scenario, FIXED), paths=True)
    days, _ = salvo_days(des.step_times)
    for a, b in zip(des.munitions, vector.munitions, strict=True):
        assert b.days_to_depletion[0] == pytest.approx(
            np.nan if a.days_to_depletion is None else a.days_to_depletion, nan_ok=True
        )
        assert (b.demanded[0], b.fired[0], b.delivered[0]) == (
            a.total_demanded,
            a.total_fired,
            a.total_delivered,
        )
        assert (b.lost_with_hulls[0], b.launch_lost[0]) == (
            a.total_lost_with_hulls,
            a.total_launch_lost,
        )
        assert b.end_inventory[0] == a.end_inventory
        assert b.stock is not None and b.fired_per_step is not None
        np.testing.assert_array_equal(b.stock[:, 0], a.inventory[days])
        np.testing.assert_array_equal(b.fired_per_step[:, 0], a.fired[days])
    _same_fleet(des, vector)


def _same_fleet(des: RunResult, vector: BatchRun) -> None:
    if des.fleet is None:
        assert vector.hulls_lost is None
        return
    assert vector.hulls_lost is not None and vector.launcher_limited_days is not None
    np.testing.assert_array_equal(vector.hulls_lost[:, 0], des.fleet.hulls_lost)
    assert vector.launcher_limited_days[0] == des.launcher_limited().sum()


def batch(study: Study, first: int, count: int) -> tuple[BatchRun, BatchRun]:
    """Replications first .. first + count - 1 with both engines."""
    reps = np.arange(first, first + count)
    model = compile_batch(study.scenario, sample(study.uncertain, 0, reps))
    return run_des_batch(model, paths=True), run_vector(model, paths=True)


def test_uncertain_inputs_agree_replication_by_replication() -> None:
    """Same replication, same draws: the engines agree exactly, whatever was drawn."""
    study = load_study(REPO / "configs" / "tomahawk-wargame.toml")
    assert_same(*batch(study, 0, 300))


def test_daily_randomness_in_the_fleet_agrees_replication_by_replication() -> None:
    """Poisson hull losses and salvo sizes, a drawn stock and berth count, through the fleet."""
    study = load_study(REPO / "configs" / "taiwan-fleet.toml", TAIWAN_UNCERTAIN)
    assert_same(*batch(study, 1000, 60))


def test_lot_slips_and_surge_agree_replication_by_replication() -> None:
    overrides = (
        "munitions.tomahawk.production.lead_time_days=0",
        "munitions.tomahawk.production.capacity_per_year=1000",
        'munitions.tomahawk.production.lot_slip_days={dist="uniform",low=0,high=45}',
        'munitions.tomahawk.production.funded_per_year={dist="triangular",low=100,mode=300,high=900}',
        "munitions.tomahawk.backlog=true",
    )
    study = load_study(REPO / "configs" / "tomahawk-wargame.toml", overrides)
    assert_same(*batch(study, 0, 200))


def ks_days(study: Study, replications: int) -> float:
    """KS p-value between the engines' days to depletion under independent seeds."""
    from wargame.analysis.montecarlo import run_montecarlo

    seeded = study.scenario.model_copy(
        update={"scenario": study.scenario.scenario.model_copy(update={"seed": 1})}
    )
    other = Study(seeded, study.uncertain)
    des = run_montecarlo(study, replications, engine="des")
    vector = run_montecarlo(other, replications, engine="vector")
    a = des.outcomes.munitions[0].days_to_depletion
    b = vector.outcomes.munitions[0].days_to_depletion
    assert not np.array_equal(a, b)  # independent draws, not the same replications
    horizon = float(study.scenario.scenario.horizon_days)  # never: beyond the horizon
    return float(
        stats.ks_2samp(np.nan_to_num(a, nan=horizon), np.nan_to_num(b, nan=horizon)).pvalue
    )


def test_default_scenario_distributions_are_not_separated() -> None:
    study = load_study(REPO / "configs" / "tomahawk-wargame.toml")
    assert ks_days(study, 2000) > 0.01


def test_fleet_scenario_distributions_are_not_separated() -> None:
    study = load_study(REPO / "configs" / "taiwan-fleet.toml", TAIWAN_UNCERTAIN)
    assert ks_days(study, 2000) > 0.01


def test_the_force_over_decades_agrees_replication_by_replication() -> None:
    """A drawn service life and yard capacity change the fleet that meets the war (retirements,
    deliveries and a transfer before it); both engines fire from the same hulls."""
    overrides = (
        "munitions.tomahawk.firing.0.rate_per_day=300",
        'platforms.ssn.service_life_years={dist="uniform",low=28,high=38}',
        'platforms.ssn.yard.capacity_per_year={dist="triangular",low=0.8,mode=1.2,high=2.0}',
    )
    study = load_study(REPO / "tests" / "data" / "ssn-2025-2035.toml", overrides)
    des, vector = batch(study, 0, 40)
    assert_same(des, vector)
    assert np.unique(des.munitions[0].launch_lost).size > 1  # the fleet differs by replication
