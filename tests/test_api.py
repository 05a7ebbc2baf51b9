"""The Python API: light to import, the same numbers as the CLI, typed tables, pandas optional."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import wargame
from tests.conftest import REPO
from wargame.cli import app
from wargame.errors import InputError

DEFAULT = REPO / "configs" / "tomahawk-wargame.toml"
FEW = ["scenario.replications=300"]


def test_import_wargame_stays_light() -> None:
    code = (
        "import sys, wargame; heavy = [m for m in ('numpy', 'numba', 'plotly', 'wargame.api') "
        "if m in sys.modules]; print(heavy); wargame.load; print('wargame.api' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:2] == ["[]", "True"]


def test_run_gives_the_cli_s_numbers(tmp_path: Path) -> None:
    result = wargame.run(wargame.load(DEFAULT, FEW))
    args = ["run", str(DEFAULT), "--set", FEW[0], "--out", str(tmp_path / "cli")]
    assert CliRunner().invoke(app, args).exit_code == 0
    written = json.loads((tmp_path / "cli" / "summary.json").read_text())
    assert result.kind == "monte_carlo"
    assert result.summary["munitions"] == written["munitions"]
    assert result.files["replications.csv"] == (tmp_path / "cli" / "replications.csv").read_text()
    frame = result.to_dataframe()
    assert len(frame) == 300 and frame["days_to_depletion"].dtype.kind in "if"
    assert frame["fired"].sum() == pytest.approx(
        300 * written["munitions"]["tomahawk"]["fired"]["mean"]
    )
    assert result.table("timeseries.csv")[0]["munition"] == "tomahawk"
    saved = result.save(tmp_path / "api")
    assert json.loads((saved / "manifest.json").read_text())["kind"] == "monte_carlo"


def test_a_fixed_scenario_runs_once_with_the_simpy_engine(example_file: Path) -> None:
    result = wargame.run(example_file)
    assert result.kind == "run"
    # 4,000 at 600 a day: six full days, short in the salvo of day 6
    assert result.summary["munitions"]["tomahawk"]["days_to_depletion"] == 6.0
    assert list(result.to_dataframe()["day"])[:2] == [0, 1]


def test_invest_and_compare(example_file: Path, tmp_path: Path) -> None:
    late = ["scenario.warning_days=1460"]
    answer = wargame.invest(example_file, late, target_days=14)
    assert answer.plan is not None and answer.plan.feasible
    assert answer.summary["total_usd"] == pytest.approx(answer.plan.total_usd)
    folder = answer.save(tmp_path / "invest")
    both = wargame.compare(example_file, folder / "closed.toml", overrides=late, target_days=13)
    assert both.comparison is not None
    chance = next(r for r in both.comparison.rows if r.outcome.startswith("chance"))
    assert chance.values == [1.0, 0.0]
    assert set(both.to_dataframe()["run"]) == {"A", "B"}


def test_bad_input_raises_one_line() -> None:
    with pytest.raises(InputError, match=r"munitions\.tomahawk\.inventory"):
        wargame.load(DEFAULT, ["munitions.tomahawk.inventory=-1"])


def test_without_pandas_to_dataframe_says_how_to_get_it(
    monkeypatch: pytest.MonkeyPatch, example_file: Path
) -> None:
    result = wargame.run(example_file)
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match="pip install pandas"):
        result.to_dataframe()
