"""Writing scenario files: the original text with overrides and new values, comments kept."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import tomlkit

from wargame.config.overrides import apply_override, parse_override


def scenario_text_with(path: Path, overrides: Sequence[str], assignments: Mapping[str, Any]) -> str:
    """The file at `path` with `--set` overrides and then `assignments` (dotted path -> value)."""
    document = tomlkit.parse(path.read_text(encoding="utf-8"))
    for text in overrides:
        keys, value = parse_override(text)
        apply_override(document, keys, value)
    for dotted, value in assignments.items():
        apply_override(document, dotted.split("."), value)
    return tomlkit.dumps(document)
