"""Plotly figures of a supplemental: cost curve, marginal cost, outlays, stock before and after."""

from __future__ import annotations

from typing import Any

from wargame import numbers
from wargame.analysis.invest import Plan
from wargame.analysis.invest_outputs import CurvePoint, marginal_costs
from wargame.engine.results import RunResult
from wargame.report.chart import Chart, bar, scatter
from wargame.report.figures import PALETTE, add_inventory_traces, layout, styled

BILLION = 1e9


def cost_curve_figure(curve: list[CurvePoint], plan: Plan) -> Chart:
    """Least money (USD billions) for each campaign length, to the best achievable."""
    feasible = [p for p in curve if p.total_usd is not None]
    fig = Chart(
        [
            scatter(
                x=[p.target_days for p in feasible],
                y=[(p.total_usd or 0.0) / BILLION for p in feasible],
                mode="lines",
                name="least money",
                line={"color": PALETTE[0], "shape": "hv"},
            )
        ]
    )
    fig.add_trace(
        scatter(
            x=[plan.achieved_days],
            y=[plan.total_usd / BILLION],
            mode="markers+text",
            name="this plan",
            marker={"size": 12, "color": PALETTE[1]},
            text=[f"{numbers.usd(plan.total_usd)} for {numbers.days(plan.achieved_days)} days"],
            textposition="top left",
        )
    )
    return styled(
        fig,
        "Cost curve: money decided on the decision day for each campaign length",
        "days of the conflict with every demanded shot fired",
        "USD billions",
        hovermode="closest",
    )


def marginal_figure(curve: list[CurvePoint]) -> Chart:
    """The price of one more day of meeting demand, per campaign length (USD millions)."""
    points = [
        (p.target_days, m)
        for p, m in zip(curve, marginal_costs(curve), strict=True)
        if m is not None
    ]
    fig = Chart(
        [
            bar(
                x=[d for d, _ in points],
                y=[m / 1e6 for _, m in points],
                name="one more day",
                marker_color=PALETTE[2],
            )
        ]
    )
    return styled(
        fig,
        "Marginal cost of one more day",
        "days of the conflict with every demanded shot fired",
        "USD millions",
    )


def outlays_figure(outlays: list[dict[str, Any]]) -> Chart:
    """Money by year after the decision day, missiles and capacity stacked (USD billions)."""
    years = [f"year {o['year']}" for o in outlays]
    fig = Chart()
    for i, (key, label) in enumerate((("missiles_usd", "missiles"), ("capacity_usd", "capacity"))):
        fig.add_trace(
            bar(x=years, y=[o[key] / BILLION for o in outlays], name=label, marker_color=PALETTE[i])
        )
    return styled(
        fig,
        "Outlays by year after the decision day",
        "",
        "USD billions",
        barmode="stack",
        hovermode="x",
    )


def before_after_figure(before: RunResult, after: RunResult) -> Chart:
    """Stock over time without the supplemental (dashed) and with it (solid)."""
    fig = Chart()
    add_inventory_traces(fig, before, " without", dash="dash", marked=False)
    add_inventory_traces(
        fig, after, " with the supplemental", marked=False, offset=len(before.munitions)
    )
    return layout(fig, "Stock without and with the supplemental", "missiles in stock", after)
