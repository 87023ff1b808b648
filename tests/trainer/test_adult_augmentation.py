"""Source degradations (`trainer.data.pipeline.FilmDegradation`) and the adult recipes, on real films."""

from __future__ import annotations

import numpy as np
import pytest

from cxrcore.preprocess import load_resized_gray
from tests.conftest import SHARED_DATA
from trainer.recipes import RECIPES, SOURCE_AND_LABEL, Augmentation, Recipe


@pytest.fixture(scope="module")
def films() -> np.ndarray:
    folder = SHARED_DATA / "external" / "chestxray8-adult" / "No_findings"
    if not folder.is_dir():
        pytest.fail(f"real data not found at {folder}; set CXR_SHARED_DATA to the shared/data folder")
    return np.stack([load_resized_gray(path, 224, 224) for path in sorted(folder.iterdir())[:8]])


def test_each_degradation_changes_films_and_repeats_for_the_same_key(films: np.ndarray) -> None:
    from trainer.data.pipeline import FilmDegradation, build_degradation

    for settings in ({"resample": 0.35}, {"gamma": 0.35}, {"noise": 8.0}, {"burn_in": 1.0}):
        degradation = build_degradation(Augmentation(**settings))
        out = degradation(films, (0, 0, 0))
        assert out.dtype == np.uint8 and out.shape == films.shape
        assert not np.array_equal(out, films), settings
        assert np.array_equal(out, degradation(films, (0, 0, 0)))
    assert build_degradation(Augmentation(zoom=0.1)) is None
    full = FilmDegradation(0.35, 0.35, 8.0, 0.3)
    assert not np.array_equal(full(films, (0, 0, 0)), full(films, (0, 1, 0)))


def test_film_batches_apply_the_degradation_before_the_model_input(films: np.ndarray) -> None:
    from cxrcore.preprocess import InputSpec
    from trainer.data.pipeline import FilmBatches, build_degradation

    spec = InputSpec(224, 224, 3, scale=1 / 128, offset=-127 / 128)
    plain = FilmBatches(films, np.arange(len(films)), spec, 4, targets=np.zeros(len(films), np.float32))
    degraded = FilmBatches(films, np.arange(len(films)), spec, 4, targets=np.zeros(len(films), np.float32),
                           degradation=build_degradation(Augmentation(gamma=0.35)))
    assert not np.array_equal(plain[0][0], degraded[0][0])
    assert np.array_equal(degraded[0][0], degraded[0][0])


def test_adult_recipes_weight_by_source_and_label() -> None:
    for name in ("adult-abnormal-effnetlite0", "adult-abnormal-effnetlite0-cached"):
        recipe = RECIPES[name]
        assert recipe.datasets == ("adult-composed",) and recipe.sample_weighting == SOURCE_AND_LABEL
        assert recipe.class_weights is None
    assert RECIPES["adult-abnormal-effnetlite0"].augmentation.degrades
    with pytest.raises(ValueError, match="replaces class_weights"):
        Recipe(name="x", model="m", datasets=("adult-composed",), height=8, width=8, channels=1,
               loss="binary_crossentropy", epochs=1, class_weights="inverse-frequency",
               sample_weighting=SOURCE_AND_LABEL)
    with pytest.raises(ValueError, match="resample"):
        Augmentation(resample=1.5)
