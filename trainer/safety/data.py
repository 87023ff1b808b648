"""The chest films the safety models learn from and are measured on, split so that no film is both.

Splits (deterministic, no RNG: a film's side follows from a hash, so re-runs agree):

* Kermany official ``train`` → ``fit`` (≈90 %) / ``val`` (≈10 %), grouped by patient id, so a
  child's other films never sit on the other side. Official ``test`` (624) → ``test``, used only
  for reporting.
* Radiography (no official split) → ``fit`` / ``val`` (≈10 %) / ``test`` (≈20 %), grouped by the
  16×16 average hash of the film (`trainer.data.fingerprints`), which puts byte-identical and
  near-duplicate re-uploads on the same side. All Viral Pneumonia films go to ``fit``: 982 of
  them are re-encoded Kermany *train* films, so measuring on them would be measuring on training data.

* ChestX-ray8 (NIH, adult) → ``fit`` / ``val`` (≈10 %) / ``test`` (≈20 %) grouped by NIH patient id
  (the first 8 characters of ``PPPPPPPP_FFF``); COVID-Net (adult) and MedNIST (non-chest) by file
  content, in the same proportions.

Every film carries its ``source``, because the figures that predict a new hospital are those on a
source left out of fitting (`trainer.safety.sources`). Thresholds are chosen on ``val``; rates are
reported on ``test``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from cxrcore.files import sha256_file
from trainer.data.cache import load_gray_cache
from trainer.data.fingerprints import THUMBNAIL_SIZE, average_hashes
from trainer.data.kermany import load_kermany
from trainer.data.radiography import VIRAL_PNEUMONIA, load_radiography
from trainer.data.records import Record, class_files, relative_posix

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
    #: One name per film: which hospital, collection or modality it comes from.
    sources: np.ndarray | None = None

    def source_names(self) -> list[str]:
        return sorted(set(self.sources.tolist())) if self.sources is not None else []

    def _mask(self, split: str, labels: tuple[str, ...] | None) -> np.ndarray:
        mask = self.splits == split
        return mask & np.isin(self.labels, labels) if labels is not None else mask

    def select(self, split: str, labels: tuple[str, ...] | None = None) -> np.ndarray:
        """Images (N, H, W) uint8 of one split, optionally only of some labels."""
        return np.asarray(self.images[self._mask(split, labels)])

    def of_source(self, split: str | None, source: str) -> np.ndarray:
        """Images of one source, of one split (None: every split — a source left out of fitting)."""
        mask = self.sources == source
        if split is not None:
            mask &= self.splits == split
        return np.asarray(self.images[mask])

    def paths_of(self, split: str, labels: tuple[str, ...] | None = None) -> list[Path]:
        """The files behind `select` (same order), for measuring through the real decode path."""
        return [self.root / path for path, keep in zip(self.paths, self._mask(split, labels)) if keep]


def _bucket(key: str | bytes, buckets: int = 10) -> int:
    data = key.encode() if isinstance(key, str) else key
    return int(hashlib.sha256(data).hexdigest()[:8], 16) % buckets

def three_way_split(key: str | bytes) -> str:
    """≈70 % fit, 10 % val, 20 % test, by hash."""
    bucket = _bucket(key)
    return "val" if bucket == 0 else "test" if bucket <= 2 else "fit"


def _hashed(root: Path, paths: list[Path], labels: list[str]) -> list[Record]:
    return [Record(relative_posix(path, root), label, sha256=sha256_file(path)) for path, label in zip(paths, labels)]


def _folder_films(root: Path, folders: dict[str, str], size: int, split_key) -> FilmSet:
    """Films of ``root/<folder>`` for each folder → label, split by ``split_key(record)``, sources = label's folder."""
    paths, labels = [], []
    for folder, label in folders.items():
        images, _ = class_files(root / folder)
        paths += images
        labels += [label] * len(images)
    records = _hashed(root, paths, labels)
    cache = load_gray_cache(records, root, size, size)
    splits = np.array([three_way_split(split_key(record)) for record in records])
    sources = np.array([str(Path(record.path).parts[0]) for record in records])
    return FilmSet(root, cache.images, splits, np.array(labels), tuple(r.path for r in records), sources)


def load_chestxray8_films(external: Path, size: int) -> FilmSet:
    """NIH ChestX-ray8 adult films, split by patient; label "No_findings" or "Pneumonia"."""
    folder = external / "chestxray8-adult"
    films = _folder_films(folder, {"No_findings": "No_findings", "Pneumonia": "Pneumonia"}, size,
                          lambda record: Path(record.path).name[:8])
    return replace(films, sources=np.full(len(films.paths), "chestxray8"))


def load_covidnet_films(external: Path, size: int) -> FilmSet:
    """COVID-Net adult films (Actualmed, Figure1), split by content; label = the class folder."""
    folder = external / "covidnet-adult"
    classes = {f"{site.name}/{label.name}": label.name for site in sorted(folder.iterdir()) if site.is_dir()
               for label in sorted(site.iterdir()) if label.is_dir()}
    films = _folder_films(folder, classes, size, lambda record: record.sha256)
    return replace(films, sources=np.full(len(films.paths), "covidnet"))


#: MedNIST's non-chest classes (its chest-film class "CXR" is not in the shared copy).
MEDNIST_KINDS = ("hand_xray", "head_ct", "chest_ct", "abdomen_ct", "breast_mri")


def load_mednist_images(external: Path) -> FilmSet:
    """MedNIST hands, CT and MRI at their native 64×64, split by content; source = the kind."""
    folder = external / "mednist-64"
    return _folder_films(folder, {kind: kind for kind in MEDNIST_KINDS}, 64, lambda record: record.sha256)


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
                   tuple(r.path for r in records), np.full(len(records), "kermany"))


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
                   tuple(r.path for r in records), np.full(len(records), "radiography"))
