"""Train one recipe on one dataset into a run folder; interrupted runs resume where they stopped.

    python -m trainer.train --recipe p1-baseline --data ../shared/data/kermany-224 --out runs/p1-baseline \
        [--epochs N] [--batch N] [--backend tensorflow|jax|torch] [--limit-per-class N] [--weights PATH] \
        [--seed N] [--skip-bad-files] [--kermany PATH] [--cache-dir DIR] [--teacher RUN/best.keras]

The run folder is the contract with the converters: ``best.keras`` (best checkpoint by the
recipe's validation metric), ``run.json``, ``split.csv`` (every file and its split),
``history.csv`` and ``tensorboard/``. Also written: ``train.log`` (the run log: data counts,
exclusions, hazards), ``data_report.json`` (every excluded file and why) and, for resuming,
``last.keras`` + ``state.json`` after every epoch. Running the same command again on a folder
holding them continues from the last finished epoch with the same split, input scaling,
optimizer state and callback state (the run's recorded seed, batch size and input win over the
command line); a finished run is left as it is (a larger ``--epochs`` extends it).

Multi-device: under JAX with more than one GPU, or with ``--data-parallel``, training is
data-parallel (``keras.distribution.DataParallel``, see `trainer.backend`); ``--batch`` is the
global batch, and ``run.json`` records the device count.
"""

from __future__ import annotations

from trainer.extras import require_training_extras

if __name__ == "__main__":  # before the imports below: they need the training extras
    require_training_extras("trainer.train")

import argparse
import json
import logging
import math
import os
import shlex
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from cxrcore.files import sha256_file
from cxrcore.preprocess import PREPROCESSING_ID, InputSpec
from trainer.backend import BACKENDS, PRECISIONS, DeviceError, select_backend
from trainer.data.cache import load_gray_cache
from trainer.data.datasets import data_root, load_dataset, resolve_kind
from trainer.data.fingerprints import hash_files
from trainer.data.manifest import SplitRow, read_split_manifest, write_split_manifest
from trainer.data.prepare import PrepareOptions, prepare_split, report_lines
from trainer.data.records import DataError
from trainer.recipes import INVERSE_FREQUENCY, RECIPES, SOURCE_AND_LABEL, Recipe, get_recipe
from trainer.run_folder import SPLIT_FILE, RunFolderError, read_run_info, write_run_info

log = logging.getLogger("trainer.train")
STATE_FILE = "state.json"
#: Callback attributes that `ResumeState` carries across an interruption, per callback class.
_CALLBACK_STATE = {
    "EarlyStopping": ("wait", "best", "best_epoch", "stopped_epoch"),
    "ReduceLROnPlateau": ("wait", "best", "cooldown_counter"),
    "ModelCheckpoint": ("best",),
}


class RunError(RuntimeError):
    """A run that cannot start or continue as asked; the message says why and what to do."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m trainer.train", description=__doc__.split("\n\n")[0])
    parser.add_argument("--recipe", required=True, choices=sorted(RECIPES), metavar="RECIPE",
                        help=f"one of: {', '.join(RECIPES)}")
    parser.add_argument("--data", required=True, type=Path, help="dataset folder, or a manifest .csv")
    parser.add_argument("--out", required=True, type=Path, help="run folder (resumed if it holds an unfinished run)")
    parser.add_argument("--epochs", type=int, help="at most this many epochs per training phase (default: the recipe's)")
    parser.add_argument("--batch", type=int, help="batch size (default: the recipe's)")
    parser.add_argument("--size", type=_size, metavar="HxW",
                        help="input height x width instead of the recipe's (e.g. 64 or 64x64): smoke tests, experiments")
    parser.add_argument("--backend", choices=BACKENDS, help="Keras backend (default: $KERAS_BACKEND, else tensorflow)")
    parser.add_argument("--precision", choices=PRECISIONS,
                        help="dtype policy (default auto: mixed_float16 on a GPU, float32 on a CPU; mixed_bfloat16 "
                             "trains 1.4-1.8x faster on CPUs with AVX512-BF16/AMX). A resumed run keeps its own")
    parser.add_argument("--data-parallel", action="store_true",
                        help="JAX only: shard every batch across all devices (keras.distribution.DataParallel); "
                             "automatic with more than one GPU")
    parser.add_argument("--limit-per-class", type=int, metavar="N",
                        help="at most N training-pool films per class (official test kept whole): tiny runs")
    parser.add_argument("--weights", type=Path, help="local pretrained weights file for transfer models")
    parser.add_argument("--seed", type=int, help="seed for split, shuffling and initialisation (default: the recipe's)")
    parser.add_argument("--skip-bad-files", action="store_true",
                        help="skip unreadable/unlabelled files (counted in the log) instead of stopping")
    parser.add_argument("--kermany", type=Path,
                        help="radiography only: Kermany folder, to count Viral Pneumonia films that are Kermany films")
    parser.add_argument("--cache-dir", type=Path, help="decoded-image cache folder (default: cache/ in the repo)")
    parser.add_argument("--teacher", type=Path,
                        help="distilling recipes: the teacher's model, in a run folder with the same split")
    return parser


def _size(text: str) -> tuple[int, int]:
    parts = text.lower().split("x")
    try:
        height, width = (int(parts[0]), int(parts[-1])) if len(parts) <= 2 else (0, 0)
    except ValueError:
        height = width = 0
    if height < 8 or width < 8:
        raise argparse.ArgumentTypeError(f"size must be N or HxW with sides >= 8, got {text!r}")
    return height, width


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    select_backend(args.backend)
    try:
        train(args, command="python -m trainer.train " + shlex.join(argv))
    except (DataError, RunError, RunFolderError, DeviceError, FileNotFoundError) as error:
        if logging.getLogger("trainer").handlers:
            log.error("error: %s", error)
        else:
            print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


def train(args: argparse.Namespace, command: str) -> Path:
    """Everything `main` does after parsing; returns the run folder."""
    recipe = get_recipe(args.recipe)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    log_to(out / "train.log")
    _check_teacher_given(recipe, args.teacher)
    state = ResumeState.load(out)
    started = time.monotonic()
    if state.exists:
        info, rows = _resume_plan(out, recipe, args, command)
    else:
        info, rows = fresh_plan(out, recipe, args, command)
    precision = _precision_for(info, args.precision)
    if state.exists and not _epochs_left(state, _phase_epochs(recipe, args)):
        log.info("run in %s is complete (%d epochs); nothing to do", out, state.epoch)
        return out
    root = data_root(info["dataset"]["kind"], args.data)
    train_rows = [row for row in rows if row.split == "train"]
    val_rows = [row for row in rows if row.split == "val"]
    labels = info["labels"]
    _check_classes(train_rows, val_rows, labels)
    spec_size = (info["input"]["height"], info["input"]["width"])
    cache = load_gray_cache(train_rows + val_rows, root, *spec_size, cache_dir=args.cache_dir)

    import keras

    from trainer.backend import configure_devices

    devices = configure_devices(precision, data_parallel=args.data_parallel)
    if not state.exists:
        info["input"] = input_spec_for(recipe, info["input"], cache.images, len(train_rows)).to_dict()
        info.update(backend=devices.backend, hardware=devices.description, mixed_precision=devices.mixed_precision,
                    precision=devices.precision)
    info.update(data_parallel=devices.data_parallel, devices=devices.device_count)
    spec = InputSpec.from_dict(info["input"])
    log.info("backend %s on %s; precision %s; data-parallel %s", devices.backend, devices.description,
             devices.precision, devices.data_parallel)
    if len(devices.accelerators) > 1 and not devices.data_parallel:
        log.info("more than one GPU visible but backend %s: training uses one (use --backend jax)", devices.backend)
    keras.utils.set_random_seed(info["seed"])
    distilled = _distilled_targets(recipe, args.teacher, info)
    batches = _batches(recipe, info, cache.images, train_rows, val_rows, spec, state.epoch, distilled)
    write_run_info(out, info)
    model = _load_or_build(out, recipe, args, info, state, steps_per_epoch=len(batches["train"]))
    _fit_phases(model, recipe, args, info, batches, state, out)
    info.update(epochs_run=state.epoch, wall_time_s=round(state.wall_time_s, 1),
                status="stopped-early" if state.stopped_early else "complete")
    write_run_info(out, info)
    state.save()
    log.info("done in %.0f s this session: %d epochs in all; best checkpoint %s",
             time.monotonic() - started, state.epoch, out / "best.keras")
    return out


# --- planning: split and run description -------------------------------------------------------


def fresh_plan(out: Path, recipe: Recipe, args: argparse.Namespace, command: str) -> tuple[dict, list[SplitRow]]:
    kind = resolve_kind(args.data, recipe.datasets)
    if args.kermany is not None and kind != "radiography":
        raise RunError("--kermany only applies to radiography data (it counts Viral Pneumonia films that are Kermany's)")
    dataset = load_dataset(kind, args.data)
    seed = recipe.seed if args.seed is None else args.seed
    options = PrepareOptions(
        fractions=recipe.fractions, seed=seed, limit_per_class=args.limit_per_class,
        max_per_class=recipe.max_per_class, skip_bad_files=args.skip_bad_files,
        cache_dir=args.cache_dir, kermany_root=args.kermany,
    )
    prepared = prepare_split(dataset, options)
    height, width = args.size or (recipe.height, recipe.width)
    split_sha = write_split_manifest(prepared.rows, out / SPLIT_FILE)
    (out / "data_report.json").write_text(json.dumps(prepared.report, indent=1), encoding="utf-8")
    for line in report_lines(prepared.report):
        log.info("%s", line)
    summary = {key: value for key, value in prepared.report.items() if key not in ("bad_files", "pediatric_overlap")}
    overlap = prepared.report.get("pediatric_overlap")
    if overlap:
        summary["pediatric_overlap"] = {k: overlap[k] for k in ("viral_pneumonia_films", "kermany_train_copies", "copies_by_split")}
    info = {
        "recipe": recipe.name,
        "model": recipe.model,
        "labels": list(dataset.labels),
        "abnormal_labels": list(dataset.abnormal_labels),
        "input": {"height": height, "width": width, "channels": recipe.channels},
        "preprocessing_id": PREPROCESSING_ID,
        "output_activation": "sigmoid" if len(dataset.labels) == 2 else "softmax",
        "dataset": {"kind": kind, "root": str(args.data)},
        "split_manifest_sha256": split_sha,
        "command": command,
        "seed": seed,
        "batch_size": args.batch or recipe.batch_size,
        "epochs_planned": _phase_epochs(recipe, args),
        "epochs_run": 0,
        "wall_time_s": 0.0,
        "status": "running",
        "recipe_notes": recipe.notes,
        "data": summary,
        "keras_version": _keras_version(),
    }
    return info, prepared.rows


def _resume_plan(out: Path, recipe: Recipe, args: argparse.Namespace, command: str) -> tuple[dict, list[SplitRow]]:
    info = read_run_info(out)
    if info["recipe"] != recipe.name:
        raise RunError(f"{out} holds a {info['recipe']} run; resume it with --recipe {info['recipe']} or choose another --out")
    rows = read_split_manifest(out / SPLIT_FILE)
    root = data_root(info["dataset"]["kind"], args.data)
    used = [row for row in rows if row.split in ("train", "val")]
    for row, digest in zip(used, hash_files([root / row.path for row in used])):
        if digest != row.sha256:
            raise DataError(f"{root / row.path}: content differs from the run's split.csv (or is unreadable); "
                            "the data changed since the run started")
    info.setdefault("resumed_with", []).append(command)
    info["epochs_planned"] = _phase_epochs(recipe, args)
    log.info("resuming %s from %s", info["recipe"], out)
    return info, rows


def _precision_for(info: dict, asked: str | None) -> str:
    """The policy to train under: a resumed run keeps the one it started with (its saved layers carry it,
    so another policy would only reach layers built later); a new run takes ``asked`` (default auto)."""
    recorded = info.get("precision")
    if recorded is None and "mixed_precision" in info:  # runs written before the option existed
        recorded = "mixed_float16" if info["mixed_precision"] else "float32"
    if recorded is None:
        return asked or "auto"
    if asked not in (None, "auto", recorded):
        raise RunError(f"this run was started with precision {recorded}; resume it without --precision "
                       "or start a new run folder")
    return recorded


def _phase_epochs(recipe: Recipe, args: argparse.Namespace) -> list[int]:
    """Epochs of each phase (frozen training, then fine-tuning if the recipe has one), capped by --epochs."""
    cap = args.epochs or math.inf
    phases = [recipe.epochs] + ([recipe.fine_tune.epochs] if recipe.fine_tune else [])
    return [int(min(epochs, cap)) for epochs in phases]


def _epochs_left(state: "ResumeState", phase_epochs: list[int]) -> bool:
    """Whether a saved run still has epochs to train (a larger --epochs extends a finished run)."""
    if state.phase < len(phase_epochs):
        return True
    return not state.stopped_early and state.epoch < state.phase_start + phase_epochs[-1]


def _check_classes(train_rows: list[SplitRow], val_rows: list[SplitRow], labels: list[str]) -> None:
    for name, rows in (("train", train_rows), ("val", val_rows)):
        counts = Counter(row.label for row in rows)
        empty = [label for label in labels if counts[label] == 0]
        if empty:
            raise RunError(f"the {name} split has no films of class(es) {empty}; use more data (--limit-per-class)")


def input_spec_for(recipe: Recipe, size: dict, images: np.ndarray, train_count: int) -> InputSpec:
    """The model's scaling from the registry; standardising models get the training split's mean/sd."""
    from trainer.models.registry import model_info

    scale_offset = model_info(recipe.model).scale_offset()
    if scale_offset is None:
        scale_offset = _standardization(images, np.arange(train_count))
        log.info("standardising with the training split: scale %.6g, offset %.6g", *scale_offset)
    return InputSpec(size["height"], size["width"], size["channels"],
                     scale=float(scale_offset[0]), offset=float(scale_offset[1]))


def _standardization(images: np.ndarray, indices: np.ndarray) -> tuple[float, float]:
    """(1/sd, -mean/sd) of the pixels of ``images[indices]``, accumulated in float64 chunks."""
    total = total_squares = 0.0
    count = 0
    for chunk in np.array_split(indices, max(1, len(indices) // 256)):
        pixels = np.asarray(images[chunk], dtype=np.float64)
        total += pixels.sum()
        total_squares += np.square(pixels).sum()
        count += pixels.size
    mean = total / count
    sd = math.sqrt(max(total_squares / count - mean * mean, 1e-12))
    return 1.0 / sd, -mean / sd


def _keras_version() -> str:
    import keras

    return keras.__version__


def log_to(path: Path) -> None:
    """Log to the console and to the run's train.log (appending across resumes)."""
    root = logging.getLogger("trainer")
    root.setLevel(logging.INFO)
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    file_handler = logging.FileHandler(path, encoding="utf-8")
    file_handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    console = logging.StreamHandler(sys.stderr)
    console.setFormatter(logging.Formatter("%(message)s"))
    root.addHandler(file_handler)
    root.addHandler(console)


# --- resumable state ------------------------------------------------------------------------------


class ResumeState:
    """``state.json``: epochs finished, current phase, callback state, accumulated wall time."""

    def __init__(self, out: Path, data: dict[str, Any] | None) -> None:
        self.out = out
        self.exists = data is not None and (out / "last.keras").is_file()
        data = data if self.exists else {}
        self.epoch: int = data.get("epoch", 0)
        self.phase: int = data.get("phase", 0)
        self.phase_start: int = data.get("phase_start", 0)
        self.stopped_early: bool = data.get("stopped_early", False)
        self.callbacks: dict[str, dict] = data.get("callbacks", {})
        self.wall_time_s: float = data.get("wall_time_s", 0.0)

    @classmethod
    def load(cls, out: Path) -> "ResumeState":
        path = out / STATE_FILE
        return cls(out, json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None)

    def save(self) -> None:
        data = {"epoch": self.epoch, "phase": self.phase, "phase_start": self.phase_start,
                "stopped_early": self.stopped_early, "callbacks": self.callbacks,
                "wall_time_s": self.wall_time_s}
        temporary = self.out / (STATE_FILE + ".tmp")
        temporary.write_text(json.dumps(data, indent=1), encoding="utf-8")
        os.replace(temporary, self.out / STATE_FILE)


def _resume_callback(state: ResumeState, tracked: list, phase: int, out: Path):
    """A Keras callback, last in the list: restores the others' state at the start of a resumed phase,
    and after every epoch saves ``last.keras`` then ``state.json`` (in that order, both atomically)."""
    import keras

    class SaveForResume(keras.callbacks.Callback):
        def on_train_begin(self, logs=None) -> None:
            self._clock = time.monotonic()
            self._wall_before = state.wall_time_s
            if state.phase == phase:
                for callback in tracked:
                    for key, value in state.callbacks.get(type(callback).__name__, {}).items():
                        setattr(callback, key, value)

        def on_epoch_end(self, epoch: int, logs=None) -> None:
            temporary = out / "last.tmp.keras"
            self.model.save(temporary)
            os.replace(temporary, out / "last.keras")
            state.epoch, state.phase = epoch + 1, phase
            state.stopped_early = bool(self.model.stop_training)
            state.wall_time_s = self._wall_before + time.monotonic() - self._clock
            state.callbacks = {
                type(callback).__name__: {key: _json_number(getattr(callback, key, None))
                                          for key in _CALLBACK_STATE[type(callback).__name__]}
                for callback in tracked
            }
            state.save()

    return SaveForResume()


def _json_number(value: Any) -> Any:
    return None if value is None else (int(value) if isinstance(value, (int, np.integer)) else float(value))


# --- model, data and fitting ----------------------------------------------------------------------


def _check_teacher_given(recipe: Recipe, teacher: Path | None) -> None:
    """Before any slow work: a distilling recipe needs --teacher (an existing file), any other refuses one."""
    if not recipe.distillation_weight:
        if teacher is not None:
            raise RunError(f"recipe {recipe.name} does not distil; drop --teacher")
    elif teacher is None:
        raise RunError(f"recipe {recipe.name} distils: give the teacher's model with --teacher RUN/best.keras")
    elif not teacher.is_file():
        raise RunError(f"teacher model not found: {teacher}")


def _distilled_targets(recipe: Recipe, teacher: Path | None, info: dict) -> Any:
    """The teacher's targets for a distilling recipe (None otherwise), after checking the teacher may teach.

    The teacher must come from a run on this very split (else it may have trained on this run's
    validation or test films) with the same input; a resumed run must get the teacher it started with.
    """
    if not recipe.distillation_weight:
        return None
    try:
        teacher_info = read_run_info(teacher.parent)
    except RunFolderError as error:
        raise RunError(f"{teacher}: not a model in a readable training run folder ({error})") from error
    for name in ("split_manifest_sha256", "input", "labels"):
        if teacher_info.get(name) != info[name]:
            raise RunError(f"teacher {teacher}: {name} differs from this run's; a teacher must be trained on the "
                           "same split with the same input")
    record = {"model": str(teacher), "model_sha256": sha256_file(teacher), "weight": recipe.distillation_weight}
    if info.setdefault("teacher", record)["model_sha256"] != record["model_sha256"]:
        raise RunError(f"teacher {teacher} is not the model this run started with ({info['teacher']['model']})")
    log.info("distilling from %s (weight %.2f)", teacher, recipe.distillation_weight)
    import keras

    from trainer.data.pipeline import DistilledTargets
    from trainer.models.registry import list_models

    list_models()
    return DistilledTargets(keras.saving.load_model(teacher, compile=False), recipe.distillation_weight)


def _batches(recipe: Recipe, info: dict, images: np.ndarray, train_rows: list[SplitRow], val_rows: list[SplitRow],
             spec: InputSpec, epoch: int, distilled: Any = None) -> dict[str, Any]:
    from trainer.data.pipeline import FilmBatches, MixUp, build_augmenter, build_degradation

    index = {label: i for i, label in enumerate(info["labels"])}
    dtype = np.float32 if info["output_activation"] == "sigmoid" else np.int32
    train_targets = np.array([index[row.label] for row in train_rows], dtype=dtype)
    val_targets = np.array([index[row.label] for row in val_rows], dtype=dtype)
    weights = training_weights(recipe, info, train_rows, train_targets)
    batch = info["batch_size"]
    seed = info["seed"]
    train_indices = np.arange(len(train_rows))
    val_indices = np.arange(len(train_rows), len(train_rows) + len(val_rows))
    return {
        "train": FilmBatches(images, train_indices, spec, batch, train_targets, weights,
                             build_augmenter(recipe.augmentation, seed), shuffle=True, seed=seed, epoch=epoch,
                             distilled=distilled, mixup=MixUp(recipe.mixup_alpha) if recipe.mixup_alpha else None,
                             degradation=build_degradation(recipe.augmentation)),
        "val": FilmBatches(images, val_indices, spec, batch, val_targets),
    }


def training_weights(recipe: Recipe, info: dict, train_rows: list[SplitRow], targets: np.ndarray) -> np.ndarray | None:
    """Per-film training weights of the recipe (None: unweighted), recorded in ``info`` and the log."""
    if recipe.sample_weighting == SOURCE_AND_LABEL:
        from trainer.data.adult_sources import source_label_weights

        weights, table = source_label_weights([row.path for row in train_rows], [row.label for row in train_rows])
        info["sample_weights"] = table
        log.info("sample weights (labels balanced within each source, sources by sqrt of size): %s", table)
        return weights
    if recipe.class_weights != INVERSE_FREQUENCY:
        return None
    per_class = class_weights_for(targets.astype(np.int64), len(info["labels"]))
    info["class_weights"] = dict(zip(info["labels"], np.round(per_class, 4).tolist()))
    log.info("class weights (inverse frequency on train): %s", info["class_weights"])
    return per_class[targets.astype(np.int64)].astype(np.float32)


def class_weights_for(targets: np.ndarray, num_classes: int) -> np.ndarray:
    counts = np.bincount(targets, minlength=num_classes).astype(np.float64)
    return counts.max() / counts


def _load_or_build(out: Path, recipe: Recipe, args: argparse.Namespace, info: dict, state: ResumeState,
                   steps_per_epoch: int):
    """The saved model of a resumed run (optimizer and schedule included), or a new compiled one."""
    import keras

    from trainer.backend import float32_output
    from trainer.models.registry import create_model, list_models

    list_models()  # imports every zoo module, registering their custom layers for loading
    if state.exists:
        return keras.saving.load_model(out / "last.keras")
    kwargs = dict(recipe.model_kwargs)
    if args.weights is not None:
        kwargs["weights"] = str(args.weights)
    size = info["input"]
    model = float32_output(create_model(recipe.model, (size["height"], size["width"], size["channels"]),
                                        len(info["labels"]), **kwargs))
    units = int(model.outputs[0].shape[-1])
    expected = 1 if info["output_activation"] == "sigmoid" else len(info["labels"])
    if units != expected:
        raise RunError(f"model {recipe.model} outputs {units} values but {len(info['labels'])} labels need {expected}")
    learning_rate = recipe.learning_rate
    if recipe.lr_schedule == "cosine":
        # Spans the epochs this run trains (--epochs included), so it ends at 0 with the last epoch.
        decay_steps = _phase_epochs(recipe, args)[0] * steps_per_epoch
        learning_rate = keras.optimizers.schedules.CosineDecay(recipe.learning_rate, decay_steps)
    compile_model(model, recipe, info, learning_rate)
    return model


def compile_model(model, recipe: Recipe, info: dict, learning_rate: Any) -> None:
    """Loss, metric and Adam at ``learning_rate`` (a float, or a Keras schedule for a cosine recipe)."""
    import keras

    from trainer.models.losses import SparseCategoricalFocalLoss

    sigmoid = info["output_activation"] == "sigmoid"
    if sigmoid != (recipe.loss == "binary_crossentropy"):
        raise RunError(f"recipe {recipe.name}: loss {recipe.loss} does not suit a {info['output_activation']} output")
    loss = {
        "binary_crossentropy": keras.losses.BinaryCrossentropy,
        "sparse_categorical_crossentropy": keras.losses.SparseCategoricalCrossentropy,
        "sparse_categorical_focal": lambda: SparseCategoricalFocalLoss(gamma=recipe.focal_gamma),
    }[recipe.loss]()
    accuracy = keras.metrics.BinaryAccuracy if sigmoid else keras.metrics.SparseCategoricalAccuracy
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss=loss, metrics=[accuracy(name="accuracy")])


def _callbacks(recipe: Recipe, out: Path, state: ResumeState, phase: int) -> list:
    import keras

    keep_best = recipe.checkpoint_monitor is not None
    tracked: list = [keras.callbacks.ModelCheckpoint(out / "best.keras", monitor=recipe.checkpoint_monitor or "loss",
                                                     save_best_only=keep_best)]
    if recipe.early_stopping:
        stop = recipe.early_stopping
        tracked.append(keras.callbacks.EarlyStopping(monitor=stop.monitor, min_delta=stop.min_delta,
                                                     patience=stop.patience, mode=stop.mode))
    if recipe.reduce_lr:
        reduce = recipe.reduce_lr
        tracked.append(keras.callbacks.ReduceLROnPlateau(monitor=reduce.monitor, factor=reduce.factor,
                                                         patience=reduce.patience, mode=reduce.mode,
                                                         min_lr=reduce.min_lr))
    logging_callbacks = [keras.callbacks.CSVLogger(out / "history.csv", append=True),
                         keras.callbacks.TensorBoard(str(out / "tensorboard"))]
    return tracked + logging_callbacks + [_resume_callback(state, tracked, phase, out)]


def _fit_phases(model, recipe: Recipe, args: argparse.Namespace, info: dict, batches: dict, state: ResumeState,
                out: Path) -> None:
    """Phase 1 (the recipe's training), then phase 2 (fine-tuning) when the recipe has one."""
    phase_epochs = _phase_epochs(recipe, args)
    _trim_history(out / "history.csv", state.epoch)
    verbose = 1 if sys.stdout.isatty() else 2
    for phase, epochs in enumerate(phase_epochs, start=1):
        if state.phase > phase or (state.phase == phase and state.stopped_early):
            continue
        if state.phase < phase:
            state.phase_start, state.stopped_early = state.epoch, False
            if phase == 2:
                _start_fine_tuning(model, recipe, info)
        end = state.phase_start + epochs
        if state.epoch >= end:
            continue
        log.info("phase %d: epochs %d..%d", phase, state.epoch + 1, end)
        model.fit(batches["train"], validation_data=batches["val"], epochs=end, initial_epoch=state.epoch,
                  callbacks=_callbacks(recipe, out, state, phase), verbose=verbose)


def _start_fine_tuning(model, recipe: Recipe, info: dict) -> None:
    from trainer.models.transfer import unfreeze_backbone

    unfrozen = unfreeze_backbone(model, recipe.fine_tune.unfreeze_from)
    log.info("fine-tuning: unfroze %d backbone layers from %r, lr %g", unfrozen, recipe.fine_tune.unfreeze_from,
             recipe.fine_tune.learning_rate)
    compile_model(model, recipe, info, recipe.fine_tune.learning_rate)


def _trim_history(path: Path, epochs: int) -> None:
    """Drop history rows of epochs after the last saved state (an epoch logged, then interrupted)."""
    if not path.is_file():
        return
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    if len(lines) > epochs + 1:
        path.write_text("".join(lines[:epochs + 1]), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
