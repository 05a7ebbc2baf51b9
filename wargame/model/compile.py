"""Turn a validated Scenario into plain numbers and schedules, once, for every engine.

Time is in days from the decision day (day 0); the conflict starts at `warning_days`. A salvo at
time t fires the demand of [t, t + salvo interval); a lot delivered at time t carries the line's
output of [t, t + lot interval), so the first lot lands exactly at the lead time.

`compile_batch` compiles a whole Monte Carlo batch at once: uncertain inputs arrive as (R,) draws
and every schedule gains a trailing replication axis. `compile_scenario` is the batch of one
fixed run, so both engines read schedules made by the same code.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from wargame.config.models import Munition
from wargame.config.scenario import Scenario
from wargame.model.draws import FIXED, Draws, per_replication, phase_rate, pick
from wargame.model.fleet import BatchFleet, CompiledFleet, compile_fleet
from wargame.model.line import TIME_SLACK, Line, LineSpec, compile_line, line_rate
from wargame.model.missions import (
    BatchGroup,
    Transfers,
    compile_groups,
    compile_transfers,
    join_steps,
)
from wargame.model.network import limited_lots, supplemental_units, supply_network, whole
from wargame.model.peacetime import drawn_plan, fire_before_war, peacetime_plan
from wargame.model.rates import (
    FloatArray,
    IntArray,
    PiecewiseLinear,
    whole_amounts,
)
from wargame.model.suppliers import Ledger


@dataclass(frozen=True)
class CompiledMunition:
    """One munition as schedules: when shots are demanded and when missiles arrive (sim days)."""

    name: str
    inventory: int
    unit_cost_usd: float
    backlog: bool
    demand_rate: PiecewiseLinear  # shots per day demanded, sim time
    line: Line
    funded_us_per_year: float  # US deliveries per year at the funded rate (for rebuild years)
    peacetime_use_per_year: float  # tests and training, outside the war (for rebuild years)
    peacetime_plan: IntArray  # (warning days,) or (0,): missiles planned for each pre-war day
    salvo_times: FloatArray
    salvo_demand: IntArray
    lot_sizes: IntArray  # whole missiles delivered at line.lot_times, supplemental included
    foreign_times: FloatArray = field(default_factory=lambda: np.zeros(0))  # allies' lots, sorted
    foreign_sizes: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))
    # Of peacetime_plan, operations before the war (firing phases with negative days): (W,) or (0,)
    fire_before_war: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))
    supply_factor: FloatArray | None = None  # (L + 1,) built / planned funded units at lot bounds

    @property
    def lot_times(self) -> FloatArray:
        """When each lot is delivered (sim days)."""
        return self.line.lot_times

    @property
    def starved(self) -> bool:
        """Whether its suppliers let its line make none of the funded output it planned."""
        return self.supply_factor is not None and float(self.supply_factor[-1]) <= 0


@dataclass(frozen=True)
class BatchMunition:
    """A munition's schedules for R replications; arrays end in a replication axis (R or 1)."""

    name: str
    backlog: bool
    inventory: IntArray  # (R,) stock on the decision day
    unit_cost_usd: FloatArray  # (R,)
    funded_us_per_year: FloatArray  # (R,)
    peacetime_use_per_year: FloatArray  # (R,)
    peacetime_plan: IntArray  # (warning days or 0, R): missiles planned for each pre-war day
    demand_rate: PiecewiseLinear
    line: Line
    salvo_demand: IntArray  # (steps, R) shots demanded at each salvo
    lot_times: FloatArray  # (lots, R)
    lot_sizes: IntArray  # (lots, R)
    # Lots of other lines' foreign share delivered into this stock (F, R or 1): see foreign_lots.
    foreign_times: FloatArray = field(default_factory=lambda: np.zeros((0, 1)))
    foreign_sizes: IntArray = field(default_factory=lambda: np.zeros((0, 1), np.int64))
    # Built / planned units at each lot bound (L + 1, R) when suppliers limit the line, else None.
    supply_factor: FloatArray | None = None
    # Of peacetime_plan, operations before the war (firing phases with negative days): (W or 0, R)
    fire_before_war: IntArray = field(default_factory=lambda: np.zeros((0, 1), np.int64))

    def replication(self, r: int, salvo_times: FloatArray) -> CompiledMunition:
        """Replication r as a single run's schedules."""
        line = self.line
        order = np.argsort(pick(self.lot_times, r), kind="stable")  # slips can reorder lots
        foreign = np.argsort(pick(self.foreign_times, r), kind="stable")
        return CompiledMunition(
            name=self.name,
            inventory=int(pick(self.inventory, r)),
            unit_cost_usd=float(pick(self.unit_cost_usd, r)),
            backlog=self.backlog,
            demand_rate=self.demand_rate.replication(r),
            line=Line(
                us_share=pick(per_replication(line.us_share, 0), r),
                output=line.output.replication(r),
                spare=line.spare.replication(r),
                expansion=line.expansion.replication(r),
                lot_times=pick(self.lot_times, r)[order],
                lot_bounds=pick(per_replication(line.lot_bounds, 1), r),
            ),
            funded_us_per_year=float(pick(self.funded_us_per_year, r)),
            peacetime_use_per_year=float(pick(self.peacetime_use_per_year, r)),
            peacetime_plan=pick(self.peacetime_plan, r),
            salvo_times=salvo_times,
            salvo_demand=pick(self.salvo_demand, r),
            lot_sizes=pick(self.lot_sizes, r)[order],
            foreign_times=pick(self.foreign_times, r)[foreign],
            foreign_sizes=pick(self.foreign_sizes, r)[foreign],
            fire_before_war=pick(self.fire_before_war, r),
            supply_factor=None if self.supply_factor is None else pick(self.supply_factor, r),
        )


@dataclass(frozen=True)
class CompiledModel:
    """A scenario as plain numbers: what both engines read."""

    name: str
    warning_days: int
    horizon_days: int
    salvo_interval_days: float
    seed: int
    step_times: FloatArray  # sim time of each conflict step: the salvo grid, shared by all
    munitions: tuple[CompiledMunition, ...]
    fleet: CompiledFleet | None = None  # None: munitions fire straight from their depots
    groups: tuple[BatchGroup, ...] = ()  # demand streams, served in order (model/missions.py)
    joins: IntArray = field(default_factory=lambda: np.zeros((0, 1), np.int64))  # (M, 1)
    transfers: Transfers | None = None
    suppliers: tuple[Ledger, ...] = ()  # each supplier's allocations (model/suppliers.py)

    @property
    def end_day(self) -> int:
        """Sim time at which the run stops (days from the decision day)."""
        return self.warning_days + self.horizon_days


@dataclass(frozen=True)
class BatchModel:
    """R replications of a scenario as schedules: what the vectorised engine reads."""

    name: str
    warning_days: int
    horizon_days: int
    salvo_interval_days: float
    seed: int
    size: int  # replications R
    step_times: FloatArray  # sim time of each conflict step, shared by all replications
    munitions: tuple[BatchMunition, ...]
    fleet: BatchFleet | None = None
    groups: tuple[BatchGroup, ...] = ()
    joins: IntArray = field(default_factory=lambda: np.zeros((0, 1), np.int64))  # (M, R or 1)
    transfers: Transfers | None = None
    suppliers: tuple[Ledger, ...] = ()

    @property
    def end_day(self) -> int:
        """Sim time at which the run stops (days from the decision day)."""
        return self.warning_days + self.horizon_days

    def replication(self, r: int) -> CompiledModel:
        """Replication r as a single run, for the SimPy engine."""
        return CompiledModel(
            name=self.name,
            warning_days=self.warning_days,
            horizon_days=self.horizon_days,
            salvo_interval_days=self.salvo_interval_days,
            seed=self.seed,
            step_times=self.step_times,
            munitions=tuple(m.replication(r, self.step_times) for m in self.munitions),
            fleet=None if self.fleet is None else self.fleet.replication(r),
            groups=tuple(g.replication(r) for g in self.groups),
            joins=pick(self.joins, r)[:, None],
            transfers=None if self.transfers is None else self.transfers.replication(r),
            suppliers=tuple(ledger.replication(r) for ledger in self.suppliers),
        )


def compile_scenario(scenario: Scenario, *, national: bool = False) -> CompiledModel:
    """Compile `scenario`, every input at its value in the file, into schedules (`national`:
    pooled missions with shares as their national counterfactual)."""
    return compile_batch(scenario, FIXED, national=national).replication(0)


def compile_batch(
    scenario: Scenario, draws: Draws, *, national: bool = False, ledgers: bool = True
) -> BatchModel:
    """Compile `scenario` for `draws.size` replications, uncertain inputs taken from `draws`;
    `ledgers`: keep the suppliers' ledgers (days x customers x R: a Monte Carlo leaves them out,
    as neither engine reads them)."""
    meta = scenario.scenario
    end = float(meta.warning_days + meta.horizon_days)
    step_times = _grid(float(meta.warning_days), end, meta.salvo_interval_days)
    compiled = [
        _compile_munition(name, munition, draws, meta.warning_days, step_times, end)
        for name, munition in scenario.munitions.items()
    ]
    compiled, kept = _supplied(scenario, compiled, draws, meta.warning_days, end, ledgers)
    munitions = foreign_lots(scenario, compiled, draws)
    bounds = np.append(step_times, end)
    own = [m.salvo_demand for m in munitions]
    return BatchModel(
        name=meta.name,
        warning_days=meta.warning_days,
        horizon_days=meta.horizon_days,
        salvo_interval_days=meta.salvo_interval_days,
        seed=meta.seed,
        size=draws.size,
        step_times=step_times,
        munitions=munitions,
        fleet=compile_fleet(scenario, draws, step_times),
        groups=compile_groups(scenario, draws, own, bounds, national=national),
        joins=join_steps(scenario, draws, step_times.size),
        transfers=compile_transfers(scenario, draws),
        suppliers=kept,
    )


def _supplied(
    scenario: Scenario,
    munitions: list[BatchMunition],
    draws: Draws,
    warning: int,
    end: float,
    keep: bool,
) -> tuple[list[BatchMunition], tuple[Ledger, ...]]:
    """Munitions with their lots limited by the components their suppliers allocate, and (when
    `keep`) the suppliers' ledgers."""
    if not scenario.suppliers:
        return munitions, ()
    lines = {
        name: (m.line, *_supplemental(f"munitions.{name}", munition, draws))
        for (name, munition), m in zip(scenario.munitions.items(), munitions, strict=True)
    }
    factors, ledgers = supply_network(scenario, lines, draws, warning, end, ledgers=keep)
    extra, made = supplemental_units(scenario, lines, draws, warning, end)
    ledgers = tuple(_with_supplemental(ledger, extra, made, draws.size) for ledger in ledgers)
    out = []
    for (name, munition), m in zip(scenario.munitions.items(), munitions, strict=True):
        if not munition.production.components:
            out.append(m)
            continue
        line, factor = m.line, factors[name]
        funded = line.us_share * per_replication(line.output.cumulative(line.lot_bounds), 1)
        lots = limited_lots(funded, factor, extra[name])
        # Rebuild years count what the suppliers let the line make: the funded rate times the
        # share of it their components allowed over the whole run (the factor at the last bound).
        rate = m.funded_us_per_year * np.asarray(factor)[-1]
        out.append(
            replace(
                m,
                lot_sizes=per_replication(lots, 1),
                supply_factor=factor,
                funded_us_per_year=per_replication(rate, 0),
            )
        )
    return out, ledgers


def _with_supplemental(
    ledger: Ledger, units: dict[str, FloatArray], made: dict[str, FloatArray], size: int
) -> Ledger:
    """The ledger with the components its supplier made for supplemental orders, and those the
    lines built into supplemental missiles by the end (None when nothing was ordered)."""
    used = np.zeros((len(ledger.customers), size), dtype=np.int64)
    for i, (customer, per) in enumerate(zip(ledger.customers, ledger.per_unit, strict=True)):
        if customer in units:
            used[i] = per * whole(np.broadcast_to(units[customer][-1], (size,)))
    total = whole(np.broadcast_to(made[ledger.name], (size,)))
    if not total.any():
        return ledger
    return replace(ledger, supplemental_made=total, supplemental_used=used)


def _supplemental(path: str, munition: Munition, draws: Draws) -> tuple[FloatArray, FloatArray]:
    """The supplemental missiles ordered and the capacity added per year (numbers or draws)."""
    supplemental = munition.supplemental
    return (
        draws.num(f"{path}.supplemental.missiles", supplemental.missiles),
        draws.num(
            f"{path}.supplemental.added_capacity_per_year", supplemental.added_capacity_per_year
        ),
    )


def foreign_lots(
    scenario: Scenario, munitions: list[BatchMunition], draws: Draws = FIXED
) -> tuple[BatchMunition, ...]:
    """Each line's foreign share, delivered into its `foreign_to` munition `foreign_delay_days`
    after the line's lot (whole missiles: the running total is the floor, as for US lots), and
    the missiles allies bought off it (bought_off_lines)."""
    names = list(scenario.munitions)
    extra: dict[int, list[tuple[FloatArray, IntArray]]] = {}
    for source, munition in zip(munitions, scenario.munitions.values(), strict=True):
        to = munition.production.foreign_to
        if to is None:
            continue
        line = source.line
        share = per_replication(1.0 - line.us_share, 0)
        exact = share * line.output.cumulative(line.lot_bounds)
        made = per_replication(limited_lots(exact, source.supply_factor), 1)
        delay = munition.production.foreign_delay_days
        extra.setdefault(names.index(to), []).append((source.lot_times + delay, made))
    for target, lots in bought_off_lines(scenario, munitions, draws).items():
        extra.setdefault(target, []).extend(lots)
    out = list(munitions)
    for target, lots in extra.items():
        width = max(max(t.shape[-1], z.shape[-1]) for t, z in lots)
        times = np.concatenate([np.broadcast_to(t, (t.shape[0], width)) for t, _ in lots])
        sizes = np.concatenate([np.broadcast_to(z, (z.shape[0], width)) for _, z in lots])
        out[target] = replace(out[target], foreign_times=times, foreign_sizes=sizes)
    return tuple(out)


def bought_off_lines(
    scenario: Scenario, munitions: list[BatchMunition], draws: Draws
) -> dict[int, list[tuple[FloatArray, IntArray]]]:
    """Lots of missiles bought off another munition's line (`supplemental.from_line`), by the
    buyer's index: the line makes its owner's supplemental order first, then each buyer's in
    file order, from the same spare capacity; each buyer's missiles reach its stock
    `from_line_delay_days` after the lot (whole missiles: the floor of its running total)."""
    names = list(scenario.munitions)
    ordered: dict[str, FloatArray] = {}  # the orders on each line so far, owner's first
    out: dict[int, list[tuple[FloatArray, IntArray]]] = {}
    for buyer, munition in scenario.munitions.items():
        levers = munition.supplemental
        if levers.from_line is None:
            continue
        seller = munitions[names.index(levers.from_line)]
        path = f"munitions.{levers.from_line}.supplemental"
        owner = scenario.munitions[levers.from_line].supplemental
        added = draws.num(f"{path}.added_capacity_per_year", owner.added_capacity_per_year)
        before = ordered.get(levers.from_line, draws.num(f"{path}.missiles", owner.missiles))
        after = before + draws.num(
            f"munitions.{buyer}.supplemental.from_line_missiles", levers.from_line_missiles
        )
        ordered[levers.from_line] = after
        line = seller.line
        made = line.supplemental_cumulative(line.lot_bounds, after, added)
        made = made - line.supplemental_cumulative(line.lot_bounds, before, added)
        out.setdefault(names.index(buyer), []).append(
            (
                seller.lot_times + levers.from_line_delay_days,
                per_replication(whole_amounts(made), 1),
            )
        )
    return out


def _compile_munition(
    name: str, munition: Munition, draws: Draws, warning: int, step_times: FloatArray, end: float
) -> BatchMunition:
    path = f"munitions.{name}"
    demand = demand_rate(munition, warning, draws, path)
    noisy = munition.salvo_noise == "poisson"
    salvo_demand = draws.counts(f"{path}.salvos", demand, np.append(step_times, end), noisy)
    line = munition_line(munition, warning, end, draws, path)
    slip = draws.per_item(
        f"{path}.production.lot_slip_days",
        line.lot_times.shape[0],
        munition.production.lot_slip_days,
    )
    lot_cumulative = line.us_cumulative(line.lot_bounds, *_supplemental(path, munition, draws))
    funded = draws.num(f"{path}.production.funded_per_year", munition.production.funded_per_year)
    use = draws.num(f"{path}.peacetime_use_per_year", munition.peacetime_use_per_year)
    fire = fire_before_war(demand, warning)
    return BatchMunition(
        name=name,
        backlog=munition.backlog,
        inventory=per_replication(draws.count(f"{path}.inventory", munition.inventory), 0),
        unit_cost_usd=per_replication(
            draws.num(f"{path}.unit_cost_usd", munition.unit_cost_usd), 0
        ),
        funded_us_per_year=per_replication(funded * line.us_share, 0),
        peacetime_use_per_year=per_replication(use, 0),
        peacetime_plan=drawn_plan(peacetime_plan(use, warning), fire),
        fire_before_war=fire,
        demand_rate=demand,
        line=line,
        salvo_demand=per_replication(salvo_demand, 1),
        lot_times=per_replication(line.lot_times, 1) + slip,
        lot_sizes=per_replication(whole_amounts(lot_cumulative), 1),
    )


def demand_rate(
    munition: Munition, warning: int, draws: Draws = FIXED, path: str = ""
) -> PiecewiseLinear:
    """Shots demanded per day in sim time: the firing phases shifted to the conflict start."""
    return phase_rate(munition.firing, warning, draws, f"{path}.firing")


def munition_line(
    munition: Munition, warning: int, end: float, draws: Draws = FIXED, path: str = ""
) -> Line:
    """The munition's line: funded output and surge, spare and expandable capacity, lots."""
    production, levers = munition.production, munition.supplemental

    def num(field: str, nominal: float) -> FloatArray:
        return draws.num(f"{path}.{field}", nominal)

    return compile_line(
        LineSpec(
            output=line_rate(production, warning, draws, f"{path}.production"),
            lead_time_days=num("production.lead_time_days", production.lead_time_days),
            capacity_per_year=num("production.capacity_per_year", production.capacity_per_year),
            lot_interval_days=num("production.lot_interval_days", production.lot_interval_days),
            expansion_delay_days=num(
                "supplemental.expansion_delay_days", levers.expansion_delay_days
            ),
            expansion_ramp_days=num("supplemental.expansion_ramp_days", levers.expansion_ramp_days),
            us_share=1.0 - num("production.foreign_share", production.foreign_share),
        ),
        end,
    )


def _grid(first: float, end: float, interval: float) -> FloatArray:
    """Times first, first + interval, ... strictly before `end`."""
    count = max(0, math.ceil((end - first) / interval - TIME_SLACK))
    return first + interval * np.arange(count, dtype=np.float64)
