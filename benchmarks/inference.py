"""Per-image latency and throughput of every build of a bundle, and of the float Keras model, in one run.

    python benchmarks/inference.py --bundle models/pneumonia-pediatric [--images DIR]
        [--model runs/p1-baseline/best.keras] [--threads 1,2] [--runs 50]

Builds run through the app's classifier on the CPU (`cxrcore.runtime`, input quantization and
output dequantization included; decoding excluded), one film at a time after warm-up, exactly
as the converter times them when it picks the default build. The Keras model runs as a compiled
``tf.function`` on batches of one, with TensorFlow limited to the same thread count. Films:
``--images`` (every image file in the folder), else the bundle's reference films.
Ratios are against the float32 build measured in the same run, so they hold on this machine only.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Callable, Sequence


import numpy as np

from converters.latency import LatencyStats, build_latency, time_per_image
from cxrcore.bundle import ModelBundle, load_bundle
from cxrcore.decode import is_candidate_image
from cxrcore.preprocess import load_resized_gray, to_model_input
from cxrcore.runtime import route_native_stderr

KERAS = "keras (float)"
NATIVE_LOG = Path(tempfile.gettempdir()) / "cxr-benchmark-native.log"


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bundle", required=True, help="model bundle folder (holds card.json)")
    parser.add_argument("--images", help="folder of films (default: the bundle's reference films)")
    parser.add_argument("--model", help="the float .keras model the bundle was converted from, to time it too")
    parser.add_argument("--threads", default="1,2", help="comma list of CPU thread counts (default %(default)s)")
    parser.add_argument("--runs", type=int, default=50, help="timed films per build and thread count")
    args = parser.parse_args(argv)
    try:
        args.threads = [int(value) for value in args.threads.split(",")]
    except ValueError:
        parser.error("--threads must be a comma list of integers")
    if not args.threads or min(args.threads) < 1 or args.runs < 1:
        parser.error("--threads and --runs must be positive")
    return args


def load_films(bundle: ModelBundle, folder: str | None) -> tuple[np.ndarray, str]:
    """(N, H, W) uint8 films at the bundle's input size, and where they came from."""
    if folder:
        paths = sorted(path for path in Path(folder).iterdir() if path.is_file() and is_candidate_image(path))
        source = folder
    else:
        paths = sorted({bundle.directory / entry["file"] for entry in bundle.reference_outputs})
        source = f"{bundle.directory.name}/reference"
    if not paths:
        raise SystemExit(f"no image files in {source}")
    spec = bundle.input_spec
    return np.stack([load_resized_gray(path, spec.height, spec.width) for path in paths]), source


def keras_timer(model_path: str, bundle: ModelBundle, threads: int) -> Callable[[np.ndarray], object]:
    """A per-film call of the float Keras model, compiled, on ``threads`` TensorFlow threads."""
    import tensorflow as tf

    from trainer.run_folder import load_keras

    try:
        tf.config.threading.set_intra_op_parallelism_threads(threads)
        tf.config.threading.set_inter_op_parallelism_threads(1)
    except RuntimeError:  # TensorFlow already ran in this process and keeps its thread pools
        print(f"note: TensorFlow was already initialised; Keras runs on its existing thread pools, not {threads}")
    model = load_keras(model_path)
    infer = tf.function(lambda x: model(x, training=False))
    spec = bundle.input_spec
    return lambda gray: infer(tf.constant(to_model_input(gray, spec))).numpy()


def table(results: dict[tuple[str, int], LatencyStats], sizes: dict[str, int]) -> str:
    lines = [
        "| model | threads | size (KiB) | median ms | p90 ms | images/s | speed-up vs float32 | size vs float32 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for (name, threads), stats in results.items():
        baseline = results.get(("float32", threads))
        speedup = f"{baseline.median_ms / stats.median_ms:.2f}×" if baseline else "–"
        size = f"{sizes[name] / 1024:.1f}" if name in sizes else "–"
        relative = f"{sizes[name] / sizes['float32']:.2f}" if name in sizes and "float32" in sizes else "–"
        lines.append(
            f"| {name} | {threads} | {size} | {stats.median_ms:.3f} | {stats.p90_ms:.3f} | "
            f"{stats.throughput_per_s:.1f} | {speedup} | {relative} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    bundle = load_bundle(args.bundle)
    films, source = load_films(bundle, args.images)
    results: dict[tuple[str, int], LatencyStats] = {}
    sizes = {}
    for kind, build in bundle.builds.items():
        sizes[kind] = bundle.build_path(kind).stat().st_size
        for threads in args.threads:
            results[(kind, threads)] = build_latency(bundle, kind, films, threads, args.runs)
    if args.model:
        # TensorFlow fixes its thread pools at first use, so Keras is timed at the largest count only.
        threads = max(args.threads)
        results[(KERAS, threads)] = time_per_image(keras_timer(args.model, bundle, threads), films, args.runs)
        sizes[KERAS] = Path(args.model).stat().st_size
    print(f"{bundle.name} {bundle.version}: {len(films)} film(s) from {source}, {args.runs} timed runs each, "
          f"default build {bundle.default_build}\n")
    print(table(results, sizes))
    return 0


if __name__ == "__main__":
    route_native_stderr(NATIVE_LOG)  # LiteRT's C++ chatter to a file; the table keeps the console
    sys.exit(main())
