"""The result store: WAL, one row per (batch, path), resume across runs, append-only audit log."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from cxrcore.bundle import load_bundle
from cxrcore.classifier import Classifier
from desktop.batch import run_batch
from desktop.catalog import ModelIdentity
from desktop.pipeline import ScreenResult
from desktop.store import ResultStore, batch_id_for
from tests.factories import sample_films
from tests.desktop_support import film_folder

MODEL = ModelIdentity("m", "1", "float32", "a" * 64, "b" * 64, ("NORMAL", "PNEUMONIA"))
PATIENT = {"PatientName": "DOE^JANE", "PatientID": "P-42"}


def result(path: str, prediction: str = "NORMAL") -> ScreenResult:
    return ScreenResult(path=path, status="ok", prediction=prediction, confidence=0.9, flagged=False,
                        probabilities={"NORMAL": 0.9, "PNEUMONIA": 0.1}, metadata=PATIENT, file_sha256="c" * 64)


def test_results_are_committed_one_row_per_batch_and_path(tmp_path: Path) -> None:
    with ResultStore(tmp_path / "s.sqlite3") as store:
        assert store.journal_mode == "wal"
        batch = store.open_batch("key", MODEL)
        assert store.open_batch("key", MODEL) == batch
        store.record(batch, [result("/a.png")], MODEL)
        store.record(batch, [result("/a.png", "PNEUMONIA"), result("/b.png")], MODEL)
    # A second connection (another process after a crash) sees every committed row.
    with ResultStore(tmp_path / "s.sqlite3") as reopened:
        stored = reopened.results(batch)
        assert sorted(stored) == ["/a.png", "/b.png"]
        assert stored["/a.png"].prediction == "PNEUMONIA"
        assert stored["/a.png"].metadata == PATIENT
        assert len(reopened.audit_entries()) == 3


def test_quality_and_warnings_round_trip_and_a_version_1_store_is_upgraded(tmp_path: Path) -> None:
    from dataclasses import replace

    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as old:  # the version-1 results table: no quality, no warnings
        old.executescript(
            "CREATE TABLE results (batch_id TEXT NOT NULL, path TEXT NOT NULL, file_sha256 TEXT NOT NULL, "
            "status TEXT NOT NULL, reason TEXT NOT NULL, message TEXT NOT NULL, prediction TEXT NOT NULL, "
            "confidence REAL, flagged INTEGER, probabilities TEXT NOT NULL, metadata TEXT NOT NULL, "
            "screened_at TEXT NOT NULL, PRIMARY KEY (batch_id, path));"
            "INSERT INTO results VALUES ('b', '/old.png', 'c', 'ok', '', '', 'NORMAL', 0.9, 0, '{}', '{}', 't');"
            "PRAGMA user_version=1;"
        )
    with ResultStore(path) as store:
        assert store.results("b")["/old.png"].quality is None and store.results("b")["/old.png"].warnings == ()
        batch = store.open_batch("key", MODEL)
        warned = replace(result("/new.png"), quality=41.5, warnings=("outside the domain", "poor quality"))
        store.record(batch, [warned], MODEL)
        stored = store.results(batch)["/new.png"]
        assert (stored.quality, stored.warnings) == (41.5, ("outside the domain", "poor quality"))


def test_batch_identity_depends_on_key_and_exact_model() -> None:
    other_card = ModelIdentity("m", "1", "float32", "a" * 64, "d" * 64, ("NORMAL", "PNEUMONIA"))
    assert batch_id_for("k", MODEL) == batch_id_for("k", MODEL)
    assert len({batch_id_for("k", MODEL), batch_id_for("k2", MODEL), batch_id_for("k", other_card)}) == 3


def test_audit_log_is_append_only_and_holds_no_patient_fields(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    with ResultStore(path) as store:
        store.record(store.open_batch("key", MODEL), [result("/a.png")], MODEL)
        entry = store.audit_entries("/a.png")[0]
        assert (entry["model_name"], entry["build_sha256"], entry["prediction"]) == ("m", "a" * 64, "NORMAL")
    database = sqlite3.connect(path)
    for statement in ("UPDATE audit SET prediction = 'x'", "DELETE FROM audit"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            database.execute(statement)
    dump = "\n".join(database.iterdump())
    audit_rows = database.execute("SELECT * FROM audit").fetchall()
    database.close()
    assert "DOE^JANE" in dump  # the result store keeps it for the app's table…
    assert not any("DOE" in str(value) or "P-42" in str(value) for row in audit_rows for value in row)  # …the audit never


def test_run_batch_resumes_without_screening_twice(tmp_path: Path, tiny_bundle: Path) -> None:
    films = film_folder(tmp_path / "films", sample_films())
    bundle = load_bundle(tiny_bundle)
    classifier = Classifier(bundle, threads=1)
    model = ModelIdentity.of(bundle, "float32")
    with ResultStore(tmp_path / "s.sqlite3") as store:
        first = run_batch(classifier, model, [films], store, "key")
        second = run_batch(classifier, model, [films], store, "key")
        assert (first.total, first.screened, first.resumed) == (7, 7, 0)
        assert (second.total, second.screened, second.resumed) == (7, 0, 7)
        assert [r.prediction for r in second.results] == [r.prediction for r in first.results]
        assert len(store.results(first.batch_id)) == 7
        assert len(store.audit_entries()) == 7
    classifier.close()
