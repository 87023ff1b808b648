"""Evaluate a trained checkpoint on its run's val or test split: JSON, Markdown and PNG plots.

    python -m trainer.evaluate --model runs/p1-baseline/best.keras --data ../shared/data/kermany-224 \
        --split test --out runs/p1-baseline/eval-test

The films are exactly the run's: the rows of ``split.csv`` beside the model, each checked
against its recorded SHA-256 (a changed file stops the evaluation, naming it). Input scaling
and labels come from ``run.json`` (`trainer.run_folder.read_run`, which also refuses a split.csv
changed since training). Writes ``metrics.json``, ``report.md``, ``predictions.csv``
and ``confusion_matrix.png``, ``roc.png``, ``reliability.png``, ``training_curves.png``.
The training split is refused: metrics on training data say nothing about a model.
"""

from __future__ import annotations

from trainer.extras import require_training_extras

if __name__ == "__main__":  # before the imports below: they need the training extras
    require_training_extras("trainer.evaluate")

import argparse
import csv
import json
import math
import sys
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from cxrcore.postprocess import calibrated_probabilities
from cxrcore.preprocess import InputSpec
from evaluation import metrics
from trainer.backend import BACKENDS, select_backend
from trainer.data.cache import load_gray_cache
from trainer.data.datasets import data_root
from trainer.data.fingerprints import hash_files
from trainer.data.manifest import SplitRow, read_split_manifest
from trainer.data.records import DataError
from trainer.run_folder import RunFolderError, read_run

ECE_BINS = 15


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m trainer.evaluate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True, type=Path, help="a .keras checkpoint inside a run folder")
    parser.add_argument("--data", required=True, type=Path, help="the dataset folder or manifest the run used")
    parser.add_argument("--split", default="test", choices=("val", "test"))
    parser.add_argument("--out", required=True, type=Path, help="folder for the report")
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--backend", choices=BACKENDS)
    parser.add_argument("--cache-dir", type=Path, help="decoded-image cache folder (default: cache/ in the repo)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    select_backend(args.backend)
    try:
        result = evaluate(args.model, args.data, args.split, args.out, args.batch, args.cache_dir)
    except (DataError, RunFolderError, FileNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"{args.split}: {result['count']} films, accuracy {result['accuracy']:.4f}; report in {args.out}")
    return 0


def evaluate(model_path: Path, data: Path, split: str, out: Path, batch_size: int = 64,
             cache_dir: Path | None = None) -> dict[str, Any]:
    if split not in ("val", "test"):
        raise DataError(f"refusing to evaluate on the {split!r} split: only val or test")
    run = read_run(model_path)
    info = run.info
    rows = [row for row in read_split_manifest(run.split_path) if row.split == split]
    if not rows:
        raise DataError(f"{run.split_path}: no films in the {split} split")
    root = data_root(info["dataset"]["kind"], data)
    _verify(rows, root)
    spec = run.input_spec
    cache = load_gray_cache(rows, root, spec.height, spec.width, cache_dir)
    probabilities = _predict(model_path, cache.images, spec, batch_size, run.activation)
    labels = run.labels
    y_true = np.array([labels.index(row.label) for row in rows])
    result = summarize(y_true, probabilities, labels, run.abnormal_labels)
    result.update(model=str(model_path), split=split, recipe=info["recipe"], data_notes=info.get("data", {}).get("notes", []))
    out.mkdir(parents=True, exist_ok=True)
    (out / "metrics.json").write_text(json.dumps(_json_safe(result), indent=2), encoding="utf-8")
    _write_predictions(out / "predictions.csv", rows, probabilities, labels)
    _plot_all(out, run.directory, y_true, probabilities, labels, result)
    (out / "report.md").write_text(markdown_report(result, labels), encoding="utf-8")
    return result


def _verify(rows: list[SplitRow], root: Path) -> None:
    for row, digest in zip(rows, hash_files([root / row.path for row in rows])):
        if digest != row.sha256:
            raise DataError(f"{root / row.path}: content differs from split.csv (or is unreadable); "
                            "this is not the film the run was split on")


def _predict(model_path: Path, images: np.ndarray, spec: InputSpec, batch_size: int, activation: str) -> np.ndarray:
    import keras

    from trainer.backend import float32_model
    from trainer.data.pipeline import FilmBatches
    from trainer.models.registry import list_models

    list_models()  # registers the zoo's custom layers before loading
    model = float32_model(keras.saving.load_model(model_path, compile=False))  # what a conversion ships
    raw = model.predict(FilmBatches(images, np.arange(len(images)), spec, batch_size), verbose=0)
    return calibrated_probabilities(raw, activation)


def summarize(y_true: np.ndarray, probabilities: np.ndarray, labels: Sequence[str],
              abnormal_labels: Sequence[str]) -> dict[str, Any]:
    """Every reported number, from true class indices and (N, K) probabilities."""
    count = len(labels)
    y_pred = probabilities.argmax(axis=1)
    prf = metrics.per_class_prf(y_true, y_pred, count)
    abnormal = [labels.index(label) for label in abnormal_labels]
    sensitivity, specificity = metrics.sensitivity_specificity(y_true, y_pred, abnormal)
    if count == 2:
        auc: dict[str, Any] = {"positive_class": labels[1], "auc": _binary_auc(y_true, probabilities[:, 1])}
    else:
        ovr = metrics.roc_auc_ovr(y_true, probabilities)
        auc = {"per_class": dict(zip(labels, ovr["per_class"])), "macro": ovr["macro"]}
    return {
        "count": int(len(y_true)),
        "accuracy": metrics.accuracy(y_true, y_pred),
        "confusion_matrix": metrics.confusion_matrix(y_true, y_pred, count).tolist(),
        "per_class": {
            label: {key: float(prf[key][k]) if key != "support" else int(prf[key][k])
                    for key in ("precision", "recall", "f1", "support")}
            for k, label in enumerate(labels)
        },
        "macro_f1": float(np.mean(prf["f1"])),
        "roc_auc": auc,
        f"ece_{ECE_BINS}_bins": metrics.expected_calibration_error(y_true, probabilities, ECE_BINS),
        "screening": {"abnormal_labels": list(abnormal_labels), "sensitivity": sensitivity, "specificity": specificity},
    }


def _binary_auc(y_true: np.ndarray, scores: np.ndarray) -> float:
    try:
        return metrics.roc_auc_binary(y_true, scores)
    except ValueError:  # one class absent from this split: no AUC exists
        return float("nan")


def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_safe(item) for item in value]
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _write_predictions(path: Path, rows: list[SplitRow], probabilities: np.ndarray, labels: Sequence[str]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["path", "label", "predicted", *[f"p_{label}" for label in labels]])
        for row, probs in zip(rows, probabilities):
            writer.writerow([row.path, row.label, labels[int(probs.argmax())], *[f"{p:.6f}" for p in probs]])


def markdown_report(result: dict[str, Any], labels: Sequence[str]) -> str:
    def number(value: float) -> str:
        return "n/a" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{value:.4f}"

    auc = result["roc_auc"]
    auc_text = (f"{number(auc['auc'])} (positive class {auc['positive_class']})" if "auc" in auc else
                f"macro {number(auc['macro'])}; " + ", ".join(f"{k} {number(v)}" for k, v in auc["per_class"].items()))
    lines = [
        f"# Evaluation: {result['recipe']} on the {result['split']} split",
        "",
        f"Model `{result['model']}`, {result['count']} films.",
        "",
        f"- accuracy **{number(result['accuracy'])}**, macro F1 {number(result['macro_f1'])}",
        f"- ROC AUC (one-vs-rest): {auc_text}",
        f"- expected calibration error ({ECE_BINS} bins): {number(result[f'ece_{ECE_BINS}_bins'])}",
        f"- screening (abnormal = {', '.join(result['screening']['abnormal_labels'])}): sensitivity "
        f"{number(result['screening']['sensitivity'])}, specificity {number(result['screening']['specificity'])}",
        "",
        "| class | precision | recall | F1 | support |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| {label} | {number(v['precision'])} | {number(v['recall'])} | {number(v['f1'])} | {v['support']} |"
              for label, v in result["per_class"].items()]
    lines += ["", "Confusion matrix (rows true, columns predicted):", "",
              "| | " + " | ".join(labels) + " |", "|---" * (len(labels) + 1) + "|"]
    lines += [f"| {label} | " + " | ".join(str(c) for c in row) + " |"
              for label, row in zip(labels, result["confusion_matrix"])]
    if result["data_notes"]:
        lines += ["", "Data hazards recorded at training time:", ""] + [f"- {note}" for note in result["data_notes"]]
    lines += ["", "![confusion matrix](confusion_matrix.png) ![ROC](roc.png) ![reliability](reliability.png) "
              "![training curves](training_curves.png)", ""]
    return "\n".join(lines)


def _plot_all(out: Path, run_dir: Path, y_true: np.ndarray, probabilities: np.ndarray, labels: Sequence[str],
              result: dict[str, Any]) -> None:
    plt = _pyplot()
    matrix = np.array(result["confusion_matrix"])
    figure, axis = plt.subplots(figsize=(1.2 * len(labels) + 3, 1.2 * len(labels) + 2.5))
    axis.imshow(matrix, cmap="Blues")
    for (i, j), value in np.ndenumerate(matrix):
        axis.text(j, i, str(value), ha="center", va="center", color="black" if value < matrix.max() / 2 else "white")
    axis.set(xticks=range(len(labels)), yticks=range(len(labels)), xticklabels=labels, yticklabels=labels,
             xlabel="predicted", ylabel="true", title=f"{result['recipe']} — {result['split']}")
    _save(plt, figure, out / "confusion_matrix.png")

    figure, axis = plt.subplots(figsize=(5, 5))
    curves = [(labels[1], y_true == 1, probabilities[:, 1])] if len(labels) == 2 else \
        [(label, y_true == k, probabilities[:, k]) for k, label in enumerate(labels)]
    for label, positive, scores in curves:
        if 0 < positive.sum() < len(positive):
            fpr, tpr = metrics.roc_curve_binary(positive.astype(int), scores)
            axis.plot(fpr, tpr, label=f"{label} (AUC {metrics.roc_auc_binary(positive.astype(int), scores):.3f})")
    axis.plot([0, 1], [0, 1], "k:", linewidth=1)
    axis.set(xlabel="false positive rate", ylabel="true positive rate", title="ROC (one-vs-rest)")
    axis.legend(loc="lower right")
    _save(plt, figure, out / "roc.png")

    table = metrics.reliability_bins(y_true, probabilities, ECE_BINS)
    centers = (np.arange(ECE_BINS) + 0.5) / ECE_BINS
    used = table["count"] > 0
    figure, axis = plt.subplots(figsize=(5, 5))
    axis.bar(centers[used], table["accuracy"][used], width=1 / ECE_BINS, edgecolor="k", alpha=0.7, label="accuracy")
    axis.plot([0, 1], [0, 1], "k:", linewidth=1, label="perfect calibration")
    axis.set(xlabel="confidence (top label)", ylabel="accuracy", xlim=(0, 1), ylim=(0, 1),
             title=f"reliability — ECE {result[f'ece_{ECE_BINS}_bins']:.3f}")
    axis.legend(loc="upper left")
    _save(plt, figure, out / "reliability.png")

    _plot_history(run_dir / "history.csv", out / "training_curves.png", plt)


def _plot_history(history: Path, target: Path, plt) -> None:
    figure, axes = plt.subplots(1, 2, figsize=(10, 4))
    if history.is_file():
        with open(history, newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        epochs = [int(row["epoch"]) + 1 for row in rows]
        for axis, metric in zip(axes, ("loss", "accuracy")):
            for key in (metric, f"val_{metric}"):
                if rows and key in rows[0]:
                    axis.plot(epochs, [float(row[key]) for row in rows], marker="o", label=key)
            axis.set(xlabel="epoch", title=metric)
            axis.legend()
    else:
        axes[0].text(0.5, 0.5, "no history.csv beside the model", ha="center")
    _save(plt, figure, target)


def _pyplot():
    """matplotlib's pyplot on the file-only Agg backend (no display needed, none opened)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _save(plt, figure, path: Path) -> None:
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


if __name__ == "__main__":
    sys.exit(main())
