"""The chest films the safety models learn from and are measured on, split so that no film is both.

Splits (deterministic, no RNG: a film's side follows from a hash, so re-runs agree):

* Kermany official ``train`` → ``fit`` (≈90 %) / ``val`` (≈10 %), grouped by patient id, so a
  child's other films never sit on the other side. Official ``test`` (624) → ``test``, used only
  for reporting.
* Radiography (no official split) → ``fit`` / ``val`` (≈10 %) / ``test`` (≈20 %), grouped by the
  16×16 average hash of the film (`trainer.data.fingerprints`), which puts byte-identical and
  near-duplicate re-uploads on the same side. All Viral Pneumonia films go to ``fit``: 982 of
  them are re-encoded Kermany *train* films, so measuring on them would be measuring on training data.

Thresholds are chosen on ``val``; rates are reported on ``test``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from cxrcore.bundle import sha256_file
from trainer.data.cache import load_gray_cache
from trainer.data.fingerprints import THUMBNAIL_SIZE, average_hashes
from trainer.data.kermany import load_kermany
from trainer.data.radiography import VIRAL_PNEUMONIA, load_radiography

#: Radiography classes of adults (the 4th, Viral Pneumonia, is mostly Kermany children).
ADULT_CLASSES = ("Normal", "COVID", "Lung_Opacity")


@dataclass(frozen=True)
class FilmSet:
    """Films of one dataset at one size, with the split, label and path of each row."""

    root: Path
    images: np.ndarray
    splits: np.ndarray
    labels: np.ndarray
    paths: tuple[str, ...]

    def _mask(self, split: str, labels: tuple[str, ...] | None) -> np.ndarray:
        mask = self.splits == split
        return mask & np.isin(self.labels, labels) if labels is not None else mask

    def select(self, split: str, labels: tuple[str, ...] | None = None) -> np.ndarray:
        """Images (N, H, W) uint8 of one split, optionally only of some labels."""
        return np.asarray(self.images[self._mask(split, labels)])

    def paths_of(self, split: str, labels: tuple[str, ...] | None = None) -> list[Path]:
        """The files behind `select` (same order), for measuring through the real decode path."""
        return [self.root / path for path, keep in zip(self.paths, self._mask(split, labels)) if keep]


def _bucket(key: str | bytes, buckets: int = 10) -> int:
    data = key.encode() if isinstance(key, str) else key
    return int(hashlib.sha256(data).hexdigest()[:8], 16) % buckets

def load_kermany_films(root: Path, size: int) -> FilmSet:
    """Kermany train (fit/val by patient) and test, decoded once at ``size``×``size`` and cached."""
    dataset = load_kermany(root)
    records = [replace(r, sha256=sha256_file(root / r.path)) for r in dataset.records]
    cache = load_gray_cache(records, root, size, size)
    splits = []
    for record in records:
        if record.official_split == "test":
            splits.append("test")
        else:
            splits.append("val" if _bucket(record.patient_id or record.sha256) == 0 else "fit")
    return FilmSet(root, cache.images, np.array(splits), np.array([r.label for r in records]),
                   tuple(r.path for r in records))

def load_radiography_films(root: Path, size: int) -> FilmSet:
    """Radiography films, split by near-duplicate group, decoded once at ``size``×``size`` and cached."""
    dataset = load_radiography(root)
    records = [replace(r, sha256=sha256_file(root / r.path)) for r in dataset.records]
    thumbnails = load_gray_cache(records, root, THUMBNAIL_SIZE, THUMBNAIL_SIZE).images
    groups = average_hashes(np.asarray(thumbnails))
    cache = load_gray_cache(records, root, size, size)
    splits = []
    for record, group in zip(records, groups):
        bucket = _bucket(group)
        if record.label == VIRAL_PNEUMONIA or bucket >= 3:
            splits.append("fit")
        else:
            splits.append("val" if bucket == 0 else "test")
    return FilmSet(root, cache.images, np.array(splits), np.array([r.label for r in records]),
                   tuple(r.path for r in records))
