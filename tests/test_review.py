"""What an adversarial pass over coalitions, shipbuilding and suppliers found, kept fixed: each
case is a small file in tests/data/review/ and the one-line answer it must get."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import REPO
from tests.test_vector import assert_same, batch
from wargame.cli import app
from wargame.config.loading import load_study

REVIEW = REPO / "tests" / "data" / "review"
runner = CliRunner()


def test_a_toml_date_in_an_override_is_recorded_as_iso_text(tmp_path: Path) -> None:
    """A `--set` replacing a value that holds a TOML date (a dated phase) used to crash."""
    out = tmp_path / "out"
    phases = "munitions.sm6.firing=[{start_day=0, rate_per_day=1}]"
    result = runner.invoke(
        app, ["run", str(REVIEW / "date-set.toml"), "--set", phases, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    (override,) = json.loads((out / "summary.json").read_text())["provenance"]["overrides"]
    assert override["file_value"][0]["start_date"] == "2025-11-01"
    assert "2025-11-01" in (out / "inputs.csv").read_text()


@pytest.mark.parametrize(
    ("name", "field", "says"),
    [
        ("wph-tiny", "yards.eb.builds.0.work_per_hull", "greater than or equal to 0.001"),
        ("xfer-bound", "platforms.ssn.transfers.0.hulls", "at most 0 delivered"),
        ("cohort-future", "platforms.ssn.cohorts.0.year", "after the decision day's fiscal year"),
        ("priority-ignored", "suppliers.srm.priority", 'only with allocation = "priority"'),
        ("baddate", "scenario.start_date", "valid date"),
    ],
)
def test_bad_input_is_refused_naming_its_field(
    name: str, field: str, says: str, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(REVIEW / f"{name}.toml"), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert f"{field}:" in result.output and says in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not out.exists()


def test_a_drawn_supplier_lead_time_runs_and_both_engines_agree(tmp_path: Path) -> None:
    """A distribution on a supplier's lead time crashed compiling (a 0-d time into knots drawn
    per replication)."""
    config = REVIEW / "sup-lead-dist.toml"
    result = runner.invoke(
        app, ["run", str(config), "--replications", "40", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert_same(*batch(load_study(config), 0, 40))
