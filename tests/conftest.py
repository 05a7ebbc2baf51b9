"""Shared helpers: build scenarios in code, write them as TOML, run them."""

from __future__ import annotations

import copy
import sys
from pathlib import Path
from typing import Any

import pytest

from wargame.config.loading import validate_scenario
from wargame.config.scenario import Scenario
from wargame.engine.des import run_des
from wargame.engine.results import MunitionRun, RunResult
from wargame.model.compile import compile_scenario

REPO = Path(__file__).resolve().parents[1]
CONFIGS = sorted((REPO / "configs").glob("*.toml"))

# The scenario file the core issue says must validate and run exactly as written.
ISSUE_EXAMPLE = """\
[scenario]
name = "Tomahawk, wargame intensity"
horizon_days = 365        # how long the conflict is simulated
warning_days = 0          # days from the decision day (day 0) to the start of the conflict

[munitions.tomahawk]
inventory = 4000
unit_cost_usd = 2.24e6
firing = [
  { start_day = 0, end_day = 7, rate_per_day = 600 },
  { start_day = 7, rate_per_day = 100 },
]

[munitions.tomahawk.production]
funded_per_year = 60      # deliveries per year once the lead time has passed
lead_time_days = 730      # from the decision day to the first delivery
capacity_per_year = 1000  # what the line could build if funded
"""


def scenario_data(
    *,
    inventory: int = 1000,
    rate_per_day: float = 10.0,
    funded_per_year: float = 0.0,
    lead_time_days: float = 0.0,
    horizon_days: int = 365,
    warning_days: int = 0,
    **production: Any,
) -> dict[str, Any]:
    """Raw data for a one-munition scenario with a constant firing rate."""
    return {
        "scenario": {"name": "test", "horizon_days": horizon_days, "warning_days": warning_days},
        "munitions": {
            "m": {
                "inventory": inventory,
                "unit_cost_usd": 1e6,
                "firing": [{"start_day": 0, "rate_per_day": rate_per_day}],
                "production": {
                    "funded_per_year": funded_per_year,
                    "lead_time_days": lead_time_days,
                    "capacity_per_year": max(funded_per_year, 1000.0),
                    **production,
                },
            }
        },
    }


def build(data: dict[str, Any]) -> Scenario:
    """Validate raw scenario data (a deep copy, so callers may reuse it)."""
    return validate_scenario(copy.deepcopy(data), "test")


def simulate(data: dict[str, Any]) -> RunResult:
    """Validate, compile and run raw scenario data with the SimPy engine."""
    return run_des(compile_scenario(build(data)))


def only(result: RunResult) -> MunitionRun:
    """The single munition of a one-munition result."""
    (run,) = result.munitions
    return run


@pytest.fixture
def example_file(tmp_path: Path) -> Path:
    """The issue's example scenario, written to a file."""
    path = tmp_path / "example.toml"
    path.write_text(ISSUE_EXAMPLE)
    return path


@pytest.fixture
def example(example_file: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The issue's example as a relative path, run from its folder (paths as a user types)."""
    monkeypatch.chdir(example_file.parent)
    return Path(example_file.name)


def entry_point(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str
) -> tuple[int, str, str]:
    """The installed command's entry point, run in-process: exit code, stdout, stderr."""
    from wargame.cli import main

    monkeypatch.setattr(sys, "argv", ["wargame", *args])
    with pytest.raises(SystemExit) as stop:
        main()
    out, err = capsys.readouterr()
    return int(stop.value.code or 0), out, err
