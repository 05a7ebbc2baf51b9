"""Every input of a scenario as a row (path, value, unit, source), for the assumptions table."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from wargame.config.models import FiringPhase
from wargame.config.scenario import Scenario

NOT_SET = "wargame default (not set in the file)"
NO_SOURCE = "no source given"


@dataclass(frozen=True)
class InputRow:
    """One input: its dotted path, value, unit and where the number comes from."""

    path: str
    value: float | int | bool
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
    own_source = model.source if isinstance(model, FiringPhase) else None
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        path = f"{prefix}{name}"
        source = sources.get(name) or own_source or inherited_source
        if isinstance(value, BaseModel):
            _walk(value, f"{path}.", rows, source)
        elif isinstance(value, dict) and name != "sources":
            for key, child in value.items():
                _walk(child, f"{path}.{key}.", rows, source)
        elif isinstance(value, list):
            for index, child in enumerate(value):
                _walk(child, f"{path}.{index}.", rows, source)
        elif isinstance(value, bool | int | float):
            extra = info.json_schema_extra
            unit = str(extra.get("unit", "")) if isinstance(extra, dict) else ""
            if name not in model.model_fields_set:
                source = NOT_SET
            rows.append(InputRow(path, value, unit, source or NO_SOURCE))
