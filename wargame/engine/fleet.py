"""Hulls in the SimPy model: on station they fire, empty they sail, queue, reload and come back.

Each hull is a process. Controllers act once per conflict step, in phase order (engine/phases.py):
losses pick their victims (on station first, then anywhere, lowest id first), the station sends
away hulls with any munition down to the class threshold of its cells, and each open port, in
port order, finishes due reloads and gives free berths to waiting hulls first come first served
(ties by hull id). A hull loads what its cells lack from the depot, whatever the depot holds
(possibly nothing). Salvos fire from hulls on station in id order. Times are whole steps.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Generator
from dataclasses import dataclass, field

import numpy as np
import simpy
from simpy.events import Event

from wargame.engine.phases import ARRIVE, DEPART, LOAD_OUT, LOSS, PORT, SALVO, At
from wargame.model.fleet import CompiledFleet, steps
from wargame.model.rates import FloatArray, IntArray

Process = Generator[Event, object, None]


@dataclass(eq=False)
class Hull:
    """One hull: its cells and what they hold, and the events that move it."""

    id: int
    cls: int
    cells: tuple[int, ...]
    loaded: list[int]
    leave: Event
    reloaded: Event
    lost: bool = False
    port: int = 0  # the port it is bound for, or reloading at
    sailing_to_port: bool = False
    depart_step: int = 0
    done_step: int = 0


@dataclass
class PortState:
    """Who waits for a berth (a heap of (arrival step, hull id, hull)) and who is reloading."""

    queue: list[tuple[int, int, Hull]] = field(default_factory=list)
    berths: list[Hull] = field(default_factory=list)
    inbound: int = 0  # hulls sailing to it


@dataclass
class FleetLog:
    """Per-step records of the fleet (indexed [class or port or munition, step])."""

    alive: IntArray
    on_station: IntArray
    capacity: IntArray  # loaded cells on station per munition at each salvo, before it fires
    waiting: IntArray  # hulls queued for a berth per port, after the port acts
    reloading: IntArray  # berths busy per port, after the port acts
    hulls_lost: IntArray  # per class, whole run


class Fleet:
    """The theater's hulls and ports in a SimPy environment; depots are shared with the model."""

    def __init__(
        self,
        env: simpy.Environment,
        fleet: CompiledFleet,
        step_times: FloatArray,
        depot_levels: list[int],
        on_lost: list[IntArray],
    ) -> None:
        self.env, self.spec, self.step_times = env, fleet, step_times
        self.levels = depot_levels  # shared, mutable: the depot stock of each munition
        self.lost_missiles = on_lost  # per munition, per sim day
        self.hulls: list[Hull] = []
        self.station: list[Hull] = []
        self.ports = [PortState() for _ in fleet.ports]
        n, m = fleet.steps, len(fleet.launched)
        c, p = len(fleet.classes), len(fleet.ports)
        zeros = np.zeros
        self.log = FleetLog(
            zeros((c, n), np.int64),
            zeros((c, n), np.int64),
            zeros((m, n), np.int64),
            zeros((p, n), np.int64),
            zeros((p, n), np.int64),
            zeros(c, np.int64),
        )
        env.process(self._load_out())
        env.process(self._steps())

    # -- hulls ---------------------------------------------------------------------------------
    def _new_hull(self, cls: int) -> Hull:
        spec = self.spec.classes[cls]
        hull = Hull(
            len(self.hulls),
            cls,
            spec.cells,
            [0] * len(spec.cells),
            self.env.event(),
            self.env.event(),
        )
        self.hulls.append(hull)
        return hull

    def _load(self, hull: Hull) -> int:
        """Fill the hull's empty cells from the depots; return missiles loaded."""
        total = 0
        for m, cells in enumerate(hull.cells):
            n = min(cells - hull.loaded[m], self.levels[m])
            hull.loaded[m] += n
            self.levels[m] -= n
            total += n
        return total

    def _life(self, hull: Hull, on_station: bool) -> Process:
        """A hull's cycle: station, sail to port, reload, sail back; ends lost or out of time."""
        if not on_station:
            yield hull.reloaded
        while not hull.lost:
            if on_station:
                yield hull.leave
                if not (yield from self._sail(hull, hull.depart_step, self._arrive_at_port)):
                    return
                yield hull.reloaded
            on_station = True
            hull.leave, hull.reloaded = self.env.event(), self.env.event()
            if not (yield from self._sail(hull, hull.done_step, self._join_station)):
                return

    def _sail(
        self, hull: Hull, from_step: int, arrive: Callable[[Hull, int], None]
    ) -> Generator[Event, object, bool]:
        """Sail between station and the hull's port from `from_step`; False if lost or too late."""
        step = from_step + self.spec.ports[hull.port].transit_steps
        if step >= self.spec.steps:
            return False
        yield At(self.env, float(self.step_times[step]), ARRIVE)
        if hull.lost:
            return False
        arrive(hull, step)
        return True

    def _port_for(self, hull: Hull, step: int, *, at_port: bool = False) -> int:
        """Of the class's ports open when a hull leaving at `step` (or, `at_port`, arriving
        then) gets there, the one that should have it back on station soonest (ties: the
        class's order of preference).

        The estimate is both transits, its reload, and a wait of one reload per full round of
        berths among the hulls already there or sailing there. With none open, the last port,
        where the hull waits until it opens.
        """
        ports = self.spec.classes[hull.cls].reload_ports
        open_ = [p for p in ports if self._open_on_arrival(p, step, at_port=at_port)]
        if not open_:
            return ports[-1]
        return min(open_, key=lambda p: (self._turnaround(hull, p), open_.index(p)))

    def _open_on_arrival(self, p: int, step: int, *, at_port: bool) -> bool:
        port = self.spec.ports[p]
        return step + (0 if at_port else port.transit_steps) >= port.available_from_step

    def _turnaround(self, hull: Hull, p: int) -> int:
        """Estimated steps from leaving station to returning, through port `p`."""
        spec, state = self.spec.ports[p], self.ports[p]
        empty = sum(hull.cells) - sum(hull.loaded)
        reload = int(steps(empty * spec.reload_days_per_cell, self.spec.step_days))
        ahead = state.inbound + len(state.queue) + len(state.berths) + 1 - spec.berths
        wait = -(-max(0, ahead) // spec.berths) * reload
        return 2 * spec.transit_steps + wait + reload

    def _arrive_at_port(self, hull: Hull, step: int) -> None:
        hull.sailing_to_port = False
        self.ports[hull.port].inbound -= 1
        self._join_port(hull, step)

    def _join_port(self, hull: Hull, step: int) -> None:
        heapq.heappush(self.ports[hull.port].queue, (step, hull.id, hull))

    def _join_station(self, hull: Hull, step: int) -> None:
        self.station.append(hull)

    # -- controllers -----------------------------------------------------------------------------
    def _load_out(self) -> Process:
        """At the conflict start the initial hulls load, in id order, and take station."""
        yield At(self.env, float(self.step_times[0]), LOAD_OUT)
        for cls, spec in enumerate(self.spec.classes):
            for _ in range(spec.initial_hulls):
                hull = self._new_hull(cls)
                self._load(hull)
                self.station.append(hull)
                self.env.process(self._life(hull, on_station=True))

    def _steps(self) -> Process:
        """Losses, arrivals, departures and ports, once per step, each at its phase."""
        for k, time in enumerate(self.step_times.tolist()):
            yield At(self.env, time, LOSS)
            self._lose(k)
            yield At(self.env, time, ARRIVE)
            self._reinforce(k)
            yield At(self.env, time, DEPART)
            self._depart(k)
            yield At(self.env, time, PORT)
            for p in range(len(self.ports)):
                self._work_port(p, k)
            yield At(self.env, time, SALVO)  # after every arrival of the step, as salvos see it
            self._record(k)

    def _lose(self, k: int) -> None:
        for cls, spec in enumerate(self.spec.classes):
            count = int(spec.losses[k])
            if count == 0:  # most steps: skip sorting the fleet
                continue
            on_station = set(self.station)
            alive = [h for h in self.hulls if h.cls == cls and not h.lost]
            alive.sort(key=lambda h: (h not in on_station, h.id))
            for hull in alive[:count]:
                self._sink(hull, k)

    def _sink(self, hull: Hull, k: int) -> None:
        hull.lost = True
        self.log.hulls_lost[hull.cls] += 1
        day = int(self.step_times[k])
        for m, n in enumerate(hull.loaded):
            self.lost_missiles[m][day] += n
        hull.loaded = [0] * len(hull.loaded)
        if hull in self.station:
            self.station.remove(hull)
        if hull.sailing_to_port:
            self.ports[hull.port].inbound -= 1
        for port in self.ports:
            if hull in port.berths:
                port.berths.remove(hull)
            port.queue = [entry for entry in port.queue if entry[2] is not hull]
            heapq.heapify(port.queue)

    def _reinforce(self, k: int) -> None:
        for cls, spec in enumerate(self.spec.classes):
            for _ in range(int(spec.arrivals[k])):
                hull = self._new_hull(cls)
                hull.port = self._port_for(hull, k, at_port=True)
                self._join_port(hull, k)
                self.env.process(self._life(hull, on_station=False))

    def _depart(self, k: int) -> None:
        for hull in sorted(self.station, key=lambda h: h.id):
            if self._runs_low(hull):
                self.station.remove(hull)
                hull.depart_step, hull.port = k, self._port_for(hull, k)
                hull.sailing_to_port = True
                self.ports[hull.port].inbound += 1
                hull.leave.succeed()

    def _runs_low(self, hull: Hull) -> bool:
        """Whether any munition the hull carries is down to the class threshold of its cells."""
        share = self.spec.classes[hull.cls].threshold
        return any(
            cells > 0 and loaded <= share * cells
            for cells, loaded in zip(hull.cells, hull.loaded, strict=True)
        )

    def _work_port(self, p: int, k: int) -> None:
        port, spec = self.ports[p], self.spec.ports[p]
        for hull in sorted((h for h in port.berths if h.done_step == k), key=lambda h: h.id):
            port.berths.remove(hull)
            hull.reloaded.succeed()
        while port.queue and len(port.berths) < spec.berths and k >= spec.available_from_step:
            _, _, hull = heapq.heappop(port.queue)
            loaded = self._load(hull)
            hull.done_step = k + int(steps(loaded * spec.reload_days_per_cell, self.spec.step_days))
            if hull.done_step == k:
                hull.reloaded.succeed()
            else:
                port.berths.append(hull)

    def _record(self, k: int) -> None:
        log = self.log
        for hull in self.hulls:
            log.alive[hull.cls, k] += not hull.lost
        for hull in self.station:
            log.on_station[hull.cls, k] += 1
        for p, port in enumerate(self.ports):
            log.waiting[p, k] = len(port.queue)
            log.reloading[p, k] = len(port.berths)

    # -- firing ----------------------------------------------------------------------------------
    def on_station(self, munition: int, k: int) -> int:
        """Loaded cells of `munition` on station now; the step's log keeps the most seen (before
        its first salvo: missions may fire the same munition several times a step)."""
        loaded = sum(h.loaded[munition] for h in self.station)
        self.log.capacity[munition, k] = max(self.log.capacity[munition, k], loaded)
        return loaded

    def fire(self, munition: int, wanted: int, k: int) -> int:
        """Fire up to `wanted` of `munition` from hulls on station, lowest id first."""
        hulls = sorted(self.station, key=lambda h: h.id)
        self.on_station(munition, k)
        shot = 0
        for hull in hulls:
            if shot == wanted:
                break
            n = min(wanted - shot, hull.loaded[munition])
            hull.loaded[munition] -= n
            shot += n
        return shot

    def afloat(self, munition: int) -> int:
        """Missiles of `munition` in the cells of surviving hulls."""
        return sum(h.loaded[munition] for h in self.hulls if not h.lost)
