"""Training throughput (images per second) of zoo models on the current Keras backend and device.

    python benchmarks/train_throughput.py [MODEL ...] [--batch 32] [--steps 10] [--warmup 3] \
        [--backend tensorflow|jax|torch] [--size N] [--precision auto|float32|mixed_float16|mixed_bfloat16 ...]

Each model is built at its paper input shape (or ``--size``), compiled as the trainer compiles it
(Adam; binary or sparse categorical cross-entropy), and trained on one fixed synthetic batch:
``--warmup`` steps first (graph tracing / XLA compilation are not throughput), then ``--steps``
timed steps. Synthetic data isolates the model and device from decoding and augmentation, so the
number is an upper bound for real training. Each ``--precision`` given is timed in turn, in one run,
so ratios between policies come from the same machine state (``auto``: the trainer's default,
mixed-float16 on a GPU, float32 on a CPU). Transfer models are built with random weights: speed does not depend on them.
"""

from __future__ import annotations

import argparse
import sys
import time


from trainer.backend import BACKENDS, PRECISIONS, select_backend

DEFAULT_MODELS = ("p0-m4", "p1-baseline", "p2-prelu", "p4-cnn16")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("models", nargs="*", default=list(DEFAULT_MODELS), help="zoo names (default: a few)")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--steps", type=int, default=10, help="timed steps per model")
    parser.add_argument("--warmup", type=int, default=3, help="untimed steps first")
    parser.add_argument("--size", type=int, help="square input side instead of each model's paper size")
    parser.add_argument("--backend", choices=BACKENDS)
    parser.add_argument("--precision", nargs="+", choices=PRECISIONS, default=["auto"],
                        help="dtype policies to time, one after another (default: auto)")
    return parser.parse_args(argv)


def measure(name: str, batch: int, steps: int, warmup: int, size: int | None) -> dict:
    """Build, compile and time one model; returns a table row."""
    import keras
    import numpy as np

    from trainer.backend import float32_output
    from trainer.models.registry import create_model, model_info, parameter_counts

    info = model_info(name)
    height, width, channels = info.input_shape
    shape = (size, size, channels) if size else (height, width, channels)
    model = float32_output(create_model(name, shape, info.num_classes, **info.offline_kwargs))
    binary = info.num_classes == 2
    model.compile(optimizer=keras.optimizers.Adam(1e-4),
                  loss="binary_crossentropy" if binary else "sparse_categorical_crossentropy")
    rng = np.random.default_rng(0)
    x = rng.random((batch, *shape), dtype=np.float32)
    y = rng.integers(0, info.num_classes, batch).astype(np.float32 if binary else np.int32)
    for _ in range(warmup):
        model.train_on_batch(x, y)
    start = time.perf_counter()
    for _ in range(steps):
        model.train_on_batch(x, y)  # returns the loss as a Python number: the step has finished
    seconds = time.perf_counter() - start
    row = {"model": name, "input": "×".join(map(str, shape)), "params": parameter_counts(model).total,
           "batch": batch, "images_per_s": batch * steps / seconds, "ms_per_step": 1000 * seconds / steps}
    keras.backend.clear_session()
    return row


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    backend = select_backend(args.backend)
    from trainer.backend import configure_devices

    devices = configure_devices(args.precision[0])
    print(f"backend {backend}; {devices.description}")
    print(f"synthetic batches; {args.warmup} warm-up + {args.steps} timed steps per model\n")
    print(f"| {'model':16s} | {'precision':14s} | {'input':11s} | {'params':>11s} | batch | {'images/s':>9s} | {'ms/step':>8s} |")
    print(f"|{'-' * 18}|{'-' * 16}|{'-' * 13}|{'-' * 13}|-------|{'-' * 11}|{'-' * 10}|")
    import keras

    from trainer.backend import resolve_precision

    for name in args.models:
        for precision in args.precision:
            policy = resolve_precision(precision, devices.accelerators)
            keras.mixed_precision.set_global_policy(policy)
            row = measure(name, args.batch, args.steps, args.warmup, args.size)
            print(f"| {row['model']:16s} | {policy:14s} | {row['input']:11s} | {row['params']:11,d} | {row['batch']:5d} "
                  f"| {row['images_per_s']:9.1f} | {row['ms_per_step']:8.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
