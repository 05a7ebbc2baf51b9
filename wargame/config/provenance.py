"""Provenance: what produced a run's numbers, recorded in summary.json, invest.json and a sweep's
indices.json so that a result can be traced to its inputs and re-run.

    "provenance": {"command": [...], "config_file": "...", "config_sha256": "...",
                   "engine": "des" | "vector" | null,
                   "overrides": [{"path": "...", "value": ..., "file_value": ...}]}

`command` is the argument list as typed minus `--out` and its value, so the same inputs give the
same bytes wherever they are written; `file_value` is the value in the file before the override
(null where the file had none; a distribution table as its dict).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from wargame.config.overrides import parse_override

OUT_OPTION = "--out"


def provenance(
    command: Sequence[str],
    config_file: str,
    file_data: dict[str, Any],
    overrides: Sequence[str],
    config_sha256: str,
    engine: str | None,
) -> dict[str, Any]:
    """The provenance object of a run of `config_file` (whose parsed TOML, before overrides, is
    `file_data`) with `--set` `overrides`; `config_sha256` is the study hash after them."""
    return {
        "command": without_out(command),
        "config_file": config_file,
        "config_sha256": config_sha256,
        "engine": engine,
        "overrides": override_rows(file_data, overrides),
    }


def without_out(command: Sequence[str]) -> list[str]:
    """`command` without `--out VALUE` or `--out=VALUE`: where a run is written is not an input."""
    kept: list[str] = []
    skip = False
    for arg in command:
        if skip:
            skip = False
        elif arg == OUT_OPTION:
            skip = True
        elif not arg.startswith(f"{OUT_OPTION}="):
            kept.append(arg)
    return kept


def override_rows(file_data: dict[str, Any], overrides: Sequence[str]) -> list[dict[str, Any]]:
    """Each override (already validated by loading) with the file's value at its path."""
    rows = []
    for text in overrides:
        keys, value = parse_override(text)
        row = {"path": ".".join(keys), "value": value, "file_value": value_at(file_data, keys)}
        rows.append(plain(row))
    return rows


def plain(value: Any) -> Any:
    """`value` with TOML dates and times as ISO text: JSON and CSV carry them as written."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return value


def value_at(data: Any, keys: Sequence[str]) -> Any:
    """The value at the dotted `keys` in parsed TOML, or None where the file has none."""
    node = data
    for key in keys:
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
            node = node[int(key)]
        else:
            return None
    return node


def overridden(provenance_data: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    """The overrides of a provenance object by dotted path (empty when there is none)."""
    rows = (provenance_data or {}).get("overrides", [])
    return {str(row["path"]): row for row in rows}


def with_provenance(data: dict[str, Any], provenance: dict[str, Any] | None) -> dict[str, Any]:
    """`data` with a top-level "provenance" object last (unchanged without one)."""
    return data if provenance is None else {**data, "provenance": provenance}
