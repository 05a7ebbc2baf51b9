"""A run's outputs are one unit (issue 10): a folder holds one whole run, never a mix, never a
half-written file, whatever kills the process and whenever; sweeps leave no worker behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import tomlkit
from typer.testing import CliRunner

from tests.conftest import ISSUE_EXAMPLE, scenario_data
from wargame.analysis import outdir, store
from wargame.analysis.invest_risk import RiskCheck
from wargame.cli import app
from wargame.sweep import run as sweep_run

runner = CliRunner()
WARGAME = Path(sys.executable).with_name("wargame")  # the installed command


def assert_whole_run(folder: Path) -> dict[str, object]:
    """The folder holds exactly the files its manifest names, each with its recorded hash."""
    manifest = json.loads((folder / outdir.MANIFEST).read_text())
    present = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()} - {
        outdir.MANIFEST
    }
    assert present == set(manifest["files"]), folder
    for name, digest in manifest["files"].items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest, name
    return dict(manifest)


def stages(parent: Path) -> list[Path]:
    """Staging folders beside the runs (a sweep's lock file stays: it is not a leftover)."""
    lock = f"{store.STAGING_PREFIX}lock-"
    return [
        p
        for p in parent.iterdir()
        if p.name.startswith(store.STAGING_PREFIX) and not p.name.startswith(lock)
    ]


@pytest.fixture
def example(tmp_path: Path) -> Path:
    path = tmp_path / "example.toml"
    path.write_text(ISSUE_EXAMPLE.replace("horizon_days = 365", "horizon_days = 60"))
    return path


def run(example: Path, out: Path, *extra: str) -> None:
    result = runner.invoke(app, ["run", str(example), "--out", str(out), *extra])
    assert result.exit_code == 0, result.output


def test_a_run_replaces_every_file_of_the_previous_one(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(example, out, "--engine", "vector", "--paths")  # a Monte Carlo (of one: inputs fixed)
    assert (out / "paths.csv").exists() and (out / "replications.csv").exists()
    (out / ".summary.json.123.abcd1234.tmp").write_text("{half")  # an older version's leftover
    run(example, out)
    files = assert_whole_run(out)["files"]
    assert isinstance(files, dict)
    assert sorted(p.name for p in out.iterdir()) == sorted([*files, outdir.MANIFEST])
    assert not (out / "paths.csv").exists() and not (out / "replications.csv").exists()
    assert stages(tmp_path) == []


def test_a_folder_with_other_files_is_never_replaced(example: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    result = runner.invoke(app, ["run", str(example), "--out", str(mine)])
    assert result.exit_code == 2 and "'notes.txt'" in result.stderr
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]


@pytest.mark.parametrize(
    ("mine", "named"),
    [
        ({".env": "secret", ".git/HEAD": "ref"}, "'.env'"),
        ({"report.html": "my notes", "points/data.txt": "mine"}, "'points/data.txt'"),
        ({"summary.json": "{}", "notes/x": "mine"}, "'notes'"),
    ],
)
def test_hidden_files_and_lookalikes_are_the_users(
    example: Path, tmp_path: Path, mine: dict[str, str], named: str
) -> None:
    folder = tmp_path / "mine"
    for name, text in mine.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    result = runner.invoke(app, ["run", str(example), "--out", str(folder)])
    assert result.exit_code == 2 and named in result.stderr
    assert {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()} == set(mine)


def test_folders_a_run_cannot_replace_are_refused_before_any_work(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "target").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "target")
    (tmp_path / "file").write_text("x")
    for out, said in ((".", "current folder"), ("file/sub", "is a file")):
        result = runner.invoke(app, ["run", str(example), "--out", out])
        assert result.exit_code == 2 and said in result.stderr, (out, result.output)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["example.toml", "file", "link", "target"]
    # A link (such as `latest`) given as --out is followed: the run replaces what it points at.
    assert runner.invoke(app, ["run", str(example), "--out", "link"]).exit_code == 0
    assert (tmp_path / "link").is_symlink() and (tmp_path / "target" / "summary.json").is_file()


def test_run_and_invest_keep_their_own_default_folders(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(app, ["run", str(example)]).exit_code == 0
    assert runner.invoke(app, ["invest", str(example), "--target-days", "3"]).exit_code == 0
    run_dir = tmp_path / "reports" / "tomahawk-wargame-intensity" / "latest"
    assert assert_whole_run(run_dir)["kind"] == "run"
    invest = tmp_path / "reports" / "tomahawk-wargame-intensity-invest" / "latest"
    assert assert_whole_run(invest)["kind"] == "invest"
    assert run_dir.resolve() != invest.resolve()


def test_names_that_share_a_slug_do_not_replace_each_other(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(app, ["run", str(example)]).exit_code == 0
    other = ["--set", "scenario.name='TOMAHAWK, wargame intensity'"]
    assert runner.invoke(app, ["run", str(example), *other]).exit_code == 0
    folder = tmp_path / "reports" / "tomahawk-wargame-intensity"
    runs = sorted(p for p in folder.iterdir() if not p.is_symlink())
    assert len(runs) == 2  # one folder per inputs: both runs are kept, whole
    names = {assert_whole_run(p)["scenario"] for p in runs}
    assert names == {"Tomahawk, wargame intensity", "TOMAHAWK, wargame intensity"}
    assert assert_whole_run(folder / "latest")["scenario"] == "TOMAHAWK, wargame intensity"


def dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_leftovers_of_killed_runs_are_cleaned_and_a_run_set_aside_comes_back(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    store.publish(out, {"a.txt": "old"}, {"kind": "test"})
    digest = store._digest(out.name)
    aside = tmp_path / f"{store.STAGING_PREFIX}old-{digest}-{dead_pid()}-0000"
    out.rename(aside)  # as if killed between the two renames of the fallback
    dead_stage = tmp_path / f"{store.STAGING_PREFIX}stage-{digest}-{dead_pid()}-0001"
    live_stage = tmp_path / f"{store.STAGING_PREFIX}stage-{digest}-{os.getpid()}-0002"
    for stage in (dead_stage, live_stage):
        stage.mkdir()
        (stage / store.STAGE_MARK).write_text("")
        (stage / "x").write_text("partial")
    lookalike = tmp_path / f"{store.STAGING_PREFIX}stage-zz-{dead_pid()}-0003"  # the user's
    lookalike.mkdir()
    (lookalike / "data").write_text("precious")
    store.clean_stale(out)
    assert (out / "a.txt").read_text() == "old"  # the previous run is back
    assert sorted(stages(tmp_path)) == sorted([live_stage, lookalike])  # ours only, and dead


def test_stages_killed_before_their_mark_or_after_the_swap_are_cleaned(tmp_path: Path) -> None:
    """A kill between a stage's mkdir and its mark leaves it empty; one after the exchange leaves
    it holding the run it replaced. Both are ours; a stage-named folder of the user's is not."""
    out = tmp_path / "out"
    store.publish(out, {"a.txt": "new"}, {"kind": "test"})
    digest = store._digest(out.name)
    empty = tmp_path / f"{store.STAGING_PREFIX}stage-{digest}-{dead_pid()}-0001"
    empty.mkdir()
    swapped = tmp_path / f"{store.STAGING_PREFIX}stage-{digest}-{dead_pid()}-0002"
    store.publish(swapped, {"a.txt": "old"}, {"kind": "test"})  # a whole run, manifest and all
    users = tmp_path / f"{store.STAGING_PREFIX}stage-{digest}-{dead_pid()}-0003"
    users.mkdir()
    (users / "notes.txt").write_text("precious")
    store.clean_stale(out)
    assert stages(tmp_path) == [users]
    assert (out / "a.txt").read_text() == "new"


def test_without_an_atomic_exchange_the_fallback_gives_the_same_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "_exchange", lambda a, b: False)
    out = tmp_path / "out"
    store.publish(out, {"a.txt": "old", "b.txt": "old"}, {"kind": "test"})
    store.publish(out, {"a.txt": "new"}, {"kind": "test"})
    assert assert_whole_run(out)["files"] == {"a.txt": hashlib.sha256(b"new").hexdigest()}
    assert stages(tmp_path) == []


def test_an_unwritable_folder_exits_2_with_one_line(example: Path, tmp_path: Path) -> None:
    for out in (Path("/proc/wargame-out"), tmp_path / ("x" * 300)):
        result = runner.invoke(app, ["run", str(example), "--out", str(out)])
        assert result.exit_code == 2, result.output
        assert result.stderr.count("\n") == 1 and "cannot" in result.stderr


def kill_during_write(command: list[str], parent: Path, seed: int) -> bool:
    """Start `command`, wait for its staging folder (or a random moment), and kill -9 it a
    random few milliseconds later; whether it was killed while its stage was there."""
    rng = random.Random(seed)
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + (60 if seed % 4 else rng.uniform(0.5, 4.0))
    while time.monotonic() < deadline and process.poll() is None and not stages(parent):
        time.sleep(0.001)
    time.sleep(rng.uniform(0.0, 0.03))
    staging = bool(stages(parent))
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    return staging and process.returncode == -signal.SIGKILL


@pytest.mark.parametrize("kind", ["run", "invest", "sweep"])
def test_kill_9_at_random_moments_leaves_the_old_run_or_the_new_one(
    kind: str, tmp_path: Path
) -> None:
    """kill -9 while writing, again and again: the folder always holds one whole run, with no
    temporary file in it; the next run clears what the killed ones left beside it."""
    base = tmp_path / "base.toml"
    data = scenario_data(inventory={"dist": "uniform", "low": 900, "high": 1100}, rate_per_day=10.0)  # type: ignore[arg-type]
    base.write_text(tomlkit.dumps(data))
    out = tmp_path / "out"
    if kind == "sweep":
        spec = tmp_path / "sweep.toml"
        spec.write_text(tomlkit.dumps({
            "sweep": {"name": "kill", "base": "base.toml", "design": "grid", "replications": 50,
                      "metrics": ["m.days_to_depletion.mean"]},
            "parameters": {"munitions.m.firing.0.rate_per_day": {"values": [8.0, 12.0]}},
        }))  # fmt: skip
        command = [str(WARGAME), "sweep", str(spec), "--out", str(out), "--no-progress",
                   "--workers", "1"]  # fmt: skip
    else:
        extra = ["--target-days", "20"] if kind == "invest" else ["--replications", "300"]
        command = [str(WARGAME), kind, str(base), "--out", str(out), *extra]
    assert subprocess.run(command, capture_output=True, check=False).returncode == 0
    mid_write = 0
    for attempt in range(8):
        varied = [*command, "--set", f"scenario.seed={attempt}"] if kind == "run" else command
        mid_write += kill_during_write(varied, tmp_path, attempt)
        assert_whole_run(out)
        assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
    assert mid_write >= 2  # the kills did land while a run was being written
    assert subprocess.run(command, capture_output=True, check=False).returncode == 0
    assert_whole_run(out)
    assert stages(tmp_path) == []


def write_sweep(tmp_path: Path, points: int, replications: int) -> Path:
    (tmp_path / "base.toml").write_text(tomlkit.dumps(scenario_data(
        inventory={"dist": "uniform", "low": 900, "high": 1100}, rate_per_day=10.0)))  # type: ignore[arg-type]  # fmt: skip
    spec = tmp_path / "sweep.toml"
    spec.write_text(tomlkit.dumps({
        "sweep": {"name": "s", "base": "base.toml", "design": "grid",
                  "replications": replications, "metrics": ["m.days_to_depletion.mean"]},
        "parameters": {"munitions.m.firing.0.rate_per_day":
                       {"low": 5.0, "high": 20.0, "steps": points}},
    }))  # fmt: skip
    return spec


def test_killing_a_sweep_leaves_no_worker_running(tmp_path: Path) -> None:
    psutil = pytest.importorskip("psutil")
    spec = write_sweep(tmp_path, 40, 20_000)
    command = [str(WARGAME), "sweep", str(spec), "--out", str(tmp_path / "out"), "--no-progress",
               "--workers", "2"]  # fmt: skip
    parent = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    workers: list[object] = []
    while time.monotonic() < deadline and len(workers) < 2:
        workers = [
            c for c in psutil.Process(parent.pid).children(recursive=True)
            if "resource_tracker" not in " ".join(c.cmdline())
        ]  # fmt: skip
        time.sleep(0.05)
    assert len(workers) >= 2
    parent.kill()  # kill -9 of the parent alone: its workers must notice
    parent.wait()
    _gone, alive = psutil.wait_procs(workers, timeout=10)
    assert alive == []


def test_a_corrupt_point_is_computed_again_and_said(tmp_path: Path) -> None:
    spec = write_sweep(tmp_path, 9, 50)
    out = tmp_path / "out"
    args = ["sweep", str(spec), "--out", str(out), "--no-progress", "--workers", "1"]
    assert runner.invoke(app, args).exit_code == 0
    table = (out / "sweep.csv").read_bytes()
    damaged = sorted((out / "points").glob("*.json"))
    key = damaged[2].stem
    damaged[0].write_text("")
    damaged[1].write_text("{not json")
    name = "m.days_to_depletion.mean"
    wrong: list[dict[str, object]] = [{}, {name: float("nan")}, {name: "x"}, {name: 1e400}]
    for path, metrics in zip(damaged[2:6], wrong, strict=True):
        path.write_text(json.dumps({"key": path.stem, "point": {}, "metrics": metrics}))
    damaged[6].unlink()
    damaged[6].mkdir()  # a folder where a point was
    damaged[7].unlink()
    damaged[7].symlink_to("/dev/zero")  # a device behind a link: never read
    damaged[8].unlink()
    os.mkfifo(damaged[8])  # a pipe: never opened
    again = runner.invoke(app, args)
    assert again.exit_code == 0, again.output
    assert "9 stored points could not be read and were computed again" in again.stderr
    assert "(9 computed now)" in again.stdout
    assert json.loads((out / "points" / f"{key}.json").read_text())["metrics"]
    assert (out / "sweep.csv").read_bytes() == table
    assert_whole_run(out)


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A TCP server that accepts and says nothing (an HTTP server waiting for a request)."""
    server = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    stop = threading.Event()

    def serve() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


def test_a_scheduler_that_does_not_speak_dask_is_refused_in_bounded_time(
    tmp_path: Path, silent_server: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sweep_run, "HANDSHAKE_SECONDS", 0.5)
    spec = write_sweep(tmp_path, 2, 10)
    out = tmp_path / "out"
    started = time.monotonic()
    result = runner.invoke(
        app,
        ["sweep", str(spec), "--out", str(out), "--scheduler", f"tcp://127.0.0.1:{silent_server}"],
    )
    assert result.exit_code == 2 and "no dask handshake" in result.stderr
    assert time.monotonic() - started < 30
    assert not out.exists()  # bad input writes nothing


def test_risk_zero_is_not_claimed_when_fresh_replications_run_out() -> None:
    """12 of 4,000 fresh replications ran out: a 0% risk is not met, and 0.3% is within the
    interval; the upper bound is the exact one-sided Clopper-Pearson bound."""
    check = RiskCheck(accepted=0.0, fitted=400, covered=400, checked=4000, out_before_target=12)
    assert check.p_out_before_target == 0.003
    assert 0.0047 < check.p_out_upper95 < 0.0049  # beta.ppf(0.95, 13, 3988)
    assert check.risk_met is False
    assert RiskCheck(0.01, 400, 397, 4000, 12).risk_met is True
    assert RiskCheck(0.0, 400, 400, 4000, 0).p_out_upper95 == pytest.approx(1 - 0.05 ** (1 / 4000))


def test_a_second_sweep_into_the_same_folder_is_refused(tmp_path: Path) -> None:
    spec = write_sweep(tmp_path, 2, 10)
    out = tmp_path / "out"
    with store.folder_lock(out):  # as if another sweep were writing it
        result = runner.invoke(app, ["sweep", str(spec), "--out", str(out), "--no-progress"])
    assert result.exit_code == 2 and "another sweep is writing this folder" in result.stderr
    assert runner.invoke(app, ["sweep", str(spec), "--out", str(out), "--no-progress",
                               "--workers", "1"]).exit_code == 0  # fmt: skip


def test_a_scheduler_that_greets_then_stalls_is_refused_in_bounded_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import struct

    server = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []

    def greet_and_stall() -> None:
        server.settimeout(10)
        with contextlib.suppress(OSError):
            while True:
                conn = server.accept()[0]
                conn.sendall(struct.pack("<Q", 100))  # a plausible length, then nothing
                held.append(conn)

    threading.Thread(target=greet_and_stall, daemon=True).start()
    monkeypatch.setattr(sweep_run, "HANDSHAKE_SECONDS", 0.5)
    monkeypatch.setattr(sweep_run, "CONNECT_SECONDS", 1.0)
    spec = write_sweep(tmp_path, 2, 10)
    started = time.monotonic()
    address = f"tcp://127.0.0.1:{server.getsockname()[1]}"
    result = runner.invoke(app, ["sweep", str(spec), "--out", str(tmp_path / "out"),
                                 "--scheduler", address])  # fmt: skip
    assert result.exit_code == 2, result.output
    assert time.monotonic() - started < 30
    server.close()
    for conn in held:
        conn.close()
    empty = runner.invoke(
        app, ["sweep", str(spec), "--out", str(tmp_path / "o"), "--scheduler", ""]
    )
    assert empty.exit_code == 2 and "--scheduler: empty" in empty.stderr
