"""Metrics at the card's operating point, from decisions made exactly as the app makes them.

Predictions come from `cxrcore.postprocess.decide` film by film, so "accuracy" here is the
accuracy of what the screen shows (for binary screening the label follows the threshold, not
the argmax). Sensitivity/specificity are per abnormal label, one-vs-rest at its threshold.
Every headline figure carries its 95% interval (``ci95``): a card that says "AUC 0.974" on 618
films should also say how far that figure could move on another 618.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from cxrcore.postprocess import decide
from evaluation import metrics


@dataclass(frozen=True)
class OperatingPoint:
    """What turns probabilities into decisions: labels, which are abnormal, and their thresholds."""

    labels: list[str]
    abnormal_labels: list[str]
    thresholds: dict[str, float]


@dataclass(frozen=True)
class Evaluation:
    """One model's calibrated probabilities on a split, its decided label indices and its metrics."""

    probabilities: np.ndarray
    predictions: np.ndarray
    metrics: dict[str, Any]


def predict(probabilities: np.ndarray, point: OperatingPoint) -> np.ndarray:
    """(N, labels) calibrated probabilities → (N,) label indices shown by the app."""
    index = {label: position for position, label in enumerate(point.labels)}
    return np.array(
        [index[decide(row, point.labels, point.abnormal_labels, point.thresholds).prediction] for row in probabilities],
        dtype=np.int64,
    )


def evaluate(probabilities: np.ndarray, y: np.ndarray, point: OperatingPoint, intervals: bool = True) -> Evaluation:
    """Accuracy, per-label recall, ROC AUC and per-abnormal-label sensitivity/specificity at threshold,
    each with its 95% interval unless ``intervals`` is False (a caller that evaluates thousands of
    operating points needs the figures, not 2,000 resamples for each)."""
    predictions = predict(probabilities, point)
    count = len(point.labels)
    recall = metrics.per_class_prf(y, predictions, count)["recall"]
    auc = auc_statistic(probabilities, y, point)
    result: dict[str, Any] = {
        "n_images": int(len(y)),
        "accuracy": metrics.accuracy(y, predictions),
        "recall": {label: _number(value) for label, value in zip(point.labels, recall)},
        "auc": _number(auc(np.arange(len(y)))),
        "at_threshold": {},
    }
    for label in point.abnormal_labels:
        position = point.labels.index(label)
        flagged = probabilities[:, position] >= point.thresholds[label]
        sensitivity, specificity = metrics.sensitivity_specificity(y == position, flagged, positive=1)
        result["at_threshold"][label] = {
            "threshold": point.thresholds[label],
            "sensitivity": _number(sensitivity),
            "specificity": _number(specificity),
        }
    if intervals:
        result["ci95"] = _intervals(probabilities, y, predictions, point, auc)
    return Evaluation(probabilities=probabilities, predictions=predictions, metrics=result)


def _intervals(
    probabilities: np.ndarray, y: np.ndarray, predictions: np.ndarray, point: OperatingPoint,
    auc: Callable[[np.ndarray], float],
) -> dict[str, Any]:
    """``ci95``: the 95% interval of each figure `evaluate` reports."""
    at_threshold = {}
    for label in point.abnormal_labels:
        position = point.labels.index(label)
        flagged = probabilities[:, position] >= point.thresholds[label]
        at_threshold[label] = {
            "sensitivity": _share_interval(flagged[y == position]),
            "specificity": _share_interval(~flagged[y != position]),
        }
    return {
        "method": f"Wilson score for proportions; AUC: percentile bootstrap, {BOOTSTRAP_RESAMPLES} resamples "
                  f"stratified by true label, seed {BOOTSTRAP_SEED}",
        "accuracy": _share_interval(predictions == y),
        "recall": {label: _share_interval(predictions[y == k] == k) for k, label in enumerate(point.labels)},
        "auc": _listed(metrics.bootstrap_interval(auc, y, BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED)),
        "at_threshold": at_threshold,
    }


#: Resamples and seed of the AUC interval: fixed, so re-measuring a card reproduces it exactly.
BOOTSTRAP_RESAMPLES = 2000
BOOTSTRAP_SEED = 0


def auc_statistic(probabilities: np.ndarray, y: np.ndarray, point: OperatingPoint) -> Callable[[np.ndarray], float]:
    """AUC of the films at some indices. Binary: of the abnormal label's probability; more labels: macro
    one-vs-rest. NaN when it does not exist (a split holding one class only)."""
    if len(point.labels) == 2:
        position = point.labels.index(point.abnormal_labels[0])

        def binary(index: np.ndarray) -> float:
            try:
                return metrics.roc_auc_binary(y[index] == position, probabilities[index, position])
            except ValueError:
                return float("nan")

        return binary
    return lambda index: float(metrics.roc_auc_ovr(y[index], probabilities[index])["macro"])


def _share_interval(hits: np.ndarray) -> list[float] | None:
    """Wilson interval of the share of True in ``hits``; null for no films."""
    return _listed(metrics.wilson_interval(int(np.sum(hits)), int(len(hits))))


def _listed(interval: tuple[float, float] | None) -> list[float] | None:
    return None if interval is None else list(interval)


def _number(value: float) -> float | None:
    """JSON-safe metric: NaN (undefined, e.g. a label absent from the split) becomes null."""
    value = float(value)
    return None if np.isnan(value) else value
