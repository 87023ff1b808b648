"""Every film the gate v2 and the population check learn from, by source, and the leave-out folds.

A rate measured on the sources a check was fitted on predicts the training hospitals. What a
clinic needs is the rate on a hospital, collection or modality the check never saw, so each
figure that matters is measured on a source held out of fitting: `FOLDS` pairs one frontal-film
source with one or more non-chest kinds, a model is fitted without them, and they are measured
whole. The shipped models are fitted on every source's ``fit`` split.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cxrcore.files import sha256_file
from cxrcore.preprocess import resize_gray
from trainer.data.cache import load_gray_cache
from trainer.data.records import Record
from trainer.safety import geometric
from trainer.safety.data import (
    ADULT_CLASSES,
    FilmSet,
    load_chestxray8_films,
    load_covidnet_films,
    load_kermany_films,
    load_mednist_images,
    load_radiography_films,
    three_way_split,
)
from trainer.safety.nonchest import write_non_chest_set

SIDE = geometric.SIDE
#: Frontal chest-film sources (positives of the gate); the first is the only pediatric one.
FRONTAL_SOURCES = ("kermany", "radiography", "chestxray8", "covidnet")
ADULT_SOURCES = ("radiography", "chestxray8", "covidnet")
#: Chest films turned into negatives: what a frontal film is not. The half film (one lung field
#: stretched to the full width) stands in for a lateral view, which no offline source has.
TRANSFORMS = ("turned 90°", "turned 270°", "upside down", "inverted", "half film (lateral proxy)")
#: Non-chest sources, each a negative kind.
NEGATIVE_SOURCES = ("hand_xray", "head_ct", "chest_ct", "abdomen_ct", "breast_mri", "package-images", "transformed")
#: Each fold holds out these sources from fitting and threshold choice.
FOLDS: dict[str, tuple[str, ...]] = {
    "without chestxray8, hand_xray": ("chestxray8", "hand_xray"),
    "without covidnet, head_ct, breast_mri": ("covidnet", "head_ct", "breast_mri"),
    "without radiography, chest_ct": ("radiography", "chest_ct"),
    "without kermany, abdomen_ct, package-images": ("kermany", "abdomen_ct", "package-images"),
}
#: Population folds: one adult source held out at a time.
POPULATION_FOLDS = {f"without {source}": (source,) for source in ADULT_SOURCES}


def transform(film: np.ndarray, kind: str, right_half: bool = False) -> np.ndarray:
    """One chest film turned into a negative of ``kind`` (a `TRANSFORMS` name)."""
    if kind == "turned 90°":
        return np.ascontiguousarray(np.rot90(film))
    if kind == "turned 270°":
        return np.ascontiguousarray(np.rot90(film, 3))
    if kind == "upside down":
        return np.ascontiguousarray(np.flipud(film))
    if kind == "inverted":
        return 255 - film
    half = film[:, film.shape[1] // 2:] if right_half else film[:, : film.shape[1] // 2]
    return resize_gray(np.ascontiguousarray(half), film.shape[0], film.shape[1])


@dataclass(frozen=True)
class Pool:
    """Films at 64×64 with their split and source; label 1 = the check's positive class."""

    images: np.ndarray
    splits: np.ndarray
    sources: np.ndarray

    @staticmethod
    def concat(pools: list[Pool]) -> Pool:
        return Pool(*(np.concatenate([getattr(p, f) for p in pools]) for f in ("images", "splits", "sources")))

    def take(self, mask: np.ndarray) -> Pool:
        return Pool(np.asarray(self.images[mask]), self.splits[mask], self.sources[mask])

    def where(self, split: str | None = None, sources: tuple[str, ...] | None = None,
              exclude: tuple[str, ...] = ()) -> Pool:
        mask = np.ones(len(self.sources), dtype=bool)
        if split is not None:
            mask &= self.splits == split
        if sources is not None:
            mask &= np.isin(self.sources, sources)
        if exclude:
            mask &= ~np.isin(self.sources, exclude)
        return self.take(mask)


def _pool(films: FilmSet, mask: np.ndarray | None = None) -> Pool:
    mask = np.ones(len(films.paths), dtype=bool) if mask is None else mask
    return Pool(np.asarray(films.images[mask]), films.splits[mask], films.sources[mask])


@dataclass(frozen=True)
class SafetyData:
    """Every frontal film (by source), every non-chest image (by kind), all at 64×64."""

    frontal: Pool
    #: Adults of the frontal pool only (radiography Normal/COVID/Lung_Opacity: its Viral Pneumonia is children's).
    adult_mask: np.ndarray
    non_chest: Pool
    #: The loaded sets by source (their files, for measuring through the real decode path).
    film_sets: dict[str, FilmSet]

    def test_paths(self, source: str, labels: tuple[str, ...] | None = None) -> list[Path]:
        return self.film_sets[source].paths_of("test", labels)

    def adults(self) -> Pool:
        return self.frontal.take(self.adult_mask)

    def children(self) -> Pool:
        return self.frontal.where(sources=("kermany",))


def transformed(films: Pool, seed: int = 0) -> Pool:
    """One transformed copy of every film, its kind drawn per film (source "transformed")."""
    rng = np.random.default_rng(seed)
    kinds = rng.integers(len(TRANSFORMS), size=len(films.sources))
    sides = rng.integers(2, size=len(films.sources)).astype(bool)
    images = np.stack([transform(film, TRANSFORMS[k], s) for film, k, s in zip(films.images, kinds, sides)])
    return Pool(images, films.splits, np.full(len(images), "transformed"))


def source_counts(pool: Pool) -> dict[str, int]:
    """How many films of each source a pool holds (recorded beside every fitted limit)."""
    names, counts = np.unique(pool.sources, return_counts=True)
    return {str(name): int(count) for name, count in zip(names, counts)}


def per_source_limit(scores: np.ndarray, sources: np.ndarray, percentile: float) -> float:
    """The highest ``percentile`` of ``scores`` over the sources: no source has more than
    ``100 − percentile`` % of its films above it (an upper limit; negate scores for a lower one)."""
    return float(max(np.percentile(scores[sources == source], percentile) for source in np.unique(sources)))


def load_safety_data(kermany: Path, radiography: Path, external: Path) -> SafetyData:
    sets = {
        "kermany": load_kermany_films(kermany, SIDE),
        "radiography": load_radiography_films(radiography, SIDE),
        "chestxray8": load_chestxray8_films(external, SIDE),
        "covidnet": load_covidnet_films(external, SIDE),
    }
    frontal = Pool.concat([_pool(sets[source]) for source in FRONTAL_SOURCES])
    radiography_adult = np.isin(sets["radiography"].labels, ADULT_CLASSES)
    adult_mask = np.concatenate([np.zeros(len(sets["kermany"].paths), bool), radiography_adult,
                                 np.ones(len(sets["chestxray8"].paths) + len(sets["covidnet"].paths), bool)])
    sets["mednist"] = load_mednist_images(external)
    non_chest = Pool.concat([_pool(sets["mednist"]), _package_images()])
    return SafetyData(frontal, adult_mask, non_chest, sets)


def _package_images() -> Pool:
    """The package-shipped non-chest set (photos, pages, screenshots, shapes, noise, pydicom CT/MR) at 64×64."""
    with tempfile.TemporaryDirectory() as folder:
        images = write_non_chest_set(Path(folder))
        records = [Record(image.path.name, image.kind, sha256=sha256_file(image.path)) for image in images]
        pixels = np.asarray(load_gray_cache(records, folder, SIDE, SIDE).images)
    splits = np.array([three_way_split(image.name) for image in images])  # all variants of one image together
    return Pool(pixels, splits, np.full(len(images), "package-images"))
