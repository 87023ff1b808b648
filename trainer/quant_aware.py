"""Fine-tune a trained binary model so that its int8 build decides as it does (quantization-aware training).

    python -m trainer.quant_aware --model runs/pneumonia-pediatric-1.3.0/best.keras \
        --data ../shared/data/kermany-224 --out runs/pneumonia-pediatric-qat [--epochs 3] \
        [--learning-rate 1e-5] [--int8-loss label|float|decision] [--consistency 1.0] [--calibration-size 200] \
        [--operating-logit Z] [--decision-width 1.0] [--limit-per-class N]

Why: the converters' drift gate refuses an int8 build that changes more than 1% of test decisions,
and post-training quantization of the shipped models changed 1.1–2.6% (docs/converters.md). Each
step runs every training batch twice through the same weights, in float and as the int8 build
computes (`trainer.int8_simulation`: per-channel kernels, 256-level activations over ranges
re-calibrated on training films before every epoch), and minimises one of

    label: BCE(target, p_float) + BCE(target, p_int8) + consistency · (logit_float − logit_int8)²
    float: BCE(target, p_float) + consistency · KL(p_float held fixed ‖ p_int8)
    decision: BCE(target, p_float) + consistency · g · (logit_float − logit_int8)²,
        g = exp(−(logit_float − Z)² / 2w²) held fixed, Z the operating point's logit (--operating-logit)

``label`` teaches both paths the task and pulls their logits together; measured on the pediatric
model it also made the model less confident (calibration temperature 0.97 → 0.62), which crowds
films near the threshold. ``float`` leaves the task to the float path alone and asks the int8 path
only to follow it, on the probability scale where decisions are made. ``decision`` asks the same only
where a decision can change: the gate counts films whose displayed label differs, and a logit gap
moves a film across the card's threshold only if the film lies within that gap of it, while ``float``
spends its weight on every film (most of the agreement where p ≈ 0.5, not at the operating point:
for `adult-abnormal` the card's threshold 0.30 after temperature 1.83 is a raw probability of 0.18).
Z is the card's threshold in the model's raw logit, temperature × logit(threshold). All three use the recipe's
augmentation and class weights, on the run's own split. The target is the run's distillation rule
when its recipe distils (the starting model is the teacher, on the same augmented film), else the
label. BatchNormalization stays frozen (LiteRT folds it). The kept
epoch has the lowest validation value of the same objective. The output is a run folder like
the trainer's (same ``split.csv``, ``run.json`` with a ``quant_aware`` record of what was done and
the validation figures of every epoch), so `converters.quantize` converts it unchanged.
"""

from __future__ import annotations

from trainer.extras import require_training_extras

if __name__ == "__main__":  # before the imports below: they need the training extras
    require_training_extras("trainer.quant_aware")

import argparse
import logging
import shlex
import shutil
import sys
import time
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from cxrcore.files import sha256_file
from trainer.data.cache import load_gray_cache
from trainer.data.datasets import data_root
from trainer.data.manifest import read_split_manifest
from trainer.data.records import DataError
from trainer.recipes import get_recipe
from trainer.run_folder import SPLIT_FILE, RunFolderError, holds_run, read_run, write_run_info
from trainer.train import RunError, _batches, log_to

log = logging.getLogger("trainer.quant_aware")
PROGRAM = "python -m trainer.quant_aware"
#: Logits are compared inside what the int8 build's sigmoid output (steps of 1/256) can tell apart:
#: beyond it both paths read the same saturated value, and a gap there changes no decision.
_PROBABILITY_FLOOR = 1.0 / 256.0


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=PROGRAM, description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True, type=Path, help="best.keras in a run folder (a sigmoid model)")
    parser.add_argument("--data", required=True, type=Path, help="the dataset the run was trained on")
    parser.add_argument("--out", required=True, type=Path, help="new run folder (refused if it holds a run)")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--learning-rate", type=float, default=1e-5)
    parser.add_argument("--int8-loss", choices=("label", "float", "decision"), default="float",
                        help="what the int8 path learns: the targets (label), the float path's output (float), or "
                             "the float path's logit near the operating point (decision)")
    parser.add_argument("--operating-logit", type=float, metavar="Z",
                        help="the card's threshold as a raw logit (temperature × logit(threshold)): the decision "
                             "objective's centre, and where validation also counts changed decisions")
    parser.add_argument("--decision-width", type=float, default=1.0, metavar="W",
                        help="decision: how far from the operating logit agreement still counts (logit units)")
    parser.add_argument("--consistency", type=float, default=1.0, help="weight of the int8 path's agreement term")
    parser.add_argument("--calibration-size", type=int, default=200, help="training films the ranges come from")
    parser.add_argument("--batch", type=int, help="batch size (default: the run's)")
    parser.add_argument("--limit-per-class", type=int, metavar="N", help="at most N films per class and split (tests)")
    parser.add_argument("--cache-dir", type=Path, help="the trainer's decoded-image cache (default: cache/)")
    args = parser.parse_args(argv)
    if args.epochs < 1 or args.calibration_size < 1 or args.learning_rate <= 0 or args.consistency < 0:
        parser.error("--epochs and --calibration-size must be positive, --learning-rate > 0, --consistency ≥ 0")
    if (args.int8_loss == "decision" and args.operating_logit is None) or args.decision_width <= 0:
        parser.error("--int8-loss decision needs --operating-logit; --decision-width must be > 0")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    from trainer.backend import select_backend

    select_backend()
    try:
        fine_tune(args, f"{PROGRAM} {shlex.join(argv)}")
    except (DataError, RunError, RunFolderError, FileNotFoundError) as error:
        log.error("error: %s", error)
        return 2
    return 0


def _limited(rows: list, limit: int | None) -> list:
    if limit is None:
        return rows
    kept, seen = [], {}
    for row in rows:
        key = (row.split, row.label)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] <= limit:
            kept.append(row)
    return kept


def fine_tune(args: argparse.Namespace, command: str) -> Path:
    """Everything `main` does after parsing; returns the run folder."""
    run = read_run(args.model)
    if run.activation != "sigmoid":
        raise RunError(f"{args.model}: {run.activation} output; only one-unit sigmoid models are supported")
    if holds_run(args.out):
        raise RunError(f"{args.out} already holds a run; choose a new folder")
    info = dict(run.info)
    recipe = get_recipe(info["recipe"])
    rows = _limited(read_split_manifest(run.split_path), args.limit_per_class)
    train_rows = [row for row in rows if row.split == "train"]
    val_rows = [row for row in rows if row.split == "val"]
    spec = run.input_spec
    root = data_root(info["dataset"]["kind"], args.data)
    images = load_gray_cache(train_rows + val_rows, root, spec.height, spec.width, cache_dir=args.cache_dir).images
    args.out.mkdir(parents=True)
    log_to(args.out / "train.log")
    shutil.copyfile(run.split_path, args.out / SPLIT_FILE)

    import keras

    from trainer.backend import configure_devices
    from trainer.data.pipeline import DistilledTargets
    from trainer.int8_simulation import Int8Simulation, simulated
    from trainer.run_folder import load_keras_model

    devices = configure_devices("float32")
    keras.utils.set_random_seed(info.get("seed", 0))
    model = load_keras_model(run)
    _freeze_batch_norms(model)
    teacher = load_keras_model(run) if recipe.distillation_weight else None
    distilled = DistilledTargets(teacher, recipe.distillation_weight) if teacher is not None else None
    info.update(batch_size=args.batch or info.get("batch_size", 32), seed=info.get("seed", 0))
    batches = _batches(recipe, info, images, train_rows, val_rows, spec, 0, distilled)
    calibration = _calibration_batches(images[: len(train_rows)], spec, args.calibration_size, info["seed"],
                                       info["batch_size"])
    val_x = np.concatenate([batch[0] for batch in _inputs_only(batches["val"])])
    val_y = np.array([run.labels.index(row.label) for row in val_rows], np.float32)

    simulation = Int8Simulation()
    started, epochs = time.monotonic(), []
    best = None
    plain = load_keras_model(run)  # what is saved: the same weights in plain Keras layers
    model_path = args.out / "best.keras"
    info.update(command=command, backend=devices.backend, hardware=devices.description, precision="float32",
                model_file=model_path.name)
    objective = _objective(args.int8_loss, args.consistency, args.operating_logit, args.decision_width)
    started_from = {"model": str(args.model), "model_sha256": sha256_file(args.model),
                    "command": run.info.get("command")}
    with simulated(model, simulation):
        pair = _pair_class()(model, simulation)
        pair.compile(optimizer=keras.optimizers.Adam(args.learning_rate), loss=objective)
        for epoch in range(args.epochs + 1):  # epoch 0: the starting model, measured the same way
            simulation.calibrate(model, calibration)
            pair.make_train_function(force=True)
            pair.make_predict_function(force=True)
            history = pair.fit(batches["train"], epochs=1, verbose=2).history["loss"][-1] if epoch else None
            figures = _validation(pair, val_x, val_y, objective, info["batch_size"], args.operating_logit)
            figures.update(epoch=epoch, train_loss=history)
            epochs.append(figures)
            log.info("epoch %d: %s", epoch, figures)
            if best is None or figures["val_objective"] < best["val_objective"]:
                best = figures
                plain.set_weights(model.get_weights())
                plain.save(model_path)
            _record(info, args, started_from, rows, epochs, best, distilled is not None, started, model_path)
    log.info("kept epoch %d (validation objective %.4f); wrote %s", best["epoch"], best["val_objective"], model_path)
    return args.out


def _record(info: dict, args: argparse.Namespace, started_from: dict, rows: list, epochs: list[dict], best: dict,
            distilled: bool, started: float, model_path: Path) -> None:
    """run.json after every epoch: a run stopped early still describes the model it left."""
    info.update(
        epochs_run=len(epochs) - 1, status="complete" if len(epochs) > args.epochs else "running",
        wall_time_s=round(time.monotonic() - started, 1),
        model_sha256=sha256_file(model_path),
        split_counts={split: sum(row.split == split for row in rows) for split in ("train", "val", "test")},
        quant_aware={"started_from": started_from,
                     "learning_rate": args.learning_rate, "int8_loss": args.int8_loss, "consistency": args.consistency,
                     "operating_logit": args.operating_logit, "decision_width": args.decision_width,
                     "calibration_films": args.calibration_size,
                     "target": "distilled from the starting model" if distilled else "label",
                     "kept_epoch": best["epoch"], "epochs": epochs},
    )
    write_run_info(args.out, info)


def _freeze_batch_norms(model: Any) -> None:
    import keras

    from trainer.int8_simulation import flat_layers

    for layer in flat_layers(model):
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.trainable = False


def _inputs_only(batches: Any) -> list:
    return [batches[index] for index in range(len(batches))]


def _calibration_batches(train_images: np.ndarray, spec: Any, size: int, seed: int, batch: int) -> list[np.ndarray]:
    from cxrcore.preprocess import to_model_input

    chosen = np.sort(np.random.default_rng(seed).permutation(len(train_images))[:size])
    return [to_model_input(train_images[chosen[start:start + batch]], spec) for start in range(0, len(chosen), batch)]


def _logit(probability: Any) -> Any:
    from keras import ops

    clipped = ops.clip(probability, _PROBABILITY_FLOOR, 1.0 - _PROBABILITY_FLOOR)  # the last step is 255/256
    return ops.log(clipped) - ops.log1p(-clipped)


def _objective(int8_loss: str, consistency: float, operating_logit: float | None = None,
               decision_width: float = 1.0) -> Any:
    """Per-film loss on the pair's (float, int8) probabilities; see the module docstring."""
    from keras import ops

    def objective(target: Any, pair_output: Any) -> Any:
        target = ops.reshape(ops.cast(target, "float32"), (-1, 1))
        p_float, p_int8 = pair_output[:, :1], pair_output[:, 1:]
        task = ops.binary_crossentropy(target, p_float)
        if int8_loss == "float":
            held = ops.stop_gradient(p_float)  # KL(p_float ‖ p_int8): zero when they agree
            agreement = ops.binary_crossentropy(held, p_int8) - ops.binary_crossentropy(held, held)
        elif int8_loss == "decision":
            logit_float = _logit(p_float)
            nearness = ops.exp(-ops.square(ops.stop_gradient(logit_float) - operating_logit) / (2 * decision_width**2))
            agreement = nearness * ops.square(logit_float - _logit(p_int8))
        else:
            task = task + ops.binary_crossentropy(target, p_int8)
            agreement = ops.square(_logit(p_float) - _logit(p_int8))
        return ops.mean(task + consistency * agreement, axis=-1)

    return objective


def _validation(pair: Any, x: np.ndarray, y: np.ndarray, objective: Any, batch: int,
                operating_logit: float | None = None) -> dict[str, float]:
    """The objective and how far the simulated int8 path is from the float one, on validation films (decisions
    changed at 0.5, and at the operating point when it is given)."""
    from keras import ops

    from evaluation.metrics import roc_auc_binary

    output = pair.predict(x, batch_size=batch, verbose=0)
    objective = ops.convert_to_numpy(objective(y, output))
    p_float, p_int8 = output[:, 0], output[:, 1]
    figures = {"val_objective": float(np.mean(objective)),
               "val_auc_float": float(roc_auc_binary(y.astype(int), p_float)),
               "val_mean_abs_dprob": float(np.mean(np.abs(p_float - p_int8))),
               "val_max_abs_dprob": float(np.max(np.abs(p_float - p_int8))),
               "val_decisions_changed_at_0.5": int(np.sum((p_float > 0.5) != (p_int8 > 0.5)))}
    if operating_logit is not None:
        threshold = 1.0 / (1.0 + np.exp(-operating_logit))
        figures["val_decisions_changed_at_operating_point"] = int(np.sum((p_float >= threshold) != (p_int8 >= threshold)))
    return figures


def _pair_class() -> type:
    import keras

    class Pair(keras.Model):
        """The same model twice: float and simulated int8, side by side in one output of two columns."""

        def __init__(self, model: Any, simulation: Any) -> None:
            super().__init__(name="float_and_int8")
            self.model = model
            self.simulation = simulation

        def call(self, x: Any, training: bool = False) -> Any:
            p_float = self.model(x, training=training)
            with self.simulation.computing("int8"):
                p_int8 = self.model(x, training=training)
            return keras.ops.concatenate([p_float, p_int8], axis=-1)

    return Pair


if __name__ == "__main__":
    sys.exit(main())
