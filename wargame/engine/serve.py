"""The compiled core's salvo phase: demand groups served from their munitions in order, and the
transfers between nations made after each step's lots. The SimPy model's Theater._serve and
Theater._transfers are the reference; the rules are model/missions.py's.
"""

from __future__ import annotations

from wargame.engine.results import LIMIT_INVENTORY, LIMIT_LAUNCHERS, LIMIT_NONE
from wargame.jit import compiled
from wargame.model.missions import shots_for, units_within
from wargame.model.rates import BoolArray, FloatArray, IntArray

# Rows of the munition tallies (out_munitions) and of the group tallies (out_groups[0]).
DEPLETED, DEMANDED, FIRED, LOST_AFLOAT, LAUNCH_LOST, ASHORE, AFLOAT, TRANSFER_IN, TRANSFER_OUT = (
    range(9)
)
SHORT, GROUP_DEMANDED, SERVED = range(3)
STATION = 1  # a hull's WHERE on station (kernel.py)
WHERE = 0

_shots = compiled()(shots_for)
_units = compiled()(units_within)


@compiled()
def on_station(m: int, count: int, hull: IntArray, loaded: IntArray) -> int:
    """Loaded cells of munition m on hulls on station."""
    total = 0
    for h in range(count):
        if hull[h, WHERE] == STATION:
            total += loaded[h, m]
    return total


@compiled()
def fire_from_station(m: int, wanted: int, count: int, hull: IntArray, loaded: IntArray) -> int:
    """Fire up to `wanted` of munition m from hulls on station, lowest id first."""
    shot = 0
    for h in range(count):
        if shot == wanted:
            break
        if hull[h, WHERE] == STATION:
            take = min(wanted - shot, loaded[h, m])
            loaded[h, m] -= take
            shot += take
    return shot


@compiled()
def transfer(
    k: int,
    r: int,
    transfers: tuple[IntArray, IntArray, IntArray, IntArray],
    depot: IntArray,
    tally: IntArray,
) -> None:
    """Make the transfers due at step k, in the order given: what the source holds, at most."""
    step, source, target, missiles = transfers
    for t in range(source.size):
        if step[t, r] == k:
            moved = min(missiles[t, r], depot[source[t]])
            depot[source[t]] -= moved
            depot[target[t]] += moved
            tally[TRANSFER_OUT, source[t]] += moved
            tally[TRANSFER_IN, target[t]] += moved


@compiled()
def serve(
    k: int,
    r: int,
    g: int,
    new: int,
    groups: tuple[IntArray, FloatArray, BoolArray, IntArray],
    launched: BoolArray,
    state: tuple[IntArray, IntArray, IntArray, IntArray, int, IntArray, IntArray],
    out_groups: tuple[IntArray, IntArray],
    fired_steps: IntArray,
) -> None:
    """Serve group g's salvo at step k of replication r (Theater._serve in the SimPy model)."""
    members, per_shot, backlog, joins = groups
    depot, tally, unmet, day_limit, count, hull, loaded = state
    summary, shots = out_groups
    carried = unmet[g]
    remaining = new + carried
    for j in range(members.shape[1]):
        m = members[g, j]
        if m < 0 or remaining == 0:
            break
        if k < joins[m, r]:
            continue  # its nation has not joined
        per = per_shot[g, j]
        asked = _shots(remaining, per)
        can = on_station(m, count, hull, loaded) if launched[m] else depot[m]
        units = remaining if asked <= can else _units(can, per)
        wanted = _shots(units, per)
        if launched[m]:
            shot = fire_from_station(m, wanted, count, hull, loaded)
        else:
            shot = wanted
            depot[m] -= shot
        tally[DEMANDED, m] += _shots(remaining - carried, per)
        tally[FIRED, m] += shot
        limit = LIMIT_NONE
        if units < remaining and depot[m] == 0:  # for want of missiles: depletion
            limit = LIMIT_INVENTORY
            if tally[DEPLETED, m] < 0:
                tally[DEPLETED, m] = k
        elif units < remaining:  # for want of launchers: the new demand left unfired
            limit = LIMIT_LAUNCHERS
            tally[LAUNCH_LOST, m] += max(0, asked - shot - _shots(carried, per))
        day_limit[m] = max(day_limit[m], limit)
        shots[g, j, r] += shot
        if fired_steps.size > 0:
            fired_steps[k, m, r] += shot
        carried -= min(carried, units)
        remaining -= units
    summary[GROUP_DEMANDED, g, r] += new
    summary[SERVED, g, r] += new + unmet[g] - remaining
    if remaining > 0 and summary[SHORT, g, r] < 0:
        summary[SHORT, g, r] = k
    unmet[g] = remaining if backlog[g] else 0
