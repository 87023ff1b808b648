"""How far a bundle's operating point moves with the validation films it was fitted on.

    python -m studies.threshold_stability models/pneumonia-pediatric [--data ../shared/data] [--resamples 1000] [--build KIND]

Through the bundle's default build (or ``--build``), the thresholds are refitted on bootstrap resamples of the
validation films and each refit is applied to the test films (`evaluation.threshold_stability`,
which says why). Printed are the 2.5 / 50 / 97.5 percentiles of the refit threshold and of the test
sensitivity, specificity and accuracy it gives, beside the card's own, and the ceiling: the
threshold fitted on the test films themselves. This module only loads the bundle and prints.
"""

from __future__ import annotations

from trainer.extras import require_training_extras

if __name__ == "__main__":  # before the imports below: they need the training extras
    require_training_extras("studies.threshold_stability")

import argparse
import sys
from pathlib import Path

from converters.recheck import data_root, split_probabilities
from cxrcore.bundle import load_bundle
from evaluation.operating_point import OperatingPoint
from evaluation.threshold_stability import PERCENTILES, threshold_stability


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bundle", type=Path)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"), help="folder holding the dataset")
    parser.add_argument("--cache-dir", type=Path, default=None, help="the trainer's uint8 image cache folder")
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--build", help="the build to run (default: the card's default build)")
    args = parser.parse_args(argv)

    bundle = load_bundle(args.bundle)
    kind = args.build or bundle.default_build
    target = bundle.target_sensitivity
    root = data_root(bundle, args.data)
    val_p, val_y = split_probabilities(bundle, kind, root, "val", args.cache_dir)
    test_p, test_y = split_probabilities(bundle, kind, root, "test", args.cache_dir)

    point = OperatingPoint(bundle.labels, bundle.abnormal_labels, bundle.thresholds)
    stability = threshold_stability((val_p, val_y), (test_p, test_y), point, target, args.resamples, args.seed)
    print(f"{bundle.name} {bundle.version} ({kind}): thresholds for {target:.0%} sensitivity refitted on "
          f"{args.resamples} resamples of its {len(val_y)} validation films, each applied to its {len(test_y)} "
          f"test films (seed {args.seed}). Refit on all validation films through this build: "
          + ", ".join(f"{label} {value:.4f}" for label, value in stability.refit.items())
          + " (card: " + ", ".join(f"{label} {value:.4f}" for label, value in bundle.thresholds.items()) + "); "
          + "at the card's thresholds this build's validation sensitivity is "
          + ", ".join(f"{label} {stability.fixed_on_validation[f'{label} sensitivity']:.4f}"
                      for label in bundle.abnormal_labels)
          + "\n")
    print("| on test | card's threshold | " + " | ".join(f"P{p:g}" for p in PERCENTILES)
          + " | fitted on test (ceiling) |")
    print("|---|---|" + "---|" * (len(PERCENTILES) + 1))
    for name, value in stability.fixed.items():
        print(f"| {name} | {value:.4f} | " + " | ".join(f"{x:.4f}" for x in stability.spread[name])
              + f" | {stability.ceiling[name]:.4f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
