"""Results: frozen, plain data (numpy arrays and numbers) that engines return and outputs read.

Daily arrays are indexed by sim day d (the day [d, d + 1) counted from the decision day); the
conflict day is d - warning_days. Totals count the conflict only; pre-war deliveries are in the
conflict-start stock.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from wargame.model.rates import IntArray


@dataclass(frozen=True)
class MunitionRun:
    """One munition's run: per-day flows, the stock at each day's end, and the depletion moment."""

    name: str
    warning_days: int
    initial_inventory: int  # stock on the decision day
    days_to_depletion: float | None  # from the conflict start; None if never within the horizon
    demanded: IntArray  # shots demanded per sim day (new demand, backlog not re-counted)
    fired: IntArray  # shots fired per sim day
    delivered: IntArray  # missiles delivered to US stocks per sim day

    @property
    def inventory(self) -> IntArray:
        """Stock at the end of each sim day."""
        return self.initial_inventory + np.cumsum(self.delivered - self.fired)

    @property
    def inventory_at_conflict_start(self) -> int:
        """Stock when the conflict starts: the decision-day stock plus pre-war deliveries."""
        before = slice(0, self.warning_days)
        return int(self.initial_inventory + np.sum(self.delivered[before] - self.fired[before]))

    def _conflict_total(self, series: IntArray) -> int:
        return int(np.sum(series[self.warning_days :]))

    @property
    def total_demanded(self) -> int:
        """Shots demanded during the conflict."""
        return self._conflict_total(self.demanded)

    @property
    def total_fired(self) -> int:
        """Shots fired during the conflict."""
        return self._conflict_total(self.fired)

    @property
    def total_delivered(self) -> int:
        """Missiles delivered during the conflict."""
        return self._conflict_total(self.delivered)

    @property
    def shortfall(self) -> int:
        """Demanded shots never fired within the horizon (lost, or still in backlog at the end)."""
        return self.total_demanded - self.total_fired

    @property
    def end_inventory(self) -> int:
        """Stock at the end of the horizon."""
        return int(self.initial_inventory + np.sum(self.delivered) - np.sum(self.fired))


@dataclass(frozen=True)
class RunResult:
    """A whole run: one MunitionRun per munition, in scenario order."""

    scenario_name: str
    warning_days: int
    horizon_days: int
    seed: int
    munitions: tuple[MunitionRun, ...]
