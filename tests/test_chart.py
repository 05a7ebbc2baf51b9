"""report/chart.py writes the figure JSON that plotly's own objects write, for every call the
reports make: so the reports draw as before without loading plotly."""

from __future__ import annotations

import json
import math
from typing import Any

import plotly.graph_objects as go
import plotly.io as pio
import pytest

from wargame.report.chart import Chart, bar, heatmap, scatter, template
from wargame.report.figures import LAYOUT, use_template
from wargame.report.html import figure_json


def written(fig: Chart) -> Any:
    """What a report page holds for `fig`."""
    return json.loads(figure_json(use_template(fig)))


def plotly_written(fig: go.Figure) -> Any:
    """What plotly writes for the same figure, with the same template."""
    fig.update_layout(template=pio.templates["plotly_white"])
    return json.loads(pio.to_json(fig, remove_uids=True))


def test_the_template_is_plotly_whites_as_plotly_writes_it() -> None:
    expected = go.Layout(template=pio.templates["plotly_white"]).template.to_plotly_json()
    assert template() == json.loads(json.dumps(expected))  # refresh: scripts/vendor-plotly.sh


def test_traces_with_magic_underscores_nested_properties_and_error_bars() -> None:
    props: dict[str, Any] = {
        "x": [0, 1, 2],
        "y": [3.5, 2, 1],
        "name": "stock",
        "mode": "lines",
        "line": {"color": "#123456", "dash": "dot"},
        "marker_color": "#c0392b",
        "marker_line_width": 2,
        "error_y": {"type": "data", "array": [1, 2, 3]},
        "error_x_array": [0.5, 0.5, 0.5],
        "showlegend": False,
    }
    chart = Chart([scatter(**props), bar(x=["a"], y=[1], marker_color="#999")])
    figure = go.Figure([go.Scatter(**props), go.Bar(x=["a"], y=[1], marker_color="#999")])
    assert written(chart) == plotly_written(figure)


def test_a_heatmap_and_a_figure_built_with_its_layout() -> None:
    layout = {"title": "money", "xaxis_title": "day", "height": 380, "legend": {"y": -0.2}}
    z = [[0.0, 0.5], [1.0, None]]
    stops = [[0, "#fff"], [1, "#000"]]
    chart = Chart([heatmap(z=z, colorscale=stops, colorbar={"title": "share"})], layout)
    figure = go.Figure([go.Heatmap(z=z, colorscale=stops, colorbar={"title": "share"})], layout)
    assert written(chart) == plotly_written(figure)


def test_layout_updates_merge_replace_and_remove_as_plotly_does() -> None:
    chart, figure = Chart(), go.Figure()
    for fig in (chart, figure):
        fig.update_layout(**LAYOUT)
        fig.update_layout(title_text="Inventory", xaxis_title="day", yaxis_title="missiles")
        fig.update_layout(margin_t=140, height=460, legend={"x": 0.5})  # merged, not replaced
        fig.update_xaxes(range=[0, 10], dtick=1)
        fig.update_xaxes(dtick=None)  # None removes
        fig.update_yaxes(range=[0, 1.02], tickformat=".0%")
    assert written(chart) == plotly_written(figure)
    assert written(chart)["layout"]["margin"] == {"l": 70, "r": 30, "t": 140, "b": 100}


def test_axes_updates_on_a_new_figure_create_the_axis() -> None:
    chart, figure = Chart(), go.Figure()
    for fig in (chart, figure):
        fig.update_yaxes(automargin=True)
        fig.update_xaxes(type="category", tickangle=-20)
    assert written(chart) == plotly_written(figure)


@pytest.mark.parametrize("position", ["top right", "top left", "bottom right", "bottom left"])
def test_a_vertical_line_and_its_label_where_plotly_places_them(position: str) -> None:
    chart, figure = Chart([scatter(x=[0, 9], y=[0, 1])]), go.Figure(go.Scatter(x=[0, 9], y=[0, 1]))
    for fig in (chart, figure):
        fig.add_vline(x=0, line_dash="dot", line_color="#555")  # unlabelled
        fig.add_vline(
            x=7,
            line_dash="dot",
            line_color="#555",
            annotation_text="target day 7",
            annotation_position=position,
        )
        fig.add_annotation(
            x=3, y=0, text="out on day 3", showarrow=False, font={"color": "#c0392b"}
        )
    assert written(chart) == plotly_written(figure)


def test_not_a_number_is_written_as_null_as_plotly_writes_it() -> None:
    values = [1.0, math.nan, math.inf]
    chart, figure = Chart([scatter(y=values)]), go.Figure(go.Scatter(y=values))
    assert written(chart) == plotly_written(figure)
    assert written(chart)["data"][0]["y"] == [1.0, None, None]


def test_a_list_replaces_the_list_before_it() -> None:
    """Unlike plotly's update (element by element, so that [] changes nothing): the deliveries
    chart takes its zoom buttons away with updatemenus=[]."""
    chart = Chart().update_layout(updatemenus=[{"type": "buttons", "buttons": []}])
    chart.update_layout(updatemenus=[])
    assert chart.layout["updatemenus"] == []


def test_a_chart_is_script_safe_text() -> None:
    text = figure_json(Chart([scatter(x=[0], y=[1], name="</script><!--")]))
    assert "</script>" not in text and "<!--" not in text
    assert json.loads(text)["data"][0]["name"] == "</script><!--"
