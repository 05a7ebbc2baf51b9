"""`wargame sweep`'s work: run (or resume) a sweep and render its table, indices and report."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wargame.analysis.budget import (
    DEFAULT_BUDGET,
    POINT_COST,
    Budget,
    block_size,
    check_memory,
    check_work,
    fan_size,
    size_of,
)
from wargame.analysis.montecarlo import BLOCK, FAN_REPLICATIONS
from wargame.analysis.store import to_json
from wargame.config.loading import validate_study
from wargame.config.provenance import with_provenance
from wargame.sweep.loading import Sweep, apply_point
from wargame.sweep.outputs import Check, indices, rows, table_csv, table_parquet, violations
from wargame.sweep.report import sweep_report
from wargame.sweep.run import Progress, SweepRun, run_sweep


@dataclass(frozen=True)
class SweepOutput:
    """A finished sweep: its run, the check violations and every output file's content."""

    run: SweepRun
    failed: list[dict[str, Any]]
    files: dict[str, str | bytes]
    table: list[dict[str, Any]]  # one row per point and metric (sweep.csv's rows)


def sweep_outputs(
    sweep: Sweep,
    out_dir: Path,
    checks: list[Check],
    scheduler: str | None,
    workers: int | None,
    progress: Progress | None,
    budget: Budget = DEFAULT_BUDGET,
    provenance: dict[str, Any] | None = None,
) -> SweepOutput:
    """Run (or resume) a sweep and render its table, indices and report."""
    size = size_of(validate_study(apply_point(sweep, {}), str(sweep.base_path)).scenario)
    meta = sweep.spec.sweep
    points = sweep.spec.point_count()
    runs = points * (meta.replications + POINT_COST / max(1, size.work))  # and each point's cost
    check_work(size, runs, budget, f"{sweep.path}: {points:,} points")
    parallel = 1 if scheduler else (workers or os.cpu_count() or 1)
    share = Budget(budget.work, budget.memory_bytes / parallel)  # each worker runs a point
    fan = fan_size(size, FAN_REPLICATIONS, share)
    check_memory(size, meta.replications, min(meta.replications, fan), share)
    run = run_sweep(
        sweep,
        out_dir,
        scheduler=scheduler,
        workers=workers,
        progress=progress,
        block=block_size(size, BLOCK, share),
        fan=fan,
    )
    table = rows(sweep, run)
    found = indices(sweep, run)
    failed = violations(checks, table)
    files: dict[str, str | bytes] = {
        "sweep.csv": table_csv(table),
        "sweep.parquet": table_parquet(table),
        "indices.json": to_json(with_provenance({"indices": found}, provenance)),
        "sweep.html": sweep_report(sweep, run, found, failed),
    }
    return SweepOutput(run, failed, files, table)
