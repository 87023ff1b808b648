"""What screening one file yields: `ScreenResult`, its status vocabulary, and the path text it keeps.

Its own module so that every consumer of results (table, details panel, store, CSV, PDF) depends
on the result type alone, not on the screening pipeline that produces it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from cxrcore.safety.checks import NOT_A_CHEST_FILM
from cxrcore.safety.population import NOT_VALIDATED

from desktop.screening.catalog import ModelIdentity

STATUS_OK = "ok"
STATUS_REJECTED = "rejected"
STATUS_ERROR = "error"
#: A chest film outside the validated population of the model that scored it, or of every model
#: (then not scored): "Not validated for this film — read it yourself", flagged for review.
STATUS_NOT_VALIDATED = "not-validated"
STATUSES = (STATUS_OK, STATUS_NOT_VALIDATED, STATUS_REJECTED, STATUS_ERROR)

#: Decode reasons meaning "a readable file, but not a film this model may be given" (rejected),
#: as opposed to a file that could not be read at all (error).
#: Every other `cxrcore.decode.DecodeError` reason (corrupt, not-an-image, unreadable, …) is an error.
REJECTED_REASONS = frozenset({
    "too-small", "too-large", "multi-frame", "not-grayscale", "no-pixel-data", "dicom-unsupported", NOT_A_CHEST_FILM,
})


@dataclass(frozen=True)
class ScreenResult:
    """One input's outcome: a decision (``ok``), a score not validated for the film or none
    (``not-validated``), or the reason there is none (``rejected``, ``error``)."""

    path: str
    status: str
    reason: str = ""
    message: str = ""
    prediction: str = ""
    confidence: float | None = None
    flagged: bool | None = None
    probabilities: dict[str, float] = field(default_factory=dict)
    metadata: dict[str, str] = field(default_factory=dict)
    file_sha256: str = ""
    resumed: bool = False
    #: 0–100 no-reference quality score (`cxrcore.safety.quality`); None when not measured.
    quality: float | None = None
    #: Sentences shown beside the result: not validated for this film (first), poor quality.
    warnings: tuple[str, ...] = ()
    #: The model that scored the film; None when none did.
    model: ModelIdentity | None = None

    @property
    def shown_prediction(self) -> str:
        """The prediction as every view and export shows it: never a plain label for a film the model
        was not validated for."""
        return NOT_VALIDATED if self.status == STATUS_NOT_VALIDATED else self.prediction

    @property
    def scored(self) -> bool:
        """Whether a model produced probabilities for this film (``ok`` and some ``not-validated``)."""
        return self.model is not None

    @classmethod
    def failure(cls, path: str, reason: str, message: str, file_sha256: str = "") -> "ScreenResult":
        status = STATUS_REJECTED if reason in REJECTED_REASONS else STATUS_ERROR
        return cls(path=path, status=status, reason=reason, message=message, file_sha256=file_sha256)


def confidence_text(confidence: float) -> str:
    """A confidence as every view, report and log line shows it: one decimal, and never "100.0%".
    A calibrated probability is never certainty; rounding 0.9996 up would claim it, so anything
    that would round to 100.0% reads "> 99.9%"."""
    return "> 99.9%" if confidence >= 0.9995 else f"{confidence:.1%}"


def probability_text(probability: float) -> str:
    """A per-label probability as the results table shows it: three decimals, never "1.000" or "0.000"."""
    if probability >= 0.9995:
        return "> 0.999"
    return "< 0.001" if probability < 0.0005 else f"{probability:.3f}"


def text_path(path: Path) -> str:
    """The path as text that the store, CSV and PDF can hold: identical for any UTF-8 name; a name
    with undecodable bytes (possible on Linux) keeps them as ``\\xNN`` escapes, still one per file."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")
