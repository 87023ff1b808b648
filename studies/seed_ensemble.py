"""What averaging several trained models' probabilities would buy, from their saved evaluations.

    python -m studies.seed_ensemble runs/pneumonia-effnetlite0-full/eval-test \\
        runs/pneumonia-effnetlite0-full-seed1/eval-test [--positive PNEUMONIA]

Each folder is a ``python -m trainer.evaluate`` output on the same split (its ``predictions.csv``).
Prints, per model and for the mean of their probabilities, accuracy at p ≥ 0.5 and ROC AUC of the
positive label. A measurement, not a selection tool: run it on test only for models already chosen.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import numpy as np


from evaluation.metrics import roc_auc_binary

PREDICTIONS = "predictions.csv"


def read_predictions(folder: Path, positive: str) -> dict[str, tuple[bool, float]]:
    """path → (is positive, p(positive)) from one evaluation folder."""
    with open(folder / PREDICTIONS, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    column = f"p_{positive}"
    if rows and column not in rows[0]:
        raise SystemExit(f"{folder / PREDICTIONS} has no column {column!r}")
    return {row["path"]: (row["label"] == positive, float(row[column])) for row in rows}


def ensemble_rows(folders: list[Path], positive: str) -> list[tuple[str, float, float]]:
    """(name, accuracy at 0.5, AUC) for each folder, then for the mean of their probabilities."""
    runs = [read_predictions(folder, positive) for folder in folders]
    paths = sorted(runs[0])
    for folder, run in zip(folders, runs):
        if sorted(run) != paths:
            raise SystemExit(f"{folder} was evaluated on other films than {folders[0]}: not comparable")
    truth = np.array([runs[0][path][0] for path in paths])
    probabilities = np.array([[run[path][1] for path in paths] for run in runs])
    named = [(str(folder), p) for folder, p in zip(folders, probabilities)] + [("mean", probabilities.mean(axis=0))]
    return [(name, float(((p >= 0.5) == truth).mean()), roc_auc_binary(truth.astype(int), p)) for name, p in named]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", type=Path, nargs="+", help="trainer.evaluate output folders (2 or more)")
    parser.add_argument("--positive", default="PNEUMONIA", help="label whose probability is averaged")
    args = parser.parse_args(argv)
    if len(args.folders) < 2:
        parser.error("give at least two evaluation folders")
    for name, accuracy, auc in ensemble_rows(args.folders, args.positive):
        print(f"{name:<60} accuracy {accuracy:.4f}  AUC {auc:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
