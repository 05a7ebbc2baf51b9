"""Every input of a scenario as a row (path, value, unit, source), for the assumptions table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from wargame.config.models import RatePhase
from wargame.config.scenario import Scenario

NOT_SET = "wargame default (not set in the file)"
NO_SOURCE = "no source given"


@dataclass(frozen=True)
class InputRow:
    """One input: its dotted path, value, unit and where the number comes from."""

    path: str
    value: float | int | bool | str  # text for a distribution
    unit: str
    source: str


def input_rows(scenario: Scenario) -> list[InputRow]:
    """Every number and switch in `scenario`, in file order, with its unit and source."""
    rows: list[InputRow] = []
    _walk(scenario, "", rows, inherited_source=None)
    return rows


def _walk(
    model: BaseModel, prefix: str, rows: list[InputRow], inherited_source: str | None
) -> None:
    sources: dict[str, str] = getattr(model, "sources", {})
    own_source = model.source if isinstance(model, RatePhase) else None
    for name, info in type(model).model_fields.items():
        if name == "sources":
            continue
        extra = info.json_schema_extra
        unit = str(extra.get("unit", "")) if isinstance(extra, dict) else ""
        source = sources.get(name) or own_source or inherited_source
        if name not in model.model_fields_set:
            source = NOT_SET
        _add(getattr(model, name), f"{prefix}{name}", unit, source, rows)


def _add(value: Any, path: str, unit: str, source: str | None, rows: list[InputRow]) -> None:
    """Rows for one value: a number or switch, or everything inside a table or list."""
    if isinstance(value, BaseModel):
        _walk(value, f"{path}.", rows, source)
    elif isinstance(value, dict):
        for key, child in value.items():
            _add(child, f"{path}.{key}", unit, source, rows)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            _add(child, f"{path}.{index}", unit, source, rows)
    elif isinstance(value, bool | int | float):
        rows.append(InputRow(path, value, unit, source or NO_SOURCE))
