"""GPTQ weight rounding and bias correction (`converters.int8_preparation`), on real models and films.

The shipped ``pneumonia-pediatric`` float32 build holds every op kind of EfficientNet-Lite0 (strided
SAME convolutions, depthwise 3×3 and 5×5, dense); one film through it checks that the input windows
the second moments are built from are the ones each op reads. The tiny real model of `test_quantize`
checks what the quantizer makes of the prepared weights and biases.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from cxrcore.bundle import load_bundle
from cxrcore.preprocess import preprocess_file, to_model_input
from converters import edge_quantizer
from converters.bias_correction import output_means
from converters.int8_preparation import PreparedModel, prepare, with_corrected_biases
from converters.tflite_graph import CHANNEL_AXIS, EditableModel, TracedRun
from converters.weight_rounding import op_windows, grid_scale, gptq
from tests.converters.test_requantize import float_bundle  # noqa: F401  (the tiny float-only bundle fixture)

PEDIATRIC = Path(__file__).resolve().parents[2] / "models" / "pneumonia-pediatric"
SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "kermany-test-pneumonia-person10_virus_35.jpeg"


def correlated_inputs(rng: np.random.Generator, samples: int, size: int) -> np.ndarray:
    """Inputs as neighbouring pixels are: each a smooth mix of its neighbours, far from independent."""
    base = rng.normal(size=(samples, size + 4))
    return np.stack([base[:, i : i + 5].mean(axis=1) for i in range(size)], axis=1) + 1.0


def test_gptq_stays_on_each_rows_grid_and_changes_the_output_less_than_nearest_rounding() -> None:
    rng = np.random.default_rng(0)
    x = correlated_inputs(rng, 4000, 27)
    moment = x.T @ x / len(x)
    rows = rng.normal(size=(16, 27)) * rng.uniform(0.1, 30, size=(16, 1))  # per-channel ranges as a BN fold leaves
    rounded = gptq(rows, moment)
    scale = grid_scale(rows)
    steps = rounded / scale[:, None]
    assert np.allclose(steps, np.round(steps), atol=1e-9) and np.abs(steps).max() <= 127 + 1e-9
    assert np.allclose(grid_scale(rounded), scale), "the quantizer would derive another grid and round again"
    nearest = np.round(rows / scale[:, None]) * scale[:, None]

    def output_error(weights: np.ndarray) -> float:
        return float(np.mean(((weights - rows) @ x.T) ** 2))

    assert output_error(rounded) < 0.5 * output_error(nearest)


@pytest.mark.parametrize("kind", ["CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED"])
def test_the_windows_are_what_each_op_reads(kind: str) -> None:
    """weights · window + bias, through the fused activation, reproduces every op's output on a real film."""
    bundle = load_bundle(PEDIATRIC)
    model = bundle.build_path("float32").read_bytes()
    editable = EditableModel(model)
    run = TracedRun(model)
    film = preprocess_file(SAMPLE, bundle.input_spec).astype(np.float32)
    next(run.films(film))
    ops = [op for op in editable.ops if op.kind == kind]
    assert ops and (kind == "FULLY_CONNECTED" or {op.stride for op in ops} >= {1, 2})
    for op in ops:
        image = run.tensor(op.input)[0] if kind != "FULLY_CONNECTED" else run.tensor(op.input)
        weights = editable.weights(op)
        if kind == "FULLY_CONNECTED":
            pre = image.reshape(1, -1) @ weights.T
        elif kind == "CONV_2D":
            windows = op_windows(image, op).transpose(0, 2, 3, 1).reshape(-1, weights[0].size)
            pre = windows @ weights.reshape(len(weights), -1).T
        else:
            windows = op_windows(image, op).reshape(-1, image.shape[-1], op.kernel ** 2)
            pre = np.einsum("pci,ic->pc", windows, weights.reshape(-1, weights.shape[-1]))
        low, high = op.active_range
        expected = np.clip(pre + editable.bias(op), low, high)
        seen = run.tensor(op.output).reshape(expected.shape)
        assert np.allclose(seen, expected, atol=1e-3 * max(1.0, np.abs(expected).max())), op.scope


@pytest.fixture(scope="module")
def tiny_prepared(float_bundle: Path, kermany_root: Path) -> tuple[edge_quantizer.Calibration, np.ndarray, PreparedModel]:
    """The tiny bundle's float32 build prepared on 32 of its training films."""
    from converters.datasets import load_films, split_records, stratified_sample

    bundle = load_bundle(float_bundle)
    splits = split_records(float_bundle / "split.csv", bundle.labels)
    films = load_films(stratified_sample(splits["train"], 32, 0), kermany_root, bundle.input_spec, bundle.labels)
    inputs = to_model_input(films.gray, bundle.input_spec).astype(np.float32)
    calibration = edge_quantizer.calibrate(bundle.build_path("float32").read_bytes(), inputs)
    return calibration, inputs, prepare(calibration, inputs)


def test_the_quantizer_keeps_the_rounded_weights_exactly(tiny_prepared) -> None:
    from ai_edge_litert.interpreter import Interpreter

    calibration, _, prepared = tiny_prepared
    built = Interpreter(model_content=prepared.quantize())
    details = {detail["name"]: detail for detail in built.get_tensor_details()}
    editable = EditableModel(calibration.float_model)
    assert set(prepared.weights) == {op.scope for op in editable.ops}
    for op in editable.ops:
        weights = prepared.weights[op.scope]
        detail = details[_weight_name(calibration.float_model, op.weight_buffer)]
        shape = [1] * weights.ndim
        shape[CHANNEL_AXIS[op.kind]] = -1
        stored = built.get_tensor(detail["index"]).astype(np.float64) * detail["quantization_parameters"]["scales"].reshape(shape)
        assert detail["dtype"] == np.int8
        assert np.allclose(stored, weights, rtol=0, atol=1e-6 * np.abs(weights).max()), op.scope


def _weight_name(model: bytes, buffer: int) -> str:
    from ai_edge_litert.tools import flatbuffer_utils

    graph = flatbuffer_utils.read_model_from_bytearray(bytearray(model)).subgraphs[0]
    return next(tensor.name.decode() for tensor in graph.tensors if tensor.buffer == buffer)


def test_corrected_biases_bring_each_ops_int8_mean_back_to_the_float_models(tiny_prepared) -> None:
    calibration, inputs, prepared = tiny_prepared
    ops = [op for op in EditableModel(calibration.float_model).ops if op.bias_buffer is not None]
    targets, _ = output_means(calibration.float_model, inputs, ops)
    uncorrected, _ = output_means(dataclasses.replace(prepared, biases={}).quantize(), inputs, ops)
    corrected, _ = output_means(prepared.quantize(), inputs, ops)
    before = np.mean([np.abs(seen - target).mean() for seen, target in zip(uncorrected, targets)])
    after = np.mean([np.abs(seen - target).mean() for seen, target in zip(corrected, targets)])
    assert after < 0.5 * before, (before, after)


def test_ops_kept_in_float_get_their_original_weights_and_bias(tiny_prepared) -> None:
    calibration, _, prepared = tiny_prepared
    original = EditableModel(calibration.float_model)
    first, *rest = original.ops
    kept = EditableModel(prepared.float_model([first.scope]))
    assert np.array_equal(kept.weights(kept.ops[0]), original.weights(first))
    assert np.array_equal(kept.bias(kept.ops[0]), original.bias(first))
    assert all(np.array_equal(kept.weights(op), prepared.weights[op.scope]) for op in kept.ops[1:])
    assert not np.array_equal(kept.weights(kept.ops[1]), original.weights(rest[0]))


def test_a_selective_build_gets_bias_corrections_of_its_own(tiny_prepared) -> None:
    """With the first op kept float, the corrections made for it fit better than the full-integer build's."""
    calibration, inputs, prepared = tiny_prepared
    first, *quantized = [op for op in EditableModel(calibration.float_model).ops if op.bias_buffer is not None]
    own = with_corrected_biases(prepared, inputs, [first.scope])
    assert first.scope not in own.biases and set(own.biases) == {op.scope for op in quantized}
    targets, _ = output_means(calibration.float_model, inputs, quantized)

    def error(model: bytes) -> float:
        means, _ = output_means(model, inputs, quantized)
        return float(np.mean([np.abs(seen - target).mean() for seen, target in zip(means, targets)]))

    uncorrected = error(dataclasses.replace(prepared, biases={}).quantize([first.scope]))
    assert error(own.quantize([first.scope])) < min(0.5 * uncorrected, error(prepared.quantize([first.scope])))
