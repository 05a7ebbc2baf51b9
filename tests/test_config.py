"""Scenario files: the example validates, overrides work, bad input gets one line naming a field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import CONFIGS, ISSUE_EXAMPLE
from wargame.cli import app
from wargame.config.inputs import NO_SOURCE, NOT_SET, input_rows
from wargame.config.loading import load_scenario
from wargame.errors import InputError

runner = CliRunner()


def test_issue_example_validates_exactly_as_written(example_file: Path) -> None:
    scenario = load_scenario(example_file)
    tomahawk = scenario.munitions["tomahawk"]
    assert tomahawk.inventory == 4000
    assert tomahawk.production.lead_time_days == 730
    assert tomahawk.firing[1].end_day is None


def test_override_sets_a_field_and_is_validated(example_file: Path) -> None:
    scenario = load_scenario(example_file, ["munitions.tomahawk.inventory=3000"])
    assert scenario.munitions["tomahawk"].inventory == 3000
    scenario = load_scenario(example_file, ["munitions.tomahawk.firing.1.rate_per_day=40"])
    assert scenario.munitions["tomahawk"].firing[1].rate_per_day == 40
    scenario = load_scenario(example_file, ["scenario.name=Renamed scenario"])
    assert scenario.scenario.name == "Renamed scenario"
    surge = "munitions.tomahawk.production.surge.rate_per_year=500"
    assert load_scenario(example_file, [surge]).munitions["tomahawk"].production.surge is not None


def _with(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new)


BAD_FILES = {
    "bad TOML": (_with(ISSUE_EXAMPLE, "inventory = 4000", "inventory = = 4000"), "line 7, column"),
    "unknown key": (
        _with(ISSUE_EXAMPLE, "inventory = 4000", "inventory = 4000\ncolour = 1"),
        "munitions.tomahawk.colour: unknown field",
    ),
    "wrong type": (
        _with(ISSUE_EXAMPLE, "inventory = 4000", 'inventory = "many"'),
        "munitions.tomahawk.inventory: Input should be a valid integer",
    ),
    "negative": (
        _with(ISSUE_EXAMPLE, "inventory = 4000", "inventory = -1"),
        "munitions.tomahawk.inventory: Input should be greater than or equal to 0",
    ),
    "non-finite": (
        _with(ISSUE_EXAMPLE, "unit_cost_usd = 2.24e6", "unit_cost_usd = inf"),
        "munitions.tomahawk.unit_cost_usd: Input should be a finite number",
    ),
    "nan": (
        _with(ISSUE_EXAMPLE, "funded_per_year = 60 ", "funded_per_year = nan "),
        "munitions.tomahawk.production.funded_per_year: Input should be a finite number",
    ),
    "phase ends before it starts": (
        _with(ISSUE_EXAMPLE, "start_day = 0, end_day = 7", "start_day = 5, end_day = 2"),
        "munitions.tomahawk.firing.0: end_day 2 is not after start_day 5",
    ),
    "overlapping phases": (
        _with(ISSUE_EXAMPLE, "{ start_day = 7,", "{ start_day = 6,"),
        "munitions.tomahawk.firing: phase 1 (from day 6) overlaps phase 0",
    ),
    "rate above capacity": (
        _with(ISSUE_EXAMPLE, "funded_per_year = 60 ", "funded_per_year = 1200 "),
        "munitions.tomahawk.production.funded_per_year: funded_per_year 1200/yr "
        "exceeds capacity_per_year 1000/yr",
    ),
    "missing field": (
        _with(ISSUE_EXAMPLE, "inventory = 4000\n", ""),
        "munitions.tomahawk.inventory: Field required",
    ),
    "source for no field": (
        ISSUE_EXAMPLE + '\n[munitions.tomahawk.sources]\ninventroy = "x"\n',
        "sources.inventroy: no field named 'inventroy'",
    ),
    "bad munition name": (
        ISSUE_EXAMPLE.replace("munitions.tomahawk", 'munitions."Toma Hawk"'),
        "munitions: munitions name 'Toma Hawk'",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_file_exits_2_with_one_line_and_no_output(case: str, tmp_path: Path) -> None:
    text, expected = BAD_FILES[case]
    config = tmp_path / "bad.toml"
    config.write_text(text)
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(config), "--out", str(out)])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(config) in lines[0]
    assert expected in lines[0]
    assert "Traceback" not in result.output
    assert not out.exists()


BAD_OVERRIDES = {
    "munitions.tomahawk.inventori=3": "--set munitions.tomahawk.inventori: no such field",
    "munitions.sm6.inventory=3": "--set munitions.sm6: no entry named 'sm6'",
    "munitions.tomahawk.firing.5.rate_per_day=3": "expected a list index below 2",
    "munitions.tomahawk.inventory=-5": "munitions.tomahawk.inventory: Input should be greater",
    "munitions.tomahawk.inventory=lots": "munitions.tomahawk.inventory: Input should be a valid",
    "munitions.tomahawk.inventory.x=1": "--set munitions.tomahawk.inventory: is a value",
    "novalue": "expected DOTTED.PATH=VALUE",
}


@pytest.mark.parametrize("override", sorted(BAD_OVERRIDES))
def test_bad_override_exits_2(override: str, example_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(example_file), "--set", override, "--out", str(out)])
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert str(example_file) in result.stderr and BAD_OVERRIDES[override] in result.stderr
    assert not out.exists()


@pytest.mark.parametrize("kind", ["missing", "directory", "not utf-8"])
def test_unreadable_config_exits_2(kind: str, tmp_path: Path) -> None:
    path = tmp_path / "scenario.toml"
    if kind == "directory":
        path.mkdir()
    elif kind == "not utf-8":
        path.write_bytes(b"\xff\xfe[scenario]")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {path}: ")
    assert len(result.stderr.strip().splitlines()) == 1


def test_validate_reports_ok_without_writing(example_file: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(example_file)])
    assert result.exit_code == 0
    assert "ok" in result.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["example.toml"]


def test_schema_is_json_schema_with_units() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    munition = schema["$defs"]["Munition"]
    assert munition["additionalProperties"] is False
    assert munition["properties"]["inventory"]["unit"] == "missiles"
    assert set(schema["required"]) == {"scenario", "munitions"}


@pytest.mark.parametrize("config", CONFIGS, ids=lambda p: p.name)
def test_every_number_in_configs_has_a_source(config: Path) -> None:
    rows = input_rows(load_scenario(config))
    unsourced = [row.path for row in rows if row.source == NO_SOURCE]
    assert unsourced == []
    assert any(row.source != NOT_SET for row in rows)


def test_input_error_is_one_line(tmp_path: Path) -> None:
    config = tmp_path / "x.toml"
    config.write_text('[scenario]\nname = "a"\nhorizon_days = 0\n')
    with pytest.raises(InputError) as info:
        load_scenario(config)
    assert "\n" not in str(info.value)
    assert "scenario.horizon_days: Input should be greater than 0" in str(info.value)
