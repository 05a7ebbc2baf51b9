"""sweep.html: a headline (what was swept, what moved most), the figures the design calls for
with human names and units, the indices, warnings when a metric measured nothing, and any
failed checks."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from plotly.colors import get_colorscale

from wargame import numbers
from wargame.config.loading import validate_study
from wargame.model.rates import FloatArray
from wargame.report.assumptions import assumption_rows, overrides_of
from wargame.report.chart import Chart, bar, heatmap, scatter
from wargame.report.figures import PALETTE, styled
from wargame.report.html import render_page
from wargame.report.labels import (
    axis_title,
    input_label,
    input_unit,
    is_probability,
    metric_label,
    metric_unit,
    with_unit,
)
from wargame.sweep.findings import INFLUENCE, MetricFinding, all_infeasible, metric_findings
from wargame.sweep.loading import Sweep
from wargame.sweep.outputs import series
from wargame.sweep.run import SweepRun

INVEST_HINT = (
    " For an invest metric this usually means no point can meet the target: add"
    " invest.feasible and invest.achieved_days to the metrics to see."
)
# plotly Python's named scales, written out: plotly.js has scales of the same names that differ
PROBABILITY_SCALE = "Blues"
VALUE_SCALE = "Viridis"
SWEEP_LAYOUT: dict[str, Any] = {"hovermode": "closest"}


def metric_value(metric: str, value: float | None) -> str:
    """A metric's value for people, in its unit ("never" for a day that never came)."""
    unit = metric_unit(metric)
    if value is None or not np.isfinite(value):
        return numbers.NEVER if unit == "days" else "none"
    if unit == "USD":
        return numbers.usd(value)
    if unit == "share":
        return numbers.share(value)
    if unit == "days":
        return numbers.days(round(value, 1))
    return numbers.number(round(value, 1))


def metric_title(metric: str) -> str:
    """An axis or colour-bar title: the metric's name and unit."""
    return with_unit(metric_label(metric), metric_unit(metric))


def _values(run: SweepRun, metric: str) -> FloatArray:
    return np.array([np.nan if v is None else v for v in series(run, metric)], dtype=float)


def grid_figures(run: SweepRun, metric: str) -> dict[str, Chart]:
    """A line over one parameter, a heat map with the value on each cell over two, else one
    scatter per parameter."""
    names, y = run.design.names, _values(run, metric)
    points = run.design.points
    if len(names) == 2:
        xs = sorted({p[names[0]] for p in points})
        ys = sorted({p[names[1]] for p in points})
        z = np.full((len(ys), len(xs)), np.nan)
        for p, value in zip(points, y, strict=True):
            z[ys.index(p[names[1]]), xs.index(p[names[0]])] = value
        text = [[metric_value(metric, v) for v in row] for row in z.tolist()]
        probability = is_probability(metric)
        fig = styled(
            Chart(),
            sentence(metric_label(metric)),
            axis_title(names[0]),
            axis_title(names[1]),
            **SWEEP_LAYOUT,
        )
        fig.add_trace(
            heatmap(
                x=xs,
                y=ys,
                z=z.tolist(),
                text=text,
                texttemplate="%{text}",
                hovertemplate="%{x:,}, %{y:,}: %{text}<extra></extra>",
                colorscale=get_colorscale(PROBABILITY_SCALE if probability else VALUE_SCALE),
                zmin=0.0 if probability else None,
                zmax=1.0 if probability else None,
                colorbar={
                    "title": {"text": metric_unit(metric), "side": "right"},
                    **({"tickformat": ".0%"} if probability else {}),
                },
            )
        )
        fig.update_xaxes(type="category" if len(xs) <= 12 else "-")
        fig.update_yaxes(type="category" if len(ys) <= 12 else "-")
        return {f"heat-{metric}": fig}
    return scatter_figures(run, metric, mode="lines+markers" if len(names) == 1 else "markers")


def scatter_figures(run: SweepRun, metric: str, mode: str = "markers") -> dict[str, Chart]:
    """The metric against each parameter (the investment curve, for an invest metric)."""
    figures = {}
    y = _values(run, metric)
    for i, name in enumerate(run.design.names):
        x = np.array([p[name] for p in run.design.points])
        order = np.argsort(x, kind="stable")
        fig = styled(
            Chart(),
            sentence(f"{metric_label(metric)} against {input_label(name)}"),
            axis_title(name),
            metric_title(metric),
            showlegend=False,
            **SWEEP_LAYOUT,
        )
        fig.add_trace(
            scatter(
                x=x[order].tolist(),
                y=y[order].tolist(),
                mode=mode,
                marker_color=PALETTE[i % len(PALETTE)],
                name=metric_label(metric),
            )
        )
        _fix_probability_axis(fig, metric)
        figures[f"scatter-{metric}-{i}"] = fig
    return figures


def _fix_probability_axis(fig: Chart, metric: str) -> None:
    if is_probability(metric):
        fig.update_yaxes(range=[0, 1.02], tickformat=".0%")


def tornado(run: SweepRun, metric: str) -> Chart:
    """One-at-a-time: each parameter's low and high end against the base point's value."""
    y = _values(run, metric)
    base = y[0]
    names = run.design.names
    low, high = y[1::2] - base, y[2::2] - base
    order = np.argsort(-np.abs(high - low), kind="stable")[::-1]
    fig = styled(
        Chart(),
        sentence(
            f"{metric_label(metric)}: one input at a time (base {metric_value(metric, base)})"
        ),
        f"change in {metric_title(metric)}",
        "",
        barmode="overlay",
        height=200 + 40 * len(names) + 100,
        **SWEEP_LAYOUT,
    )
    labels = [input_label(names[i]) for i in order]
    for values, end, color in ((low, "low end", PALETTE[0]), (high, "high end", PALETTE[1])):
        fig.add_trace(
            bar(
                y=labels,
                x=values[order].tolist(),
                orientation="h",
                name=f"input at its {end}",
                marker_color=color,
            )
        )
    fig.update_yaxes(automargin=True)
    return fig


def index_figure(found: dict[str, Any]) -> Chart:
    """Morris mu* against sigma, or Sobol S1 and ST with their intervals."""
    names = [input_label(n) for n in found["parameters"]]
    metric = found["metric"]
    unit = metric_unit(metric)
    if "mu_star" in found:
        fig = styled(
            Chart(),
            sentence(f"{metric_label(metric)}: Morris screening"),
            with_unit("mu*, the mean absolute effect of moving the input", unit),
            with_unit("sigma, how much that effect varies", unit),
            showlegend=False,
            **SWEEP_LAYOUT,
        )
        middle = (max(found["mu_star"]) + min(found["mu_star"])) / 2
        fig.add_trace(
            scatter(
                x=found["mu_star"],
                y=found["sigma"],
                mode="markers+text",
                text=names,
                # labels point inward, so none runs off the chart's edge
                textposition=["top left" if x > middle else "top right" for x in found["mu_star"]],
                cliponaxis=False,
                name="inputs",
                error_x={"array": found["mu_star_conf"]},
            )
        )
        fig.update_xaxes(rangemode="tozero")
        fig.update_yaxes(rangemode="tozero")
        return fig
    fig = styled(
        Chart(),
        sentence(f"{metric_label(metric)}: Sobol indices"),
        "",
        "share of the variance",
        barmode="group",
        **SWEEP_LAYOUT,
    )
    for i, (key, label) in enumerate((("S1", "first order (S1)"), ("ST", "total (ST)"))):
        fig.add_trace(
            bar(
                x=names,
                y=found[key],
                name=label,
                marker_color=PALETTE[i],
                error_y={"array": found[f"{key}_conf"]},
            )
        )
    fig.update_xaxes(automargin=True, tickangle=-20)
    fig.update_yaxes(tickformat=".0%")
    return fig


def sweep_figures(sweep: Sweep, run: SweepRun, found: list[dict[str, Any]]) -> dict[str, Chart]:
    """Every figure of the sweep, by element id."""
    figures: dict[str, Chart] = {}
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


DESIGN_NAMES = {
    "grid": "Grid sweep",
    "oat": "One-at-a-time sweep",
    "morris": "Morris screening",
    "sobol": "Sobol sensitivity analysis",
    "qmc-sobol": "Quasi-random (Sobol sequence) sample",
    "lhs": "Latin hypercube sample",
}
INDEX_NAMES = {
    "mu_star": "mu* (mean absolute effect)",
    "sigma": "sigma (spread of the effect)",
    "mu_star_conf": "mu* 95% interval (+/-)",
    "S1": "first-order index S1",
    "ST": "total index ST",
    "S1_conf": "S1 95% interval (+/-)",
    "ST_conf": "ST 95% interval (+/-)",
}


def index_table(item: dict[str, Any]) -> dict[str, Any]:
    """One metric's indices for the page: columns named, Morris values in the metric's unit,
    Sobol shares as percentages."""
    keys = [k for k in item if k in INDEX_NAMES]
    metric = item["metric"]

    def shown(key: str, value: float) -> str:
        return numbers.share(value) if key.startswith("S") else metric_value(metric, value)

    return {
        "label": metric_label(metric),
        "columns": [INDEX_NAMES[k] for k in keys],
        "rows": [
            [input_label(name), name, [shown(k, item[k][i]) for k in keys]]
            for i, name in enumerate(item["parameters"])
        ],
    }


def sentence(text: str) -> str:
    """Text as a sentence: a capital first letter."""
    return text[:1].upper() + text[1:]


def headline(kind: str, finding: MetricFinding) -> str:
    """One metric's finding in words."""
    name = metric_label(finding.metric)
    if finding.constant:
        value = metric_value(finding.metric, finding.low)
        return sentence(f"{name} is {value} at every point: the sweep measured nothing for it")
    span = (
        f"{name} ranges from {metric_value(finding.metric, finding.low)} to "
        f"{metric_value(finding.metric, finding.high)}"
    )
    if finding.missing:
        span += f" ({numbers.count(finding.missing)} points with none: never)"
    if finding.top is None or finding.influence is None:
        return sentence(span)
    measure = INFLUENCE[kind]
    strength = (
        numbers.share(finding.influence)
        if kind in ("sobol", "lhs", "qmc-sobol")
        else metric_value(finding.metric, finding.influence)
    )
    return sentence(f"{span}; {input_label(finding.top)} moves it most ({measure}: {strength})")


def warnings(sweep: Sweep, run: SweepRun, findings: list[MetricFinding]) -> list[str]:
    """Visible warnings: metrics constant over the design, every point infeasible."""
    out = [
        sentence(
            f"{metric_label(f.metric)} is the same at every point: check the parameters' ranges "
            "and the target (a sweep that cannot move a metric says nothing about it)."
            + (INVEST_HINT if f.metric.startswith("invest.") else "")
        )
        for f in findings
        if f.constant
    ]
    if all_infeasible(sweep, run):
        out.append(
            "No point's supplemental meets the target of "
            f"{numbers.days(sweep.spec.sweep.target_days)} days: every point is infeasible, so "
            "the invest metrics compare best-achievable answers, not the cost of the target."
        )
    return out


def sweep_report(
    sweep: Sweep,
    run: SweepRun,
    found: list[dict[str, Any]],
    failed: list[dict[str, Any]],
    provenance: Mapping[str, Any] | None = None,
) -> str:
    """The self-contained sweep.html (`provenance` as recorded in indices.json, if any)."""
    study = validate_study(dict(sweep.base_data), str(sweep.base_path))
    meta = sweep.spec.sweep
    findings = metric_findings(sweep, run, found)
    names = [input_label(n) for n in run.design.names]
    return render_page(
        "sweep.html.j2",
        title=meta.name,
        figures=sweep_figures(sweep, run, found),
        inputs=assumption_rows(
            study.scenario, study.uncertain, overrides_of({"provenance": provenance})
        ),
        footer={
            "seed": meta.seed,
            "replications per point": meta.replications,
            "config sha256": sweep.base_sha256,
        },
        design=DESIGN_NAMES.get(meta.design, meta.design),
        points=len(run.design.points),
        swept=names,
        headlines=[headline(run.design.kind, f) for f in findings],
        warnings=warnings(sweep, run, findings),
        parameters=[_parameter_row(sweep, n) for n in run.design.names],
        metrics=meta.metrics,
        indices=[index_table(item) for item in found],
        failed=failed[:200],
        failed_count=len(failed),
        base=sweep.base_path.name,
    )


def _parameter_row(sweep: Sweep, name: str) -> dict[str, Any]:
    parameter = sweep.spec.parameters[name]
    return {
        "label": input_label(name),
        "path": name,
        "unit": input_unit(name),
        "low": parameter.low,
        "high": parameter.high,
        "steps": parameter.steps,
        "choices": parameter.values,
    }
