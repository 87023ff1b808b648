"""Rebuild a bundle's Keras model from its float32 LiteRT build, as a run folder the trainer and converters take.

    python -m trainer.from_bundle --bundle models/pneumonia-pediatric --out runs/pneumonia-pediatric-1.3.0

Why: run folders do not survive between sessions, and a shipped model whose ``best.keras`` is gone
could no longer be fine-tuned (`trainer.quant_aware`) or converted again. Its float32 build still
holds every weight: the converter folded each BatchNormalization into the convolution before it,
so the rebuilt model gets the folded kernel and a BatchNormalization that only adds the folded bias
(mean 0, variance 1, gamma √(1+ε), beta = bias). In inference mode that is exactly the build's
arithmetic, and converting the rebuilt model folds it back to the same weights.

The architecture comes from the card (``training.model``, a registry name); weights are matched to
the build's weighted ops in graph order with every shape checked, and the rebuilt model must give
the build's outputs on the bundle's reference films within `AGREEMENT_TOLERANCE` or nothing is
written. ``run.json`` is the card's training record plus ``rebuilt_from`` (the bundle and build
hashes); ``split.csv`` is the bundle's, so the split manifest hash still matches.
"""

from __future__ import annotations

from trainer.extras import require_training_extras

if __name__ == "__main__":  # before the imports below: they need the training extras
    require_training_extras("trainer.from_bundle")

import argparse
import logging
import shlex
import shutil
import sys
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from cxrcore.bundle import BundleError, ModelBundle, load_bundle
from cxrcore.files import sha256_file
from cxrcore.preprocess import load_resized_gray, to_model_input
from trainer.run_folder import RUN_FILE, SPLIT_FILE, holds_run, write_run_info

log = logging.getLogger("trainer.from_bundle")
PROGRAM = "python -m trainer.from_bundle"
#: Largest |Δ output| allowed between the rebuilt Keras model and the float32 build on the reference films.
AGREEMENT_TOLERANCE = 1e-4
_WEIGHTED_OPS = ("CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED")


class RebuildError(RuntimeError):
    """The build cannot be mapped onto the card's architecture; the message says where."""


def build_weights(path: Path) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """(op name, kernel, bias) of every weighted op of a float32 ``.tflite``, in graph order."""
    from ai_edge_litert.interpreter import Interpreter, OpResolverType

    interpreter = Interpreter(model_path=str(path),
                              experimental_op_resolver_type=OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES)
    interpreter.allocate_tensors()
    weights = []
    for op in interpreter._get_ops_details():  # noqa: SLF001 - the one API listing ops with their tensors
        if op["op_name"] not in _WEIGHTED_OPS:
            continue
        kernel_index, bias_index = op["inputs"][1], op["inputs"][2]
        if bias_index < 0:
            raise RebuildError(f"{path}: {op['op_name']} #{op['index']} has no bias; not a folded Keras build")
        weights.append((op["op_name"], interpreter.get_tensor(kernel_index), interpreter.get_tensor(bias_index)))
    return weights


def _keras_kernel(op_name: str, kernel: np.ndarray) -> np.ndarray:
    """LiteRT kernel layout → Keras: conv OHWI → HWIO, depthwise 1HW(C·M) → HWCM (M = 1 here), dense OI → IO."""
    return np.transpose(kernel, (1, 2, 3, 0)) if op_name != "FULLY_CONNECTED" else np.transpose(kernel)


def _weighted_layers(model: Any) -> list[Any]:
    """Conv2D, DepthwiseConv2D and Dense layers in graph order, nested models flattened."""
    import keras

    from trainer.int8_simulation import flat_layers

    kinds = (keras.layers.Conv2D, keras.layers.DepthwiseConv2D, keras.layers.Dense)
    return [layer for layer in flat_layers(model) if isinstance(layer, kinds)]


def _next_batch_norms(model: Any) -> dict[str, Any]:
    """Weighted layer name → the BatchNormalization that reads its output (absent: the layer has its own bias)."""
    import keras

    from trainer.int8_simulation import flat_layers, source_layer

    return {source_layer(layer).name: layer for layer in flat_layers(model)
            if isinstance(layer, keras.layers.BatchNormalization)}


def load_folded_weights(model: Any, weights: list[tuple[str, np.ndarray, np.ndarray]]) -> None:
    """Put a build's folded kernels and biases into ``model`` (see the module docstring for the BN identity)."""
    layers = _weighted_layers(model)
    if len(layers) != len(weights):
        raise RebuildError(f"the build has {len(weights)} weighted ops, the architecture {len(layers)} layers")
    batch_norms = _next_batch_norms(model)
    for layer, (op_name, kernel, bias) in zip(layers, weights):
        kernel = _keras_kernel(op_name, kernel)
        if tuple(layer.kernel.shape) != kernel.shape:
            raise RebuildError(f"{layer.name}: kernel {tuple(layer.kernel.shape)} but the build's {op_name} has "
                               f"{kernel.shape}")
        norm = batch_norms.get(layer.name)
        if norm is None:
            layer.set_weights([kernel, bias])
            continue
        epsilon = float(norm.epsilon)
        channels = bias.shape[0]
        layer.set_weights([kernel])
        norm.set_weights([np.full(channels, np.sqrt(1.0 + epsilon), np.float32), bias.astype(np.float32),
                          np.zeros(channels, np.float32), np.ones(channels, np.float32)])


def rebuild(bundle: ModelBundle) -> Any:
    """The card's architecture holding the bundle's float32 build's weights (Keras, TensorFlow backend)."""
    from trainer.models.registry import create_model

    training = bundle.training
    architecture = training.get("model")
    if not architecture:
        raise RebuildError(f"{bundle.directory}: card.training.model does not name the architecture")
    spec = bundle.input_spec
    model = create_model(architecture, (spec.height, spec.width, spec.channels), max(len(bundle.labels), 2))
    load_folded_weights(model, build_weights(bundle.build_path("float32")))
    return model


def reference_gap(model: Any, bundle: ModelBundle) -> float:
    """Largest |Δ output| between ``model`` and the float32 build on the bundle's reference films."""
    from cxrcore.classifier import Classifier

    spec = bundle.input_spec
    files = dict.fromkeys(entry["file"] for entry in bundle.reference_outputs)  # one entry per film and build
    films = [load_resized_gray(bundle.directory / name, spec.height, spec.width) for name in files]
    if not films:
        raise RebuildError(f"{bundle.directory}: the card lists no reference films to check the rebuild on")
    ours = np.asarray(model.predict(to_model_input(np.stack(films), spec), verbose=0), np.float64)
    with Classifier(bundle, build="float32") as classifier:
        theirs = np.concatenate([classifier.raw_output(gray) for gray in films]).astype(np.float64)
    return float(np.max(np.abs(ours.reshape(theirs.shape) - theirs)))


def write_run_folder(model: Any, bundle: ModelBundle, out: Path, command: str) -> Path:
    """``out`` as a run folder: best.keras, the bundle's split.csv, run.json from the card's training record."""
    out.mkdir(parents=True, exist_ok=True)
    model_path = out / "best.keras"
    model.save(model_path)
    shutil.copyfile(bundle.directory / SPLIT_FILE, out / SPLIT_FILE)
    info = dict(bundle.training)
    info.update(
        labels=bundle.labels, abnormal_labels=bundle.abnormal_labels, input=bundle.input_spec.to_dict(),
        output_activation=bundle.output_activation, model_file=model_path.name,
        model_sha256=sha256_file(model_path),
        rebuilt_from={"bundle": bundle.name, "version": bundle.version, "card_sha256": bundle.card_sha256,
                      "build": "float32", "build_sha256": sha256_file(bundle.build_path("float32")),
                      "command": command},
    )
    write_run_info(out, info)
    return model_path


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=PROGRAM, description=__doc__.split("\n\n")[0])
    parser.add_argument("--bundle", required=True, type=Path, help="model bundle folder with a float32 build")
    parser.add_argument("--out", required=True, type=Path, help="new run folder (refused if it holds a run)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="[from_bundle] %(message)s")
    from trainer.backend import select_backend

    select_backend("tensorflow")
    if holds_run(args.out):
        log.error("error: %s already holds a run (%s); choose a new folder", args.out, RUN_FILE)
        return 2
    try:
        bundle = load_bundle(args.bundle)
        model = rebuild(bundle)
        gap = reference_gap(model, bundle)
        if gap > AGREEMENT_TOLERANCE:
            raise RebuildError(f"the rebuilt model differs from the float32 build by {gap:.2e} on the reference "
                               f"films (limit {AGREEMENT_TOLERANCE:g}); nothing written")
        path = write_run_folder(model, bundle, args.out, f"{PROGRAM} {shlex.join(argv)}")
    except (BundleError, RebuildError, KeyError) as error:
        log.error("error: %s", error)
        return 2
    log.info("rebuilt %s %s: largest |Δ| on the reference films %.2e; wrote %s", bundle.name, bundle.version, gap, path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
