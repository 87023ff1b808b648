"""The one preprocessing implementation shared by training, conversion and the app.

Silent preprocessing mismatch between training and deployment is the most common way a chest X-ray
model fails in the field, so every path from a file to a model input goes through these functions:

    decode (`cxrcore.decode`) → EXIF orientation → grayscale → `to_uint8` → `resize_gray`
    → `to_model_input` (channel count, dtype, scale/offset as the model card says).

The trainer caches the uint8 output of `load_resized_gray` and calls `to_model_input` on batches;
the app calls `preprocess_file`, which is the same two calls in a row. Changing any step here
changes `PREPROCESSING_ID`, which every model card records and the app checks.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass

import numpy as np
from PIL import Image

from cxrcore.decode import DecodedImage, decode_image

#: Identifier of this exact pipeline. Bump it whenever any step below changes behaviour.
PREPROCESSING_ID = "cxr-gray-box-v1"

#: The one interpolation: Pillow's BOX filter (area averaging). It anti-aliases when shrinking
#: full-size films (2–3k px) to model size, where bilinear would alias rib edges. Pillow resizes
#: 8-bit images in fixed-point arithmetic, so the result is bit-identical on every platform and
#: CPU, and it spares the frozen app OpenCV (about 155 MB of libraries for this single call).
INTERPOLATION = Image.Resampling.BOX
INTERPOLATION_NAME = "pillow-box"

_SUPPORTED_DTYPES = ("float32", "uint8", "int8")


@dataclass(frozen=True)
class InputSpec:
    """What a model takes: ``x = pixel_uint8 * scale + offset``, replicated to ``channels``.

    ``dtype`` is the dtype of the *float* model's input (float32) or of a fully quantized
    build's input (uint8/int8, then ``quant_scale``/``quant_zero_point`` map float to integers:
    ``q = round(x / quant_scale) + quant_zero_point``).
    """

    height: int
    width: int
    channels: int
    scale: float = 1.0 / 255.0
    offset: float = 0.0
    dtype: str = "float32"
    quant_scale: float | None = None
    quant_zero_point: int | None = None

    def __post_init__(self) -> None:
        if self.height < 8 or self.width < 8:
            raise ValueError(f"input size {self.height}×{self.width} is too small")
        if self.channels not in (1, 3):
            raise ValueError(f"channels must be 1 or 3, got {self.channels}")
        if self.dtype not in _SUPPORTED_DTYPES:
            raise ValueError(f"dtype must be one of {_SUPPORTED_DTYPES}, got {self.dtype!r}")
        if self.dtype != "float32" and (self.quant_scale is None or self.quant_zero_point is None):
            raise ValueError(f"a {self.dtype} input needs quant_scale and quant_zero_point")

    @classmethod
    def from_dict(cls, data: dict) -> "InputSpec":
        """Build from a model card's ``input`` object; unknown keys are an error, not ignored."""
        known = set(cls.__dataclass_fields__)
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown input field(s): {sorted(unknown)}")
        return cls(**data)

    def to_dict(self) -> dict:
        return {key: value for key, value in asdict(self).items() if value is not None}

    def with_quantization(self, dtype: str, quant_scale: float, quant_zero_point: int) -> "InputSpec":
        """The same input seen through a fully quantized build's integer input tensor."""
        return InputSpec(
            self.height, self.width, self.channels, self.scale, self.offset, dtype, quant_scale, quant_zero_point
        )


def to_uint8(decoded: DecodedImage) -> np.ndarray:
    """Map a decoded film to uint8. 16-bit data is stretched linearly from its min to its max.

    DICOM has already been windowed (VOI LUT) by `cxrcore.dicom`, so for DICOM this is a plain
    16→8-bit requantisation; for raw 16-bit PNG/TIFF the stretch stands in for a window.
    """
    pixels = decoded.pixels
    if pixels.dtype == np.uint8:
        return pixels
    values = pixels.astype(np.float64)
    low, high = float(values.min()), float(values.max())
    if high <= low:
        return np.zeros(pixels.shape, np.uint8)
    return np.round((values - low) * (255.0 / (high - low))).astype(np.uint8)


def resize_gray(gray: np.ndarray, height: int, width: int) -> np.ndarray:
    """Resize a 2-D uint8 image to (height, width) with the one documented interpolation.

    Pillow applies the filter in two separable passes, rounding to 8 bits (half up) after each.
    Aspect ratio is not kept, matching how the training data was produced upstream (every
    Kermany/radiography image was squashed to 224×224).
    """
    if gray.ndim != 2 or gray.dtype != np.uint8:
        raise ValueError(f"expected a 2-D uint8 image, got {gray.dtype} with shape {gray.shape}")
    if gray.shape == (height, width):
        return gray
    return np.asarray(Image.fromarray(gray).resize((width, height), INTERPOLATION))


def decode_for_model(path: str | os.PathLike[str], height: int, width: int, draft: bool = False) -> DecodedImage:
    """Decode a file for a model of input (height, width).

    ``draft`` allows reduced-size JPEG decoding (see `decode_image`); the app enables it only
    for films at least twice the model input, so training-size files decode identically.
    """
    return decode_image(path, draft_size=(2 * width, 2 * height) if draft else None)


def model_gray(decoded: DecodedImage, height: int, width: int) -> np.ndarray:
    """Decoded film → (height, width) uint8: everything before dtype/scaling."""
    return resize_gray(to_uint8(decoded), height, width)


def load_resized_gray(
    path: str | os.PathLike[str], height: int, width: int, draft: bool = False
) -> np.ndarray:
    """File → (height, width) uint8: everything before dtype/scaling. This is what the trainer caches."""
    return model_gray(decode_for_model(path, height, width, draft), height, width)


def to_model_input(gray: np.ndarray, spec: InputSpec, out: np.ndarray | None = None) -> np.ndarray:
    """uint8 images (H, W) or (N, H, W) → model input (N, H, W, C) of ``spec.dtype``, written into ``out``
    when given (the engine's own input array: `cxrcore.runtime.Engine.run_filled`).

    ``x = pixel * scale + offset`` (then ``clip(round(x / quant_scale) + quant_zero_point)`` for an
    integer input), in float32, computed in place on one float copy of the pixels and then written to
    each channel: the app calls this for every film, and the expression form allocated a temporary per
    operation (twice the time on a 224×224×3 film). In-place ufuncs give the same values, element for
    element.
    """
    batch = gray[np.newaxis] if gray.ndim == 2 else gray
    if batch.ndim != 3 or batch.shape[1:] != (spec.height, spec.width) or batch.dtype != np.uint8:
        raise ValueError(
            f"expected uint8 images of {spec.height}×{spec.width}, got {batch.dtype} with shape {gray.shape}"
        )
    shape = (*batch.shape, spec.channels)
    if out is not None and (out.shape != shape or out.dtype != np.dtype(spec.dtype)):
        raise ValueError(f"cannot write {spec.dtype} {shape} into {out.dtype} {out.shape}")
    values = batch.astype(np.float32)
    values *= np.float32(spec.scale)
    values += np.float32(spec.offset)
    if spec.dtype != "float32":
        info = np.iinfo(spec.dtype)
        values /= np.float32(spec.quant_scale)
        np.round(values, out=values)
        values += spec.quant_zero_point
        values = np.clip(values, info.min, info.max, out=values).astype(spec.dtype)
    out = np.empty(shape, values.dtype) if out is None else out
    for channel in range(spec.channels):
        out[..., channel] = values
    return out


def preprocess_file(path: str | os.PathLike[str], spec: InputSpec, draft: bool = False) -> np.ndarray:
    """File → a batch of one model input. The app's path; identical to the trainer's by construction."""
    return to_model_input(load_resized_gray(path, spec.height, spec.width, draft=draft), spec)
