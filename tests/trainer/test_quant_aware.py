"""The int8 simulation (`trainer.int8_simulation`), quantization-aware fine-tuning (`trainer.quant_aware`) and
the rebuild of a shipped bundle's Keras model from its float32 build (`trainer.from_bundle`).

The simulation is checked against what it claims to imitate: a LiteRT full-integer build made by the
converters from the same Keras model, on real films. The rebuild is checked on the shipped pediatric
bundle itself: the rebuilt model must reproduce the build, and be a run folder the converters read.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import numpy as np
import pytest

from cxrcore.files import sha256_file
from cxrcore.preprocess import InputSpec, load_resized_gray, to_model_input
from trainer.run_folder import read_run, read_run_info

from tests.trainer.test_train_cli import _args

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
PEDIATRIC = REPO / "models" / "pneumonia-pediatric"
SIDE = 64
SPEC = InputSpec(height=SIDE, width=SIDE, channels=3, scale=1 / 128, offset=-127 / 128)


def _films(kermany_root: Path, count: int) -> np.ndarray:
    paths = sorted((kermany_root / "chest_xray" / "train" / "NORMAL").glob("*.jpeg"))[:count // 2]
    paths += sorted((kermany_root / "chest_xray" / "train" / "PNEUMONIA").glob("*.jpeg"))[:count - len(paths)]
    return to_model_input(np.stack([load_resized_gray(path, SIDE, SIDE) for path in paths]), SPEC)


def _mobile_block_model():
    """Stem conv–BN–ReLU6, an inverted-residual block with its Add, GAP and a sigmoid unit: every op kind the
    shipped EfficientNet-Lite0 has, with BatchNormalization statistics far from the identity."""
    import keras

    keras.utils.set_random_seed(3)
    inputs = keras.Input((SIDE, SIDE, 3))
    x = keras.layers.Conv2D(16, 3, strides=2, padding="same", use_bias=False)(inputs)
    x = keras.layers.ReLU(6.0)(keras.layers.BatchNormalization()(x))
    shortcut = x
    y = keras.layers.Conv2D(48, 1, use_bias=False)(x)
    y = keras.layers.ReLU(6.0)(keras.layers.BatchNormalization()(y))
    y = keras.layers.DepthwiseConv2D(3, padding="same", use_bias=False)(y)
    y = keras.layers.ReLU(6.0)(keras.layers.BatchNormalization()(y))
    y = keras.layers.BatchNormalization()(keras.layers.Conv2D(16, 1, use_bias=False)(y))
    x = keras.layers.GlobalAveragePooling2D()(keras.layers.Add()([shortcut, y]))
    model = keras.Model(inputs, keras.layers.Dense(1, activation="sigmoid")(x))
    rng = np.random.default_rng(0)
    for layer in model.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            channels = layer.gamma.shape[0]
            layer.set_weights([rng.uniform(0.5, 2.0, channels), rng.normal(0, 0.3, channels),
                               rng.normal(0, 0.2, channels), rng.uniform(0.2, 3.0, channels)])
    dense = model.layers[-1]
    dense.set_weights([rng.normal(0, 2.0, dense.kernel.shape), np.zeros(1)])
    return model


def test_the_simulation_computes_what_the_litert_int8_build_computes(kermany_root: Path) -> None:
    from ai_edge_litert.interpreter import Interpreter

    from converters.builds import convert
    from trainer.int8_simulation import Int8Simulation, simulated

    model = _mobile_block_model()
    films = _films(kermany_root, 48)
    calibration, checked = films[:32], films[32:]
    interpreter = Interpreter(model_content=convert(model, "int8", calibration, "int8"))
    interpreter.allocate_tensors()
    [entry] = interpreter.get_input_details()
    [exit_] = [output for output in interpreter.get_output_details() if tuple(output["shape"]) == (1, 1)]
    (in_scale, in_zero), (out_scale, out_zero) = entry["quantization"], exit_["quantization"]
    built = []
    for film in checked:
        interpreter.set_tensor(entry["index"], np.clip(np.round(film / in_scale) + in_zero, -128, 127)
                               .astype(np.int8)[np.newaxis])
        interpreter.invoke()
        built.append((float(interpreter.get_tensor(exit_["index"]).ravel()[0]) - out_zero) * out_scale)
    built = np.array(built)
    plain = np.asarray(model(checked)).ravel()
    simulation = Int8Simulation()
    with simulated(model, simulation):
        simulation.calibrate(model, [calibration])
        as_float = np.asarray(model(checked)).ravel()
        with simulation.computing("int8"):
            as_int8 = np.asarray(model(checked)).ravel()
    assert np.array_equal(as_float, plain)  # float mode is the model itself
    float_error, simulated_error = np.mean(np.abs(plain - built)), np.mean(np.abs(as_int8 - built))
    assert float_error > 0.003  # the build really differs from the float model here…
    # …and the simulation predicts much of how each film moves (measured: correlation 0.79, error 0.73× the
    # float model's). It is not bit-exact: LiteRT's kernels round in steps the simulation does not model.
    assert np.corrcoef(built - plain, as_int8 - plain)[0, 1] > 0.6
    assert simulated_error < 0.85 * float_error
    assert type(model.layers[1]).__name__ == "Conv2D"  # plain layers again after the block


@pytest.fixture(scope="module")
def tiny_run(kermany_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from trainer import train as train_module

    out = tmp_path_factory.mktemp("runs") / "p1"
    assert train_module.main(_args(kermany_root, out, epochs=1)) == 0
    return out


@pytest.fixture(scope="module")
def fine_tuned(tiny_run: Path, kermany_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from trainer.quant_aware import main

    out = tmp_path_factory.mktemp("qat") / "p1-qat"
    assert main(["--model", str(tiny_run / "best.keras"), "--data", str(kermany_root), "--out", str(out),
                 "--epochs", "2", "--limit-per-class", "8", "--calibration-size", "8", "--batch", "8",
                 "--learning-rate", "1e-3"]) == 0
    return out


def test_fine_tuning_writes_a_run_folder_with_every_epoch_measured(fine_tuned: Path, tiny_run: Path) -> None:
    run = read_run(fine_tuned / "best.keras")  # the converters' contract: split unchanged, fields present
    assert (fine_tuned / "split.csv").read_bytes() == (tiny_run / "split.csv").read_bytes()
    record = run.info["quant_aware"]
    assert [epoch["epoch"] for epoch in record["epochs"]] == [0, 1, 2]  # 0: the starting model, measured alike
    assert run.info["epochs_run"] == 2 and run.info["status"] == "complete"
    objectives = {epoch["epoch"]: epoch["val_objective"] for epoch in record["epochs"]}
    assert record["kept_epoch"] == min(objectives, key=objectives.get)
    assert record["started_from"]["model_sha256"] == sha256_file(tiny_run / "best.keras")
    assert all(0 <= epoch["val_mean_abs_dprob"] <= epoch["val_max_abs_dprob"] for epoch in record["epochs"])
    config = zipfile.ZipFile(fine_tuned / "best.keras").read("config.json").decode()
    assert "Int8Simulated" not in config  # saved as plain Keras layers


def test_the_kept_weights_are_the_kept_epochs(fine_tuned: Path, tiny_run: Path) -> None:
    from trainer.run_folder import load_keras

    before = load_keras(tiny_run / "best.keras").get_weights()
    after = load_keras(fine_tuned / "best.keras").get_weights()
    changed = any(not np.array_equal(a, b) for a, b in zip(before, after))
    assert changed == (read_run_info(fine_tuned)["quant_aware"]["kept_epoch"] > 0)


def test_an_existing_run_folder_is_refused(fine_tuned: Path, kermany_root: Path) -> None:
    from trainer.quant_aware import main

    assert main(["--model", str(fine_tuned / "best.keras"), "--data", str(kermany_root),
                 "--out", str(fine_tuned)]) == 2


def test_the_shipped_pediatric_model_is_rebuilt_from_its_float32_build(tmp_path: Path) -> None:
    from cxrcore.bundle import load_bundle
    from trainer.from_bundle import AGREEMENT_TOLERANCE, main

    out = tmp_path / "rebuilt"
    assert main(["--bundle", str(PEDIATRIC), "--out", str(out)]) == 0
    run = read_run(out / "best.keras")  # split hash matches the bundle's split.csv
    card = load_bundle(PEDIATRIC).card
    assert run.info["rebuilt_from"]["version"] == card["version"]
    assert run.info["split_manifest_sha256"] == card["training"]["split_manifest_sha256"]
    assert run.labels == card["labels"] and run.info["input"] == card["input"]
    assert AGREEMENT_TOLERANCE <= 1e-4
    assert main(["--bundle", str(PEDIATRIC), "--out", str(out)]) == 2  # never over a run


def test_a_build_that_does_not_fit_the_architecture_is_refused() -> None:
    from trainer.from_bundle import RebuildError, build_weights, load_folded_weights
    from trainer.models.registry import create_model

    weights = build_weights(PEDIATRIC / "model_float32.tflite")
    other = create_model("effnetlite0-cxr", (224, 224, 3), 4)  # four output units, not one
    with pytest.raises(RebuildError, match="kernel"):
        load_folded_weights(other, weights)
    with pytest.raises(RebuildError, match="weighted ops"):
        load_folded_weights(create_model("effnetlite0-cxr", (224, 224, 3), 2), weights[:-1])


def test_the_decision_objective_asks_for_agreement_only_near_the_operating_point() -> None:
    from keras import ops

    from trainer.quant_aware import _objective

    def sigmoid(z: float) -> float:
        return 1.0 / (1.0 + np.exp(-z))

    operating, gap, consistency = -1.5, 0.4, 3.0
    objective = _objective("decision", consistency, operating, decision_width=1.0)
    # one film at the operating point, one five logits above it; the int8 path off by the same gap on both
    pairs = np.array([[sigmoid(operating), sigmoid(operating + gap)], [sigmoid(3.5), sigmoid(3.5 + gap)]], np.float32)
    targets = np.array([0.0, 1.0], np.float32)
    loss = ops.convert_to_numpy(objective(targets, pairs))
    task = -np.log([1 - pairs[0, 0], pairs[1, 0]])
    assert loss[0] - task[0] == pytest.approx(consistency * gap**2, rel=1e-3)  # the whole gap counts there
    assert loss[1] - task[1] == pytest.approx(consistency * gap**2 * np.exp(-12.5), abs=1e-6)  # nearly none here
    wider = ops.convert_to_numpy(_objective("decision", consistency, operating, decision_width=5.0)(targets, pairs))
    assert wider[1] - task[1] > 0.5 * consistency * gap**2  # a wider band reaches the far film


def test_the_decision_objective_needs_its_operating_point() -> None:
    from trainer.quant_aware import parse_args

    base = ["--model", "m.keras", "--data", "d", "--out", "o", "--int8-loss", "decision"]
    with pytest.raises(SystemExit):
        parse_args(base)
    assert parse_args([*base, "--operating-logit", "-1.54"]).operating_logit == -1.54
