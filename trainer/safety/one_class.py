"""Train one transform-prediction model on a set of films, fit its feature Gaussian, pick thresholds, export.

Shared by the chest-film gate (all chest films) and each domain check (one model's training
films): the same recipe, different films and different scores shipped.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cxrcore.preprocess import to_model_input
from trainer.safety import geometric


@dataclass(frozen=True)
class OneClassModel:
    """The exported ``.tflite`` and the ``novelty`` section of safety.json that describes it."""

    tflite: bytes
    section: dict


def fit_one_class(
    fit_films: np.ndarray,
    val_films: np.ndarray,
    file_name: str,
    scores: tuple[str, ...],
    percentile: float,
    settings: geometric.TrainSettings,
) -> OneClassModel:
    """Train on ``fit_films`` (N, 64, 64) uint8; each threshold is ``percentile`` of that score on
    ``val_films`` (held out from fitting), so about ``100 − percentile`` % of in-domain films exceed it."""
    features, classifier = geometric.train(fit_films, settings)
    fitted = features.predict(to_model_input(fit_films, geometric.SPEC), batch_size=256, verbose=0)
    mean, whiten = geometric.whitening(fitted, settings.covariance_ridge)
    batch_model = geometric.scoring_model(features, classifier, mean, whiten, scores, batch_size=None)
    val_scores = batch_model.predict(to_model_input(val_films, geometric.SPEC), batch_size=256, verbose=0)
    thresholds = [float(np.percentile(val_scores[:, index], percentile)) for index in range(len(scores))]
    tflite = geometric.to_tflite(geometric.scoring_model(features, classifier, mean, whiten, scores))
    section = {
        "file": file_name,
        "input": geometric.SPEC.to_dict(),
        "scores": list(scores),
        "thresholds": thresholds,
        "threshold_rule": f"{percentile}th percentile of each score on {len(val_films)} held-out validation films",
        "settings": settings.as_dict(),
        "fit_films": len(fit_films),
    }
    return OneClassModel(tflite, section)
