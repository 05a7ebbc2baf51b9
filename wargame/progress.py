"""Progress of a long run on stderr: a rich bar with an ETA on a terminal, else plain lines; and
notices of slow one-off steps (compiling the engine's core), which the command line prints."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Progress = Callable[[int, int], None]
LOG_EVERY_SECONDS = 10.0
_notices: list[Callable[[str], None]] = []  # where notices go: none unless a caller asks


def notice(text: str) -> None:
    """Tell the user about a slow one-off step, if a caller listens (see `notices_to`)."""
    for sink in _notices:
        sink(text)


@contextmanager
def notices_to(sink: Callable[[str], None]) -> Iterator[None]:
    """Send notices to `sink` (the command line: stderr) while the block runs."""
    _notices.append(sink)
    try:
        yield
    finally:
        _notices.remove(sink)


@contextmanager
def progress_reporter(*, enabled: bool) -> Iterator[Progress | None]:
    """A callback for (finished, total): a bar on a terminal, a line every 10 s otherwise."""
    if not enabled:
        yield None
        return
    if sys.stderr.isatty():
        from rich.progress import BarColumn, TextColumn, TimeRemainingColumn
        from rich.progress import Progress as Bar

        columns = (
            TextColumn("points"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeRemainingColumn(),
        )
        with Bar(*columns, transient=False) as bar:
            task = bar.add_task("sweep", total=None)

            def advance(finished: int, total: int) -> None:
                bar.update(task, completed=finished, total=total)

            yield advance
        return
    started, last = time.monotonic(), [0.0]

    def log(finished: int, total: int) -> None:
        now = time.monotonic()
        if finished == total or now - last[0] >= LOG_EVERY_SECONDS:
            last[0] = now
            print(f"sweep: {finished}/{total} points ({now - started:.0f} s)", file=sys.stderr)

    yield log
