"""The HTML report: self-contained, escaped, and rendered by a real headless browser."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from plotly.offline import get_plotlyjs

from tests.conftest import ISSUE_EXAMPLE, build
from tests.report_browser import browser, open_report
from wargame.config.loading import load_scenario, load_study
from wargame.investing import invest_scenario
from wargame.report.html import plotly_js
from wargame.runner import run_scenario, run_study
from wargame.sweep.command import sweep_outputs

__all__ = ["browser"]  # the fixture, shared with the other report tests

HOSTILE = '</script><script>alert("x")</script><img src=x onerror=alert(1)>'
FULL_BUNDLE_BYTES = 4_000_000  # plotly's full plotly.min.js is about 4.8 MB


def hostile_report() -> str:
    text = ISSUE_EXAMPLE.replace(
        'name = "Tomahawk, wargame intensity"', f"name = '{HOSTILE}'\ndescription = '{HOSTILE}'"
    )
    text += f"\n[munitions.tomahawk.sources]\ninventory = '{HOSTILE}'\n"
    return run_scenario(build(tomllib.loads(text))).files["report.html"]


def test_plotly_is_inlined_once_and_nothing_is_fetched(example_file: Path) -> None:
    html = run_scenario(load_scenario(example_file)).files["report.html"]
    bundle = plotly_js()
    assert bundle.startswith("/**\n* plotly.js (cartesian - minified)")  # with its MIT header
    assert "Licensed under the MIT license" in bundle[:300]
    assert html.count(bundle) == 1
    assert get_plotlyjs()[:200] not in html  # not the full bundle as well
    assert "<script src" not in html and "<link" not in html
    assert "cdn.plot.ly" not in html.replace(bundle, "")


def test_the_report_is_a_third_of_the_full_bundle(example_file: Path) -> None:
    html = run_scenario(load_scenario(example_file)).files["report.html"]
    assert len(get_plotlyjs()) > FULL_BUNDLE_BYTES
    assert len(html.encode()) < FULL_BUNDLE_BYTES / 2


def test_config_strings_are_escaped() -> None:
    html = hostile_report()
    assert HOSTILE not in html
    assert "onerror=alert(1)>" not in html
    assert "&lt;/script&gt;" in html  # the name as text in the page


@pytest.mark.browser
@pytest.mark.parametrize(
    ("config", "charts", "munitions"),
    [
        ("tomahawk-sm6.toml", 3, 2),
        ("taiwan-fleet.toml", 9, 1),  # the yard adds the force's 3 charts
        ("ssn-force.toml", 9, 2),
    ],
)
def test_report_renders_every_chart_without_errors(
    browser: Any, tmp_path: Path, config: str, charts: int, munitions: int
) -> None:
    configs = Path(__file__).resolve().parents[1] / "configs"
    path = tmp_path / "report.html"
    path.write_text(run_scenario(load_scenario(configs / config)).files["report.html"])
    page, problems = open_report(browser, path, charts)
    found = page.locator(".chart")
    assert found.count() == charts
    for i in range(found.count()):
        chart = found.nth(i)
        assert chart.locator(".main-svg").count() >= 1
        assert (
            chart.locator(
                ".scatterlayer .trace, .barlayer .trace, .heatmaplayer image, .hm image"
            ).count()
            >= 1
        )
    assert page.locator("#headline tbody tr").count() == munitions
    assert page.locator("#assumptions tbody tr").count() > 20
    assert problems == []
    page.close()


@pytest.mark.browser
def test_hostile_strings_stay_text_in_the_browser(browser: Any, tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_text(hostile_report())
    page, problems = open_report(browser, path)
    assert page.locator("h1").inner_text() == HOSTILE
    assert problems == []
    page.close()


@pytest.mark.browser
def test_invest_report_renders_every_chart_without_errors(browser: Any, tmp_path: Path) -> None:
    config = Path(__file__).resolve().parents[1] / "configs" / "tomahawk-sm6.toml"
    output = invest_scenario(config, (), 6.0, None, tmp_path)
    path = tmp_path / "invest.html"
    path.write_text(output.files["invest.html"])
    page, problems = open_report(browser, path, charts=4)
    charts = page.locator(".chart")
    assert charts.count() == 4
    for i in range(charts.count()):
        assert charts.nth(i).locator(".scatterlayer .trace, .barlayer .trace").count() >= 1
    assert "costs $605 million" in page.locator("#answer").inner_text()  # $0.60 billion
    assert page.locator("#breakdown tbody tr").count() == 2
    assert problems == []
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize(
    ("config", "overrides", "charts"),
    [
        ("tomahawk-wargame.toml", (), 3 + 2),
        (
            "taiwan-fleet.toml",
            ('munitions.tomahawk.inventory={dist="uniform",low=3000,high=4000}',),
            3 + 6 + 3,  # the yard's force: inventory, cells and yard load by year
        ),
    ],
)
def test_montecarlo_report_renders_fan_histogram_and_survival(
    browser: Any, tmp_path: Path, config: str, overrides: tuple[str, ...], charts: int
) -> None:
    configs = Path(__file__).resolve().parents[1] / "configs"
    study = load_study(configs / config, overrides)
    output = run_study(study, 300, "vector")
    path = tmp_path / "report.html"
    path.write_text(output.files["report.html"])
    page, problems = open_report(browser, path, charts)
    assert page.locator(".chart").count() == charts
    fan = page.locator("#chart-fan")
    assert fan.locator(".scatterlayer .trace").count() == 5  # two bands (two edges each), median
    assert page.locator("#chart-depletion-histogram .barlayer .trace").count() == 1
    survival = page.locator("#chart-survival .scatterlayer .trace")
    assert survival.count() == 1
    assert (
        "uniform (low 3,000, high 4,000); median 3,500" in page.locator("#assumptions").inner_text()
    )
    assert page.locator("#headline tbody tr").count() == 5  # outcomes of the one munition
    assert problems == []
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize(
    ("design", "parameters", "chart"),
    [
        (
            "grid",
            {
                "munitions.tomahawk.inventory": {"values": [3000, 4000]},
                "munitions.tomahawk.firing.0.rate_per_day": {"values": [500, 700]},
            },
            "heat",
        ),
        (
            "oat",
            {
                "munitions.tomahawk.inventory": {"low": 3000, "high": 4000},
                "munitions.tomahawk.unit_cost_usd": {"low": 1e6, "high": 3e6},
            },
            "tornado",
        ),
        (
            "morris",
            {
                "munitions.tomahawk.inventory": {"low": 3000, "high": 4000},
                "munitions.tomahawk.unit_cost_usd": {"low": 1e6, "high": 3e6},
            },
            "indices",
        ),
    ],
)
def test_sweep_report_renders_its_design(
    browser: Any, tmp_path: Path, design: str, parameters: dict[str, Any], chart: str
) -> None:
    import tomlkit

    from wargame.sweep.loading import load_sweep

    spec = tmp_path / "sweep.toml"
    base = Path(__file__).resolve().parents[1] / "configs" / "tomahawk-wargame.toml"
    spec.write_text(
        tomlkit.dumps(
            {
                "sweep": {
                    "name": "report test",
                    "base": str(base),
                    "design": design,
                    "replications": 100,
                    "trajectories": 3,
                    "metrics": ["tomahawk.days_to_depletion.mean"],
                },
                "parameters": parameters,
            }
        )
    )
    output = sweep_outputs(load_sweep(spec), tmp_path / "out", [], None, 1, None)
    path = tmp_path / "sweep.html"
    path.write_bytes(output.files["sweep.html"].encode())  # type: ignore[union-attr]
    page, problems = open_report(browser, path, charts=1)
    charts = page.locator(f"[id^='chart-{chart}']")
    assert charts.count() >= 1
    assert charts.first.locator(".main-svg").count() >= 1
    assert problems == []
    page.close()


def test_the_vendored_bundle_is_the_plotly_js_the_figures_are_written_for() -> None:
    from importlib import resources

    from plotly.offline import get_plotlyjs_version

    vendor = resources.files("wargame.report") / "vendor"
    version = (vendor / "PLOTLY_VERSION").read_text().strip()
    assert f"plotly.js (cartesian - minified) v{version}" in plotly_js()[:200]
    assert "MIT License" in (vendor / "LICENSE-plotly.js").read_text()
    # a plotly upgrade with a new plotly.js major needs `bash scripts/vendor-plotly.sh VERSION`
    assert version.split(".")[0] == get_plotlyjs_version().split(".")[0]


@pytest.mark.browser
def test_invest_hulls_report_renders_the_inventory_levers_and_curve(
    browser: Any, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from wargame.cli import app

    example = Path(__file__).resolve().parent / "data" / "ssn-2025-2035.toml"
    config = tmp_path / "ssn.toml"
    config.write_text(
        example.read_text()
        + "[platforms.ssn.life_extension]\nmost_years = 10\ncost_per_hull_year_usd = 0.5e9\n"
    )
    out = tmp_path / "out"
    args = ["invest", str(config), "--target-hulls", "ssn=50", "--by", "2030", "--out", str(out)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    page, problems = open_report(browser, out / "invest.html", charts=3)
    charts = page.locator(".chart")
    assert charts.count() == 3
    for i in range(charts.count()):
        assert charts.nth(i).locator(".scatterlayer .trace, .barlayer .trace").count() >= 1
    assert "Holding 50" in page.locator("#answer").inner_text()
    assert page.locator("#plan tbody tr").count() >= 1
    assert page.locator("#alone tbody tr").count() == 3  # orders, capacity, extension
    assert problems == []
    page.close()
