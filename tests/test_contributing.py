"""CONTRIBUTING.md matches the code: every path, symbol and test it names exists, and its layer map
is the import graph of wargame/ (every module in one layer, no import from a layer listed later).

A module moved or renamed, a function renamed or a test deleted fails here, naming what the guide
still cites, so the guide is fixed in the same change.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

from tests.conftest import REPO

GUIDE = REPO / "CONTRIBUTING.md"
FLOW = ("config", "model", "engine", "analysis", "report", "runner", "cli")
LEAVES = "leaves"
# What the guide may cite by path: folders of the repository, and its top-level files.
PATH_ROOTS = (
    "wargame/",
    "tests/",
    "docs/",
    "configs/",
    "scripts/",
    "benchmarks/",
    ".ci/",
    ".github/",
)
TOP_FILES = re.compile(
    r"^(LICENSE|Makefile|[A-Z]+\.md|pyproject\.toml|requirements\.lock|\.[\w-]+\.yaml)$"
)
CODE = re.compile(r"`([^`\n]+)`")
SYMBOL = re.compile(r"^wargame(\.\w+)+$")
# wargame/__init__.py re-exports the API on first use, inside a function: the one upward import.
LAZY_REEXPORT = ("wargame/__init__.py", "wargame/api.py")


def cited(text: str) -> list[str]:
    """Every span the text puts in backticks."""
    return CODE.findall(text)


def is_path(span: str) -> bool:
    return span.startswith(PATH_ROOTS) or bool(TOP_FILES.match(span))


def path_missing(span: str) -> str | None:
    """Why a cited path (optionally `file.py::test_name`) does not exist, or None."""
    name, _, test = span.partition("::")
    path = REPO / name
    if not (path.is_dir() if name.endswith("/") else path.is_file()):
        return f"{name}: no such {'folder' if name.endswith('/') else 'file'}"
    if test:
        tree = ast.parse(path.read_text())
        defined = {n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef)}
        if test not in defined:
            return f"{span}: {name} defines no {test}"
    return None


def symbol_missing(span: str) -> str | None:
    """Why a cited `wargame.module.attribute...` does not resolve, or None."""
    parts = span.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target: object = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for i, attribute in enumerate(parts[cut:], start=cut):
            if not hasattr(target, attribute):
                return f"{span}: {'.'.join(parts[:i])} has no {attribute}"
            target = getattr(target, attribute)
        return None
    return f"{span}: no such module"


def missing_references(text: str) -> list[str]:
    """What the text cites that does not exist: paths, test ids and dotted symbols."""
    problems: list[str | None] = []
    for span in cited(text):
        if is_path(span):
            problems.append(path_missing(span))
        elif SYMBOL.match(span):
            problems.append(symbol_missing(span))
    return [problem for problem in problems if problem is not None]


def layer_table(text: str) -> list[tuple[str, list[str]]]:
    """The guide's layer map: the ```text block whose first line starts with "layer"."""
    for block in re.findall(r"^```text\n(.*?)^```", text, re.S | re.M):
        lines = block.splitlines()
        if lines and lines[0].startswith("layer"):
            return [(row.split()[0], row.split()[1:]) for row in lines[1:] if row.strip()]
    raise AssertionError("CONTRIBUTING.md has no layer map (a ```text block starting 'layer')")


def layer_of(table: list[tuple[str, list[str]]]) -> dict[str, tuple[int, str]]:
    """Each wargame/ module (path from the repository) -> (row, layer name), one row each."""
    owner: dict[str, tuple[int, str]] = {}
    for row, (layer, entries) in enumerate(table):
        for entry in entries:
            files = sorted((REPO / entry).rglob("*.py")) if entry.endswith("/") else [REPO / entry]
            for file in files:
                name = file.relative_to(REPO).as_posix()
                assert name not in owner, f"{name} is in two layers of CONTRIBUTING.md"
                owner[name] = (row, layer)
    return owner


def module_file(module: str) -> str | None:
    """The file of a wargame module, as a path from the repository (None: not a module)."""
    base = REPO / module.replace(".", "/")
    for file in (base.with_suffix(".py"), base / "__init__.py"):
        if file.is_file():
            return file.relative_to(REPO).as_posix()
    return None


def imports(file: Path) -> list[tuple[str, bool]]:
    """The wargame files `file` imports, each with whether the import is inside a function."""
    tree = ast.parse(file.read_text())
    nested = {
        id(inner)
        for outer in ast.walk(tree)
        if isinstance(outer, ast.FunctionDef | ast.AsyncFunctionDef)
        for inner in ast.walk(outer)
    }
    found = []
    for node in ast.walk(tree):
        modules: list[str] = []
        if isinstance(node, ast.Import):
            modules = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            subs = [f"{node.module}.{a.name}" for a in node.names]
            modules = [s for s in subs if module_file(s)] or [node.module]
        for module in modules:
            target = module_file(module) if module.split(".")[0] == "wargame" else None
            if target is not None:
                found.append((target, id(node) in nested))
    return found


def layer_violations(table: list[tuple[str, list[str]]]) -> list[str]:
    """Imports from a layer listed later than the importer's (leaves import only leaves)."""
    owner = layer_of(table)
    problems = []
    for source, (row, layer) in sorted(owner.items()):
        for target, lazy in imports(REPO / source):
            target_row, target_layer = owner[target]
            if target_layer == LEAVES or (lazy and (source, target) == LAZY_REEXPORT):
                continue
            if layer == LEAVES or target_row > row:
                problems.append(f"{source} ({layer}) imports {target} ({target_layer})")
    return problems


def test_every_path_symbol_and_test_the_guide_names_exists() -> None:
    text = GUIDE.read_text()
    spans = cited(text)
    assert sum(map(is_path, spans)) >= 60 and sum(bool(SYMBOL.match(s)) for s in spans) >= 50
    assert sum("::" in s for s in spans) >= 5  # the walk-through's tests, by name
    assert missing_references(text) == []


def test_a_moved_module_or_renamed_symbol_is_caught() -> None:
    """The check itself fails on what it exists to catch."""
    text = (
        "`wargame/engine/desx.py`, `wargame.engine.des.Theater._fire`, `wargame.engine.des.Nope`, "
        "`wargame.enginex.des`, `tests/test_peacetime.py::test_gone`, `wargame/report/templates/`"
    )
    assert missing_references(text) == [
        "wargame/engine/desx.py: no such file",
        "wargame.engine.des.Nope: wargame.engine.des has no Nope",
        "wargame.enginex.des: wargame has no enginex",
        "tests/test_peacetime.py::test_gone: tests/test_peacetime.py defines no test_gone",
    ]


def test_every_module_is_in_the_layer_map_and_the_flow_is_in_order() -> None:
    table = layer_table(GUIDE.read_text())
    names = [layer for layer, _ in table]
    assert [n for n in names if n in FLOW] == list(FLOW)
    assert " -> ".join(FLOW) in " ".join(GUIDE.read_text().split())
    modules = {p.relative_to(REPO).as_posix() for p in (REPO / "wargame").rglob("*.py")}
    assert set(layer_of(table)) == modules


def test_no_module_imports_from_a_later_layer() -> None:
    assert layer_violations(layer_table(GUIDE.read_text())) == []


@pytest.mark.parametrize(("first", "second"), [("model", "engine"), ("report", "runner")])
def test_an_upward_import_is_caught(first: str, second: str) -> None:
    """Swap two layers of the real map: the real imports between them now point upward."""
    table = layer_table(GUIDE.read_text())
    rows = [layer for layer, _ in table]
    i, j = rows.index(first), rows.index(second)
    table[i], table[j] = table[j], table[i]
    assert any(f"({second}) imports" in v for v in layer_violations(table))
