"""Classification metrics in plain NumPy, shared by `trainer.evaluate` and the converters.

No scikit-learn at run time: the converters' drift gate runs where only NumPy is guaranteed.
Conventions: ``y_true``/``y_pred`` are integer class indices; ``probabilities`` is (N, K) with
rows summing to 1 (a sigmoid model's output expanded to two columns by
`cxrcore.postprocess.calibrated_probabilities`). Undefined ratios (no predicted or no true
examples of a class) are 0.0 for precision/recall/F1, as scikit-learn's ``zero_division=0``;
an AUC that cannot exist (one class absent) is NaN, never a made-up number. Intervals are 95% by
default: Wilson score for proportions, a class-stratified percentile bootstrap for the rest (AUC).
"""

from __future__ import annotations

from typing import Callable, Iterator, Sequence

import numpy as np


def _labels(values: Sequence[int] | np.ndarray) -> np.ndarray:
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"expected a 1-D array of class indices, got shape {array.shape}")
    return array.astype(np.int64)


def accuracy(y_true: Sequence[int], y_pred: Sequence[int]) -> float:
    true, pred = _labels(y_true), _labels(y_pred)
    if len(true) != len(pred) or len(true) == 0:
        raise ValueError(f"need equal, non-zero lengths, got {len(true)} and {len(pred)}")
    return float(np.mean(true == pred))


def confusion_matrix(y_true: Sequence[int], y_pred: Sequence[int], num_classes: int) -> np.ndarray:
    """(K, K) counts; row = true class, column = predicted class."""
    true, pred = _labels(y_true), _labels(y_pred)
    if len(true) != len(pred):
        raise ValueError(f"need equal lengths, got {len(true)} and {len(pred)}")
    if len(true) and (min(true.min(), pred.min()) < 0 or max(true.max(), pred.max()) >= num_classes):
        raise ValueError(f"class indices must lie in [0, {num_classes})")
    matrix = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(matrix, (true, pred), 1)
    return matrix


def _safe_divide(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    numerator = numerator.astype(np.float64)
    return np.divide(numerator, denominator, out=np.zeros_like(numerator), where=denominator > 0)


def per_class_prf(y_true: Sequence[int], y_pred: Sequence[int], num_classes: int) -> dict[str, np.ndarray]:
    """Per-class precision, recall, F1 and support (true count), each a length-K array."""
    matrix = confusion_matrix(y_true, y_pred, num_classes)
    hits = np.diag(matrix)
    precision = _safe_divide(hits, matrix.sum(axis=0))
    recall = _safe_divide(hits, matrix.sum(axis=1))
    f1 = _safe_divide(2 * precision * recall, precision + recall)
    return {"precision": precision, "recall": recall, "f1": f1, "support": matrix.sum(axis=1)}


def _average_ranks(values: np.ndarray) -> np.ndarray:
    """1-based ranks, ties sharing the mean of the ranks they span.

    Vectorised (no loop over distinct values): a bootstrap interval computes thousands of AUCs.
    """
    _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    ends = np.cumsum(counts)
    return ((ends - counts + 1 + ends) / 2.0)[inverse.reshape(-1)]


def roc_auc_binary(y_true: Sequence[int], scores: Sequence[float]) -> float:
    """Area under the ROC curve for positives ``y_true == 1`` (Mann-Whitney U; ties count one half).

    Raises ValueError when only one class is present: the AUC does not exist then.
    """
    true = _labels(y_true)
    values = np.asarray(scores, dtype=np.float64)
    if len(true) != len(values):
        raise ValueError(f"need equal lengths, got {len(true)} and {len(values)}")
    positives = int(np.sum(true == 1))
    negatives = int(np.sum(true == 0))
    if positives == 0 or negatives == 0 or positives + negatives != len(true):
        raise ValueError("ROC AUC needs 0/1 labels with both classes present")
    ranks = _average_ranks(values)
    u = ranks[true == 1].sum() - positives * (positives + 1) / 2.0
    return float(u / (positives * negatives))


def roc_curve_binary(y_true: Sequence[int], scores: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    """(false positive rates, true positive rates) from (0, 0) to (1, 1), one point per distinct score."""
    true = _labels(y_true)
    values = np.asarray(scores, dtype=np.float64)
    positives, negatives = int(np.sum(true == 1)), int(np.sum(true == 0))
    if positives == 0 or negatives == 0:
        raise ValueError("a ROC curve needs both classes present")
    order = np.argsort(-values, kind="mergesort")
    true, values = true[order], values[order]
    last_of_tie = np.r_[np.flatnonzero(np.diff(values)), len(values) - 1]
    tpr = np.r_[0.0, np.cumsum(true == 1)[last_of_tie] / positives]
    fpr = np.r_[0.0, np.cumsum(true == 0)[last_of_tie] / negatives]
    return fpr, tpr


def roc_auc_ovr(y_true: Sequence[int], probabilities: np.ndarray) -> dict[str, object]:
    """One-vs-rest AUC per class (NaN for a class absent from ``y_true``) and their unweighted mean."""
    true = _labels(y_true)
    probabilities = np.asarray(probabilities, dtype=np.float64)
    per_class = []
    for k in range(probabilities.shape[1]):
        is_k = (true == k).astype(np.int64)
        per_class.append(roc_auc_binary(is_k, probabilities[:, k]) if 0 < is_k.sum() < len(is_k) else float("nan"))
    defined = [value for value in per_class if not np.isnan(value)]
    return {"per_class": per_class, "macro": float(np.mean(defined)) if defined else float("nan")}


def reliability_bins(y_true: Sequence[int], probabilities: np.ndarray, bins: int = 15) -> dict[str, np.ndarray]:
    """Top-label confidence vs accuracy in ``bins`` equal-width bins [i/B, (i+1)/B) (the last includes 1.0)."""
    true = _labels(y_true)
    probabilities = np.asarray(probabilities, dtype=np.float64)
    confidence = probabilities.max(axis=1)
    correct = (probabilities.argmax(axis=1) == true).astype(np.float64)
    index = np.minimum((confidence * bins).astype(np.int64), bins - 1)
    count = np.bincount(index, minlength=bins)
    return {
        "count": count,
        "confidence": _safe_divide(np.bincount(index, confidence, bins), count),
        "accuracy": _safe_divide(np.bincount(index, correct, bins), count),
    }


def expected_calibration_error(y_true: Sequence[int], probabilities: np.ndarray, bins: int = 15) -> float:
    """ECE: sum over bins of (bin share of films) × |bin accuracy − bin mean confidence| (top label)."""
    table = reliability_bins(y_true, probabilities, bins)
    total = table["count"].sum()
    if total == 0:
        raise ValueError("ECE needs at least one film")
    return float(np.sum(table["count"] / total * np.abs(table["accuracy"] - table["confidence"])))


def sensitivity_specificity(y_true: Sequence[int], y_pred: Sequence[int], positive: int | Sequence[int]) -> tuple[float, float]:
    """Screening view: classes in ``positive`` (the abnormal ones) against the rest.

    Sensitivity = abnormal films predicted as any abnormal class; specificity = the others
    predicted as any non-abnormal class. NaN when a side has no films.
    """
    true, pred = _labels(y_true), _labels(y_pred)
    positives = np.atleast_1d(np.asarray(positive, dtype=np.int64))
    true_abnormal, pred_abnormal = np.isin(true, positives), np.isin(pred, positives)
    sensitivity = float(np.mean(pred_abnormal[true_abnormal])) if true_abnormal.any() else float("nan")
    specificity = float(np.mean(~pred_abnormal[~true_abnormal])) if (~true_abnormal).any() else float("nan")
    return sensitivity, specificity


#: Two-sided 95% normal quantile.
Z_95 = 1.959963984540054


def wilson_interval(successes: int, trials: int, z: float = Z_95) -> tuple[float, float] | None:
    """Wilson score interval of a proportion; None when there are no trials.

    Why Wilson and not the textbook p ± z·√(p(1−p)/n): at the proportions a screening card reports
    (sensitivity 0.995 of 387) the textbook interval runs past 1 or collapses to a point; Wilson's
    stays inside [0, 1] and keeps its coverage near the nominal level.
    """
    if trials <= 0:
        return None
    if not 0 <= successes <= trials:
        raise ValueError(f"successes must lie in [0, {trials}], got {successes}")
    share = successes / trials
    denominator = 1 + z * z / trials
    centre = (share + z * z / (2 * trials)) / denominator
    half = z * np.sqrt(share * (1 - share) / trials + z * z / (4 * trials * trials)) / denominator
    return float(max(0.0, centre - half)), float(min(1.0, centre + half))


def bootstrap_interval(
    statistic: Callable[[np.ndarray], float],
    y_true: Sequence[int],
    resamples: int = 2000,
    seed: int = 0,
    level: float = 0.95,
) -> tuple[float, float] | None:
    """Percentile interval of ``statistic(indices)`` over resamples of the films, drawn with replacement
    within each true class.

    Stratified so every resample keeps the split's class counts (an AUC stays defined, and the
    interval reflects which films were drawn, not how many of each class). Seeded, so the same
    films give the same interval: a card's interval can be re-measured exactly. None when the
    statistic is undefined (NaN) on the films themselves.
    """
    if np.isnan(statistic(np.arange(len(_labels(y_true))))):
        return None
    values = np.array([statistic(index) for index in stratified_resamples(y_true, resamples, seed)])
    low, high = np.nanquantile(values, [(1 - level) / 2, (1 + level) / 2])
    return float(low), float(high)


def stratified_resamples(y_true: Sequence[int], resamples: int, seed: int) -> Iterator[np.ndarray]:
    """Film indices of ``resamples`` bootstrap resamples, each drawn with replacement within every true
    class (so each keeps the class counts), from a generator seeded with ``seed``."""
    true = _labels(y_true)
    generator = np.random.default_rng(seed)
    groups = [np.flatnonzero(true == value) for value in np.unique(true)]
    for _ in range(resamples):
        yield np.concatenate([group[generator.integers(0, len(group), len(group))] for group in groups])
