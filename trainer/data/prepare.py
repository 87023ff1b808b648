"""A loaded dataset → every file's split (split.csv rows) plus a report of what was left out and why.

Steps: refuse or skip the files the loader rejected → SHA-256 every file → drop byte-identical
copies → apply ``--limit-per-class`` and the recipe's under-sampling caps → decode 32×32
thumbnails (undecodable files are refused or skipped) → near-duplicate hashes → grouped,
stratified split (`trainer.data.splits`) → for radiography with a Kermany root, count the Viral
Pneumonia films that are Kermany train films. Every file of the dataset ends up in exactly one row.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

from trainer.data.cache import load_gray_cache
from trainer.data.fingerprints import THUMBNAIL_SIZE, average_hashes, hash_files
from trainer.data.manifest import EXCLUSIONS, USED_SPLITS, SplitRow
from trainer.data.pediatric import kermany_train_matches
from trainer.data.radiography import VIRAL_PNEUMONIA
from trainer.data.records import DataError, Dataset, Record, Rejected
from trainer.data.splits import SplitFractions, assign_splits, cap_per_class, exclude_exact_duplicates


@dataclass(frozen=True)
class PrepareOptions:
    fractions: SplitFractions = SplitFractions()
    seed: int = 0
    limit_per_class: int | None = None
    max_per_class: Mapping[str, int] = field(default_factory=dict)
    skip_bad_files: bool = False
    cache_dir: Path | None = None
    kermany_root: Path | None = None


@dataclass
class PreparedSplit:
    rows: list[SplitRow]
    report: dict[str, Any]


def prepare_split(dataset: Dataset, options: PrepareOptions) -> PreparedSplit:
    bad = _refuse_or_skip(dataset, list(dataset.rejected), options.skip_bad_files)
    records, unreadable = _hash(dataset, options.skip_bad_files)
    bad += unreadable
    records, duplicates = exclude_exact_duplicates(records)
    excluded = duplicates
    if options.limit_per_class is not None:
        caps = {label: options.limit_per_class for label in dataset.labels}
        records, limited = cap_per_class(records, caps, options.seed, "excluded-limit", keep_official_test=True)
        excluded += limited
    if options.max_per_class:
        records, undersampled = cap_per_class(records, dict(options.max_per_class), options.seed,
                                              "excluded-undersampled", keep_official_test=False)
        excluded += undersampled
    thumbnails = load_gray_cache(records, dataset.root, THUMBNAIL_SIZE, THUMBNAIL_SIZE,
                                 options.cache_dir, options.skip_bad_files)
    bad += [Rejected(records[index].path, records[index].label, reason) for index, reason in thumbnails.bad.items()]
    good = [index for index in range(len(records)) if index not in thumbnails.bad]
    records = [records[index] for index in good]
    images = thumbnails.images[good]
    rows = assign_splits(records, average_hashes(images), options.fractions, options.seed)
    bad_rows = [SplitRow(item.path, item.label, "", "excluded-bad-file", "") for item in bad]
    all_rows = rows + excluded + bad_rows
    report = _report(dataset, all_rows, bad)
    if dataset.kind == "radiography" and options.kermany_root is not None:
        report["pediatric_overlap"] = _pediatric_overlap(rows, images, options)
    return PreparedSplit(rows=sorted(all_rows, key=lambda row: row.path), report=report)


def _refuse_or_skip(dataset: Dataset, rejected: list[Rejected], skip: bool) -> list[Rejected]:
    if rejected and not skip:
        first = rejected[0]
        raise DataError(
            f"{dataset.root / first.path}: {first.reason} ({len(rejected)} file(s) refused in all; "
            "use --skip-bad-files to skip them)"
        )
    return rejected


def _hash(dataset: Dataset, skip: bool) -> tuple[list[Record], list[Rejected]]:
    digests = hash_files([dataset.root / record.path for record in dataset.records])
    records: list[Record] = []
    bad: list[Rejected] = []
    for record, digest in zip(dataset.records, digests):
        if isinstance(digest, OSError):
            reason = f"unreadable ({digest.strerror or digest})"
            if not skip:
                raise DataError(f"{dataset.root / record.path}: {reason} (use --skip-bad-files to skip such files)")
            bad.append(Rejected(record.path, record.label, reason))
        else:
            records.append(replace(record, sha256=digest))
    return records, bad


def split_counts(rows: list[SplitRow], labels: tuple[str, ...]) -> dict[str, dict[str, int]]:
    counts = Counter((row.split, row.label) for row in rows)
    return {split: {label: counts[(split, label)] for label in labels} for split in USED_SPLITS}


def _report(dataset: Dataset, rows: list[SplitRow], bad: list[Rejected]) -> dict[str, Any]:
    excluded = Counter(row.split for row in rows if not row.used)
    return {
        "kind": dataset.kind,
        "files": len(rows),
        "counts": split_counts(rows, dataset.labels),
        "excluded": {reason: excluded[reason] for reason in EXCLUSIONS},
        "bad_files": [{"path": item.path, "reason": item.reason} for item in bad],
        "notes": list(dataset.notes),
    }


def _pediatric_overlap(rows: list[SplitRow], images, options: PrepareOptions) -> dict[str, Any]:
    viral = [index for index, row in enumerate(rows) if row.label == VIRAL_PNEUMONIA]
    matches = kermany_train_matches(images[viral], options.kermany_root, options.cache_dir)
    copies = [(rows[index], match) for index, match in zip(viral, matches) if match is not None]
    return {
        "checked_against": str(options.kermany_root),
        "viral_pneumonia_films": len(viral),
        "kermany_train_copies": len(copies),
        "copies_by_split": dict(Counter(row.split for row, _ in copies)),
        "pairs": [{"path": row.path, "kermany_train_path": match} for row, match in copies],
    }


def report_lines(report: dict[str, Any]) -> list[str]:
    """The human summary of a `prepare_split` report, for the run log and the console."""
    lines = [f"dataset kind {report['kind']}: {report['files']} files"]
    for split, counts in report["counts"].items():
        lines.append(f"  {split:5s} {sum(counts.values()):6d}  " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    lines += [f"  {reason}: {count}" for reason, count in report["excluded"].items() if count]
    lines += [f"  skipped bad file {item['path']}: {item['reason']}" for item in report["bad_files"]]
    overlap = report.get("pediatric_overlap")
    if overlap:
        lines.append(
            f"  hazard: {overlap['kermany_train_copies']} of {overlap['viral_pneumonia_films']} Viral Pneumonia films "
            f"(after de-duplication) are Kermany train (pediatric) films, by split {overlap['copies_by_split']}"
        )
    elif report["kind"] == "radiography":
        lines.append("  hazard not measured: pass --kermany PATH to count Viral Pneumonia films that are Kermany films")
    lines += [f"  note: {note}" for note in report["notes"]]
    return lines
