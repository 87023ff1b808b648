"""Every film's safety checks, as the screener runs them: chest-film gate, domain warning, quality.

One object for the three checks of ``models/_safety`` so that the app, the headless screener and
the self-test apply them identically. Split in two halves because of threads: `inspect` is numpy
only and runs in the decode threads beside the decoder (cheap gate checks, quality score, the
224×224 view they share); `judge` runs the two small LiteRT one-class models and must be called
from the one thread that owns the engines (LiteRT engines are not thread-safe), like the
classifier itself.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from cxrcore.decode import DecodedImage
from cxrcore.domain import DomainCheck, DomainResult, read_safety_card
from cxrcore.gate import VIEW_SIDE, ChestFilmGate, GateResult, film_view
from cxrcore.quality import QualityCheck

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
    """``gate`` decides whether the film may be scored; ``warnings`` go beside a score, never instead."""

    gate: GateResult
    domain: DomainResult | None
    quality: float | None
    warnings: tuple[str, ...]

    @property
    def accepted(self) -> bool:
        return self.gate.accepted


class SafetyChecks:
    """The gate, the quality score and (for a model with a known training domain) the domain check."""

    def __init__(self, gate: ChestFilmGate, quality: QualityCheck, domain: DomainCheck | None = None) -> None:
        self.gate = gate
        self.quality = quality
        self.domain = domain

    @classmethod
    def load(cls, safety_dir: str | os.PathLike[str], model_name: str | None = None) -> SafetyChecks:
        """Load from ``safety_dir``; the domain check is the one whose ``applies_to`` names ``model_name``.

        Raises `cxrcore.domain.SafetyCardError` when the card or a model file is missing or altered:
        screening without its safety checks must not start silently.
        """
        card = read_safety_card(safety_dir)
        domains = card.card.get("domains", {})
        domain_name = next((name for name, section in domains.items()
                            if model_name is not None and model_name in section.get("applies_to", ())), None)
        gate = ChestFilmGate.load(safety_dir)
        try:
            domain = DomainCheck.load(safety_dir, domain_name) if domain_name else None
            return cls(gate, QualityCheck.load(safety_dir), domain)
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
        """The engine half (the engines' thread): the one-class gate, then the domain check."""
        gate = film.cheap_rejection or self.gate.model_check(film.view)
        if not gate.accepted:
            return SafetyVerdict(gate, None, film.quality, ())
        domain = self.domain.check(film.view) if self.domain is not None else None
        quality_warning = self.quality.warn(film.quality) if film.quality is not None else None
        warnings = tuple(text for text in (domain.message if domain else None, quality_warning) if text)
        return SafetyVerdict(gate, domain, film.quality, warnings)

    def check(self, decoded: DecodedImage) -> SafetyVerdict:
        """Both halves on the calling thread (tests, the self-test, one-off files)."""
        return self.judge(self.inspect(decoded))

    def close(self) -> None:
        self.gate.close()
        if self.domain is not None:
            self.domain.close()
