"""One scenario run from validated scenario to the files it writes (content only, no I/O)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from wargame.analysis.metrics import summary, timeseries_csv
from wargame.analysis.store import to_json
from wargame.config.loading import scenario_sha256
from wargame.config.models import Scenario
from wargame.engine.des import run_des
from wargame.engine.results import RunResult
from wargame.model.compile import compile_scenario
from wargame.report.run_report import run_report


@dataclass(frozen=True)
class RunOutput:
    """A finished run: its results, its summary and the text of every output file."""

    result: RunResult
    summary: dict[str, Any]
    files: dict[str, str]


def run_scenario(scenario: Scenario) -> RunOutput:
    """Compile and simulate `scenario` with the SimPy engine; render summary, CSV and report."""
    model = compile_scenario(scenario)
    result = run_des(model)
    data = summary(result, model, scenario_sha256(scenario))
    files = {
        "summary.json": to_json(data),
        "timeseries.csv": timeseries_csv(result),
        "report.html": run_report(result, scenario, data),
    }
    return RunOutput(result, data, files)


def slug(name: str) -> str:
    """A directory name for a scenario title: lower case, words joined by '-'."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "scenario"
