"""Fit the quality score (`cxrcore.safety.quality`) on clean films against degraded copies; pick and verify its threshold.

Clean and degraded training films are different films (a film and its own degraded copy never
both sit in the fit), degraded copies use levels 2–3 only (level 1 is left for measuring how a
mild defect scores), and the warning threshold is the 1st percentile of the score on clean
*validation* films, so about 1 % of clean films get a warning by construction. Rates are then
measured on the test films, clean and degraded at every level.
"""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression

from cxrcore.safety.quality import QualityModel, quality_features
from trainer.safety.distortions import KINDS, LEVELS, distort

#: Films per class in the fit (clean, degraded): enough for 40 features, quick on two cores.
FIT_PER_CLASS = 1200
#: Test films degraded per kind and level when measuring.
MEASURE_PER_CELL = 200
THRESHOLD_PERCENTILE = 1.0


def _features(films: np.ndarray) -> np.ndarray:
    return np.stack([quality_features(np.asarray(film)) for film in films])


def fit_quality(fit_films: np.ndarray, val_films: np.ndarray, seed: int = 0) -> tuple[QualityModel, float, dict]:
    """(model, threshold, facts for safety.json) from (N, 224, 224) uint8 clean films."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(fit_films))
    clean = fit_films[np.sort(order[:FIT_PER_CLASS])]
    degraded = np.stack([
        distort(np.asarray(fit_films[index]), str(rng.choice(KINDS)), int(rng.choice(LEVELS[1:])), rng)
        for index in np.sort(order[FIT_PER_CLASS : 2 * FIT_PER_CLASS])
    ])
    features = np.concatenate([_features(clean), _features(degraded)])
    labels = np.r_[np.ones(len(clean)), np.zeros(len(degraded))]
    mean, scale = features.mean(axis=0), features.std(axis=0)
    scale[scale <= 0] = 1.0
    logistic = LogisticRegression(max_iter=5000).fit((features - mean) / scale, labels)
    model = QualityModel(mean, scale, logistic.coef_[0].astype(np.float64), float(logistic.intercept_[0]))
    val_scores = model.score_features(_features(val_films))
    threshold = float(np.percentile(val_scores, THRESHOLD_PERCENTILE))
    facts = {
        "fit": {"clean_films": len(clean), "degraded_films": len(degraded), "degraded_levels": list(LEVELS[1:])},
        "threshold_rule": (
            f"{THRESHOLD_PERCENTILE:g}st percentile of the score on {len(val_films)} clean validation films"
        ),
    }
    return model, threshold, facts


def measure_quality(model: QualityModel, threshold: float, test_sets: dict[str, np.ndarray], seed: int = 0) -> dict:
    """Warning rates on clean test films and on degraded copies (every kind × level)."""
    rng = np.random.default_rng(seed + 1)
    measured: dict = {}
    for name, films in test_sets.items():
        warned = int(np.sum(model.score_features(_features(films)) < threshold))
        measured[f"{name} clean"] = {"films": len(films), "warned": warned, "rate": warned / len(films)}
    films = test_sets["kermany_test"]
    chosen = films[np.sort(rng.permutation(len(films))[:MEASURE_PER_CELL])]
    for kind in KINDS:
        for level in LEVELS:
            degraded = np.stack([distort(np.asarray(film), kind, level, rng) for film in chosen])
            warned = int(np.sum(model.score_features(_features(degraded)) < threshold))
            measured[f"kermany_test {kind} level {level}"] = {"films": len(chosen), "warned": warned,
                                                              "rate": warned / len(chosen)}
    return measured
