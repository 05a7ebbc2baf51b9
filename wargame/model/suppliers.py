"""Shared suppliers: how components are allocated among the lines they feed, day by day.

The rule, once for both engines (they read the lots it yields):

- Time is pooled by sim day. On each day d on which some lot lands (a supplier's or a
  customer's), the supplier has its stock on hand: the components built ahead (`inventory`), plus
  every lot of its own landed by the end of day d, less what it has already handed out.
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

from wargame.model.rates import ROUNDING_SLACK, FloatArray, IntArray

# Running totals of shares are floored after adding this (as wargame/model/rates.py does).
SHARE_SLACK = ROUNDING_SLACK


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
    plans: Mapping[str, Plan], rules: Mapping[str, Rule], size: int
) -> tuple[dict[str, IntArray], dict[str, Ledger]]:
    """Every maker's whole units by the end of each of its lots, limited by its suppliers, and
    each supplier's ledger. `plans` holds munitions and suppliers by name (names are unique),
    `rules` the suppliers; `size` is R."""
    plans = {name: _full(plan, size) for name, plan in plans.items()}
    received: dict[str, dict[str, tuple[IntArray, IntArray]]] = {name: {} for name in plans}
    built: dict[str, IntArray] = {}
    ledgers: dict[str, Ledger] = {}
    for name in upstream_first(plans, rules):
        built[name] = _limit(plans[name], received[name])
        if name not in rules:
            continue
        supplied = Plan(plans[name].times, built[name], plans[name].components)
        ledger = _allocate(name, supplied, plans, rules[name])
        for i, customer in enumerate(ledger.customers):
            received[customer][name] = (ledger.days, ledger.received[:, i])
        ledgers[name] = ledger
    for name, ledger in ledgers.items():
        used = [
            per * built[c][-1] for c, per in zip(ledger.customers, ledger.per_unit, strict=True)
        ]
        ledgers[name] = replace(ledger, used=np.array(used, dtype=np.int64).reshape(-1, size))
    return built, ledgers


def upstream_first(plans: Mapping[str, Plan], rules: Mapping[str, Rule]) -> list[str]:
    """Suppliers before anything that takes their components; munitions (non-suppliers) last."""
    done: list[str] = []

    def visit(name: str) -> None:
        if name in done:
            return
        for upstream in plans[name].components:
            visit(upstream)
        done.append(name)

    for name in sorted(plans, key=lambda n: n not in rules):
        visit(name)
    return done


def allocate_day(available: FloatArray, outstanding: FloatArray, allocation: str) -> FloatArray:
    """(C, R) components handed out from `available` (R,) against `outstanding` (C, R), in
    customer order (priority order already applied); all of it when the stock covers it.

    Shares are exact (real) amounts: "priority" keeps whole numbers whole; "pro_rata" gives each
    customer available x its outstanding / total outstanding, and the caller hands out the floor
    of each running total (the fractions wait, as for lots and salvos: no drift).
    """
    total = outstanding.sum(axis=0)
    enough = total <= available
    if bool(np.all(enough)):  # the usual day: nobody waits
        everything: FloatArray = np.array(outstanding, dtype=np.float64)
        return everything
    if allocation == "priority":
        before = np.cumsum(outstanding, axis=0) - outstanding
        share = np.clip(available - before, 0, outstanding)
    else:
        share = outstanding * (np.maximum(available, 0) / np.maximum(total, 1e-300))
    given: FloatArray = np.where(enough, outstanding, share).astype(np.float64)
    return given


def _allocate(name: str, supplied: Plan, plans: Mapping[str, Plan], rule: Rule) -> Ledger:
    """Walk the event days, handing out the supplier's stock by its rule."""
    customers = _customers(name, plans, rule)
    per_unit = tuple(plans[c].components[name] for c in customers)
    days = np.unique(
        np.concatenate(
            [np.floor(supplied.times).ravel()]
            + [np.floor(plans[c].times).ravel() for c in customers]
        )
    ).astype(np.int64)
    made = _landed(supplied, days)
    demanded = np.zeros((days.size, len(customers), made.shape[1]), dtype=np.int64)
    for i, (customer, per) in enumerate(zip(customers, per_unit, strict=True)):
        demanded[:, i] = per * _landed(plans[customer], days)
    received = np.zeros_like(demanded)
    short = np.zeros(made.shape, dtype=bool)
    given = np.zeros(demanded.shape[1:], dtype=np.float64)  # exact shares, handed out whole
    for e in range(days.size):
        available = rule.inventory + made[e] - given.sum(axis=0)
        outstanding = demanded[e] - given
        short[e] = outstanding.sum(axis=0) > available + SHARE_SLACK
        given = given + allocate_day(available, outstanding, rule.allocation)
        received[e] = np.floor(given + SHARE_SLACK).astype(np.int64)
    return Ledger(
        name=name,
        allocation=rule.allocation,
        customers=customers,
        per_unit=per_unit,
        inventory=rule.inventory,
        days=days,
        made=made,
        demanded=demanded,
        received=received,
        used=np.zeros(given.shape, dtype=np.int64),
        short=short,
    )


def _customers(name: str, plans: Mapping[str, Plan], rule: Rule) -> tuple[str, ...]:
    """Who takes this supplier's components, in serving order for "priority"."""
    takers = [c for c, plan in plans.items() if name in plan.components]
    if rule.allocation != "priority":
        return tuple(takers)
    return tuple(
        [c for c in rule.order if c in takers] + [c for c in takers if c not in rule.order]
    )


def _landed(plan: Plan, days: IntArray) -> IntArray:
    """(E, R) units the plan's lots landed by the end of each of `days`."""
    return _last(plan.cumulative, plan.times, days)


def _last(cumulative: IntArray, times: FloatArray, days: IntArray) -> IntArray:
    """(E, R) a lot-indexed cumulative (L, R) at the end of each of `days`: its value after the
    last lot with floor(time) <= day, zero before the first. `times` is (L, R) or (L, 1)."""
    lot_day = np.floor(times)
    padded = np.concatenate((np.zeros((1, cumulative.shape[1]), np.int64), cumulative))
    if lot_day.shape[1] == 1:  # one lot grid for every replication: one search
        count = np.searchsorted(lot_day[:, 0], days, side="right")
        shared: IntArray = padded[count]
        return shared
    by_replication = padded.T  # rows of (R, L + 1): contiguous reads and writes per replication
    out = np.empty((cumulative.shape[1], days.size), dtype=np.int64)
    for r, lots in enumerate(np.ascontiguousarray(lot_day.T)):  # lots land in order: one search
        out[r] = by_replication[r][np.searchsorted(lots, days, side="right")]
    return np.ascontiguousarray(out.T)


def _limit(plan: Plan, received: Mapping[str, tuple[IntArray, IntArray]]) -> IntArray:
    """Units by the end of each lot: the plan, capped by each supplier's components received by
    the lot's day, in whole units."""
    built = plan.cumulative
    for supplier, per in plan.components.items():
        days, got = received[supplier]
        at = np.searchsorted(days, np.floor(plan.times).astype(np.int64), side="right") - 1
        columns = np.arange(got.shape[1])
        units = np.where(at >= 0, got[np.maximum(at, 0), columns] // per, 0)
        built = np.minimum(built, units)
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
