"""Sweeps: designs, the resumable store, local and dask.distributed runs, checks, bad specs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import tomlkit
from typer.testing import CliRunner

from tests.conftest import scenario_data
from wargame.analysis.montecarlo import run_montecarlo
from wargame.analysis.uncertainty import montecarlo_summary
from wargame.cli import app
from wargame.config.loading import validate_study
from wargame.sweep.loading import load_sweep
from wargame.sweep.outputs import indices, rows, table_csv
from wargame.sweep.run import SweepRun, run_sweep

runner = CliRunner()
DAYS = "m.days_to_depletion.mean"


def write_sweep(tmp_path: Path, design: str, parameters: dict[str, Any], **meta: Any) -> Path:
    """A base scenario (uncertain stock, 10 shots a day) and a sweep file over it."""
    base = scenario_data(rate_per_day=10.0, horizon_days=200)
    base["munitions"]["m"]["inventory"] = {"dist": "uniform", "low": 900, "high": 1100}
    (tmp_path / "base.toml").write_text(tomlkit.dumps(base))
    spec = {
        "sweep": {
            "name": "test sweep",
            "base": "base.toml",
            "design": design,
            "replications": 200,
            "metrics": [DAYS, "m.shortfall.mean"],
            **meta,
        },
        "parameters": parameters,
    }
    path = tmp_path / "sweep.toml"
    path.write_text(tomlkit.dumps(spec))
    return path


RATE = "munitions.m.firing.0.rate_per_day"
STOCK_HIGH = "munitions.m.inventory.high"
COST = "munitions.m.unit_cost_usd"


def test_grid_points_equal_direct_monte_carlo_runs(tmp_path: Path) -> None:
    spec = write_sweep(
        tmp_path, "grid", {RATE: {"values": [5.0, 20.0]}, COST: {"low": 1, "high": 3, "steps": 2}}
    )
    sweep = load_sweep(spec)
    run = run_sweep(sweep, tmp_path / "out", workers=1)
    assert len(run.design.points) == 4 and run.computed == 4
    for point, key in zip(run.design.points, run.keys, strict=True):
        data = scenario_data(rate_per_day=point[RATE], horizon_days=200)
        data["munitions"]["m"]["inventory"] = {"dist": "uniform", "low": 900, "high": 1100}
        data["munitions"]["m"]["unit_cost_usd"] = point[COST]
        study = validate_study(data, "direct")
        summary = montecarlo_summary(run_montecarlo(study, 200), study, "")
        stored = run.records[key]["metrics"]
        assert stored[DAYS] == summary["munitions"]["m"]["days_to_depletion"]["mean"]
    table = rows(sweep, run)
    assert len(table) == 8 and {r["metric"] for r in table} == {DAYS, "m.shortfall.mean"}


def days_indices(tmp_path: Path, design: str, **meta: Any) -> dict[str, Any]:
    """The indices of days to depletion for the firing rate and a missile's price."""
    rate_and_cost = {RATE: {"low": 5, "high": 20}, COST: {"low": 1e6, "high": 3e6}}
    sweep = load_sweep(write_sweep(tmp_path, design, rate_and_cost, **meta))
    found = indices(sweep, run_sweep(sweep, tmp_path / "out", workers=1))
    return next(f for f in found if f["metric"] == DAYS)


def test_morris_ranks_the_rate_first_and_finds_cost_inert(tmp_path: Path) -> None:
    rate, cost = days_indices(tmp_path, "morris", trajectories=6)["mu_star"]
    assert rate > 10 and cost == 0.0  # the price of a missile does not change when it runs out


def test_sobol_first_order_index_of_an_inert_input_is_near_zero(tmp_path: Path) -> None:
    days = days_indices(tmp_path, "sobol", samples=16)
    assert days["ST"][1] == pytest.approx(0.0, abs=1e-9)
    assert days["ST"][0] > 0.5


@pytest.mark.parametrize("design", ["oat", "qmc-sobol", "lhs"])
def test_designs_stay_in_range_and_oat_starts_at_the_base(tmp_path: Path, design: str) -> None:
    spec = write_sweep(tmp_path, design, {RATE: {"low": 5, "high": 20}}, samples=8)
    sweep = load_sweep(spec)
    run = run_sweep(sweep, tmp_path / "out", workers=1)
    rates = [p[RATE] for p in run.design.points]
    assert all(5 <= r <= 20 for r in rates)
    if design == "oat":
        assert rates == [10.0, 5.0, 20.0]  # base, low end, high end
    else:
        assert len(rates) == 8


def sweep_csv(tmp_path: Path, spec: Path, out: str, *extra: str) -> bytes:
    result = runner.invoke(
        app, ["sweep", str(spec), "--out", str(tmp_path / out), "--no-progress", *extra]
    )
    assert result.exit_code == 0, result.output
    return (tmp_path / out / "sweep.csv").read_bytes()


def test_a_resumed_sweep_computes_only_the_missing_points(tmp_path: Path) -> None:
    spec = write_sweep(tmp_path, "grid", {RATE: {"low": 5, "high": 20, "steps": 6}})
    whole = sweep_csv(tmp_path, spec, "whole", "--workers", "1")
    points = sorted((tmp_path / "whole" / "points").glob("*.json"))
    for lost in points[::2]:
        lost.unlink()
    sweep = load_sweep(spec)
    run = run_sweep(sweep, tmp_path / "whole", workers=1)
    assert run.computed == 3
    assert table_csv(rows(sweep, run)).encode() == whole


def test_a_killed_sweep_resumes_to_the_same_table(tmp_path: Path) -> None:
    """kill -9 part way: nothing half-written, nothing lost, nothing computed twice."""
    spec = write_sweep(
        tmp_path, "grid", {RATE: {"low": 5, "high": 20, "steps": 24}}, replications=2000
    )
    whole = sweep_csv(tmp_path, spec, "whole")
    out = tmp_path / "killed"
    wargame = Path(sys.executable).with_name("wargame")  # the installed command
    command = [str(wargame), "sweep", str(spec), "--out", str(out), "--no-progress"]
    with (tmp_path / "killed.log").open("w") as log:
        process = subprocess.Popen(
            command, start_new_session=True, stdin=subprocess.DEVNULL, stderr=log, stdout=log
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list((out / "points").glob("*.json"))) < 4:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    before = len(list((out / "points").glob("*.json")))
    assert 4 <= before < 24
    for point in (out / "points").glob("*.json"):
        json.loads(point.read_text())  # every stored point is whole
    resumed = runner.invoke(app, ["sweep", str(spec), "--out", str(out), "--no-progress"])
    assert resumed.exit_code == 0, resumed.output
    assert f"({24 - before} computed now)" in resumed.output
    assert (out / "sweep.csv").read_bytes() == whole


def test_a_dask_cluster_gives_the_same_table_as_local_workers(tmp_path: Path) -> None:
    from distributed import LocalCluster

    spec = write_sweep(tmp_path, "grid", {RATE: {"low": 5, "high": 20, "steps": 5}})
    local = sweep_csv(tmp_path, spec, "local")
    with LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        distributed = sweep_csv(tmp_path, spec, "dask", "--scheduler", cluster.scheduler_address)
    assert distributed == local
    assert (tmp_path / "dask" / "sweep.parquet").read_bytes()[:4] == b"PAR1"


def test_a_failed_check_exits_3_with_the_violating_points(tmp_path: Path) -> None:
    spec = write_sweep(tmp_path, "grid", {RATE: {"values": [5.0, 20.0]}})
    result = runner.invoke(
        app,
        [
            "sweep",
            str(spec),
            "--out",
            str(tmp_path / "o"),
            "--no-progress",
            "--check",
            f"{DAYS} >= 60",
        ],
    )
    assert result.exit_code == 3
    assert "1 check violations" in result.stderr
    assert (tmp_path / "o" / "sweep.html").is_file()  # the evidence is written
    ok = runner.invoke(
        app,
        [
            "sweep",
            str(spec),
            "--out",
            str(tmp_path / "o"),
            "--no-progress",
            "--check",
            f"{DAYS} >= 40",
        ],
    )
    assert ok.exit_code == 0, ok.output


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"sweep": {"design": "factorial"}}, "sweep.design: Input should be 'grid'"),
        (
            {"sweep": {"metrics": ["m.days_to_depletion.p42"]}},
            "sweep: metrics.0: 'm.days_to_depletion.p42': unknown statistic",
        ),
        ({"sweep": {"metrics": ["x.fired.mean"]}}, "sweep.metrics.0: no munition 'x'"),
        (
            {"parameters": {"munitions.m.nope": {"low": 1, "high": 2}}},
            "parameters.munitions.m.nope",
        ),
        ({"parameters": {RATE: {"low": 2, "high": 1}}}, "high 1 is not above low 2"),
        (
            {"parameters": {RATE: {"low": -5, "high": 1}}},
            "parameters.munitions.m.firing.0.rate_per_day: -5 is invalid",
        ),
        ({"sweep": {"design": "sobol", "samples": 12}}, "sobol needs a power of 2"),
    ],
)
def test_bad_specs_exit_2_naming_the_field(
    tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    spec = write_sweep(tmp_path, "grid", {RATE: {"low": 5, "high": 20}})
    data = tomlkit.parse(spec.read_text()).unwrap()
    for table, values in change.items():
        if table == "parameters":
            data["parameters"] = values
        else:
            data[table] |= values
    spec.write_text(tomlkit.dumps(data))
    result = runner.invoke(app, ["sweep", str(spec), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert message in result.stderr, result.stderr
    assert str(spec) in result.stderr
    assert not (tmp_path / "o").exists()


def test_bad_check_exits_2(tmp_path: Path) -> None:
    spec = write_sweep(tmp_path, "grid", {RATE: {"low": 5, "high": 20}})
    result = runner.invoke(app, ["sweep", str(spec), "--check", "m.fired.mean ~ 3"])
    assert result.exit_code == 2
    assert 'expected "METRIC OP VALUE"' in result.stderr


def test_points_of_a_worker_that_dies_are_computed_again(tmp_path: Path) -> None:
    """kill -9 one local worker mid-sweep: its chunk goes to a new pool, the table is whole."""
    import threading

    import psutil

    spec = write_sweep(
        tmp_path, "grid", {RATE: {"low": 5, "high": 20, "steps": 24}}, replications=2000
    )
    whole = sweep_csv(tmp_path, spec, "whole")
    sweep = load_sweep(spec)
    out = tmp_path / "crash"
    finished: list[SweepRun] = []
    thread = threading.Thread(target=lambda: finished.append(run_sweep(sweep, out, workers=2)))
    thread.start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(out.glob("points/*.json"))) < 2:
        time.sleep(0.02)
    workers = psutil.Process().children(recursive=True)
    assert workers
    workers[-1].kill()
    thread.join(timeout=120)
    assert finished, "the sweep did not finish after a worker died"
    assert table_csv(rows(sweep, finished[0])).encode() == whole
    assert run_sweep(sweep, out, workers=1).computed == 0  # nothing missing, nothing twice


def test_a_bad_point_is_named_before_any_work(tmp_path: Path) -> None:
    spec = write_sweep(
        tmp_path, "grid", {"munitions.m.production.funded_per_year": {"values": [10, 2000]}}
    )
    result = runner.invoke(app, ["sweep", str(spec), "--out", str(tmp_path / "o"), "--no-progress"])
    assert result.exit_code == 2
    assert "funded_per_year" in result.stderr
    assert not (tmp_path / "o").exists()  # bad input creates no output folder


def test_whole_number_parameters_are_rounded_in_the_design(tmp_path: Path) -> None:
    days = "scenario.warning_days"
    spec = write_sweep(tmp_path, "grid", {days: {"low": 0, "high": 10, "steps": 4}})
    run = run_sweep(load_sweep(spec), tmp_path / "out", workers=1)
    assert [p[days] for p in run.design.points] == [0, 3, 7, 10]


def test_headline_sweep_moves_from_launcher_limited_to_wargame_calibrated(tmp_path: Path) -> None:
    """configs/sweeps/headline.toml: at the fleet's first-week rate the stock lasts weeks, at the
    wargames' 600 a day under one, and the median day falls as the opening rate rises."""
    sweep = load_sweep(Path(__file__).resolve().parents[1] / "configs/sweeps/headline.toml")
    run = run_sweep(sweep, tmp_path / "out", workers=1)
    median = {
        r["munitions.tomahawk.firing.0.rate_per_day"]: r["value"]
        for r in rows(sweep, run)
        if r["metric"] == "tomahawk.days_to_depletion.p50"
    }
    by_rate = [median[rate] for rate in sorted(median)]
    assert by_rate == sorted(by_rate, reverse=True)
    assert by_rate[0] > 28 and by_rate[-1] < 7
