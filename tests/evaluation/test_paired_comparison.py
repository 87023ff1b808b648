"""evaluation.paired: paired intervals on synthetic models of known difference; studies/paired_comparison.py,
its command line, on the shipped bundle (against itself, and against a copy that lists other test films)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
import numpy as np
import pytest

from cxrcore.bundle import load_bundle
from evaluation.operating_point import OperatingPoint
from evaluation.paired import ScoredModel, paired_difference, paired_interval
from studies.paired_comparison import main
from tests.conftest import REPO_ROOT, SHARED_DATA

SHIPPED = REPO_ROOT / "models" / "pneumonia-pediatric"


def _binary_model(y: np.ndarray, scores: np.ndarray) -> ScoredModel:
    """A two-label model whose probability of the abnormal label is ``scores`` (threshold 0.5)."""
    point = OperatingPoint(["NORMAL", "PNEUMONIA"], ["PNEUMONIA"], {"PNEUMONIA": 0.5})
    return ScoredModel(np.stack([1 - scores, scores], axis=1), y, point)


def test_paired_interval_finds_a_small_real_difference_the_separate_intervals_cannot() -> None:
    """Model B is model A with every pneumonia film nudged up: better on every resample of the same films.
    Paired, the AUC gain is shown (interval above 0); the two models' own intervals overlap widely."""
    rng = np.random.default_rng(0)
    y = (rng.random(600) < 0.6).astype(np.int64)
    base = 1 / (1 + np.exp(-(rng.normal(size=600) + 2.0 * y - 1.0)))
    first = _binary_model(y, base)
    better = _binary_model(y, np.clip(base + 0.03 * y, 0, 1))
    low, high = paired_interval(first, better, "auc")
    assert 0 < low <= high
    own_low, own_high = first.metrics["ci95"]["auc"]
    assert better.metrics["ci95"]["auc"][0] < own_high, "separately, the intervals overlap"
    assert high - low < (own_high - own_low) / 2
    assert paired_interval(first, first, "accuracy") == (0.0, 0.0)
    gain = paired_difference(first, better, "auc")
    assert (gain.low, gain.high) == (low, high) and low <= gain.change <= high and gain.shown
    assert not paired_difference(first, first, "accuracy").shown
    with pytest.raises(ValueError, match="metric must be one of"):
        paired_interval(first, better, "f1")


def test_cli_refuses_bundles_that_list_other_test_films(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    from converters.card import write_card

    other = tmp_path / "other"
    shutil.copytree(SHIPPED, other)
    with open(other / "split.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    dropped = next(index for index, row in enumerate(rows) if row["split"] == "test")
    with open(other / "split.csv", "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows[:dropped] + rows[dropped + 1:])
    write_card(other, load_bundle(other, verify_hashes=False).card)  # re-hash the edited split.csv
    assert main([str(SHIPPED), str(other), "--data", str(SHARED_DATA)]) == 2
    assert "do not list the same test films" in capsys.readouterr().err


@pytest.mark.slow
def test_cli_compares_the_shipped_bundle_with_itself(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main([str(SHIPPED), str(SHIPPED), "--data", str(SHARED_DATA), "--cache-dir", str(tmp_path)]) == 0
    output = capsys.readouterr().out
    card = load_bundle(SHIPPED).card
    assert f"| {card['builds'][card['default_build']]['test_metrics']['auc']:.4f} (" in output
    assert "+0.0000 (+0.0000 to +0.0000) | +0.0000 (+0.0000 to +0.0000) |" in output
