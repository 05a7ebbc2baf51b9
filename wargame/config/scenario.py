"""A whole scenario file: the munitions, and optionally the fleet that launches them."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from wargame.config.fleet import PlatformClass, Port
from wargame.config.models import NAME_PATTERN, Munition, ScenarioMeta


class Scenario(BaseModel):
    """A whole scenario file. Without `platforms`, munitions fire straight from the depot."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, allow_inf_nan=False)

    scenario: ScenarioMeta
    munitions: dict[str, Munition] = Field(min_length=1)
    ports: dict[str, Port] = Field(default_factory=dict)
    platforms: dict[str, PlatformClass] = Field(default_factory=dict)

    @field_validator("munitions", "ports", "platforms")
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

    @property
    def launched_munitions(self) -> set[str]:
        """Munitions some platform carries: these fire only from loaded cells on station."""
        return {m for p in self.platforms.values() for m, share in p.loadout.items() if share > 0}
