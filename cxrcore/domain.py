"""Is this film like the films a model was trained on? One-class scores from a small ``.tflite``.

The pediatric pneumonia model learnt from children aged 1–5 in one hospital; an adult's film is
still a chest film (the gate lets it through) but the model's score for it has never been
validated, so the app must say so instead of scoring silently. `DomainCheck` does that with a
one-class model fitted by ``python -m trainer.safety.train`` on that model's training films only.

This module also reads ``models/_safety/safety.json`` (the safety card shared with `cxrcore.gate`
and `cxrcore.quality`) and runs its one-class models (`NoveltyModel`): each ``.tflite`` takes one
film and returns a few scores, each with an upper threshold chosen on held-out training-domain
films; a film is foreign when any score exceeds its threshold. Numpy and LiteRT only.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from cxrcore.bundle import sha256_file
from cxrcore.preprocess import PREPROCESSING_ID, InputSpec, resize_gray, to_model_input
from cxrcore.runtime import Engine, open_engine

SAFETY_CARD = "safety.json"
SAFETY_SCHEMA_VERSION = 1


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
    """Load and verify ``directory/safety.json``: schema, preprocessing and every file's SHA-256."""
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
        path = (directory / relative).resolve()
        if directory not in path.parents or not path.is_file():
            raise SafetyCardError(directory, f"file {relative!r} is missing or outside the folder")
        if sha256_file(path) != expected:
            raise SafetyCardError(directory, f"file {relative!r} does not match its SHA-256: altered or damaged")
    return SafetyCard(directory, card)


class NoveltyModel:
    """A one-class ``.tflite`` from the card: film → scores, each compared with its threshold."""

    def __init__(self, card: SafetyCard, section: dict[str, Any], accelerator: str = "cpu") -> None:
        if section["file"] not in card.card.get("files", {}):
            raise SafetyCardError(card.directory, f"model file {section['file']!r} has no SHA-256 in 'files'")
        self.spec = InputSpec.from_dict(section["input"])
        self.names: list[str] = list(section["scores"])
        self.thresholds = np.asarray(section["thresholds"], dtype=np.float64)
        self.engine: Engine = open_engine(card.directory / section["file"], accelerator, threads=1)
        expected_in, expected_out = (1, self.spec.height, self.spec.width, 1), (1, len(self.names))
        if self.engine.input_info.shape != expected_in or self.engine.output_info.shape != expected_out:
            raise SafetyCardError(
                card.directory,
                f"{section['file']} takes {self.engine.input_info.shape} → {self.engine.output_info.shape}, "
                f"the card says {expected_in} → {expected_out}",
            )

    def scores(self, gray: np.ndarray) -> np.ndarray:
        """2-D uint8 film of any size → one score per name (higher = more foreign)."""
        small = resize_gray(gray, self.spec.height, self.spec.width)
        return self.engine.run(to_model_input(small, self.spec)).reshape(-1).astype(np.float64)

    def close(self) -> None:
        self.engine.close()


@dataclass(frozen=True)
class DomainResult:
    """``score`` is the largest score/threshold ratio: above 1 the film is outside the domain."""

    in_domain: bool
    score: float
    message: str | None


class DomainCheck:
    """Whether a film resembles one model's training films (e.g. ``kermany-pediatric``)."""

    def __init__(self, name: str, model: NoveltyModel, description: str) -> None:
        self.name = name
        self.model = model
        self.description = description

    @classmethod
    def load(cls, safety_dir: str | os.PathLike[str], name: str = "kermany-pediatric") -> DomainCheck:
        card = read_safety_card(safety_dir)
        section = card.section("domains", name)
        return cls(name, NoveltyModel(card, section["novelty"]), str(section["description"]))

    def check(self, gray: np.ndarray) -> DomainResult:
        ratio = float((self.model.scores(gray) / self.model.thresholds).max())
        if ratio <= 1.0:
            return DomainResult(True, ratio, None)
        return DomainResult(
            False,
            ratio,
            f"this film is unlike the films the model was trained on ({self.description}); "
            "its result has not been validated for films like this one — read the film yourself",
        )

    def close(self) -> None:
        self.model.close()
