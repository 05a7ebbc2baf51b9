"""A whole scenario file: the munitions, and optionally the fleet that launches them."""

from __future__ import annotations

import math
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from wargame.config.coalition import Mission, Nation, Transfer
from wargame.config.dates import dated_phases
from wargame.config.economics import Economics
from wargame.config.fleet import PlatformClass, Port
from wargame.config.graph import check_graph
from wargame.config.models import NAME_PATTERN, Munition, ScenarioMeta
from wargame.config.suppliers import Supplier
from wargame.config.yards import SharedYard

# The time grid's size: a run holds arrays of this many salvo steps and lots per munition. A
# million steps is daily fire for 2,700 years or hourly fire for a century; beyond it, a few
# characters of input (`salvo_interval_days = 1e-9`) would ask for terabytes.
MAX_STEPS = 1_000_000
MAX_LOTS = 1_000_000


class Scenario(BaseModel):
    """A whole scenario file. Without `platforms`, munitions fire straight from the depot."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, allow_inf_nan=False)

    scenario: ScenarioMeta
    nations: dict[str, Nation] = Field(default_factory=dict)
    munitions: dict[str, Munition] = Field(min_length=1)
    suppliers: dict[str, Supplier] = Field(default_factory=dict)
    ports: dict[str, Port] = Field(default_factory=dict)
    platforms: dict[str, PlatformClass] = Field(default_factory=dict)
    yards: dict[str, SharedYard] = Field(default_factory=dict, max_length=100)
    missions: dict[str, Mission] = Field(default_factory=dict)
    transfers: list[Transfer] = Field(default_factory=list, max_length=10_000)
    economics: Economics | None = None

    @model_validator(mode="before")
    @classmethod
    def _dated_phases_to_days(cls, data: Any) -> Any:
        return dated_phases(data)

    @field_validator("nations", "munitions", "suppliers", "ports", "platforms", "yards", "missions")
    @classmethod
    def _names_are_slugs(cls, table: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        for name in table:
            if not re.fullmatch(NAME_PATTERN, name):
                raise ValueError(
                    f"{info.field_name} name {name!r}: use lower case letters, digits, '-' or '_'"
                )
        return table

    @field_validator("platforms")
    @classmethod
    def _platforms_name_known_munitions_and_ports(
        cls, platforms: dict[str, PlatformClass], info: ValidationInfo
    ) -> dict[str, PlatformClass]:
        munitions = info.data.get("munitions", {})
        ports = info.data.get("ports", {})
        for name, platform in platforms.items():
            for munition in platform.loadout:
                if munition not in munitions:
                    raise ValueError(f"{name}.loadout: no munition named {munition!r}")
            for port in platform.reload_ports:
                if port not in ports:
                    raise ValueError(f"{name}.reload_ports: no port named {port!r}")
        return platforms

    @model_validator(mode="after")
    def _graph_is_whole(self) -> Scenario:
        check_graph(self)
        return self

    @model_validator(mode="after")
    def _time_grid_is_bounded(self) -> Scenario:
        meta = self.scenario
        steps = meta.horizon_days / meta.salvo_interval_days
        if not steps <= MAX_STEPS:
            raise ValueError(
                f"scenario.salvo_interval_days: {meta.horizon_days:,} days in salvos of "
                f"{meta.salvo_interval_days:g} days is {_count(steps)} steps, above the "
                f"{MAX_STEPS:,} a run may hold (make the interval longer)"
            )
        end = meta.warning_days + meta.horizon_days
        for name, munition in self.munitions.items():
            line = munition.production
            lots = (end + line.lead_time_days) / line.lot_interval_days
            if not lots <= MAX_LOTS:
                raise ValueError(
                    f"munitions.{name}.production.lot_interval_days: lots of "
                    f"{line.lot_interval_days:g} days over {end + line.lead_time_days:,g} days "
                    f"are {_count(lots)} lots, above the {MAX_LOTS:,} a line may deliver"
                )
        for name, supplier in self.suppliers.items():
            lots = (end + supplier.lead_time_days) / supplier.lot_interval_days
            if not lots <= MAX_LOTS:
                raise ValueError(
                    f"suppliers.{name}.lot_interval_days: lots of "
                    f"{supplier.lot_interval_days:g} days over "
                    f"{end + supplier.lead_time_days:,g} days are {_count(lots)} lots, above the "
                    f"{MAX_LOTS:,} a supplier may deliver"
                )
        return self

    @property
    def served_munitions(self) -> set[str]:
        """Munitions that fire: their own plan, or a mission's."""
        own = {name for name, m in self.munitions.items() if m.firing}
        return own | {
            entry.name for mission in self.missions.values() for entry in mission.munitions
        }

    @property
    def launched_munitions(self) -> set[str]:
        """Munitions some platform carries: these fire only from loaded cells on station."""
        return {m for p in self.platforms.values() for m, share in p.loadout.items() if share > 0}


def _count(value: float) -> str:
    """A possibly astronomical count, readable: 60,000,000 or 1.2e+300."""
    if math.isinf(value):
        return "infinitely many"
    return f"{value:,.0f}" if value < 1e15 else f"{value:.2g}"
