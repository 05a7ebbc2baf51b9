"""`wargame export`: a workbook and static chart images for a folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from wargame.cli import bad_input_exits, click_command, new_app
from wargame.export import FORMATS, export_folder, parse_formats
from wargame.recorded import RecordedCommand

command_app = new_app()


@command_app.command(cls=RecordedCommand)
@bad_input_exits
def export(
    folder: Annotated[
        Path,
        typer.Argument(
            metavar="FOLDER", help="A run, Monte Carlo, invest or sweep folder.", show_default=False
        ),
    ],
    formats: Annotated[
        str,
        typer.Option(
            "--format",
            metavar=f"[{'|'.join(FORMATS)}],...",
            help="Comma list: xlsx, one workbook of the folder's numbers; png, svg, pdf, "
            "each chart of its report (needs chromium-headless-shell: make browser).",
        ),
    ] = "xlsx",
) -> None:
    """Add a workbook and static images of the charts to a folder (listed in its manifest)."""
    written = export_folder(folder, parse_formats(formats))
    for path in written:
        typer.echo(f"wrote {path}")


command = click_command(command_app)
