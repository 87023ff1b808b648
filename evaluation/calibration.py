"""Temperature scaling and the operating thresholds, both fitted on VALIDATION films only.

Temperature: networks trained with cross-entropy are usually over-confident, and a nurse reads
"97 %" literally. One scalar T divides the logit (Guo et al., 2017); it is fitted by minimising
the negative log-likelihood and applied through `cxrcore.postprocess.calibrated_probabilities`,
the very function the app uses, so the card's T means the same thing here and there. Dividing
the logit keeps the ranking, so ROC AUC is unchanged.

Threshold: a screening tool must miss few abnormal films, so each abnormal label gets the highest
threshold (best specificity) that still reaches the target sensitivity on validation, one-vs-rest
on that label's calibrated probability.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any, Callable, Sequence

import numpy as np

from cxrcore.postprocess import calibrated_probabilities
from evaluation.metrics import expected_calibration_error

ECE_BINS = 15
#: Search range for T. Outside it the model is either useless or the data degenerate.
TEMPERATURE_BOUNDS = (0.05, 20.0)
#: Width of the final bracket around the minimum, on log T (scipy's ``xatol`` the shipped cards were fitted with).
LOG_TEMPERATURE_TOLERANCE = 1e-6
#: Fewer validation films of an abnormal label than this make its sensitivity target too coarse.
MIN_POSITIVES = 20
_LOG_FLOOR = 1e-12


@dataclass(frozen=True)
class TemperatureFit:
    """The fitted temperature with NLL and ECE (15 bins) before (T = 1) and after, on the fitting data."""

    temperature: float
    nll_before: float
    nll_after: float
    ece_before: float
    ece_after: float

    def to_dict(self) -> dict[str, float]:
        return asdict(self)


def negative_log_likelihood(probabilities: np.ndarray, y: np.ndarray) -> float:
    """Mean −log p(true label) over films; (N, labels) probabilities, (N,) label indices."""
    picked = probabilities[np.arange(len(y)), y]
    return float(-np.mean(np.log(np.maximum(picked, _LOG_FLOOR))))


def fit_temperature(raw: np.ndarray, y: np.ndarray, activation: str) -> TemperatureFit:
    """Minimise NLL over T (searched on log T, where the objective is smooth) for raw model outputs."""
    if len(y) < 2:
        raise ValueError("temperature scaling needs at least two validation films")

    def nll_at(log_t: float) -> float:
        return negative_log_likelihood(calibrated_probabilities(raw, activation, math.exp(log_t)), y)

    low, high = (math.log(value) for value in TEMPERATURE_BOUNDS)
    temperature = math.exp(golden_section_minimum(nll_at, low, high, LOG_TEMPERATURE_TOLERANCE))
    before = calibrated_probabilities(raw, activation, 1.0)
    after = calibrated_probabilities(raw, activation, temperature)
    return TemperatureFit(
        temperature=temperature,
        nll_before=negative_log_likelihood(before, y),
        nll_after=negative_log_likelihood(after, y),
        ece_before=float(expected_calibration_error(y, before, bins=ECE_BINS)),
        ece_after=float(expected_calibration_error(y, after, bins=ECE_BINS)),
    )


def golden_section_minimum(function: Callable[[float], float], low: float, high: float, tolerance: float) -> float:
    """The x in [low, high] that minimises a unimodal ``function``, to within ``tolerance``.

    Golden-section search: each step keeps the part of the bracket holding the lower of two interior
    points, so it shrinks by 1/φ per evaluation and never leaves the bounds. The NLL of temperature
    scaling is convex in 1/T, hence unimodal on log T, so the one minimum found is the global one
    (the same optimum as scipy's bounded Brent search the shipped cards were fitted with, without
    scipy in the statistics).
    """
    shrink = (math.sqrt(5.0) - 1.0) / 2.0  # 1/φ
    left, right = high - shrink * (high - low), low + shrink * (high - low)
    f_left, f_right = function(left), function(right)
    while high - low > tolerance:
        if f_left <= f_right:
            high, right, f_right = right, left, f_left
            left = high - shrink * (high - low)
            f_left = function(left)
        else:
            low, left, f_left = left, right, f_right
            right = low + shrink * (high - low)
            f_right = function(right)
    return (low + high) / 2.0


def sensitivity_threshold(scores: np.ndarray, positive: np.ndarray, target: float) -> float:
    """The highest threshold t with sensitivity(score ≥ t) ≥ ``target`` on these films.

    t sits midway between the lowest score that must be flagged and the next lower score, so
    the fitted films are classified the same while tiny numeric differences between builds do
    not flip a film that sat exactly on the threshold.
    """
    if not 0.0 < target <= 1.0:
        raise ValueError(f"target sensitivity must be in (0, 1], got {target}")
    positive_scores = np.sort(scores[positive])[::-1]
    if len(positive_scores) == 0:
        raise ValueError("cannot choose a threshold: no positive films to measure sensitivity on")
    needed = math.ceil(round(target * len(positive_scores), 9))
    lowest_flagged = positive_scores[needed - 1]
    below = scores[scores < lowest_flagged]
    return float((lowest_flagged + below.max()) / 2.0) if below.size else float(lowest_flagged)


def operating_thresholds(
    probabilities: np.ndarray, y: np.ndarray, labels: Sequence[str], abnormal_labels: Sequence[str], target: float
) -> dict[str, float]:
    """Per abnormal label, one-vs-rest on its calibrated probability: `sensitivity_threshold`."""
    thresholds = {}
    for label in abnormal_labels:
        index = list(labels).index(label)
        try:
            thresholds[label] = sensitivity_threshold(probabilities[:, index], y == index, target)
        except ValueError as error:
            raise ValueError(f"threshold for {label!r}: {error}") from error
    return thresholds


def fitting_warnings(
    fit: TemperatureFit, y: np.ndarray, labels: Sequence[str], abnormal_labels: Sequence[str]
) -> list[str]:
    """What makes this validation fit untrustworthy, in words for the card (empty: nothing known)."""
    warnings = []
    low, high = TEMPERATURE_BOUNDS
    if not low * 1.01 < fit.temperature < high * 0.99:
        warnings.append(
            f"temperature {fit.temperature:.3g} sits at the edge of the search range {TEMPERATURE_BOUNDS}: the "
            "validation outputs carry almost no calibration information (too few films, or near-constant outputs)"
        )
    for label in abnormal_labels:
        count = int(np.sum(y == list(labels).index(label)))
        if count < MIN_POSITIVES:
            warnings.append(
                f"only {count} validation film(s) of {label}: its threshold's sensitivity moves in steps of "
                f"{1 / max(count, 1):.0%}, too coarse to trust a target"
            )
    return warnings


#: How every warning of `shipped_build_warnings` begins, so a tool that changes the default build can
#: replace the old default's warnings and keep the others.
DEFAULT_BUILD_WARNING = "the default build ("


def shipped_build_warnings(build: str, validation_metrics: dict[str, Any], target: float) -> list[str]:
    """Abnormal labels for which ``build`` falls short of ``target`` sensitivity on validation at the card's
    thresholds, in words for the card (empty: none).

    The thresholds are fitted on the float Keras model; a quantized build can move a threshold-critical
    film across them, so the build the app runs may not reach the sensitivity its threshold promises.
    """
    return [
        f"{DEFAULT_BUILD_WARNING}{build}) reaches {values['sensitivity']:.1%} sensitivity for {label} on validation "
        f"at the card's threshold, below the {target:.0%} it was fitted for on the float Keras model"
        for label, values in validation_metrics["at_threshold"].items()
        if values["sensitivity"] is not None and values["sensitivity"] < target
    ]
