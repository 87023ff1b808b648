"""The PDF batch report: one summary page, then one page per input file.

The summary names exactly which models produced the results (name, version, build and the build
file's SHA-256 of each, and whether films were routed by population) and on which runtime, so a
printed report can be traced to model files. Each film page names the model that scored it and
shows a thumbnail, the heatmap when there is one (captioned with its method), the probabilities against that model's
operating thresholds, the flag and the status; a film outside the model's population says "Not
validated for this film — read it yourself" above everything else, the model's answer beneath. Every page carries the statement that the
result supports, and does not replace, a clinician's reading. Patient fields appear only when
the user opted in. The text is in the app's language (`desktop.i18n`, read from the same ``.ts`` as
the window's), the engine's reasons too (`desktop.reasons`, its English words kept as details); model
labels and file names stay as they are.

reportlab is imported by this module only, and this module only when a report is written, so
the app starts without it.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable

import numpy as np
from PIL import Image
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfgen.canvas import Canvas

from cxrcore.decode import DecodeError, decode_image
from cxrcore.preprocess import to_uint8

from desktop import i18n
from desktop.reasons import explain
from desktop.screening.catalog import ModelIdentity
from desktop.screening.film_metadata import EXPORT_COLUMNS
from desktop.screening.heatmap import Heatmap, overlay_rgba
from desktop.screening.results import (
    STATUS_ERROR, STATUS_NOT_VALIDATED, STATUS_OK, STATUS_REJECTED, ScreenResult, confidence_text,
)

THUMBNAIL_PIXELS = 600
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 2 * cm


class ReportCancelled(Exception):
    """The user cancelled while the report was being written; no file is left behind."""


@dataclass(frozen=True)
class ReportModel:
    """One model in use and its operating thresholds (drawn on the probability bars)."""

    identity: ModelIdentity
    thresholds: dict[str, float]


@dataclass
class ReportContent:
    """Everything the report states, gathered by the caller (the app's worker thread)."""

    results: list[ScreenResult]
    models: list[ReportModel]
    automatic: bool
    runtime: str
    heatmaps: dict[str, Heatmap] = field(default_factory=dict)
    include_patient_fields: bool = False
    created: datetime = field(default_factory=lambda: datetime.now().astimezone())


def write_report(
    path: Path,
    content: ReportContent,
    cancel: threading.Event | None = None,
    on_page: Callable[[int, int], None] | None = None,
) -> None:
    """Write the report to ``path`` (via a temporary file, renamed when complete)."""
    path = Path(path)
    temporary = path.with_name(f".{path.name}.tmp")
    canvas = Canvas(str(temporary), pagesize=A4, pageCompression=1)
    canvas.setTitle(i18n.translate("pdf_report", "Chest X-ray screening report"))
    canvas.setAuthor("CXR Screening")
    total = len(content.results) + 1
    try:
        _summary_page(canvas, content)
        for number, result in enumerate(content.results, start=2):
            if cancel is not None and cancel.is_set():
                raise ReportCancelled()
            _film_page(canvas, content, result, number, total)
            if on_page is not None:
                on_page(number, total)
        canvas.save()
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)


def _disclaimer() -> str:
    return i18n.translate("pdf_report", "This result supports and does not replace a clinician's reading.")


def _not_validated() -> str:
    """`cxrcore.safety.population.NOT_VALIDATED` in the app's language (the literal is what lupdate reads;
    the tests check they agree)."""
    return i18n.translate("safety", "Not validated for this film — read it yourself")


def _footer(canvas: Canvas, number: int, total: int) -> None:
    canvas.setFont("Helvetica-Bold", 9)
    canvas.setFillColor(colors.HexColor("#8a1c1c"))
    canvas.drawString(MARGIN, 1.2 * cm, _disclaimer())
    canvas.setFont("Helvetica", 8)
    canvas.setFillColor(colors.black)
    canvas.drawRightString(PAGE_WIDTH - MARGIN, 1.2 * cm,
                           i18n.translate("pdf_report", "page {number} of {total}").format(number=number, total=total))


def _summary_page(canvas: Canvas, content: ReportContent) -> None:
    counts = Counter(result.status for result in content.results)
    flagged = sum(1 for result in content.results if result.flagged)
    y = PAGE_HEIGHT - MARGIN
    canvas.setFont("Helvetica-Bold", 18)
    canvas.drawString(MARGIN, y, i18n.translate("pdf_report", "Chest X-ray screening report"))
    y -= 1.0 * cm
    canvas.setFont("Helvetica-Bold", 11)
    canvas.setFillColor(colors.HexColor("#8a1c1c"))
    canvas.drawString(MARGIN, y, _disclaimer())
    canvas.setFillColor(colors.black)
    y -= 1.0 * cm
    automatic = (i18n.translate("pdf_report", "automatic by population") if content.automatic
                 else i18n.translate("pdf_report", "one model for every film"))
    lines = [  # (title, value, whether the value is a hash: set small in a fixed-width font)
        (i18n.translate("pdf_report", "Date"), content.created.strftime("%Y-%m-%d %H:%M %Z"), False),
        (i18n.translate("pdf_report", "Files"), str(len(content.results)), False),
        (i18n.translate("pdf_report", "Screened (ok)"), str(counts[STATUS_OK]), False),
        (i18n.translate("pdf_report", "Not validated"), str(counts[STATUS_NOT_VALIDATED]), False),
        (i18n.translate("pdf_report", "Rejected"), str(counts[STATUS_REJECTED]), False),
        (i18n.translate("pdf_report", "Errors"), str(counts[STATUS_ERROR]), False),
        (i18n.translate("pdf_report", "Flagged: needs review"), str(flagged), False),
        (i18n.translate("pdf_report", "Models"), automatic, False),
        (i18n.translate("pdf_report", "Runtime"), content.runtime, False),
    ]
    for model in content.models:
        lines += [
            (i18n.translate("pdf_report", "Model"), model.identity.label, False),
            (i18n.translate("pdf_report", "Build file SHA-256"), model.identity.build_sha256, True),
            (i18n.translate("pdf_report", "Operating thresholds"),
             ", ".join(f"{k} ≥ {v:.3f}" for k, v in model.thresholds.items()), False),
        ]
    # the values start after the longest title, whose length depends on the language
    indent = max(canvas.stringWidth(f"{title}:", "Helvetica-Bold", 10) for title, _value, _hash in lines) + 0.5 * cm
    for title, value, is_hash in lines:
        canvas.setFont("Helvetica-Bold", 10)
        canvas.drawString(MARGIN, y, f"{title}:")
        canvas.setFont("Courier" if is_hash else "Helvetica", 8 if is_hash else 10)
        canvas.drawString(MARGIN + indent, y, value)
        y -= 0.6 * cm
    _footer(canvas, 1, len(content.results) + 1)
    canvas.showPage()


def _film_page(canvas: Canvas, content: ReportContent, result: ScreenResult, number: int, total: int) -> None:
    y = PAGE_HEIGHT - MARGIN
    canvas.setFont("Helvetica-Bold", 13)
    canvas.drawString(MARGIN, y, Path(result.path).name[:80])
    y -= 0.5 * cm
    canvas.setFont("Helvetica", 7)
    canvas.drawString(MARGIN, y, result.path[-140:])
    y -= 0.4 * cm
    box = (PAGE_WIDTH - 2 * MARGIN - 1 * cm) / 2
    gray = _thumbnail(Path(result.path))
    if gray is not None:
        _draw_image(canvas, Image.fromarray(gray), MARGIN, y - box, box, i18n.translate("pdf_report", "Film"))
        heatmap = content.heatmaps.get(result.path)
        if heatmap is not None:
            _draw_image(canvas, _blend(gray, heatmap), MARGIN + box + 1 * cm, y - box,
                        box, f"{heatmap.caption} ({heatmap.label})")
    y -= box + 1.2 * cm
    y = _decision_block(canvas, result, y)
    if result.scored:
        y = _probability_bars(canvas, _thresholds(content, result), result, y)
    if content.include_patient_fields and result.metadata:
        _patient_block(canvas, result, y)
    _footer(canvas, number, total)
    canvas.showPage()


def _thresholds(content: ReportContent, result: ScreenResult) -> dict[str, float]:
    return next((model.thresholds for model in content.models if model.identity == result.model), {})


def _decision_block(canvas: Canvas, result: ScreenResult, y: float) -> float:
    shown = explain(result, i18n.translate)
    canvas.setFont("Helvetica-Bold", 12)
    if result.status in (STATUS_OK, STATUS_NOT_VALIDATED):
        if result.status == STATUS_OK:
            canvas.drawString(MARGIN, y, i18n.translate("pdf_report", "Prediction: {label}  ({confidence})").format(
                label=result.prediction, confidence=confidence_text(result.confidence)))
        else:  # the model's answer, if any, only beneath: it was never validated for this film
            canvas.setFillColor(colors.HexColor("#b00020"))
            canvas.drawString(MARGIN, y, _not_validated())
            canvas.setFillColor(colors.black)
            if result.scored:
                y -= 0.6 * cm
                canvas.setFont("Helvetica", 10)
                canvas.drawString(MARGIN, y, i18n.translate(
                    "pdf_report", "Model output, not validated for this film: {label}  ({confidence})").format(
                    label=result.prediction, confidence=confidence_text(result.confidence)))
        y -= 0.6 * cm
        canvas.setFont("Helvetica-Bold", 12)
        if result.flagged:
            canvas.setFillColor(colors.HexColor("#c25400"))
            canvas.drawString(MARGIN, y, i18n.translate("pdf_report", "NEEDS REVIEW (flagged at the model's operating "
                                                                      "threshold)") if result.status == STATUS_OK
                              else i18n.translate("pdf_report", "NEEDS REVIEW"))
            canvas.setFillColor(colors.black)
        else:
            canvas.setFont("Helvetica", 11)
            canvas.drawString(MARGIN, y, i18n.translate("pdf_report", "Not flagged"))
        canvas.setFont("Helvetica", 10)
        if result.model is not None:
            y -= 0.6 * cm
            canvas.drawString(MARGIN, y, i18n.translate("pdf_report", "Scored by: {model}").format(
                model=result.model.label))
        if result.quality is not None:
            y -= 0.6 * cm
            canvas.drawString(MARGIN, y, i18n.translate("pdf_report", "Image quality: {score} of 100").format(
                score=f"{result.quality:.0f}"))
        canvas.setFillColor(colors.HexColor("#b00020"))
        for sentence in shown.sentences:
            y = _paragraph(canvas, i18n.translate("pdf_report", "Warning: {text}").format(text=sentence), y, 10)
    else:
        rejected = result.status == STATUS_REJECTED
        canvas.drawString(MARGIN, y, i18n.translate("pdf_report", "Status: rejected") if rejected
                          else i18n.translate("pdf_report", "Status: error"))
        y -= 0.1 * cm
        y = _paragraph(canvas, i18n.translate("pdf_report", "Reason: {reason}").format(reason=shown.text), y, 10)
    canvas.setFillColor(colors.HexColor("#666666"))
    y = _paragraph(canvas, shown.details, y, 8)
    canvas.setFillColor(colors.black)
    return y - 0.9 * cm


def _paragraph(canvas: Canvas, text: str, y: float, size: int) -> float:
    """``text`` in Helvetica ``size``, wrapped to the page's width below ``y``; the new ``y``. A translated
    reason is longer than the English one it replaces: wrapped, never cut."""
    canvas.setFont("Helvetica", size)
    for line in simpleSplit(text, "Helvetica", size, PAGE_WIDTH - 2 * MARGIN):
        y -= 0.5 * cm * size / 10
        canvas.drawString(MARGIN, y, line)
    return y


def _probability_bars(canvas: Canvas, thresholds: dict[str, float], result: ScreenResult, y: float) -> float:
    width = PAGE_WIDTH - 2 * MARGIN - 6 * cm
    for label, value in result.probabilities.items():
        canvas.setFont("Helvetica", 10)
        canvas.drawString(MARGIN, y, label[:22])
        left = MARGIN + 4 * cm
        canvas.setStrokeColor(colors.grey)
        canvas.setFillColor(colors.HexColor("#eeeeee"))
        canvas.rect(left, y - 0.1 * cm, width, 0.45 * cm, fill=1, stroke=1)
        canvas.setFillColor(colors.HexColor("#3465a4"))
        canvas.rect(left, y - 0.1 * cm, width * value, 0.45 * cm, fill=1, stroke=0)
        threshold = thresholds.get(label)
        if threshold is not None:
            canvas.setStrokeColor(colors.HexColor("#c25400"))
            canvas.setLineWidth(2)
            canvas.line(left + width * threshold, y - 0.25 * cm, left + width * threshold, y + 0.5 * cm)
            canvas.setLineWidth(1)
        canvas.setFillColor(colors.black)
        canvas.drawString(left + width + 0.3 * cm, y, f"{value:.3f}")
        y -= 0.8 * cm
    return y - 0.4 * cm


def _patient_block(canvas: Canvas, result: ScreenResult, y: float) -> None:
    canvas.setFont("Helvetica-Bold", 10)
    canvas.drawString(MARGIN, y, i18n.translate("pdf_report", "Patient / study (included at the user's request)"))
    canvas.setFont("Helvetica", 9)
    for name, column in EXPORT_COLUMNS.items():
        if result.metadata.get(name):
            y -= 0.5 * cm
            canvas.drawString(MARGIN, y, f"{column.replace('_', ' ')}: {result.metadata[name]}"[:110])


def _thumbnail(path: Path) -> np.ndarray | None:
    """The film as 8-bit gray, at most `THUMBNAIL_PIXELS` on its long side; None if undecodable."""
    try:
        image = Image.fromarray(to_uint8(decode_image(path)))
    except DecodeError:
        return None
    image.thumbnail((THUMBNAIL_PIXELS, THUMBNAIL_PIXELS), Image.Resampling.LANCZOS)
    return np.asarray(image)


def _blend(gray: np.ndarray, heatmap: Heatmap) -> Image.Image:
    overlay = overlay_rgba(heatmap, gray.shape[0], gray.shape[1]).astype(np.float32)
    alpha = overlay[..., 3:4] / 255.0
    base = np.repeat(gray[..., np.newaxis].astype(np.float32), 3, axis=-1)
    return Image.fromarray(np.round(base * (1 - alpha) + overlay[..., :3] * alpha).astype(np.uint8))


def _draw_image(canvas: Canvas, image: Image.Image, x: float, y: float, box: float, caption: str) -> None:
    """Fit ``image`` into a ``box``-sized square whose lower-left corner is (x, y), caption above."""
    scale = box / max(image.width, image.height)
    width, height = image.width * scale, image.height * scale
    canvas.drawImage(ImageReader(image), x + (box - width) / 2, y + (box - height), width, height)
    canvas.setFont("Helvetica", 8)
    canvas.drawString(x, y - 0.4 * cm, caption)
