"""The command line as typed, kept for the provenance of a command's outputs."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import typer
from typer._click import Context
from typer.core import TyperCommand

from wargame.config.loading import read_toml
from wargame.config.provenance import provenance

ARGV = "wargame.argv"  # where the arguments are kept in the click context's meta


class RecordedCommand(TyperCommand):
    """A command that keeps its arguments as typed (click keeps only what it parsed)."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: Context | None = None,
        **extra: Any,
    ) -> Context:
        as_typed = ["wargame", *([info_name] if info_name else []), *args]
        ctx = super().make_context(info_name, list(args), parent, **extra)
        ctx.meta[ARGV] = as_typed
        return ctx


def typed(ctx: typer.Context) -> list[str]:
    """The command's arguments as typed (RecordedCommand keeps them)."""
    return list(ctx.meta.get(ARGV, []))


def run_provenance(
    ctx: typer.Context,
    config: Path,
    overrides: Sequence[str] | None,
    config_sha256: str,
    engine: str | None,
) -> dict[str, Any]:
    """The provenance of a run of `config` (see wargame/config/provenance.py): the file is read
    again for the values that the overrides replaced."""
    file_data = read_toml(config)
    return provenance(typed(ctx), str(config), file_data, overrides or (), config_sha256, engine)
