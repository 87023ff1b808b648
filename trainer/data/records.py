"""What every loader returns: one `Record` per image file, plus the files it could not accept.

Loaders never drop a file silently. Structural problems (a missing folder, an empty class) stop
at once with a `DataError` naming the folder; a problem with one file (unknown label, not an
image, unreadable, undecodable) becomes a `Rejected` entry, which `trainer.data.prepare` turns
into an error naming the file unless the user passed ``--skip-bad-files``, in which case the file
is counted in the run log and listed in split.csv as ``excluded-bad-file``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from cxrcore.decode import is_candidate_image

#: Values of `Record.official_split`; None means the dataset gives no split for the file.
OFFICIAL_SPLITS = ("train", "val", "test")


class DataError(ValueError):
    """A dataset that cannot be used as given. The message names the file or folder at fault."""


@dataclass(frozen=True)
class Record:
    """One image file. ``path`` is POSIX and relative to the dataset root (it may start with ``..``
    for manifests that point elsewhere); ``patient_id`` is None when the source does not say."""

    path: str
    label: str
    patient_id: str | None = None
    official_split: str | None = None
    sha256: str = ""


@dataclass(frozen=True)
class Rejected:
    """A file the loader (or a later check) refused, with the reason a person can act on."""

    path: str
    label: str
    reason: str


@dataclass(frozen=True)
class Dataset:
    """A loaded dataset: records in a stable order, the label order models use, and hazards.

    ``notes`` are dataset-level warnings (shortcuts, known overlaps) that the run log repeats.
    """

    kind: str
    root: Path
    records: tuple[Record, ...]
    labels: tuple[str, ...]
    abnormal_labels: tuple[str, ...]
    rejected: tuple[Rejected, ...] = ()
    notes: tuple[str, ...] = ()


def relative_posix(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` as a POSIX string (``..`` allowed), the form split.csv stores."""
    return Path(os.path.relpath(path, root)).as_posix()


def require_folder(folder: Path, what: str) -> Path:
    if not folder.is_dir():
        raise DataError(f"{folder}: {what} folder not found")
    return folder


def class_files(folder: Path) -> tuple[list[Path], list[Path]]:
    """(image files, other files) directly inside ``folder``, sorted; sub-folders are not entered.

    "Other files" are reported, not ignored: a stray ``.txt`` in a class folder is either a
    mistake or a file in a format we cannot read, and the user should know which.
    """
    images: list[Path] = []
    others: list[Path] = []
    for path in sorted(folder.iterdir()):
        if path.is_dir():
            continue
        (images if is_candidate_image(path) else others).append(path)
    return images, others


def require_images(folder: Path, images: list[Path], label: str) -> None:
    if not images:
        raise DataError(f"{folder}: class {label!r} has no image files")
