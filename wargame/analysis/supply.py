"""Suppliers in the outputs: summary.json's `suppliers` block and `suppliers.csv`.

Figures count the whole run, from the decision day (day 0) to the horizon, in components (a
supplier's made lots land before and during the war alike); days in `bound_periods` and
`first_day_bound` count from the conflict start, as everywhere in the outputs (negative before).
"""

from __future__ import annotations

import csv
import io
from typing import Any

import numpy as np

from wargame.model.compile import CompiledModel
from wargame.model.rates import IntArray
from wargame.model.suppliers import Ledger

SUPPLIER_COLUMNS = (
    "supplier",
    "day",
    "made",
    "in_stock",
    "bound",
    "customer",
    "demanded",
    "received",
)


def suppliers_block(model: CompiledModel) -> dict[str, Any]:
    """summary.json's `suppliers`: one entry per supplier of a single run (replication 0)."""
    return {ledger.name: supplier_metrics(ledger, model) for ledger in model.suppliers}


def supplier_metrics(ledger: Ledger, model: CompiledModel) -> dict[str, Any]:
    """What one supplier made, who asked for what and got what, and when it bound."""
    end, warning = model.end_day, model.warning_days
    bound = ledger.bound_days(end)[:, 0]
    days = np.flatnonzero(bound)
    final = -1 if ledger.days.size else None

    def by_customer(series: IntArray) -> dict[str, int]:
        values = [0] * len(ledger.customers) if final is None else series[final, :, 0].tolist()
        return dict(zip(ledger.customers, values, strict=True))

    delivered = by_customer(ledger.received)
    return {
        "allocation": ledger.allocation,
        "built_ahead": int(ledger.inventory[0]),
        "made": 0 if final is None else int(ledger.made[final, 0]),
        "delivered": sum(delivered.values()),
        "delivered_to": delivered,
        "demanded_by": by_customer(ledger.demanded),
        "used_by": dict(zip(ledger.customers, ledger.used[:, 0].tolist(), strict=True)),
        "in_stock_at_end": int(ledger.in_stock[0]),
        "days_bound": int(days.size),
        "first_day_bound": int(days[0]) - warning if days.size else None,
        "bound_periods": [[a - warning, b - warning] for a, b in periods(bound)],
        **supplemental_block(ledger),
    }


def supplemental_block(ledger: Ledger) -> dict[str, Any]:
    """Components made outside the funded pool for supplemental orders, and where they went."""
    if ledger.supplemental_made is None or ledger.supplemental_used is None:
        return {}
    used = ledger.supplemental_used[:, 0].tolist()
    return {
        "supplemental": {
            "made": int(ledger.supplemental_made[0]),
            "used_by": dict(zip(ledger.customers, used, strict=True)),
        }
    }


def periods(flags: np.ndarray) -> list[tuple[int, int]]:
    """Runs of true days as (first, last + 1) sim days."""
    edges = np.diff(np.concatenate(([0], flags.astype(np.int8), [0])))
    starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return [(int(a), int(b)) for a, b in zip(starts, stops, strict=True)]


def suppliers_csv(model: CompiledModel) -> str:
    """One row per supplier, sim day and customer: the day's flows and the supplier's state.

    `day` counts from the conflict start; `made` is the supplier's own components landed that
    day; `in_stock` what it holds at the day's end (built ahead, made, not yet handed out);
    `bound` 1 on a day some customer's demand stood unmet; `demanded` and `received` are the
    customer's new demand and the components it got that day.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(SUPPLIER_COLUMNS)
    end = model.end_day
    for ledger in model.suppliers:
        made = ledger.daily(ledger.made, end)[:, 0]
        received = ledger.daily(ledger.received, end)[:, :, 0]
        demanded = ledger.daily(ledger.demanded, end)[:, :, 0]
        stock = ledger.inventory[0] + made - received.sum(axis=1)
        bound = ledger.bound_days(end)[:, 0].astype(np.int64)
        flows = (_per_day(made), stock, bound)
        new_demand, new_received = _per_day(demanded), _per_day(received)
        for day in range(end):
            head = (ledger.name, day - model.warning_days, *(int(f[day]) for f in flows))
            for i, customer in enumerate(ledger.customers):
                writer.writerow((*head, customer, new_demand[day, i], new_received[day, i]))
    return out.getvalue()


def _per_day(cumulative: IntArray) -> IntArray:
    """Daily amounts of a cumulative daily series (axis 0)."""
    first = np.zeros((1, *cumulative.shape[1:]), dtype=np.int64)
    daily: IntArray = np.diff(cumulative, axis=0, prepend=first)
    return daily
