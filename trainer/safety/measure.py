"""Measure the shipped gate and domain check exactly as the app runs them: files → cxrcore → `.tflite`.

Every rate comes with its counts, and rejections with the reasons given, so a reader can see
which check did the work. Chest films come from held-out test splits only; the non-chest set is
`trainer.safety.nonchest`.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score

from cxrcore.decode import DecodedImage, decode_image
from cxrcore.domain import DomainCheck
from cxrcore.gate import ChestFilmGate, GateResult
from cxrcore.preprocess import to_uint8
from trainer.safety.nonchest import write_non_chest_set


def _rate(results: list[GateResult]) -> dict:
    """Rejections with their count per reason (the reason's text before any measured figures)."""
    rejected = [result for result in results if not result.accepted]
    reasons = Counter(result.reason.split(" (")[0] for result in rejected)
    return {"films": len(results), "rejected": len(rejected), "rate": len(rejected) / max(len(results), 1),
            "reasons": dict(reasons.most_common())}


def _film(pixels: np.ndarray) -> DecodedImage:
    return DecodedImage(pixels=np.ascontiguousarray(pixels), source_format="array", bits_stored=8)


def measure_gate(gate: ChestFilmGate, test_paths: dict[str, list[Path]]) -> dict:
    """False rejections on chest test films, rejections on the non-chest set and on turned/inverted films."""
    measured: dict = {}
    kermany_films = []
    for name, paths in test_paths.items():
        measured[f"{name} (false rejections)"] = _rate([gate.check_file(path) for path in paths])
        if name == "kermany_test":
            kermany_films = [to_uint8(decode_image(path)) for path in paths]
    with tempfile.TemporaryDirectory() as folder:
        images = write_non_chest_set(Path(folder))
        results = [gate.check_file(image.path) for image in images]
    measured["non-chest set"] = _rate(results)
    for kind in sorted({image.kind for image in images}):
        measured[f"non-chest: {kind}"] = _rate([r for r, i in zip(results, images) if i.kind == kind])
    for variant in sorted({image.variant for image in images}):
        measured[f"non-chest variant: {variant}"] = _rate([r for r, i in zip(results, images) if i.variant == variant])
    measured["non-chest accepted (names)"] = sorted(
        f"{image.kind}/{image.name}/{image.variant}" for result, image in zip(results, images) if result.accepted
    )
    for variant, turn in (("inverted", lambda f: 255 - f), ("turned 90°", np.rot90), ("upside down", np.flipud)):
        measured[f"kermany_test {variant}"] = _rate([gate.check(_film(turn(film))) for film in kermany_films])
    return measured


def measure_domain(check: DomainCheck, in_domain: list[Path], others: dict[str, list[Path]]) -> dict:
    """Flag rates on in-domain test films and on each other group; AUROC of the score between them."""
    def scores(paths: list[Path]) -> np.ndarray:
        return np.array([check.check(to_uint8(decode_image(path))).score for path in paths])

    inside = scores(in_domain)
    measured = {"in-domain test (flagged)": {"films": len(inside), "flagged": int(np.sum(inside > 1)),
                                             "rate": float(np.mean(inside > 1))}}
    for name, paths in others.items():
        outside = scores(paths)
        labels = np.r_[np.zeros(len(inside)), np.ones(len(outside))]
        measured[f"{name} (flagged)"] = {"films": len(outside), "flagged": int(np.sum(outside > 1)),
                                         "rate": float(np.mean(outside > 1)),
                                         "auroc_vs_in_domain": float(roc_auc_score(labels, np.r_[inside, outside]))}
    return measured
