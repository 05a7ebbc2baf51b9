"""Each lever alone that keeps a class at or above N hulls from a year on (`wargame invest
--target-hulls CLASS=N --by YEAR`; the least-cost mix of them is analysis/invest_mix.py).

Method. The levers are the class's: extra hulls ordered on the decision day (at its yards'
hull cost over their funding efficiency), added yard capacity (each yard that builds it, at
`expansion_cost_ratio` x a hull's cost per unit of work a year over the funding efficiency, up to
the expansion ceiling) and a life extension (`[platforms.X.life_extension]`, priced per hull-year
it adds to the fleet at the year ends of the projection, up to `most_years`). Each lever alone is
a monotone response: more never lowers the class in any year (tests/test_force.py). For each, the
least amount that meets the target is found by bisection on the projection (model/force.py; no
war is simulated): whole hulls exactly, capacity and years to a relative 1e-4. The cheapest
lever alone is the starting point of the mix, and its minimality is shown by re-projecting with
2% less (one hull less for orders), which must fail.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from wargame.analysis.invest_fleet import apply
from wargame.config.scenario import Scenario
from wargame.errors import InputError
from wargame.model.draws import FIXED
from wargame.model.force import project_force

RELATIVE_TOLERANCE = 1e-4  # bisection of a continuous lever stops within this share of its value
SMALLEST_AMOUNT = 1e-6  # a continuous lever's resolution near zero (years, or units a year)
SHORTER = 0.98  # minimality: 2% less of the chosen lever must miss the target


@dataclass(frozen=True)
class Target:
    """Keep `platform` at or above `hulls` at every year end from year `by` on."""

    platform: str
    hulls: int
    by: str  # a year label: 'FY2035', or 'year 10' without a start date


@dataclass(frozen=True)
class Lever:
    """One way to buy hulls: a dotted path, its value today, its most, unit price, whole or not."""

    name: str
    path: str
    now: float
    most: float
    price: Callable[[Scenario, float], float]  # cost of `amount` more (USD)
    whole: bool
    kind: str = "capacity"  # "orders", "capacity" or "extension"
    yard: str | None = None  # the yard an order or capacity is bought at


@dataclass(frozen=True)
class Option:
    """A lever's least amount that meets the target, and its cost (None: it cannot)."""

    lever: str
    path: str
    amount: float | None
    cost_usd: float | None
    less_fails: bool | None  # minimality: 2% (or one hull) less misses the target


def parse_target(text: str, by: int, start_date: Any) -> Target:
    """`CLASS=N` and `--by YEAR` as a target (year labels follow the scenario's calendar)."""
    name, sep, count = text.partition("=")
    if not sep or not count.strip().isdigit():
        raise InputError(f"--target-hulls {text!r}: write CLASS=N, e.g. ssn=66")
    label = f"FY{by}" if start_date is not None else f"year {by}"
    return Target(name.strip(), int(count), label)


def shortfall_years(scenario: Scenario, target: Target) -> list[str]:
    """Years from `target.by` on whose end finds the class below the target."""
    force = project_force(scenario, FIXED)
    assert force is not None
    labels = force.years.labels
    cls = next(c for c in force.classes if c.name == target.platform)
    first = labels.index(target.by)
    hulls = cls.by_year["hulls"][:, 0]
    return [labels[y] for y in range(first, len(labels)) if hulls[y] < target.hulls]


def hulls_by_year(scenario: Scenario, platform: str) -> np.ndarray:
    force = project_force(scenario, FIXED)
    assert force is not None
    return next(c for c in force.classes if c.name == platform).by_year["hulls"][:, 0]


def check_target(scenario: Scenario, target: Target) -> None:
    """Refuse a target naming an unknown class or a year outside the projection."""
    if target.platform not in scenario.platforms:
        known = ", ".join(scenario.platforms) or "none"
        raise InputError(f"--target-hulls: no platform class {target.platform!r} (known: {known})")
    force = project_force(scenario, FIXED)
    labels = () if force is None else force.years.labels
    if target.by not in labels:
        span = f"{labels[0]} to {labels[-1]}" if labels else "none"
        raise InputError(f"--by: {target.by} is outside the projection ({span})")


def levers(scenario: Scenario, name: str) -> list[Lever]:
    """Every lever that adds hulls of class `name`."""
    platform = scenario.platforms[name]
    out: list[Lever] = []
    if platform.yard is not None:
        yard, path = platform.yard, f"platforms.{name}.yard.supplemental"
        hull = yard.hull_cost_usd / yard.supplemental.funding_efficiency
        out += _yard_levers(
            name,
            path,
            (f"{path}.hulls", float(yard.supplemental.hulls)),
            yard.supplemental,
            yard.capacity_per_year,
            hull,
            1.0,
        )
    for yard_name, shared in scenario.yards.items():
        for i, build in enumerate(shared.builds):
            if build.platform == name:
                hull = build.hull_cost_usd / shared.supplemental.funding_efficiency
                path = f"yards.{yard_name}"
                out += _yard_levers(
                    yard_name,
                    f"{path}.supplemental",
                    (f"{path}.builds.{i}.extra_hulls", float(build.extra_hulls)),
                    shared.supplemental,
                    shared.capacity_per_year,
                    hull,
                    build.work_per_hull,
                )
    extension = platform.life_extension
    if extension is not None and platform.service_life_years is not None:
        out.append(
            Lever(
                "life extension (years)",
                f"platforms.{name}.life_extension.years",
                extension.years,
                extension.most_years - extension.years,
                _extension_price(name, extension.years, extension.cost_per_hull_year_usd),
                whole=False,
                kind="extension",
            )
        )
    return out


def _yard_levers(
    yard: str,
    levers_path: str,
    orders: tuple[str, float],
    levers: Any,
    capacity: float,
    hull: float,
    work: float,
) -> list[Lever]:
    """A yard's two levers: whole hulls ordered (path, today's) and added capacity."""
    orders_path, ordered = orders
    room = levers.expansion_ceiling_ratio * capacity - levers.added_capacity_per_year
    per_unit = levers.expansion_cost_ratio * hull / work
    return [
        Lever(
            f"{yard}: extra hulls",
            orders_path,
            ordered,
            1000.0,
            lambda s, n: n * hull,
            True,
            "orders",
            yard,
        ),
        Lever(
            f"{yard}: added capacity (units/yr)",
            f"{levers_path}.added_capacity_per_year",
            levers.added_capacity_per_year,
            max(room, 0.0),
            lambda s, x: x * per_unit,
            False,
            "capacity",
            yard,
        ),
    ]


def _extension_price(
    name: str, now: float, per_hull_year: float
) -> Callable[[Scenario, float], float]:
    """Hull-years the extension adds (extra hulls at each year end, a year each) x the price."""

    def price(scenario: Scenario, years: float) -> float:
        path = f"platforms.{name}.life_extension.years"
        base = hulls_by_year(scenario, name)
        longer = hulls_by_year(apply(scenario, {path: now + years}), name)
        return float(np.sum(longer - base)) * per_hull_year

    return price


def assigned(lever: Lever, amount: float) -> float | int:
    """The lever's value with `amount` more than today (whole hulls rounded up)."""
    if lever.whole:
        return int(lever.now) + math.ceil(amount - 1e-9)
    return lever.now + amount


def resolution(high: float) -> float:
    """Bisection of a continuous lever stops within this of the least amount."""
    return max(RELATIVE_TOLERANCE * high, SMALLEST_AMOUNT / 2)


def least_amount(meets: Callable[[float], bool], most: float, whole: bool) -> float | None:
    """The least amount in [0, most] that `meets` (monotone: more never fails once enough), by
    bisection: whole amounts exactly, others to RELATIVE_TOLERANCE of `most`; None: even `most`
    fails."""
    if most <= 0 or not meets(most):
        return None
    low, high = 0.0, most
    if meets(low):
        return 0.0
    while (high - low > 1) if whole else (high - low > resolution(high)):
        mid = (low + high) / 2
        low, high = (low, mid) if meets(mid) else (mid, high)
    return float(math.ceil(high - 1e-9)) if whole else high


def less(amount: float, whole: bool) -> float:
    """The amount minimality is checked at: one hull less, or 2% less (none at all for an
    amount within SMALLEST_AMOUNT of zero: a hull retiring on a year end is kept there by any
    extension, so the least extension is that breakpoint, found to SMALLEST_AMOUNT / 2)."""
    if whole:
        return amount - 1
    return max(0.0, min(amount * SHORTER, amount - SMALLEST_AMOUNT))


def least(scenario: Scenario, target: Target, lever: Lever) -> Option:
    """The least amount of `lever` meeting `target`, by bisection on the monotone response."""

    def meets(x: float) -> bool:
        return not shortfall_years(apply(scenario, {lever.path: assigned(lever, x)}), target)

    amount = least_amount(meets, lever.most, lever.whole)
    if amount is None:
        return Option(lever.name, lever.path, None, None, None)
    if amount == 0:
        return Option(lever.name, lever.path, 0.0, 0.0, None)
    return Option(
        lever.name,
        lever.path,
        amount,
        lever.price(scenario, amount),
        not meets(less(amount, lever.whole)),
    )


def solve_hulls(scenario: Scenario, target: Target) -> tuple[Option | None, list[Option]]:
    """Every lever's least option, and the cheapest that meets the target (None: none does)."""
    options = [least(scenario, target, lever) for lever in levers(scenario, target.platform)]
    feasible = [o for o in options if o.cost_usd is not None]
    best = min(feasible, key=lambda o: o.cost_usd or 0.0) if feasible else None
    return best, options
