"""Firing phases given by date: `start_date` / `end_date` become days from the conflict start.

With `[scenario] start_date` (the decision day's date), a munition's phase may say when it runs
by calendar date instead of by day; the date's day is counted by wargame/calendar.py, less the
warning days (so a date before the conflict start gives a negative day: fire before the war).
This runs on the raw file, before validation, so every later check reads days.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from wargame.calendar import date_to_day

DAY_FIELDS = (("start_date", "start_day"), ("end_date", "end_day"))


def dated_phases(data: Any) -> Any:
    """`data` with each munition's dated firing phases given their days (a copy if changed)."""
    if not isinstance(data, dict) or not _any_dated(data):
        return data
    data = copy.deepcopy(data)
    meta = data.get("scenario") if isinstance(data.get("scenario"), dict) else {}
    start = _date(meta.get("start_date"))
    if start is None and meta.get("start_date") is not None:
        return data  # not a date: scenario.start_date's own check names it
    warning = meta.get("warning_days", 0)
    for name, munition in data["munitions"].items():
        for i, phase in enumerate(munition.get("firing") or []):
            for date_field, day_field in DAY_FIELDS:
                if not isinstance(phase, dict) or phase.get(date_field) is None:
                    continue
                where = f"munitions.{name}.firing.{i}.{date_field}"
                if start is None:
                    raise ValueError(f"{where}: a dated phase needs [scenario] start_date")
                if day_field in phase:
                    raise ValueError(f"{where}: give {date_field} or {day_field}, not both")
                when = _date(phase[date_field])
                if when is None or not isinstance(warning, int):
                    raise ValueError(f"{where}: not a date (use 'YYYY-MM-DD')")
                phase[day_field] = float(date_to_day(start, when) - warning)
    return data


def _any_dated(data: dict[str, Any]) -> bool:
    munitions = data.get("munitions")
    if not isinstance(munitions, dict):
        return False
    return any(
        isinstance(phase, dict) and any(phase.get(f) is not None for f, _ in DAY_FIELDS)
        for munition in munitions.values()
        if isinstance(munition, dict)
        for phase in (munition.get("firing") or [])
    )


def _date(value: Any) -> dt.date | None:
    """A TOML date, or an ISO string (from --set); None if neither."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None
