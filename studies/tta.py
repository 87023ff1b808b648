"""Test-time augmentation (original + mirrored film, probabilities averaged): its gain and its cost.

    python -m studies.tta models/pneumonia-pediatric [--data ../shared/data] [--build float32]

Runs a shipped bundle's build on its own validation and test films (the bundle's split.csv),
once plain and once with TTA. Plain uses the card's temperature and thresholds; TTA refits the
thresholds on validation for the card's target sensitivity (the rule `converters.quantize` uses),
so the comparison is fair and the test set is used only for the figures printed. Also prints the
inference time per film of each, measured in the same run (TTA costs two model calls).
"""

from __future__ import annotations

from trainer.extras import require_training_extras

if __name__ == "__main__":  # before the imports below: they need the training extras
    require_training_extras("studies.tta")

import argparse
import sys
import time
from pathlib import Path

import numpy as np


from evaluation.calibration import operating_thresholds
from converters.datasets import load_films, split_records
from converters.evaluate import build_outputs, open_build
from converters.recheck import data_root
from trainer.run_folder import SPLIT_FILE
from evaluation.operating_point import OperatingPoint, evaluate
from cxrcore.bundle import load_bundle
from cxrcore.postprocess import calibrated_probabilities


def probabilities_of(classifier, gray: np.ndarray, mirrored: bool, activation: str, temperature: float) -> np.ndarray:
    """Calibrated probabilities of the films, averaged with their left–right mirror images when asked."""
    plain = calibrated_probabilities(build_outputs(classifier, gray), activation, temperature)
    if not mirrored:
        return plain
    flipped = calibrated_probabilities(build_outputs(classifier, gray[:, :, ::-1].copy()), activation, temperature)
    return (plain + flipped) / 2.0


def summary(metrics: dict) -> str:
    points = ", ".join(f"{label} sens {values['sensitivity']:.3f} spec {values['specificity']:.3f} "
                       f"at {values['threshold']:.3f}" for label, values in metrics["at_threshold"].items())
    return f"accuracy {metrics['accuracy']:.3f}  AUC {metrics['auc']:.4f}  {points}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bundle", type=Path)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"), help="folder holding the dataset")
    parser.add_argument("--build", default=None, help="build kind (default: the card's default)")
    args = parser.parse_args(argv)

    bundle = load_bundle(args.bundle)
    build = args.build or bundle.default_build
    target = bundle.target_sensitivity
    splits = split_records(bundle.directory / SPLIT_FILE, bundle.labels)
    root = data_root(bundle, args.data)
    val, test = (load_films(splits[name], root, bundle.input_spec, bundle.labels) for name in ("val", "test"))
    classifier = open_build(bundle, build)
    print(f"{bundle.name} {bundle.version} ({build}) on {classifier.description}; "
          f"{len(val.y)} validation, {len(test.y)} test films")
    for mirrored in (False, True):
        if mirrored:
            val_probabilities = probabilities_of(classifier, val.gray, True, bundle.output_activation,
                                                 bundle.temperature)
            thresholds = operating_thresholds(val_probabilities, val.y, bundle.labels, bundle.abnormal_labels, target)
        else:
            thresholds = bundle.thresholds
        start = time.perf_counter()
        test_probabilities = probabilities_of(classifier, test.gray, mirrored, bundle.output_activation,
                                              bundle.temperature)
        ms = (time.perf_counter() - start) * 1000 / len(test.y)
        point = OperatingPoint(bundle.labels, bundle.abnormal_labels, thresholds)
        metrics = evaluate(test_probabilities, test.y, point).metrics
        name = "TTA (+ mirror)" if mirrored else "plain"
        print(f"{name:15s} {ms:6.1f} ms/film  {summary(metrics)}")
    classifier.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
