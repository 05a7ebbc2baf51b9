"""The run report: headline, charts and assumptions for one scenario run."""

from __future__ import annotations

from typing import Any

from wargame.config.inputs import input_rows
from wargame.config.scenario import Scenario
from wargame.engine.results import RunResult
from wargame.report.coalition_figures import coalition_figures
from wargame.report.figures import run_figures
from wargame.report.fleet_figures import fleet_figures
from wargame.report.html import render_page


def run_report(result: RunResult, scenario: Scenario, summary: dict[str, Any]) -> str:
    """The self-contained report.html for one run."""
    meta = scenario.scenario
    headline = [{"name": name, **metrics} for name, metrics in summary["munitions"].items()]
    return render_page(
        "run.html.j2",
        title=meta.name,
        figures={
            **run_figures(result),
            **fleet_figures(result),
            **coalition_figures(result, scenario, summary),
        },
        inputs=input_rows(scenario),
        footer={
            "seed": summary["seed"],
            "config sha256": summary["config_sha256"],
            "schema version": summary["schema_version"],
        },
        description=meta.description,
        horizon_days=meta.horizon_days,
        warning_days=meta.warning_days,
        headline=headline,
    )
