"""One sweep point: its scenario run as a Monte Carlo (and, if asked, the supplemental solved).

Pure: raw data in, metric values out. This is what worker processes and dask workers run.
"""

from __future__ import annotations

from typing import Any

from wargame.analysis.invest import coverage_rows, solve
from wargame.analysis.invest_network import network_rows
from wargame.analysis.invest_plan import without_supplemental
from wargame.analysis.montecarlo import BLOCK, FAN_REPLICATIONS, run_montecarlo
from wargame.analysis.uncertainty import montecarlo_summary
from wargame.config.loading import validate_study
from wargame.config.uncertain import Study
from wargame.model.compile import compile_scenario

Metrics = dict[str, float | None]


def evaluate(
    data: dict[str, Any],
    origin: str,
    metrics: list[str],
    replications: int,
    target_days: float,
    block: int = BLOCK,
    fan: int = FAN_REPLICATIONS,
) -> Metrics:
    """The metrics of the scenario in `data` (a point of a sweep), in blocks of `block`,
    keeping `fan` stock paths."""
    study = validate_study(data, origin)
    count = replications if study.stochastic else 1  # fixed: every replication alike
    mc = run_montecarlo(study, count, block=block, fan=fan)
    summary = montecarlo_summary(mc, study, "")
    values: Metrics = {}
    invest = _invest(study, target_days) if any(m.startswith("invest.") for m in metrics) else {}
    for name in metrics:
        if name.startswith("invest."):
            values[name] = invest[name]
        elif name.startswith("launch."):
            _, outcome, stat = name.split(".")
            values[name] = summary["launch"][outcome][stat]
        else:
            munition, outcome, stat = name.split(".")
            values[name] = summary["munitions"][munition][outcome][stat]
    return values


def _invest(study: Study, target_days: float) -> Metrics:
    """The least supplemental for the median inputs (missile levers; launchers not bought)."""
    scenario = without_supplemental(study.scenario)
    target = min(target_days, float(scenario.scenario.horizon_days))
    model = compile_scenario(scenario)
    rows = coverage_rows(model, scenario)
    network = network_rows(model, scenario, tuple(r.made_by for r in rows))
    plan = solve(rows, target, network=network)
    return {
        "invest.total_usd": plan.total_usd,
        "invest.achieved_days": plan.achieved_days,
        "invest.feasible": float(plan.feasible),
    }
