"""Monte Carlo runs: closed-form distributions, the precision rule, blocks, and the outputs."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from typer.testing import CliRunner

from tests.conftest import REPO, scenario_data
from wargame.analysis import montecarlo
from wargame.analysis.montecarlo import FAN_REPLICATIONS, Precision, run_montecarlo
from wargame.analysis.uncertainty import (
    FAN_QUANTILES,
    distribution,
    fan_quantiles,
    replications_csv,
    survival,
)
from wargame.cli import app
from wargame.config.loading import validate_study
from wargame.config.uncertain import Study

DEFAULT = REPO / "configs" / "tomahawk-wargame.toml"
runner = CliRunner()


def uniform_stock(low: int = 1000, high: int = 2000, rate: float = 100.0) -> Study:
    """A stock uniform on whole numbers in [low, high], fired at a constant rate, no production."""
    data = scenario_data(rate_per_day=rate, horizon_days=60)
    data["munitions"]["m"]["inventory"] = {"dist": "uniform", "low": low, "high": high}
    return validate_study(data, "test.toml")


def test_chance_of_running_out_matches_the_closed_form() -> None:
    """Salvos of 100 a day from a stock I run out on day floor(I / 100): P(out by day d) is
    P(I < 100 (d + 1)), within the DKW band of the empirical distribution (99.9%)."""
    n = 20_000
    mc = run_montecarlo(uniform_stock(), n)
    days = mc.outcomes.munitions[0].days_to_depletion
    # Draws are uniform on [1000, 2000] rounded to whole missiles.
    stock = np.arange(1000, 2001)
    weight = np.ones(stock.size)
    weight[[0, -1]] = 0.5
    exact = np.array([weight[stock < 100 * (d + 1)].sum() / weight.sum() for d in range(60)])
    band = np.sqrt(np.log(2 / 0.001) / (2 * n))
    assert np.max(np.abs(survival(days, 60) - exact)) < band
    assert np.nanmean(days) == pytest.approx(
        np.sum(weight * (stock // 100)) / weight.sum(), abs=0.05
    )


def test_quantiles_are_replication_values_and_never_is_null() -> None:
    values = np.array([1.0, 2.0, 3.0, np.nan])
    stats = distribution(values)
    assert stats["p50"] == 2.0 and stats["p95"] is None  # a quarter never ran out
    assert stats["mean"] == 2.0
    assert stats["mean_ci95"][0] < 2.0 < stats["mean_ci95"][1]


def test_precision_adds_replications_until_the_interval_is_narrow() -> None:
    study = uniform_stock()
    mc = run_montecarlo(study, 200, precision=Precision(days=0.05))
    assert mc.half_width is not None and mc.half_width < 0.05
    assert mc.replications > 200
    capped = run_montecarlo(study, 200, precision=Precision(days=0.001, cap=5000))
    assert capped.replications == 5000
    assert capped.half_width is not None and capped.half_width > 0.001


def test_results_do_not_depend_on_the_block_size(monkeypatch: pytest.MonkeyPatch) -> None:
    study = uniform_stock()
    whole = run_montecarlo(study, 1000)
    monkeypatch.setattr(montecarlo, "BLOCK", 64)
    blocks = run_montecarlo(study, 1000)
    np.testing.assert_array_equal(
        whole.outcomes.munitions[0].days_to_depletion,
        blocks.outcomes.munitions[0].days_to_depletion,
    )
    np.testing.assert_array_equal(
        whole.inputs["munitions.m.inventory"], blocks.inputs["munitions.m.inventory"]
    )


def test_memory_keeps_paths_for_the_fan_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Outcomes grow with replications; day-by-day paths stop at FAN_REPLICATIONS."""
    monkeypatch.setattr(montecarlo, "BLOCK", 1000)
    mc = run_montecarlo(uniform_stock(), FAN_REPLICATIONS + 1500)
    run = mc.outcomes.munitions[0]
    assert run.fired.shape == (FAN_REPLICATIONS + 1500,)
    assert run.stock is not None and run.stock.shape == (60, FAN_REPLICATIONS)
    every = run_montecarlo(uniform_stock(), FAN_REPLICATIONS + 10, paths=True)
    assert every.outcomes.munitions[0].stock.shape[1] == FAN_REPLICATIONS + 10  # type: ignore[union-attr]


def run(tmp_path: Path, *args: str) -> dict[str, object]:
    result = runner.invoke(app, ["run", str(DEFAULT), "--out", str(tmp_path), *args])
    assert result.exit_code == 0, result.output
    summary: dict[str, object] = json.loads((tmp_path / "summary.json").read_text())
    return summary


def test_default_run_reports_the_spread(tmp_path: Path) -> None:
    summary = run(tmp_path, "--replications", "500")
    assert summary["kind"] == "monte_carlo" and summary["replications"] == 500
    days = summary["munitions"]["tomahawk"]["days_to_depletion"]  # type: ignore[index]
    assert set(days) >= {"p5", "p10", "p50", "p90", "p95", "mean", "mean_ci95", "p_depleted_by"}
    assert days["p5"] <= days["p50"] <= days["p95"]
    lines = (tmp_path / "replications.csv").read_text().splitlines()
    assert len(lines) == 501 and "munitions.tomahawk.inventory" in lines[0]
    bands = (tmp_path / "timeseries.csv").read_text().splitlines()
    assert bands[0].startswith("munition,day,stock_p5")


def test_same_seed_same_bytes_and_another_seed_differs(tmp_path: Path) -> None:
    run(tmp_path / "a", "--replications", "300")
    run(tmp_path / "b", "--replications", "300")
    run(tmp_path / "c", "--replications", "300", "--set", "scenario.seed=7")
    for name in ("summary.json", "replications.csv", "timeseries.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    a = (tmp_path / "a" / "replications.csv").read_bytes()
    assert a != (tmp_path / "c" / "replications.csv").read_bytes()


def test_the_engines_write_the_same_summary(tmp_path: Path) -> None:
    des = run(tmp_path / "des", "--replications", "200", "--engine", "des")
    vector = run(tmp_path / "vector", "--replications", "200", "--engine", "vector")
    assert des["munitions"] == vector["munitions"]
    assert (des["engine"], vector["engine"]) == ("des", "vector")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--engine", "gpu"], "--engine gpu: choose one of des, vector"),
        (["--precision", "0"], "--precision 0: must be a finite number of days above 0"),
        (["--precision", "inf"], "--precision inf: must be a finite number of days above 0"),
        (["--replications", "0"], "--replications"),
    ],
)
def test_bad_options_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["run", str(DEFAULT), "--out", str(tmp_path / "x"), *args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert not (tmp_path / "x").exists()


def test_replications_csv_reads_back_cell_by_cell() -> None:
    """replications.csv, written a munition at a time in one format operation, reads back with
    the csv module as every outcome and input to ten significant figures, "" where not finite,
    a name csv must quote quoted, and a '%' in it kept."""
    mc = run_montecarlo(uniform_stock(), 50)
    first = mc.outcomes.munitions[0]
    odd = 'a,b"c%d'
    path = next(iter(mc.inputs))
    drawn = mc.inputs[path].copy()
    drawn[[3, 5, 7]] = [np.inf, np.nan, 1234567.891234]
    mc = replace(
        mc,
        outcomes=replace(mc.outcomes, munitions=(first, replace(first, name=odd))),
        inputs={**mc.inputs, path: drawn},
    )
    rows = list(csv.reader(replications_csv(mc).splitlines()))
    assert rows[0][-1] == path and len(rows) == 1 + 2 * 50
    for k, row in enumerate(rows[1:]):
        run = mc.outcomes.munitions[k // 50]
        r = k % 50
        assert row[:2] == [str(r), run.name]
        days = run.days_to_depletion[r]
        assert row[2] == ("" if np.isnan(days) else f"{days:.10g}")
        assert row[3:8] == [
            str(int(a[r]))
            for a in (run.shortfall, run.fired, run.end_inventory, run.lost_with_hulls)
        ] + [str(int(run.launch_lost[r]))]
        assert row[8] == ("" if not np.isfinite(drawn[r]) else f"{drawn[r]:.10g}")
    assert rows[8][8] == "1234567.891" and rows[4][8] == rows[6][8] == ""


@pytest.mark.parametrize(
    "edge",
    [
        [-0.0, 3.0, 9_999_999_999.0],  # whole, but -0 prints "-0"
        [1.0, 2.0, 9_999_999_999.0],  # whole, ten digits: as integers
        [1.0, 2.0, 1e10],  # eleven digits: an exponent
        [1.0, 2.0, -12_345_678_901.0],
        [0.5, 2.0, 3.0],
    ],
)
def test_replications_csv_cells_are_ten_significant_figures(edge: list[float]) -> None:
    """Whole-number columns are written as integers only where that is what ten significant
    figures print: every cell is f"{value:.10g}", for floats and for whole-number outcomes."""
    mc = run_montecarlo(uniform_stock(), 3)
    path = next(iter(mc.inputs))
    first = mc.outcomes.munitions[0]
    fired = np.array(edge).astype(np.int64) if edge[0] != 0.5 else first.fired
    mc = replace(
        mc,
        outcomes=replace(mc.outcomes, munitions=(replace(first, fired=fired),)),
        inputs={**mc.inputs, path: np.array(edge)},
    )
    rows = list(csv.reader(replications_csv(mc).splitlines()))[1:]
    assert [row[8] for row in rows] == [f"{v:.10g}" for v in edge]
    assert [row[4] for row in rows] == [f"{int(v):.10g}" for v in fired]


@given(
    st.tuples(st.integers(1, 12), st.integers(1, 60)).flatmap(
        lambda shape: arrays(np.int64, shape, elements=st.integers(-50, 5000))
    )
)
def test_fan_quantiles_are_numpys_inverted_cdf(paths: np.ndarray) -> None:
    """One sort a day gives each day's fan quantiles exactly as np.quantile does, in its
    dtype, in every layout the engines hand over (a transposed view too)."""
    expected = np.quantile(paths, FAN_QUANTILES, axis=1, method="inverted_cdf")
    for layout in (paths, np.asfortranarray(paths)):
        got = fan_quantiles(layout)
        assert got.dtype == expected.dtype
        np.testing.assert_array_equal(got, expected)
