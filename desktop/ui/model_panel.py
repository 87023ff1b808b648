"""The "Model & runtime" panel: choose the model (automatic by population, the default, or one
forced), build, accelerator and threads; see what runs.

Shows the models films are routed to with the population each was validated on, the runtime
actually in use (`Classifier.description`) and, when it is not the first choice, the fallback notes
(e.g. no GPU), plus every bundle that was refused and why.
"""

from __future__ import annotations

import html
import os

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cxrcore.runtime import ACCELERATORS

from desktop.screening.catalog import Catalog
from desktop.screening.routing import AUTOMATIC, Selection, SelectionError, select


class ModelPanel(QWidget):
    """Emits `selectionChanged` when the model, build, accelerator or thread count is changed."""

    selectionChanged = Signal()
    rescanRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._catalog: Catalog | None = None
        self.model_box = QComboBox()
        self.build_box = QComboBox()
        self.accelerator_box = QComboBox()
        for accelerator in ACCELERATORS:
            self.accelerator_box.addItem(
                {"auto": self.tr("Automatic (GPU if available)"), "gpu": self.tr("GPU (fall back to CPU)"),
                 "cpu": self.tr("CPU only")}[accelerator], accelerator)
        self.threads_box = QSpinBox()
        self.threads_box.setRange(1, max(1, os.cpu_count() or 1))
        self.runtime_label = QLabel(self.tr("not loaded"))
        self.runtime_label.setWordWrap(True)
        self.notes_label = QLabel()
        self.notes_label.setWordWrap(True)
        self.invalid_label = QLabel()
        self.invalid_label.setWordWrap(True)
        self.folders_label = QLabel()
        self.folders_label.setWordWrap(True)
        self.routes_label = QLabel()
        self.routes_label.setWordWrap(True)
        rescan = QPushButton(self.tr("Look for models again"))
        form = QFormLayout()
        form.addRow(self.tr("Model"), self.model_box)
        form.addRow(self.tr("Films go to"), self.routes_label)
        form.addRow(self.tr("Build"), self.build_box)
        form.addRow(self.tr("Accelerator"), self.accelerator_box)
        form.addRow(self.tr("Threads"), self.threads_box)
        form.addRow(self.tr("Runtime"), self.runtime_label)
        form.addRow(self.tr("Notes"), self.notes_label)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.invalid_label)
        layout.addWidget(self.folders_label)
        layout.addWidget(rescan)
        layout.addStretch(1)
        self.model_box.currentIndexChanged.connect(self._model_changed)
        self.build_box.currentIndexChanged.connect(self._build_changed)
        self.accelerator_box.currentIndexChanged.connect(lambda _: self.selectionChanged.emit())
        self.threads_box.valueChanged.connect(lambda _: self.selectionChanged.emit())
        rescan.clicked.connect(self.rescanRequested)

    # --- state in ------------------------------------------------------------------------
    def set_catalog(self, catalog: Catalog, preferred_model: str, preferred_build: str,
                    accelerator: str, threads: int) -> None:
        """Fill the choices without emitting `selectionChanged` (the window acts once, after)."""
        self._catalog = catalog
        self.blockSignals(True)
        self.model_box.clear()
        if catalog.routable():
            self.model_box.addItem(self.tr("Automatic (by population)"), AUTOMATIC)
        for bundle in catalog.valid:
            self.model_box.addItem(f"{bundle.name} {bundle.version}", bundle.name)
        index = self.model_box.findData(preferred_model or AUTOMATIC)
        self.model_box.setCurrentIndex(index if index >= 0 else 0)  # automatic if offered, else the first
        self._fill_builds(preferred_build)
        self.accelerator_box.setCurrentIndex(max(0, self.accelerator_box.findData(accelerator)))
        self.threads_box.setValue(threads)
        self.blockSignals(False)
        self.invalid_label.setText("".join(
            self.tr("<p style='color:#b00020'><b>Refused</b> {folder}: {error}</p>").format(
                folder=html.escape(str(item.directory)), error=html.escape(item.error))
            for item in catalog.invalid))
        self.folders_label.setText(self.tr("Model folders searched: {folders}").format(
            folders=", ".join(str(folder) for folder in catalog.searched)))

    def set_runtime(self, description: str, notes: list[str]) -> None:
        self.runtime_label.setText(description)
        self.notes_label.setText("\n".join(notes) if notes else self.tr("none"))

    # --- state out -----------------------------------------------------------------------
    @property
    def selection(self) -> Selection | None:
        """The models chosen (all routable ones, or the one forced at its build); None when none is."""
        name = self.model_box.currentData()
        if self._catalog is None or name is None:
            return None
        try:
            return select(self._catalog, name, self.build_box.currentData())
        except SelectionError:
            return None

    @property
    def accelerator(self) -> str:
        return str(self.accelerator_box.currentData())

    @property
    def threads(self) -> int:
        return self.threads_box.value()

    def _model_changed(self) -> None:
        self.build_box.blockSignals(True)
        self._fill_builds("")
        self.build_box.blockSignals(False)
        self.selectionChanged.emit()

    def _build_changed(self) -> None:
        self._show_routes()
        self.selectionChanged.emit()

    def _fill_builds(self, preferred: str) -> None:
        """The forced model's usable builds; with automatic routing each model runs its default build."""
        self.build_box.clear()
        name = self.model_box.currentData()
        bundle = None if self._catalog is None or name in (None, AUTOMATIC) else self._catalog.find(name)
        self.build_box.setEnabled(bundle is not None)
        if name == AUTOMATIC:
            self.build_box.addItem(self.tr("each model's default build"), None)
        for build in bundle.usable_builds if bundle is not None else ():
            self.build_box.addItem(build, build)
        index = self.build_box.findData(preferred)
        self.build_box.setCurrentIndex(index if index >= 0 else 0)
        self._show_routes()

    def _show_routes(self) -> None:
        """Which model scores which films, and what happens to a film none is validated for."""
        selection = self.selection
        if selection is None:
            self.routes_label.setText("")
            return
        lines = [self.tr("{name} {version} ({build}): {population}").format(
            name=html.escape(bundle.name), version=html.escape(bundle.version), build=html.escape(build),
            population=html.escape((bundle.population or {}).get("description", self.tr("no stated population"))))
            for bundle, build in selection.models]
        note = (self.tr("Each film goes to the model validated for its population; a film none is validated "
                        "for is shown as not validated and flagged for review.") if selection.automatic else
                self.tr("Every film is scored by this model; films outside its population are shown as not "
                        "validated and flagged for review."))
        self.routes_label.setText("<br>".join(lines) + f"<br><i>{note}</i>")
