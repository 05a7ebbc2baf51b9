"""Static images (png, svg, pdf) of a report's charts, read back from the page's embedded figure
JSON (`<script type="application/json" id="figure-data-NAME">`) and drawn by plotly's kaleido
in the system's headless Chromium (Debian's chromium-headless-shell; nothing is downloaded).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
import shutil
from typing import Any

from wargame.errors import InputError

BROWSERS = ("chromium-headless-shell", "chromium", "chromium-browser", "google-chrome")
BROWSER_ENV = "WARGAME_BROWSER"  # an explicit browser, as for the report tests
WIDTH, HEIGHT = 1000, 560  # pixels (png) or points (svg, pdf): a page-wide memo figure
PNG_SCALE = 2  # 2000 x 1120 pixels: sharp when printed
# A browser session that stops answering (seen once, on a machine running two test suites) is
# given up after this long rather than hanging the command (exit 2, one line).
DRAW_SECONDS = 300.0
FIGURE = re.compile(
    r'<script type="application/json" id="figure-data-([^"]+)">(.*?)</script>', re.S
)
UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")  # what a chart's name may not carry into a file name


def report_figures(html: str) -> dict[str, dict[str, Any]]:
    """Each embedded figure of a report page, by name (safe as part of a file name), as plotly
    figure JSON."""
    return {UNSAFE.sub("-", name): json.loads(body) for name, body in FIGURE.findall(html)}


def find_browser() -> str | None:
    """The headless Chromium to draw with: $WARGAME_BROWSER, else the first on PATH."""
    explicit = os.environ.get(BROWSER_ENV)
    if explicit:
        return explicit if shutil.which(explicit) else None
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


def draw(figures: dict[str, dict[str, Any]], formats: list[str]) -> dict[str, bytes]:
    """Every figure in every format, as "NAME.FORMAT" -> bytes, in one browser session."""
    browser = find_browser()
    if browser is None:
        raise InputError(
            "no headless Chromium for png/svg/pdf: install it with `make browser` "
            "(apt-get install chromium-headless-shell), or set WARGAME_BROWSER"
        )
    try:
        return asyncio.run(asyncio.wait_for(_draw_all(browser, figures, formats), DRAW_SECONDS))
    except Exception as exc:  # the browser is another program: its failure is one line, exit 2
        reason = (
            f"no answer in {DRAW_SECONDS:g} s"
            if isinstance(exc, TimeoutError)
            else str(exc.args[0] if exc.args else exc).splitlines()[0]
        )
        raise InputError(
            f"{browser}: could not draw the charts ({reason}); `make browser` installs "
            "chromium-headless-shell"
        ) from None


async def _draw_all(
    browser: str, figures: dict[str, dict[str, Any]], formats: list[str]
) -> dict[str, bytes]:
    import kaleido  # imported here: starting it is only for exports

    out: dict[str, bytes] = {}
    # mathjax=False: no MathJax from a CDN (the charts use no TeX); plotly.js is the local one
    async with kaleido.Kaleido(path=browser, mathjax=False) as session:
        for name, figure in figures.items():
            for index, trace in enumerate(figure.get("data", [])):
                trace.setdefault("uid", f"{name}-{index}")  # else plotly draws a random one
            for fmt in formats:
                opts = {"format": fmt, "width": WIDTH, "height": HEIGHT}
                if fmt == "png":
                    opts["scale"] = PNG_SCALE
                drawn = await session.calc_fig(figure, opts=opts)
                out[f"{name}.{fmt}"] = stable(fmt, drawn, name)
    return out


SVG_UID = re.compile(rb'<defs id="defs-([0-9a-f]{6})"')
PDF_DATES = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}")


def stable(fmt: str, data: bytes, name: str) -> bytes:
    """The image without what changes from one drawing to the next, so the same folder exports
    the same bytes: plotly's random id in an SVG's clip paths (made from the chart's name
    instead) and a PDF's dates (set to 2000-01-01, the same length, so offsets still hold)."""
    if fmt == "svg" and (found := SVG_UID.search(data)):
        uid = hashlib.sha256(name.encode()).hexdigest()[:6].encode()
        return data.replace(found.group(1), uid)
    if fmt == "pdf":
        return PDF_DATES.sub(rb"/\1 (D:20000101000000", data)
    return data
