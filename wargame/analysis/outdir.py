"""Which folder a run may replace: a new one, an empty one, or a wargame run; never the user's.

A run replaces its output folder as a whole (store.publish), so the folder is checked before any
work: it must not be a symbolic link, the current folder or one that holds it, or lie under a
file, and every entry in it must be something wargame writes: the files its manifest lists (or,
for folders of versions before manifests, the known output names), the sweep's point store of
`<key>.json` files, and the temporary files of earlier versions. Hidden files, links, devices and
anything else are the user's: the folder is refused, and nothing is touched.
"""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path
from typing import Any

from wargame.errors import InputError

MANIFEST = "manifest.json"
POINTS = "points"
# Names that earlier versions wrote into output folders, before manifests listed them.
LEGACY_OUTPUTS = frozenset(
    {
        "summary.json",
        "timeseries.csv",
        "report.html",
        "replications.csv",
        "paths.csv",
        "invest.json",
        "closed.toml",
        "cost_curve.csv",
        "invest.html",
        "sweep.csv",
        "sweep.parquet",
        "indices.json",
        "sweep.html",
        POINTS,
    }
)
LEGACY_TEMPORARY = re.compile(r"^\.[^/]+\.\d+\.[0-9a-f]{8}\.tmp$")  # write_atomic's, per file
POINT_FILE = re.compile(r"^[0-9a-f]{32}\.json$")


def check_out_dir(out_dir: Path) -> None:
    """Refuse an output folder a run must not replace (InputError naming it and why)."""
    try:
        _check_place(out_dir)
        foreign = foreign_entry(out_dir) if out_dir.is_dir() else None
    except OSError as exc:
        raise InputError(f"{out_dir}: cannot use as an output folder: {exc.strerror}") from None
    if foreign is not None:
        raise InputError(
            f"{out_dir}: holds {foreign!r}, which is not a wargame output; a run replaces "
            "its whole folder, so choose an empty or new --out"
        )


def _check_place(out_dir: Path) -> None:
    if out_dir.is_symlink():
        raise InputError(f"{out_dir}: --out is a symbolic link; give the folder itself")
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"{out_dir}: --out exists and is not a directory")
    for ancestor in out_dir.parents:
        if ancestor.exists():
            if not ancestor.is_dir():
                raise InputError(f"{out_dir}: {ancestor} is a file, not a folder")
            break
    here, target = Path.cwd().resolve(), out_dir.resolve()
    if target == here or target in here.parents:
        raise InputError(f"{out_dir}: --out is the current folder or holds it; choose a new one")


def foreign_entry(folder: Path) -> str | None:
    """The first entry of `folder` that wargame did not write (a relative name), or None."""
    listed = (read_manifest(folder) or {}).get("files", {})
    allowed = {str(name).split("/")[0] for name in listed} | {MANIFEST} if listed else set()
    allowed |= LEGACY_OUTPUTS if not listed else set()
    for entry in sorted(folder.iterdir()):
        name = entry.name
        if LEGACY_TEMPORARY.match(name) and _regular(entry):
            continue
        if name not in allowed:
            return name
        if name == POINTS and entry.is_dir() and not entry.is_symlink():
            inside = _foreign_point(entry)
            if inside is not None:
                return f"{POINTS}/{inside}"
        elif not _regular(entry):
            return name
    return None


def _foreign_point(points: Path) -> str | None:
    """The first entry of a point store that is not a point (damaged points are the store's own:
    a sweep computes them again, whatever became of them)."""
    for entry in sorted(points.iterdir()):
        if POINT_FILE.match(entry.name):
            continue
        if not (LEGACY_TEMPORARY.match(entry.name) and _regular(entry)):
            return entry.name
    return None


def _regular(path: Path) -> bool:
    """A regular file, not a link to one."""
    return stat.S_ISREG(path.lstat().st_mode)


def read_manifest(out_dir: Path) -> dict[str, Any] | None:
    """The manifest of the run in `out_dir`, or None if there is no readable one."""
    path = out_dir / MANIFEST
    try:
        if not _regular(path) or path.stat().st_size > 2**24:
            return None
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
