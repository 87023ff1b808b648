"""``python -m converters.quantize``: a training run → a model bundle with builds, a drift report and a card.

The order is the method: calibrate and choose the operating point on VALIDATION (float Keras
model) → measure the Keras model on TEST as the reference → convert each build (int8 calibrated
on TRAIN films) and measure it on TEST through the app's classifier → gate → if int8 failed,
keep its most sensitive layers in float (chosen on VALIDATION) and re-measure → time every build
→ choose the default → reference films → drift.json/drift.md → card.json → reload and self-check.

Exit status: 0 every requested build passed; 1 a build failed the gate (everything is still
written, and the bundle is usable if any build passed); 2 the conversion could not be done.
"""

from __future__ import annotations

from trainer.extras import require_training_extras

if __name__ == "__main__":  # before the imports below: they need the training extras
    require_training_extras("converters.quantize")

import argparse
import shutil
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from cxrcore.bundle import BUILD_KINDS, BundleError, ModelBundle, load_bundle
from cxrcore.classifier import Classifier
from cxrcore.postprocess import calibrated_probabilities
from cxrcore.preprocess import to_model_input
from cxrcore.runtime import EngineError, route_native_stderr

from converters import ConversionError
from converters.cli import run_tool
from converters.builds import INT8_IO_TYPES, build_file, convert
from evaluation.calibration import (
    ECE_BINS,
    TemperatureFit,
    fit_temperature,
    fitting_warnings,
    operating_thresholds,
    shipped_build_warnings,
)
from converters.card import default_descriptions, previous_descriptions, read_card_extra, training_section, write_card
from converters.datasets import LabelledFilms, load_films, split_records, stratified_sample
from converters.drift import BuildReport, GateLimits, compare, gate_reasons, write_report
from converters.evaluate import keras_outputs, open_build, staging_bundle
from converters.layer_debug import rank_layers, selective_int8
from converters.measure import Scoring, choose_default, measure_build
from converters.references import check_reference_outputs, copy_reference_films
from trainer.run_folder import RunFolderError, SPLIT_FILE, TrainingRun, load_keras_model, read_run
from converters.safety_card import attach as attach_safety_checks
from evaluation.operating_point import Evaluation, OperatingPoint, evaluate
from trainer.data.manifest import SplitRow
from trainer.data.records import DataError

PROGRAM = "python -m converters.quantize"
#: Files and folders a previous conversion left in the bundle; removed so no stale build lingers.
_OWNED = ("model_*.tflite", "drift.json", "drift.md", SPLIT_FILE, "reference")
NATIVE_LOG = Path(tempfile.gettempdir()) / "cxr-converters-native.log"


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog=PROGRAM, description="Convert a training run into a model bundle: builds, drift gate, calibration, card."
    )
    parser.add_argument("--model", required=True, help="best.keras inside a training run folder (run.json, split.csv)")
    parser.add_argument("--data", required=True, help="dataset root that split.csv paths are relative to")
    parser.add_argument("--out", required=True, help="bundle folder to write, e.g. models/pneumonia-pediatric")
    parser.add_argument("--builds", default=",".join(BUILD_KINDS), help="comma list of %(default)s")
    parser.add_argument("--calibration-size", type=int, default=200, help="TRAIN films for int8 calibration")
    parser.add_argument("--max-disagreement", type=float, default=0.01,
                        help="gate: largest share of test films whose shown label differs from Keras")
    parser.add_argument("--max-accuracy-drop", type=float, default=0.01, help="gate: largest test accuracy drop")
    parser.add_argument("--max-sensitivity-drop", type=float, default=0.01,
                        help="gate: largest drop of any abnormal label's sensitivity at its threshold")
    parser.add_argument("--target-sensitivity", type=float, default=0.95, help="per abnormal label, on validation")
    parser.add_argument("--card-extra", help="JSON with task, intended_use, limitations, training_notes, …")
    parser.add_argument("--name", help="bundle name (default: kept from the existing card, else the folder name)")
    parser.add_argument("--version", help="bundle version (default: kept from the existing card, else 0.1.0)")
    parser.add_argument("--int8-io", choices=INT8_IO_TYPES, default="int8", help="int8 build input/output type")
    parser.add_argument("--max-float-layers", type=int, default=8, help="selective int8 limit (0: do not try)")
    parser.add_argument("--float-layers-step", type=int, default=2, help="layers kept in float per selective round")
    parser.add_argument("--reference-count", type=int, default=4, help="TEST films copied into reference/")
    parser.add_argument("--latency-runs", type=int, default=50, help="timed runs per build and thread count")
    parser.add_argument("--seed", type=int, default=0, help="seed for every sample drawn (calibration, references)")
    parser.add_argument("--cache-dir", help="the trainer's uint8 image cache folder (optional)")
    parser.add_argument("--safety-dir", help="copy the safety checks' figures from DIR/safety.json into the card "
                                             "(converters.safety_card; the shipped bundles use models/_safety)")
    args = parser.parse_args(argv)
    args.builds = _parse_builds(parser, args.builds)
    if args.calibration_size < 1 or args.reference_count < 1 or args.latency_runs < 1:
        parser.error("--calibration-size, --reference-count and --latency-runs must be positive")
    if args.max_float_layers < 0 or args.float_layers_step < 1:
        parser.error("--max-float-layers must be ≥ 0 and --float-layers-step ≥ 1")
    if not 0.0 < args.target_sensitivity <= 1.0:
        parser.error("--target-sensitivity must be in (0, 1]")
    try:
        args.limits = GateLimits(args.max_disagreement, args.max_accuracy_drop, args.max_sensitivity_drop)
    except ValueError as error:
        parser.error(str(error))
    return args


def _parse_builds(parser: argparse.ArgumentParser, text: str) -> list[str]:
    kinds = list(dict.fromkeys(kind.strip() for kind in text.split(",") if kind.strip()))
    unknown = [kind for kind in kinds if kind not in BUILD_KINDS]
    if unknown or not kinds:
        parser.error(f"--builds must name some of {', '.join(BUILD_KINDS)}; unknown: {unknown}")
    return kinds


def main(argv: Sequence[str] | None = None) -> int:
    return run_tool(PROGRAM, argv, parse_args, lambda args, created_by: Conversion(args, created_by).run(),
                    (ConversionError, RunFolderError, DataError, BundleError, EngineError))


class Conversion:
    """One run of the converter; each method is one step of the module docstring's order."""

    def __init__(self, args: argparse.Namespace, created_by: str) -> None:
        self.args = args
        self.created_by = created_by
        self.out = Path(args.out).resolve()
        self.data_root = Path(args.data).resolve()
        self.run_info: TrainingRun = read_run(args.model)
        self.limits: GateLimits = args.limits
        # Set by run() as it goes: films per split, the validation fit, the reference films.
        self.split_counts: dict[str, int]
        self.temperature: float
        self.point: OperatingPoint
        self.reference_films: list[str]
        self.warnings: list[str] = []

    def log(self, message: str) -> None:
        print(f"[quantize] {message}", flush=True)

    def run(self) -> int:
        run = self.run_info
        descriptions = self._descriptions()
        self._clear_previous_artefacts()
        model = load_keras_model(run)
        splits = split_records(run.split_path, run.labels)
        self.split_counts = {name: len(rows) for name, rows in splits.items()}
        self.log(" / ".join(f"{count} {name}" for name, count in self.split_counts.items()) + " films in split.csv")
        val, test = (self._films(splits[name]) for name in ("val", "test"))
        calibration_films = self._films(stratified_sample(splits["train"], self.args.calibration_size, self.args.seed))
        representative = to_model_input(calibration_films.gray, run.input_spec)

        fit, val_reference = self._fit_operating_point(model, val)
        self.log(f"temperature {fit.temperature:.4f}, thresholds {self.point.thresholds} (validation, Keras model)")
        test_reference = evaluate(self._calibrated(keras_outputs(model, test.gray, run)), test.y, self.point)
        self.reference_films = copy_reference_films(
            splits["test"], self.data_root, self.out, self.args.reference_count, self.args.seed
        )

        files = {}
        for kind in self.args.builds:
            (self.out / build_file(kind)).write_bytes(convert(model, kind, representative, self.args.int8_io))
            files[kind] = build_file(kind)
        bundle = staging_bundle(self.out, run, files, fit.temperature, self.point.thresholds)
        measured = {kind: self._measure(bundle, kind, test, test_reference) for kind in files}
        selective = None
        if "int8" in measured and measured["int8"][0].reasons and self.args.max_float_layers > 0:
            selective, measured["int8"] = self._selective_int8(model, representative, bundle, val, val_reference,
                                                               test, test_reference, measured["int8"][0].reasons)
        reports = {kind: report for kind, (report, _) in measured.items()}
        for kind, report in reports.items():
            self.log(f"{kind}: {report.status}" + (f" ({'; '.join(report.reasons)})" if report.reasons else ""))
        default, reason = choose_default({kind: report.latency_ms for kind, report in reports.items()},
                                         [kind for kind, report in reports.items() if report.status == "passed"])
        self.log(f"default build: {default or 'none'} ({reason})")
        if default:
            with open_build(bundle, default) as classifier:
                metrics = self._evaluate(classifier, val).metrics
            self.warnings += shipped_build_warnings(default, metrics, self.args.target_sensitivity)

        shutil.copyfile(run.split_path, self.out / SPLIT_FILE)
        references = [entry for kind, (report, entries) in measured.items() if report.status == "passed"
                      for entry in entries]
        write_report(self.out, self._drift_report(test_reference, reports, default, reason, selective))
        write_card(self.out, self._card(descriptions, fit, val_reference, test_reference, reports, default, reason,
                                        selective, references, len(calibration_films)))
        if not default:
            raise ConversionError(f"no build passed the drift gate; see {self.out / 'drift.md'}")
        if self.args.safety_dir:
            attach_safety_checks(self.out, Path(self.args.safety_dir))
            self.log(f"card holds the safety checks' figures from {self.args.safety_dir}")
        self._self_check()
        return 0 if all(report.status == "passed" for report in reports.values()) else 1

    def _films(self, records: Sequence[SplitRow]) -> LabelledFilms:
        run = self.run_info
        return load_films(records, self.data_root, run.input_spec, run.labels, self.args.cache_dir)

    def _descriptions(self) -> dict[str, Any]:
        extra = read_card_extra(self.args.card_extra) if self.args.card_extra else {}
        return {**default_descriptions(self.run_info), **previous_descriptions(self.out), **extra}

    def _clear_previous_artefacts(self) -> None:
        self.out.mkdir(parents=True, exist_ok=True)
        for pattern in _OWNED:
            for path in self.out.glob(pattern):
                shutil.rmtree(path) if path.is_dir() else path.unlink()

    def _calibrated(self, raw: np.ndarray) -> np.ndarray:
        return calibrated_probabilities(raw, self.run_info.activation, self.temperature)

    def _fit_operating_point(self, model: Any, val: LabelledFilms) -> tuple[TemperatureFit, Evaluation]:
        """Temperature and thresholds from the float Keras model on VALIDATION films; sets temperature and point."""
        run = self.run_info
        raw = keras_outputs(model, val.gray, run)
        try:
            fit = fit_temperature(raw, val.y, run.activation)
            self.temperature = fit.temperature
            probabilities = self._calibrated(raw)
            thresholds = operating_thresholds(
                probabilities, val.y, run.labels, run.abnormal_labels, self.args.target_sensitivity
            )
        except ValueError as error:
            raise ConversionError(f"validation split: {error}") from error
        self.point = OperatingPoint(run.labels, run.abnormal_labels, thresholds)
        self.warnings += fitting_warnings(fit, val.y, run.labels, run.abnormal_labels)
        for warning in self.warnings:
            self.log(f"WARNING: {warning}")
        return fit, evaluate(probabilities, val.y, self.point)

    def _scoring(self) -> Scoring:
        return Scoring(self.run_info.activation, self.temperature, self.point)

    def _evaluate(self, classifier: Classifier, films: LabelledFilms) -> Evaluation:
        return self._scoring().evaluate(classifier, films)

    def _measure(
        self, bundle: ModelBundle, kind: str, test: LabelledFilms, reference: Evaluation,
        float_layers: list[str] | None = None,
    ) -> tuple[BuildReport, list[dict[str, Any]]]:
        return measure_build(bundle, kind, test, reference, self._scoring(), self.limits, self.reference_films,
                             self.args.latency_runs, float_layers)

    def _selective_int8(
        self,
        model: Any,
        representative: np.ndarray,
        bundle: ModelBundle,
        val: LabelledFilms,
        val_reference: Evaluation,
        test: LabelledFilms,
        test_reference: Evaluation,
        full_reasons: list[str],
    ) -> tuple[dict[str, Any], tuple[BuildReport, list[dict[str, Any]]]]:
        """Rebuild int8 with its most sensitive layers in float (chosen on VALIDATION), then measure it on TEST."""
        self.log("int8 failed the gate; ranking its layers with the quantization debugger")
        ranking, calibrated = rank_layers(model, representative, self.args.int8_io)
        target = bundle.build_path("int8")

        def validation_reasons(candidate: bytes) -> list[str]:
            target.write_bytes(candidate)
            with open_build(bundle, "int8") as classifier:
                drift = compare(val_reference, self._evaluate(classifier, val))
            return gate_reasons(drift, self.limits, split="validation")

        result = selective_int8(calibrated, ranking, self.args.int8_io, validation_reasons,
                                step=self.args.float_layers_step, max_layers=self.args.max_float_layers)
        target.write_bytes(result.tflite)
        measured = self._measure(bundle, "int8", test, test_reference, float_layers=result.float_layers)
        verdict = "passes" if measured[0].status == "passed" else "still fails"
        summary = (
            f"Full-integer int8 failed the gate ({'; '.join(full_reasons)}). With {len(result.float_layers)} of "
            f"{len(ranking)} quantized layers kept in float (worst RMSE/scale first, chosen on validation), the int8 "
            f"build {verdict} the gate on test."
        )
        return {"summary": summary, "full_int8_failure_reasons": full_reasons, **result.to_dict()}, measured

    def _drift_report(
        self, reference: Evaluation, reports: dict[str, BuildReport], default: str, reason: str,
        selective: dict[str, Any] | None,
    ) -> dict[str, Any]:
        report = {
            "bundle": self.out.name,
            "split": "test",
            "reference_model": self.run_info.model_path.name,
            "reference_metrics": reference.metrics,
            "temperature": self.temperature,
            "thresholds": self.point.thresholds,
            "limits": asdict(self.limits),
            "builds": {kind: report.to_dict() for kind, report in reports.items()},
            "default_build": default,
            "default_build_reason": reason,
            "warnings": self.warnings,
        }
        if selective:
            report["selective_int8"] = selective
        return report

    def _card(
        self, descriptions: dict[str, Any], fit: TemperatureFit, val_reference: Evaluation,
        test_reference: Evaluation, reports: dict[str, BuildReport], default: str, reason: str,
        selective: dict[str, Any] | None, references: list[dict[str, Any]], calibration_count: int,
    ) -> dict[str, Any]:
        run = self.run_info
        descriptions = dict(descriptions)
        name = descriptions.pop("name", None)
        version = descriptions.pop("version", None)
        card = {
            "name": self.args.name or name or self.out.name,
            "version": self.args.version or version or "0.1.0",
            **descriptions,
            "labels": run.labels,
            "abnormal_labels": run.abnormal_labels,
            "input": run.input_spec.to_dict(),
            "output_activation": run.activation,
            "thresholds": self.point.thresholds,
            "threshold_selection": {
                "target_sensitivity": self.args.target_sensitivity,
                "rule": "per abnormal label, one-vs-rest: the highest threshold on its calibrated probability that "
                        "reaches the target sensitivity on validation",
                "fitted_on": "validation split, float Keras model",
                "validation_metrics": val_reference.metrics,
            },
            "calibration": {
                "temperature": fit.temperature,
                "method": "temperature scaling of the logit, NLL-minimised, applied by "
                          "cxrcore.postprocess.calibrated_probabilities",
                "fitted_on": "validation split, float Keras model",
                "n_images": val_reference.metrics["n_images"],
                "ece_bins": ECE_BINS,
                **{key: value for key, value in fit.to_dict().items() if key != "temperature"},
            },
            "training": training_section(run, self.split_counts),
            "evaluation": {
                "split": "test",
                "data_folder": self.data_root.name,
                "reference_model": f"float Keras model ({run.model_path.name}, TensorFlow backend)",
                "reference_test_metrics": test_reference.metrics,
                "runtime": "cxrcore.classifier.Classifier on the CPU, one film at a time",
                "gate_limits": asdict(self.limits),
                "int8_calibration_films": f"{calibration_count} TRAIN films, stratified, seed {self.args.seed}",
                "seed": self.args.seed,
            },
            "builds": {
                kind: {"output_units": run.output_units, **report.to_dict()} for kind, report in reports.items()
            },
            "default_build": default,
            "default_build_reason": reason,
            "created_by": self.created_by,
            "reference_outputs": references,
            "warnings": self.warnings,
        }
        if selective:
            card["selective_int8"] = {key: selective[key] for key in ("summary", "float_layers", "passed_validation")}
        return card

    def _self_check(self) -> None:
        """Reload the written bundle as the app would and re-run every passed build on the reference films."""
        bundle = load_bundle(self.out)
        problems = check_reference_outputs(bundle)
        if problems:
            raise ConversionError("the written bundle does not reproduce its reference outputs: " + "; ".join(problems))
        self.log(f"bundle {self.out} loads; builds {bundle.usable_builds} open; reference outputs reproduce")


if __name__ == "__main__":
    # TensorFlow's and LiteRT's C++ logging (hundreds of lines per run) goes to a file; our
    # progress lines, Python warnings and errors keep the console.
    route_native_stderr(NATIVE_LOG)
    print(f"[quantize] native TensorFlow/LiteRT logging goes to {NATIVE_LOG}", flush=True)
    sys.exit(main())
