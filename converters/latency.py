"""Per-image latency, measured rather than assumed.

Which build is fastest depends on the CPU (XNNPACK's int8 kernels win on most x86 and ARM
cores, lose on some), so the default build is chosen from timings taken in the same run on
the same machine. One film at a time, after warm-up, because that is how the app runs.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from typing import Callable

import numpy as np

from cxrcore.bundle import ModelBundle

from converters.evaluate import open_build

#: Thread counts every build is timed at; the default build is chosen at the last one.
LATENCY_THREADS = (1, 2)


@dataclass(frozen=True)
class LatencyStats:
    """Milliseconds per image (median, 90th percentile) and sequential throughput in images/s."""

    median_ms: float
    p90_ms: float
    throughput_per_s: float
    runs: int

    def to_dict(self) -> dict[str, float]:
        return {key: round(value, 4) if isinstance(value, float) else value for key, value in asdict(self).items()}


def time_per_image(call: Callable[[np.ndarray], object], gray: np.ndarray, runs: int, warmup: int = 3) -> LatencyStats:
    """Time ``call`` on one film at a time, cycling through ``gray`` (N, H, W); warm-up calls are not counted."""
    if len(gray) == 0 or runs < 1:
        raise ValueError("latency needs at least one film and one run")
    for index in range(warmup):
        call(gray[index % len(gray)])
    times = np.empty(runs)
    for index in range(runs):
        start = time.perf_counter()
        call(gray[index % len(gray)])
        times[index] = time.perf_counter() - start
    return LatencyStats(
        median_ms=float(np.median(times) * 1e3),
        p90_ms=float(np.percentile(times, 90) * 1e3),
        throughput_per_s=float(runs / times.sum()),
        runs=runs,
    )


def build_latency(bundle: ModelBundle, kind: str, gray: np.ndarray, threads: int, runs: int) -> LatencyStats:
    """Latency of one build through the app's classifier (input quantization and dequantization included)."""
    with open_build(bundle, kind, threads=threads) as classifier:
        return time_per_image(classifier.raw_output, gray, runs)
