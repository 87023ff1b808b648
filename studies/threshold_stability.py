"""How far a bundle's operating point moves with the validation films it was fitted on.

    python -m studies.threshold_stability models/pneumonia-pediatric [--data ../shared/data] [--resamples 1000]

The card's threshold is, per abnormal label, the highest one that reaches the target sensitivity on
the validation films (`evaluation.calibration.operating_thresholds`). Another draw of validation
films from the same population would put it elsewhere. This refits the thresholds on bootstrap
resamples of the validation films (within each label, seeded) and applies each refit to the test
films, through the bundle's default build: printed are the 2.5 / 50 / 97.5 percentiles of the refit
threshold and of the test sensitivity, specificity and accuracy it gives, beside the card's own.
The spread is the part of a test figure at the operating point that comes from fitting the
threshold; the intervals on the card hold the threshold fixed and leave it out. The last column fits
the threshold on the test films themselves: never usable, it is the ceiling of this model's ranking
at the target sensitivity, so no better threshold rule can pass it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np


from evaluation.calibration import operating_thresholds
from converters.recheck import data_root, split_probabilities
from evaluation.operating_point import OperatingPoint, evaluate
from cxrcore.bundle import load_bundle
from evaluation.metrics import stratified_resamples

PERCENTILES = (2.5, 50, 97.5)


def operating_figures(probabilities: np.ndarray, y: np.ndarray, point: OperatingPoint) -> dict[str, float]:
    """Accuracy and, per abnormal label, threshold, sensitivity and specificity at ``point``."""
    metrics = evaluate(probabilities, y, point, intervals=False).metrics
    figures = {"accuracy": metrics["accuracy"]}
    for label, values in metrics["at_threshold"].items():
        figures |= {f"{label} {name}": values[name] for name in ("threshold", "sensitivity", "specificity")}
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bundle", type=Path)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"), help="folder holding the dataset")
    parser.add_argument("--cache-dir", type=Path, default=None, help="the trainer's uint8 image cache folder")
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    bundle = load_bundle(args.bundle)
    kind = bundle.default_build
    target = bundle.target_sensitivity
    root = data_root(bundle, args.data)
    val_p, val_y = split_probabilities(bundle, kind, root, "val", args.cache_dir)
    test_p, test_y = split_probabilities(bundle, kind, root, "test", args.cache_dir)

    def point(thresholds: dict[str, float]) -> OperatingPoint:
        return OperatingPoint(bundle.labels, bundle.abnormal_labels, thresholds)

    refit = operating_thresholds(val_p, val_y, bundle.labels, bundle.abnormal_labels, target)
    runs = [
        operating_figures(test_p, test_y, point(operating_thresholds(
            val_p[index], val_y[index], bundle.labels, bundle.abnormal_labels, target)))
        for index in stratified_resamples(val_y, args.resamples, args.seed)
    ]
    card = operating_figures(test_p, test_y, point(bundle.thresholds))
    on_validation = operating_figures(val_p, val_y, point(bundle.thresholds))
    ceiling = operating_figures(test_p, test_y, point(operating_thresholds(
        test_p, test_y, bundle.labels, bundle.abnormal_labels, target)))
    print(f"{bundle.name} {bundle.version} ({kind}): thresholds for {target:.0%} sensitivity refitted on "
          f"{args.resamples} resamples of its {len(val_y)} validation films, each applied to its {len(test_y)} "
          f"test films (seed {args.seed}). Refit on all validation films through this build: "
          + ", ".join(f"{label} {value:.4f}" for label, value in refit.items())
          + " (card: " + ", ".join(f"{label} {value:.4f}" for label, value in bundle.thresholds.items()) + "); "
          + "at the card's thresholds this build's validation sensitivity is "
          + ", ".join(f"{label} {on_validation[f'{label} sensitivity']:.4f}" for label in bundle.abnormal_labels)
          + "\n")
    print("| on test | card's threshold | " + " | ".join(f"P{p:g}" for p in PERCENTILES)
          + " | fitted on test (ceiling) |")
    print("|---|---|" + "---|" * (len(PERCENTILES) + 1))
    for name, value in card.items():
        spread = np.percentile([run[name] for run in runs], PERCENTILES)
        print(f"| {name} | {value:.4f} | " + " | ".join(f"{x:.4f}" for x in spread) + f" | {ceiling[name]:.4f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
