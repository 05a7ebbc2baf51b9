"""An ally buying missiles off another nation's line: the invest lever and its exact rows.

A munition whose `supplemental.from_line` names another munition may have missiles made on that
line (Japan's Tomahawks off the US line). The line makes its owner's supplemental order first,
then each buyer's in file order, from the same spare capacity (model/compile.py,
`bought_off_lines`). By salvo t the buyer holds

    D(t) = max(0, min(q, R(t) - m - Q))

of its q missiles, where R(t) = spare + added x ramp is what the line can make for supplemental
orders by the last lot that reaches the buyer by t, m the owner's order and Q the earlier
buyers'. D is not concave (an owner's order still being made holds the ally back), so the rows
are exact with one binary z per route and salvo: a variable y <= q, y <= R - m - Q + M (1 - z)
and y <= M z is at most D and can reach it, and y stands for the route's missiles in the
buyer's rows (its own, and its missions': invest_missions.py). HiGHS solves the mixed-integer
program exactly. Whole missiles: y gives up one missile for the route's own rounding and one for
each order ahead of it rounded up.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from wargame.config.scenario import Scenario
from wargame.model.compile import CompiledModel
from wargame.model.rates import FloatArray

if TYPE_CHECKING:
    from wargame.analysis.invest import Coverage
    from wargame.analysis.invest_missions import GroupCoverage


@dataclass(frozen=True)
class Route:
    """A buyer's purchase off another munition's line, as seen from the buyer's salvos."""

    buyer: int  # index of the buying munition in the Coverage rows
    seller: int  # index of the munition whose line makes them
    ahead: tuple[int, ...]  # earlier routes on the same line (indices into the routes)
    spare: FloatArray  # per buyer salvo: the line's spare output by the last lot that reached it
    expansion: FloatArray  # per buyer salvo: added output per missile/year of added capacity
    missile_usd: float  # the line's price of one supplemental missile

    def reach(self, ceiling_per_year: float) -> FloatArray:
        """The most the line can make for supplemental orders by each buyer salvo."""
        return self.spare + ceiling_per_year * self.expansion


@dataclass(frozen=True)
class RoutePurchase:
    """What the plan buys off another's line for a buyer."""

    munition: str  # the buyer
    line: str  # the munition whose line makes them
    missiles: int
    missiles_usd: float

    @property
    def label(self) -> str:
        """How a bill names it."""
        return f"{self.munition} off the {self.line} line"

    @property
    def capacity_usd(self) -> float:
        """A route buys no capacity (the line's owner does)."""
        return 0.0

    @property
    def total_usd(self) -> float:
        """The missiles' price."""
        return self.missiles_usd


def routes(
    model: CompiledModel, scenario: Scenario, rows: tuple[Coverage, ...]
) -> tuple[Route, ...]:
    """The scenario's purchases off other lines, in file order."""
    names = [m.name for m in model.munitions]
    out: list[Route] = []
    for buyer, name in enumerate(names):
        levers = scenario.munitions[name].supplemental
        if levers.from_line is None:
            continue
        seller = names.index(levers.from_line)
        compiled = model.munitions[seller]
        line = compiled.line
        delivered = line.lot_times + levers.from_line_delay_days
        salvo_times = model.munitions[buyer].salvo_times
        lot = np.searchsorted(delivered, salvo_times, side="right") - 1
        bound = line.lot_bounds[lot + 1]
        ahead = tuple(i for i, route in enumerate(out) if route.seller == seller)
        out.append(
            Route(
                buyer=buyer,
                seller=seller,
                ahead=ahead,
                spare=line.spare.cumulative(bound),
                expansion=line.expansion.cumulative(bound),
                missile_usd=rows[seller].missile_usd,
            )
        )
    return tuple(out)


@dataclass(frozen=True)
class RouteColumns:
    """Where the routes' variables sit in the LP: after the munitions' (missiles, added) pairs,
    each route's q, then a (y, z) pair per route and salvo where its line can deliver."""

    base: int  # 2 x the munitions
    routes: tuple[Route, ...]
    y: dict[tuple[int, int], int]  # (route, salvo) -> column of y (z is the next)
    by_buyer: dict[tuple[int, int], list[int]]  # (buyer, salvo) -> its routes' y columns

    @property
    def width(self) -> int:
        """Columns in all."""
        return self.base + len(self.routes) + 2 * len(self.y)

    def into(self, munition: int, t: int) -> list[int]:
        """The y columns of the routes delivering into `munition` by salvo t."""
        return self.by_buyer.get((munition, t), [])


def columns(
    routes_: tuple[Route, ...], rows: tuple[Coverage, ...], window: np.ndarray
) -> RouteColumns:
    """Lay out the routes' variables for the salvos in `window` (bool per salvo)."""
    base = 2 * len(rows)
    y: dict[tuple[int, int], int] = {}
    by_buyer: dict[tuple[int, int], list[int]] = {}
    column = base + len(routes_)
    for r, route in enumerate(routes_):
        reach = route.reach(rows[route.seller].ceiling_per_year)
        for t in np.nonzero(window & (reach > _slack(route)))[0]:
            y[(r, int(t))] = column
            by_buyer.setdefault((route.buyer, int(t)), []).append(column)
            column += 2
    return RouteColumns(base, routes_, y, by_buyer)


def _slack(route: Route) -> float:
    """Whole missiles: the route's own rounding, and each order ahead rounded up."""
    return 2.0 + len(route.ahead)


def route_rows(
    layout: RouteColumns, rows: tuple[Coverage, ...], big: float
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """y <= q, y <= R - m - Q - slack + big (1 - z), y <= big z, as A_ub blocks and limits."""
    blocks, limits = [], []
    for (r, t), column in layout.y.items():
        route = layout.routes[r]
        q = layout.base + r
        upto = np.zeros((3, layout.width))
        upto[0, column], upto[0, q] = 1.0, -1.0
        upto[1, column], upto[1, column + 1] = 1.0, big
        upto[1, 2 * route.seller] = 1.0
        upto[1, 2 * route.seller + 1] = -route.expansion[t]
        for earlier in route.ahead:
            upto[1, layout.base + earlier] = 1.0
        upto[2, column], upto[2, column + 1] = 1.0, -big
        blocks.append(upto)
        limits.append(np.array([0.0, route.spare[t] - _slack(route) + big, 0.0]))
    return blocks, limits


def purchases(layout: RouteColumns, x: FloatArray, names: list[str]) -> tuple[RoutePurchase, ...]:
    """Whole missiles off each line (rounded up), priced at the line's price."""
    out = []
    for r, route in enumerate(layout.routes):
        whole = max(0, int(np.ceil(x[layout.base + r] - 1e-6)))
        out.append(
            RoutePurchase(names[route.buyer], names[route.seller], whole, whole * route.missile_usd)
        )
    return tuple(out)


def missile_bound(rows: Sequence[Coverage], groups: Sequence[GroupCoverage]) -> float:
    """More missiles than any optimal plan buys of one kind: every need at once, each in the
    most shots a demanded shot takes, plus one (bounds the big-M rows of invest_routes.py)."""
    needs = sum(float(max(0.0, row.need.max(initial=0.0))) for row in rows)
    per = max((k for group in groups for k in group.per), default=1.0)
    needs += sum(float(max(0.0, group.need.max(initial=0.0))) * per for group in groups)
    return math.ceil(needs) + 1.0


def big_m(rows: Sequence[Coverage], routes: tuple[Route, ...], bound: float | None) -> float:
    """A big M for the route rows: beyond any line's reach and any orders on it."""
    if not routes or bound is None:
        return 0.0
    reach = max(float(r.reach(rows[r.seller].ceiling_per_year).max(initial=0.0)) for r in routes)
    return reach + bound * (len(routes) + 1) + 1.0


def reach_into(i: int, rows: Sequence[Coverage], routes: tuple[Route, ...]) -> FloatArray:
    """The most other lines can make for munition i by each salvo (0 without routes)."""
    reach = np.zeros(rows[i].need.size)
    for route in routes:
        if route.buyer == i:
            reach += route.reach(rows[route.seller].ceiling_per_year)
    return reach


def reach_all(rows: Sequence[Coverage], routes: tuple[Route, ...]) -> list[FloatArray]:
    """reach_into for every munition."""
    return [reach_into(i, rows, routes) for i in range(len(rows))]
