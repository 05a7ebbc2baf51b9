"""The assumptions table of every report: each input with its human name, value, unit and source,
its distribution where it is uncertain (with the median the single runs use), and a mark where
the command line overrode the file.

Overrides come from the provenance block that summary.json, invest.json and indices.json carry
(`provenance.overrides`: path, value, file_value); a summary without one marks nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from wargame import numbers
from wargame.config.inputs import InputRow, input_rows
from wargame.config.scenario import Scenario
from wargame.config.uncertain import Uncertain
from wargame.report.labels import input_label


@dataclass(frozen=True)
class AssumptionRow:
    """One row: name, dotted path, value as text, unit, source, and the override if any."""

    label: str
    path: str
    value: str
    unit: str
    source: str
    override: str | None = None  # "set on the command line: 1,000; file: 4,000"


def overrides_of(document: Mapping[str, Any] | None) -> list[Mapping[str, Any]]:
    """The overrides recorded in a summary's provenance (none when it has no provenance)."""
    provenance = (document or {}).get("provenance")
    if not isinstance(provenance, Mapping):
        return []
    found = provenance.get("overrides") or []
    return [item for item in found if isinstance(item, Mapping) and "path" in item]


def assumption_rows(
    scenario: Scenario,
    uncertain: Iterable[Uncertain] = (),
    overrides: Sequence[Mapping[str, Any]] = (),
) -> list[AssumptionRow]:
    """Every input of `scenario` (uncertain ones at their medians) as a table row."""
    described = {item.path: item for item in uncertain}
    marked = {str(item["path"]): item for item in overrides}
    return [
        as_assumption(row, described.get(row.path), marked.get(row.path))
        for row in input_rows(scenario)
    ]


def as_assumption(
    row: InputRow, uncertain: Uncertain | None = None, override: Mapping[str, Any] | None = None
) -> AssumptionRow:
    """One input as a table row: its human name, its value (and distribution), its mark."""
    value = cell(row.value)
    if uncertain is not None:
        value = f"{uncertain.describe()}; median {value}"
    return AssumptionRow(
        label=input_label(row.path),
        path=row.path,
        value=value,
        unit=row.unit,
        source=row.source,
        override=None if override is None else override_text(override),
    )


def override_text(override: Mapping[str, Any]) -> str:
    """ "set on the command line: 1,000; file: 4,000" (or "file: not set")."""
    file_value = override.get("file_value")
    was = "not set" if file_value is None else setting(file_value)
    return f"set on the command line: {setting(override.get('value'))}; file: {was}"


def setting(value: Any) -> str:
    """A value as written in a file or on the command line: a number, a switch, a distribution."""
    if isinstance(value, Mapping):
        kind = value.get("dist", "distribution")
        fields = ", ".join(f"{k} {setting(v)}" for k, v in value.items() if k != "dist")
        return f"{kind} ({fields})"
    if isinstance(value, list):
        return "[" + ", ".join(setting(v) for v in value) + "]"
    return cell(value)


def cell(value: Any) -> str:
    """A table cell: numbers in the one people format, switches as words, text as it is."""
    if value is None:
        return numbers.NEVER
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return numbers.number(value)
    return str(value)
