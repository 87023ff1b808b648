"""Compose the adult NORMAL / ABNORMAL set from every adult frontal source, as a manifest with its test split.

    python -m trainer.data.compose_adult --shared ../shared/data --out runs/adult [--leave-out nih ...]

Sources and labels: NIH ChestX-ray8 (``No_findings`` → NORMAL, ``Pneumonia`` → ABNORMAL, patient id = the
first 8 characters of ``PPPPPPPP_FFF``), COVID-Net (Actualmed covid/normal, Figure1 covid/normal/pneumonia)
and the radiography database's Normal (NORMAL), COVID and Lung_Opacity (ABNORMAL). Its Viral Pneumonia is
left out: 982 of its 1,100 films are Kermany children's.

Why a folder and not just a CSV: converters record the data folder's *name* and CI re-measures a bundle under
``../shared/data/<name>``. ``OUT/external/`` is laid out like ``shared/data/external`` (symbolic links to the
read-only source folders, no copies, with ``OUT/covid19-radiography-224`` beside it), and the manifest
``OUT/external/manifest.csv`` lists paths relative to it, so a bundle trained on it is re-measured from
``../shared/data/external`` as is.

Rules, in order (counts in ``OUT/external/compose-report.json`` and on the console):

1. Byte-identical files with different labels are excluded (same-label copies are left to the trainer,
   which keeps one).
2. Films of two different sources whose 32×32 thumbnails correlate ≥ 0.98 (`trainer.data.fingerprints`) are
   one film twice: NIH and the radiography Normal class (RSNA re-used NIH films) share ~20. When the labels
   disagree (NIH "Pneumonia" = RSNA "Normal") both copies are excluded from everything; when they agree only
   the copy in the larger source (radiography, then COVID-Net) is dropped.
3. Radiography is capped at ``--radiography-cap`` films per class (seeded), for a 2-core CPU's time budget.
4. Each source gets its own seeded, stratified test split, grouped by patient (NIH) and by near-duplicate
   hash (radiography has no patient ids): ``split`` is ``test`` or empty. The trainer carves validation from
   the empty rows, grouped the same way, and never trains on a test film or its group.
   With ``--leave-out S`` (``manifest-without-S.csv``) every film of S is ``test`` as well: the
   leave-one-source-out run trains on the other sources' non-test films only.
"""

from __future__ import annotations

from trainer.extras import require_training_extras

if __name__ == "__main__":  # before the imports below: they need the training extras
    require_training_extras("trainer.data.compose_adult")

import argparse
import csv
import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from trainer.data.adult_sources import COVIDNET, NIH, RADIOGRAPHY, SOURCES
from trainer.data.cache import load_gray_cache
from trainer.data.fingerprints import THUMBNAIL_SIZE, average_hashes, best_matches, hash_files, thumbnail_vectors
from trainer.data.radiography import DATASET_FOLDER
from trainer.data.records import DataError, Record, class_files
from trainer.data.splits import SplitFractions, assign_splits, cap_per_class

MANIFEST_COLUMNS = ("path", "label", "patient_id", "split", "source")
NOTE = (
    "Adult composed set: NIH labels are mined from radiology reports (noisy); radiography classes come from "
    "different hospitals (a source shortcut), so training weights balance labels within each source and "
    "results are reported per source."
)
#: (source, folder under the manifest's folder, label). Radiography sits beside ``external/``.
CLASS_FOLDERS = (
    (NIH, "chestxray8-adult/No_findings", "NORMAL"),
    (NIH, "chestxray8-adult/Pneumonia", "ABNORMAL"),
    (COVIDNET, "covidnet-adult/actualmed/normal", "NORMAL"),
    (COVIDNET, "covidnet-adult/actualmed/covid", "ABNORMAL"),
    (COVIDNET, "covidnet-adult/figure1/normal", "NORMAL"),
    (COVIDNET, "covidnet-adult/figure1/covid", "ABNORMAL"),
    (COVIDNET, "covidnet-adult/figure1/pneumonia", "ABNORMAL"),
    (RADIOGRAPHY, f"../covid19-radiography-224/{DATASET_FOLDER}/Normal/images", "NORMAL"),
    (RADIOGRAPHY, f"../covid19-radiography-224/{DATASET_FOLDER}/COVID/images", "ABNORMAL"),
    (RADIOGRAPHY, f"../covid19-radiography-224/{DATASET_FOLDER}/Lung_Opacity/images", "ABNORMAL"),
)
#: Which copy of a cross-source duplicate is kept: the smaller, harder-to-replace source's.
KEEP_PRIORITY = (NIH, COVIDNET, RADIOGRAPHY)
TEST_FRACTIONS = {NIH: 0.25, RADIOGRAPHY: 0.2, COVIDNET: 0.3}
DEFAULT_RADIOGRAPHY_CAP = 1200


@dataclass(frozen=True)
class Film:
    """A manifest row in the making: the record, its source and its radiography class (for the cap)."""

    record: Record
    source: str
    subclass: str


def link_view(shared: Path, out: Path) -> Path:
    """Create ``out/external`` (links to the external sources) and ``out/covid19-radiography-224``; return the
    manifest folder. Existing links must point where they should."""
    external = out / "external"
    external.mkdir(parents=True, exist_ok=True)
    links = {external / "chestxray8-adult": shared / "external" / "chestxray8-adult",
             external / "covidnet-adult": shared / "external" / "covidnet-adult",
             out / "covid19-radiography-224": shared / "covid19-radiography-224"}
    for link, target in links.items():
        target = target.resolve()
        if not target.is_dir():
            raise DataError(f"{target}: adult source folder not found")
        if link.is_symlink() and link.resolve() != target:
            raise DataError(f"{link} points to {link.resolve()}, not {target}; remove it or choose another --out")
        if not link.exists():
            link.symlink_to(target, target_is_directory=True)
    return external


def collect(root: Path) -> list[Film]:
    """Every film of every class folder, with its content hash; NIH patient ids from the file names."""
    films: list[Film] = []
    for source, folder, label in CLASS_FOLDERS:
        images, _ = class_files(root / folder)
        for path in images:
            patient = path.name[:8] if source == NIH else None
            subclass = Path(folder).parent.name if source == RADIOGRAPHY else ""
            films.append(Film(Record(f"{folder}/{path.name}", label, patient), source, subclass))
    digests = hash_files([root / film.record.path for film in films])
    for film, digest in zip(films, digests):
        if isinstance(digest, OSError):
            raise DataError(f"{root / film.record.path}: cannot read ({digest.strerror or digest})")
    return [replace(film, record=replace(film.record, sha256=digest)) for film, digest in zip(films, digests)]


def conflicting_copies(films: list[Film]) -> set[int]:
    """Indices of byte-identical files that carry different labels (rule 1)."""
    by_hash: dict[str, list[int]] = defaultdict(list)
    for index, film in enumerate(films):
        by_hash[film.record.sha256].append(index)
    return {i for group in by_hash.values() if len({films[j].record.label for j in group}) > 1 for i in group}


def cross_source_pairs(films: list[Film], thumbnails: np.ndarray) -> list[tuple[int, int]]:
    """(kept-priority index, other index) of films in two different sources that are one film (rule 2)."""
    vectors = thumbnail_vectors(thumbnails)
    members = {source: np.array([i for i, film in enumerate(films) if film.source == source]) for source in SOURCES}
    pairs: list[tuple[int, int]] = []
    for position, first in enumerate(KEEP_PRIORITY):
        for second in KEEP_PRIORITY[position + 1:]:
            matches = best_matches(vectors[members[second]], vectors[members[first]])
            pairs += [(int(members[first][m]), int(members[second][q])) for q, m in enumerate(matches) if m >= 0]
    return pairs


def compose(shared: Path, out: Path, radiography_cap: int = DEFAULT_RADIOGRAPHY_CAP, seed: int = 0,
            cache_dir: Path | None = None) -> tuple[Path, list[Film], dict[str, str], dict]:
    """The composed films with their test assignment (path → ``test``/``""``) and the report of what was excluded."""
    root = link_view(shared, out)
    films = collect(root)
    thumbnails = load_gray_cache([film.record for film in films], root, THUMBNAIL_SIZE, THUMBNAIL_SIZE, cache_dir).images
    conflicts = conflicting_copies(films)
    pairs = cross_source_pairs(films, thumbnails)
    disagreeing = [(a, b) for a, b in pairs if films[a].record.label != films[b].record.label]
    agreeing = [(a, b) for a, b in pairs if films[a].record.label == films[b].record.label]
    dropped = conflicts | {i for pair in disagreeing for i in pair} | {b for _, b in agreeing}
    kept = [i for i in range(len(films)) if i not in dropped]
    capped = _cap_radiography([films[i] for i in kept], radiography_cap, seed)
    kept = [i for i in kept if films[i].record.path not in capped]
    split = _test_split([films[i] for i in kept], thumbnails[kept], seed)
    report = {
        "films_found": dict(Counter(f"{film.source}/{film.record.label}" for film in films)),
        "excluded_byte_identical_label_conflicts": len(conflicts),
        "cross_source_duplicates": {
            "conflicting_labels_excluded_both": [_pair(films[a], films[b]) for a, b in disagreeing],
            "agreeing_labels_dropped_second": [_pair(films[a], films[b]) for a, b in agreeing],
        },
        "radiography_cap_per_class": radiography_cap,
        "excluded_by_cap": len(capped),
        "composed": dict(Counter(f"{films[i].source}/{films[i].record.label}/{split[films[i].record.path] or 'pool'}"
                                 for i in kept)),
        "seed": seed,
        "note": NOTE,
    }
    return root, [films[i] for i in kept], split, report


def _pair(first: Film, second: Film) -> dict[str, str]:
    return {"kept_source_path": first.record.path, "kept_source_label": first.record.label,
            "other_path": second.record.path, "other_label": second.record.label}


def _cap_radiography(films: list[Film], cap: int, seed: int) -> set[str]:
    """Paths beyond ``cap`` per radiography class (Normal / COVID / Lung_Opacity), drawn with the trainer's rule."""
    radiography = [replace(film.record, label=film.subclass) for film in films if film.source == RADIOGRAPHY]
    caps = {name: cap for name in {record.label for record in radiography}}
    _, excluded = cap_per_class(radiography, caps, seed, "excluded-undersampled", keep_official_test=False)
    return {row.path for row in excluded}


def _test_split(films: list[Film], thumbnails: np.ndarray, seed: int) -> dict[str, str]:
    """Per source, a seeded stratified test share grouped by patient and near-duplicate hash (rule 4).

    `assign_splits` also carves a validation share (its ``val`` fraction must lie in (0, 1)); it is discarded
    here, since the trainer carves its own validation split from the non-test rows."""
    result: dict[str, str] = {}
    hashes = average_hashes(thumbnails)
    for source in SOURCES:
        indices = [i for i, film in enumerate(films) if film.source == source]
        rows = assign_splits([films[i].record for i in indices], [hashes[i] for i in indices],
                             SplitFractions(val=0.5, test=TEST_FRACTIONS[source]), seed)
        result.update({row.path: "test" if row.split == "test" else "" for row in rows})
    return result


def manifest_name(leave_out: str | None) -> str:
    return "manifest.csv" if leave_out is None else f"manifest-without-{leave_out}.csv"


def write_manifest(path: Path, films: list[Film], split: dict[str, str], leave_out: str | None = None) -> None:
    """``path,label,patient_id,split,source``; with ``leave_out`` every film of that source is test."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(MANIFEST_COLUMNS)
        for film in sorted(films, key=lambda film: film.record.path):
            value = "test" if film.source == leave_out else split[film.record.path]
            writer.writerow((film.record.path, film.record.label, film.record.patient_id or "", value, film.source))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m trainer.data.compose_adult", description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, required=True, help="the shared data folder (holding external/)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the view and manifest into")
    parser.add_argument("--leave-out", choices=SOURCES, action="append", default=[],
                        help="also write the leave-one-source-out manifest for this source (repeatable)")
    parser.add_argument("--radiography-cap", type=int, default=DEFAULT_RADIOGRAPHY_CAP,
                        help="at most this many films per radiography class (default %(default)s)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cache-dir", type=Path, help="decoded-image cache (default: cache/ in the repo)")
    args = parser.parse_args(argv)
    try:
        root, films, split, report = compose(args.shared, args.out, args.radiography_cap, args.seed, args.cache_dir)
    except DataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    names = [manifest_name(source) for source in [None, *args.leave_out]]
    for source, name in zip([None, *args.leave_out], names):
        write_manifest(root / name, films, split, source)
    (root / "compose-report.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    duplicates = report["cross_source_duplicates"]
    print(f"wrote {', '.join(str(root / name) for name in names)}: {len(films)} films")
    print(f"  cross-source duplicates: {len(duplicates['conflicting_labels_excluded_both'])} pairs with conflicting "
          f"labels (both excluded), {len(duplicates['agreeing_labels_dropped_second'])} agreeing (one copy dropped); "
          f"{report['excluded_byte_identical_label_conflicts']} byte-identical label conflicts; "
          f"{report['excluded_by_cap']} radiography films beyond the cap of {args.radiography_cap} per class")
    for key, count in sorted(report["composed"].items()):
        print(f"  {key}: {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
