"""The supply network section of a report: who feeds whom, and when each supplier bound.

Pure functions from a compiled model (the suppliers' ledgers) to plotly figures and table rows.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from wargame.analysis.supply import periods
from wargame.engine.results import RunResult
from wargame.model.compile import CompiledModel
from wargame.report.chart import Chart, bar, scatter
from wargame.report.figures import PALETTE, layout, styled
from wargame.report.labels import display_name


def network_rows(summary: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per supplier and customer: what was asked, what came, and how often it bound."""
    rows = []
    for supplier, block in (summary.get("suppliers") or {}).items():
        for customer, demanded in block["demanded_by"].items():
            rows.append(
                {
                    "supplier": display_name(supplier),
                    "customer": display_name(customer),
                    "rule": block["allocation"].replace("_", " "),
                    "demanded": demanded,
                    "delivered": block["delivered_to"][customer],
                    "days_bound": block["days_bound"],
                }
            )
    return rows


def supply_figures(result: RunResult, model: CompiledModel | None) -> dict[str, Chart]:
    """The bottleneck timeline and each supplier's deliveries against demand (none without
    suppliers)."""
    if model is None or not model.suppliers:
        return {}
    figures = {"supply-bound": bound_figure(result, model)}
    for ledger in model.suppliers:
        figures[f"supply-{ledger.name}"] = delivered_figure(result, model, ledger.name)
    return figures


def bound_figure(result: RunResult, model: CompiledModel) -> Chart:
    """A bar for each span of days a supplier left some customer's demand unmet."""
    fig = Chart()
    for index, ledger in enumerate(model.suppliers):
        name = display_name(ledger.name)
        for first, stop in periods(ledger.bound_days(model.end_day)[:, 0]):
            fig.add_trace(
                bar(
                    x=[stop - first],
                    base=[first - model.warning_days],
                    y=[name],
                    orientation="h",
                    marker_color=PALETTE[index % len(PALETTE)],
                    name=name,
                    showlegend=False,
                    hovertemplate=f"{name}: bound days %{{base}} to %{{x}}<extra></extra>",
                )
            )
        fig.add_trace(scatter(x=[None], y=[name], mode="markers", showlegend=False))
    styled(fig, "When each supplier was the bottleneck", "day of the conflict", "supplier")
    fig.update_layout(hovermode="closest")
    return fig


def delivered_figure(result: RunResult, model: CompiledModel, supplier: str) -> Chart:
    """Components each customer asked for and received, cumulative, from the decision day."""
    ledger = next(x for x in model.suppliers if x.name == supplier)
    end = model.end_day
    days = np.arange(end) - model.warning_days
    demanded = ledger.daily(ledger.demanded, end)[:, :, 0]
    received = ledger.daily(ledger.received, end)[:, :, 0]
    fig = Chart()
    for i, customer in enumerate(ledger.customers):
        colour = PALETTE[i % len(PALETTE)]
        label = display_name(customer)
        fig.add_trace(
            scatter(
                x=days,
                y=demanded[:, i],
                name=f"{label} demanded",
                line_dash="dot",
                line_color=colour,
            )
        )
        fig.add_trace(
            scatter(x=days, y=received[:, i], name=f"{label} received", line_color=colour)
        )
    title = f"{display_name(supplier)}: components demanded and received (cumulative)"
    return layout(fig, title, "components", result)
