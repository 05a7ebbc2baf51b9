"""Figures of a comparison: each run's stock and its chance of running out, overlaid."""

from __future__ import annotations

import math

from wargame.analysis.compare import Arm, Comparison
from wargame.report.chart import Chart, scatter
from wargame.report.figures import PALETTE, styled
from wargame.report.uncertainty_figures import _rgba, add_band

DASHES = ("solid", "dash", "dot", "dashdot")
DAY = "day of the conflict"


def stock_overlay(comparison: Comparison, munition: str) -> Chart:
    """One munition's median stock per run, with the band holding 90% of its replications."""
    fig = Chart()
    for i, arm in enumerate(comparison.arms):
        bands = arm.bands.get(munition)
        if bands is None:
            continue
        color = PALETTE[i % len(PALETTE)]
        stock = bands.stock
        name = f"{_name(arm, i)}: 90% of replications"
        add_band(fig, bands.days, stock["stock_p5"], stock["stock_p95"], _rgba(color, 0.15), name)
        fig.add_trace(
            scatter(
                x=bands.days,
                y=bands.stock["stock_p50"],
                mode="lines",
                line={"color": color, "dash": DASHES[i % len(DASHES)]},
                name=f"{_name(arm, i)}: median",
            )
        )
    styled(fig, f"{munition}: stock at each day's end, run by run", DAY, "missiles in stock")
    fig.update_xaxes(range=[0, _action_end(comparison, munition)])
    return fig


def survival_overlay(comparison: Comparison, munition: str) -> Chart:
    """One munition's chance of having run out by each day, per run."""
    fig = Chart()
    for i, arm in enumerate(comparison.arms):
        bands = arm.bands.get(munition)
        if bands is None:
            continue
        fig.add_trace(
            scatter(
                x=bands.days,
                y=bands.p_out,
                mode="lines",
                line={"color": PALETTE[i % len(PALETTE)], "shape": "hv"},
                name=_name(arm, i),
            )
        )
    fig.add_vline(
        x=comparison.target_days,
        line_dash="dot",
        line_color="#555",
        annotation_text=f"day {comparison.target_days:g}",
    )
    title = f"{munition}: chance of having run out by each day"
    styled(fig, title, DAY, "share of replications out of stock")
    fig.update_yaxes(range=[0, 1.02], tickformat=".0%")
    fig.update_xaxes(range=[0, _action_end(comparison, munition)])
    return fig


def compare_figures(comparison: Comparison) -> dict[str, Chart]:
    """The comparison page's figures, by element id (two per munition compared)."""
    munitions = list(dict.fromkeys(row.munition for row in comparison.rows))
    figures: dict[str, Chart] = {}
    for index, munition in enumerate(munitions):
        figures[f"stock-{index}"] = stock_overlay(comparison, munition)
        figures[f"survival-{index}"] = survival_overlay(comparison, munition)
    return figures


def _name(arm: Arm, index: int) -> str:
    """A legend entry: the run's letter and scenario name."""
    return f"{chr(ord('A') + index)} {arm.scenario}"


def _action_end(comparison: Comparison, munition: str) -> float:
    """Where the x axis ends: a little past the last day on which any run's chance of running
    out still changes (the whole horizon when one never settles), so the action fills the
    chart; the full horizon is a zoom-out away."""
    last = 0
    for arm in comparison.arms:
        bands = arm.bands.get(munition)
        if bands is None or not bands.days:
            continue
        final = bands.p_out[-1]
        settled = next((d for d, p in zip(bands.days, bands.p_out, strict=True) if p == final), 0)
        last = max(last, settled if final > 0 else bands.days[-1])
    horizon = max(arm.horizon_days for arm in comparison.arms)
    return float(min(horizon, max(7, math.ceil(last * 1.25) + 2)))
