"""evaluation.threshold_stability on synthetic scores, and studies/threshold_stability.py, its command line, on the
shipped pneumonia bundle: the refit on all validation films reproduces the card's threshold, the card's column is
the card's test figures, the spread is real, and the test-fitted ceiling reaches the target sensitivity."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cxrcore.bundle import load_bundle
from evaluation.calibration import operating_thresholds
from evaluation.operating_point import OperatingPoint
from evaluation.threshold_stability import operating_figures, threshold_stability
from studies.threshold_stability import main
from tests.conftest import REPO_ROOT, SHARED_DATA

SHIPPED = REPO_ROOT / "models" / "pneumonia-pediatric"
LABELS = ["NORMAL", "PNEUMONIA"]


@pytest.mark.slow
def test_refits_reproduce_the_card_and_spread_around_it(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main([str(SHIPPED), "--data", str(SHARED_DATA), "--cache-dir", str(tmp_path), "--resamples", "40",
                 "--build", "float32"]) == 0  # the build that is the float model the threshold was fitted on
    output = capsys.readouterr().out
    card = load_bundle(SHIPPED).card
    threshold = card["thresholds"]["PNEUMONIA"]
    assert f"Refit on all validation films through this build: PNEUMONIA {threshold:.4f} (card: " in output
    rows = {line.split(" | ")[0].lstrip("| "): [float(cell) for cell in line.strip(" |").split(" | ")[1:]]
            for line in output.splitlines() if line.startswith("| ") and "---" not in line and "on test" not in line}
    metrics = card["builds"]["float32"]["test_metrics"]
    assert rows["accuracy"][0] == pytest.approx(metrics["accuracy"], abs=5e-5)
    assert rows["PNEUMONIA specificity"][0] == pytest.approx(
        metrics["at_threshold"]["PNEUMONIA"]["specificity"], abs=5e-5)
    low, median, high, ceiling = rows["PNEUMONIA threshold"][1:]
    assert low < median < high, "resampled validation films move the threshold"
    target = card["threshold_selection"]["target_sensitivity"]
    assert rows["PNEUMONIA sensitivity"][4] >= target, "the threshold fitted on test reaches the target there"


def test_refits_on_resampled_validation_films_spread_around_the_fixed_threshold() -> None:
    """evaluation.threshold_stability on synthetic scores: the fixed threshold's test figures are its own, the refit
    thresholds spread around it, and the threshold fitted on test reaches the target there."""
    rng = np.random.default_rng(3)

    def films(count: int) -> tuple[np.ndarray, np.ndarray]:
        y = (rng.random(count) < 0.6).astype(np.int64)
        scores = 1 / (1 + np.exp(-(rng.normal(size=count) + 2.0 * y - 1.0)))
        return np.stack([1 - scores, scores], axis=1), y

    validation, test = films(400), films(600)
    refit = operating_thresholds(*validation, LABELS, ["PNEUMONIA"], 0.95)
    point = OperatingPoint(LABELS, ["PNEUMONIA"], refit)
    stability = threshold_stability(validation, test, point, 0.95, resamples=60, seed=0)
    assert stability.refit == refit
    assert stability.fixed == operating_figures(*test, point)
    assert stability.fixed_on_validation["PNEUMONIA sensitivity"] >= 0.95
    low, median, high = stability.spread["PNEUMONIA threshold"]
    assert low < refit["PNEUMONIA"] < high and low < median < high
    assert stability.ceiling["PNEUMONIA sensitivity"] >= 0.95
    assert set(stability.spread) == set(stability.fixed) == set(stability.ceiling)
