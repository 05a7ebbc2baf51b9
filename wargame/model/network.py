"""The supplier network compiled: suppliers as lines of components, and munitions' lots limited
by the components their suppliers allocate (model/suppliers.py has the rule).

A supplier makes its funded output (plus any surge) after its lead time, and the components of
the supplemental missiles its customers order, from its spare capacity (today's plus any added
by capital, as it ramps up): the same line model as a munition's (model/line.py). A munition's
line builds all its units from components: when they run short, every share of the line's output
(US, foreign, supplemental) falls by the same factor, lot by lot.
"""

from __future__ import annotations

import numpy as np

from wargame.config.scenario import Scenario
from wargame.config.suppliers import Supplier
from wargame.model.draws import Draws, per_replication
from wargame.model.line import Line, LineSpec, compile_line
from wargame.model.rates import ROUNDING_SLACK, FloatArray, IntArray, whole_amounts
from wargame.model.suppliers import Ledger, Plan, Rule, resolve


def whole(cumulative: FloatArray) -> IntArray:
    """Whole units of an exact running total: its floor (as `whole_amounts` sums to)."""
    return np.floor(cumulative + ROUNDING_SLACK).astype(np.int64)


def supplier_line(name: str, supplier: Supplier, warning: int, end: float, draws: Draws) -> Line:
    """A supplier's line: funded output and surge, spare and expandable capacity, lots."""
    from wargame.model.compile import line_rate  # compile imports this module

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
) -> tuple[dict[str, FloatArray], tuple[Ledger, ...]]:
    """Each munition's supply factor at its lot bounds (L + 1, R): built / planned units, 1 where
    nothing binds; and every supplier's ledger. `lines` maps each munition to its line, its
    supplemental missiles and its added capacity per year (numbers or (R,) draws)."""
    size = draws.size
    plans: dict[str, Plan] = {}
    planned: dict[str, FloatArray] = {}
    for name, (line, missiles, added) in lines.items():
        made = line.made(line.lot_bounds[1:], missiles, added)
        planned[name] = per_replication(made, 1)
        components = scenario.munitions[name].production.components
        plans[name] = Plan(per_replication(line.lot_times, 1), whole(planned[name]), components)
    rules: dict[str, Rule] = {}
    for name, supplier in scenario.suppliers.items():
        plans[name] = _supplier_plan(scenario, name, supplier, lines, draws, warning, end)
        inventory = draws.count(f"suppliers.{name}.inventory", supplier.inventory)
        rules[name] = Rule(
            allocation=supplier.allocation,
            order=tuple(supplier.priority),
            inventory=np.array(np.broadcast_to(inventory, (size,)), dtype=np.int64),
        )
    built, ledgers = resolve(plans, rules, size)
    factors: dict[str, FloatArray] = {}
    for name in lines:
        target = np.broadcast_to(plans[name].cumulative, built[name].shape)
        share = np.where(target > 0, built[name] / np.maximum(target, 1), 1.0)
        factors[name] = np.concatenate((np.ones((1, size)), share))
    return factors, tuple(ledgers[name] for name in scenario.suppliers)


def _supplier_plan(
    scenario: Scenario,
    name: str,
    supplier: Supplier,
    lines: dict[str, tuple[Line, FloatArray, FloatArray]],
    draws: Draws,
    warning: int,
    end: float,
) -> Plan:
    """A supplier's lots before its own suppliers limit them: funded output, plus the components
    of its customers' supplemental missiles from its spare capacity."""
    line = supplier_line(name, supplier, warning, end, draws)
    ordered = sum(
        (
            m.production.components[name] * np.asarray(lines[m_name][1], dtype=np.float64)
            for m_name, m in scenario.munitions.items()
            if name in m.production.components
        ),
        start=np.asarray(0.0),
    )
    added = draws.num(
        f"suppliers.{name}.supplemental.added_capacity_per_year",
        supplier.supplemental.added_capacity_per_year,
    )
    made = per_replication(line.made(line.lot_bounds[1:], ordered, added), 1)
    return Plan(per_replication(line.lot_times, 1), whole(made), supplier.components)


def limited_lots(cumulative_at_bounds: FloatArray, factor: FloatArray | None) -> IntArray:
    """Whole amounts per lot of an exact running total at the lot bounds (L + 1, ...), scaled
    lot by lot by the supply factor (None: no supplier limits the line)."""
    if factor is None:
        return whole_amounts(cumulative_at_bounds)
    scaled = per_replication(cumulative_at_bounds, 1) * factor
    # a share of the output scaled lot by lot can dip by float noise: never below an earlier lot
    return whole_amounts(np.maximum.accumulate(scaled, axis=0))
