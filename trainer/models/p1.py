"""P1 — Kermany pneumonia, binary, 150×150×3: a baseline CNN and frozen-VGG16 transfer.

The DCGAN P1 used to synthesise extra normals is in ``trainer.models.dcgan``.
"""

from __future__ import annotations

import os

import keras

from trainer.models.blocks import classifier_output, dense_stack, image_input
from trainer.models.registry import ParamCount, register
from trainer.models.transfer import backbone, unfreeze_backbone

__all__ = ["p1_baseline", "p1_transfer_head", "p1_vgg16"]

#: P1's transfer head. The widths are not in the text: 1024/512/256 are the only ones that give
#: its 9,046,017 trainable parameters on VGG16's 4×4×512 output. The dropout rates are not given
#: either ("each of the Dense layers were followed by a Dropout layer"): we reuse the baseline's.
P1_HEAD_UNITS = (1024, 512, 256)
P1_HEAD_DROPOUTS = (0.5, 0.3, 0.2)

_P1 = {"paper": "P1", "input_shape": (150, 150, 3), "num_classes": 2}


def p1_transfer_head(features: keras.KerasTensor, num_classes: int) -> keras.KerasTensor:
    """Flatten – Dense 1024/512/256 (ReLU), each + Dropout – output."""
    x = dense_stack(keras.layers.Flatten()(features), P1_HEAD_UNITS, P1_HEAD_DROPOUTS)
    return classifier_output(x, num_classes)


@register(
    "p1-baseline",
    **_P1,
    min_size=16,
    target=ParamCount(5_677_329, 5_676_881, 448),
    notes="Blocks 2×Conv16, 2×Conv32, 2×Conv64, 2×Conv128 (3×3 same, ReLU), each + MaxPool 2; one BatchNorm per "
    '32/64/128 block placed after its two convs ("between the convolution layers and the max-pooling layers"); '
    "the 448 non-trainable params are those BNs' moving statistics (2×(32+64+128)), which confirms one BN per block. "
    "Head Dense512–Drop.5–Dense128–Drop.3–Dense64–Drop.2–sigmoid as stated.",
)
def p1_baseline(input_shape: tuple[int, int, int], num_classes: int, name: str = "p1_baseline") -> keras.Model:
    """P1's baseline CNN (90% test accuracy in the paper)."""
    inputs = image_input(input_shape)
    x = inputs
    for filters, batch_norm in ((16, False), (32, True), (64, True), (128, True)):
        x = keras.layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        x = keras.layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        if batch_norm:
            x = keras.layers.BatchNormalization()(x)
        x = keras.layers.MaxPooling2D(2)(x)
    x = dense_stack(keras.layers.Flatten()(x), [512, 128, 64], [0.5, 0.3, 0.2])
    return keras.Model(inputs, classifier_output(x, num_classes), name=name)


@register(
    "p1-vgg16",
    **_P1,
    min_size=32,
    target=ParamCount(23_760_705, 9_046_017, 14_714_688),
    offline_kwargs={"require_weights": False},
    notes="Frozen VGG16 (include_top=False) + P1_HEAD (Dense 1024/512/256 each + Dropout .5/.3/.2 — the rates are "
    "our assumption) + sigmoid. Needs a local vgg16 *_notop.h5 weights file (ImageNet weights cannot be downloaded "
    "offline). P1 fed ImageDataGenerator's 1/255-rescaled pixels straight into VGG16 (no preprocess_input "
    "mentioned), so input scaling is 'unit'.",
)
def p1_vgg16(
    input_shape: tuple[int, int, int],
    num_classes: int,
    name: str = "p1_vgg16",
    weights: str | os.PathLike[str] | None = None,
    require_weights: bool = True,
    unfreeze_from: str | None = None,
) -> keras.Model:
    """P1's transfer model (92% test accuracy in the paper).

    Args:
        weights: path to a local ``vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5``.
        require_weights: refuse to build without ImageNet weights (see ``transfer.resolve_weights``).
        unfreeze_from: optional backbone layer-name prefix to fine-tune from (P1 did not).
    """
    inputs = image_input(input_shape, channels=3)
    features = backbone("vgg16", input_shape, weights, require_weights)(inputs)
    model = keras.Model(inputs, p1_transfer_head(features, num_classes), name=name)
    if unfreeze_from is not None:
        unfreeze_backbone(model, unfreeze_from)
    return model
