"""Start-up: `wargame --help` and `wargame validate` import no heavy library, and each command
lives in its own module, imported only when that command runs (wargame/cli/__init__.py).

Not timed (timings belong to `make bench`): what is imported decides the start-up time, and a
subprocess shows exactly what a command imports.
"""

from __future__ import annotations

import importlib
import inspect
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from wargame.cli import COMMANDS

HEAVY = ("scipy", "plotly", "numba", "dask", "pyarrow", "pandas", "distributed", "simpy")
# Runs the command line in a fresh interpreter, then prints the top-level packages it imported.
PROBE = """
import json, sys
sys.argv = ["wargame", *json.loads(sys.argv[1])]
from wargame.cli import main
try:
    main()
except SystemExit as exit:
    code = exit.code
print("\\n" + json.dumps({"code": code, "modules": sorted({m.split(".")[0] for m in sys.modules})}))
"""


def imported(*args: str) -> tuple[int, set[str]]:
    """The exit code of `wargame ARGS` and the top-level packages it imported."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(list(args))],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
    )
    result = json.loads(done.stdout.splitlines()[-1])
    return result["code"], set(result["modules"])


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("validate", "configs/tomahawk-wargame.toml"),
        ("validate", "configs/taiwan-fleet.toml"),
        ("validate", "configs/indo-pacific-coalition.toml"),
        ("version",),
    ],
)
def test_help_and_validate_import_no_heavy_library(args: tuple[str, ...]) -> None:
    code, modules = imported(*args)
    assert code == 0
    assert modules.isdisjoint(HEAVY), sorted(modules & set(HEAVY))


@pytest.mark.parametrize(
    "config", ["configs/tomahawk-wargame.toml", "configs/indo-pacific-coalition.toml"]
)
def test_validate_draws_no_number_with_numpy(config: str) -> None:
    """Medians and ranges of uniform, triangular and fixed inputs are worked out with `math`
    (config/uncertain.py): validating a file loads numpy only for a distribution that needs it."""
    code, modules = imported("validate", config)
    assert code == 0
    assert "numpy" not in modules


def test_validate_loads_numpy_where_a_distribution_needs_it(tmp_path: Path) -> None:
    """The probe above can fail: a normal distribution's median is scipy's."""
    text = (REPO / "configs" / "tomahawk-wargame.toml").read_text()
    changed = tmp_path / "normal.toml"
    changed.write_text(
        text.replace(
            'inventory = { dist = "uniform", low = 3000, high = 4000 }',
            'inventory = { dist = "normal", mean = 3500, sd = 200 }',
        )
    )
    code, modules = imported("validate", str(changed))
    assert code == 0
    assert {"numpy", "scipy"} <= modules


def test_help_imports_no_command_module() -> None:
    _, modules = imported("--help")
    assert "wargame" in modules
    done = subprocess.run(
        [sys.executable, "-c", PROBE.replace('m.split(".")[0]', "m"), '["--help"]'],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
    )
    loaded = set(json.loads(done.stdout.splitlines()[-1])["modules"])
    assert {f"wargame.cli.{name}" for name in COMMANDS}.isdisjoint(loaded)
    assert "wargame.config" not in loaded


def test_a_run_imports_only_what_it_uses(tmp_path: Path) -> None:
    """`wargame run` loads the engines and the report, not what other commands need (the
    sweep's dask and parquet, invest's LP solver, scipy.stats: over half a second each), nor
    plotly: the report writes plotly.js's JSON itself (report/chart.py)."""
    out = str(tmp_path / "out")
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            PROBE.replace('m.split(".")[0]', "m"),
            json.dumps(["run", "configs/tomahawk-wargame.toml", "--out", out]),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
    )
    found = json.loads(done.stdout.splitlines()[-1])
    assert found["code"] == 0
    loaded = set(found["modules"])
    assert {"numba", "wargame.report.html"} <= loaded
    unused = (
        *("scipy.stats", "scipy.optimize", "dask", "distributed", "pyarrow", "pandas"),
        *("SALib", "plotly"),
    )
    assert loaded.isdisjoint(unused), sorted(loaded & set(unused))


def test_a_run_does_import_what_it_uses() -> None:
    """The probe sees imports: `run --help` loads the engines (so the checks above can fail)."""
    code, modules = imported("run", "--help")
    assert code == 0
    assert {"numba", "scipy"} <= modules


def test_every_command_module_is_listed_with_its_own_summary() -> None:
    modules = {p.stem for p in (REPO / "wargame" / "cli").glob("*.py")} - {"__init__", "options"}
    assert set(COMMANDS) == modules
    for name, summary in COMMANDS.items():
        command = importlib.import_module(f"wargame.cli.{name}").command
        assert command.name == name
        assert command.callback is not None
        first_paragraph = (inspect.getdoc(command.callback) or "").split("\n\n")[0]
        assert summary == " ".join(first_paragraph.split()), name


@pytest.mark.parametrize(("given", "expected"), [(None, "1"), ("2", "2")])
def test_numpy_blas_runs_on_one_thread_unless_the_user_says(
    given: str | None, expected: str
) -> None:
    """`import wargame` (which the command line does before numpy loads) leaves numpy's BLAS
    one thread: a second one spinning after each small product took a core from the engine."""
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if given is not None:
        env["OPENBLAS_NUM_THREADS"] = given
    probe = (
        "import os, sys, wargame; print(os.environ['OPENBLAS_NUM_THREADS'], 'numpy' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True
    )
    assert done.stdout.split() == [expected, "False"]
