"""Shortcut audit: how well a linear probe on a model's penultimate features tells which *source* a film came from.

    python -m studies.shortcut_audit --run runs/adult-abnormal-effnetlite0 [--json runs/adult-eval/shortcut.json]

Why: in the adult sources the labels were gathered from different places, so "which hospital" is a shortcut to
"which label". A model that relies on it carries the source in its features. The audit fits a logistic
regression (standardised features, balanced class weights, 5-fold stratified cross-validation, seed 0) that
predicts the source of each of the run's TEST films from the 1,280 pooled features before the classifier
(regularisation chosen by an inner cross-validation), and
reports its balanced accuracy (chance: 1/number of sources): on all films, and within each label (NORMAL
films only, ABNORMAL films only; there the source cannot be read off the label). "Before" is the frozen
ImageNet EfficientNet-Lite0 (what any film looks like to a generic network); "after" is the trained model.

It also measures the issue's anchor: a logistic regression on the *frozen* ImageNet features trained on the
run's NIH train+validation films and scored (ROC AUC, bootstrap 95% interval) on its NIH test patients.
"""

from __future__ import annotations

from trainer.extras import require_training_extras

if __name__ == "__main__":  # before the imports below: they need the training extras
    require_training_extras("studies.shortcut_audit")

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegressionCV
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from converters.datasets import load_films, split_records
from trainer.run_folder import load_keras_model, read_run
from evaluation.operating_point import BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED
from cxrcore.preprocess import InputSpec, to_model_input
from trainer.data.adult_sources import NIH, source_of
from trainer.data.datasets import data_root
from evaluation.metrics import bootstrap_interval, roc_auc_binary

FOLDS = 5
PROBE_CS = (0.001, 0.01, 0.1, 1.0)


def penultimate_features(model: Any, gray: np.ndarray, spec: InputSpec, batch_size: int = 32) -> np.ndarray:
    """(N, H, W) uint8 films → (N, F) inputs of the model's last (classifier) layer."""
    import keras

    chunks = [keras.ops.convert_to_numpy(_before_last_layer(model, to_model_input(gray[start:start + batch_size], spec)))
              for start in range(0, len(gray), batch_size)]
    return np.concatenate(chunks).astype(np.float32)


def _before_last_layer(model: Any, x: Any) -> Any:
    """Run a chain-shaped model (each layer feeds the next, as every registry model and the halves joined by
    `trainer.cached_backbone.join` are) up to its last layer, descending into a last layer that is a model."""
    import keras

    layers = [layer for layer in model.layers if not isinstance(layer, keras.layers.InputLayer)]
    for layer in layers[:-1]:
        x = layer(x, training=False)
    return _before_last_layer(layers[-1], x) if isinstance(layers[-1], keras.Model) else x


def imagenet_model(model: Any) -> Any:
    """The same architecture as ``model`` with the frozen ImageNet backbone (its classifier is never used)."""
    from trainer.models.registry import create_model

    return create_model("effnetlite0-cxr", tuple(model.inputs[0].shape[1:]), 2, weights="imagenet")


def _probe(scoring: str) -> Any:
    """Standardised logistic regression whose regularisation is chosen by an inner 3-fold CV on the fitting films,
    so neither feature set is favoured by a fixed strength."""
    return make_pipeline(StandardScaler(), LogisticRegressionCV(Cs=PROBE_CS, cv=3, scoring=scoring, max_iter=3000,
                                                                class_weight="balanced"))


def source_probe(features: np.ndarray, sources: np.ndarray) -> dict[str, Any]:
    """Cross-validated balanced accuracy of predicting the source; folds capped by the rarest source."""
    names, counts = np.unique(sources, return_counts=True)
    folds = int(min(FOLDS, counts.min()))
    predicted = cross_val_predict(_probe("balanced_accuracy"), features, sources, cv=StratifiedKFold(folds, shuffle=True, random_state=0))
    recalls = {str(name): float(np.mean(predicted[sources == name] == name)) for name in names}
    return {"balanced_accuracy": float(np.mean(list(recalls.values()))), "chance": 1.0 / len(names),
            "recall_per_source": recalls, "films": {str(n): int(c) for n, c in zip(names, counts)}, "folds": folds}


def audit(features: np.ndarray, sources: np.ndarray, labels: np.ndarray) -> dict[str, Any]:
    """The source probe on all films and within each label."""
    result = {"all": source_probe(features, sources)}
    for label in np.unique(labels):
        mask = labels == label
        result[f"{label} only"] = source_probe(features[mask], sources[mask])
    return result


def nih_anchor(features: dict[str, np.ndarray], y: dict[str, np.ndarray]) -> dict[str, Any]:
    """Linear probe trained on NIH train+val features, ROC AUC on NIH test with its bootstrap interval."""
    probe = _probe("roc_auc").fit(features["fit"], y["fit"])
    scores = probe.predict_proba(features["test"])[:, 1]

    def auc(index: np.ndarray) -> float:
        return roc_auc_binary(y["test"][index], scores[index])

    interval = bootstrap_interval(auc, y["test"], BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED)
    return {"auc": auc(np.arange(len(scores))), "ci95": None if interval is None else list(interval),
            "fit_films": int(len(y["fit"])), "test_films": int(len(y["test"]))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m studies.shortcut_audit", description=__doc__.split("\n\n")[0])
    parser.add_argument("--run", type=Path, required=True, help="training run folder (best.keras, run.json, split.csv)")
    parser.add_argument("--cache-dir", type=Path, help="decoded-image cache (default: cache/ in the repo)")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    run = read_run(args.run / "best.keras")
    trained = load_keras_model(run)
    frozen = imagenet_model(trained)
    splits = split_records(run.split_path, run.labels)
    root = data_root(run.info["dataset"]["kind"], Path(run.info["dataset"]["root"]))
    films = {name: load_films(rows, root, run.input_spec, run.labels, args.cache_dir) for name, rows in splits.items()}
    test = films["test"]
    sources = np.array([source_of(row.path) for row in test.records])
    labels = np.array([run.labels[k] for k in test.y])
    result = {
        "films": "the run's test split",
        "probe": f"logistic regression (standardised, balanced classes, C in {list(PROBE_CS)} by inner 3-fold CV), "
                 f"{FOLDS}-fold stratified CV, seed 0",
        "before_imagenet_frozen": audit(penultimate_features(frozen, test.gray, run.input_spec), sources, labels),
        "after_trained": audit(penultimate_features(trained, test.gray, run.input_spec), sources, labels),
    }
    nih = {name: np.array([source_of(row.path) == NIH for row in films[name].records]) for name in splits}
    fit_gray = np.concatenate([films[name].gray[nih[name]] for name in ("train", "val")])
    result["nih_anchor_frozen_probe"] = nih_anchor(
        {"fit": penultimate_features(frozen, fit_gray, run.input_spec),
         "test": penultimate_features(frozen, test.gray[nih["test"]], run.input_spec)},
        {"fit": np.concatenate([films[name].y[nih[name]] for name in ("train", "val")]), "test": test.y[nih["test"]]})
    for stage in ("before_imagenet_frozen", "after_trained"):
        for subset, probe in result[stage].items():
            print(f"{stage:24s} {subset:14s} source balanced accuracy {probe['balanced_accuracy']:.3f} "
                  f"(chance {probe['chance']:.3f}) {probe['recall_per_source']}")
    anchor = result["nih_anchor_frozen_probe"]
    print(f"NIH anchor (frozen ImageNet features, linear probe): AUC {anchor['auc']:.3f} {anchor['ci95']} "
          f"on {anchor['test_films']} NIH test films")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
