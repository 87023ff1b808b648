"""The one CSV layout for results, written by the headless screener and by the app's export.

``path,status,prediction,confidence,flagged,message,model,p_<label>…,quality,warnings`` (the shape
issue #5 fixes, the model that scored the row, then the safety checks' columns), then, only when the
user opts in, the patient/study columns of `desktop.screening.film_metadata.EXPORT_COLUMNS`. One row per input
file. With several models (routing) the ``p_`` columns are the union of their labels, first seen
first; a row fills those of the model named in its ``model`` column and leaves the others empty.
A ``not-validated`` row's ``prediction`` says so, never a plain label (its score stays in the
``confidence`` and ``p_`` cells, and ``message`` says what the model gave).
Written UTF-8 with a byte-order mark (so spreadsheet programs on Windows read non-ASCII paths),
to a temporary file first and then renamed, so a crash never leaves half a CSV behind.
"""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path
from typing import Iterable

from desktop.screening.film_metadata import EXPORT_COLUMNS, export_fields
from desktop.screening.results import ScreenResult

BASE_COLUMNS = ("path", "status", "prediction", "confidence", "flagged", "message", "model")
SAFETY_COLUMNS = ("quality", "warnings")
#: Separates several warnings in the one ``warnings`` cell.
WARNING_SEPARATOR = " | "
ENCODING = "utf-8-sig"
#: Leading characters that make spreadsheet programs evaluate a cell as a formula.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_columns(labels: Iterable[str], include_patient_fields: bool = False) -> list[str]:
    columns = [*BASE_COLUMNS, *(f"p_{label}" for label in labels), *SAFETY_COLUMNS]
    if include_patient_fields:
        columns += list(EXPORT_COLUMNS.values())
    return columns


def csv_row(result: ScreenResult, labels: Iterable[str], include_patient_fields: bool = False) -> dict[str, str]:
    """One result as CSV cells; numbers with 6 decimals, flags ``true``/``false``, empty when absent."""
    row = {
        "path": result.path,
        "status": result.status,
        "prediction": result.shown_prediction,
        "confidence": "" if result.confidence is None else f"{result.confidence:.6f}",
        "flagged": "" if result.flagged is None else str(result.flagged).lower(),
        "message": result.message,
        "model": result.model.label if result.model else "",
    }
    for label in labels:
        value = result.probabilities.get(label)
        row[f"p_{label}"] = "" if value is None else f"{value:.6f}"
    row["quality"] = "" if result.quality is None else f"{result.quality:.1f}"
    row["warnings"] = WARNING_SEPARATOR.join(result.warnings)
    if include_patient_fields:
        row.update(export_fields(result.metadata))
    return {key: _defuse(value) for key, value in row.items()}


def write_csv(
    path: Path, results: Iterable[ScreenResult], labels: list[str], include_patient_fields: bool = False
) -> None:
    """Write all ``results`` to ``path`` atomically (temporary file in the same folder, then rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding=ENCODING, newline="") as stream:
            writer = csv.DictWriter(stream, fieldnames=csv_columns(labels, include_patient_fields))
            writer.writeheader()
            for result in results:
                writer.writerow(csv_row(result, labels, include_patient_fields))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _defuse(value: str) -> str:
    """Quote text a spreadsheet would run as a formula (a DICOM name like ``=HYPERLINK(…)``)."""
    return f"'{value}" if value.startswith(_FORMULA_PREFIXES) else value
