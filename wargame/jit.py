"""Compiled loops: numba's njit, cached on disk, keeping each function's type for mypy.

numba checks a cached function against its own source file only, so a kernel that inlines
helpers from other modules would keep running stale machine code after those modules change.
The cache therefore lives in a folder named for a digest of every source the compiled code is
built from (CACHE_SOURCES): any change to any of them compiles afresh into a new folder.
"""

from __future__ import annotations

import hashlib
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar, cast

import numba
from numba import njit

from wargame.progress import notice

F = TypeVar("F", bound=Callable[..., Any])
PACKAGE = Path(__file__).resolve().parent
# Every module whose code ends up in a compiled function (the core inlines helpers from these).
CACHE_SOURCES = (
    "jit.py",
    "engine/kernel.py",
    "engine/hulls.py",
    "engine/events.py",
    "engine/serve.py",
    "engine/results.py",
    "model/missions.py",
    "model/fleet.py",
    "model/rates.py",
)


def cache_folder() -> Path:
    """The compiled core's cache: wargame/__pycache__/numba-<digest of CACHE_SOURCES>."""
    digest = hashlib.sha256()
    for name in CACHE_SOURCES:
        digest.update((PACKAGE / name).read_bytes())
    return PACKAGE / "__pycache__" / f"numba-{digest.hexdigest()[:16]}"


def _fresh_cache() -> Path:
    """The cache folder for these sources, with the folders of earlier sources removed (they
    can never be used again)."""
    folder = cache_folder()
    if not folder.exists():
        for stale in folder.parent.glob("numba-*"):
            shutil.rmtree(stale, ignore_errors=True)
    return folder


CACHE = _fresh_cache()
numba.config.CACHE_DIR = str(CACHE)  # type: ignore[attr-defined]  # read when compiled
_built: set[tuple[Path, str]] = set()  # (cache folder, kind) already called in this process


@contextmanager
def first_call(kind: str, what: str, folder: Path = CACHE) -> Iterator[None]:
    """Around a call of compiled code: the first time the cache `folder` builds `kind` (numba
    compiles on first call, for seconds), say so beforehand (wargame.progress.notice) and how
    long it took after; a marker file in the folder records that it is built. Later calls in
    the process cost a set lookup."""
    if (folder, kind) in _built:
        yield
        return
    marker = folder / f"{kind}.built"
    fresh = not marker.exists()
    started = time.perf_counter()
    if fresh:
        notice(f"compiling {what} (once: cached in {folder.name}) ...")
    yield
    _built.add((folder, kind))
    if fresh:
        notice(f"compiled {what} in {time.perf_counter() - started:.1f} s")
        folder.mkdir(parents=True, exist_ok=True)
        marker.touch()


def compiled(*, parallel: bool = False, inline: bool = False) -> Callable[[F], F]:
    """Compile a function of numbers and arrays to machine code on first call (cached on disk,
    see above, so later processes load it in well under a second).

    `inline`: compile it into each caller instead of calling it: for small functions called once
    per step and replication, where a call's cost (arguments, arrays' reference counts) would
    be most of the work."""

    def wrap(function: F) -> F:
        options = {"inline": "always"} if inline else {}
        return cast(F, njit(cache=True, parallel=parallel, **options)(function))  # type: ignore[call-overload]

    return wrap
