"""The sweep's result store: one JSON file per finished point, written atomically.

A point's key hashes what determines its result: the base scenario, the point's values, the
replications, the seed, the metrics and the code's schema version. Re-running a sweep computes
only the keys that are missing, so an interrupted sweep loses nothing and repeats nothing.
"""

from __future__ import annotations

import hashlib
import json
import math
import shutil
import stat
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from wargame.analysis.metrics import SCHEMA_VERSION
from wargame.analysis.store import write_atomic
from wargame.sweep.designs import Point
from wargame.sweep.loading import Sweep

POINTS = "points"


def point_key(sweep: Sweep, point: Point) -> str:
    """The hash that names a point's result."""
    meta = sweep.spec.sweep
    identity = {
        "schema_version": SCHEMA_VERSION,
        "config_sha256": sweep.base_sha256,
        "point": {name: float(value) for name, value in sorted(point.items())},
        "replications": meta.replications,
        "seed": meta.seed,
        "metrics": sorted(meta.metrics),
        "target_days": meta.target_days,
    }
    canonical = json.dumps(identity, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


MAX_POINT_BYTES = 2**20  # a point's record is a few hundred bytes


def done(out_dir: Path, metrics: Sequence[str]) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Every stored point's record, by key, and the keys of stored points that cannot be
    trusted: not a regular file, unreadable, or not a record of exactly these `metrics` with
    numbers or nulls (emptied or damaged outside wargame). Those are computed again."""
    folder = out_dir / POINTS
    records: dict[str, dict[str, Any]] = {}
    corrupt = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else ():
        record = _read_point(path)
        if record is not None and _is_record(record, path.stem, metrics):
            records[path.stem] = record
        else:
            corrupt.append(path.stem)
    return records, corrupt


def _read_point(path: Path) -> Any:
    """A point file's JSON, or None when it is not a small regular file of JSON."""
    try:
        info = path.lstat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_POINT_BYTES:
            return None
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def _is_record(record: Any, key: str, metrics: Sequence[str]) -> bool:
    if not isinstance(record, dict) or record.get("key") != key:
        return False
    values = record.get("metrics")
    if not isinstance(values, dict) or set(values) != set(metrics):
        return False
    return all(
        v is None or (isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v))
        for v in values.values()
    )


def store(out_dir: Path, key: str, record: dict[str, Any]) -> None:
    """Write one finished point atomically, replacing whatever damaged entry had its name."""
    folder = out_dir / POINTS
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{key}.json"
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.is_symlink() or (path.exists() and not path.is_file()):
        path.unlink()
    write_atomic(path, json.dumps(record, sort_keys=True) + "\n")
