"""Full-integer int8 from a float ``.tflite`` with LiteRT's own quantizer (AI Edge Quantizer), op by op.

`converters.builds` quantizes through TensorFlow's converter and so needs the float Keras model;
a shipped bundle keeps only its builds. The AI Edge Quantizer reads the float32 build itself, and
lets any single op stay in float, which is what choosing float layers on validation needs.

Ranges are the global minimum and maximum over every calibration film. The quantizer's default,
a moving average of per-film ranges, under-covers bright films: on ``pneumonia-pediatric`` it
clipped the input range to [-0.98, 0.76] and a quarter of validation films changed side.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import warnings
from dataclasses import dataclass
from typing import Any, Iterator, Sequence

import numpy as np

#: The op output tensor name's suffix the quantizer puts on every op scope (`get_op_scope`).
_SCOPE_END = ";"


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """The quantizer prints a size report and progress bars on every call, and its calibration interpreter
    warns that keeping every tensor is for debugging (it is what calibration needs); a converter log wants
    none of it."""
    previous = logging.root.manager.disable
    logging.disable(logging.WARNING)
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()), \
                warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            yield
    finally:
        logging.disable(previous)


def _global_range(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Calibration statistic update: the running minimum and maximum, not a moving average."""
    if not old:
        return new
    return {"min": np.minimum(old["min"], new["min"]), "max": np.maximum(old["max"], new["max"])}


def _int8_recipe() -> Any:
    from ai_edge_quantizer import recipe

    return recipe.static_wi8_ai8()


@dataclass(frozen=True)
class Calibration:
    """A float model and its activation ranges over the calibration films: everything quantizing needs."""

    float_model: bytes
    ranges: dict[str, Any]
    films: int


def calibrate(float_model: bytes, inputs: np.ndarray, signature: str = "serving_default") -> Calibration:
    """Run ``inputs`` ((N, H, W, C) float32 model inputs) through the float model and record every tensor's range."""
    from ai_edge_quantizer import calibrator, recipe_manager
    from ai_edge_litert.interpreter import Interpreter

    if inputs.ndim != 4 or inputs.dtype != np.float32 or not len(inputs):
        raise ValueError(f"calibration inputs must be non-empty float32 (N, H, W, C), got {inputs.dtype} {inputs.shape}")
    names = Interpreter(model_content=float_model).get_signature_list()[signature]["inputs"]
    if len(names) != 1:
        raise ValueError(f"signature {signature!r} takes {len(names)} inputs; the models here take one film")
    manager = recipe_manager.RecipeManager()
    manager.load_quantization_recipe(_int8_recipe())
    with _quiet():
        worker = calibrator.Calibrator(float_model, num_threads=2, qsv_update_func=_global_range)
        worker.calibrate({signature: [{names[0]: inputs[i : i + 1]} for i in range(len(inputs))]}, manager)
    return Calibration(float_model=float_model, ranges=worker.get_model_qsvs(), films=len(inputs))


def quantizable_ops(float_model: bytes) -> list[str]:
    """Every op of the main graph by its scope name (its output tensors' names), in graph order."""
    from ai_edge_quantizer.utils import tfl_flatbuffer_utils

    graph = tfl_flatbuffer_utils.read_model(float_model).subgraphs[0]
    return [tfl_flatbuffer_utils.get_op_scope(op, graph.tensors).removesuffix(_SCOPE_END) for op in graph.operators]


def quantize(calibration: Calibration, float_ops: Sequence[str] = ()) -> bytes:
    """Full-integer int8 (per-channel weights, int8 activations and I/O), the ``float_ops`` left in float."""
    return _quantized(calibration.float_model, _int8_recipe(), float_ops, calibration.ranges)


def quantize_weights_only(float_model: bytes, float_ops: Sequence[str] = ()) -> bytes:
    """Int8 weights (per channel, the same grid as `quantize`'s) with float activations: what the
    weights' rounding alone changes, for `studies.int8_error_sources`."""
    from ai_edge_quantizer import recipe

    return _quantized(float_model, recipe.weight_only_wi8_afp32(), float_ops, None)


def _quantized(
    float_model: bytes, quantization_recipe: Any, float_ops: Sequence[str], ranges: dict[str, Any] | None
) -> bytes:
    from ai_edge_quantizer import quantizer
    from ai_edge_quantizer.recipe import AlgorithmName

    worker = quantizer.Quantizer(float_model)
    worker.load_quantization_recipe(quantization_recipe)
    for scope in float_ops:
        worker.update_quantization_recipe(
            regex="^" + re.escape(scope) + re.escape(_SCOPE_END) + "$",
            operation_name="*",
            algorithm_key=AlgorithmName.NO_QUANTIZE,
        )
    with _quiet():
        return bytes(worker.quantize(ranges).quantized_model)
