"""`wargame compare A B [C ...]`: run folders and config files compared, from arguments to the
content of compare.html, compare.json and compare.csv (the CLI publishes them).

A config is run as `wargame run` would run it (a Monte Carlo when it is uncertain), every config
with the same seed and replication count, so their replications draw the same numbers (common
random numbers) and pair up: the seed and count are those of the first run folder given, else the
first config's, unless `seed` or `replications` say otherwise.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from wargame.analysis.budget import DEFAULT_BUDGET, Budget
from wargame.analysis.compare import Arm, Comparison, arm_from_files, compare
from wargame.analysis.montecarlo import Engine
from wargame.analysis.outdir import read_manifest
from wargame.analysis.store import to_json
from wargame.config.inputs import NOT_SET, InputRow, input_rows
from wargame.config.loading import load_study
from wargame.config.uncertain import Study
from wargame.errors import InputError
from wargame.numbers import number
from wargame.report.compare_report import (
    compare_report,
    format_difference,
    format_value,
    letter,
)
from wargame.runner import run_study, slug

RUN_KINDS = ("run", "monte_carlo")


@dataclass(frozen=True)
class CompareOutput:
    """A finished comparison: the numbers and the text of every output file."""

    comparison: Comparison
    files: dict[str, str]


def compare_runs(
    sources: Sequence[Path],
    overrides: Sequence[str] = (),
    *,
    replications: int | None = None,
    seed: int | None = None,
    target_days: float | None = None,
    paired: bool = True,
    engine: Engine = "vector",
    budget: Budget = DEFAULT_BUDGET,
) -> CompareOutput:
    """Compare run folders and config files (`overrides` apply to every config) against the
    first; InputError (one line naming the argument) for anything that is not a run."""
    if len(sources) < 2:
        raise InputError("compare: give at least two runs (run folders or config files)")
    folders = {i: _folder_arm(path) for i, path in enumerate(sources) if path.is_dir()}
    studies: dict[int, Study] = {}
    for i, path in enumerate(sources):
        if i not in folders:
            studies[i] = load_study(path, overrides)  # "no such file" names the argument
    first_folder = folders[min(folders)] if folders else None
    if seed is None:
        seed = first_folder.seed if first_folder else studies[min(studies)].scenario.scenario.seed
    if replications is None:
        replications = (
            first_folder.replications
            if first_folder and not first_folder.fixed
            else max((s.replications for s in studies.values()), default=1)
        )
    seeded = [*overrides, f"scenario.seed={seed}"]
    arms = []
    for i, path in enumerate(sources):
        if i in folders:
            arms.append(folders[i])
            continue
        study = load_study(path, seeded)
        count = replications if study.stochastic else 1
        mc = run_study(study, count, engine, budget=budget, origin=str(path))
        arm = arm_from_files(str(path), mc.summary, mc.files)
        arms.append(replace(arm, overrides=tuple(overrides)))
    comparison = compare(arms, target_days, paired=paired)
    inputs = differing_inputs(studies)
    files = {
        "compare.json": to_json(comparison_json(comparison)),
        "compare.csv": comparison_csv(comparison),
        "compare.html": compare_report(comparison, inputs),
    }
    return CompareOutput(comparison, files)


def _folder_arm(path: Path) -> Arm:
    """A run folder as an arm: its manifest must say it is a run (or a Monte Carlo run)."""
    manifest = read_manifest(path)
    if manifest is None:
        raise InputError(f"{path}: not a wargame run folder (no readable manifest.json)")
    kind = manifest.get("kind")
    if kind not in RUN_KINDS:
        raise InputError(
            f"{path}: holds a {kind!r} output, not a run: compare runs (wargame run) or configs"
        )
    names = ["summary.json", "timeseries.csv"] + (["replications.csv"] * (kind != "run"))
    try:
        texts = {name: (path / name).read_text() for name in names}
        summary = json.loads(texts["summary.json"])
        return arm_from_files(str(path), summary, texts)
    except OSError as exc:
        raise InputError(f"{path}: cannot read {exc.filename}: {exc.strerror}") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{path}: damaged run files ({exc!r}); run it again") from None


def default_out(sources: Sequence[Path]) -> Path:
    """reports/compare-<slug of each argument>/."""
    names = [slug(p.stem if p.suffix == ".toml" else p.name) for p in sources]
    return Path("reports") / f"compare-{'-'.join(names)}"


def comparison_sha256(comparison: Comparison) -> str:
    """The comparison's inputs: each run's config hash, in order."""
    text = json.dumps([arm.config_sha256 for arm in comparison.arms])
    return hashlib.sha256(text.encode()).hexdigest()


def differing_inputs(studies: dict[int, Study]) -> list[InputRow]:
    """The inputs whose values differ between the compared configs, each run's value as text
    ("A: 4,000 · B: 1,000"), for the page's assumptions table."""
    tables = {i: {row.path: row for row in _rows(study)} for i, study in studies.items()}
    paths = list(dict.fromkeys(p for table in tables.values() for p in table))
    found = []
    for path in paths:
        rows = {i: table.get(path) for i, table in tables.items()}
        values = {i: None if row is None else row.value for i, row in rows.items()}
        if len({repr(v) for v in values.values()}) <= 1:
            continue
        text = " · ".join(f"{letter(i)}: {_text(v)}" for i, v in values.items())
        present = [row for row in rows.values() if row is not None]
        some = next((row for row in present if row.source != NOT_SET), present[0])
        found.append(InputRow(path, text, some.unit, some.source))
    return found


def _rows(study: Study) -> list[InputRow]:
    """A config's inputs, each uncertain one as its distribution."""
    described = {item.path: item.describe() for item in study.uncertain}
    return [
        replace(row, value=described.get(row.path, row.value))
        for row in input_rows(study.scenario)
        if row.path != "scenario.seed"
    ]


def _text(value: float | int | bool | str | None) -> str:
    if value is None:
        return "not set"
    if isinstance(value, str | bool):
        return str(value)
    return number(value)


def comparison_json(comparison: Comparison) -> dict[str, Any]:
    """compare.json: the runs, how each was paired, and every outcome at full precision."""
    return {
        "kind": "compare",
        "target_days": comparison.target_days,
        "runs": [
            {
                "letter": letter(i),
                "source": arm.label,
                "scenario": arm.scenario,
                "config_sha256": arm.config_sha256,
                "seed": arm.seed,
                "replications": arm.replications,
                "fixed": arm.fixed,
                "overrides": list(arm.overrides),
                "paired_with_first": None if i == 0 else comparison.paired[i - 1],
            }
            for i, arm in enumerate(comparison.arms)
        ],
        "notes": comparison.notes,
        "outcomes": [
            {
                "munition": row.munition,
                "outcome": row.outcome,
                "unit": row.unit,
                "values": row.values,
                "differences": [
                    {"value": d.value, "ci95": None if d.low is None else [d.low, d.high]}
                    for d in row.differences
                ],
            }
            for row in comparison.rows
        ],
    }


def comparison_csv(comparison: Comparison) -> str:
    """compare.csv: one row per outcome and run (the difference from the first and its
    interval; empty for the first run and where it cannot be estimated)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["munition", "outcome", "unit", "run", "source", "value", "difference", "low", "high"]
    )
    for row in comparison.rows:
        for i, arm in enumerate(comparison.arms):
            diff = row.differences[i - 1] if i else None
            cells = [] if diff is None else [diff.value, diff.low, diff.high]
            writer.writerow(
                [row.munition, row.outcome, row.unit, letter(i), arm.label, row.values[i]]
                + [_cell(v) for v in cells + [None] * (3 - len(cells))]
            )
    return out.getvalue()


def _cell(value: float | None) -> str:
    return "" if value is None else f"{value:.10g}"


def comparison_table(comparison: Comparison) -> str:
    """The terminal's table: each run's headline outcomes and the differences against A."""
    arms = comparison.arms
    header = (
        "munition",
        "outcome",
        *(letter(i) for i in range(len(arms))),
        *(f"{letter(i)} - A (95% interval)" for i in range(1, len(arms))),
    )
    rows = [header]
    for row in comparison.rows:
        rows.append(
            (
                row.munition,
                row.outcome,
                *(format_value(v, row.unit) for v in row.values),
                *(format_difference(d, row.unit) for d in row.differences),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = [
        f"{letter(i)}: {arm.label} ({arm.scenario}; "
        f"{arm.replications:,} replication{'s' * (arm.replications != 1)}, seed {arm.seed}"
        + ("" if i == 0 else f"; {'paired' if comparison.paired[i - 1] else 'unpaired'}")
        + ")"
        for i, arm in enumerate(arms)
    ]
    for r in rows:
        cells = [r[0].ljust(widths[0]), r[1].ljust(widths[1])]
        cells += [c.rjust(w) for c, w in zip(r[2:], widths[2:], strict=True)]
        lines.append("  ".join(cells).rstrip())
    lines += [f"note: {note}" for note in comparison.notes]
    return "\n".join(lines)
