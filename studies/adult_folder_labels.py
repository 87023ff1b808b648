"""How a bundle labels every film of one folder: the count per displayed label.

    python -m studies.adult_folder_labels --bundle models/covid-radiography-4class \
        --folder ../shared/data/external/chestxray8-adult/Pneumonia [--build KIND]

Why: a card's test figures are within its own sources; a folder of one label from another hospital (e.g. NIH
adult pneumonia films) shows what the model says to films it was never built around. Each film goes through
the app's classifier (`cxrcore.classifier.Classifier`, CPU) and decision (`cxrcore.postprocess.decide` at the
card's temperature and thresholds, as `Classifier.classify_file` makes it). The safety checks are not run, so every film is scored: the count is the
model's, not the app's (the app may also warn about or refuse some films).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from cxrcore.bundle import load_bundle
from cxrcore.decode import is_candidate_image

from converters.evaluate import open_build


def folder_labels(bundle_dir: Path, folder: Path, build: str | None = None) -> Counter:
    """Displayed label → number of films of ``folder`` (not recursive) given that label."""
    bundle = load_bundle(bundle_dir)
    films = sorted(path for path in folder.iterdir() if path.is_file() and is_candidate_image(path))
    if not films:
        raise SystemExit(f"error: {folder}: no image files")
    with open_build(bundle, build or bundle.default_build) as classifier:
        return Counter(classifier.classify_file(path).decision.prediction for path in films)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m studies.adult_folder_labels",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--bundle", type=Path, required=True)
    parser.add_argument("--folder", type=Path, required=True)
    parser.add_argument("--build", help="build kind (default: the card's default build)")
    args = parser.parse_args(argv)
    counts = folder_labels(args.bundle, args.folder, args.build)
    total = sum(counts.values())
    print(f"{args.bundle.name} on {total} films of {args.folder}: "
          + ", ".join(f"{label} {count} ({count / total:.1%})" for label, count in counts.most_common()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
