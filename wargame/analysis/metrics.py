"""Headline metrics of a run: days to depletion, shortfall, and the Empty Bins rebuild time."""

from __future__ import annotations

import csv
import io
from typing import Any

import numpy as np

from wargame import __version__
from wargame.engine.results import MunitionRun, RunResult
from wargame.model.compile import CompiledModel, CompiledMunition

SCHEMA_VERSION = 1
TIMESERIES_COLUMNS = ("munition", "day", "inventory", "demanded", "fired", "delivered", "shortfall")


def rebuild_years(fired: int, funded_us_per_year: float) -> float | None:
    """Years at the funded rate to rebuild what was fired ("Empty Bins"); None if none is funded."""
    if funded_us_per_year <= 0:
        return None
    return fired / funded_us_per_year


def munition_metrics(run: MunitionRun, munition: CompiledMunition) -> dict[str, Any]:
    """The per-munition block of summary.json."""
    return {
        "days_to_depletion": run.days_to_depletion,
        "inventory_at_conflict_start": run.inventory_at_conflict_start,
        "demanded": run.total_demanded,
        "fired": run.total_fired,
        "delivered": run.total_delivered,
        "shortfall": run.shortfall,
        "end_inventory": run.end_inventory,
        "rebuild_years": rebuild_years(run.total_fired, munition.funded_us_per_year),
    }


def summary(result: RunResult, model: CompiledModel, config_sha256: str) -> dict[str, Any]:
    """summary.json's content: the run's headline numbers with what produced them."""
    return {
        "schema_version": SCHEMA_VERSION,
        "scenario": result.scenario_name,
        "config_sha256": config_sha256,
        "seed": result.seed,
        "wargame_version": __version__,
        "warning_days": result.warning_days,
        "horizon_days": result.horizon_days,
        "munitions": {
            run.name: munition_metrics(run, munition)
            for run, munition in zip(result.munitions, model.munitions, strict=True)
        },
    }


def timeseries_csv(result: RunResult) -> str:
    """One row per day and munition; `day` counts from the conflict start (negative before it).

    Flows are per day; `shortfall` is demanded minus fired that day (negative when a backlog is
    caught up), so the column sums to the run's shortfall.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(TIMESERIES_COLUMNS)
    for run in result.munitions:
        days = np.arange(run.demanded.size) - run.warning_days
        columns = (
            days,
            run.inventory,
            run.demanded,
            run.fired,
            run.delivered,
            run.demanded - run.fired,
        )
        for row in zip(*(column.tolist() for column in columns), strict=True):
            writer.writerow((run.name, *row))
    return out.getvalue()
