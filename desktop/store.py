"""The local result store: every result committed as it arrives, plus an append-only audit log.

Why SQLite in WAL mode with ``synchronous=FULL`` and a commit as each result arrives: a clinic
laptop can lose power mid-batch; each committed result then survives, and re-running the same batch finds
it and does not screen (or list) that file twice. A batch is identified by a caller-chosen key
(the headless screener uses its output CSV, the app the dropped paths) together with the exact
model (build file and card hashes), so changing the model starts a new batch.

The audit log records who-screened-what for accountability: time, file path and SHA-256, model
identity and the result. It never holds pixel data or patient fields; SQLite triggers refuse any
UPDATE or DELETE on it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from desktop.catalog import ModelIdentity
from desktop.pipeline import ScreenResult

SCHEMA_VERSION = 2

_SCHEMA = """
CREATE TABLE IF NOT EXISTS batches (
    batch_id TEXT PRIMARY KEY,
    batch_key TEXT NOT NULL,
    created_at TEXT NOT NULL,
    model_name TEXT NOT NULL,
    model_version TEXT NOT NULL,
    build TEXT NOT NULL,
    build_sha256 TEXT NOT NULL,
    card_sha256 TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS results (
    batch_id TEXT NOT NULL REFERENCES batches(batch_id),
    path TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT NOT NULL,
    message TEXT NOT NULL,
    prediction TEXT NOT NULL,
    confidence REAL,
    flagged INTEGER,
    probabilities TEXT NOT NULL,
    metadata TEXT NOT NULL,
    screened_at TEXT NOT NULL,
    quality REAL,
    warnings TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (batch_id, path)
);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    path TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    model_name TEXT NOT NULL,
    model_version TEXT NOT NULL,
    build TEXT NOT NULL,
    build_sha256 TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT NOT NULL,
    prediction TEXT NOT NULL,
    confidence REAL,
    flagged INTEGER
);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""

_MIGRATE_1_TO_2 = """
ALTER TABLE results ADD COLUMN quality REAL;
ALTER TABLE results ADD COLUMN warnings TEXT NOT NULL DEFAULT '[]';
"""

#: Columns of `ResultStore.audit_entries`, for tests and anyone reading the log.
AUDIT_COLUMNS = (
    "at", "path", "file_sha256", "model_name", "model_version", "build", "build_sha256",
    "status", "reason", "prediction", "confidence", "flagged",
)


class StoreError(RuntimeError):
    """The store cannot be opened or written (disk full, read-only folder, newer schema)."""


def batch_id_for(key: str, model: ModelIdentity) -> str:
    """Deterministic: the same key with the same model always names the same batch."""
    text = "\n".join((key, model.build_sha256, model.card_sha256))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


class ResultStore:
    """One SQLite connection, usable from one thread at a time (`desktop.batch.run_batch` hands it
    to its committing thread for the length of a batch, then takes it back)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=10.0, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreError(f"result store {self.path} was written by a newer version of the app")
            with self._db:
                self._db.executescript(_SCHEMA)
                if version == 1:  # version 2 added the safety checks' quality score and warnings
                    self._db.executescript(_MIGRATE_1_TO_2)
                self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except (OSError, sqlite3.Error) as error:
            raise StoreError(f"cannot open result store {self.path}: {error}") from error

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "ResultStore":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def journal_mode(self) -> str:
        return str(self._db.execute("PRAGMA journal_mode").fetchone()[0])

    def open_batch(self, key: str, model: ModelIdentity) -> str:
        """Create the batch (or find the existing one) and return its id."""
        batch_id = batch_id_for(key, model)
        with self._writing():
            self._db.execute(
                "INSERT OR IGNORE INTO batches VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (batch_id, key, _now(), model.name, model.version, model.build, model.build_sha256, model.card_sha256),
            )
        return batch_id

    def results(self, batch_id: str) -> dict[str, ScreenResult]:
        """Stored results of a batch by path (what a re-run may resume from)."""
        rows = self._db.execute(
            "SELECT path, status, reason, message, prediction, confidence, flagged, probabilities, metadata, "
            "file_sha256, quality, warnings FROM results WHERE batch_id = ?",
            (batch_id,),
        ).fetchall()
        return {
            path: ScreenResult(
                path=path,
                status=status,
                reason=reason,
                message=message,
                prediction=prediction,
                confidence=confidence,
                flagged=None if flagged is None else bool(flagged),
                probabilities=json.loads(probabilities),
                metadata=json.loads(metadata),
                file_sha256=digest,
                quality=quality,
                warnings=tuple(json.loads(warnings)),
            )
            for (path, status, reason, message, prediction, confidence, flagged, probabilities, metadata, digest,
                 quality, warnings) in rows
        }

    def record(self, batch_id: str, results: list[ScreenResult], model: ModelIdentity) -> None:
        """Store (or replace) each result's row in the batch and append it to the audit log, in one
        transaction: when results arrive faster than the disk can sync, they share one commit
        (group commit) instead of queueing behind one fsync each. Nothing is reported as saved
        before this returns."""
        at = _now()
        rows, audit = [], []
        for result in results:
            flagged = None if result.flagged is None else int(result.flagged)
            rows.append((
                batch_id, result.path, result.file_sha256, result.status, result.reason, result.message,
                result.prediction, result.confidence, flagged, json.dumps(result.probabilities),
                json.dumps(result.metadata), at, result.quality, json.dumps(list(result.warnings)),
            ))
            audit.append((
                at, result.path, result.file_sha256, model.name, model.version, model.build, model.build_sha256,
                result.status, result.reason, result.prediction, result.confidence, flagged,
            ))
        with self._writing():
            self._db.executemany(
                "INSERT INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (batch_id, path) DO UPDATE SET file_sha256 = excluded.file_sha256, "
                "status = excluded.status, reason = excluded.reason, message = excluded.message, "
                "prediction = excluded.prediction, confidence = excluded.confidence, flagged = excluded.flagged, "
                "probabilities = excluded.probabilities, metadata = excluded.metadata, "
                "screened_at = excluded.screened_at, quality = excluded.quality, warnings = excluded.warnings",
                rows,
            )
            self._db.executemany(
                "INSERT INTO audit (" + ", ".join(AUDIT_COLUMNS) + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                audit,
            )

    def audit_entries(self, path: str | None = None) -> list[dict[str, object]]:
        """The audit log in order, optionally for one file path."""
        query = "SELECT " + ", ".join(AUDIT_COLUMNS) + " FROM audit"
        rows = self._db.execute(query + " WHERE path = ? ORDER BY id" if path else query + " ORDER BY id",
                                (path,) if path else ()).fetchall()
        return [dict(zip(AUDIT_COLUMNS, row)) for row in rows]

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """One transaction: commit on success, roll back and raise `StoreError` on failure (disk full…)."""
        try:
            with self._db:
                yield
        except sqlite3.Error as error:
            raise StoreError(f"cannot write to result store {self.path}: {error}") from error
