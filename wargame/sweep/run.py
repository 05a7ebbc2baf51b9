"""Running a sweep: points in chunks on local worker processes or a dask.distributed cluster.

Each chunk is a few points, enough that a point's Monte Carlo is not swamped by the cost of
sending it. Finished points are stored as they arrive (store.py); a chunk whose worker died is
sent again (ProcessPoolExecutor: a new pool; dask: the scheduler's retries). A point's result
depends only on the point, the sweep's seed and the code, so every executor gives the same bytes.
"""

from __future__ import annotations

import contextlib
import ctypes
import math
import multiprocessing
import os
import signal
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wargame.analysis.montecarlo import BLOCK, FAN_REPLICATIONS
from wargame.config.loading import validate_study
from wargame.errors import InputError
from wargame.sweep.designs import Design, Point, build
from wargame.sweep.evaluate import Metrics, evaluate
from wargame.sweep.loading import Sweep, apply_point
from wargame.sweep.store import done, point_key, store

Progress = Callable[[int, int], None]  # (points finished, points in all)
TARGET_CHUNK_SECONDS = 0.5
ATTEMPTS = 3
PR_SET_PDEATHSIG = 1  # linux/prctl.h
PARENT_POLL_SECONDS = 0.5
HANDSHAKE_SECONDS = 5.0
CONNECT_SECONDS = 30.0
MAX_HANDSHAKE_BYTES = 2**24  # a dask scheduler's greeting is a few hundred bytes


@dataclass(frozen=True)
class Job:
    """What a worker needs to evaluate points: the base, how to apply a point, what to collect,
    and how many replications a block may hold (from the memory budget)."""

    base: Sweep
    origin: str
    block: int
    fan: int

    def run(self, points: Sequence[Point]) -> list[Metrics]:
        """Evaluate `points` in order."""
        meta = self.base.spec.sweep
        return [
            evaluate(
                apply_point(self.base, point),
                self.origin,
                list(meta.metrics),
                meta.replications,
                meta.target_days,
                self.block,
                self.fan,
            )
            for point in points
        ]


def check_point(sweep: Sweep, index: int, point: Point) -> None:
    """Validate a point's scenario; an InputError names the point and its values."""
    try:
        validate_study(apply_point(sweep, point), str(sweep.base_path))
    except InputError as exc:
        values = ", ".join(f"{name}={value:g}" for name, value in point.items())
        raise InputError(f"{sweep.path}: point {index} ({values}): {exc}") from None


def run_chunk(job: Job, points: Sequence[Point]) -> list[Metrics]:
    """A worker's task (module level, so it pickles)."""
    return job.run(points)


def _start_worker(parent: int) -> None:
    """A local worker: one compiled-core thread (workers share the machine), and an end of its
    own when its parent dies, so a killed sweep leaves no worker running."""
    import numba

    numba.set_num_threads(1)
    _die_with(parent)


def _die_with(parent: int) -> None:
    """Exit when process `parent` is gone: the kernel's parent-death signal where there is one
    (Linux), and a watcher thread everywhere (a dead parent's children are re-parented)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


@dataclass(frozen=True)
class SweepRun:
    """A finished sweep: the design and every point's stored record, in design order."""

    design: Design
    keys: tuple[str, ...]
    records: dict[str, dict[str, Any]]
    computed: int  # points computed by this run (the rest were stored before)
    corrupt: tuple[str, ...] = ()  # stored points that could not be read, computed again


def run_sweep(
    sweep: Sweep,
    out_dir: Path,
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    block: int = BLOCK,
    fan: int = FAN_REPLICATIONS,
) -> SweepRun:
    """Compute the sweep's missing points and return every point's record."""
    design = build(sweep.spec, sweep.base_values, sweep.whole)
    keys = tuple(point_key(sweep, p) for p in design.points)
    names = sweep.spec.sweep.metrics
    stored, corrupt = done(out_dir, names)
    missing = {k: p for k, p in zip(keys, design.points, strict=True) if k not in stored}
    total = len(set(keys))
    for index, point in enumerate(design.points):  # a bad point fails now, not after the work
        if keys[index] in missing:
            check_point(sweep, index, point)
    report = progress or (lambda finished, everything: None)
    report(total - len(missing), total)
    chunks = list(_chunks(list(missing.items()), sweep.spec.sweep.replications, workers))
    job = Job(sweep, str(sweep.base_path), block, fan)
    finished = total - len(missing)
    run = _dask if scheduler else _local
    for chunk, results in run(job, chunks, scheduler or "", workers):
        for (key, point), metrics in zip(chunk, results, strict=True):
            store(out_dir, key, {"key": key, "point": point, "metrics": metrics})
        finished += len(chunk)
        report(finished, total)
    damaged = tuple(sorted(set(corrupt) & set(keys)))
    return SweepRun(design, keys, done(out_dir, names)[0], len(missing), damaged)


Chunk = list[tuple[str, Point]]


def _chunks(items: Chunk, replications: int, workers: int | None) -> Iterator[Chunk]:
    """Chunks of about TARGET_CHUNK_SECONDS of work, and at least four per worker."""
    seconds_per_point = 0.02 + replications / 40_000  # a measured end-to-end rate, roughly
    by_time = max(1, round(TARGET_CHUNK_SECONDS / seconds_per_point))
    by_spread = max(1, math.ceil(len(items) / (4 * (workers or os.cpu_count() or 1))))
    size = min(by_time, by_spread)
    for start in range(0, len(items), size):
        yield items[start : start + size]


Results = Iterator[tuple[Chunk, list[Metrics]]]


def _local(job: Job, chunks: list[Chunk], _: str, workers: int | None) -> Results:
    """Local worker processes (spawned: the compiled core's threads do not survive a fork)."""
    pending = list(chunks)
    for _attempt in range(ATTEMPTS):
        if not pending:
            return
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(
            workers, mp_context=context, initializer=_start_worker, initargs=(os.getpid(),)
        ) as pool:
            futures: dict[Future[list[Metrics]], Chunk] = {
                pool.submit(run_chunk, job, [p for _, p in c]): c for c in pending
            }
            try:
                while futures:
                    ready, _waiting = wait(futures, return_when=FIRST_COMPLETED)
                    for future in ready:
                        chunk = futures.pop(future)
                        yield chunk, future.result()
                        pending.remove(chunk)
            except BrokenProcessPool:  # a worker died: start a new pool for what is left
                continue
    if pending:
        raise RuntimeError(f"sweep: {len(pending)} chunks failed on {ATTEMPTS} worker pools")


def _dask(job: Job, chunks: list[Chunk], scheduler: str, _: int | None) -> Results:
    """An existing dask.distributed cluster; the scheduler retries tasks of lost workers."""
    from distributed import as_completed

    client = connect(scheduler)
    with client:
        futures = {
            client.submit(run_chunk, job, [p for _, p in c], retries=ATTEMPTS, pure=False): i
            for i, c in enumerate(chunks)
        }
        for future in as_completed(futures):  # type: ignore[no-untyped-call]
            yield chunks[futures[future]], future.result()


def connect(address: str) -> Any:
    """A dask Client for `address`, in bounded time: a greeting check, then the connection in a
    thread given CONNECT_SECONDS (a server that greets and then stalls cannot hang the sweep),
    then at least one worker within CONNECT_SECONDS."""
    from distributed import Client

    probe_scheduler(address)
    made: list[Any] = []

    def attempt() -> None:
        try:
            made.append(Client(address, timeout=f"{CONNECT_SECONDS}s"))  # type: ignore[no-untyped-call]
        except Exception as exc:  # reported below, in the caller's thread
            made.append(exc)

    thread = threading.Thread(target=attempt, name="dask-connect", daemon=True)
    thread.start()
    thread.join(CONNECT_SECONDS + HANDSHAKE_SECONDS)
    if not made:
        raise InputError(f"--scheduler {address}: no connection within {CONNECT_SECONDS:g} s")
    if isinstance(made[0], Exception):
        raise InputError(f"--scheduler {address}: cannot connect ({made[0]})")
    client = made[0]
    try:
        client.wait_for_workers(1, timeout=CONNECT_SECONDS)
    except (TimeoutError, OSError):
        client.close()
        raise InputError(
            f"--scheduler {address}: no worker joined within {CONNECT_SECONDS:g} s"
        ) from None
    return client


def probe_scheduler(address: str) -> None:
    """Check, with a bounded wait, that `address` (tcp://HOST:PORT) answers as a dask scheduler:
    a scheduler greets a new connection with a length-prefixed handshake before it reads anything,
    so a server that stays silent or greets otherwise (an HTTP server, say) is refused in seconds
    instead of hanging the sweep."""
    host, port = _host_port(address)
    try:
        with socket.create_connection((host, port), timeout=HANDSHAKE_SECONDS) as sock:
            sock.settimeout(HANDSHAKE_SECONDS)
            header = sock.recv(8, socket.MSG_WAITALL)
    except TimeoutError:
        raise InputError(
            f"--scheduler {address}: no dask handshake within {HANDSHAKE_SECONDS:g} s"
        ) from None
    except OSError as exc:
        raise InputError(f"--scheduler {address}: cannot connect ({exc.strerror})") from None
    if len(header) < 8 or not 0 < struct.unpack("<Q", header)[0] <= MAX_HANDSHAKE_BYTES:
        raise InputError(f"--scheduler {address}: answers, but not as a dask scheduler")


def _host_port(address: str) -> tuple[str, int]:
    scheme, _, rest = address.rpartition("://")
    host, _, port = rest.rpartition(":")
    if scheme not in ("", "tcp") or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise InputError(f"--scheduler {address}: expected tcp://HOST:PORT")
    return host.strip("[]"), int(port)
