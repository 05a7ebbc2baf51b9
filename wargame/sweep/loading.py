"""Read a sweep file and its base scenario; every error names the file and the field (exit 2)."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from wargame.config.loading import describe_errors, read_toml, study_sha256, validate_study
from wargame.config.overrides import OverrideError, apply_override, child_field
from wargame.config.scenario import Scenario
from wargame.config.uncertain import number_kind
from wargame.errors import InputError
from wargame.sweep.designs import Point
from wargame.sweep.spec import SweepSpec


@dataclass(frozen=True)
class Sweep:
    """A validated sweep: its spec, the base scenario's raw data, and what each path holds."""

    path: Path
    spec: SweepSpec
    base_path: Path
    base_data: dict[str, Any]
    base_sha256: str
    whole: dict[str, bool]  # per parameter: a whole-number field (values are rounded)
    base_values: Point  # the base scenario's value of each parameter (medians if uncertain)


def load_sweep(path: Path) -> Sweep:
    """Load and check a sweep file: the spec, its base, each parameter's path and range."""
    try:
        spec = SweepSpec.model_validate(read_toml(path))
    except ValidationError as exc:
        raise InputError(f"{path}: {describe_errors(exc.errors())}") from None
    base_path = spec.base_path(path)
    try:
        base_data = read_toml(base_path)
    except InputError as exc:  # name the field that points there, then what is wrong with it
        reason = str(exc).removeprefix(f"{base_path}: ")
        raise InputError(f"{path}: sweep.base: {spec.sweep.base!r}: {reason}") from None
    study = validate_study(copy.deepcopy(base_data), str(base_path))
    _check_metrics(path, spec, study.scenario)
    whole, values = {}, {}
    for name, parameter in spec.parameters.items():
        keys = name.split(".")
        whole[name] = _kind(path, keys, base_data) is int
        values[name] = _value(study.scenario, keys)
        for end in (min(parameter.grid() + list(parameter.bounds())), max(parameter.bounds())):
            data = copy.deepcopy(base_data)
            try:
                apply_override(data, keys, round(end) if whole[name] else end)
            except OverrideError as exc:
                detail = str(exc).split(": ", 1)[-1]
                raise InputError(f"{path}: parameters.{name}: {detail}") from None
            try:
                validate_study(data, str(base_path))
            except InputError as exc:
                raise InputError(f"{path}: parameters.{name}: {end:g} is invalid ({exc})") from None
    sha = study_sha256(study)
    return Sweep(path, spec, base_path, base_data, sha, whole, values)


def apply_point(sweep: Sweep, point: Point) -> dict[str, Any]:
    """The base scenario's raw data with the point's values set (and the sweep's seed)."""
    data = copy.deepcopy(sweep.base_data)
    data.setdefault("scenario", {})["seed"] = sweep.spec.sweep.seed
    for name, value in point.items():
        apply_override(data, name.split("."), round(value) if sweep.whole[name] else value)
    return data


def _kind(path: Path, keys: list[str], data: dict[str, Any]) -> type | None:
    annotation: Any = Scenario
    container: Any = data
    try:
        for depth, key in enumerate(keys):
            annotation, _ = child_field(annotation, container, key, ".".join(keys[: depth + 1]))
            if isinstance(container, dict | list) and depth < len(keys) - 1:
                container = container[int(key)] if isinstance(container, list) else container[key]
    except (OverrideError, KeyError, IndexError):
        raise InputError(
            f"{path}: parameters.{'.'.join(keys)}: no such field in the base"
        ) from None
    kind = number_kind(annotation)
    if kind is None:
        raise InputError(f"{path}: parameters.{'.'.join(keys)}: not a number field")
    return kind


def _value(scenario: Scenario, keys: list[str]) -> float:
    node: Any = scenario.model_dump()
    for key in keys:
        node = node[int(key)] if isinstance(node, list) else node[key]
    return float(node)


def _check_metrics(path: Path, spec: SweepSpec, scenario: Scenario) -> None:
    for i, name in enumerate(spec.sweep.metrics):
        if name.startswith("invest.") and scenario.missions:
            raise InputError(
                f"{path}: sweep.metrics.{i}: a sweep's invest metrics do not cover missions yet"
            )
        munition = name.split(".", 1)[0]
        if munition not in ("invest", "launch") and munition not in scenario.munitions:
            raise InputError(f"{path}: sweep.metrics.{i}: no munition {munition!r} in the base")
        if munition == "launch" and not scenario.platforms:
            raise InputError(f"{path}: sweep.metrics.{i}: the base has no platforms")
