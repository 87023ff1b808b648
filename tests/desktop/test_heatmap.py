"""Occlusion heatmaps computed with the LiteRT model (mechanics only: the model is untrained)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cxrcore.bundle import load_bundle
from cxrcore.classifier import Classifier
from desktop.screening.heatmap import PATCH_VALUE, occlusion_heatmap, overlay_rgba
from tests.factories import sample_films


@pytest.fixture()
def classifier(tiny_bundle: Path):
    opened = Classifier(load_bundle(tiny_bundle), threads=1)
    yield opened
    opened.close()


def test_each_cell_is_the_probability_drop_when_that_cell_is_grayed(classifier: Classifier) -> None:
    gray = classifier.load_gray(sample_films()[3])
    heatmap = occlusion_heatmap(classifier, gray, grid=4)

    assert heatmap.label == "PNEUMONIA" and heatmap.drops.shape == (4, 4)
    baseline = classifier.classify_gray(gray).decision.probabilities["PNEUMONIA"]
    assert heatmap.baseline == pytest.approx(baseline)
    occluded = gray.copy()
    occluded[16:32, 48:64] = PATCH_VALUE  # row 1, column 3 of a 4×4 grid on 64×64
    expected = baseline - classifier.classify_gray(occluded).decision.probabilities["PNEUMONIA"]
    assert heatmap.drops[1, 3] == pytest.approx(expected, abs=1e-9)
    assert np.count_nonzero(heatmap.drops) > 0


def test_full_size_films_are_resized_by_cxrcore_and_bad_input_refused(classifier: Classifier) -> None:
    big = np.full((300, 200), 90, np.uint8)
    assert occlusion_heatmap(classifier, big, grid=2).drops.shape == (2, 2)
    with pytest.raises(ValueError):
        occlusion_heatmap(classifier, big.astype(np.float32))
    with pytest.raises(ValueError):
        occlusion_heatmap(classifier, big, grid=0)
    with pytest.raises(ValueError):
        occlusion_heatmap(classifier, big, label="COVID")


def test_overlay_is_opaque_only_where_the_film_supports_the_label(classifier: Classifier) -> None:
    heatmap = occlusion_heatmap(classifier, classifier.load_gray(sample_films()[0]), grid=4)
    heatmap.drops[:] = 0.0
    heatmap.drops[0, 0] = 0.2
    rgba = overlay_rgba(heatmap, 40, 40)
    assert rgba.shape == (40, 40, 4) and rgba.dtype == np.uint8
    assert rgba[2, 2, 3] > 100 and rgba[35, 35, 3] == 0
