"""The adult frontal-film sources, which source a film came from, and weights that balance sources and labels.

Why a source is tracked at all: each adult collection comes from other hospitals and X-ray units, and in
two of them (radiography, COVID-Net) the classes were gathered from different places, so a model can score
"where was this film taken" instead of "what do the lungs show". Training weights make every source's
NORMAL and ABNORMAL films weigh the same (the label is then unpredictable from the source), and results are
reported per source (`studies/adult_sources.py`).

Paths are those of an adult manifest (`trainer.data.compose_adult`): relative to a folder laid out like
``shared/data/external``, so the radiography films sit under ``../covid19-radiography-224/``.
"""

from __future__ import annotations

from collections import Counter
from typing import Sequence

import numpy as np

LABELS = ("NORMAL", "ABNORMAL")
NIH, RADIOGRAPHY, COVIDNET = "nih", "radiography", "covidnet"
SOURCES = (NIH, RADIOGRAPHY, COVIDNET)
#: Where each source's films lie, relative to the manifest's folder (the shared data's ``external/``).
SOURCE_PREFIXES = {
    NIH: "chestxray8-adult/",
    COVIDNET: "covidnet-adult/",
    RADIOGRAPHY: "../covid19-radiography-224/",
}
#: The names the card's ``population.sources`` uses.
SOURCE_NAMES = {
    NIH: "NIH Clinical Center (ChestX-ray8)",
    RADIOGRAPHY: "COVID-19 Radiography Database (Normal, COVID, Lung_Opacity)",
    COVIDNET: "COVID-Net (Actualmed, Figure1)",
}


def source_of(path: str) -> str:
    """The source of a manifest path; a path of no known source is an error, never a guess."""
    for source, prefix in SOURCE_PREFIXES.items():
        if path.startswith(prefix):
            return source
    raise ValueError(f"{path}: not under any adult source folder {sorted(SOURCE_PREFIXES.values())}")


def source_label_weights(paths: Sequence[str], labels: Sequence[str]) -> tuple[np.ndarray, dict[str, float]]:
    """Per-film training weights: within each source both labels weigh half the source's total, and a source's
    total grows with the square root of its film count; mean weight 1.

    Equal totals per label inside a source remove the source → label shortcut from the loss. Square-root source
    totals are the compromise between "every film counts once" (radiography, ~6x the NIH films, would drown the
    within-hospital signal) and "every source counts once" (COVID-Net's 60 training films would weigh ~20x each
    and be memorised). Returns the weights and the weight of each ``source/label`` cell, for the run log.
    """
    if len(paths) != len(labels):
        raise ValueError(f"{len(paths)} paths for {len(labels)} labels")
    sources = [source_of(path) for path in paths]
    cells = Counter(zip(sources, labels))
    per_source = Counter(sources)
    cell_weight = {}
    for (source, label), count in cells.items():
        labels_here = sum(1 for (other, _) in cells if other == source)
        cell_weight[(source, label)] = np.sqrt(per_source[source]) / (labels_here * count)
    weights = np.array([cell_weight[cell] for cell in zip(sources, labels)], dtype=np.float64)
    scale = len(weights) / weights.sum()
    table = {f"{source}/{label}": round(float(value * scale), 4) for (source, label), value in sorted(cell_weight.items())}
    return (weights * scale).astype(np.float32), table
