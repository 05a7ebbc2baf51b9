"""The invest report for `--target-hulls`: the class's hulls by year without and with the plan
against the target and the goal, the plan's levers and costs, and the cost curve over N."""

from __future__ import annotations

from typing import Any

from wargame import numbers
from wargame.config.scenario import Scenario
from wargame.report.assumptions import assumption_rows, overrides_of
from wargame.report.chart import Chart, bar, scatter
from wargame.report.figures import PALETTE, styled
from wargame.report.html import render_page
from wargame.report.labels import display_name

BILLION = 1e9


def inventory_figure(summary: dict[str, Any], goal: int | None) -> Chart:
    """Hulls at each year end without and with the plan, the target from its year, the goal."""
    rows, target = summary["hulls_by_year"], summary["target"]
    years = [r["year"] for r in rows]
    fig = Chart()
    for i, (key, name) in enumerate((("without", "without the plan"), ("with_plan", "with it"))):
        fig.add_trace(
            scatter(
                x=years,
                y=[r[key] for r in rows],
                mode="lines+markers",
                name=name,
                line={"color": PALETTE[i], "shape": "hv"},
            )
        )
    held = years[years.index(target["from_year"]) :]
    fig.add_trace(
        scatter(
            x=held,
            y=[target["hulls"]] * len(held),
            mode="lines",
            name=f"target: {target['hulls']} from {target['from_year']}",
            line={"color": PALETTE[2], "dash": "dash"},
        )
    )
    if goal is not None:
        fig.add_trace(
            scatter(
                x=years,
                y=[goal] * len(years),
                mode="lines",
                name=f"goal: {goal}",
                line={"color": PALETTE[3], "dash": "dot"},
            )
        )
    label = display_name(target["platform"])
    return styled(fig, f"{label}: hulls at each year's end", "year end", "hulls")


def levers_figure(summary: dict[str, Any]) -> Chart:
    """The plan's cost by lever, beside each lever's cost alone (USD billions)."""
    best = summary["best"] or {"levers": []}
    fig = Chart(
        [
            bar(
                x=[o["lever"] for o in best["levers"]],
                y=[o["cost_usd"] / BILLION for o in best["levers"]],
                name="in the plan",
                marker={"color": PALETTE[1]},
            )
        ]
    )
    alone = [o for o in summary["options"] if o["cost_usd"] is not None]
    fig.add_trace(
        bar(
            x=[o["lever"] for o in alone],
            y=[o["cost_usd"] / BILLION for o in alone],
            name="alone, to meet the target",
            marker={"color": PALETTE[0]},
        )
    )
    return styled(fig, "The plan's levers and each lever alone", "lever", "USD billions")


def hull_curve_figure(summary: dict[str, Any]) -> Chart:
    """The least money for each N held from the target's year on."""
    curve = summary["cost_curve"]
    fig = Chart(
        [
            scatter(
                x=[r["hulls"] for r in curve],
                y=[r["cost_usd"] / BILLION for r in curve],
                mode="lines+markers",
                name="least money",
                text=[r["levers"] for r in curve],
                line={"color": PALETTE[0], "shape": "hv"},
            )
        ]
    )
    best = summary["best"]
    if best is not None:
        fig.add_trace(
            scatter(
                x=[summary["target"]["hulls"]],
                y=[best["cost_usd"] / BILLION],
                mode="markers+text",
                name="this plan",
                marker={"size": 12, "color": PALETTE[1]},
                text=[numbers.usd(best["cost_usd"])],
                textposition="top left",
            )
        )
    target = summary["target"]
    return styled(
        fig,
        f"Cost curve: money to hold each number of hulls from {target['from_year']} on",
        "hulls held",
        "USD billions",
        hovermode="closest",
    )


def invest_hulls_report(summary: dict[str, Any], closed: Scenario) -> str:
    """The self-contained invest.html of a hull target."""
    platform = summary["target"]["platform"]
    figures = {
        "hulls": inventory_figure(summary, closed.platforms[platform].goal_hulls),
        "levers": levers_figure(summary),
        "cost-curve": hull_curve_figure(summary),
    }
    return render_page(
        "invest_hulls.html.j2",
        title=f"Shipbuilding money: {closed.scenario.name}",
        figures=figures,
        inputs=assumption_rows(closed, (), overrides_of(summary)),
        footer={"config sha256": summary["config_sha256"]},
        summary=summary,
        name=display_name(platform),
    )
