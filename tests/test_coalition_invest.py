"""The supplemental for coalitions (issue 13): who pays (cost shares and caps), an ally buying off
another's line or funding a line of its own."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.conftest import REPO
from tests.test_coalition import coalition, invest, munition, strike_buyers
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


def off_the_us_line(
    japan_line_usd: float | None = None, us_day0: int = 0, japan_rate: float = 50.0
) -> dict[str, Any]:
    """Japan (200 Tomahawks, 50 a day demanded) may buy off the US line: 10 a day of spare
    capacity from its 100-day lead, daily lots, no expansion, the war 400 days away. The US
    fires `us_day0` on the first day from no stock. With `japan_line_usd`, Japan's own line
    (10 a day spare too) makes them at that price: the second route."""
    data: dict[str, Any] = {
        "scenario": {"name": "off the line", "horizon_days": 30, "warning_days": 400},
        "nations": {"us": {"name": "United States"}, "japan": {"name": "Japan"}},
        "munitions": {},
    }
    for name, nation, stock, price in (
        ("tomahawk", "us", 0, 2.0e6),
        ("tomahawk-jp", "japan", 200, japan_line_usd or 2.0e6),
    ):
        data["munitions"][name] = {
            "nation": nation,
            "inventory": stock,
            "unit_cost_usd": price,
            "production": {
                "funded_per_year": 0.0,
                "capacity_per_year": 3650.0 if name == "tomahawk" or japan_line_usd else 0.0,
                "lead_time_days": 100.0,
                "lot_interval_days": 1.0,
            },
            "supplemental": {"funding_efficiency": 1.0, "expansion_ceiling_ratio": 0.0},
        }
    data["munitions"]["tomahawk-jp"]["firing"] = [{"start_day": 0, "rate_per_day": japan_rate}]
    if us_day0:
        data["munitions"]["tomahawk"]["firing"] = [
            {"start_day": 0, "end_day": 1, "rate_per_day": us_day0}
        ]
    data["munitions"]["tomahawk-jp"]["supplemental"]["from_line"] = "tomahawk"
    return data


def invest_at(data: dict[str, Any], tmp_path: Path, target: float, code: int = 0) -> dict[str, Any]:
    tmp_path.mkdir(exist_ok=True)
    out = tmp_path / "out"
    path = write(data, tmp_path / "routes.toml")
    result = runner.invoke(
        app, ["invest", str(path), "--target-days", f"{target:g}", "--out", str(out)]
    )
    assert result.exit_code == code, result.output
    summary: dict[str, Any] = json.loads((out / "invest.json").read_text())
    return summary


def closed_first_short(tmp_path: Path, **change: int) -> float | None:
    """The closed scenario's first short salvo (SimPy), with `change` (missiles off the line
    by buyer) applied."""
    from wargame.analysis.invest_fleet import apply

    closed = load_study(tmp_path / "out" / "closed.toml").scenario
    sets = {f"munitions.{k}.supplemental.from_line_missiles": v for k, v in change.items()}
    return first_short_day(run_des(compile_scenario(apply(closed, sets))))


def test_an_ally_buys_off_another_nations_line_and_pays_for_it(tmp_path: Path) -> None:
    """20 days of 50 a day less 200 in stock: 800 Tomahawks off the US line (3,000 of spare by
    the war), at the US line's $2M, on Japan's bill; whole missiles cost at most two more. The
    SimPy model meets the target with the plan, and 2% less falls short."""
    summary = invest_at(off_the_us_line(), tmp_path, 20.0)
    (bought,) = summary["breakdown"]["off_lines"]
    assert bought["munition"] == "tomahawk-jp" and bought["line"] == "tomahawk"
    assert 800 <= bought["missiles"] <= 802
    assert summary["total_usd"] == bought["missiles_usd"] == bought["missiles"] * 2.0e6
    assert summary["breakdown"]["by_nation"] == {"us": 0.0, "japan": summary["total_usd"]}
    assert sum(y["total_usd"] for y in summary["outlays_by_year"]) == pytest.approx(
        summary["total_usd"]
    )
    first = closed_first_short(tmp_path)
    assert first is None or first >= 20
    less = closed_first_short(tmp_path, **{"tomahawk-jp": int(bought["missiles"] * 0.98)})
    assert less is not None and less < 20


@pytest.mark.parametrize(("japan_line_usd", "route"), [(3.0e6, True), (1.5e6, False)])
def test_the_cheaper_of_two_routes_is_chosen(
    tmp_path: Path, japan_line_usd: float, route: bool
) -> None:
    """Japan's own line (co-production at $3M, or $1.5M) against the US line's $2M: the 800
    missiles come from the cheaper."""
    summary = invest_at(off_the_us_line(japan_line_usd), tmp_path, 20.0)
    (bought,) = summary["breakdown"]["off_lines"]
    own = summary["breakdown"]["by_munition"]["tomahawk-jp"]["missiles"]
    assert (bought["missiles"], own)[not route] >= 800
    assert (bought["missiles"], own)[route] == 0
    assert summary["total_usd"] <= 802 * min(2.0e6, japan_line_usd)


def test_the_owners_order_comes_first_on_a_shared_line(tmp_path: Path) -> None:
    """The US needs 2,500 on the first day from its own line; the line makes 3,000 by the war
    (10 a day from day 100 to day 400) and 10 a day after. The US order is made first, so
    Japan gets at most 500 by the war and 10 a day more: 200 + 500 + 10 t covers 50 (t + 1)
    through day 16 (750 + 160 = 860 >= 850), not day 17. The target of 20 is out of reach
    because the line is shared; the plan for 17 days is confirmed by the SimPy model."""
    summary = invest_at(off_the_us_line(us_day0=2500), tmp_path, 20.0, code=3)
    assert summary["binding_constraint"] == "shared_line"
    assert summary["achieved_days"] == 17.0
    assert summary["breakdown"]["by_munition"]["tomahawk"]["missiles"] >= 2500
    first = closed_first_short(tmp_path)
    assert first is not None and first >= 17


def test_missiles_off_a_line_need_the_line(tmp_path: Path) -> None:
    data = off_the_us_line()
    data["munitions"]["tomahawk-jp"]["supplemental"]["from_line"] = "tomahawk-kr"
    result = runner.invoke(app, ["validate", str(write(data, tmp_path / "bad.toml"))])
    assert result.exit_code == 2
    assert "munitions.tomahawk-jp.supplemental.from_line" in result.stderr


@pytest.mark.parametrize(("japan_usd", "coproduced"), [(1.0e6, False), (0.5e6, True)])
def test_a_coproduction_line_funded_from_nothing_competes_with_buying_off_the_line(
    tmp_path: Path, japan_usd: float, coproduced: bool
) -> None:
    """Japan's own line has no capacity today, but it may fund up to 3,650 a year of it
    (co-production: no expansion delay or ramp, the line's 100-day lead) at its unit price per
    missile-a-year. The 800 missiles are needed by the salvo of day 19, which the lot made up
    to sim day 420 serves: 320 days of the new line, 800 x 365 / 320 = 912.5 a year (the earlier
    salvos need less: 50 a day against 2.5 a day). At $1M a missile that is $0.91B of capital
    and $0.8B of missiles, dearer than 800 off the US line at $2M ($1.6B); at $0.5M it is
    $0.86B, cheaper."""
    data = off_the_us_line()
    japan = data["munitions"]["tomahawk-jp"]
    japan["unit_cost_usd"] = japan_usd
    japan["supplemental"] |= {
        "expansion_ceiling_per_year": 3650.0,
        "expansion_delay_days": 0.0,
        "expansion_ramp_days": 0.0,
    }
    summary = invest_at(data, tmp_path, 20.0)
    own = summary["breakdown"]["by_munition"]["tomahawk-jp"]
    (bought,) = summary["breakdown"]["off_lines"]
    if coproduced:
        assert bought["missiles"] == 0
        assert own["added_capacity_per_year"] == pytest.approx(800 * 365 / 320, abs=0.01)
        assert 800 <= own["missiles"] <= 801
        expected = 800 * japan_usd * (1 + 365 / 320)
    else:
        assert own["missiles"] == 0 and own["added_capacity_per_year"] == 0
        expected = 800 * 2.0e6
    assert expected <= summary["total_usd"] <= expected + 2 * max(2.0e6, japan_usd)
    first = closed_first_short(tmp_path)
    assert first is None or first >= 20


def two_missions(lrasm_usd: float = 3.0e6, jassm_usd: float | None = None) -> dict[str, Any]:
    """Land attack (100 a day, Tomahawk first; JASSM-ER after it when `jassm_usd`) is served
    before maritime strike (50 a day: LRASM, then Tomahawk at two shots a target), both on the
    US Tomahawk: 1,000 Tomahawks and 200 LRASM, lines with 10 a day of spare capacity from a
    100-day lead, daily lots, the war 400 days away."""
    data = coalition(1000, 0, 100.0)
    data["scenario"]["warning_days"] = 400
    data["munitions"].pop("tomahawk-jp")
    data["nations"].pop("japan")
    prices = {"tomahawk": 2.0e6, "lrasm": lrasm_usd, "jassm-er": jassm_usd or 1.0e6}
    data["munitions"]["lrasm"] = munition("us", 200)
    if jassm_usd is not None:
        data["munitions"]["jassm-er"] = munition("us", 0)
    for name, entry in data["munitions"].items():
        entry["unit_cost_usd"] = prices[name]
        entry["production"] |= {"lead_time_days": 100.0, "capacity_per_year": 3650.0}
        entry["production"]["lot_interval_days"] = 1.0
        entry["supplemental"] = {"funding_efficiency": 1.0, "expansion_ceiling_ratio": 0.0}
    strike = data["missions"].pop("strike")
    strike.pop("shares")
    strike["munitions"] = [{"name": "tomahawk"}]
    if jassm_usd is not None:
        strike["munitions"].append({"name": "jassm-er"})
    data["missions"]["land-attack"] = strike
    data["missions"]["maritime-strike"] = {
        "munitions": [{"name": "lrasm"}, {"name": "tomahawk", "shots_per_demand": 2.0}],
        "firing": [{"start_day": 0, "rate_per_day": 50.0}],
    }
    return data


@pytest.mark.parametrize(("lrasm_usd", "expected"), [(3.0e6, 4.4e9), (5.0e6, 5.2e9)])
def test_two_missions_on_one_stock_buy_the_cheaper_shot_in_their_order(
    tmp_path: Path, lrasm_usd: float, expected: float
) -> None:
    """20 days: land attack fires 2,000 Tomahawks (1,000 to buy at $2M); maritime strike's
    1,000 targets take the 200 LRASM, then 800 more: LRASM at $3M, or two Tomahawks at $4M
    ($4.4B in all); with LRASM at $5M, 1,600 more Tomahawks ($5.2B). The SimPy model confirms
    the plan (invest re-runs it), and 2% fewer of what it bought falls short."""
    summary = invest_at(two_missions(lrasm_usd), tmp_path, 20.0)
    assert summary["status"] == "closed"
    assert summary["total_usd"] == pytest.approx(expected, rel=1e-9)
    bought = {n: p["missiles"] for n, p in summary["breakdown"]["by_munition"].items()}
    first = closed_short_with(tmp_path, {})
    assert first is None or first >= 20
    for name, missiles in bought.items():
        if missiles:
            fewer = closed_short_with(tmp_path, {name: int(missiles * 0.98)})
            assert fewer is not None and fewer < 20, name


def test_the_first_missions_cheaper_substitute_does_not_spare_a_shared_stock(
    tmp_path: Path,
) -> None:
    """Land attack may also fire JASSM-ER at $1M, but it fires Tomahawk first while any is
    left, and maritime strike (50 a day) has only Tomahawk: every salvo takes 150 Tomahawks
    until they are gone, so 20 days need 3,000, 2,000 to buy ($4B), and JASSM-ER helps
    nobody. A plan that ignored the serving order would buy 2,000 JASSM-ER for land attack
    ($2B) and fall short on day 6. (With LRASM for maritime strike, the cheapest plan lets land
    attack run its Tomahawks dry and fire JASSM-ER while maritime strike fires LRASM: $5B for
    800 LRASM at $5M and 1,000 JASSM-ER, below 1,600 Tomahawks for $5.2B.)"""
    data = two_missions(5.0e6, jassm_usd=1.0e6)
    data["missions"]["maritime-strike"]["munitions"] = [{"name": "tomahawk"}]
    summary = invest_at(data, tmp_path, 20.0)
    bought = {n: p["missiles"] for n, p in summary["breakdown"]["by_munition"].items()}
    assert bought == {"tomahawk": 2000, "lrasm": 0, "jassm-er": 0}
    assert summary["total_usd"] == pytest.approx(4.0e9, rel=1e-12)
    ignored = closed_short_with(tmp_path, {"tomahawk": 0, "jassm-er": 2000})
    assert ignored == 6.0
    with_lrasm = invest_at(two_missions(5.0e6, jassm_usd=1.0e6), tmp_path / "lrasm", 20.0)
    assert with_lrasm["total_usd"] == pytest.approx(5.0e9, rel=1e-12)


def test_invest_covers_the_indo_pacific_coalition(tmp_path: Path) -> None:
    """Decided on the war's first day nothing arrives in time (a 548-day lead): the best is
    maritime strike's first short day, 12, at no cost. Voted three years ahead, the plan for
    the two weeks is confirmed by the SimPy model."""
    config = str(REPO / "configs" / "indo-pacific-coalition.toml")
    out = tmp_path / "now"
    result = runner.invoke(app, ["invest", config, "--out", str(out)])
    assert result.exit_code == 3, result.output
    summary = json.loads((out / "invest.json").read_text())
    assert (summary["achieved_days"], summary["binding_constraint"]) == (12.0, "lead_time")
    assert summary["total_usd"] == 0
    ahead = tmp_path / "ahead"
    args = ["invest", config, "--set", "scenario.warning_days=1095", "--out", str(ahead)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    planned = json.loads((ahead / "invest.json").read_text())
    assert planned["status"] == "closed"
    # a plan for the medians: missions, not munitions running dry, say whether it fell short
    assert 0.3 < planned["uncertainty"]["p_out_before_target"] < 0.7


def closed_short_with(tmp_path: Path, missiles: dict[str, int]) -> float | None:
    """The closed scenario's first short salvo (SimPy) with `missiles` bought instead."""
    from wargame.analysis.invest_fleet import apply

    closed = load_study(tmp_path / "out" / "closed.toml").scenario
    sets = {f"munitions.{k}.supplemental.missiles": v for k, v in missiles.items()}
    return first_short_day(run_des(compile_scenario(apply(closed, sets))))


def test_a_shared_substitute_at_one_and_a_half_shots_and_an_own_plan(tmp_path: Path) -> None:
    """The Tomahawk fires its own plan (20 a day) before land attack (100 a day, Tomahawk) and
    maritime strike (LRASM, then Tomahawk at 1.5 shots a target, whole shots): whatever the
    plan, the SimPy model serves every salvo of the 20 days with it (invest checks it and
    exits 1 if not), and 2% fewer of each munition bought falls short."""
    data = two_missions(9.0e6)
    data["munitions"]["tomahawk"]["firing"] = [{"start_day": 0, "rate_per_day": 20.0}]
    data["missions"]["maritime-strike"]["munitions"][1]["shots_per_demand"] = 1.5
    data["missions"]["maritime-strike"]["firing"][0]["rate_per_day"] = 51.0
    summary = invest_at(data, tmp_path, 20.0)
    bought = {n: p["missiles"] for n, p in summary["breakdown"]["by_munition"].items()}
    # 20 x (20 + 100) + (20 x 51 - 200) x 1.5 = 3,630 Tomahawks, 1,000 in stock; LRASM at
    # $9M is dearer than 1.5 Tomahawks ($3M): whole shots may cost a few more
    assert bought["lrasm"] == 0 and 2630 <= bought["tomahawk"] <= 2640
    fewer = closed_short_with(tmp_path, {"tomahawk": int(bought["tomahawk"] * 0.98)})
    assert fewer is not None and fewer < 20


def test_a_shared_program_too_large_is_refused(tmp_path: Path) -> None:
    config = str(REPO / "configs" / "indo-pacific-coalition.toml")
    out = tmp_path / "out"
    args = ["invest", config, "--set", "scenario.horizon_days=400", "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "scenario.horizon_days" in result.stderr and result.stderr.count("\n") == 1
    assert not out.exists()


def test_a_missions_ally_buys_off_the_line_within_its_cap(tmp_path: Path) -> None:
    """Japan's demand as a mission (its Tomahawks alone serve it), capped at $1B: missiles off
    the US line at $2M, less one kept for rounding, are 499; 200 + 499 cover 50 (t + 1) through
    day 12, not day 13. The plan for 13 days is billed to Japan and confirmed by SimPy."""
    data = off_the_us_line()
    firing = data["munitions"]["tomahawk-jp"].pop("firing")
    data["missions"] = {"strike": {"munitions": [{"name": "tomahawk-jp"}], "firing": firing}}
    data["nations"]["japan"]["spending_cap_usd"] = 1e9
    summary = invest_at(data, tmp_path, 20.0, code=3)
    assert (summary["achieved_days"], summary["binding_constraint"]) == (13.0, "spending_cap")
    bills = summary["breakdown"]["nations"]
    assert 0 < bills["japan"]["total_usd"] <= 1e9 and bills["us"]["total_usd"] == 0
    assert "tomahawk-jp off the tomahawk line" in bills["japan"]["by_munition"]
    first = closed_first_short(tmp_path)
    assert first is not None and first >= 13


def test_risk_covers_a_missions_uncertain_stock(tmp_path: Path) -> None:
    """The US Tomahawk stock drawn uniform on 800-1,200: with --risk 0.1 the plan covers the
    cheapest 370 of 400 sampled replications (0.9 x 400 plus 1.645 binomial standard errors),
    whose dearest has about the 7.5% quantile of the stock, 830: 2,000 demanded less 830 less
    Japan's 400 JASSM-ER at two a target, plus one of slack, is about 971 Tomahawks. On fresh
    replications the mission falls short before day 20 in at most about 10%."""
    data = strike_buyers()
    data["munitions"]["tomahawk"]["inventory"] = {"dist": "uniform", "low": 800, "high": 1200}
    out = tmp_path / "out"
    path = write(data, tmp_path / "risk.toml")
    args = ["invest", str(path), "--target-days", "20", "--risk", "0.1", "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "invest.json").read_text())
    bought = summary["breakdown"]["by_munition"]["tomahawk"]["missiles"]
    assert 955 <= bought <= 990
    assert summary["uncertainty"]["covered_replications"] == 370
    assert summary["uncertainty"]["p_out_before_target"] <= 0.12


def test_risk_with_a_shared_munition_is_refused_naming_it(tmp_path: Path) -> None:
    config = str(REPO / "configs" / "indo-pacific-coalition.toml")
    out = tmp_path / "out"
    result = runner.invoke(app, ["invest", config, "--risk", "0.1", "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert "missions: invest does not cover a munition serving two missions" in result.stderr
    assert not out.exists()


@settings(max_examples=12, deadline=None)
@given(
    tomahawks=st.integers(0, 2000),
    jassms=st.integers(0, 800),
    rate=st.integers(20, 150),
    jassm_usd=st.sampled_from([0.6e6, 0.9e6, 1.2e6]),
)
def test_the_serving_order_program_agrees_with_the_rows_where_nothing_is_shared(
    tomahawks: int, jassms: int, rate: int, jassm_usd: float
) -> None:
    """Where each munition serves one mission both are exact: the mixed-integer program of the
    serving order (whole shots, no slack) costs at most what the linear rows cost (which keep
    one demanded shot of slack for JASSM-ER's two a target, and round fractions of a target up),
    and at most two demanded shots less (a JASSM-ER left over in stock can pair with one
    bought); and the SimPy model serves every salvo of the 20 days with its plan."""
    from wargame.analysis.invest import coverage_rows, solve
    from wargame.analysis.invest_fleet import apply
    from wargame.analysis.invest_missions import mission_coverage
    from wargame.analysis.invest_shared import shared_plan, shared_problem

    data = strike_buyers(2.0e6, jassm_usd)
    data["munitions"]["tomahawk"]["inventory"] = tomahawks
    data["munitions"]["jassm-er"]["inventory"] = jassms
    data["missions"]["strike"]["firing"][0]["rate_per_day"] = float(rate)
    scenario = load_study_from(data)
    model = compile_scenario(scenario)
    rows = coverage_rows(model, scenario)
    linear = solve(rows, 20.0, mission_coverage(model, rows, "x"))
    exact = shared_plan(shared_problem(model, rows), rows, 20.0)
    assert linear.feasible and exact.feasible
    slack = 2 * max(2.0e6, 2 * jassm_usd)  # two demanded shots
    assert linear.total_usd - slack - 1e-6 <= exact.total_usd <= linear.total_usd + 1e-6
    sets = {f"munitions.{p.munition}.supplemental.missiles": p.missiles for p in exact.purchases}
    first = first_short_day(run_des(compile_scenario(apply(scenario, sets))))
    assert first is None or first >= 20


def load_study_from(data: dict[str, Any]) -> Any:
    from wargame.config.loading import validate_study

    return validate_study(data, "generated").scenario
