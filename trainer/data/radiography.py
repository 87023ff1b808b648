"""COVID-19 Radiography Database: ``COVID-19_Radiography_Dataset/<Class>/[images/]*``.

Kaggle v5 puts each class's films in ``<Class>/images/`` beside ``<Class>/masks/`` (lung masks,
never training inputs); older releases put the films directly in ``<Class>/``. Both layouts are
read; ``masks/`` is never entered. There is no official split and no patient id.

Hazard recorded for every run: most Viral Pneumonia films are Kermany *train* pediatric
pneumonia films (982 of 1,100 in the copy here), so "viral pneumonia" is confounded with "child".
`find_kermany_overlap` counts them when a Kermany root is given.
"""

from __future__ import annotations

from pathlib import Path

from trainer.data.records import (
    DataError,
    Dataset,
    Record,
    Rejected,
    class_files,
    relative_posix,
    require_folder,
    require_images,
)

DATASET_FOLDER = "COVID-19_Radiography_Dataset"
#: Label order used by models: P0 reports its classes in this order (normal first).
LABELS = ("Normal", "COVID", "Lung_Opacity", "Viral Pneumonia")
VIRAL_PNEUMONIA = "Viral Pneumonia"

PEDIATRIC_NOTE = (
    "Radiography 'Viral Pneumonia' is mostly Kermany pediatric pneumonia (982 of 1,100 films here); "
    "every other class is adult, so a model can learn 'child' instead of 'viral pneumonia'."
)


def radiography_base(root: Path) -> Path:
    """Accept the folder holding ``COVID-19_Radiography_Dataset/`` or that folder itself."""
    return root / DATASET_FOLDER if (root / DATASET_FOLDER).is_dir() else root


def load_radiography(root: str | Path) -> Dataset:
    root = Path(root)
    base = require_folder(radiography_base(root), DATASET_FOLDER)
    unknown = sorted(
        child.name for child in base.iterdir() if child.is_dir() and child.name not in LABELS
    )
    if unknown:
        raise DataError(f"{base / unknown[0]}: unknown label (class folder not one of {list(LABELS)})")
    records: list[Record] = []
    rejected: list[Rejected] = []
    for label in LABELS:
        class_dir = require_folder(base / label, f"radiography class {label!r}")
        folder = class_dir / "images" if (class_dir / "images").is_dir() else class_dir
        images, others = class_files(folder)
        require_images(folder, images, label)
        rejected += [Rejected(relative_posix(p, root), label, "not an image file") for p in others]
        records += [Record(relative_posix(p, root), label) for p in images]
    return Dataset(
        kind="radiography",
        root=root,
        records=tuple(records),
        labels=LABELS,
        abnormal_labels=LABELS[1:],
        rejected=tuple(rejected),
        notes=(PEDIATRIC_NOTE,),
    )
