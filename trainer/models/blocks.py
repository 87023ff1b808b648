"""Layer-block builders shared by every architecture in the zoo.

The papers' models are small stacks of the same few motifs (conv + pool, dense + dropout, a
one-unit sigmoid or softmax output); building them from these helpers keeps each paper module a
readable transcription of the paper's layer list, and keeps conventions (output head, input
validation, augmentation) identical across the zoo.

Conventions fixed here, for every model:

* No rescaling layer: pixel scaling is done once, outside the model, by the shared preprocessing
  (``cxrcore.preprocess.InputSpec``), so the desktop app and the trainer cannot disagree.
* Binary problems (``num_classes == 2``) get ONE sigmoid unit (the probability of the positive
  class, label 1); more classes get a softmax over ``num_classes`` units.
"""

from __future__ import annotations

from collections.abc import Sequence

import keras

__all__ = [
    "ACTIVATIONS",
    "activation",
    "augmentation",
    "classifier_output",
    "conv_pool",
    "dense_stack",
    "image_input",
]

#: Activation kinds accepted by ``activation`` (P2's study compares them).
ACTIVATIONS = ("relu", "prelu", "leaky_relu")


def image_input(input_shape: Sequence[int], channels: int | None = None, name: str = "image") -> keras.KerasTensor:
    """A channels-last image input, validated so that mistakes fail here and not deep in a conv.

    Args:
        input_shape: ``(height, width, channels)``.
        channels: if given, the channel count the architecture requires (ImageNet backbones: 3).
    """
    shape = tuple(input_shape)
    if len(shape) != 3 or not all(isinstance(side, int) and side > 0 for side in shape):
        raise ValueError(f"input_shape must be (height, width, channels) of positive ints, got {input_shape!r}")
    if channels is not None and shape[2] != channels:
        raise ValueError(f"this architecture takes {channels}-channel input, got input_shape {shape}")
    return keras.Input(shape=shape, name=name)


def activation(
    kind: str, negative_slope: float = 0.3, per_channel: bool = True, name: str | None = None
) -> keras.layers.Layer:
    """A standalone activation layer.

    Args:
        kind: ``"relu"``, ``"prelu"`` (learned slope) or ``"leaky_relu"`` (fixed ``negative_slope``).
        negative_slope: LeakyReLU's slope for negative inputs (Keras 2 called it ``alpha``).
        per_channel: for PReLU after a conv, share each slope across height and width (one slope
            per channel, as in He et al. 2015). Without sharing, Keras learns one slope per
            *activation value* (150×150×16 = 360,000 for P2's first layer), which ties the model
            to one input size. Ignored for the other kinds.
    """
    if kind == "relu":
        return keras.layers.ReLU(name=name)
    if kind == "prelu":
        return keras.layers.PReLU(shared_axes=[1, 2] if per_channel else None, name=name)
    if kind == "leaky_relu":
        return keras.layers.LeakyReLU(negative_slope=negative_slope, name=name)
    raise ValueError(f"unknown activation {kind!r}; expected one of {ACTIVATIONS}")


def conv_pool(
    x: keras.KerasTensor,
    filters: int,
    *,
    padding: str = "valid",
    pool_strides: int | None = None,
    pool_padding: str = "valid",
) -> keras.KerasTensor:
    """``Conv2D(filters, 3×3, ReLU)`` then ``MaxPooling2D(2)``: the unit of P0, P3 and P4's CNNs.

    ``pool_strides`` defaults to the pool size (2); P0's model 3 ends with a stride-1 pool.
    """
    x = keras.layers.Conv2D(filters, 3, padding=padding, activation="relu")(x)
    return keras.layers.MaxPooling2D(2, strides=pool_strides, padding=pool_padding)(x)


def dense_stack(
    x: keras.KerasTensor,
    units: Sequence[int],
    dropouts: Sequence[float] | None = None,
    *,
    kind: str | None = "relu",
    negative_slope: float = 0.3,
    l2: float | None = None,
) -> keras.KerasTensor:
    """Fully connected layers, each optionally followed by dropout.

    Args:
        units: width of each Dense layer, in order.
        dropouts: one rate per layer (0 for none), or None for no dropout at all.
        kind: activation after each layer (see ``activation``); None for a linear layer.
        l2: L2 factor on each Dense kernel, or None.
    """
    rates = list(dropouts) if dropouts is not None else [0.0] * len(units)
    if len(rates) != len(units):
        raise ValueError(f"got {len(rates)} dropout rates for {len(units)} dense layers")
    regularizer = keras.regularizers.L2(l2) if l2 else None
    for width, rate in zip(units, rates):
        x = keras.layers.Dense(width, kernel_regularizer=regularizer)(x)
        if kind is not None:
            x = activation(kind, negative_slope, per_channel=False)(x)
        if rate:
            x = keras.layers.Dropout(rate)(x)
    return x


def classifier_output(x: keras.KerasTensor, num_classes: int) -> keras.KerasTensor:
    """The zoo's output convention: one sigmoid unit for 2 classes, else softmax(num_classes).

    The layer computes in float32 under every policy: under mixed bfloat16 a sigmoid output would
    round to steps of 1/256 near 1, tying films in the AUC and saturating the loss."""
    if not isinstance(num_classes, int) or num_classes < 2:
        raise ValueError(f"num_classes must be an int >= 2, got {num_classes!r}")
    units, activation = (1, "sigmoid") if num_classes == 2 else (num_classes, "softmax")
    return keras.layers.Dense(units, activation=activation, dtype="float32", name="predictions")(x)


def augmentation(x: keras.KerasTensor, fill_value: float = 0.0, factor: float = 0.1) -> keras.KerasTensor:
    """P4's in-model augmentation: RandomRotation, RandomZoom, RandomTranslation (all ``factor``).

    Active only in training; at inference the layers are the identity, hold no weights and
    convert to LiteRT as nothing (checked by the tests). ``fill_value`` is what a black pixel
    becomes under the model's input scaling: P4 fills with black (0 in raw pixels). P4 passed
    ``fill_mode='constant'`` to rotation and translation but not to zoom (Keras' default
    ``reflect``); we keep that difference.
    """
    x = keras.layers.RandomRotation(factor, fill_mode="constant", fill_value=fill_value)(x)
    x = keras.layers.RandomZoom(factor)(x)
    return keras.layers.RandomTranslation(factor, factor, fill_mode="constant", fill_value=fill_value)(x)
