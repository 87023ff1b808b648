"""Routing by population (issue #17): each film reaches the model validated for it, or none; forced
models mark films outside their population "not validated"; one decode and one gate per film.

Runs on two tiny real LiteRT bundles (one pediatric, one adult population) and `FakeSafety`, which
declares each film's population, so that the routing rules are tested apart from the population
model (`tests/desktop/test_routing_real.py` runs the shipped models on real films).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cxrcore.safety.population import NOT_VALIDATED, PopulationResult
from desktop.screening.batch import run_batch
from desktop.screening.catalog import Catalog, discover
from desktop.screening.pipeline import screen_paths
from desktop.screening.results import STATUS_NOT_VALIDATED, STATUS_OK, STATUS_REJECTED
from desktop.reports.csv_export import csv_row, write_csv
from desktop.screening.routing import AUTOMATIC, SelectionError, select
from desktop.screening.store import ResultStore
from tests.desktop_support import FakeSafety, automatic_router, declare, forced_router
from tests.factories import ADULT_POPULATION, PEDIATRIC_POPULATION, sample_films, tiny_tflite_bytes, write_bundle
from tests.desktop.test_pipeline import write_dicom


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory, tiny_tflite: bytes) -> Path:
    root = tmp_path_factory.mktemp("models")
    write_bundle(root / "child-model", tiny_tflite, population=PEDIATRIC_POPULATION)
    write_bundle(root / "adult-model", tiny_tflite_bytes(seed=1), labels=("NORMAL", "ABNORMAL"),
                 population=ADULT_POPULATION)
    write_bundle(root / "paper-model", tiny_tflite, population={**ADULT_POPULATION, "routable": False})
    write_bundle(root / "old-model", tiny_tflite)  # a card from before the population field
    return root


@pytest.fixture()
def router(models: Path):
    opened = automatic_router(models / "child-model", models / "adult-model")
    yield opened
    opened.close()


def by_name(results) -> dict:
    return {Path(result.path).name: result for result in results}


def test_only_routable_bundles_are_routed_to_and_each_film_reaches_its_own(models: Path, router) -> None:
    assert [bundle.name for bundle in discover([models]).routable()] == ["adult-model", "child-model"]
    children, adults = sample_films()[:3], sample_films()[3:6]
    safety = FakeSafety(declare(adults, "adult"))

    results = list(screen_paths(router, [*children, *adults], safety=safety))

    child, adult = router.identities[0], router.identities[1]
    assert [r.model for r in results] == [child] * 3 + [adult] * 3
    assert all(r.status == STATUS_OK and not r.warnings for r in results)
    assert set(results[0].probabilities) == {"NORMAL", "PNEUMONIA"}
    assert set(results[3].probabilities) == {"NORMAL", "ABNORMAL"}
    classifier = router.routes[1].classifier
    assert results[3].probabilities["ABNORMAL"] == pytest.approx(
        float(classifier.classify_file(adults[0]).probabilities[1]), abs=1e-6)


def test_a_film_no_model_is_validated_for_is_not_scored_and_flagged(router) -> None:
    film, photo = sample_films()[:2]
    safety = FakeSafety(declare([film], "neither") | declare([photo], None))

    outside, refused = screen_paths(router, [film, photo], safety=safety)

    assert (outside.status, outside.scored, outside.flagged, outside.probabilities) == (
        STATUS_NOT_VALIDATED, False, True, {})
    assert outside.shown_prediction == NOT_VALIDATED and outside.reason == "population-image"
    assert outside.warnings[0].startswith(NOT_VALIDATED)
    assert "child-model" in outside.warnings[0] and "adult-model" in outside.warnings[0]
    assert (refused.status, refused.reason) == (STATUS_REJECTED, "not-a-chest-film")


def test_a_stated_age_outside_every_range_wins_over_the_image_and_is_never_written(router, tmp_path: Path) -> None:
    ramp = np.tile(np.linspace(0, 4095, 256, dtype=np.uint16), (256, 1))
    elder = write_dicom(tmp_path / "elder.dcm", ramp, PatientAge="045Y")
    teen = write_dicom(tmp_path / "teen.dcm", ramp, PatientBirthDate="20120101")  # studied 2024-03-01
    safety = FakeSafety(default="pediatric")  # the image says "child" for both

    elder_result, teen_result = screen_paths(router, [elder, teen], safety=safety)

    assert elder_result.status == STATUS_NOT_VALIDATED and elder_result.reason == "population-age"  # adult: image
    assert teen_result.status == STATUS_NOT_VALIDATED and teen_result.reason == "population-age"
    assert elder_result.metadata["PatientAge"] == "045Y"
    assert (teen_result.metadata["PatientBirthDate"], teen_result.metadata["StudyDate"]) == ("20120101", "20240301")
    for result in (elder_result, teen_result):  # the age is a patient field: only in opted-in exports
        assert not any(age in text for text in (*result.warnings, result.message) for age in ("45", "12"))
        assert not any("045Y" in cell or "20120101" in cell for cell in csv_row(result, router.labels).values())
    assert csv_row(elder_result, router.labels, include_patient_fields=True)["patient_age"] == "045Y"


def test_a_forced_model_scores_a_film_outside_its_population_but_never_shows_a_plain_label(models: Path) -> None:
    forced = forced_router(models / "child-model")
    adult_film = sample_films()[0]
    try:
        (result,) = screen_paths(forced, [adult_film], safety=FakeSafety(declare([adult_film], "adult")))
    finally:
        forced.close()
    assert (result.status, result.scored, result.flagged) == (STATUS_NOT_VALIDATED, True, True)
    assert result.prediction in ("NORMAL", "PNEUMONIA") and result.shown_prediction == NOT_VALIDATED
    assert f"child-model 0.0.1-test float32 gave {result.prediction}" in result.message
    row = csv_row(result, ["NORMAL", "PNEUMONIA"])
    assert (row["status"], row["prediction"], row["model"]) == ("not-validated", NOT_VALIDATED,
                                                                "child-model 0.0.1-test float32")
    assert row["p_PNEUMONIA"] and row["warnings"].startswith(NOT_VALIDATED)


def test_when_two_populations_accept_the_lower_score_wins(router) -> None:
    def verdicts(child_score: float, adult_score: float) -> dict[str, PopulationResult]:
        return {"pediatric": PopulationResult("pediatric", True, child_score, "", None),
                "adult": PopulationResult("adult", True, adult_score, "", None)}

    assert router.route(verdicts(0.9, 0.2), {}).route is router.routes[1]
    assert router.route(verdicts(0.2, 0.9), {}).route is router.routes[0]
    unknown = router.route({}, {})
    assert (unknown.route, unknown.validated, unknown.reason) == (None, False, "unknown")


def test_automatic_routing_refuses_to_run_without_the_safety_checks(router) -> None:
    with pytest.raises(ValueError, match="needs the safety checks"):
        list(screen_paths(router, sample_films()[:1]))


def test_model_selection(models: Path) -> None:
    catalog = discover([models])
    automatic = select(catalog, AUTOMATIC)
    assert automatic.automatic and [b.name for b, _ in automatic.models] == ["adult-model", "child-model"]
    assert select(catalog, None) == automatic
    forced = select(catalog, "paper-model")  # not routable, but usable when asked for by name
    assert not forced.automatic and [(b.name, build) for b, build in forced.models] == [("paper-model", "float32")]
    with pytest.raises(SelectionError, match="--build needs --model NAME"):
        select(catalog, AUTOMATIC, "float32")
    with pytest.raises(SelectionError, match="no valid model named 'nope'; available: auto, adult-model"):
        select(catalog, "nope")
    with pytest.raises(SelectionError, match="build 'int8' of old-model is not usable"):
        select(catalog, "old-model", "int8")
    with pytest.raises(SelectionError, match="no installed model states a validated population"):
        select(Catalog(searched=[], valid=[catalog.find("old-model")]), AUTOMATIC)


def test_a_routed_batch_resumes_and_its_csv_has_every_label_and_the_model(models: Path, router,
                                                                           tmp_path: Path) -> None:
    children, adults = sample_films()[:2], sample_films()[2:4]
    safety = FakeSafety(declare(adults, "adult"))
    with ResultStore(tmp_path / "s.sqlite3") as store:
        first = run_batch(router, [*children, *adults], store, "key", safety=safety)
        again = run_batch(router, [*children, *adults], store, "key", safety=safety)
        forced = forced_router(models / "child-model")
        try:
            other = run_batch(forced, [*children, *adults], store, "key", safety=safety)
        finally:
            forced.close()
        audit = store.audit_entries()
    assert (again.resumed, other.resumed) == (4, 0)  # the forced model is another batch
    assert [r.model for r in again.results] == [r.model for r in first.results]
    assert [entry["model_name"] for entry in audit[:4]] == ["child-model"] * 2 + ["adult-model"] * 2
    out = tmp_path / "r.csv"
    write_csv(out, first.results, router.labels)
    header, *rows = out.read_text(encoding="utf-8-sig").splitlines()
    assert header == ("path,status,prediction,confidence,flagged,message,model,p_NORMAL,p_PNEUMONIA,p_ABNORMAL,"
                      "quality,warnings")
    assert ",adult-model 0.0.1-test float32," in rows[2] and rows[2].split(",")[8] == ""  # no p_PNEUMONIA
