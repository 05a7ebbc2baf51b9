"""The sweep's result store: one JSON file per finished point, written atomically.

A point's key hashes what determines its result: the base scenario, the point's values, the
replications, the seed, the metrics and the code's schema version. Re-running a sweep computes
only the keys that are missing, so an interrupted sweep loses nothing and repeats nothing.
"""

from __future__ import annotations

import hashlib
import json
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


def done(out_dir: Path) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Every stored point's record, by key, and the keys of stored points that cannot be read
    (emptied or damaged outside wargame: they are computed again, never trusted)."""
    folder = out_dir / POINTS
    records: dict[str, dict[str, Any]] = {}
    corrupt = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else ():
        try:
            record = json.loads(path.read_text())
        except (OSError, ValueError):
            record = None
        if isinstance(record, dict) and record.get("key") == path.stem and "metrics" in record:
            records[path.stem] = record
        else:
            corrupt.append(path.stem)
    return records, corrupt


def store(out_dir: Path, key: str, record: dict[str, Any]) -> None:
    """Write one finished point atomically."""
    (out_dir / POINTS).mkdir(parents=True, exist_ok=True)
    write_atomic(out_dir / POINTS / f"{key}.json", json.dumps(record, sort_keys=True) + "\n")
