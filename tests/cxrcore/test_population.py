"""The population check (cxrcore.safety.population): P(adult) from the image, the DICOM age over it, and the shipped figures.

The rates a card states are recomputed through the shipped `.tflite` on Kermany's official test
films and on NIH test patients, so a claim the model does not meet fails the suite.
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pytest

from cxrcore.decode import decode_image
from cxrcore.safety.population import NOT_VALIDATED, PopulationModel, PopulationResult, age_in_years, assess
from cxrcore.preprocess import to_uint8
from cxrcore.safety.card import SafetyCardError
from tests.conftest import REPO_ROOT
from trainer.safety.data import load_chestxray8_films

SAFETY_DIR = REPO_ROOT / "models" / "_safety"
PEDIATRIC = {"population_check": "pediatric", "age_years": [1, 5]}


def _measured(name: str) -> dict:
    return json.loads((SAFETY_DIR / "safety.json").read_text(encoding="utf-8"))["population"]["measured"][name]


@pytest.fixture(scope="module")
def model():
    loaded = PopulationModel.load(SAFETY_DIR)
    yield loaded
    loaded.close()


@pytest.mark.parametrize(("metadata", "years"), [
    ({"PatientAge": "045Y"}, 45.0),
    ({"PatientAge": "006M"}, 0.5),
    ({"PatientAge": "052W"}, 52 * 7 / 365.25),
    ({"PatientAge": "003D"}, 3 / 365.25),
    ({"PatientAge": "", "PatientBirthDate": "20200101", "StudyDate": "20240101"}, 1461 / 365.25),
    ({"PatientAge": "45"}, None),
    ({"PatientBirthDate": "20240101", "StudyDate": "20200101"}, None),
    ({"PatientBirthDate": "20241301", "StudyDate": "20250101"}, None),
    ({}, None),
])
def test_age_in_years_reads_dicom_age_strings_and_dates(metadata: dict, years: float | None) -> None:
    assert age_in_years(metadata) == (pytest.approx(years) if years is not None else None)


def test_a_stated_age_outside_the_range_overrides_the_image() -> None:
    inside = {"pediatric": PopulationResult("pediatric", True, 0.2, "", None)}
    assert assess(inside, PEDIATRIC, 3.0).in_population
    assert assess(inside, PEDIATRIC, None).in_population
    adult = assess(inside, PEDIATRIC, 45.0)
    assert (adult.in_population, adult.reason) == (False, "age") and adult.message.startswith(NOT_VALIDATED)
    assert "1–5" in adult.message and "45" not in adult.message  # the age is a patient field: never in a message


def test_a_model_without_a_known_population_validates_nothing() -> None:
    inside = {"pediatric": PopulationResult("pediatric", True, 0.2, "", None)}
    for spec in (None, {"population_check": "veterinary", "age_years": [0, 30]}):
        result = assess(inside, spec, 3.0)
        assert (result.in_population, result.reason, result.score) == (False, "unknown", math.inf)


def test_kermany_test_films_match_the_card_and_never_pass_as_adults(model: PopulationModel,
                                                                      kermany_root: Path) -> None:
    paths = sorted((kermany_root / "chest_xray" / "test").glob("*/*.jpeg"))
    verdicts = [model.judge(to_uint8(decode_image(path))) for path in paths]
    for population in ("pediatric", "adult"):
        outside = sum(not v[population].in_population for v in verdicts)
        recorded = _measured("kermany test")[population]
        assert recorded["films"] == len(paths) and abs(outside - recorded["count"]) <= 1, population
    # A child's film the adult model accepted would be scored with no warning at all (docs/safety.md §2).
    assert sum(v["adult"].in_population for v in verdicts) <= 0.01 * len(paths)
    assert all(v["pediatric"].message is None for v in verdicts if v["pediatric"].in_population)


def test_nih_adult_test_films_are_outside_the_pediatric_population(model: PopulationModel,
                                                                   external_root: Path) -> None:
    paths = load_chestxray8_films(external_root, 64).paths_of("test")
    verdicts = [model.judge(to_uint8(decode_image(path))) for path in paths]
    outside = sum(not v["pediatric"].in_population for v in verdicts)
    recorded = _measured("chestxray8 test")["pediatric"]
    assert recorded["films"] == len(paths) and abs(outside - recorded["count"]) <= 1
    assert outside >= 0.95 * len(paths)
    assert all(v["pediatric"].message.startswith(NOT_VALIDATED) for v in verdicts if not v["pediatric"].in_population)


def test_malformed_population_rules_are_refused(tmp_path: Path) -> None:
    folder = Path(shutil.copytree(SAFETY_DIR, tmp_path / "safety"))
    card = json.loads((SAFETY_DIR / "safety.json").read_text(encoding="utf-8"))
    card["population"]["populations"]["adult"]["accept"] = "sideways"
    (folder / "safety.json").write_text(json.dumps(card), encoding="utf-8")
    with pytest.raises(SafetyCardError, match="below' or 'above"):
        PopulationModel.load(folder)
    del card["population"]
    (folder / "safety.json").write_text(json.dumps(card), encoding="utf-8")
    with pytest.raises(SafetyCardError, match="population"):
        PopulationModel.load(folder)
