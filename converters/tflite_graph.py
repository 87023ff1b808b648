"""A float ``.tflite``'s weighted ops, read and rewritten, and every tensor of a run of it: what
`converters.weight_rounding` and `converters.bias_correction` share.

Both improve an int8 build by changing the *float* model the quantizer reads (its weights and biases),
never the quantizer: AI Edge Quantizer then makes the build as it makes any other, and the float ops
of a selective build can be given back their original values.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, Iterator

import numpy as np

#: The ops whose weights are quantized per output channel, with the axis that channel lies on.
CHANNEL_AXIS = {"CONV_2D": 0, "DEPTHWISE_CONV_2D": 3, "FULLY_CONNECTED": 0}

#: Fused activations, by the schema's enum name, as the open range of outputs that still pass a change
#: of the pre-activation value through (outside it the activation clips).
_ACTIVE_RANGE = {"NONE": (-np.inf, np.inf), "RELU": (0.0, np.inf), "RELU6": (0.0, 6.0), "RELU_N1_TO_1": (-1.0, 1.0)}


@dataclass(frozen=True)
class WeightedOp:
    """One convolution, depthwise convolution or dense op of the main graph.

    ``scope`` is its name as `converters.edge_quantizer` names ops (its output tensors' names).
    """

    scope: str
    kind: str
    input: int
    output: int
    output_name: str
    weight_buffer: int
    weight_shape: tuple[int, ...]
    bias_buffer: int | None
    stride: int
    same_padding: bool
    activation: str

    @property
    def kernel(self) -> int:
        """Spatial kernel size (1 for dense ops)."""
        return 1 if self.kind == "FULLY_CONNECTED" else self.weight_shape[1]

    @property
    def active_range(self) -> tuple[float, float]:
        """Outputs strictly inside this range moved one for one with the pre-activation value."""
        return _ACTIVE_RANGE[self.activation]


class EditableModel:
    """A float ``.tflite`` as a flatbuffer object: its weighted ops, their weights and biases, rewritable."""

    def __init__(self, model: bytes) -> None:
        from ai_edge_litert import schema_py_generated as schema
        from ai_edge_litert.tools import flatbuffer_utils
        from ai_edge_quantizer.utils import tfl_flatbuffer_utils

        self._model = flatbuffer_utils.read_model_from_bytearray(bytearray(model))
        opcodes = _enum_names(schema.BuiltinOperator)
        activations = _enum_names(schema.ActivationFunctionType)
        graph = self._model.subgraphs[0]
        self.ops: list[WeightedOp] = []
        for op in graph.operators:
            kind = opcodes[self._model.operatorCodes[op.opcodeIndex].builtinCode]
            if kind not in CHANNEL_AXIS:
                continue
            weights = graph.tensors[op.inputs[1]]
            if self._model.buffers[weights.buffer].data is None or weights.type != schema.TensorType.FLOAT32:
                raise ValueError(f"{kind} op {op.outputs[0]} has no float32 constant weights: not a float model")
            has_bias = len(op.inputs) > 2 and op.inputs[2] != -1
            options = op.builtinOptions
            if kind != "FULLY_CONNECTED" and (options.strideH != options.strideW or options.dilationHFactor != 1
                                              or options.dilationWFactor != 1):
                raise ValueError(f"{kind} op {op.outputs[0]}: only equal strides and no dilation are supported")
            self.ops.append(WeightedOp(
                scope=tfl_flatbuffer_utils.get_op_scope(op, graph.tensors).removesuffix(";"),
                kind=kind, input=int(op.inputs[0]), output=int(op.outputs[0]),
                output_name=graph.tensors[op.outputs[0]].name.decode(),
                weight_buffer=int(weights.buffer), weight_shape=tuple(int(n) for n in weights.shape),
                bias_buffer=int(graph.tensors[op.inputs[2]].buffer) if has_bias else None,
                stride=1 if kind == "FULLY_CONNECTED" else int(options.strideH),
                same_padding=kind != "FULLY_CONNECTED" and options.padding == schema.Padding.SAME,
                activation=activations[options.fusedActivationFunction],
            ))

    def weights(self, op: WeightedOp) -> np.ndarray:
        return self._read(op.weight_buffer).reshape(op.weight_shape)

    def bias(self, op: WeightedOp) -> np.ndarray:
        if op.bias_buffer is None:
            raise ValueError(f"op {op.scope} has no bias")
        return self._read(op.bias_buffer)

    def set_weights(self, op: WeightedOp, values: np.ndarray) -> None:
        self._write(op.weight_buffer, values, op.weight_shape)

    def set_bias(self, op: WeightedOp, values: np.ndarray) -> None:
        if op.bias_buffer is None:
            raise ValueError(f"op {op.scope} has no bias")
        self._write(op.bias_buffer, values, self.bias(op).shape)

    def to_bytes(self) -> bytes:
        from ai_edge_litert.tools import flatbuffer_utils

        return bytes(flatbuffer_utils.convert_object_to_bytearray(self._model))

    def _read(self, buffer: int) -> np.ndarray:
        return np.frombuffer(bytes(self._model.buffers[buffer].data), dtype=np.float32).copy()

    def _write(self, buffer: int, values: np.ndarray, shape: tuple[int, ...]) -> None:
        values = np.asarray(values, dtype=np.float32)
        if values.shape != tuple(shape):
            raise ValueError(f"buffer {buffer}: shape {values.shape} is not {tuple(shape)}")
        self._model.buffers[buffer].data = np.frombuffer(values.tobytes(), dtype=np.uint8)


def _enum_names(enum: type) -> dict[int, str]:
    return {value: name for name, value in vars(enum).items() if not name.startswith("_")}


class TracedRun:
    """A model run film by film with every intermediate tensor kept, read back dequantized.

    LiteRT warns that keeping every tensor is meant for debugging; reading them is the point here.
    """

    def __init__(self, model: bytes) -> None:
        from ai_edge_litert.interpreter import Interpreter

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            self._interpreter = Interpreter(model_content=model, experimental_preserve_all_tensors=True,
                                            num_threads=2)
        self._interpreter.allocate_tensors()
        self._input = self._interpreter.get_input_details()[0]
        self._tensors = {detail["index"]: detail for detail in self._interpreter.get_tensor_details()}

    def films(self, inputs: np.ndarray) -> Iterator[None]:
        """Run each (H, W, C) float model input of ``inputs`` in turn; read tensors between yields."""
        for film in inputs:
            self._interpreter.set_tensor(self._input["index"], _as_input(film[None], self._input))
            self._interpreter.invoke()
            yield None

    def index(self, name: str) -> int:
        """The index of the tensor called ``name`` (quantizers keep the float model's tensor names)."""
        matches = [index for index, detail in self._tensors.items() if detail["name"] == name]
        if len(matches) != 1:
            raise KeyError(f"{len(matches)} tensors are called {name!r}")
        return matches[0]

    def tensor(self, index: int) -> np.ndarray:
        """Tensor ``index`` of the current film as float32, dequantized when the build stores it as integers."""
        detail = self._tensors[index]
        values = self._interpreter.get_tensor(index)
        if detail["dtype"] == np.float32:
            return values
        scale, zero_point = detail["quantization"]
        return ((values.astype(np.float32) - zero_point) * scale).astype(np.float32)


def _as_input(batch: np.ndarray, detail: dict[str, Any]) -> np.ndarray:
    """A float model input as the model's input tensor takes it (quantized for an integer input)."""
    if detail["dtype"] == np.float32:
        return batch.astype(np.float32)
    scale, zero_point = detail["quantization"]
    info = np.iinfo(detail["dtype"])
    return np.clip(np.round(batch / scale) + zero_point, info.min, info.max).astype(detail["dtype"])
