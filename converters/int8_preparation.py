"""The float model AI Edge Quantizer reads for an int8 build: weights rounded by GPTQ, biases corrected.

Both steps (`converters.weight_rounding`, `converters.bias_correction`) run on the calibration films
(TRAIN), so validation still judges the result and test is read once. An op kept in float by a
selective build gets its original weights and bias back: the changes only make sense for a quantized op.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np

from converters import edge_quantizer
from converters.bias_correction import corrected_biases
from converters.tflite_graph import EditableModel
from converters.weight_rounding import rounded_weights


@dataclass(frozen=True)
class PreparedModel:
    """A float model and, by op scope, the weights and biases its quantized ops get instead."""

    calibration: edge_quantizer.Calibration
    weights: dict[str, np.ndarray] = field(default_factory=dict)
    biases: dict[str, np.ndarray] = field(default_factory=dict)

    def float_model(self, float_ops: Sequence[str] = ()) -> bytes:
        """The model to quantize when ``float_ops`` stay float: they keep their original weights and bias.

        The biases of the other ops were corrected for one set of float ops (`with_corrected_biases`); with
        another set they are an approximation, good enough to rank ops, not to ship."""
        if not self.weights and not self.biases:
            return self.calibration.float_model
        editable = EditableModel(self.calibration.float_model)
        for op in editable.ops:
            if op.scope in float_ops:
                continue
            if op.scope in self.weights:
                editable.set_weights(op, self.weights[op.scope])
            if op.scope in self.biases:
                editable.set_bias(op, self.biases[op.scope])
        return editable.to_bytes()

    def quantize(self, float_ops: Sequence[str] = ()) -> bytes:
        """The int8 build with ``float_ops`` left in float, over the original model's calibrated ranges."""
        model = self.float_model(float_ops)
        return edge_quantizer.quantize(dataclasses.replace(self.calibration, float_model=model), float_ops)


def prepare(
    calibration: edge_quantizer.Calibration,
    inputs: np.ndarray,
    round_weights: bool = True,
    correct_biases: bool = True,
    log: Callable[[str], None] = lambda _: None,
) -> PreparedModel:
    """Both steps on ``inputs`` (the calibration films as float model inputs): GPTQ first, then biases
    corrected for the full-integer build made with those weights, against the original model's outputs."""
    prepared = PreparedModel(calibration)
    if round_weights:
        prepared = PreparedModel(calibration, rounded_weights(calibration.float_model, inputs, log))
    return with_corrected_biases(prepared, inputs, log=log) if correct_biases else prepared


def with_corrected_biases(
    prepared: PreparedModel,
    inputs: np.ndarray,
    float_ops: Sequence[str] = (),
    log: Callable[[str], None] = lambda _: None,
) -> PreparedModel:
    """``prepared`` with every bias corrected for the build that keeps ``float_ops`` in float.

    The corrections depend on which ops are quantized: an op kept in float no longer adds the error that
    the biases after it were corrected for, so a selective build needs its own (about one quantization and
    one pass over ``inputs`` per op).
    """
    calibration = prepared.calibration

    def build(model: bytes) -> bytes:
        return edge_quantizer.quantize(dataclasses.replace(calibration, float_model=model), float_ops)

    start = dataclasses.replace(prepared, biases={}).float_model(float_ops)
    return dataclasses.replace(prepared, biases=corrected_biases(calibration.float_model, start, build, inputs,
                                                                     float_ops, log))
