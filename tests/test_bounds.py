"""Hostile input (issue 10): every case is refused with exit 2, one line, and no output folder.

Numbers past their physical bounds, grids and designs that would take terabytes or years, files
that are not files, and malformed command lines.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import tomlkit

from tests.conftest import ISSUE_EXAMPLE, REPO, entry_point, scenario_data
from wargame.analysis.budget import Budget, block_size, size_of
from wargame.config.loading import load_scenario

DEFAULT = REPO / "configs" / "tomahawk-wargame.toml"
FLEET = REPO / "configs" / "taiwan-fleet.toml"


wargame = entry_point


def refused(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    """Assert the command exits 2 with a single `error:` line, and return that line."""
    code, _, err = wargame(capsys, monkeypatch, *args)
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert len(lines[0]) < 400
    return lines[0]


@pytest.fixture
def example(tmp_path: Path) -> Path:
    path = tmp_path / "example.toml"
    path.write_text(ISSUE_EXAMPLE)
    return path


@pytest.mark.parametrize(
    ("setting", "field"),
    [
        ("munitions.tomahawk.inventory=9223372036854775808", "munitions.tomahawk.inventory"),
        ("munitions.tomahawk.firing.0.rate_per_day=1e20", "firing.0.rate_per_day"),
        ("munitions.tomahawk.firing.0.rate_per_day=1e308", "firing.0.rate_per_day"),
        ("munitions.tomahawk.production.capacity_per_year=1e300", "capacity_per_year"),
        ("munitions.tomahawk.unit_cost_usd=1e300", "munitions.tomahawk.unit_cost_usd"),
        ("munitions.tomahawk.supplemental.missiles=9223372036854775807", "supplemental.missiles"),
        ("scenario.salvo_interval_days=5e-324", "scenario.salvo_interval_days"),
        ("scenario.salvo_interval_days=1e-6", "scenario.salvo_interval_days"),
        ("munitions.tomahawk.production.lot_interval_days=1e-9", "lot_interval_days"),
        (
            'munitions.tomahawk.inventory={dist="choice",values=[1,2,3],weights=[1e308,1e308,1]}',
            "munitions.tomahawk.inventory",
        ),
        (
            'munitions.tomahawk.inventory={dist="uniform",low=0,high=1e308}',
            "munitions.tomahawk.inventory",
        ),
        ("munitions.tomahawk.firing.².rate_per_day=5", "firing.²"),
        ("munitions.tomahawk.inventory=" + "9" * 5000, "more than 4,300 digits"),
        ("munitions.tomahawk.supplemental.funding_efficiency=5e-324", "funding_efficiency"),
        ("munitions.tomahawk.inventory=5\nscenario.name='other'", "line break"),
    ],
)
def test_values_past_their_bounds_are_refused(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    example: Path,
    setting: str,
    field: str,
) -> None:
    line = refused(capsys, monkeypatch, "validate", str(example), "--set", setting)
    assert field in line


def test_hull_losses_past_their_bound_are_refused(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    setting = "platforms.ddg.losses.0.rate_per_day=1e20"
    line = refused(capsys, monkeypatch, "validate", str(FLEET), "--set", setting)
    assert "platforms.ddg.losses.0.rate_per_day" in line


def test_no_number_in_bounds_overflows_a_running_total(example: Path) -> None:
    """At every bound at once the totals stay exact: stock + 100 years of demand < 2**53."""
    from wargame.config import models

    most = models.MAX_MISSILES * 2 + models.MAX_PER_DAY * models.MAX_DAYS
    assert most < 2**53
    assert models.MAX_PER_YEAR * models.MAX_DAYS / models.DAYS_PER_YEAR < 2**53


def test_files_that_are_not_regular_files_are_refused_without_blocking(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)  # opening it would block until a writer came
    assert "not a regular file" in refused(capsys, monkeypatch, "validate", str(fifo))
    assert "not a regular file" in refused(capsys, monkeypatch, "validate", "/dev/urandom")
    loop = tmp_path / "loop.toml"
    loop.symlink_to(tmp_path / "other.toml")
    (tmp_path / "other.toml").symlink_to(loop)
    assert "symbolic link loop" in refused(capsys, monkeypatch, "validate", str(loop))
    big = tmp_path / "big.toml"
    big.write_text("# " + "x" * (5 * 2**20))
    assert "allowed" in refused(capsys, monkeypatch, "validate", str(big))


def test_deep_nesting_and_long_values_give_one_short_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    deep = tmp_path / "deep.toml"
    deep.write_text("a = " + "{b = " * 500 + "1" + "}" * 500 + "\n")
    assert "nested more than" in refused(capsys, monkeypatch, "validate", str(deep))
    long = tmp_path / "long.toml"
    data = scenario_data()
    data["scenario"]["description"] = "a" * 6000
    long.write_text(tomlkit.dumps(data))
    assert "scenario.description" in refused(capsys, monkeypatch, "validate", str(long))


def test_a_munition_named_dist_is_a_munition(tmp_path: Path) -> None:
    data = scenario_data()
    data["munitions"] = {"dist": data["munitions"]["m"]}
    path = tmp_path / "dist.toml"
    path.write_text(tomlkit.dumps(data))
    assert list(load_scenario(path).munitions) == ["dist"]


@pytest.mark.parametrize(
    "args",
    [
        ["--precision", "inf"],
        ["--precision", "nan"],
        ["--replications", "20000000"],
        ["--replications", "0"],
        ["--max-work", "-1"],
        ["--max-memory-gib", "inf"],
        ["--max-memory-gib", "1e300"],
        ["--max-work", "1e300"],
        ["--bogus"],
    ],
)
def test_bad_options_are_one_line(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    example: Path,
    tmp_path: Path,
    args: list[str],
) -> None:
    refused(capsys, monkeypatch, "run", str(example), "--out", str(tmp_path / "out"), *args)
    assert not (tmp_path / "out").exists()


def test_work_over_budget_is_refused_before_anything_runs(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    line = refused(capsys, monkeypatch, "run", str(DEFAULT), "--out", str(out), "--replications",
                   "100000", "--max-work", "1e7")  # fmt: skip
    assert "100,000 replications x 365 steps" in line and "--max-work" in line
    line = refused(capsys, monkeypatch, "run", str(DEFAULT), "--out", str(out), "--replications",
                   "10000000")  # fmt: skip
    assert "10,000,000 replications" in line and "memory budget" in line
    line = refused(capsys, monkeypatch, "run", str(DEFAULT), "--out", str(out), "--paths",
                   "--replications", "200000")  # fmt: skip
    assert "stock paths" in line and "GiB" in line
    assert not out.exists()


def test_a_smaller_memory_budget_changes_the_blocks_not_the_results(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    size = size_of(load_scenario(DEFAULT))
    assert block_size(size, 4096, Budget(memory_bytes=2**20)) < 100  # blocks of a few dozen
    runs = {}
    for name, memory in (("default", []), ("small", ["--max-memory-gib", "0.001"])):
        out = tmp_path / name
        code, _, err = wargame(capsys, monkeypatch, "run", str(DEFAULT), "--out", str(out),
                               "--replications", "500", *memory)  # fmt: skip
        assert code == 0, err
        runs[name] = json.loads((out / "summary.json").read_text())["munitions"]
    assert runs["small"] == runs["default"]


def test_a_sweep_design_too_large_is_refused_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "base.toml").write_text(ISSUE_EXAMPLE)
    ranges = {"low": 1.0, "high": 2.0, "steps": 1000}
    meta: dict[str, object] = {
        "name": "huge",
        "base": "base.toml",
        "design": "grid",
        "metrics": ["tomahawk.days_to_depletion.mean"],
    }
    spec: dict[str, object] = {
        "sweep": meta,
        "parameters": {
            "munitions.tomahawk.unit_cost_usd": ranges,
            "munitions.tomahawk.firing.1.rate_per_day": ranges,
            "munitions.tomahawk.production.funded_per_year": ranges,
        },
    }
    path = tmp_path / "huge.toml"
    path.write_text(tomlkit.dumps(spec))
    out = tmp_path / "out"
    line = refused(capsys, monkeypatch, "sweep", str(path), "--out", str(out))
    assert "1,000,000,000 points" in line
    spec["parameters"] = {"munitions.tomahawk.unit_cost_usd": {"low": 1.0, "high": 2.0}}
    meta |= {"design": "lhs", "samples": 1000, "replications": 10_000_000}
    path.write_text(tomlkit.dumps(spec))
    line = refused(capsys, monkeypatch, "sweep", str(path), "--out", str(out), "--max-work", "1e9")
    assert "over the budget" in line
    assert not out.exists()
    refused(capsys, monkeypatch, "sweep", str(path), "--out", str(out), "--workers", "100000")


def test_a_missing_sweep_base_names_the_sweep_file_and_field(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "sweep.toml"
    spec = {
        "sweep": {
            "name": "s",
            "base": "nowhere.toml",
            "design": "oat",
            "metrics": ["m.fired.mean"],
        },
        "parameters": {"munitions.m.unit_cost_usd": {"low": 1.0, "high": 2.0}},
    }
    path.write_text(tomlkit.dumps(spec))
    line = refused(capsys, monkeypatch, "sweep", str(path), "--out", str(tmp_path / "out"))
    assert line == f"error: {path}: sweep.base: 'nowhere.toml': no such file"


def test_a_swept_value_past_its_bound_is_refused(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "base.toml").write_text(ISSUE_EXAMPLE)
    path = tmp_path / "sweep.toml"
    spec = {
        "sweep": {
            "name": "s",
            "base": "base.toml",
            "design": "oat",
            "metrics": ["tomahawk.fired.mean"],
        },
        "parameters": {"munitions.tomahawk.inventory": {"low": 1000.0, "high": 1e19}},
    }
    path.write_text(tomlkit.dumps(spec))
    line = refused(capsys, monkeypatch, "sweep", str(path), "--out", str(tmp_path / "out"))
    assert "parameters.munitions.tomahawk.inventory" in line and "1e+19" in line
    assert not (tmp_path / "out").exists()


def test_nesting_that_would_take_minutes_to_parse_is_refused_at_once(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    header = tmp_path / "header.toml"
    header.write_text("[" + ".".join(["a"] * 3000) + "]\n")
    assert "keys nested more than 32" in refused(capsys, monkeypatch, "validate", str(header))
    dotted = tmp_path / "dotted.toml"
    dotted.write_text(".".join(["a"] * 100_000) + " = 1\n")  # tomllib: minutes, quadratically
    assert "keys nested more than 32" in refused(capsys, monkeypatch, "validate", str(dotted))
    digits = tmp_path / "digits.toml"
    digits.write_text(ISSUE_EXAMPLE.replace("inventory = 4000", "inventory = " + "9" * 5000))
    assert "more than 4,300 digits" in refused(capsys, monkeypatch, "validate", str(digits))


def test_a_line_break_in_a_name_stays_on_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    line = refused(capsys, monkeypatch, "validate", str(tmp_path / "a\nb.toml"))
    assert "a\\nb.toml: no such file" in line


def test_inputs_drawn_per_replication_on_a_line_run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """An uncertain foreign share or supplemental order, and a lot interval with a long tail."""
    line = "munitions.tomahawk.production"
    for setting in (
        f'{line}.foreign_share={{dist="uniform",low=0.1,high=0.5}}',
        'munitions.tomahawk.supplemental.missiles={dist="uniform",low=0,high=500}',
        f'{line}.lot_interval_days={{dist="lognormal",median=30,sigma=10}}',
    ):
        out = str(tmp_path / "out")
        args = ["run", str(DEFAULT), "--out", out, "--replications", "100", "--set", setting]
        code, _, err = wargame(capsys, monkeypatch, *args)
        assert code == 0, err


def test_fleet_work_grows_with_hulls_squared(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """20,000 hulls for ten years is refused; the estimate counts hulls looking at hulls."""
    line = refused(capsys, monkeypatch, "run", str(FLEET), "--out", str(tmp_path / "out"),
                   "--replications", "2", "--set", "platforms.ddg.hulls=10000", "--set",
                   "platforms.cg.hulls=10000", "--set", "scenario.horizon_days=3650")  # fmt: skip
    assert "over the budget" in line
