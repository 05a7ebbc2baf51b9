"""Headline metrics of a run: days to depletion, shortfall, and the Empty Bins rebuild time."""

from __future__ import annotations

import csv
import io
from typing import Any

import numpy as np

from wargame import __version__
from wargame.engine.results import LIMIT_NAMES, MunitionRun, RunResult
from wargame.model.compile import CompiledModel, CompiledMunition

SCHEMA_VERSION = 3
TIMESERIES_COLUMNS = (
    "munition",
    "day",
    "inventory",
    "demanded",
    "fired",
    "delivered",
    "peacetime_use",
    "shortfall",
    "lost_with_hulls",
    "fire_lost_to_launchers",
    "limit",
)


def rebuild_years(
    fired: int, funded_us_per_year: float, peacetime_use_per_year: float = 0.0
) -> float | None:
    """Years to rebuild what was fired ("Empty Bins"): fired / (funded US deliveries per year -
    peacetime use per year). None (never) when use takes all that is funded; see `never_rebuilt`.
    """
    net = funded_us_per_year - peacetime_use_per_year
    if never_rebuilt(funded_us_per_year, peacetime_use_per_year) is not None:
        return None
    return fired / net


def never_rebuilt(
    funded_us_per_year: float, peacetime_use_per_year: float, starved: bool = False
) -> str | None:
    """Why the stock never rebuilds (summary.json's `rebuild_never_because`), or None if it does.

    "nothing_funded": no US deliveries funded; "suppliers_starve": deliveries are funded but
    the line's suppliers allocate it no components (`starved`); "peacetime_use": tests and
    training take at least what is funded.
    """
    if funded_us_per_year <= 0:
        return "suppliers_starve" if starved else "nothing_funded"
    if peacetime_use_per_year >= funded_us_per_year:
        return "peacetime_use"
    return None


def rebuild_block(
    fired: int, funded_us_per_year: float, use_per_year: float, starved: bool = False
) -> dict[str, Any]:
    """summary.json's rebuild figures: the years, and why never (null years) when so."""
    return {
        "peacetime_use_per_year": use_per_year,
        "rebuild_years": rebuild_years(fired, funded_us_per_year, use_per_year),
        "rebuild_never_because": never_rebuilt(funded_us_per_year, use_per_year, starved),
    }


def munition_metrics(run: MunitionRun, munition: CompiledMunition) -> dict[str, Any]:
    """The per-munition block of summary.json."""
    use = munition.peacetime_use_per_year
    before = fired_before_war(run, munition)
    extra = {} if before is None else {"fired_before_war": before}
    return {
        "days_to_depletion": run.days_to_depletion,
        "inventory_at_conflict_start": run.inventory_at_conflict_start,
        "peacetime_use_before_war": run.total_peacetime_use,
        "demanded": run.total_demanded,
        "fired": run.total_fired,
        "delivered": run.total_delivered,
        "shortfall": run.shortfall,
        "end_inventory": run.end_inventory,
        "lost_with_hulls": run.total_lost_with_hulls,
        "fire_lost_to_launch_limits": run.total_launch_lost,
        **extra,
        **rebuild_block(
            run.total_fired + (before or 0), munition.funded_us_per_year, use, munition.starved
        ),
    }


def fired_before_war(run: MunitionRun, munition: CompiledMunition) -> int | None:
    """Missiles operations before the war drew (firing phases with negative days), or None when
    the munition has none. Pre-war draws are one plan with tests and training; when the depot ran
    short before the war, operations count first: min(planned operations, all drawn)."""
    planned = int(munition.fire_before_war.sum())
    if planned == 0:
        return None
    return min(planned, run.total_peacetime_use)


def launch_metrics(result: RunResult) -> dict[str, Any] | None:
    """What launchers cost the campaign: hulls and missiles lost, fire lost, limited days."""
    if result.fleet is None:
        return None
    days = result.launcher_limited()
    return {
        "hulls_lost": dict(
            zip(result.fleet.classes, result.fleet.hulls_lost.tolist(), strict=True)
        ),
        "missiles_lost_with_hulls": {r.name: r.total_lost_with_hulls for r in result.munitions},
        "fire_lost_to_launch_limits": {r.name: r.total_launch_lost for r in result.munitions},
        "launcher_limited_days": int(days.sum()),
        "launcher_limited_day_share": float(days.mean()),
    }


def summary(result: RunResult, model: CompiledModel, config_sha256: str) -> dict[str, Any]:
    """summary.json's content: the run's headline numbers with what produced them."""
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "run",
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
        "launch": launch_metrics(result),
    }


def timeseries_csv(result: RunResult) -> str:
    """One row per day and munition; `day` counts from the conflict start (negative before it).

    Flows are per day; `peacetime_use` is what tests and training drew before the war;
    `shortfall` is demanded minus fired that day (negative when a backlog is caught up), so the
    column sums to the run's shortfall. `limit` is what held the day's salvos
    back: none, launchers, or inventory.
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
            run.peacetime_used,
            run.demanded - run.fired,
            run.lost_with_hulls,
            run.launch_lost,
        )
        limits = [LIMIT_NAMES[i] for i in run.daily_limits(result.step_times).tolist()]
        for row in zip(*(column.tolist() for column in columns), limits, strict=True):
            writer.writerow((run.name, *row))
    return out.getvalue()
