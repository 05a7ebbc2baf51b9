"""The supplemental when a munition serves two demand groups: the serving order as exact rows.

With a munition shared by two groups (its own plan and a mission, or two missions), which
munition fires for which group depends on the order of service (model/missions.py): at each
salvo the groups in order, each through its munitions in order, each as far as its stock goes.
More stock can even hurt (a first group drains a shared stock it would otherwise have spared),
so no linear rows describe it. This module writes the greedy rule itself as a mixed-integer
program over the salvos of the window, which HiGHS solves to the least cost (no gap):

- per munition and salvo, what the supplemental has delivered by then is min(m, R), R the
  spare plus added capacity x ramp up to the last lot (a binary picks the smaller), and the
  whole missiles in stock take the floor of the line's running total (an integer);
- per group and salvo, every live member's demanded shots served x (integers) add up to the
  demand; its shots are ceil(k x), and never more than its stock before it fires;
- a member may leave demand to the next only when it cannot serve one more demanded shot: its
  stock is below ceil(k (x + 1)) (a binary per member that is not the last).

Whole missiles and capacity steps are variables, so the plan is what the engines do. Missile
purchases, added capacity (in CAPACITY_STEP steps) and the spending caps are as in invest.py.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from scipy import sparse

from wargame.analysis.invest import CAPACITY_STEP, Plan, Purchase, purchase, what_binds
from wargame.analysis.invest_bills import SpendingCap
from wargame.errors import InputError
from wargame.model.compile import CompiledModel
from wargame.model.missions import SHOT_SLACK
from wargame.model.rates import ROUNDING_SLACK, FloatArray

if TYPE_CHECKING:
    from wargame.analysis.invest import Coverage

WHOLE = 1e-6  # below one missile: keeps a floor or a ceiling strict in the rows
# The most integer columns one program may have: about 3,000 solve in a second or so, and the
# cost curve solves one per day of the horizon (120 days of the Indo-Pacific scenario, 2,600
# columns at the horizon, take about 80 s in all).
MAX_INTEGER_COLUMNS = 8_000


@dataclass
class Program:
    """A mixed-integer program under construction: columns, rows A x <= b and A_eq x = b_eq."""

    cost: list[float] = field(default_factory=list)
    bounds: list[tuple[float, float | None]] = field(default_factory=list)
    integer: list[int] = field(default_factory=list)
    rows: list[tuple[dict[int, float], float]] = field(default_factory=list)
    equal: list[tuple[dict[int, float], float]] = field(default_factory=list)

    def column(self, cost: float = 0.0, high: float | None = None, *, whole: bool = False) -> int:
        """A new variable in [0, high]; its index."""
        self.cost.append(cost)
        self.bounds.append((0.0, high))
        self.integer.append(1 if whole else 0)
        return len(self.cost) - 1

    def at_most(self, terms: dict[int, float], limit: float) -> None:
        """sum of coef x col <= limit."""
        self.rows.append((terms, limit))

    def solve(self) -> np.ndarray | None:
        """The least-cost solution, or None when no plan exists."""
        from scipy.optimize import linprog

        def matrix(rows: list[tuple[dict[int, float], float]]) -> sparse.csr_array | None:
            if not rows:
                return None
            data = [(r, c, v) for r, (terms, _) in enumerate(rows) for c, v in terms.items()]
            rr, cc, vv = zip(*data, strict=True) if data else ((), (), ())
            return sparse.csr_array((vv, (rr, cc)), shape=(len(rows), len(self.cost)))

        result = linprog(
            np.array(self.cost),
            A_ub=matrix(self.rows),
            b_ub=np.array([b for _, b in self.rows]) if self.rows else None,
            A_eq=matrix(self.equal),
            b_eq=np.array([b for _, b in self.equal]) if self.equal else None,
            bounds=self.bounds,
            method="highs",
            integrality=np.array(self.integer),
            options={"mip_rel_gap": 0.0, "primal_feasibility_tolerance": 1e-9},
        )
        if result.status == 2:
            return None
        if result.status != 0:
            raise RuntimeError(f"investment MILP failed: {result.message}")
        return np.asarray(result.x)


@dataclass(frozen=True)
class SharedGroup:
    """A demand group as the program reads it."""

    members: tuple[int, ...]
    per: tuple[float, ...]
    joins: tuple[int, ...]
    demand: np.ndarray  # (salvos,) demanded shots


@dataclass(frozen=True)
class SharedMunition:
    """A munition's stock without the supplemental, and what its line can add, per salvo."""

    held: FloatArray  # stock, funded output and allies' lots by each salvo, before the floor
    funded: FloatArray  # the line's exact running total at each salvo's lot bound
    spare: FloatArray
    expansion: FloatArray
    ceiling_per_year: float
    missile_usd: float
    capacity_usd: float


@dataclass(frozen=True)
class SharedProblem:
    """Every group, in serving order, and every munition."""

    groups: tuple[SharedGroup, ...]
    munitions: tuple[SharedMunition, ...]
    salvo_days: FloatArray


def shared_problem(model: CompiledModel, rows: Sequence[Coverage]) -> SharedProblem:
    """The groups and munitions of `model`, priced as in `rows` (invest.py's Coverage)."""
    munitions = []
    for compiled, row in zip(model.munitions, rows, strict=True):
        foreign = compiled.foreign_times[:, None] <= compiled.salvo_times[None, :]
        arrived = (compiled.foreign_sizes[:, None] * foreign).sum(axis=0)
        prewar = int(compiled.peacetime_plan.sum())
        # Coverage.need = own demand - inventory + pre-war use - funded - slack: funded from it
        funded = np.cumsum(compiled.salvo_demand) - compiled.inventory + prewar - row.need
        munitions.append(
            SharedMunition(
                held=compiled.inventory - prewar + arrived.astype(np.float64),
                funded=funded - ROUNDING_SLACK,
                spare=row.spare,
                expansion=row.expansion,
                ceiling_per_year=row.ceiling_per_year,
                missile_usd=row.missile_usd,
                capacity_usd=row.capacity_usd,
            )
        )
    groups = tuple(
        SharedGroup(
            g.members,
            g.shots_per_demand,
            tuple(int(model.joins[i, 0]) for i in g.members),
            np.asarray(g.demand[:, 0]),
        )
        for g in model.groups
    )
    return SharedProblem(groups, tuple(munitions), rows[0].salvo_days)


def check_size(problem: SharedProblem, origin: str) -> None:
    """Refuse a program too large to solve for every day of the cost curve (InputError)."""
    members = sum(len(g.members) for g in problem.groups)
    columns = problem.salvo_days.size * (2 * members + 2 * len(problem.munitions))
    if columns > MAX_INTEGER_COLUMNS:
        raise InputError(
            f"{origin}: scenario.horizon_days: with a munition serving two missions, invest "
            f"solves a program of about {columns:,} whole-number unknowns per target, over the "
            f"{MAX_INTEGER_COLUMNS:,} it allows (a shorter horizon or longer salvo_interval_days)"
        )


def solve_shared(
    problem: SharedProblem,
    target_days: float,
    caps: Sequence[SpendingCap],
    step: float,
) -> tuple[np.ndarray, np.ndarray] | None:
    """The least-cost (missiles, added capacity a year) per munition that serves every group in
    full at every salvo before `target_days`, or None when none does."""
    window = int(np.count_nonzero(problem.salvo_days < target_days))
    program = Program()
    most = _most_missiles(problem, window)
    buy = []
    for munition in problem.munitions:
        missiles = program.column(munition.missile_usd, most, whole=True)
        steps = math.floor(munition.ceiling_per_year / step + WHOLE)
        added = program.column(munition.capacity_usd * step, float(steps), whole=True)
        buy.append((missiles, added))
    stock = [
        _deliveries(program, m, buy[i], window, most, step) for i, m in enumerate(problem.munitions)
    ]
    _serve(program, problem, stock, window)
    for cap in caps:
        terms = {}
        for i, share in cap.shares:
            m = problem.munitions[i]
            terms[buy[i][0]] = share * m.missile_usd
            terms[buy[i][1]] = share * m.capacity_usd * step
        program.at_most(terms, cap.usd)
    x = program.solve()
    if x is None:
        return None
    bought = np.array([round(x[m]) for m, _ in buy], dtype=np.float64)
    capacity = np.array([round(x[a]) * step for _, a in buy])
    return bought, capacity


def _most_missiles(problem: SharedProblem, window: int) -> float:
    """More missiles of one kind than any plan could fire in the window."""
    shots = sum(float(g.demand[:window].sum()) * math.ceil(max(g.per)) for g in problem.groups)
    return math.ceil(shots) + 1.0


# A stock term: a constant, and the column of the whole missiles delivered (None: none bought)
Stock = list[tuple[float, int | None]]


def _deliveries(
    program: Program,
    munition: SharedMunition,
    buy: tuple[int, int],
    window: int,
    most: float,
    step: float,
) -> Stock:
    """Per salvo of the window: the stock before any shot, as a constant and the column of the
    whole missiles the line has delivered (funded and supplemental, floored)."""
    missiles, added = buy
    out: Stock = []
    for t in range(window):
        reach = munition.spare[t] + munition.ceiling_per_year * munition.expansion[t]
        funded = float(munition.funded[t])
        if reach <= 0:
            out.append((munition.held[t] + math.floor(funded + ROUNDING_SLACK), None))
            continue
        big = most + reach + 1.0
        made = program.column(high=most)  # min(missiles, spare + added x ramp)
        smaller = program.column(high=1.0, whole=True)  # 1: the order is all made by then
        ramp = munition.expansion[t] * step
        program.at_most({made: 1.0, missiles: -1.0}, 0.0)
        program.at_most({made: 1.0, added: -ramp}, munition.spare[t])
        program.at_most({missiles: 1.0, made: -1.0, smaller: -big}, 0.0)
        program.at_most({added: ramp, made: -1.0, smaller: big}, big - munition.spare[t])
        whole = program.column(high=None, whole=True)  # floor(funded + made)
        program.at_most({whole: 1.0, made: -1.0}, funded + ROUNDING_SLACK)
        program.at_most({made: 1.0, whole: -1.0}, 1.0 - WHOLE - funded - ROUNDING_SLACK)
        out.append((float(munition.held[t]), whole))
    return out


def _serve(program: Program, problem: SharedProblem, stock: list[Stock], window: int) -> None:
    """The serving rule's rows for every group at every salvo of the window, in order."""
    fired: list[dict[int, float]] = [{} for _ in problem.munitions]  # shots so far, by column
    big = _most_missiles(problem, window) * 4 + max(
        (float(m.held[:window].max(initial=0.0)) for m in problem.munitions), default=0.0
    )
    for t in range(window):
        for group in problem.groups:
            demand = float(group.demand[t])
            live = [
                (i, k)
                for i, k, j in zip(group.members, group.per, group.joins, strict=True)
                if t >= j
            ]
            if demand <= 0:
                continue
            if not live:
                program.equal.append(({}, demand))  # infeasible: nobody may serve it
                continue
            units = [program.column(high=demand, whole=True) for _ in live]
            program.equal.append((dict.fromkeys(units, 1.0), demand))
            for n, ((i, k), u) in enumerate(zip(live, units, strict=True)):
                shots = _shots(program, u, k, 0.0)
                held, whole = stock[i][t]
                before = dict(fired[i])
                if whole is not None:
                    before[whole] = before.get(whole, 0.0) - 1.0
                # shots <= stock before it fires: held + whole - fired so far
                program.at_most(_add(shots[0], before), held - shots[1])
                if n + 1 < len(live):
                    more = _shots(program, u, k, 1.0)  # ceil(k (x + 1))
                    exhausted = program.column(high=1.0, whole=True)
                    later = dict.fromkeys(units[n + 1 :], 1.0)
                    program.at_most({**later, exhausted: -demand}, 0.0)
                    # exhausted: stock before < ceil(k (x + 1)), i.e. stock - more <= -1
                    terms = _add(
                        {c: -v for c, v in before.items()}, {c: -v for c, v in more[0].items()}
                    )
                    terms[exhausted] = terms.get(exhausted, 0.0) + big
                    program.at_most(terms, big - 1.0 - held + more[1])
                for c, v in shots[0].items():
                    fired[i][c] = fired[i].get(c, 0.0) + v


def _shots(
    program: Program, units: int, per: float, extra: float
) -> tuple[dict[int, float], float]:
    """ceil(per x (units + extra)) as (terms, constant): exact for whole `per`, else a new
    integer column between per (x + extra) and that plus one (less a hair)."""
    if per == math.floor(per):
        return {units: per}, per * extra
    shots = program.column(high=None, whole=True)
    program.at_most({units: per, shots: -1.0}, SHOT_SLACK - per * extra)  # shots >= per x - slack
    program.at_most({shots: 1.0, units: -per}, per * extra + 1.0 - WHOLE)
    return {shots: 1.0}, 0.0


def _add(a: dict[int, float], b: dict[int, float]) -> dict[int, float]:
    out = dict(a)
    for c, v in b.items():
        out[c] = out.get(c, 0.0) + v
    return out


def shared_plan(
    problem: SharedProblem,
    rows: tuple[Coverage, ...],
    target_days: float,
    caps: Sequence[SpendingCap] = (),
) -> Plan:
    """The least-cost plan for the target, else the best days any plan reaches (bisection over
    the salvo days: a later target never costs less) and the least cost for them."""
    found = solve_shared(problem, target_days, caps, CAPACITY_STEP)
    if found is not None:
        purchases = _purchases(rows, found)
        binding, detail = what_binds(rows, purchases)
        return Plan(target_days, True, target_days, purchases, binding, detail)
    days = sorted({float(d) for d in problem.salvo_days if d < target_days})
    low, high = 0, len(days)  # the salvos of days[:low] can be served; of days[:high + 1] not
    while low < high:
        middle = (low + high + 1) // 2
        if solve_shared(problem, days[middle - 1] + 1e-9, caps, CAPACITY_STEP) is not None:
            low = middle
        else:
            high = middle - 1
    best = days[low]
    found = solve_shared(problem, best, caps, CAPACITY_STEP)
    assert found is not None  # the salvos before `best` were served above
    free = caps and solve_shared(problem, best + 1e-9, (), CAPACITY_STEP) is not None
    if free:
        names = ", ".join(f"{cap.nation} ({cap.usd:,.0f} USD)" for cap in caps)
        binding, detail = "spending_cap", f"the spending caps of {names} cannot cover"
    elif _nothing_arrives(problem, low):
        binding = "lead_time"
        detail = "missiles ordered on the decision day arrive too late to cover"
    else:
        binding = "ceiling"
        detail = (
            "the lines, expanded to their ceilings, cannot deliver enough for the missions "
            "drawing on shared stocks in their order by"
        )
    detail = f"{detail} conflict day {best:g}"
    return Plan(target_days, False, best, _purchases(rows, found), binding, detail)


def _nothing_arrives(problem: SharedProblem, salvo: int) -> bool:
    """No line can deliver a supplemental missile by this salvo."""
    return all(
        m.spare[salvo] + m.ceiling_per_year * m.expansion[salvo] <= 0 for m in problem.munitions
    )


def _purchases(
    rows: tuple[Coverage, ...], found: tuple[np.ndarray, np.ndarray]
) -> tuple[Purchase, ...]:
    missiles, added = found
    return tuple(
        purchase(row, float(m), float(a)) for row, m, a in zip(rows, missiles, added, strict=True)
    )
