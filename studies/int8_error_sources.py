"""Where an int8 build's drift comes from, and how much of it each fix removes (`docs/converters.md`).

    python -m studies.int8_error_sources --bundle models/X --data DATA [--calibration-size 200] [--limit N] [--json FILE]
        [--split-at OP_NAME_PART]

Every variant is made from the bundle's float32 build with the converter's calibration (TRAIN films,
stratified, seed 0) and compared with that build on the VALIDATION films, on the logit: the dense
op's output, dequantized, read before the sigmoid, so the output's 1/256 step is left out. Reported per
variant: the logit change's mean and standard deviation (a mean far from 0 is a bias, which moves films
across the threshold one way), the mean |Δp| of the abnormal label at the card's temperature, and the
decisions changed at the card's threshold with a Wilson 95% interval.

- **weights only**, nearest rounding (activations float): the weights' rounding alone; then with the
  first convolution kept float, and with only it quantized;
- **full int8**, as `converters.requantize` made it before GPTQ and bias correction; with bias
  correction only; with GPTQ only; with both (`converters.int8_preparation`);
- **weights only, GPTQ**;
- with ``--split-at NAME`` (a part of an op's name, e.g. ``block13_add``): full int8 with GPTQ and bias
  correction where only the ops up to and including that op are quantized, and where only the ops after
  it are, each with its biases corrected for what it quantizes. For a model whose bottom is a frozen
  pretrained backbone (the adult model's blocks 0–13) this says whether the drift comes from the part
  training never touched or from the part it fine-tuned.

No op is kept float in the full-int8 rows: the selective search is `converters.requantize`'s.
"""

from __future__ import annotations

from trainer.extras import require_training_extras

if __name__ == "__main__":  # before the imports below: they need the training extras
    require_training_extras("studies.int8_error_sources")

import argparse
import dataclasses
import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from cxrcore.bundle import ModelBundle, load_bundle
from cxrcore.postprocess import calibrated_probabilities
from cxrcore.preprocess import to_model_input
from converters import edge_quantizer
from converters.datasets import load_films, split_records, stratified_sample
from converters.int8_preparation import PreparedModel, prepare, with_corrected_biases
from converters.tflite_graph import EditableModel, TracedRun
from evaluation.metrics import wilson_interval

SEED = 0


@dataclass(frozen=True)
class Drift:
    """One variant against the float32 build on the validation films."""

    variant: str
    films: int
    mean_logit_change: float
    sd_logit_change: float
    mean_abs_dprob: float
    decisions_changed: int
    decisions_changed_ci95: tuple[float, float] | None


def logits(model: bytes, inputs: np.ndarray, dense_output: str, bundle: ModelBundle) -> np.ndarray:
    """The abnormal label's log-odds per film from the dense op's output, dequantized: the one unit of a
    sigmoid model, the difference of the two units of a two-label softmax model."""
    run = TracedRun(model)
    index = run.index(dense_output)
    outputs = np.array([run.tensor(index).reshape(-1) for _ in run.films(inputs)], dtype=np.float64)
    if outputs.shape[1] == 1:
        return outputs[:, 0]
    if outputs.shape[1] != 2:
        raise SystemExit(f"{bundle.name}: {outputs.shape[1]} output units; this study reads one log-odds, "
                         "so it takes sigmoid or two-label softmax models")
    abnormal = bundle.labels.index(bundle.abnormal_labels[0])
    return outputs[:, abnormal] - outputs[:, 1 - abnormal]


def drift(variant: str, reference: np.ndarray, moved: np.ndarray, bundle: ModelBundle) -> Drift:
    def probability(logit: np.ndarray) -> np.ndarray:
        # the temperature divides the log-odds for a sigmoid and for a two-label softmax alike
        return calibrated_probabilities(1.0 / (1.0 + np.exp(-logit[:, None])), "sigmoid", bundle.temperature)[:, 1]

    threshold = bundle.thresholds[bundle.abnormal_labels[0]]
    before, after = probability(reference), probability(moved)
    flips = int(np.sum((before >= threshold) != (after >= threshold)))
    change = moved - reference
    return Drift(variant, len(reference), float(change.mean()), float(change.std()),
                 float(np.abs(after - before).mean()), flips, wilson_interval(flips, len(reference)))


def variants(prepared: PreparedModel, bias_only: PreparedModel, calibration_inputs: np.ndarray,
             split_at: str | None = None) -> dict[str, Callable[[], bytes]]:
    """Each variant's build, made when asked for (each takes seconds to quantize)."""
    float_model = prepared.calibration.float_model
    ops = edge_quantizer.quantizable_ops(float_model)
    first = EditableModel(float_model).ops[0].scope
    gptq_only = dataclasses.replace(prepared, biases={})
    return {
        "weights only, nearest rounding": lambda: edge_quantizer.quantize_weights_only(float_model),
        "weights only, nearest, first convolution float": lambda: edge_quantizer.quantize_weights_only(
            float_model, [first]),
        "weights only, nearest, only the first convolution quantized": lambda: edge_quantizer.quantize_weights_only(
            float_model, [op for op in ops if op != first]),
        "full int8, nearest rounding (the method before GPTQ)": lambda: edge_quantizer.quantize(prepared.calibration),
        "full int8, bias correction": bias_only.quantize,
        "full int8, GPTQ": gptq_only.quantize,
        "full int8, GPTQ + bias correction": prepared.quantize,
        "weights only, GPTQ": lambda: edge_quantizer.quantize_weights_only(gptq_only.float_model()),
    } | (split_variants(prepared, calibration_inputs, ops, split_at) if split_at else {})


def split_variants(prepared: PreparedModel, calibration_inputs: np.ndarray, ops: list[str],
                   split_at: str) -> dict[str, Callable[[], bytes]]:
    """Full int8 (GPTQ + bias correction) quantizing only the ops up to ``split_at``, or only those after."""
    matches = [index for index, op in enumerate(ops) if split_at in op]
    if not matches:
        raise SystemExit(f"--split-at {split_at!r}: no op of the float32 build has that in its name")
    cut = matches[-1] + 1
    bottom, top = ops[:cut], ops[cut:]

    def quantized_except(float_ops: list[str]) -> Callable[[], bytes]:
        return lambda: with_corrected_biases(prepared, calibration_inputs, float_ops, log).quantize(float_ops)

    return {
        f"full int8, GPTQ + bias correction, only the {len(bottom)} ops up to {split_at} quantized": quantized_except(top),
        f"full int8, GPTQ + bias correction, only the {len(top)} ops after {split_at} quantized": quantized_except(bottom),
    }


def log(message: str) -> None:
    print(f"[int8_error_sources] {message}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m studies.int8_error_sources", description=__doc__.split("\n\n")[0])
    parser.add_argument("--bundle", type=Path, required=True, help="bundle folder with a float32 build and split.csv")
    parser.add_argument("--data", type=Path, required=True, help="dataset root that split.csv paths are relative to")
    parser.add_argument("--calibration-size", type=int, default=200, help="TRAIN films for calibration")
    parser.add_argument("--limit", type=int, help="only the first N validation films (a quick look)")
    parser.add_argument("--cache-dir", type=Path, help="the trainer's uint8 image cache folder (optional)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--split-at", metavar="OP_NAME_PART",
                        help="also quantize only the ops up to this op, and only those after it")
    args = parser.parse_args(argv)

    bundle = load_bundle(args.bundle)
    splits = split_records(bundle.directory / "split.csv", bundle.labels)

    def inputs(records: list) -> np.ndarray:
        films = load_films(records, args.data, bundle.input_spec, bundle.labels, args.cache_dir)
        return to_model_input(films.gray, bundle.input_spec).astype(np.float32)

    validation = inputs(splits["val"][: args.limit])
    calibration_inputs = inputs(stratified_sample(splits["train"], args.calibration_size, SEED))
    float_model = bundle.build_path("float32").read_bytes()
    dense_output = [op for op in EditableModel(float_model).ops if op.kind == "FULLY_CONNECTED"][-1].output_name
    reference = logits(float_model, validation, dense_output, bundle)
    calibration = edge_quantizer.calibrate(float_model, calibration_inputs)
    prepared = prepare(calibration, calibration_inputs, log=log)
    bias_only = prepare(calibration, calibration_inputs, round_weights=False, log=log)
    rows = []
    for variant, build in variants(prepared, bias_only, calibration_inputs, args.split_at).items():
        rows.append(drift(variant, reference, logits(build(), validation, dense_output, bundle), bundle))
        log(f"{variant}: {rows[-1]}")

    print(f"{bundle.name} {bundle.version}: {len(validation)} validation films, calibration on "
          f"{len(calibration_inputs)} TRAIN films; logit change against the float32 build\n")
    print("| variant | logit change, mean ± sd | mean \\|Δp\\| | decisions changed (95% CI) |")
    print("|---|---|---|---|")
    for row in rows:
        ci = row.decisions_changed_ci95
        interval = f" ({ci[0]:.2%}–{ci[1]:.2%})" if ci else ""
        print(f"| {row.variant} | {row.mean_logit_change:+.3f} ± {row.sd_logit_change:.3f} | {row.mean_abs_dprob:.4f} "
              f"| {row.decisions_changed} of {row.films}{interval} |")
    if args.json:
        args.json.write_text(json.dumps([asdict(row) for row in rows], indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
