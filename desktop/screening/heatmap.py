"""Which parts of the film a result depends on: a class-activation map, or occlusion sensitivity.

`compute_heatmap` picks the method. Both explain the very build in use, quantized or not, with
nothing but its forward pass (LiteRT exposes no gradients):

- **Class-activation map** (CAM, Zhou et al. 2016), when the build outputs its last feature map
  (`Classifier.cam_head`): the shipped models pool that map globally and apply one dense layer, so
  ``ReLU(Σ_k w_k · F_k)`` is exactly where the label's logit comes from. One inference; the map
  has one value per feature-map location (7×7 for the shipped models), scaled to 0–1.
- **Occlusion**, for any other build: the model-size film is covered by a ``grid``×``grid`` set
  of cells; each cell in turn is painted mid-gray and the film re-classified; the map holds how
  much the target probability *drops* per cell. ``grid² + 1`` inferences (65 for the default 8×8).

`overlay_rgba` draws either, upsampled bilinearly with numpy to the size drawn (the maps stay
a few dozen numbers, so caching one per film for a whole batch costs nothing). Both are timed side by side by ``benchmarks/screen_folder.py``; how well they agree on the shipped
bundles' reference films is ``python -m studies.heatmap_agreement`` (figures in docs/desktop.md).
Pure functions of a `Classifier` and pixels; the app runs them in a worker thread and caches the
result per file.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cxrcore.classifier import Classifier
from cxrcore.preprocess import resize_gray

DEFAULT_GRID = 8
#: The occluding patch value: mid-gray, close to a chest film's mean, so the patch hides the
#: content without adding a strong new edge.
PATCH_VALUE = 128
OCCLUSION = "occlusion"
CLASS_ACTIVATION = "class-activation"
#: What the PDF report and the viewer call each method.
CAPTIONS = {OCCLUSION: "Occlusion heatmap", CLASS_ACTIVATION: "Class-activation map"}


@dataclass(frozen=True)
class Heatmap:
    """Where the film supports ``label`` (probability ``baseline``), by ``method``:

    - occlusion: ``drops[i, j]`` = baseline − probability of ``label`` with cell (i, j) occluded
      (``grid``×``grid``); positive cells support the label, negative cells argue against it;
    - class-activation: ``drops[i, j]`` is the label's activation at feature-map location (i, j),
      scaled so its peak is 1 (all zero when nothing on the film supports the label); never negative.
    """

    label: str
    baseline: float
    drops: np.ndarray
    method: str = OCCLUSION

    @property
    def grid(self) -> int:
        """Cells per side: the occlusion grid, or the feature map's height for a class-activation map."""
        return int(self.drops.shape[0])

    @property
    def caption(self) -> str:
        return CAPTIONS[self.method]


def target_label(classifier: Classifier, probabilities: dict[str, float]) -> str:
    """The abnormal label with the highest probability: the finding a reviewer needs located."""
    return max(classifier.bundle.abnormal_labels, key=lambda label: probabilities[label])


def compute_heatmap(
    classifier: Classifier, gray: np.ndarray, grid: int = DEFAULT_GRID, label: str | None = None
) -> Heatmap:
    """The best heatmap the build allows: a class-activation map when it outputs its feature map,
    else occlusion on ``grid``×``grid`` cells. Arguments as for `occlusion_heatmap`."""
    if classifier.cam_head is not None:
        return class_activation_heatmap(classifier, gray, label)
    return occlusion_heatmap(classifier, gray, grid, label)


def class_activation_heatmap(classifier: Classifier, gray: np.ndarray, label: str | None = None) -> Heatmap:
    """Class-activation map of ``gray`` (2-D uint8, any size) for ``label`` (default `target_label`):
    one inference on the calling thread, which must own ``classifier``. Needs `Classifier.cam_head`."""
    film = _model_film(classifier, gray)
    classification, features = classifier.classify_with_features(film)
    probabilities = classification.decision.probabilities
    label = _checked_label(classifier, probabilities, label)
    activation = np.maximum(features.astype(np.float64) @ classifier.cam_weights(label), 0.0)
    peak = float(activation.max())
    scaled = activation / peak if peak > 0 else activation
    return Heatmap(label=label, baseline=probabilities[label], drops=scaled, method=CLASS_ACTIVATION)


def bilinear_resize(values: np.ndarray, height: int, width: int) -> np.ndarray:
    """2-D float map → (height, width), bilinear with half-pixel centres and clamped edges (as Pillow's
    and TensorFlow's resize); two small matrix products, so no OpenCV and well under a millisecond."""
    return _interpolation(height, values.shape[0]) @ values @ _interpolation(width, values.shape[1]).T


def _interpolation(size: int, source: int) -> np.ndarray:
    """(size, source) weights: each output sample's two nearest source samples, linearly weighted."""
    position = np.clip((np.arange(size) + 0.5) * source / size - 0.5, 0.0, source - 1.0)
    low = np.floor(position).astype(int)
    high = np.minimum(low + 1, source - 1)
    weights = np.zeros((size, source))
    rows = np.arange(size)
    weights[rows, low] += 1.0 - (position - low)
    weights[rows, high] += position - low
    return weights


def occlusion_heatmap(
    classifier: Classifier, gray: np.ndarray, grid: int = DEFAULT_GRID, label: str | None = None
) -> Heatmap:
    """Occlusion map of ``gray`` (2-D uint8, any size; resized to the model input by cxrcore).

    ``label`` defaults to `target_label`. Runs ``grid² + 1`` inferences on the calling thread,
    which must own ``classifier``.
    """
    film = _model_film(classifier, gray)
    height, width = film.shape
    if not 1 <= grid <= min(height, width):
        raise ValueError(f"grid must be between 1 and {min(height, width)}, got {grid}")
    probabilities = classifier.classify_gray(film).decision.probabilities
    label = _checked_label(classifier, probabilities, label)
    baseline = probabilities[label]
    rows, cols = grid_edges(height, grid), grid_edges(width, grid)
    drops = np.zeros((grid, grid), np.float64)
    occluded = film.copy()
    for i in range(grid):
        for j in range(grid):
            occluded[rows[i]:rows[i + 1], cols[j]:cols[j + 1]] = PATCH_VALUE
            drops[i, j] = baseline - classifier.classify_gray(occluded).decision.probabilities[label]
            occluded[rows[i]:rows[i + 1], cols[j]:cols[j + 1]] = film[rows[i]:rows[i + 1], cols[j]:cols[j + 1]]
    return Heatmap(label=label, baseline=baseline, drops=drops)


def grid_edges(size: int, grid: int) -> np.ndarray:
    """The ``grid + 1`` pixel boundaries of the occlusion cells along an axis of ``size`` pixels."""
    return np.linspace(0, size, grid + 1).round().astype(int)


def _model_film(classifier: Classifier, gray: np.ndarray) -> np.ndarray:
    """``gray`` checked and resized to the model input by cxrcore's one resize."""
    if gray.ndim != 2 or gray.dtype != np.uint8:
        raise ValueError(f"expected a 2-D uint8 image, got {gray.dtype} with shape {gray.shape}")
    return resize_gray(gray, classifier.spec.height, classifier.spec.width)


def _checked_label(classifier: Classifier, probabilities: dict[str, float], label: str | None) -> str:
    label = label or target_label(classifier, probabilities)
    if label not in probabilities:
        raise ValueError(f"unknown label {label!r}; the model has {sorted(probabilities)}")
    return label


def overlay_rgba(heatmap: Heatmap, height: int, width: int) -> np.ndarray:
    """(height, width, 4) uint8 colour overlay: supporting cells warm and opaque, others clear.

    Only positive values are drawn, scaled to the map's own maximum, upsampled bilinearly.
    """
    support = np.clip(heatmap.drops, 0.0, None)
    peak = float(support.max())
    scaled = support / peak if peak > 1e-6 else np.zeros_like(support)
    smooth = np.clip(bilinear_resize(scaled, height, width), 0.0, 1.0)
    rgba = np.empty((height, width, 4), np.uint8)
    rgba[..., :3] = np.round(_jet(smooth) * 255).astype(np.uint8)
    rgba[..., 3] = np.round(smooth * 160).astype(np.uint8)
    return rgba


def _jet(values: np.ndarray) -> np.ndarray:
    """The classic blue→cyan→yellow→red ramp for values in [0, 1], as (…, 3) floats."""
    channels = [np.clip(1.5 - np.abs(4.0 * values - centre), 0.0, 1.0) for centre in (3.0, 2.0, 1.0)]
    return np.stack(channels, axis=-1)
