"""Running a sweep: points in chunks on local worker processes or a dask.distributed cluster.

Each chunk is a few points, enough that a point's Monte Carlo is not swamped by the cost of
sending it. Finished points are stored as they arrive (store.py); a chunk whose worker died is
sent again (ProcessPoolExecutor: a new pool; dask: the scheduler's retries). A point's result
depends only on the point, the sweep's seed and the code, so every executor gives the same bytes.
"""

from __future__ import annotations

import math
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wargame.config.loading import validate_study
from wargame.errors import InputError
from wargame.sweep.designs import Design, Point, build
from wargame.sweep.evaluate import Metrics, evaluate
from wargame.sweep.loading import Sweep, apply_point
from wargame.sweep.store import done, point_key, store

Progress = Callable[[int, int], None]  # (points finished, points in all)
TARGET_CHUNK_SECONDS = 0.5
ATTEMPTS = 3


@dataclass(frozen=True)
class Job:
    """What a worker needs to evaluate points: the base, how to apply a point, what to collect."""

    base: Sweep
    origin: str

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


def _one_thread() -> None:
    """Worker processes share the machine: one compiled-core thread each."""
    import numba

    numba.set_num_threads(1)


@dataclass(frozen=True)
class SweepRun:
    """A finished sweep: the design and every point's stored record, in design order."""

    design: Design
    keys: tuple[str, ...]
    records: dict[str, dict[str, Any]]
    computed: int  # points computed by this run (the rest were stored before)


def run_sweep(
    sweep: Sweep,
    out_dir: Path,
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
) -> SweepRun:
    """Compute the sweep's missing points and return every point's record."""
    design = build(sweep.spec, sweep.base_values, sweep.whole)
    keys = tuple(point_key(sweep, p) for p in design.points)
    stored = done(out_dir)
    missing = {k: p for k, p in zip(keys, design.points, strict=True) if k not in stored}
    total = len(set(keys))
    for index, point in enumerate(design.points):  # a bad point fails now, not after the work
        if keys[index] in missing:
            check_point(sweep, index, point)
    report = progress or (lambda finished, everything: None)
    report(total - len(missing), total)
    chunks = list(_chunks(list(missing.items()), sweep.spec.sweep.replications, workers))
    job = Job(sweep, str(sweep.base_path))
    finished = total - len(missing)
    run = _dask if scheduler else _local
    for chunk, results in run(job, chunks, scheduler or "", workers):
        for (key, point), metrics in zip(chunk, results, strict=True):
            store(out_dir, key, {"key": key, "point": point, "metrics": metrics})
        finished += len(chunk)
        report(finished, total)
    return SweepRun(design, keys, done(out_dir), len(missing))


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
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_one_thread) as pool:
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
    from distributed import Client, as_completed

    try:
        client = Client(scheduler, timeout="10s")  # type: ignore[no-untyped-call]
    except (OSError, ValueError, TypeError) as exc:
        raise InputError(f"--scheduler {scheduler}: cannot connect ({exc})") from None
    with client:
        futures = {
            client.submit(run_chunk, job, [p for _, p in c], retries=ATTEMPTS, pure=False): i
            for i, c in enumerate(chunks)
        }
        for future in as_completed(futures):  # type: ignore[no-untyped-call]
            yield chunks[futures[future]], future.result()
