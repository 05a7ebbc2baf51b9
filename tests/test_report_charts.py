"""What the charts show, in a real browser: time axes that fit the action with the whole horizon a
click away, no cloud-share or editor button, no empty figure, every label inside its chart,
values on heat-map cells, probabilities on a fixed 0-1 scale, invest under uncertainty, print."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import tomlkit

from tests.conftest import REPO
from tests.report_browser import browser, chart_state, open_report, write
from wargame.config.loading import load_scenario, load_study
from wargame.investing import invest_scenario
from wargame.report.chart import Chart, scatter
from wargame.report.figures import depletion_levels, styled
from wargame.report.html import figure_json, plotly_js
from wargame.runner import run_scenario, run_study
from wargame.sweep.command import sweep_outputs
from wargame.sweep.loading import load_sweep

__all__ = ["browser"]

CONFIGS = REPO / "configs"
pytestmark = pytest.mark.browser


def assert_memo_ready(charts: dict[str, dict[str, Any]]) -> None:
    """No empty figure, no label outside its chart, no share or editor button."""
    for name, chart in charts.items():
        assert chart["filled"] >= 1, f"{name} is empty"
        assert chart["outside"] == [], f"{name}: labels outside the chart {chart['outside']}"
        assert chart["config"]["cloud"] is False and chart["config"]["logo"] is False, name
        assert "." not in (chart["xtitle"] or "").replace("...", ""), name  # no dotted path


def test_the_default_monte_carlo_charts_zoom_to_the_war(browser: Any, tmp_path: Path) -> None:
    output = run_study(load_study(CONFIGS / "tomahawk-wargame.toml"), 300, "vector")
    days = output.montecarlo.outcomes.munitions[0].days_to_depletion
    last = float(np.max(days[np.isfinite(days)]))
    page, problems = open_report(
        browser, write(tmp_path / "report.html", output.files["report.html"]), 5
    )
    charts = chart_state(page)
    assert_memo_ready(charts)
    for name in ("chart-fan", "chart-survival", "chart-inventory", "chart-fire"):
        low, high = charts[name]["xrange"]
        assert low <= 0 and last < high < 365 / 10, (name, charts[name]["xrange"])
        assert len(charts[name]["buttons"]) == 2 and charts[name]["buttons"][1] == "whole horizon"
    # the whole horizon is a click away
    page.locator("#chart-fan .updatemenu-button").nth(1).click()
    page.wait_for_timeout(300)
    assert chart_state(page)["chart-fan"]["xrange"] == [0, 365]
    assert page.locator("#chart-deliveries").count() == 0
    assert "No deliveries chart" in page.locator(".empty-chart").inner_text()
    assert problems == []
    page.close()


def test_no_mode_bar_button_uploads_or_edits(browser: Any, tmp_path: Path) -> None:
    html = run_scenario(load_scenario(CONFIGS / "taiwan-fleet.toml")).files["report.html"]
    page, problems = open_report(browser, write(tmp_path / "report.html", html), 6)
    titles: list[str] = []
    for chart in page.locator(".chart").all():
        chart.hover()
        titles += [b.get_attribute("data-title") or "" for b in chart.locator(".modebar-btn").all()]
    assert "Download plot as a PNG" in titles  # the mode bar is there...
    assert not [t for t in titles if "cloud" in t.lower() or "chart studio" in t.lower()]
    assert not [t for t in titles if "plotly" in t.lower()]  # ...without the logo link
    assert_memo_ready(chart_state(page))
    headline = page.locator(".finding").first.inner_text()
    assert (
        "2,911 demanded shots were lost to launch limits in the first week (days 1-6)" in headline
    )
    assert problems == []
    page.close()


def test_invest_without_and_with_starts_near_the_war_and_shows_the_risk(
    browser: Any, tmp_path: Path
) -> None:
    config = CONFIGS / "tomahawk-wargame.toml"
    sets = ("scenario.warning_days=1460",)
    pages = {}
    for risk in (None, 0.05):
        output = invest_scenario(config, sets, 14.0, risk, tmp_path / str(risk))
        path = write(tmp_path / f"invest-{risk}.html", output.files["invest.html"])
        page, problems = open_report(browser, path, 4)
        charts = chart_state(page)
        assert_memo_ready(charts)
        low, high = charts["chart-before-after"]["xrange"]
        assert -60 < low <= 0 < 14 < high, charts["chart-before-after"]["xrange"]
        assert charts["chart-before-after"]["buttons"][1] == "whole period"
        block = output.summary["uncertainty"]
        chance = page.locator("#chance").inner_text()
        assert "of 4,000 fresh replications" in chance
        pages[risk] = (
            page.locator("#uncertainty").get_attribute("class"),
            page.locator("#fitted").inner_text(),
            block,
        )
        assert "Distribution" not in page.locator("#assumptions").inner_text()
        assert (
            "uniform (low 3,000, high 4,000); median 3,500"
            in page.locator("#assumptions").inner_text()
        )
        assert problems == []
        page.close()
    assert pages[None][0] == "median-plan" and pages[0.05][0] == "risk-fitted"
    assert "fitted to the inputs' medians" in pages[None][1]
    assert "Fitted to an accepted risk of 5.0%" in pages[0.05][1]
    assert pages[0.05][2]["p_out_before_target"] < pages[None][2]["p_out_before_target"]


def sweep_file(tmp_path: Path, design: str, metrics: list[str], parameters: dict[str, Any]) -> Path:
    spec = tmp_path / f"{design}.toml"
    spec.write_text(
        tomlkit.dumps(
            {
                "sweep": {
                    "name": f"{design} sweep",
                    "base": str(CONFIGS / "tomahawk-wargame.toml"),
                    "design": design,
                    "replications": 100,
                    "trajectories": 3,
                    "target_days": 365,  # the invest metrics' target: no point can meet it
                    "metrics": metrics,
                },
                "parameters": parameters,
            }
        )
    )
    return spec


def test_sweep_heat_maps_carry_values_names_and_a_fixed_probability_scale(
    browser: Any, tmp_path: Path
) -> None:
    spec = sweep_file(
        tmp_path,
        "grid",
        [
            "tomahawk.days_to_depletion.p50",
            "tomahawk.days_to_depletion.p_depleted_by",
            "invest.feasible",
        ],
        {
            "munitions.tomahawk.inventory": {"values": [3000, 4000]},
            "munitions.tomahawk.firing.0.rate_per_day": {"values": [200, 600]},
        },
    )
    output = sweep_outputs(load_sweep(spec), tmp_path / "out", [], None, 1, None)
    page, problems = open_report(
        browser, write(tmp_path / "sweep.html", str(output.files["sweep.html"])), 3
    )
    charts = chart_state(page)
    assert_memo_ready(charts)
    chance = charts["chart-heat-tomahawk-days_to_depletion-p_depleted_by"]
    assert chance["xtitle"] == "Tomahawk: stock on the decision day<br>(missiles)"
    zrange = page.evaluate(
        "(() => { const t = document.getElementById("
        "'chart-heat-tomahawk-days_to_depletion-p_depleted_by')._fullData[0];"
        " return [t.zmin, t.zmax]; })()"
    )
    assert zrange == [0, 1]
    cells = page.locator("#chart-heat-tomahawk-days_to_depletion-p50 .heatmap-label text")
    assert cells.count() == 4 and all(t.strip() for t in cells.all_text_contents())
    shares = page.locator(
        "#chart-heat-tomahawk-days_to_depletion-p_depleted_by .heatmap-label text"
    ).all_text_contents()
    assert set(shares) <= {"0%", "100%"} and "100%" in shares
    headline = page.locator("#swept").inner_text()
    assert "Tomahawk: stock on the decision day" in headline
    findings = page.locator(".finding").all_inner_texts()
    assert "Tomahawk firing phase 1: shots demanded per day moves it most" in findings[0]
    warnings = page.locator(".sweep-warning").all_inner_texts()
    assert any("every point is infeasible" in w for w in warnings)
    assert problems == []
    page.close()


@pytest.mark.parametrize("design", ["oat", "morris"])
def test_tornado_and_morris_labels_stay_inside_the_chart(
    browser: Any, tmp_path: Path, design: str
) -> None:
    spec = sweep_file(
        tmp_path,
        design,
        ["tomahawk.days_to_depletion.mean"],
        {
            "munitions.tomahawk.inventory": {"low": 3000, "high": 4000},
            "munitions.tomahawk.firing.0.rate_per_day": {"low": 184, "high": 600},
        },
    )
    output = sweep_outputs(load_sweep(spec), tmp_path / "out", [], None, 1, None)
    page, problems = open_report(
        browser, write(tmp_path / "sweep.html", str(output.files["sweep.html"])), 1
    )
    charts = chart_state(page)
    assert_memo_ready(charts)
    # the Morris points' labels too: every text in the plot inside the chart's box
    outside = page.evaluate(
        "Array.from(document.querySelectorAll('.chart')).flatMap((gd) => {"
        " const box = gd.querySelector('.main-svg').getBoundingClientRect();"
        " return Array.from(gd.querySelectorAll('.textpoint text, .ytick text')).filter((t) => {"
        " const r = t.getBoundingClientRect();"
        " return r.left < box.left || r.right > box.right; }).map((t) => t.textContent); })"
    )
    assert outside == []
    finding = page.locator(".finding").first.inner_text()
    assert "Tomahawk firing phase 1: shots demanded per day moves it most" in finding
    assert problems == []
    page.close()


def test_the_print_stylesheet_hides_mode_bars_and_shadows(browser: Any, tmp_path: Path) -> None:
    html = run_scenario(load_scenario(CONFIGS / "tomahawk-sm6.toml")).files["report.html"]
    page, problems = open_report(browser, write(tmp_path / "report.html", html), 3)
    page.set_viewport_size({"width": 720, "height": 1000})  # about A4's printable width
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    page.wait_for_timeout(300)
    boxes = page.evaluate(
        "Array.from(document.querySelectorAll('.chart')).map((c) => {"
        " const r = c.getBoundingClientRect(); return [r.top, r.bottom, r.right]; })"
    )
    for (_, bottom, _), (top, _, _) in itertools.pairwise(boxes):
        assert bottom <= top + 1  # charts keep their height and do not overlap
    assert all(b - t > 300 and r <= 720 for t, b, r in boxes)  # and fit the paper's width
    page.locator(".chart").first.hover()
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.modebar-container')).display")
        == "none"
    )
    assert page.evaluate("getComputedStyle(document.querySelector('section')).boxShadow") == "none"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    assert problems == []
    page.close()


def test_out_on_day_labels_a_day_apart_stack_and_far_ones_share_the_first_row() -> None:
    """Each label takes the lowest row no label within `near` days holds."""
    assert depletion_levels([6.0, 6.0, 7.0], near=1.5) == [0, 1, 2]
    assert depletion_levels([6.0, 20.0, 7.0], near=1.5) == [0, 0, 1]
    assert depletion_levels([6.0, 8.0, 10.0], near=2.5) == [0, 1, 0]
    assert depletion_levels([], near=1.0) == []


@pytest.mark.parametrize(("groups", "per_group"), [(10, 2), (18, 1)])
def test_a_long_legend_stays_under_the_title(
    browser: Any, tmp_path: Path, groups: int, per_group: int
) -> None:
    """Ten classes' bands and lines (grouped, as the force's chart draws them) or eighteen fan
    entries: the top margin grows with the legend's rows, so no row reaches the title."""
    fig = Chart()
    for g in range(groups):
        for kind in ("5th-95th percentile", "hulls")[:per_group]:
            fig.add_trace(
                scatter(x=[0, 1], y=[g, g + 1], name=f"Class {g:02d} {kind}", legendgroup=str(g))
            )
    styled(fig, "Inventory by year against the goal", "year", "hulls")
    figure = json.dumps(figure_json(fig))  # a JS string holding the JSON
    page_text = (
        '<html><body style="margin:0"><main style="max-width:1100px;padding:0 2rem">'
        '<div class="chart" id="chart-legend"></div></main>'
        f"<script>{plotly_js()}</script><script>const fig = JSON.parse({figure});"
        "Plotly.newPlot('chart-legend', fig.data, fig.layout);</script></body></html>"
    )
    page, problems = open_report(browser, write(tmp_path / "legend.html", page_text), 1)
    title_bottom, legend_top = page.evaluate(
        "[document.querySelector('.g-gtitle text').getBoundingClientRect().bottom,"
        " Math.min(...Array.from(document.querySelectorAll('.legend text'))"
        "   .map((t) => t.getBoundingClientRect().top))]"
    )
    assert legend_top >= title_bottom
    assert problems == []
    page.close()
