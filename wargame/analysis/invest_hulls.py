"""`wargame invest --target-hulls CLASS=N --by YEAR`: the least-cost mix of levers
(analysis/invest_mix.py), each lever's answer alone, the cost curve over N, and the files."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from wargame.analysis import invest_mix
from wargame.analysis.invest_fleet import apply
from wargame.analysis.invest_force import (
    Option,
    Target,
    assigned,
    check_target,
    hulls_by_year,
    levers,
    parse_target,
    shortfall_years,
)
from wargame.analysis.invest_mix import Plan, Search, solve_mix
from wargame.analysis.store import to_json
from wargame.config.loading import load_study, scenario_sha256
from wargame.config.scenario import Scenario
from wargame.config.writing import scenario_text_with
from wargame.model.draws import FIXED
from wargame.model.force import project_force
from wargame.numbers import usd


def hull_cost_curve(
    scenario: Scenario, target: Target, most_points: int = 30
) -> list[dict[str, Any]]:
    """The least cost of a mix for each N from what the class already holds from `by` on,
    upward, until no mix reaches it (at most `most_points` rows)."""
    force = project_force(scenario, FIXED)
    assert force is not None
    first = force.years.labels.index(target.by)
    held = int(np.min(hulls_by_year(scenario, target.platform)[first:]))
    rows, search = [], Search(scenario, target)
    for n in range(held, held + most_points):
        best, _ = solve_mix(scenario, Target(target.platform, n, target.by), search)
        if best is None:
            break
        rows.append({"hulls": n, "cost_usd": best.cost_usd, "levers": _levers_text(best)})
    return rows


@dataclass(frozen=True)
class HullsInvest:
    """A solved hull target: invest.json's content, every file's text, and a terminal summary."""

    feasible: bool
    summary: dict[str, Any]
    files: dict[str, str]
    text: str
    closed: Scenario  # the scenario with the plan applied


def assignments(scenario: Scenario, platform: str, plan: Plan | None) -> dict[str, Any]:
    """The plan's levers as the closed config's dotted values (today's plus what is bought)."""
    if plan is None:
        return {}
    by_path = {lever.path: lever for lever in levers(scenario, platform)}
    return {o.path: assigned(by_path[o.path], o.amount or 0.0) for o in plan.bought}


def invest_hulls(
    path: Path,
    overrides: Sequence[str],
    target_text: str,
    by: int,
    provenance: dict[str, Any] | None = None,
) -> HullsInvest:
    """Solve `--target-hulls CLASS=N --by YEAR` for the scenario at `path` (with `overrides`)."""
    scenario = load_study(path, overrides).scenario
    target = parse_target(target_text, by, scenario.scenario.start_date)
    check_target(scenario, target)
    best, options = solve_mix(scenario, target)
    curve = hull_cost_curve(scenario, target)
    values = assignments(scenario, target.platform, best)
    singles = [o for o in options if o.cost_usd is not None]
    summary: dict[str, Any] = {
        "kind": "invest_hulls",
        "scenario": scenario.scenario.name,
        "config_sha256": scenario_sha256(scenario),
        "target": {"platform": target.platform, "hulls": target.hulls, "from_year": target.by},
        "feasible": best is not None,
        "short_years_today": shortfall_years(scenario, target),
        "best": None if best is None else _plan_json(best),
        "best_single": None
        if not singles
        else asdict(min(singles, key=lambda o: o.cost_usd or 0.0)),
        "options": [asdict(o) for o in options],
        "hulls_by_year": _inventory(scenario, target, values),
        "cost_curve": curve,
        "method": _method(),
    }
    if provenance is not None:
        summary["provenance"] = provenance
    rows = ["hulls,cost_usd,levers"] + [
        f'{r["hulls"]},{r["cost_usd"]:.6g},"{r["levers"]}"' for r in curve
    ]
    files = {
        "invest.json": to_json(summary),
        "cost_curve.csv": "\n".join(rows) + "\n",
        "closed.toml": scenario_text_with(path, overrides, values),
    }
    text = _text(target, best, options)
    return HullsInvest(best is not None, summary, files, text, apply(scenario, values))


def _plan_json(plan: Plan) -> dict[str, Any]:
    return {
        "cost_usd": plan.cost_usd,
        "less_fails": plan.less_fails,
        "levers": [asdict(o) for o in plan.bought],
    }


def _inventory(scenario: Scenario, target: Target, values: dict[str, Any]) -> list[dict[str, Any]]:
    """The class's hulls at each year end without and with the plan."""
    force = project_force(scenario, FIXED)
    assert force is not None
    without = hulls_by_year(scenario, target.platform)
    with_plan = hulls_by_year(apply(scenario, values), target.platform)
    return [
        {"year": label, "without": int(a), "with_plan": int(b)}
        for label, a, b in zip(force.years.labels, without, with_plan, strict=True)
    ]


def _method() -> str:
    doc = invest_mix.__doc__ or ""
    return doc.split("Method. ", 1)[1].split("\n\n")[0].replace("\n", " ") if doc else ""


def _levers_text(plan: Plan) -> str:
    return " + ".join(f"{o.lever} {o.amount:g}" for o in plan.bought) or "nothing"


def _text(target: Target, best: Plan | None, options: list[Option]) -> str:
    goal = f"{target.platform} >= {target.hulls} hulls from {target.by} on"
    lines = []
    if best is None:
        lines.append(f"No mix of levers keeps {goal}.")
    else:
        lines.append(f"Keeping {goal} costs {usd(best.cost_usd)}: {_levers_text(best)}.")
        for o in best.bought:
            lines.append(
                f"  {o.lever} {o.amount:g}: {usd(o.cost_usd or 0.0)} (less fails: {o.less_fails})"
            )
    lines.append("Each lever alone:")
    for o in options:
        cost = "cannot" if o.cost_usd is None else usd(o.cost_usd)
        amount = "" if o.amount is None else f" {o.amount:g}"
        minimal = "" if o.less_fails is None else f" (2% less fails: {o.less_fails})"
        lines.append(f"  {o.lever}{amount}: {cost}{minimal}")
    return "\n".join(lines)
