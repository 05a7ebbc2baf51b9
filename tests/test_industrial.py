"""benchmarks/industrial.toml, the industrial-base scale benchmark: every part of the graph at
once (nations, missions, suppliers, cohorts that retire, shared yards, transfers), thirty years
of daily steps. It must stay a valid scenario, and the two engines must agree on it exactly."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tests.conftest import REPO
from tests.test_vector import assert_same, batch
from wargame.cli import app
from wargame.config.loading import load_study

INDUSTRIAL = REPO / "benchmarks" / "industrial.toml"


def test_the_industrial_benchmark_runs_and_holds_every_part(tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["run", str(INDUSTRIAL), "--replications", "20", "--out", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    assert len(summary["munitions"]) == 6 and len(summary["missions"]) == 2
    assert len(summary["suppliers_at_file_values"]) == 4
    assert len(summary["force"]) == 10
    retired = [c for c in summary["force"].values() if any(y["retired"]["p50"] for y in c["years"])]
    assert len(retired) >= 5  # cohorts retire over the thirty years


def test_both_engines_agree_on_the_industrial_benchmark() -> None:
    assert_same(*batch(load_study(INDUSTRIAL), 0, 12))
