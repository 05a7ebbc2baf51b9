"""`wargame export`: an Excel workbook read back cell by cell against summary.json and the CSVs,
and static images of every chart that are valid PNG, SVG and PDF files, all joining the folder's
unit (listed in its manifest)."""

from __future__ import annotations

import csv
import io
import json
import os
import struct
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from tests.report_browser import find_browser
from tests.test_atomic import assert_whole_run
from tests.test_invest import FUNDABLE, write
from tests.test_outputs import invoke
from tests.test_sweep import RATE, write_sweep
from wargame.cli import app
from wargame.export.charts import HEIGHT, PNG_SCALE, WIDTH, report_figures
from wargame.export.workbook import COUNT, DOLLARS, PERCENT

runner = CliRunner()
STOCK = "munitions.tomahawk.inventory"


def listed(folder: Path) -> dict[str, str]:
    """The files of a whole run (tests/test_atomic.py checks every hash), by name."""
    files = assert_whole_run(folder)["files"]
    assert isinstance(files, dict)
    return files


def export(folder: Path, formats: str) -> Any:
    return invoke("export", str(folder), "--format", formats)


def sheet_rows(book: Any, name: str) -> list[tuple[Any, ...]]:
    return [tuple(cell.value for cell in row) for row in book[name].iter_rows()]


def csv_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text())))


def headline(book: Any) -> dict[str, Any]:
    """The Headline sheet's field -> cell."""
    return {row[0].value: row[1] for row in book["Headline"].iter_rows(min_row=3)}


def test_a_run_workbook_holds_typed_cells_that_match_the_outputs(
    example: Path,
    tmp_path: Path,
) -> None:
    out = tmp_path / "run"
    invoke("run", str(example), "--out", str(out), "--set", f"{STOCK}=3000")
    result = export(out, "xlsx")
    assert result.stdout.strip() == f"wrote {out / 'report.xlsx'}"
    assert "report.xlsx" in listed(out)  # one unit with the run
    book = openpyxl.load_workbook(out / "report.xlsx")
    assert book.sheetnames == ["Headline", "Inputs", "Time series", "Provenance"]
    summary = json.loads((out / "summary.json").read_text())
    fields = headline(book)
    tomahawk = summary["munitions"]["tomahawk"]
    for name in ("fired", "shortfall", "end_inventory", "inventory_at_conflict_start"):
        cell = fields[f"munitions.tomahawk.{name}"]
        assert cell.value == tomahawk[name] and isinstance(cell.value, int)
        assert cell.number_format == COUNT
    assert fields["munitions.tomahawk.days_to_depletion"].value == tomahawk["days_to_depletion"]
    assert fields["config_sha256"].value == summary["config_sha256"]
    series = csv_rows(out / "timeseries.csv")
    cells = sheet_rows(book, "Time series")
    assert list(cells[0]) == series[0] and len(cells) == len(series)
    for got, want in zip(cells[1:], series[1:], strict=True):
        for g, w in zip(got, want, strict=True):  # numbers as numbers, words as words
            assert g == int(w) and isinstance(g, int) if w.isdigit() else g == w
    inputs = {row[0].value: row for row in book["Inputs"].iter_rows(min_row=2)}
    stock = inputs[STOCK]
    assert stock[1].value == 3000 and stock[5].value == "yes" and stock[6].value == 4000
    assert stock[0].fill.fgColor.rgb.endswith("FFF2CC")  # an override stands out
    assert stock[3].value == "missiles" and "Mabus" not in str(stock[4].value)
    price = inputs["munitions.tomahawk.unit_cost_usd"]
    assert price[1].value == 2.24e6 and price[1].number_format == DOLLARS
    assert inputs["munitions.tomahawk.firing.0.rate_per_day"][5].value == "no"
    first = (out / "report.xlsx").read_bytes()
    export(out, "xlsx")  # again: the same bytes (no clock in the workbook)
    assert (out / "report.xlsx").read_bytes() == first
    provenance = sheet_rows(book, "Provenance")
    assert provenance[0][1] == f"wargame run example.toml --set {STOCK}=3000"
    assert (STOCK, 3000, 4000) in provenance


def test_a_monte_carlo_workbook_shows_chances_as_percentages(tmp_path: Path) -> None:
    from tests.test_outputs import DEFAULT

    out = tmp_path / "mc"
    invoke("run", str(DEFAULT), "--out", str(out), "--replications", "200")
    export(out, "xlsx")
    fields = headline(openpyxl.load_workbook(out / "report.xlsx"))
    summary = json.loads((out / "summary.json").read_text())
    days = summary["munitions"]["tomahawk"]["days_to_depletion"]
    cell = fields["munitions.tomahawk.days_to_depletion.p_depleted_by"]
    assert cell.value == days["p_depleted_by"] and cell.number_format == PERCENT
    assert fields["munitions.tomahawk.days_to_depletion.p50"].value == days["p50"]
    assert fields["replications"].value == 200


def test_an_invest_workbook_has_the_outlays_by_year_in_dollars(tmp_path: Path) -> None:
    config = write(FUNDABLE, tmp_path / "s.toml")
    out = tmp_path / "inv"
    invoke("invest", str(config), "--target-days", "150", "--out", str(out))
    export(out, "xlsx")
    assert "invest.xlsx" in listed(out)
    book = openpyxl.load_workbook(out / "invest.xlsx")
    assert book.sheetnames == ["Headline", "Inputs", "Cost curve", "Outlays by year", "Provenance"]
    answer = json.loads((out / "invest.json").read_text())
    assert headline(book)["total_usd"].value == pytest.approx(answer["total_usd"])
    assert headline(book)["total_usd"].number_format == DOLLARS
    rows = list(book["Outlays by year"].iter_rows())
    header = [c.value for c in rows[0]]
    assert len(rows) - 1 == len(answer["outlays_by_year"]) > 0
    for row, year in zip(rows[1:], answer["outlays_by_year"], strict=True):
        total = row[header.index("total_usd")]
        assert total.value == pytest.approx(year["total_usd"]) and total.number_format == DOLLARS
        assert row[header.index("year")].value == year["year"]


def test_a_sweep_workbook_holds_its_table(tmp_path: Path) -> None:
    spec = write_sweep(tmp_path, "grid", {RATE: {"values": [5.0, 20.0]}})
    out = tmp_path / "sweep"
    invoke("sweep", str(spec), "--out", str(out), "--workers", "1", "--no-progress")
    export(out, "xlsx")
    files = listed(out)
    assert "sweep.xlsx" in files
    assert any(name.startswith("points/") for name in files)  # points carried
    table = sheet_rows(openpyxl.load_workbook(out / "sweep.xlsx"), "Sweep table")
    assert len(table) == len(csv_rows(out / "sweep.csv"))
    assert all(isinstance(row[table[0].index("value")], float) for row in table[1:])


def test_export_refuses_what_is_not_a_whole_run(example: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    result = runner.invoke(app, ["export", str(mine)])
    assert result.exit_code == 2 and "not a wargame output folder" in result.stderr
    out = tmp_path / "run"
    invoke("run", str(example), "--out", str(out))
    (out / "summary.json").write_text("{}\n")
    result = runner.invoke(app, ["export", str(out)])
    assert result.exit_code == 2 and "changed since the run wrote it" in result.stderr
    assert not (out / "report.xlsx").exists()
    result = runner.invoke(app, ["export", str(out), "--format", "xlsx,gif"])
    assert result.exit_code == 2 and "--format 'gif'" in result.stderr


def test_without_a_browser_images_exit_2_naming_make_browser(
    example: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "run"
    invoke("run", str(example), "--out", str(out))
    before = (out / "manifest.json").read_bytes()
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    monkeypatch.delenv("WARGAME_BROWSER", raising=False)
    result = runner.invoke(app, ["export", str(out), "--format", "xlsx,png"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "make browser" in result.stderr
    assert (out / "manifest.json").read_bytes() == before and not (out / "report.xlsx").exists()


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.mark.browser
def test_every_chart_exports_as_valid_png_svg_and_pdf(
    example: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    browser = find_browser()
    if browser is None:
        message = "no headless Chromium: `make browser` installs chromium-headless-shell"
        if os.environ.get("WARGAME_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    monkeypatch.setenv("WARGAME_BROWSER", browser)
    out = tmp_path / "run"
    invoke("run", str(example), "--out", str(out))
    names = list(report_figures((out / "report.html").read_text()))
    assert len(names) >= 2  # stock and fire (nothing is delivered in a year, so no deliveries)
    export(out, "png,svg,pdf")
    files = listed(out)
    for name in names:
        assert {f"report-{name}.{fmt}" for fmt in ("png", "svg", "pdf")} <= set(files)
        png = (out / f"report-{name}.png").read_bytes()
        assert png_size(png) == (WIDTH * PNG_SCALE, HEIGHT * PNG_SCALE)
        svg = ET.fromstring((out / f"report-{name}.svg").read_bytes())
        assert svg.tag.endswith("svg") and svg.get("width") == str(WIDTH)
        pdf = (out / f"report-{name}.pdf").read_bytes()
        assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    first = {name: (out / name).read_bytes() for name in files}
    export(out, "png,svg,pdf")  # again: the same bytes (no clock, no random ids)
    assert {name: (out / name).read_bytes() for name in files} == first


def test_a_browser_that_fails_is_one_line_and_changes_nothing(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "broken-chromium"
    broken.write_text("#!/bin/sh\nexit 1\n")
    broken.chmod(0o755)
    monkeypatch.setenv("WARGAME_BROWSER", str(broken))
    out = tmp_path / "run"
    invoke("run", str(example), "--out", str(out))
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    result = runner.invoke(app, ["export", str(out), "--format", "svg"])
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1 and "could not draw the charts" in result.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_figures_are_read_back_from_the_page_as_embedded() -> None:
    from wargame.report.chart import Chart, scatter
    from wargame.report.html import figure_json

    figure = Chart([scatter(x=[0, 1], y=[2, 3], name="</script><b>")])
    page = (
        f'<script type="application/json" id="figure-data-a.b/c">{figure_json(figure)}</script>'
        '<script type="application/json" id="figure-data-stock">{"data": []}</script>'
    )
    found = report_figures(page)
    assert list(found) == ["a.b-c", "stock"]  # safe in a file name, in page order
    assert found["a.b-c"]["data"][0]["name"] == "</script><b>"
    assert found["a.b-c"]["data"][0]["y"] == [2, 3]
