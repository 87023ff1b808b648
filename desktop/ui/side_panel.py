"""The window's right side: the film viewer above the tabs (the selected result, the cards of the
models in use, the model and runtime choices)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSplitter, QTabWidget

from desktop.ui.details import ModelCardView, ResultDetails
from desktop.ui.model_panel import ModelPanel
from desktop.ui.viewer import ViewerPanel


class SidePanel(QSplitter):
    def __init__(self) -> None:
        super().__init__(Qt.Orientation.Vertical)
        self.viewer = ViewerPanel()
        self.details = ResultDetails()
        self.card_view = ModelCardView()
        self.model_panel = ModelPanel()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.details, self.tr("Result"))
        self.tabs.addTab(self.card_view, self.tr("Model card"))
        self.tabs.addTab(self.model_panel, self.tr("Model && runtime"))
        self.addWidget(self.viewer)
        self.addWidget(self.tabs)
        self.setStretchFactor(0, 3)
        self.setStretchFactor(1, 2)
