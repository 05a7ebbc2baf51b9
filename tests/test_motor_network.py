"""configs/motor-network.toml and the README's answer: a motor plant against more missiles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import REPO
from wargame.cli import app

runner = CliRunner()
CONFIG = REPO / "configs" / "motor-network.toml"


def days(out: Path, *extra: str) -> dict[str, float | None]:
    result = runner.invoke(app, ["run", str(CONFIG), "--out", str(out), *extra])
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    return {name: m["days_to_depletion"] for name, m in summary["munitions"].items()}


def test_the_readme_answer_holds(tmp_path: Path) -> None:
    """The numbers docs/suppliers.md and the README quote."""
    assert days(tmp_path / "base") == {"tomahawk": 32, "sm6": 37, "jassm_er": None, "lrasm": None}
    out = tmp_path / "plant"
    result = runner.invoke(app, ["invest", str(CONFIG), "--target-days", "40", "--out", str(out)])
    assert result.exit_code == 0, result.output
    plan = json.loads((out / "invest.json").read_text())
    assert plan["total_usd"] == pytest.approx(2.63e9, rel=0.005)
    assert plan["binding_supplier"] == "srm"
    assert plan["by_supplier"]["srm"]["added_capacity_per_year"] == pytest.approx(257, abs=1)
    bought = plan["breakdown"]["by_munition"]
    assert bought["tomahawk"]["missiles"] == 360 and bought["sm6"]["missiles"] == 35
    assert plan["outlays_by_fiscal_year"]["constant_dollars"] == "FY2027 dollars"
    tomahawks = int(plan["total_usd"] // (2.24e6 / 0.5))
    assert tomahawks == 586
    only = days(
        tmp_path / "tomahawks", "--set", f"munitions.tomahawk.supplemental.missiles={tomahawks}"
    )
    assert only["tomahawk"] == 34 and only["sm6"] == 37
    sm6 = days(tmp_path / "sm6", "--set", "munitions.sm6.supplemental.missiles=337")
    assert sm6["tomahawk"] == 32 and sm6["sm6"] == 37
