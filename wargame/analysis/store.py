"""Writing outputs atomically: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from wargame.errors import InputError


def to_json(data: Any) -> str:
    """Stable JSON text: fixed key order as given, two-space indent, trailing newline."""
    return json.dumps(data, indent=2, allow_nan=False) + "\n"


def prepare_out_dir(out_dir: Path) -> None:
    """Create `out_dir` (and parents), or raise InputError if it cannot be a directory."""
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"{out_dir}: --out exists and is not a directory")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{out_dir}: cannot create output directory: {exc.strerror}") from None


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write `content` to `path` through a temporary file in the same directory and a rename."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        data = content.encode() if isinstance(content, str) else content
        with tmp.open("xb") as handle:  # "x": honours the umask
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def write_outputs(out_dir: Path, files: Mapping[str, str | bytes]) -> list[Path]:
    """Write every file (name -> text) into `out_dir`, each atomically; content is ready first."""
    prepare_out_dir(out_dir)
    written = []
    for name, content in files.items():
        path = out_dir / name
        write_atomic(path, content)
        written.append(path)
    return written
