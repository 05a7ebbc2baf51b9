"""`--set dotted.path=value` overrides, applied to the parsed TOML before validation.

A path must name a field the schema has (or a munition or phase the file has), so a typo is an error
rather than a silently ignored setting. Values are parsed as TOML values (`3000`, `0.5`, `true`,
`[1, 2]`), and anything that is not valid TOML is taken as a string.
"""

from __future__ import annotations

import tomllib
import types
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from wargame.config.scenario import Scenario


class OverrideError(ValueError):
    """An override that names no field or is malformed; the message names the path."""


def parse_override(text: str) -> tuple[list[str], Any]:
    """Split `a.b.c=value` into its path and its parsed value."""
    path, sep, raw = text.partition("=")
    if not sep or not path.strip():
        raise OverrideError(f"--set {_shown(text)}: expected DOTTED.PATH=VALUE")
    if any(c in text for c in "\n\r\x00"):  # TOML would read a second line as another key
        raise OverrideError(f"--set {_shown(path)}: the value holds a line break")
    try:
        value = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw
    except ValueError:  # Python's limit on the digits of one integer (4,300)
        raise OverrideError(f"--set {_shown(path)}: a number with more than 4,300 digits") from None
    return path.strip().split("."), value


def apply_override(data: dict[str, Any], path: list[str], value: Any) -> None:
    """Set `value` at `path` in the raw scenario `data`, checking the path against the schema."""
    annotation: Any = Scenario
    container: Any = data
    for depth, key in enumerate(path):
        dotted = ".".join(path[: depth + 1])
        annotation = _child_annotation(annotation, container, key, dotted)
        if depth == len(path) - 1:
            _set(container, key, value)
        else:
            container = _descend(container, key, dotted)


def _child_annotation(annotation: Any, container: Any, key: str, dotted: str) -> Any:
    """The schema type at `key` below `annotation`, or an error naming the path."""
    return child_field(annotation, container, key, dotted)[0]


def child_field(
    annotation: Any, container: Any, key: str, dotted: str
) -> tuple[Any, FieldInfo | None]:
    """The schema type at `key` below `annotation` and its field (None for a table entry)."""
    annotation = _unwrap_optional(annotation)
    origin = get_origin(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        fields = annotation.model_fields
        if key not in fields:
            known = ", ".join(sorted(fields))
            raise OverrideError(f"--set {dotted}: no such field (known here: {known})")
        return fields[key].annotation, fields[key]
    if origin is dict:
        value_type = get_args(annotation)[1]
        # A table of plain values (a `sources` table) takes new keys; a table of tables (the
        # munitions) only names what the file has, so a typo is not a new munition.
        if not isinstance(container, dict) or (key not in container and value_type is not str):
            raise OverrideError(f"--set {dotted}: no entry named {key!r} in the file")
        return value_type, None
    if origin is list:
        size = len(container) if isinstance(container, list) else 0
        if not key.isascii() or not key.isdigit() or int(key) >= size:
            raise OverrideError(f"--set {dotted}: expected a list index below {size}")
        return get_args(annotation)[0], None
    raise OverrideError(f"--set {dotted}: {dotted.rsplit('.', 1)[0]} is not a table")


def _shown(text: str, limit: int = 80) -> str:
    """`text` cut to `limit` characters for an error line."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _descend(container: Any, key: str, dotted: str) -> Any:
    """The table or list at `key`, creating an absent optional table."""
    child = container[int(key)] if isinstance(container, list) else container.setdefault(key, {})
    if not isinstance(child, dict | list):
        raise OverrideError(f"--set {dotted}: is a value, not a table")
    return child


def _set(container: Any, key: str, value: Any) -> None:
    if isinstance(container, list):
        container[int(key)] = value
    else:
        container[key] = value


def _unwrap_optional(annotation: Any) -> Any:
    if get_origin(annotation) in (Union, types.UnionType):
        args = [arg for arg in get_args(annotation) if arg is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation
