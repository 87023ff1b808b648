"""Re-measure a bundle's headline TEST metrics from its own files, so a card can never claim what a file does not do.

Reads the bundle's copy of split.csv (test rows), decodes those films from the data folder the
card names, runs each build through the app's classifier, applies the card's temperature and
thresholds, and recomputes accuracy, ROC AUC and per-label sensitivity/specificity at threshold.
Everything on this path is deterministic, so the numbers must match the card to float precision.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from cxrcore.bundle import ModelBundle
from cxrcore.postprocess import calibrated_probabilities

from converters.datasets import load_films, split_records
from converters.evaluate import build_outputs, open_build
from converters.runfolder import SPLIT_FILE
from converters.screening import OperatingPoint, evaluate


def data_root(bundle: ModelBundle, shared_data: str | os.PathLike[str]) -> Path:
    """The dataset folder the card was measured on, under ``shared_data`` (e.g. ``../shared/data/kermany-224``)."""
    return Path(shared_data) / bundle.card["evaluation"]["data_folder"]


def remeasure(
    bundle: ModelBundle, kind: str, root: str | os.PathLike[str], cache_dir: str | os.PathLike[str] | None = None
) -> dict[str, Any]:
    """The build's metrics on the bundle's TEST films, computed afresh from the ``.tflite`` file."""
    test = split_records(bundle.directory / SPLIT_FILE, bundle.labels)["test"]
    films = load_films(test, root, bundle.input_spec, bundle.labels, cache_dir)
    raw = build_outputs(open_build(bundle, kind), films.gray)
    probabilities = calibrated_probabilities(raw, bundle.card["output_activation"], bundle.temperature)
    point = OperatingPoint(bundle.labels, bundle.abnormal_labels, bundle.thresholds)
    return evaluate(probabilities, films.y, point).metrics


def headline_mismatches(claimed: dict[str, Any], measured: dict[str, Any], tolerance: float = 1e-6) -> list[str]:
    """Headline numbers (films counted, accuracy, AUC, per-label sensitivity/specificity) that differ."""
    pairs = [("n_images", claimed["n_images"], measured["n_images"]),
             ("accuracy", claimed["accuracy"], measured["accuracy"]),
             ("auc", claimed["auc"], measured["auc"])]
    for label, values in claimed["at_threshold"].items():
        for metric in ("sensitivity", "specificity"):
            pairs.append((f"{label} {metric}", values[metric], measured["at_threshold"][label][metric]))
    return [
        f"{name}: card says {card_value}, the file gives {value}"
        for name, card_value, value in pairs
        if (card_value is None) != (value is None) or (value is not None and abs(card_value - value) > tolerance)
    ]
