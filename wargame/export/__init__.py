"""`wargame export FOLDER --format xlsx,png,svg,pdf`: a workbook and static chart images added to
a run, Monte Carlo, invest or sweep folder.

The exported files join the folder's unit: the folder is checked whole against its manifest,
then published again (wargame.analysis.store.publish) with its files carried over and the new
ones added, so manifest.json lists them and a reader never sees half an export.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from wargame.analysis.outdir import MANIFEST, read_manifest
from wargame.analysis.store import followed, publish
from wargame.errors import InputError
from wargame.export.charts import draw, report_figures
from wargame.export.workbook import workbook_bytes

FORMATS = ("xlsx", "png", "svg", "pdf")
IMAGES = ("png", "svg", "pdf")
RUN_TABLES = (
    ("Inputs", "inputs.csv"),
    ("Time series", "timeseries.csv"),
    ("Force", "force.csv"),  # with a force over the years only
)
PAGES = {  # kind -> (report page, main JSON, the tables of its workbook)
    "run": ("report", "summary.json", RUN_TABLES),
    "monte_carlo": ("report", "summary.json", RUN_TABLES),
    "invest": ("invest", "invest.json", (RUN_TABLES[0], ("Cost curve", "cost_curve.csv"))),
    "sweep": ("sweep", "indices.json", (("Sweep table", "sweep.csv"),)),
}


def parse_formats(text: str) -> list[str]:
    """The --format comma list, checked, in the order given, without repeats."""
    asked = [part.strip().lower() for part in text.split(",") if part.strip()]
    unknown = [part for part in asked if part not in FORMATS]
    if unknown or not asked:
        shown = unknown[0] if unknown else text
        raise InputError(f"--format {shown!r}: choose from {', '.join(FORMATS)} (comma list)")
    return list(dict.fromkeys(asked))


def export_folder(folder: Path, formats: list[str]) -> list[str]:
    """Write the asked exports into `folder` (its link followed) as part of its unit; the paths
    written."""
    folder = followed(folder)
    manifest = _whole(folder)
    kind = str(manifest.get("kind"))
    if kind not in PAGES:
        raise InputError(f"{folder}: a {kind!r} folder has nothing to export")
    page, main_name, tables = PAGES[kind]
    files: dict[str, str | bytes] = {}
    if "xlsx" in formats:
        files[f"{page}.xlsx"] = _workbook(folder, manifest, main_name, tables)
    images = [fmt for fmt in formats if fmt in IMAGES]
    if images:
        figures = report_figures(_read(folder, f"{page}.html"))
        drawn = draw(figures, images)
        files |= {f"{page}-{name}": data for name, data in drawn.items()}
    listed = manifest["files"]
    carry = {name: folder / name for name in listed if name not in files}
    meta = {key: value for key, value in manifest.items() if key != "files"}
    publish(folder, files, meta, carry=carry)
    return [str(folder / name) for name in files]


def _workbook(
    folder: Path, manifest: dict[str, Any], main_name: str, tables: tuple[tuple[str, str], ...]
) -> bytes:
    main = json.loads(_read(folder, main_name))
    if isinstance(main, list):  # indices.json of an earlier version: a bare list
        main = {"indices": main}
    present = [(sheet, _read(folder, name)) for sheet, name in tables if name in manifest["files"]]
    title = f"{manifest.get('scenario', folder.name)} ({manifest['kind']})"
    return workbook_bytes(title, main, present, main.get("outlays_by_year"))


def _whole(folder: Path) -> dict[str, Any]:
    """The folder's manifest, after checking that every file it lists is there unchanged."""
    manifest = read_manifest(folder)
    if manifest is None or not isinstance(manifest.get("files"), dict):
        raise InputError(f"{folder}: not a wargame output folder (no readable {MANIFEST})")
    for name, digest in manifest["files"].items():
        try:
            data = (folder / name).read_bytes()
        except OSError as exc:
            raise InputError(f"{folder / name}: cannot read: {exc.strerror}") from None
        if hashlib.sha256(data).hexdigest() != digest:
            raise InputError(f"{folder / name}: changed since the run wrote it; run it again")
    return manifest


def _read(folder: Path, name: str) -> str:
    try:
        return (folder / name).read_text()
    except OSError as exc:
        raise InputError(f"{folder / name}: cannot read: {exc.strerror}") from None
