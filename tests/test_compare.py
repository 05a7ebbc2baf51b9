"""`wargame compare`: differences with paired and unpaired intervals, what a supplemental changes,
bad arguments, and the page in a real browser."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.conftest import ISSUE_EXAMPLE, REPO
from tests.report_browser import browser, open_report
from wargame.analysis.compare import Comparison, Difference, Row
from wargame.cli import app
from wargame.comparison import compare_runs
from wargame.config.writing import scenario_text_with

__all__ = ["browser"]  # the fixture, shared with the report tests

runner = CliRunner()
DEFAULT = REPO / "configs" / "tomahawk-wargame.toml"
REPLICATIONS = ["--set", "scenario.replications=400"]
SHIFTED = '{dist="uniform",low=3500,high=4500}'  # the default's stock range, 500 higher


def row(comparison: Comparison, outcome: str) -> Row:
    return next(r for r in comparison.rows if r.outcome.startswith(outcome))


def variant(tmp_path: Path, name: str, *overrides: str) -> Path:
    """The default scenario with `overrides` written into a file of its own."""
    path = tmp_path / name
    path.write_text(scenario_text_with(DEFAULT, overrides, {}))
    return path


def test_a_config_compared_with_itself_differs_by_zero_with_zero_width_intervals() -> None:
    output = compare_runs([DEFAULT, DEFAULT], ["scenario.replications=300"])
    again = compare_runs([DEFAULT, DEFAULT], ["scenario.replications=300"])
    assert output.files == again.files  # same inputs and seed, same bytes
    comparison = output.comparison
    assert comparison.paired == [True]
    assert len(comparison.rows) == 8
    for r in comparison.rows:
        (diff,) = r.differences
        assert (diff.value, diff.low, diff.high) == (0.0, 0.0, 0.0), r.outcome
        assert not diff.exact  # uncertain inputs: zero because the draws are shared


def test_paired_intervals_are_narrower_than_unpaired(tmp_path: Path) -> None:
    """A smaller sustained rate: common random numbers cancel the shared spread of the stock."""
    slower = variant(tmp_path, "slower.toml", "munitions.tomahawk.firing.1.rate_per_day=45")
    more = variant(tmp_path, "more.toml", f"munitions.tomahawk.inventory={SHIFTED}")
    for other in (slower, more):
        paired = compare_runs([DEFAULT, other], ["scenario.replications=400"]).comparison
        unpaired = compare_runs(
            [DEFAULT, other], ["scenario.replications=400"], paired=False
        ).comparison
        assert paired.paired == [True] and unpaired.paired == [False]
        for outcome in ("shortfall, mean", "fired, mean", "days lasted"):
            (p,), (u,) = row(paired, outcome).differences, row(unpaired, outcome).differences
            assert p.value == pytest.approx(u.value)
            assert p.low is not None and p.high is not None
            assert u.low is not None and u.high is not None
            assert p.high - p.low < u.high - u.low, (other.name, outcome)
    # 500 more missiles in every replication (the same uniform draw, shifted): all are fired
    fired = row(compare_runs([DEFAULT, more], REPLICATIONS[1:]).comparison, "fired, mean")
    assert fired.differences[0] == Difference(500.0, 500.0, 500.0)


def test_what_a_supplemental_changes(tmp_path: Path) -> None:
    """invest's closed.toml against its base: the money makes the stock last to the target."""
    base = tmp_path / "base.toml"
    base.write_text(ISSUE_EXAMPLE)
    out = tmp_path / "invest"
    args = ["invest", str(base), "--target-days", "14", "--set", "scenario.warning_days=1460"]
    assert runner.invoke(app, [*args, "--out", str(out)]).exit_code == 0
    result = runner.invoke(
        app,
        [
            "compare",
            str(base),
            str(out / "closed.toml"),
            "--set",
            "scenario.warning_days=1460",
            "--target-days",
            "13",  # demand is met for days 0-14: the closed stock runs out on day 14
            "--out",
            str(tmp_path / "cmp"),
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "cmp" / "compare.json").read_text())
    outcomes = {o["outcome"]: o for o in data["outcomes"]}
    before, after = outcomes["days to depletion, median"]["values"]
    assert before < 14 and (after is None or after >= 14)
    chance = outcomes["chance of running out by day 13"]
    assert chance["values"] == [1.0, 0.0]
    assert chance["differences"][0] == {"value": -1.0, "ci95": [-1.0, -1.0]}
    assert "(exact)" in result.output  # fixed inputs: no sampling error
    manifest = json.loads((tmp_path / "cmp" / "manifest.json").read_text())
    assert manifest["kind"] == "compare"
    assert set(manifest["files"]) == {"compare.html", "compare.json", "compare.csv"}


def test_run_folders_pair_when_their_seeds_and_replications_match(tmp_path: Path) -> None:
    folders = []
    for name, extra in (("a", []), ("b", ["--set", "munitions.tomahawk.inventory=4500"])):
        args = ["run", str(DEFAULT), *REPLICATIONS, *extra, "--out", str(tmp_path / name)]
        assert runner.invoke(app, args).exit_code == 0
        folders.append(tmp_path / name)
    args = ["run", str(DEFAULT), *REPLICATIONS, "--set", "scenario.seed=9"]
    assert runner.invoke(app, [*args, "--out", str(tmp_path / "c")]).exit_code == 0
    comparison = compare_runs([*folders, tmp_path / "c"]).comparison
    assert comparison.paired == [True, False]
    assert any("seed 9, not 0" in note for note in comparison.notes)
    # a config beside folders runs with the first folder's seed and replications: it pairs
    mixed = compare_runs([folders[0], DEFAULT]).comparison
    assert mixed.paired == [True]
    assert all(d.value == 0 for r in mixed.rows for d in r.differences)


def bad(args: list[str], tmp_path: Path) -> str:
    result = runner.invoke(app, ["compare", *args, "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "out").exists()
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    return lines[0]


def test_bad_arguments_exit_2_with_one_line(tmp_path: Path) -> None:
    assert "at least two" in bad([str(DEFAULT)], tmp_path)
    assert "no such file" in bad([str(DEFAULT), str(tmp_path / "missing")], tmp_path)
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.txt").write_text("mine")
    assert "not a wargame run folder" in bad([str(tmp_path / "notes"), str(DEFAULT)], tmp_path)
    invested = tmp_path / "invested"
    invested.mkdir()
    (invested / "manifest.json").write_text(json.dumps({"kind": "invest", "files": {}}))
    assert "not a run" in bad([str(DEFAULT), str(invested)], tmp_path)


@pytest.mark.browser
def test_the_page_renders_in_the_browser(browser: Any, tmp_path: Path) -> None:
    other = variant(tmp_path, "slower.toml", "munitions.tomahawk.firing.1.rate_per_day=45")
    output = compare_runs([DEFAULT, other], REPLICATIONS[1:])
    path = tmp_path / "compare.html"
    path.write_text(output.files["compare.html"])
    page, problems = open_report(browser, path, charts=2)
    assert page.locator(".chart .main-svg").count() >= 2
    assert page.locator("#comparison tbody tr").count() == 8
    assert page.locator("#runs tbody tr").count() == 2
    assert page.locator("#assumptions tbody tr").count() == 1  # the one input that differs
    assert problems == []
    page.close()
