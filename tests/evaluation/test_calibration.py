"""Temperature scaling and threshold choice on cases whose right answer is known in advance.

Over-confident outputs are made by sampling labels from softmax(z) (or sigmoid(a)) and giving
the "model" softmax(k·z): the true probabilities are recovered exactly at T = k, so the fitted
T must come out near k (the NLL minimiser is consistent) and ECE must drop.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from evaluation.calibration import (
    LOG_TEMPERATURE_TOLERANCE,
    TEMPERATURE_BOUNDS,
    fit_temperature,
    fitting_warnings,
    golden_section_minimum,
    negative_log_likelihood,
    operating_thresholds,
    sensitivity_threshold,
    shipped_build_warnings,
)
from cxrcore.postprocess import calibrated_probabilities


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def sample_labels(probabilities: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    cumulative = probabilities.cumsum(axis=1)
    return (rng.random((len(probabilities), 1)) > cumulative).sum(axis=1)


@pytest.mark.parametrize("overconfidence", [1.0, 2.5])
def test_softmax_temperature_recovers_the_known_overconfidence(overconfidence: float) -> None:
    rng = np.random.default_rng(0)
    logits = rng.normal(0.0, 1.5, size=(6000, 3))
    y = sample_labels(softmax(logits), rng)
    raw = softmax(overconfidence * logits)
    fit = fit_temperature(raw, y, "softmax")
    assert fit.temperature == pytest.approx(overconfidence, rel=0.08)
    assert fit.nll_after <= fit.nll_before + 1e-12
    if overconfidence > 1:
        assert fit.ece_after < fit.ece_before / 2
    calibrated = calibrated_probabilities(raw, "softmax", fit.temperature)
    assert negative_log_likelihood(calibrated, y) == pytest.approx(fit.nll_after)


def test_sigmoid_temperature_scales_the_logit() -> None:
    rng = np.random.default_rng(1)
    logit = rng.normal(0.0, 2.0, size=5000)
    y = (rng.random(5000) < 1.0 / (1.0 + np.exp(-logit))).astype(np.int64)
    raw = 1.0 / (1.0 + np.exp(-3.0 * logit))  # one sigmoid unit, three times too sure
    fit = fit_temperature(raw[:, None], y, "sigmoid")
    assert fit.temperature == pytest.approx(3.0, rel=0.1)
    assert fit.ece_after < fit.ece_before


def test_temperature_never_reverses_the_order_of_films() -> None:
    """Labels unrelated to the outputs push T far above 1. The order may gain ties (postprocess clips
    probabilities to [1e-7, 1 − 1e-7] before recovering logits) but is never reversed."""
    rng = np.random.default_rng(2)
    raw = softmax(rng.normal(0, 3, size=(200, 2)) * 4)
    y = rng.integers(0, 2, 200)
    fit = fit_temperature(raw, y, "softmax")
    assert fit.temperature > 3
    after = calibrated_probabilities(raw, "softmax", fit.temperature)
    assert np.all(np.diff(after[np.argsort(raw[:, 1]), 1]) >= 0)


def test_threshold_by_hand() -> None:
    # positives 0.9 0.8 0.7 0.6, negatives 0.65 0.5 0.1; 75 % sensitivity needs the 3 highest positives:
    # the lowest flagged positive is 0.7, the next lower score is 0.65, the threshold sits midway.
    scores = np.array([0.9, 0.8, 0.7, 0.6, 0.65, 0.5, 0.1])
    positive = np.array([True, True, True, True, False, False, False])
    assert sensitivity_threshold(scores, positive, 0.75) == pytest.approx(0.675)
    assert sensitivity_threshold(scores, positive, 1.0) == pytest.approx(0.55)
    # 95 % of 4 positives is 3.8 → all 4 must be flagged.
    assert sensitivity_threshold(scores, positive, 0.95) == pytest.approx(0.55)


@pytest.mark.parametrize("target", [0.8, 0.9, 0.95, 0.99])
def test_threshold_reaches_the_target_on_the_films_it_was_fitted_on_and_no_higher_threshold_does(target: float) -> None:
    rng = np.random.default_rng(3)
    positive = rng.random(500) < 0.4
    scores = np.clip(rng.normal(np.where(positive, 0.65, 0.4), 0.15), 0.0, 1.0)
    threshold = sensitivity_threshold(scores, positive, target)
    assert np.mean(scores[positive] >= threshold) >= target
    higher = np.sort(scores[scores > threshold])
    if higher.size:
        assert np.mean(scores[positive] >= higher[0] + 1e-12) < target, "a higher threshold would still have done"


def test_multiclass_thresholds_are_one_vs_rest_per_abnormal_label() -> None:
    rng = np.random.default_rng(4)
    labels = ["Normal", "COVID", "Lung_Opacity", "Viral Pneumonia"]
    y = rng.integers(0, 4, 800)
    probabilities = softmax(rng.normal(0, 1, (800, 4)) + 2.0 * np.eye(4)[y])
    abnormal = labels[1:]
    thresholds = operating_thresholds(probabilities, y, labels, abnormal, 0.95)
    assert set(thresholds) == set(abnormal)
    for label, threshold in thresholds.items():
        index = labels.index(label)
        assert np.mean(probabilities[y == index, index] >= threshold) >= 0.95


def test_threshold_errors_name_the_problem() -> None:
    scores = np.array([0.2, 0.4])
    with pytest.raises(ValueError, match="no positive films"):
        operating_thresholds(np.stack([1 - scores, scores], 1), np.array([0, 0]), ["N", "P"], ["P"], 0.95)
    with pytest.raises(ValueError, match="target sensitivity"):
        sensitivity_threshold(scores, np.array([True, False]), 1.5)


def test_a_fit_that_cannot_be_trusted_says_so() -> None:
    rng = np.random.default_rng(5)
    logits = rng.normal(0.0, 1.5, size=(300, 2))
    y = sample_labels(softmax(logits), rng)
    anti = fit_temperature(softmax(-2.0 * logits), y, "softmax")  # outputs point the wrong way: T runs to the edge
    assert anti.temperature > 19
    few = np.array([0] * 30 + [1] * 5)
    reasons = fitting_warnings(anti, few, ["N", "P"], ["P"])
    assert len(reasons) == 2
    assert "edge of the search range" in reasons[0] and "only 5 validation film(s) of P" in reasons[1]
    good = fit_temperature(softmax(2.0 * logits), y, "softmax")
    assert fitting_warnings(good, y, ["N", "P"], ["P"]) == []


def test_a_default_build_short_of_the_target_on_validation_is_named_in_words() -> None:
    """The thresholds are fitted on the Keras model; a quantized default that misses the target there is a warning."""
    def metrics(sensitivity: float | None) -> dict:
        return {"at_threshold": {"PNEUMONIA": {"threshold": 0.49, "sensitivity": sensitivity, "specificity": 0.97}}}

    assert shipped_build_warnings("int8", metrics(0.981), 0.98) == []
    assert shipped_build_warnings("int8", metrics(None), 0.98) == []
    (warning,) = shipped_build_warnings("int8", metrics(0.9792), 0.98)
    assert warning.startswith("the default build (int8) reaches 97.9% sensitivity for PNEUMONIA on validation")


def test_golden_section_finds_a_known_minimum_inside_and_at_the_bounds() -> None:
    assert golden_section_minimum(lambda x: (x - 0.3) ** 2, -3.0, 3.0, 1e-9) == pytest.approx(0.3, abs=1e-8)
    assert golden_section_minimum(lambda x: abs(x + 1.7), -3.0, 3.0, 1e-9) == pytest.approx(-1.7, abs=1e-8)
    assert golden_section_minimum(lambda x: x, -3.0, 3.0, 1e-9) == pytest.approx(-3.0, abs=1e-8)
    assert golden_section_minimum(lambda x: -x, -3.0, 3.0, 1e-9) == pytest.approx(3.0, abs=1e-8)


@pytest.mark.parametrize(("activation", "overconfidence", "films"), [
    ("softmax", 2.5, 400), ("softmax", 0.6, 150), ("sigmoid", 1.8, 300), ("sigmoid", 40.0, 60), ("sigmoid", 0.01, 60),
])
def test_temperature_is_the_optimum_scipy_fitted_the_shipped_cards_with(activation: str, overconfidence: float,
                                                                         films: int) -> None:
    """The shipped cards' temperatures came from scipy's bounded search on log T; the numpy search must
    land on the same optimum, inside the range and at its edges (scipy is only a test dependency here)."""
    optimize = pytest.importorskip("scipy.optimize")
    rng = np.random.default_rng(7)
    if activation == "softmax":
        logits = rng.normal(0.0, 1.5, size=(films, 3))
        y = sample_labels(softmax(logits), rng)
        raw = softmax(overconfidence * logits)
    else:
        logit = rng.normal(0.0, 2.0, size=films)
        y = (rng.random(films) < 1 / (1 + np.exp(-logit))).astype(np.int64)
        raw = (1 / (1 + np.exp(-overconfidence * logit)))[:, None]

    def nll_at(log_t: float) -> float:
        return negative_log_likelihood(calibrated_probabilities(raw, activation, math.exp(log_t)), y)

    bounds = tuple(math.log(value) for value in TEMPERATURE_BOUNDS)
    expected = math.exp(optimize.minimize_scalar(nll_at, bounds=bounds, method="bounded",
                                                 options={"xatol": LOG_TEMPERATURE_TOLERANCE}).x)
    assert fit_temperature(raw, y, activation).temperature == pytest.approx(expected, abs=1e-4)
