"""``models/_safety/safety.json``: read and verify the safety card, and run its small ``.tflite`` models.

The chest-film gate (`cxrcore.safety.gate`), the population check (`cxrcore.safety.population`) and the quality
score (`cxrcore.safety.quality`) all read their fitted numbers from one card, which names this app's
preprocessing and the SHA-256 of every model file: an altered or mismatched folder is refused, so
nothing is screened with checks other than those measured. `ScoreModel` runs one of the card's
models: one 64×64 film in, a few named scores out; the caller compares them with its limits.
Numpy and LiteRT only.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from cxrcore.files import FileProblem, verified_file
from cxrcore.preprocess import PREPROCESSING_ID, InputSpec, resize_gray, to_model_input
from cxrcore.runtime import Engine, open_engine
from cxrcore.closing import Closing

SAFETY_CARD = "safety.json"
SAFETY_SCHEMA_VERSION = 2


class SafetyCardError(ValueError):
    """``safety.json`` or a file it lists is missing, altered or inconsistent."""

    def __init__(self, directory: str | os.PathLike[str], problem: str) -> None:
        super().__init__(f"safety models {directory}: {problem}")


@dataclass(frozen=True)
class SafetyCard:
    """The parsed card; every file it lists has been checked against its SHA-256."""

    directory: Path
    card: dict[str, Any]

    def section(self, *keys: str) -> dict[str, Any]:
        """``card[keys[0]][keys[1]]…``, or a `SafetyCardError` naming what is missing."""
        value: Any = self.card
        for depth, key in enumerate(keys):
            if not isinstance(value, dict) or key not in value:
                raise SafetyCardError(self.directory, f"{SAFETY_CARD} has no {'.'.join(keys[: depth + 1])!r}")
            value = value[key]
        return value


def read_safety_card(directory: str | os.PathLike[str]) -> SafetyCard:
    """Load and verify ``directory/safety.json``: schema, preprocessing and every file's SHA-256
    (`cxrcore.files.verified_file`). Costly (it hashes every model file): read once per load."""
    directory = Path(directory).resolve()
    try:
        card = json.loads((directory / SAFETY_CARD).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SafetyCardError(directory, f"cannot read {SAFETY_CARD} ({error})") from error
    if not isinstance(card, dict) or card.get("schema_version") != SAFETY_SCHEMA_VERSION:
        raise SafetyCardError(directory, f"{SAFETY_CARD} is not a schema-{SAFETY_SCHEMA_VERSION} safety card")
    if card.get("preprocessing_id") != PREPROCESSING_ID:
        raise SafetyCardError(
            directory, f"fitted with preprocessing {card.get('preprocessing_id')!r}, this app uses {PREPROCESSING_ID!r}"
        )
    for relative, expected in dict(card.get("files", {})).items():
        try:
            verified_file(directory, relative, expected)
        except FileProblem as problem:
            raise SafetyCardError(directory, str(problem)) from problem
    return SafetyCard(directory, card)


def as_safety_card(source: SafetyCard | str | os.PathLike[str]) -> SafetyCard:
    """``source`` itself when it is a card already read, else the card read from that folder.

    Lets `cxrcore.safety.checks.SafetyChecks.load` read and hash ``safety.json`` once and hand the
    result to the gate, the population model and the quality check, while each can still be
    loaded alone from a folder.
    """
    return source if isinstance(source, SafetyCard) else read_safety_card(source)


class ScoreModel(Closing):
    """One ``.tflite`` of the card: film → named scores. ``thresholds`` are the card's upper limits
    when it gives them (one-class and discriminative gate models), else empty (the population model,
    whose limits belong to each population)."""

    def __init__(self, card: SafetyCard, section: dict[str, Any], accelerator: str = "cpu") -> None:
        if section["file"] not in card.card.get("files", {}):
            raise SafetyCardError(card.directory, f"model file {section['file']!r} has no SHA-256 in 'files'")
        self.spec = InputSpec.from_dict(section["input"])
        self.names: list[str] = list(section["scores"])
        self.thresholds = np.asarray(section.get("thresholds", ()), dtype=np.float64)
        self.engine: Engine = open_engine(card.directory / section["file"], accelerator, threads=1)
        expected_in, expected_out = (1, self.spec.height, self.spec.width, 1), (1, len(self.names))
        if self.engine.input_info.shape != expected_in or self.engine.output_info.shape != expected_out:
            raise SafetyCardError(
                card.directory,
                f"{section['file']} takes {self.engine.input_info.shape} → {self.engine.output_info.shape}, "
                f"the card says {expected_in} → {expected_out}",
            )

    def scores(self, gray: np.ndarray) -> np.ndarray:
        """2-D uint8 film of any size → one score per name, in `names` order."""
        small = resize_gray(gray, self.spec.height, self.spec.width)
        return self.engine.run(to_model_input(small, self.spec)).reshape(-1).astype(np.float64)

    def close(self) -> None:
        self.engine.close()
