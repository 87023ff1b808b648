"""The result store: WAL, one row per (batch, path), resume across runs, append-only audit log."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desktop.screening.batch import run_batch
from desktop.screening.catalog import ModelIdentity
from desktop.screening.results import ScreenResult
from desktop.screening.store import ResultStore, batch_id_for
from tests.factories import sample_films
from tests.desktop_support import film_folder, forced_router

MODEL = ModelIdentity("m", "1", "float32", "a" * 64, "b" * 64, ("NORMAL", "PNEUMONIA"))
PATIENT = {"PatientName": "DOE^JANE", "PatientID": "P-42"}


def result(path: str, prediction: str = "NORMAL") -> ScreenResult:
    return ScreenResult(path=path, status="ok", prediction=prediction, confidence=0.9, flagged=False,
                        probabilities={"NORMAL": 0.9, "PNEUMONIA": 0.1}, metadata=PATIENT, file_sha256="c" * 64,
                        model=MODEL)


def test_results_are_committed_one_row_per_batch_and_path(tmp_path: Path) -> None:
    with ResultStore(tmp_path / "s.sqlite3") as store:
        assert store.journal_mode == "wal"
        batch = store.open_batch("key", [MODEL], False)
        assert store.open_batch("key", [MODEL], False) == batch
        store.record(batch, [result("/a.png")])
        store.record(batch, [result("/a.png", "PNEUMONIA"), result("/b.png")])
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
        batch = store.open_batch("key", [MODEL], False)
        warned = replace(result("/new.png"), quality=41.5, warnings=("outside the domain", "poor quality"))
        store.record(batch, [warned])
        stored = store.results(batch)["/new.png"]
        assert (stored.quality, stored.warnings) == (41.5, ("outside the domain", "poor quality"))


def test_batch_identity_depends_on_key_every_model_and_the_routing() -> None:
    other_card = ModelIdentity("m", "1", "float32", "a" * 64, "d" * 64, ("NORMAL", "PNEUMONIA"))
    assert batch_id_for("k", [MODEL], False) == batch_id_for("k", [MODEL], False)
    ids = {batch_id_for("k", [MODEL], False), batch_id_for("k2", [MODEL], False),
           batch_id_for("k", [other_card], False), batch_id_for("k", [MODEL], True),
           batch_id_for("k", [MODEL, other_card], True), batch_id_for("k", [MODEL], True)}
    assert len(ids) == 5


def test_a_version_2_store_is_upgraded_and_its_forced_batch_still_resumes(tmp_path: Path) -> None:
    """Before routing a batch had one model; after the upgrade each scored row names it, and re-running
    the same command with that model (``--model NAME``) finds the same batch."""
    path = tmp_path / "v2.sqlite3"
    batch = batch_id_for("key", [MODEL], False)
    with sqlite3.connect(path) as old:
        old.executescript(
            "CREATE TABLE batches (batch_id TEXT PRIMARY KEY, batch_key TEXT NOT NULL, created_at TEXT NOT NULL, "
            "model_name TEXT NOT NULL, model_version TEXT NOT NULL, build TEXT NOT NULL, "
            "build_sha256 TEXT NOT NULL, card_sha256 TEXT NOT NULL);"
            "CREATE TABLE results (batch_id TEXT NOT NULL, path TEXT NOT NULL, file_sha256 TEXT NOT NULL, "
            "status TEXT NOT NULL, reason TEXT NOT NULL, message TEXT NOT NULL, prediction TEXT NOT NULL, "
            "confidence REAL, flagged INTEGER, probabilities TEXT NOT NULL, metadata TEXT NOT NULL, "
            "screened_at TEXT NOT NULL, quality REAL, warnings TEXT NOT NULL DEFAULT '[]', "
            "PRIMARY KEY (batch_id, path));"
            f"INSERT INTO batches VALUES ('{batch}', 'key', 't', 'm', '1', 'float32', '{'a' * 64}', '{'b' * 64}');"
            f"INSERT INTO results VALUES ('{batch}', '/ok.png', 'c', 'ok', '', '', 'NORMAL', 0.9, 0, "
            "'{\"NORMAL\": 0.9, \"PNEUMONIA\": 0.1}', '{}', 't', 50.0, '[]');"
            f"INSERT INTO results VALUES ('{batch}', '/bad.png', 'c', 'error', 'corrupt', 'x', '', NULL, NULL, "
            "'{}', '{}', 't', NULL, '[]');"
            "PRAGMA user_version=2;"
        )
    with ResultStore(path) as store:
        assert store.open_batch("key", [MODEL], False) == batch
        stored = store.results(batch)
        assert stored["/ok.png"].model == MODEL and stored["/bad.png"].model is None


def test_audit_log_is_append_only_and_holds_no_patient_fields(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    with ResultStore(path) as store:
        store.record(store.open_batch("key", [MODEL], False), [result("/a.png")])
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
    router = forced_router(tiny_bundle)
    with ResultStore(tmp_path / "s.sqlite3") as store:
        first = run_batch(router, [films], store, "key")
        second = run_batch(router, [films], store, "key")
        assert (first.total, first.screened, first.resumed) == (7, 7, 0)
        assert (second.total, second.screened, second.resumed) == (7, 0, 7)
        assert [r.prediction for r in second.results] == [r.prediction for r in first.results]
        assert len(store.results(first.batch_id)) == 7
        assert len(store.audit_entries()) == 7
        assert [r.model for r in second.results] == [r.model for r in first.results]
    router.close()
