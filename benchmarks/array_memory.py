"""What keeping freed array memory (`cxrcore.memory`, set by the app at start) saves, side by side in one run.

    python -m benchmarks.array_memory DIR [--models-dir DIR] [--limit 200] [--rounds 3] [--full-size W]

The allocator's setting is process-wide and cannot be undone, so each measurement runs in a fresh child
process, alternately with glibc's allocator as it starts and with the app's setting, the order rotating
per round (a burst of load on a shared machine then lands on both). Each child screens the same films
twice, as `benchmarks/screen_folder.py` does: stage by stage on one thread (the decode side, the engine
side), and end to end through the app's `run_batch` with the safety checks; it reports CPU ms and minor
page faults per film for each. The table gives the medians over rounds and the ratio tuned ÷ default.
Linux (glibc) only: elsewhere the app's call does nothing and there is nothing to compare.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks.screen_folder import WORKER_STAGES, full_size_copies, minor_faults, time_stages
from cxrcore.memory import glibc_version, keep_freed_memory
from cxrcore.safety.checks import SafetyChecks
from desktop.paths import model_search_dirs, safety_dir
from desktop.screening.batch import run_batch
from desktop.screening.catalog import discover
from desktop.screening.pipeline import decode_workers_for
from desktop.screening.routing import Router, Selection
from desktop.screening.scan import collect_inputs
from desktop.screening.store import ResultStore

MODES = ("glibc default", "app setting")
REPOSITORY = Path(__file__).resolve().parent.parent
FIGURES = ("decode side, CPU ms", "decode side, page faults", "engine side, CPU ms", "engine side, page faults",
           "end to end, CPU ms", "end to end, page faults", "end to end, films/s")


def child(args: argparse.Namespace, tuned: bool) -> dict[str, float]:
    """One measurement in this (fresh) process; ``tuned``: call the app's setting first."""
    if tuned and not keep_freed_memory():
        raise SystemExit("the allocator setting was not applied (MALLOC_* set in the environment?)")
    bundle = discover(model_search_dirs(args.models_dir)).choose(None)
    files = collect_inputs([args.folder]).files[: args.limit]
    router = Router.open(Selection(((bundle, bundle.default_build),), automatic=False), "cpu", None)
    safety = SafetyChecks.load(safety_dir())
    time_stages(router, safety, files[:10])  # warm the file cache, decoders and engines, as screen_folder does
    costs = time_stages(router, safety, files)
    with tempfile.TemporaryDirectory() as scratch, ResultStore(Path(scratch) / "store.sqlite3") as store:
        wall, cpu, faults = time.perf_counter(), time.process_time(), minor_faults()
        run_batch(router, files, store, "benchmark", decode_workers=decode_workers_for(router), safety=safety)
        wall, cpu, faults = time.perf_counter() - wall, time.process_time() - cpu, minor_faults() - faults
    safety.close()
    router.close()
    sides = [[cost for name, cost in costs.items() if (name in WORKER_STAGES) == decode] for decode in (True, False)]
    per_side = [(sum(cost.cpu_ms for cost in side), sum(cost.faults for cost in side)) for side in sides]
    return dict(zip(FIGURES, (*per_side[0], *per_side[1], 1e3 * cpu / len(files), faults / len(files),
                              len(files) / wall)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--models-dir", type=Path, action="append", default=[])
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--full-size", type=int, metavar="W", help="screen copies resampled to W×1.2W pixels")
    parser.add_argument("--child", choices=MODES, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args, tuned=args.child == MODES[1])))
        return 0
    if glibc_version() is None:
        print("not glibc: the app's allocator setting does nothing here", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.folder
        if args.full_size:
            folder = Path(scratch)
            full_size_copies(collect_inputs([args.folder]).files[: args.limit], args.full_size, folder)
        forwarded = [str(folder), "--limit", str(args.limit)]
        for models_dir in args.models_dir:
            forwarded += ["--models-dir", str(models_dir)]
        results: dict[str, list[dict[str, float]]] = {mode: [] for mode in MODES}
        for round_index in range(args.rounds):
            for mode in MODES[round_index % 2:] + MODES[: round_index % 2]:
                output = subprocess.run([sys.executable, "-m", "benchmarks.array_memory", *forwarded, "--child", mode],
                                        check=True, capture_output=True, text=True, cwd=REPOSITORY).stdout
                results[mode].append(json.loads(output.strip().splitlines()[-1]))
    size = f"{args.full_size}×{round(1.2 * args.full_size)} JPEG copies" if args.full_size else "files as they are"
    print(f"{args.limit} films from {args.folder} ({size}); {args.rounds} rounds, alternating; {glibc_version()}")
    print(f"| per film | {' | '.join(MODES)} | app ÷ default |\n|---|---|---|---|")
    for figure in FIGURES:
        default, tuned = (float(np.median([result[figure] for result in results[mode]])) for mode in MODES)
        ratio = f"{tuned / default:.2f}" if default else "–"
        print(f"| {figure} | {default:.2f} | {tuned:.2f} | {ratio} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
