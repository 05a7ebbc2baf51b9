"""The collective side of a scenario: nations, missions served by several munitions, transfers.

A nation owns munitions (and their lines) and platform classes; it may join the war late, or not
at all. A mission demands shots and names, in order, the munitions that may serve it: each salvo
is served from the first listed munition that can fire (stock ashore, or a loaded cell on
station), then the next, a substitute firing `shots_per_demand` shots for each demanded one.
`pooling = "pooled"` lets any joined coalition member's listed munitions serve; `"national"`
splits the demand by `shares` and each nation serves its share from its own munitions only. A
scenario without nations or missions is one implicit nation whose munitions each fire their own
`firing` plan: a mission of one.
"""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field, field_validator

from wargame.config.models import (
    MAX_DAYS,
    MAX_MISSILES,
    FiringPhase,
    Section,
    check_no_overlap,
    quantity,
)

MAX_SPENDING_USD = 1e15  # a thousand times a year of the world's defence spending
MAX_SHOTS_PER_DEMAND = 100.0  # a substitute needing more than 100 shots a target is no substitute
SHARE_SLACK = 1e-9


class Nation(Section):
    """A coalition member: who owns stocks, lines and hulls, and whether and when it fights."""

    name: str = Field(min_length=1, max_length=200, description="Name shown in reports.")
    colour: str | None = Field(
        default=None, pattern=r"^#[0-9a-fA-F]{6}$", description="Colour in charts (#rrggbb)."
    )
    joins_day: float = quantity(
        "days from conflict start",
        default=0.0,
        ge=0,
        le=MAX_DAYS,
        description="The day its stocks start to serve the coalition.",
    )
    join_probability: float = quantity(
        "probability",
        default=1.0,
        ge=0,
        le=1,
        description="The chance it joins at all; in a run without randomness it joins when "
        "this is at least 0.5.",
    )
    spending_cap_usd: float | None = quantity(
        "USD",
        default=None,
        ge=0,
        le=MAX_SPENDING_USD,
        description="The most the nation will spend on a supplemental (its munitions' missiles "
        "and line capacity); none: no cap.",
    )


class MissionMunition(Section):
    """A munition that may serve a mission, and how many of it one demanded shot takes."""

    name: str = Field(min_length=1, description="A munition of the scenario.")
    shots_per_demand: float = quantity(
        "shots/demanded shot",
        default=1.0,
        gt=0,
        le=MAX_SHOTS_PER_DEMAND,
        description="Shots of this munition for one demanded shot (a substitute may need more).",
    )


class Mission(Section):
    """A mission's demand and the munitions that may serve it, in order of preference."""

    description: str = Field(default="", max_length=2000)
    pooling: Literal["pooled", "national"] = Field(
        default="pooled",
        description="pooled: any joined member's listed munitions serve; national: each nation "
        "serves its share from its own.",
    )
    shares: dict[str, float] = Field(
        default_factory=dict,
        description="Each nation's share of the demand (adding to 1): the split for national "
        "pooling, and the national counterfactual of a pooled mission.",
    )
    cost_shares: dict[str, float] = Field(
        default_factory=dict,
        description="Who pays for a supplemental for this mission: each nation's share (adding "
        "to 1) of the bill for its munitions' missiles and line capacity; none: each nation pays "
        "for the munitions it owns.",
    )
    munitions: list[MissionMunition] = Field(min_length=1, max_length=100)
    firing: list[FiringPhase] = Field(min_length=1, description="Shots demanded per day.")
    backlog: bool = Field(default=False, description="Carry unmet demand forward.")
    salvo_noise: Literal["none", "poisson"] = "none"

    @field_validator("firing")
    @classmethod
    def _phases_do_not_overlap(cls, phases: list[FiringPhase]) -> list[FiringPhase]:
        check_no_overlap(phases)
        return phases

    @field_validator("shares", "cost_shares")
    @classmethod
    def _shares_add_to_one(cls, shares: dict[str, float]) -> dict[str, float]:
        for nation, share in shares.items():
            if not 0 <= share <= 1:
                raise ValueError(f"{nation}: a share must be between 0 and 1, got {share:g}")
        if shares and abs(sum(shares.values()) - 1) > SHARE_SLACK:
            raise ValueError(f"shares add up to {sum(shares.values()):g}, not 1")
        return shares


class Transfer(Section):
    """Missiles moved from one munition's stock to another's (one nation's to another's) on a
    day of the conflict; what the source holds then, at most."""

    # `from` in files; `source` where a validated scenario is dumped and validated again.
    model_config = ConfigDict(**Section.model_config, populate_by_name=True)

    day: float = quantity("days from conflict start", ge=0, le=MAX_DAYS)
    source: str = Field(alias="from", min_length=1, description="The munition that gives.")
    to: str = Field(min_length=1, description="The munition that receives.")
    missiles: int = quantity("missiles", ge=1, le=MAX_MISSILES)
