"""The comparison page, compare.html: the runs, their headline outcomes side by side with the
differences against the first, and overlaid charts."""

from __future__ import annotations

from wargame.analysis.compare import Comparison, Difference, Row
from wargame.config.inputs import InputRow
from wargame.numbers import days, number, share
from wargame.report.assumptions import as_assumption
from wargame.report.compare_figures import compare_figures
from wargame.report.html import render_page


def letter(index: int) -> str:
    """The name a run goes by in tables and legends: A, B, C, ..."""
    return chr(ord("A") + index)


def format_value(value: float | None, unit: str) -> str:
    """One arm's value of an outcome, for people ("never" for a day that never came)."""
    if unit == "days":
        return days(value)
    if value is None:
        return "n/a"
    return share(value) if unit == "share" else number(round(value, 1))


def format_difference(diff: Difference, unit: str) -> str:
    """A difference with its interval: "+12 (10 to 14)", "0 (exact)", "n/a"."""
    if diff.value is None:
        return "n/a (a run never ran out)"
    text = _signed(diff.value, unit)
    if diff.low is None or diff.high is None:
        return f"{text} (no interval)"
    if diff.exact:
        return f"{text} (exact)"
    return f"{text} ({_signed(diff.low, unit)} to {_signed(diff.high, unit)})"


def _signed(value: float, unit: str) -> str:
    if unit == "share":
        text = share(value)
        return text if value < 0 else f"+{text}"
    text = number(round(value, 1))
    return text if value < 0 else f"+{text}"


def headline(comparison: Comparison) -> list[str]:
    """One sentence per later run: how its median day of running out moved against A's."""
    lines = []
    medians = [r for r in comparison.rows if r.outcome == "days to depletion, median"]
    for row in medians:
        for i, diff in enumerate(row.differences, start=1):
            before, after = row.values[0], row.values[i]
            change = "" if diff.value is None else f": {_signed(diff.value, 'days')} days"
            if diff.low is not None and diff.high is not None and not diff.exact:
                change += f" (95% interval {_signed(diff.low, 'days')} to "
                change += f"{_signed(diff.high, 'days')})"
            lines.append(
                f"{row.munition}: run {letter(i)} runs out on day {days(after)} in the median "
                f"replication, against day {days(before)} in A{change}."
            )
    return lines


def table_rows(rows: list[Row]) -> list[dict[str, object]]:
    """The headline table's rows as text."""
    return [
        {
            "munition": row.munition,
            "outcome": row.outcome,
            "cells": [format_value(v, row.unit) for v in row.values],
            "diffs": [format_difference(d, row.unit) for d in row.differences],
        }
        for row in rows
    ]


def title(comparison: Comparison) -> str:
    """The page's title: the scenarios compared, or how many runs of one scenario."""
    names = list(dict.fromkeys(arm.scenario for arm in comparison.arms))
    if len(names) == 1:
        return f"Comparison: {len(comparison.arms)} runs of {names[0]}"
    return f"Comparison: {' vs '.join(names)}"


def compare_report(comparison: Comparison, inputs: list[InputRow]) -> str:
    """compare.html: self-contained, with the figures embedded like every other report.
    `inputs` are the inputs that differ between the runs (value: each run's, as text)."""
    figures = compare_figures(comparison)
    first = comparison.arms[0]
    arms = [
        {
            "letter": letter(i),
            "label": arm.label,
            "scenario": arm.scenario,
            "replications": f"{arm.replications:,}",
            "seed": arm.seed,
            "overrides": ", ".join(arm.overrides),
            "pairing": "" if i == 0 else ("paired" if comparison.paired[i - 1] else "unpaired"),
        }
        for i, arm in enumerate(comparison.arms)
    ]
    return render_page(
        "compare.html.j2",
        title=title(comparison),
        figures=figures,
        figure_names=list(figures),
        inputs=[as_assumption(row) for row in inputs],
        footer={"first run": first.label, "config sha256 of A": first.config_sha256},
        arms=arms,
        notes=comparison.notes,
        headlines=headline(comparison),
        rows=table_rows(comparison.rows),
    )
