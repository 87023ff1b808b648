"""Measure the shipped gate and population check exactly as the app runs them: files → cxrcore → `.tflite`.

Every rate comes with its counts and a 95 % Wilson interval, and rejections with the reasons
given, so a reader can see which check did the work. Frontal films come from held-out test
splits (and the native-resolution films, never fitted on); the non-chest images from the test
split of each kind.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path
from typing import Iterable

import numpy as np

from cxrcore.decode import DecodedImage, decode_image
from cxrcore.safety.gate import ChestFilmGate, GateResult
from cxrcore.safety.population import PopulationModel
from cxrcore.preprocess import to_uint8
from evaluation.metrics import wilson_interval
from trainer.safety.data import three_way_split
from trainer.safety.nonchest import write_non_chest_set
from trainer.safety.sources import FRONTAL_SOURCES, TRANSFORMS, SafetyData, transform


def share(hits: Iterable[bool]) -> dict:
    """Count, share and its 95 % Wilson interval of the True values."""
    hits = np.asarray(list(hits), dtype=bool)
    interval = wilson_interval(int(hits.sum()), len(hits))
    return {"films": int(len(hits)), "count": int(hits.sum()), "rate": float(hits.mean()) if len(hits) else None,
            "ci95": list(interval) if interval else None}


def _refusals(results: list[GateResult]) -> dict:
    """`share` of refusals, with their count per reason (the reason's text before any measured figures)."""
    reasons = Counter(result.reason.split(" (")[0] for result in results if not result.accepted)
    return {**share(not result.accepted for result in results), "reasons": dict(reasons.most_common())}


def _film(pixels: np.ndarray) -> DecodedImage:
    return DecodedImage(pixels=np.ascontiguousarray(pixels), source_format="array", bits_stored=8)


def frontal_test_paths(data: SafetyData, external: Path) -> dict[str, list[Path]]:
    """Every frontal source's test films, and the native-resolution films (none fitted on)."""
    paths = {f"{source} test": data.test_paths(source) for source in FRONTAL_SOURCES}
    paths["full-resolution films"] = sorted(p for p in (external / "full-resolution").rglob("*") if p.is_file())
    return paths


def measure_gate(gate: ChestFilmGate, data: SafetyData, external: Path) -> dict:
    """False refusals per frontal source; refusals per non-chest kind and per transform of Kermany test films."""
    measured: dict = {"false refusals (frontal films)": {}, "refusals (not frontal chest films)": {}}
    for name, paths in frontal_test_paths(data, external).items():
        measured["false refusals (frontal films)"][name] = _refusals([gate.check_file(path) for path in paths])
    refused = measured["refusals (not frontal chest films)"]
    mednist = data.film_sets["mednist"]
    for kind in sorted(set(mednist.sources.tolist())):
        paths = [mednist.root / p for p, s, k in zip(mednist.paths, mednist.splits, mednist.sources)
                 if s == "test" and k == kind]
        refused[f"MedNIST {kind} (test)"] = _refusals([gate.check_file(path) for path in paths])
    with tempfile.TemporaryDirectory() as folder:
        images = [image for image in write_non_chest_set(Path(folder)) if three_way_split(image.name) == "test"]
        results = [gate.check_file(image.path) for image in images]
    refused["package-shipped images (test)"] = _refusals(results)
    refused["package-shipped images (test): accepted"] = sorted(
        f"{image.kind}/{image.name}/{image.variant}" for result, image in zip(results, images) if result.accepted)
    kermany = [to_uint8(decode_image(path)) for path in data.test_paths("kermany")]
    for kind in TRANSFORMS:
        refused[f"kermany test {kind}"] = _refusals(
            [gate.check(_film(transform(film, kind, index % 2 == 1))) for index, film in enumerate(kermany)])
    return measured


def measure_population(model: PopulationModel, data: SafetyData, external: Path) -> dict:
    """Per frontal test source: the share of films outside each population (shipped model, through files)."""
    measured: dict = {}
    for name, paths in frontal_test_paths(data, external).items():
        verdicts = [model.judge(to_uint8(decode_image(path))) for path in paths]
        measured[name] = {population: share(not v[population].in_population for v in verdicts)
                          for population in model.populations}
    for label in ("Normal", "COVID", "Lung_Opacity"):
        verdicts = [model.judge(to_uint8(decode_image(path))) for path in data.test_paths("radiography", (label,))]
        measured[f"radiography test {label}"] = {population: share(not v[population].in_population for v in verdicts)
                                                 for population in model.populations}
    return measured
