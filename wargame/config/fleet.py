"""The launch side of a scenario: reload ports, platform classes, losses and shipyards.

Missiles in a depot do not fire themselves: a shot needs a loaded cell on a hull on station. Each
hull sails to its reload port when its cells run low, waits for a berth, reloads a cell at a time
and sails back. Durations are in days and are resolved to whole salvo intervals by the model.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from wargame.config.force import MAX_LIFE_YEARS, Cohort, HullTransfer, LifeExtension
from wargame.config.models import (
    MAX_CELLS,
    MAX_DAYS,
    MAX_HULLS,
    MAX_USD,
    Levers,
    RatePhase,
    Section,
    check_no_overlap,
    quantity,
)


class Port(Section):
    """A place where hulls reload: a pier, a tender, or (once fielded) replenishment at sea."""

    transit_days: float = quantity(
        "days", ge=0, le=365, description="One-way sailing time between station and this port."
    )
    berths: int = quantity("hulls", ge=1, le=MAX_HULLS, description="Hulls reloading at once.")
    reload_days_per_cell: float = quantity(
        "days/cell", ge=0, le=10, description="Time to load one cell."
    )
    available_from_day: float = quantity(
        "days from decision",
        default=0.0,
        ge=0,
        le=MAX_DAYS,
        description="First day the port can reload (at-sea reload is fielded later).",
    )
    purchased: bool = Field(
        default=True,
        description="Whether the capability exists; `wargame invest` may buy one that does not.",
    )
    capability_cost_usd: float = quantity(
        "USD",
        default=0.0,
        ge=0,
        le=MAX_USD,
        description="Price of the capability, if not yet purchased.",
    )


class LossPhase(RatePhase):
    """Hulls of a class lost per day over part of the conflict."""

    rate_per_day: float = quantity(
        "hulls/day", ge=0, le=MAX_HULLS, description="Expected hulls lost per day."
    )


class Reinforcement(Section):
    """Hulls arriving from other theaters, empty, at their reload port."""

    day: float = quantity("days from conflict start", ge=0, le=MAX_DAYS)
    hulls: int = quantity("hulls", ge=1, le=MAX_HULLS)


class YardLevers(Levers):
    """What shipbuilding money buys: extra hulls (`hulls`) and added yard capacity."""

    hulls: int = quantity(
        "hulls", default=0, ge=0, le=MAX_HULLS, description="Extra hulls ordered."
    )


class Yard(Section):
    """The shipyard building a class: funded hulls delivered, after the build time, as fast as
    the yard's capacity allows (which may be below the funded rate)."""

    hull_cost_usd: float = quantity("USD/hull", ge=0, le=MAX_USD)
    capacity_per_year: float = quantity("hulls/year", ge=0, le=1000)
    funded_per_year: float = quantity("hulls/year", ge=0, le=1000)
    build_time_days: float = quantity(
        "days",
        default=0.0,
        ge=0,
        le=MAX_DAYS,
        description="Decision day to the delivery of a hull ordered then (the pipeline of hulls "
        "already building delivers from day 0).",
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
    supplemental: YardLevers = Field(default_factory=YardLevers)


class PlatformClass(Section):
    """A class of launch platform (destroyer, cruiser, submarine block) in the theater."""

    nation: str | None = Field(
        default=None, description="The nation that owns it (required when [nations] is given)."
    )
    hulls: int = quantity(
        "hulls",
        ge=0,
        le=MAX_HULLS,
        description="In service at the decision day: on station at the conflict start unless "
        "retired or transferred before it.",
    )
    cells_per_hull: int = quantity("cells", ge=1, le=MAX_CELLS)
    loadout: dict[str, float] = Field(
        min_length=1, description="Share of each hull's cells loaded with each munition."
    )
    reload_ports: list[str] = Field(
        min_length=1, description="Ports in order of preference; the first available is used."
    )
    reload_threshold: float = quantity(
        "fraction",
        default=0.0,
        ge=0,
        le=1,
        description="Leave station when any munition's loaded cells fall to this share of its "
        "cells.",
    )
    losses: list[LossPhase] = Field(default_factory=list)
    loss_noise: Literal["none", "poisson"] = Field(
        default="none",
        description="'poisson': hulls lost each step are Poisson around the loss rate.",
    )
    reinforcements: list[Reinforcement] = Field(default_factory=list)
    yard: Yard | None = None
    cohorts: list[Cohort] = Field(
        default_factory=list,
        max_length=1000,
        description="The hulls by year of commissioning (adding up to `hulls`); without them "
        "today's hulls do not retire.",
    )
    service_life_years: float | None = quantity(
        "years",
        default=None,
        gt=0,
        le=MAX_LIFE_YEARS,
        description="Each hull retires this long after the end of its commissioning year "
        "(delivered hulls: after their delivery). None: hulls do not retire.",
    )
    life_extension: LifeExtension | None = None
    transfers: list[HullTransfer] = Field(default_factory=list, max_length=1000)
    goal_hulls: int | None = quantity(
        "hulls",
        default=None,
        ge=0,
        le=MAX_HULLS,
        description="The force goal: summary.json counts the years the class is below it.",
    )

    @field_validator("cohorts")
    @classmethod
    def _cohorts_add_up(cls, cohorts: list[Cohort], info: ValidationInfo) -> list[Cohort]:
        hulls = info.data.get("hulls")
        total = sum(c.hulls for c in cohorts)
        if cohorts and hulls is not None and total != hulls:
            raise ValueError(f"cohorts add up to {total} hulls, not the class's hulls = {hulls}")
        years = [c.year for c in cohorts]
        for i, year in enumerate(years):
            if year in years[:i]:
                raise ValueError(f"{i}.year: {year} listed twice")
        return cohorts

    @field_validator("loadout")
    @classmethod
    def _shares_fit_the_cells(cls, loadout: dict[str, float]) -> dict[str, float]:
        for munition, share in loadout.items():
            if not 0 <= share <= 1:
                raise ValueError(f"share for {munition} must be between 0 and 1, got {share:g}")
        if sum(loadout.values()) > 1 + 1e-9:
            raise ValueError(f"shares add up to {sum(loadout.values()):g}, more than all cells")
        return loadout

    @model_validator(mode="after")
    def _carries_a_whole_cell(self) -> PlatformClass:
        if sum(math.floor(self.cells_per_hull * s + 1e-9) for s in self.loadout.values()) < 1:
            raise ValueError("loadout gives no whole cell to any munition")
        return self

    @field_validator("losses")
    @classmethod
    def _losses_do_not_overlap(cls, phases: list[LossPhase]) -> list[LossPhase]:
        check_no_overlap(phases)
        return phases
