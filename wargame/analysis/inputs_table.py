"""inputs.csv: every input of a run with its unit, its source, its distribution and whether the
command line overrode it, so that a table of assumptions can be rebuilt from the folder alone
(`wargame export` reads it for the workbook)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from wargame.config.inputs import input_rows
from wargame.config.provenance import overridden
from wargame.config.uncertain import Study

INPUT_COLUMNS = (
    "path",
    "value",
    "distribution",
    "unit",
    "source",
    "set_on_command_line",
    "file_value",
)


def inputs_csv(study: Study, provenance: dict[str, Any] | None) -> str:
    """One row per input: the value used (a distribution's median), the distribution in words,
    the unit and source, and for an override the file's value (JSON) before it."""
    described = {item.path: item.describe() for item in study.uncertain}
    overrides = overridden(provenance)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(INPUT_COLUMNS)
    for row in input_rows(study.scenario):
        override = _covering(overrides, row.path)
        writer.writerow(
            (
                row.path,
                _cell(row.value),
                described.get(row.path, ""),
                row.unit,
                row.source,
                "yes" if override else "no",
                "" if override is None else json.dumps(override["file_value"]),
            )
        )
    return out.getvalue()


def _covering(overrides: dict[str, dict[str, Any]], path: str) -> dict[str, Any] | None:
    """The override that set `path`: on the input itself, or on a table or list holding it."""
    for prefix, row in overrides.items():
        if path == prefix or path.startswith(f"{prefix}."):
            return row
    return None


def _cell(value: float | int | bool | str) -> str:
    """A value as CSV text: switches as true/false, numbers in full precision."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)
