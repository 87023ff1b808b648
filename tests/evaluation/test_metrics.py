"""evaluation.metrics against values worked out by hand (in the comments), then against scikit-learn."""

from __future__ import annotations

import math

import numpy as np
import pytest

from evaluation import metrics

# Six films, three classes: films 1 (true 0 → 1) and 4 (true 1 → 0) are wrong.
Y_TRUE = [0, 0, 1, 1, 1, 2]
Y_PRED = [0, 1, 1, 1, 0, 2]


def test_accuracy_by_hand() -> None:
    assert metrics.accuracy(Y_TRUE, Y_PRED) == pytest.approx(4 / 6)


def test_confusion_matrix_rows_are_true_classes() -> None:
    expected = [[1, 1, 0],  # true 0: one right, one called 1
                [1, 2, 0],  # true 1: two right, one called 0
                [0, 0, 1]]
    np.testing.assert_array_equal(metrics.confusion_matrix(Y_TRUE, Y_PRED, 3), expected)


def test_per_class_prf_by_hand() -> None:
    prf = metrics.per_class_prf(Y_TRUE, Y_PRED, 3)
    # precision = diagonal / column sums (2, 3, 1); recall = diagonal / row sums (2, 3, 1)
    np.testing.assert_allclose(prf["precision"], [1 / 2, 2 / 3, 1.0])
    np.testing.assert_allclose(prf["recall"], [1 / 2, 2 / 3, 1.0])
    np.testing.assert_allclose(prf["f1"], [1 / 2, 2 / 3, 1.0])
    np.testing.assert_array_equal(prf["support"], [2, 3, 1])


def test_prf_of_a_never_predicted_class_is_zero_not_nan() -> None:
    prf = metrics.per_class_prf([0, 1, 1], [0, 0, 0], 2)
    assert prf["precision"][1] == 0.0 and prf["recall"][1] == 0.0 and prf["f1"][1] == 0.0
    assert prf["precision"][0] == pytest.approx(1 / 3)


def test_roc_auc_binary_by_hand() -> None:
    # Positives score .35 and .8, negatives .1 and .4: 3 of the 4 (positive, negative) pairs are ordered.
    assert metrics.roc_auc_binary([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == pytest.approx(0.75)
    # A tie between a positive and a negative counts one half: (1 + 1 + 1 + 0.5) / 4.
    assert metrics.roc_auc_binary([0, 1, 0, 1], [0.5, 0.5, 0.2, 0.9]) == pytest.approx(0.875)


def test_roc_auc_binary_needs_both_classes() -> None:
    with pytest.raises(ValueError):
        metrics.roc_auc_binary([1, 1, 1], [0.2, 0.5, 0.9])


def test_roc_curve_points_by_hand() -> None:
    fpr, tpr = metrics.roc_curve_binary([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    # Descending scores .8 (pos), .4 (neg), .35 (pos), .1 (neg).
    np.testing.assert_allclose(tpr, [0, 0.5, 0.5, 1, 1])
    np.testing.assert_allclose(fpr, [0, 0, 0.5, 0.5, 1])
    assert np.trapezoid(tpr, fpr) == pytest.approx(0.75)


def test_roc_auc_ovr_by_hand() -> None:
    probabilities = np.array([[0.7, 0.2, 0.1], [0.2, 0.5, 0.3], [0.1, 0.3, 0.6], [0.5, 0.3, 0.2]])
    result = metrics.roc_auc_ovr([0, 1, 2, 2], probabilities)
    # class 2: positives .6, .2 vs negatives .1, .3 → pairs .6>.1, .6>.3, .2>.1, .2<.3 → 3/4
    assert result["per_class"] == pytest.approx([1.0, 1.0, 0.75])
    assert result["macro"] == pytest.approx((1 + 1 + 0.75) / 3)


def test_roc_auc_ovr_absent_class_is_nan_and_left_out_of_the_mean() -> None:
    probabilities = np.array([[0.8, 0.1, 0.1], [0.3, 0.6, 0.1], [0.6, 0.3, 0.1], [0.2, 0.7, 0.1]])
    result = metrics.roc_auc_ovr([0, 1, 0, 1], probabilities)
    assert math.isnan(result["per_class"][2])
    assert result["macro"] == pytest.approx(1.0)


def test_expected_calibration_error_by_hand() -> None:
    probabilities = np.array([[0.9, 0.1], [0.9, 0.1], [0.25, 0.75], [0.35, 0.65]])
    y_true = [0, 1, 1, 1]
    # bin 13 (conf .9): 2 films, accuracy .5 → |.5-.9| × 2/4 = .2
    # bin 11 (conf .75): 1 film, right → .25 × 1/4 = .0625; bin 9 (conf .65): right → .35 × 1/4 = .0875
    assert metrics.expected_calibration_error(y_true, probabilities, bins=15) == pytest.approx(0.35)
    table = metrics.reliability_bins(y_true, probabilities, bins=15)
    assert table["count"][13] == 2 and table["accuracy"][13] == pytest.approx(0.5)
    assert table["count"].sum() == 4


def test_ece_of_a_perfectly_calibrated_set_is_zero() -> None:
    probabilities = np.array([[0.5, 0.5]] * 4)
    assert metrics.expected_calibration_error([0, 1, 0, 1], probabilities) == pytest.approx(0.0)


def test_sensitivity_specificity_by_hand() -> None:
    # Abnormal = classes 1 and 2. Abnormal films predicted 2, 2, 0, 1 → 3/4 flagged.
    # Normal films predicted 0, 1 → 1/2 cleared.
    sensitivity, specificity = metrics.sensitivity_specificity([0, 0, 1, 2, 2, 1], [0, 1, 2, 2, 0, 1], [1, 2])
    assert sensitivity == pytest.approx(0.75) and specificity == pytest.approx(0.5)
    assert metrics.sensitivity_specificity([0, 1, 1, 0], [0, 1, 0, 0], 1) == pytest.approx((0.5, 1.0))


def test_metrics_agree_with_scikit_learn_on_random_data() -> None:
    sklearn = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 3, 300)
    logits = rng.normal(size=(300, 3)) + np.eye(3)[y_true]
    probabilities = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    probabilities = np.round(probabilities, 2)  # force ties
    probabilities /= probabilities.sum(axis=1, keepdims=True)
    y_pred = probabilities.argmax(axis=1)
    assert metrics.accuracy(y_true, y_pred) == pytest.approx(sklearn.accuracy_score(y_true, y_pred))
    np.testing.assert_array_equal(metrics.confusion_matrix(y_true, y_pred, 3), sklearn.confusion_matrix(y_true, y_pred))
    precision, recall, f1, support = sklearn.precision_recall_fscore_support(y_true, y_pred, zero_division=0)
    prf = metrics.per_class_prf(y_true, y_pred, 3)
    np.testing.assert_allclose(prf["precision"], precision)
    np.testing.assert_allclose(prf["recall"], recall)
    np.testing.assert_allclose(prf["f1"], f1)
    np.testing.assert_array_equal(prf["support"], support)
    binary = (y_true == 1).astype(int)
    assert metrics.roc_auc_binary(binary, probabilities[:, 1]) == pytest.approx(
        sklearn.roc_auc_score(binary, probabilities[:, 1]))
    assert metrics.roc_auc_ovr(y_true, probabilities)["macro"] == pytest.approx(
        sklearn.roc_auc_score(y_true, probabilities, multi_class="ovr", average="macro"))


def test_wilson_interval_by_hand() -> None:
    # 8 of 10: centre (0.8 + 1.92/10) / 1.384 = 0.7168, half-width 1.96·√(0.016 + 0.00096)/1.384 = 0.2266.
    low, high = metrics.wilson_interval(8, 10)
    assert (low, high) == pytest.approx((0.4902, 0.9433), abs=1e-4)
    # 0 of 10: the interval starts at 0 and still has room above it (the textbook one would be [0, 0]).
    assert metrics.wilson_interval(0, 10) == pytest.approx((0.0, 0.2775), abs=1e-4)
    assert metrics.wilson_interval(10, 10)[1] == pytest.approx(1.0)
    assert metrics.wilson_interval(0, 0) is None
    with pytest.raises(ValueError):
        metrics.wilson_interval(11, 10)


def _separated_scores(rng: np.random.Generator, films: int, shift: float) -> tuple[np.ndarray, np.ndarray]:
    """Positive films score ``shift`` higher than negatives on average (normal noise): true AUC Φ(shift/√2)."""
    y = (rng.random(films) < 0.6).astype(np.int64)
    return y, rng.normal(size=films) + shift * y


def test_bootstrap_auc_interval_covers_the_true_auc_about_95_percent_of_the_time() -> None:
    """Coverage, the property an interval is for: repeated samples from a population of known AUC."""
    rng = np.random.default_rng(0)
    true_auc = 0.5 * (1 + math.erf(1.0 / 2))  # Φ(shift/√2) = ½(1 + erf(shift/2)), shift 1.0
    covered = 0
    samples = 200
    for sample in range(samples):
        y, scores = _separated_scores(rng, 150, 1.0)
        low, high = metrics.bootstrap_interval(lambda i: metrics.roc_auc_binary(y[i], scores[i]), y, 400, sample)
        covered += low <= true_auc <= high
    assert 0.89 <= covered / samples <= 0.99


def test_bootstrap_interval_is_seeded_brackets_the_estimate_and_narrows_with_more_films() -> None:
    rng = np.random.default_rng(1)
    widths = []
    for films in (200, 800):
        y, scores = _separated_scores(rng, films, 1.0)
        auc = lambda i: metrics.roc_auc_binary(y[i], scores[i])  # noqa: E731
        interval = metrics.bootstrap_interval(auc, y, 500, seed=3)
        assert interval == metrics.bootstrap_interval(auc, y, 500, seed=3)
        assert interval != metrics.bootstrap_interval(auc, y, 500, seed=4)
        assert interval[0] < auc(np.arange(films)) < interval[1]
        widths.append(interval[1] - interval[0])
    # Four times the films: about half the width (1/√4).
    assert 0.35 < widths[1] / widths[0] < 0.65


def test_bootstrap_interval_of_an_undefined_statistic_is_none_and_of_a_perfect_one_a_point() -> None:
    y = np.array([0, 0, 1, 1])
    assert metrics.bootstrap_interval(lambda i: float("nan"), y) is None
    perfect = metrics.bootstrap_interval(lambda i: metrics.roc_auc_binary(y[i], y[i] * 0.9), y, 50)
    assert perfect == (1.0, 1.0)
