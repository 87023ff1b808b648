"""No-reference image quality of a film: BRISQUE's natural-scene statistics plus exposure, scored 0–100.

What it is: the 36 BRISQUE features (Mittal, Moorthy & Bovik 2012; the measure paper P4 used) —
generalized-Gaussian fits to the mean-subtracted contrast-normalized (MSCN) coefficients and
asymmetric fits to their four neighbour products, at two scales — plus four exposure features
(fractions of black and of white pixels, mean level, 1–99 % range), which BRISQUE by design does
not see because MSCN divides contrast away. What it is not: BRISQUE's published score. That
score comes from an SVR fitted to human opinion scores of *natural photographs* (LIVE), which is
neither available offline nor meaningful for radiographs. Instead a logistic model, fitted by
`trainer.safety.fit_quality` on clean shared-data films against synthetically degraded copies
(blur, noise, JPEG, under/over-exposure), turns the features into ``100 × P(clean)``.

Films are scored at 224×224 (the models' working size, through `cxrcore.preprocess.resize_gray`):
what matters is whether the film the classifier sees is usable, and it makes the score
independent of the scanner's resolution. Numpy only (the app ships without OpenCV).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import Any

import numpy as np

from cxrcore.preprocess import resize_gray
from cxrcore.safety.card import SafetyCard, as_safety_card

#: The size films are scored at.
SIDE = 224
FEATURE_NAMES: tuple[str, ...] = tuple(
    f"s{scale}_{name}"
    for scale in (1, 2)
    for name in (
        "mscn_alpha", "mscn_var",
        *(f"{pair}_{stat}" for pair in ("h", "v", "d1", "d2") for stat in ("alpha", "mean", "left_var", "right_var")),
    )
) + ("black_fraction", "white_fraction", "mean_level", "range_1_99")

_ALPHAS = np.arange(0.2, 10.0, 0.001)
_RHO = np.array([math.exp(math.lgamma(2 / a) * 2 - math.lgamma(1 / a) - math.lgamma(3 / a)) for a in _ALPHAS])


def _nearest_alpha(rho: float) -> float:
    """The grid's shape whose ρ is nearest ``rho`` (the first of two equally near), as
    ``argmin((_RHO − rho)²)`` finds it: ρ rises strictly with the shape, so only the two grid points
    around ``rho`` can be nearest, and a binary search replaces ten passes over 9,800 points per film."""
    index = int(np.searchsorted(_RHO, rho))
    if index == 0:
        return float(_ALPHAS[0])
    if index == _RHO.size:
        return float(_ALPHAS[-1])
    below, above = (_RHO[index - 1] - rho) ** 2, (_RHO[index] - rho) ** 2
    return float(_ALPHAS[index - 1] if below <= above else _ALPHAS[index])


def _fit_ggd(values: np.ndarray) -> tuple[float, float]:
    """Shape and variance of a zero-mean generalized Gaussian, by moment matching (BRISQUE's method)."""
    variance = float(np.mean(values**2))
    mean_abs = float(np.mean(np.abs(values)))
    rho = mean_abs**2 / variance if variance > 0 else 0.0
    return _nearest_alpha(rho), variance


def _fit_aggd(values: np.ndarray) -> tuple[float, float, float, float]:
    """Shape, mean, left and right variance of an asymmetric generalized Gaussian."""
    squares = values * values
    left_count, right_count = int(np.count_nonzero(values < 0)), int(np.count_nonzero(values > 0))
    left_sum = float(np.square(np.minimum(values, 0.0)).sum())
    total = float(squares.sum())
    left_var = left_sum / left_count if left_count else 0.0
    right_var = (total - left_sum) / right_count if right_count else 0.0
    if left_var <= 0 or right_var <= 0:  # one-sided (e.g. a flat image): no asymmetric shape to fit
        return 0.2, 0.0, left_var, right_var
    gamma = math.sqrt(left_var / right_var)
    r_hat = float(np.abs(values).mean()) ** 2 / (total / values.size)
    r_norm = r_hat * (gamma**3 + 1) * (gamma + 1) / (gamma**2 + 1) ** 2
    alpha = _nearest_alpha(r_norm)
    scale = math.exp(math.lgamma(2 / alpha) - 0.5 * (math.lgamma(1 / alpha) + math.lgamma(3 / alpha)))
    mean = (math.sqrt(right_var) - math.sqrt(left_var)) * scale
    return alpha, mean, left_var, right_var


_TAPS = np.exp(-0.5 * (np.arange(-3, 4) / (7 / 6)) ** 2)
_TAPS /= _TAPS.sum()


def _blur(image: np.ndarray) -> np.ndarray:
    """BRISQUE's 7×7 Gaussian window (σ = 7/6), separable, mirrored at the borders."""
    padded = np.pad(image, 3, mode="reflect")
    rows = sum(tap * padded[offset : offset + image.shape[0], :] for offset, tap in enumerate(_TAPS))
    return sum(tap * rows[:, offset : offset + image.shape[1]] for offset, tap in enumerate(_TAPS))


def _mscn(image: np.ndarray) -> np.ndarray:
    mu = _blur(image)
    sigma = np.sqrt(np.abs(_blur(image * image) - mu * mu))
    return (image - mu) / (sigma + 1.0)


def _scale_features(image: np.ndarray) -> list[float]:
    mscn = _mscn(image)
    features = list(_fit_ggd(mscn))
    pairs = (
        mscn[:, :-1] * mscn[:, 1:],
        mscn[:-1, :] * mscn[1:, :],
        mscn[:-1, :-1] * mscn[1:, 1:],
        mscn[:-1, 1:] * mscn[1:, :-1],
    )
    for product in pairs:
        features.extend(_fit_aggd(product.ravel()))
    return features


def quality_features(gray: np.ndarray) -> np.ndarray:
    """2-D uint8 film of any size → the 40 features named in `FEATURE_NAMES` (float64)."""
    view = resize_gray(gray, SIDE, SIDE)
    image = view.astype(np.float64)
    half = image.reshape(SIDE // 2, 2, SIDE // 2, 2).mean(axis=(1, 3))  # BRISQUE's second scale
    low, high = np.percentile(view, (1, 99))
    exposure = [
        float(np.mean(view <= 2)), float(np.mean(view >= 253)), float(view.mean()) / 255.0, (high - low) / 255.0
    ]
    return np.array(_scale_features(image) + _scale_features(half) + exposure)


@dataclass(frozen=True)
class QualityModel:
    """Standardise the features, then a logistic model: ``score = 100·σ(w·z + b)``."""

    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> QualityModel:
        if list(data["features"]) != list(FEATURE_NAMES):
            raise ValueError("quality model was fitted on other features than this code computes")
        arrays = [np.asarray(data[key], dtype=np.float64) for key in ("mean", "scale", "weights")]
        if any(array.shape != (len(FEATURE_NAMES),) for array in arrays) or np.any(arrays[1] <= 0):
            raise ValueError("quality model arrays have the wrong shape or a non-positive scale")
        return cls(*arrays, float(data["bias"]))

    def to_dict(self) -> dict[str, Any]:
        return {"features": list(FEATURE_NAMES), "mean": self.mean.tolist(), "scale": self.scale.tolist(),
                "weights": self.weights.tolist(), "bias": self.bias}

    def score_features(self, features: np.ndarray) -> np.ndarray:
        """(N, 40) or (40,) features → scores in [0, 100]."""
        logit = ((features - self.mean) / self.scale) @ self.weights + self.bias
        return 100.0 / (1.0 + np.exp(-np.clip(logit, -50, 50)))


def quality_score(gray: np.ndarray, model: QualityModel) -> float:
    """0 (unusable) … 100 (like the clean training films) for one 2-D uint8 film."""
    return float(model.score_features(quality_features(gray)))


@dataclass(frozen=True)
class QualityCheck:
    """The fitted model and the warning threshold from ``safety.json``'s ``quality`` section."""

    model: QualityModel
    threshold: float

    @classmethod
    def load(cls, source: SafetyCard | str | os.PathLike[str]) -> QualityCheck:
        """From a safety card already read, or from the folder holding ``safety.json``."""
        section = as_safety_card(source).section("quality")
        return cls(QualityModel.from_dict(section["model"]), float(section["threshold"]))

    def score(self, gray: np.ndarray) -> float:
        return quality_score(gray, self.model)

    def warn(self, score: float) -> str | None:
        """A sentence for the nurse when the film looks degraded, else None."""
        if score >= self.threshold:
            return None
        return (
            f"image quality is poor (score {score:.0f} of 100, below {self.threshold:.0f}): the film may be "
            "blurred, noisy, heavily compressed or badly exposed; the result is less reliable — "
            "retake or rescan if you can"
        )
