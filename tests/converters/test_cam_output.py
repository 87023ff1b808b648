"""Adding the feature map as a second output: output 0 untouched, both engines agree, the bundle stays sealed."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from converters.builds import convert
from converters.cam_output import add_to_bundle, has_feature_output, main, with_feature_output
from cxrcore.bundle import CARD_FILE, load_bundle
from cxrcore.cam import dense_head
from cxrcore.classifier import Classifier
from cxrcore.preprocess import preprocess_file
from cxrcore.runtime import CompiledModelEngine, InterpreterEngine
from tests.factories import TINY_INPUT, sample_films, write_bundle


@pytest.fixture(scope="module")
def tiny_with_features(tiny_tflite: bytes) -> bytes:
    return with_feature_output(tiny_tflite)


def _write(tmp_path: Path, name: str, flatbuffer: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(flatbuffer)
    return path


def test_the_pooled_map_becomes_output_1_and_output_0_is_bit_identical(
    tmp_path: Path, tiny_tflite: bytes, tiny_with_features: bytes
) -> None:
    assert not has_feature_output(tiny_tflite) and has_feature_output(tiny_with_features)
    assert with_feature_output(tiny_with_features) == tiny_with_features  # idempotent
    before, after = _write(tmp_path, "before.tflite", tiny_tflite), _write(tmp_path, "after.tflite", tiny_with_features)
    for film in sample_films():
        batch = preprocess_file(film, TINY_INPUT)
        with InterpreterEngine(before, 1) as old, InterpreterEngine(after, 1) as new, \
                CompiledModelEngine(after, 1, use_gpu=False) as compiled:
            assert [info.shape for info in new.output_infos] == [(1, 2), (1, 31, 31, 4)]
            interpreted, from_compiled = new.run_all(batch), compiled.run_all(batch)
            np.testing.assert_array_equal(interpreted[0], old.run(batch))
            np.testing.assert_array_equal(new.run(batch), interpreted[0])
            for left, right in zip(interpreted, from_compiled):
                np.testing.assert_allclose(left, right, atol=1e-6)


def _small_model(head: str):
    import keras

    keras.utils.set_random_seed(0)
    pooling = keras.layers.GlobalAveragePooling2D() if head == "pooled" else keras.layers.Flatten()
    return keras.Sequential([keras.Input((16, 16, 1)), keras.layers.Conv2D(2, 3, activation="relu"), pooling,
                             keras.layers.Dense(1, activation="sigmoid")])


@pytest.mark.parametrize("kind", ["float32", "float16", "dynamic", "int8"])
def test_every_new_build_carries_the_feature_output(kind: str) -> None:
    representative = np.random.default_rng(0).random((4, 16, 16, 1), dtype=np.float32)
    flatbuffer = convert(_small_model("pooled"), kind, representative)
    assert has_feature_output(flatbuffer)
    assert dense_head(flatbuffer).weights.shape == (1, 2)


def test_a_model_without_a_pooling_dense_head_is_left_alone() -> None:
    import tensorflow as tf

    flatbuffer = tf.lite.TFLiteConverter.from_keras_model(_small_model("flattened")).convert()
    assert dense_head(flatbuffer) is None
    assert with_feature_output(flatbuffer) == flatbuffer


def test_bundle_command_replaces_the_build_and_reseals_the_card(
    tmp_path: Path, tiny_tflite: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle_dir = write_bundle(tmp_path / "bundle", tiny_tflite, reference_files=tuple(sample_films()[:2]))
    before = load_bundle(bundle_dir)
    changes = add_to_bundle(bundle_dir)
    assert [(change.kind, change.added) for change in changes] == [("float32", True)]
    after = load_bundle(bundle_dir)  # verifies the seal and every file's SHA-256
    assert after.file_sha256("model_float32.tflite") != before.file_sha256("model_float32.tflite")
    unchanged = {key: value for key, value in before.card.items() if key not in ("files", "card_sha256")}
    assert {key: value for key, value in after.card.items() if key not in ("files", "card_sha256")} == unchanged
    with Classifier(after, accelerator="cpu", threads=1) as classifier:
        assert classifier.cam_head is not None
    assert main([str(bundle_dir)]) == 0 and "already outputs its feature map" in capsys.readouterr().out
    assert json.loads((bundle_dir / CARD_FILE).read_text())["card_sha256"] == after.card_sha256
