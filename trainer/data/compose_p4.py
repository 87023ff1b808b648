"""Compose paper P4's 4-class set (bacterial / COVID-19 / healthy / viral) as a manifest.

P4 used V7 Labs' COVID-19 X-ray set, which is not available offline. Its equivalent from the
shared data: healthy = Kermany NORMAL, bacterial / viral = Kermany ``*_bacteria_*`` /
``*_virus_*`` (train and test pooled: P4 re-split 70/30), COVID-19 = the COVID class of the
radiography database. The COVID films are adults' and every other film a child's, so age is a
shortcut to the COVID label; the command says so and runs trained on it repeat it in their log.

    python -m trainer.data.compose_p4 --kermany ../shared/data/kermany-224 \
        --radiography ../shared/data/covid19-radiography-224 --out manifest.csv
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

from trainer.data.kermany import load_kermany
from trainer.data.radiography import load_radiography
from trainer.data.records import DataError, Record, Rejected, relative_posix

P4_LABELS = ("bacterial", "COVID-19", "healthy", "viral")
_FROM_KERMANY = {"normal": "healthy", "bacterial": "bacterial", "viral": "viral"}
AGE_SHORTCUT_NOTE = (
    "P4 composed set (age shortcut): COVID-19 films are adults' (radiography database), healthy/bacterial/viral "
    "are Kermany children's (aged 1-5); a model can recognise age instead of disease, so COVID-19 "
    "accuracy here overstates what it would do on adult non-COVID films."
)


def compose(kermany_root: Path, radiography_root: Path, out: Path) -> tuple[list[Record], list[Rejected]]:
    """Records of the composed set with paths relative to ``out``'s folder, plus what was refused."""
    kermany = load_kermany(kermany_root, three_class=True)
    radiography = load_radiography(radiography_root)
    folder = out.resolve().parent
    records = [
        Record(relative_posix(kermany.root.resolve() / r.path, folder), _FROM_KERMANY[r.label], r.patient_id)
        for r in kermany.records
    ]
    records += [
        Record(relative_posix(radiography.root.resolve() / r.path, folder), "COVID-19")
        for r in radiography.records
        if r.label == "COVID"
    ]
    return records, list(kermany.rejected) + [r for r in radiography.rejected if r.label == "COVID"]


def write_manifest(records: list[Record], out: Path) -> None:
    """``path,label,patient_id`` with no split column: the trainer makes P4's seeded 70/30 split."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("path", "label", "patient_id"))
        writer.writerows((r.path, r.label, r.patient_id or "") for r in records)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m trainer.data.compose_p4", description=__doc__.split("\n\n")[0])
    parser.add_argument("--kermany", type=Path, required=True, help="Kermany dataset folder (holding chest_xray/)")
    parser.add_argument("--radiography", type=Path, required=True, help="COVID-19 Radiography Database folder")
    parser.add_argument("--out", type=Path, required=True, help="manifest CSV to write")
    args = parser.parse_args(argv)
    try:
        records, rejected = compose(args.kermany, args.radiography, args.out)
    except DataError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if rejected:
        for item in rejected:
            print(f"error: {item.path}: {item.reason}", file=sys.stderr)
        print(f"{len(rejected)} file(s) could not be placed in a class; nothing written", file=sys.stderr)
        return 2
    write_manifest(records, args.out)
    counts = Counter(record.label for record in records)
    print(f"wrote {args.out} with {len(records)} films: " + ", ".join(f"{label} {counts[label]}" for label in P4_LABELS))
    print(f"note: {AGE_SHORTCUT_NOTE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
