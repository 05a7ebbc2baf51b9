"""Plotly figures of a run: pure functions from results to figures (no files, no printing).

Time charts open zoomed to where the stock changes (to a little past the last day a munition
runs out) with a button for the whole horizon: a 365-day axis hides a war that is over by day 6.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from wargame import numbers
from wargame.engine.results import MunitionRun, RunResult
from wargame.report.chart import Chart, Trace, bar, scatter, template
from wargame.report.labels import display_name

# "out on day N" labels: about a tenth of the first view's width each, and rows this far apart
LABEL_SHARE = 0.1
LABEL_STEP_PX = 16

PALETTE = ("#1f5fa8", "#c0392b", "#2e8b57", "#8e44ad", "#d35400", "#16a085")
HEIGHT, TOP, BOTTOM = 420, 100, 100  # px: the legend sits under the title, the buttons below
LAYOUT = {  # with the template (use_template)
    "height": HEIGHT,
    "margin": {"l": 70, "r": 30, "t": TOP, "b": BOTTOM},
    "title": {"x": 0.01, "xanchor": "left", "y": 0.97, "yanchor": "top"},
    "legend": {"orientation": "h", "x": 0, "xanchor": "left", "y": 1.02, "yanchor": "bottom"},
    "xaxis": {"automargin": True},
    "yaxis": {"automargin": True},
    "hovermode": "x unified",
}
LEGEND_ROW_PX = 20  # a legend row's height
# A wrapped horizontal legend gives every entry the widest entry's width: its symbol and gap
# (about 40 px) and its text (about 7 px a character at plotly's 12 px font, an upper estimate),
# across about 900 px of plot at the page's widest. Over-estimating only leaves white space.
LEGEND_WIDTH_PX, LEGEND_SYMBOL_PX, LEGEND_CHAR_PX = 900, 40, 7
ZOOM_FACTOR = 1.5  # the zoomed window runs this far past the last depletion day
ZOOM_PAD_DAYS = 2
ZOOM_MIN_DAYS = 7
PRE_WAR_DAYS = 0.1  # the zoomed window shows this share of its length before the conflict


def action_end(depletion_days: Iterable[float | None], horizon: float) -> float:
    """The last day worth showing: a little past the last day a munition runs out, or the
    horizon when one never does."""
    found = list(depletion_days)
    if not found or any(d is None or not math.isfinite(d) for d in found):
        return float(horizon)
    last = max(d for d in found if d is not None)
    return float(min(horizon, max(ZOOM_MIN_DAYS, math.ceil(ZOOM_FACTOR * last + ZOOM_PAD_DAYS))))


def fit_time_axis(fig: Chart, end: float, horizon: float, warning_days: int = 0) -> Chart:
    """Zoom the x axis (conflict days) to [a little before day 0, end], with buttons to switch
    between that window and the whole period (from the decision day when there is warning)."""
    full = [-float(warning_days), float(horizon)]
    start = 0.0 - min(float(warning_days), max(1.0, round(PRE_WAR_DAYS * end)))
    if end >= horizon and start <= full[0]:
        fig.update_xaxes(range=full)
        return fig
    zoom = [start, end]
    whole = "whole period" if warning_days else "whole horizon"
    margin = fig.layout.get("margin", {})
    plot_height = fig.layout.get("height", HEIGHT) - margin.get("t", 0) - margin.get("b", 0)
    fig.update_xaxes(range=zoom)
    fig.update_layout(
        updatemenus=[
            {
                "type": "buttons",
                "direction": "right",
                "showactive": True,
                "active": 0,
                "x": 1,
                "xanchor": "right",
                "y": -62 / plot_height,
                "yanchor": "top",
                "pad": {"t": 0, "r": 0},
                "font": {"size": 11},
                "buttons": [
                    {
                        "label": f"days {start + 0:g} to {end:g}",
                        "method": "relayout",
                        "args": [{"xaxis.range": zoom}],
                    },
                    {"label": whole, "method": "relayout", "args": [{"xaxis.range": full}]},
                ],
            }
        ]
    )
    return fig


def use_template(fig: Chart) -> Chart:
    """Give `fig` the reports' template (plotly_white), shared, not copied: nothing edits it."""
    fig.layout["template"] = template()
    return fig


def styled(fig: Chart, title: str, x_title: str, y_title: str, **extra: object) -> Chart:
    """The reports' look: title, legend under it (the top margin grows with its rows, so it
    never reaches the title or the data), axes that make room for their labels."""
    use_template(fig)
    fig.update_layout(**{**LAYOUT, **extra})
    fig.update_layout(title_text=title, xaxis_title=x_title, yaxis_title=y_title)
    rows = legend_rows(fig.data)
    if rows > 2 and "margin" not in extra:
        grow = LEGEND_ROW_PX * (rows - 2)
        fig.update_layout(height=fig.layout.get("height", HEIGHT) + grow, margin_t=TOP + grow)
    return fig


def legend_rows(traces: list[Trace]) -> int:
    """Rows of a horizontal legend at the page's widest: entries wrap in columns of the widest
    entry's width, and a legend group's entries stack in one column (plotly's grouped order)."""
    shown = [t for t in traces if t.get("showlegend") is not False]
    if not shown:
        return 1
    groups: dict[object, int] = {}
    for i, trace in enumerate(shown):
        key = trace.get("legendgroup", i)
        groups[key] = groups.get(key, 0) + 1
    widest = max(len(str(t.get("name", ""))) for t in shown)
    per_row = max(1, LEGEND_WIDTH_PX // (LEGEND_SYMBOL_PX + LEGEND_CHAR_PX * widest))
    return math.ceil(len(groups) / per_row) * max(groups.values())


def run_end(result: RunResult) -> float:
    """The zoomed window's end for one run."""
    return action_end((r.days_to_depletion for r in result.munitions), result.horizon_days)


def _days(run: MunitionRun) -> list[int]:
    """Conflict day of each sim day (negative before the conflict)."""
    return list(range(-run.warning_days, run.demanded.size - run.warning_days))


def layout(fig: Chart, title: str, y_title: str, result: RunResult) -> Chart:
    """Shared look: title, axes over conflict days zoomed to the action, and the conflict start
    marked after warning."""
    styled(fig, title, "day of the conflict", y_title)
    if result.warning_days > 0:
        fig.add_vline(
            x=0,
            line_dash="dot",
            line_color="#555",
            annotation_text="conflict starts",
            annotation_position="bottom left",
        )
    return fit_time_axis(fig, run_end(result), result.horizon_days, result.warning_days)


def inventory_figure(result: RunResult) -> Chart:
    """Stock at the end of each day, per munition, with the depletion day marked."""
    fig = Chart()
    add_inventory_traces(fig, result)
    return layout(fig, "Inventory", "missiles in stock", result)


def add_inventory_traces(
    fig: Chart,
    result: RunResult,
    label: str = "",
    dash: str = "solid",
    marked: bool = True,
    offset: int = 0,
) -> None:
    """One stock line per munition (named with `label`), and an x where it runs out (with the
    day written beside it when `marked`, else in the legend: two runs' labels would overlap)."""
    out: list[tuple[float, str]] = []  # labelled depletions: day and colour
    for i, run in enumerate(result.munitions, start=offset):
        color = PALETTE[i % len(PALETTE)]
        name = f"{display_name(run.name)}{label}"
        fig.add_trace(
            scatter(
                x=_days(run),
                y=run.inventory.tolist(),
                name=name,
                mode="lines",
                line={"color": color, "dash": dash},
            )
        )
        if run.days_to_depletion is not None:
            fig.add_trace(
                scatter(
                    x=[run.days_to_depletion],
                    y=[0],
                    mode="markers",
                    name=f"{name} runs out on day {numbers.days(run.days_to_depletion)}",
                    marker={"color": color, "size": 11, "symbol": "x"},
                )
            )
            if marked:
                out.append((run.days_to_depletion, color))
    near = LABEL_SHARE * max(run_end(result), 1.0)  # a label's width, in days of the first view
    for (day, color), level in zip(out, depletion_levels([d for d, _ in out], near), strict=True):
        fig.add_annotation(
            x=day,
            y=0,
            text=f"out on day {numbers.days(day)}",
            showarrow=False,
            xanchor="left",
            yanchor="bottom",
            yshift=4 + LABEL_STEP_PX * level,
            font={"color": color},
        )


def depletion_levels(days: list[float], near: float) -> list[int]:
    """Each "out on day N" label's row above the axis (0, 1, ...): the lowest row that no earlier
    label within `near` days holds, so labels a day or two apart stack instead of overlapping."""
    levels: list[int] = []
    for i, day in enumerate(days):
        taken = {levels[j] for j in range(i) if abs(days[j] - day) < near}
        levels.append(next(k for k in range(len(days)) if k not in taken))
    return levels


def fire_figure(result: RunResult) -> Chart:
    """Shots demanded against shots fired, per day and munition."""
    fig = Chart()
    for i, run in enumerate(result.munitions):
        color = PALETTE[i % len(PALETTE)]
        days = _days(run)
        fig.add_trace(
            scatter(
                x=days,
                y=run.demanded.tolist(),
                name=f"{display_name(run.name)} demanded",
                mode="lines",
                line={"color": color, "dash": "dash"},
            )
        )
        fig.add_trace(
            scatter(
                x=days,
                y=run.fired.tolist(),
                name=f"{display_name(run.name)} fired",
                mode="lines",
                line={"color": color},
                fill="tozeroy",
            )
        )
    return layout(fig, "Demanded and fired", "shots per day", result)


def deliveries_figure(result: RunResult) -> Chart | None:
    """Missiles delivered to US stocks per day, per munition (None when nothing is delivered:
    the report says so in a line instead of an empty chart)."""
    if not delivers(result):
        return None
    fig = Chart()
    for i, run in enumerate(result.munitions):
        fig.add_trace(
            bar(
                x=_days(run),
                y=run.delivered.tolist(),
                name=display_name(run.name),
                marker_color=PALETTE[i % len(PALETTE)],
            )
        )
    fig.update_layout(barmode="group")
    fig = layout(fig, "Deliveries to US stocks", "missiles delivered per day", result)
    # Lots arrive over years: this chart shows the whole period, not the war's first days.
    fig.update_xaxes(range=[-result.warning_days, result.horizon_days])
    fig.update_layout(updatemenus=[])
    return fig


def delivers(result: RunResult) -> bool:
    """Whether any missile reaches US stocks between the decision day and the horizon."""
    return any(run.delivered.any() for run in result.munitions)


def run_figures(result: RunResult) -> dict[str, Chart]:
    """The run report's figures, by element id (a chart with nothing to show is left out)."""
    figures = {"inventory": inventory_figure(result), "fire": fire_figure(result)}
    deliveries = deliveries_figure(result)
    if deliveries is not None:
        figures["deliveries"] = deliveries
    return figures


def empty_notes(result: RunResult) -> list[str]:
    """One line for each chart left out, saying why."""
    if delivers(result):
        return []
    return [
        f"No deliveries chart: nothing is delivered to US stocks in the "
        f"{numbers.count(result.warning_days + result.horizon_days)} days from the decision "
        "day to the horizon (the lead time to the first delivery is longer, or nothing is "
        "funded)."
    ]
