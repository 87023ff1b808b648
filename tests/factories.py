"""Builders for small but real test artefacts: a genuine ``.tflite`` model wrapped in a valid bundle.

The model is tiny and untrained (its outputs mean nothing clinically); it exists so bundle
validation, the runtime, the app and the packaging self-test can be exercised end to end
without the shipped models. Shipped bundles are tested separately, on real test films.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np

from cxrcore.bundle import CARD_FILE, SCHEMA_VERSION, seal_card
from cxrcore.files import sha256_file
from cxrcore.preprocess import PREPROCESSING_ID, InputSpec

SAMPLES_DIR = Path(__file__).resolve().parent.parent / "samples"
TINY_INPUT = InputSpec(height=64, width=64, channels=1, scale=1.0 / 255.0, offset=0.0)
#: Card ``population`` objects for test bundles (the shipped pediatric card's, and an adult one).
PEDIATRIC_POPULATION = {
    "description": "children aged 1–5, frontal chest films (PA/AP)", "age_years": [1, 5], "view": "frontal",
    "sources": ["Guangzhou Women and Children's Medical Center (Kermany et al. 2018)"],
    "population_check": "pediatric", "routable": True,
}
ADULT_POPULATION = {
    "description": "adults aged 18–100, frontal chest films (PA/AP)", "age_years": [18, 100], "view": "frontal",
    "sources": ["test fixture"], "population_check": "adult", "routable": True,
}


def tiny_tflite_bytes(units: int = 2, activation: str = "softmax", seed: int = 0) -> bytes:
    """Convert a tiny seeded Keras CNN (64×64×1 → ``units``) to a float32 ``.tflite`` flatbuffer."""
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(seed)
    model = keras.Sequential(
        [
            keras.Input((TINY_INPUT.height, TINY_INPUT.width, TINY_INPUT.channels)),
            keras.layers.Conv2D(4, 3, strides=2, activation="relu"),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(units, activation=activation),
        ]
    )
    return tf.lite.TFLiteConverter.from_keras_model(model).convert()


def write_bundle(
    directory: Path,
    tflite: bytes,
    labels: tuple[str, ...] = ("NORMAL", "PNEUMONIA"),
    activation: str = "softmax",
    reference_files: tuple[Path, ...] = (),
    reference_probabilities: list[list[float]] | None = None,
    population: dict | None = None,
) -> Path:
    """Write ``directory`` as a complete, hash-consistent bundle around ``tflite`` (with the card
    ``population`` when given, e.g. `PEDIATRIC_POPULATION`)."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "model_float32.tflite").write_bytes(tflite)
    references = []
    for index, source in enumerate(reference_files):
        relative = f"reference/{source.name}"
        (directory / "reference").mkdir(exist_ok=True)
        shutil.copyfile(source, directory / relative)
        probabilities = (reference_probabilities or [])[index] if reference_probabilities else [0.5] * len(labels)
        references.append({"file": relative, "build": "float32", "probabilities": probabilities, "tolerance": 1e-4})
    files = {
        path.relative_to(directory).as_posix(): sha256_file(path)
        for path in sorted(directory.rglob("*"))
        if path.is_file() and path.name != CARD_FILE
    }
    units = 1 if activation == "sigmoid" else len(labels)
    card = {
        "schema_version": SCHEMA_VERSION,
        "name": directory.name,
        "version": "0.0.1-test",
        "task": "test fixture: untrained tiny CNN",
        "labels": list(labels),
        "abnormal_labels": [labels[-1]],
        "input": TINY_INPUT.to_dict(),
        "preprocessing_id": PREPROCESSING_ID,
        "output_activation": activation,
        "thresholds": {labels[-1]: 0.5},
        "calibration": {"temperature": 1.0},
        "training": {"dataset": "none (untrained test fixture)", "split_manifest_sha256": ""},
        "builds": {
            "float32": {
                "file": "model_float32.tflite",
                "output_units": units,
                "status": "passed",
                "test_metrics": {},
                "drift": {},
            }
        },
        "default_build": "float32",
        "files": files,
        "created_by": "tests/factories.py",
        "reference_outputs": references,
        "limitations": ["untrained test fixture; outputs are meaningless"],
        **({"population": population} if population is not None else {}),
    }
    (directory / CARD_FILE).write_text(json.dumps(seal_card(card), indent=2), encoding="utf-8")
    return sign_for_tests(directory)


#: The suite's throwaway signing key (made by tests/conftest.py, its public half trusted through
#: `desktop.paths.TRUSTED_KEYS_ENV`): every bundle the suite builds is signed, as a maintainer would.
TEST_SIGNING_KEY_ENV = "CXR_TEST_SIGNING_KEY"


def sign_for_tests(directory: Path) -> Path:
    """Sign a bundle built by a test with the suite's key, so that the app accepts it."""
    from converters.sign import read_private_key, sign_bundle

    sign_bundle(directory, read_private_key(Path(os.environ[TEST_SIGNING_KEY_ENV])))
    return directory


def sample_films() -> list[Path]:
    """The bundled real sample films (Kermany test set), sorted."""
    return sorted(SAMPLES_DIR.glob("*.jpeg"))


def assert_probabilities(values: np.ndarray, count: int) -> None:
    assert values.shape == (count,)
    assert np.all(values >= 0) and abs(float(values.sum()) - 1.0) < 1e-5
