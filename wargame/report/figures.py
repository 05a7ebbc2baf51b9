"""Plotly figures of a run: pure functions from results to figures (no files, no printing)."""

from __future__ import annotations

import plotly.graph_objects as go

from wargame.engine.results import MunitionRun, RunResult

PALETTE = ("#1f5fa8", "#c0392b", "#2e8b57", "#8e44ad", "#d35400", "#16a085")
LAYOUT = {
    "template": "plotly_white",
    "height": 380,
    "margin": {"l": 60, "r": 20, "t": 50, "b": 50},
    "legend": {"orientation": "h", "y": -0.2},
    "hovermode": "x unified",
}


def _days(run: MunitionRun) -> list[int]:
    """Conflict day of each sim day (negative before the conflict)."""
    return list(range(-run.warning_days, run.demanded.size - run.warning_days))


def layout(fig: go.Figure, title: str, y_title: str, result: RunResult) -> go.Figure:
    """Shared look: title, axes over conflict days, and the conflict start marked after warning."""
    fig.update_layout(title=title, xaxis_title="day of the conflict", yaxis_title=y_title, **LAYOUT)
    if result.warning_days > 0:
        fig.add_vline(x=0, line_dash="dot", line_color="#555", annotation_text="conflict starts")
    return fig


def inventory_figure(result: RunResult) -> go.Figure:
    """Stock at the end of each day, per munition, with the depletion day marked."""
    fig = go.Figure()
    add_inventory_traces(fig, result)
    return layout(fig, "Inventory", "missiles in stock", result)


def add_inventory_traces(
    fig: go.Figure, result: RunResult, label: str = "", dash: str = "solid"
) -> None:
    """One stock line per munition (named with `label`), and an x where it runs out."""
    for i, run in enumerate(result.munitions):
        color = PALETTE[i % len(PALETTE)]
        name = f"{run.name}{label}"
        fig.add_trace(
            go.Scatter(
                x=_days(run),
                y=run.inventory.tolist(),
                name=name,
                mode="lines",
                line={"color": color, "dash": dash},
            )
        )
        if run.days_to_depletion is not None:
            fig.add_trace(
                go.Scatter(
                    x=[run.days_to_depletion],
                    y=[0],
                    mode="markers+text",
                    name=f"{name} runs out",
                    marker={"color": color, "size": 11, "symbol": "x"},
                    text=[f"out on day {run.days_to_depletion:g}"],
                    textposition="top right",
                )
            )


def fire_figure(result: RunResult) -> go.Figure:
    """Shots demanded against shots fired, per day and munition."""
    fig = go.Figure()
    for i, run in enumerate(result.munitions):
        color = PALETTE[i % len(PALETTE)]
        days = _days(run)
        fig.add_trace(
            go.Scatter(
                x=days,
                y=run.demanded.tolist(),
                name=f"{run.name} demanded",
                mode="lines",
                line={"color": color, "dash": "dash"},
            )
        )
        fig.add_trace(
            go.Scatter(
                x=days,
                y=run.fired.tolist(),
                name=f"{run.name} fired",
                mode="lines",
                line={"color": color},
                fill="tozeroy",
            )
        )
    return layout(fig, "Demanded and fired", "shots per day", result)


def deliveries_figure(result: RunResult) -> go.Figure:
    """Missiles delivered to US stocks per day, per munition."""
    fig = go.Figure()
    for i, run in enumerate(result.munitions):
        fig.add_trace(
            go.Bar(
                x=_days(run),
                y=run.delivered.tolist(),
                name=run.name,
                marker_color=PALETTE[i % len(PALETTE)],
            )
        )
    fig.update_layout(barmode="group")
    return layout(fig, "Deliveries", "missiles delivered per day", result)


def run_figures(result: RunResult) -> dict[str, go.Figure]:
    """The run report's figures, by element id."""
    return {
        "inventory": inventory_figure(result),
        "fire": fire_figure(result),
        "deliveries": deliveries_figure(result),
    }
