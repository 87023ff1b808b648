"""Metrics at the card's operating point, from decisions made exactly as the app makes them.

Predictions come from `cxrcore.postprocess.decide` film by film, so "accuracy" here is the
accuracy of what the screen shows (for binary screening the label follows the threshold, not
the argmax). Sensitivity/specificity are per abnormal label, one-vs-rest at its threshold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from cxrcore.postprocess import decide
from trainer import metrics


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


def evaluate(probabilities: np.ndarray, y: np.ndarray, point: OperatingPoint) -> Evaluation:
    """Accuracy, per-label recall, ROC AUC and per-abnormal-label sensitivity/specificity at threshold."""
    predictions = predict(probabilities, point)
    count = len(point.labels)
    recall = metrics.per_class_prf(y, predictions, count)["recall"]
    result: dict[str, Any] = {
        "n_images": int(len(y)),
        "accuracy": metrics.accuracy(y, predictions),
        "recall": {label: _number(value) for label, value in zip(point.labels, recall)},
        "auc": _auc(probabilities, y, point),
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
    return Evaluation(probabilities=probabilities, predictions=predictions, metrics=result)


def _auc(probabilities: np.ndarray, y: np.ndarray, point: OperatingPoint) -> float | None:
    """Binary: AUC of the abnormal label's probability; more labels: macro one-vs-rest AUC.

    Null when it does not exist (a split holding one class only).
    """
    if len(point.labels) == 2:
        position = point.labels.index(point.abnormal_labels[0])
        try:
            return metrics.roc_auc_binary(y == position, probabilities[:, position])
        except ValueError:
            return None
    return _number(metrics.roc_auc_ovr(y, probabilities)["macro"])


def _number(value: float) -> float | None:
    """JSON-safe metric: NaN (undefined, e.g. a label absent from the split) becomes null."""
    value = float(value)
    return None if np.isnan(value) else value
