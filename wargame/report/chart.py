"""Charts as the JSON plotly.js draws: a list of traces and a layout, as plain dicts.

plotly's Python figure objects validate and deep-copy every property on every update: that was
70 ms of a Monte Carlo report, more than half of a 20,000-replication run's time outside the
engine. The reports build the figure JSON directly with the few plotly calls they use, with
plotly's meaning: "magic underscores" (`marker_color=` is `marker={"color": ...}`), updates that
merge nested properties and replace anything else, `None` that removes a property, and
`add_vline` placing its line and label as plotly does. tests/test_chart.py checks each against
plotly's own objects. Every chart carries plotly's "plotly_white" template, vendored as JSON
(vendor/plotly-white.json; scripts/vendor-plotly.sh refreshes it) so that no report loads plotly.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from typing import Any

Trace = dict[str, Any]
Props = Mapping[str, Any]

TEMPLATE = "plotly-white.json"
# plotly property names that hold an underscore: not paths (error bars; no report uses others)
UNDERSCORED = ("error_x", "error_y")
_AXES = {"x": re.compile(r"xaxis\d*$"), "y": re.compile(r"yaxis\d*$")}
# add_vline's label: which side of the line (xanchor) and which end (y, yanchor), as plotly
_VLINE_LABEL = {
    "top right": ("left", 1, "top"),
    "top left": ("right", 1, "top"),
    "bottom right": ("left", 0, "bottom"),
    "bottom left": ("right", 0, "bottom"),
}


@cache
def template() -> dict[str, Any]:
    """plotly's "plotly_white" template, as plotly writes it into a figure's layout."""
    text = (resources.files("wargame.report") / "vendor" / TEMPLATE).read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def trace(kind: str, **props: Any) -> Trace:
    """A trace of plotly type `kind` ("scatter", "bar", "heatmap") with `props`."""
    out: Trace = {"type": kind}
    update(out, props)
    return out


def scatter(**props: Any) -> Trace:
    """A scatter trace (lines, markers, filled areas)."""
    return trace("scatter", **props)


def bar(**props: Any) -> Trace:
    """A bar trace."""
    return trace("bar", **props)


def heatmap(**props: Any) -> Trace:
    """A heatmap trace."""
    return trace("heatmap", **props)


def path(key: str) -> list[str]:
    """A property name as its path: "marker_line_color" is marker > line > color."""
    for name in UNDERSCORED:
        if key == name or key.startswith(name + "_"):
            rest = key[len(name) + 1 :]
            return [name, *rest.split("_")] if rest else [name]
    return key.split("_")


def update(target: dict[str, Any], props: Props) -> dict[str, Any]:
    """Set `props` on `target` as plotly's update does: a dict merges into the property's dict,
    anything else (a list too) replaces it, None removes it. Values are copied where they are
    dicts, never shared with the caller."""
    for key, value in props.items():
        *parents, last = path(key)
        node = target
        for name in parents:
            node = node.setdefault(name, {})
        if value is None:
            node.pop(last, None)
        elif last == "title" and isinstance(value, str):  # plotly's shorthand for a title's text
            node[last] = update(node.get(last) or {}, {"text": value})
        elif isinstance(value, Mapping):
            child = node.get(last)
            node[last] = update(child if isinstance(child, dict) else {}, value)
        else:
            node[last] = value
    return target


class Chart:
    """A plotly figure as data: `data` (the traces) and `layout`, both plain JSON values."""

    def __init__(self, data: Iterable[Trace] = (), layout: Props | None = None) -> None:
        self.data: list[Trace] = list(data)
        self.layout: dict[str, Any] = update({}, layout or {})

    def add_trace(self, new: Trace) -> Chart:
        """Draw `new` above the traces before it."""
        self.data.append(new)
        return self

    def update_layout(self, **props: Any) -> Chart:
        """Set layout properties (magic underscores allowed: `margin_t=...`)."""
        update(self.layout, props)
        return self

    def update_xaxes(self, **props: Any) -> Chart:
        """Set properties on every x axis (the one there is, when none is set yet)."""
        return self._update_axes("x", props)

    def update_yaxes(self, **props: Any) -> Chart:
        """Set properties on every y axis."""
        return self._update_axes("y", props)

    def _update_axes(self, letter: str, props: Props) -> Chart:
        names = [name for name in self.layout if _AXES[letter].match(name)]
        for name in names or [f"{letter}axis"]:
            update(self.layout.setdefault(name, {}), props)
        return self

    def add_annotation(self, **props: Any) -> Chart:
        """A text label (plotly's annotation properties)."""
        self.layout.setdefault("annotations", []).append(update({}, props))
        return self

    def add_vline(
        self,
        x: float,
        *,
        annotation_text: str | None = None,
        annotation_position: str = "top right",
        **line: Any,
    ) -> Chart:
        """A vertical line at `x` across the plot (`line_dash=`, `line_color=`...), labelled
        `annotation_text` at `annotation_position` ("top right", "bottom left"...)."""
        shape = {"type": "line", "x0": x, "x1": x, "xref": "x", "y0": 0, "y1": 1}
        self.layout.setdefault("shapes", []).append(update(shape | {"yref": "y domain"}, line))
        if annotation_text is not None:
            xanchor, y, yanchor = _VLINE_LABEL[annotation_position]
            self.add_annotation(
                showarrow=False,
                text=annotation_text,
                x=x,
                xanchor=xanchor,
                xref="x",
                y=y,
                yanchor=yanchor,
                yref="y domain",
            )
        return self

    def to_plotly_json(self) -> dict[str, Any]:
        """The figure as plotly.js reads it: {"data": [...], "layout": {...}}."""
        return {"data": self.data, "layout": self.layout}
