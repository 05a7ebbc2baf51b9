"""Human names and units for dotted paths: inputs ("munitions.tomahawk.firing.0.rate_per_day" is
"Tomahawk firing phase 1: shots demanded per day", in missiles/day) and sweep metrics
("tomahawk.days_to_depletion.p50" is "Tomahawk days to depletion, median", in days).

Units and fallback names come from the scenario schema (each field's `unit` and description);
the short names below are for the fields a report shows most.
"""

from __future__ import annotations

import textwrap
import types
import typing
from functools import cache
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from wargame.config.scenario import Scenario

# Short names of common fields (the schema's descriptions are sentences).
FIELD_NAMES = {
    "inventory": "stock on the decision day",
    "unit_cost_usd": "unit cost",
    "backlog": "carry unmet demand forward",
    "salvo_noise": "salvo size noise",
    "loss_noise": "daily loss noise",
    "rate_per_year": "rate a year",
    "start_day": "start",
    "end_day": "end",
    "funded_per_year": "funded deliveries a year",
    "capacity_per_year": "capacity a year",
    "lead_time_days": "lead time to the first delivery",
    "lot_interval_days": "lot interval",
    "foreign_share": "foreign buyers' share",
    "lot_slip_days": "lot slip",
    "peacetime_use_per_year": "tests and training a year",
    "added_capacity_per_year": "added capacity a year",
    "expansion_delay_days": "expansion delay",
    "expansion_ramp_days": "expansion ramp",
    "expansion_ceiling_ratio": "expansion ceiling (times today's capacity)",
    "expansion_ceiling_per_year": "expansion ceiling a year (co-production)",
    "expansion_cost_ratio": "capital per missile-a-year (times the unit cost)",
    "funding_efficiency": "funding efficiency",
    "missiles": "extra missiles ordered",
    "multiyear_discount": "multiyear discount",
    "from_line_missiles": "extra missiles ordered off another's line",
    "from_line_delay_days": "delay from another's line to this stock",
    "horizon_days": "length of the conflict",
    "warning_days": "warning: decision day to conflict start",
    "salvo_interval_days": "salvo interval",
    "target_days": "target day",
    "delay_days": "delay",
    "ramp_days": "ramp",
    "hulls": "hulls",
    "cells_per_hull": "cells per hull",
    "reload_threshold": "reload threshold",
    "transit_days": "transit, one way",
    "berths": "berths",
    "reload_days_per_cell": "reload time per cell",
    "available_from_day": "available from",
    "hull_cost_usd": "hull cost",
    "build_time_days": "build time",
    "day": "day",
    "seed": "random seed",
    "replications": "Monte Carlo replications",
}
# Tables within a scenario, named where they add to the field's name.
TABLE_NAMES = {
    "firing": "firing phase",
    "losses": "losses, phase",
    "reinforcements": "reinforcements",
    "surge": "surge",
    "supplemental": "supplemental",
    "yard": "yard",
}
NAMED_TABLES = ("munitions", "platforms", "ports")

OUTCOME_NAMES = {
    "days_to_depletion": ("days to depletion", "days"),
    "shortfall": ("shortfall", "missiles"),
    "fired": ("missiles fired", "missiles"),
    "end_inventory": ("stock at the end", "missiles"),
    "lost_with_hulls": ("missiles lost with hulls", "missiles"),
    "fire_lost_to_launch_limits": ("shots lost to launch limits", "missiles"),
}
STATISTIC_NAMES = {
    "p5": "5th percentile",
    "p10": "10th percentile",
    "p50": "median",
    "p90": "90th percentile",
    "p95": "95th percentile",
    "mean": "mean",
}
METRIC_NAMES = {
    "invest.total_usd": ("least supplemental", "USD"),
    "invest.achieved_days": ("days of demand met with the supplemental", "days"),
    "invest.feasible": ("the supplemental meets the target (1 yes, 0 no)", "share"),
}
PROBABILITY_UNIT = "share"


def display_name(key: str) -> str:
    """A table key as a name: "tomahawk" is "Tomahawk", "ssn-block-v" "SSN Block V", "sm6" "SM6",
    "at-sea" "At Sea", "jassm-er" "JASSM ER" (a word without vowels or with a digit, or a known
    acronym, is an abbreviation)."""
    words = key.replace("_", "-").split("-")
    return " ".join(w.upper() if _abbreviation(w) else w.capitalize() for w in words if w)


# Acronyms with vowels that the rule below would capitalise as words ("Jassm Er").
ACRONYMS = frozenset({"jassm", "lrasm", "er", "nsm", "prsm", "aargm", "atacms", "aukus"})


def _abbreviation(word: str) -> bool:
    if word.lower() in ACRONYMS:
        return True
    return any(c.isdigit() for c in word) or not any(c in "aeiouy" for c in word.lower())


def input_label(path: str) -> str:
    """The human name of an input's dotted path."""
    parts = path.split(".")
    leaf = parts[-1]
    words: list[str] = []
    i = 0
    while i < len(parts) - 1:
        part = parts[i]
        if part in NAMED_TABLES and i + 1 < len(parts) - 1:
            words.append(display_name(parts[i + 1]))
            i += 2
            continue
        if part.isdigit():
            words.append(str(int(part) + 1))
        elif part == "loadout":
            words.append("share of cells holding")
        elif part not in ("scenario", "production"):
            words.append(TABLE_NAMES.get(part, part.replace("_", " ")))
        i += 1
    if parts[-2:-1] == ["loadout"]:
        return " ".join([*words, display_name(leaf)])
    name = _field_name(path)
    return f"{' '.join(words)}: {name}" if words else name[:1].upper() + name[1:]


def input_unit(path: str) -> str:
    """The schema's unit for an input's dotted path ("" when it has none)."""
    info = _field_info(path)
    extra = None if info is None else info.json_schema_extra
    return str(extra.get("unit", "")) if isinstance(extra, dict) else ""


AXIS_LINE = 42  # characters: a longer axis title wraps (a vertical one would be clipped)


def with_unit(name: str, unit: str) -> str:
    """An axis title: the name with its unit in brackets, when it has one, wrapped onto lines
    of at most AXIS_LINE characters (plotly's <br>)."""
    text = f"{name} ({unit})" if unit and unit != PROBABILITY_UNIT else name
    return "<br>".join(textwrap.wrap(text, AXIS_LINE)) or text


def axis_title(path: str) -> str:
    """An axis title for an input: its name and unit."""
    return with_unit(input_label(path), input_unit(path))


def metric_label(metric: str) -> str:
    """The human name of a sweep metric."""
    if metric in METRIC_NAMES:
        return METRIC_NAMES[metric][0]
    head, outcome, stat = metric.rsplit(".", 2) if metric.count(".") >= 2 else ("", metric, "")
    if head == "launch" or outcome == "launcher_limited_days":
        return f"launcher-limited days, {STATISTIC_NAMES.get(stat, stat)}"
    if stat == "p_depleted_by":
        return f"{display_name(head)}: chance of running out by the target day"
    name = OUTCOME_NAMES.get(outcome, (outcome.replace("_", " "), ""))[0]
    return f"{display_name(head)} {name}, {STATISTIC_NAMES.get(stat, stat)}"


def metric_unit(metric: str) -> str:
    """The unit of a sweep metric: days, missiles, USD or share (a probability)."""
    if metric in METRIC_NAMES:
        return METRIC_NAMES[metric][1]
    outcome, _, stat = metric.rpartition(".")
    if stat == "p_depleted_by":
        return PROBABILITY_UNIT
    outcome = outcome.rpartition(".")[2]
    if outcome == "launcher_limited_days":
        return "days"
    return OUTCOME_NAMES.get(outcome, ("", ""))[1]


def is_probability(metric: str) -> bool:
    """Whether a metric is a probability (shown on a fixed 0-1 scale)."""
    return metric_unit(metric) == PROBABILITY_UNIT


def _field_name(path: str) -> str:
    leaf = path.rsplit(".", 1)[-1]
    if leaf in FIELD_NAMES:
        return FIELD_NAMES[leaf]
    info = _field_info(path)
    if info is not None and info.description:
        return info.description.split(";")[0].rstrip(".").lower()
    return leaf.replace("_", " ")


def _field_info(path: str) -> FieldInfo | None:
    """The schema field at a dotted path (table keys and list indices skipped)."""
    return _fields(tuple(path.split(".")))


@cache
def _fields(parts: tuple[str, ...]) -> FieldInfo | None:
    node: Any = Scenario
    info: FieldInfo | None = None
    skip = False
    for part in parts:
        if skip:  # a dict key or list index
            skip = False
            continue
        if not (isinstance(node, type) and issubclass(node, BaseModel)):
            return None
        info = node.model_fields.get(part)
        if info is None:
            return None
        node, skip = _inner(info.annotation)
    return info


def _inner(annotation: Any) -> tuple[Any, bool]:
    """The model inside an annotation, and whether a key or index comes before it."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            if arg is not type(None):
                return _inner(arg)
    if origin in (list, dict):
        return typing.get_args(annotation)[-1], True
    return annotation, False
