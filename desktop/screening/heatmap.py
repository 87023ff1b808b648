"""Occlusion sensitivity: which parts of the film the model's abnormal probability depends on.

Chosen over gradient methods because it needs nothing but forward passes of the very build in
use (LiteRT exposes no gradients) and it explains *that* build, quantized or not. The film at
model size is covered by a ``grid``×``grid`` set of cells; each cell in turn is painted mid-gray
and the film re-classified; the map holds how much the target probability *drops* per cell.
Cost: ``grid² + 1`` inferences (65 for the default 8×8), measured by ``benchmarks/screen_folder.py``.

Pure functions of a `Classifier` and pixels; the app runs them in a worker thread and caches the
result per file.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

from cxrcore.classifier import Classifier
from cxrcore.preprocess import resize_gray

DEFAULT_GRID = 8
#: The occluding patch value: mid-gray, close to a chest film's mean, so the patch hides the
#: content without adding a strong new edge.
PATCH_VALUE = 128


@dataclass(frozen=True)
class Heatmap:
    """``drops[i, j]`` = baseline − probability of ``label`` with cell (i, j) occluded.

    Positive cells support the label (hiding them lowers it); negative cells argue against it.
    """

    label: str
    baseline: float
    drops: np.ndarray

    @property
    def grid(self) -> int:
        return int(self.drops.shape[0])


def target_label(classifier: Classifier, probabilities: dict[str, float]) -> str:
    """The abnormal label with the highest probability: the finding a reviewer needs located."""
    return max(classifier.bundle.abnormal_labels, key=lambda label: probabilities[label])


def occlusion_heatmap(
    classifier: Classifier, gray: np.ndarray, grid: int = DEFAULT_GRID, label: str | None = None
) -> Heatmap:
    """Occlusion map of ``gray`` (2-D uint8, any size; resized to the model input by cxrcore).

    ``label`` defaults to `target_label`. Runs ``grid² + 1`` inferences on the calling thread,
    which must own ``classifier``.
    """
    if gray.ndim != 2 or gray.dtype != np.uint8:
        raise ValueError(f"expected a 2-D uint8 image, got {gray.dtype} with shape {gray.shape}")
    height, width = classifier.spec.height, classifier.spec.width
    if not 1 <= grid <= min(height, width):
        raise ValueError(f"grid must be between 1 and {min(height, width)}, got {grid}")
    film = resize_gray(gray, height, width)
    probabilities = classifier.classify_gray(film).decision.probabilities
    label = label or target_label(classifier, probabilities)
    if label not in probabilities:
        raise ValueError(f"unknown label {label!r}; the model has {sorted(probabilities)}")
    baseline = probabilities[label]
    rows = np.linspace(0, height, grid + 1).round().astype(int)
    cols = np.linspace(0, width, grid + 1).round().astype(int)
    drops = np.zeros((grid, grid), np.float64)
    occluded = film.copy()
    for i in range(grid):
        for j in range(grid):
            occluded[rows[i]:rows[i + 1], cols[j]:cols[j + 1]] = PATCH_VALUE
            drops[i, j] = baseline - classifier.classify_gray(occluded).decision.probabilities[label]
            occluded[rows[i]:rows[i + 1], cols[j]:cols[j + 1]] = film[rows[i]:rows[i + 1], cols[j]:cols[j + 1]]
    return Heatmap(label=label, baseline=baseline, drops=drops)


def overlay_rgba(heatmap: Heatmap, height: int, width: int) -> np.ndarray:
    """(height, width, 4) uint8 colour overlay: supporting cells warm and opaque, others clear.

    Only positive drops are drawn, scaled to the map's own maximum, smoothly upsampled.
    """
    support = np.clip(heatmap.drops, 0.0, None)
    peak = float(support.max())
    scaled = (support / peak if peak > 1e-6 else np.zeros_like(support)).astype(np.float32)
    smooth = np.asarray(Image.fromarray(scaled, mode="F").resize((width, height), Image.Resampling.BICUBIC))
    smooth = np.clip(smooth, 0.0, 1.0)
    rgba = np.empty((height, width, 4), np.uint8)
    rgba[..., :3] = np.round(_jet(smooth) * 255).astype(np.uint8)
    rgba[..., 3] = np.round(smooth * 160).astype(np.uint8)
    return rgba


def _jet(values: np.ndarray) -> np.ndarray:
    """The classic blue→cyan→yellow→red ramp for values in [0, 1], as (…, 3) floats."""
    channels = [np.clip(1.5 - np.abs(4.0 * values - centre), 0.0, 1.0) for centre in (3.0, 2.0, 1.0)]
    return np.stack(channels, axis=-1)
