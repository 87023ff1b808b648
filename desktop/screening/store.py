"""The local result store: every result committed as it arrives, plus an append-only audit log.

Why SQLite in WAL mode with ``synchronous=FULL`` and a commit as each result arrives: a clinic
laptop can lose power mid-batch; each committed result then survives, and re-running the same batch finds
it and does not screen (or list) that file twice. A batch is identified by a caller-chosen key
(the headless screener uses its output CSV, the app the dropped paths) together with the exact
models (build file and card hashes of every bundle the router may use) and whether films are routed
by population or forced to one model, so changing any of these starts a new batch.

The audit log records who-screened-what for accountability: time, file path and SHA-256, the identity
of the model that scored the film (empty when none did) and the result. It never holds pixel data or patient fields; SQLite triggers refuse any
UPDATE or DELETE on it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator, Sequence

from desktop.screening.catalog import ModelIdentity
from desktop.screening.results import ScreenResult

SCHEMA_VERSION = 3

_SCHEMA = """
CREATE TABLE IF NOT EXISTS batches (
    batch_id TEXT PRIMARY KEY,
    batch_key TEXT NOT NULL,
    created_at TEXT NOT NULL,
    model_name TEXT NOT NULL,
    model_version TEXT NOT NULL,
    build TEXT NOT NULL,
    build_sha256 TEXT NOT NULL,
    card_sha256 TEXT NOT NULL,
    routing TEXT NOT NULL DEFAULT 'forced',
    models TEXT NOT NULL DEFAULT '[]'
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
    model TEXT NOT NULL DEFAULT '',
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
#: Version 3 (routing) names the model of each result; until then a batch had one model, which
#: every scored result of it gets (its labels are its probabilities' keys, in stored order).
_MIGRATE_2_TO_3_COLUMNS = (
    ("results", "model TEXT NOT NULL DEFAULT ''"),
    ("batches", "routing TEXT NOT NULL DEFAULT 'forced'"),
    ("batches", "models TEXT NOT NULL DEFAULT '[]'"),
)
_MIGRATE_2_TO_3_FILL = """
UPDATE results SET model = (
    SELECT json_object('name', b.model_name, 'version', b.model_version, 'build', b.build,
                       'build_sha256', b.build_sha256, 'card_sha256', b.card_sha256,
                       'labels', (SELECT json_group_array(key) FROM json_each(results.probabilities)))
    FROM batches AS b WHERE b.batch_id = results.batch_id)
WHERE probabilities != '{}' AND EXISTS (SELECT 1 FROM batches AS b WHERE b.batch_id = results.batch_id);
"""

#: Columns of `ResultStore.audit_entries`, for tests and anyone reading the log.
AUDIT_COLUMNS = (
    "at", "path", "file_sha256", "model_name", "model_version", "build", "build_sha256",
    "status", "reason", "prediction", "confidence", "flagged",
)


class StoreError(RuntimeError):
    """The store cannot be opened or written (disk full, read-only folder, newer schema)."""


def batch_id_for(key: str, models: Sequence[ModelIdentity], automatic: bool) -> str:
    """Deterministic: the same key with the same models and routing always names the same batch.
    One forced model keeps the id it had before routing existed, so such a batch still resumes."""
    lines = [key, *(part for model in models for part in (model.build_sha256, model.card_sha256))]
    if automatic:
        lines.insert(1, "routing:auto")
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()[:24]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


class ResultStore:
    """One SQLite connection, usable from one thread at a time (`desktop.screening.batch.run_batch` hands it
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
                if 1 <= version <= 2:
                    self._migrate_to_3()
                self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except (OSError, sqlite3.Error) as error:
            raise StoreError(f"cannot open result store {self.path}: {error}") from error

    def _migrate_to_3(self) -> None:
        """Add the routing columns where missing (a table created just now already has them)."""
        for table, column in _MIGRATE_2_TO_3_COLUMNS:
            present = {row[1] for row in self._db.execute(f"PRAGMA table_info({table})")}
            if column.split()[0] not in present:
                self._db.execute(f"ALTER TABLE {table} ADD COLUMN {column}")
        self._db.execute(_MIGRATE_2_TO_3_FILL)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "ResultStore":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def journal_mode(self) -> str:
        return str(self._db.execute("PRAGMA journal_mode").fetchone()[0])

    def open_batch(self, key: str, models: Sequence[ModelIdentity], automatic: bool) -> str:
        """Create the batch (or find the existing one) and return its id. The per-model columns of
        version 2 hold every model's value joined by ``", "``; ``models`` holds them exactly."""
        batch_id = batch_id_for(key, models, automatic)
        joined = [", ".join(getattr(model, name) for model in models)
                  for name in ("name", "version", "build", "build_sha256", "card_sha256")]
        with self._writing():
            self._db.execute(
                "INSERT OR IGNORE INTO batches VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (batch_id, key, _now(), *joined, "auto" if automatic else "forced",
                 json.dumps([model.to_dict() for model in models])),
            )
        return batch_id

    def results(self, batch_id: str) -> dict[str, ScreenResult]:
        """Stored results of a batch by path (what a re-run may resume from)."""
        rows = self._db.execute(
            "SELECT path, status, reason, message, prediction, confidence, flagged, probabilities, metadata, "
            "file_sha256, quality, warnings, model FROM results WHERE batch_id = ?",
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
                model=ModelIdentity.from_dict(json.loads(model)) if model else None,
            )
            for (path, status, reason, message, prediction, confidence, flagged, probabilities, metadata, digest,
                 quality, warnings, model) in rows
        }

    def record(self, batch_id: str, results: list[ScreenResult]) -> None:
        """Store (or replace) each result's row in the batch and append it to the audit log, in one
        transaction: when results arrive faster than the disk can sync, they share one commit
        (group commit) instead of queueing behind one fsync each. Nothing is reported as saved
        before this returns. The audit names the model that scored each result (empty when none did)."""
        at = _now()
        rows, audit = [], []
        for result in results:
            flagged = None if result.flagged is None else int(result.flagged)
            model = result.model
            rows.append((
                batch_id, result.path, result.file_sha256, result.status, result.reason, result.message,
                result.prediction, result.confidence, flagged, json.dumps(result.probabilities),
                json.dumps(result.metadata), at, result.quality, json.dumps(list(result.warnings)),
                json.dumps(model.to_dict()) if model else "",
            ))
            identity = (model.name, model.version, model.build, model.build_sha256) if model else ("",) * 4
            audit.append((
                at, result.path, result.file_sha256, *identity,
                result.status, result.reason, result.prediction, result.confidence, flagged,
            ))
        with self._writing():
            self._db.executemany(
                "INSERT INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (batch_id, path) DO UPDATE SET file_sha256 = excluded.file_sha256, "
                "status = excluded.status, reason = excluded.reason, message = excluded.message, "
                "prediction = excluded.prediction, confidence = excluded.confidence, flagged = excluded.flagged, "
                "probabilities = excluded.probabilities, metadata = excluded.metadata, "
                "screened_at = excluded.screened_at, quality = excluded.quality, warnings = excluded.warnings, "
                "model = excluded.model",
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
