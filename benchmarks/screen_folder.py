"""Benchmark the app's screening path on a folder of films.

    python benchmarks/screen_folder.py DIR [--models-dir DIR] [--model NAME] [--limit N] [--full-size 2000]

Measures, in one run and on the same files:

- decode-only throughput: ``Classifier.load_gray`` (JPEG draft decoding + cxrcore resize) on the
  same number of decode threads the pipeline uses — the ceiling for end-to-end speed when
  decoding is the slower stage;
- inference-only throughput on the already decoded films;
- end-to-end throughput through `desktop.screening.batch.run_batch`, exactly the app's path (scan, SHA-256,
  decode overlapped with inference, the safety checks of `cxrcore.safety.checks`, one commit per result
  to a temporary store), and the same without the safety checks, to show what they cost;
- their ratio (goal ≥ 0.8: overlapping hides most of the inference behind decoding);

``--full-size W`` first writes each film resampled to W×1.2W as a quality-95 JPEG into a temporary
folder and screens those: the shared data holds 224-pixel films only, while a clinic's detector
exports are 2,000–3,000 pixels wide, and decoding cost grows with size.
- peak resident memory, and the heatmap's cost per film by both methods on the same films: the
  occlusion heatmap (65 inferences) and, when the build outputs its feature map, the
  class-activation map (one inference), each including its classification.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable

import numpy as np
from PIL import Image

from cxrcore.safety.checks import SafetyChecks
from desktop.screening.batch import run_batch
from desktop.screening.catalog import discover
from desktop.screening.heatmap import DEFAULT_GRID, class_activation_heatmap, occlusion_heatmap
from desktop.paths import model_search_dirs, safety_dir
from desktop.screening.routing import Router, Selection
from desktop.screening.scan import collect_inputs
from desktop.screening.store import ResultStore

GOAL_RATIO = 0.8


def peak_rss_mb() -> float | None:
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB on Linux


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


def full_size_copies(files: list[Path], width: int, folder: Path) -> list[Path]:
    """Each film resampled to width×1.2·width (bicubic) as a quality-95 JPEG in ``folder``."""
    copies = []
    for index, path in enumerate(files):
        target = folder / f"{index:05d}-{path.stem}.jpg"
        with Image.open(path) as image:
            image.convert("L").resize((width, round(1.2 * width)), Image.Resampling.BICUBIC).save(target, quality=95)
        copies.append(target)
    return copies


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--models-dir", type=Path, action="append", default=[])
    parser.add_argument("--model", default=None)
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument("--threads", type=int, default=None, help="inference threads")
    parser.add_argument("--decode-workers", type=int, default=1)
    parser.add_argument("--heatmaps", type=int, default=5, help="films to time the heatmaps on")
    parser.add_argument("--repeat", type=int, default=3, help="timed rounds; the best of each is reported")
    parser.add_argument("--full-size", type=int, metavar="W", help="screen copies resampled to W×1.2W pixels")
    args = parser.parse_args(argv)
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
    size = f"{args.full_size}×{round(1.2 * args.full_size)} JPEG copies" if args.full_size else "files as they are"
    print(f"{len(files)} files from {args.folder} ({size})")
    print(f"model {bundle.name} {bundle.version} ({classifier.build}) on {classifier.description}; "
          f"decode workers {args.decode_workers}")

    decode_rates, end_to_end_rates, unchecked_rates = [], [], []
    with ThreadPoolExecutor(args.decode_workers) as pool:
        list(pool.map(classifier.load_gray, files[:20]))  # warm the file cache and the decoders
        for round_index in range(args.repeat):  # interleaved, so a burst of load on a shared machine hits all
            start = time.perf_counter()
            grays = list(pool.map(classifier.load_gray, files))
            decode_rates.append(rate(len(files), time.perf_counter() - start))
            for checks, rates in ((safety, end_to_end_rates), (None, unchecked_rates)):
                with ResultStore(scratch / f"bench-{round_index}-{checks is None}.sqlite3") as store:
                    start = time.perf_counter()
                    summary = run_batch(router, files, store, "benchmark",
                                        decode_workers=args.decode_workers, safety=checks)
                    rates.append(rate(summary.total, time.perf_counter() - start))
    safety.close()
    decode_rate, end_to_end_rate, unchecked_rate = max(decode_rates), max(end_to_end_rates), max(unchecked_rates)

    start = time.perf_counter()
    for gray in grays:
        classifier.classify_gray(gray)
    inference_rate = rate(len(files), time.perf_counter() - start)

    heatmap_films = grays[: args.heatmaps]
    heatmap_ms = ms_per_film(lambda gray: occlusion_heatmap(classifier, gray), heatmap_films)
    cam_ms = None
    if classifier.cam_head is not None:
        class_activation_heatmap(classifier, heatmap_films[0])  # the head is read from the build once, on first use
        cam_ms = ms_per_film(lambda gray: class_activation_heatmap(classifier, gray), heatmap_films)
    router.close()

    ratio = end_to_end_rate / decode_rate
    rss = peak_rss_mb()
    print(f"(best of {args.repeat} interleaved rounds; all rounds: decode "
          f"{', '.join(f'{r:.0f}' for r in decode_rates)}, end to end {', '.join(f'{r:.0f}' for r in end_to_end_rates)})")
    print(f"decode only            : {decode_rate:8.1f} images/s")
    print(f"inference only         : {inference_rate:8.1f} images/s")
    print(f"end to end (app path)  : {end_to_end_rate:8.1f} images/s  (with the safety checks)")
    print(f"  without safety checks: {unchecked_rate:8.1f} images/s")
    print(f"end-to-end / decode    : {ratio:8.2f}  (goal ≥ {GOAL_RATIO}: {'met' if ratio >= GOAL_RATIO else 'NOT met'})")
    print(f"peak RSS               : {'n/a' if rss is None else f'{rss:8.1f} MB'}")
    print(f"occlusion heatmap      : {heatmap_ms:8.1f} ms/image "
          f"({DEFAULT_GRID}×{DEFAULT_GRID} grid = {DEFAULT_GRID ** 2 + 1} inferences, mean of {len(heatmap_films)})")
    print("class-activation map   : " + (f"{cam_ms:8.1f} ms/image (1 inference, mean of {len(heatmap_films)})"
                                         if cam_ms is not None else "n/a (the build has no feature-map output)"))
    return 0


def ms_per_film(compute: Callable[[np.ndarray], object], films: list[np.ndarray]) -> float:
    """Mean wall time of ``compute`` per film, in milliseconds."""
    start = time.perf_counter()
    for film in films:
        compute(film)
    return (time.perf_counter() - start) * 1000 / max(1, len(films))


if __name__ == "__main__":
    sys.exit(main())
