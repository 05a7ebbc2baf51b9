"""The least-cost mix of a class's levers that keeps it at or above N hulls from a year on.

Method. The class's hulls at each year end are a function of the levers, computed by the
projection itself (model/force.py: cohorts, monthly lots, shared yards in priority order,
retirements, transfers), and each lever alone moves them monotonically (more never lowers any
year). A life extension moves them in steps: between two of its breakpoints (the least years at
which some year end from the target year on gains a hull) the projection and its price in
hull-years are the same, so the cheapest plan extends to a breakpoint or not at all; the
breakpoints are found by bisecting every interval over which the hulls differ, to a relative 1e-4.
Extra hulls are whole. Added capacity is continuous, linear in price, and for a given extension
and number of extra hulls its least amount is found by bisection (to 1e-4 of its range). The
search enumerates, for each yard that builds the class, the extension's breakpoints (from none
upward) and the extra hulls (from none upward), and for each pair the least capacity, pruning
any branch whose extension and hulls alone already cost at least the best plan so far (prices
rise with each lever). It starts from the best single lever, so the mix is never dearer. Every
candidate is checked on the projection, so rounding to whole hulls and monthly lots is exact;
the enumeration is exhaustive over the breakpoints, which is what makes the answer minimal (a
mixed-integer program over the projection's lots would need the lots' rounding as constraints,
and the projection is that constraint). Minimality is shown as for one lever: with each bought
lever in turn 2% less (one hull less for orders), the others unchanged, the target is missed.
Capacity and orders are mixed at one yard at a time (with the extension); capacity bought at a
yard shared by several classes serves them in the yard's priority order, as the projection
gives. Exact as long as no delivered hull retires within the projection (model/force.py).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from wargame.analysis.invest_fleet import apply
from wargame.analysis.invest_force import (
    Lever,
    Option,
    Target,
    assigned,
    hulls_by_year,
    least_amount,
    less,
    levers,
    resolution,
    solve_hulls,
)
from wargame.config.scenario import Scenario
from wargame.model.draws import FIXED
from wargame.model.force import project_force

CHEAPER = 1.0 - 1e-9  # a plan replaces the best so far only when cheaper by more than rounding


@dataclass(frozen=True)
class Plan:
    """A mix of levers: each lever bought (amount > 0), its cost, and the total."""

    bought: tuple[Option, ...]
    cost_usd: float

    @property
    def less_fails(self) -> bool:
        """Minimality: each lever bought, 2% (one hull) less alone, misses the target."""
        return all(o.less_fails for o in self.bought)


class Search:
    """The projection at a mix of amounts (path -> amount above today), memoised so that the
    cost curve's targets (the same class and year, other N) share the projections."""

    def __init__(self, scenario: Scenario, target: Target) -> None:
        self.scenario, self.target = scenario, target
        self.by_path = {lever.path: lever for lever in levers(scenario, target.platform)}
        self.first = _first_year(scenario, target)
        self._seen: dict[tuple[tuple[str, float], ...], np.ndarray] = {}
        self._steps: dict[str, list[float]] = {}  # shared with the searches aiming_at others

    def hulls(self, amounts: dict[str, float]) -> np.ndarray:
        """The class's hulls at each year end with `amounts` bought."""
        key = tuple(sorted(amounts.items()))
        if key not in self._seen:
            values = {p: assigned(self.by_path[p], x) for p, x in amounts.items()}
            self._seen[key] = hulls_by_year(apply(self.scenario, values), self.target.platform)
        return self._seen[key]

    def meets(self, amounts: dict[str, float]) -> bool:
        """Whether the class holds the target's N at every year end from its year on."""
        return bool(np.min(self.hulls(amounts)[self.first :]) >= self.target.hulls)

    def aiming_at(self, hulls: int) -> Search:
        """This search (its projections kept) with the target's N changed."""
        other = copy.copy(self)
        other.target = Target(self.target.platform, hulls, self.target.by)
        return other

    def steps(self, lever: Lever) -> list[float]:
        """The extension's breakpoints (extension_steps), found once."""
        if lever.path not in self._steps:
            self._steps[lever.path] = extension_steps(self.scenario, self.target, lever)
        return self._steps[lever.path]

    def plan(self, amounts: dict[str, float]) -> Plan:
        """The plan buying `amounts` (zero amounts left out), each lever's minimality checked."""
        bought = []
        for path, amount in amounts.items():
            if amount <= 0:
                continue
            lever = self.by_path[path]
            fewer = {**amounts, path: less(amount, lever.whole)}
            cost = lever.price(self.scenario, amount)
            bought.append(Option(lever.name, path, amount, cost, not self.meets(fewer)))
        return Plan(tuple(bought), sum(o.cost_usd or 0.0 for o in bought))


def extension_steps(scenario: Scenario, target: Target, lever: Lever) -> list[float]:
    """The life extension's breakpoints in (0, most]: the least years at which the class's hulls
    at some year end from the target year on change (ascending, each to RELATIVE_TOLERANCE)."""
    first = _first_year(scenario, target)

    def hulls(years: float) -> np.ndarray:
        extended = apply(scenario, {lever.path: lever.now + years})
        return hulls_by_year(extended, target.platform)[first:]

    out: list[float] = []
    todo = [(0.0, lever.most, hulls(0.0), hulls(lever.most))]
    while todo:  # intervals whose ends differ hold a breakpoint; halve them until it is found
        low, high, at_low, at_high = todo.pop()
        if np.array_equal(at_low, at_high):
            continue
        if high - low <= resolution(high):
            out.append(high)
            continue
        mid = (low + high) / 2
        at_mid = hulls(mid)
        todo += [(mid, high, at_mid, at_high), (low, mid, at_low, at_mid)]
    return sorted(out)


def _first_year(scenario: Scenario, target: Target) -> int:
    force = project_force(scenario, FIXED)
    assert force is not None
    return force.years.labels.index(target.by)


def solve_mix(
    scenario: Scenario, target: Target, search: Search | None = None
) -> tuple[Plan | None, list[Option]]:
    """The least-cost mix of levers meeting `target` (None: no mix does), and each lever's
    answer alone (module docstring: the method). `search` carries projections already made for
    the same class and year."""
    best_single, options = solve_hulls(scenario, target)
    search = Search(scenario, target) if search is None else search.aiming_at(target.hulls)
    best: Plan | None = None
    if best_single is not None and best_single.amount is not None:
        best = search.plan({best_single.path: best_single.amount})
    all_levers = list(search.by_path.values())
    extension = next((lv for lv in all_levers if lv.kind == "extension"), None)
    extended: list[tuple[dict[str, float], float]] = [({}, 0.0)]  # what is bought, its price
    if extension is not None:
        extended += [
            ({extension.path: e}, extension.price(scenario, e)) for e in search.steps(extension)
        ]
    yards: list[str | None] = [None]  # a class without a yard: the extension alone
    yards = list(dict.fromkeys(lv.yard for lv in all_levers if lv.yard is not None)) or yards
    for yard in yards:
        orders = _kind(all_levers, "orders", yard)
        capacity = _kind(all_levers, "capacity", yard)
        for base, price in extended:
            if best is not None and price >= best.cost_usd * CHEAPER:
                break
            best = _with_orders(search, base, price, orders, capacity, best)
    return best, options


def _kind(all_levers: list[Lever], kind: str, yard: str | None) -> Lever | None:
    return next((lv for lv in all_levers if lv.kind == kind and lv.yard == yard), None)


def _with_orders(
    search: Search,
    base: dict[str, float],
    price: float,
    orders: Lever | None,
    capacity: Lever | None,
    best: Plan | None,
) -> Plan | None:
    """The best plan so far after trying 0, 1, 2 ... extra hulls with `base` bought, each with
    the least capacity that then meets the target."""
    hull_price = 0.0 if orders is None else orders.price(search.scenario, 1.0)
    most = 0 if orders is None else int(orders.most)
    for n in range(most + 1):
        cost = price + n * hull_price
        if best is not None and cost >= best.cost_usd * CHEAPER:
            break
        amounts = dict(base)
        if n and orders is not None:
            amounts[orders.path] = float(n)
        budget = None if best is None else best.cost_usd - cost
        found = _least_capacity(search, amounts, capacity, budget)
        if found is not None:
            plan = search.plan(found)
            if best is None or plan.cost_usd < best.cost_usd * CHEAPER:
                best = plan
            if not capacity_bought(found, capacity):
                break  # more hulls only cost more
        elif best is None and not _more_hulls_help(search, amounts, capacity, orders, n):
            break  # (with a best plan, the loop ends when the hulls alone cost as much)
    return best


def capacity_bought(amounts: dict[str, float], capacity: Lever | None) -> bool:
    return capacity is not None and amounts.get(capacity.path, 0.0) > 0


def _least_capacity(
    search: Search, amounts: dict[str, float], capacity: Lever | None, budget: float | None
) -> dict[str, float] | None:
    """`amounts` with the least added capacity that meets the target, costing no more than
    `budget` (None: no limit); None when none does."""
    if search.meets(amounts):
        return amounts
    if capacity is None:
        return None
    most, per_unit = capacity.most, capacity.price(search.scenario, 1.0)
    if budget is not None and per_unit > 0:
        most = min(most, budget / per_unit)
    meets: Callable[[float], bool] = lambda x: search.meets({**amounts, capacity.path: x})  # noqa: E731
    x = least_amount(meets, most, whole=False)
    return None if x is None else {**amounts, capacity.path: x}


def _more_hulls_help(
    search: Search,
    amounts: dict[str, float],
    capacity: Lever | None,
    orders: Lever | None,
    n: int,
) -> bool:
    """Whether one more extra hull changes the hulls at the most capacity: extras are built in
    order in the capacity funded work leaves, so once one more is not finished within the
    projection, no more are."""
    if orders is None:
        return False
    most = {} if capacity is None else {capacity.path: capacity.most}
    now = {**amounts, **most}
    return not np.array_equal(search.hulls(now), search.hulls({**now, orders.path: float(n + 1)}))
