"""Figures of a Monte Carlo run: the stock fan, days to depletion, the chance of running out."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from wargame import numbers
from wargame.analysis.montecarlo import MonteCarlo
from wargame.analysis.uncertainty import fan_quantiles, survival
from wargame.report.chart import Chart, bar, scatter
from wargame.report.figures import PALETTE, action_end, fit_time_axis, styled
from wargame.report.labels import display_name

ZOOM_TARGET_PAD = 2  # days: the survival chart's window shows the target day
DAILY_TICKS = 20  # days: a histogram this narrow gets a tick on every day
TAIL = 0.05  # zoom past the last depletion day unless more than this share never runs out


def _rgba(color: str, alpha: float) -> str:
    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"


def mc_end(mc: MonteCarlo, horizon: int) -> float:
    """The zoomed window's end: past the last replication's depletion day, or the horizon when
    more than TAIL of the replications never run out."""
    last: list[float | None] = []
    for run in mc.outcomes.munitions:
        days = run.days_to_depletion
        finite = days[np.isfinite(days)]
        never = 1.0 - finite.size / max(days.size, 1)
        last.append(None if never > TAIL or not finite.size else float(finite.max()))
    return action_end(last, horizon)


def add_band(
    fig: Chart,
    days: Sequence[float],
    low: Sequence[float],
    high: Sequence[float],
    fill: str,
    name: str,
) -> None:
    """A shaded band between two lines (the upper edge drawn first, unlabelled)."""
    edge = {"mode": "lines", "line": {"width": 0}}
    fig.add_trace(scatter(x=days, y=high, showlegend=False, hoverinfo="skip", **edge))
    fig.add_trace(scatter(x=days, y=low, fill="tonexty", fillcolor=fill, name=name, **edge))


def add_fan(
    fig: Chart, days: Sequence[float], quantiles: np.ndarray, color: str, name: str
) -> None:
    """The median of FAN_QUANTILES (rows of `quantiles`, one column a day) as a line, with the
    bands holding 50% and 90% of replications shaded around it."""
    p5, p25, p50, p75, p95 = quantiles.tolist()
    for low, high, alpha, label in ((p5, p95, 0.15, "90%"), (p25, p75, 0.3, "50%")):
        add_band(fig, days, low, high, _rgba(color, alpha), f"{name} {label} of runs")
    fig.add_trace(
        scatter(x=days, y=p50, mode="lines", line={"color": color}, name=f"{name} median")
    )


def fan_figure(mc: MonteCarlo, horizon: int) -> Chart:
    """Stock at each day's end: the median, and the bands holding 50% and 90% of replications."""
    fig = Chart()
    days = mc.salvo_days.tolist()
    for i, run in enumerate(mc.outcomes.munitions):
        if run.stock is None:
            continue
        quantiles = fan_quantiles(run.stock)  # the bands timeseries.csv holds
        add_fan(fig, days, quantiles, PALETTE[i % len(PALETTE)], display_name(run.name))
    kept = mc.outcomes.munitions[0].stock
    count = 0 if kept is None else kept.shape[1]
    styled(
        fig,
        f"Stock over time: median and the middle 50% and 90% of {numbers.count(count)} "
        "replications",
        "day of the conflict",
        "missiles in stock at the day's end",
    )
    return fit_time_axis(fig, mc_end(mc, horizon), horizon)


def depletion_histogram(mc: MonteCarlo) -> Chart:
    """How many replications ran out on each day (those that never did are counted aside).

    Binned here, one bar per whole day (a day's bin holds the half day either side), so the
    page holds a count per day, not a number per replication."""
    fig = Chart()
    for i, run in enumerate(mc.outcomes.munitions):
        days = run.days_to_depletion
        never = float(np.mean(~np.isfinite(days)))
        day, replications = np.unique(np.floor(days[np.isfinite(days)] + 0.5), return_counts=True)
        fig.add_trace(
            bar(
                x=day.tolist(),
                y=replications.tolist(),
                width=0.9,  # a gap between days, as bargap gives a histogram
                name=f"{display_name(run.name)} (never out: {numbers.share(never)})",
                marker_color=PALETTE[i % len(PALETTE)],
                opacity=0.75,
            )
        )
    styled(
        fig,
        f"Day the stock runs out ({numbers.count(mc.replications)} replications)",
        "day of the conflict the stock runs out",
        "replications",
        barmode="overlay",
        bargap=0.1,
        hovermode="closest",
    )
    fig.update_xaxes(dtick=1 if _span(mc) <= DAILY_TICKS else None)
    return fig


def _span(mc: MonteCarlo) -> float:
    """Days between the first and last replication to run out."""
    finite = [d[np.isfinite(d)] for d in (r.days_to_depletion for r in mc.outcomes.munitions)]
    values = np.concatenate(finite) if finite else np.array([])
    return float(np.ptp(values)) if values.size else 0.0


def survival_figure(mc: MonteCarlo, horizon: int, target_days: float) -> Chart:
    """The probability of having run out by each day of the conflict."""
    fig = Chart()
    for i, run in enumerate(mc.outcomes.munitions):
        fig.add_trace(
            scatter(
                x=list(range(horizon)),
                y=survival(run.days_to_depletion, horizon).tolist(),
                mode="lines",
                line={"color": PALETTE[i % len(PALETTE)], "shape": "hv"},
                name=display_name(run.name),
            )
        )
    fig.add_vline(
        x=target_days,
        line_dash="dot",
        line_color="#555",
        annotation_text=f"target day {numbers.days(target_days)}",
        annotation_position="bottom right",
    )
    styled(
        fig,
        "Chance of having run out by each day",
        "day of the conflict",
        "chance of having run out",
    )
    fig.update_yaxes(range=[0, 1.02], tickformat=".0%")
    end = max(mc_end(mc, horizon), min(float(horizon), target_days + ZOOM_TARGET_PAD))
    return fit_time_axis(fig, end, horizon)


def montecarlo_figures(mc: MonteCarlo, horizon: int, target_days: float) -> dict[str, Chart]:
    """The Monte Carlo report's figures, by element id."""
    return {
        "fan": fan_figure(mc, horizon),
        "depletion-histogram": depletion_histogram(mc),
        "survival": survival_figure(mc, horizon, target_days),
    }
