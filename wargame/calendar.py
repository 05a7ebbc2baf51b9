"""One calendar: simulation days, dates and US fiscal years convert here and nowhere else.

Day 0 is the decision day. When a scenario gives `start_date`, day d is the date
`start_date + d days` (whole days; a fractional day belongs to the date it falls in). The US
federal fiscal year runs from October 1 to September 30 and is named for the calendar year in
which it ends: FY2026 is 2025-10-01 to 2026-09-30. Without a start date, days stay days and a
"year" is the 365-day year counted from the decision day (year 1 is days 0-365), as before.
"""

from __future__ import annotations

import datetime as dt
import math

FISCAL_YEAR_START_MONTH = 10  # October 1 opens the next fiscal year


def day_to_date(start: dt.date, day: float) -> dt.date:
    """The calendar date of simulation `day` (days after the decision day `start`)."""
    return start + dt.timedelta(days=math.floor(day))


def date_to_day(start: dt.date, when: dt.date) -> int:
    """Whole days from the decision day `start` to `when` (negative before it)."""
    return (when - start).days


def fiscal_year(when: dt.date) -> int:
    """The US fiscal year that contains `when` (FY2026 begins on 2025-10-01)."""
    return when.year + 1 if when.month >= FISCAL_YEAR_START_MONTH else when.year


def fiscal_year_of_day(start: dt.date, day: float) -> int:
    """The US fiscal year containing simulation `day`."""
    return fiscal_year(day_to_date(start, day))


def fiscal_year_start(year: int) -> dt.date:
    """October 1 of the calendar year before `year`: the first day of FY`year`."""
    return dt.date(year - 1, FISCAL_YEAR_START_MONTH, 1)


def fiscal_year_start_day(start: dt.date, year: int) -> int:
    """The simulation day on which FY`year` begins (negative if it began before `start`)."""
    return date_to_day(start, fiscal_year_start(year))


def fiscal_year_ends(start: dt.date, first_day: float, last_day: float) -> list[tuple[int, float]]:
    """Each fiscal year that ends in (first_day, last_day], as (year, day of its end).

    FY`y` ends at the instant FY`y+1` begins (October 1, 00:00), so a quantity read at a fiscal
    year's end is read on the day FY`y+1` begins. When `last_day` falls inside a year, that last,
    partial year is included with `last_day` as its end.
    """
    ends: list[tuple[int, float]] = []
    year = fiscal_year_of_day(start, first_day)
    while (end := fiscal_year_start_day(start, year + 1)) <= last_day:
        if end > first_day:
            ends.append((year, float(end)))
        year += 1
    if last_day > first_day and (not ends or ends[-1][1] < last_day):
        ends.append((year, float(last_day)))
    return ends


def fiscal_year_label(year: int) -> str:
    """How people write a fiscal year: 'FY2026'."""
    return f"FY{year}"


def day_label(start: dt.date | None, day: float) -> str:
    """A day as people read it: 'day 12' without a calendar, '2026-10-13 (FY2027)' with one."""
    if start is None:
        return f"day {day:g}"
    when = day_to_date(start, day)
    return f"{when.isoformat()} ({fiscal_year_label(fiscal_year(when))})"
