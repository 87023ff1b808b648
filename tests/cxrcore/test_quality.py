"""The quality score (cxrcore.safety.quality): sane on odd pictures, quiet on clean films, loud on degraded ones."""

from __future__ import annotations

import json

import numpy as np
import pytest

from cxrcore.decode import decode_image
from cxrcore.preprocess import to_uint8
from cxrcore.safety.quality import FEATURE_NAMES, QualityCheck, QualityModel, quality_features
from tests.conftest import REPO_ROOT
from tests.factories import sample_films
from trainer.safety.distortions import KINDS, distort

SAFETY_DIR = REPO_ROOT / "models" / "_safety"


@pytest.fixture(scope="module")
def check() -> QualityCheck:
    return QualityCheck.load(SAFETY_DIR)


def _films() -> list[np.ndarray]:
    return [to_uint8(decode_image(path)) for path in sample_films()]


@pytest.mark.parametrize(
    "picture",
    [np.zeros((224, 224), np.uint8), np.full((40, 3000), 255, np.uint8),
     np.random.default_rng(0).integers(0, 256, (32, 32), dtype=np.uint8), np.eye(300, dtype=np.uint8) * 255],
    ids=["black", "white-banner", "tiny-noise", "one-line"],
)
def test_features_are_finite_for_any_picture(picture: np.ndarray, check: QualityCheck) -> None:
    features = quality_features(picture)
    assert features.shape == (len(FEATURE_NAMES),) and np.all(np.isfinite(features))
    assert 0.0 <= check.score(picture) <= 100.0


def test_clean_sample_films_get_no_warning(check: QualityCheck) -> None:
    for film in _films():
        assert check.warn(check.score(film)) is None


@pytest.mark.parametrize("kind", KINDS)
def test_strongly_degraded_films_are_warned(check: QualityCheck, kind: str) -> None:
    rng = np.random.default_rng(0)
    for film in _films():
        score = check.score(distort(film, kind, 3, rng))
        message = check.warn(score)
        assert message is not None and "quality is poor" in message, (kind, score)


def test_clean_kermany_test_warnings_match_the_card(check: QualityCheck, kermany_root) -> None:
    paths = sorted((kermany_root / "chest_xray" / "test").glob("*/*.jpeg"))
    warned = sum(check.warn(check.score(to_uint8(decode_image(path)))) is not None for path in paths)
    card = json.loads((SAFETY_DIR / "safety.json").read_text(encoding="utf-8"))
    recorded = card["quality"]["measured"]["kermany_test clean"]
    assert recorded["films"] == len(paths) and abs(warned - recorded["warned"]) <= 1


def test_a_model_for_other_features_is_refused() -> None:
    card = json.loads((SAFETY_DIR / "safety.json").read_text(encoding="utf-8"))
    data = dict(card["quality"]["model"], features=list(FEATURE_NAMES)[::-1])
    with pytest.raises(ValueError, match="other features"):
        QualityModel.from_dict(data)
