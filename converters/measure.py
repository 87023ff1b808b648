"""One build measured the way every bundle's builds are: TEST metrics, drift, the gate, latency, reference outputs.

Shared by `converters.quantize` (builds made from the Keras model) and `converters.requantize`
(an int8 build made later from the shipped float32 build), so a card's figures mean the same
whichever tool wrote them, and the default build is chosen by one rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from cxrcore.bundle import ModelBundle
from cxrcore.classifier import Classifier
from cxrcore.postprocess import calibrated_probabilities

from converters.datasets import LabelledFilms
from converters.drift import BuildReport, GateLimits, compare, gate_reasons
from converters.evaluate import build_outputs, open_build
from converters.latency import LATENCY_THREADS, build_latency, time_per_image
from converters.references import reference_outputs
from evaluation.operating_point import Evaluation, OperatingPoint, evaluate

#: Test films cycled through when timing a build.
LATENCY_FILMS = 16


@dataclass(frozen=True)
class Scoring:
    """How a build's raw outputs become the app's decisions: activation, temperature and operating point."""

    activation: str
    temperature: float
    point: OperatingPoint

    def calibrated(self, raw: np.ndarray) -> np.ndarray:
        return calibrated_probabilities(raw, self.activation, self.temperature)

    def evaluate(self, classifier: Classifier, films: LabelledFilms) -> Evaluation:
        return evaluate(self.calibrated(build_outputs(classifier, films.gray)), films.y, self.point)


def measure_build(
    bundle: ModelBundle,
    kind: str,
    test: LabelledFilms,
    reference: Evaluation,
    scoring: Scoring,
    limits: GateLimits,
    reference_films: Sequence[str],
    latency_runs: int,
    float_layers: list[str] | None = None,
) -> tuple[BuildReport, list[dict[str, Any]]]:
    """One build: TEST metrics, drift from ``reference`` and the gate's verdict, latency, and its reference outputs.

    One classifier per thread count, reused for everything measured at that count.
    """
    with open_build(bundle, kind, threads=LATENCY_THREADS[-1]) as classifier:
        evaluation = scoring.evaluate(classifier, test)
        drift = compare(reference, evaluation)
        path = bundle.build_path(kind)
        report = BuildReport(kind, path.name, path.stat().st_size, evaluation.metrics, drift,
                             gate_reasons(drift, limits), float_layers=float_layers)
        report.latency_ms = build_latencies(bundle, kind, test.gray, latency_runs, classifier)
        return report, reference_outputs(classifier, reference_films)


def build_latencies(
    bundle: ModelBundle, kind: str, gray: np.ndarray, runs: int, classifier: Classifier | None = None
) -> dict[str, dict[str, float]]:
    """Latency at every timed thread count (the last through ``classifier`` when one is given, opened at it)."""
    *fewer, most = LATENCY_THREADS
    films = gray[:LATENCY_FILMS]
    latency = {str(threads): build_latency(bundle, kind, films, threads, runs).to_dict() for threads in fewer}
    if classifier is None:
        latency[str(most)] = build_latency(bundle, kind, films, most, runs).to_dict()
    else:
        latency[str(most)] = time_per_image(classifier.raw_output, films, runs).to_dict()
    return latency


def choose_default(latencies: dict[str, dict[str, dict[str, float]]], passed: Sequence[str]) -> tuple[str, str]:
    """The passed build with the lowest median latency at the highest timed thread count, and why."""
    threads = str(LATENCY_THREADS[-1])
    medians = {kind: latencies[kind][threads]["median_ms"] for kind in passed}
    if not medians:
        return "", "no build passed the drift gate"
    fastest = min(medians, key=medians.__getitem__)
    others = ", ".join(f"{kind} {ms:.3f}" for kind, ms in medians.items() if kind != fastest)
    return fastest, (
        f"fastest passed build at {threads} threads, measured in this run: {fastest} {medians[fastest]:.3f} ms/image "
        f"(median)" + (f" vs {others}" if others else "")
    )
