"""Read a scenario file, apply overrides, validate, and turn every failure into one line.

Every error names the file and the dotted field (and line and column for TOML syntax errors), so the
CLI can print it and exit 2 without a traceback.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from wargame.config.overrides import OverrideError, apply_override, parse_override
from wargame.config.scenario import Scenario
from wargame.config.uncertain import Study, check_ranges, extract
from wargame.errors import InputError


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file, or raise InputError naming the file (and line and column)."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, expected a TOML file")
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: invalid TOML: {exc}") from None


def load_scenario(path: Path, overrides: Sequence[str] = ()) -> Scenario:
    """Load and validate the scenario at `path` with `--set` style `overrides` applied.

    Uncertain inputs are taken at their medians; `load_study` keeps their distributions.
    """
    return load_study(path, overrides).scenario


def load_study(path: Path, overrides: Sequence[str] = ()) -> Study:
    """Load the scenario at `path` with its uncertain inputs, validated at every input's ends."""
    data = read_toml(path)
    for text in overrides:
        try:
            keys, value = parse_override(text)
            apply_override(data, keys, value)
        except OverrideError as exc:
            raise InputError(f"{path}: {exc}") from None
    return validate_study(data, str(path))


def validate_study(data: dict[str, Any], origin: str) -> Study:
    """Validate raw data that may hold distributions; `origin` names the file in errors."""
    nominal, uncertain = extract(data, origin)
    scenario = validate_scenario(nominal, origin)
    check_ranges(nominal, uncertain, origin, validate_scenario)
    return Study(scenario, tuple(uncertain))


def validate_scenario(data: dict[str, Any], origin: str) -> Scenario:
    """Validate raw scenario data; `origin` names the file in error messages."""
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise InputError(f"{origin}: {describe_errors(exc.errors())}") from None


def describe_errors(errors: Sequence[ErrorDetails]) -> str:
    """One line for the first validation error, with a count of the rest."""
    first = errors[0]
    where = ".".join(str(part) for part in first["loc"])
    message = first["msg"].removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        message = "unknown field"
    elif first["type"] not in ("missing", "value_error") and "input" in first:
        message += f" (got {first['input']!r})"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{where}: {message}{more}" if where else f"{message}{more}"


def scenario_sha256(scenario: Scenario) -> str:
    """Hash of the validated scenario (overrides included), independent of file formatting."""
    canonical = json.dumps(scenario.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def study_sha256(study: Study) -> str:
    """Hash of a scenario with its uncertain inputs' distributions (a change of range counts)."""
    canonical = json.dumps(
        {
            "scenario": study.scenario.model_dump(mode="json"),
            "uncertain": {u.path: u.dist.model_dump(mode="json") for u in study.uncertain},
        },
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def scenario_json_schema() -> dict[str, Any]:
    """The JSON Schema of scenario files, for editors."""
    schema = Scenario.model_json_schema()
    schema["title"] = "wargame scenario"
    return schema
