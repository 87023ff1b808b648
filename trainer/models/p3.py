"""P3 — CoronaHack (Kermany images), binary, a VGG-style CNN on 300×300×1 grayscale."""

from __future__ import annotations

import keras

from trainer.models.blocks import classifier_output, conv_pool, dense_stack, image_input
from trainer.models.registry import ParamCount, register

__all__ = ["p3_vgg300"]


@register(
    "p3-vgg300",
    paper="P3",
    input_shape=(300, 300, 1),
    num_classes=2,
    min_size=46,
    target=ParamCount(17_018_497, 17_018_497, 0),
    input_scaling="standardize",
    notes="Exact transcription of the paper's summary. Inputs standardised to mean 0 / sd 1 over the training "
    "data (the text also mentions 1/255 generators; the README reading is 'standardised'). P3's labels are "
    "Normal=1, pneumonia=0: the recipe decides the label order; the sigmoid is P(label 1).",
)
def p3_vgg300(input_shape: tuple[int, int, int], num_classes: int, name: str = "p3_vgg300") -> keras.Model:
    """Conv 32/64/128/128 (3×3 valid, ReLU), each + MaxPool 2 – Flatten – Dropout .5 – Dense512 – output."""
    inputs = image_input(input_shape)
    x = inputs
    for filters in (32, 64, 128, 128):
        x = conv_pool(x, filters)
    x = keras.layers.Dropout(0.5)(keras.layers.Flatten()(x))
    x = dense_stack(x, [512])
    return keras.Model(inputs, classifier_output(x, num_classes), name=name)
