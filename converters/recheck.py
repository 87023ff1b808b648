"""Re-measure a bundle's headline TEST metrics from its own files, so a card can never claim what a file does not do.

Reads the bundle's copy of split.csv (test rows), decodes those films from the data folder the
card names, runs each build through the app's classifier, applies the card's temperature and
thresholds, and recomputes accuracy, ROC AUC and per-label sensitivity/specificity at threshold,
with their 95% intervals. Everything on this path is deterministic (the AUC bootstrap is seeded),
so the numbers must match the card to float precision.

``python -m converters.recheck --bundle models/X --data DATA`` does this for every build the card
lists and exits 1 on any difference. ``--update`` then rewrites each build's test metrics in the card
and drift report from the re-measurement, only when every point figure already matches: how a card
gains a figure the converter learned to measure after the bundle was built (the intervals) without
retraining, and never a way to change what it claims.
"""

from __future__ import annotations

from trainer.extras import require_training_extras

if __name__ == "__main__":  # before the imports below: they need the training extras
    require_training_extras("converters.recheck")

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

import numpy as np

from cxrcore.bundle import BundleError, ModelBundle, load_bundle
from cxrcore.postprocess import calibrated_probabilities
from cxrcore.runtime import EngineError

from converters import ConversionError
from converters.card import write_card
from converters.datasets import load_films, split_records
from converters.drift import DRIFT_JSON, write_report
from converters.evaluate import build_outputs, open_build
from trainer.run_folder import RunFolderError, SPLIT_FILE
from evaluation.operating_point import OperatingPoint, evaluate
from trainer.data.records import DataError


def data_root(bundle: ModelBundle, shared_data: str | os.PathLike[str]) -> Path:
    """The dataset folder the card was measured on, under ``shared_data`` (e.g. ``../shared/data/kermany-224``)."""
    return Path(shared_data) / bundle.data_folder


def split_probabilities(
    bundle: ModelBundle, kind: str, root: str | os.PathLike[str], split: str = "test",
    cache_dir: str | os.PathLike[str] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(calibrated probabilities, true label indices) of the build on one split of the bundle's films, in
    split.csv order, run afresh from the ``.tflite`` file through the app's classifier."""
    records = split_records(bundle.directory / SPLIT_FILE, bundle.labels)[split]
    films = load_films(records, root, bundle.input_spec, bundle.labels, cache_dir)
    with open_build(bundle, kind) as classifier:
        raw = build_outputs(classifier, films.gray)
    probabilities = calibrated_probabilities(raw, bundle.output_activation, bundle.temperature)
    return probabilities, films.y


def remeasure(
    bundle: ModelBundle, kind: str, root: str | os.PathLike[str], cache_dir: str | os.PathLike[str] | None = None
) -> dict[str, Any]:
    """The build's metrics on the bundle's TEST films, computed afresh from the ``.tflite`` file."""
    probabilities, y = split_probabilities(bundle, kind, root, cache_dir=cache_dir)
    point = OperatingPoint(bundle.labels, bundle.abnormal_labels, bundle.thresholds)
    return evaluate(probabilities, y, point).metrics


def headline_mismatches(
    claimed: dict[str, Any], measured: dict[str, Any], tolerance: float = 1e-6, intervals: bool = True
) -> list[str]:
    """Headline numbers (films counted, accuracy, AUC, per-label sensitivity/specificity and, unless
    ``intervals`` is False, their 95% interval bounds) that differ."""
    pairs = [("n_images", claimed["n_images"], measured["n_images"]), *_headline_pairs(claimed, measured)]
    mismatches = [f"{name}: card says {card_value}, the file gives {value}"
                  for name, card_value, value in pairs if _differs(card_value, value, tolerance)]
    if intervals:
        mismatches += _interval_mismatches(claimed.get("ci95"), measured["ci95"], tolerance)
    return mismatches


def _interval_mismatches(claimed: dict[str, Any] | None, measured: dict[str, Any], tolerance: float) -> list[str]:
    if claimed is None:
        return ["ci95: the card states no intervals (python -m converters.recheck --update adds them)"]
    return [f"ci95 {name}: card says {bounds}, the file gives {value}"
            for name, bounds, value in _headline_pairs(claimed, measured) if _differs(bounds, value, tolerance)]


def _headline_pairs(claimed: dict[str, Any], measured: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """(name, card's value, measured value) of accuracy, AUC and each abnormal label's sensitivity and
    specificity: the same keys in a metrics block and in its ``ci95``."""
    pairs = [("accuracy", claimed["accuracy"], measured["accuracy"]), ("auc", claimed["auc"], measured["auc"])]
    pairs += [(f"{label} {metric}", values[metric], measured["at_threshold"][label][metric])
              for label, values in claimed["at_threshold"].items() for metric in ("sensitivity", "specificity")]
    return pairs


def _differs(card_value: Any, value: Any, tolerance: float) -> bool:
    """A figure or interval (null when undefined) that is absent on one side or apart by more than ``tolerance``."""
    if (card_value is None) != (value is None):
        return True
    return value is not None and float(np.max(np.abs(np.subtract(card_value, value)))) > tolerance


def recheck(bundle_dir: Path, root: Path, cache_dir: Path | None, update: bool) -> list[str]:
    """Every listed build re-measured; the differences found (point figures and intervals). With ``update``
    and no point figure differing, the re-measured test metrics replace the card's and drift report's."""
    bundle = load_bundle(bundle_dir)
    claimed = {kind: build["test_metrics"] for kind, build in bundle.builds.items()}
    measured = {kind: remeasure(bundle, kind, root, cache_dir) for kind in claimed}
    points = [f"{kind}: {problem}" for kind in claimed
              for problem in headline_mismatches(claimed[kind], measured[kind], intervals=False)]
    if update and not points:
        report = json.loads((bundle_dir / DRIFT_JSON).read_text(encoding="utf-8"))
        for kind in report["builds"]:
            report["builds"][kind]["test_metrics"] = measured[kind]
        write_report(bundle_dir, report)
        card = {**bundle.card, "builds": {kind: {**build, "test_metrics": measured[kind]}
                                          for kind, build in bundle.builds.items()}}
        write_card(bundle_dir, card)  # re-hashes drift.json/drift.md and re-seals the card
        return []
    return points + [f"{kind}: {problem}" for kind in claimed
                     for problem in _interval_mismatches(claimed[kind].get("ci95"), measured[kind]["ci95"], 1e-6)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m converters.recheck", description=__doc__.split("\n\n")[0])
    parser.add_argument("--bundle", type=Path, required=True, help="bundle folder holding card.json")
    parser.add_argument("--data", type=Path, required=True,
                        help="dataset root the bundle's split.csv paths are relative to, e.g. ../shared/data/kermany-224")
    parser.add_argument("--cache-dir", type=Path, help="the trainer's uint8 image cache folder (optional)")
    parser.add_argument("--update", action="store_true",
                        help="rewrite the test metrics (adding intervals) when every point figure matches")
    args = parser.parse_args(argv)
    try:
        problems = recheck(args.bundle, args.data, args.cache_dir, args.update)
    except (ConversionError, RunFolderError, DataError, BundleError, EngineError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for problem in problems:
        print(f"{args.bundle}: {problem}")
    if not problems:
        print(f"{args.bundle}: every build's test metrics {'updated from' if args.update else 'match'} its files")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
