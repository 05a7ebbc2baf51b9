"""Issue 16's figures, each printed beside its target, measured in one run (`make bench`).

- setup: a fresh clone's `make run` with no package cache, to its first result (s); skipped
  with BENCH_SETUP=0 (it needs the package index);
- start-up: `wargame --help` and `wargame validate`, warm, best of five (s);
- end to end: what `wargame run` does after start-up (the Monte Carlo, its statistics, its
  files and report) per replication, against the vectorised engine alone on the same
  replications, and the replications per second of both against the SimPy engine's;
- industrial: benchmarks/industrial.toml, the issue's scale scenario (30 years of daily steps from
  the decision day, three nations, six munitions, two missions, four suppliers, ten classes with
  yards and retirements): the time for all 10,000 replications, peak memory as replications
  grow four times, and the two engines on the same replications;
- a thirty-year war: benchmarks/scale.toml (a salvo every day for 30 years, hulls cycling
  throughout), the stress case: the time for 10,000, peak memory as replications and days
  double, and the two engines on the same replications;
- growth: time per replication as replications, days, munitions and hulls grow (a Markdown table
  for the README).

Times are the best of three unless said; the machine and load are printed first.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import wargame  # noqa: F401  (before numpy loads: the BLAS default the command line runs with)

# isort: split
import numpy as np

from wargame.analysis.budget import Budget, block_size, size_of
from wargame.analysis.montecarlo import BLOCK, run_montecarlo
from wargame.config.loading import load_study, validate_study
from wargame.config.uncertain import Study
from wargame.engine.des import run_des_batch
from wargame.engine.results import BATCH_OUTCOMES, BatchRun
from wargame.engine.vector import run_vector
from wargame.model.compile import BatchModel, compile_batch
from wargame.model.draws import sample
from wargame.runner import run_study

REPO = Path(__file__).resolve().parents[1]
DEFAULT = REPO / "configs" / "tomahawk-wargame.toml"
SCALE = REPO / "benchmarks" / "scale.toml"
INDUSTRIAL = REPO / "benchmarks" / "industrial.toml"
WARGAME = Path(sys.executable).with_name("wargame")
END_TO_END = 20_000  # the replications of the default run
SCALE_REPLICATIONS = int(os.environ.get("BENCH_SCALE_REPLICATIONS", "500"))
SCALE_TARGET = 10_000  # replications of the scale scenario, in under 10 s
MEMORY_GIB = 0.5  # the memory budget the memory figures run under (--max-memory-gib)
MEMORY_REPLICATIONS = 40  # the memory figures run 80 and 160 replications


def best(run: Callable[[], object], times: int = 3) -> float:
    """Best wall time of `times` runs (s)."""
    spent = []
    for _ in range(times):
        start = time.perf_counter()
        run()
        spent.append(time.perf_counter() - start)
    return min(spent)


def line(name: str, value: str, target: str, met: bool | None) -> None:
    """One figure beside its target."""
    verdict = "" if met is None else ("met" if met else "NOT MET")
    print(f"  {name:<58} {value:>16}   target {target:<14} {verdict}")


def batch(study: Study, replications: int) -> BatchModel:
    """A compiled batch of replications 0 .. replications - 1."""
    seed = study.scenario.scenario.seed
    return compile_batch(study.scenario, sample(study.uncertain, seed, np.arange(replications)))


def setup() -> None:
    """A fresh clone's `make run`, no package cache: seconds to the first result."""
    if os.environ.get("BENCH_SETUP", "1") == "0":
        print("  setup: skipped (BENCH_SETUP=0)")
        return
    folder = Path(tempfile.mkdtemp(prefix="wargame-setup-"))
    try:
        clone = folder / "clone"
        subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True)
        env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "UV_CACHE_DIR")}
        env |= {"UV_CACHE_DIR": str(folder / "uv-cache"), "PIP_NO_CACHE_DIR": "1"}
        start = time.perf_counter()
        done = subprocess.run(
            ["make", "run"], cwd=clone, env=env, capture_output=True, text=True, check=True
        )
        spent = time.perf_counter() - start
        steps = [t for t in done.stderr.splitlines() if t.startswith(("setup: ", "compil"))]
        for text in steps:
            print(f"    {text}")
        line(
            "fresh clone, `make run` to its first result", f"{spent:.1f} s", "<= 20 s", spent <= 20
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def startup() -> None:
    """`wargame --help` and `wargame validate`, warm."""
    for args in (["--help"], ["validate", str(DEFAULT)]):
        run = ["wargame", *args[:1]]
        spent = best(
            lambda a=args: subprocess.run(
                [str(WARGAME), *a], check=True, capture_output=True, cwd=REPO
            ),
            times=5,
        )
        line(" ".join(run), f"{spent:.3f} s", "< 0.3 s", spent < 0.3)


def end_to_end() -> None:
    """The default scenario: the CLI's work per replication against the engines'."""
    study = load_study(DEFAULT)
    run_montecarlo(study, 10)  # the compiled core, loaded or built
    des_model = batch(study, 500)
    des = 500 / best(lambda: run_des_batch(des_model))
    model = batch(study, END_TO_END)
    engine = best(lambda: run_vector(model)) / END_TO_END
    work = best(lambda: run_study(study, END_TO_END, "vector")) / END_TO_END
    out = Path(tempfile.mkdtemp(prefix="wargame-e2e-"))
    try:
        cli = best(
            lambda: subprocess.run(
                [
                    str(WARGAME),
                    "run",
                    str(DEFAULT),
                    "--replications",
                    str(END_TO_END),
                    "--out",
                    str(out / "run"),
                ],
                check=True,
                capture_output=True,
            )
        )
    finally:
        shutil.rmtree(out, ignore_errors=True)
    print(f"  default scenario, {END_TO_END:,} replications; SimPy engine {des:,.0f}/s")
    line("vectorised engine alone, replications/s", f"{1 / engine:,.0f}", "", None)
    line("  against the SimPy engine", f"{1 / engine / des:,.0f}x", "", None)
    line("`wargame run`'s work (MC, statistics, files, report), /s", f"{1 / work:,.0f}", "", None)
    line(
        "  its cost per replication over the engine's",
        f"{work / engine:.1f}x",
        "<= 2x",
        work <= 2 * engine,
    )
    line("  against the SimPy engine", f"{1 / work / des:,.0f}x", ">= 100x", 1 / work / des >= 100)
    per = cli / END_TO_END
    line("whole `wargame run` process (start-up included), /s", f"{1 / per:,.0f}", "", None)
    line("  against the SimPy engine", f"{1 / per / des:,.0f}x", "", None)


def scale_study(**changes: Any) -> Study:
    """benchmarks/scale.toml with top-level tables changed: a value replaces, None removes."""
    data = tomllib.loads(SCALE.read_text())
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return validate_study(data, str(SCALE))


def timed_montecarlo(study: Study, replications: int) -> float:
    """Seconds for a Monte Carlo of `replications` without fan paths (best of one: long)."""
    return best(lambda: run_montecarlo(study, replications, fan=0), times=1)


def peak_memory(study: Study, replications: int) -> tuple[float, int]:
    """Peak traced memory (MiB; numpy's arrays included) of a Monte Carlo of `replications` in
    the blocks `wargame run` would use with a MEMORY_GIB budget, and that block size."""
    block = block_size(size_of(study.scenario), BLOCK, Budget(memory_bytes=MEMORY_GIB * 2**30))
    tracemalloc.start()
    run_montecarlo(study, replications, block=block, fan=0)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20, block


def same(a: BatchRun, b: BatchRun) -> bool:
    """Every outcome of every replication equal (NaN equal to NaN)."""
    pairs = zip(a.munitions, b.munitions, strict=True)
    return all(
        np.array_equal(getattr(x, f), getattr(y, f), equal_nan=f == "days_to_depletion")
        for x, y in pairs
        for f in BATCH_OUTCOMES
    )


def industrial() -> None:
    """benchmarks/industrial.toml, the issue's scale scenario: speed, memory as replications
    double, and the engines' agreement."""
    study = load_study(INDUSTRIAL)
    scaled(study, INDUSTRIAL.name, "< 10 s", SCALE_TARGET)  # all 10,000: about 6 s
    _, block = peak_memory(study, 2)
    peak_memory(study, 2 * block)  # one-off allocations (numba's type caches) aside
    # whole blocks (the same size in both), four times the replications: memory that grew with
    # them would be 4x; a block's schedules vary with its draws, so allow for the largest
    first, _ = peak_memory(study, 2 * block)
    second, _ = peak_memory(study, 8 * block)
    line(
        f"peak memory, {2 * block} -> {8 * block} replications (MiB)",
        f"{first:,.0f} -> {second:,.0f}",
        "not x reps",
        second < 1.5 * first,
    )
    print(f"    (blocks of {block} replications: a {MEMORY_GIB:g} GiB budget)")
    agree(study)


def scaled(study: Study, name: str, target: str, replications: int = SCALE_REPLICATIONS) -> None:
    """Time 10,000 replications of `study` (projected from `replications` when fewer)."""
    run_montecarlo(study, 4, fan=0)  # compile or load the core with hulls
    spent = timed_montecarlo(study, replications)
    projected = spent * SCALE_TARGET / replications
    how = "measured" if replications >= SCALE_TARGET else f"from {replications:,}"
    print(f"  {name}: {os.cpu_count()} cores")
    met = projected < 10 if target else None
    line(f"{SCALE_TARGET:,} replications ({how})", f"{projected:.1f} s", target, met)


def agree(study: Study) -> None:
    """Both engines on the same three replications, every outcome."""
    model = batch(study, 3)
    start = time.perf_counter()
    same_runs = same(run_des_batch(model), run_vector(model))
    line(
        f"SimPy and vectorised engines, 3 replications ({time.perf_counter() - start:.0f} s)",
        "equal" if same_runs else "DIFFER",
        "equal",
        same_runs,
    )


def scale() -> None:
    """benchmarks/scale.toml, a thirty-year war: speed, memory and the engines' agreement."""
    study = scale_study()
    scaled(study, SCALE.name, "")
    # Blocks are sized to the memory budget (as `wargame run` sizes them), so memory holds one
    # block's schedules and every replication's outcomes: flat as replications and days double.
    peak_memory(study, MEMORY_REPLICATIONS)  # one-off allocations (numba's type caches) aside
    first, block = peak_memory(study, 2 * MEMORY_REPLICATIONS)
    second, _ = peak_memory(study, 4 * MEMORY_REPLICATIONS)
    half = dict(tomllib.loads(SCALE.read_text())["scenario"], horizon_days=10950 // 2)
    shorter, _ = peak_memory(scale_study(scenario=half), 4 * MEMORY_REPLICATIONS)
    line(
        f"peak memory, {2 * MEMORY_REPLICATIONS} -> {4 * MEMORY_REPLICATIONS} replications (MiB)",
        f"{first:,.0f} -> {second:,.0f}",
        "not x reps",
        second < 1.25 * first,
    )
    line(
        f"peak memory, {4 * MEMORY_REPLICATIONS} replications, 15 -> 30 years (MiB)",
        f"{shorter:,.0f} -> {second:,.0f}",
        "not x days",
        second < 1.25 * shorter,
    )
    print(f"    (blocks of {block} replications at 30 years: a {MEMORY_GIB:g} GiB budget)")
    agree(study)


def growth() -> None:
    """Seconds per 1,000 replications as each dimension grows (a Markdown table)."""
    base = tomllib.loads(SCALE.read_text())
    meta = base["scenario"]
    munitions_only = {"platforms": None, "ports": None}
    rows: list[tuple[str, str, float]] = []
    count = max(50, SCALE_REPLICATIONS // 2)
    study = scale_study(**munitions_only)
    for replications in (count, 2 * count, 4 * count):
        rows.append(
            (
                "replications",
                f"{replications:,}",
                timed_montecarlo(study, replications) * 1000 / replications,
            )
        )
    for years in (5, 10, 20, 30):
        changed = scale_study(scenario=dict(meta, horizon_days=365 * years), **munitions_only)
        rows.append(("days", f"{365 * years:,}", timed_montecarlo(changed, count) * 1000 / count))
    for kept in (2, 4, 6):
        rows.append(
            (
                "munitions",
                str(kept),
                timed_montecarlo(_first_munitions(base, kept), count) * 1000 / count,
            )
        )
    for hulls in (0, 28, None):  # none; the 28 at the start; and the 124 the yards add
        if hulls == 0:
            changed = study
        else:
            platforms = base["platforms"]
            if hulls is not None:  # the initial hulls only: the yards build none
                platforms = {
                    name: {k: v for k, v in spec.items() if k != "yard"}
                    for name, spec in platforms.items()
                }
            changed = scale_study(platforms=platforms)
        label = "124 (28 + yards)" if hulls is None else str(hulls)
        rows.append(("hulls", label, timed_montecarlo(changed, count) * 1000 / count))
    print("\n| grows | value | s per 1,000 replications |\n|---|---|---|")
    for dimension, value, seconds in rows:
        print(f"| {dimension} | {value} | {seconds:.2f} |")


def _first_munitions(base: dict[str, Any], kept: int) -> Study:
    """The munitions-only scale scenario with its first `kept` munitions (missions trimmed)."""
    names = list(base["munitions"])[:kept]
    missions = {}
    for name, mission in base["missions"].items():
        members = [m for m in mission["munitions"] if m["name"] in names]
        if members:
            missions[name] = dict(mission, munitions=members)
    return scale_study(
        munitions={n: base["munitions"][n] for n in names},
        missions=missions,
        platforms=None,
        ports=None,
    )


def main() -> None:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, load {load:.1f}, Python "
        f"{platform.python_version()}"
    )
    for title, part in (
        ("setup", setup),
        ("start-up", startup),
        ("end to end", end_to_end),
        ("industrial scale", industrial),
        ("a thirty-year war", scale),
        ("growth", growth),
    ):
        print(f"{title}:")
        part()


if __name__ == "__main__":
    main()
