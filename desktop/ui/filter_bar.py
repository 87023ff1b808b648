"""Text, "flagged only" and status filters above the results table, driving `ResultsFilterProxy`."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from desktop.screening.results import STATUSES
from desktop.ui.results_model import ResultsFilterProxy, status_text


class FilterBar(QWidget):
    def __init__(self, proxy: ResultsFilterProxy, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._proxy = proxy
        self.text = QLineEdit()
        self.text.setPlaceholderText(self.tr("Filter by file, patient, prediction or reason…"))
        self.text.setClearButtonEnabled(True)
        self.flagged_only = QCheckBox(self.tr("Needs review only"))
        self.status = QComboBox()
        self.status.addItem(self.tr("All statuses"), None)
        for status in STATUSES:
            self.status.addItem(status_text(status), status)
        self.count = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.flagged_only)
        layout.addWidget(self.status)
        layout.addWidget(self.count)
        self.text.textChanged.connect(proxy.set_text)
        self.flagged_only.toggled.connect(proxy.set_flagged_only)
        self.status.currentIndexChanged.connect(lambda _: proxy.set_status(self.status.currentData()))
        for signal in (proxy.rowsInserted, proxy.rowsRemoved, proxy.modelReset, proxy.layoutChanged):
            signal.connect(self.update_count)
        self.update_count()

    def update_count(self) -> None:
        self.count.setText(self.tr("{shown} of {total} shown").format(
            shown=self._proxy.rowCount(), total=self._proxy.sourceModel().rowCount() if self._proxy.sourceModel() else 0))
