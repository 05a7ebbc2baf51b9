"""`wargame run` end to end: files, headline, reproducibility, defaults, interruption."""

from __future__ import annotations

import csv
import errno
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.conftest import CONFIGS
from wargame.analysis import store
from wargame.cli import app

runner = CliRunner()
SUMMARY_KEYS = {
    "days_to_depletion",
    "inventory_at_conflict_start",
    "peacetime_use_before_war",
    "demanded",
    "fired",
    "delivered",
    "shortfall",
    "end_inventory",
    "lost_with_hulls",
    "fire_lost_to_launch_limits",
    "peacetime_use_per_year",
    "rebuild_years",
    "rebuild_never_because",
}


def run_cli(config: Path, out: Path, *extra: str) -> dict[str, Any]:
    result = runner.invoke(app, ["run", str(config), "--out", str(out), *extra])
    assert result.exit_code == 0, result.output
    summary: dict[str, Any] = json.loads((out / "summary.json").read_text())
    return summary


def test_run_writes_summary_timeseries_and_report(example_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(example_file), "--out", str(out)])
    assert result.exit_code == 0
    row = next(line for line in result.stdout.splitlines() if line.startswith("tomahawk"))
    assert row.split()[:3] == ["tomahawk", "6", "4,000"]  # days whole, counts with separators
    assert sorted(p.name for p in out.iterdir()) == [
        "inputs.csv",
        "manifest.json",
        "report.html",
        "summary.json",
        "timeseries.csv",
    ]
    summary = json.loads((out / "summary.json").read_text())
    assert {"schema_version", "scenario", "config_sha256", "seed", "wargame_version"} <= set(
        summary
    )
    tomahawk = summary["munitions"]["tomahawk"]
    assert set(tomahawk) == SUMMARY_KEYS
    assert tomahawk["days_to_depletion"] == 6.0
    assert tomahawk["rebuild_years"] == pytest.approx(4000 / 60)


def test_timeseries_sums_to_the_summary(example_file: Path, tmp_path: Path) -> None:
    summary = run_cli(example_file, tmp_path / "out")
    with (tmp_path / "out" / "timeseries.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 365
    totals = summary["munitions"]["tomahawk"]
    for column in ("demanded", "fired", "delivered", "shortfall"):
        assert sum(int(row[column]) for row in rows) == totals[column]
    assert int(rows[-1]["inventory"]) == totals["end_inventory"]


def test_same_config_and_seed_give_identical_bytes(example_file: Path, tmp_path: Path) -> None:
    run_cli(example_file, tmp_path / "a")
    run_cli(example_file, tmp_path / "b")
    for name in ("summary.json", "timeseries.csv", "report.html"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_override_changes_the_config_hash(example_file: Path, tmp_path: Path) -> None:
    base = run_cli(example_file, tmp_path / "a")
    changed = run_cli(example_file, tmp_path / "b", "--set", "munitions.tomahawk.inventory=4200")
    assert base["config_sha256"] != changed["config_sha256"]
    assert changed["munitions"]["tomahawk"]["days_to_depletion"] == 7.0


def test_default_out_dir_is_reports_slug_hash_with_a_latest_link(
    example_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["run", "example.toml"])
    assert result.exit_code == 0
    summary = json.loads(next((tmp_path / "reports").glob("*/*/summary.json")).read_text())
    study_sha256 = summary["provenance"]["config_sha256"]
    folder = Path("reports") / "tomahawk-wargame-intensity" / study_sha256[:12]
    assert (tmp_path / folder / "report.html").is_file()
    assert (tmp_path / folder.parent / "latest").readlink() == Path(folder.name)
    assert f"report: {folder / 'report.html'}" in result.stdout  # relative, as given
    other = runner.invoke(app, ["run", "example.toml", "--set", "munitions.tomahawk.inventory=5"])
    assert other.exit_code == 0
    assert len(list((tmp_path / folder.parent).iterdir())) == 3  # two runs and `latest`
    assert (tmp_path / folder / "summary.json").read_text() == json.dumps(summary, indent=2) + "\n"
    assert (tmp_path / folder.parent / "latest").readlink() != Path(folder.name)


def test_out_that_is_a_file_exits_2(example_file: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("keep me")
    result = runner.invoke(app, ["run", str(example_file), "--out", str(blocker)])
    assert result.exit_code == 2
    assert "--out exists and is not a directory" in result.stderr
    assert blocker.read_text() == "keep me"


def test_a_failed_write_keeps_the_previous_run_whole(
    example_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that fails part way (here: the disk fills at the report) leaves the old run."""
    out = tmp_path / "out"
    run_cli(example_file, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real = store._write_synced

    def disk_full_at_report(path: Path, content: str | bytes) -> None:
        if path.name == "report.html":
            raise OSError(errno.ENOSPC, "No space left on device")
        real(path, content)

    monkeypatch.setattr(store, "_write_synced", disk_full_at_report)
    result = runner.invoke(
        app, ["run", str(example_file), "--out", str(out), "--set", "scenario.seed=1"]
    )
    monkeypatch.undo()
    assert result.exit_code == 2
    assert (
        result.stderr.strip()
        == f"error: {out}: cannot write the run's outputs: No space left on device"
    )
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # stage removed


@pytest.mark.parametrize("config", CONFIGS, ids=lambda p: p.name)
def test_every_shipped_config_validates_and_runs(config: Path, tmp_path: Path) -> None:
    assert runner.invoke(app, ["validate", str(config)]).exit_code == 0
    summary = run_cli(config, tmp_path / "out")
    assert summary["munitions"]


def test_default_scenarios_meet_their_calibration_targets(tmp_path: Path) -> None:
    """The public findings the default configs are calibrated to (docs/sources.md), and the
    launcher-limited answer the default report puts beside the wargame-calibrated one."""
    configs = Path(__file__).resolve().parents[1] / "configs"
    wargame = run_cli(configs / "tomahawk-wargame.toml", tmp_path / "w")["munitions"]
    observed = run_cli(configs / "tomahawk-observed-2026.toml", tmp_path / "o")["munitions"]
    both = run_cli(configs / "tomahawk-sm6.toml", tmp_path / "b")["munitions"]
    fleet = run_cli(configs / "taiwan-fleet.toml", tmp_path / "f")
    days = wargame["tomahawk"]["days_to_depletion"]
    assert days["p95"] < 7  # under a week, for any stock in the public 3,000-4,000 range
    assert days["p_depleted_by"] == 1.0  # the target day is the end of the first week
    # 3,500 at about 40 a day with 60 a year built: about three months (3,500 / 39.8 = 88 days).
    assert 80 <= observed["tomahawk"]["days_to_depletion"] <= 100
    # 60 a year built against about 100 a year of tests and training: never rebuilt.
    assert wargame["tomahawk"]["rebuild_years_median"] is None
    assert wargame["tomahawk"]["rebuild_never_because"] == "peacetime_use"
    assert set(both) == {"tomahawk", "sm6"}
    # Through the fleet's cells the first week is launcher-limited and the same kind of stock
    # lasts weeks, not days: past the three to four weeks the NDS Commission reported.
    assert fleet["munitions"]["tomahawk"]["days_to_depletion"] > 28
    assert fleet["launch"]["fire_lost_to_launch_limits"]["tomahawk"] > 0
    assert 1 <= fleet["launch"]["launcher_limited_days"] <= 7
