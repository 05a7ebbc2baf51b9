"""A scenario as a graph of nations, munitions, lines, missions and transfers, checked once.

Every name an entry uses must exist (a mission's munitions, a share's nation, a transfer's ends,
a line's `foreign_to`), a nation owns each munition and class when nations are given, and the
deliveries between lines form no cycle. Errors are ValueErrors whose text starts with the dotted
field, so the loader's one-line message names it.
"""

from __future__ import annotations

import bisect
import graphlib
import itertools
import math
from typing import TYPE_CHECKING

from wargame.calendar import fiscal_year
from wargame.config.models import DAYS_PER_YEAR

if TYPE_CHECKING:
    from wargame.config.scenario import Scenario


def check_graph(scenario: Scenario) -> None:
    """Raise ValueError naming the first field that breaks the scenario's graph."""
    _check_owners(scenario)
    _check_missions(scenario)
    _check_cost_shares(scenario)
    _check_transfers(scenario)
    _check_foreign_deliveries(scenario)
    _check_yards(scenario)
    _check_cohorts(scenario)
    _check_hull_transfers(scenario)
    _check_purchases_off_lines(scenario)
    _check_suppliers(scenario)
    _check_fire_before_war(scenario)
    _check_economics(scenario)


def _check_owners(scenario: Scenario) -> None:
    nations = scenario.nations
    owned = [("munitions", n, m.nation) for n, m in scenario.munitions.items()] + [
        ("platforms", n, p.nation) for n, p in scenario.platforms.items()
    ]
    for table, name, nation in owned:
        if nation is None and nations:
            raise ValueError(f"{table}.{name}.nation: required when [nations] is given")
        if nation is not None and nation not in nations:
            known = ", ".join(nations) or "none: add a [nations.ID] table"
            raise ValueError(f"{table}.{name}.nation: no nation {nation!r} (known: {known})")


def _check_missions(scenario: Scenario) -> None:
    for name, mission in scenario.missions.items():
        listed = [entry.name for entry in mission.munitions]
        for i, munition in enumerate(listed):
            if munition not in scenario.munitions:
                raise ValueError(f"missions.{name}.munitions.{i}.name: no munition {munition!r}")
            if munition in listed[:i]:
                raise ValueError(f"missions.{name}.munitions.{i}.name: {munition!r} listed twice")
        for field in ("shares", "cost_shares"):
            for nation in getattr(mission, field):
                if nation not in scenario.nations:
                    raise ValueError(f"missions.{name}.{field}.{nation}: no nation {nation!r}")
        if mission.pooling == "national" and not mission.shares:
            raise ValueError(f"missions.{name}.shares: national pooling needs each nation's share")


def _check_cost_shares(scenario: Scenario) -> None:
    """A munition's supplemental has one split of its bill: two missions that list it may not
    split it differently."""
    split: dict[str, tuple[str, dict[str, float]]] = {}
    for name, mission in scenario.missions.items():
        if not mission.cost_shares:
            continue
        for entry in mission.munitions:
            before = split.setdefault(entry.name, (name, mission.cost_shares))
            if before[1] != mission.cost_shares:
                raise ValueError(
                    f"missions.{name}.cost_shares: {entry.name!r} is also paid for by the "
                    f"shares of {before[0]!r}; missions that share a munition share its bill"
                )


def _check_transfers(scenario: Scenario) -> None:
    munitions = scenario.munitions
    for i, transfer in enumerate(scenario.transfers):
        for field, name in (("from", transfer.source), ("to", transfer.to)):
            if name not in munitions:
                raise ValueError(f"transfers.{i}.{field}: no munition {name!r}")
        if transfer.source == transfer.to:
            raise ValueError(f"transfers.{i}.to: a transfer from {transfer.source!r} to itself")
        sender = munitions[transfer.source].nation
        if sender is not None and sender == munitions[transfer.to].nation:
            raise ValueError(
                f"transfers.{i}.to: {transfer.to!r} belongs to {sender!r} too: transfers move "
                "missiles between nations"
            )


def _check_foreign_deliveries(scenario: Scenario) -> None:
    """A line's foreign share may go to another munition; following those links must end."""
    target = {
        name: m.production.foreign_to
        for name, m in scenario.munitions.items()
        if m.production.foreign_to is not None
    }
    for name, to in target.items():
        if to not in scenario.munitions:
            raise ValueError(f"munitions.{name}.production.foreign_to: no munition {to!r}")
        if to == name:
            raise ValueError(f"munitions.{name}.production.foreign_to: its own stock")
    for start in target:
        seen, node = [start], target[start]
        while node in target:
            if node in seen:
                cycle = " -> ".join([*seen[seen.index(node) :], node])
                raise ValueError(
                    f"munitions.{start}.production.foreign_to: deliveries go round in a cycle "
                    f"({cycle})"
                )
            seen.append(node)
            node = target[node]


def _check_yards(scenario: Scenario) -> None:
    """A shared yard builds classes that exist and have no yard of their own."""
    for name, yard in scenario.yards.items():
        for i, build in enumerate(yard.builds):
            where = f"yards.{name}.builds.{i}.platform"
            platform = scenario.platforms.get(build.platform)
            if platform is None:
                known = ", ".join(scenario.platforms) or "none"
                raise ValueError(f"{where}: no platform class {build.platform!r} (known: {known})")
            if platform.yard is not None:
                raise ValueError(
                    f"{where}: {build.platform!r} has its own [platforms.{build.platform}.yard]; "
                    "list it in one or the other"
                )


def senders_first(scenario: Scenario) -> list[str]:
    """The platform classes in an order where each comes after every class transferring hulls
    to it; a cycle of transfers between classes is refused, naming the transfer closing it."""
    order = graphlib.TopologicalSorter({name: set() for name in scenario.platforms})
    for name, platform in scenario.platforms.items():
        for transfer in platform.transfers:
            if transfer.to in scenario.platforms:
                order.add(transfer.to, name)
    try:
        return list(order.static_order())
    except graphlib.CycleError as error:
        cycle = error.args[1]
        sender, receiver = cycle[0], cycle[1]  # each class in it sends to the next
        i = next(i for i, t in enumerate(scenario.platforms[sender].transfers) if t.to == receiver)
        raise ValueError(
            f"platforms.{sender}.transfers.{i}.to: hulls would come back through "
            f"{' -> '.join(cycle)}; transfers between classes may not form a cycle"
        ) from None


def _receipts(scenario: Scenario) -> dict[str, tuple[list[float], list[int]]]:
    """For each class, the days of the transfers other classes make to it and the running total
    of their hulls (an upper bound on what it has received by each day)."""
    incoming: dict[str, list[tuple[float, int]]] = {}
    for other in scenario.platforms.values():
        for t in other.transfers:
            incoming.setdefault(t.to, []).append((t.day, t.hulls))
    out = {}
    for name, pairs in incoming.items():
        pairs.sort()
        out[name] = ([day for day, _ in pairs], list(itertools.accumulate(h for _, h in pairs)))
    return out


def _received_by(receipts: tuple[list[float], list[int]] | None, day: float) -> int:
    """Hulls received on or before `day`, from `_receipts`."""
    if receipts is None:
        return 0
    days, totals = receipts
    count = bisect.bisect_right(days, day)
    return totals[count - 1] if count else 0


def _check_hull_transfers(scenario: Scenario) -> None:
    """A transfer's receiver is known when nations are given, and no class gives away more hulls
    than it has at the decision day plus the most its yards could deliver by the transfer and
    the hulls transferred to it by then."""
    receivers = set(scenario.nations) | set(scenario.platforms)
    receipts = _receipts(scenario)
    for name, platform in scenario.platforms.items():
        given = 0
        for i, transfer in sorted(enumerate(platform.transfers), key=lambda it: it[1].day):
            where = f"platforms.{name}.transfers.{i}"
            if transfer.to == name:
                raise ValueError(f"{where}.to: a transfer from {name!r} to itself")
            if scenario.nations and transfer.to not in receivers:
                raise ValueError(f"{where}.to: no nation or platform class {transfer.to!r}")
            given += transfer.hulls
            delivered = most_delivered(scenario, name, transfer.day)
            came = _received_by(receipts.get(name), transfer.day)
            most = platform.hulls + delivered + came
            if given > most:
                received = f", {came} received" if came else ""
                raise ValueError(
                    f"{where}.hulls: {given} hulls transferred by day {transfer.day:g}, more than "
                    f"the class can have ({platform.hulls} at the decision day, at most "
                    f"{delivered} delivered{received} by then)"
                )
    senders_first(scenario)


def _check_cohorts(scenario: Scenario) -> None:
    """With a calendar, hulls in service on the decision day were commissioned by its fiscal
    year: a later cohort is a delivery to come, which a yard (or reinforcements) must carry."""
    start = scenario.scenario.start_date
    if start is None:
        return
    now = fiscal_year(start)
    for name, platform in scenario.platforms.items():
        for i, cohort in enumerate(platform.cohorts):
            if cohort.year > now:
                raise ValueError(
                    f"platforms.{name}.cohorts.{i}.year: {cohort.year} is after the decision "
                    f"day's fiscal year (FY{now}): hulls in service then were commissioned by it"
                )


def most_delivered(scenario: Scenario, name: str, day: float) -> int:
    """An upper bound on the hulls of class `name` its yards deliver by `day`: no yard delivers
    more than it is funded for nor more than its full capacity (with its added capacity) from
    day 0 allows, plus every extra hull ordered."""
    years = day / DAYS_PER_YEAR
    platform = scenario.platforms[name]
    most = 0.0
    if platform.yard is not None:
        yard = platform.yard
        per_year = yard.capacity_per_year + yard.supplemental.added_capacity_per_year
        most += min(per_year, yard.funded_per_year) * years + yard.supplemental.hulls
    for shared in scenario.yards.values():
        for build in shared.builds:
            if build.platform == name:
                per_year = shared.capacity_per_year + shared.supplemental.added_capacity_per_year
                built = min(per_year / build.work_per_hull, build.funded_per_year)
                most += built * years + build.extra_hulls
    return math.floor(most + 1e-9)


def _check_purchases_off_lines(scenario: Scenario) -> None:
    """Missiles bought off another munition's line need that line, and not their own."""
    for name, munition in scenario.munitions.items():
        levers = munition.supplemental
        if levers.from_line is None:
            if levers.from_line_missiles:
                raise ValueError(
                    f"munitions.{name}.supplemental.from_line_missiles: needs from_line, the "
                    "munition whose line makes them"
                )
            continue
        if levers.from_line not in scenario.munitions:
            raise ValueError(
                f"munitions.{name}.supplemental.from_line: no munition {levers.from_line!r}"
            )
        if levers.from_line == name:
            raise ValueError(f"munitions.{name}.supplemental.from_line: its own line")


def _check_suppliers(scenario: Scenario) -> None:
    """Components come from named suppliers, priorities name their customers, tiers end."""
    suppliers = scenario.suppliers
    users: list[tuple[str, dict[str, int]]] = [
        (f"munitions.{n}.production", m.production.components)
        for n, m in scenario.munitions.items()
    ] + [(f"suppliers.{n}", s.components) for n, s in suppliers.items()]
    for where, components in users:
        for maker in components:
            if maker not in suppliers:
                known = ", ".join(suppliers) or "none: add a [suppliers.ID] table"
                raise ValueError(
                    f"{where}.components.{maker}: no supplier {maker!r} (known: {known})"
                )
    for name, supplier in suppliers.items():
        if name in scenario.munitions:
            raise ValueError(f"suppliers.{name}: a munition has this name too; rename one")
        nation = supplier.nation
        if nation is not None and nation not in scenario.nations:
            known = ", ".join(scenario.nations) or "none: add a [nations.ID] table"
            raise ValueError(f"suppliers.{name}.nation: no nation {nation!r} (known: {known})")
        customers = {n for n, m in scenario.munitions.items() if name in m.production.components}
        customers |= {n for n, s in suppliers.items() if name in s.components}
        for i, line in enumerate(supplier.priority):
            if line not in customers:
                raise ValueError(
                    f"suppliers.{name}.priority.{i}: {line!r} takes no components from {name!r}"
                )
            if line in supplier.priority[:i]:
                raise ValueError(f"suppliers.{name}.priority.{i}: {line!r} listed twice")
    for start in suppliers:
        _check_no_supplier_cycle(scenario, start, [start])


def _check_no_supplier_cycle(scenario: Scenario, node: str, path: list[str]) -> None:
    """Depth-first along `components`: a supplier reached again is a cycle."""
    for upstream in scenario.suppliers[node].components:
        if upstream in path:
            cycle = " -> ".join([*path[path.index(upstream) :], upstream])
            raise ValueError(
                f"suppliers.{path[0]}.components.{path[1] if len(path) > 1 else upstream}: "
                f"suppliers go round in a cycle ({cycle})"
            )
        _check_no_supplier_cycle(scenario, upstream, [*path, upstream])


def _check_fire_before_war(scenario: Scenario) -> None:
    """A munition's own fire may start before the conflict, not before the decision day;
    missions fire in the conflict only."""
    warning = scenario.scenario.warning_days
    for name, munition in scenario.munitions.items():
        for i, phase in enumerate(munition.firing):
            if phase.start_day < -warning:
                raise ValueError(
                    f"munitions.{name}.firing.{i}.start_day: day {phase.start_day:g} is before "
                    f"the decision day (day -{warning} with warning_days = {warning})"
                )
    for name, mission in scenario.missions.items():
        for i, phase in enumerate(mission.firing):
            if phase.start_day < 0 or phase.end < 0:
                raise ValueError(
                    f"missions.{name}.firing.{i}.start_day: missions fire in the conflict only "
                    "(give the munition its own phase for fire before the war)"
                )


def _check_economics(scenario: Scenario) -> None:
    """Then-year dollars are by fiscal year, so they need a date; growth names real items."""
    economics = scenario.economics
    if economics is None:
        return
    if scenario.scenario.start_date is None:
        raise ValueError("economics: needs [scenario] start_date (outlays are by fiscal year)")
    for item in economics.cost_growth_per_year:
        if item not in scenario.munitions and item not in scenario.suppliers:
            raise ValueError(
                f"economics.cost_growth_per_year.{item}: no munition or supplier {item!r}"
            )
