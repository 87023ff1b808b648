"""Decode any supported image file into one grayscale array, or fail with a reason a person can act on.

Supported: PNG, JPEG, BMP, TIFF (8 and 16 bit), DICOM (`.dcm` or extensionless, detected by the
``DICM`` magic). Pixel data keeps its bit depth (uint8 or uint16) so that a viewer can window/level
16-bit films; `cxrcore.preprocess.to_uint8` maps it to the model's 8-bit domain.

Every failure raises `DecodeError` with a short ``reason`` code (for CSV rows and tests) and a
message naming the file: a corrupt file in a folder of 1,000 must become one error row.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from cxrcore.image import MAX_PIXELS, MIN_SIDE, DecodedImage, DecodeError

#: File suffixes offered by folder scans. Extensionless files are probed for the DICOM magic.
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".dcm", ".dicom"})


def is_dicom_file(path: str | os.PathLike[str]) -> bool:
    """True when the file carries the DICOM Part 10 preamble magic (``DICM`` at byte 128)."""
    try:
        with open(path, "rb") as handle:
            handle.seek(128)
            return handle.read(4) == b"DICM"
    except OSError:
        return False


def is_candidate_image(path: Path) -> bool:
    """Whether a folder scan should offer this file for screening (by suffix, or DICOM magic)."""
    suffix = path.suffix.lower()
    if suffix in IMAGE_SUFFIXES:
        return True
    return suffix == "" and is_dicom_file(path)


def decode_image(path: str | os.PathLike[str], draft_size: tuple[int, int] | None = None) -> DecodedImage:
    """Decode ``path`` into a `DecodedImage`.

    ``draft_size`` lets JPEG decoding use DCT scaling down to no less than that (width, height);
    the app passes twice the model input so the area resize that follows sees enough detail.
    Training data never triggers it (it is stored at 224 px), so parity is unaffected there.
    """
    path = Path(path)
    _check_readable(path)
    if path.suffix.lower() in {".dcm", ".dicom"} or is_dicom_file(path):
        from cxrcore.dicom import decode_dicom  # pydicom is an app extra; import only when needed

        return decode_dicom(path)
    return _decode_raster(path, draft_size)


def _check_readable(path: Path) -> None:
    try:
        if path.is_symlink() and not path.exists():
            raise DecodeError(path, "broken-link", "symbolic link points to nothing (broken or looping link)")
        size = path.stat().st_size
    except OSError as error:  # missing, too long a name, a path through a file, a permission…
        raise DecodeError(path, "unreadable", f"cannot access file: {error.strerror or error}") from error
    if path.is_dir():
        raise DecodeError(path, "not-a-file", "is a folder, not an image file")
    if not path.is_file():  # a pipe would block the reader forever; devices and sockets are no films
        raise DecodeError(path, "not-a-file", "is not a regular file (a pipe, device or socket)")
    if size == 0:
        raise DecodeError(path, "empty-file", "file is empty (0 bytes)")
    if not os.access(path, os.R_OK):
        raise DecodeError(path, "unreadable", "permission denied: the file cannot be read")


def _decode_raster(path: Path, draft_size: tuple[int, int] | None) -> DecodedImage:
    try:
        with Image.open(path) as image:
            fmt = image.format or "unknown"
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise DecodeError(
                    path, "too-large", f"image is {width}×{height} pixels, over the {MAX_PIXELS:,}-pixel limit"
                )
            if min(width, height) < MIN_SIDE:
                raise DecodeError(
                    path, "too-small", f"image is only {width}×{height} pixels; a film needs at least {MIN_SIDE}"
                )
            if getattr(image, "n_frames", 1) > 1:
                raise DecodeError(path, "multi-frame", f"{fmt} file holds {image.n_frames} frames; give one film per file")
            if draft_size is not None and fmt == "JPEG":
                # Scale only; asking for mode "L" would make libjpeg emit raw Y, which differs from
                # PIL's RGB→L luma by rounding and would break train/app parity.
                image.draft(image.mode, draft_size)
            image.load()
            oriented = ImageOps.exif_transpose(image)
            pixels, bits = _to_gray_array(oriented)
            colour = colourfulness(oriented)
    except DecodeError:
        raise
    except UnidentifiedImageError as error:
        raise DecodeError(path, "not-an-image", "not a readable image (unknown or corrupt format)") from error
    except Image.DecompressionBombError as error:
        raise DecodeError(path, "too-large", f"refused as a decompression bomb: {error}") from error
    except Exception as error:  # Pillow's plugins raise many types on damaged data (struct.error, IndexError…)
        raise DecodeError(path, "corrupt", f"image data is damaged or truncated ({error})") from error
    return DecodedImage(pixels=pixels, source_format=fmt, bits_stored=bits, colourfulness=colour)


#: Pillow modes that can hold colour; every other mode is gray by construction.
_COLOUR_MODES = frozenset({"RGB", "RGBA", "RGBX", "P", "PA", "CMYK", "YCbCr", "LAB", "HSV"})


def colourfulness(image: Image.Image) -> float:
    """Hasler & Süsstrunk (2003) colourfulness M of a Pillow image; 0 for gray modes.

    M < 15 reads as "not colourful" on their perceptual scale: a film photographed with a slight
    tint stays below it, a photograph of a scene does not. Measured on a ≤512 px thumbnail.
    """
    if image.mode not in _COLOUR_MODES:
        return 0.0
    thumbnail = image.convert("RGB")
    thumbnail.thumbnail((512, 512))
    rgb = np.asarray(thumbnail, dtype=np.float64)
    red_green = rgb[..., 0] - rgb[..., 1]
    yellow_blue = 0.5 * (rgb[..., 0] + rgb[..., 1]) - rgb[..., 2]
    spread = np.hypot(red_green.std(), yellow_blue.std())
    return float(spread + 0.3 * np.hypot(red_green.mean(), yellow_blue.mean()))


def _to_gray_array(image: Image.Image) -> tuple[np.ndarray, int]:
    """Collapse any PIL mode to one gray channel, keeping 16-bit depth where the file has it.

    Colour goes through PIL's ITU-R 601-2 luma (``convert("L")``); CMYK and palettes via RGB.
    """
    mode = image.mode
    if mode in {"I;16", "I;16B", "I;16L", "I;16N"}:
        return np.asarray(image, dtype=np.uint16).copy(), 16
    if mode in {"I", "F"}:
        array = np.asarray(image, dtype=np.float64)
        low, high = float(array.min()), float(array.max())
        if mode == "I" and low >= 0 and high <= 65535:  # 16-bit data that PIL widened: keep its values
            return array.astype(np.uint16), 16
        scaled = np.zeros(array.shape, np.uint16) if high <= low else np.round((array - low) / (high - low) * 65535.0)
        return scaled.astype(np.uint16), 16
    if mode == "L":
        return np.asarray(image, dtype=np.uint8).copy(), 8
    if mode in {"1", "P", "LA", "PA", "RGBA", "CMYK", "YCbCr", "LAB", "HSV", "RGBX"}:
        image = image.convert("RGB")
    return np.asarray(image.convert("L"), dtype=np.uint8).copy(), 8
