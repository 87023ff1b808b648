"""One entry point for every dataset kind: recognise a ``--data`` path, check it suits a recipe, load it.

Kinds (as recorded in run.json): ``kermany`` (binary), ``kermany-3class`` (normal/bacterial/viral
from file names), ``radiography`` (4 classes), ``coronahack`` (binary, labels from its CSV),
``manifest`` (any ``path,label[,patient_id,split]`` CSV), ``p4-composed`` (a manifest written by
``python -m trainer.data.compose_p4``, labels fixed to P4's four) and ``adult-composed`` (a manifest written by
``python -m trainer.data.compose_adult``, labels fixed to NORMAL, ABNORMAL in that order).
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from trainer.data.adult_sources import LABELS as ADULT_LABELS
from trainer.data.compose_adult import NOTE as ADULT_NOTE
from trainer.data.compose_p4 import AGE_SHORTCUT_NOTE, P4_LABELS
from trainer.data.coronahack import METADATA_FILE, load_coronahack
from trainer.data.kermany import kermany_base, load_kermany
from trainer.data.manifest import load_manifest
from trainer.data.radiography import DATASET_FOLDER, load_radiography
from trainer.data.records import DataError, Dataset

KINDS = ("kermany", "kermany-3class", "radiography", "coronahack", "manifest", "p4-composed", "adult-composed")
#: What a folder or file on disk can be read as.
_READABLE_AS = {
    "kermany": ("kermany", "kermany-3class"),
    "radiography": ("radiography",),
    "coronahack": ("coronahack",),
    "manifest": ("manifest", "p4-composed", "adult-composed"),
}


def detect_layout(data: Path) -> str:
    """Which on-disk layout ``data`` has: kermany, radiography, coronahack or manifest."""
    if data.is_file() and data.suffix.lower() == ".csv":
        return "manifest"
    if not data.is_dir():
        raise DataError(f"{data}: data folder or manifest not found")
    if (data / METADATA_FILE).is_file():
        return "coronahack"
    if (data / DATASET_FOLDER).is_dir() or data.name == DATASET_FOLDER:
        return "radiography"
    if (kermany_base(data) / "train").is_dir():
        return "kermany"
    raise DataError(
        f"{data}: not a recognised dataset (expected chest_xray/, {DATASET_FOLDER}/, {METADATA_FILE} or a .csv manifest)"
    )


def resolve_kind(data: Path, accepted: Sequence[str]) -> str:
    """The first of a recipe's ``accepted`` kinds that ``data`` can be read as, or a clear error."""
    layout = detect_layout(data)
    for kind in accepted:
        if kind in _READABLE_AS[layout]:
            return kind
    raise DataError(f"{data}: looks like a {layout} dataset, but the recipe trains on {list(accepted)}")


def data_root(kind: str, data: Path) -> Path:
    """The folder that split.csv paths are relative to (a manifest's own folder)."""
    return data.parent if kind in ("manifest", "p4-composed", "adult-composed") else data


def load_dataset(kind: str, data: str | Path) -> Dataset:
    data = Path(data)
    if kind == "kermany":
        return load_kermany(data)
    if kind == "kermany-3class":
        return load_kermany(data, three_class=True)
    if kind == "radiography":
        return load_radiography(data)
    if kind == "coronahack":
        return load_coronahack(data)
    if kind == "manifest":
        return load_manifest(data)
    if kind == "p4-composed":
        return load_manifest(data, kind="p4-composed", labels=P4_LABELS, notes=(AGE_SHORTCUT_NOTE,))
    if kind == "adult-composed":
        return load_manifest(data, kind="adult-composed", labels=ADULT_LABELS, notes=(ADULT_NOTE,))
    raise DataError(f"unknown dataset kind {kind!r} (known: {KINDS})")
