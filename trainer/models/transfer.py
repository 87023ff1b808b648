"""Frozen ``keras.applications`` backbones for the papers' transfer-learning models (P1, P4).

ImageNet weights cannot be downloaded here: every public copy of Keras' weight files reachable
offline is truncated or a Git-LFS pointer. So a backbone takes a *local* weights file, and by
default refuses to build without one (``require_weights=True``): a "transfer" model on random
weights trains, but reproduces nothing, and that must not happen silently. Tests build with
``weights=None, require_weights=False`` to exercise the code path.

The backbone is nested in the model as one layer named ``backbone`` so that the fine-tuning stage
(P4 unfreezes ResNet50's conv5 block) can find it again: ``unfreeze_backbone(model, "conv5")``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import keras
from keras import ops

from trainer.models.blocks import image_input

__all__ = [
    "BACKBONES",
    "BACKBONE_LAYER",
    "BackboneSpec",
    "ImageNetPreprocessing",
    "backbone",
    "keras_weights_dir",
    "resolve_weights",
    "unfreeze_backbone",
]

BACKBONE_LAYER = "backbone"


@dataclass(frozen=True)
class BackboneSpec:
    """One ``keras.applications`` backbone.

    Attributes:
        constructor: attribute of ``keras.applications``.
        weights_file: the file Keras would download for ``weights="imagenet", include_top=False``.
        preprocessing: the ``ImageNetPreprocessing`` mode its ImageNet weights expect.
        min_size: smallest input side ``keras.applications`` accepts.
    """

    constructor: str
    weights_file: str
    preprocessing: str
    min_size: int


BACKBONES: dict[str, BackboneSpec] = {
    "vgg16": BackboneSpec("VGG16", "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5", "caffe", 32),
    "vgg19": BackboneSpec("VGG19", "vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5", "caffe", 32),
    "resnet50": BackboneSpec("ResNet50", "resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5", "caffe", 32),
    "xception": BackboneSpec("Xception", "xception_weights_tf_dim_ordering_tf_kernels_notop.h5", "tf", 71),
    "inceptionv3": BackboneSpec("InceptionV3", "inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5", "tf", 75),
}

# ImageNet channel means in BGR order, as keras.applications.imagenet_utils subtracts them.
_CAFFE_BGR_MEAN = (103.939, 116.779, 123.68)


@keras.saving.register_keras_serializable(package="cxr")
class ImageNetPreprocessing(keras.layers.Layer):
    """``keras.applications.*.preprocess_input`` as a serializable, weightless layer.

    Input: raw pixels in [0, 255], RGB. Modes:

    * ``caffe`` (VGG16/19, ResNet50): RGB → BGR, then subtract the ImageNet channel means.
    * ``tf`` (Xception, InceptionV3): ``x / 127.5 - 1``.

    P4 called ``preprocess_input`` inside its transfer models, on raw pixels (its
    ``Rescaling(1/255)`` line there is a no-op: ``x = layers.Rescaling(1./255),`` builds a tuple
    that the next line overwrites), so these models take ``raw`` input scaling.
    """

    def __init__(self, mode: str, **kwargs) -> None:
        super().__init__(**kwargs)
        if mode not in ("caffe", "tf"):
            raise ValueError(f"mode must be 'caffe' or 'tf', got {mode!r}")
        self.mode = mode

    def call(self, inputs):
        if self.mode == "tf":
            return inputs / 127.5 - 1.0
        return ops.flip(inputs, axis=-1) - ops.convert_to_tensor(_CAFFE_BGR_MEAN, dtype=inputs.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "mode": self.mode}


def keras_weights_dir() -> Path:
    """Where Keras caches downloaded weights: ``$KERAS_HOME/models`` (default ``~/.keras/models``)."""
    return Path(os.environ.get("KERAS_HOME", Path.home() / ".keras")) / "models"


def resolve_weights(kind: str, weights: str | os.PathLike[str] | None, require_weights: bool) -> str | None:
    """The weights file to load for backbone ``kind``, or None for random initialisation.

    An explicit ``weights`` path must exist. With ``weights=None``, ``require_weights`` looks for
    the expected file in the Keras cache (where ``keras.applications`` would have put it) and
    raises ``FileNotFoundError`` naming it when absent.
    """
    spec = _spec(kind)
    if weights is not None:
        path = Path(weights)
        if not path.is_file():
            raise FileNotFoundError(f"{spec.constructor} weights file not found: {path}")
        return str(path)
    if not require_weights:
        return None
    cached = keras_weights_dir() / spec.weights_file
    if cached.is_file():
        return str(cached)
    raise FileNotFoundError(
        f"{spec.constructor} needs its ImageNet weights file {spec.weights_file!r}: pass weights=PATH or put it at "
        f"{cached}. ImageNet weights cannot be downloaded offline (every copy reachable from here is truncated or a "
        f"Git-LFS pointer). To build with random weights (tests only) pass require_weights=False."
    )


def backbone(
    kind: str,
    input_shape: tuple[int, int, int],
    weights: str | os.PathLike[str] | None = None,
    require_weights: bool = True,
) -> keras.Model:
    """A frozen, top-less ``keras.applications`` backbone named ``backbone``.

    Frozen means ``trainable=False`` on every layer, which in Keras 3 also runs its BatchNorm
    layers in inference mode. Input channels must be 3 (ImageNet backbones).
    """
    spec = _spec(kind)
    image_input(input_shape, channels=3)  # validates the shape with a clear message
    if min(input_shape[:2]) < spec.min_size:
        raise ValueError(f"{spec.constructor} needs inputs of at least {spec.min_size}×{spec.min_size}")
    constructor = getattr(keras.applications, spec.constructor)
    model = constructor(
        include_top=False,
        weights=resolve_weights(kind, weights, require_weights),
        input_shape=input_shape,
        name=BACKBONE_LAYER,
    )
    model.trainable = False
    return model


def unfreeze_backbone(model: keras.Model, unfreeze_from: str) -> int:
    """Make the nested backbone trainable from its first layer whose name starts with
    ``unfreeze_from`` to the end; earlier layers stay frozen. Returns how many layers were unfrozen.

    P4 fine-tuned ResNet50 from ``"conv5"`` (the last 32 layers, the whole conv5 block). Natural
    choices elsewhere: ``"block5"`` for VGG16/19, ``"block14"`` for Xception. As in P4, the
    unfrozen BatchNorm layers train normally (P4 did not call the backbone with
    ``training=False``). Recompile the model afterwards: the trainable set is fixed at compile.
    """
    base = model.get_layer(BACKBONE_LAYER) if model.name != BACKBONE_LAYER else model
    names = [layer.name for layer in base.layers]
    start = next((i for i, layer_name in enumerate(names) if layer_name.startswith(unfreeze_from)), None)
    if start is None:
        raise ValueError(f"no backbone layer name starts with {unfreeze_from!r}; layers end with {names[-5:]}")
    base.trainable = True
    for layer in base.layers[:start]:
        layer.trainable = False
    return len(names) - start


def _spec(kind: str) -> BackboneSpec:
    try:
        return BACKBONES[kind]
    except KeyError:
        raise KeyError(f"unknown backbone {kind!r}; known: {', '.join(BACKBONES)}") from None
