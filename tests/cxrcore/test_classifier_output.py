"""An integer build's probability output, read as what its grid can say.

LiteRT's int8 sigmoid output has 256 levels of 1/256; its lowest level means "below half a step", and
read as 0 it made one normal test film in five show a confidence of 100.0% (`cxrcore.classifier`).
Checked on real Kermany test films through the shipped pediatric bundle's int8 build.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cxrcore.bundle import load_bundle
from cxrcore.classifier import Classifier
from cxrcore.postprocess import calibrated_probabilities
from cxrcore.preprocess import to_model_input
from tests.conftest import REPO_ROOT

PEDIATRIC = REPO_ROOT / "models" / "pneumonia-pediatric"


@pytest.fixture(scope="module")
def int8_classifier() -> Classifier:
    bundle = load_bundle(PEDIATRIC)
    if not bundle.holds_build("int8"):
        pytest.fail("the shipped pediatric bundle no longer holds an int8 build; this test needs one")
    classifier = Classifier(bundle, "int8", accelerator="cpu", threads=1)
    yield classifier
    classifier.close()


def _engine_level(classifier: Classifier, gray: np.ndarray) -> int:
    """The engine's own integer output for one film, before the classifier reads it."""
    return int(classifier.engine.run(to_model_input(gray, classifier.spec)).reshape(-1)[0])


def _normal_films(kermany_root: Path, count: int) -> list[Path]:
    return sorted((kermany_root / "chest_xray" / "test" / "NORMAL").iterdir())[:count]


def test_the_lowest_int8_level_reads_as_half_a_step_and_never_as_certainty(
    int8_classifier: Classifier, kermany_root: Path
) -> None:
    info = int8_classifier.engine.output_info
    assert info.quantized
    floor_films = []
    for path in _normal_films(kermany_root, 40):
        gray = int8_classifier.load_gray(path)
        if _engine_level(int8_classifier, gray) == info.zero_point:  # the grid's lowest level: p "= 0"
            floor_films.append(gray)
    assert floor_films, "no film among the first 40 normal test films reached the int8 build's lowest level"
    for gray in floor_films:
        raw = int8_classifier.raw_output(gray)
        assert raw[0, 0] == pytest.approx(info.scale / 2)
        decision = int8_classifier.classify_gray(gray).decision
        expected = calibrated_probabilities(np.array([[info.scale / 2]]), "sigmoid",
                                            int8_classifier.bundle.temperature)[0, 0]
        assert decision.prediction == "NORMAL"
        assert decision.confidence == pytest.approx(expected)
        assert f"{decision.confidence:.1%}" != "100.0%"


def test_levels_above_the_lowest_are_the_plain_dequantized_values(
    int8_classifier: Classifier, kermany_root: Path
) -> None:
    info = int8_classifier.engine.output_info
    seen = 0
    for path in sorted((kermany_root / "chest_xray" / "test" / "PNEUMONIA").iterdir())[:10]:
        gray = int8_classifier.load_gray(path)
        level = _engine_level(int8_classifier, gray)
        if level != info.zero_point:
            seen += 1
            assert int8_classifier.raw_output(gray)[0, 0] == pytest.approx((level - info.zero_point) * info.scale)
    assert seen
