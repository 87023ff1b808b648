"""Synthetic degradations of a film, at three documented strengths, for fitting and testing the quality score.

What a clinic actually produces: a film scanned out of focus or photographed with a shaking
hand (blur), a noisy low-dose detector or scanner (noise), a film mailed as a tiny JPEG
(compression), and a film too dark or too washed-out (exposure). Levels 1–3 go from "visible on
close look" to "clearly unusable". Pillow and numpy only, so the same code runs anywhere.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageFilter

KINDS = ("blur", "noise", "jpeg", "dark", "washed-out")
LEVELS = (1, 2, 3)
#: Strength per kind and level: Gaussian σ (px at 224), noise σ (gray levels), JPEG quality,
#: and the fraction of the gray range kept when darkening or washing out.
STRENGTH = {
    "blur": (1.0, 2.0, 3.5),
    "noise": (8.0, 16.0, 32.0),
    "jpeg": (30, 12, 4),
    "dark": (0.6, 0.4, 0.2),
    "washed-out": (0.6, 0.4, 0.2),
}


def distort(gray: np.ndarray, kind: str, level: int, rng: np.random.Generator) -> np.ndarray:
    """A degraded copy of a 2-D uint8 film (``rng`` is used by noise only)."""
    if kind not in STRENGTH or level not in LEVELS:
        raise ValueError(f"unknown distortion {kind!r} level {level!r}")
    strength = STRENGTH[kind][level - 1]
    if kind == "blur":
        return np.asarray(Image.fromarray(gray).filter(ImageFilter.GaussianBlur(strength)))
    if kind == "noise":
        return np.clip(gray + rng.normal(0.0, strength, gray.shape), 0, 255).astype(np.uint8)
    if kind == "jpeg":
        buffer = io.BytesIO()
        Image.fromarray(gray).save(buffer, "JPEG", quality=int(strength))
        return np.asarray(Image.open(buffer).convert("L"))
    values = gray.astype(np.float64)
    kept = values * strength if kind == "dark" else 255.0 - (255.0 - values) * strength
    return np.round(kept).astype(np.uint8)
