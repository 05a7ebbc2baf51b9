"""`wargame invest`'s work: the least supplemental for a scenario, checked by re-running it, and
the contents of the files it writes (no I/O). Moved from runner.py (issue 16) so that `wargame
run` does not import the solver."""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wargame.analysis.budget import (
    DEFAULT_BUDGET,
    Budget,
    Size,
    check_work,
    size_of,
)
from wargame.analysis.fiscal import fiscal_outlays
from wargame.analysis.inputs_table import inputs_csv
from wargame.analysis.invest import Plan, coverage_rows, solve
from wargame.analysis.invest_bills import nation_bills, payers, spending_caps
from wargame.analysis.invest_fleet import (
    apply,
    first_short_day,
    launch_days,
    missile_assignments,
    solve_with_fleet,
)
from wargame.analysis.invest_missions import (
    check_coalition_levers,
    check_shared,
    mission_coverage,
    shared_munitions,
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
from wargame.analysis.invest_routes import routes
from wargame.analysis.invest_shared import check_size, shared_plan, shared_problem
from wargame.analysis.store import to_json
from wargame.config.loading import load_study, scenario_sha256, validate_study
from wargame.config.provenance import with_provenance
from wargame.config.scenario import Scenario
from wargame.config.uncertain import Study
from wargame.config.writing import scenario_text_with
from wargame.engine.des import run_des
from wargame.errors import InputError
from wargame.model.compile import compile_scenario
from wargame.report.invest_report import invest_report

CLOSED_CONFIG = "closed.toml"
LP_COST = 60  # an LP row costs about 60 replication-steps of the compiled core (make bench)
FLEET_SEARCH_RUNS = 100  # SimPy runs the launcher search takes at most, about


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
        caps = spending_caps(scenario)
        if shared_munitions(model):  # the serving order decides: the exact program
            check_coalition_levers(scenario, risk, path, shared=True)
            check_shared(scenario, path)
            problem = shared_problem(model, rows)
            check_size(problem, str(path))
            plan, covered = shared_plan(problem, rows, target, caps), None
            curve = cost_curve(rows, horizon, caps=caps, shared=problem)
        else:
            groups = mission_coverage(model, rows, str(path))
            lines = routes(model, scenario, rows)
            network = network_rows(model, scenario, tuple(r.made_by for r in rows))
            plan, covered = solve(rows, target, groups, caps, lines, network), None
            if risk is not None and study.stochastic:
                plan, covered = solve_at_risk(study, scenario, target, risk, caps, str(path))
            curve = cost_curve(
                rows, horizon, groups=groups, caps=caps, routes=lines, network=network
            )
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
        bills=nation_bills((*plan.purchases, *plan.routes), scenario, payers(scenario)),
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
