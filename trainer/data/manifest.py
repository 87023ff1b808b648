"""CSV files in and out: user manifests (``path,label[,patient_id,split]``) and the run's split.csv.

split.csv (columns ``path,label,patient_id,split,sha256``) lists every file of the dataset with
the split it went to, or why it was left out, so any result can be re-evaluated on exactly the
same files. Paths are POSIX and relative to the data root given to the trainer.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from cxrcore.files import sha256_file
from trainer.data.records import OFFICIAL_SPLITS, DataError, Dataset, Record, Rejected, relative_posix

SPLIT_COLUMNS = ("path", "label", "patient_id", "split", "sha256")
USED_SPLITS = ("train", "val", "test")
#: Why a file is in split.csv but in no split. Each is counted in the run log.
EXCLUSIONS = (
    "excluded-duplicate",  # byte-identical to a kept file
    "excluded-test-overlap",  # same patient as / near-duplicate of an official test film: would leak
    "excluded-bad-file",  # rejected by a loader or undecodable; only with --skip-bad-files
    "excluded-limit",  # beyond --limit-per-class
    "excluded-undersampled",  # beyond the recipe's per-class cap (paper under-sampling)
)
MANIFEST_REQUIRED = ("path", "label")
NORMAL_NAMES = frozenset({"normal", "healthy", "no finding"})


@dataclass(frozen=True)
class SplitRow:
    """One line of split.csv."""

    path: str
    label: str
    patient_id: str
    split: str
    sha256: str

    @property
    def used(self) -> bool:
        return self.split in USED_SPLITS


def write_split_manifest(rows: Iterable[SplitRow], path: str | os.PathLike[str]) -> str:
    """Write split.csv atomically and return its SHA-256 (recorded in run.json)."""
    path = Path(path)
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(SPLIT_COLUMNS)
        for row in rows:
            writer.writerow([row.path, row.label, row.patient_id, row.split, row.sha256])
    os.replace(temporary, path)
    return sha256_file(path)


def read_split_manifest(path: str | os.PathLike[str]) -> list[SplitRow]:
    """Read and validate split.csv; a bad column or split value is reported with its line."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: split manifest not found")
    rows: list[SplitRow] = []
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != SPLIT_COLUMNS:
            raise DataError(f"{path}: columns must be {','.join(SPLIT_COLUMNS)}, got {reader.fieldnames}")
        for line, raw in enumerate(reader, start=2):
            split = raw["split"]
            if split not in USED_SPLITS and split not in EXCLUSIONS:
                raise DataError(f"{path} line {line}: unknown split {split!r}")
            if not raw["path"] or not raw["label"]:
                raise DataError(f"{path} line {line}: empty path or label")
            rows.append(SplitRow(raw["path"], raw["label"], raw["patient_id"], split, raw["sha256"]))
    return rows


def load_manifest(csv_path: str | Path, kind: str = "manifest", labels: Sequence[str] | None = None,
                  notes: tuple[str, ...] = ()) -> Dataset:
    """A user CSV of ``path,label[,patient_id,split]``; paths are relative to the CSV's folder or absolute.

    ``labels`` fixes the label set and order (a row with another label is rejected as unknown);
    otherwise the labels found, sorted, are used, and every label but normal/healthy is abnormal.
    """
    csv_path = Path(csv_path)
    if not csv_path.is_file():
        raise DataError(f"{csv_path}: manifest file not found")
    root = csv_path.parent
    records: list[Record] = []
    rejected: list[Rejected] = []
    with open(csv_path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [column for column in MANIFEST_REQUIRED if column not in (reader.fieldnames or [])]
        if missing:
            raise DataError(f"{csv_path}: missing column(s) {missing}")
        for line, row in enumerate(reader, start=2):
            record, problem = _manifest_record(row, root, labels)
            if problem:
                rejected.append(Rejected(record.path, record.label, f"{problem} ({csv_path.name} line {line})"))
            else:
                records.append(record)
    found = labels or tuple(sorted({record.label for record in records}))
    for label in found:
        if not any(record.label == label for record in records):
            raise DataError(f"{csv_path}: class {label!r} has no usable image files")
    abnormal = tuple(label for label in found if label.lower() not in NORMAL_NAMES) or tuple(found)
    return Dataset(kind, root, tuple(records), tuple(found), abnormal, tuple(rejected), notes)


def _manifest_record(row: dict, root: Path, labels: Sequence[str] | None) -> tuple[Record, str]:
    raw_path = (row.get("path") or "").strip()
    label = (row.get("label") or "").strip()
    path = Path(raw_path) if os.path.isabs(raw_path) else root / raw_path
    split = (row.get("split") or "").strip().lower() or None
    record = Record(relative_posix(path, root) if raw_path else "", label,
                    (row.get("patient_id") or "").strip() or None, split)
    if not raw_path:
        return record, "empty path"
    if not label or (labels is not None and label not in labels):
        return record, f"unknown label {label!r}"
    if split is not None and split not in OFFICIAL_SPLITS:
        return record, f"unknown split {split!r} (use train, val, test or leave empty)"
    if not path.is_file():
        return record, "file not found"
    return record, ""
