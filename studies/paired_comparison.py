"""Paired comparison of model bundles on the same test films: is a difference between two models real?

    python -m studies.paired_comparison BUNDLE BUNDLE [BUNDLE ...] [--data ../shared/data] [--cache-dir DIR]

Every bundle's default build is run on the TEST films of its split.csv (the bundles must list the
same test films, e.g. successive versions trained on one split), with its own temperature and
threshold. Printed: each bundle's AUC and accuracy at its threshold with 95% intervals, then, for
each later bundle against the first, the difference in AUC and in accuracy with a paired 95%
interval: the same bootstrap resample of films scores both models (2,000 resamples within each true
label, seed 0). A paired interval is narrower than the two models' own intervals suggest, because
the films' difficulty cancels out; a difference whose interval holds 0 is not shown by these films.
Old bundle versions can be taken from git, e.g. ``git archive <commit> models/pneumonia-pediatric``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np


from converters.datasets import split_records
from converters.recheck import data_root, split_probabilities
from trainer.run_folder import SPLIT_FILE
from evaluation.operating_point import BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, OperatingPoint, auc_statistic, evaluate
from cxrcore.bundle import ModelBundle, load_bundle
from evaluation.metrics import bootstrap_interval


class Scored:
    """One bundle's default build on the test films: probabilities, decided labels, and how to score a resample."""

    def __init__(self, bundle: ModelBundle, probabilities: np.ndarray, y: np.ndarray) -> None:
        self.bundle = bundle
        self.y = y
        point = OperatingPoint(bundle.labels, bundle.abnormal_labels, bundle.thresholds)
        evaluation = evaluate(probabilities, y, point)
        self.metrics = evaluation.metrics
        self.correct = evaluation.predictions == y
        #: AUC of the films at some indices, computed as the card computes it.
        self.auc = auc_statistic(probabilities, y, point)

    def accuracy(self, index: np.ndarray) -> float:
        return float(np.mean(self.correct[index]))

    @property
    def name(self) -> str:
        return f"{self.bundle.name} {self.bundle.version} ({self.bundle.default_build})"


def held_out_films(bundle: ModelBundle) -> list[str]:
    """The bundle's TEST film paths, in split.csv order."""
    return [row.path for row in split_records(bundle.directory / SPLIT_FILE, bundle.labels)["test"]]


def score(bundle: ModelBundle, shared_data: Path, cache_dir: Path | None) -> Scored:
    kind = bundle.default_build
    probabilities, y = split_probabilities(bundle, kind, data_root(bundle, shared_data), cache_dir=cache_dir)
    return Scored(bundle, probabilities, y)


def paired_interval(first: Scored, other: Scored, metric: str) -> tuple[float, float]:
    """95% interval of ``other`` minus ``first`` in ``metric`` (auc or accuracy), films resampled jointly."""
    def difference(index: np.ndarray) -> float:
        return getattr(other, metric)(index) - getattr(first, metric)(index)

    return bootstrap_interval(difference, first.y, BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED)


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
    print(f"{len(films)} test films, the same for every bundle; 95% intervals "
          f"({scored[0].metrics['ci95']['method']})\n")
    print("| bundle (default build) | AUC | accuracy at its threshold |")
    print("|---|---|---|")
    for model in scored:
        ci = model.metrics["ci95"]
        print(f"| {model.name} | {model.metrics['auc']:.4f} ({ci['auc'][0]:.4f}–{ci['auc'][1]:.4f}) "
              f"| {model.metrics['accuracy']:.3f} ({ci['accuracy'][0]:.3f}–{ci['accuracy'][1]:.3f}) |")
    first = scored[0]
    print(f"\nPaired differences against {first.name} (same films resampled for both):\n")
    print("| bundle | Δ AUC (95% interval) | Δ accuracy (95% interval) |")
    print("|---|---|---|")
    for other in scored[1:]:
        cells = []
        for metric in ("auc", "accuracy"):
            low, high = paired_interval(first, other, metric)
            every_film = np.arange(len(first.y))
            change = getattr(other, metric)(every_film) - getattr(first, metric)(every_film)
            verdict = "" if low <= 0 <= high else " *"
            cells.append(f"{change:+.4f} ({low:+.4f} to {high:+.4f}){verdict}")
        print(f"| {other.name} | {cells[0]} | {cells[1]} |")
    print("\n* the interval excludes 0: a difference these films show")
    return 0


if __name__ == "__main__":
    sys.exit(main())
