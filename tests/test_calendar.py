"""The one calendar: days, dates and US fiscal years (October to September)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from wargame.calendar import (
    day_label,
    day_to_date,
    fiscal_year,
    fiscal_year_ends,
    fiscal_year_of_day,
    fiscal_year_start_day,
)

DECISION = dt.date(2025, 10, 1)


def test_fiscal_years_split_at_october_first() -> None:
    assert fiscal_year(dt.date(2025, 9, 30)) == 2025
    assert fiscal_year(dt.date(2025, 10, 1)) == 2026
    assert fiscal_year(dt.date(2026, 9, 30)) == 2026
    assert fiscal_year_of_day(DECISION, 364.9) == 2026  # 2026-09-30
    assert fiscal_year_of_day(DECISION, 365) == 2027  # 2026-10-01


def test_a_fiscal_year_starts_on_the_day_the_calendar_says() -> None:
    assert fiscal_year_start_day(DECISION, 2026) == 0
    assert fiscal_year_start_day(DECISION, 2027) == 365
    assert fiscal_year_start_day(DECISION, 2029) == 365 * 3 + 1  # 2028 is a leap year
    assert fiscal_year_start_day(DECISION, 2025) == -365


def test_fiscal_year_ends_cover_the_horizon_with_a_partial_last_year() -> None:
    assert fiscal_year_ends(DECISION, 0, 800) == [(2026, 365.0), (2027, 730.0), (2028, 800.0)]
    assert fiscal_year_ends(DECISION, 0, 365) == [(2026, 365.0)]
    mid_year = dt.date(2026, 3, 1)
    assert fiscal_year_ends(mid_year, 0, 100) == [(2026, 100.0)]
    assert fiscal_year_ends(mid_year, 0, 300)[0] == (2026, 214.0)  # 2026-10-01


@given(st.dates(dt.date(1950, 1, 1), dt.date(2100, 1, 1)), st.floats(0, 20_000))
def test_every_day_falls_in_the_fiscal_year_its_date_names(start: dt.date, day: float) -> None:
    year = fiscal_year_of_day(start, day)
    assert fiscal_year_start_day(start, year) <= day < fiscal_year_start_day(start, year + 1)
    assert day_label(start, day).endswith(f"(FY{year})")
    assert day_to_date(start, day) >= start


def test_days_without_a_calendar_stay_days() -> None:
    assert day_label(None, 12) == "day 12"
