"""Shared suppliers: closed forms of the allocation, conservation, monotonicity, both engines."""

from __future__ import annotations

import copy
import csv
import io
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import tomlkit
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.conftest import REPO, build, simulate
from tests.test_vector import assert_same, batch
from wargame.analysis.metrics import munition_metrics
from wargame.cli import app
from wargame.config.loading import validate_study
from wargame.engine.results import RunResult
from wargame.model.compile import compile_scenario
from wargame.model.supply_loops import allocate_day

EXAMPLE = REPO / "tests" / "data" / "two-lines-one-motor-maker.toml"
runner = CliRunner()


def network(
    supplier: dict[str, Any] | None = None, *lines: dict[str, Any], horizon: int = 365
) -> dict[str, Any]:
    """Raw data: one supplier `srm` and lines m0, m1, ... each taking one srm a missile."""
    munitions = {}
    for i, production in enumerate(lines or ({"funded_per_year": 100.0},)):
        munitions[f"m{i}"] = {
            "inventory": 10_000,
            "unit_cost_usd": 1e6,
            "firing": [{"start_day": 0, "rate_per_day": 1.0}],
            "production": {"capacity_per_year": 1000.0, "components": {"srm": 1}, **production},
        }
    return {
        "scenario": {"name": "network", "horizon_days": horizon},
        "suppliers": {
            "srm": {"capacity_per_year": 1000.0, "funded_per_year": 50.0, **(supplier or {})}
        },
        "munitions": munitions,
    }


def delivered(result: RunResult) -> dict[str, int]:
    return {run.name: int(run.delivered.sum()) for run in result.munitions}


def test_the_issue_example_validates_and_runs(tmp_path: Path) -> None:
    assert runner.invoke(app, ["validate", str(EXAMPLE)]).exit_code == 0
    result = runner.invoke(app, ["run", str(EXAMPLE), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output


def test_the_example_splits_one_motor_maker_between_two_lines() -> None:
    """100 motors a year, two lines funded for 100 each, pro rata: 50 missiles each."""
    from wargame.config.loading import load_study

    result = simulate_scenario(load_study(EXAMPLE).scenario)
    assert delivered(result) == {"tomahawk": 50, "sm6": 50}


def test_rebuild_years_count_what_the_supplier_lets_a_line_make(tmp_path: Path) -> None:
    """365 fired, rebuilt at the 50 a year the motor maker allows each line (not the 100 funded):
    7.3 years, in a single run and in the median of a Monte Carlo."""
    single = tmp_path / "single"
    assert runner.invoke(app, ["run", str(EXAMPLE), "--out", str(single)]).exit_code == 0
    block = json.loads((single / "summary.json").read_text())["munitions"]
    assert block["tomahawk"]["rebuild_years"] == pytest.approx(365 / 50)
    assert block["sm6"]["rebuild_years"] == pytest.approx(365 / 50)
    uncertain = 'munitions.tomahawk.inventory={dist="uniform",low=900,high=1100}'
    spread = tmp_path / "spread"
    args = ["run", str(EXAMPLE), "--set", uncertain, "--replications", "50", "--out", str(spread)]
    assert runner.invoke(app, args).exit_code == 0
    median = json.loads((spread / "summary.json").read_text())["munitions"]["tomahawk"]
    assert median["rebuild_years_median"] == pytest.approx(365 / 50)
    page = (single / "report.html").read_text()
    assert "takes 7.3 years at the 50 a year its suppliers allow (100 funded)" in page


def simulate_scenario(scenario: Any) -> RunResult:
    from wargame.engine.des import run_des

    return run_des(compile_scenario(scenario))


@given(
    supply=st.integers(0, 400),
    demand=st.integers(0, 400),
    stock=st.integers(0, 300),
)
@settings(max_examples=30, deadline=None)
def test_a_line_limited_by_its_supplier_delivers_what_the_supplier_makes(
    supply: int, demand: int, stock: int
) -> None:
    """Same lot grid: over a year the line delivers min(its funded output, stock + supplied)."""
    data = network(
        {"funded_per_year": float(supply), "inventory": stock}, {"funded_per_year": float(demand)}
    )
    assert delivered(simulate(data)) == {"m0": min(demand, supply + stock)}


def test_two_lines_split_pro_rata_to_their_demand() -> None:
    """Demand 300 and 100 a year on 100 a year: 75 and 25, each the floor of its exact share
    (the fractions, less than one component a line, wait at the maker)."""
    data = network(
        {"funded_per_year": 100.0}, {"funded_per_year": 300.0}, {"funded_per_year": 100.0}
    )
    got = delivered(simulate(data))
    assert 99 <= got["m0"] + got["m1"] <= 100
    assert 74 <= got["m0"] <= 75 and 24 <= got["m1"] <= 25


def test_priority_serves_the_first_line_in_full() -> None:
    data = network(
        {"funded_per_year": 120.0, "allocation": "priority", "priority": ["m1"]},
        {"funded_per_year": 100.0},
        {"funded_per_year": 100.0},
    )
    assert delivered(simulate(data)) == {"m0": 20, "m1": 100}


def test_components_stocked_ahead_are_used_first() -> None:
    """No production (lead time past the horizon): the first lots take the 30 motors in stock."""
    data = network(
        {"funded_per_year": 50.0, "lead_time_days": 400.0, "inventory": 30},
        {"funded_per_year": 100.0},
    )
    model = compile_scenario(build(data))
    (munition,) = model.munitions
    cumulative = np.cumsum(munition.lot_sizes)
    planned = np.cumsum(compile_scenario(build(without_suppliers(data))).munitions[0].lot_sizes)
    np.testing.assert_array_equal(cumulative, np.minimum(planned, 30))
    (ledger,) = model.suppliers
    assert int(ledger.made[-1, 0]) == 0 and int(ledger.used[0, 0]) == 30
    assert int(ledger.in_stock[0]) == 0


def without_suppliers(data: dict[str, Any]) -> dict[str, Any]:
    plain = copy.deepcopy(data)
    plain.pop("suppliers")
    for munition in plain["munitions"].values():
        munition["production"].pop("components")
    return plain


def test_a_supplier_that_never_binds_leaves_the_lots_as_they_were() -> None:
    data = network(
        {"funded_per_year": 1000.0}, {"funded_per_year": 300.0}, {"funded_per_year": 60.0}
    )
    with_network = compile_scenario(build(data))
    plain = compile_scenario(build(without_suppliers(data)))
    for a, b in zip(with_network.munitions, plain.munitions, strict=True):
        np.testing.assert_array_equal(a.lot_sizes, b.lot_sizes)
    assert not with_network.suppliers[0].short.any()


tiered = st.fixed_dictionaries(
    {
        "supply": st.integers(0, 300),
        "upstream": st.integers(0, 300),
        "stock": st.integers(0, 50),
        "lines": st.lists(st.integers(0, 300), min_size=1, max_size=3),
        "per": st.integers(1, 3),
        "rule": st.sampled_from(["pro_rata", "priority"]),
        "lot": st.sampled_from([1.0, 7.0, 30.0, 91.0]),
    }
)


def tiered_network(case: dict[str, Any]) -> dict[str, Any]:
    """Lines on `srm`, which takes `per` propellant batches from `fuel` a motor."""
    lines = [{"funded_per_year": float(x), "lot_interval_days": case["lot"]} for x in case["lines"]]
    data = network(
        {
            "funded_per_year": float(case["supply"]),
            "inventory": case["stock"],
            "allocation": case["rule"],
            "components": {"fuel": case["per"]},
        },
        *lines,
    )
    data["suppliers"]["fuel"] = {
        "capacity_per_year": 1000.0,
        "funded_per_year": float(case["upstream"]),
        "lot_interval_days": 20.0,
    }
    return data


@given(case=tiered)
@settings(max_examples=40, deadline=None)
def test_components_are_conserved(case: dict[str, Any]) -> None:
    """Made + built ahead = used + in stock, at every supplier; nothing used is not received."""
    model = compile_scenario(build(tiered_network(case)))
    for ledger in model.suppliers:
        made, stock = int(ledger.made[-1, 0]), int(ledger.inventory[0])
        used = ledger.used[:, 0]
        assert made + stock == int(used.sum()) + int(ledger.in_stock[0])
        assert np.all(used <= ledger.received[-1, :, 0])
        assert int(ledger.received[-1, :, 0].sum()) <= made + stock
        assert np.all(ledger.received[-1, :, 0] <= ledger.demanded[-1, :, 0])
    srm = model.suppliers[0]
    built = sum(int(m.lot_sizes.sum()) for m in model.munitions)
    assert int(srm.used.sum()) == built


def flat_network(case: dict[str, Any]) -> dict[str, Any]:
    """The same lines on `srm` alone, no tier below it."""
    data = tiered_network(case)
    del data["suppliers"]["fuel"]
    del data["suppliers"]["srm"]["components"]
    return data


@given(case=tiered, more=st.integers(1, 200))
@settings(max_examples=150, deadline=None)
def test_more_supplier_capacity_never_lowers_any_line(case: dict[str, Any], more: int) -> None:
    """Per line on one tier, under either rule; in total through tiers too. (Through a tier a
    line can lose a little: a motor maker whose own lots are reshaped by its propellant may
    serve another line's backlog in a moment of plenty with the motors this one needs later.)"""
    before = delivered(simulate(flat_network(case)))
    after = delivered(simulate(flat_network({**case, "supply": case["supply"] + more})))
    assert all(after[name] >= before[name] for name in before), (before, after)
    model = compile_scenario(build(tiered_network(case)))
    more_model = compile_scenario(build(tiered_network({**case, "supply": case["supply"] + more})))
    got = [int(m.suppliers[0].received[-1].sum()) for m in (model, more_model)]
    assert got[1] >= got[0]


@settings(deadline=None)  # the first example compiles the allocation
@given(
    available=st.integers(0, 10**6),
    outstanding=st.lists(st.integers(0, 10**6), min_size=1, max_size=5),
    rule=st.sampled_from(["pro_rata", "priority"]),
)
def test_a_day_hands_out_all_it_can_and_no_more_than_owed(
    available: int, outstanding: list[int], rule: str
) -> None:
    need = np.array(outstanding, dtype=np.float64)
    given_ = np.zeros_like(need)
    allocate_day(float(available), need, rule == "priority", given_)
    assert np.all(given_ >= 0) and np.all(given_ <= need)
    assert math.isclose(given_.sum(), min(available, int(need.sum())), rel_tol=1e-12)
    if rule == "pro_rata" and need.sum() > available:  # shares exactly in proportion
        exact = available * need / need.sum()
        np.testing.assert_allclose(given_, exact, rtol=1e-12)


def test_both_engines_agree_with_uncertain_suppliers() -> None:
    data = tiered_network(
        {
            "supply": 0,
            "upstream": 200,
            "stock": 10,
            "lines": [300, 120],
            "per": 2,
            "rule": "pro_rata",
            "lot": 30.0,
        }
    )
    data["suppliers"]["srm"]["funded_per_year"] = {"dist": "uniform", "low": 20, "high": 400}
    data["suppliers"]["srm"]["inventory"] = {"dist": "uniform", "low": 0, "high": 100}
    data["munitions"]["m0"]["firing"] = [{"start_day": 0, "rate_per_day": 30.0}]
    study = validate_study(data, "test")
    des, vector = batch(study, 0, 40)
    assert_same(des, vector)
    ends = np.array([m.end_inventory for m in des.munitions])
    assert ends.std() > 0  # the draws moved the outcome


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (
            lambda d: d["munitions"]["m0"]["production"]["components"].update(seeker=1),
            "munitions.m0.production.components.seeker",
        ),
        (
            lambda d: d["suppliers"]["srm"].update(allocation="priority", priority=["thaad"]),
            "suppliers.srm.priority.0",
        ),
        (
            lambda d: (
                d["suppliers"].update(
                    fuel={
                        "capacity_per_year": 1.0,
                        "funded_per_year": 1.0,
                        "components": {"srm": 1},
                    }
                )
                or d["suppliers"]["srm"].update(components={"fuel": 1})
            ),
            "suppliers.",
        ),
    ],
    ids=["no-supplier", "unknown-priority", "cycle"],
)
def test_bad_networks_exit_2_naming_the_field(change: Any, field: str, tmp_path: Path) -> None:
    data = network()
    change(data)
    path = tmp_path / "bad.toml"
    path.write_text(tomlkit.dumps(data))
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2, result.output
    assert field in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    if field == "suppliers.":
        assert "cycle" in result.output


def test_the_binding_days_count_the_days_a_shortage_stood() -> None:
    """Funded 100 a line, 100 motors: short from the first lot to the end, every day."""
    from wargame.config.loading import load_study

    (ledger,) = compile_scenario(load_study(EXAMPLE).scenario).suppliers
    bound = ledger.bound_days(365)[:, 0]
    assert bound.all() or math.isclose(bound.mean(), 1.0, abs_tol=0.1)


def test_outputs_name_each_supplier_what_it_delivered_and_when_it_bound(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert runner.invoke(app, ["run", str(EXAMPLE), "--out", str(out)]).exit_code == 0
    block = json.loads((out / "summary.json").read_text())["suppliers"]["srm"]
    assert block["made"] == 100 and block["delivered"] == 100
    assert block["delivered_to"] == {"tomahawk": 50, "sm6": 50}
    assert block["demanded_by"] == {"tomahawk": 100, "sm6": 100}
    assert (
        block["made"] + block["built_ahead"]
        == sum(block["used_by"].values()) + block["in_stock_at_end"]
    )
    assert block["days_bound"] == sum(b - a for a, b in block["bound_periods"])
    rows = list(csv.DictReader(io.StringIO((out / "suppliers.csv").read_text())))
    assert len(rows) == 365 * 2
    for customer in ("tomahawk", "sm6"):
        got = sum(int(r["received"]) for r in rows if r["customer"] == customer)
        assert got == block["delivered_to"][customer]
    assert sum(int(r["made"]) for r in rows if r["customer"] == "tomahawk") == 100
    html = (out / "report.html").read_text()
    assert "Supply network" in html and "chart-supply-bound" in html and "chart-supply-srm" in html


def test_scenarios_without_suppliers_write_no_supplier_outputs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    config = REPO / "configs" / "tomahawk-wargame.toml"
    assert runner.invoke(app, ["run", str(config), "--out", str(out)]).exit_code == 0
    assert "suppliers" not in json.loads((out / "summary.json").read_text())
    assert not (out / "suppliers.csv").exists()
    assert "Supply network" not in (out / "report.html").read_text()


def test_the_budget_counts_the_suppliers_ledgers() -> None:
    """Daily lots of a supplier over a century are refused before anything is allocated."""
    from wargame.analysis.budget import Budget, block_size, size_of

    data = network({"funded_per_year": 100.0}, {"funded_per_year": 100.0})
    plain = size_of(build(without_suppliers(data)))
    supplied = size_of(build(data))
    assert supplied.lots > plain.lots
    daily = {"funded_per_year": 100.0, "lot_interval_days": 1.0}
    big = network(daily, daily, horizon=36_000)
    with pytest.raises(Exception, match="GiB"):
        block_size(size_of(build(big)), 1, Budget(memory_bytes=2**20))


def test_a_supplier_surge_lifts_the_lines_it_feeds_from_its_day() -> None:
    """50 motors a year surging to 200 at the conflict start (day 100): the line (funded 300)
    builds what the maker makes, floor(50 x 100 / 365 + 200 x 265 / 365) over the year."""
    data = network(
        {
            "funded_per_year": 50.0,
            "capacity_per_year": 200.0,
            "lot_interval_days": 1.0,
            "surge": {"rate_per_year": 200.0},
        },
        {"funded_per_year": 300.0, "lot_interval_days": 1.0},
        horizon=265,
    )
    data["scenario"]["warning_days"] = 100
    model = compile_scenario(build(data))
    (ledger,) = model.suppliers
    made = int(ledger.made[-1, 0])
    assert made == math.floor(50 * 100 / 365 + 200 * 265 / 365 + 1e-7)
    (munition,) = model.munitions
    assert int(munition.lot_sizes.sum()) == made


def test_a_funded_line_its_supplier_starves_never_rebuilds_and_says_why() -> None:
    """All the motors go to m0 (priority, and no spare): m1 is funded, gets none, and its
    summary says its suppliers starve it rather than that nothing is funded."""
    data = network(
        {"funded_per_year": 100.0, "allocation": "priority", "priority": ["m0"]},
        {"funded_per_year": 100.0},
        {"funded_per_year": 100.0},
    )
    model = compile_scenario(validate_study(data, "starved.toml").scenario)
    result = simulate(data)
    reasons = {
        run.name: munition_metrics(run, m)["rebuild_never_because"]
        for run, m in zip(result.munitions, model.munitions, strict=True)
    }
    assert reasons == {"m0": None, "m1": "suppliers_starve"}
    assert delivered(result)["m1"] == 0
