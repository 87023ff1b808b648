"""Per-film latency of every build of a bundle, raw engine beside the app's classifier, in one interleaved run.

    python benchmarks/inference.py --bundle models/pneumonia-pediatric [--images DIR]
        [--model runs/p1-baseline/best.keras] [--threads 1,2] [--runs 60] [--rounds 10]

Two calls are timed per build and thread count, back to back on the same film:

- **engine**: ``engine.run`` on an input array prepared beforehand: the LiteRT inference alone;
- **classifier**: ``Classifier.classify_gray`` on the uint8 film, what the screening pipeline calls per
  film (input scaling and quantization, inference, output dequantization, calibration, decision).

Their paired difference is what the app adds to LiteRT per film. Why interleaved rounds: on a shared
machine the load changes within seconds, and timing the builds one after the other (as this
benchmark once did) lets a burst land on one build only: the first build timed looked 2–4 ms slower
in one run and not the next. Here every classifier is opened and warmed up first, then each of
``--rounds`` rounds times every build in turn (the order rotates per round), a few films each, after
two untimed calls that bring that build's weights back into cache. The table gives the median over
all timed films, the spread of the per-round medians (min–max: how much the load moved), and the
median paired overhead. The Keras model (``--model``) runs as a compiled ``tf.function`` on batches
of one, in the same rounds, at the largest thread count. Films: ``--images`` (every image file in the
folder), else the bundle's reference films. Ratios are against the float32 build in the same run.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from cxrcore.bundle import ModelBundle, load_bundle
from cxrcore.classifier import Classifier
from cxrcore.decode import is_candidate_image
from cxrcore.preprocess import load_resized_gray, to_model_input
from cxrcore.runtime import route_native_stderr

KERAS = "keras (float)"
NATIVE_LOG = Path(tempfile.gettempdir()) / "cxr-benchmark-native.log"
#: Untimed calls per call type right after a build is opened (first-run allocations, weight packing).
WARMUP = 10
#: Untimed calls per call type at the start of each round: the previous build evicted this one's weights.
ROUND_WARMUP = 2


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bundle", required=True, help="model bundle folder (holds card.json)")
    parser.add_argument("--images", help="folder of films (default: the bundle's reference films)")
    parser.add_argument("--model", help="the float .keras model the bundle was converted from, to time it too")
    parser.add_argument("--threads", default="1,2", help="comma list of CPU thread counts (default %(default)s)")
    parser.add_argument("--runs", type=int, default=60, help="timed films per build and thread count, all rounds")
    parser.add_argument("--rounds", type=int, default=10, help="interleaved rounds the runs are spread over")
    args = parser.parse_args(argv)
    try:
        args.threads = [int(value) for value in args.threads.split(",")]
    except ValueError:
        parser.error("--threads must be a comma list of integers")
    if not args.threads or min(args.threads) < 1 or args.runs < 1 or args.rounds < 1:
        parser.error("--threads, --runs and --rounds must be positive")
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


def keras_call(model_path: str, bundle: ModelBundle, threads: int) -> Callable[[np.ndarray], object]:
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


@dataclass
class Timer:
    """One build at one thread count: the app's call per film and, for a LiteRT build, the bare
    engine on the same film prepared beforehand. ``rounds`` holds each round's (app, engine) seconds."""

    name: str
    threads: int
    app: Callable[[int], object]
    engine: Callable[[int], object] | None = None
    rounds: list[tuple[np.ndarray, np.ndarray | None]] = field(default_factory=list)

    def time_round(self, films: Sequence[int]) -> None:
        for index in films[:ROUND_WARMUP]:
            self.app(index)
            if self.engine is not None:
                self.engine(index)
        app, engine = np.empty(len(films)), np.empty(len(films))
        for position, index in enumerate(films):  # back to back on the same film: a paired difference
            if self.engine is not None:
                start = time.perf_counter()
                self.engine(index)
                engine[position] = time.perf_counter() - start
            start = time.perf_counter()
            self.app(index)
            app[position] = time.perf_counter() - start
        self.rounds.append((app, engine if self.engine is not None else None))


def classifier_timer(classifier: Classifier, threads: int, films: np.ndarray) -> Timer:
    """A `Timer` for an open classifier: ``classify_gray`` on the film beside ``engine.run`` on its input."""
    prepared = [to_model_input(film, classifier.spec) for film in films]
    return Timer(classifier.build, threads,
                 app=lambda index: classifier.classify_gray(films[index]),
                 engine=lambda index: classifier.engine.run(prepared[index]))


def interleave(timers: Sequence[Timer], films: int, runs: int, rounds: int) -> None:
    """Warm every timer up, then ``rounds`` rounds over all of them (order rotated each round)."""
    for timer in timers:
        for index in range(WARMUP):
            timer.app(index % films)
            if timer.engine is not None:
                timer.engine(index % films)
    per_round = math.ceil(runs / rounds)
    for round_index in range(rounds):
        start = round_index % len(timers)
        chosen = [(round_index * per_round + k) % films for k in range(per_round)]
        for timer in [*timers[start:], *timers[:start]]:
            timer.time_round(chosen)


@dataclass(frozen=True)
class Row:
    """Milliseconds per film of one timer over all its rounds."""

    median_ms: float
    round_low_ms: float
    round_high_ms: float
    throughput_per_s: float
    engine_ms: float | None
    overhead_ms: float | None

    @classmethod
    def of(cls, timer: Timer) -> Row:
        app = np.concatenate([app for app, _ in timer.rounds]) * 1e3
        per_round = [float(np.median(app_round)) * 1e3 for app_round, _ in timer.rounds]
        engine_ms = overhead_ms = None
        if timer.engine is not None:
            engine = np.concatenate([engine for _, engine in timer.rounds]) * 1e3
            engine_ms, overhead_ms = float(np.median(engine)), float(np.median(app - engine))
        return cls(float(np.median(app)), min(per_round), max(per_round), 1e3 * len(app) / float(app.sum()),
                   engine_ms, overhead_ms)


def table(rows: dict[tuple[str, int], Row], sizes: dict[str, int]) -> str:
    lines = [
        "| model | threads | size (KiB) | median ms | round medians ms (min–max) | images/s | speed-up vs float32 "
        "| size vs float32 | engine.run ms | classifier overhead ms |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for (name, threads), row in rows.items():
        baseline = rows.get(("float32", threads))
        speedup = f"{baseline.median_ms / row.median_ms:.2f}×" if baseline else "–"
        size = f"{sizes[name] / 1024:.1f}" if name in sizes else "–"
        relative = f"{sizes[name] / sizes['float32']:.2f}" if name in sizes and "float32" in sizes else "–"
        engine = "–" if row.engine_ms is None else f"{row.engine_ms:.3f}"
        overhead = "–" if row.overhead_ms is None else f"{row.overhead_ms:+.3f}"
        lines.append(
            f"| {name} | {threads} | {size} | {row.median_ms:.3f} | {row.round_low_ms:.3f}–{row.round_high_ms:.3f} | "
            f"{row.throughput_per_s:.1f} | {speedup} | {relative} | {engine} | {overhead} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    bundle = load_bundle(args.bundle)
    films, source = load_films(bundle, args.images)
    sizes = {kind: bundle.build_path(kind).stat().st_size for kind in bundle.builds}
    with contextlib.ExitStack() as stack:
        timers = []
        for kind in bundle.builds:
            for threads in args.threads:
                classifier = stack.enter_context(Classifier(bundle, kind, accelerator="cpu", threads=threads))
                timers.append(classifier_timer(classifier, threads, films))
        if args.model:
            # TensorFlow fixes its thread pools at first use, so Keras is timed at the largest count only.
            threads = max(args.threads)
            call = keras_call(args.model, bundle, threads)
            timers.append(Timer(KERAS, threads, app=lambda index: call(films[index])))
            sizes[KERAS] = Path(args.model).stat().st_size
        interleave(timers, len(films), args.runs, args.rounds)
    rows = {(timer.name, timer.threads): Row.of(timer) for timer in timers}
    per_round = math.ceil(args.runs / args.rounds)
    print(f"{bundle.name} {bundle.version}: {len(films)} film(s) from {source}; {args.rounds} interleaved rounds of "
          f"{per_round} film(s) per build and thread count; default build {bundle.default_build}\n")
    print(table(rows, sizes))
    print("\nclassifier: Classifier.classify_gray on the uint8 film (what the pipeline calls per film); engine.run: "
          "the same film's input prepared beforehand; overhead: median of their paired differences.")
    return 0


if __name__ == "__main__":
    route_native_stderr(NATIVE_LOG)  # LiteRT's C++ chatter to a file; the table keeps the console
    sys.exit(main())
