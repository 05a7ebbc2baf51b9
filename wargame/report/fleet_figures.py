"""Plotly figures of the launch side: capacity on station, fleet strength, limits, port queues."""

from __future__ import annotations

from wargame.engine.results import LIMIT_NAMES, FleetRun, RunResult
from wargame.report.chart import Chart, heatmap, scatter
from wargame.report.figures import PALETTE, fit_time_axis, layout, run_end, styled
from wargame.report.labels import display_name

LIMIT_COLORS = (
    (0.0, "#e8ecef"),
    (0.33, "#e8ecef"),
    (0.33, "#f0a202"),
    (0.67, "#f0a202"),
    (0.67, "#b3261e"),
    (1.0, "#b3261e"),
)


def capacity_figure(result: RunResult, fleet: FleetRun) -> Chart:
    """Loaded cells on station at each salvo against the shots demanded per day, per munition."""
    fig = Chart()
    days = fleet.step_days.tolist()
    for i, run in enumerate(result.munitions):
        color = PALETTE[i % len(PALETTE)]
        demanded = run.demanded[result.warning_days :].tolist()
        fig.add_trace(
            scatter(
                x=days,
                y=fleet.capacity[i].tolist(),
                mode="lines",
                name=f"{display_name(run.name)} loaded cells on station",
                line={"color": color},
                fill="tozeroy",
            )
        )
        fig.add_trace(
            scatter(
                x=list(range(len(demanded))),
                y=demanded,
                mode="lines",
                name=f"{display_name(run.name)} demanded per day",
                line={"color": color, "dash": "dash", "shape": "hv"},
            )
        )
    return layout(fig, "Launch capacity on station against demand", "missiles", result)


def fleet_figure(result: RunResult, fleet: FleetRun) -> Chart:
    """Hulls afloat per class (stacked) and hulls on station (all classes)."""
    fig = Chart()
    days = fleet.step_days.tolist()
    for i, name in enumerate(fleet.classes):
        fig.add_trace(
            scatter(
                x=days,
                y=fleet.alive[i].tolist(),
                name=f"{display_name(name)} afloat",
                mode="lines",
                stackgroup="afloat",
                line={"color": PALETTE[i % len(PALETTE)], "width": 0.5},
            )
        )
    fig.add_trace(
        scatter(
            x=days,
            y=fleet.on_station.sum(axis=0).tolist(),
            name="on station",
            mode="lines",
            line={"color": "#111", "width": 2},
        )
    )
    return layout(fig, "Fleet strength", "hulls", result)


def limits_figure(result: RunResult) -> Chart:
    """What held each day's salvos back, per munition: none, launchers or inventory."""
    z = [
        run.daily_limits(result.step_times)[result.warning_days :].tolist()
        for run in result.munitions
    ]
    fig = Chart(
        [
            heatmap(
                z=z,
                x=list(range(result.horizon_days)),
                y=[display_name(run.name) for run in result.munitions],
                zmin=0,
                zmax=2,
                colorscale=[list(stop) for stop in LIMIT_COLORS],
                colorbar={
                    "tickvals": [0.33, 1.0, 1.67],
                    "ticktext": list(LIMIT_NAMES),
                },
                customdata=[[LIMIT_NAMES[int(v)] for v in row] for row in z],
                hovertemplate="day %{x}: %{customdata}<extra>%{y}</extra>",
            )
        ]
    )
    styled(
        fig,
        "What limits fire, day by day",
        "day of the conflict",
        "",
        height=230 + 40 * len(z),
        margin={"l": 70, "r": 30, "t": 60, "b": 110},
        hovermode="closest",
    )
    return fit_time_axis(fig, run_end(result), result.horizon_days)


def port_figure(result: RunResult, fleet: FleetRun) -> Chart:
    """Hulls waiting for a berth (solid) and berths busy (dotted), per port."""
    fig = Chart()
    days = fleet.step_days.tolist()
    for i, name in enumerate(fleet.ports):
        color = PALETTE[i % len(PALETTE)]
        fig.add_trace(
            scatter(
                x=days,
                y=fleet.waiting[i].tolist(),
                name=f"{display_name(name)} waiting",
                mode="lines",
                line={"color": color, "shape": "hv"},
            )
        )
        fig.add_trace(
            scatter(
                x=days,
                y=fleet.reloading[i].tolist(),
                name=f"{display_name(name)} reloading",
                mode="lines",
                line={"color": color, "dash": "dot", "shape": "hv"},
            )
        )
    return layout(fig, "Reload ports: queue and berths in use", "hulls", result)


def fleet_figures(result: RunResult) -> dict[str, Chart]:
    """The launch-side figures, by element id (none without a fleet)."""
    if result.fleet is None:
        return {}
    return {
        "launch-capacity": capacity_figure(result, result.fleet),
        "fleet": fleet_figure(result, result.fleet),
        "limits": limits_figure(result),
        "ports": port_figure(result, result.fleet),
    }
