"""Shared suppliers: how components are allocated among the lines they feed, day by day.

The rule, once for both engines (they read the lots it yields):

- Time is pooled by sim day. On each day d on which some lot lands (a supplier's or a
  customer's, in that replication), the supplier has its stock on hand: the components built
  ahead (`inventory`), plus every lot of its own landed by the end of day d, less what it has
  already handed out.
- A customer (a munition's line, or a supplier a tier below) demands, by day d, `per_unit`
  components for every unit of its funded output its own lots landed by the end of day d
  planned to carry (foreign share included: the line builds those too). Supplemental orders
  bring their own components, made outside this pool (model/network.py).
  Its outstanding demand is that, less what it has received; what was short before is still
  owed (a line waits for its motors, it does not cancel the missiles).
- When the stock covers every customer's outstanding demand, each gets all of it. Otherwise the
  supplier "binds" that day and allocates all it has by its rule:
  `priority` serves customers in the order of `priority` (then unlisted customers in file
  order), each in full before the next; `pro_rata` gives each customer stock x its
  outstanding / total outstanding, exactly, and hands out the floor of each customer's running
  total (fractions wait for the next day, as lots and salvos round: no drift, and a larger
  supply never rounds a customer down).
- A unit needs all its components: a lot landing on day d carries
  min(planned, min over its suppliers of floor(received by day d / per_unit)) units in total,
  cumulatively. Components a customer received but cannot use yet wait at the customer.
- Suppliers are resolved upstream first (the tiers form no cycle: config/graph.py), so a
  supplier's own lots are limited by its suppliers before it allocates them.

Conservation: made + built ahead = used + in stock, where "in stock" counts the supplier's own
stock and components waiting at its customers. Nothing here depends on the war, so it is solved
once, before either engine runs (engine/phases.py states where it sits in the order).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from wargame.model.rates import FloatArray, IntArray
from wargame.model.supply_loops import NEVER, allocate


@dataclass(frozen=True)
class Plan:
    """A maker's lots before components limit them (a munition's line or a supplier).

    `times` (L, R or 1) are when each lot lands, in order along L; `cumulative` (L, R) the whole
    units of funded output made by the end of each lot (the foreign share included).
    """

    times: FloatArray
    cumulative: IntArray
    components: Mapping[str, int]  # components one unit takes, by supplier


@dataclass(frozen=True)
class Rule:
    """How a supplier splits its stock: "priority" (customers in `order`) or "pro_rata"."""

    allocation: str
    order: tuple[str, ...]  # customers served first under "priority"
    inventory: IntArray  # (R,) components built ahead, on hand on the decision day


@dataclass(frozen=True)
class Ledger:
    """What one supplier made and handed out, at the end of each day on which a lot lands.

    Arrays are cumulative from the decision day; E event days, C customers, R replications.
    """

    name: str
    allocation: str  # "priority" or "pro_rata"
    customers: tuple[str, ...]
    per_unit: tuple[int, ...]  # components each customer's unit takes
    inventory: IntArray  # (R,) built ahead
    days: IntArray  # (E,) sim days on which a lot lands, increasing
    made: IntArray  # (E, R) its own components landed by the end of each event day
    demanded: IntArray  # (E, C, R)
    received: IntArray  # (E, C, R)
    used: IntArray  # (C, R) built into the customers' units by the end of the run
    short: np.ndarray  # (E, R) bool: it could not meet all outstanding demand that day
    # Outside the funded pool (model/network.py): components made for supplemental orders by the
    # end (R,), and built into each customer's supplemental missiles (C, R); None without orders.
    supplemental_made: IntArray | None = None
    supplemental_used: IntArray | None = None

    def daily(self, series: IntArray, end: int) -> IntArray:
        """A cumulative (E, ...) series at the end of each sim day 0 .. end - 1 (zero before)."""
        at = np.searchsorted(self.days, np.arange(end), side="right") - 1
        padded = np.concatenate((np.zeros((1, *series.shape[1:]), series.dtype), series))
        out: IntArray = padded[at + 1]
        return out

    def bound_days(self, end: int) -> np.ndarray:
        """(end, R) bool: the days a shortage stood (from a short event day to the next)."""
        flags = self.daily(self.short.astype(np.int64), end)
        return flags.astype(bool)

    def replication(self, r: int) -> Ledger:
        """Replication r alone (arrays keep an R axis of 1)."""
        keep = slice(r, r + 1)
        return replace(
            self,
            inventory=self.inventory[keep],
            made=self.made[:, keep],
            demanded=self.demanded[:, :, keep],
            received=self.received[:, :, keep],
            used=self.used[:, keep],
            short=self.short[:, keep],
            supplemental_made=None
            if self.supplemental_made is None
            else self.supplemental_made[keep],
            supplemental_used=None
            if self.supplemental_used is None
            else self.supplemental_used[:, keep],
        )

    @property
    def in_stock(self) -> IntArray:
        """(R,) at the end: the supplier's stock plus components waiting at its customers."""
        total: IntArray = self.inventory + self.made[-1] - self.used.sum(axis=0)
        return total


def resolve(
    plans: Mapping[str, Plan], rules: Mapping[str, Rule], size: int, *, ledgers: bool = True
) -> tuple[dict[str, IntArray], dict[str, Ledger]]:
    """Every maker's whole units by the end of each of its lots, limited by its suppliers, and
    (with `ledgers`) each supplier's ledger. `plans` holds munitions and suppliers by name
    (names are unique), `rules` the suppliers; `size` is R. A Monte Carlo needs no ledgers: their
    days x customers x R would be most of its memory."""
    plans = {name: _full(plan, size) for name, plan in plans.items()}
    received: dict[str, dict[str, IntArray]] = {name: {} for name in plans}
    built: dict[str, IntArray] = {}
    kept: dict[str, Ledger] = {}
    for name in upstream_first(plans, rules):
        built[name] = _limit(plans[name], received[name])
        if name not in rules:
            continue
        supplied = Plan(plans[name].times, built[name], plans[name].components)
        got, ledger = _allocate(name, supplied, plans, rules[name], ledgers)
        for customer, amounts in got.items():
            received[customer][name] = amounts
        if ledger is not None:
            kept[name] = ledger
    for name, ledger in kept.items():  # every customer is built by now
        pairs = zip(ledger.customers, ledger.per_unit, strict=True)
        used = [per * built[c][-1] for c, per in pairs]
        kept[name] = replace(ledger, used=np.array(used, dtype=np.int64).reshape(-1, size))
    return built, kept


def upstream_first(plans: Mapping[str, Plan], rules: Mapping[str, Rule]) -> list[str]:
    """Suppliers before anything that takes their components; munitions (non-suppliers) last."""
    done: list[str] = []
    for name in sorted(plans, key=lambda n: n not in rules):
        _visit(name, plans, done)
    return done


def _visit(name: str, plans: Mapping[str, Plan], done: list[str]) -> None:
    """`name` after its suppliers, depth first. (A module function, not a closure: a recursive
    closure is a reference cycle that would keep each block's plans alive until gc runs.)"""
    if name in done:
        return
    for upstream in plans[name].components:
        _visit(upstream, plans, done)
    done.append(name)


def _allocate(
    name: str, supplied: Plan, plans: Mapping[str, Plan], rule: Rule, keep: bool
) -> tuple[dict[str, IntArray], Ledger | None]:
    """What each customer has received by the end of each of its lots' days (L, R), handed out
    by the supplier's rule (model/supply_loops.py walks the event days); and, when `keep`, the
    supplier's ledger on the days any replication's lot lands."""
    customers = _customers(name, plans, rule)
    per_unit = tuple(plans[c].components[name] for c in customers)
    depth = max(plans[c].times.shape[0] for c in customers)
    width = max(plans[c].times.shape[1] for c in customers)
    size = supplied.cumulative.shape[1]
    # replications lead (R, C, K): the compiled walk reads each replication's lots in order
    taken_days = np.full((width, len(customers), depth), NEVER, dtype=np.int64)
    taken = np.zeros((size, len(customers), depth), dtype=np.int64)
    for i, customer in enumerate(customers):
        lots = plans[customer].times.shape[0]
        taken_days[:, i, :lots] = _days(plans[customer].times).T
        taken[:, i, :lots] = plans[customer].cumulative.T
    days = _event_days([supplied] + [plans[c] for c in customers]) if keep else np.zeros(0, int)
    ledger = np.zeros((days.size, 1 + 2 * len(customers), size), dtype=np.int64)
    short = np.zeros((days.size, size), dtype=bool)
    got = np.empty_like(taken)  # every real lot is written (the padding is never read)
    allocate(
        np.ascontiguousarray(_days(supplied.times).T),
        np.ascontiguousarray(supplied.cumulative.T),
        taken_days,
        taken,
        np.array(per_unit, dtype=np.int64),
        rule.inventory,
        rule.allocation == "priority",
        got,
        days,
        ledger,
        short,
    )
    received = {c: got[:, i, : plans[c].times.shape[0]].T for i, c in enumerate(customers)}
    if not keep:
        return received, None
    split = 1 + len(customers)
    return received, Ledger(
        name=name,
        allocation=rule.allocation,
        customers=customers,
        per_unit=per_unit,
        inventory=rule.inventory,
        days=days,
        made=ledger[:, 0],
        demanded=ledger[:, 1:split],
        received=ledger[:, split:],
        used=np.zeros((len(customers), size), dtype=np.int64),
        short=short,
    )


def _days(times: FloatArray) -> IntArray:
    """Whole sim days on which lots at `times` land."""
    days: IntArray = np.floor(times).astype(np.int64)
    return days


def _event_days(plans: list[Plan]) -> IntArray:
    """(E,) every day on which one of these makers' lots lands, in any replication, ascending."""
    every: IntArray = np.unique(np.concatenate([_days(p.times).ravel() for p in plans]))
    return every


def _customers(name: str, plans: Mapping[str, Plan], rule: Rule) -> tuple[str, ...]:
    """Who takes this supplier's components, in serving order for "priority"."""
    takers = [c for c, plan in plans.items() if name in plan.components]
    if rule.allocation != "priority":
        return tuple(takers)
    return tuple(
        [c for c in rule.order if c in takers] + [c for c in takers if c not in rule.order]
    )


def _limit(plan: Plan, received: Mapping[str, IntArray]) -> IntArray:
    """Units by the end of each lot: the plan, capped by each supplier's components received by
    the lot's day (`received`: (L, R) by supplier), in whole units."""
    built = plan.cumulative
    for supplier, per in plan.components.items():
        built = np.minimum(built, received[supplier] // per)
    return built


def _full(plan: Plan, size: int) -> Plan:
    """The plan with its units broadcast to R columns (copied); lot times stay (L, 1) when every
    replication shares them, else (L, R)."""
    rows = max(plan.times.shape[0], plan.cumulative.shape[0])
    columns = 1 if plan.times.shape[1] == 1 else size
    return Plan(
        times=np.array(np.broadcast_to(plan.times, (rows, columns)), dtype=np.float64),
        cumulative=np.array(np.broadcast_to(plan.cumulative, (rows, size)), dtype=np.int64),
        components=plan.components,
    )
