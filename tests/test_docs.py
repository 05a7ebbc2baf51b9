"""Every example in README.md and docs/*.md runs.

- Each `wargame ...` or `.venv/bin/wargame ...` command in a ```sh block runs, in order per page,
  through the CLI in a fresh working folder holding a copy of configs/ (so relative paths and
  default output folders land there). It must exit 0, or the code its comment names ("exits 3").
  A command whose comment says "not run by the tests" is skipped (kept for what the test machine
  cannot offer, such as a dask scheduler); SKIPPED_AT_MOST bounds how many there may be.
- Each ```toml block holding a [scenario] table validates as a scenario; each holding a [sweep]
  table loads as a sweep (written into the copied configs/sweeps/, where its base resolves).
- Each ```python block runs in that working folder.

To keep the suite quick, one explicit rule shrinks the work, never the commands' meaning: the
copied sweep files run 100 replications a point, --replications is capped at 2,000, and
--precision stops at 5,000 replications (--max-replications).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import tomlkit
from typer.testing import CliRunner

from tests.conftest import REPO
from wargame.cli import app
from wargame.config.loading import validate_study
from wargame.sweep.loading import load_sweep

PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
BLOCK = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)
SKIP = "not run by the tests"
SKIPPED_AT_MOST = 2
SWEEP_REPLICATIONS = 100
MAX_REPLICATIONS = 2000
PRECISION_CAP = 5000

runner = CliRunner()


def blocks(page: Path, language: str) -> list[str]:
    return [body for lang, body in BLOCK.findall(page.read_text()) if lang == language]


def commands(script: str) -> Iterator[tuple[str, str]]:
    """(command, comment) for each wargame command of a sh block, continuations joined."""
    logical: list[str] = []
    for line in script.splitlines():
        logical.append(line.rstrip("\\").rstrip() if line.endswith("\\") else line)
        if not line.endswith("\\"):
            text = " ".join(part.strip() for part in logical)
            logical = []
            code, _, comment = text.partition(" # ")
            words = code.split()
            if words and words[0] in ("wargame", ".venv/bin/wargame"):
                yield code.strip(), comment


def shrunk(args: list[str]) -> list[str]:
    """The documented rule: fewer replications, the same command."""
    out = list(args)
    if "--replications" in out:
        i = out.index("--replications") + 1
        out[i] = str(min(int(out[i]), MAX_REPLICATIONS))
    if "--precision" in out and "--max-replications" not in out:
        out += ["--max-replications", str(PRECISION_CAP)]
    return out


@pytest.fixture
def workdir(tmp_path: Path) -> Iterator[Path]:
    """A working folder with a copy of configs/ (sweeps shrunk), as the current directory."""
    shutil.copytree(REPO / "configs", tmp_path / "configs")
    for spec in (tmp_path / "configs" / "sweeps").glob("*.toml"):
        document = tomlkit.parse(spec.read_text())
        document["sweep"]["replications"] = SWEEP_REPLICATIONS
        spec.write_text(tomlkit.dumps(document))
    before = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(before)


def run(command: str, comment: str, where: Path) -> None:
    """One documented command through the CLI; `> FILE` is honoured, /tmp is kept inside."""
    code, _, redirect = command.partition(" > ")
    args = shrunk(shlex.split(code.replace("/tmp/", f"{where}/tmp-"))[1:])
    expected = int(found[1]) if (found := re.search(r"exits (\d)", comment)) else 0
    result = runner.invoke(app, args)
    assert result.exit_code == expected, f"{command}\n{result.output}"
    if redirect:
        (where / redirect.strip()).write_text(result.stdout)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_command_runs(page: Path, workdir: Path) -> None:
    skipped = 0
    for script in blocks(page, "sh"):
        for command, comment in commands(script):
            if SKIP in comment:
                skipped += 1
                continue
            run(command, comment, workdir)
    assert skipped <= SKIPPED_AT_MOST


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_python_example_runs(page: Path, workdir: Path) -> None:
    for number, code in enumerate(blocks(page, "python")):
        exec(compile(code, f"{page.name} python block {number}", "exec"), {})


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_whole_scenario_and_sweep_validates(page: Path, workdir: Path) -> None:
    for number, text in enumerate(blocks(page, "toml")):
        data = tomlkit.parse(text).unwrap()
        if "sweep" in data:
            spec = workdir / "configs" / "sweeps" / f"docs-{number}.toml"
            spec.write_text(text)
            assert load_sweep(spec).spec.sweep.name
        elif "scenario" in data:
            assert validate_study(data, f"{page.name} toml block {number}").scenario


def test_the_pages_hold_examples() -> None:
    """The test is not vacuous: the guide's pages have commands, a python and a toml example."""
    found = [c for page in PAGES for s in blocks(page, "sh") for c in commands(s)]
    assert len(found) >= 25
    assert any(blocks(page, "python") for page in PAGES)
    assert sum(len(blocks(page, "toml")) for page in PAGES) >= 3
    for name in (
        "scenarios",
        "montecarlo",
        "invest",
        "launchers-and-yards",
        "sweeps",
        "compare",
        "shipbuilding",
    ):
        assert blocks(REPO / "docs" / f"{name}.md", "sh"), name
