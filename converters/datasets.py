"""Which films the converters use, for what, and as what.

The split discipline lives here and nowhere else: representative (calibration) films come from
TRAIN, temperature and thresholds are fitted on VAL, and every reported number uses TEST.
Films become arrays only through the trainer's cache, which is built on `cxrcore.preprocess`,
so the converters see exactly the pixels the model was trained on and the app will feed it.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from cxrcore.preprocess import InputSpec
from converters import ConversionError
from trainer.data.cache import load_gray_cache
from trainer.data.manifest import SplitRow, read_split_manifest

SPLITS = ("train", "val", "test")


@dataclass(frozen=True)
class LabelledFilms:
    """Films of one split: their manifest rows, model-size uint8 pixels (N, H, W) and label indices."""

    records: list[SplitRow]
    gray: np.ndarray
    y: np.ndarray

    def __len__(self) -> int:
        return len(self.records)


def split_records(manifest: str | os.PathLike[str], labels: Sequence[str]) -> dict[str, list[SplitRow]]:
    """split.csv → {train, val, test} rows (excluded duplicates dropped); every split must be non-empty."""
    by_split: dict[str, list[SplitRow]] = defaultdict(list)
    for record in read_split_manifest(manifest):
        if record.split in SPLITS:
            by_split[record.split].append(record)
    unknown = {record.label for rows in by_split.values() for record in rows} - set(labels)
    if unknown:
        raise ConversionError(f"{manifest}: label(s) {sorted(unknown)} are not among the model's labels {list(labels)}")
    empty = [split for split in SPLITS if not by_split[split]]
    if empty:
        raise ConversionError(f"{manifest}: no rows in split(s) {empty}")
    return {split: by_split[split] for split in SPLITS}


def stratified_sample(records: Sequence[SplitRow], size: int, seed: int) -> list[SplitRow]:
    """``size`` rows drawn per label in proportion to the label counts (largest remainder), seeded.

    Every label gets at least one row when ``size`` allows, so a rare class still shapes int8
    activation ranges and appears among the reference films. The input order does not matter.
    """
    if size <= 0:
        raise ValueError(f"sample size must be positive, got {size}")
    groups: dict[str, list[SplitRow]] = defaultdict(list)
    for record in sorted(records, key=lambda r: r.path):
        groups[record.label].append(record)
    if size >= len(records):
        return sorted(records, key=lambda r: (r.label, r.path))
    quotas = _allocate(size, {label: len(rows) for label, rows in sorted(groups.items())})
    rng = np.random.default_rng(seed)
    chosen: list[SplitRow] = []
    for label, quota in quotas.items():
        order = rng.permutation(len(groups[label]))[:quota]
        chosen.extend(groups[label][index] for index in sorted(order))
    return chosen


def _allocate(size: int, counts: dict[str, int]) -> dict[str, int]:
    """Per-label quotas summing to ``size``: proportional, largest remainder, ≥ 1 each when possible."""
    total = sum(counts.values())
    exact = {label: size * count / total for label, count in counts.items()}
    at_least = 1 if size >= len(counts) else 0
    quotas = {label: min(count, max(at_least, int(exact[label]))) for label, count in counts.items()}
    by_remainder = sorted(counts, key=lambda label: (exact[label] - int(exact[label]), counts[label]), reverse=True)
    while sum(quotas.values()) < size:
        for label in by_remainder:
            if sum(quotas.values()) < size and quotas[label] < counts[label]:
                quotas[label] += 1
    while sum(quotas.values()) > size:  # the at-least-one floor can overshoot: trim the largest
        largest = max(quotas, key=quotas.__getitem__)
        quotas[largest] -= 1
    return quotas


def load_films(
    records: Sequence[SplitRow],
    data_root: str | os.PathLike[str],
    spec: InputSpec,
    labels: Sequence[str],
    cache_dir: str | os.PathLike[str] | None = None,
) -> LabelledFilms:
    """Decode and resize ``records`` through the trainer's cache (i.e. `cxrcore.preprocess`).

    An undecodable film stops the conversion (the cache raises naming it): a metric silently
    computed on fewer films than split.csv lists could not be re-measured from the card.
    """
    records = list(records)
    cache = load_gray_cache(records, Path(data_root), spec.height, spec.width, cache_dir=cache_dir)
    index = {label: position for position, label in enumerate(labels)}
    y = np.array([index[record.label] for record in records], dtype=np.int64)
    return LabelledFilms(records=records, gray=np.array(cache.images, dtype=np.uint8), y=y)
