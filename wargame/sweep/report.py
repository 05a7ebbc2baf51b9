"""sweep.html: the figures a sweep's design calls for, the indices, and any failed checks."""

from __future__ import annotations

from typing import Any

import numpy as np
import plotly.graph_objects as go

from wargame.config.inputs import input_rows
from wargame.config.loading import validate_study
from wargame.model.rates import FloatArray
from wargame.report.figures import LAYOUT, PALETTE
from wargame.report.html import render_page
from wargame.sweep.loading import Sweep
from wargame.sweep.outputs import series
from wargame.sweep.run import SweepRun

SHORT = 40  # axis labels: the tail of a long dotted path


def _label(path: str) -> str:
    return path if len(path) <= SHORT else "..." + path[-SHORT:]


def _figure(title: str, x: str, y: str, **extra: Any) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(title=title, xaxis_title=x, yaxis_title=y, **{**LAYOUT, **extra})
    return fig


def _values(run: SweepRun, metric: str) -> FloatArray:
    return np.array([np.nan if v is None else v for v in series(run, metric)], dtype=float)


def grid_figures(run: SweepRun, metric: str) -> dict[str, go.Figure]:
    """A line over one parameter, a heat map over two, else one scatter per parameter."""
    names, y = run.design.names, _values(run, metric)
    points = run.design.points
    if len(names) == 2:
        xs = sorted({p[names[0]] for p in points})
        ys = sorted({p[names[1]] for p in points})
        z = np.full((len(ys), len(xs)), np.nan)
        for p, value in zip(points, y, strict=True):
            z[ys.index(p[names[1]]), xs.index(p[names[0]])] = value
        fig = _figure(metric, _label(names[0]), _label(names[1]), hovermode="closest")
        fig.add_trace(go.Heatmap(x=xs, y=ys, z=z.tolist(), colorbar={"title": metric}))
        return {f"heat-{metric}": fig}
    return scatter_figures(run, metric, mode="lines+markers" if len(names) == 1 else "markers")


def scatter_figures(run: SweepRun, metric: str, mode: str = "markers") -> dict[str, go.Figure]:
    """The metric against each parameter (the investment curve, for an invest metric)."""
    figures = {}
    y = _values(run, metric)
    for i, name in enumerate(run.design.names):
        x = np.array([p[name] for p in run.design.points])
        order = np.argsort(x, kind="stable")
        fig = _figure(f"{metric} against {_label(name)}", _label(name), metric)
        fig.add_trace(
            go.Scatter(
                x=x[order].tolist(),
                y=y[order].tolist(),
                mode=mode,
                marker_color=PALETTE[i % len(PALETTE)],
                name=metric,
            )
        )
        figures[f"scatter-{metric}-{i}"] = fig
    return figures


def tornado(run: SweepRun, metric: str) -> go.Figure:
    """One-at-a-time: each parameter's low and high end against the base point's value."""
    y = _values(run, metric)
    base = y[0]
    names = run.design.names
    low, high = y[1::2] - base, y[2::2] - base
    order = np.argsort(-np.abs(high - low), kind="stable")[::-1]
    fig = _figure(
        f"{metric}: one at a time (base {base:g})",
        f"change in {metric}",
        "",
        barmode="overlay",
        hovermode="closest",
    )
    labels = [_label(names[i]) for i in order]
    fig.add_trace(
        go.Bar(
            y=labels,
            x=low[order].tolist(),
            orientation="h",
            name="low end",
            marker_color=PALETTE[0],
        )
    )
    fig.add_trace(
        go.Bar(
            y=labels,
            x=high[order].tolist(),
            orientation="h",
            name="high end",
            marker_color=PALETTE[1],
        )
    )
    return fig


def index_figure(found: dict[str, Any]) -> go.Figure:
    """Morris mu* against sigma, or Sobol S1 and ST with their intervals."""
    names = [_label(n) for n in found["parameters"]]
    metric = found["metric"]
    if "mu_star" in found:
        fig = _figure(
            f"{metric}: Morris screening",
            "mu* (mean |elementary effect|)",
            "sigma",
            hovermode="closest",
        )
        fig.add_trace(
            go.Scatter(
                x=found["mu_star"],
                y=found["sigma"],
                mode="markers+text",
                text=names,
                textposition="top center",
                name="parameters",
                error_x={"array": found["mu_star_conf"]},
            )
        )
        return fig
    fig = _figure(
        f"{metric}: Sobol indices", "", "share of variance", barmode="group", hovermode="closest"
    )
    for i, key in enumerate(("S1", "ST")):
        fig.add_trace(
            go.Bar(
                x=names,
                y=found[key],
                name=key,
                marker_color=PALETTE[i],
                error_y={"array": found[f"{key}_conf"]},
            )
        )
    return fig


def sweep_figures(sweep: Sweep, run: SweepRun, found: list[dict[str, Any]]) -> dict[str, go.Figure]:
    """Every figure of the sweep, by element id."""
    figures: dict[str, go.Figure] = {}
    kind = run.design.kind
    for metric in sweep.spec.sweep.metrics:
        if kind == "grid":
            figures |= grid_figures(run, metric)
        elif kind == "oat":
            figures[f"tornado-{metric}"] = tornado(run, metric)
        elif kind in ("qmc-sobol", "lhs"):
            figures |= scatter_figures(run, metric)
    for item in found:
        figures[f"indices-{item['metric']}"] = index_figure(item)
    return {name.replace(".", "-"): fig for name, fig in figures.items()}


def sweep_report(
    sweep: Sweep, run: SweepRun, found: list[dict[str, Any]], failed: list[dict[str, Any]]
) -> str:
    """The self-contained sweep.html."""
    base = validate_study(dict(sweep.base_data), str(sweep.base_path)).scenario
    meta = sweep.spec.sweep
    return render_page(
        "sweep.html.j2",
        title=meta.name,
        figures=sweep_figures(sweep, run, found),
        inputs=input_rows(base),
        footer={
            "seed": meta.seed,
            "replications per point": meta.replications,
            "config sha256": sweep.base_sha256,
        },
        design=meta.design,
        points=len(run.design.points),
        parameters=[_parameter_row(sweep, n) for n in run.design.names],
        metrics=meta.metrics,
        indices=found,
        failed=failed[:200],
        failed_count=len(failed),
        base=sweep.base_path.name,
    )


def _parameter_row(sweep: Sweep, name: str) -> dict[str, Any]:
    parameter = sweep.spec.parameters[name]
    return {
        "path": name,
        "low": parameter.low,
        "high": parameter.high,
        "steps": parameter.steps,
        "choices": parameter.values,
    }
