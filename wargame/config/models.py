"""The scenario file's schema as frozen pydantic models.

Units live in field names (`rate_per_day`, `unit_cost_usd`, `lead_time_days`) and in each field's
`unit` schema entry, which the report's assumptions table shows. Every section may carry a `sources`
table naming the public source (or "assumption: ...") of each number it sets.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

DAYS_PER_YEAR = 365.0
MONTH_DAYS = DAYS_PER_YEAR / 12.0
MAX_DAYS = 36_500  # a century: anything longer is a typo, not a scenario
# Physical upper bounds. Each is far above anything real, and low enough that every running total
# (stock + deliveries + demand over MAX_DAYS) stays exact in float64 (below 2**53) and in int64.
MAX_MISSILES = 10**9  # a stock or an order: about a thousand times the world's cruise missiles
MAX_PER_DAY = 10**7  # shots demanded a day: no war has fired more than thousands a day
MAX_PER_YEAR = 10**9  # output of one line a year (missiles, components or hulls)
MAX_USD = 1e12  # the price of one item or capability: more than a year of the Navy's budget
MAX_HULLS = 10_000  # hulls of one class, lost a day, or arriving at once
MAX_CELLS = 10_000  # launch cells on one hull (an Ohio SSGN has 154)
MAX_COMPONENTS_PER_UNIT = 1_000  # components of one kind in one missile (or one component)
MAX_SEED = 2**63 - 1
NAME_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"


def quantity(unit: str, **kwargs: Any) -> Any:
    """A pydantic Field that records its unit in the JSON Schema (and so in the report)."""
    return Field(json_schema_extra={"unit": unit}, **kwargs)


class Section(BaseModel):
    """Base of every table in a scenario file: frozen, strict, no unknown keys, finite numbers."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, allow_inf_nan=False)

    sources: dict[str, str] = Field(
        default_factory=dict,
        description="Public source of each number in this table, keyed by field name; "
        "write 'assumption: ...' where none exists.",
    )

    @model_validator(mode="after")
    def _sources_name_fields(self) -> Section:
        known = set(type(self).model_fields) - {"sources"}
        for key in self.sources:
            if key not in known:
                raise ValueError(f"sources.{key}: no field named {key!r} in this table")
        return self


class ScenarioMeta(Section):
    """The `[scenario]` table: what is simulated, for how long, and from when."""

    name: str = Field(min_length=1, max_length=200, description="Title shown in reports.")
    description: str = Field(default="", max_length=5000)
    horizon_days: int = quantity(
        "days", gt=0, le=MAX_DAYS, description="Length of the simulated conflict."
    )
    warning_days: int = quantity(
        "days",
        default=0,
        ge=0,
        le=MAX_DAYS,
        description="Days from the decision day (day 0, money voted) to the conflict start.",
    )
    salvo_interval_days: float = quantity(
        "days",
        default=1.0,
        gt=0,
        le=30,
        description="Firing demand is fired in salvos at this interval; "
        "days to depletion is exact to within one interval.",
    )
    seed: int = Field(
        default=0, ge=0, le=MAX_SEED, description="Seed for every random draw (SeedSequence)."
    )
    replications: int | None = Field(
        default=None,
        ge=1,
        le=10_000_000,
        description="Monte Carlo replications, each drawing the uncertain inputs afresh "
        "(default: 1000 when any input is uncertain, else 1).",
    )
    start_date: dt.date | None = Field(
        default=None,
        strict=False,
        description="Calendar date of the decision day (day 0), ISO 'YYYY-MM-DD'; with it, "
        "reports label days with dates and US fiscal years (October to September).",
    )
    target_days: float = quantity(
        "days from conflict start",
        default=30.0,
        gt=0,
        le=MAX_DAYS,
        description="The day p_depleted_by reports the probability of having run out by.",
    )


class RatePhase(Section):
    """A constant rate over part of the conflict, in days from the conflict start."""

    start_day: float = quantity("days from conflict start", ge=0, le=MAX_DAYS)
    end_day: float | None = quantity(
        "days from conflict start",
        default=None,
        gt=0,
        le=MAX_DAYS,
        description="Exclusive end; omit to run to the horizon.",
    )
    rate_per_day: float
    source: str | None = Field(default=None, description="Public source of this phase's rate.")

    @model_validator(mode="after")
    def _ends_after_start(self) -> RatePhase:
        if self.end_day is not None and self.end_day <= self.start_day:
            raise ValueError(f"end_day {self.end_day:g} is not after start_day {self.start_day:g}")
        return self

    @property
    def end(self) -> float:
        """End day, infinite when the phase runs to the horizon."""
        return math.inf if self.end_day is None else self.end_day


class FiringPhase(RatePhase):
    """Shots demanded per day over part of the conflict, or before it (negative days: operations
    in peacetime that draw the stock, from the decision day at the earliest)."""

    start_day: float = quantity(
        "days from conflict start",
        ge=-MAX_DAYS,
        le=MAX_DAYS,
        description="Negative: before the conflict (not before the decision day); such fire draws "
        "the stock in peacetime, as tests and training do.",
    )
    end_day: float | None = quantity(
        "days from conflict start",
        default=None,
        gt=-MAX_DAYS,
        le=MAX_DAYS,
        description="Exclusive end; omit to run to the horizon.",
    )
    rate_per_day: float = quantity(
        "missiles/day", ge=0, le=MAX_PER_DAY, description="Shots demanded per day."
    )
    start_date: dt.date | None = Field(
        default=None,
        strict=False,
        description="Instead of start_day, with [scenario] start_date: the phase's first date "
        "(ISO 'YYYY-MM-DD'); sets start_day.",
    )
    end_date: dt.date | None = Field(
        default=None,
        strict=False,
        description="Instead of end_day, with [scenario] start_date: the exclusive end date.",
    )


def check_no_overlap(phases: list[Any]) -> None:
    """Raise naming the first two phases (list positions) whose day ranges overlap."""
    ordered = sorted(enumerate(phases), key=lambda item: item[1].start_day)
    for (i, earlier), (j, later) in itertools.pairwise(ordered):
        if later.start_day < earlier.end:
            end = "the horizon" if earlier.end_day is None else f"day {earlier.end_day:g}"
            raise ValueError(
                f"phase {j} (from day {later.start_day:g}) overlaps phase {i} "
                f"(day {earlier.start_day:g} to {end})"
            )


class Surge(Section):
    """A wartime surge: the line's rate rises linearly to `rate_per_year` after a delay."""

    rate_per_year: float = quantity(
        "missiles/year", ge=0, le=MAX_PER_YEAR, description="Surge output."
    )
    delay_days: float = quantity(
        "days after conflict start", default=0.0, ge=0, le=MAX_DAYS, description="Ramp start."
    )
    ramp_days: float = quantity("days", default=0.0, ge=0, le=MAX_DAYS, description="Ramp length.")


class LineSection(Section):
    """A line of missiles or of components: funded output and surge within its capacity, whole
    components per unit (the fields are the subclass's, in its order)."""

    @field_validator("funded_per_year", check_fields=False)
    @classmethod
    def _funded_within_capacity(cls, value: float, info: ValidationInfo) -> float:
        check_within_capacity("funded_per_year", value, info)
        return value

    @field_validator("surge", check_fields=False)
    @classmethod
    def _surge_within_capacity(cls, value: Surge | None, info: ValidationInfo) -> Surge | None:
        if value is not None:
            check_within_capacity("surge rate_per_year", value.rate_per_year, info)
        return value

    @field_validator("components", check_fields=False)
    @classmethod
    def _whole_components(cls, value: dict[str, int]) -> dict[str, int]:
        return check_components(value)


class Production(LineSection):
    """A munition's production line. Rates are line output; `foreign_share` of it goes abroad."""

    capacity_per_year: float = quantity(
        "missiles/year", ge=0, le=MAX_PER_YEAR, description="What the line could build if funded."
    )
    funded_per_year: float = quantity(
        "missiles/year",
        ge=0,
        le=MAX_PER_YEAR,
        description="Deliveries per year once the lead time has passed.",
    )
    lead_time_days: float = quantity(
        "days",
        default=0.0,
        ge=0,
        le=MAX_DAYS,
        description="From the decision day to first delivery.",
    )
    lot_interval_days: float = quantity(
        "days",
        default=MONTH_DAYS,
        ge=1,
        le=DAYS_PER_YEAR,
        description="Deliveries come in lots, at most one a day.",
    )
    foreign_share: float = quantity(
        "fraction",
        default=0.0,
        ge=0,
        lt=1,
        description="Share of output delivered to foreign buyers.",
    )
    surge: Surge | None = None
    lot_slip_days: float = quantity(
        "days",
        default=0.0,
        ge=0,
        le=MAX_DAYS,
        description="Each lot arrives this late; as a distribution, every lot draws its own slip.",
    )
    foreign_to: str | None = Field(
        default=None,
        description="A munition (an ally's) that the foreign share is delivered into; without "
        "it the foreign share leaves the scenario.",
    )
    foreign_delay_days: float = quantity(
        "days",
        default=0.0,
        ge=0,
        le=MAX_DAYS,
        description="From a lot's delivery to its foreign share reaching the ally's stock.",
    )
    components: dict[str, int] = Field(
        default_factory=dict,
        description="Components one missile takes, keyed by supplier: { srm = 1, seeker = 1 }; "
        "the line's output is limited by what those suppliers deliver.",
    )


def check_components(value: dict[str, int]) -> dict[str, int]:
    """Each entry is a whole number of components from 1 to MAX_COMPONENTS_PER_UNIT."""
    for name, count in value.items():
        if not 1 <= count <= MAX_COMPONENTS_PER_UNIT:
            raise ValueError(
                f"{name}: {count} components a unit is outside 1 to {MAX_COMPONENTS_PER_UNIT:,}"
            )
    return value


def check_within_capacity(what: str, rate: float, info: ValidationInfo) -> None:
    capacity = info.data.get("capacity_per_year")
    if capacity is not None and rate > capacity:
        raise ValueError(f"{what} {rate:g}/yr exceeds capacity_per_year {capacity:g}/yr")


class Levers(Section):
    """How a line (of missiles or of hulls) can be expanded with capital, and how money converts."""

    added_capacity_per_year: float = quantity(
        "units/year",
        default=0.0,
        ge=0,
        le=MAX_PER_YEAR,
        description="Line capacity added by capital.",
    )
    expansion_delay_days: float = quantity(
        "days", default=365.0, ge=0, le=MAX_DAYS, description="Decision day to the ramp's start."
    )
    expansion_ramp_days: float = quantity(
        "days", default=730.0, ge=0, le=MAX_DAYS, description="Ramp to full added capacity."
    )
    expansion_ceiling_ratio: float = quantity(
        "x capacity_per_year",
        default=1.0,
        ge=0,
        le=100,
        description="Most capacity that can be added, as a multiple of today's capacity.",
    )
    expansion_cost_ratio: float = quantity(
        "x unit price per unit/year",
        default=1.0,
        ge=0,
        le=1000,
        description="Capital per unit-a-year of added capacity, as a multiple of the unit price.",
    )
    funding_efficiency: float = quantity(
        "fraction",
        default=0.5,
        ge=0.001,  # a dollar buying less than a tenth of a percent of its list output is no lever
        le=1,
        description="Output per dollar relative to list price: a unit or capacity costs "
        "its price divided by this.",
    )


class Supplemental(Levers):
    """What supplemental money can buy for a munition, and (once decided) what it bought.

    `wargame invest` chooses `missiles` and `added_capacity_per_year`; the other fields price the
    levers and time the expansion. Missiles ordered on the decision day arrive from the line's lead
    time, as fast as the line's spare capacity (today's plus any added) allows.
    """

    missiles: int = quantity(
        "missiles", default=0, ge=0, le=MAX_MISSILES, description="Extra missiles ordered."
    )
    multiyear_discount: float = quantity(
        "fraction", default=0.0, ge=0, lt=1, description="Discount on supplemental missile buys."
    )
    expansion_ceiling_per_year: float | None = quantity(
        "missiles/year",
        default=None,
        ge=0,
        le=MAX_PER_YEAR,
        description="The most capacity that can be added, in place of the ceiling ratio: a line "
        "funded from nothing (co-production), on this munition's lead time, expansion delay, "
        "ramp and capital cost.",
    )
    from_line: str | None = Field(
        default=None,
        description="Another munition whose line can also make this one's supplemental missiles "
        "(an ally buying off the owner's line): they take its spare capacity after the owner's "
        "own supplemental order, and after earlier buyers in file order.",
    )
    from_line_missiles: int = quantity(
        "missiles",
        default=0,
        ge=0,
        le=MAX_MISSILES,
        description="Extra missiles ordered off another's line (from_line) on the decision day, "
        "billed to this munition's buyer at that line's price.",
    )
    from_line_delay_days: float = quantity(
        "days",
        default=0.0,
        ge=0,
        le=MAX_DAYS,
        description="From each lot off another's line (from_line) to its missiles reaching this "
        "stock.",
    )


class Munition(Section):
    """One munition type: its stock, its firing plan and its production line."""

    nation: str | None = Field(
        default=None, description="The nation that owns it (required when [nations] is given)."
    )
    inventory: int = quantity(
        "missiles", ge=0, le=MAX_MISSILES, description="Stock on the decision day."
    )
    unit_cost_usd: float = quantity("USD/missile", ge=0, le=MAX_USD)
    firing: list[FiringPhase] = Field(
        default_factory=list,
        description="Its own firing phases, non-overlapping (a mission of one); may be empty when "
        "missions draw on it.",
    )
    backlog: bool = Field(
        default=False, description="Carry unmet demand forward instead of losing it."
    )
    salvo_noise: Literal["none", "poisson"] = Field(
        default="none",
        description="'poisson': each salvo's size is Poisson around the plan's expected shots.",
    )
    peacetime_use_per_year: float = quantity(
        "missiles/year",
        default=0.0,
        ge=0,
        le=100_000,
        description="Fired in tests and training outside the war: drawn from the stock between "
        "the decision day and the conflict start, not during the conflict, and netted from the "
        "funded deliveries in rebuild years.",
    )
    production: Production
    supplemental: Supplemental = Field(default_factory=Supplemental)

    @field_validator("firing")
    @classmethod
    def _phases_do_not_overlap(cls, phases: list[FiringPhase]) -> list[FiringPhase]:
        check_no_overlap(phases)
        return phases
