"""A Keras model's int8 arithmetic, simulated in float on the model's own weights (fake quantization).

LiteRT's full-integer build of a Keras model folds every BatchNormalization into the convolution
before it, quantizes each folded kernel per output channel (symmetric, ±127) and rounds every
tensor that leaves a fused op (after ReLU6, after a linear-bottleneck BatchNormalization, after an
Add, the pooled features, the logit and the sigmoid's 1/256 steps) to 256 levels between the
minimum and maximum seen on calibration films. `Int8Simulation` makes the same model compute that
way on demand, so `trainer.quant_aware` can train it to give the same answer both ways.

Why not TF Model Optimization: its QAT wrappers do not support Keras 3. Why not a copy of the
model: the two paths must share weights, so the same layers switch mode instead — each simulated
layer's class gains `_SimulatedLayer` (the model is not saved while simulated; `simulated` restores
the classes on exit). The rounding passes gradients straight through (Bengio et al. 2013).
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator

import keras
import numpy as np
from keras import ops

#: 8-bit levels of an activation (asymmetric, as LiteRT) and the largest weight level (symmetric, narrow).
LEVELS = 255
WEIGHT_LEVEL = 127.0
#: LiteRT's int8 logistic output: scale 1/256, zero point -128, so probabilities land on k/256.
SIGMOID_RANGE = (0.0, 255.0 / 256.0)


def fake_quant(x: Any, low: float, high: float) -> Any:
    """``x`` rounded to 256 levels over [low, high] widened to hold 0 (LiteRT's nudged zero point)."""
    low, high = min(low, 0.0), max(high, 0.0)
    scale = (high - low) / LEVELS or 1.0
    zero = round(-low / scale)
    levels = ops.clip(ops.round(x / scale) + zero, 0.0, float(LEVELS))
    return x + ops.stop_gradient((levels - zero) * scale - x)


def fake_quant_weights(kernel: Any, reduce_axes: tuple[int, ...]) -> Any:
    """``kernel`` rounded per output channel to ±127 steps of max|w|/127 (the channel: axes not in ``reduce_axes``)."""
    scale = ops.maximum(ops.max(ops.abs(kernel), axis=reduce_axes, keepdims=True) / WEIGHT_LEVEL, 1e-12)
    rounded = ops.clip(ops.round(kernel / scale), -WEIGHT_LEVEL, WEIGHT_LEVEL) * scale
    return kernel + ops.stop_gradient(rounded - kernel)


@dataclass
class Int8Simulation:
    """Which way the simulated layers compute now, and each quantized tensor's calibrated [min, max]."""

    mode: str = "float"  # "float", "record" (float, widening the ranges) or "int8"
    ranges: dict[str, list[float]] = field(default_factory=dict)

    @contextmanager
    def computing(self, mode: str) -> Iterator[None]:
        previous, self.mode = self.mode, mode
        try:
            yield
        finally:
            self.mode = previous

    def output(self, name: str, x: Any) -> Any:
        """A fused op's output as the int8 build has it (or recorded, or left alone)."""
        if self.mode == "record":
            values = ops.convert_to_numpy(x)
            low, high = self.ranges.setdefault(name, [np.inf, -np.inf])
            self.ranges[name] = [min(low, float(values.min())), max(high, float(values.max()))]
        elif self.mode == "int8":
            if name not in self.ranges:
                raise RuntimeError(f"{name}: no calibrated range; call calibrate() first")
            return fake_quant(x, *self.ranges[name])
        return x

    def calibrate(self, model: keras.Model, batches: Any) -> None:
        """Ranges anew from ``batches`` of model input (eager calls, float weights as they are now)."""
        self.ranges.clear()
        with self.computing("record"):
            for x in batches:
                model(x, training=False)


class _SimulatedLayer:
    """Mixed into a layer's class by `simulated`: the layer asks its `Int8Simulation` how to compute."""

    _int8: Int8Simulation
    _int8_fold: Any  # the folded BatchNormalization's per-channel scale (None: no BN follows)
    _int8_output: bool  # whether this layer's output leaves a fused op

    def _simulating(self) -> bool:
        return self._int8.mode == "int8"

    def _kernel_as_built(self, kernel: Any, reduce_axes: tuple[int, ...], channel_shape: tuple[int, ...]) -> Any:
        if self._int8_fold is None:
            return fake_quant_weights(kernel, reduce_axes)
        fold = ops.reshape(self._int8_fold(), channel_shape)
        return fake_quant_weights(kernel * fold, reduce_axes) / fold

    def _finish(self, x: Any) -> Any:
        return self._int8.output(self.name, x) if self._int8_output else x


class _Conv(_SimulatedLayer):
    def convolution_op(self, inputs: Any, kernel: Any) -> Any:
        if self._simulating():
            kernel = self._kernel_as_built(kernel, (0, 1, 2), (1, 1, 1, -1))
        return super().convolution_op(inputs, kernel)

    def call(self, inputs: Any) -> Any:
        return self._finish(super().call(inputs))


class _DepthwiseConv(_SimulatedLayer):
    def call(self, inputs: Any) -> Any:
        if not self._simulating() or self.use_bias or self.activation not in (None, keras.activations.linear):
            return self._finish(super().call(inputs))  # the zoo's depthwise convolutions have neither
        kernel = self._kernel_as_built(self.kernel, (0, 1), (1, 1, -1, 1))
        return self._finish(ops.depthwise_conv(inputs, kernel, strides=self.strides, padding=self.padding,
                                               dilation_rate=self.dilation_rate, data_format=self.data_format))


class _Dense(_SimulatedLayer):
    def call(self, inputs: Any, training: Any = None) -> Any:
        if self._int8.mode == "float":
            return super().call(inputs, training=training)
        kernel = fake_quant_weights(self.kernel, (0,)) if self._simulating() else self.kernel
        z = ops.add(ops.matmul(inputs, kernel), self.bias)
        if self.activation is not keras.activations.sigmoid:  # a fused activation: rounded after it
            return self._int8.output(self.name, self.activation(z))
        probability = ops.sigmoid(self._int8.output(self.name, z))  # LOGISTIC reads the rounded logit
        return fake_quant(probability, *SIGMOID_RANGE) if self._simulating() else probability


class _Output(_SimulatedLayer):
    def call(self, *args: Any, **kwargs: Any) -> Any:
        return self._finish(super().call(*args, **kwargs))


_MIXINS: tuple[tuple[type, type], ...] = (
    (keras.layers.DepthwiseConv2D, _DepthwiseConv),
    (keras.layers.Conv2D, _Conv),
    (keras.layers.Dense, _Dense),
    (keras.layers.BatchNormalization, _Output),
    (keras.layers.ReLU, _Output),
    (keras.layers.Add, _Output),
    (keras.layers.GlobalAveragePooling2D, _Output),
)
_SUBCLASSES: dict[tuple[type, type], type] = {}


def flat_layers(model: keras.Model) -> list[keras.layers.Layer]:
    """Every layer of ``model`` in graph order, nested models (the backbone) opened up."""
    found = []
    for layer in model.layers:
        found += flat_layers(layer) if isinstance(layer, keras.Model) else [layer]
    return found


def source_layer(layer: keras.layers.Layer) -> keras.layers.Layer:
    """The layer whose output ``layer`` reads (its first input)."""
    return layer._inbound_nodes[0].parent_nodes[0].operation  # noqa: SLF001 - Keras' graph links


def _folds(layers: list[keras.layers.Layer]) -> dict[str, Any]:
    """Convolution name → a function giving the scale its BatchNormalization folds into it."""
    folds = {}
    for layer in layers:
        if not isinstance(layer, keras.layers.BatchNormalization):
            continue
        source = source_layer(layer)
        if getattr(source, "activation", None) in (None, keras.activations.linear):  # after one it cannot fold
            folds[source.name] = lambda norm=layer: norm.gamma / ops.sqrt(norm.moving_variance + norm.epsilon)
    return folds


def _fused_into_next(layers: list[keras.layers.Layer], folds: dict[str, Any]) -> set[str]:
    """Layers whose output the int8 build never holds: a conv whose BN folds into it, a BN feeding its ReLU."""
    return set(folds) | {source_layer(layer).name for layer in layers if isinstance(layer, keras.layers.ReLU)
                         and isinstance(source_layer(layer), keras.layers.BatchNormalization)}


@contextmanager
def simulated(model: keras.Model, simulation: Int8Simulation) -> Iterator[Int8Simulation]:
    """``model`` computing as ``simulation.mode`` says, inside the block; plain Keras layers again after it.

    BatchNormalization must not train meanwhile (its scale is folded into the kernels as they are
    rounded): the caller freezes it, as LiteRT's build freezes it.
    """
    layers = flat_layers(model)
    folds = _folds(layers)
    fused = _fused_into_next(layers, folds)
    swapped = []
    for layer in layers:
        mixin = next((mixin for base, mixin in _MIXINS if isinstance(layer, base)), None)
        if mixin is None:
            continue
        key = (type(layer), mixin)
        if key not in _SUBCLASSES:
            _SUBCLASSES[key] = type(f"Int8Simulated{type(layer).__name__}", (mixin, type(layer)), {})
        swapped.append((layer, type(layer)))
        layer.__class__ = _SUBCLASSES[key]
        layer._int8, layer._int8_fold, layer._int8_output = simulation, folds.get(layer.name), layer.name not in fused
    try:
        yield simulation
    finally:
        for layer, original in swapped:
            layer.__class__ = original
            for name in ("_int8", "_int8_fold", "_int8_output"):
                object.__delattr__(layer, name)
