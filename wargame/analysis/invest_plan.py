"""What the supplemental solver works with and answers: coverage rows, purchases, the plan."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wargame.analysis.invest_network import SupplierPurchase
from wargame.analysis.invest_routes import RoutePurchase
from wargame.config.scenario import Scenario
from wargame.model.rates import FloatArray

# Added capacity is written to the closed config rounded up to this step (missiles per year).
CAPACITY_STEP = 1e-3


@dataclass(frozen=True)
class Coverage:
    """One munition's coverage rows: per salvo of the conflict, what the supplemental must supply.

    Row k holds for the salvo at conflict day `salvo_days[k]`: supplemental missiles delivered by
    then must reach `need[k]`; what spare capacity can deliver by then is
    `spare[k] + added_per_year * expansion[k]`.
    """

    name: str
    salvo_days: FloatArray
    made_by: FloatArray  # sim day up to which production counts for each salvo (its lot's bound)
    need: FloatArray
    spare: FloatArray
    expansion: FloatArray
    lead_time_days: float
    expansion_start_days: float
    missile_usd: float  # price of one supplemental missile, after discount and efficiency
    capacity_usd: float  # price of one missile/year of added capacity, after efficiency
    ceiling_per_year: float


@dataclass(frozen=True)
class Purchase:
    """What the plan buys for one munition."""

    munition: str
    missiles: int
    added_capacity_per_year: float
    missiles_usd: float
    capacity_usd: float

    @property
    def total_usd(self) -> float:
        """Missiles and capacity together."""
        return self.missiles_usd + self.capacity_usd

    @property
    def label(self) -> str:
        """How a bill names it."""
        return self.munition


@dataclass(frozen=True)
class LauncherOption:
    """A launcher purchase: what it sets in the scenario, what it costs, and what it is."""

    label: str
    assignments: dict[str, Any]
    usd: float


NO_PURCHASE = LauncherOption("no launcher purchase", {}, 0.0)


@dataclass(frozen=True)
class Plan:
    """The least-cost supplemental for a target, or the best achievable when none reaches it."""

    target_days: float
    feasible: bool
    achieved_days: float  # the target, or the best achievable days when infeasible
    purchases: tuple[Purchase, ...]
    binding: str  # inventory, line_capacity, ceiling, lead_time, expansion_delay, launchers, none
    binding_detail: str
    launchers: LauncherOption = NO_PURCHASE
    suppliers: tuple[SupplierPurchase, ...] = ()  # capacity added to suppliers
    binding_supplier: str | None = None  # the supplier whose capacity binds, if one does
    routes: tuple[RoutePurchase, ...] = ()  # missiles allies buy off other nations' lines

    @property
    def missiles_usd(self) -> float:
        """Price of the missile-side purchases (missiles, line capacity, missiles off allies'
        lines)."""
        return sum(p.total_usd for p in self.purchases) + sum(p.total_usd for p in self.routes)

    @property
    def bought_missiles_usd(self) -> float:
        """Price of the missiles alone, off every line."""
        own = sum(p.missiles_usd for p in self.purchases)
        return own + sum(p.missiles_usd for p in self.routes)

    @property
    def suppliers_usd(self) -> float:
        """Price of the capacity added to suppliers."""
        return sum(p.capacity_usd for p in self.suppliers)

    @property
    def total_usd(self) -> float:
        """The plan's whole price, launchers and suppliers included."""
        return self.missiles_usd + self.suppliers_usd + self.launchers.usd


def without_supplemental(scenario: Scenario) -> Scenario:
    """The scenario with no supplemental bought, the baseline the solver prices from."""
    munitions = {
        name: munition.model_copy(
            update={
                "supplemental": munition.supplemental.model_copy(
                    update={"missiles": 0, "added_capacity_per_year": 0.0}
                )
            }
        )
        for name, munition in scenario.munitions.items()
    }
    suppliers = {
        name: supplier.model_copy(
            update={
                "supplemental": supplier.supplemental.model_copy(
                    update={"added_capacity_per_year": 0.0}
                )
            }
        )
        for name, supplier in scenario.suppliers.items()
    }
    return scenario.model_copy(update={"munitions": munitions, "suppliers": suppliers})
