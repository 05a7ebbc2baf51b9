"""`[suppliers.ID]`: makers of components (solid rocket motors, seekers, ...) that lines share.

A supplier is a production line of components: funded output after a lead time, in lots, with a
wartime surge and capital expansion like a munition's line, and a stock of components built
ahead. Lines (and other suppliers) name what one unit takes in `components`; when their demand
exceeds what the supplier delivers, it allocates by `allocation` (model/suppliers.py has the rule).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, ValidationInfo, field_validator

from wargame.config.models import (
    DAYS_PER_YEAR,
    MAX_DAYS,
    MAX_MISSILES,
    MAX_PER_YEAR,
    MAX_USD,
    MONTH_DAYS,
    Levers,
    LineSection,
    Surge,
)


class SupplierLevers(Levers):
    """Capital that adds to a supplier's capacity, priced from its `unit_cost_usd`."""

    added_capacity_per_year: float = Field(
        default=0.0,
        ge=0,
        le=MAX_PER_YEAR,
        json_schema_extra={"unit": "components/year"},
        description="Supplier capacity added by capital.",
    )


class Supplier(LineSection):
    """One component maker shared by lines: its capacity, funded output, lots and stock."""

    nation: str | None = Field(default=None, description="The nation it is in (optional).")
    capacity_per_year: float = Field(
        ge=0,
        le=MAX_PER_YEAR,
        json_schema_extra={"unit": "components/year"},
        description="What it could make if funded.",
    )
    funded_per_year: float = Field(
        ge=0,
        le=MAX_PER_YEAR,
        json_schema_extra={"unit": "components/year"},
        description="Components made per year once the lead time has passed.",
    )
    lead_time_days: float = Field(
        default=0.0,
        ge=0,
        le=MAX_DAYS,
        json_schema_extra={"unit": "days"},
        description="From the decision day to the first delivery.",
    )
    lot_interval_days: float = Field(
        default=MONTH_DAYS,
        ge=1,
        le=DAYS_PER_YEAR,
        json_schema_extra={"unit": "days"},
        description="Components are delivered in lots, at most one a day.",
    )
    inventory: int = Field(
        default=0,
        ge=0,
        le=MAX_MISSILES,
        json_schema_extra={"unit": "components"},
        description="Components built ahead, in stock on the decision day; used first.",
    )
    unit_cost_usd: float = Field(
        default=0.0,
        ge=0,
        le=MAX_USD,
        json_schema_extra={"unit": "USD/component"},
        description="Price of one component: prices the capacity lever.",
    )
    allocation: Literal["priority", "pro_rata"] = Field(
        default="pro_rata",
        description="When demand exceeds what it has: 'priority' serves the lines in "
        "`priority` order (unlisted ones after, in file order); 'pro_rata' splits in proportion "
        "to each line's outstanding funded demand.",
    )
    priority: list[str] = Field(
        default_factory=list,
        max_length=10_000,
        description="Lines (munitions, or suppliers) served first, in order ('priority' only).",
    )
    components: dict[str, int] = Field(
        default_factory=dict,
        description="Components one component of this supplier takes from others, keyed by "
        "supplier (a tier below); its output is limited by what they deliver.",
    )
    surge: Surge | None = None
    supplemental: SupplierLevers = Field(default_factory=SupplierLevers)

    @field_validator("priority")
    @classmethod
    def _priority_needs_its_rule(cls, value: list[str], info: ValidationInfo) -> list[str]:
        if value and info.data.get("allocation") != "priority":
            raise ValueError(
                'an order of lines is used only with allocation = "priority" (this supplier '
                'splits pro rata): drop it, or set allocation = "priority"'
            )
        return value
