"""CoronaHack chest X-rays: ``Chest_xray_Corona_Metadata.csv`` plus ``train/`` and ``test/`` folders.

The CSV (columns X_ray_image_name, Label, Dataset_type TRAIN/TEST, Label_1_Virus_category,
Label_2_Virus_category) is the only source of labels and of the official split; the folders only
hold the files. Kaggle nests them as ``Coronahack-Chest-XRay-Dataset/Coronahack-Chest-XRay-Dataset/
{train,test}``; the first folder within two levels that holds both ``train/`` and ``test/`` is used.

Labels: ``Normal`` → NORMAL, ``Pnemonia`` (Kaggle's spelling) or ``Pneumonia`` → PNEUMONIA. Its
images are Kermany's, so Kermany file names give patient ids, namespaced by Dataset_type.
Every mismatch between the CSV and the folders (a listed file that is missing, a file nobody
listed) is reported: nothing is dropped silently.
"""

from __future__ import annotations

import csv
from pathlib import Path

from trainer.data.kermany import BINARY_LABELS, patient_id
from trainer.data.records import DataError, Dataset, Record, Rejected, class_files, relative_posix

METADATA_FILE = "Chest_xray_Corona_Metadata.csv"
REQUIRED_COLUMNS = ("X_ray_image_name", "Label", "Dataset_type")
_LABELS = {"normal": "NORMAL", "pnemonia": "PNEUMONIA", "pneumonia": "PNEUMONIA"}
_SPLITS = {"TRAIN": "train", "TEST": "test"}


def find_image_root(root: Path) -> Path:
    """The shallowest folder (root, then one or two levels down) holding both train/ and test/."""
    candidates = [root, *sorted(root.glob("*/")), *sorted(root.glob("*/*/"))]
    for folder in candidates:
        if (folder / "train").is_dir() and (folder / "test").is_dir():
            return folder
    raise DataError(f"{root}: CoronaHack train/ and test/ image folders not found (searched two levels deep)")


def load_coronahack(root: str | Path) -> Dataset:
    root = Path(root)
    metadata = root / METADATA_FILE
    if not metadata.is_file():
        raise DataError(f"{metadata}: CoronaHack metadata file not found")
    images_root = find_image_root(root)
    records: list[Record] = []
    rejected: list[Rejected] = []
    listed: set[Path] = set()
    for line, row in _read_rows(metadata):
        split = _SPLITS.get(row["Dataset_type"].strip().upper())
        if split is None:
            raise DataError(f"{metadata} line {line}: Dataset_type {row['Dataset_type']!r} is not TRAIN or TEST")
        path = images_root / split / row["X_ray_image_name"].strip()
        listed.add(path)
        relative = relative_posix(path, root)
        label = _LABELS.get(row["Label"].strip().lower())
        if label is None:
            rejected.append(Rejected(relative, row["Label"], f"unknown label {row['Label']!r} ({metadata.name} line {line})"))
        elif not path.is_file():
            rejected.append(Rejected(relative, label, f"listed in {metadata.name} line {line} but missing"))
        else:
            records.append(Record(relative, label, patient_id(path.name, split), split))
    for split in _SPLITS.values():
        images, others = class_files(images_root / split)
        rejected += [
            Rejected(relative_posix(p, root), "", f"not listed in {metadata.name}")
            for p in images + others
            if p not in listed
        ]
    for label in BINARY_LABELS:
        if not any(record.label == label for record in records):
            raise DataError(f"{metadata}: class {label!r} has no usable image files")
    return Dataset(
        kind="coronahack",
        root=root,
        records=tuple(records),
        labels=BINARY_LABELS,
        abnormal_labels=BINARY_LABELS[1:],
        rejected=tuple(rejected),
        notes=("CoronaHack: its images are Kermany's pediatric films (plus a few adult COVID/SARS films).",),
    )


def _read_rows(metadata: Path):
    """(line number, row) pairs; a missing column stops with the file and the column named."""
    with open(metadata, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [column for column in REQUIRED_COLUMNS if column not in (reader.fieldnames or [])]
        if missing:
            raise DataError(f"{metadata}: missing column(s) {missing}")
        for line, row in enumerate(reader, start=2):
            yield line, row
