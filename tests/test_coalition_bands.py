"""Monte Carlo bands per mission and nation (issue 13): coalition_bands.csv and the report's
coalition charts."""

from __future__ import annotations

import csv
import io
import tomllib
from pathlib import Path

import numpy as np
from typer.testing import CliRunner

from tests.conftest import REPO
from tests.test_coalition import coalition
from wargame.analysis.coalition_bands import coalition_bands_csv, coalition_paths
from wargame.analysis.montecarlo import run_montecarlo
from wargame.cli import app
from wargame.config.loading import load_study, validate_study

runner = CliRunner()


def bands(text: str) -> dict[tuple[str, str, str, int], dict[str, int]]:
    """coalition_bands.csv by (entity, id, measure, day): its quantiles."""
    rows = csv.DictReader(io.StringIO(text))
    return {
        (r["entity"], r["id"], r["measure"], int(r["day"])): {
            k: int(v) for k, v in r.items() if k.startswith("p")
        }
        for r in rows
    }


def test_bands_of_an_ally_that_may_stay_out_take_both_outcomes(tmp_path: Path) -> None:
    """National shares of 200 a day, 1,000 Tomahawks each, Japan joining in about half of the
    replications. By day d's end the US holds 1,000 - 100 (d + 1) in every replication; Japan
    holds that when it joined and 1,000 when not; the mission served 200 a day with Japan and
    100 without; short 0 with Japan and 100 (d + 1) without, until day 9. The 5% and 95% bands
    are the two outcomes; after day 9 both nations' shares run dry and all is short."""
    import tomlkit

    data = coalition(1000, 1000, 200.0, pooling="national", shares={"us": 0.5, "japan": 0.5})
    data["nations"]["japan"]["join_probability"] = 0.5
    path = tmp_path / "ally.toml"
    path.write_text(tomlkit.dumps(data))
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(path), "--out", str(out), "--replications", "400"])
    assert result.exit_code == 0, result.output
    table = bands((out / "coalition_bands.csv").read_text())
    for day in range(10):
        us = table[("nation", "us", "stock", day)]
        assert us["p5"] == us["p50"] == us["p95"] == 1000 - 100 * (day + 1)
        japan = table[("nation", "japan", "stock", day)]
        assert (japan["p5"], japan["p95"]) == (1000 - 100 * (day + 1), 1000)
        served = table[("mission", "strike", "served", day)]
        assert (served["p5"], served["p95"]) == (100, 200)
        short = table[("mission", "strike", "shortfall", day)]
        assert (short["p5"], short["p95"]) == (0, 100 * (day + 1))
    last = table[("mission", "strike", "served", 12)]
    assert last["p5"] == last["p95"] == 0
    page = (out / "report.html").read_text()
    assert 'id="chart-nation-stock-bands"' in page
    assert 'id="chart-mission-strike-bands"' in page


def test_served_and_short_add_up_to_the_demand_in_every_kept_replication() -> None:
    """Per replication and day: what a mission served up to the day, plus what it is short by
    then, is what it demanded (the Indo-Pacific scenario, uncertain stocks and allies)."""
    study = load_study(REPO / "configs" / "indo-pacific-coalition.toml")
    mc = run_montecarlo(study, 64, fan=64)
    paths = {(p.entity, p.id, p.measure): p.values for p in coalition_paths(mc, study.scenario)}
    for name in study.scenario.missions:
        groups = [g for g in mc.outcomes.groups if g.mission == name]
        demanded = np.sum([g.demanded_per_day for g in groups if g.demanded_per_day is not None], 0)
        served = paths[("mission", name, "served")]
        short = paths[("mission", name, "shortfall")]
        np.testing.assert_array_equal(
            np.cumsum(served, axis=0) + short, np.cumsum(demanded, axis=0)
        )
        assert served.shape == (mc.salvo_days.size, 64)
    assert {("nation", n, "stock") for n in study.scenario.nations} <= set(paths)


def test_both_engines_give_the_same_bands() -> None:
    """The bands come from the same replications in both engines, so they are equal."""
    data = tomllib.loads((REPO / "configs" / "indo-pacific-coalition.toml").read_text())
    data["scenario"]["horizon_days"] = 20
    study = validate_study(data, "short")
    assert study.uncertain
    texts = [
        coalition_bands_csv(run_montecarlo(study, 24, engine=engine, fan=24), study.scenario)
        for engine in ("des", "vector")
    ]
    assert texts[0] == texts[1]
    table = bands(texts[0])
    us = table[("nation", "us", "stock", 5)]
    assert us["p5"] < us["p95"]  # the US stock is uncertain: the replications differ
