"""Does what separates NORMAL from ABNORMAL in one adult source separate them in another?

    python -m studies.probe_transfer --bundle models/adult-abnormal --data ../shared/data/external \
        [--json runs/adult-eval/probe-transfer.json]

Why: trained on every adult source, `adult-abnormal` ranks NIH's test patients at AUC 0.79, while a
linear probe on *frozen* ImageNet features trained on NIH alone reaches 0.88. This study asks whether
that is a training failure or a conflict between the sources' labels. On the bundle's own split
(train → fit, validation → score; the test films are never read) it fits one linear probe per training
set (each source alone, and all sources with the trainer's source-and-label weights) on the frozen
ImageNet EfficientNet-Lite0 features, and scores every source's validation films: a transfer matrix.
Radiography is also scored by sub-collection, because its NORMAL films and its Lung_Opacity films both
come from RSNA (NIH films re-read), while its COVID films come from other hospitals.

Probe: standardised logistic regression, C in `PROBE_CS` chosen by an inner 3-fold CV on the fitting
films (ROC AUC), classes balanced (or, for "all", the trainer's per-film weights). AUC intervals:
percentile bootstrap within each label (2,000 resamples, seed 0).
"""

from __future__ import annotations

from trainer.extras import require_training_extras

if __name__ == "__main__":  # before the imports below: they need the training extras
    require_training_extras("studies.probe_transfer")

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Mapping

import numpy as np
from sklearn.linear_model import LogisticRegressionCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from converters.datasets import load_films, split_records
from cxrcore.preprocess import InputSpec
from evaluation.metrics import bootstrap_interval, roc_auc_binary
from evaluation.operating_point import BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED
from studies.shortcut_audit import PROBE_CS, penultimate_features
from trainer.data.adult_sources import RADIOGRAPHY, SOURCES, source_label_weights, source_of

#: Training set of the probe fitted on every source with the trainer's weights.
ALL_SOURCES = "all (trainer weights)"
#: Radiography's sub-collections, by the class folder in the path: (name, ABNORMAL folder kept).
RADIOGRAPHY_PARTS = (("radiography: Normal vs Lung_Opacity (both RSNA)", "Lung_Opacity"),
                     ("radiography: Normal vs COVID (other hospitals)", "COVID"))


def fit_probe(features: np.ndarray, y: np.ndarray, weights: np.ndarray | None = None) -> Any:
    """Standardised logistic regression, C by inner 3-fold CV (ROC AUC); balanced classes unless weighted."""
    probe = make_pipeline(StandardScaler(), LogisticRegressionCV(
        Cs=PROBE_CS, cv=3, scoring="roc_auc", max_iter=5000, class_weight=None if weights is not None else "balanced"))
    return probe.fit(features, y, logisticregressioncv__sample_weight=weights) if weights is not None \
        else probe.fit(features, y)


def scored_auc(y: np.ndarray, scores: np.ndarray) -> dict[str, Any]:
    """ROC AUC with its bootstrap interval and the film counts; None where one label is missing."""
    counts = {"normal": int(np.sum(y == 0)), "abnormal": int(np.sum(y == 1))}
    if min(counts.values()) == 0:
        return {"auc": None, "ci95": None, **counts}
    interval = bootstrap_interval(lambda index: roc_auc_binary(y[index], scores[index]), y,
                                  BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED)
    return {"auc": roc_auc_binary(y, scores), "ci95": None if interval is None else list(interval), **counts}


def transfer_matrix(fit: Mapping[str, np.ndarray], score: Mapping[str, np.ndarray],
                    training_sets: Mapping[str, np.ndarray], evaluation: Mapping[str, np.ndarray],
                    weights: Mapping[str, np.ndarray] | None = None) -> dict[str, dict[str, Any]]:
    """{training set: {fit_films, evaluation group: AUC}}: one probe per training set, scored on every group.

    ``fit`` and ``score`` hold ``features`` (N, F) and ``y`` (N,) in {0, 1}; ``training_sets`` and
    ``evaluation`` map names to boolean masks over them; ``weights`` gives per-film weights (over the
    masked films) for the training sets fitted with weights instead of balanced classes. A training set
    with fewer than 3 films of a label is skipped: the inner 3-fold CV needs them."""
    weights = weights or {}
    matrix: dict[str, dict[str, Any]] = {}
    for name, mask in training_sets.items():
        if min(np.bincount(fit["y"][mask], minlength=2)) < 3:
            continue
        probe = fit_probe(fit["features"][mask], fit["y"][mask], weights.get(name))
        scores = probe.predict_proba(score["features"])[:, 1]
        matrix[name] = {"fit_films": int(mask.sum()),
                        **{group: scored_auc(score["y"][rows], scores[rows]) for group, rows in evaluation.items()}}
    return matrix


def evaluation_groups(paths: list[str], y: np.ndarray) -> dict[str, np.ndarray]:
    """Each source's films, and radiography's two comparisons (its NORMAL films are in both)."""
    sources = np.array([source_of(path) for path in paths])
    groups = {source: sources == source for source in SOURCES}
    for name, folder in RADIOGRAPHY_PARTS:
        in_folder = np.array([f"/{folder}/" in path for path in paths])
        groups[name] = (sources == RADIOGRAPHY) & ((y == 0) | in_folder)
    return groups


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m studies.probe_transfer", description=__doc__.split("\n\n")[0])
    parser.add_argument("--bundle", type=Path, required=True, help="adult bundle (card.json, split.csv)")
    parser.add_argument("--data", type=Path, required=True, help="folder split.csv paths are relative to")
    parser.add_argument("--cache-dir", type=Path, help="decoded-image cache (default: cache/ in the repo)")
    parser.add_argument("--json", type=Path, help="also write the matrix to this JSON file")
    args = parser.parse_args(argv)
    card = json.loads((args.bundle / "card.json").read_text(encoding="utf-8"))
    labels, spec = card["labels"], InputSpec.from_dict(card["input"])
    splits = split_records(args.bundle / "split.csv", labels)
    films = {name: load_films(splits[name], args.data, spec, labels, args.cache_dir) for name in ("train", "val")}

    from trainer.models.registry import create_model, list_models

    list_models()
    frozen = create_model("effnetlite0-cxr", (spec.height, spec.width, spec.channels), 2, weights="imagenet")
    sets = {name: {"features": penultimate_features(frozen, part.gray, spec), "y": part.y.astype(int)}
            for name, part in films.items()}
    train_paths = [row.path for row in films["train"].records]
    train_sources = np.array([source_of(path) for path in train_paths])
    training_sets = {source: train_sources == source for source in SOURCES}
    training_sets[ALL_SOURCES] = np.ones(len(train_paths), dtype=bool)
    weights, _ = source_label_weights(train_paths, [row.label for row in films["train"].records])
    evaluation = evaluation_groups([row.path for row in films["val"].records], sets["val"]["y"])
    matrix = transfer_matrix(sets["train"], sets["val"], training_sets, evaluation, {ALL_SOURCES: weights})
    groups = list(evaluation)
    print("probe fitted on ↓ / validation AUC on →: " + " | ".join(groups))
    for name, row in matrix.items():
        cells = [f"{row[g]['auc']:.3f} ({row[g]['ci95'][0]:.2f}–{row[g]['ci95'][1]:.2f})"
                 if g in row and row[g]["auc"] is not None and row[g]["ci95"] else "–" for g in groups]
        print(f"{name} ({row['fit_films']} films): " + " | ".join(cells))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"films": "train → fit, validation → score; test never read",
                                         "features": "frozen ImageNet EfficientNet-Lite0, pooled 1,280",
                                         "matrix": matrix}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
