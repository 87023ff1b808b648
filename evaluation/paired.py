"""Paired comparison of two models on the same films: is a difference between them real?

The same bootstrap resample of films scores both models (`evaluation.metrics.bootstrap_interval`,
stratified by true label, with the resamples and seed of every card interval). A paired interval
is narrower than the two models' own intervals suggest, because the films' difficulty cancels out;
a difference whose interval holds 0 is not shown by these films.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from evaluation.metrics import bootstrap_interval
from evaluation.operating_point import BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, OperatingPoint, auc_statistic, evaluate

#: What can be compared: each is a method of `ScoredModel` taking the indices of a resample.
METRICS = ("auc", "accuracy")


class ScoredModel:
    """One model's calibrated probabilities on a film set, decided at its operating point: its metrics
    (with their own intervals), and its AUC and accuracy on any resample of those films."""

    def __init__(self, probabilities: np.ndarray, y: np.ndarray, point: OperatingPoint) -> None:
        self.y = y
        evaluation = evaluate(probabilities, y, point)
        self.metrics = evaluation.metrics
        self.correct = evaluation.predictions == y
        #: AUC of the films at some indices, computed as the card computes it.
        self.auc = auc_statistic(probabilities, y, point)

    def accuracy(self, index: np.ndarray) -> float:
        return float(np.mean(self.correct[index]))


@dataclass(frozen=True)
class PairedDifference:
    """``other`` minus ``first`` on every film, with its paired 95% interval."""

    change: float
    low: float
    high: float

    @property
    def shown(self) -> bool:
        """Whether the interval excludes 0: a difference these films show."""
        return not self.low <= 0.0 <= self.high


def paired_interval(first: ScoredModel, other: ScoredModel, metric: str) -> tuple[float, float]:
    """95% interval of ``other`` minus ``first`` in ``metric`` (one of `METRICS`), films resampled jointly."""
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {METRICS}, got {metric!r}")

    def difference(index: np.ndarray) -> float:
        return getattr(other, metric)(index) - getattr(first, metric)(index)

    return bootstrap_interval(difference, first.y, BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED)


def paired_difference(first: ScoredModel, other: ScoredModel, metric: str) -> PairedDifference:
    """The difference in ``metric`` on every film and its paired interval."""
    every_film = np.arange(len(first.y))
    change = getattr(other, metric)(every_film) - getattr(first, metric)(every_film)
    return PairedDifference(float(change), *paired_interval(first, other, metric))
