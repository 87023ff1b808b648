"""P0 — four CNNs for the 4-class COVID-19 Radiography Database (150×150×3, ReLU, softmax).

Transcribed from the paper's ``model.summary()`` tables (Figs. 3, 8, 13, 18), whose output
shapes and parameter counts pin every layer down. Losses and class weights (models 2 and 3 use
``trainer.models.losses.SparseCategoricalFocalLoss``) are training-recipe choices, not
architecture, and live in ``trainer.recipes``.
"""

from __future__ import annotations

import keras

from trainer.models.blocks import classifier_output, conv_pool, dense_stack, image_input
from trainer.models.registry import ParamCount, register

_P0 = {"paper": "P0", "input_shape": (150, 150, 3), "num_classes": 4}


@register(
    "p0-m1",
    **_P0,
    min_size=10,
    target=ParamCount(5_319_204, 5_319_204, 0),
    notes="Exact transcription of the paper's summary (Fig. 3). Trained with sparse categorical cross-entropy.",
)
@register(
    "p0-m2",
    **_P0,
    min_size=10,
    target=ParamCount(5_319_204, 5_319_204, 0),
    notes="Same architecture as p0-m1 (Fig. 8); the paper changes only the loss (SparseCategoricalFocalLoss, "
    "gamma not stated: we use 2.0) and adds class weights (values not stated).",
)
def p0_m1(input_shape: tuple[int, int, int], num_classes: int, name: str = "p0_m1") -> keras.Model:
    """P0 models 1 and 2: Conv32–Pool–Conv32–Pool (3×3 valid) – Flatten – Dense128 – output."""
    inputs = image_input(input_shape)
    x = inputs
    for filters in (32, 32):
        x = conv_pool(x, filters)
    x = dense_stack(keras.layers.Flatten()(x), [128])
    return keras.Model(inputs, classifier_output(x, num_classes), name=name)


@register(
    "p0-m3",
    **_P0,
    min_size=94,
    target=ParamCount(536_660, 536_660, 0),
    notes="Fig. 13. The paper's table prints 2,880 params for Dense32; 64×32+32 = 2,080 and the stated total "
    "536,660 agrees with 2,080, so 2,880 is a typo. Last pool: 2×2 with stride 1 (5×5 → 4×4). "
    "Trained with focal loss (gamma 2.0 assumed) and ReduceLROnPlateau.",
)
def p0_m3(input_shape: tuple[int, int, int], num_classes: int, name: str = "p0_m3") -> keras.Model:
    """P0 model 3: Conv 32/48/64/128/128 (valid), each + MaxPool 2 (the last with stride 1) –
    Flatten – Dense 128/64/32 – output."""
    inputs = image_input(input_shape)
    x = inputs
    for filters in (32, 48, 64, 128):
        x = conv_pool(x, filters)
    x = conv_pool(x, 128, pool_strides=1)
    x = dense_stack(keras.layers.Flatten()(x), [128, 64, 32])
    return keras.Model(inputs, classifier_output(x, num_classes), name=name)


@register(
    "p0-m4",
    **_P0,
    min_size=3,
    target=ParamCount(771_172, 771_172, 0),
    notes="Fig. 18. The text says padding 'same' for convs and pools, but the summary shows the FIRST conv as "
    "valid (150 → 148); we follow the summary (parameter counts are the same either way). "
    "All pools are 2×2 'same', so the map shrinks to 1×1×256 at 150×150.",
)
def p0_m4(input_shape: tuple[int, int, int], num_classes: int, name: str = "p0_m4") -> keras.Model:
    """P0 model 4 (the paper's best, 86.6%): 8× [Conv 3×3 + MaxPool(2, same)] with filters
    32,32,64,64,128,128,128,256 (first conv valid, the rest same) – Flatten – Dense 128/64 – output."""
    inputs = image_input(input_shape)
    x = conv_pool(inputs, 32, padding="valid", pool_padding="same")
    for filters in (32, 64, 64, 128, 128, 128, 256):
        x = conv_pool(x, filters, padding="same", pool_padding="same")
    x = dense_stack(keras.layers.Flatten()(x), [128, 64])
    return keras.Model(inputs, classifier_output(x, num_classes), name=name)
