"""Seeded, stratified, patient-grouped, de-duplicated train/val/test splits.

Rules, in order:

1. **Byte-identical files** (same SHA-256): one copy is kept, the others are
   ``excluded-duplicate``. The kept copy is an official-test one when the group touches the
   official test set (so the test set stays whole and no copy of a test film is trained on),
   otherwise the first by path. Copies with different labels stop the run: no rule can say
   which label is right.
2. **Groups**: films sharing a patient id, or a near-duplicate hash (see
   `trainer.data.fingerprints`), are one group (union-find), and a group never straddles splits.
3. **Official test** films stay test. A pool film grouped with an official test film (same
   patient, or a near-duplicate of it) is ``excluded-test-overlap``: moving it to test would change
   the official test set, training on it would leak.
4. Without an official test, ``test`` (a fraction of all films) is carved from the pool; then
   ``val`` (a fraction of what is left) is carved; the rest is train. Official ``val`` films
   (Kermany's 16) are pooled, not trusted as a validation set of their own.
5. Carving is stratified: groups are bucketed by their majority label and, per label, visited
   in a seeded random order, each taken if it still fits the label's target count.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from trainer.data.manifest import SplitRow
from trainer.data.records import DataError, Record


@dataclass(frozen=True)
class SplitFractions:
    """``test``: share of all films carved as test when the dataset has no official test.
    ``val``: share of the remaining (non-test) films carved as validation."""

    val: float = 0.2
    test: float = 0.1

    def __post_init__(self) -> None:
        if not (0.0 < self.val < 1.0 and 0.0 <= self.test < 1.0):
            raise ValueError(f"split fractions must lie in (0, 1): val={self.val}, test={self.test}")


def to_row(record: Record, split: str) -> SplitRow:
    return SplitRow(record.path, record.label, record.patient_id or "", split, record.sha256)


def exclude_exact_duplicates(records: Sequence[Record]) -> tuple[list[Record], list[SplitRow]]:
    """Keep one file per SHA-256 (rule 1); return (kept records, ``excluded-duplicate`` rows)."""
    by_hash: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        by_hash[record.sha256].append(record)
    dropped: set[str] = set()
    excluded: list[SplitRow] = []
    for copies in by_hash.values():
        if len(copies) == 1:
            continue
        labels = sorted({copy.label for copy in copies})
        if len(labels) > 1:
            names = ", ".join(copy.path for copy in copies)
            raise DataError(f"{names}: byte-identical files carry different labels {labels}")
        keep = min(copies, key=lambda copy: (copy.official_split != "test", copy.path))
        for copy in copies:
            if copy is not keep:
                dropped.add(copy.path)
                excluded.append(to_row(copy, "excluded-duplicate"))
    return [record for record in records if record.path not in dropped], excluded


def cap_per_class(records: Sequence[Record], caps: dict[str, int], seed: int, reason: str,
                  keep_official_test: bool) -> tuple[list[Record], list[SplitRow]]:
    """Keep at most ``caps[label]`` films per label, chosen at random (seeded); the rest get ``reason``.

    With ``keep_official_test`` official test films are neither counted nor dropped, so a capped
    run (``--limit-per-class``) is still scored on the whole official test set.
    """
    rng = np.random.default_rng([seed, 2])
    by_label: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        if not (keep_official_test and record.official_split == "test"):
            by_label[record.label].append(record)
    dropped: set[str] = set()
    for label, members in sorted(by_label.items()):
        cap = caps.get(label)
        if cap is not None and len(members) > cap:
            order = rng.permutation(len(members))
            dropped.update(members[i].path for i in order[cap:])
    kept = [record for record in records if record.path not in dropped]
    return kept, [to_row(record, reason) for record in records if record.path in dropped]


def group_ids(records: Sequence[Record], near_duplicate_keys: Sequence[bytes | None]) -> list[int]:
    """Union-find over shared patient ids and shared near-duplicate keys; one id per record."""
    parent = list(range(len(records)))

    def find(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    first_seen: dict[tuple[str, object], int] = {}
    for index, (record, key) in enumerate(zip(records, near_duplicate_keys)):
        for token in (("patient", record.patient_id), ("image", key)):
            if token[1] is None:
                continue
            if token in first_seen:
                parent[find(index)] = find(first_seen[token])
            else:
                first_seen[token] = index
    return [find(index) for index in range(len(records))]


def assign_splits(records: Sequence[Record], near_duplicate_keys: Sequence[bytes | None],
                  fractions: SplitFractions, seed: int) -> list[SplitRow]:
    """Rules 2-5 on de-duplicated records; returns one row per record, in input order."""
    if len(near_duplicate_keys) != len(records):
        raise ValueError("one near-duplicate key (or None) is needed per record")
    members: dict[int, list[int]] = defaultdict(list)
    for index, group in enumerate(group_ids(records, near_duplicate_keys)):
        members[group].append(index)
    has_official_test = any(record.official_split == "test" for record in records)
    split_of: dict[int, str] = {}
    pool: list[list[int]] = []
    for group in sorted(members.values(), key=lambda indices: records[indices[0]].path):
        official_test = [i for i in group if records[i].official_split == "test"]
        if official_test:
            for i in group:
                split_of[i] = "test" if i in official_test else "excluded-test-overlap"
        else:
            pool.append(group)
    if not has_official_test and fractions.test > 0:
        test_groups, pool = _carve(pool, records, fractions.test, np.random.default_rng([seed, 0]))
        split_of.update({i: "test" for group in test_groups for i in group})
    val_groups, pool = _carve(pool, records, fractions.val, np.random.default_rng([seed, 1]))
    split_of.update({i: "val" for group in val_groups for i in group})
    split_of.update({i: "train" for group in pool for i in group})
    return [to_row(record, split_of[index]) for index, record in enumerate(records)]


def _carve(groups: list[list[int]], records: Sequence[Record], fraction: float,
           rng: np.random.Generator) -> tuple[list[list[int]], list[list[int]]]:
    """Split ``groups`` into (taken, rest) so that each label gets ~``fraction`` of its films."""
    by_label: dict[str, list[list[int]]] = defaultdict(list)
    for group in groups:
        counts = Counter(records[i].label for i in group)
        majority = min(counts, key=lambda label: (-counts[label], label))
        by_label[majority].append(group)
    taken: list[list[int]] = []
    rest: list[list[int]] = []
    for label in sorted(by_label):
        candidates = by_label[label]
        target = round(fraction * sum(len(group) for group in candidates))
        count = 0
        for position in rng.permutation(len(candidates)):
            group = candidates[position]
            if count + len(group) <= target:
                taken.append(group)
                count += len(group)
            else:
                rest.append(group)
    return taken, rest
