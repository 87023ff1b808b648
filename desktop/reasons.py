"""Why a film has no result, or what to keep in mind about the one it has, in the nurse's language.

The screening engine explains itself in English (`ScreenResult.message`, ``warnings``): those texts
are the CSV's and the command line's, machine-readable by design, and they carry technical detail
(scores, limits, transfer syntaxes). A nurse reading the window or the PDF in Swahili needs the
gist in Swahili. This module turns a result's stable ``reason`` code — and, for a film the chest-film
gate refused, which of its checks did — into short translatable sentences, and keeps the engine's
own words beside them as "Details: …" so that nothing is lost. A code it does not know (an older
store, a newer engine) shows the English message itself: never an empty label.

Qt-free: the window translates through Qt's translator, the PDF through `desktop.i18n.translate`;
both read the same ``.ts`` context, `CONTEXT`. The sentences are marked with
`desktop.i18n.QT_TRANSLATE_NOOP`, which is what ``pyside6-lupdate`` reads; it hands a ``#:`` comment to
the translators with the next string, so only the tables' comments here are ``#:``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from cxrcore.safety.checks import NOT_A_CHEST_FILM
from cxrcore.safety.gate import MODEL_REASONS
from cxrcore.safety.population import NOT_VALIDATED

from desktop.i18n import QT_TRANSLATE_NOOP, translate_prefix
from desktop.screening.results import ScreenResult

# The ``.ts`` context of every sentence here, for the window and the PDF alike.
CONTEXT = "reasons"
# (context, English source) → the text shown: ``QCoreApplication.translate`` or `desktop.i18n.translate`.
Translate = Callable[[str, str], str]

#: Why a file has no result, by its reason code: `cxrcore.image.DecodeError` reasons, the scan's
#: (``missing``, ``unreadable-folder``), the DICOM receiver's and the pipeline's own.
FAILURES = {
    "broken-link": QT_TRANSLATE_NOOP("reasons", "The file is a link that points to nothing."),
    "unreadable": QT_TRANSLATE_NOOP("reasons", "The file cannot be opened: it may have been moved or deleted, "
                                               "or you may not have permission to read it."),
    "not-a-file": QT_TRANSLATE_NOOP("reasons", "This is not an image file (a folder or a special file)."),
    "empty-file": QT_TRANSLATE_NOOP("reasons", "The file is empty."),
    "too-large": QT_TRANSLATE_NOOP("reasons", "The image is far too large to be a chest film."),
    "too-small": QT_TRANSLATE_NOOP("reasons", "The image is too small to be a chest film."),
    "multi-frame": QT_TRANSLATE_NOOP("reasons", "The file holds several images; give one film per file."),
    "not-an-image": QT_TRANSLATE_NOOP("reasons", "The file is not an image this program can read."),
    "corrupt": QT_TRANSLATE_NOOP("reasons", "The file is damaged or incomplete."),
    "dicom-unsupported": QT_TRANSLATE_NOOP("reasons", "This installation cannot read DICOM files."),
    "no-pixel-data": QT_TRANSLATE_NOOP("reasons", "The DICOM file holds no image."),
    "dicom-compressed": QT_TRANSLATE_NOOP("reasons", "The DICOM image is compressed in a format this installation "
                                                     "cannot read."),
    "not-grayscale": QT_TRANSLATE_NOOP("reasons", "The DICOM image is not a single gray film."),
    "not-an-image-object": QT_TRANSLATE_NOOP("reasons", "The DICOM object received holds no film."),
    "missing": QT_TRANSLATE_NOOP("reasons", "The file or folder does not exist."),
    "unreadable-folder": QT_TRANSLATE_NOOP("reasons", "The folder cannot be read."),
    "out-of-memory": QT_TRANSLATE_NOOP("reasons", "There was not enough memory to open this file."),
    "decode-failed": QT_TRANSLATE_NOOP("reasons", "The file could not be opened."),
    "inference-failed": QT_TRANSLATE_NOOP("reasons", "The model could not run on this film."),
    NOT_A_CHEST_FILM: QT_TRANSLATE_NOOP("reasons", "This does not look like a frontal chest film."),
}

# What a `NOT_A_CHEST_FILM` refusal's message says after this (`desktop.screening.pipeline`).
REFUSED = "not scored: "
#: The gate's cheap and structural checks, by how their English reason starts (`cxrcore.safety.gate`).
CHECK_REFUSALS = (
    ("the picture is far wider or taller than a chest film",
     QT_TRANSLATE_NOOP("reasons", "The picture is far wider or taller than a chest film.")),
    ("looks like a colour photograph",
     QT_TRANSLATE_NOOP("reasons", "This looks like a colour photograph, not an X-ray film.")),
    ("the picture is almost blank", QT_TRANSLATE_NOOP("reasons", "The picture is almost blank.")),
    ("looks like a drawing, printed page or graphic",
     QT_TRANSLATE_NOOP("reasons", "This looks like a drawing, a printed page or a graphic, not an X-ray film.")),
    ("looks like a document or screenshot",
     QT_TRANSLATE_NOOP("reasons", "This looks like a document or a screenshot, not an X-ray film.")),
    ("lacks the two lung fields side by side",
     QT_TRANSLATE_NOOP("reasons", "The two lung fields of a frontal chest film are not seen side by side. "
                                  "Is it a side view or another part of the body?")),
)
#: The gate's models, by kind (their English reasons are `cxrcore.safety.gate.MODEL_REASONS`).
MODEL_REFUSALS = {
    "discriminative": QT_TRANSLATE_NOOP("reasons", "This does not look like a frontal chest film. "
                                                   "Is it an upright, front-view chest film?"),
    "one-class": QT_TRANSLATE_NOOP("reasons", "This is unlike the chest films the program knows. "
                                              "Is it an upright, front-view chest film?"),
}

# A ``not-validated`` result's code: this, then a `cxrcore.safety.population.REASONS` entry.
POPULATION = "population-"
#: Why the model that scored the film was not validated for it (one model asked for by name).
POPULATION_SCORED = {
    "image": QT_TRANSLATE_NOOP("reasons", "The film does not look like the patients this model was validated on."),
    "age": QT_TRANSLATE_NOOP("reasons", "The patient's stated age is outside the ages this model was validated for."),
    "unknown": QT_TRANSLATE_NOOP("reasons", "This model states no population it was validated for."),
}
#: Why no installed model scored the film (automatic routing found none validated for it).
POPULATION_UNSCORED = {
    "image": QT_TRANSLATE_NOOP("reasons", "The film does not look like the patients any installed model was "
                                          "validated on, so it was not scored."),
    "age": QT_TRANSLATE_NOOP("reasons", "No installed model was validated for the patient's stated age, "
                                        "so the film was not scored."),
    "unknown": QT_TRANSLATE_NOOP("reasons", "No installed model states the population it was validated for, "
                                            "so the film was not scored."),
}

#: Quality warnings (`cxrcore.safety.quality.QualityCheck.warn`), by how they start.
QUALITY_WARNING = (
    "image quality is poor",
    QT_TRANSLATE_NOOP("reasons", "Image quality is poor: the film may be blurred, noisy, heavily compressed or "
                                 "badly exposed. The result is less reliable; retake or rescan the film if you can."),
)
# Between the engine's texts in the details: its warnings end without a full stop.
DETAILS_SEPARATOR = " · "


@dataclass(frozen=True)
class Explanation:
    """``sentences``: what the nurse reads, in her language, the reason first, then the warnings.
    ``details``: "Details: <the engine's English words>", translated label; empty when the sentences
    already are those words (an unknown code), so nothing is said twice."""

    sentences: tuple[str, ...]
    details: str

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


def explain(result: ScreenResult, translate: Translate) -> Explanation:
    """``result``'s reason and warnings as sentences, translated by ``translate``."""
    source = reason_source(result)
    if source is None:  # an unknown code: the engine's own words, never an empty label
        why = [result.message or result.reason] if result.message or result.reason else []
        warnings = result.warnings
    else:  # the reason's sentence says why the film is not validated: the warning saying so is dropped
        why = [translate(CONTEXT, source)]
        warnings = tuple(warning for warning in result.warnings if not warning.startswith(NOT_VALIDATED))
    sentences = (*why, *(_warning(warning, translate) for warning in warnings))
    english = [part for part in (result.message, *result.warnings) if part]
    if set(english) <= set(sentences):  # all shown as they are already
        return Explanation(sentences, "")
    details = translate("reasons", "Details: {details}").format(details=DETAILS_SEPARATOR.join(english))
    return Explanation(sentences, details)


def reason_source(result: ScreenResult) -> str | None:
    """The English source of the sentence for ``result.reason``; None for no code or an unknown one.
    A gate refusal names the check that refused, else says only that it is no frontal chest film."""
    if result.reason == NOT_A_CHEST_FILM:
        return refusal_source(result.message.removeprefix(REFUSED)) or FAILURES[NOT_A_CHEST_FILM]
    if result.reason.startswith(POPULATION):
        table = POPULATION_SCORED if result.scored else POPULATION_UNSCORED
        return table.get(result.reason.removeprefix(POPULATION))
    return FAILURES.get(result.reason)


def refusal_source(gate_reason: str) -> str | None:
    """The English source of the sentence for the check that gave ``gate_reason``; None when no known
    check did (a newer gate: the caller says less, the details say all)."""
    refusals = (*CHECK_REFUSALS, *((MODEL_REASONS[kind], source) for kind, source in MODEL_REFUSALS.items()))
    return next((source for start, source in refusals if gate_reason.startswith(start)), None)


def _warning(warning: str, translate: Translate) -> str:
    """One warning as a sentence: a quality warning translated; any other in English, the safety sentence
    that may start it translated."""
    start, source = QUALITY_WARNING
    if warning.startswith(start):
        return translate(CONTEXT, source)
    return translate_prefix(warning, NOT_VALIDATED, translate("safety", NOT_VALIDATED))
