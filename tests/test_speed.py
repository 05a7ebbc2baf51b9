"""Issue 16's structure, not its timings (those are `make bench`'s): the scale benchmark runs
and the engines agree on it, a munitions-only scenario never builds the hulls' code, a compile
is announced once, and the setup script refuses what it does not know."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
from typer.testing import CliRunner

from tests.conftest import REPO
from tests.test_vector import assert_same
from wargame.cli import app
from wargame.config.loading import load_study
from wargame.engine.des import run_des_batch
from wargame.engine.vector import run_vector
from wargame.jit import first_call
from wargame.model.compile import compile_batch
from wargame.model.draws import sample
from wargame.progress import notices_to

SCALE = REPO / "benchmarks" / "scale.toml"
# Two years of the scale scenario: the same tables, short enough for the SimPy engine here.
SHORT = ("scenario.horizon_days=730",)


def test_the_scale_benchmark_validates_and_runs(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["validate", str(SCALE)]).exit_code == 0
    args = ["run", str(SCALE), "--replications", "20", "--out", str(tmp_path / "out")]
    result = runner.invoke(app, [*args, *(f"--set={s}" for s in SHORT)])
    assert result.exit_code == 0, result.output
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert len(summary["munitions"]) == 6 and summary["replications"] == 20


def test_the_engines_agree_on_the_scale_benchmark() -> None:
    study = load_study(SCALE, SHORT)
    draws = sample(study.uncertain, study.scenario.scenario.seed, np.arange(6))
    model = compile_batch(study.scenario, draws)
    assert model.fleet is not None and len(model.munitions) == 6 and len(model.groups) >= 2
    des, vector = run_des_batch(model), run_vector(model)
    assert_same(des, vector)
    assert des.hulls_lost is not None and des.hulls_lost.sum() > 0  # the hulls' phases ran


PRUNED = """
import json
from pathlib import Path
from wargame.analysis.montecarlo import run_montecarlo
from wargame.config.loading import load_study
from wargame.engine import hulls, kernel
run_montecarlo(load_study(Path("configs/tomahawk-wargame.toml")), 20)
print(json.dumps({
    "core": [str(s) for s in kernel.run_batch.signatures],
    "hulls": sum(len(f.signatures) for f in (hulls.choose, hulls.work_ports, hulls.lose)),
}))
"""


def test_a_munitions_only_scenario_never_builds_the_hulls_code() -> None:
    """The core is typed with no classes, so numba prunes the hulls' branch: their functions
    are neither compiled nor loaded (a fresh process, so nothing else asked for them)."""
    done = subprocess.run(
        [sys.executable, "-c", PRUNED], capture_output=True, text=True, cwd=REPO, check=True
    )
    found = json.loads(done.stdout.splitlines()[-1])
    assert len(found["core"]) == 1 and "none" in found["core"][0]
    assert found["hulls"] == 0


def test_a_compile_is_announced_once(tmp_path: Path) -> None:
    said: list[str] = []
    with notices_to(said.append):
        with first_call("core", "the test core", tmp_path):
            pass
        with first_call("core", "the test core", tmp_path):
            pass  # the same process: known built
    assert [text.split(" (")[0].split(" in ")[0] for text in said] == [
        "compiling the test core",
        "compiled the test core",
    ]
    assert (tmp_path / "core.built").is_file()
    with notices_to(said.append), first_call("other", "another core", tmp_path / "elsewhere"):
        pass
    assert said[-1].startswith("compiled another core")


def test_a_built_core_is_not_announced_again(tmp_path: Path) -> None:
    (tmp_path / "core.built").touch()  # built by an earlier process
    said: list[str] = []
    with notices_to(said.append), first_call("core", "the test core", tmp_path):
        pass
    assert said == []


def test_the_setup_script_refuses_an_unknown_step() -> None:
    done = subprocess.run(
        ["bash", "scripts/setup.sh", "everything"], capture_output=True, text=True, cwd=REPO
    )
    assert done.returncode == 2
    assert done.stderr.strip() == "usage: scripts/setup.sh runtime|dev|lock"
