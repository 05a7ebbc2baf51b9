"""The supplemental for coalitions (issue 13): who pays (cost shares and caps), an ally buying off
another's line or funding a line of its own."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.test_coalition import coalition, invest, strike_buyers
from wargame.analysis.invest_fleet import first_short_day
from wargame.cli import app
from wargame.config.loading import load_study
from wargame.engine.des import run_des
from wargame.model.compile import compile_scenario

runner = CliRunner()


def shared(cost_shares: dict[str, float]) -> dict[str, Any]:
    """strike_buyers with the mission's bill split by `cost_shares`."""
    data = strike_buyers()
    data["missions"]["strike"]["cost_shares"] = cost_shares
    return data


def write(data: dict[str, Any], path: Path) -> Path:
    import tomlkit

    path.write_text(tomlkit.dumps(data))
    return path


def test_a_missions_bill_is_split_by_its_cost_shares(tmp_path: Path) -> None:
    """Whatever the plan buys for the mission, the US pays 80% of each munition's levers and
    Japan 20%: the bills are those shares of the total, labelled in invest.json, the terminal
    and invest.html. Without cost shares the owner pays (test_coalition.py)."""
    summary = invest(shared({"us": 0.8, "japan": 0.2}), tmp_path, 20.0)
    total = summary["total_usd"]
    assert total > 0
    bills = summary["breakdown"]["nations"]
    assert bills["us"]["total_usd"] == pytest.approx(0.8 * total, rel=1e-12)
    assert bills["japan"]["total_usd"] == pytest.approx(0.2 * total, rel=1e-12)
    assert summary["breakdown"]["by_nation"] == {n: b["total_usd"] for n, b in bills.items()}
    assert bills["japan"]["name"] == "Japan" and bills["us"]["name"] == "United States"
    for bill in bills.values():
        assert bill["missiles_usd"] + bill["capacity_usd"] == pytest.approx(bill["total_usd"])
        assert sum(bill["by_munition"].values()) == pytest.approx(bill["total_usd"])
    page = html.unescape(re.sub(r"<[^>]+>", " ", (tmp_path / "invest" / "invest.html").read_text()))
    assert "Who pays" in page and "Japan" in page and "United States" in page


def test_a_cap_bounds_a_nations_share_of_the_bill(tmp_path: Path) -> None:
    """Japan pays 20% and is capped at $100M: the whole bill is at most $500M less the rounding
    kept (20% of a Tomahawk and a JASSM-ER, $0.7M, over 20%: $3.5M), 248 Tomahawks at $2M
    (the cheapest demanded shot; JASSM-ER takes two at $1.5M). 1,200 demanded shots in stock
    less one of slack plus 248 cover the salvos of days 0-13 (100 a day, 1,400), not day 14's;
    the plan is the least for those 14 days, 1,400 - 1,199 = 201 Tomahawks. The US, uncapped,
    pays four times Japan's bill, and the SimPy model confirms the days."""
    data = shared({"us": 0.8, "japan": 0.2})
    data["nations"]["japan"]["spending_cap_usd"] = 1e8
    out = tmp_path / "out"
    path = write(data, tmp_path / "capped.toml")
    result = runner.invoke(app, ["invest", str(path), "--target-days", "20", "--out", str(out)])
    assert result.exit_code == 3, result.output
    assert "Japan" in result.output and "(cap $" in result.output
    summary = json.loads((out / "invest.json").read_text())
    assert summary["binding_constraint"] == "spending_cap"
    assert summary["achieved_days"] == 14.0
    bills = summary["breakdown"]["nations"]
    assert bills["japan"]["total_usd"] <= 1e8 and bills["japan"]["spending_cap_usd"] == 1e8
    assert bills["us"]["total_usd"] == pytest.approx(4 * bills["japan"]["total_usd"])
    assert summary["breakdown"]["by_munition"]["tomahawk"]["missiles"] == 201
    day = first_short_day(run_des(compile_scenario(load_study(out / "closed.toml").scenario)))
    assert day == 14.0


def test_a_nation_with_no_share_is_not_bound_by_its_cap(tmp_path: Path) -> None:
    """Japan capped at nothing but paying no share of the mission: the US pays all of it."""
    data = shared({"us": 1.0, "japan": 0.0})
    data["nations"]["japan"]["spending_cap_usd"] = 0.0
    (tmp_path / "free").mkdir()
    summary = invest(data, tmp_path, 20.0)
    free = invest(strike_buyers(), tmp_path / "free", 20.0)
    assert summary["total_usd"] == free["total_usd"] and summary["status"] == "closed"
    assert summary["breakdown"]["by_nation"] == {"us": free["total_usd"], "japan": 0.0}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (
            lambda d: d["missions"]["strike"].update(cost_shares={"us": 0.5, "japan": 0.2}),
            "missions.strike.cost_shares",
        ),
        (
            lambda d: d["missions"]["strike"].update(cost_shares={"us": 0.5, "korea": 0.5}),
            "missions.strike.cost_shares.korea",
        ),
        (
            lambda d: (
                d["missions"].update(
                    second={
                        "cost_shares": {"us": 1.0},
                        "munitions": [{"name": "tomahawk"}],
                        "firing": [{"start_day": 0, "rate_per_day": 10}],
                    }
                )
                or d["missions"]["strike"].update(cost_shares={"us": 0.5, "japan": 0.5})
            ),
            "missions.second.cost_shares",
        ),
    ],
)
def test_bad_cost_shares_exit_2_naming_the_field(change: Any, field: str, tmp_path: Path) -> None:
    data = coalition()
    change(data)
    result = runner.invoke(app, ["validate", str(write(data, tmp_path / "bad.toml"))])
    assert result.exit_code == 2, result.output
    assert field in result.stderr and result.stderr.count("\n") == 1
