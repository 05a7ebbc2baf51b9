"""`[economics]`: then-year dollars (an inflation index) and real cost growth per item.

Money in wargame is in constant dollars of one fiscal year (`base_fiscal_year`, by default the
fiscal year of the decision day). Budgets are voted in then-year dollars: a payment in FY`y`
costs constant x index(y) / index(base). The index is a table by fiscal year
(`inflation_index = { 2026 = 1.0, 2027 = 1.021 }`; a year it leaves out between two it
gives grows at the steady rate between them), extended beyond it at `inflation_per_year`, or
that constant rate alone. Cost growth is real: an item whose price grows
`g` a year costs (1 + g)^(y - base) times its price in FY`y`, in constant dollars.
"""

from __future__ import annotations

import re

from pydantic import Field, field_validator

from wargame.config.models import Section, quantity

YEAR_PATTERN = r"^[0-9]{4}$"


class Economics(Section):
    """The `[economics]` table (needs `[scenario] start_date`: outlays are by US fiscal year)."""

    base_fiscal_year: int | None = Field(
        default=None,
        ge=1900,
        le=2200,
        description="Constant dollars are of this fiscal year (default: the decision day's).",
    )
    inflation_per_year: float = quantity(
        "fraction/year",
        default=0.0,
        ge=-0.5,
        le=1.0,
        description="Inflation a year: the whole index without a table, beyond the table with one.",
    )
    inflation_index: dict[str, float] = Field(
        default_factory=dict,
        description="Price index by fiscal year, { 2026 = 1.0, 2027 = 1.021 }; only ratios matter.",
    )
    cost_growth_per_year: dict[str, float] = Field(
        default_factory=dict,
        description="Real price growth a year by item (a munition or supplier ID), as a fraction; "
        "it prices that item's outlays in later fiscal years.",
    )

    @field_validator("inflation_index")
    @classmethod
    def _years_and_positive(cls, table: dict[str, float]) -> dict[str, float]:
        for year, value in table.items():
            if not re.fullmatch(YEAR_PATTERN, year):
                raise ValueError(f"{year}: key a fiscal year, like 2026")
            if not 0 < value <= 1000:
                raise ValueError(f"{year}: index {value:g} is outside (0, 1000]")
        return table

    @field_validator("cost_growth_per_year")
    @classmethod
    def _growth_bounded(cls, table: dict[str, float]) -> dict[str, float]:
        for item, value in table.items():
            if not -0.5 <= value <= 1.0:
                raise ValueError(f"{item}: growth {value:g} a year is outside -0.5 to 1")
        return table

    def index(self, year: int) -> float:
        """The price index of fiscal `year` (the table's, extended at `inflation_per_year`; or
        (1 + rate)^(year - base) without a table, base given by `index_base`)."""
        table = {int(y): v for y, v in self.inflation_index.items()}
        if not table:
            return (1.0 + self.inflation_per_year) ** year
        below = [y for y in table if y <= year]
        above = [y for y in table if y >= year]
        if below and above:  # within the table: a year it leaves out grows at the steady rate
            low, high = max(below), min(above)  # between the years either side of it
            if low == high:
                return table[low]
            return float(table[low] * (table[high] / table[low]) ** ((year - low) / (high - low)))
        nearest = max(below) if below else min(above)  # beyond it: at inflation_per_year
        return table[nearest] * (1.0 + self.inflation_per_year) ** (year - nearest)

    def then_year_factor(self, year: int, base: int) -> float:
        """Then-year dollars of FY`year` per constant dollar of FY`base`."""
        return self.index(year) / self.index(base)

    def growth(self, item: str, year: int, base: int) -> float:
        """Real price of `item` in FY`year` per its base-year price."""
        return (1.0 + self.cost_growth_per_year.get(item, 0.0)) ** (year - base)
