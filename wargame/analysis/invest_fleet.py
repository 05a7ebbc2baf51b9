"""The supplemental when launchers bind: missiles or launchers, chosen by cost.

A scenario with platforms needs both enough missiles and enough loaded cells on station. The
launcher levers are few and lumpy: buy a port's reload capability (reload at sea), buy hulls from a
class's yard, or add yard capacity. Each option is applied in turn; whether the fleet can then fire
every demanded shot to the target is asked of the SimPy model with missiles unlimited, and the
least hull count or yard capacity that does it is found by root finding (scipy.optimize.brentq) on
that monotone response. The missiles for each launch-feasible option come from the LP of
analysis/invest.py, topped up by root finding where missiles parked in cells make the LP short.
The cheapest feasible option wins.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from wargame.analysis.invest import (
    NO_PURCHASE,
    LauncherOption,
    Plan,
    coverage_rows,
    missile_price,
    solve,
)
from wargame.config.loading import validate_scenario
from wargame.config.overrides import apply_override
from wargame.config.scenario import Scenario
from wargame.engine.des import run_des
from wargame.engine.results import RunResult
from wargame.model.compile import compile_scenario

UNLIMITED = 10**9  # missiles in every depot when only launchers are being asked about


def apply(scenario: Scenario, assignments: dict[str, Any]) -> Scenario:
    """The scenario with dotted-path values set (validated like the file)."""
    data = copy.deepcopy(scenario.model_dump(mode="python"))
    for dotted, value in assignments.items():
        apply_override(data, dotted.split("."), value)
    return validate_scenario(data, "supplemental")


def first_short_day(result: RunResult) -> float | None:
    """Conflict day of the first salvo of any demand (a munition's own plan or a mission) not
    served in full, for any reason, if any. A mission's member that runs dry while the next
    member serves is no shortfall: the groups, not the munitions, say whether demand was met."""
    days = [g.days_to_shortfall for g in result.groups if g.days_to_shortfall is not None]
    return min(days) if days else None


def launch_days(scenario: Scenario) -> float:
    """Days the fleet fires every demanded shot with missiles unlimited (inf: the whole horizon)."""
    ample = apply(scenario, {f"munitions.{m}.inventory": UNLIMITED for m in scenario.munitions})
    short = first_short_day(run_des(compile_scenario(ample)))
    return math.inf if short is None else short


def launcher_options(scenario: Scenario, target: float) -> list[LauncherOption]:
    """Every single launcher purchase that lets the fleet fire to `target`, at its least size."""
    options = [NO_PURCHASE]
    for name, port in scenario.ports.items():
        if not port.purchased:
            options.append(
                LauncherOption(
                    f"reload capability at {name}",
                    {f"ports.{name}.purchased": True},
                    port.capability_cost_usd,
                )
            )
    for name in scenario.platforms:
        options += _yard_options(scenario, name, target)
    return [o for o in options if launch_days(apply(scenario, o.assignments)) >= target]


def _yard_options(scenario: Scenario, name: str, target: float) -> list[LauncherOption]:
    """The least extra hulls, and the least extra yard capacity, that reach `target` alone.

    Both come on top of what the scenario already has (say, capacity an earlier supplemental
    bought); only the extra is priced.
    """
    yard = scenario.platforms[name].yard
    if yard is None:
        return []
    levers = yard.supplemental
    path = f"platforms.{name}.yard.supplemental"
    options = []
    hulls = _least(scenario, f"{path}.hulls", levers.hulls, target, 1000.0, whole=True)
    if hulls is not None:
        n = math.ceil(hulls)
        price = yard.hull_cost_usd / levers.funding_efficiency
        options.append(
            LauncherOption(
                f"{name}: {n} more hulls", {f"{path}.hulls": levers.hulls + n}, n * price
            )
        )
    room = levers.expansion_ceiling_ratio * yard.capacity_per_year - levers.added_capacity_per_year
    key = f"{path}.added_capacity_per_year"
    added = _least(scenario, key, levers.added_capacity_per_year, target, room, whole=False)
    if added is not None:
        price = levers.expansion_cost_ratio * yard.hull_cost_usd / levers.funding_efficiency
        options.append(
            LauncherOption(
                f"{name}: yard +{added:.3f} hulls/yr",
                {key: levers.added_capacity_per_year + added},
                added * price,
            )
        )
    return options


def _least(
    scenario: Scenario, path: str, now: float, target: float, most: float, *, whole: bool
) -> float | None:
    """Least extra in (0, most] over `now` at `path` that lets the fleet fire to `target`.

    Root finding assumes more never hurts, which holds for settled fleets; where queueing makes
    the response bumpy the answer can be above the least, or missed (None).
    """
    from scipy.optimize import brentq  # here, not at import: scipy.optimize is slow to load

    def gap(x: float) -> float:  # the sign flips where the fleet first reaches the target
        extra = math.ceil(x) if whole else x
        return -0.5 if launch_days(apply(scenario, {path: now + extra})) >= target else 0.5

    if most <= 0 or gap(0.0) <= 0 or gap(most) > 0:
        return None
    root = float(brentq(gap, 0.0, most, xtol=1e-3))
    return root if gap(root) <= 0 else root + 1e-3


def solve_with_fleet(scenario: Scenario, target: float) -> Plan:
    """The cheapest launcher option with its missiles; or, if none reaches the target, the best."""
    plans = [
        replace(_missile_plan(apply(scenario, o.assignments), target), launchers=o)
        for o in launcher_options(scenario, target)
    ]
    closed = [plan for plan in plans if plan.feasible]
    if closed:
        return min(closed, key=lambda plan: plan.total_usd)
    if plans:  # launchers suffice but missiles cannot arrive in time: the missile answer stands
        return min(plans, key=lambda plan: (-plan.achieved_days, plan.total_usd))
    best = max(launch_days(scenario), 0.0)
    plan = _missile_plan(scenario, min(best, target))
    detail = (
        f"the fleet cannot fire every demanded shot past conflict day {best:g}, and no single "
        f"launcher purchase takes it to day {target:g}"
    )
    return replace(
        plan,
        target_days=target,
        feasible=False,
        achieved_days=min(best, target),
        binding="launchers",
        binding_detail=detail,
    )


def _missile_plan(scenario: Scenario, target: float) -> Plan:
    """Missiles for `target` with launchers fixed: the LP, topped up where cells hold stock.

    An answer the LP cannot close keeps only the days the SimPy model confirms.
    """
    plan = solve(coverage_rows(compile_scenario(scenario), scenario), target)
    if plan.feasible:
        return plan if _meets(scenario, plan, target) else _top_up(scenario, plan, target)
    return replace(plan, achieved_days=min(plan.achieved_days, _confirmed_days(scenario, plan)))


def _confirmed_days(scenario: Scenario, plan: Plan) -> float:
    """Days every demanded shot is fired with the plan's missiles bought (inf: all of them)."""
    short = first_short_day(run_des(compile_scenario(with_purchases(scenario, plan))))
    return math.inf if short is None else short


def _meets(scenario: Scenario, plan: Plan, target: float) -> bool:
    return _confirmed_days(scenario, plan) >= target


def with_purchases(scenario: Scenario, plan: Plan) -> Scenario:
    """The scenario with the plan's missiles and line capacity bought."""
    return apply(scenario, missile_assignments(plan))


def missile_assignments(plan: Plan) -> dict[str, Any]:
    """The plan's missile purchases by dotted path."""
    out: dict[str, Any] = {}
    for p in plan.purchases:
        out[f"munitions.{p.munition}.supplemental.missiles"] = p.missiles
        out[f"munitions.{p.munition}.supplemental.added_capacity_per_year"] = (
            p.added_capacity_per_year
        )
    for route in plan.routes:
        out[f"munitions.{route.munition}.supplemental.from_line_missiles"] = route.missiles
    return out


def _top_up(scenario: Scenario, plan: Plan, target: float) -> Plan:
    """Add the least extra missiles the SimPy model accepts: first the same extra for every
    munition (short munitions can hide each other), then each munition's own least extra."""
    joint = _least_extra(scenario, plan, target, range(len(plan.purchases)))
    if joint is None:
        short = min(_confirmed_days(scenario, plan), target)
        return replace(
            plan,
            feasible=False,
            achieved_days=short,
            binding="launchers",
            binding_detail="missiles parked in the cells of hulls away from station "
            "keep salvos short whatever is bought",
        )
    plan = joint
    for i in range(len(plan.purchases)):
        plan = _least_extra(scenario, plan, target, [i], reduce=True) or plan
    return replace(
        plan,
        binding="inventory",
        binding_detail="missiles: the LP's answer plus what sits in cells away from station",
    )


def _least_extra(
    scenario: Scenario, plan: Plan, target: float, which: Sequence[int], *, reduce: bool = False
) -> Plan | None:
    """The plan with the least extra missiles on munitions `which` (the same extra for each)
    that meets `target`; with `reduce`, the extra may be negative down to the LP's answer."""
    from scipy.optimize import brentq

    prices = [missile_price(scenario.munitions[p.munition]) for p in plan.purchases]

    def with_extra(extra: float) -> Plan:
        purchases = list(plan.purchases)
        for i in which:
            n = max(0, purchases[i].missiles + math.ceil(extra))
            purchases[i] = replace(purchases[i], missiles=n, missiles_usd=n * prices[i])
        return replace(plan, purchases=tuple(purchases))

    def gap(extra: float) -> float:  # the sign flips at the least extra that suffices
        return -0.5 if _meets(scenario, with_extra(extra), target) else 0.5

    low = -float(max(plan.purchases[i].missiles for i in which)) if reduce else 0.0
    most = float(sum(m.inventory for m in scenario.munitions.values()) + 10_000)
    if gap(most) > 0:
        return None
    if gap(low) < 0:
        return with_extra(low)
    root = brentq(gap, low, most, xtol=0.5)
    return with_extra(root if gap(root) < 0 else root + 1.0)
