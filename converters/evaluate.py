"""Run the float Keras model and the LiteRT builds over the same films.

Builds are run through `cxrcore.classifier.Classifier` — the app's own path from uint8 film
to model output, integer input quantization and output dequantization included — so a drift
figure is what a clinic gets. Evaluation uses the CPU: GPU delegates change the arithmetic,
and the card's numbers must be reproducible on any machine.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from cxrcore.bundle import ModelBundle
from cxrcore.classifier import Classifier
from cxrcore.preprocess import to_model_input

from trainer.run_folder import TrainingRun


def keras_outputs(model: Any, gray: np.ndarray, run: TrainingRun, batch_size: int = 32) -> np.ndarray:
    """(N, H, W) uint8 films → (N, units) float64 outputs of the float Keras model."""
    import keras

    outputs = []
    for start in range(0, len(gray), batch_size):
        batch = to_model_input(gray[start : start + batch_size], run.input_spec)
        outputs.append(keras.ops.convert_to_numpy(model(batch, training=False)))
    return np.concatenate(outputs).astype(np.float64).reshape(len(gray), run.output_units)


def staging_bundle(
    directory: Path,
    run: TrainingRun,
    files: dict[str, str],
    temperature: float = 1.0,
    thresholds: dict[str, float] | None = None,
) -> ModelBundle:
    """An in-memory bundle over builds written to ``directory`` but not yet carded.

    The card cannot be written before the builds are measured, yet `Classifier` takes a bundle;
    this holds just what `Classifier` reads (input, labels, output units, temperature, thresholds).
    """
    card = {
        "labels": run.labels,
        "abnormal_labels": run.abnormal_labels,
        "input": run.input_spec.to_dict(),
        "output_activation": run.activation,
        "builds": {kind: {"file": file, "output_units": run.output_units} for kind, file in files.items()},
        "default_build": next(iter(files)),
        "calibration": {"temperature": temperature},
        "thresholds": dict(thresholds or {}),
    }
    return ModelBundle(directory=Path(directory).resolve(), card=card)


def open_build(bundle: ModelBundle, kind: str, threads: int | None = None) -> Classifier:
    """The app's classifier for one build, on the CPU."""
    return Classifier(bundle, kind, accelerator="cpu", threads=threads)


def build_outputs(classifier: Classifier, gray: np.ndarray) -> np.ndarray:
    """(N, H, W) uint8 films → (N, units) float64 dequantized outputs, one film at a time as the app runs them."""
    return np.concatenate([classifier.raw_output(film) for film in gray]).astype(np.float64)
