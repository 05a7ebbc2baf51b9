"""Opening reports in a real headless Chromium (Playwright with the system browser): the fixture,
page loading with every script error collected, and what each chart shows, read from plotly."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

BROWSERS = ("chromium-headless-shell", "chromium", "chromium-browser")

# Per chart: its id, x range, traces with data, and every label's box against the chart's box.
CHART_STATE = """
() => Array.from(document.querySelectorAll('.chart')).map((gd) => {
  const box = gd.querySelector('.main-svg').getBoundingClientRect();
  const labels = gd.querySelectorAll(
    '.g-gtitle text, .g-xtitle text, .g-ytitle text, .xtick text, .ytick text, .legend text');
  const outside = [];
  for (const label of labels) {
    const r = label.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1
        || r.bottom > box.bottom + 1) outside.push(label.textContent);
  }
  const filled = gd.data.filter((t) => ['x', 'y', 'z'].some(
    (k) => Array.isArray(t[k]) && t[k].some((v) => v !== null && (!Array.isArray(v) || v.length))));
  return {
    id: gd.id,
    xrange: gd._fullLayout.xaxis.range,
    xtitle: gd._fullLayout.xaxis.title.text,
    ytitle: gd._fullLayout.yaxis.title.text,
    traces: gd.data.length,
    filled: filled.length,
    outside: outside,
    buttons: Array.from(gd.querySelectorAll('.updatemenu-button')).map((b) => b.textContent),
    config: {cloud: gd._context.showSendToCloud, editor: gd._context.showEditInChartStudio,
             logo: gd._context.displaylogo},
  };
})
"""


def find_browser() -> str | None:
    explicit = os.environ.get("WARGAME_BROWSER")
    if explicit:
        return explicit
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A headless Chromium driven by Playwright; skips (or fails in CI) when there is none."""
    executable = find_browser()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is a dev dependency
        executable = None
    if executable is None:
        message = (
            "no headless Chromium: install Debian's chromium-headless-shell "
            "(`make browser`, or apt-get install chromium-headless-shell)"
        )
        if os.environ.get("WARGAME_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=executable, args=["--no-sandbox", "--disable-gpu"]
        )
        yield instance
        instance.close()


def open_report(browser: Any, path: Path, charts: int = 3) -> tuple[Any, list[str]]:
    """Open a report file; collect script errors, console errors, dialogs and remote requests."""
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    problems: list[str] = []

    def on_console(message: Any) -> None:
        if message.type == "error":
            problems.append(f"console: {message.text}")

    def on_dialog(dialog: Any) -> None:
        problems.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    def on_request(request: Any) -> None:
        if not request.url.startswith(("file:", "data:", "blob:")):
            problems.append(f"request: {request.url}")

    page.on("pageerror", lambda exc: problems.append(f"script error: {exc}"))
    page.on("console", on_console)
    page.on("dialog", on_dialog)
    page.on("request", on_request)
    page.goto(path.as_uri())
    page.wait_for_function(
        f"document.querySelectorAll('.chart .main-svg').length >= {charts}", timeout=20_000
    )
    return page, problems


def chart_state(page: Any) -> dict[str, dict[str, Any]]:
    """What every chart on the page shows, by element id."""
    return {chart["id"]: chart for chart in page.evaluate(CHART_STATE)}


def write(path: Path, text: str) -> Path:
    """Write a report's text to `path` and return the path."""
    path.write_text(text, encoding="utf-8")
    return path
