"""How far an operating point moves with the validation films it was fitted on.

The card's threshold is, per abnormal label, the highest one that reaches the target sensitivity on
the validation films (`evaluation.calibration.operating_thresholds`). Another draw of validation
films from the same population would put it elsewhere. `threshold_stability` refits the thresholds
on bootstrap resamples of the validation films (within each label, seeded) and applies each refit to
the test films: the spread of the figures it gives is the part of a test figure at the operating
point that comes from fitting the threshold, which the card's intervals (threshold held fixed) leave
out. The ceiling fits the threshold on the test films themselves: never usable, it is the best this
model's ranking allows at the target sensitivity, so no threshold rule can pass it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from evaluation.calibration import operating_thresholds
from evaluation.metrics import stratified_resamples
from evaluation.operating_point import OperatingPoint, evaluate

PERCENTILES = (2.5, 50, 97.5)


@dataclass(frozen=True)
class ThresholdStability:
    """Figures named by `operating_figures`: at the given thresholds on test (``fixed``) and on validation
    (``fixed_on_validation``), their `PERCENTILES` over the refits (``spread``), and at thresholds fitted
    on test (``ceiling``); ``refit`` is the thresholds refitted on every validation film."""

    refit: dict[str, float]
    fixed: dict[str, float]
    fixed_on_validation: dict[str, float]
    spread: dict[str, np.ndarray]
    ceiling: dict[str, float]


def operating_figures(probabilities: np.ndarray, y: np.ndarray, point: OperatingPoint) -> dict[str, float]:
    """Accuracy and, per abnormal label, threshold, sensitivity and specificity at ``point``."""
    metrics = evaluate(probabilities, y, point, intervals=False).metrics
    figures = {"accuracy": metrics["accuracy"]}
    for label, values in metrics["at_threshold"].items():
        figures |= {f"{label} {name}": values[name] for name in ("threshold", "sensitivity", "specificity")}
    return figures


def threshold_stability(
    validation: tuple[np.ndarray, np.ndarray], test: tuple[np.ndarray, np.ndarray], point: OperatingPoint,
    target: float, resamples: int, seed: int,
) -> ThresholdStability:
    """Refit ``point``'s thresholds for ``target`` sensitivity on ``resamples`` stratified resamples of the
    validation (probabilities, labels) and measure each refit on the test ones."""
    def fitted_on(probabilities: np.ndarray, y: np.ndarray) -> OperatingPoint:
        thresholds = operating_thresholds(probabilities, y, point.labels, point.abnormal_labels, target)
        return OperatingPoint(point.labels, point.abnormal_labels, thresholds)

    val_p, val_y = validation
    test_p, test_y = test
    fixed = operating_figures(test_p, test_y, point)
    runs = [operating_figures(test_p, test_y, fitted_on(val_p[index], val_y[index]))
            for index in stratified_resamples(val_y, resamples, seed)]
    return ThresholdStability(
        refit=fitted_on(val_p, val_y).thresholds,
        fixed=fixed,
        fixed_on_validation=operating_figures(val_p, val_y, point),
        spread={name: np.percentile([run[name] for run in runs], PERCENTILES) for name in fixed},
        ceiling=operating_figures(test_p, test_y, fitted_on(test_p, test_y)),
    )
