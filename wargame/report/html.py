"""One self-contained HTML page per run: plotly.js inlined once, every config string escaped.

The page inlines plotly.js's cartesian bundle (vendor/plotly-cartesian.min.js, ~1.5 MB: scatter,
bar, heatmap, histogram...) rather than the full bundle the plotly package ships (~4.8 MB);
scripts/vendor-plotly.sh refreshes it. Every number a person reads goes through wargame.numbers.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any

import jinja2
import numpy as np

from wargame import __version__, numbers
from wargame.report.assumptions import AssumptionRow, cell
from wargame.report.chart import Chart

BUNDLE = "plotly-cartesian.min.js"

# Characters that could end a <script> block or confuse an HTML parser, as JSON escapes.
_JSON_SCRIPT_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}

# plotly's mode bar: no upload to a cloud service or its editor (a leak risk for defence
# users), no plotly logo, no selection tools (nothing in a report reacts to a selection).
PLOTLY_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "responsive": True,
    "showSendToCloud": False,
    "showEditInChartStudio": False,
    "modeBarButtonsToRemove": ["sendDataToCloud", "editInChartStudio", "select2d", "lasso2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


@cache
def plotly_js() -> str:
    """The vendored partial plotly.js bundle (with its MIT licence header)."""
    return (resources.files("wargame.report") / "vendor" / BUNDLE).read_text(encoding="utf-8")


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("wargame.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["number"] = cell
    env.filters["count"] = numbers.count
    env.filters["usd"] = numbers.usd
    env.filters["days"] = numbers.days
    env.filters["share"] = numbers.share
    return env


def figure_json(fig: Chart) -> str:
    """The figure as JSON safe to place inside a <script> element: strict JSON (a NaN or an
    infinity is null, as plotly writes it), numpy values as plain numbers."""
    text = json.dumps(fig.to_plotly_json(), separators=(",", ":"), default=_plain)
    if "NaN" in text or "Infinity" in text:  # maybe inside a string: then nothing changes
        text = json.dumps(json.loads(text, parse_constant=lambda _: None), separators=(",", ":"))
    return script_safe(text)


def _plain(value: object) -> object:
    """A numpy array or number as the list or number JSON writes."""
    if isinstance(value, np.ndarray | np.generic):
        return value.tolist()
    raise TypeError(f"not JSON: {type(value).__name__}")


def script_safe(text: str) -> str:
    """JSON text that cannot end a <script> element."""
    for char, escape in _JSON_SCRIPT_ESCAPES.items():
        text = text.replace(char, escape)
    return text


def render_page(
    template: str,
    *,
    title: str,
    figures: Mapping[str, Chart],
    inputs: Sequence[AssumptionRow],
    footer: Mapping[str, Any],
    **context: Any,
) -> str:
    """Render `template` with the figures embedded and plotly.js inlined once."""
    return (
        _environment()
        .get_template(template)
        .render(
            title=title,
            figures={name: figure_json(fig) for name, fig in figures.items()},
            inputs=inputs,
            overridden=sum(1 for row in inputs if row.override),
            footer={"wargame version": __version__, **footer},
            plotly_js=plotly_js(),
            plotly_config=script_safe(json.dumps(PLOTLY_CONFIG)),
            **context,
        )
    )
