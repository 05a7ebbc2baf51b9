"""Hulls for R replications at once: the SimPy fleet's step rules (engine/fleet.py) in numpy.

Hull slots are numbered as the SimPy model numbers hulls (in order of creation), so "lowest id
first" is "lowest slot first". State arrays are (slots, R): a slot's row is contiguous, which suits
the few rules that must go hull by hull (a port choice changes the next hull's estimate). Where a
rule only needs id order (loading, firing, losses) it is a cumulative sum down the slots.
"""

from __future__ import annotations

import numpy as np

from wargame.model.fleet import NEVER, BatchFleet, steps
from wargame.model.rates import BoolArray, IntArray

# Where a hull is (State.where).
UNUSED, STATION, TO_PORT, QUEUED, BERTH, TO_STATION, LOST = range(7)
LATE = np.iinfo(np.int64).max // 4  # a step no run reaches


class VectorFleet:
    """The fleet's state in every replication, and the per-step controllers that move it."""

    def __init__(self, spec: BatchFleet, size: int, depots: IntArray) -> None:
        self.spec, self.size = spec, size
        self.depots = depots  # (M, R), shared with the munitions: stock ashore
        r = size
        full = np.broadcast_to
        self.transit = np.ascontiguousarray(full(spec.transit_steps, (len(spec.port_names), r)))
        self.berths = np.ascontiguousarray(full(spec.berths, self.transit.shape))
        self.reload_rate = np.ascontiguousarray(full(spec.reload_days_per_cell, self.transit.shape))
        self.opens = np.ascontiguousarray(full(spec.available_from_step, self.transit.shape))
        initial = full(spec.initial_hulls, (len(spec.class_names), r))
        arrivals = full(spec.arrivals, (len(spec.class_names), spec.steps, r))
        slots = int(np.max(initial.sum(axis=0) + arrivals.sum(axis=(0, 1)), initial=0))
        shape = (slots, r)
        self.where = np.full(shape, UNUSED, dtype=np.int64)
        self.cls = np.full(shape, -1, dtype=np.int64)
        self.port = np.zeros(shape, dtype=np.int64)
        self.when = np.full(shape, LATE, dtype=np.int64)  # arrival, reload end or queue step
        n_munitions = spec.cells.shape[1]
        self.cells = np.zeros((n_munitions, *shape), dtype=np.int64)
        self.loaded = np.zeros_like(self.cells)
        self.threshold = np.zeros(shape)
        self.next_slot = np.zeros(r, dtype=np.int64)
        self.initial, self.arrivals = initial, arrivals
        self.hulls_lost = np.zeros((len(spec.class_names), r), dtype=np.int64)
        self.lost_missiles = np.zeros((n_munitions, r), dtype=np.int64)  # in the current step
        self.choice = [self._fixed_choice(c) for c in range(len(spec.class_names))]

    # -- creation and loading ------------------------------------------------------------------
    def _create(self, c: int, count: IntArray) -> BoolArray:
        """New slots for `count` (R,) hulls of class c, numbered after the existing ones."""
        ids = np.arange(self.where.shape[0])[:, None]
        new = (ids >= self.next_slot) & (ids < self.next_slot + count)
        self.next_slot = self.next_slot + count
        self.cls[new] = c
        cells = np.broadcast_to(self.spec.cells[c][:, None, :], self.cells.shape)
        self.cells[:, new] = cells[:, new]
        threshold = np.broadcast_to(self.spec.threshold[c], self.threshold.shape)
        self.threshold[new] = threshold[new]
        return new

    def _load(self, hulls: BoolArray) -> IntArray:
        """Fill the empty cells of `hulls` (slots, R) from the depots in slot order; (slots, R)
        missiles loaded."""
        total = np.zeros(hulls.shape, dtype=np.int64)
        for m in range(self.cells.shape[0]):
            need = np.where(hulls, self.cells[m] - self.loaded[m], 0)
            before = np.cumsum(need, axis=0) - need
            take = np.clip(self.depots[m] - before, 0, need)
            self.loaded[m] += take
            self.depots[m] -= take.sum(axis=0)
            total += take
        return total

    def load_out(self) -> None:
        """At the conflict start the initial hulls take station loaded, in id order."""
        for c in range(len(self.spec.class_names)):
            self.where[self._create(c, self.initial[c])] = STATION
        self._load(self.where == STATION)

    # -- losses and arrivals ------------------------------------------------------------------
    def lose(self, k: int) -> None:
        """Each class loses its step's hulls: on station first, then anywhere, lowest id first."""
        self.lost_missiles[:] = 0
        alive = (self.where != UNUSED) & (self.where != LOST)
        for c in range(len(self.spec.class_names)):
            count = np.broadcast_to(self.spec.losses[c, k], (self.size,))
            if not count.any():
                continue
            mine = alive & (self.cls == c)
            on_station = mine & (self.where == STATION)
            first = on_station & (np.cumsum(on_station, axis=0) <= count)
            rest = np.maximum(count - on_station.sum(axis=0), 0)
            elsewhere = mine & ~on_station
            victims = first | (elsewhere & (np.cumsum(elsewhere, axis=0) <= rest))
            self.hulls_lost[c] += victims.sum(axis=0)
            self.lost_missiles += np.where(victims, self.loaded, 0).sum(axis=1)
            self.loaded[:, victims] = 0
            self.where[victims] = LOST

    def arrive(self, k: int) -> None:
        """Hulls due this step reach their port's queue or the station; reinforcements arrive."""
        due = self.when == k
        self.where[due & (self.where == TO_PORT)] = QUEUED  # queued from step k (self.when)
        self.where[due & (self.where == TO_STATION)] = STATION
        for c in range(len(self.spec.class_names)):
            count = self.arrivals[c, k]
            if not count.any():
                continue
            new = self._create(c, count)
            self.where[new], self.when[new] = QUEUED, k
            self._choose_ports(new, k, at_port=True)

    # -- departures and port choice -------------------------------------------------------------
    def depart(self, k: int) -> None:
        """Hulls on station with any munition down to the class threshold sail for a port."""
        on_station = self.where == STATION
        low = np.zeros_like(on_station)
        for m in range(self.cells.shape[0]):
            cells = self.cells[m]
            low |= (cells > 0) & (self.loaded[m] <= self.threshold * cells)
        leaving = on_station & low
        if not leaving.any():
            return
        self.where[leaving] = TO_PORT
        self._choose_ports(leaving, k, at_port=False)
        self.when[leaving] = k + np.take_along_axis(self.transit, self.port, axis=0)[leaving]
        self.where[leaving & (self.when == k)] = QUEUED  # zero transit: in the queue this step

    def _fixed_choice(self, c: int) -> tuple[int, ...] | None:
        """The class's ports when at most one can ever open (no estimate needed), else None."""
        ports = self.spec.reload_ports[c]
        ever = [p for p in ports if np.any(self.opens[p] < NEVER)]
        return ports if len(ever) <= 1 else None

    def _choose_ports(self, hulls: BoolArray, k: int, *, at_port: bool) -> None:
        """Set the port of `hulls` (slots, R), in id order: the open port that should have each
        back on station soonest (ties: preference), else the class's last port."""
        for c in range(len(self.spec.class_names)):
            mine = hulls & (self.cls == c)
            if not mine.any():
                continue
            ports = self.spec.reload_ports[c]
            if self.choice[c] is not None:
                self.port[mine] = self._only_open(ports, k, at_port)[np.nonzero(mine)[1]]
            else:
                self._estimate_ports(mine, ports, k, at_port)

    def _open(self, p: int, k: int, at_port: bool) -> BoolArray:
        """(R,) whether port p is open when a hull leaving (or, at_port, arriving) at k gets there."""
        arrival = k if at_port else k + self.transit[p]
        return np.asarray(arrival >= self.opens[p])

    def _only_open(self, ports: tuple[int, ...], k: int, at_port: bool) -> IntArray:
        """(R,) the first open port among `ports`, else the last (at most one ever opens)."""
        choice = np.full(self.size, ports[-1], dtype=np.int64)
        for p in reversed(ports):
            choice = np.where(self._open(p, k, at_port), p, choice)
        return choice

    def _estimate_ports(
        self, hulls: BoolArray, ports: tuple[int, ...], k: int, at_port: bool
    ) -> None:
        """Hull by hull in id order, as each choice adds to the chosen port's load."""
        busy = (self.where == TO_PORT) | (self.where == QUEUED) | (self.where == BERTH)
        busy &= ~hulls  # the hulls being placed count once chosen
        ahead = np.stack([np.sum(busy & (self.port == p), axis=0) for p in ports])  # (ports, R)
        for slot in np.nonzero(hulls.any(axis=1))[0]:
            reps = np.nonzero(hulls[slot])[0]
            empty = (self.cells[:, slot, reps] - self.loaded[:, slot, reps]).sum(axis=0)
            best = np.full(reps.size, -1, dtype=np.int64)
            best_time = np.full(reps.size, LATE, dtype=np.int64)
            for i, p in enumerate(ports):
                berths = self.berths[p, reps]
                reload = steps(empty * self.reload_rate[p, reps], self.spec.step_days)
                wait = -(-np.maximum(0, ahead[i, reps] + 1 - berths) // berths) * reload
                time = 2 * self.transit[p, reps] + wait + reload
                better = self._open(p, k, at_port)[reps] & (time < best_time)
                best, best_time = np.where(better, i, best), np.where(better, time, best_time)
            index = np.where(best < 0, len(ports) - 1, best)
            self.port[slot, reps] = np.asarray(ports)[index]
            ahead[index, reps] += 1

    # -- ports --------------------------------------------------------------------------------
    def work_ports(self, k: int) -> None:
        """Each port in order finishes due reloads, then gives free berths first come first
        served (ties by id); a granted hull loads what the depots hold."""
        for p in range(len(self.spec.port_names)):
            here = self.port == p
            done = here & (self.where == BERTH) & (self.when == k)
            self._sail_back(done, k)
            opened = k >= self.opens[p]
            free = np.where(opened, self.berths[p] - np.sum(here & (self.where == BERTH), 0), 0)
            while True:
                queued = here & (self.where == QUEUED)
                ready = free > 0
                ready &= queued.any(axis=0)
                if not ready.any():
                    break
                slots = len(self.where)
                order = np.where(queued, self.when, 0) * slots + np.arange(slots)[:, None]
                first = np.argmin(np.where(queued, order, LATE), axis=0)
                granted = np.zeros_like(queued)
                granted[first, np.arange(self.size)] = ready
                loaded = self._load(granted).sum(axis=0)
                end = k + steps(loaded * self.reload_rate[p], self.spec.step_days)
                self.where[granted], self.when[granted] = BERTH, end[np.nonzero(granted)[1]]
                instant = granted & (self.when == k)
                self._sail_back(instant, k)
                free -= ready & ~instant.any(axis=0)

    def _sail_back(self, hulls: BoolArray, k: int) -> None:
        """Reloaded hulls sail for station; with no transit they are there this step."""
        if not hulls.any():
            return
        transit = np.take_along_axis(self.transit, self.port, axis=0)
        self.where[hulls], self.when[hulls] = TO_STATION, (k + transit)[hulls]
        self.where[hulls & (self.when == k)] = STATION

    # -- firing -------------------------------------------------------------------------------
    def fire(self, m: int, wanted: IntArray) -> tuple[IntArray, IntArray]:
        """Fire up to `wanted` (R,) of munition m from hulls on station, lowest id first.

        Returns the shots and the loaded cells on station before firing, both (R,)."""
        loaded = np.where(self.where == STATION, self.loaded[m], 0)
        before = np.cumsum(loaded, axis=0) - loaded
        take = np.clip(wanted - before, 0, loaded)
        self.loaded[m] -= take
        return take.sum(axis=0), loaded.sum(axis=0)

    def afloat(self, m: int) -> IntArray:
        """(R,) missiles of munition m in the cells of surviving hulls."""
        return np.where(self.where == LOST, 0, self.loaded[m]).sum(axis=0)
