"""Benchmark the app's screening path on a folder: each stage's cost per film, the ideal they allow, end to end.

    python benchmarks/screen_folder.py DIR [--models-dir DIR] [--model NAME] [--limit N] [--full-size 2000]
        [--threads N] [--decode-workers N] [--repeat 3] [--heatmaps 5]

In ``--repeat`` interleaved rounds on the same files (so a burst of load on a shared machine hits every
figure, not one), each round measures:

- every stage of `desktop.screening.pipeline`, one film at a time on the calling thread, wall and CPU
  milliseconds per film (CPU of the whole process, so an inference on T threads counts all of them);
- end to end through `desktop.screening.batch.run_batch`, exactly the app's path (scan, SHA-256,
  decoding in the decode workers ahead of inference, the safety checks of `cxrcore.safety.checks`, one
  commit per result to a temporary store), with the safety checks and without them;
- the CPU that this process and the machine's other processes used meanwhile (`CpuClock`).

**The ideal** is the tightest of three bounds, each from the stage costs: the cores ÷ the CPU all stages
cost per film (nothing can beat full cores); the decode workers and the engine thread ÷ the wall time
of all stages (each thread does one film at a time, and the engine thread also prepares films while it
would otherwise wait, so any of them may run the decode side: SHA-256, decode, resize, the safety checks'
numpy half, the DICOM header); the engine thread ÷ the wall time of its own stages (the safety checks'
engines, inference: one thread, because LiteRT engines are not thread-safe). The commit thread waits on
the disk, not on a core, and is left out. End to end ÷ ideal says how much the overlapping loses (the goal: ≥ 0.85). The
same ideal on the cores other processes left free says how much of that loss was the machine's other
load; it is no substitute for the first on an idle machine, because other processes also fill any core
this one leaves idle, which would hide a pipeline that does not keep its cores busy.

``--full-size W`` first writes each film resampled to W×1.2W as a quality-95 JPEG into a temporary
folder and screens those: the shared data holds 224-pixel films, while a clinic's detector exports are
2,000–3,000 pixels wide, and decoding cost grows with size. Also printed: the peak resident memory and
the heatmap's cost per film by both methods on the same films (the occlusion heatmap, 65 inferences;
the class-activation map, one inference, when the build outputs its feature map).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
from PIL import Image

from cxrcore.files import sha256_file
from cxrcore.memory import keep_freed_memory
from cxrcore.safety.checks import SafetyChecks
from cxrcore.safety.gate import VIEW_SIDE
from desktop.paths import model_search_dirs, safety_dir
from desktop.screening.batch import run_batch
from desktop.screening.catalog import discover
from desktop.screening.film_metadata import read_film_metadata
from desktop.screening.heatmap import DEFAULT_GRID, class_activation_heatmap, occlusion_heatmap
from desktop.screening.pipeline import decode_workers_for
from desktop.screening.routing import Router, Selection
from desktop.screening.scan import collect_inputs
from desktop.screening.store import ResultStore

GOAL_RATIO = 0.85
#: Stages of the decode side (`desktop.screening.pipeline._prepare`); the rest run on the
#: engine thread (`_finish`). The two safety stages are what screening without the checks skips.
WORKER_STAGES = ("SHA-256", "decode", "resize", "safety checks, numpy half", "DICOM header")
SAFETY_STAGES = ("safety checks, numpy half", "safety checks, engine half")
_PROC_STAT = Path("/proc/stat")


def _machine_busy_s() -> tuple[float, float] | None:
    """CPU seconds on all cores since boot of all work (user, nice, system, irq, softirq, steal) and of
    the niced part of it; None off Linux. Niced work counts as load: with autogroup scheduling (Linux's
    default) a niced process started from another session still gets that session's fair share."""
    try:
        fields = _PROC_STAT.read_text().splitlines()[0].split()
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(value) for value in fields[1:9])
    tick = os.sysconf("SC_CLK_TCK")
    return (user + nice + system + irq + softirq + steal) / tick, nice / tick


@dataclass(frozen=True)
class CpuShare:
    """One measured stretch: its wall time and the cores (CPU seconds per second) used meanwhile by this
    process, by all other processes and by the niced ones among them (None off Linux)."""

    wall_s: float
    own_cores: float
    others_cores: float | None
    niced_cores: float | None


class CpuClock:
    """``with CpuClock() as clock: ...``, then ``clock.share``: an ideal assumes every core is ours, and on
    a shared machine it is not; the machine-wide counters beside our own say how many cores others used."""

    share: CpuShare

    def __enter__(self) -> CpuClock:
        self._start = (time.perf_counter(), time.process_time(), _machine_busy_s())
        return self

    def __exit__(self, *_: object) -> None:
        end = (time.perf_counter(), time.process_time(), _machine_busy_s())
        wall, own = end[0] - self._start[0], end[1] - self._start[1]
        others = niced = None
        if end[2] is not None and self._start[2] is not None:
            others = max(0.0, end[2][0] - self._start[2][0] - own) / wall
            niced = (end[2][1] - self._start[2][1]) / wall
        self.share = CpuShare(wall, own / wall, others, niced)


def peak_rss_mb() -> float | None:
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB on Linux


def full_size_copies(files: list[Path], width: int, folder: Path) -> list[Path]:
    """Each film resampled to width×1.2·width (bicubic) as a quality-95 JPEG in ``folder``."""
    copies = []
    for index, path in enumerate(files):
        target = folder / f"{index:05d}-{path.stem}.jpg"
        with Image.open(path) as image:
            image.convert("L").resize((width, round(1.2 * width)), Image.Resampling.BICUBIC).save(target, quality=95)
        copies.append(target)
    return copies


@dataclass(frozen=True)
class StageCost:
    """Milliseconds per film of one stage, wall and CPU (whole process), and the minor page faults it took
    (None off Unix): a fault is the kernel mapping a fresh zeroed page, the price of memory the allocator
    handed back and asks for again (`cxrcore.memory`)."""

    wall_ms: float
    cpu_ms: float
    faults: float | None = None


def minor_faults() -> int | None:
    """Minor page faults of this process so far; None where ``resource`` is missing (Windows)."""
    try:
        import resource
    except ImportError:
        return None
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def time_stages(router: Router, safety: SafetyChecks, files: list[Path]) -> dict[str, StageCost]:
    """Each pipeline stage's cost per film, taken film by film in the pipeline's order.

    Film by film, as `desktop.screening.pipeline` runs them, not stage by stage over all files: a stage
    repeated over many films in a row keeps its code and tables in the CPU's caches and measured 7–14%
    cheaper than the same work done film after film (2026-12-03, 2000-pixel JPEGs): an ideal no pipeline
    reaches.
    """
    route = router.routes[0]
    stages: tuple[tuple[str, Callable[[dict], object]], ...] = (
        ("SHA-256", lambda film: sha256_file(film["path"])),
        ("decode", lambda film: router.decode(film["path"])),
        ("resize", lambda film: router.model_grays(film["decode"])),
        ("safety checks, numpy half",
         lambda film: safety.inspect(film["decode"], film["resize"].get((VIEW_SIDE, VIEW_SIDE)))),
        ("DICOM header", lambda film: read_film_metadata(film["path"])),
        ("safety checks, engine half", lambda film: safety.judge(film["safety checks, numpy half"])),
        ("inference", lambda film: route.classifier.classify_gray(film["resize"][route.size])),
    )
    wall = dict.fromkeys((name for name, _ in stages), 0.0)
    cpu, faults = dict(wall), dict(wall)
    counted = minor_faults() is not None
    for path in files:
        film: dict = {"path": path}
        for name, stage in stages:
            start_faults = minor_faults()  # read outside the timed span: the system call is not the stage's
            start_wall, start_cpu = time.perf_counter(), time.process_time()
            film[name] = stage(film)
            wall[name] += time.perf_counter() - start_wall
            cpu[name] += time.process_time() - start_cpu
            if counted:
                faults[name] += minor_faults() - start_faults
    return {name: StageCost(wall[name] * 1e3 / len(files), cpu[name] * 1e3 / len(files),
                            faults[name] / len(files) if counted else None) for name in wall}


def ideal_rate(costs: dict[str, StageCost], cores: float, workers: int) -> tuple[float, dict[str, float]]:
    """Films/s the stages allow (see the module docstring): the tightest bound, and every bound by name."""
    engine_ms = sum(cost.wall_ms for name, cost in costs.items() if name not in WORKER_STAGES)
    wall_ms = sum(cost.wall_ms for cost in costs.values())
    cpu_ms = sum(cost.cpu_ms for cost in costs.values())
    bounds = {
        f"{cores:.2f} cores ÷ {cpu_ms:.1f} ms CPU per film": 1e3 * cores / cpu_ms,
        f"{workers} decode worker(s) + the engine thread ÷ {wall_ms:.1f} ms": 1e3 * (workers + 1) / wall_ms,
        f"engine thread ÷ {engine_ms:.1f} ms": 1e3 / engine_ms,
    }
    return min(bounds.values()), bounds


def with_inference_share(costs: dict[str, StageCost], share: float) -> dict[str, StageCost]:
    """The stage costs of a batch in which only ``share`` of the films reach inference (the others were refused
    or not validated): an ideal that charged every film an inference would flatter the end-to-end ratio."""
    return {name: StageCost(cost.wall_ms * share, cost.cpu_ms * share) if name == "inference" else cost
            for name, cost in costs.items()}


def median_of(costs: list[dict[str, StageCost]]) -> dict[str, StageCost]:
    def median(name: str, field: str) -> float | None:
        values = [getattr(round_costs[name], field) for round_costs in costs]
        return None if None in values else float(np.median(values))

    return {name: StageCost(median(name, "wall_ms"), median(name, "cpu_ms"), median(name, "faults"))
            for name in costs[0]}


def spread(values: list[float]) -> str:
    return f"{np.median(values):6.1f} /s (rounds {min(values):.1f}–{max(values):.1f})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--models-dir", type=Path, action="append", default=[])
    parser.add_argument("--model", default=None)
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument("--threads", type=int, default=None, help="inference threads (default: the app's)")
    parser.add_argument("--decode-workers", type=int, default=None, help="decode threads (default: the app's)")
    parser.add_argument("--heatmaps", type=int, default=5, help="films to time the heatmaps on")
    parser.add_argument("--repeat", type=int, default=3, help="interleaved rounds; medians are reported")
    parser.add_argument("--full-size", type=int, metavar="W", help="screen copies resampled to W×1.2W pixels")
    parser.add_argument("--glibc-default-malloc", action="store_true",
                        help="leave glibc's allocator as it starts instead of the app's setting (cxrcore.memory); "
                             "benchmarks/array_memory.py compares the two")
    args = parser.parse_args(argv)
    if not args.glibc_default_malloc:
        keep_freed_memory()  # as the app does at start (desktop.cli.main)
    with tempfile.TemporaryDirectory() as scratch:
        return run(args, Path(scratch))


def run(args: argparse.Namespace, scratch: Path) -> int:
    catalog = discover(model_search_dirs(args.models_dir))
    bundle = catalog.choose(args.model)
    if bundle is None:
        print("no usable model bundle found; pass --models-dir", file=sys.stderr)
        return 2
    files = collect_inputs([args.folder]).files[: args.limit]
    if not files:
        print(f"no images in {args.folder}", file=sys.stderr)
        return 1
    if args.full_size:
        files = full_size_copies(files, args.full_size, scratch)
    router = Router.open(Selection(((bundle, bundle.default_build),), automatic=False), "cpu", args.threads)
    classifier = router.routes[0].classifier
    safety = SafetyChecks.load(safety_dir())
    workers = args.decode_workers or decode_workers_for(router)
    cores = os.cpu_count() or 1
    size = f"{args.full_size}×{round(1.2 * args.full_size)} JPEG copies" if args.full_size else "files as they are"
    print(f"{len(files)} files from {args.folder} ({size}); {cores} cores")
    print(f"model {bundle.name} {bundle.version} ({classifier.build}) on {classifier.description}; "
          f"decode workers {workers}")

    stage_rounds: list[dict[str, StageCost]] = []
    shares: dict[bool, list[CpuShare]] = {True: [], False: []}
    statuses: Counter[str] = Counter()
    scored = len(files)
    time_stages(router, safety, files[:10])  # warm the file cache, the decoders and the engines
    for round_index in range(args.repeat):
        stage_rounds.append(time_stages(router, safety, files))
        for checked in (True, False):
            with ResultStore(scratch / f"bench-{round_index}-{checked}.sqlite3") as store, CpuClock() as clock:
                summary = run_batch(router, files, store, "benchmark", decode_workers=workers,
                                    safety=safety if checked else None)
            shares[checked].append(clock.share)
            if checked:
                statuses = summary.status_counts
                scored = sum(result.scored for result in summary.results)
    safety.close()
    costs = median_of(stage_rounds)

    grays = [router.model_grays(router.decode(path))[router.routes[0].size] for path in files[: args.heatmaps]]
    heatmap_ms = ms_per_film(lambda gray: occlusion_heatmap(classifier, gray), grays) if grays else None
    cam_ms = None
    if grays and classifier.cam_head is not None:
        class_activation_heatmap(classifier, grays[0])  # the head is read from the build once, on first use
        cam_ms = ms_per_film(lambda gray: class_activation_heatmap(classifier, gray), grays)
    router.close()

    print(f"\nstage costs per film (median of {args.repeat} rounds, one film at a time on one thread):")
    print("| stage | runs in | wall ms | CPU ms | page faults |\n|---|---|---|---|---|")
    for name, cost in costs.items():
        where = "decode workers" if name in WORKER_STAGES else "engine thread"
        faults = "n/a" if cost.faults is None else f"{cost.faults:.0f}"
        print(f"| {name} | {where} | {cost.wall_ms:.2f} | {cost.cpu_ms:.2f} | {faults} |")
    print()
    for checked, label in ((True, "with the safety checks (app path)"), (False, "without the safety checks")):
        stage_costs = with_inference_share(costs, scored / len(files)) if checked else {
            name: cost for name, cost in costs.items() if name not in SAFETY_STAGES}
        rates = [len(files) / share.wall_s for share in shares[checked]]
        report(label, rates, shares[checked], stage_costs, cores, workers)
    print(f"\nend-to-end statuses: {dict(statuses)}: {scored} of {len(files)} films scored (a refused or not-validated "
          "film skips inference, so the ideal with the checks counts inference for that share only)")
    rss = peak_rss_mb()
    print(f"peak RSS               : {'n/a' if rss is None else f'{rss:8.1f} MB'}")
    if heatmap_ms is None:
        print("heatmaps               : not timed (--heatmaps 0)")
        return 0
    print(f"occlusion heatmap      : {heatmap_ms:8.1f} ms/image "
          f"({DEFAULT_GRID}×{DEFAULT_GRID} grid = {DEFAULT_GRID ** 2 + 1} inferences, mean of {len(grays)})")
    print("class-activation map   : " + (f"{cam_ms:8.1f} ms/image (1 inference, mean of {len(grays)})"
                                         if cam_ms is not None else "n/a (the build has no feature-map output)"))
    return 0


def report(label: str, rates: list[float], shares: list[CpuShare], costs: dict[str, StageCost], cores: int,
           workers: int) -> None:
    """End to end against the ideal on every core and on the cores other processes left free."""
    rate = float(np.median(rates))
    ideal, bounds = ideal_rate(costs, cores, workers)
    print(f"end to end, {label}: {spread(rates)}; this process used "
          f"{np.median([share.own_cores for share in shares]):.2f} cores")
    print(f"  ideal {ideal:6.1f} /s = min({'; '.join(f'{name} → {value:.1f}' for name, value in bounds.items())})")
    verdict = "met" if rate / ideal >= GOAL_RATIO else "NOT met"
    print(f"  end to end ÷ ideal: {rate / ideal:.2f} (goal ≥ {GOAL_RATIO}: {verdict})")
    own_cores = float(np.median([share.own_cores for share in shares]))
    print(f"  where the rest went: {1e3 * own_cores / rate:.1f} ms CPU per film end to end against the stages' "
          f"{sum(cost.cpu_ms for cost in costs.values()):.1f} (threads, hand-offs, results, the store), and "
          f"{max(0.0, cores - own_cores):.2f} of {cores} cores this process left unused")
    if shares[0].others_cores is not None:
        busy = float(np.median([share.others_cores for share in shares]))
        free = max(0.05, cores - busy)
        free_ideal, _ = ideal_rate(costs, free, workers)
        print(f"  other processes kept {busy:.2f} cores busy meanwhile ("
              f"{np.median([share.niced_cores for share in shares]):.2f} of them niced); the ideal on the "
              f"{free:.2f} cores left: {free_ideal:.1f} /s, end to end ÷ that: {rate / free_ideal:.2f}")


def ms_per_film(compute: Callable[[np.ndarray], object], films: list[np.ndarray]) -> float:
    """Mean wall time of ``compute`` per film, in milliseconds."""
    start = time.perf_counter()
    for film in films:
        compute(film)
    return (time.perf_counter() - start) * 1000 / max(1, len(films))


if __name__ == "__main__":
    sys.exit(main())
