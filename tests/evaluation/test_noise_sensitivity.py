"""`studies.noise_sensitivity` on the tiny real bundle of `tests/converters/test_requantize.py` (float builds,
real Kermany validation films), and its counting on known inputs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from studies.noise_sensitivity import measure, movement, resaved
from tests.converters.test_requantize import float_bundle  # noqa: F401  (the module-scoped fixture)


def test_movement_counts_decisions_that_cross_the_threshold() -> None:
    reference = np.array([0.1, 0.29, 0.31, 0.9])
    moved = np.array([0.1, 0.31, 0.29, 0.8])
    entry = movement("test", reference, moved, threshold=0.3)
    assert entry.decisions_changed == 2 and entry.films == 4
    assert entry.mean_abs_dprob == pytest.approx((0 + 0.02 + 0.02 + 0.1) / 4)
    low, high = entry.decisions_changed_ci95
    assert low < 0.5 < high


def test_a_resaved_film_is_the_same_film_up_to_jpeg_rounding(kermany_root: Path) -> None:
    from cxrcore.preprocess import load_resized_gray

    film = load_resized_gray(next((kermany_root / "chest_xray" / "test" / "NORMAL").glob("*.jpeg")), 224, 224)
    again = resaved(film)
    assert again.shape == film.shape and again.dtype == np.uint8
    difference = np.abs(again.astype(int) - film.astype(int))
    assert 0 < difference.mean() < 2


@pytest.mark.slow
def test_measure_reports_every_version_on_the_validation_films(float_bundle: Path, kermany_root: Path) -> None:  # noqa: F811
    result = measure(float_bundle, kermany_root, limit=10)
    assert result["split"] == "val" and [entry["films"] for entry in result["movements"]] == [10, 10]
    assert [entry["version"] for entry in result["movements"]] == ["half a gray level", "saved again (JPEG q95)"]
    assert all(entry["mean_abs_dprob"] > 0 for entry in result["movements"])  # a real model moves, if a little
