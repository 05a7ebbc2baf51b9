"""The force over decades (model/force.py, model/yards.py): closed forms for deliveries,
retirements and transfers, shared yards in priority order, cells, monotonicity, the war meeting
the projected fleet, outputs and bad input."""

from __future__ import annotations

import copy
import csv
import io
import itertools
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.conftest import REPO, build, scenario_data
from tests.test_fleet import with_fleet
from wargame.analysis.force import montecarlo_blocks, total_cells, yearly
from wargame.analysis.invest_force import Target, solve_hulls
from wargame.cli import app
from wargame.config.loading import load_scenario
from wargame.errors import InputError
from wargame.model.compile import compile_scenario
from wargame.model.draws import FIXED, Draws
from wargame.model.force import ClassForce, Force, project_force

EXAMPLE = REPO / "tests" / "data" / "ssn-2025-2035.toml"
LOT = 30.0  # model.yards.YARD_LOT_DAYS
runner = CliRunner()


def fleet_data(years: int = 20, start_date: str | None = "2025-10-01", **platform: Any) -> Any:
    """A class `ddg` of `platform`'s numbers over `years` 365-day years before a 1-day war."""
    data = with_fleet(
        scenario_data(inventory=0, rate_per_day=0.0, horizon_days=1, warning_days=365 * years),
        **platform,
    )
    if start_date is not None:
        data["scenario"]["start_date"] = start_date
    return data


def force_of(data: dict[str, Any]) -> Force:
    force = project_force(build(data), FIXED)
    assert force is not None
    return force


def by_name(force: Force, name: str) -> ClassForce:
    return next(c for c in force.classes if c.name == name)


def cumulative(force: Force, name: str, field: str) -> list[int]:
    return [int(v) for v in by_name(force, name).by_year[field][:, 0]]


def lots_by(day: float, per_year: float) -> int:
    """Hulls a steady yard has delivered by `day`: monthly lots at 0, 30, 60 ... each carrying
    the month ahead, so by day d the yard has made floor(rate * 30 * (floor(d / 30) + 1) / 365)."""
    return math.floor(per_year * LOT * (math.floor(day / LOT) + 1) / 365.0 + 1e-7)


# -- the issue's example ------------------------------------------------------------------------
def test_the_issues_example_validates_and_runs(tmp_path: Path) -> None:
    assert runner.invoke(app, ["validate", str(EXAMPLE)]).exit_code == 0
    result = runner.invoke(app, ["run", str(EXAMPLE), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    summary = json.loads((tmp_path / "summary.json").read_text())
    years = summary["force"]["ssn"]["years"]
    assert [y["year"] for y in years][:2] == ["FY2026", "FY2027"]
    # Two hulls a year retire from FY2026 (1993 + 33) to FY2030; CRS's "low of 46 in 2030".
    assert [y["retired"] for y in years[:6]] == [2, 2, 2, 2, 2, 0]
    assert min(y["hulls"] for y in years) == 46 == years[4]["hulls"]
    assert sum(y["transferred"] for y in years) == 1
    rows = list(csv.DictReader(io.StringIO((tmp_path / "force.csv").read_text())))
    assert [int(r["hulls"]) for r in rows] == [y["hulls"] for y in years]
    report = (tmp_path / "report.html").read_text()
    for chart in ("force-inventory", "force-cells", "yard-ssn"):
        assert f'id="chart-{chart}"' in report
    # nothing is fired in its placeholder war: the fleet's charts come before the war's
    assert report.index('id="chart-force-inventory"') < report.index('id="chart-inventory"')


# -- closed forms -------------------------------------------------------------------------------
@settings(max_examples=40, deadline=None)
@given(
    capacity=st.floats(0.0, 5.0),
    funded=st.floats(0.0, 5.0),
    cohorts=st.lists(st.tuples(st.integers(1980, 2020), st.integers(1, 5)), max_size=5),
    life=st.integers(5, 40),
    transfers=st.lists(st.tuples(st.integers(0, 7000), st.integers(1, 3)), max_size=3),
)
def test_hulls_are_initial_less_retired_plus_delivered_less_transferred(
    capacity: float,
    funded: float,
    cohorts: list[tuple[int, int]],
    life: int,
    transfers: list[tuple[int, int]],
) -> None:
    """Deliveries at the lesser of the funded rate and capacity, each cohort retiring at the end
    of fiscal year `year + life`, transfers taking what they ask while hulls are in service."""
    merged: dict[int, int] = {}
    for year, n in cohorts:
        merged[year] = merged.get(year, 0) + n
    hulls = sum(merged.values()) or 3
    assume(sum(n for _, n in transfers) <= hulls)
    platform: dict[str, Any] = {
        "hulls": hulls,
        "service_life_years": life,
        "yard": {"hull_cost_usd": 1e9, "capacity_per_year": capacity, "funded_per_year": funded},
    }
    if merged:
        platform["cohorts"] = [{"year": y, "hulls": n} for y, n in sorted(merged.items())]
    if transfers:
        platform["transfers"] = [{"day": d, "hulls": n, "to": "ally"} for d, n in transfers]
    force = force_of(fleet_data(**platform))
    ends = force.years.ends
    cls = force.classes[0]
    rate = min(capacity, funded)
    for i, (label, end) in enumerate(zip(force.years.labels, ends, strict=True)):
        fy = int(label.removeprefix("FY"))
        delivered = lots_by(end, rate)
        assert cls.by_year["delivered"][i, 0] == delivered
        # No delivered hull retires within 20 years when life >= 20; cohorts by the rule.
        whole_year = i < len(ends) - 1  # the last year ends with the run, maybe partly through
        if life > 20 and whole_year:
            retired_cohorts = sum(n for y, n in merged.items() if y + life <= fy)
            assert cls.by_year["retired"][i, 0] + cls.by_year["transferred"][i, 0] >= (
                retired_cohorts if not transfers else 0
            )
            if not transfers:
                assert cls.by_year["retired"][i, 0] == retired_cohorts
        expected = (
            hulls - cls.by_year["retired"][i, 0] + delivered - cls.by_year["transferred"][i, 0]
        )
        assert cls.by_year["hulls"][i, 0] == expected >= 0
        assert cls.by_year["transferred"][i, 0] <= sum(n for d, n in transfers if d <= end)


def test_each_cohort_retires_at_the_end_of_its_year_plus_its_life() -> None:
    force = force_of(
        fleet_data(
            years=10,
            hulls=6,
            service_life_years=30,
            cohorts=[
                {"year": 1996, "hulls": 1},
                {"year": 1999, "hulls": 2},
                {"year": 2010, "hulls": 3},
            ],
        )
    )
    retired = dict(zip(force.years.labels, yearly(force.classes[0])["retired"][:, 0], strict=True))
    assert retired["FY2026"] == 1 and retired["FY2029"] == 2
    assert sum(int(v) for v in retired.values()) == 3  # the 2010 cohort serves to FY2040
    assert cumulative(force, "ddg", "hulls")[-1] == 3


def test_a_fractional_life_retires_that_share_of_a_year_later() -> None:
    """A 1995 hull with a 30.5-year life: the end of FY2025 (day 0) plus half of 365 days."""
    data = fleet_data(
        years=2, hulls=1, service_life_years=30.5, cohorts=[{"year": 1995, "hulls": 1}]
    )
    force = force_of(data)
    assert set(cumulative(force, "ddg", "retired")) == {1}
    data["scenario"]["warning_days"] = 182
    assert compile_scenario(build(data)).fleet.classes[0].initial_hulls == 1  # type: ignore[union-attr]
    data["scenario"]["warning_days"] = 183  # retired on day 182.5: gone when the war starts
    assert compile_scenario(build(data)).fleet.classes[0].initial_hulls == 0  # type: ignore[union-attr]


def test_without_a_start_date_years_are_365_days_from_the_newest_cohorts_next_year() -> None:
    force = force_of(
        fleet_data(
            years=4,
            start_date=None,
            hulls=3,
            service_life_years=2,
            cohorts=[{"year": 2000, "hulls": 1}, {"year": 2001, "hulls": 2}],
        )
    )
    # The decision day opens 2002 (year 1); 2000 + 2 ends with year 1, 2001 + 2 with year 2.
    assert force.years.labels[:4] == ("year 1", "year 2", "year 3", "year 4")
    assert list(force.years.ends[:4]) == [365.0, 730.0, 1095.0, 1460.0]
    assert cumulative(force, "ddg", "retired")[:3] == [1, 3, 3]


def test_a_transfer_takes_the_newest_hulls_and_never_more_than_serve() -> None:
    data = fleet_data(
        years=12,
        hulls=4,
        service_life_years=33,
        cohorts=[{"year": 1994, "hulls": 2}, {"year": 2015, "hulls": 2}],
        transfers=[{"day": 400, "hulls": 1, "to": "australia"}],
    )
    force = force_of(data)
    # The 2015 hull goes; both 1994 hulls still retire (FY2027), leaving one 2015 hull.
    assert cumulative(force, "ddg", "retired")[-1] == 2
    assert cumulative(force, "ddg", "hulls")[-1] == 1
    data["platforms"]["ddg"]["transfers"] = [
        {"day": 3000, "hulls": 2, "to": "australia"},
        {"day": 3100, "hulls": 2, "to": "australia"},
    ]
    force = force_of(data)
    assert cumulative(force, "ddg", "transferred")[-1] == 2  # only two serve after FY2027


def test_hulls_transferred_to_a_class_join_it() -> None:
    data = fleet_data(years=3, hulls=5, transfers=[{"day": 100, "hulls": 2, "to": "ssn_au"}])
    data["platforms"]["ssn_au"] = copy.deepcopy(data["platforms"]["ddg"]) | {"hulls": 0}
    del data["platforms"]["ssn_au"]["transfers"]
    force = force_of(data)
    assert cumulative(force, "ddg", "hulls") == [3, 3, 3]
    assert cumulative(force, "ssn_au", "received") == [2, 2, 2]
    assert cumulative(force, "ssn_au", "hulls") == [2, 2, 2]


def received(**au: Any) -> Any:
    """ddg: three 1996 hulls and two 1998 hulls, a 33-year life (retiring at the ends of FY2029
    and FY2031); on day 100 the two 1998 hulls (the newest) go to class `au`."""
    data = fleet_data(
        years=8,
        hulls=5,
        service_life_years=33,
        cohorts=[{"year": 1996, "hulls": 3}, {"year": 1998, "hulls": 2}],
        transfers=[{"day": 100, "hulls": 2, "to": "au"}],
    )
    ddg = copy.deepcopy(data["platforms"]["ddg"])
    del ddg["cohorts"]
    data["platforms"]["au"] = ddg | {"hulls": 0, "transfers": []} | au
    return data


def test_received_hulls_retire_at_the_end_of_their_own_life() -> None:
    force = force_of(received())
    assert cumulative(force, "ddg", "hulls") == [3, 3, 3, 0, 0, 0, 0, 0]
    assert cumulative(force, "au", "received") == [2] * 8
    assert cumulative(force, "au", "hulls") == [2, 2, 2, 2, 2, 0, 0, 0]  # FY2031: 1998 + 33
    assert cumulative(force, "au", "retired") == [0, 0, 0, 0, 0, 2, 2, 2]
    # The receiver's own life does not change the hulls' (they keep their class's).
    force = force_of(received(service_life_years=10))
    assert cumulative(force, "au", "hulls") == [2, 2, 2, 2, 2, 0, 0, 0]


def test_received_hulls_may_be_transferred_again() -> None:
    data = received(transfers=[{"day": 500, "hulls": 1, "to": "third"}])
    data["platforms"]["third"] = copy.deepcopy(data["platforms"]["au"]) | {"transfers": []}
    force = force_of(data)
    assert cumulative(force, "au", "hulls") == [2, 1, 1, 1, 1, 0, 0, 0]
    assert cumulative(force, "au", "transferred") == [0, 1, 1, 1, 1, 1, 1, 1]
    assert cumulative(force, "third", "hulls") == [0, 1, 1, 1, 1, 0, 0, 0]
    for name in ("ddg", "au", "third"):  # the identity holds for every class, every year
        c = by_name(force, name).by_year
        flows = c["delivered"] - c["retired"] - c["transferred"] + c["received"]
        assert np.array_equal(c["hulls"], by_name(force, name).initial + flows)


def test_transfers_of_received_hulls_are_bounded_and_never_cycle() -> None:
    data = received(transfers=[{"day": 500, "hulls": 3, "to": "nz"}])
    with pytest.raises(InputError, match=r"platforms\.au\.transfers\.0\.hulls: 3 hulls"):
        build(data)
    data = received(transfers=[{"day": 500, "hulls": 1, "to": "ddg"}])
    with pytest.raises(InputError, match=r"platforms\.(ddg|au)\.transfers\.0\.to: hulls would"):
        build(data)


# -- shared yards -------------------------------------------------------------------------------
def shared_yard(capacity: float, **columbia: Any) -> Any:
    data = fleet_data(years=10, hulls=0)
    data["platforms"]["ssbn"] = copy.deepcopy(data["platforms"]["ddg"])
    data["yards"] = {
        "eb": {
            "capacity_per_year": capacity,
            "builds": [
                {"platform": "ssbn", "work_per_hull": 2.5, "funded_per_year": 1.0} | columbia,
                {"platform": "ddg", "funded_per_year": 2.0},
            ],
        }
    }
    return data


@pytest.mark.parametrize(
    ("capacity", "ssbn_per_year", "ddg_per_year"),
    [(5.0, 1.0, 2.0), (3.0, 1.0, 0.5), (2.0, 0.8, 0.0), (4.5, 1.0, 2.0)],
)
def test_the_priority_class_gets_its_funded_work_first(
    capacity: float, ssbn_per_year: float, ddg_per_year: float
) -> None:
    force = force_of(shared_yard(capacity))
    for i, end in enumerate(force.years.ends):
        assert cumulative(force, "ssbn", "delivered")[i] == lots_by(end, ssbn_per_year)
        assert cumulative(force, "ddg", "delivered")[i] == lots_by(end, ddg_per_year)
    load = force.yards[0]
    assert load.name == "eb" and set(load.work) == {"ssbn", "ddg"}
    assert float(load.work["ssbn"][-1, 0]) == 2.5 * cumulative(force, "ssbn", "delivered")[-1]


def test_extra_orders_use_the_capacity_funded_work_leaves() -> None:
    """Capacity 5, funded work 4.5: 0.5 a year spare from the build time builds 2 extra ddg."""
    data = shared_yard(5.0)
    data["yards"]["eb"]["builds"][1] |= {"extra_hulls": 2, "build_time_days": 730}
    force = force_of(data)
    extra = [
        cumulative(force, "ddg", "delivered")[i] - lots_by(end, 2.0)
        for i, end in enumerate(force.years.ends)
    ]
    assert extra[0] == extra[1] == 0 and extra[-1] == 2
    assert extra[5] == 2  # 0.5 a year from day 730: two by the end of year 6


def test_a_class_with_its_own_yard_is_a_yard_of_one_class() -> None:
    own = fleet_data(
        years=5,
        hulls=1,
        yard={"hull_cost_usd": 1e9, "capacity_per_year": 1.5, "funded_per_year": 2.0},
    )
    shared = fleet_data(years=5, hulls=1)
    shared["yards"] = {
        "y": {"capacity_per_year": 1.5, "builds": [{"platform": "ddg", "funded_per_year": 2.0}]}
    }
    a, b = compile_scenario(build(own)).fleet, compile_scenario(build(shared)).fleet
    assert a is not None and b is not None
    assert a.classes[0].initial_hulls == b.classes[0].initial_hulls == 1 + lots_by(5 * 365, 1.5)
    assert cumulative(force_of(own), "ddg", "hulls") == cumulative(force_of(shared), "ddg", "hulls")


# -- cells and the war --------------------------------------------------------------------------
def test_cells_are_hulls_times_cells_per_hull_summed() -> None:
    data = shared_yard(3.0)
    data["platforms"]["ssbn"]["cells_per_hull"] = 24
    force = force_of(data)
    expected = sum(
        np.asarray(cumulative(force, name, "hulls")) * cells
        for name, cells in (("ssbn", 24), ("ddg", 96))
    )
    np.testing.assert_array_equal(total_cells(force)[:, 0], expected)


def test_the_war_meets_the_projected_fleet() -> None:
    data = fleet_data(
        years=8,
        hulls=10,
        service_life_years=30,
        cohorts=[{"year": 1996, "hulls": 4}, {"year": 2012, "hulls": 6}],
        transfers=[{"day": 1000, "hulls": 1, "to": "ally"}],
        yard={"hull_cost_usd": 1e9, "capacity_per_year": 1.2, "funded_per_year": 2.0},
    )
    model = compile_scenario(build(data))
    assert model.fleet is not None
    war = 8 * 365
    assert model.fleet.classes[0].initial_hulls == 10 - 4 - 1 + lots_by(war, 1.2)


# -- monotonicity -------------------------------------------------------------------------------
@settings(max_examples=30, deadline=None)
@given(
    capacity=st.floats(0.0, 4.0),
    more=st.floats(0.0, 3.0),
    life=st.floats(1.0, 40.0),
    longer=st.floats(0.0, 20.0),
    transfer=st.integers(0, 4),
)
def test_more_capacity_or_a_longer_life_never_lowers_the_fleet(
    capacity: float, more: float, life: float, longer: float, transfer: int
) -> None:
    def hulls(cap: float, years: float) -> np.ndarray:
        data = shared_yard(cap)
        for name in ("ssbn", "ddg"):
            data["platforms"][name] |= {
                "hulls": 6,
                "service_life_years": min(years, 100.0),
                "cohorts": [{"year": 2000, "hulls": 3}, {"year": 2010, "hulls": 3}],
            }
        if transfer:
            data["platforms"]["ddg"]["transfers"] = [{"day": 1500, "hulls": transfer, "to": "x"}]
        force = force_of(data)
        return np.stack([c.by_year["hulls"][:, 0] for c in force.classes])

    base = hulls(capacity, life)
    assert np.all(hulls(capacity, life + longer) >= base)
    # Whole hulls: a faster yard's own deliveries also retire sooner, and floor(M(t)) -
    # floor(M(t - life)) can dip by one as M grows; so capacity is compared where the yard's
    # hulls outlast the 10-year projection (cohorts retire at any life).
    serving = max(life, 11.0)
    assert np.all(hulls(capacity + more, serving) >= hulls(capacity, serving))


# -- bad input ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"cohorts": [{"year": 2000, "hulls": 2}]},
            "platforms.ddg.cohorts: cohorts add up to 2 hulls, not the class's hulls = 3",
        ),
        (
            {"transfers": [{"day": 10, "hulls": 4, "to": "au"}]},
            "platforms.ddg.transfers.0.hulls: 4 hulls transferred by day 10",
        ),
        ({"service_life_years": 0}, "platforms.ddg.service_life_years"),
    ],
)
def test_bad_force_input_names_the_field(change: dict[str, Any], message: str) -> None:
    data = fleet_data(hulls=3, **change)
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(".", r"\.")):
        build(data)


def test_a_yard_naming_an_unknown_class_exits_2(tmp_path: Path) -> None:
    text = EXAMPLE.read_text() + (
        '\n[yards.eb]\ncapacity_per_year = 2.0\nbuilds = [ { platform = "virginia", '
        "funded_per_year = 2.0 } ]\n"
    )
    config = tmp_path / "bad.toml"
    config.write_text(text)
    result = runner.invoke(app, ["run", str(config), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "yards.eb.builds.0.platform: no platform class 'virginia'" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()


def test_a_transfer_to_an_unknown_receiver_is_refused_when_nations_are_given() -> None:
    data = fleet_data(hulls=3, nation="us", transfers=[{"day": 10, "hulls": 1, "to": "mars"}])
    data["nations"] = {"us": {"name": "US"}, "au": {"name": "Australia"}}
    data["munitions"]["m"]["nation"] = "us"
    with pytest.raises(InputError, match=r"platforms\.ddg\.transfers\.0\.to: no nation"):
        build(data)
    data["platforms"]["ddg"]["transfers"][0]["to"] = "au"
    build(data)


# -- Monte Carlo --------------------------------------------------------------------------------
def test_a_monte_carlo_reports_each_year_as_a_distribution(tmp_path: Path) -> None:
    life = 'platforms.ssn.service_life_years={dist="uniform",low=30,high=36}'
    args = ["run", str(EXAMPLE), "--out", str(tmp_path), "--replications", "50", "--set", life]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    summary = json.loads((tmp_path / "summary.json").read_text())
    fy2030 = summary["force"]["ssn"]["years"][4]
    assert fy2030["year"] == "FY2030"
    assert 46 <= fy2030["hulls"]["p50"] <= 56 and fy2030["hulls"]["mean"] is not None
    assert 'id="chart-force-inventory"' in (tmp_path / "report.html").read_text()
    rows = list(csv.DictReader(io.StringIO((tmp_path / "force.csv").read_text())))
    assert rows[4]["year"] == "FY2030"
    assert float(rows[4]["hulls_p50"]) == fy2030["hulls"]["p50"]
    assert float(rows[4]["hulls_p5"]) <= float(rows[4]["hulls_p50"]) <= float(rows[4]["hulls_p95"])


# -- invest --target-hulls ----------------------------------------------------------------------
def test_invest_buys_the_least_extra_hulls_in_closed_form(tmp_path: Path) -> None:
    """Ten hulls, none funded, a yard of 2 a year with no funded work: 4 extra hulls keep 14 from
    the third year on, at their price over the funding efficiency; 3 do not."""
    data = fleet_data(years=5, hulls=10)
    data["platforms"]["ddg"]["yard"] = {
        "hull_cost_usd": 1e9,
        "capacity_per_year": 2.0,
        "funded_per_year": 0.0,
        "supplemental": {"funding_efficiency": 0.5},
    }
    best, _ = solve_hulls(build(data), Target("ddg", 14, "FY2028"))
    assert best is not None and best.lever == "ddg: extra hulls"
    assert best.amount == 4 and best.cost_usd == 4 * 2e9 and best.less_fails


def test_invest_target_hulls_from_the_cli(tmp_path: Path) -> None:
    config = tmp_path / "ssn.toml"
    config.write_text(
        EXAMPLE.read_text()
        + "[platforms.ssn.life_extension]\nmost_years = 10\ncost_per_hull_year_usd = 0.5e9\n"
    )
    out = tmp_path / "out"
    args = ["invest", str(config), "--target-hulls", "ssn=50", "--by", "2030", "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    plan = json.loads((out / "invest.json").read_text())
    assert plan["best_single"]["lever"] == "life extension (years)"
    assert plan["best"]["less_fails"]
    assert plan["best"]["cost_usd"] <= plan["best_single"]["cost_usd"]
    closed = out / "closed.toml"
    hulls = by_name(force_of_scenario(load_scenario(closed)), "ssn").by_year["hulls"][4:, 0]
    assert hulls.min() >= 50  # FY2030 on
    curve = plan["cost_curve"]
    assert [r["hulls"] for r in curve] == list(range(46, 46 + len(curve)))
    assert all(a["cost_usd"] <= b["cost_usd"] for a, b in itertools.pairwise(curve))
    bad = runner.invoke(app, ["invest", str(config), "--target-hulls", "ssn=50"])
    assert bad.exit_code == 2 and "--by" in bad.output
    bad = runner.invoke(app, [*args[:3], "ddg=5", "--by", "2030"])
    assert bad.exit_code == 2 and "no platform class 'ddg'" in bad.output


def force_of_scenario(scenario: Any) -> Force:
    force = project_force(scenario, FIXED)
    assert force is not None
    return force


def test_when_the_priority_classs_funding_ends_the_next_class_gets_the_capacity() -> None:
    """Capacity 3: the ssbn's 2.5 leaves the ddg 0.5 a year until day 730, then its funded 2."""
    data = shared_yard(3.0, funded_until_day=730)
    force = force_of(data)
    for i, end in enumerate(force.years.ends):
        bound = LOT * (math.floor(end / LOT) + 1)
        made = (0.5 * min(bound, 730) + 2.0 * max(0.0, bound - 730)) / 365
        assert cumulative(force, "ddg", "delivered")[i] == math.floor(made + 1e-7)
        assert cumulative(force, "ssbn", "delivered")[i] == lots_by(min(end, 729), 1.0)


def test_the_workbook_has_the_force_by_year(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    assert runner.invoke(app, ["run", str(EXAMPLE), "--out", str(tmp_path)]).exit_code == 0
    result = runner.invoke(app, ["export", str(tmp_path), "--format", "xlsx"])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(tmp_path / "report.xlsx")["Force"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("class", "year", "end_day", "hulls")
    assert rows[5][1] == "FY2030" and rows[5][3] == 46


def test_the_headline_gives_each_class_its_start_low_end_and_years_below_goal() -> None:
    from wargame.report.headlines import force_findings

    years = [{"year": f"FY{2026 + i}", "hulls": h} for i, h in enumerate((49, 46, 47, 51))]
    summary = {"force": {"ssn": {"years": years, "goal_hulls": 48, "years_below_goal": [1, 2]}}}
    (finding,) = force_findings(summary)
    assert finding["lead"] == "SSN: 49 hulls at the end of FY2026"
    assert (
        finding["rest"]
        == "A low of 46 in FY2027, 51 by FY2029; below the goal of 48 in 2 of 4 years."
    )
    one_year = {"force": {"ddg": {"years": years[:1], "goal_hulls": None}}}
    assert force_findings(one_year) == []  # a war in the first year: nothing over the years


@given(war=st.integers(0, 6), length=st.integers(1, 4), life=st.integers(1, 8))
@settings(max_examples=30, deadline=None)
def test_the_years_defer_what_the_war_defers(war: int, length: int, life: int) -> None:
    """A war from year `war` for `length` years: a year ending after it starts counts only the
    retirements and transfers made by its start (as the engines keep those hulls), deliveries
    go on, and hulls are the identity of the counts."""
    data = fleet_data(
        years=war,
        start_date=None,
        hulls=10,
        service_life_years=life,
        cohorts=[{"year": 2000 + k, "hulls": 2} for k in range(5)],
        transfers=[{"day": 365 * (war + 1) - 10, "hulls": 1, "to": "ally"}],
        yard={"hull_cost_usd": 1e9, "capacity_per_year": 2.0, "funded_per_year": 2.0},
    )
    data["scenario"]["horizon_days"] = 365 * length
    force = force_of(data)
    ddg = by_name(force, "ddg")
    start = 365.0 * war
    after = force.years.ends > start
    for field in ("retired", "transferred"):
        counts = ddg.by_year[field][:, 0]
        assert np.all(counts[after] == ddg.at_war[field][0, 0])
    assert np.all(ddg.by_year["transferred"][:, 0] == 0)  # its only transfer is in the war
    delivered = ddg.by_year["delivered"][:, 0]
    assert delivered[-1] >= lots_by(force.years.ends[-1] - 30.0, 2.0)  # deliveries go on
    hulls = (
        ddg.initial[0]
        + delivered
        - ddg.by_year["retired"][:, 0]
        - ddg.by_year["transferred"][:, 0]
        + ddg.by_year["received"][:, 0]
    )
    assert np.array_equal(hulls, ddg.by_year["hulls"][:, 0])


def test_yard_work_is_to_six_places_in_monte_carlo_runs_as_in_single_runs() -> None:
    """A year's work is a difference of running totals: its float noise is rounded away in a
    Monte Carlo's percentiles as in a single run's numbers."""
    data = fleet_data(
        years=6, yard={"hull_cost_usd": 1e9, "capacity_per_year": 1.3, "funded_per_year": 1.3}
    )
    capacity = np.linspace(1.1, 2.9, 40)
    draws = Draws(size=40, values={"platforms.ddg.yard.capacity_per_year": capacity})
    block = montecarlo_blocks(project_force(build(data), draws))["yards"]
    stats = [s for year in block["ddg"] for s in (year["capacity"], *year["work"].values())]
    values = [s[k] for s in stats for k in ("p5", "p50", "p95")]
    assert any(v != round(v) for v in values)  # fractional work: the rounding is exercised
    assert all(v == round(v, 6) for v in values)
