"""One self-contained HTML page per run: plotly.js inlined once, every config string escaped."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

import jinja2
import plotly.graph_objects as go
import plotly.io as pio
from plotly.offline import get_plotlyjs

from wargame import __version__
from wargame.config.inputs import InputRow

# Characters that could end a <script> block or confuse an HTML parser, as JSON escapes.
_JSON_SCRIPT_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def format_number(value: float | int | bool | str) -> str:
    """A number for a table: thousands separators, at most two decimals, switches as words
    (text, such as a distribution, as it is)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}"


@cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("wargame.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["number"] = format_number
    return env


def figure_json(fig: go.Figure) -> str:
    """The figure as JSON safe to place inside a <script> element."""
    text: str = pio.to_json(fig, validate=False, remove_uids=True)
    for char, escape in _JSON_SCRIPT_ESCAPES.items():
        text = text.replace(char, escape)
    return text


def render_page(
    template: str,
    *,
    title: str,
    figures: Mapping[str, go.Figure],
    inputs: list[InputRow],
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
            footer={"wargame version": __version__, **footer},
            plotly_js=get_plotlyjs(),
            **context,
        )
    )
