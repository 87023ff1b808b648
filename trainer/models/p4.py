"""P4 — 4-class COVID-19 / bacterial / viral / healthy: the "CNN16", its PyTorch port, and five
frozen ``keras.applications`` transfer models, all at 200×200.

P4's Keras CNN starts with ``Rescaling(1/255)`` and three augmentation layers. Rescaling is left
out here (the shared preprocessing scales pixels, ``input_scaling='unit'``); the augmentation
layers are kept because they were part of P4's model: they are the identity at inference and
convert to LiteRT as nothing (tested). P4's transfer models called the same augmentation and
``<backbone>.preprocess_input`` inside the model, on raw pixels; so do ours (``input_scaling='raw'``).
"""

from __future__ import annotations

import os

import keras

from trainer.models.blocks import augmentation, classifier_output, conv_pool, dense_stack, image_input
from trainer.models.registry import register
from trainer.models.transfer import BACKBONES, ImageNetPreprocessing, backbone, unfreeze_backbone

__all__ = ["p4_cnn16", "p4_transfer", "p4_transfer_head"]

_P4 = {"paper": "P4", "input_shape": (200, 200, 3), "num_classes": 4}
_CNN16_FILTERS = (64, 64, 128, 128, 256, 256)


def p4_transfer_head(features: keras.KerasTensor, num_classes: int) -> keras.KerasTensor:
    """P4's transfer head: Flatten – Dense512 (ReLU) – Dropout .2 – output."""
    return classifier_output(dense_stack(keras.layers.Flatten()(features), [512], [0.2]), num_classes)


@register(
    "p4-cnn16",
    **_P4,
    min_size=190,
    notes="P4's Keras code, minus Rescaling (done by the shared preprocessing). Keeps RandomRotation .1 / "
    "RandomZoom .1 / RandomTranslation .1 (fill 0; zoom with Keras' default reflect fill, as in P4's code): "
    "identity at inference, no weights, converts to LiteRT. 6× [Conv 3×3 valid ReLU + MaxPool 2] 64,64,128,128,"
    "256,256 – Flatten – Dense512 – Dropout .2 – softmax. Class weights {1, 1.75, 1.94, 6.40} are a recipe matter. "
    "Paper gives no parameter count.",
)
@register(
    "p4-cnn16-1ch",
    **(_P4 | {"input_shape": (200, 200, 1)}),
    min_size=190,
    input_scaling="standardize",
    defaults={"augment": False, "dense_activation": None},
    notes="P4's PyTorch port (CNN16Model) as Keras: 1-channel input normalised by dataset mean/sd; no in-model "
    "augmentation (the port augmented in its data pipeline: small rotations and translations); and, faithful to "
    "the port's code, NO activation between Linear(256, 512) and Linear(512, 4) (only Dropout .2). "
    "Softmax output (the port trained logits with CrossEntropyLoss: same model). Input 200×200 assumed: the "
    "port's Linear(256, …) needs a 1×1 final map, true for sides 190–253.",
)
def p4_cnn16(
    input_shape: tuple[int, int, int],
    num_classes: int,
    name: str = "p4_cnn16",
    augment: bool = True,
    dense_activation: str | None = "relu",
) -> keras.Model:
    """P4's 16-layer CNN (75.1% test accuracy; the PyTorch port 79.4–81.5%).

    Args:
        augment: include P4's RandomRotation/RandomZoom/RandomTranslation layers.
        dense_activation: activation of the Dense512 layer (None: linear, as in the PyTorch port).
    """
    inputs = image_input(input_shape)
    x = augmentation(inputs) if augment else inputs
    for filters in _CNN16_FILTERS:
        x = conv_pool(x, filters)
    x = dense_stack(keras.layers.Flatten()(x), [512], [0.2], kind=dense_activation)
    return keras.Model(inputs, classifier_output(x, num_classes), name=name)


def p4_transfer(
    input_shape: tuple[int, int, int],
    num_classes: int,
    name: str = "p4_resnet50",
    backbone_kind: str = "resnet50",
    weights: str | os.PathLike[str] | None = None,
    require_weights: bool = True,
    unfreeze_from: str | None = None,
    augment: bool = True,
) -> keras.Model:
    """P4's transfer model: [augmentation] – ImageNet preprocessing – frozen backbone – P4 head.

    Args:
        backbone_kind: a key of ``trainer.models.transfer.BACKBONES``.
        weights: path to the backbone's local ImageNet ``*_notop.h5`` file.
        require_weights: refuse to build without that file (``FileNotFoundError`` naming it).
        unfreeze_from: backbone layer-name prefix to fine-tune from — P4's second stage unfroze
            ResNet50's ``"conv5"`` block (83.3% → 85.7%). Usually applied later, to the trained
            model, with ``trainer.models.transfer.unfreeze_backbone``.
        augment: include P4's augmentation layers (P4's transfer code applied them in-model).
    """
    inputs = image_input(input_shape, channels=3)
    x = augmentation(inputs) if augment else inputs
    x = ImageNetPreprocessing(BACKBONES[backbone_kind].preprocessing, name="imagenet_preprocessing")(x)
    features = backbone(backbone_kind, input_shape, weights, require_weights)(x)
    model = keras.Model(inputs, p4_transfer_head(features, num_classes), name=name)
    if unfreeze_from is not None:
        unfreeze_backbone(model, unfreeze_from)
    return model


_TRANSFER_ACCURACY = {
    "resnet50": "83.3%, 85.7% after unfreezing conv5",
    "vgg16": "81.6%",
    "vgg19": "79.9%",
    "xception": "78.5%, 83.1% after fine-tuning",
    "inceptionv3": "76%",
}
for _kind, _spec in BACKBONES.items():
    register(
        f"p4-{_kind}",
        **_P4,
        min_size=_spec.min_size,
        input_scaling="raw",
        defaults={"backbone_kind": _kind},
        offline_kwargs={"require_weights": False},
        notes=f"Frozen {_spec.constructor} (P4 test acc {_TRANSFER_ACCURACY[_kind]}) + Flatten – Dense512 – Dropout .2 – "
        f"softmax. In-model augmentation and {_spec.preprocessing}-mode preprocess_input on raw 0–255 pixels, as P4's "
        f"code did. Needs a local {_spec.weights_file} (no offline ImageNet download). Paper gives no parameter count.",
    )(p4_transfer)
