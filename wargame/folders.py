"""Where a command's outputs go: one default folder per scenario and inputs (so a run never
replaces the results of other inputs), a `latest` link beside it, and the manifest's metadata.

    reports/<scenario-slug>/<config hash>/                          wargame run
    reports/<scenario-slug>-invest/<config hash>-target-<days>d/    wargame invest (-risk-<r>)

`<config hash>` is the first HASH_CHARS hex digits of the study hash after overrides
(config_sha256 in manifest.json and in provenance). Every folder is still written as one unit by
wargame.analysis.store.publish.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from wargame import __version__
from wargame.analysis.outdir import check_out_dir, read_manifest
from wargame.analysis.store import LATEST, followed, point_latest, publish
from wargame.errors import InputError
from wargame.runner import slug

REPORTS = Path("reports")
HASH_CHARS = 12  # 48 bits: two inputs share a folder name about once in 2.8e14 pairs


def choose_folder(
    out: Path | None, scenario: str, sha: str, variant: str = "", suffix: str = ""
) -> tuple[Path, bool]:
    """The output folder, checked before any work, and whether it is the default one.

    An --out folder is the user's choice and is replaced as a whole (a `latest` link given as
    --out is followed, so it keeps pointing at the folder); the default is named for the
    scenario and its inputs, and only a re-run of the same inputs replaces it."""
    if out is not None:
        out = followed(out)
        check_out_dir(out)
        return out, False
    folder = REPORTS / f"{slug(scenario)}{suffix}" / f"{sha[:HASH_CHARS]}{variant}"
    check_out_dir(folder)
    held = (read_manifest(folder) or {}).get("config_sha256")
    if held is not None and held != sha:
        raise InputError(f"{folder}: holds the run of other inputs (config {held}); give --out")
    return folder, True


def invest_variant(target_days: float, risk: float | None) -> str:
    """The part of invest's default folder name that tells plans for one scenario apart."""
    return f"-target-{target_days:g}d" + ("" if risk is None else f"-risk-{risk:g}")


def manifest_meta(kind: str, scenario: str, config_sha256: str) -> dict[str, Any]:
    """What a run's manifest says beside its files' hashes."""
    return {
        "kind": kind,
        "scenario": scenario,
        "config_sha256": config_sha256,
        "wargame_version": __version__,
    }


def publish_run(
    out_dir: Path, files: Mapping[str, str | bytes], meta: Mapping[str, Any], default: bool
) -> list[str]:
    """Write a run as one unit; in a default folder, point `latest` beside it at it. The lines
    to tell the user: the link that could not be made, or the other run this one replaced."""
    held = read_manifest(out_dir) or {}
    publish(out_dir, files, meta)
    said = []
    if default and not point_latest(out_dir):
        said.append(f"warning: {out_dir.parent / LATEST}: could not be updated")
    if any(held.get(key, meta[key]) != meta[key] for key in ("kind", "config_sha256")):
        said.append(
            f"note: {out_dir}: replaced the {held.get('kind')} of {held.get('scenario')!r} "
            f"(config {str(held.get('config_sha256'))[:HASH_CHARS]}) it held"
        )
    return said
