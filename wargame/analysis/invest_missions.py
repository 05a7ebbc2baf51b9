"""The supplemental for missions: the LP rows of a demand group served by several munitions.

A group (model/missions.py) is served in full through salvo t when what its members hold by then
covers its demand, each member counted in demanded shots (its missiles over its shots per
demand). A member's supplemental delivered by t is min(missiles, spare(t) + added x ramp(t)), a
concave function, so "the sum over members of min(...) / k is at least the need" is exactly the
set of linear rows, one per subset A of the members:

    sum over j in A of missiles_j / k_j + sum over j not in A of (spare_j + added_j x ramp_j) / k_j
        >= need(t)

With one member and k = 1 these are the two rows of invest.py's single-munition LP. Members
whose nation has not joined by t are left out of t's rows. The rows assume each member serves
only this group: a munition that serves two groups (its own plan and a mission, or two missions)
is refused, since the greedy order between groups is not linear. A nation's spending cap is one
more row (invest_bills.py). Whole shots cost at most one
demanded shot per member with a fractional or plural k, added to the need as slack.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from wargame.config.scenario import Scenario
from wargame.errors import InputError
from wargame.model.compile import CompiledModel
from wargame.model.rates import FloatArray

if TYPE_CHECKING:
    from wargame.analysis.invest import Coverage
    from wargame.analysis.invest_routes import RouteColumns

MAX_MEMBERS = 6  # 2**6 rows a salvo: beyond that the LP grows past what is worth it


@dataclass(frozen=True)
class GroupCoverage:
    """A mission's demand group as LP rows over its members' levers."""

    label: str
    members: tuple[int, ...]  # indices into the munitions' Coverage rows
    per: tuple[float, ...]  # shots per demanded shot of each member
    live: tuple[np.ndarray, ...]  # per member: the salvos at which its nation has joined
    need: FloatArray  # (salvos,) demanded shots not covered by the members' own stock and lines


def mission_coverage(
    model: CompiledModel, rows: Sequence[Coverage], origin: str
) -> tuple[GroupCoverage, ...]:
    """The demand groups of the scenario's missions whose munitions serve only them (see
    shared_munitions for the others), or InputError when a group lists more than MAX_MEMBERS."""
    out = []
    for group in model.groups:
        if group.mission is None:
            continue  # a munition's own plan: its rows are invest.py's
        if len(group.members) > MAX_MEMBERS:
            raise InputError(
                f"{origin}: missions.{group.mission}.munitions: invest covers at most "
                f"{MAX_MEMBERS} munitions a mission"
            )
        out.append(
            _group(
                group.label,
                group.members,
                group.shots_per_demand,
                group.demand[:, 0],
                [int(model.joins[i, 0]) for i in group.members],
                rows,
            )
        )
    return tuple(out)


def shared_munitions(model: CompiledModel) -> list[str]:
    """The munitions that serve more than one demand group (own plan or mission)."""
    served: dict[int, int] = {}
    for group in model.groups:
        for i in group.members:
            served[i] = served.get(i, 0) + 1
    return [model.munitions[i].name for i, n in served.items() if n > 1]


def check_shared(scenario: Scenario, path: Path) -> None:
    """Refuse what the shared-munitions program does not cover yet: transfers between stocks
    and missiles bought off other lines."""
    if scenario.transfers:
        raise InputError(
            f"{path}: transfers: invest with a munition serving two missions does not cover "
            "transfers yet"
        )
    for name, munition in scenario.munitions.items():
        if munition.supplemental.from_line is not None:
            raise InputError(
                f"{path}: munitions.{name}.supplemental.from_line: invest with a munition serving "
                "two missions does not cover missiles off another's line yet"
            )


def _group(
    label: str,
    members: tuple[int, ...],
    per: tuple[float, ...],
    demand: np.ndarray,
    joins: list[int],
    rows: Sequence[Coverage],
) -> GroupCoverage:
    steps = np.arange(demand.size)
    live = tuple(steps >= join for join in joins)
    held = np.zeros(demand.size)
    for i, k, joined in zip(members, per, live, strict=True):
        # A member's own rows have no demand: -need is its stock and funded output by each salvo.
        held += np.where(joined, -rows[i].need / k, 0.0)
    slack = sum(1.0 for k in per if k != 1.0)
    need = np.cumsum(demand).astype(np.float64) - held + slack
    return GroupCoverage(label, members, per, live, need)


def window(group: GroupCoverage, salvo_days: FloatArray, target_days: float) -> np.ndarray:
    """The salvos before the target whose need is positive."""
    return (salvo_days < target_days) & (group.need > 0)


def first_blocked(
    group: GroupCoverage,
    rows: Sequence[Coverage],
    target_days: float,
    more: Sequence[FloatArray] = (),
) -> tuple[float, int] | None:
    """The conflict day of the group's first salvo no purchase can cover, and the member to blame
    (its first), if any: every member's line at its ceiling (and `more`, what other lines could
    add to each munition by each salvo) cannot deliver the need in time."""
    days = rows[group.members[0]].salvo_days if group.members else np.zeros(group.need.size)
    reach = np.zeros(group.need.size)
    for i, k, joined in zip(group.members, group.per, group.live, strict=True):
        row = rows[i]
        extra = more[i] if more else 0.0
        reach += np.where(joined, (row.spare + row.ceiling_per_year * row.expansion + extra) / k, 0)
    blocked = window(group, days, target_days) & (reach < group.need)
    if not blocked.any():
        return None
    return float(days[np.argmax(blocked)]), group.members[0] if group.members else -1


def constraints(
    groups: Sequence[GroupCoverage],
    rows: Sequence[Coverage],
    target_days: float,
    layout: RouteColumns,
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """The groups' LP rows as A_ub blocks and b_ub limits over the variables (missiles_i,
    added_i) of every munition, in invest.py's order, and the missiles routes deliver into the
    members (`layout`, invest_routes.py: common to every subset's row)."""
    blocks, limits = [], []
    width = layout.width
    for group in groups:
        days = rows[group.members[0]].salvo_days
        for t in np.nonzero(window(group, days, target_days))[0]:
            members = zip(group.members, group.per, group.live, strict=True)
            live = [(i, k) for i, k, joined in members if joined[t]]
            for size in range(len(live) + 1):
                for chosen in itertools.combinations(range(len(live)), size):
                    block = np.zeros(width)
                    for i, k in live:
                        for column in layout.into(i, int(t)):
                            block[column] = -1.0 / k  # missiles off another's line / k
                    limit = -group.need[t]
                    for n, (i, k) in enumerate(live):
                        if n in chosen:
                            block[2 * i] = -1.0 / k  # missiles / k
                        else:
                            block[2 * i + 1] = -rows[i].expansion[t] / k  # added x ramp / k
                            limit += rows[i].spare[t] / k
                    blocks.append(block[None])
                    limits.append(np.array([limit]))
    return blocks, limits


def check_coalition_levers(
    scenario: Scenario, risk: float | None, path: Path, shared: bool = False
) -> None:
    """Refuse missions and spending caps where invest does not cover them yet: with platforms
    (whose launcher search prices missiles alone); with --risk, missiles off other lines and a
    munition serving two missions (`shared`)."""
    if scenario.platforms:
        if scenario.missions:
            raise InputError(f"{path}: missions: invest does not cover missions with platforms yet")
        for name, nation in scenario.nations.items():
            if nation.spending_cap_usd is not None:
                raise InputError(
                    f"{path}: nations.{name}.spending_cap_usd: invest does not cover caps with "
                    "platforms yet"
                )
    what = "platforms" if scenario.platforms else "--risk" if risk is not None else None
    if what is None:
        return
    for name, munition in scenario.munitions.items():
        if munition.supplemental.from_line is not None:
            raise InputError(
                f"{path}: munitions.{name}.supplemental.from_line: invest does not cover "
                f"missiles off another's line with {what} yet"
            )
    if shared and risk is not None:
        raise InputError(
            f"{path}: missions: invest does not cover a munition serving two missions with "
            "--risk yet"
        )
