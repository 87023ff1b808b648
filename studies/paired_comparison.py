"""Paired comparison of model bundles on the same test films: is a difference between two models real?

    python -m studies.paired_comparison BUNDLE BUNDLE [BUNDLE ...] [--data ../shared/data] [--cache-dir DIR]

Every bundle's default build is run on the TEST films of its split.csv (the bundles must list the
same test films, e.g. successive versions trained on one split), with its own temperature and
threshold. Printed: each bundle's AUC and accuracy at its threshold with 95% intervals, then, for
each later bundle against the first, the difference in AUC and in accuracy with a paired 95%
interval (`evaluation.paired`: the same bootstrap resample of films scores both models, 2,000
resamples within each true label, seed 0). This module only loads the bundles and prints.
Old bundle versions can be taken from git, e.g. ``git archive <commit> models/pneumonia-pediatric``.
"""

from __future__ import annotations

from trainer.extras import require_training_extras

if __name__ == "__main__":  # before the imports below: they need the training extras
    require_training_extras("studies.paired_comparison")

import argparse
import sys
from pathlib import Path

from converters.datasets import split_records
from converters.recheck import data_root, split_probabilities
from cxrcore.bundle import ModelBundle, load_bundle
from evaluation.operating_point import OperatingPoint
from evaluation.paired import METRICS, ScoredModel, paired_difference
from trainer.run_folder import SPLIT_FILE


def held_out_films(bundle: ModelBundle) -> list[str]:
    """The bundle's TEST film paths, in split.csv order."""
    return [row.path for row in split_records(bundle.directory / SPLIT_FILE, bundle.labels)["test"]]


def score(bundle: ModelBundle, shared_data: Path, cache_dir: Path | None) -> ScoredModel:
    """The bundle's default build on its test films, at the card's temperature and thresholds."""
    probabilities, y = split_probabilities(bundle, bundle.default_build, data_root(bundle, shared_data),
                                           cache_dir=cache_dir)
    return ScoredModel(probabilities, y, OperatingPoint(bundle.labels, bundle.abnormal_labels, bundle.thresholds))


def bundle_name(bundle: ModelBundle) -> str:
    return f"{bundle.name} {bundle.version} ({bundle.default_build})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bundles", type=Path, nargs="+", help="bundle folders; the first is the baseline")
    parser.add_argument("--data", type=Path, default=Path("../shared/data"), help="folder holding the dataset")
    parser.add_argument("--cache-dir", type=Path, default=None, help="the trainer's uint8 image cache folder")
    args = parser.parse_args(argv)
    if len(args.bundles) < 2:
        parser.error("name at least two bundles")

    bundles = [load_bundle(path) for path in args.bundles]
    films = held_out_films(bundles[0])
    if any(held_out_films(bundle) != films for bundle in bundles[1:]):
        print("error: the bundles do not list the same test films; a paired comparison needs one film set",
              file=sys.stderr)
        return 2
    scored = [score(bundle, args.data, args.cache_dir) for bundle in bundles]
    names = [bundle_name(bundle) for bundle in bundles]
    print(f"{len(films)} test films, the same for every bundle; 95% intervals "
          f"({scored[0].metrics['ci95']['method']})\n")
    print("| bundle (default build) | AUC | accuracy at its threshold |")
    print("|---|---|---|")
    for name, model in zip(names, scored):
        ci = model.metrics["ci95"]
        print(f"| {name} | {model.metrics['auc']:.4f} ({ci['auc'][0]:.4f}–{ci['auc'][1]:.4f}) "
              f"| {model.metrics['accuracy']:.3f} ({ci['accuracy'][0]:.3f}–{ci['accuracy'][1]:.3f}) |")
    print(f"\nPaired differences against {names[0]} (same films resampled for both):\n")
    print("| bundle | Δ AUC (95% interval) | Δ accuracy (95% interval) |")
    print("|---|---|---|")
    for name, other in zip(names[1:], scored[1:]):
        differences = [paired_difference(scored[0], other, metric) for metric in METRICS]
        cells = [f"{d.change:+.4f} ({d.low:+.4f} to {d.high:+.4f}){' *' if d.shown else ''}" for d in differences]
        print(f"| {name} | {' | '.join(cells)} |")
    print("\n* the interval excludes 0: a difference these films show")
    return 0


if __name__ == "__main__":
    sys.exit(main())
