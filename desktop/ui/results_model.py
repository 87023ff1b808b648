"""The results table's data: a QAbstractTableModel of `ScreenResult` rows plus a filter proxy.

Rows stream in one at a time from the screening worker; a path screened again (a resumed or
re-run batch) replaces its row instead of adding a second one. The label columns are every routed
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

from desktop.screening.film_metadata import patient_summary
from desktop.screening.results import STATUS_ERROR, STATUS_NOT_VALIDATED, STATUS_OK, STATUS_REJECTED, ScreenResult

SORT_ROLE = Qt.ItemDataRole.UserRole
RESULT_ROLE = Qt.ItemDataRole.UserRole + 1

FLAGGED_BACKGROUND = QColor(255, 224, 178)
ERROR_FOREGROUND = QColor(176, 0, 32)
REJECTED_FOREGROUND = QColor(150, 90, 0)

_Index = QModelIndex | QPersistentModelIndex


def _tr(text: str) -> str:
    return QCoreApplication.translate("ResultsTableModel", text)


def status_text(status: str) -> str:
    """The status as shown to a person (translated)."""
    return {STATUS_OK: _tr("OK"), STATUS_NOT_VALIDATED: _tr("Not validated"), STATUS_REJECTED: _tr("Rejected"),
            STATUS_ERROR: _tr("Error")}.get(status, status)


def review_text(result: ScreenResult) -> str:
    """The "Needs review" cell: the model's flag, and a warning mark when the result carries warnings."""
    parts = [_tr("Needs review")] if result.flagged else []
    if result.warnings:
        parts.append(_tr("⚠ warning"))
    return " · ".join(parts)


def _reason(result: ScreenResult) -> str:
    """Why there is no result, or what to keep in mind about the one there is."""
    return " ".join(part for part in (*result.warnings, result.message) if part)


class ResultsTableModel(QAbstractTableModel):
    """Columns: file, patient/study, prediction, confidence, one per label, needs review, quality, status,
    model (the one that scored the film), reason / warnings."""

    FILE, PATIENT, PREDICTION, CONFIDENCE = range(4)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._labels: list[str] = []
        self._rows: list[ScreenResult] = []
        self._row_of: dict[str, int] = {}

    # --- content -------------------------------------------------------------------------
    @property
    def labels(self) -> list[str]:
        return list(self._labels)

    def reset(self, labels: list[str]) -> None:
        """Drop all rows and set the label columns (a new model means new columns)."""
        self.beginResetModel()
        self._labels = list(labels)
        self._rows.clear()
        self._row_of.clear()
        self.endResetModel()

    def add_result(self, result: ScreenResult) -> None:
        """Append a row, or replace the row of the same path."""
        row = self._row_of.get(result.path)
        if row is not None:
            self._rows[row] = result
            self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
            return
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(result)
        self._row_of[result.path] = row
        self.endInsertRows()

    def results(self) -> list[ScreenResult]:
        return list(self._rows)

    def result_at(self, row: int) -> ScreenResult:
        return self._rows[row]

    # --- columns -------------------------------------------------------------------------
    @property
    def _flag_column(self) -> int:
        return 4 + len(self._labels)

    def _column_titles(self) -> list[str]:
        return [
            _tr("File"), _tr("Patient / study"), _tr("Prediction"), _tr("Confidence"),
            *(_tr("P({label})").format(label=label) for label in self._labels),
            _tr("Needs review"), _tr("Quality"), _tr("Status"), _tr("Model"), _tr("Reason / warnings"),
        ]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else 9 + len(self._labels)

    def headerData(  # noqa: N802 (Qt API)
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._column_titles()[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        result = self._rows[index.row()]
        column = index.column()
        if role == RESULT_ROLE:
            return result
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(result, column)
        if role == SORT_ROLE:
            return self._sort_value(result, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return result.path if column == self.FILE else (_reason(result) or None)
        if role == Qt.ItemDataRole.BackgroundRole and result.flagged:
            return QBrush(FLAGGED_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole and result.status != STATUS_OK:
            return QBrush(ERROR_FOREGROUND if result.status == STATUS_ERROR else REJECTED_FOREGROUND)
        if role == Qt.ItemDataRole.TextAlignmentRole and self.CONFIDENCE <= column < self._flag_column:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, result: ScreenResult, column: int) -> str:
        if column == self.FILE:
            return Path(result.path).name
        if column == self.PATIENT:
            return patient_summary(result.metadata)
        if column == self.PREDICTION:  # the column a narrow window always shows: say refusals and warnings here
            if result.status == STATUS_NOT_VALIDATED:
                return result.shown_prediction
            if result.status != STATUS_OK:
                return status_text(result.status)
            return f"{result.prediction} ⚠" if result.warnings else result.prediction
        if column == self.CONFIDENCE:
            return "" if result.confidence is None else f"{result.confidence:.1%}"
        if column < self._flag_column:
            value = result.probabilities.get(self._labels[column - 4])
            return "" if value is None else f"{value:.3f}"
        if column == self._flag_column:
            return review_text(result)
        if column == self._flag_column + 1:
            return "" if result.quality is None else f"{result.quality:.0f}"
        if column == self._flag_column + 2:
            return status_text(result.status)
        if column == self._flag_column + 3:
            return result.model.label if result.model else ""
        return _reason(result)

    def _sort_value(self, result: ScreenResult, column: int) -> Any:
        if column == self.CONFIDENCE:
            return -1.0 if result.confidence is None else result.confidence
        if self.CONFIDENCE < column < self._flag_column:
            return result.probabilities.get(self._labels[column - 4], -1.0)
        if column == self._flag_column:
            return 2 * bool(result.flagged) + bool(result.warnings)
        if column == self._flag_column + 1:
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
            haystack = " ".join((result.path, patient_summary(result.metadata), result.prediction, _reason(result)))
            return self._text in haystack.casefold()
        return True
