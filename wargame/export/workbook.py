"""One Excel workbook of a run's, a Monte Carlo's, an invest's or a sweep's numbers, as typed cells
with number formats (counts "#,##0", dollars, percentages), made with openpyxl.

Sheets: Headline (the folder's main JSON, field by field), Inputs (inputs.csv: unit, source,
distribution, overrides marked), the time series (timeseries.csv, or the cost curve or the sweep
table), Outlays by year (invest) and Provenance (the command, config file, hash and overrides).
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterator, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from wargame import __version__

COUNT = "#,##0"
DECIMAL = "#,##0.0##"
DOLLARS = '"$"#,##0'
PERCENT = "0.0%"
DAYS = "#,##0.0"
BOLD = Font(bold=True)
OVERRIDDEN = PatternFill("solid", fgColor="FFF2CC")  # the pale yellow of a changed cell
SHARE_KEYS = {"accepted", "risk", "confidence"}
Cell = str | int | float | bool | None


def number_format(key: str, value: float) -> str:
    """The Excel format for a number named `key` (the last part of its field or column name)."""
    name = key.lower()
    if name.endswith("usd"):
        return DOLLARS
    if name.startswith("p_") or name.endswith("_share") or name in SHARE_KEYS:
        return PERCENT
    if isinstance(value, int):
        return COUNT
    return DAYS if "day" in name or "year" in name else DECIMAL


def workbook_bytes(
    title: str,
    main: dict[str, Any],
    tables: Sequence[tuple[str, str]],
    outlays: list[dict[str, Any]] | None = None,
) -> bytes:
    """The workbook: `main` (summary.json, invest.json or indices.json) as the headline,
    `tables` (sheet name, CSV text) as typed sheets, and invest's outlays by year."""
    book = Workbook()
    book.properties.creator = f"wargame {__version__}"
    headline = book.active
    assert headline is not None  # a new workbook has one sheet
    headline.title = "Headline"
    _headline(headline, title, main)
    for name, text in tables:
        _table(book.create_sheet(name), text, marked="set_on_command_line")
    if outlays:
        _records(book.create_sheet("Outlays by year"), outlays)
    _provenance(book.create_sheet("Provenance"), main.get("provenance") or {})
    out = io.BytesIO()
    book.save(out)
    return stable(out.getvalue())


ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry
SAVED_AT = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def stable(xlsx: bytes) -> bytes:
    """The workbook without the moment it was saved (openpyxl stamps the document properties
    and every zip entry with the clock), so the same folder exports the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "docProps/core.xml":
                data = SAVED_AT.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", data)
            target.writestr(zipfile.ZipInfo(info.filename, ZIP_EPOCH), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _headline(sheet: Worksheet, title: str, main: dict[str, Any]) -> None:
    sheet.append([title])
    sheet["A1"].font = BOLD
    sheet.append(["field", "value"])
    for cell in sheet[2]:
        cell.font = BOLD
    body = {k: v for k, v in main.items() if k not in ("provenance", "outlays_by_year")}
    for path, value in _flatten(body, ""):
        if value is None and "days" in path:
            value = "never"  # a day that never came within the horizon
        _append(sheet, [path, value], [path.rsplit(".", 1)[-1]] * 2)
    sheet.column_dimensions["A"].width = 60
    sheet.column_dimensions["B"].width = 22


def _flatten(node: Any, prefix: str) -> Iterator[tuple[str, Cell]]:
    """Every scalar in `node` by dotted path (list items by index; a list of tables skipped)."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _flatten(value, f"{prefix}{key}.")
    elif isinstance(node, list):
        if any(isinstance(item, dict) for item in node):
            return
        for index, value in enumerate(node):
            yield from _flatten(value, f"{prefix}{index}.")
    else:
        yield prefix.rstrip("."), node


def _table(sheet: Worksheet, text: str, marked: str) -> None:
    """A CSV as a sheet of typed cells, header in bold; rows whose `marked` column says "yes"
    (an input set on the command line) filled in pale yellow."""
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = BOLD
    flag = header.index(marked) if marked in header else None
    named = header.index("path") if "path" in header else None
    for raw in body:
        # an input's value is formatted for the input (unit_cost_usd in dollars), not "value"
        keys = header if named is None else [raw[named] if k == "value" else k for k in header]
        _append(sheet, [typed(value) for value in raw], [k.rsplit(".", 1)[-1] for k in keys])
        if flag is not None and raw[flag] == "yes":
            for cell in sheet[sheet.max_row]:
                cell.fill = OVERRIDDEN
    sheet.freeze_panes = "A2"


def _records(sheet: Worksheet, records: list[dict[str, Any]]) -> None:
    header = list(records[0])
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = BOLD
    for record in records:
        _append(sheet, [record[key] for key in header], header)


def _provenance(sheet: Worksheet, origin: dict[str, Any]) -> None:
    sheet.append(["command", " ".join(origin.get("command", []))])
    for key in ("config_file", "config_sha256", "engine"):
        sheet.append([key, origin.get(key)])
    sheet.append([])
    sheet.append(["overridden input", "value", "value in the file"])
    for row in origin.get("overrides", []):
        sheet.append([row["path"], _text(row["value"]), _text(row["file_value"])])
    sheet.column_dimensions["A"].width = 45


def _append(sheet: Worksheet, values: Sequence[Cell], keys: Sequence[str]) -> None:
    """A row of cells, each number formatted for its column's (or field's) name."""
    sheet.append(list(values))
    for cell, key, value in zip(sheet[sheet.max_row], keys, values, strict=True):
        if isinstance(value, int | float) and not isinstance(value, bool):
            cell.number_format = number_format(key, value)


def typed(text: str) -> Cell:
    """A CSV cell as a number where it is one (int if whole in the text), else text or None."""
    if text == "":
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


def _text(value: Any) -> Cell:
    """A scalar as it is; a table or list (a distribution) as its JSON text."""
    return (
        value if isinstance(value, str | int | float | bool) or value is None else json.dumps(value)
    )
