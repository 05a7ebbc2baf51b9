"""What a run will cost, estimated before anything is allocated, and refused when over budget.

A few characters of input can ask for years of computing or terabytes of memory (a million
replications, a grid of a thousand cubed, every path kept). The work of a run is counted in
replication-steps: replications x salvo steps x (munitions + hulls), the loops both engines run.
Memory is what one replication's schedules and results take, times the replications held at once.
Both are estimates with generous constants (measured on the default and fleet scenarios); the
budgets are documented and set with `--max-work` and `--max-memory-gib`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from wargame.config.graph import most_delivered
from wargame.config.scenario import Scenario
from wargame.errors import InputError
from wargame.model.yards import YARD_LOT_DAYS

DEFAULT_MAX_WORK = 2e10  # replication-steps: about 20 minutes of the vectorised engine here
DEFAULT_MAX_MEMORY_GIB = 4.0
MOST_WORK = 1e18  # the budgets' own bounds: a billion times the default, and an exabyte
MOST_MEMORY_GIB = 2.0**30
# The SimPy engine takes about 200 times as long per replication-step as the compiled core
# (`make bench`: 737 against 107,000 to 173,000 replications a second).
DES_COST = 200.0
# Measured: 20,000 hulls, 90 steps, 2 replications took 81 s, about 1.2e9 replication-steps of
# the compiled core at 1.5e7 a second: 90 x 2 x 20,000**2 / 1.2e9 = 60 hull pairs a step.
HULL_PAIRS_PER_STEP = 50
# Measured: a sweep spends about 2.5 ms a point beyond its replications (validating, compiling,
# storing; 20,000 points of 10 replications took 49 s on 2 workers): 1e5 replication-steps.
POINT_COST = 1e5
BYTES_PER_STEP = 8 * 12  # int64 and float64 schedules per munition-step (demand, stock, bands)
BYTES_PER_LOT = 8 * 8  # lot times, sizes, slips, bounds and cumulative output per lot
BYTES_PER_PREWAR_DAY = 8 * 6  # peacetime use: the plan, deliveries and running levels per day
BYTES_PER_PATH_STEP = 8 * 2 + 24  # a kept path: stock and shots, and its CSV text
BYTES_PER_GROUP_PATH_STEP = 8 * 3  # a mission's kept path: served per step, per day with demand
BYTES_PER_OUTCOME = 8 * 16 + 200  # one replication's outcomes and its replications.csv row


@dataclass(frozen=True)
class Budget:
    """The most work (replication-steps) and memory (bytes) one command may ask for."""

    work: float = DEFAULT_MAX_WORK
    memory_bytes: float = DEFAULT_MAX_MEMORY_GIB * 2**30

    @classmethod
    def of(cls, work: float | None, memory_gib: float | None) -> Budget:
        """The budget from the command line's options (None: the default)."""
        for flag, value, most in (
            ("--max-work", work, MOST_WORK),
            ("--max-memory-gib", memory_gib, MOST_MEMORY_GIB),
        ):
            if value is not None and not 0 < value <= most:
                raise InputError(f"{flag} {value:g}: must be above 0 and at most {most:g}")
        return cls(
            DEFAULT_MAX_WORK if work is None else work,
            (DEFAULT_MAX_MEMORY_GIB if memory_gib is None else memory_gib) * 2**30,
        )


DEFAULT_BUDGET = Budget()  # the defaults above: what a command uses without --max-*


@dataclass(frozen=True)
class Size:
    """The size of one replication of a scenario."""

    steps: int  # salvo steps of the conflict
    lots: int  # production lots, summed over munitions
    munitions: int
    hulls: int  # the most hulls the fleet can hold (at the start, reinforcing, from yards)
    prewar_days: int = 0  # days of peacetime use planned before the war, summed over munitions
    groups: int = 0  # demand groups: own plans, and missions (one per nation with a share)

    @property
    def work(self) -> int:
        """Replication-steps of one replication (lots count as one step each). Hulls choosing a
        port look at every other hull, so a fleet's step costs grow with hulls squared."""
        fleet = self.hulls + self.hulls**2 // HULL_PAIRS_PER_STEP
        return self.steps * (self.munitions + fleet) + self.lots

    def schedule_bytes(self) -> int:
        """Memory one replication's schedules take while its block runs."""
        return (
            self.steps * (self.munitions * BYTES_PER_STEP + 8 * (self.hulls > 0) * 4)
            + self.lots * BYTES_PER_LOT
            + self.prewar_days * BYTES_PER_PREWAR_DAY
        )

    def path_bytes(self) -> int:
        """Memory one replication's kept stock path takes (array and CSV text), and its
        missions' served paths."""
        return self.steps * (
            self.munitions * BYTES_PER_PATH_STEP + self.groups * BYTES_PER_GROUP_PATH_STEP
        )


def size_of(scenario: Scenario) -> Size:
    """The size of one replication of `scenario` (uncertain inputs at their medians)."""
    meta = scenario.scenario
    end = meta.warning_days + meta.horizon_days
    steps = math.ceil(meta.horizon_days / meta.salvo_interval_days)
    own = {
        name: math.ceil((end + m.production.lead_time_days) / m.production.lot_interval_days) + 2
        for name, m in scenario.munitions.items()
    }
    lots = sum(own.values()) + supplier_cells(scenario, end, own)
    hulls = 0
    for name, platform in scenario.platforms.items():
        hulls += platform.hulls + sum(r.hulls for r in platform.reinforcements)
        hulls += most_delivered(scenario, name, end) + 1  # + 1: a part-built hull's slot
    yard_lots = sum(p.yard is not None for p in scenario.platforms.values()) + sum(
        len(y.builds) for y in scenario.yards.values()
    )  # each class a yard builds holds a lot a month over the run (model/yards.py)
    lots += yard_lots * (math.ceil(end / YARD_LOT_DAYS) + 2)
    prewar = sum(meta.warning_days for m in scenario.munitions.values() if m.peacetime_use_per_year)
    groups = sum(max(1, len(mission.shares)) for mission in scenario.missions.values())
    groups += sum(1 for m in scenario.munitions.values() if m.firing)  # a munition's own plan
    return Size(steps, lots, len(scenario.munitions), hulls, prewar, groups)


def supplier_cells(scenario: Scenario, end: int, own: dict[str, int]) -> int:
    """The suppliers' ledgers counted as lots: each supplier's own lots, and for each day a lot
    lands (its own and its customers') what every customer was owed and received (a few
    int64 each, about one lot's bytes), walked once by the allocation (model/suppliers.py)."""
    cells = 0
    for name, supplier in scenario.suppliers.items():
        lots = math.ceil((end + supplier.lead_time_days) / supplier.lot_interval_days) + 2
        own[name] = lots
        takers = [m for m, x in scenario.munitions.items() if name in x.production.components]
        takers += [n for n, x in scenario.suppliers.items() if name in x.components]
        events = lots + sum(own.get(t, lots) for t in takers)
        cells += lots + events * (len(takers) + 1)
    return cells


def check_work(size: Size, runs: float, budget: Budget, what: str, *, des: bool = False) -> None:
    """Refuse `runs` replications of `size` when their work is over budget; `what` says where
    the count comes from, for the message."""
    work = runs * size.work * (DES_COST if des else 1.0)
    if work > budget.work:
        raise InputError(
            f"{what}: {runs:,.0f} replications x {size.steps:,} steps x "
            f"{size.munitions + size.hulls:,} munitions and hulls"
            f"{' on the SimPy engine' if des else ''} is about {work:.2g} replication-steps, "
            f"over the budget of {budget.work:.2g} (raise it with --max-work)"
        )


def block_size(size: Size, largest: int, budget: Budget) -> int:
    """Replications per block whose schedules fit in half the memory budget (at most `largest`);
    results do not depend on the block size, so this only trades speed for memory."""
    fits = int(budget.memory_bytes / 2 // max(1, size.schedule_bytes()))
    if fits < 1:
        raise InputError(
            f"one replication needs about {size.schedule_bytes() / 2**30:.2g} GiB of schedules "
            f"({size.steps:,} steps, {size.lots:,} lots), over the memory budget of "
            f"{budget.memory_bytes / 2**30:g} GiB (raise it with --max-memory-gib)"
        )
    return max(1, min(largest, fits))


def fan_size(size: Size, largest: int, budget: Budget) -> int:
    """Stock paths to keep for the fan chart and day-by-day bands: `largest`, or as many as fit
    in a quarter of the memory budget (at least one)."""
    return max(1, min(largest, int(budget.memory_bytes / 4 // max(1, size.path_bytes()))))


def check_memory(size: Size, replications: int, kept_paths: int, budget: Budget) -> None:
    """Refuse a Monte Carlo whose kept outcomes and paths would not fit in half the budget."""
    need = replications * size.munitions * BYTES_PER_OUTCOME + kept_paths * size.path_bytes()
    if need > budget.memory_bytes / 2:
        raise InputError(
            f"{replications:,} replications keeping {kept_paths:,} stock paths of "
            f"{size.steps:,} steps need about {need / 2**30:.2g} GiB, over half the memory "
            f"budget of {budget.memory_bytes / 2**30:g} GiB (fewer replications, no --paths, "
            "or --max-memory-gib)"
        )
