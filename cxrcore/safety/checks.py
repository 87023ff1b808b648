"""Every film's safety checks, as the screener runs them: chest-film gate, population check, quality.

One object for the three checks of ``models/_safety`` so that the app, the headless screener and
the self-test apply them identically. Split in two halves because of threads: `inspect` is numpy
only and runs in the decode threads beside the decoder (cheap and structural gate checks, quality
score, the 224×224 view they share); `judge` runs the small LiteRT models (the gate's two, the
population model) and must be called from the one thread that owns the engines (LiteRT engines
are not thread-safe), like the classifier itself.

The verdict holds every population's image verdict; which one applies is the scoring bundle's
(its card's ``population``), combined with the DICOM age by `cxrcore.safety.population.assess`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from cxrcore.decode import DecodedImage
from cxrcore.safety.card import read_safety_card
from cxrcore.safety.gate import VIEW_SIDE, ChestFilmGate, GateResult, film_view
from cxrcore.safety.population import PopulationModel, PopulationResult
from cxrcore.safety.quality import QualityCheck
from cxrcore.closing import Closing

#: `cxrcore.decode.DecodeError`-style reason code of a film the gate refuses.
NOT_A_CHEST_FILM = "not-a-chest-film"


@dataclass(frozen=True)
class InspectedFilm:
    """What the decode thread measured: the shared view, a cheap rejection if any, the quality score."""

    view: np.ndarray
    cheap_rejection: GateResult | None
    quality: float | None


@dataclass(frozen=True)
class SafetyVerdict:
    """``gate`` decides whether the film may be scored; ``populations`` (empty when refused) say whose
    validated population it looks like; ``warnings`` (image quality) go beside a score, never instead."""

    gate: GateResult
    populations: dict[str, PopulationResult]
    quality: float | None
    warnings: tuple[str, ...]

    @property
    def accepted(self) -> bool:
        return self.gate.accepted


class SafetyChecks(Closing):
    """The gate, the quality score and the population check."""

    def __init__(self, gate: ChestFilmGate, quality: QualityCheck, population: PopulationModel) -> None:
        self.gate = gate
        self.quality = quality
        self.population = population

    @classmethod
    def load(cls, safety_dir: str | os.PathLike[str]) -> SafetyChecks:
        """Load from ``safety_dir``; ``safety.json`` is read and its files hashed once, for all three checks.

        Raises `cxrcore.safety.card.SafetyCardError` when the card or a model file is missing or altered:
        screening without its safety checks must not start silently.
        """
        card = read_safety_card(safety_dir)
        gate = ChestFilmGate.load(card)
        try:
            return cls(gate, QualityCheck.load(card), PopulationModel.load(card))
        except BaseException:
            gate.close()
            raise

    def inspect(self, decoded: DecodedImage, model_gray: np.ndarray | None = None) -> InspectedFilm:
        """The numpy half (any thread). Quality is skipped for a film the cheap checks already refuse.

        ``model_gray``: the classifier's input film; when the model takes 224×224 it *is* the view,
        and reusing it saves reducing a full-size film twice.
        """
        reusable = model_gray is not None and model_gray.shape == (VIEW_SIDE, VIEW_SIDE)
        view = model_gray if reusable else film_view(decoded)
        rejection = self.gate.cheap_check(decoded, view)
        return InspectedFilm(view, rejection, None if rejection else self.quality.score(view))

    def judge(self, film: InspectedFilm) -> SafetyVerdict:
        """The engine half (the engines' thread): the gate's models, then the population model."""
        gate = film.cheap_rejection or self.gate.model_check(film.view)
        if not gate.accepted:
            return SafetyVerdict(gate, {}, film.quality, ())
        quality_warning = self.quality.warn(film.quality) if film.quality is not None else None
        return SafetyVerdict(gate, self.population.judge(film.view), film.quality,
                             (quality_warning,) if quality_warning else ())

    def check(self, decoded: DecodedImage) -> SafetyVerdict:
        """Both halves on the calling thread (tests, the self-test, one-off files)."""
        return self.judge(self.inspect(decoded))

    def close(self) -> None:
        self.gate.close()
        self.population.close()
