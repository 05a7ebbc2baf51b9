"""Writing outputs: a run's files are one unit, and a reader sees the old run or the new one.

A run is written into a fresh staging folder beside its output folder, every file flushed to disk,
with a `manifest.json` (each file's SHA-256) written last; then one atomic exchange of the two
folders (Linux `renameat2(RENAME_EXCHANGE)`) puts the new run in place and the old one in the
staging name, which is then removed. Where the exchange is not available, the old folder is first
renamed aside and the next run puts it back if the process died between the two renames. Staging
folders of killed runs (their process gone) are removed by the next run into the same parent.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import hashlib
import json
import os
import secrets
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from wargame.analysis.outdir import MANIFEST, check_out_dir, foreign_entry
from wargame.errors import InputError

STAGING_PREFIX = ".wargame-"  # .wargame-{stage|old}-{target digest}-{pid}-{token}
STAGE_MARK = ".wargame-staging"  # in a stage until it is swapped in: safe to clean


def to_json(data: Any) -> str:
    """Stable JSON text: fixed key order as given, two-space indent, trailing newline."""
    return json.dumps(data, indent=2, allow_nan=False) + "\n"


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write `content` to `path` through a temporary file in the same directory and a rename."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        _write_synced(tmp, content)
        tmp.replace(path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def publish(
    out_dir: Path,
    files: Mapping[str, str | bytes],
    meta: Mapping[str, Any],
    carry: Mapping[str, Path] | None = None,
) -> list[Path]:
    """Replace `out_dir` with exactly `files` (name -> content) and `carry` (name -> an existing
    file, hard-linked or copied), plus a manifest of `meta` and every file's SHA-256.

    Any failure (full disk, read-only or unreachable folder, a name too long) leaves the previous
    run in place, removes what was staged, and raises InputError naming the folder.
    """
    check_out_dir(out_dir)
    parent, digest = out_dir.parent, _digest(out_dir.name)
    stage = parent / f"{STAGING_PREFIX}stage-{digest}-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        parent.mkdir(parents=True, exist_ok=True)
        clean_stale(out_dir)
        stage.mkdir()
        (stage / STAGE_MARK).write_bytes(b"")
        names = _fill(stage, files, carry or {}, meta)
        (stage / STAGE_MARK).unlink()
        _swap(stage, out_dir, digest)
        _fsync_dir(parent)
    except OSError as exc:
        with contextlib.suppress(OSError):
            shutil.rmtree(stage)
        raise InputError(f"{out_dir}: cannot write the run's outputs: {exc.strerror}") from None
    return [out_dir / name for name in names]


def _fill(
    stage: Path,
    files: Mapping[str, str | bytes],
    carry: Mapping[str, Path],
    meta: Mapping[str, Any],
) -> list[str]:
    """Write every file into `stage`, the manifest last; return the names written."""
    hashes: dict[str, str] = {}
    for name, content in files.items():
        data = content.encode() if isinstance(content, str) else content
        _write_synced(stage / name, data)
        hashes[name] = hashlib.sha256(data).hexdigest()
    for name, source in carry.items():
        target = stage / name
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:  # another file system, or no hard links: copy instead
            shutil.copyfile(source, target)
        hashes[name] = hashlib.sha256(source.read_bytes()).hexdigest()
    manifest = {**meta, "files": dict(sorted(hashes.items()))}
    _write_synced(stage / MANIFEST, to_json(manifest).encode())
    _fsync_dir(stage)
    return [*files, *carry, MANIFEST]


def _swap(stage: Path, out_dir: Path, digest: str) -> None:
    """Put `stage` at `out_dir` in one step; remove what was there."""
    try:
        stage.rename(out_dir)  # no previous run: a plain rename is atomic
        return
    except OSError as exc:
        if exc.errno not in (errno.EEXIST, errno.ENOTEMPTY):
            raise
    if _exchange(stage, out_dir):
        shutil.rmtree(stage, ignore_errors=True)  # now holds the previous run
        return
    aside = stage.with_name(f"{STAGING_PREFIX}old-{digest}-{os.getpid()}-{secrets.token_hex(4)}")
    out_dir.rename(aside)  # dies here: the next run puts `aside` back (clean_stale)
    stage.rename(out_dir)
    shutil.rmtree(aside, ignore_errors=True)


def clean_stale(out_dir: Path) -> None:
    """Remove staging folders beside `out_dir` left by dead processes; restore a run set aside
    by a process that died between its two renames. Only folders this module made (a stage still
    marked as one, an empty one, or a run with its manifest and nothing else) are touched."""
    digest = _digest(out_dir.name)
    for entry in _staged(out_dir.parent):
        kind, owner, pid = entry.name.split("-")[1:4]
        if _alive(int(pid)):
            continue
        if kind == "stage" and _ours(entry):
            shutil.rmtree(entry, ignore_errors=True)
        elif kind == "old" and (entry / MANIFEST).is_file() and foreign_entry(entry) is None:
            if owner == digest and not out_dir.exists():
                entry.rename(out_dir)
            else:
                shutil.rmtree(entry, ignore_errors=True)


def _ours(stage: Path) -> bool:
    """A stage a dead run left: still marked, empty (killed between its mkdir and its mark), or a
    whole run (killed after the swap, holding the run it replaced, or just before it)."""
    if (stage / STAGE_MARK).is_file() or not any(stage.iterdir()):
        return True
    return (stage / MANIFEST).is_file() and foreign_entry(stage) is None


def _staged(parent: Path) -> Iterator[Path]:
    for entry in parent.iterdir():
        parts = entry.name.split("-")
        if (
            entry.name.startswith(STAGING_PREFIX)
            and len(parts) == 5
            and parts[1] in ("stage", "old")
            and parts[3].isdigit()
            and entry.is_dir()
        ):
            yield entry


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def _digest(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()[:12]


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2); False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    done = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


LATEST = "latest"


def followed(folder: Path) -> Path:
    """`folder` with symbolic links at its end followed, kept relative where the links are (a
    run replaces its folder, which must not turn `latest` into a copy)."""
    for _ in range(40):  # the kernel's own limit on links in a path
        try:
            if not folder.is_symlink():
                return folder
            target = folder.readlink()
        except OSError:
            return folder  # unreadable: check_out_dir and publish say why, in one line
        folder = target if target.is_absolute() else folder.parent / target
    raise InputError(f"{folder}: a symbolic link loop")


def point_latest(run_dir: Path) -> bool:
    """Point `latest` beside `run_dir` at it: a relative symbolic link created under a
    temporary name and renamed over the old one, so a reader never finds it missing or
    half-made. False (and nothing left behind) where links cannot be made."""
    link = run_dir.parent / LATEST
    tmp = run_dir.parent / f".{LATEST}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        tmp.symlink_to(run_dir.name, target_is_directory=True)
        tmp.replace(link)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        return False
    return True


def _write_synced(path: Path, content: str | bytes) -> None:
    data = content.encode() if isinstance(content, str) else content
    with path.open("xb") as handle:  # "x": honours the umask, never follows a planted file
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # not every file system syncs directories
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def folder_lock(out_dir: Path) -> Iterator[None]:
    """Hold the lock of `out_dir` for a long write (a sweep fills its point store for minutes):
    a second writer of the same folder is refused (InputError) instead of discarding the first
    one's points at its swap. The lock is a hidden file beside the folder, held with flock, so
    it is released when the process ends, however it ends."""
    lock = out_dir.parent / f"{STAGING_PREFIX}lock-{_digest(out_dir.name)}"
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        handle = lock.open("a")
    except OSError as exc:
        raise InputError(f"{out_dir}: cannot use as an output folder: {exc.strerror}") from None
    with handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError(
                f"{out_dir}: another sweep is writing this folder; wait for it or choose another "
                "--out"
            ) from None
        yield
