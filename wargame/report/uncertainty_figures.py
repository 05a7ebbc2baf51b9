"""Figures of a Monte Carlo run: the stock fan, days to depletion, the chance of running out."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from wargame.analysis.montecarlo import MonteCarlo
from wargame.analysis.uncertainty import FAN_QUANTILES, survival
from wargame.report.figures import LAYOUT, PALETTE


def _rgba(color: str, alpha: float) -> str:
    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def fan_figure(mc: MonteCarlo) -> go.Figure:
    """Stock at each day's end: the median, and the bands holding 50% and 90% of replications."""
    fig = go.Figure()
    days = mc.salvo_days.tolist()
    for i, run in enumerate(mc.outcomes.munitions):
        if run.stock is None:
            continue
        color = PALETTE[i % len(PALETTE)]
        p5, p25, p50, p75, p95 = np.quantile(
            run.stock, FAN_QUANTILES, axis=1, method="inverted_cdf"
        ).tolist()
        for low, high, alpha, label in ((p5, p95, 0.15, "90%"), (p25, p75, 0.3, "50%")):
            fig.add_trace(
                go.Scatter(
                    x=days,
                    y=high,
                    mode="lines",
                    line={"width": 0},
                    showlegend=False,
                    hoverinfo="skip",
                )
            )
            fig.add_trace(
                go.Scatter(
                    x=days,
                    y=low,
                    mode="lines",
                    line={"width": 0},
                    fill="tonexty",
                    fillcolor=_rgba(color, alpha),
                    name=f"{run.name} {label} of runs",
                )
            )
        fig.add_trace(
            go.Scatter(
                x=days, y=p50, mode="lines", line={"color": color}, name=f"{run.name} median"
            )
        )
    kept = mc.outcomes.munitions[0].stock
    count = 0 if kept is None else kept.shape[1]
    fig.update_layout(
        title=f"Stock over time ({count:,} replications' paths)",
        xaxis_title="day of the conflict",
        yaxis_title="missiles in stock at the day's end",
        **LAYOUT,
    )
    return fig


def depletion_histogram(mc: MonteCarlo) -> go.Figure:
    """How many replications ran out on each day (those that never did are counted aside)."""
    fig = go.Figure()
    for i, run in enumerate(mc.outcomes.munitions):
        days = run.days_to_depletion
        never = float(np.mean(~np.isfinite(days)))
        fig.add_trace(
            go.Histogram(
                x=days[np.isfinite(days)].tolist(),
                xbins={"size": 1},
                name=f"{run.name} (never out: {never:.0%})",
                marker_color=PALETTE[i % len(PALETTE)],
                opacity=0.75,
            )
        )
    fig.update_layout(
        title=f"Days to depletion ({mc.replications:,} replications)",
        xaxis_title="day of the conflict the stock runs out",
        yaxis_title="replications",
        barmode="overlay",
        **{**LAYOUT, "hovermode": "closest"},
    )
    return fig


def survival_figure(mc: MonteCarlo, horizon: int, target_days: float) -> go.Figure:
    """The probability of having run out by each day of the conflict."""
    fig = go.Figure()
    for i, run in enumerate(mc.outcomes.munitions):
        fig.add_trace(
            go.Scatter(
                x=list(range(horizon)),
                y=survival(run.days_to_depletion, horizon).tolist(),
                mode="lines",
                line={"color": PALETTE[i % len(PALETTE)], "shape": "hv"},
                name=run.name,
            )
        )
    fig.add_vline(x=target_days, line_dash="dot", line_color="#555", annotation_text="target day")
    fig.update_layout(
        title="Probability of having run out by each day",
        xaxis_title="day of the conflict",
        yaxis_title="share of replications out of stock",
        yaxis_range=[0, 1.02],
        **LAYOUT,
    )
    return fig


def montecarlo_figures(mc: MonteCarlo, horizon: int, target_days: float) -> dict[str, go.Figure]:
    """The Monte Carlo report's figures, by element id."""
    return {
        "fan": fan_figure(mc),
        "depletion-histogram": depletion_histogram(mc),
        "survival": survival_figure(mc, horizon, target_days),
    }
