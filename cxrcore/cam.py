"""The classifier head of a ``.tflite`` build, read from its flatbuffer, for class-activation maps.

Why CAM is exact for these models: their head is global average pooling (a ``MEAN`` over the
spatial axes of the last feature map F) followed by one dense layer, so the logit of a unit is
``b + mean_ij(Σ_k w_k · F_ijk)``: the per-location term ``Σ_k w_k · F_ijk`` *is* that location's
share of the logit (Zhou et al. 2016). F comes out of the build as a second output
(``converters.cam_output`` adds it); the dense weights are not in the card, so they are read here
from the very file the engine runs — a quantized build's own (dequantized) weights, not the float
model's. Reading the weights from the file rather than storing them beside it means a bundle
can never carry weights that disagree with its build.

A build whose graph does not end in exactly that pattern (MEAN over axes 1 and 2 → a
FULLY_CONNECTED without fused activation → only activation, reshape or (de)quantize ops to
output 0) has no head here, and the app falls back to occlusion.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

#: The signature name of the feature-map output that ``converters.cam_output`` adds.
FEATURE_OUTPUT_NAME = "cam_features"
#: Ops between the dense layer and output 0 (or the MEAN and the dense layer) that change no
#: spatial structure: activations, reshapes and the int8 builds' (de)quantization.
_PASS_THROUGH = ("LOGISTIC", "SOFTMAX", "QUANTIZE", "DEQUANTIZE", "RESHAPE")
_SPATIAL_AXES = (1, 2)


@dataclass(frozen=True)
class DenseHead:
    """``feature_tensor``: index of the (1, h, w, channels) tensor the MEAN pools; ``weights``:
    the dense layer's (units, channels) kernel, dequantized; ``bias``: its (units,) bias."""

    feature_tensor: int
    weights: np.ndarray
    bias: np.ndarray


def read_dense_head(model_path: str | Path) -> DenseHead | None:
    """The GAP + dense head of the build at ``model_path``, or None when its graph has none."""
    return dense_head(Path(model_path).read_bytes())


def dense_head(flatbuffer: bytes) -> DenseHead | None:
    """The GAP + dense head of a ``.tflite`` flatbuffer, or None when its graph has none."""
    return _Graph(flatbuffer).dense_head()


class _Graph:
    """Read-only walk of subgraph 0 through the generated accessor API (lazy: nothing is unpacked
    but the ops walked and the two constant tensors read)."""

    def __init__(self, flatbuffer: bytes) -> None:
        from ai_edge_litert import schema_py_generated as schema

        self._schema = schema
        self._raw = flatbuffer
        self._model = schema.Model.GetRootAs(flatbuffer, 0)
        self._graph = self._model.Subgraphs(0)
        names = {code: name for name, code in vars(schema.BuiltinOperator).items() if not name.startswith("_")}
        self._producer: dict[int, tuple[str, object]] = {}
        for index in range(self._graph.OperatorsLength()):
            operator = self._graph.Operators(index)
            code = self._model.OperatorCodes(operator.OpcodeIndex())
            name = names.get(max(code.BuiltinCode(), code.DeprecatedBuiltinCode()), "")
            for output in operator.OutputsAsNumpy():
                self._producer[int(output)] = (name, operator)

    def dense_head(self) -> DenseHead | None:
        """Walk back from output 0: past activations to the dense layer, past it to the MEAN."""
        dense = self._skip_pass_through(int(self._graph.OutputsAsNumpy()[0]))
        if dense is None or dense[0] != "FULLY_CONNECTED" or not self._linear(dense[1]):
            return None
        pooled, kernel, bias = (int(index) for index in dense[1].InputsAsNumpy()[:3])
        mean = self._skip_pass_through(pooled)
        if mean is None or mean[0] != "MEAN":
            return None
        features, axes = (int(index) for index in mean[1].InputsAsNumpy()[:2])
        shape = tuple(self._graph.Tensors(features).ShapeAsNumpy())
        spatial = self._constant(axes)
        if len(shape) != 4 or spatial is None or tuple(sorted(spatial.astype(int).tolist())) != _SPATIAL_AXES:
            return None
        weights = self._constant(kernel)
        if weights is None or weights.ndim != 2 or weights.shape[1] != shape[3]:
            return None
        bias_values = self._constant(bias) if bias >= 0 else None
        bias_values = np.zeros(weights.shape[0]) if bias_values is None else bias_values.reshape(-1)
        return DenseHead(features, weights.astype(np.float64), bias_values.astype(np.float64))

    def _skip_pass_through(self, tensor: int) -> tuple[str, object] | None:
        """The first op upstream of ``tensor`` that is not in `_PASS_THROUGH`."""
        producer = self._producer.get(tensor)
        while producer is not None and producer[0] in _PASS_THROUGH:
            producer = self._producer.get(int(producer[1].InputsAsNumpy()[0]))
        return producer

    def _linear(self, operator: object) -> bool:
        """A dense layer with a fused activation would make the per-location sum inexact."""
        schema = self._schema
        if operator.BuiltinOptionsType() != schema.BuiltinOptions.FullyConnectedOptions:
            return True  # no options table: the default, no fused activation
        table = operator.BuiltinOptions()
        options = schema.FullyConnectedOptions()
        options.Init(table.Bytes, table.Pos)
        return options.FusedActivationFunction() == schema.ActivationFunctionType.NONE

    def _constant(self, index: int) -> np.ndarray | None:
        """A constant tensor's value as float64, dequantized; a float16 build's weights reach the
        dense layer through a DEQUANTIZE op, so that is followed back to its stored constant."""
        tensor = self._graph.Tensors(index)
        data = self._buffer(tensor.Buffer())
        if data is None:
            producer = self._producer.get(index)
            if producer is None or producer[0] != "DEQUANTIZE":
                return None
            return self._constant(int(producer[1].InputsAsNumpy()[0]))
        dtype = _numpy_type(self._schema, tensor.Type())
        if dtype is None:
            return None
        values = np.frombuffer(data, dtype).astype(np.float64).reshape(tuple(int(n) for n in tensor.ShapeAsNumpy()))
        return _dequantize(values, tensor.Quantization())

    def _buffer(self, index: int) -> bytes | None:
        buffer = self._model.Buffers(index)
        if buffer.Offset() > 1:  # a large model's buffer stored after the flatbuffer
            return self._raw[buffer.Offset(): buffer.Offset() + buffer.Size()]
        return buffer.DataAsNumpy().tobytes() if buffer.DataLength() else None


def _numpy_type(schema: object, tensor_type: int) -> np.dtype | None:
    """The little-endian NumPy type of a flatbuffer tensor type; None for packed types (int4, …)."""
    types = schema.TensorType
    known = {types.FLOAT32: np.float32, types.FLOAT16: np.float16, types.INT8: np.int8, types.UINT8: np.uint8,
             types.INT32: np.int32, types.INT64: np.int64}
    return np.dtype(known[tensor_type]).newbyteorder("<") if tensor_type in known else None


def _dequantize(values: np.ndarray, quantization: object) -> np.ndarray:
    """(q − zero point) · scale, per channel along the quantized dimension when there are several scales."""
    if quantization is None or quantization.ScaleLength() == 0:
        return values
    scale, zero_point = quantization.ScaleAsNumpy(), quantization.ZeroPointAsNumpy()
    zero_point = np.zeros_like(scale) if isinstance(zero_point, int) else zero_point
    shape = [1] * values.ndim
    if len(scale) > 1:
        shape[quantization.QuantizedDimension()] = len(scale)
    return (values - zero_point.reshape(shape)) * scale.astype(np.float64).reshape(shape)
