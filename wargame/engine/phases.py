"""The order of things within one instant of the SimPy model, and events that keep it.

At a conflict step's instant: lots are delivered, transfers between nations are made, then hulls
are lost, hulls arrive (on station or at a port), hulls decide to leave station, ports finish and
start reloads, and salvos are fired (demand groups in order: model/missions.py).
Before the conflict, peacetime use draws on each whole day in the salvo phase, after that day's
lots.
The force over the years (model/force.py) is compiled before either engine runs, on the same clock:
on one day, yard deliveries come first, then retirements, then hull transfers (which take what
deliveries and retirements left). What stands at the conflict start (events on the warning day
included) is the fleet that loads out (LOAD_OUT); during the conflict, yard deliveries arrive in
the ARRIVE phase as reinforcements, and retirements and transfers due then are deferred.
Before all of these, and before either engine starts, suppliers hand out components
(model/suppliers.py): nothing in the war changes what a supplier makes or who it serves, so
the allocation is solved once at compile time, day by day (a supplier's lots landed by the end
of a day serve the lots its customers land that day), and both engines deliver the lots it
leaves. A lot is still delivered in the DELIVER phase at its own time.
SimPy orders events at equal times by priority; SimPy's own follow-on events (priority 0 and 1)
run straight after the event that caused them.
"""

from __future__ import annotations

import math

import simpy
from simpy.events import URGENT, Event, EventPriority

DELIVER = URGENT  # lots, before anything at the same instant
TRANSFER = EventPriority(2)  # transfers between nations, after the lots (above SimPy's NORMAL)
LOAD_OUT = EventPriority(3)  # the fleet loads its cells at the conflict start
LOSS = EventPriority(4)
ARRIVE = EventPriority(5)
DEPART = EventPriority(6)
PORT = EventPriority(7)
SALVO = EventPriority(8)


class At(Event):
    """An event processed at exactly sim time `time` (days) with `priority`.

    The delay is nudged by ulps so that now + delay equals `time` to the bit: events meant for the
    same instant must compare equal for the phase order to hold.
    """

    def __init__(self, env: simpy.Environment, time: float, priority: EventPriority) -> None:
        super().__init__(env)
        self._ok = True
        self._value = None
        now = env.now
        if time < now:
            raise ValueError(f"cannot schedule at {time} before now ({now})")
        delay = time - now
        while now + delay < time:
            delay = math.nextafter(delay, math.inf)
        while now + delay > time:
            delay = math.nextafter(delay, -math.inf)
        env.schedule(self, priority, delay)
