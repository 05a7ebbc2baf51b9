"""What reports say, without a browser: human names and units for dotted paths, headlines that
carry the finding on the shipped configs, overrides and distributions in the assumptions table,
invest under uncertainty in words, and what a sweep measured."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.conftest import REPO
from wargame.config.loading import load_scenario, load_study
from wargame.report.assumptions import assumption_rows, overrides_of
from wargame.report.headlines import invest_uncertainty, launch_week
from wargame.report.labels import (
    axis_title,
    display_name,
    input_label,
    input_unit,
    is_probability,
    metric_label,
    metric_unit,
)
from wargame.runner import run_scenario, run_study

CONFIGS = REPO / "configs"


@pytest.mark.parametrize(
    ("path", "label", "unit"),
    [
        ("munitions.tomahawk.inventory", "Tomahawk: stock on the decision day", "missiles"),
        (
            "munitions.tomahawk.firing.0.rate_per_day",
            "Tomahawk firing phase 1: shots demanded per day",
            "missiles/day",
        ),
        ("munitions.sm6.production.lead_time_days", "SM6: lead time to the first delivery", "days"),
        ("scenario.warning_days", "Warning: decision day to conflict start", "days"),
        (
            "platforms.ddg.losses.0.rate_per_day",
            "DDG losses, phase 1: expected hulls lost per day",
            "hulls/day",
        ),
        ("platforms.ssn-block-v.cells_per_hull", "SSN Block V: cells per hull", "cells"),
        ("ports.at-sea.berths", "At Sea: berths", "hulls"),
        ("platforms.ddg.loadout.tomahawk", "DDG share of cells holding Tomahawk", ""),
    ],
)
def test_inputs_have_human_names_and_the_schemas_units(path: str, label: str, unit: str) -> None:
    assert input_label(path) == label
    assert input_unit(path) == unit
    assert "." not in input_label(path).replace("...", "")  # no dotted path left


def test_every_input_of_every_shipped_config_has_a_name_without_dots_or_underscores() -> None:
    for config in sorted(CONFIGS.glob("*.toml")):
        for row in assumption_rows(load_study(config).scenario):
            assert "_" not in row.label and ".tomahawk" not in row.label, (config, row.path)


def test_long_axis_titles_wrap_instead_of_running_off_the_chart() -> None:
    title = axis_title("munitions.tomahawk.firing.0.rate_per_day")
    assert "<br>" in title
    assert all(len(line) <= 42 for line in title.split("<br>"))
    assert title.replace("<br>", " ").endswith("(missiles/day)")


@pytest.mark.parametrize(
    ("metric", "label", "unit"),
    [
        ("tomahawk.days_to_depletion.p50", "Tomahawk days to depletion, median", "days"),
        ("tomahawk.shortfall.mean", "Tomahawk shortfall, mean", "missiles"),
        (
            "tomahawk.days_to_depletion.p_depleted_by",
            "Tomahawk: chance of running out by the target day",
            "share",
        ),
        ("invest.total_usd", "least supplemental", "USD"),
        ("launch.launcher_limited_days.p95", "launcher-limited days, 95th percentile", "days"),
    ],
)
def test_sweep_metrics_have_names_and_units(metric: str, label: str, unit: str) -> None:
    assert metric_label(metric) == label
    assert metric_unit(metric) == unit
    assert is_probability(metric) == (unit == "share")


def test_display_names() -> None:
    assert [display_name(k) for k in ("tomahawk", "ssn-block-v", "sm6", "ssgn", "at-sea")] == [
        "Tomahawk",
        "SSN Block V",
        "SM6",
        "SSGN",
        "At Sea",
    ]
    assert display_name("jassm-er") == "JASSM ER" and display_name("lrasm") == "LRASM"


def test_the_fleet_headline_says_launchers_bind_with_the_first_weeks_lost_shots() -> None:
    scenario = load_scenario(CONFIGS / "taiwan-fleet.toml")
    output = run_scenario(scenario)
    run = output.result.munitions[0]
    lost = run.launch_lost[run.warning_days : run.warning_days + 7]
    days = np.nonzero(lost)[0]
    assert launch_week(run) == (int(lost.sum()), int(days[0]), int(days[-1]))
    assert launch_week(run) == (2_911, 1, 6)  # the README's figure
    html = output.files["report.html"]
    assert (
        "Tomahawk: launch cells and reloads bind first: 2,911 demanded shots were lost to launch "
        "limits in the first week (days 1-6) with missiles still in the depot; then the missiles "
        "run out on day 48." in html
    )


def test_the_default_headline_gives_the_rebuild_as_never_and_why() -> None:
    output = run_study(load_study(CONFIGS / "tomahawk-wargame.toml"), 300, "vector")
    html = output.files["report.html"]
    assert "Tomahawk: runs out on day 5 in the median replication" in html
    assert "The missiles bind." in html
    assert output.summary["munitions"]["tomahawk"]["rebuild_never_because"] == "peacetime_use"
    assert "never rebuilds the" in html
    assert "tests and training (100 a year) take at least the 60 a year funded" in html


def test_a_rebuild_in_years_is_what_was_fired_over_the_net_funded_rate() -> None:
    scenario = load_scenario(
        CONFIGS / "tomahawk-observed-2026.toml", ("munitions.tomahawk.peacetime_use_per_year=0",)
    )
    output = run_scenario(scenario)
    tomahawk = output.summary["munitions"]["tomahawk"]
    years = tomahawk["fired"] / scenario.munitions["tomahawk"].production.funded_per_year
    assert tomahawk["rebuild_years"] == pytest.approx(years)
    assert f"takes {round(years, 1):g} years at the funded" in output.files["report.html"]


def provenance(overrides: list[dict[str, Any]]) -> dict[str, Any]:
    return {"provenance": {"command": ["wargame", "run"], "overrides": overrides}}


def test_overrides_are_marked_with_the_files_value_and_source_kept() -> None:
    config = CONFIGS / "taiwan-fleet.toml"
    scenario = load_scenario(config, ("munitions.tomahawk.inventory=1000",))
    marks = overrides_of(
        provenance([{"path": "munitions.tomahawk.inventory", "value": 1000, "file_value": 3500}])
    )
    rows = {row.path: row for row in assumption_rows(scenario, overrides=marks)}
    row = rows["munitions.tomahawk.inventory"]
    assert row.value == "1,000"
    assert row.override == "set on the command line: 1,000; file: 3,500"
    from_file = {r.path: r for r in assumption_rows(load_scenario(config))}
    assert row.source == from_file[row.path].source  # the file's source is kept
    assert sum(r.override is not None for r in rows.values()) == 1


def test_a_distribution_override_and_a_field_the_file_did_not_set() -> None:
    study = load_study(
        CONFIGS / "taiwan-fleet.toml",
        ('munitions.tomahawk.inventory={dist="uniform",low=3000,high=4000}',),
    )
    marks = overrides_of(
        provenance(
            [
                {
                    "path": "munitions.tomahawk.inventory",
                    "value": {"dist": "uniform", "low": 3000, "high": 4000},
                    "file_value": 3500,
                },
                {"path": "scenario.seed", "value": 7, "file_value": None},
            ]
        )
    )
    rows = {row.path: row for row in assumption_rows(study.scenario, study.uncertain, marks)}
    inventory = rows["munitions.tomahawk.inventory"]
    assert inventory.value == "uniform (low 3,000, high 4,000); median 3,500"
    assert inventory.override == (
        "set on the command line: uniform (low 3,000, high 4,000); file: 3,500"
    )
    assert rows["scenario.seed"].override == "set on the command line: 7; file: not set"


def test_the_run_report_marks_overrides_from_summary_provenance() -> None:
    from wargame.report.run_report import run_report

    scenario = load_scenario(CONFIGS / "taiwan-fleet.toml", ("munitions.tomahawk.inventory=1000",))
    output = run_scenario(scenario)
    summary = {
        **output.summary,
        **provenance([{"path": "munitions.tomahawk.inventory", "value": 1000, "file_value": 3500}]),
    }
    html = run_report(output.result, scenario, summary)
    assert "set on the command line: 1,000; file: 3,500" in html
    assert 'id="overridden"' in html
    assert 'id="overridden"' not in output.files["report.html"]  # no provenance, no mark
    assert overrides_of({"provenance": None}) == overrides_of({}) == []


UNCERTAINTY = {
    "checked_replications": 4000,
    "p_out_before_target": 0.55,
    "p_out_before_target_upper95": 0.563,
    "accepted": None,
    "fitted_replications": 0,
    "covered_replications": 0,
    "risk_met_at_95": None,
}


def test_invest_under_uncertainty_in_words() -> None:
    median = invest_uncertainty({"target_days": 14.0, "uncertainty": UNCERTAINTY})
    assert median is not None
    assert median["chance"] == (
        "With the inputs uncertain, this plan meets its target in 45% of 4,000 fresh "
        "replications: it runs out before day 14 in 55% (95% upper bound 56%)."
    )
    assert "fitted to the inputs' medians" in median["fitted"]
    assert not median["ok"]
    risk = invest_uncertainty(
        {
            "target_days": 14.0,
            "uncertainty": {
                **UNCERTAINTY,
                "p_out_before_target": 0.019,
                "p_out_before_target_upper95": 0.023,
                "accepted": 0.05,
                "fitted_replications": 400,
                "covered_replications": 388,
                "risk_met_at_95": True,
            },
        }
    )
    assert risk is not None and risk["ok"]
    assert risk["fitted"].startswith(
        "Fitted to an accepted risk of 5.0%: it covers 388 of 400 sampled replications."
    )
    assert "is within the accepted risk" in risk["fitted"]
    assert invest_uncertainty({"target_days": 14.0, "uncertainty": None}) is None


def test_the_deliveries_chart_is_left_out_when_nothing_is_delivered(tmp_path: Path) -> None:
    quiet = run_scenario(load_scenario(CONFIGS / "taiwan-fleet.toml")).files["report.html"]
    assert 'id="chart-deliveries"' not in quiet
    assert "No deliveries chart: nothing is delivered to US stocks" in quiet
    busy = run_scenario(load_scenario(CONFIGS / "tomahawk-sm6.toml"))
    assert any(run.delivered.any() for run in busy.result.munitions)
    assert 'id="chart-deliveries"' in busy.files["report.html"]
    assert "No deliveries chart" not in busy.files["report.html"]


def test_no_report_prints_a_local_absolute_path(tmp_path: Path) -> None:
    from wargame.investing import invest_scenario

    output = invest_scenario(CONFIGS / "tomahawk-sm6.toml", (), 6.0, None, tmp_path)
    assert str(tmp_path) not in output.files["invest.html"]
    assert "<code>closed.toml</code>" in output.files["invest.html"]
