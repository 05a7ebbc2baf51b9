"""Pieces of the compiled core's salvo phase: whole shots by model/missions.py's rules, firing
from hulls on station, and the transfers between nations made after each step's lots. kernel.py
serves the demand groups with them (its salvo loop is inline: a call per group, step and
replication costs a sixth of the default scenario's run). The SimPy model's Theater._serve and
Theater._transfers are the reference.
"""

from __future__ import annotations

from wargame.engine.events import ABOARD, FIRE_FROM, ON_STATION, STATION, WHERE, check
from wargame.jit import compiled
from wargame.model.missions import shots_for, units_within
from wargame.model.rates import IntArray

# Rows of the munition tallies (out_munitions) and of the group tallies (out_groups[0]).
DEPLETED, DEMANDED, FIRED, LOST_AFLOAT, LAUNCH_LOST, ASHORE, AFLOAT, TRANSFER_IN, TRANSFER_OUT = (
    range(9)
)
SHORT, GROUP_DEMANDED, SERVED = range(3)

shots = compiled(inline=True)(shots_for)  # the compiled core's copies of the rules
units = compiled(inline=True)(units_within)


@compiled(inline=True)
def fire_from_station(
    m: int,
    wanted: int,
    count: int,
    hull: IntArray,
    loaded: IntArray,
    held: IntArray,
    lists: IntArray,
    book: IntArray,
) -> int:
    """Fire up to `wanted` of munition m from hulls on station, lowest id first, from
    held[FIRE_FROM, m] (no hull below it holds m on station); held's loaded cells on station
    and afloat lose what is fired (engine/hulls.py). A hull that fires is listed for the next
    departures' check (engine/events.py)."""
    shot, h, kept = 0, held[FIRE_FROM, m], -1
    while shot < wanted and h < count:
        if hull[h, WHERE] == STATION and loaded[h, m] > 0:
            take = min(wanted - shot, loaded[h, m])
            loaded[h, m] -= take
            shot += take
            check(h, hull, lists, book)
            if kept < 0 and loaded[h, m] > 0:
                kept = h  # the first hull that still holds some
        h += 1
    if shot > 0:  # every hull below the first that still holds m is now off station or empty
        held[FIRE_FROM, m] = kept if kept >= 0 else h
    held[ON_STATION, m] -= shot
    held[ABOARD, m] -= shot
    return shot


@compiled(inline=True)
def transfer(
    k: int,
    r: int,
    transfers: tuple[IntArray, IntArray, IntArray, IntArray],
    depot: IntArray,
    tally: IntArray,
) -> None:
    """Make the transfers due at step k of replication r, in the order given: what the source
    holds, at most (step, source, target and missiles per transfer)."""
    step, source, target, missiles = transfers
    for t in range(source.size):
        if step[t, r] == k:
            moved = min(missiles[t, r], depot[source[t]])
            depot[source[t]] -= moved
            depot[target[t]] += moved
            tally[TRANSFER_OUT, source[t]] += moved
            tally[TRANSFER_IN, target[t]] += moved
