"""The supplier network compiled: suppliers as lines of components, and munitions' lots limited
by the components their suppliers allocate (model/suppliers.py has the rule).

A supplier makes its funded output (plus any surge) after its lead time: the same line model as
a munition's (model/line.py). A munition's line builds its funded output from the components its
suppliers allocate (model/suppliers.py): when they run short, the US and foreign shares fall by
the same factor, lot by lot. Supplemental money buys components with its missiles: suppliers make
them from their spare capacity, outside the funded pool (`supplemental_units`).
"""

from __future__ import annotations

import numpy as np

from wargame.config.scenario import Scenario
from wargame.config.suppliers import Supplier
from wargame.model.draws import Draws, per_replication
from wargame.model.line import Line, LineSpec, compile_line, line_rate
from wargame.model.rates import ROUNDING_SLACK, FloatArray, IntArray, whole_amounts
from wargame.model.suppliers import Ledger, Plan, Rule, resolve


def whole(cumulative: FloatArray) -> IntArray:
    """Whole units of an exact running total: its floor (as `whole_amounts` sums to)."""
    return np.floor(cumulative + ROUNDING_SLACK).astype(np.int64)


def supplier_line(name: str, supplier: Supplier, warning: int, end: float, draws: Draws) -> Line:
    """A supplier's line: funded output and surge, spare and expandable capacity, lots."""
    path = f"suppliers.{name}"

    def num(field: str, nominal: float) -> FloatArray:
        return draws.num(f"{path}.{field}", nominal)

    levers = supplier.supplemental
    return compile_line(
        LineSpec(
            output=line_rate(supplier, warning, draws, path),
            lead_time_days=num("lead_time_days", supplier.lead_time_days),
            capacity_per_year=num("capacity_per_year", supplier.capacity_per_year),
            lot_interval_days=num("lot_interval_days", supplier.lot_interval_days),
            expansion_delay_days=num(
                "supplemental.expansion_delay_days", levers.expansion_delay_days
            ),
            expansion_ramp_days=num("supplemental.expansion_ramp_days", levers.expansion_ramp_days),
            us_share=np.asarray(1.0),
        ),
        end,
    )


def supply_network(
    scenario: Scenario,
    lines: dict[str, tuple[Line, FloatArray, FloatArray]],
    draws: Draws,
    warning: int,
    end: float,
    *,
    ledgers: bool = True,
) -> tuple[dict[str, FloatArray], tuple[Ledger, ...]]:
    """Each munition's supply factor at its lot bounds (L + 1, R): built / planned units of its
    funded output, 1 where nothing binds; and (with `ledgers`; none without) every supplier's
    ledger of funded components. `lines` maps each munition to its line, its supplemental
    missiles and its added capacity."""
    size = draws.size
    plans: dict[str, Plan] = {}
    for name, (line, _, _) in lines.items():
        made = per_replication(line.made(line.lot_bounds[1:], 0.0, 0.0), 1)
        components = scenario.munitions[name].production.components
        plans[name] = Plan(per_replication(line.lot_times, 1), whole(made), components)
    rules: dict[str, Rule] = {}
    for name, supplier in scenario.suppliers.items():
        line = supplier_line(name, supplier, warning, end, draws)
        made = per_replication(line.made(line.lot_bounds[1:], 0.0, 0.0), 1)
        plans[name] = Plan(per_replication(line.lot_times, 1), whole(made), supplier.components)
        inventory = draws.count(f"suppliers.{name}.inventory", supplier.inventory)
        rules[name] = Rule(
            allocation=supplier.allocation,
            order=tuple(supplier.priority),
            inventory=np.array(np.broadcast_to(inventory, (size,)), dtype=np.int64),
        )
    built, kept = resolve(plans, rules, size, ledgers=ledgers)
    factors: dict[str, FloatArray] = {}
    for name in lines:
        target = np.broadcast_to(plans[name].cumulative, built[name].shape)
        share = np.where(target > 0, built[name] / np.maximum(target, 1), 1.0)
        factors[name] = np.concatenate((np.ones((1, size)), share))
    return factors, tuple(kept[name] for name in scenario.suppliers if name in kept)


def serving_order(scenario: Scenario, name: str) -> list[str]:
    """The munitions taking `name`'s components, its `priority` list first, then file order:
    the order in which it fills supplemental orders."""
    takers = [
        m for m, munition in scenario.munitions.items() if name in munition.production.components
    ]
    first = [m for m in scenario.suppliers[name].priority if m in takers]
    return first + [m for m in takers if m not in first]


def supplemental_units(
    scenario: Scenario,
    lines: dict[str, tuple[Line, FloatArray, FloatArray]],
    draws: Draws,
    warning: int,
    end: float,
) -> tuple[dict[str, FloatArray], dict[str, FloatArray]]:
    """Supplemental missiles made by each lot bound (L + 1, R), exact: as fast as the line's
    spare capacity allows (as without suppliers), and no faster than each of its suppliers makes
    their components.

    A supplier makes supplemental components from its spare capacity (today's plus any added by
    capital, as it ramps up), outside its funded output, and fills the orders one after another,
    in its `priority` order then file order, each in full before the next (all are placed on the
    decision day: first come, first served). Tiers below a supplier are not charged for them.
    Also each supplier's supplemental components made by its customers' last lot bound (R or 1,).
    """
    limits: dict[str, list[FloatArray]] = {name: [] for name in lines}
    made_by_end: dict[str, FloatArray] = {}
    for name, supplier in scenario.suppliers.items():
        order = serving_order(scenario, name)
        per = {m: scenario.munitions[m].production.components[name] for m in order}
        ordered = {m: per[m] * np.asarray(lines[m][1], dtype=np.float64) for m in order}
        total = sum(ordered.values(), start=np.asarray(0.0))
        line = supplier_line(name, supplier, warning, end, draws)
        added = draws.num(
            f"suppliers.{name}.supplemental.added_capacity_per_year",
            supplier.supplemental.added_capacity_per_year,
        )
        # by the last customer lot's bound: lots carry what is made up to their bound
        last = max((float(np.max(lines[m][0].lot_bounds[-1])) for m in order), default=end)
        at_end = line.made(np.asarray([last]), total, added, 0.0)[0]  # times are (M,) or (M, R)
        made_by_end[name] = np.atleast_1d(at_end)
        prior: FloatArray = np.asarray(0.0)
        for m in order:
            made = per_replication(line.made(lines[m][0].lot_bounds, total, added, 0.0), 1)
            limits[m].append(np.clip(made - prior, 0.0, ordered[m]) / per[m])
            prior = prior + ordered[m]
    out: dict[str, FloatArray] = {}
    for name, (line, missiles, added) in lines.items():
        units = per_replication(line.made(line.lot_bounds, missiles, added, 0.0), 1)
        for limit in limits[name]:
            units = np.minimum(units, limit)
        out[name] = units
    return out, made_by_end


def limited_lots(
    cumulative_at_bounds: FloatArray, factor: FloatArray | None, extra: FloatArray | float = 0.0
) -> IntArray:
    """Whole amounts per lot of an exact running total at the lot bounds (L + 1, ...), scaled
    lot by lot by the supply factor (None: no supplier limits the line), plus `extra` (the
    supplemental missiles made by each bound, not scaled)."""
    if factor is None:
        return whole_amounts(cumulative_at_bounds)
    scaled = per_replication(cumulative_at_bounds, 1) * factor + extra
    # a share of the output scaled lot by lot can dip by float noise: never below an earlier lot
    return whole_amounts(np.maximum.accumulate(scaled, axis=0))
