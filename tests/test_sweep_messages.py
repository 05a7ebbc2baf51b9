"""Sweeps that say something: checks report what passed, constant metrics and infeasible designs
are warned about, and the shipped Morris example measures something."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from typing import Any

import tomlkit
from typer.testing import CliRunner

from tests.conftest import REPO, scenario_data
from tests.test_sweep import COST, DAYS, RATE, write_sweep
from wargame.cli import app

runner = CliRunner()


def sweep(spec: Path, out: Path, *checks: str) -> Any:
    args = ["sweep", str(spec), "--out", str(out), "--no-progress"]
    for check in checks:
        args += ["--check", check]
    return runner.invoke(app, args)


def test_check_prints_what_passed_as_well_as_what_failed(tmp_path: Path) -> None:
    spec = write_sweep(tmp_path, "grid", {RATE: {"values": [5.0, 20.0]}})
    result = sweep(spec, tmp_path / "o", f"{DAYS} >= 60", f"{DAYS} >= 40")
    assert result.exit_code == 3  # any failed check: exit 3, as before
    assert f"check passed: {DAYS} >= 40 at all 2 points (closest: 49.7)" in result.stdout
    assert "1 check violations" in result.stderr
    assert f"check passed: {DAYS} >= 60" not in result.stdout
    ok = sweep(spec, tmp_path / "o", f"{DAYS} >= 40")
    assert ok.exit_code == 0 and "check passed" in ok.stdout


def test_a_constant_metric_is_warned_about(tmp_path: Path) -> None:
    """A missile's price cannot move days to depletion or the shortfall."""
    spec = write_sweep(tmp_path, "grid", {COST: {"low": 1, "high": 3, "steps": 3}})
    result = sweep(spec, tmp_path / "o")
    assert result.exit_code == 0
    assert f"warning: {DAYS} is 99.9 at every point: the swept ranges do not move it" in (
        result.stderr
    )
    moved = sweep(write_sweep(tmp_path, "grid", {RATE: {"values": [5.0, 20.0]}}), tmp_path / "p")
    assert "warning" not in moved.stderr


def test_every_point_infeasible_is_warned_about(tmp_path: Path) -> None:
    """Nothing is delivered before day 365, and the stock lasts about 100 days: no money
    makes it last 150."""
    base = scenario_data(rate_per_day=10.0, horizon_days=200, lead_time_days=365)
    base["munitions"]["m"]["inventory"] = {"dist": "uniform", "low": 900, "high": 1100}
    (tmp_path / "base.toml").write_text(tomlkit.dumps(base))
    spec = tmp_path / "sweep.toml"
    meta = {
        "name": "infeasible",
        "base": "base.toml",
        "design": "grid",
        "replications": 50,
        "metrics": ["invest.feasible", "invest.total_usd"],
        "target_days": 150,
    }
    spec.write_text(tomlkit.dumps({"sweep": meta, "parameters": {RATE: {"values": [9, 10]}}}))
    result = sweep(spec, tmp_path / "o")
    assert result.exit_code == 0
    assert "warning: every point is infeasible" in result.stderr
    assert "target_days = 150" in result.stderr


def test_the_shipped_morris_example_measures_something(tmp_path: Path) -> None:
    """configs/sweeps/morris.toml (fewer replications): the invest metric varies, some points
    are feasible and some not, and nothing is warned about."""
    configs = tmp_path / "configs"
    shutil.copytree(REPO / "configs", configs)
    spec = configs / "sweeps" / "morris.toml"
    spec.write_text(spec.read_text().replace("replications = 1000", "replications = 100"))
    result = sweep(spec, tmp_path / "o")
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr
    with (tmp_path / "o" / "sweep.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    values = {
        m: {r["value"] for r in rows if r["metric"] == m} for m in {r["metric"] for r in rows}
    }
    assert values["invest.feasible"] == {"0", "1"}
    assert len(values["invest.total_usd"]) >= 10
    assert len(values["tomahawk.days_to_depletion.p50"]) >= 5
