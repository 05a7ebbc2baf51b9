"""The invest report: the answer, its chance under uncertainty, its cost curve and what the money
buys, year by year."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from wargame.analysis.invest import Plan
from wargame.analysis.invest_outputs import CurvePoint
from wargame.config.scenario import Scenario
from wargame.config.uncertain import Uncertain
from wargame.engine.results import RunResult
from wargame.report.assumptions import assumption_rows, overrides_of
from wargame.report.headlines import invest_uncertainty
from wargame.report.html import render_page
from wargame.report.invest_figures import (
    before_after_figure,
    cost_curve_figure,
    marginal_figure,
    outlays_figure,
)
from wargame.report.labels import display_name


def invest_report(
    plan: Plan,
    curve: list[CurvePoint],
    before: RunResult,
    after: RunResult,
    closed: Scenario,
    summary: dict[str, Any],
    uncertain: Sequence[Uncertain] = (),
) -> str:
    """The self-contained invest.html; `uncertain` are the study's distributions, shown in the
    assumptions table beside the medians the plan was priced at."""
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
        inputs=assumption_rows(closed, uncertain, overrides_of(summary)),
        footer={
            "config sha256": summary["config_sha256"],
            "schema version": summary["schema_version"],
        },
        plan=plan,
        summary=summary,
        uncertainty=invest_uncertainty(summary),
        names={p.munition: display_name(p.munition) for p in plan.purchases},
        closed_name=_file_name(summary["closed_config"]),
        warning_days=closed.scenario.warning_days,
    )


def _file_name(path: str) -> str:
    """The closed config's file name: the report never shows a local absolute path."""
    return path.replace("\\", "/").rsplit("/", 1)[-1]
