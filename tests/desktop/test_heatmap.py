"""Heatmaps computed with the LiteRT model: occlusion mechanics on the untrained tiny model, and the
class-activation map a shipped build with the feature output gets instead."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from cxrcore.bundle import load_bundle
from cxrcore.classifier import Classifier
from desktop.screening.heatmap import (
    CLASS_ACTIVATION, OCCLUSION, PATCH_VALUE, bilinear_resize, compute_heatmap, occlusion_heatmap, overlay_rgba,
)
from tests.conftest import REPO_ROOT
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


def test_without_a_feature_output_the_heatmap_is_occlusion(classifier: Classifier) -> None:
    gray = classifier.load_gray(sample_films()[3])
    heatmap = compute_heatmap(classifier, gray, grid=4)
    assert heatmap.method == OCCLUSION and heatmap.caption == "Occlusion heatmap"
    np.testing.assert_array_equal(heatmap.drops, occlusion_heatmap(classifier, gray, grid=4).drops)


@pytest.fixture(scope="module")
def pediatric() -> Classifier:
    opened = Classifier(load_bundle(REPO_ROOT / "models" / "pneumonia-pediatric"), accelerator="cpu", threads=1)
    yield opened
    opened.close()


def test_a_build_with_the_feature_output_gets_a_class_activation_map(pediatric: Classifier) -> None:
    film = pediatric.bundle.directory / "reference" / "02-person139_bacteria_662.jpeg"
    gray = pediatric.load_gray(film)
    heatmap = compute_heatmap(pediatric, gray)
    assert heatmap.method == CLASS_ACTIVATION and heatmap.caption == "Class-activation map"
    assert heatmap.label == "PNEUMONIA"
    assert heatmap.baseline == pytest.approx(pediatric.classify_gray(gray).decision.probabilities["PNEUMONIA"])
    _, features = pediatric.classify_with_features(gray)
    cells = np.maximum(features.astype(np.float64) @ pediatric.cam_weights("PNEUMONIA"), 0)
    assert heatmap.grid == 7 and cells.max() > 0
    np.testing.assert_allclose(heatmap.drops, cells / cells.max())
    rgba = overlay_rgba(heatmap, 700, 560)  # 100 × 80 pixels per feature-map cell
    strongest = np.unravel_index(rgba[..., 3].argmax(), rgba.shape[:2])
    assert rgba.shape == (700, 560, 4)
    assert (strongest[0] // 100, strongest[1] // 80) == np.unravel_index(cells.argmax(), cells.shape)


def test_bilinear_upsampling_matches_pillow() -> None:
    values = np.random.default_rng(0).random((7, 5))
    expected = np.asarray(Image.fromarray(values.astype(np.float32), mode="F").resize((60, 49), Image.BILINEAR))
    np.testing.assert_allclose(bilinear_resize(values, 49, 60), expected, atol=1e-6)
