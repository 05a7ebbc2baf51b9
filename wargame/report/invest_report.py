"""The invest report: the answer, its cost curve and what the money buys, year by year."""

from __future__ import annotations

from typing import Any

from wargame.analysis.invest import Plan
from wargame.analysis.invest_outputs import CurvePoint
from wargame.config.inputs import input_rows
from wargame.config.scenario import Scenario
from wargame.engine.results import RunResult
from wargame.report.html import render_page
from wargame.report.invest_figures import (
    before_after_figure,
    cost_curve_figure,
    marginal_figure,
    outlays_figure,
)


def invest_report(
    plan: Plan,
    curve: list[CurvePoint],
    before: RunResult,
    after: RunResult,
    closed: Scenario,
    summary: dict[str, Any],
) -> str:
    """The self-contained invest.html."""
    figures = {
        "cost-curve": cost_curve_figure(curve, plan),
        "marginal": marginal_figure(curve),
        "outlays": outlays_figure(summary["outlays_by_year"]),
        "before-after": before_after_figure(before, after),
    }
    return render_page(
        "invest.html.j2",
        title=f"Supplemental: {closed.scenario.name}",
        figures=figures,
        inputs=input_rows(closed),
        footer={
            "config sha256": summary["config_sha256"],
            "schema version": summary["schema_version"],
        },
        plan=plan,
        summary=summary,
        warning_days=closed.scenario.warning_days,
    )
