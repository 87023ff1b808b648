"""The results table's data: a QAbstractTableModel over the workspace's `ResultList`, plus a filter proxy.

Rows stream in one at a time from the screening worker into the list; this model only brackets
each change for Qt and says how a result reads in each column. The label columns are every routed
model's labels; a row fills those of the model named in its *Model* column. Sorting uses raw values
(`SORT_ROLE`), so probabilities sort as numbers, not as text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from desktop.reasons import Explanation, explain
from desktop.screening.film_metadata import patient_summary
from desktop.screening.results import (
    STATUS_ERROR, STATUS_NOT_VALIDATED, STATUS_OK, STATUS_REJECTED, ScreenResult, confidence_text,
    probability_text,
)
from desktop.result_list import ResultList

SORT_ROLE = Qt.ItemDataRole.UserRole
RESULT_ROLE = Qt.ItemDataRole.UserRole + 1

FLAGGED_BACKGROUND = QColor(255, 224, 178)
ERROR_FOREGROUND = QColor(176, 0, 32)
REJECTED_FOREGROUND = QColor(150, 90, 0)

_Index = QModelIndex | QPersistentModelIndex


def status_text(status: str) -> str:
    """The status as shown to a person (translated)."""
    return {STATUS_OK: QCoreApplication.translate("ResultsTableModel", "OK"),
            STATUS_NOT_VALIDATED: QCoreApplication.translate("ResultsTableModel", "Not validated"),
            STATUS_REJECTED: QCoreApplication.translate("ResultsTableModel", "Rejected"),
            STATUS_ERROR: QCoreApplication.translate("ResultsTableModel", "Error")}.get(status, status)


def not_validated_text() -> str:
    """`cxrcore.safety.population.NOT_VALIDATED` in the window's language (its literal is what lupdate reads;
    tests/desktop/test_translations.py checks that the two agree)."""
    return QCoreApplication.translate("safety", "Not validated for this film — read it yourself")


def shown_prediction_text(result: ScreenResult) -> str:
    """`ScreenResult.shown_prediction` in the window's language (a model's label is data: never translated)."""
    return not_validated_text() if result.status == STATUS_NOT_VALIDATED else result.prediction


def explanation(result: ScreenResult) -> Explanation:
    """The result's reason and warnings in the window's language, the engine's English as details
    (`desktop.reasons`)."""
    return explain(result, QCoreApplication.translate)


def review_text(result: ScreenResult) -> str:
    """The "Needs review" cell: the model's flag, and a warning mark when the result carries warnings."""
    parts = [QCoreApplication.translate("ResultsTableModel", "Needs review")] if result.flagged else []
    if result.warnings:
        parts.append(QCoreApplication.translate("ResultsTableModel", "⚠ warning"))
    return " · ".join(parts)


def status_reason_text(result: ScreenResult) -> str:
    """The status with its reason, so that an error or refusal says why in the table itself."""
    reason = explanation(result).text
    if not reason:
        return status_text(result.status)
    return QCoreApplication.translate("ResultsTableModel", "{status}: {reason}").format(
        status=status_text(result.status), reason=reason)


def reason_tooltip(result: ScreenResult) -> str:
    """The reason and warnings one per line, then the engine's English details; empty when there are none."""
    shown = explanation(result)
    return "\n\n".join(part for part in ("\n".join(shown.sentences), shown.details) if part)


class ResultsTableModel(QAbstractTableModel):
    """Columns: file, patient/study, prediction, confidence, one per label, then the `TRAILING` ones:
    needs review, quality, model (the one that scored the film), status with its reason."""

    FILE, PATIENT, PREDICTION, CONFIDENCE = range(4)
    #: The columns after the label columns, in order (`column_of` gives their index).
    REVIEW, QUALITY, MODEL, STATUS = TRAILING = ("review", "quality", "model", "status")

    def __init__(self, results: ResultList, parent: Any = None) -> None:
        super().__init__(parent)
        self._results = results
        results.events.connect(
            inserting=lambda row: self.beginInsertRows(QModelIndex(), row, row),
            inserted=lambda _row: self.endInsertRows(),
            replaced=lambda row: self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1)),
            resetting=self.beginResetModel, reset=self.endResetModel)

    # --- content -------------------------------------------------------------------------
    @property
    def labels(self) -> list[str]:
        return self._results.labels

    def results(self) -> list[ScreenResult]:
        return list(self._results)

    def result_at(self, row: int) -> ScreenResult:
        return self._results[row]

    # --- columns -------------------------------------------------------------------------
    def column_of(self, name: str) -> int:
        """The index of one of the `TRAILING` columns (they move with the number of labels)."""
        return 4 + len(self.labels) + self.TRAILING.index(name)

    @property
    def label_columns(self) -> range:
        return range(4, 4 + len(self.labels))

    @property
    def decision_columns(self) -> list[int]:
        """What a nurse decides on: always shown, and sized so they fit a 1280-pixel-wide window."""
        return [self.FILE, self.PATIENT, self.PREDICTION, self.CONFIDENCE,
                *(self.column_of(name) for name in (self.REVIEW, self.QUALITY, self.STATUS))]

    @property
    def optional_columns(self) -> list[int]:
        """Shown on request: the per-label probabilities (the details panel has them as bars) and the model."""
        return [*self.label_columns, self.column_of(self.MODEL)]

    def _column_titles(self) -> list[str]:
        return [
            self.tr("File"), self.tr("Patient"), self.tr("Prediction"), self.tr("Confidence"),
            *(self.tr("P({label})").format(label=label) for label in self.labels),
            self.tr("Needs review"), self.tr("Quality"), self.tr("Model"), self.tr("Status / reason"),
        ]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else len(self._results)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else 4 + len(self.labels) + len(self.TRAILING)

    def headerData(  # noqa: N802 (Qt API)
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._column_titles()[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return {self.PATIENT: self.tr("Patient ID · name · study date (DICOM files)"),
                    self.column_of(self.STATUS): self.tr("Why a film has no result, or what to keep in mind")
                    }.get(section, self.tr("Right-click to choose the columns shown"))
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        result = self._results[index.row()]
        column = index.column()
        if role == RESULT_ROLE:
            return result
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(result, column)
        if role == SORT_ROLE:
            return self._sort_value(result, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return result.path if column == self.FILE else (reason_tooltip(result) or None)
        if role == Qt.ItemDataRole.BackgroundRole and result.flagged:
            return QBrush(FLAGGED_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole and result.status != STATUS_OK:
            return QBrush(ERROR_FOREGROUND if result.status == STATUS_ERROR else REJECTED_FOREGROUND)
        if role == Qt.ItemDataRole.TextAlignmentRole and self.CONFIDENCE <= column < self.column_of(self.REVIEW):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _trailing(self, column: int) -> str | None:
        """Which `TRAILING` column ``column`` is (None for the leading and label columns)."""
        offset = column - self.column_of(self.REVIEW)
        return self.TRAILING[offset] if offset >= 0 else None

    def _display(self, result: ScreenResult, column: int) -> str:
        if column == self.FILE:
            return Path(result.path).name
        if column == self.PATIENT:
            return patient_summary(result.metadata)
        if column == self.PREDICTION:  # say refusals and warnings here too: it is the column read first
            if result.status == STATUS_NOT_VALIDATED:
                return not_validated_text()
            if result.status != STATUS_OK:
                return status_text(result.status)
            return f"{result.prediction} ⚠" if result.warnings else result.prediction
        if column == self.CONFIDENCE:
            return "" if result.confidence is None else confidence_text(result.confidence)
        if column in self.label_columns:
            value = result.probabilities.get(self.labels[column - 4])
            return "" if value is None else probability_text(value)
        trailing = self._trailing(column)
        if trailing == self.REVIEW:
            return review_text(result)
        if trailing == self.QUALITY:
            return "" if result.quality is None else f"{result.quality:.0f}"
        if trailing == self.MODEL:
            return result.model.label if result.model else ""
        return status_reason_text(result)

    def _sort_value(self, result: ScreenResult, column: int) -> Any:
        if column == self.CONFIDENCE:
            return -1.0 if result.confidence is None else result.confidence
        if column in self.label_columns:
            return result.probabilities.get(self.labels[column - 4], -1.0)
        trailing = self._trailing(column)
        if trailing == self.REVIEW:
            return 2 * bool(result.flagged) + bool(result.warnings)
        if trailing == self.QUALITY:
            return -1.0 if result.quality is None else result.quality
        return self._display(result, column).casefold()


class ResultsFilterProxy(QSortFilterProxyModel):
    """Filter by free text (file, patient, prediction, reason), "flagged only" and status."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._flagged_only = False
        self._status: str | None = None
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._text = text.strip().casefold()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_flagged_only(self, flagged_only: bool) -> None:
        self.beginFilterChange()
        self._flagged_only = flagged_only
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_status(self, status: str | None) -> None:
        """``None`` shows every status."""
        self.beginFilterChange()
        self._status = status
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:  # noqa: N802 (Qt API)
        model = self.sourceModel()
        result: ScreenResult = model.data(model.index(source_row, 0, source_parent), RESULT_ROLE)
        if self._flagged_only and not result.flagged:
            return False
        if self._status is not None and result.status != self._status:
            return False
        if self._text:
            haystack = " ".join((result.path, patient_summary(result.metadata), result.prediction,
                                 reason_tooltip(result)))
            return self._text in haystack.casefold()
        return True
