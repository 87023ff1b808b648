"""Temperature scaling and the threshold decision, against hand-computed values."""

from __future__ import annotations

import math

import numpy as np
import pytest

from cxrcore.postprocess import calibrated_probabilities, decide


def test_sigmoid_output_becomes_two_probabilities() -> None:
    probabilities = calibrated_probabilities(np.array([[0.8]]), "sigmoid")
    np.testing.assert_allclose(probabilities, [[0.2, 0.8]], atol=1e-9)


def test_sigmoid_temperature_divides_the_logit() -> None:
    # p = 0.8 → logit ln 4; T = 2 → sigmoid(ln 4 / 2) = sigmoid(ln 2) = 2/3.
    probabilities = calibrated_probabilities(np.array([[0.8]]), "sigmoid", temperature=2.0)
    np.testing.assert_allclose(probabilities[0, 1], 2 / 3, atol=1e-9)


def test_softmax_temperature_flattens_and_keeps_the_ranking() -> None:
    # p ∝ (4, 1, 1)/6 at T=1; at T=2 the log-probabilities halve → ∝ (2, 1, 1) → (0.5, 0.25, 0.25).
    raw = np.array([[4 / 6, 1 / 6, 1 / 6]])
    np.testing.assert_allclose(calibrated_probabilities(raw, "softmax", 1.0), raw, atol=1e-9)
    np.testing.assert_allclose(calibrated_probabilities(raw, "softmax", 2.0), [[0.5, 0.25, 0.25]], atol=1e-9)


def test_unknown_activation_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown output activation"):
        calibrated_probabilities(np.array([[0.5]]), "relu")


def test_binary_prediction_follows_the_threshold_not_the_argmax() -> None:
    decision = decide(np.array([0.7, 0.3]), ["NORMAL", "PNEUMONIA"], ["PNEUMONIA"], {"PNEUMONIA": 0.25})
    assert decision.flagged and decision.prediction == "PNEUMONIA"
    assert math.isclose(decision.confidence, 0.3)
    below = decide(np.array([0.8, 0.2]), ["NORMAL", "PNEUMONIA"], ["PNEUMONIA"], {"PNEUMONIA": 0.25})
    assert not below.flagged and below.prediction == "NORMAL"


def test_multiclass_flags_any_abnormal_label_over_its_threshold() -> None:
    labels = ["COVID", "Lung_Opacity", "Normal", "Viral Pneumonia"]
    thresholds = {"COVID": 0.2, "Lung_Opacity": 0.5, "Viral Pneumonia": 0.5}
    decision = decide(np.array([0.25, 0.05, 0.65, 0.05]), labels, ["COVID", "Lung_Opacity", "Viral Pneumonia"], thresholds)
    assert decision.prediction == "Normal" and decision.flagged
