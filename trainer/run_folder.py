"""A training run folder: ``run.json``, ``split.csv`` and the ``.keras`` model; the one owner of ``run.json``.

The run folder is the contract between the trainer and the converters. Everything a bundle
claims about labels, input and data provenance is read from here, never re-typed on the
command line, so a card cannot describe a different model than the one converted. Every
trainer entry point writes ``run.json`` through `write_run_info` and every reader goes through
`read_run_info` (the record as written) or `read_run` (a classifier run checked against
`REQUIRED_RUN_FIELDS` and its split), so the file has one format: ``json.dumps(info, indent=2)``,
replaced atomically, as in every run folder written so far.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cxrcore.bundle import OUTPUT_ACTIVATIONS
from cxrcore.files import sha256_file
from cxrcore.preprocess import InputSpec

RUN_FILE = "run.json"
SPLIT_FILE = "split.csv"
#: What the converters need of a classifier run; the trainer writes more (command, seed, epochs, wall
#: time, hardware…), which the card copies when present. A DCGAN run (`trainer.dcgan_train`) records
#: its own facts and is not a classifier run.
REQUIRED_RUN_FIELDS = ("labels", "abnormal_labels", "input", "output_activation", "dataset", "split_manifest_sha256")


class RunFolderError(ValueError):
    """A run folder that cannot be trusted; the message names the folder and the problem (no traceback shown)."""


@dataclass(frozen=True)
class TrainingRun:
    """A validated run folder. ``info`` is run.json as written by the trainer."""

    model_path: Path
    info: dict[str, Any]

    @property
    def directory(self) -> Path:
        return self.model_path.parent

    @property
    def split_path(self) -> Path:
        return self.directory / SPLIT_FILE

    @property
    def labels(self) -> list[str]:
        return list(self.info["labels"])

    @property
    def abnormal_labels(self) -> list[str]:
        return list(self.info["abnormal_labels"])

    @property
    def activation(self) -> str:
        return self.info["output_activation"]

    @property
    def input_spec(self) -> InputSpec:
        return InputSpec.from_dict(self.info["input"])

    @property
    def output_units(self) -> int:
        return 1 if self.activation == "sigmoid" else len(self.labels)


def holds_run(directory: str | os.PathLike[str]) -> bool:
    """Whether ``directory`` already holds a run's record (a finished, running or interrupted run)."""
    return (Path(directory) / RUN_FILE).is_file()


def read_run_info(directory: str | os.PathLike[str]) -> dict[str, Any]:
    """``directory/run.json`` as written, unchecked beyond being a JSON object (`read_run` checks a classifier run)."""
    run_path = Path(directory) / RUN_FILE
    try:
        info = json.loads(run_path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        problem = f"no {RUN_FILE} beside the model (is this a training run folder?)"
        raise RunFolderError(f"{Path(directory)}: {problem}") from error
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise RunFolderError(f"{run_path}: unreadable ({error})") from error
    if not isinstance(info, dict):
        raise RunFolderError(f"{run_path}: must hold a JSON object")
    return info


def write_run_info(directory: str | os.PathLike[str], info: dict[str, Any]) -> Path:
    """Write ``directory/run.json`` atomically (a run stopped mid-write keeps its previous record)."""
    run_path = Path(directory) / RUN_FILE
    temporary = run_path.with_name(RUN_FILE + ".tmp")
    temporary.write_text(json.dumps(info, indent=2), encoding="utf-8")
    os.replace(temporary, run_path)
    return run_path


def read_run(model_path: str | os.PathLike[str]) -> TrainingRun:
    """Read the run folder holding ``model_path``; refuse it if run.json or split.csv is missing or inconsistent."""
    model_path = Path(model_path).resolve()
    directory = model_path.parent
    if not model_path.is_file():
        raise RunFolderError(f"model file not found: {model_path}")
    run_path = directory / RUN_FILE
    info = read_run_info(directory)
    missing = [name for name in REQUIRED_RUN_FIELDS if name not in info]
    if missing:
        raise RunFolderError(f"{run_path}: missing field(s) {missing}")
    if info["output_activation"] not in OUTPUT_ACTIVATIONS:
        raise RunFolderError(f"{run_path}: output_activation must be one of {OUTPUT_ACTIVATIONS}")
    if not set(info["abnormal_labels"]) <= set(info["labels"]):
        raise RunFolderError(f"{run_path}: abnormal_labels {info['abnormal_labels']} are not all in labels")
    run = TrainingRun(model_path=model_path, info=info)
    try:
        run.input_spec
    except (TypeError, ValueError) as error:
        raise RunFolderError(f"{run_path}: input is invalid ({error})") from error
    if not run.split_path.is_file():
        raise RunFolderError(f"{directory}: no {SPLIT_FILE}; the converters need the trainer's split")
    actual = sha256_file(run.split_path)
    if actual != info["split_manifest_sha256"]:
        raise RunFolderError(
            f"{run.split_path} has SHA-256 {actual[:12]}… but run.json records "
            f"{str(info['split_manifest_sha256'])[:12]}…: the split changed after training, so "
            "test films may have been trained on"
        )
    return run


def load_keras(path: str | os.PathLike[str]) -> Any:
    """Load a ``.keras`` file on the TensorFlow backend (TFLiteConverter needs TF graphs), computing in
    float32 even when it was trained under a mixed policy (`trainer.backend.float32_model`).

    Models trained on JAX load the same way: a ``.keras`` file is backend-neutral. The trainer's
    custom layers are registered by importing its model modules, which ``list_models`` does.
    """
    os.environ["KERAS_BACKEND"] = "tensorflow"
    import keras

    if keras.backend.backend() != "tensorflow":
        raise RunFolderError(
            f"Keras was already imported with the {keras.backend.backend()!r} backend; "
            "the converters need KERAS_BACKEND=tensorflow set before Keras is first imported"
        )
    try:
        from trainer.models import list_models
    except ImportError:  # a deployment without the trainer can still convert plain Keras models
        pass
    else:
        list_models()
    from trainer.backend import float32_model

    return float32_model(keras.saving.load_model(path, compile=False))


def load_keras_model(run: TrainingRun) -> Any:
    """The run's model, checked against run.json's input size and label count."""
    model = load_keras(run.model_path)
    spec = run.input_spec
    expected_input = (spec.height, spec.width, spec.channels)
    if tuple(model.input_shape[1:]) != expected_input:
        raise RunFolderError(f"{run.model_path}: model input {model.input_shape[1:]} but run.json says {expected_input}")
    if int(model.output_shape[-1]) != run.output_units:
        raise RunFolderError(
            f"{run.model_path}: model has {model.output_shape[-1]} outputs but {len(run.labels)} labels "
            f"with {run.activation} need {run.output_units}"
        )
    return model
