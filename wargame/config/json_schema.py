"""The JSON Schema of scenario files (`wargame schema`), for editors: the pydantic schema of the
fixed scenario, with a distribution allowed wherever the file may give one (any number outside
the [scenario] table), so that an editor accepts what wargame accepts."""

from __future__ import annotations

from typing import Any

from pydantic import TypeAdapter

from wargame.config.scenario import Scenario
from wargame.config.uncertain import Distribution

DISTRIBUTION_REF = {"$ref": "#/$defs/Distribution"}
FIXED_DEFS = ("ScenarioMeta",)  # the [scenario] table: its numbers are never uncertain
NUMBER_TYPES = ("integer", "number")
META_KEYS = ("title", "description", "default", "unit")


def scenario_json_schema() -> dict[str, Any]:
    """The schema of scenario files, distributions included."""
    schema = Scenario.model_json_schema()
    schema["title"] = "wargame scenario"
    dist = TypeAdapter(Distribution).json_schema(ref_template="#/$defs/{model}")
    defs = schema["$defs"]
    defs.update(dist.pop("$defs", {}))
    defs["Distribution"] = {
        "title": "Distribution",
        "description": "An uncertain input: each replication draws it afresh.",
        **dist,
    }
    for name, definition in list(defs.items()):
        if name not in FIXED_DEFS and name != "Distribution" and name not in dist_names(dist):
            properties = definition.get("properties", {})
            for key, prop in properties.items():
                properties[key] = may_be_uncertain(prop)
    return schema


def dist_names(dist: dict[str, Any]) -> set[str]:
    """The $defs names of the distribution tables themselves (their numbers stay numbers)."""
    return {str(ref["$ref"]).rsplit("/", 1)[-1] for ref in dist.get("oneOf", [])}


def may_be_uncertain(prop: dict[str, Any]) -> dict[str, Any]:
    """A property's schema, with a distribution allowed where it holds a number (or a table of
    numbers, such as cells by munition)."""
    if _is_number(prop):
        meta = {key: prop[key] for key in META_KEYS if key in prop}
        rest = {key: value for key, value in prop.items() if key not in META_KEYS}
        return {**meta, "anyOf": [rest, DISTRIBUTION_REF]}
    if "anyOf" in prop and any(_is_number(option) for option in prop["anyOf"]):
        return {**prop, "anyOf": [*prop["anyOf"], DISTRIBUTION_REF]}
    extra = prop.get("additionalProperties")
    if isinstance(extra, dict):
        return {**prop, "additionalProperties": may_be_uncertain(extra)}
    return prop


def _is_number(schema: dict[str, Any]) -> bool:
    return schema.get("type") in NUMBER_TYPES
