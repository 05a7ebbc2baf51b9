"""Read a scenario file, apply overrides, validate, and turn every failure into one line.

Every error names the file and the dotted field (and line and column for TOML syntax errors), so the
CLI can print it and exit 2 without a traceback.
"""

from __future__ import annotations

import errno
import hashlib
import json
import re
import stat
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

MAX_FILE_BYTES = 4 * 2**20  # a scenario is kilobytes; anything larger is the wrong file
MAX_DEPTH = 32  # tables within tables: a scenario needs six


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file, or raise InputError naming the file (and line and column).

    Only a regular file of at most MAX_FILE_BYTES is read: a FIFO, a device or a socket could
    block or never end, so they are refused from their metadata before anything is opened.
    """
    data = _parse(_read_regular(path), path)
    if _depth(data) > MAX_DEPTH:
        raise InputError(f"{path}: tables nested more than {MAX_DEPTH} deep")
    return data


def _read_regular(path: Path) -> str:
    try:
        info = path.stat()
    except OSError as exc:
        reason = {errno.ENOENT: "no such file", errno.ELOOP: "a symbolic link loop"}
        raise InputError(f"{path}: {reason.get(exc.errno or 0, exc.strerror)}") from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{path}: is a directory, expected a TOML file")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{path}: not a regular file (a pipe, device or socket)")
    if info.st_size > MAX_FILE_BYTES:
        raise InputError(f"{path}: {info.st_size:,} bytes, above the {MAX_FILE_BYTES:,} allowed")
    try:
        with path.open("rb") as handle:  # read no more than the limit, even if the file grew
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise InputError(f"{path}: above the {MAX_FILE_BYTES:,} bytes allowed")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start})") from None


# A dotted key part: a dot between a key character and a letter or a quote (not a float's dot).
_KEY_DOT = re.compile(r"(?<=[A-Za-z0-9_\-\"'\]])\s*\.\s*(?=[A-Za-z_\"'])")
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'')


def _parse(text: str, path: Path) -> dict[str, Any]:
    _check_key_depth(text, path)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: invalid TOML: {exc}") from None
    except RecursionError:
        raise InputError(f"{path}: tables nested more than {MAX_DEPTH} deep") from None
    except ValueError:  # Python's limit on the digits of one integer (4,300)
        raise InputError(f"{path}: a number with more than 4,300 digits") from None


def _check_key_depth(text: str, path: Path) -> None:
    """Refuse a line whose dotted keys nest deeper than MAX_DEPTH before parsing: the parser's
    time grows with the square of a dotted key's length, so a 200 KB key would take minutes."""
    for number, line in enumerate(text.splitlines(), start=1):
        if (
            line.count(".") > MAX_DEPTH
            and len(_KEY_DOT.findall(_STRING.sub('""', line))) > MAX_DEPTH
        ):
            raise InputError(f"{path}: line {number}: keys nested more than {MAX_DEPTH} deep")


def _depth(node: Any) -> int:
    """How deeply tables and arrays nest in parsed TOML (a scalar is 0), without recursion."""
    deepest, stack = 0, [(node, 0)]
    while stack:
        item, depth = stack.pop()
        children = (
            item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        )
        if children is None:
            deepest = max(deepest, depth)
            continue
        deepest = max(deepest, depth + 1)
        if depth + 1 <= MAX_DEPTH:  # deeper than that is refused anyway: stop looking
            stack.extend((child, depth + 1) for child in children)
    return deepest


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
        shown = repr(first["input"])
        message += f" (got {shown if len(shown) <= 80 else shown[:77] + '...'})"
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
