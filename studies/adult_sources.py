"""Per-source figures of the adult model: what predicts a new clinic is each hospital's own test, not a pooled split.

    python -m studies.adult_sources --bundle models/adult-abnormal --data ../shared/data \
        [--runs runs/adult-loso/cached-*] [--write-card] [--json runs/adult-eval/sources.json]

1. **The shipped bundle**, from its default ``.tflite`` build (`converters.recheck.split_probabilities`, the
   path CI re-measures): for each source (NIH, radiography, COVID-Net) its test films' AUC, sensitivity and
   specificity at the card's threshold, each with its 95% interval (`evaluation.operating_point.evaluate`: Wilson,
   bootstrap for the AUC), and the share of COVID-Net COVID-19 films flagged.
2. **Training runs** (``--runs``, e.g. leave-one-source-out runs trained on
   ``python -m trainer.data.compose_adult --leave-out S`` manifests), from their float Keras models: the
   temperature and the 95%-sensitivity threshold are fitted on each run's own validation films (which hold no
   film of a left-out source, as at a new clinic), then every source is scored on the run's test films. A
   source the run never trained on is "held out": all its films are test; it is also scored on exactly the
   bundle's test films of that source, for a comparison on the same films. Each run's validation films are
   scored per source too (``validation_sources``): what a choice between runs may look at.

``--write-card`` stores both in the bundle's card (``per_source``, ``leave_one_source_out``) through
`converters.card.write_card`, which re-hashes and re-seals it; ``tests/system/test_shipped_bundles.py`` re-measures
``per_source`` from the ``.tflite`` on every CI run.
"""

from __future__ import annotations

from trainer.extras import require_training_extras

if __name__ == "__main__":  # before the imports below: they need the training extras
    require_training_extras("studies.adult_sources")

import argparse
import json
import shlex
import sys
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from evaluation.calibration import fit_temperature, operating_thresholds
from converters.card import write_card
from converters.datasets import load_films, split_records
from converters.evaluate import keras_outputs
from converters.recheck import data_root, split_probabilities
from trainer.run_folder import SPLIT_FILE, load_keras_model, read_run
from evaluation.operating_point import OperatingPoint, evaluate
from cxrcore.bundle import ModelBundle, load_bundle
from cxrcore.files import sha256_file
from cxrcore.postprocess import calibrated_probabilities
from trainer.data.adult_sources import COVIDNET, SOURCES, source_of
from trainer.data.datasets import data_root as run_data_root
from evaluation.metrics import wilson_interval

TARGET_SENSITIVITY = 0.95
METHOD = ("test films of each source; AUC of P(ABNORMAL), sensitivity/specificity at the operating threshold; "
          "95% intervals: Wilson for proportions, AUC percentile bootstrap (2,000 resamples within each label, seed 0)")


def by_source(paths: Sequence[str], probabilities: np.ndarray, y: np.ndarray, point: OperatingPoint,
              restrict: set[str] | None = None) -> dict[str, Any]:
    """Metrics per source of the films at ``paths`` (optionally only those in ``restrict``); COVID-Net also
    gets the share of its COVID-19 films flagged."""
    sources = np.array([source_of(path) for path in paths])
    keep = np.array([restrict is None or path in restrict for path in paths])
    result: dict[str, Any] = {}
    for source in SOURCES:
        mask = (sources == source) & keep
        if not mask.any():
            continue
        result[source] = evaluate(probabilities[mask], y[mask], point).metrics
        if source == COVIDNET:
            result[source]["covid_flagged"] = covid_flagged(np.asarray(paths)[mask], probabilities[mask], point)
    return result


def covid_flagged(paths: Sequence[str], probabilities: np.ndarray, point: OperatingPoint) -> dict[str, Any]:
    """How many COVID-Net COVID-19 films (``…/covid/…``) are flagged at the threshold, with the Wilson interval."""
    label = point.abnormal_labels[0]
    covid = np.array(["/covid/" in path for path in paths])
    flagged = int(np.sum(probabilities[covid, point.labels.index(label)] >= point.thresholds[label]))
    interval = wilson_interval(flagged, int(covid.sum()))
    return {"flagged": flagged, "films": int(covid.sum()), "share": flagged / max(1, int(covid.sum())),
            "ci95": None if interval is None else list(interval)}


def bundle_per_source(bundle: ModelBundle, root: Path, cache_dir: Path | None = None) -> dict[str, Any]:
    """The default build's per-source test metrics, run afresh from its ``.tflite`` file."""
    kind = bundle.default_build
    records = split_records(bundle.directory / SPLIT_FILE, bundle.labels)["test"]
    probabilities, y = split_probabilities(bundle, kind, root, cache_dir=cache_dir)
    point = OperatingPoint(bundle.labels, bundle.abnormal_labels, bundle.thresholds)
    return {"build": kind, "split": "test", "method": METHOD,
            "sources": by_source([record.path for record in records], probabilities, y, point)}


def run_per_source(model_path: Path, bundle_test: set[str], cache_dir: Path | None = None) -> dict[str, Any]:
    """A training run's per-source test metrics from its Keras model, at a threshold fitted on its validation."""
    run = read_run(model_path)
    model = load_keras_model(run)
    splits = split_records(run.split_path, run.labels)
    root = run_data_root(run.info["dataset"]["kind"], Path(run.info["dataset"]["root"]))

    def probabilities_of(split: str, temperature: float = 1.0) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
        films = load_films(splits[split], root, run.input_spec, run.labels, cache_dir)
        raw = keras_outputs(model, films.gray, run)
        return ([r.path for r in films.records], raw, calibrated_probabilities(raw, run.activation, temperature), films.y)

    val_paths, val_raw, _, val_y = probabilities_of("val")
    temperature = fit_temperature(val_raw, val_y, run.activation).temperature
    val_probabilities = calibrated_probabilities(val_raw, run.activation, temperature)
    thresholds = operating_thresholds(val_probabilities, val_y, run.labels, run.abnormal_labels, TARGET_SENSITIVITY)
    point = OperatingPoint(run.labels, run.abnormal_labels, thresholds)
    paths, _, probabilities, y = probabilities_of("test", temperature)
    trained_on = sorted({source_of(row.path) for row in splits["train"]})
    held_out = [source for source in SOURCES if source not in trained_on]
    result = {"run": str(model_path.parent), "recipe": run.info["recipe"], "model_sha256": sha256_file(model_path),
              "trained_on": trained_on, "held_out": held_out, "temperature": temperature, "thresholds": thresholds,
              "threshold_fitted_on": f"the run's validation films ({len(val_y)}), target sensitivity {TARGET_SENSITIVITY}",
              "sources": by_source(paths, probabilities, y, point),
              "validation_sources": by_source(val_paths, val_probabilities, val_y, point)}
    if held_out:
        result["held_out_on_bundle_test_films"] = by_source(paths, probabilities, y, point, restrict=bundle_test)
    return result


def summary_lines(name: str, sources: dict[str, Any]) -> list[str]:
    """One printed line per source: films, AUC, sensitivity and specificity with their intervals."""
    lines = []
    for source, metrics in sources.items():
        at = metrics["at_threshold"]["ABNORMAL"]
        ci = metrics["ci95"]
        line = (f"{name:28s} {source:12s} n={metrics['n_images']:4d}  AUC {_fmt(metrics['auc'], ci['auc'])}  "
                f"sens {_fmt(at['sensitivity'], ci['at_threshold']['ABNORMAL']['sensitivity'])}  "
                f"spec {_fmt(at['specificity'], ci['at_threshold']['ABNORMAL']['specificity'])}")
        if "covid_flagged" in metrics:
            covid = metrics["covid_flagged"]
            line += f"  COVID flagged {covid['flagged']}/{covid['films']}"
        lines.append(line)
    return lines


def _fmt(value: float | None, interval: list[float] | None) -> str:
    if value is None:
        return "  n/a             "
    return f"{value:.3f} [{interval[0]:.3f}-{interval[1]:.3f}]" if interval else f"{value:.3f}"


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="python -m studies.adult_sources", description=__doc__.split("\n\n")[0])
    parser.add_argument("--bundle", type=Path, required=True, help="the adult bundle (its split.csv names the test films)")
    parser.add_argument("--data", type=Path, required=True, help="the shared data folder (holding external/)")
    parser.add_argument("--runs", type=Path, nargs="*", default=[], help="training run folders to score per source")
    parser.add_argument("--cache-dir", type=Path, help="decoded-image cache (default: cache/ in the repo)")
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    parser.add_argument("--write-card", action="store_true", help="store the figures in the bundle's card")
    args = parser.parse_args(argv)
    bundle = load_bundle(args.bundle)
    command = "python -m studies.adult_sources " + shlex.join(argv)
    shipped = {**bundle_per_source(bundle, data_root(bundle, args.data), args.cache_dir), "command": command}
    bundle_test = {row.path for row in split_records(bundle.directory / SPLIT_FILE, bundle.labels)["test"]}
    runs = [run_per_source(folder / "best.keras", bundle_test, args.cache_dir) for folder in args.runs]
    for line in summary_lines(f"{bundle.name} {shipped['build']}", shipped["sources"]):
        print(line)
    for run in runs:
        for line in summary_lines(Path(run["run"]).name, run["sources"]):
            print(line)
        for line in summary_lines(Path(run["run"]).name + " (bundle's films)", run.get("held_out_on_bundle_test_films", {})):
            print(line)
        for line in summary_lines(Path(run["run"]).name + " (validation)", run["validation_sources"]):
            print(line)
    figures = {"per_source": shipped, "leave_one_source_out": {"command": command, "runs": runs}}
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    if args.write_card:
        card = {**bundle.card, "per_source": shipped}
        if runs:
            card["leave_one_source_out"] = figures["leave_one_source_out"]
        write_card(bundle.directory, card)
        print(f"{bundle.directory / 'card.json'}: per_source" + (" and leave_one_source_out" if runs else "") + " written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
