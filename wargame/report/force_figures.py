"""Plotly figures of the force over the years, from summary.json's `force` and `yards` blocks:
the inventory of each class against its goal (as CBO draws the Navy's 30-year plan), the missile
cells the fleet carries, and each yard's work by class against its capacity. A Monte Carlo's
blocks hold distributions: the lines are medians, with the 5th-95th percentile band."""

from __future__ import annotations

from typing import Any

from wargame.report.chart import Chart, bar, scatter
from wargame.report.figures import PALETTE, styled
from wargame.report.labels import display_name


def _mid(value: Any) -> float:
    """A block's number: itself in a run, its median in a Monte Carlo."""
    return float(value["p50"] if isinstance(value, dict) else value)


def _band(
    fig: Chart, years: list[str], values: list[Any], color: str, name: str, group: str
) -> None:
    """The 5th-95th percentile band of a Monte Carlo's numbers (nothing in a run)."""
    if not values or not isinstance(values[0], dict):
        return
    fig.add_trace(
        scatter(
            x=years + years[::-1],
            y=[v["p95"] for v in values] + [v["p5"] for v in values][::-1],
            fill="toself",
            fillcolor=color,
            opacity=0.15,
            line={"width": 0},
            name=f"{name} 5th-95th percentile",
            legendgroup=group,
            hoverinfo="skip",
        )
    )


def inventory_figure(force: dict[str, Any]) -> Chart:
    """Hulls of each class at each year's end, with its goal."""
    fig = Chart()
    for i, (name, block) in enumerate(force.items()):
        color, label = PALETTE[i % len(PALETTE)], display_name(name)
        years = [y["year"] for y in block["years"]]
        hulls = [y["hulls"] for y in block["years"]]
        _band(fig, years, hulls, color, label, name)
        fig.add_trace(
            scatter(
                x=years,
                y=[_mid(h) for h in hulls],
                mode="lines+markers",
                name=f"{label} hulls",
                line={"color": color},
                legendgroup=name,
            )
        )
        if block["goal_hulls"] is not None:
            fig.add_trace(
                scatter(
                    x=years,
                    y=[block["goal_hulls"]] * len(years),
                    mode="lines",
                    name=f"{label} goal",
                    line={"color": color, "dash": "dash"},
                    legendgroup=name,
                )
            )
    return styled(fig, "Inventory by year against the goal", "year (at its end)", "hulls")


def cells_figure(force: dict[str, Any]) -> Chart:
    """Missile cells the fleet carries at each year's end, stacked by class."""
    fig = Chart()
    for i, (name, block) in enumerate(force.items()):
        fig.add_trace(
            scatter(
                x=[y["year"] for y in block["years"]],
                y=[_mid(y["cells"]) for y in block["years"]],
                mode="lines",
                stackgroup="cells",
                name=display_name(name),
                line={"color": PALETTE[i % len(PALETTE)]},
            )
        )
    return styled(fig, "Launch cells in the fleet by year", "year (at its end)", "cells")


def yard_figure(name: str, years: list[dict[str, Any]]) -> Chart:
    """One yard's work each year, stacked by class, against what it could do."""
    fig = Chart()
    labels = [y["year"] for y in years]
    classes = list(years[0]["work"]) if years else []
    for i, cls in enumerate(classes):
        fig.add_trace(
            bar(
                x=labels,
                y=[_mid(y["work"][cls]) for y in years],
                name=display_name(cls),
                marker_color=PALETTE[i % len(PALETTE)],
            )
        )
    fig.add_trace(
        scatter(
            x=labels,
            y=[_mid(y["capacity"]) for y in years],
            mode="lines",
            name="capacity",
            line={"color": "#333", "dash": "dash", "shape": "hvh"},
        )
    )
    title = f"Yard load by class: {display_name(name)}"
    return styled(fig, title, "year", "work delivered (hull units)", barmode="stack")


def force_figures(summary: dict[str, Any]) -> dict[str, Chart]:
    """The force figures, by element id (none without a `force` block)."""
    force = summary.get("force")
    if not force:
        return {}
    figures = {"force-inventory": inventory_figure(force), "force-cells": cells_figure(force)}
    for name, years in summary.get("yards", {}).items():
        figures[f"yard-{name}"] = yard_figure(name, years)
    return figures
