"""Who pays for a supplemental: each nation's share of each munition's levers, its cap, its bill.

A munition's missiles and line capacity are paid for by the nation that owns it, unless a
mission that lists it has `cost_shares`: then each nation pays its share of that munition's
levers (the config refuses two missions splitting one munition's bill differently). A nation's
`spending_cap_usd` bounds its bill: one LP row over the levers it pays a share of (SpendingCap).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from wargame.config.scenario import Scenario

if TYPE_CHECKING:
    from wargame.analysis.invest import Coverage, Purchase
    from wargame.analysis.invest_routes import RouteColumns, RoutePurchase

Payers = Mapping[str, Mapping[str, float]]  # munition -> nation -> its share of the bill


@dataclass(frozen=True)
class SpendingCap:
    """A nation's most spending: its shares of the levers of munitions (indices into the
    Coverage rows), priced within `usd`."""

    nation: str
    shares: tuple[tuple[int, float], ...]  # (munition index, the nation's share of its bill)
    usd: float


def payers(scenario: Scenario) -> dict[str, dict[str, float]]:
    """Who pays each munition's supplemental: its mission's `cost_shares`, else its owner
    (nobody named in a scenario without nations)."""
    out = {name: {m.nation: 1.0} if m.nation else {} for name, m in scenario.munitions.items()}
    for mission in scenario.missions.values():
        if mission.cost_shares:
            for entry in mission.munitions:
                out[entry.name] = {n: s for n, s in mission.cost_shares.items() if s > 0}
    return out


def spending_caps(scenario: Scenario) -> tuple[SpendingCap, ...]:
    """The nations' spending caps over their shares of the munitions' levers."""
    split = payers(scenario)
    names = list(scenario.munitions)
    return tuple(
        SpendingCap(
            nation_id,
            tuple((i, split[n][nation_id]) for i, n in enumerate(names) if nation_id in split[n]),
            nation.spending_cap_usd,
        )
        for nation_id, nation in scenario.nations.items()
        if nation.spending_cap_usd is not None
    )


def nation_bills(
    purchases: Iterable[Purchase | RoutePurchase], scenario: Scenario, split: Payers
) -> dict[str, dict[str, Any]]:
    """Each nation's bill, every nation listed: its name, its cap, what it pays in all, for
    missiles and for capacity, and for each purchase (USD; missiles off another's line are the
    buyer munition's payers', named "X off the Y line")."""
    bills: dict[str, dict[str, Any]] = {
        nation_id: {
            "name": nation.name,
            "spending_cap_usd": nation.spending_cap_usd,
            "total_usd": 0.0,
            "missiles_usd": 0.0,
            "capacity_usd": 0.0,
            "by_munition": {},
        }
        for nation_id, nation in scenario.nations.items()
    }
    for purchase in purchases:
        for nation_id, share in split.get(purchase.munition, {}).items():
            bill = bills[nation_id]
            bill["missiles_usd"] += share * purchase.missiles_usd
            bill["capacity_usd"] += share * purchase.capacity_usd
            bill["total_usd"] += share * purchase.total_usd
            if purchase.total_usd > 0:
                bill["by_munition"][purchase.label] = share * purchase.total_usd
    return bills


def cap_rows(
    rows: Sequence[Coverage],
    caps: Sequence[SpendingCap],
    layout: RouteColumns,
    capacity_step: float,
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Each nation's share of the bill within its cap, after rounding up to whole missiles and
    capacity steps; missiles off another's line are billed to the buyer's payers."""
    blocks, limits = [], []
    for cap in caps:
        block = np.zeros(layout.width)
        rounding = 0.0
        for i, share in cap.shares:
            block[2 * i] = share * rows[i].missile_usd
            block[2 * i + 1] = share * rows[i].capacity_usd
            rounding += share * (rows[i].missile_usd + capacity_step * rows[i].capacity_usd)
            for r, route in enumerate(layout.routes):
                if route.buyer == i:
                    block[layout.base + r] = share * route.missile_usd
                    rounding += share * route.missile_usd
        blocks.append(block[None])
        limits.append(np.array([max(0.0, cap.usd - rounding)]))
    return blocks, limits
