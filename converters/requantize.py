"""``python -m converters.requantize``: a new int8 build for a finished bundle, made from its own float32 build.

Why a second tool: `converters.quantize` quantizes through TensorFlow and needs the Keras model,
which a shipped bundle does not keep (``pneumonia-pediatric``'s run folder is gone). Its float32
build is that model to float precision (the card records agreement 1.0 on every test film), so
LiteRT's own quantizer (`converters.edge_quantizer`) can make int8 from it. The drift gate, its
limits (read from the card, never from the command line) and the measurements are the converter's
own (`converters.measure`), so the new build is judged exactly as every other.

The order is the method:
1. calibrate on TRAIN films (stratified, seeded: the converter's rule) with global ranges; on the same
   films, round the weights with GPTQ (`converters.weight_rounding`) and correct the biases of the
   resulting build (`converters.bias_correction`), the two steps of `converters.int8_preparation`;
2. full-integer int8 is checked on VALIDATION against the float32 build; if it fails, each op is
   ranked by how much keeping it alone in float lowers the mean probability change on VALIDATION
   (with the full-integer build's bias corrections, to keep the ranking cheap), and ops are kept in
   float, best first, each candidate with its biases corrected again for the ops it keeps float, until
   one passes on VALIDATION; if none does, the one that disagrees least on VALIDATION is taken;
3. passing on validation means the gate *and* a 95% Wilson upper bound of the disagreement within
   the gate's limit: a point estimate just under 1% on 779 films says little about 618 others;
4. only then is the chosen candidate measured on TEST, gated, timed beside every other build, and
   the default build chosen by the converter's rule (fastest passed build).

Writes ``model_int8.tflite``, the card and drift report (re-hashed and re-sealed) into ``--out``, a copy
of the bundle unless ``--out`` names the bundle itself; it must be re-signed afterwards (`converters.sign`). Exit status: 0 int8 passed, 1 it failed (the card says
so and the app never offers it), 2 the rebuild could not be done.
"""

from __future__ import annotations

from trainer.extras import require_training_extras

if __name__ == "__main__":  # before the imports below: they need the training extras
    require_training_extras("converters.requantize")

import argparse
import json
import shutil
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Callable, Sequence

import numpy as np

from cxrcore.bundle import BundleError, ModelBundle, load_bundle
from cxrcore.preprocess import to_model_input
from cxrcore.runtime import EngineError
from cxrcore.signing import SIGNATURE_FILE

from converters import ConversionError, edge_quantizer
from converters.int8_preparation import prepare, with_corrected_biases
from converters.cli import run_tool
from converters.builds import build_file
from converters.card import write_card
from converters.datasets import LabelledFilms, load_films, split_records, stratified_sample
from converters.drift import DRIFT_JSON, GateLimits, compare, gate_reasons, write_report
from converters.evaluate import open_build
from converters.measure import Scoring, build_latencies, choose_default, measure_build
from converters.references import check_reference_outputs
from evaluation.calibration import DEFAULT_BUILD_WARNING, shipped_build_warnings
from evaluation.metrics import wilson_interval
from evaluation.operating_point import Evaluation, OperatingPoint
from trainer.data.records import DataError
from trainer.run_folder import SPLIT_FILE

PROGRAM = "python -m converters.requantize"
KIND = "int8"
REFERENCE_BUILD = "float32"


@dataclass
class Candidate:
    """One int8 candidate tried on validation: the ops it keeps in float, why it failed (empty: passed) and
    the share of validation films whose decision it changes."""

    float_ops: list[str]
    validation_reasons: list[str]
    validation_disagreement: float


@dataclass
class Selection:
    """The chosen candidate's bytes and float ops, the ranking it came from and every candidate tried."""

    tflite: bytes
    float_ops: list[str]
    tried: list[Candidate] = field(default_factory=list)
    ranking: list[dict[str, Any]] = field(default_factory=list)

    @property
    def passed_validation(self) -> bool:
        return any(not tried.validation_reasons for tried in self.tried)


def choose_float_ops(
    build: Callable[[list[str]], bytes],
    verdict: Callable[[bytes], tuple[list[str], float]],
    ranked_ops: Callable[[], list[dict[str, Any]]],
    max_float_ops: int,
) -> Selection:
    """Full int8 first; if validation refuses it, keep ranked ops in float one more at a time, best first.

    ``build`` makes a candidate keeping the given ops in float, ``verdict`` gives its validation
    failures and disagreement, ``ranked_ops`` (called only when full int8 fails) the ops best first, each
    ``{"op": name, ...}``. Stops at the first candidate that passes; when none up to ``max_float_ops``
    does, the one that disagrees least on validation (the fewest float ops among equals) goes to test.
    """
    builds: list[bytes] = []
    selection = Selection(tflite=b"", float_ops=[])

    def attempt(ops: list[str]) -> bool:
        builds.append(build(ops))
        selection.tried.append(Candidate(ops, *verdict(builds[-1])))
        return not selection.tried[-1].validation_reasons

    if not attempt([]) and max_float_ops >= 1:
        selection.ranking = ranked_ops()
        for count in range(1, min(max_float_ops, len(selection.ranking)) + 1):
            if attempt([entry["op"] for entry in selection.ranking[:count]]):
                break
    if selection.passed_validation:
        chosen = len(selection.tried) - 1
    else:
        chosen = min(range(len(selection.tried)), key=lambda index: selection.tried[index].validation_disagreement)
    selection.tflite, selection.float_ops = builds[chosen], selection.tried[chosen].float_ops
    return selection


def disagreement_bound_reason(drift: dict[str, Any], films: int, limits: GateLimits) -> list[str]:
    """The validation margin: the disagreement's 95% Wilson upper bound must lie within the gate's limit."""
    flips = round((1.0 - drift["agreement"]) * films)
    bounds = wilson_interval(flips, films)
    if bounds is None or bounds[1] <= limits.max_disagreement:
        return []
    return [f"disagrees on {flips} of {films} validation films: the 95% upper bound {bounds[1]:.2%} exceeds the "
            f"limit {limits.max_disagreement:.2%}"]


class Requantization:
    """One run of the tool; each method is one step of the module docstring's order."""

    def __init__(self, args: argparse.Namespace, created_by: str) -> None:
        self.args = args
        self.created_by = created_by
        self.bundle = load_bundle(_working_copy(args.bundle, args.out))
        self.directory = self.bundle.directory
        self.limits = GateLimits(**self.bundle.card["evaluation"]["gate_limits"])
        self.scoring = Scoring(self.bundle.output_activation, self.bundle.temperature, OperatingPoint(
            self.bundle.labels, self.bundle.abnormal_labels, self.bundle.thresholds))
        self._check_reference_build()
        card = dict(self.bundle.card)
        card["builds"] = {**self.bundle.builds, KIND: {"file": build_file(KIND),
                                                       "output_units": self.bundle.builds[REFERENCE_BUILD]["output_units"]}}
        self.staging = ModelBundle(directory=self.directory, card=card)

    def log(self, message: str) -> None:
        print(f"[requantize] {message}", flush=True)

    def _check_reference_build(self) -> None:
        reference = self.bundle.builds.get(REFERENCE_BUILD)
        if reference is None or REFERENCE_BUILD not in self.bundle.usable_builds:
            raise ConversionError(f"{self.directory} has no usable {REFERENCE_BUILD} build to quantize from")
        if reference["status"] != "passed" or reference["drift"]["agreement"] != 1.0:
            raise ConversionError(
                f"{self.directory}: the {REFERENCE_BUILD} build does not agree with the Keras model on every test film "
                f"(agreement {reference['drift']['agreement']}), so it cannot stand in for it")

    def _films(self, records: Sequence[Any]) -> LabelledFilms:
        return load_films(records, self.args.data, self.bundle.input_spec, self.bundle.labels, self.args.cache_dir)

    def _reference(self, films: LabelledFilms) -> Evaluation:
        with open_build(self.bundle, REFERENCE_BUILD) as classifier:
            return self.scoring.evaluate(classifier, films)

    def run(self) -> int:
        splits = split_records(self.directory / SPLIT_FILE, self.bundle.labels)
        val, test = self._films(splits["val"]), self._films(splits["test"])
        calibration_films = self._films(stratified_sample(splits["train"], self.args.calibration_size, self.args.seed))
        val_reference, test_reference = self._reference(val), self._reference(test)
        float_model = self.bundle.build_path(REFERENCE_BUILD).read_bytes()
        calibration_inputs = to_model_input(calibration_films.gray, self.bundle.input_spec).astype(np.float32)
        calibration = edge_quantizer.calibrate(float_model, calibration_inputs)
        self.log(f"calibrated on {calibration.films} TRAIN films; {len(val.y)} validation, {len(test.y)} test films")
        prepared = prepare(calibration, calibration_inputs, round_weights=not self.args.nearest_rounding,
                           correct_biases=not self.args.no_bias_correction, log=self.log)

        target = self.directory / build_file(KIND)

        def validation(candidate: bytes) -> dict[str, Any]:
            target.write_bytes(candidate)
            with open_build(self.staging, KIND) as classifier:
                return compare(val_reference, self.scoring.evaluate(classifier, val))

        def verdict(candidate: bytes) -> tuple[list[str], float]:
            drift = validation(candidate)
            reasons = gate_reasons(drift, self.limits, split="validation")
            reasons += disagreement_bound_reason(drift, len(val.y), self.limits)
            self.log(f"candidate: {'passes' if not reasons else '; '.join(reasons)}")
            return reasons, 1.0 - drift["agreement"]

        def build(float_ops: list[str]) -> bytes:
            if float_ops and not self.args.no_bias_correction:  # corrections of its own (module docstring)
                return with_corrected_biases(prepared, calibration_inputs, float_ops, self.log).quantize(float_ops)
            return prepared.quantize(float_ops)

        def ranked_ops() -> list[dict[str, Any]]:
            self.log("full int8 refused on validation: ranking ops by the change each one alone in float leaves")
            scores = [{"op": op, "validation_mean_abs_dprob": validation(prepared.quantize([op]))["mean_abs_dprob"]}
                      for op in edge_quantizer.quantizable_ops(float_model)]
            return sorted(scores, key=lambda entry: entry["validation_mean_abs_dprob"])

        selection = choose_float_ops(build, verdict, ranked_ops, self.args.max_float_ops)
        target.write_bytes(selection.tflite)
        report, references = measure_build(self.staging, KIND, test, test_reference, self.scoring, self.limits,
                                           self._reference_films(), self.args.latency_runs, selection.float_ops)
        self.log(f"int8 on test: {report.status}" + (f" ({'; '.join(report.reasons)})" if report.reasons else ""))
        latencies = {kind: build_latencies(self.staging, kind, test.gray, self.args.latency_runs)
                     for kind in self.bundle.usable_builds if kind != KIND}
        latencies[KIND] = report.latency_ms
        passed = [kind for kind in latencies if kind != KIND]  # the usable builds: passed, and their file is here
        default, reason = choose_default(latencies, passed + ([KIND] if report.status == "passed" else []))
        self.log(f"default build: {default} ({reason})")
        entry = {**self.staging.builds[KIND], **report.to_dict(), "drift_reference": self._drift_reference()}
        self._write(entry, latencies, default, reason, self._summary(selection, report.status), selection, references,
                    self._warnings(default, val))
        problems = check_reference_outputs(load_bundle(self.directory))
        if problems:
            raise ConversionError("the rewritten bundle does not reproduce its reference outputs: " + "; ".join(problems))
        self.log(f"bundle {self.directory} rewritten; re-sign it: python -m converters.sign {self.directory} --key KEY")
        return 0 if report.status == "passed" else 1

    def _warnings(self, default: str, val: LabelledFilms) -> list[str]:
        """The card's warnings with the converter's default-build check made again for ``default``: its
        sensitivity on validation at the card's thresholds, which were fitted on the float model."""
        with open_build(self.staging, default) as classifier:
            metrics = self.scoring.evaluate(classifier, val).metrics
        kept = [text for text in self.bundle.card.get("warnings", []) if not text.startswith(DEFAULT_BUILD_WARNING)]
        return kept + shipped_build_warnings(default, metrics, self.bundle.card["threshold_selection"]["target_sensitivity"])

    def _reference_films(self) -> list[str]:
        return list(dict.fromkeys(entry["file"] for entry in self.bundle.card["reference_outputs"]))

    def _drift_reference(self) -> str:
        return (f"the {REFERENCE_BUILD} build (the Keras model is not kept; the {REFERENCE_BUILD} build agrees with it "
                f"on every test film, max |Δp| {self.bundle.builds[REFERENCE_BUILD]['drift']['max_abs_dprob']:.1e})")

    def _source(self) -> str:
        steps = [name for name, skipped in (("GPTQ weight rounding", self.args.nearest_rounding),
                                            ("bias correction", self.args.no_bias_correction)) if not skipped]
        return f"Full-integer int8 from the {REFERENCE_BUILD} build (AI Edge Quantizer{''.join(', ' + step for step in steps)})"

    def _summary(self, selection: Selection, status: str) -> str:
        verdict = "passes" if status == "passed" else "fails"
        if len(selection.tried) == 1:
            return f"{self._source()} {verdict} the gate on test."
        kept = (f"{len(selection.float_ops)} of {len(selection.ranking)} ops kept in float (ranked on validation)"
                if selection.float_ops else "full integer")
        why = ("the first candidate to pass validation with the disagreement's 95% upper bound within the limit"
               if selection.passed_validation else
               f"no candidate with up to {len(selection.tried) - 1} ops in float passed validation; this one "
               "disagreed least there")
        return f"{self._source()} was refused on validation. Taken: {kept}, {why}. It {verdict} the gate on test."

    def _method(self, selection: Selection) -> dict[str, Any]:
        return {
            "made_by": self.created_by,
            "quantizer": f"ai-edge-quantizer {metadata.version('ai-edge-quantizer')}, static int8 weights (per "
                         "channel) and activations, global min/max ranges",
            "calibration_films": f"{self.args.calibration_size} TRAIN films, stratified, seed {self.args.seed}",
            "weight_rounding": "nearest" if self.args.nearest_rounding else
                               "GPTQ on the calibration films (converters.weight_rounding)",
            "bias_correction": "none" if self.args.no_bias_correction else
                               "per channel, op by op, on the calibration films (converters.bias_correction)",
            "drift_reference": self._drift_reference(),
            "float_ops": selection.float_ops,
        }

    def _write(
        self, entry: dict[str, Any], latencies: dict[str, dict[str, Any]], default: str, reason: str, summary: str,
        selection: Selection, references: list[dict[str, Any]], warnings: list[str],
    ) -> None:
        selective = {"summary": summary, "float_layers": selection.float_ops,
                     "passed_validation": selection.passed_validation}
        rounds = [{"round": index, "float_layers": tried.float_ops, "validation_reasons": tried.validation_reasons,
                   "validation_disagreement": tried.validation_disagreement}
                  for index, tried in enumerate(selection.tried)]
        report = json.loads((self.directory / DRIFT_JSON).read_text(encoding="utf-8"))
        for kind, latency in latencies.items():
            if kind in report["builds"]:
                report["builds"][kind]["latency_ms"] = latency
        report["builds"][KIND] = {key: value for key, value in entry.items() if key != "output_units"}
        report.update(default_build=default, default_build_reason=reason, warnings=warnings,
                      selective_int8={**selective, "rounds": rounds, "ranking": selection.ranking})
        write_report(self.directory, report)
        card = dict(self.bundle.card)
        card["builds"] = {kind: {**build, "latency_ms": latencies.get(kind, build["latency_ms"])}
                          for kind, build in self.bundle.builds.items() if kind != KIND}
        card["builds"][KIND] = entry
        card["evaluation"] = {**card["evaluation"], "int8": self._method(selection)}
        card["reference_outputs"] = [ref for ref in card["reference_outputs"] if ref["build"] != KIND] + (
            references if entry["status"] == "passed" else [])
        card.update(default_build=default, default_build_reason=reason, selective_int8=selective, warnings=warnings)
        if self.args.version:
            card["version"] = self.args.version
        for stale in ("files", "card_sha256", "schema_version", "preprocessing_id"):
            card.pop(stale, None)
        (self.directory / SIGNATURE_FILE).unlink(missing_ok=True)  # it signs the card being replaced
        write_card(self.directory, card)


def _working_copy(source: Path, out: Path) -> Path:
    """The folder to rewrite: ``source`` itself when ``out`` names it, else a fresh copy at ``out``, so a
    refused int8 build never replaces the one a maintainer had."""
    if out.resolve() == source.resolve():
        return source
    if out.exists():
        raise ConversionError(f"{out} exists; give a new folder (or --out {source} to rewrite the bundle in place)")
    load_bundle(source)  # refuse a damaged bundle before copying it
    shutil.copytree(source, out)
    return out


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=PROGRAM, description=__doc__.split("\n\n")[0])
    parser.add_argument("--bundle", type=Path, required=True, help="bundle folder with a float32 build and split.csv")
    parser.add_argument("--data", type=Path, required=True, help="dataset root that split.csv paths are relative to")
    parser.add_argument("--out", type=Path, required=True,
                        help="bundle folder to write: a new folder (a copy of --bundle), or --bundle itself to rewrite it")
    parser.add_argument("--calibration-size", type=int, default=200, help="TRAIN films for calibration")
    parser.add_argument("--max-float-ops", type=int, default=8, help="most ops kept in float (0: full int8 only)")
    parser.add_argument("--latency-runs", type=int, default=50, help="timed runs per build and thread count")
    parser.add_argument("--seed", type=int, default=0, help="seed of the calibration sample")
    parser.add_argument("--nearest-rounding", action="store_true",
                        help="round each weight to its nearest int8 step instead of GPTQ (the method before 1.4.0)")
    parser.add_argument("--no-bias-correction", action="store_true",
                        help="leave the biases as the float model has them")
    parser.add_argument("--version", help="new bundle version (the default build may change: say so)")
    parser.add_argument("--cache-dir", type=Path, help="the trainer's uint8 image cache folder (optional)")
    args = parser.parse_args(argv)
    if args.calibration_size < 1 or args.latency_runs < 1 or args.max_float_ops < 0:
        parser.error("--calibration-size and --latency-runs must be positive, --max-float-ops ≥ 0")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    return run_tool(PROGRAM, argv, parse_args, lambda args, created_by: Requantization(args, created_by).run(),
                    (ConversionError, DataError, BundleError, EngineError, ValueError))


if __name__ == "__main__":
    sys.exit(main())
