"""Model outputs → calibrated per-label probabilities → a decision (prediction, confidence, flag).

One implementation for the converters' metrics, the app and the self-test, so the threshold a card
was validated with is applied the same way everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_EPSILON = 1e-7


def calibrated_probabilities(raw: np.ndarray, activation: str, temperature: float = 1.0) -> np.ndarray:
    """(N, units) model outputs → (N, labels) probabilities, temperature-scaled.

    A sigmoid model has one unit, the probability of the second label. Temperature divides the
    logit (recovered from the probability), which keeps the ranking and so the ROC AUC intact.
    """
    values = np.asarray(raw, dtype=np.float64)
    values = values.reshape(values.shape[0], -1)
    clipped = np.clip(values, _EPSILON, 1.0 - _EPSILON)
    if activation == "sigmoid":
        logit = np.log(clipped[:, :1]) - np.log1p(-clipped[:, :1])
        positive = 1.0 / (1.0 + np.exp(-logit / temperature))
        return np.concatenate([1.0 - positive, positive], axis=1)
    if activation == "softmax":
        logits = np.log(clipped) / temperature
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)
    raise ValueError(f"unknown output activation {activation!r}")


@dataclass(frozen=True)
class Decision:
    """What the screen shows for one film."""

    prediction: str
    confidence: float
    flagged: bool
    probabilities: dict[str, float]


def decide(
    probabilities: np.ndarray, labels: list[str], abnormal_labels: list[str], thresholds: dict[str, float]
) -> Decision:
    """Apply the card's operating thresholds to one film's probabilities.

    The film is flagged "needs review" when any abnormal label reaches its threshold. With one
    abnormal label of two (binary screening) the prediction follows the threshold too, so the
    label shown never contradicts the flag; with more labels the prediction is the most probable.
    """
    by_label = {label: float(p) for label, p in zip(labels, probabilities)}
    flagged = any(by_label[label] >= thresholds[label] for label in abnormal_labels)
    if len(labels) == 2 and len(abnormal_labels) == 1:
        abnormal = abnormal_labels[0]
        prediction = abnormal if flagged else next(label for label in labels if label != abnormal)
    else:
        prediction = max(by_label, key=by_label.__getitem__)
    return Decision(prediction, by_label[prediction], flagged, by_label)
