"""Average models trained on one split into a single model, in a run folder the converters accept.

    python -m trainer.ensemble --members runs/a/best.keras runs/b/best.keras --out runs/a+b

Why one model and not several files: the app, the converters and the drift gate all work on one
model, so an ensemble that is one Keras graph (the members side by side, their probabilities
averaged) is converted, quantized, calibrated and gated exactly like a single network, and the
app needs no change. Why the same split is required: the converters calibrate and choose the
threshold on the run's validation films and report on its test films; a member trained on
another split may have trained on those films, which would make both dishonest.

Writes ``best.keras``, ``split.csv`` (the members' common one, copied) and ``run.json`` (the
first member's, with ``recipe``/``model``/``command`` describing the ensemble and ``members``
naming each member's run, recipe and model SHA-256).
"""

from __future__ import annotations

from trainer.extras import require_training_extras

if __name__ == "__main__":  # before the imports below: they need the training extras
    require_training_extras("trainer.ensemble")

import argparse
import shlex
import shutil
import sys
from pathlib import Path
from typing import Any, Sequence

from cxrcore.files import sha256_file
from trainer.backend import BACKENDS, select_backend
from trainer.run_folder import SPLIT_FILE, RunFolderError, read_run_info, write_run_info

#: run.json fields that must be identical across members: the films, their labels and the input.
SHARED_FIELDS = ("labels", "abnormal_labels", "input", "preprocessing_id", "output_activation",
                 "split_manifest_sha256")
MODEL_FILE = "best.keras"


class EnsembleError(ValueError):
    """Members that cannot be averaged honestly; the message names the member and the field."""


def read_members(paths: Sequence[Path]) -> list[dict[str, Any]]:
    """Each member's run.json, after checking the members share films, labels and input."""
    if len(paths) < 2:
        raise EnsembleError("an ensemble needs at least two members")
    infos = []
    for path in paths:
        if not path.is_file():
            raise EnsembleError(f"{path}: model file not found")
        try:
            infos.append(read_run_info(path.parent))
        except RunFolderError as error:
            raise EnsembleError(f"{path}: not a model inside a training run folder ({error})") from error
    for path, info in zip(paths[1:], infos[1:]):
        for name in SHARED_FIELDS:
            if info.get(name) != infos[0].get(name):
                raise EnsembleError(f"{path}: {name} differs from {paths[0]}'s; members must be trained on the "
                                    "same split, labels and input")
    return infos


def build_ensemble(members: Sequence[Any]) -> Any:
    """One Keras model whose output is the mean of the members' outputs (probabilities)."""
    import keras

    inputs = keras.Input(shape=members[0].input_shape[1:], name="film")
    # Each member is re-wrapped under its own name so the saved file can hold two copies of one architecture.
    branches = [keras.Model(member.inputs, member.output, name=f"member_{k}")(inputs)
                for k, member in enumerate(members)]
    return keras.Model(inputs, keras.layers.Average(name="mean_probability")(branches), name="ensemble")


def write_ensemble(paths: Sequence[Path], out: Path, argv: Sequence[str]) -> Path:
    infos = read_members(paths)
    import keras

    from trainer.backend import configure_devices
    from trainer.models.registry import list_models

    devices = configure_devices(precision="float32")
    list_models()  # registers the zoo's custom layers before loading
    model = build_ensemble([keras.saving.load_model(path, compile=False) for path in paths])
    out.mkdir(parents=True, exist_ok=True)
    model_path = out / MODEL_FILE
    model.save(model_path)
    shutil.copyfile(paths[0].parent / SPLIT_FILE, out / SPLIT_FILE)
    info = {name: value for name, value in infos[0].items() if name in SHARED_FIELDS + ("dataset", "data", "seed")}
    info.update(
        recipe="ensemble(" + " + ".join(member["recipe"] for member in infos) + ")",
        model=f"mean of {len(paths)} models: " + ", ".join(member["model"] for member in infos),
        members=[{"run": str(path.parent), "recipe": member["recipe"], "model_sha256": sha256_file(path)}
                 for path, member in zip(paths, infos)],
        command="python -m trainer.ensemble " + shlex.join(argv),
        keras_version=keras.__version__,
        backend=devices.backend,
        hardware=devices.description,
        status="assembled",
    )
    write_run_info(out, info)
    return model_path


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m trainer.ensemble", description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", nargs="+", required=True, type=Path, help="best.keras of each member run")
    parser.add_argument("--out", required=True, type=Path, help="folder for the ensemble's run folder")
    parser.add_argument("--backend", choices=BACKENDS)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser().parse_args(argv)
    select_backend(args.backend)
    try:
        model_path = write_ensemble(args.members, args.out, argv)
    except EnsembleError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"ensemble of {len(args.members)} members written to {model_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
