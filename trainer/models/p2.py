"""P2 — Kermany pneumonia, binary, 150×150×3: a separable-conv CNN and its activation study.

P2 gives the first block in code (Conv16–Conv16 'same' – MaxPool 2) and describes the rest in
words: "another four convolutional layers" with SeparableConv2D, BatchNormalization, MaxPool,
dropout, then fully connected layers with dropout and L2, PReLU activations, sigmoid output.
It says the code is on GitHub (ayperos23/ML-pneumonia-classification, not reachable offline).
The widths, positions and rates below are taken from the widely copied public Kaggle notebook
this description matches (same first block, 150×150 input, 10 epochs, ModelCheckpoint +
ReduceLROnPlateau): blocks 2–5 = two SeparableConv2D (32/64/128/256, 3×3 same) + BatchNorm +
MaxPool 2, Dropout .2 after blocks 4 and 5; Flatten – Dense 512/128/64 with Dropout .7/.5/.3.

Further assumptions (P2 is silent):

* L2 on the three hidden Dense kernels only, factor 0.01 (Keras' default ``l2()`` factor, the
  value one gets when none is written).
* PReLU slopes are learned per channel (shared over height and width) after convolutions and
  per unit after Dense layers; slopes start at 0 (Keras' default, i.e. ReLU at initialisation).
* The activation replaces every ReLU of the design (all convs and hidden Dense layers), as in
  P2's study where "the only difference between them was the usage of different rectified
  activations".
"""

from __future__ import annotations

import keras

from trainer.models import blocks
from trainer.models.registry import register

__all__ = ["p2_cnn"]

_P2 = {"paper": "P2", "input_shape": (150, 150, 3), "num_classes": 2, "min_size": 32}
_DESIGN = (
    "Widths not in the paper, taken from the public notebook its description matches: Conv16–Conv16 – MaxPool, "
    "then 4 blocks of 2× SeparableConv2D 32/64/128/256 + BatchNorm + MaxPool (Dropout .2 after the last two), "
    "Flatten – Dense 512/128/64 with Dropout .7/.5/.3 – sigmoid. Assumed: L2 0.01 (Keras' default factor) on "
    "the hidden Dense kernels; PReLU slopes per channel (per unit after Dense); the activation replaces every ReLU."
)


@register("p2-prelu", **_P2, notes=f"PReLU, the paper's final model (90.38%). {_DESIGN}")
@register("p2-relu", **_P2, defaults={"activation": "relu"}, notes=f"ReLU (87.50% in P2's study). {_DESIGN}")
@register(
    "p2-leakyrelu03",
    **_P2,
    defaults={"activation": "leaky_relu", "negative_slope": 0.3},
    notes=f"LeakyReLU alpha 0.3 (88.94% in P2's study). {_DESIGN}",
)
@register(
    "p2-leakyrelu30",
    **_P2,
    defaults={"activation": "leaky_relu", "negative_slope": 30.0},
    notes=f"LeakyReLU alpha 30 (87.02% in P2's study): slope 30 for negative inputs, as stated. {_DESIGN}",
)
def p2_cnn(
    input_shape: tuple[int, int, int],
    num_classes: int,
    name: str = "p2_prelu",
    activation: str = "prelu",
    negative_slope: float = 0.3,
    l2: float = 0.01,
) -> keras.Model:
    """P2's CNN with the activation of P2's study.

    Args:
        activation: ``"prelu"`` (P2's choice), ``"relu"`` or ``"leaky_relu"``.
        negative_slope: LeakyReLU slope (P2 tried 0.3 and 30); ignored otherwise.
        l2: L2 factor on the hidden Dense kernels.
    """
    inputs = blocks.image_input(input_shape)

    def conv(x: keras.KerasTensor, filters: int, layer: type[keras.layers.Layer]) -> keras.KerasTensor:
        x = layer(filters, 3, padding="same")(x)
        return blocks.activation(activation, negative_slope)(x)

    x = conv(conv(inputs, 16, keras.layers.Conv2D), 16, keras.layers.Conv2D)
    x = keras.layers.MaxPooling2D(2)(x)
    for filters, dropout in ((32, 0.0), (64, 0.0), (128, 0.2), (256, 0.2)):
        x = conv(conv(x, filters, keras.layers.SeparableConv2D), filters, keras.layers.SeparableConv2D)
        x = keras.layers.BatchNormalization()(x)
        x = keras.layers.MaxPooling2D(2)(x)
        if dropout:
            x = keras.layers.Dropout(dropout)(x)
    x = blocks.dense_stack(
        keras.layers.Flatten()(x),
        [512, 128, 64],
        [0.7, 0.5, 0.3],
        kind=activation,
        negative_slope=negative_slope,
        l2=l2,
    )
    return keras.Model(inputs, blocks.classifier_output(x, num_classes), name=name)
