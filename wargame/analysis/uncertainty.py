"""What a Monte Carlo run says: quantiles, means with intervals, and chances of running out.

Quantiles are values some replication took (numpy's inverted CDF), so a quantile of days to
depletion is a real salvo day, and null when that share of replications never ran out within the
horizon. The mean of days to depletion is over the replications that ran out (its interval is
Student's t); `never_depleted_share` says how many did not.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import numpy as np

from wargame import __version__
from wargame.analysis.coalition import batch_flows, coalition_summary, joined, missions
from wargame.analysis.csv_rows import replication_rows
from wargame.analysis.metrics import SCHEMA_VERSION, never_rebuilt, rebuild_years
from wargame.analysis.montecarlo import CONFIDENCE, MonteCarlo, half_width
from wargame.config.scenario import Scenario
from wargame.config.uncertain import Study
from wargame.engine.results import BatchRun, MunitionBatch
from wargame.model.compile import compile_scenario, demand_rate
from wargame.model.peacetime import fire_before_war
from wargame.model.rates import FloatArray, IntArray

QUANTILES = {"p5": 0.05, "p10": 0.10, "p50": 0.50, "p90": 0.90, "p95": 0.95}
FAN_QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)


def distribution(values: FloatArray) -> dict[str, Any]:
    """Quantiles and the mean with its 95% interval of `values` (NaN: never, sorts last)."""
    ordered = np.where(np.isfinite(values), values, np.inf)
    # every quantile from one partial sort (one call): each is an order statistic either way
    picked = np.quantile(ordered, list(QUANTILES.values()), method="inverted_cdf")
    stats: dict[str, Any] = {
        name: _number(value) for name, value in zip(QUANTILES, picked, strict=True)
    }
    finite = values[np.isfinite(values)]
    mean = float(finite.mean()) if finite.size else None
    half = half_width(values)
    stats["mean"] = mean
    stats["mean_ci95"] = None if mean is None or half is None else [mean - half, mean + half]
    return stats


def p_depleted_by(days: FloatArray, day: float) -> float:
    """Share of replications that ran out on or before conflict `day`."""
    return float(np.mean(np.isfinite(days) & (days <= day)))


def survival(days: FloatArray, horizon: int) -> FloatArray:
    """P(run out on or before day d) for d = 0 .. horizon - 1 (a cumulative share)."""
    ran_out = days[np.isfinite(days)]
    counts = np.bincount(np.floor(ran_out).astype(np.int64), minlength=horizon)[:horizon]
    return np.cumsum(counts) / days.size


def days_block(days: FloatArray, target_days: float) -> dict[str, Any]:
    """A distribution of days (NaN: never) with the chance of running out by the target day."""
    block = distribution(days)
    block["p_depleted_by"] = p_depleted_by(days, target_days)
    block["never_depleted_share"] = float(np.mean(~np.isfinite(days)))
    return block


def planned_fire_before_war(study: Study, name: str) -> int:
    """Missiles a munition's own phases plan to fire before the war, at the file's values."""
    meta = study.scenario.scenario
    munition = study.scenario.munitions[name]
    if not any(phase.start_day < 0 for phase in munition.firing):
        return 0
    plan = fire_before_war(demand_rate(munition, meta.warning_days), meta.warning_days)
    return int(plan.sum())


def munition_block(
    run: MunitionBatch,
    target_days: float,
    funded: float,
    use: float,
    before: int = 0,
    starved: bool = False,
) -> dict[str, Any]:
    """Per-munition distributions for summary.json; `funded` US deliveries and peacetime `use`
    per year (at the inputs' medians) give the rebuild years of the median replication, with
    `before` missiles planned for operations before the war (at the file's values) rebuilt too."""
    extra = {"fired_before_war_planned": before} if before else {}
    return {
        "days_to_depletion": days_block(run.days_to_depletion, target_days),
        "shortfall": distribution(run.shortfall.astype(np.float64)),
        "fired": distribution(run.fired.astype(np.float64)),
        "end_inventory": distribution(run.end_inventory.astype(np.float64)),
        "lost_with_hulls": distribution(run.lost_with_hulls.astype(np.float64)),
        "fire_lost_to_launch_limits": distribution(run.launch_lost.astype(np.float64)),
        **extra,
        "rebuild_years_median": rebuild_years(int(np.median(run.fired)) + before, funded, use),
        "rebuild_never_because": never_rebuilt(funded, use, starved),
    }


def montecarlo_summary(
    mc: MonteCarlo, study: Study, config_sha256: str, national: MonteCarlo | None = None
) -> dict[str, Any]:
    """summary.json for a Monte Carlo run (`national`: its missions' national counterfactual,
    on the same replications)."""
    meta = study.scenario.scenario
    outcomes = mc.outcomes
    nominal = compile_scenario(study.scenario)  # the inputs' medians, suppliers' limits included
    rates = {
        m.name: (m.funded_us_per_year, study.scenario.munitions[m.name].peacetime_use_per_year)
        for m in nominal.munitions
    }
    starved = {m.name: m.starved for m in nominal.munitions}
    launch = None
    if outcomes.hulls_lost is not None and outcomes.launcher_limited_days is not None:
        launch = {
            "hulls_lost": {
                name: distribution(outcomes.hulls_lost[c].astype(np.float64))
                for c, name in enumerate(outcomes.class_names)
            },
            "launcher_limited_days": distribution(
                outcomes.launcher_limited_days.astype(np.float64)
            ),
        }
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "monte_carlo",
        "scenario": meta.name,
        "config_sha256": config_sha256,
        "seed": meta.seed,
        "wargame_version": __version__,
        "warning_days": meta.warning_days,
        "horizon_days": meta.horizon_days,
        "target_days": meta.target_days,
        "replications": mc.replications,
        "engine": mc.engine,
        "confidence": CONFIDENCE,
        "precision": None
        if mc.precision is None
        else {
            "target_half_width_days": mc.precision.days,
            "cap": mc.precision.cap,
            "half_width_days": mc.half_width,
            "reached": mc.half_width is not None and mc.half_width < mc.precision.days,
        },
        "uncertain_inputs": {
            item.path: item.dist.model_dump(exclude_none=True) for item in study.uncertain
        },
        "munitions": {
            run.name: munition_block(
                run,
                meta.target_days,
                *rates[run.name],
                planned_fire_before_war(study, run.name),
                starved[run.name],
            )
            for run in outcomes.munitions
        },
        "launch": launch,
        **coalition_summary(
            outcomes.groups,
            None if national is None else national.outcomes.groups,
            batch_flows(outcomes.munitions),
            study.scenario,
            lambda values: distribution(values.astype(np.float64)),
            lambda days: days_block(days, meta.target_days),
        ),
        **who_shows_up(outcomes, study.scenario, meta.target_days),
    }


def who_shows_up(outcomes: BatchRun, scenario: Scenario, target_days: float) -> dict[str, Any]:
    """For each ally that may stay out: how often it joined, and each mission's chance of running
    dry by the target day with it and without it (the same replications, split)."""
    joins = joined(outcomes, scenario)
    if not joins or not scenario.missions:
        return {}
    got = missions(outcomes.groups, scenario)
    out: dict[str, Any] = {}
    for nation, did in joins.items():
        out[nation] = {"joined_share": float(did.mean())}
        for name, mission in got.items():
            days = mission.days_to_depletion
            out[nation][name] = {
                "p_depleted_by_if_joined": p_depleted_by(days[did], target_days)
                if did.any()
                else None,
                "p_depleted_by_if_absent": p_depleted_by(days[~did], target_days)
                if (~did).any()
                else None,
            }
    return {"who_shows_up": out}


def fan_quantiles(paths: IntArray) -> IntArray:
    """(FAN_QUANTILES, days): each day's FAN_QUANTILES over the kept replications of whole-
    number `paths` (days, replications), as np.quantile(..., method="inverted_cdf") gives them.

    Those quantiles are order statistics at ranks set by the count alone (the ranks of
    0 .. count - 1), so one sort of each day serves all five: np.quantile partitioned each day
    for them, about twice as long."""
    ranks = np.quantile(np.arange(paths.shape[1]), FAN_QUANTILES, method="inverted_cdf")
    return np.sort(paths, axis=1)[:, ranks].T


def bands_csv(mc: MonteCarlo, horizon: int) -> str:
    """timeseries.csv of a Monte Carlo run: per munition and salvo day, the stock's quantiles
    at the day's end (from the replications whose paths were kept) and the chance of having
    run out by then (from every replication)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    names = [f"stock_p{round(q * 100)}" for q in FAN_QUANTILES]
    writer.writerow(["munition", "day", *names, "p_depleted_by_day", "paths"])
    for run in mc.outcomes.munitions:
        if run.stock is None:
            continue
        bands = fan_quantiles(run.stock)
        by_day = survival(run.days_to_depletion, horizon)
        for i, day in enumerate(mc.salvo_days.tolist()):
            row = [int(b) for b in bands[:, i]]
            writer.writerow([run.name, day, *row, f"{by_day[day]:.6g}", run.stock.shape[1]])
    return out.getvalue()


def replications_csv(mc: MonteCarlo) -> str:
    """replications.csv: one row per replication and munition, with the drawn inputs.

    Written a munition at a time by one compiled loop over all its rows (analysis/csv_rows.py):
    the csv module took a call and a formatted string per cell, more than the engine's time on
    a 20,000 replication run. A name that csv would quote is quoted the same way."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    inputs = list(mc.inputs)
    columns = ["days_to_depletion", "shortfall", "fired", "end_inventory", "lost_with_hulls"]
    writer.writerow(["replication", "munition", *columns, "fire_lost_to_launch_limits", *inputs])
    for run in mc.outcomes.munitions:
        values = [
            run.days_to_depletion,
            run.shortfall,
            run.fired,
            run.end_inventory,
            run.lost_with_hulls,
            run.launch_lost,
            *(mc.inputs[p] for p in inputs),
        ]
        name = io.StringIO()
        csv.writer(name, lineterminator="\n").writerow([run.name])
        out.write(replication_rows(name.getvalue()[:-1], [np.asarray(v) for v in values]))
    return out.getvalue()


def paths_csv(mc: MonteCarlo) -> str:
    """paths.csv: every kept replication's stock at the end of each salvo day."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["replication", "munition", "day", "stock"])
    for run in mc.outcomes.munitions:
        if run.stock is None:
            continue
        for r in range(run.stock.shape[1]):
            for day, stock in zip(mc.salvo_days.tolist(), run.stock[:, r].tolist(), strict=True):
                writer.writerow([r, run.name, day, stock])
    return out.getvalue()


def _number(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None
