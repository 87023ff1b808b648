"""Kermany et al. 2018 pediatric chest X-rays: ``chest_xray/{train,val,test}/{NORMAL,PNEUMONIA}``.

Binary labels come from the folder. The 3-class variant (normal / bacterial / viral) reads the
file name: ``personN_bacteria_M.jpeg`` / ``personN_virus_M.jpeg`` are pneumonia of patient N,
``IM-xxxx-yyyy.jpeg`` / ``NORMAL2-IM-xxxx-yyyy.jpeg`` are normals of patient xxxx.

Patient ids are namespaced by the official split (``train/person1``): the numbering restarts in
the test set (train ``person1`` has bacterial films, test ``person1`` viral ones), so the same
number in train and test is not evidence of the same child. ``IM-xxxx`` and ``NORMAL2-IM-xxxx``
are deliberately the same id: merging two patients only makes a group larger (never a leak),
whereas wrongly separating one patient would leak.
"""

from __future__ import annotations

import re
from pathlib import Path

from trainer.data.records import (
    Dataset,
    Record,
    Rejected,
    class_files,
    relative_posix,
    require_folder,
    require_images,
)

BINARY_LABELS = ("NORMAL", "PNEUMONIA")
THREE_CLASS_LABELS = ("normal", "bacterial", "viral")

_PNEUMONIA_NAME = re.compile(r"^person(\d+)_(bacteria|virus)_\d+(?:_\d+)?\.jpe?g$", re.IGNORECASE)
_NORMAL_NAME = re.compile(r"^(?:NORMAL2-)?IM-(\d+)-\d+(?:-\d+)?\.jpe?g$", re.IGNORECASE)
_SUBTYPE = {"bacteria": "bacterial", "virus": "viral"}


def parse_file_name(name: str) -> tuple[str, str] | None:
    """File name → (3-class label, patient id without namespace), or None if it follows neither pattern."""
    match = _PNEUMONIA_NAME.match(name)
    if match:
        return _SUBTYPE[match.group(2).lower()], f"person{int(match.group(1))}"
    match = _NORMAL_NAME.match(name)
    if match:
        return "normal", f"IM-{match.group(1)}"
    return None


def patient_id(name: str, namespace: str) -> str | None:
    """``namespace/personN`` or ``namespace/IM-xxxx`` from a Kermany-style file name, else None."""
    parsed = parse_file_name(name)
    return f"{namespace}/{parsed[1]}" if parsed else None


def kermany_base(root: Path) -> Path:
    """Accept the dataset folder (holding ``chest_xray/``) or ``chest_xray`` itself."""
    return root / "chest_xray" if (root / "chest_xray").is_dir() else root


def load_kermany(root: str | Path, three_class: bool = False) -> Dataset:
    """Every image under ``chest_xray/{train,val,test}``; ``val`` is optional (the copy here has none).

    The official ``val`` (16 films upstream) is loaded with ``official_split="val"``; the split
    step pools it with train and carves a patient-grouped validation set of a usable size.
    """
    root = Path(root)
    base = kermany_base(root)
    require_folder(base, "Kermany chest_xray")
    splits = [split for split in ("train", "val", "test") if split != "val" or (base / split).is_dir()]
    records: list[Record] = []
    rejected: list[Rejected] = []
    for split in splits:
        split_dir = require_folder(base / split, f"Kermany {split}")
        for folder_label in BINARY_LABELS:
            folder = require_folder(split_dir / folder_label, f"Kermany {split}/{folder_label} class")
            images, others = class_files(folder)
            require_images(folder, images, folder_label)
            rejected += [Rejected(relative_posix(p, root), folder_label, "not an image file") for p in others]
            for path in images:
                record, problem = _record(path, root, split, folder_label, three_class)
                if record:
                    records.append(record)
                else:
                    rejected.append(Rejected(relative_posix(path, root), folder_label, problem))
    labels = THREE_CLASS_LABELS if three_class else BINARY_LABELS
    notes = ("Kermany: pediatric patients aged 1-5 from one hospital (Guangzhou); results do not transfer to adults.",)
    return Dataset(
        kind="kermany-3class" if three_class else "kermany",
        root=root,
        records=tuple(records),
        labels=labels,
        abnormal_labels=labels[1:],
        rejected=tuple(rejected),
        notes=notes,
    )


def _record(path: Path, root: Path, split: str, folder_label: str, three_class: bool) -> tuple[Record | None, str]:
    parsed = parse_file_name(path.name)
    pid = f"{split}/{parsed[1]}" if parsed else None
    if not three_class:
        return Record(relative_posix(path, root), folder_label, pid, split), ""
    if parsed is None:
        return None, "unknown label: file name is neither personN_bacteria_M, personN_virus_M nor IM-xxxx-yyyy"
    label = parsed[0]
    if (label == "normal") != (folder_label == "NORMAL"):
        return None, f"unknown label: file name says {label!r} but it sits in the {folder_label} folder"
    return Record(relative_posix(path, root), label, pid, split), ""

