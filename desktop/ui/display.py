"""Window/level: how stored pixel values (8 or 16 bit) become screen gray levels.

Kept free of Qt so it can be tested on its own and reused by the PDF thumbnails. A lookup table
over the whole value range makes re-windowing a 9-megapixel 16-bit film a single indexing
operation, fast enough to follow a slider or a right-drag.
"""

from __future__ import annotations

import numpy as np


def value_range(pixels: np.ndarray) -> int:
    """Largest value the pixel type can hold (255 or 65535): the sliders' range."""
    return 255 if pixels.dtype == np.uint8 else 65535


def default_window(pixels: np.ndarray) -> tuple[int, int]:
    """(center, width) spanning the film's own min..max, i.e. what the model sees."""
    low, high = int(pixels.min()), int(pixels.max())
    width = max(1, high - low)
    return low + width // 2, width


def window_level(pixels: np.ndarray, center: int, width: int) -> np.ndarray:
    """Map uint8/uint16 ``pixels`` to uint8: values below ``center - width/2`` black, above white."""
    if pixels.dtype not in (np.uint8, np.uint16):
        raise ValueError(f"expected uint8 or uint16 pixels, got {pixels.dtype}")
    width = max(1, int(width))
    values = np.arange(value_range(pixels) + 1, dtype=np.float64)
    lut = np.clip((values - (center - width / 2.0)) * (255.0 / width), 0, 255).round().astype(np.uint8)
    return lut[pixels]
