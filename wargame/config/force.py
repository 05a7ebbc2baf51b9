"""A class's force over decades: hulls in service by cohort, service life and transfers.

A cohort's `year` is the fiscal year its hulls were commissioned (US fiscal years, October to
September, when the scenario has a `start_date`). Each hull serves `service_life_years` from the
end of its commissioning year: a cohort of 1993 with a 33-year life retires at the end of FY2026.
"""

from __future__ import annotations

from pydantic import Field

from wargame.config.models import MAX_DAYS, MAX_HULLS, MAX_USD, Section, quantity

MIN_YEAR, MAX_YEAR = 1900, 2200  # commissioning years a scenario can name
MAX_LIFE_YEARS = 100.0  # no warship has served a century (USS Constitution is a museum)


class Cohort(Section):
    """Hulls of a class commissioned in one (fiscal) year."""

    year: int = quantity("year", ge=MIN_YEAR, le=MAX_YEAR, description="Year of commissioning.")
    hulls: int = quantity("hulls", ge=1, le=MAX_HULLS)


class HullTransfer(Section):
    """Hulls leaving the class on a day: to an ally's class or nation, or out of the fleet."""

    day: float = quantity("days from decision", ge=0, le=MAX_DAYS)
    hulls: int = quantity("hulls", ge=1, le=MAX_HULLS)
    to: str = Field(
        min_length=1,
        max_length=200,
        description="Who receives them: a platform class (the hulls join it), a nation, or a name.",
    )


class LifeExtension(Section):
    """Keeping hulls in service longer: a lever for `wargame invest --target-hulls`."""

    years: float = quantity(
        "years", default=0.0, ge=0, le=30, description="Extension applied to every hull's life."
    )
    most_years: float = quantity(
        "years", default=0.0, ge=0, le=30, description="The longest extension the hulls allow."
    )
    cost_per_hull_year_usd: float = quantity(
        "USD/hull-year",
        ge=0,
        le=MAX_USD,
        description="Cost of a hull's extra year in service (overhaul and upkeep).",
    )
