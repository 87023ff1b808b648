"""The model zoo: the papers' parameter counts (exact), every model's forward pass, training,
``.keras`` round trips, LiteRT conversion, the transfer-weights contract and the DCGAN."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from pathlib import Path

import keras
import numpy as np
import pytest

from trainer.models import create_model, list_models, model_info
from trainer.models.dcgan import DCGAN, generate_images, to_gan_range
from trainer.models.losses import SparseCategoricalFocalLoss
from trainer.models.registry import main as registry_main
from trainer.models.registry import parameter_counts
from trainer.models.transfer import BACKBONES, ImageNetPreprocessing, resolve_weights, unfreeze_backbone

REPO_ROOT = Path(__file__).resolve().parents[2]

EXPECTED_NAMES = {
    "p0-m1", "p0-m2", "p0-m3", "p0-m4",
    "p1-baseline", "p1-vgg16", "p1-dcgan-generator", "p1-dcgan-discriminator",
    "p2-prelu", "p2-relu", "p2-leakyrelu03", "p2-leakyrelu30",
    "p3-vgg300",
    "p4-cnn16", "p4-cnn16-1ch", "p4-resnet50", "p4-vgg16", "p4-vgg19", "p4-xception", "p4-inceptionv3",
    "effnetlite0-p1", "effnetlite0-p4", "effnetlite0-cxr",
}  # fmt: skip
GENERATOR = "p1-dcgan-generator"
TARGETED = [name for name in sorted(EXPECTED_NAMES) if model_info(name).target is not None]
HEAVY = {"p1-vgg16", "p3-vgg300", "p4-resnet50", "p4-xception", "p4-inceptionv3", "effnetlite0-p1", "effnetlite0-p4"}


def _small(name: str, **kwargs) -> keras.Model:
    """``name`` at its smallest square input, with the paper's class count and no weight file."""
    info = model_info(name)
    shape = (info.min_size, info.min_size, info.input_shape[2])
    return create_model(name, shape, info.num_classes, **{**info.offline_kwargs, **kwargs})


def _batch(model: keras.Model, n: int = 2, seed: int = 0) -> np.ndarray:
    """Random inputs in [0, 1] (the range does not matter to these structural checks)."""
    rng = np.random.default_rng(seed)
    pixels = rng.uniform(0, 255, (n, *model.input_shape[1:])).astype("float32")
    return pixels / 255.0


def _predict(model: keras.Model, x: np.ndarray) -> np.ndarray:
    return keras.ops.convert_to_numpy(model(x, training=False))


def _mark(name: str):
    return pytest.param(name, marks=pytest.mark.slow) if name in HEAVY else name


# --- registry ---------------------------------------------------------------------------------


def test_registry_has_exactly_the_planned_names() -> None:
    assert set(list_models()) == EXPECTED_NAMES


def test_unknown_name_raises_key_error_listing_known_names() -> None:
    with pytest.raises(KeyError, match="p0-m4.*p4-cnn16"):
        create_model("p0-m5", (150, 150, 3), 4)


@pytest.mark.parametrize("name", [_mark(name) for name in TARGETED])
def test_paper_parameter_counts_are_exact(name: str) -> None:
    info = model_info(name)
    model = create_model(name, info.input_shape, info.num_classes, **info.offline_kwargs)
    got = parameter_counts(model)
    assert got.total == model.count_params() == info.target.total
    if info.target.trainable is not None:
        assert got.trainable == info.target.trainable
    if info.target.non_trainable is not None:
        assert got.non_trainable == info.target.non_trainable


def test_feature_map_sizes_match_the_papers_summaries() -> None:
    """Pins what parameter counts cannot see: P0-m4's valid first conv and 'same' pools, P0-m3's
    stride-1 last pool, P1's pooled map sizes (75, 37, 18, 9)."""

    def sides(name: str, shape: tuple[int, int, int], layer_type: type) -> list[int]:
        model = create_model(name, shape, model_info(name).num_classes)
        return [layer.output.shape[1] for layer in model.layers if isinstance(layer, layer_type)]

    assert sides("p0-m4", (150, 150, 3), keras.layers.Conv2D) == [148, 74, 37, 19, 10, 5, 3, 2]
    assert sides("p0-m3", (150, 150, 3), keras.layers.MaxPooling2D) == [74, 36, 17, 7, 4]
    assert sides("p1-baseline", (150, 150, 3), keras.layers.MaxPooling2D) == [75, 37, 18, 9]


def test_p4_cnn16_count_follows_from_its_layer_list() -> None:
    """P4 gives no count: check ours against the conv/dense parameter formulas instead."""
    filters = [3, 64, 64, 128, 128, 256, 256]
    convs = sum((9 * c_in + 1) * c_out for c_in, c_out in itertools.pairwise(filters))
    dense = (256 + 1) * 512 + (512 + 1) * 4  # 200×200 shrinks to a 1×1×256 map
    assert create_model("p4-cnn16", (200, 200, 3), 4).count_params() == convs + dense
    assert create_model("p4-cnn16-1ch", (200, 200, 1), 4).count_params() == convs + dense - 2 * 9 * 64


def test_p2_variants_differ_only_in_activation() -> None:
    relu, prelu, leaky = (_small(name) for name in ("p2-relu", "p2-prelu", "p2-leakyrelu30"))
    per_channel_slopes = 2 * (16 + 32 + 64 + 128 + 256) + 512 + 128 + 64
    assert prelu.count_params() - relu.count_params() == per_channel_slopes
    assert leaky.count_params() == relu.count_params()
    slopes = {layer.negative_slope for layer in leaky.layers if isinstance(layer, keras.layers.LeakyReLU)}
    assert slopes == {30.0}
    dense_l2 = [layer.kernel_regularizer for layer in relu.layers if isinstance(layer, keras.layers.Dense)]
    assert [type(r).__name__ for r in dense_l2] == ["L2", "L2", "L2", "NoneType"]


def test_output_convention_binary_sigmoid_multiclass_softmax() -> None:
    binary = create_model("p0-m4", (32, 32, 3), 2)
    multi = create_model("p0-m4", (32, 32, 3), 3)
    assert binary.output_shape == (None, 1) and binary.layers[-1].activation.__name__ == "sigmoid"
    assert multi.output_shape == (None, 3) and multi.layers[-1].activation.__name__ == "softmax"
    with pytest.raises(ValueError, match="num_classes"):
        create_model("p0-m4", (32, 32, 3), 1)


@pytest.mark.parametrize("name", sorted(EXPECTED_NAMES))
def test_min_size_is_enforced_with_a_clear_error(name: str) -> None:
    info = model_info(name)
    side = info.min_size - 1
    with pytest.raises(ValueError, match=f"cannot build '{name}'"):
        create_model(name, (side, side, info.input_shape[2]), info.num_classes, **info.offline_kwargs)


def test_input_scaling_resolves_to_input_spec_numbers() -> None:
    from trainer.backbones.efficientnet_lite0 import IMAGENET_INPUT_OFFSET, IMAGENET_INPUT_SCALE

    assert model_info("p0-m4").scale_offset() == (1 / 255, 0.0)
    assert model_info("p4-resnet50").scale_offset() == (1.0, 0.0)
    assert model_info("effnetlite0-cxr").scale_offset() == (IMAGENET_INPUT_SCALE, IMAGENET_INPUT_OFFSET)
    assert model_info("p3-vgg300").scale_offset() is None


def test_table_cli_prints_measured_counts(capsys: pytest.CaptureFixture[str]) -> None:
    assert registry_main(["--table", "p0-m4"]) == 0
    row = capsys.readouterr().out.splitlines()[-1]
    assert row.startswith("| `p0-m4` | P0 | 150×150×3 |") and "771,172 / 771,172 / 0" in row and row.endswith("| yes |")


# --- every model, small -----------------------------------------------------------------------


@pytest.mark.parametrize("name", [_mark(name) for name in sorted(EXPECTED_NAMES)])
def test_forward_pass_at_smallest_input(name: str) -> None:
    model = _small(name)
    if name == GENERATOR:
        out = _predict(model, np.random.default_rng(0).standard_normal((2, model.input_shape[-1]), dtype="float32"))
        assert out.shape == (2, 8, 8, 1) and np.all(np.abs(out) <= 1)
        return
    info = model_info(name)
    out = _predict(model, _batch(model))
    assert np.all(np.isfinite(out)) and np.all((out >= 0) & (out <= 1))
    if info.num_classes == 2:
        assert out.shape == (2, 1)
    else:
        assert out.shape == (2, info.num_classes)
        np.testing.assert_allclose(out.sum(axis=1), 1.0, rtol=1e-5)


@pytest.mark.parametrize(
    ("name", "loss"),
    [
        ("p0-m4", "sparse_categorical_crossentropy"),
        ("p0-m1", SparseCategoricalFocalLoss(gamma=2.0)),
        ("p1-baseline", "binary_crossentropy"),
        ("p2-prelu", "binary_crossentropy"),
    ],
)
def test_train_on_batch_updates_weights(name: str, loss) -> None:
    keras.utils.set_random_seed(0)
    model = _small(name)
    # Eager: tracing a train function costs more than the one step it would run.
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=loss, run_eagerly=True)
    x = _batch(model, n=4)
    y = np.array([0, 1, 0, 1]) if model.output_shape[-1] == 1 else np.array([0, 1, 2, 3])
    before = [w.copy() for w in model.get_weights()]
    value = model.train_on_batch(x, y)
    assert np.isfinite(value)
    assert any(not np.array_equal(a, b) for a, b in zip(before, model.get_weights()))


# --- save / load ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["p0-m3", "p1-baseline", "p2-prelu", "p3-vgg300", "p4-cnn16", "p4-vgg16", GENERATOR])
def test_keras_file_round_trip_gives_identical_outputs(name: str, tmp_path: Path) -> None:
    model = _small(name)
    if name == "p0-m3":  # one model carries the custom loss through the file
        model.compile(optimizer="adam", loss=SparseCategoricalFocalLoss(gamma=2.0, class_weight=[1, 2, 3, 4]))
    x = (
        np.random.default_rng(1).standard_normal((2, model.input_shape[-1]), dtype="float32")
        if name == GENERATOR
        else _batch(model, seed=1)
    )
    path = tmp_path / f"{name}.keras"
    model.save(path)
    restored = keras.saving.load_model(path)
    np.testing.assert_array_equal(_predict(restored, x), _predict(model, x))
    if name == "p0-m3":
        assert isinstance(restored.loss, SparseCategoricalFocalLoss)
        assert (restored.loss.gamma, restored.loss.class_weight) == (2.0, [1.0, 2.0, 3.0, 4.0])


# --- LiteRT -----------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(("name", "shape"), [("p0-m4", (150, 150, 3)), ("p4-cnn16", (200, 200, 3))])
def test_tflite_conversion_matches_keras(name: str, shape: tuple[int, int, int]) -> None:
    """p4-cnn16 carries P4's augmentation layers: they must vanish from the converted graph."""
    tf = pytest.importorskip("tensorflow")
    model = create_model(name, shape, 4)
    flatbuffer = tf.lite.TFLiteConverter.from_keras_model(model).convert()
    interpreter = tf.lite.Interpreter(model_content=flatbuffer)
    interpreter.allocate_tensors()
    x = _batch(model, n=1)
    interpreter.set_tensor(interpreter.get_input_details()[0]["index"], x)
    interpreter.invoke()
    lite = interpreter.get_tensor(interpreter.get_output_details()[0]["index"])
    np.testing.assert_allclose(lite, _predict(model, x), atol=1e-5)
    ops = {op["op_name"] for op in interpreter._get_ops_details()}
    assert not any("RANDOM" in op or "STATELESS" in op for op in ops), ops


# --- transfer backbones -----------------------------------------------------------------------


def test_transfer_models_refuse_to_build_without_weights(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    for kind, spec in BACKBONES.items():
        with pytest.raises(FileNotFoundError, match=rf"{spec.weights_file}.*offline"):
            create_model(f"p4-{kind}", (200, 200, 3), 4)
    with pytest.raises(FileNotFoundError, match="vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"):
        create_model("p1-vgg16", (150, 150, 3), 2)
    with pytest.raises(FileNotFoundError, match="not found"):
        create_model("p4-vgg16", (32, 32, 3), 4, weights=tmp_path / "missing.h5")
    cached = tmp_path / "models" / BACKBONES["resnet50"].weights_file
    cached.parent.mkdir()
    cached.touch()
    assert resolve_weights("resnet50", None, require_weights=True) == str(cached)
    assert resolve_weights("resnet50", None, require_weights=False) is None


def test_transfer_model_loads_a_local_weights_file(tmp_path: Path) -> None:
    source = keras.applications.VGG16(include_top=False, weights=None, input_shape=(32, 32, 3))
    path = tmp_path / "vgg16_notop.weights.h5"
    source.save_weights(path)
    model = create_model("p4-vgg16", (32, 32, 3), 4, weights=path)
    for expected, got in zip(source.get_weights(), model.get_layer("backbone").get_weights()):
        np.testing.assert_array_equal(got, expected)


@pytest.mark.slow
def test_unfreezing_resnet50_conv5_is_p4s_last_32_layers() -> None:
    model = _small("p4-resnet50")
    frozen = parameter_counts(model)
    assert unfreeze_backbone(model, "conv5") == 32
    backbone = model.get_layer("backbone")
    start = [layer.name for layer in backbone.layers].index("conv5_block1_1_conv")
    assert not any(layer.trainable for layer in backbone.layers[:start])
    assert all(layer.trainable for layer in backbone.layers[start:])
    assert parameter_counts(model).trainable > frozen.trainable
    assert parameter_counts(model).total == frozen.total
    with pytest.raises(ValueError, match="no backbone layer"):
        unfreeze_backbone(model, "conv9")


@pytest.mark.parametrize(("mode", "module"), [("caffe", "resnet50"), ("tf", "xception")])
def test_imagenet_preprocessing_matches_keras_applications(mode: str, module: str) -> None:
    x = np.random.default_rng(2).uniform(0, 255, (2, 4, 4, 3)).astype("float32")
    expected = getattr(keras.applications, module).preprocess_input(x.copy())
    np.testing.assert_allclose(keras.ops.convert_to_numpy(ImageNetPreprocessing(mode)(x)), expected, rtol=1e-6)


# --- EfficientNet-Lite0 stand-ins -------------------------------------------------------------


def test_effnet_heads_pass_weights_to_the_backbone_and_freeze_as_the_papers_did(tmp_path: Path) -> None:
    from trainer.backbones.efficientnet_lite0 import efficientnet_lite0

    path = tmp_path / "lite0.weights.h5"
    reference = efficientnet_lite0((32, 32, 3), weights=None)  # any input size: same weight shapes
    reference.save_weights(path)
    cxr = create_model("effnetlite0-cxr", (32, 32, 3), 2, weights=path)
    np.testing.assert_array_equal(
        cxr.get_layer("backbone").get_layer("head_conv").get_weights()[0],
        reference.get_layer("head_conv").get_weights()[0],
    )
    assert cxr.get_layer("backbone").trainable
    for name, classes in (("effnetlite0-p1", 2), ("effnetlite0-p4", 4)):
        model = create_model(name, (32, 32, 3), classes)
        assert not model.get_layer("backbone").trainable
        assert model.output_shape == (None, 1 if classes == 2 else classes)


# --- DCGAN ------------------------------------------------------------------------------------


def _gan(seed: int = 0) -> DCGAN:
    generator = create_model(GENERATOR, (16, 16, 1), 2, latent_dim=8, base_filters=8)
    discriminator = create_model("p1-dcgan-discriminator", (16, 16, 1), 2, base_filters=8)
    gan = DCGAN(generator, discriminator, seed=seed)
    gan.compile(run_eagerly=True)  # eager: tracing costs more than one step
    return gan


def _real_images(n: int = 16) -> np.ndarray:
    return to_gan_range(np.random.default_rng(3).integers(0, 256, (n, 16, 16), dtype=np.uint8))


def test_dcgan_default_is_radfords_64px_architecture() -> None:
    generator = create_model(GENERATOR, (64, 64, 1), 2)
    discriminator = create_model("p1-dcgan-discriminator", (64, 64, 1), 2)
    transposed = [layer.filters for layer in generator.layers if isinstance(layer, keras.layers.Conv2DTranspose)]
    convs = [layer.filters for layer in discriminator.layers if type(layer) is keras.layers.Conv2D]
    assert generator.input_shape == (None, 100) and generator.layers[2].target_shape == (4, 4, 1024)
    assert transposed == [512, 256, 128, 1] and convs == [128, 256, 512, 1024]
    assert discriminator.output_shape == (None, 1)
    with pytest.raises(ValueError, match="4·2\\^k"):
        create_model(GENERATOR, (48, 48, 1), 2)


def test_dcgan_gradients_reach_only_their_own_network() -> None:
    tf = pytest.importorskip("tensorflow")
    if keras.backend.backend() != "tensorflow":
        pytest.skip("uses tf.GradientTape")
    gan = _gan()
    with tf.GradientTape(persistent=True) as tape:
        d_loss, g_loss = gan.adversarial_losses(_real_images())

    def norms(loss, model):
        return [0.0 if g is None else float(tf.norm(g)) for g in tape.gradient(loss, model.trainable_variables)]

    assert max(norms(d_loss, gan.generator)) == 0.0 and max(norms(d_loss, gan.discriminator)) > 0.0
    assert max(norms(g_loss, gan.discriminator)) == 0.0 and max(norms(g_loss, gan.generator)) > 0.0


def test_dcgan_training_step_updates_both_networks_with_finite_losses() -> None:
    gan = _gan()
    before = [w.copy() for w in gan.generator.get_weights() + gan.discriminator.get_weights()]
    logs = gan.train_on_batch(_real_images(), return_dict=True)
    assert set(logs) >= {"d_loss", "g_loss"} and all(np.isfinite(v) for v in logs.values())
    after = gan.generator.get_weights() + gan.discriminator.get_weights()
    assert sum(not np.array_equal(a, b) for a, b in zip(before, after)) > len(after) // 2


def test_generate_images_is_deterministic_per_seed() -> None:
    generator = _gan().generator
    first, again, other = (generate_images(generator, 5, seed=s) for s in (7, 7, 8))
    assert first.shape == (5, 16, 16) and first.dtype == np.uint8
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


def test_dcgan_round_trips_through_a_keras_file(tmp_path: Path) -> None:
    gan = _gan()
    gan.save(tmp_path / "gan.keras")
    restored = keras.saving.load_model(tmp_path / "gan.keras")
    np.testing.assert_array_equal(generate_images(restored.generator, 3, 1), generate_images(gan.generator, 3, 1))


@pytest.mark.slow
def test_dcgan_trains_on_jax_too() -> None:
    """The same code on the JAX backend: gradient routing (``jax.grad``) and a jit-compiled step."""
    pytest.importorskip("jax")
    script = (
        "import jax, numpy as np, keras\n"
        "from tests.trainer.test_model_zoo import _gan, _real_images\n"
        "assert keras.backend.backend() == 'jax'\n"
        "gan = _gan()\n"
        "real = _real_images()\n"
        "def loss_wrt(model, which):\n"
        "    def loss(values):\n"
        "        with keras.StatelessScope(state_mapping=list(zip(model.trainable_variables, values))):\n"
        "            return gan.adversarial_losses(real)[which]\n"
        "    grads = jax.grad(loss)([v.value for v in model.trainable_variables])\n"
        "    return max(float(abs(g).max()) for g in grads)\n"
        "assert loss_wrt(gan.generator, 0) == 0 < loss_wrt(gan.discriminator, 0)\n"
        "assert loss_wrt(gan.discriminator, 1) == 0 < loss_wrt(gan.generator, 1)\n"
        "gan.compile()\n"
        "logs = gan.train_on_batch(real, return_dict=True)\n"
        "assert all(np.isfinite(v) for v in logs.values()), logs\n"
        "print(sorted(logs))\n"
    )
    env = {**os.environ, "KERAS_BACKEND": "jax", "JAX_PLATFORMS": "cpu"}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "d_loss" in result.stdout and "g_loss" in result.stdout
