"""The Monte Carlo report: the spread of outcomes, the charts, and the distributions assumed."""

from __future__ import annotations

from typing import Any

from wargame.analysis.montecarlo import MonteCarlo
from wargame.config.uncertain import Study
from wargame.engine.results import RunResult
from wargame.report.assumptions import assumption_rows, overrides_of
from wargame.report.coalition_band_figures import coalition_band_figures
from wargame.report.coalition_figures import coalition_figures
from wargame.report.figures import empty_notes, run_figures
from wargame.report.fleet_figures import fleet_figures
from wargame.report.force_figures import force_figures
from wargame.report.headlines import force_findings, mission_findings, montecarlo_finding
from wargame.report.html import render_page
from wargame.report.labels import display_name
from wargame.report.uncertainty_figures import montecarlo_figures


def montecarlo_report(
    mc: MonteCarlo, study: Study, summary: dict[str, Any], median_run: RunResult
) -> str:
    """The self-contained report.html for a Monte Carlo run, with the charts of one run at
    every uncertain input's median below the spread."""
    meta = study.scenario.scenario
    headline = [
        {"name": display_name(name), **metrics} for name, metrics in summary["munitions"].items()
    ]
    findings = (
        mission_findings(summary, meta.horizon_days)
        + [
            montecarlo_finding(
                name, metrics, study.scenario.munitions[name], meta.horizon_days, meta.target_days
            )
            for name, metrics in summary["munitions"].items()
        ]
        + force_findings(summary)
    )
    coalition = coalition_figures(median_run, study.scenario, summary)
    pooling = {"pooling": coalition.pop("pooling")} if "pooling" in coalition else {}
    spread = {
        **montecarlo_figures(mc, meta.horizon_days, meta.target_days),
        **force_figures(summary),
        **pooling,
        **coalition_band_figures(mc, study.scenario),
    }
    median = {**run_figures(median_run), **fleet_figures(median_run), **coalition}
    return render_page(
        "montecarlo.html.j2",
        title=meta.name,
        figures={**spread, **median},
        spread_names=list(spread),
        median_names=list(median),
        inputs=assumption_rows(study.scenario, study.uncertain, overrides_of(summary)),
        footer={
            "seed": summary["seed"],
            "replications": summary["replications"],
            "engine": summary["engine"],
            "config sha256": summary["config_sha256"],
            "schema version": summary["schema_version"],
        },
        description=meta.description,
        horizon_days=meta.horizon_days,
        warning_days=meta.warning_days,
        target_days=meta.target_days,
        replications=mc.replications,
        precision=summary["precision"],
        headline=headline,
        findings=findings,
        notes=empty_notes(median_run),
    )
