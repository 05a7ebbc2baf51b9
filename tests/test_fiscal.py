"""Then-year dollars and US fiscal years in invest's outlays."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from tests.test_invest import invest_data, write
from wargame.analysis.fiscal import split_by_fiscal_year
from wargame.cli import app
from wargame.config.economics import Economics

runner = CliRunner()
START = dt.date(2026, 9, 1)  # FY2026 has 30 days left (September)


def test_a_spread_splits_at_october_first() -> None:
    """A year's build from 2026-09-01: 30 of 365 days in FY2026, the rest in FY2027."""
    parts = split_by_fiscal_year(START, 0.0, 365.0, 365.0)
    assert [y for y, _ in parts] == [2026, 2027]
    assert [usd for _, usd in parts] == pytest.approx([30.0, 335.0])
    assert split_by_fiscal_year(START, 29.0, 29.0, 5.0) == [(2026, 5.0)]  # 2026-09-30
    assert split_by_fiscal_year(START, 30.0, 30.0, 5.0) == [(2027, 5.0)]  # 2026-10-01


@given(first=st.integers(-400, 2000), length=st.integers(0, 3000), usd=st.floats(1.0, 1e9))
@settings(max_examples=50, deadline=None)
def test_a_split_keeps_every_dollar_in_the_years_of_its_days(
    first: int, length: int, usd: float
) -> None:
    parts = split_by_fiscal_year(START, float(first), float(first + length), usd)
    assert math.isclose(sum(p for _, p in parts), usd, rel_tol=1e-9)
    years = [y for y, _ in parts]
    assert years == sorted(set(years))


def economics_data(economics: dict[str, Any]) -> dict[str, Any]:
    """A plan with missiles paid over two fiscal years and capital spread over three."""
    data = invest_data(
        inventory=1000,
        rate=100.0,
        capacity=1000.0,
        lead=200.0,
        warning=500,
        horizon=60,
        expansion_delay_days=100.0,
        expansion_ramp_days=400.0,
        expansion_ceiling_ratio=10.0,
    )
    data["scenario"]["start_date"] = START.isoformat()
    data["economics"] = economics
    return data


def invest_json(data: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    config = write(data, tmp_path / "s.toml")
    out = tmp_path / "out"
    result = runner.invoke(app, ["invest", str(config), "--target-days", "30", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Outlays by US fiscal year" in (out / "invest.html").read_text()
    loaded: dict[str, Any] = json.loads((out / "invest.json").read_text())
    return loaded


def test_then_year_is_constant_times_the_index_year_by_year(tmp_path: Path) -> None:
    """A table for FY2026-2027, 3% a year beyond it; FY2026 dollars."""
    economics = {"inflation_index": {"2026": 1.0, "2027": 1.02}, "inflation_per_year": 0.03}
    plan = invest_json(economics_data(economics), tmp_path)
    fiscal = plan["outlays_by_fiscal_year"]
    assert fiscal["base_fiscal_year"] == 2026 and fiscal["constant_dollars"] == "FY2026 dollars"
    index = {2026: 1.0, 2027: 1.02}
    years = [row["fiscal_year"] for row in fiscal["years"]]
    assert len(years) >= 2
    for row in fiscal["years"]:
        year = row["fiscal_year"]
        expected = index.get(year, 1.02 * 1.03 ** (year - 2027))
        assert row["then_year_factor"] == pytest.approx(expected)
        for kind, usd in row["constant_usd"].items():
            assert row["then_year_usd"][kind] == pytest.approx(usd * expected)
    # no cost growth: constant dollars add up to the plan's cost, every dollar in some year
    assert fiscal["total_constant_usd"] == pytest.approx(plan["total_usd"])
    assert fiscal["total_then_year_usd"] > fiscal["total_constant_usd"]


def test_cost_growth_prices_later_years_in_constant_dollars(tmp_path: Path) -> None:
    flat = invest_json(economics_data({}), tmp_path / "a")["outlays_by_fiscal_year"]
    grown = invest_json(economics_data({"cost_growth_per_year": {"m": 0.1}}), tmp_path / "b")
    for a, b in zip(flat["years"], grown["outlays_by_fiscal_year"]["years"], strict=True):
        growth = 1.1 ** (a["fiscal_year"] - 2026)
        assert b["constant_usd"]["total_usd"] == pytest.approx(
            a["constant_usd"]["total_usd"] * growth
        )
        assert a["then_year_usd"] == a["constant_usd"]  # no inflation: the same dollars


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["scenario"].pop("start_date"), "economics: needs [scenario] start_date"),
        (
            lambda d: d["economics"].update(cost_growth_per_year={"thaad": 0.1}),
            "economics.cost_growth_per_year.thaad",
        ),
        (
            lambda d: d["economics"].update(inflation_index={"FY26": 1.0}),
            "economics.inflation_index",
        ),
    ],
)
def test_bad_economics_exit_2(change: Any, message: str, tmp_path: Path) -> None:
    data = economics_data({"inflation_per_year": 0.02})
    change(data)
    result = runner.invoke(app, ["validate", str(write(data, tmp_path / "bad.toml"))])
    assert result.exit_code == 2
    assert message in result.output


@given(
    low=st.floats(0.5, 2.0),
    high=st.floats(0.5, 2.0),
    gap=st.integers(2, 6),
    rate=st.floats(0.0, 0.1),
)
def test_an_index_year_the_table_leaves_out_grows_at_the_steady_rate_between(
    low: float, high: float, gap: int, rate: float
) -> None:
    """Between two listed years the index grows geometrically (a constant rate that takes one to
    the other); beyond the table, at inflation_per_year from its nearest end."""
    table = Economics(inflation_index={"2030": low, str(2030 + gap): high}, inflation_per_year=rate)
    step = (high / low) ** (1 / gap)
    for k in range(gap + 1):
        assert math.isclose(table.index(2030 + k), low * step**k, rel_tol=1e-12)
    assert math.isclose(table.index(2028), low * (1 + rate) ** -2, rel_tol=1e-12)
    assert math.isclose(table.index(2031 + gap), high * (1 + rate), rel_tol=1e-12)
