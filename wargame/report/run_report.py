"""The run report: headline, charts and assumptions for one scenario run."""

from __future__ import annotations

from typing import Any

from wargame.config.scenario import Scenario
from wargame.engine.results import RunResult
from wargame.model.compile import CompiledModel
from wargame.report.assumptions import assumption_rows, overrides_of
from wargame.report.coalition_figures import coalition_figures
from wargame.report.figures import empty_notes, run_figures
from wargame.report.fleet_figures import fleet_figures
from wargame.report.force_figures import force_figures
from wargame.report.headlines import force_findings, mission_findings, passed_on, run_finding
from wargame.report.html import render_page
from wargame.report.labels import display_name
from wargame.report.supply_figures import network_rows, supply_figures


def run_report(
    result: RunResult,
    scenario: Scenario,
    summary: dict[str, Any],
    model: CompiledModel | None = None,
) -> str:
    """The self-contained report.html for one run (`model`: its suppliers' ledgers, if any)."""
    meta = scenario.scenario
    headline = [
        {"name": display_name(run.name), **summary["munitions"][run.name]}
        for run in result.munitions
    ]
    findings = (
        mission_findings(summary, meta.horizon_days)
        + [
            run_finding(
                run,
                summary["munitions"][run.name],
                scenario.munitions[run.name],
                meta.horizon_days,
                passed_on(scenario, run.name),
            )
            for run in result.munitions
        ]
        + force_findings(summary)
    )
    return render_page(
        "run.html.j2",
        title=meta.name,
        figures={
            **_war_and_force(result, summary),
            **coalition_figures(result, scenario, summary),
            **supply_figures(result, model),
        },
        network=network_rows(summary),
        inputs=assumption_rows(scenario, overrides=overrides_of(summary)),
        footer={
            "seed": summary["seed"],
            "config sha256": summary["config_sha256"],
            "schema version": summary["schema_version"],
        },
        description=meta.description,
        horizon_days=meta.horizon_days,
        warning_days=meta.warning_days,
        headline=headline,
        findings=findings,
        notes=empty_notes(result),
    )


def _war_and_force(result: RunResult, summary: dict[str, Any]) -> dict[str, Any]:
    """The war's charts, then the force's over the years; the force's first when nothing is
    demanded in the war (a fleet projection with a placeholder war: its charts are empty)."""
    war = {**run_figures(result), **fleet_figures(result)}
    force = force_figures(summary)
    if force and all(m["demanded"] == 0 for m in summary["munitions"].values()):
        return {**force, **war}
    return {**war, **force}
