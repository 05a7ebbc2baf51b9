"""The coalition section of a report: each nation's stock, who fired for each mission, and what
pooling is worth. Pure functions from results (and summary.json's blocks) to plotly figures."""

from __future__ import annotations

from typing import Any

import numpy as np

from wargame.config.scenario import Scenario
from wargame.engine.results import RunResult
from wargame.report.chart import Chart, bar, scatter
from wargame.report.figures import PALETTE, layout, use_template


def coalition_figures(
    result: RunResult, scenario: Scenario, summary: dict[str, Any]
) -> dict[str, Chart]:
    """The figures of the coalition section (none for a scenario without nations or missions)."""
    figures: dict[str, Chart] = {}
    if scenario.nations:
        figures["nation-stock"] = nation_stock_figure(result, scenario)
    for name in scenario.missions:
        figures[f"mission-{name}"] = mission_figure(result, name)
    pooling = summary.get("collective_action") or {}
    if pooling:
        figures["pooling"] = pooling_figure(pooling, scenario.scenario.horizon_days)
    return figures


def _colour(scenario: Scenario, nation: str, index: int) -> str:
    chosen = scenario.nations[nation].colour
    return chosen if chosen is not None else PALETTE[index % len(PALETTE)]


def nation_stock_figure(result: RunResult, scenario: Scenario) -> Chart:
    """Each nation's missiles (all its munitions, ashore and in cells) at each day's end."""
    fig = Chart()
    days = np.arange(result.warning_days + result.horizon_days) - result.warning_days
    for index, (nation_id, nation) in enumerate(scenario.nations.items()):
        own = [r for r in result.munitions if scenario.munitions[r.name].nation == nation_id]
        stock = np.sum([r.inventory for r in own], axis=0) if own else np.zeros(days.size)
        fig.add_trace(
            scatter(
                x=days,
                y=stock,
                name=nation.name,
                mode="lines",
                line={"color": _colour(scenario, nation_id, index)},
            )
        )
    return layout(fig, "Stock by nation", "missiles", result)


def mission_figure(result: RunResult, mission: str) -> Chart:
    """Which munition fired for a mission each day (stacked), against what it demanded."""
    own = [g for g in result.groups if g.mission == mission]
    days = np.arange(result.warning_days + result.horizon_days) - result.warning_days
    war = slice(result.warning_days, None)
    fired: dict[str, np.ndarray] = {}
    for group in own:
        for j, munition in enumerate(group.members):
            fired[munition] = fired.get(munition, 0) + group.shots[j]
    fig = Chart()
    for index, (munition, shots) in enumerate(fired.items()):
        fig.add_trace(
            bar(
                x=days[war],
                y=np.asarray(shots)[war],
                name=munition,
                marker_color=PALETTE[index % len(PALETTE)],
            )
        )
    demanded = np.sum([g.demanded for g in own], axis=0)
    fig.add_trace(
        scatter(
            x=days[war],
            y=demanded[war],
            name="demanded",
            mode="lines",
            line={"color": "#222", "dash": "dot", "shape": "hv"},
        )
    )
    fig.update_layout(barmode="stack")
    return layout(fig, f"Mission {mission}: shots fired by munition", "shots a day", result)


def pooling_figure(pooling: dict[str, Any], horizon: int) -> Chart:
    """Days until each pooled mission first falls short, pooled and nation by nation (the
    median replication's, in a Monte Carlo run; the horizon where it never falls short)."""

    def day(value: Any) -> float:
        if isinstance(value, dict):
            value = value.get("p50")
        return float(horizon) if value is None else float(value)

    names = list(pooling)
    fig = Chart()
    fig.add_trace(
        bar(
            x=names,
            y=[day(pooling[n]["national_days"]) for n in names],
            name="each nation on its own",
            marker_color="#999",
        )
    )
    fig.add_trace(
        bar(
            x=names,
            y=[day(pooling[n]["pooled_days"]) for n in names],
            name="pooled",
            marker_color=PALETTE[0],
        )
    )
    use_template(fig).update_layout(
        title="What pooling is worth: days until the mission first falls short",
        yaxis_title="day of the conflict",
        barmode="group",
        height=380,
        legend={"orientation": "h", "y": -0.2},
    )
    fig.update_yaxes(range=[0, horizon])
    return fig
