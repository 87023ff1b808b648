"""Is this film from the population a model was validated on? Image first, DICOM age over it.

A pediatric pneumonia model ranks adult films worse than chance, and a score it gives an adult
looks as confident as any other. Each bundle card names the population it was validated on
(``population``: an age range and a ``population_check`` key); this module decides, per film,
whether the film belongs to it, so that the app shows "not validated" instead of a silent score
and routing can send the film to the model that was validated for it.

The image half is one small discriminative ``.tflite`` (``safety.json`` → ``population``):
a 64×64 film → P(adult), trained on Kermany children against every adult source and thresholded
on validation films of each population (``trainer.safety.population``). A DICOM age, when the
file states one, overrides the image: a film outside the card's age range is never validated.
Numpy and LiteRT only.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Mapping

import numpy as np

from cxrcore.safety.card import SafetyCard, SafetyCardError, ScoreModel, as_safety_card
from cxrcore.closing import Closing

#: What every out-of-population film shows as its result (table, details, CSV, PDF).
NOT_VALIDATED = "Not validated for this film — read it yourself"
#: The population model's one output.
P_ADULT = "p_adult"
#: DICOM keys `age_in_years` reads (as `desktop.screening.film_metadata` names them).
AGE_KEYS = ("PatientAge", "PatientBirthDate", "StudyDate")
#: Ways a film can fall outside: the image, the stated age, or a model that names no known population.
REASONS = ("image", "age", "unknown")
_DICOM_AGE = re.compile(r"^\s*(\d{1,3})\s*([DWMY])\s*$", re.IGNORECASE)
_DAYS_PER = {"D": 1.0, "W": 7.0, "M": 365.25 / 12, "Y": 365.25}


@dataclass(frozen=True)
class PopulationResult:
    """``score``: how far past its limit (≤ 1 inside, as for every safety check); ``reason`` is ""
    inside, else one of `REASONS`; ``message`` is the sentence to show, None inside."""

    name: str
    in_population: bool
    score: float
    reason: str
    message: str | None


@dataclass(frozen=True)
class Population:
    """One population's acceptance rule on P(adult): ``accept`` is "below" or "above" ``limit``."""

    name: str
    accept: str
    limit: float
    description: str

    def judge(self, p_adult: float) -> PopulationResult:
        if self.accept == "below":
            ratio = p_adult / max(self.limit, 1e-12)
        else:
            ratio = (1.0 - p_adult) / max(1.0 - self.limit, 1e-12)
        if ratio <= 1.0:
            return PopulationResult(self.name, True, float(ratio), "", None)
        return PopulationResult(self.name, False, float(ratio), "image",
                                f"{NOT_VALIDATED}: it looks unlike {self.description} (P(adult) {p_adult:.2f})")


class PopulationModel(Closing):
    """The population ``.tflite`` and every population's rule, from ``safety.json``."""

    def __init__(self, card: SafetyCard, accelerator: str = "cpu") -> None:
        section = card.section("population")
        self.model = ScoreModel(card, section, accelerator)
        if self.model.names != [P_ADULT]:
            raise SafetyCardError(card.directory, f"population model must output [{P_ADULT!r}], not {self.model.names}")
        try:
            self.populations = {
                name: Population(name, str(rule["accept"]), float(rule["limit"]), str(rule["description"]))
                for name, rule in dict(section["populations"]).items()
            }
        except (KeyError, TypeError, ValueError) as error:
            raise SafetyCardError(card.directory, f"population rules are malformed ({error!r})") from error
        bad = [p.name for p in self.populations.values() if p.accept not in ("below", "above")]
        if bad:
            raise SafetyCardError(card.directory, f"population rules {bad} must accept 'below' or 'above'")

    @classmethod
    def load(cls, source: SafetyCard | str | os.PathLike[str], accelerator: str = "cpu") -> PopulationModel:
        """From a safety card already read, or from the folder holding ``safety.json``."""
        return cls(as_safety_card(source), accelerator)

    def p_adult(self, gray: np.ndarray) -> float:
        return float(self.model.scores(gray)[0])

    def judge(self, gray: np.ndarray) -> dict[str, PopulationResult]:
        """Every population's verdict on one film (the engine's thread)."""
        p_adult = self.p_adult(gray)
        return {name: population.judge(p_adult) for name, population in self.populations.items()}

    def close(self) -> None:
        self.model.close()


def assess(populations: Mapping[str, PopulationResult], spec: Mapping[str, Any] | None,
           age_years: float | None) -> PopulationResult:
    """Whether a film belongs to a bundle's validated population (its card's ``population``).

    The stated age decides when there is one and it lies outside ``spec["age_years"]``; otherwise the
    image verdict of ``spec["population_check"]``. A bundle that states no population, or names one
    the safety card does not know, validates nothing.
    """
    check = str(spec.get("population_check", "")) if spec else ""
    if check not in populations:
        return PopulationResult(check or "none", False, math.inf, "unknown",
                                f"{NOT_VALIDATED}: the model states no population it was validated for")
    low, high = (float(value) for value in spec["age_years"])
    if age_years is not None and not low <= age_years <= high:
        return PopulationResult(check, False, math.inf, "age",  # no age in the text: it reaches logs and exports
                                f"{NOT_VALIDATED}: the patient's stated age is outside the "
                                f"{low:g}–{high:g} years this model was validated for")
    return populations[check]


def age_in_years(metadata: Mapping[str, str]) -> float | None:
    """The patient's age from DICOM ``PatientAge`` (``045Y``, ``006M``, ``010W``, ``003D``), else from
    ``PatientBirthDate`` and ``StudyDate`` (``YYYYMMDD``); None when neither is stated or valid."""
    match = _DICOM_AGE.match(str(metadata.get("PatientAge") or ""))
    if match:
        return int(match.group(1)) * _DAYS_PER[match.group(2).upper()] / 365.25
    born, studied = (_dicom_date(metadata.get(key)) for key in ("PatientBirthDate", "StudyDate"))
    if born is None or studied is None or studied < born:
        return None
    return (studied - born).days / 365.25


def _dicom_date(value: str | None) -> date | None:
    text = (value or "").strip()
    if len(text) != 8 or not text.isdigit():
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None
