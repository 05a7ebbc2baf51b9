"""Shipyards that build several classes from one capacity, in a common unit of work.

Capacity is work a year (for example Virginia-equivalents: one Columbia is about 2.5). The classes
are served in priority order: each gets its funded work, up to what the classes before it left.
"""

from __future__ import annotations

from pydantic import Field, field_validator

from wargame.config.fleet import YardLevers
from wargame.config.models import MAX_DAYS, MAX_HULLS, MAX_USD, Section, quantity

# A hull is at least a thousandth of the yard's unit of work (a Virginia-equivalent yard building
# landing craft at 0.005 is the smallest real case): below it, capacity / work is not a count.
MIN_WORK_PER_HULL = 1e-3
MAX_WORK_PER_HULL = 100.0  # a hull as a multiple of the yard's unit (a Columbia is about 2.5)
MAX_WORK_PER_YEAR = 1000.0  # units of work a yard delivers a year


class YardBuild(Section):
    """One class a shared yard builds: its work per hull, funded orders and build time."""

    platform: str = Field(min_length=1, max_length=200, description="The class built.")
    work_per_hull: float = quantity(
        "work units/hull",
        default=1.0,
        ge=MIN_WORK_PER_HULL,
        le=MAX_WORK_PER_HULL,
        description="One hull in the yard's unit of work (a Columbia is about 2.5 Virginias).",
    )
    funded_per_year: float = quantity("hulls/year", ge=0, le=1000)
    hull_cost_usd: float = quantity("USD/hull", default=0.0, ge=0, le=MAX_USD)
    build_time_days: float = quantity(
        "days",
        default=0.0,
        ge=0,
        le=MAX_DAYS,
        description="Decision day to the delivery of an extra hull ordered then (the pipeline "
        "of hulls already building delivers from day 0).",
    )
    extra_hulls: int = quantity(
        "hulls",
        default=0,
        ge=0,
        le=MAX_HULLS,
        description="Extra hulls ordered on the decision day, built in capacity left over.",
    )
    transit_to_theater_days: float = quantity(
        "days", default=0.0, ge=0, le=365, description="From delivery to the theater's port."
    )
    theater_share: float = quantity(
        "fraction", default=1.0, ge=0, le=1, description="Share of delivered hulls sent here."
    )
    funded_until_day: float | None = quantity(
        "days from decision",
        default=None,
        ge=0,
        le=MAX_DAYS,
        description="The funded work ends on this day (a program's last hulls); None: never.",
    )


class SharedYard(Section):
    """A shipyard building several classes from one capacity, in priority order: each class in
    turn gets its funded work, up to what the classes before it left."""

    capacity_per_year: float = quantity(
        "work units/year", ge=0, le=MAX_WORK_PER_YEAR, description="Work the yard delivers a year."
    )
    builds: list[YardBuild] = Field(
        min_length=1, max_length=100, description="The classes it builds, first priority first."
    )
    supplemental: YardLevers = Field(default_factory=YardLevers)

    @field_validator("supplemental")
    @classmethod
    def _extra_hulls_name_a_class(cls, levers: YardLevers) -> YardLevers:
        if levers.hulls:
            raise ValueError("hulls: order extra hulls per class (builds.N.extra_hulls)")
        return levers

    @field_validator("builds")
    @classmethod
    def _each_class_once(cls, builds: list[YardBuild]) -> list[YardBuild]:
        names = [b.platform for b in builds]
        for i, name in enumerate(names):
            if name in names[:i]:
                raise ValueError(f"{i}.platform: {name!r} listed twice")
        return builds
