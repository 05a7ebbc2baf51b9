"""Options shared by the commands that run scenarios (run, invest, sweep, compare)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from wargame.analysis.budget import DEFAULT_MAX_MEMORY_GIB, DEFAULT_MAX_WORK
from wargame.analysis.montecarlo import ENGINES, Engine
from wargame.errors import InputError

MAX_REPLICATIONS_ASKED = 10_000_000  # as scenario.replications; the budget may refuse fewer

EngineOption = Annotated[
    str | None,
    typer.Option(
        metavar=f"[{'|'.join(ENGINES)}]",
        help="des: the SimPy model, one replication at a time; vector: all at once "
        "[default: des for a single fixed run, vector for Monte Carlo].",
    ),
]
OutOption = Annotated[
    Path | None,
    typer.Option(
        metavar="FOLDER",
        help="Output folder, replaced as a whole by the run's files [default: run: "
        "reports/<scenario-slug>/<config hash>/; invest: reports/<scenario-slug>-invest/"
        "<config hash>-target-<days>d/; a 'latest' link beside each].",
        show_default=False,
    ),
]
MaxWorkOption = Annotated[
    float | None,
    typer.Option(
        metavar="STEPS",
        help="Refuse runs estimated above this many replication-steps (replications x steps "
        f"x (munitions + hulls)) [default: {DEFAULT_MAX_WORK:g}].",
    ),
]
MaxMemoryOption = Annotated[
    float | None,
    typer.Option(
        metavar="GIB",
        help="Memory budget in GiB: blocks of replications are sized to it and runs that "
        f"cannot fit are refused [default: {DEFAULT_MAX_MEMORY_GIB:g}].",
    ),
]


def chosen_engine(name: str | None) -> Engine | None:
    """The --engine option, checked."""
    if name is None or name in ENGINES:
        return name  # checked against ENGINES just above
    raise InputError(f"--engine {name}: choose one of {', '.join(ENGINES)}")
