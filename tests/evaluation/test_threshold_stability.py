"""studies/threshold_stability.py on the shipped pneumonia bundle: the refit on all validation films
reproduces the card's threshold, the card's column is the card's test figures, the spread is real, and the
test-fitted ceiling reaches the target sensitivity."""

from __future__ import annotations

from pathlib import Path

import pytest

from studies.threshold_stability import main
from cxrcore.bundle import load_bundle
from tests.conftest import REPO_ROOT, SHARED_DATA

pytestmark = pytest.mark.slow

SHIPPED = REPO_ROOT / "models" / "pneumonia-pediatric"


def test_refits_reproduce_the_card_and_spread_around_it(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main([str(SHIPPED), "--data", str(SHARED_DATA), "--cache-dir", str(tmp_path), "--resamples", "40"]) == 0
    output = capsys.readouterr().out
    card = load_bundle(SHIPPED).card
    threshold = card["thresholds"]["PNEUMONIA"]
    assert f"Refit on all validation films through this build: PNEUMONIA {threshold:.4f} (card: " in output
    rows = {line.split(" | ")[0].lstrip("| "): [float(cell) for cell in line.strip(" |").split(" | ")[1:]]
            for line in output.splitlines() if line.startswith("| ") and "---" not in line and "on test" not in line}
    metrics = card["builds"][card["default_build"]]["test_metrics"]
    assert rows["accuracy"][0] == pytest.approx(metrics["accuracy"], abs=5e-5)
    assert rows["PNEUMONIA specificity"][0] == pytest.approx(
        metrics["at_threshold"]["PNEUMONIA"]["specificity"], abs=5e-5)
    low, median, high, ceiling = rows["PNEUMONIA threshold"][1:]
    assert low < median < high, "resampled validation films move the threshold"
    target = card["threshold_selection"]["target_sensitivity"]
    assert rows["PNEUMONIA sensitivity"][4] >= target, "the threshold fitted on test reaches the target there"
