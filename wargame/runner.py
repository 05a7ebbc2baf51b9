"""One scenario run from validated scenario to the files it writes (content only, no I/O)."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wargame.analysis.budget import (
    POINT_COST,
    Budget,
    Size,
    block_size,
    check_memory,
    check_work,
    fan_size,
    size_of,
)
from wargame.analysis.coalition import coalition_csv, run_coalition
from wargame.analysis.fiscal import fiscal_outlays
from wargame.analysis.inputs_table import inputs_csv
from wargame.analysis.invest import Plan, coverage_rows, solve
from wargame.analysis.invest_fleet import (
    apply,
    first_short_day,
    launch_days,
    missile_assignments,
    solve_with_fleet,
)
from wargame.analysis.invest_missions import (
    check_coalition_levers,
    mission_coverage,
    spending_caps,
)
from wargame.analysis.invest_network import (
    check_network_levers,
    network_rows,
    supplier_assignments,
)
from wargame.analysis.invest_outputs import (
    cost_curve,
    cost_curve_csv,
    invest_summary,
    outlays_by_year,
)
from wargame.analysis.invest_plan import without_supplemental
from wargame.analysis.invest_risk import (
    CHECK_REPLICATIONS,
    RISK_REPLICATIONS,
    check,
    solve_at_risk,
)
from wargame.analysis.metrics import summary, timeseries_csv
from wargame.analysis.montecarlo import (
    BLOCK,
    FAN_REPLICATIONS,
    Engine,
    MonteCarlo,
    Precision,
    run_montecarlo,
)
from wargame.analysis.store import to_json
from wargame.analysis.supply import suppliers_block, suppliers_csv
from wargame.analysis.uncertainty import (
    bands_csv,
    montecarlo_summary,
    paths_csv,
    replications_csv,
)
from wargame.config.loading import load_study, scenario_sha256, study_sha256, validate_study
from wargame.config.scenario import Scenario
from wargame.config.uncertain import Study
from wargame.config.writing import scenario_text_with
from wargame.engine.des import run_des
from wargame.engine.results import RunResult
from wargame.errors import InputError
from wargame.model.compile import compile_scenario
from wargame.model.missions import has_counterfactual
from wargame.report.invest_report import invest_report
from wargame.report.montecarlo_report import montecarlo_report
from wargame.report.run_report import run_report
from wargame.sweep.loading import Sweep, apply_point
from wargame.sweep.outputs import Check, indices, rows, table_csv, table_parquet, violations
from wargame.sweep.report import sweep_report
from wargame.sweep.run import Progress, SweepRun, run_sweep

CLOSED_CONFIG = "closed.toml"
LP_COST = 60  # an LP row costs about 60 replication-steps of the compiled core (make bench)
FLEET_SEARCH_RUNS = 100  # SimPy runs the launcher search takes at most, about
DEFAULT_BUDGET = Budget()


@dataclass(frozen=True)
class RunOutput:
    """A finished run: its results, its summary and the text of every output file."""

    result: RunResult
    summary: dict[str, Any]
    files: dict[str, str]


def run_scenario(
    scenario: Scenario,
    budget: Budget = DEFAULT_BUDGET,
    origin: str = "the scenario",
    provenance: dict[str, Any] | None = None,
) -> RunOutput:
    """Compile and simulate `scenario` with the SimPy engine; render summary, CSV and report.

    `origin` (the config file) names the run in a refusal when it is over `budget`;
    `provenance` (config/provenance.py) joins the summary before the report is rendered."""
    size = size_of(scenario)
    check_work(size, 2 if has_counterfactual(scenario) else 1, budget, origin, des=True)
    model = compile_scenario(scenario)
    result = run_des(model)
    national = None
    if has_counterfactual(scenario):
        national = run_des(compile_scenario(scenario, national=True))
    data = summary(result, model, scenario_sha256(scenario)) | run_coalition(
        result, national, scenario
    )
    if model.suppliers:
        data["suppliers"] = suppliers_block(model)
    data = with_provenance(data, provenance)
    files = {
        "summary.json": to_json(data),
        "timeseries.csv": timeseries_csv(result),
        "inputs.csv": inputs_csv(Study(scenario, ()), provenance),
        "report.html": run_report(result, scenario, data, model),
    }
    if model.suppliers:
        files["suppliers.csv"] = suppliers_csv(model)
    if scenario.missions or scenario.nations:
        files["coalition.csv"] = coalition_csv(result, scenario)
    return RunOutput(result, data, files)


@dataclass(frozen=True)
class MonteCarloOutput:
    """A finished Monte Carlo run: its outcomes, its summary and every output file's text."""

    montecarlo: MonteCarlo
    summary: dict[str, Any]
    files: dict[str, str]


def run_study(
    study: Study,
    replications: int,
    engine: Engine,
    precision: Precision | None = None,
    *,
    paths: bool = False,
    budget: Budget = DEFAULT_BUDGET,
    origin: str = "the scenario",
    provenance: dict[str, Any] | None = None,
) -> MonteCarloOutput:
    """Run `study` as a Monte Carlo; render summary, day-by-day bands, replications and report.

    The work and memory are estimated first and refused (InputError naming `origin`) when over
    `budget`; blocks are as large as the memory budget allows."""
    size = size_of(study.scenario)
    most = max(replications, 0 if precision is None else precision.cap)
    most *= 2 if has_counterfactual(study.scenario) else 1
    check_work(size, most, budget, origin, des=engine == "des")
    fan = fan_size(size, FAN_REPLICATIONS, budget)
    check_memory(size, most, most if paths else min(most, fan), budget)
    block = block_size(size, BLOCK, budget)
    mc = run_montecarlo(
        study, replications, engine=engine, precision=precision, paths=paths, block=block, fan=fan
    )
    national = None
    if has_counterfactual(study.scenario):  # the same replications, each nation on its own
        national = run_montecarlo(
            study, mc.replications, engine=engine, block=block, fan=0, national=True
        )
    data = montecarlo_summary(mc, study, study_sha256(study), national)
    nominal = compile_scenario(study.scenario)  # every input at its value in the file
    if nominal.suppliers:
        data["suppliers_at_file_values"] = suppliers_block(nominal)
    data = with_provenance(data, provenance)
    horizon = study.scenario.scenario.horizon_days
    files = {
        "summary.json": to_json(data),
        "timeseries.csv": bands_csv(mc, horizon),
        "replications.csv": replications_csv(mc),
        "inputs.csv": inputs_csv(study, provenance),
        "report.html": montecarlo_report(mc, study, data, run_des(nominal)),
    }
    if nominal.suppliers:
        files["suppliers.csv"] = suppliers_csv(nominal)
    if paths:
        files["paths.csv"] = paths_csv(mc)
    return MonteCarloOutput(mc, data, files)


def with_provenance(data: dict[str, Any], provenance: dict[str, Any] | None) -> dict[str, Any]:
    """`data` with a top-level "provenance" object last (unchanged without one)."""
    return data if provenance is None else {**data, "provenance": provenance}


def slug(name: str) -> str:
    """A directory name for a scenario title: lower case, words joined by '-'."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "scenario"


@dataclass(frozen=True)
class InvestOutput:
    """A solved supplemental: the plan, invest.json's content and every output file's text."""

    plan: Plan
    summary: dict[str, Any]
    files: dict[str, str]


def invest_scenario(
    path: Path,
    overrides: Sequence[str],
    target_days: float | None,
    risk: float | None,
    out_dir: Path,
    budget: Budget = DEFAULT_BUDGET,
    provenance: dict[str, Any] | None = None,
) -> InvestOutput:
    """Solve the least supplemental for the scenario at `path`; verify it by re-running it.

    Without `target_days`, the target is the file's `scenario.target_days` when the file sets
    it, else the whole horizon."""
    study = load_study(path, overrides)
    check_coalition_levers(study.scenario, risk, path)
    check_network_levers(study.scenario, risk, str(path))
    scenario = without_supplemental(study.scenario)
    horizon = scenario.scenario.horizon_days
    check_invest_work(study, budget, str(path))
    target = target_days if target_days is not None else file_target(scenario)
    if not 0 <= target <= horizon:
        raise InputError(f"--target-days {target:g}: must be between 0 and the horizon ({horizon})")
    if risk is not None and not 0 <= risk < 1:
        raise InputError(f"--risk {risk:g}: must be at least 0 and below 1")
    if risk is not None and study.stochastic and scenario.platforms:
        raise InputError("--risk: scenarios with platforms are not covered yet (drop --risk)")
    model = compile_scenario(scenario)
    covered: int | None = None
    if scenario.platforms:
        plan = solve_with_fleet(scenario, target)
        fleet = apply(scenario, plan.launchers.assignments)
        rows = coverage_rows(compile_scenario(fleet), fleet)
        curve = cost_curve(rows, horizon, plan.launchers, launch_days(fleet))
    else:
        rows = coverage_rows(model, scenario)
        groups = mission_coverage(model, rows, str(path))
        caps = spending_caps(scenario)
        network = network_rows(model, scenario, tuple(r.made_by for r in rows))
        plan, covered = solve(rows, target, groups, caps, network), None
        if risk is not None and study.stochastic:
            plan, covered = solve_at_risk(study, scenario, target, risk)
        curve = cost_curve(rows, horizon, groups=groups, caps=caps, network=network)
    closed_path = out_dir / CLOSED_CONFIG
    closed_text = scenario_text_with(path, overrides, plan_assignments(plan))
    closed = validate_study(tomllib.loads(closed_text), str(closed_path)).scenario
    before, after = run_des(model), run_des(compile_scenario(closed))
    days_after = {run.name: run.days_to_depletion for run in after.munitions}
    if covered is None:  # a plan for the median inputs must work with them
        _check_meets(plan, first_short_day(after))
    spread = check(study, closed, target, risk, covered) if study.stochastic else None
    summary = invest_summary(
        plan,
        scenario_name=scenario.scenario.name,
        config_sha256=scenario_sha256(scenario),
        risk=risk,
        outlays=outlays_by_year(plan, model, scenario),
        days_to_depletion_after=days_after,
        closed_config=CLOSED_CONFIG,  # beside invest.json: no local path in the outputs
        risk_check=None if spread is None else spread.as_json(),
        nations={n: m.nation for n, m in scenario.munitions.items()} if scenario.nations else None,
        fiscal=fiscal_outlays(plan, model, scenario),
        suppliers=bool(scenario.suppliers),
    )
    summary = with_provenance(summary, provenance)
    files = {
        "invest.json": to_json(summary),
        "cost_curve.csv": cost_curve_csv(curve),
        "inputs.csv": inputs_csv(study, provenance),
        "invest.html": invest_report(
            plan, curve, before, after, closed, summary, uncertain=study.uncertain
        ),
        CLOSED_CONFIG: closed_text,
    }
    return InvestOutput(plan, summary, files)


def file_target(scenario: Scenario) -> float:
    """Invest's default target: the file's `scenario.target_days` if it sets one, else the
    whole horizon (the target_days default is for p_depleted_by, not a plan's goal)."""
    meta = scenario.scenario
    return meta.target_days if "target_days" in meta.model_fields_set else float(meta.horizon_days)


def check_invest_work(study: Study, budget: Budget, origin: str) -> None:
    """Refuse an invest whose solving would be over `budget`: the cost curve solves the LP once
    per day of the horizon over every salvo's row, the launcher search runs the SimPy model
    up to FLEET_SEARCH_RUNS times, and an uncertain scenario checks the plan on fresh
    replications."""
    size = size_of(study.scenario)
    meta = study.scenario.scenario
    curve_rows = (meta.horizon_days + 1) * size.steps * size.munitions * LP_COST
    check_work(Size(1, 0, 1, 0), curve_rows, budget, f"{origin}: the cost curve's LP rows")
    if study.scenario.platforms:
        check_work(size, FLEET_SEARCH_RUNS, budget, origin, des=True)
    if study.stochastic:
        check_work(size, RISK_REPLICATIONS + CHECK_REPLICATIONS, budget, origin)


def plan_assignments(plan: Plan) -> dict[str, Any]:
    """The closed config's new values, by dotted path, with their source."""
    note = (
        f"wargame invest: least cost to meet demand for {plan.achieved_days:g} days "
        f"(target {plan.target_days:g})"
    )
    out: dict[str, Any] = {}
    assignments = missile_assignments(plan) | supplier_assignments(plan.suppliers)
    for dotted, value in (assignments | plan.launchers.assignments).items():
        table, _, field = dotted.rpartition(".")
        out |= {dotted: value, f"{table}.sources.{field}": note}
    return out


def _check_meets(plan: Plan, first_short: float | None) -> None:
    """The SimPy model must confirm the plan; a miss is a bug in the solver, not bad input."""
    if first_short is not None and first_short < plan.achieved_days:
        raise RuntimeError(
            f"solver bug: a salvo falls short on day {first_short:g} with the plan for "
            f"{plan.achieved_days:g} days"
        )


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
