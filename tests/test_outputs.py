"""Issue 12, the CLI and the data: provenance in every output, default folders that never lose a
run, help with defaults and choices, --version, the schema with distributions, invest's file
target, warnings for an unmet precision and for replications of a fixed scenario, no local paths.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from tests.conftest import CONFIGS, ISSUE_EXAMPLE, REPO, entry_point
from tests.test_invest import FUNDABLE, write
from tests.test_sweep import RATE, write_sweep
from wargame.cli import app
from wargame.config.provenance import without_out
from wargame.numbers import usd

runner = CliRunner()
DEFAULT = REPO / "configs" / "tomahawk-wargame.toml"
STOCK = "munitions.tomahawk.inventory"


def invoke(*args: str) -> Any:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result


def test_provenance_records_command_overrides_file_values_and_hash(
    example: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"  # absolute: it must not appear in the outputs
    invoke("run", str(example), "--out", str(out), "--set", f"{STOCK}=1000")
    summary = json.loads((out / "summary.json").read_text())
    origin = summary["provenance"]
    assert origin["command"] == ["wargame", "run", "example.toml", "--set", f"{STOCK}=1000"]
    assert origin["config_file"] == "example.toml"
    assert origin["engine"] == "des"
    assert origin["overrides"] == [{"path": STOCK, "value": 1000, "file_value": 4000}]
    manifest = json.loads((out / "manifest.json").read_text())
    assert origin["config_sha256"] == manifest["config_sha256"]
    assert summary["munitions"]["tomahawk"]["inventory_at_conflict_start"] == 1000
    inputs = (out / "inputs.csv").read_text().splitlines()
    row = next(line for line in inputs if line.startswith(f"{STOCK},"))
    assert row.split(",")[1] == "1000" and row.endswith(",yes,4000")


def test_provenance_of_a_distribution_and_a_monte_carlo(example: Path, tmp_path: Path) -> None:
    uniform = '{dist="uniform",low=3000,high=4000}'
    invoke("run", str(example), f"--out={tmp_path / 'mc'}", "--set", f"{STOCK}={uniform}")
    origin = json.loads((tmp_path / "mc" / "summary.json").read_text())["provenance"]
    assert origin["engine"] == "vector"
    assert origin["overrides"][0]["value"] == {"dist": "uniform", "low": 3000, "high": 4000}
    assert not any(arg.startswith("--out") for arg in origin["command"])


def test_without_out_drops_both_spellings() -> None:
    typed = ["wargame", "run", "a.toml", "--out", "x", "--set", "a=1", "--out=y"]
    assert without_out(typed) == ["wargame", "run", "a.toml", "--set", "a=1"]


def test_invest_records_provenance_and_no_local_path(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "invest"
    cost = "munitions.tomahawk.unit_cost_usd"
    invoke("invest", str(example), "--target-days", "3", "--out", str(out), "--set", f"{cost}=3e6")
    data = json.loads((out / "invest.json").read_text())
    assert data["closed_config"] == "closed.toml"
    assert data["provenance"]["overrides"] == [{"path": cost, "value": 3e6, "file_value": 2.24e6}]
    assert data["provenance"]["engine"] is None
    for path in out.iterdir():
        assert str(tmp_path) not in path.read_text(errors="replace"), path.name


def test_sweep_indices_carry_provenance(tmp_path: Path) -> None:
    spec = write_sweep(tmp_path, "morris", {RATE: {"low": 5, "high": 20}}, trajectories=2)
    out = tmp_path / "out"
    invoke("sweep", str(spec), "--out", str(out), "--workers", "1", "--no-progress")
    data = json.loads((out / "indices.json").read_text())
    assert isinstance(data["indices"], list) and data["indices"]
    assert data["provenance"]["config_file"] == str(spec)
    assert data["provenance"]["command"][:2] == ["wargame", "sweep"]
    manifest = json.loads((out / "manifest.json").read_text())
    assert data["provenance"]["config_sha256"] == manifest["config_sha256"]


def test_a_rerun_of_other_inputs_keeps_the_first_run(example: Path, tmp_path: Path) -> None:
    invoke("run", str(example))
    first = {p: p.read_bytes() for p in (tmp_path / "reports").rglob("*") if p.is_file()}
    invoke("run", str(example), "--set", f"{STOCK}=3000")
    after = {p: p.read_bytes() for p in (tmp_path / "reports").rglob("*") if p.is_file()}
    assert {p: after[p] for p in first} == first  # every file of the first run, unchanged
    latest = tmp_path / "reports" / "tomahawk-wargame-intensity" / "latest"
    summary = json.loads((latest / "summary.json").read_text())
    assert summary["munitions"]["tomahawk"]["inventory_at_conflict_start"] == 3000


def test_a_fixed_scenario_runs_one_replication_and_says_so(example: Path, tmp_path: Path) -> None:
    result = invoke("run", str(example), "--out", "out", "--replications", "1000")
    assert "every input is fixed" in result.stderr and "ran one" in result.stderr
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert "replications" not in summary  # one run, not a Monte Carlo of identical runs


def test_unmet_precision_warns_and_exits_0(tmp_path: Path) -> None:
    args = ["--precision", "0.0001", "--replications", "100", "--max-replications", "200"]
    result = invoke("run", str(DEFAULT), "--out", str(tmp_path / "p"), *args)
    warning = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warning) == 1 and "--precision 0.0001 not met" in warning[0]
    assert "after 200 replications" in warning[0]
    summary = json.loads((tmp_path / "p" / "summary.json").read_text())
    assert summary["precision"]["reached"] is False and summary["replications"] == 200


def test_met_precision_says_nothing(tmp_path: Path) -> None:
    result = invoke("run", str(DEFAULT), "--out", str(tmp_path / "p"), "--precision", "5")
    assert "warning" not in result.stderr


def test_bare_invest_uses_the_files_target_days(example: Path, tmp_path: Path) -> None:
    text = ISSUE_EXAMPLE.replace("warning_days = 0", "warning_days = 0\ntarget_days = 5")
    Path("target.toml").write_text(text)
    invoke("invest", "target.toml", "--out", "with")
    assert json.loads((tmp_path / "with" / "invest.json").read_text())["target_days"] == 5
    infeasible = runner.invoke(app, ["invest", str(example), "--out", "without"])
    assert infeasible.exit_code == 3  # a year of 100 a day: no money closes it, as before
    assert json.loads((tmp_path / "without" / "invest.json").read_text())["target_days"] == 365
    invoke("invest", "target.toml", "--out", "given", "--target-days", "6")
    assert json.loads((tmp_path / "given" / "invest.json").read_text())["target_days"] == 6


def test_terminal_numbers_use_the_one_format(tmp_path: Path) -> None:
    config = write(FUNDABLE, tmp_path / "s.toml")
    result = invoke("invest", str(config), "--target-days", "150", "--out", str(tmp_path / "i"))
    cost = json.loads((tmp_path / "i" / "invest.json").read_text())["total_usd"]
    assert f"costs {usd(cost)} (decided on day 0)" in result.stdout
    assert " million" in usd(cost) or " billion" in usd(cost)
    assert "B (" not in result.stdout and ",000,000" not in result.stdout


def test_version(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from wargame import __version__

    code, out, _ = entry_point(capsys, monkeypatch, "--version")
    assert (code, out) == (0, f"wargame {__version__}\n")


def test_help_shows_defaults_and_choices(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = entry_point(capsys, monkeypatch, "run", "--help")
    assert code == 0
    assert "--engine [des|vector]" in out
    flat = " ".join(out.split()).replace("- ", "-")  # help wraps at hyphens
    assert "[default: run: reports/<scenario-slug>/<config hash>/;" in flat
    assert "[default: 100000;" in flat  # --max-replications, with its range
    assert out.startswith("Usage: wargame run ")
    assert not any(kind in out for kind in ("<str>", "<bool>", "<float>", "<int"))
    code, out, _ = entry_point(capsys, monkeypatch, "invest", "--help")
    assert "scenario.target_days if it sets one" in " ".join(out.split())


def test_usage_errors_are_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = entry_point(capsys, monkeypatch, "export", "x", "--format", "gif")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("error: ")


SHIPPED = [*CONFIGS, *sorted((REPO / "tests" / "data").glob("*.toml"))]


@pytest.mark.parametrize("config", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_config_validates_against_the_schema(config: Path) -> None:
    schema = json.loads(invoke("schema").stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    errors = [e.message for e in validator.iter_errors(tomllib.loads(config.read_text()))]
    assert errors == []


def test_the_schema_refuses_what_wargame_refuses() -> None:
    validator = jsonschema.Draft202012Validator(json.loads(invoke("schema").stdout))
    data = tomllib.loads(DEFAULT.read_text())
    assert validator.is_valid(data)
    data["scenario"]["horizon_days"] = {"dist": "uniform", "low": 10, "high": 20}
    assert not validator.is_valid(data)  # [scenario] is fixed
    data = tomllib.loads(DEFAULT.read_text())
    data["munitions"]["tomahawk"]["inventory"] = {"dist": "poisson", "mean": 3}
    assert not validator.is_valid(data)
    data["munitions"]["tomahawk"]["inventory"] = {"dist": "triangular", "low": 1, "high": 3}
    assert not validator.is_valid(data)  # no mode
    data["munitions"]["tomahawk"]["inventory"] = {
        "dist": "triangular",
        "low": 1,
        "mode": 2,
        "high": 3,
    }
    assert validator.is_valid(data)


def test_invest_plans_for_other_targets_keep_their_own_folders(
    example: Path, tmp_path: Path
) -> None:
    invoke("invest", str(example), "--target-days", "3")
    invoke("invest", str(example), "--target-days", "5")
    parent = tmp_path / "reports" / "tomahawk-wargame-intensity-invest"
    plans = sorted(p.name for p in parent.iterdir() if not p.is_symlink())
    assert [name.split("-", 1)[1] for name in plans] == ["target-3d", "target-5d"]
    latest = json.loads((parent / "latest" / "invest.json").read_text())
    assert latest["target_days"] == 5


def test_replacing_another_run_in_an_out_folder_says_so(example: Path, tmp_path: Path) -> None:
    first = invoke("run", str(example), "--out", "o")
    assert "note:" not in first.stderr
    again = invoke("run", str(example), "--out", "o")
    assert "note:" not in again.stderr  # the same inputs again: nothing lost
    other = invoke("run", str(example), "--out", "o", "--set", f"{STOCK}=10")
    assert "note: o: replaced the run of 'Tomahawk, wargame intensity'" in other.stderr
