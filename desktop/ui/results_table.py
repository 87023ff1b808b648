"""The results pane: the filter bar over the table (or over the drop hint while there is no result).

The table shows what a nurse decides on within the window; the rest is one click away.

The decision columns (file, patient, prediction, confidence, needs review, quality, status with
its reason) are always shown and sized from their headers, so that a 1280×800 screen shows them
all without scrolling sideways; the status column takes what is left. The per-label probabilities
(drawn as bars in the details panel) and the model column are optional: hidden by default, shown
from the header's context menu or *View → Columns*. File names elide at the left, keeping their
end, which is the part that tells films apart.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMenu,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.result_list import ResultList
from desktop.ui.filter_bar import FilterBar
from desktop.ui.pages import DropHint
from desktop.ui.results_model import ResultsFilterProxy, ResultsTableModel

#: Room, in average characters, that a column's content needs when its header is narrower (file
#: names are long; the other columns read well at their header's width). The status column stretches.
CONTENT_CHARS = {ResultsTableModel.FILE: 22, ResultsTableModel.PATIENT: 12, ResultsTableModel.PREDICTION: 13}


class ElideLeftDelegate(QStyledItemDelegate):
    """Cut text at its start: ``…0003-0001.jpeg`` rather than ``kermany-test-nor…``."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex) -> None:  # noqa: N802 (Qt API)
        super().initStyleOption(option, index)
        option.textElideMode = Qt.TextElideMode.ElideLeft


class ResultsTable(QTableView):
    """A table over a `ResultsFilterProxy` of a `ResultsTableModel`."""

    def __init__(self, proxy: ResultsFilterProxy, results: ResultsTableModel) -> None:
        super().__init__()
        self._results = results
        #: Titles of the optional columns the user chose to see; kept when a model change resets the table.
        self._shown_optional: set[str] = set()
        self.setModel(proxy)
        self.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # arrival order
        self.setSortingEnabled(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.verticalHeader().hide()
        self.setWordWrap(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.setItemDelegateForColumn(ResultsTableModel.FILE, ElideLeftDelegate(self))
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        proxy.modelReset.connect(self.lay_out_columns)
        self.lay_out_columns()

    def lay_out_columns(self) -> None:
        """Decision columns at their width, optional ones hidden unless asked for (after every reset:
        Qt forgets widths and hidden columns when the label columns change)."""
        header = self.horizontalHeader()
        average = self.fontMetrics().averageCharWidth()
        for column in range(self._results.columnCount()):
            header.setSectionHidden(column, False)  # a hidden section has no size hint
            self.setColumnWidth(column, max(header.sectionSizeHint(column), CONTENT_CHARS.get(column, 0) * average))
        for column in self._results.optional_columns:
            self.setColumnHidden(column, self._title(column) not in self._shown_optional)

    def fill_columns_menu(self, menu: QMenu) -> None:
        """One checkable entry per optional column (the header's context menu and View → Columns)."""
        menu.clear()
        for column in self._results.optional_columns:
            action = menu.addAction(self._title(column))
            action.setCheckable(True)
            action.setChecked(not self.isColumnHidden(column))
            action.toggled.connect(lambda shown, column=column: self.set_optional_column_shown(column, shown))

    def set_optional_column_shown(self, column: int, shown: bool) -> None:
        (self._shown_optional.add if shown else self._shown_optional.discard)(self._title(column))
        self.setColumnHidden(column, not shown)

    def _title(self, column: int) -> str:
        return str(self._results.headerData(column, Qt.Orientation.Horizontal))

    def _header_menu(self, position: QPoint) -> None:
        menu = QMenu(self)
        self.fill_columns_menu(menu)
        menu.exec(self.horizontalHeader().mapToGlobal(position))


class ResultsPane(QWidget):
    """`FilterBar` above the `ResultsTable`; a `DropHint` in the table's place while there are no rows."""

    def __init__(self, proxy: ResultsFilterProxy, model: ResultsTableModel, results: ResultList) -> None:
        super().__init__()
        self.table = ResultsTable(proxy, model)
        self.filter_bar = FilterBar(proxy)
        self.stack = QStackedWidget()
        self.stack.addWidget(DropHint())
        self.stack.addWidget(self.table)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.stack, 1)
        results.events.connect(inserted=lambda _row: self.stack.setCurrentWidget(self.table),
                               reset=lambda: self.stack.setCurrentIndex(0))
