"""The main window: wires the results model, the viewer and panels to the worker threads.

The window itself does no long work. Model discovery and film decoding for the viewer run in
Qt's thread pool (`tasks`); screening, heatmaps and the PDF report run in the two workers
(`workers`), each with its own Classifier. The window keeps only UI state: what is selected,
which heatmaps are cached, whether a job is running.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
from PySide6.QtCore import QItemSelection, QSettings, Qt, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cxrcore.decode import DecodedImage, DecodeError, decode_image

from desktop.screening.batch import BatchSummary
from desktop.screening.catalog import Catalog, ModelIdentity, discover
from desktop.screening.heatmap import Heatmap, overlay_rgba
from desktop.paths import runtime_log_path
from desktop.screening.results import STATUS_NOT_VALIDATED, ScreenResult
from desktop.screening.progress import ProgressClock
from desktop.reports.csv_export import write_csv
from desktop.ui.details import ModelCardView, ResultDetails
from desktop.ui.filter_bar import FilterBar
from desktop.ui.model_panel import ModelPanel
from desktop.ui.pages import DropHint, NoModelPage
from desktop.ui.results_model import RESULT_ROLE, ResultsFilterProxy, ResultsTableModel
from desktop.ui.settings import AppSettings
from desktop.ui.tasks import run_in_pool
from desktop.ui.viewer import OVERLAY_PIXELS, ViewerPanel
from desktop.ui.workers import (
    AnalysisWorker,
    BatchRequest,
    EngineSettings,
    ExportRequest,
    ScreeningWorker,
    start_in_thread,
    stop_thread,
)

log = logging.getLogger(__name__)

IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.dcm *.dicom);;All files (*)"


def batch_key(paths: list[str]) -> str:
    """The same dropped paths (in any order) with the same model resume the same batch."""
    return "gui:" + "\n".join(sorted(str(Path(path).absolute()) for path in paths))


class MainWindow(QMainWindow):
    """Results table, viewer and panels; see the module docstring for the threading."""

    modelsLoaded = Signal(object)  # Catalog
    engineReady = Signal(str)  # runtime description
    batchDone = Signal(object)  # BatchSummary
    exportDone = Signal(str)  # path, or "" when the export failed or was cancelled
    heatmapShown = Signal(str)  # path

    _configureScreening = Signal(object)
    _configureAnalysis = Signal(object)
    _startBatch = Signal(object)
    _requestHeatmap = Signal(str, object)  # path, ModelIdentity of the model that scored it
    _startExport = Signal(object)

    def __init__(self, model_dirs: list[Path], store_path: Path, settings: QSettings) -> None:
        """``model_dirs``: every folder to search for bundles (see `desktop.paths.model_search_dirs`)."""
        super().__init__()
        self.setWindowTitle(self.tr("CXR Screening"))
        self.setAcceptDrops(True)
        self._model_dirs = list(model_dirs)
        self.settings = AppSettings(settings)
        self.catalog: Catalog | None = None
        self._engine: EngineSettings | None = None
        self.runtime_description = ""
        self._job: BatchRequest | ExportRequest | None = None
        self._clock = ProgressClock()
        self._heatmaps: dict[str, Heatmap] = {}
        self._heatmap_pending: set[str] = set()
        self._viewer_path: str | None = None
        self._viewer_pixels: np.ndarray | None = None

        self.results = ResultsTableModel(self)
        self.proxy = ResultsFilterProxy(self)
        self.proxy.setSourceModel(self.results)
        self._start_workers(store_path)
        self._build_ui()
        self._build_menus()
        for signal in (self.results.rowsInserted, self.results.modelReset):
            signal.connect(self._update_actions)
        self._restore_settings()
        self._set_busy(None)
        self.reload_models()

    # ----------------------------------------------------------------------------- setup
    def _start_workers(self, store_path: Path) -> None:
        log_path = runtime_log_path()
        self.screening = ScreeningWorker(store_path, log_path)
        self.analysis = AnalysisWorker(log_path)
        self._screening_thread = start_in_thread(self.screening, "cxr-screening")
        self._analysis_thread = start_in_thread(self.analysis, "cxr-analysis")
        self._configureScreening.connect(self.screening.configure)
        self._configureAnalysis.connect(self.analysis.configure)
        self._startBatch.connect(self.screening.screen)
        self._requestHeatmap.connect(self.analysis.heatmap)
        self._startExport.connect(self.analysis.export_pdf)
        self.screening.engineReady.connect(self._on_engine_ready)
        self.screening.engineFailed.connect(self._on_engine_failed)
        self.screening.scanned.connect(self._on_scanned)
        self.screening.resultReady.connect(self._on_result)
        self.screening.batchFinished.connect(self._on_batch_finished)
        self.screening.batchFailed.connect(self._on_batch_failed)
        self.analysis.heatmapReady.connect(self._on_heatmap_ready)
        self.analysis.heatmapFailed.connect(self._on_heatmap_failed)
        self.analysis.exportProgress.connect(self._on_export_progress)
        self.analysis.exportFinished.connect(self._on_export_finished)
        self.analysis.exportFailed.connect(self._on_export_failed)

    def _build_ui(self) -> None:
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # arrival order
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # keep both the folder-ish start and the suffix
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setDefaultSectionSize(90)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.filter_bar = FilterBar(self.proxy)
        self.table_stack = QStackedWidget()
        self.table_stack.addWidget(DropHint())
        self.table_stack.addWidget(self.table)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(4, 4, 4, 4)
        left_layout.addWidget(self.filter_bar)
        left_layout.addWidget(self.table_stack, 1)

        self.viewer = ViewerPanel()
        self.viewer.heatmapToggled.connect(lambda _: self._update_overlay())
        self.details = ResultDetails()
        self.card_view = ModelCardView()
        self.model_panel = ModelPanel()
        self.model_panel.selectionChanged.connect(self._apply_model_selection)
        self.model_panel.rescanRequested.connect(self.reload_models)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.details, self.tr("Result"))
        self.tabs.addTab(self.card_view, self.tr("Model card"))
        self.tabs.addTab(self.model_panel, self.tr("Model && runtime"))
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.viewer)
        right.addWidget(self.tabs)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

        self.no_model_page = NoModelPage()
        self.no_model_page.rescanRequested.connect(self.reload_models)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.splitter)
        self.pages.addWidget(self.no_model_page)
        self.setCentralWidget(self.pages)

        self.progress = QProgressBar()
        self.progress.setMaximumWidth(260)
        self.progress_label = QLabel()
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.cancel)
        self.model_label = QLabel()
        status = self.statusBar()
        status.addPermanentWidget(self.model_label)
        status.addPermanentWidget(self.progress_label)
        status.addPermanentWidget(self.progress)
        status.addPermanentWidget(self.cancel_button)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.open_files_action = self._action(file_menu, self.tr("Open &files…"), self.open_files,
                                              QKeySequence.StandardKey.Open)
        self.open_folder_action = self._action(file_menu, self.tr("Open f&older…"), self.open_folder, "Ctrl+Shift+O")
        file_menu.addSeparator()
        self.export_csv_action = self._action(file_menu, self.tr("Export &CSV…"), self.export_csv, "Ctrl+E")
        self.export_pdf_action = self._action(file_menu, self.tr("Export &PDF report…"), self.export_pdf,
                                              QKeySequence.StandardKey.Print)
        self.patient_fields_action = QAction(self.tr("Include patient fields in exports"), self)
        self.patient_fields_action.setCheckable(True)
        self.patient_fields_action.setToolTip(self.tr("Patient name, ID, birth date… from DICOM files: identifying data"))
        self.patient_fields_action.toggled.connect(self._patient_fields_toggled)
        file_menu.addAction(self.patient_fields_action)
        file_menu.addSeparator()
        self.clear_action = self._action(file_menu, self.tr("C&lear results"), self.clear_results)
        file_menu.addSeparator()
        self._action(file_menu, self.tr("&Quit"), self.close, QKeySequence.StandardKey.Quit)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        self._action(help_menu, self.tr("&About"), self._about)
        toolbar = self.addToolBar(self.tr("Main"))
        toolbar.setObjectName("main-toolbar")
        for action in (self.open_files_action, self.open_folder_action, self.export_csv_action, self.export_pdf_action):
            toolbar.addAction(action)

    def _action(self, menu, text: str, slot, shortcut=None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def _restore_settings(self) -> None:
        if not self.settings.geometry.isEmpty():
            self.restoreGeometry(self.settings.geometry)
        else:
            self.resize(1400, 900)
        if not self.settings.window_state.isEmpty():
            self.restoreState(self.settings.window_state)
        self.patient_fields_action.setChecked(self.settings.include_patient_fields)

    # ----------------------------------------------------------------------------- models
    @Slot()
    def reload_models(self) -> None:
        """Discover bundles in a pool thread (hashing builds takes a moment on an old laptop)."""
        self.statusBar().showMessage(self.tr("Looking for models…"))
        dirs = list(self._model_dirs)
        run_in_pool(lambda: discover(dirs), self._on_models_discovered, self._on_discovery_failed)

    def _on_models_discovered(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.model_panel.set_catalog(catalog, self.settings.model, self.settings.build,
                                     self.settings.accelerator, self.settings.threads)
        self.no_model_page.show_catalog(catalog)
        self.pages.setCurrentWidget(self.splitter if catalog.valid else self.no_model_page)
        self.statusBar().showMessage(
            self.tr("{count} model(s) available").format(count=len(catalog.valid)) if catalog.valid
            else self.tr("No model installed"), 5000)
        self._apply_model_selection()
        self.modelsLoaded.emit(catalog)

    def _on_discovery_failed(self, error: Exception) -> None:
        self.statusBar().showMessage(self.tr("Could not look for models: {error}").format(error=error))

    @Slot()
    def _apply_model_selection(self) -> None:
        selection = self.model_panel.selection
        if selection is None:
            self._engine = None
            self._show_models(None)
            self._update_actions()
            return
        engine = EngineSettings(selection, self.model_panel.accelerator, self.model_panel.threads)
        if engine == self._engine:
            return
        if self._engine is None or (engine.automatic, engine.identities) != (self._engine.automatic,
                                                                        self._engine.identities):
            self.clear_results()
            self._show_models(engine)
        self._engine = engine
        self.runtime_description = ""
        self.model_label.setText(self.tr("{models} · opening…").format(models=self._models_text(engine)))
        self.settings.model = self.model_panel.model_box.currentData()
        self.settings.build = "" if engine.automatic else engine.identities[0].build
        self.settings.accelerator, self.settings.threads = engine.accelerator, engine.threads
        self._configureScreening.emit(engine)
        self._configureAnalysis.emit(engine)
        self._update_actions()

    def _models_text(self, engine: EngineSettings) -> str:
        names = ", ".join(identity.label for identity in engine.identities)
        return (self.tr("Models (automatic by population): {names}") if engine.automatic
                else self.tr("Model: {names}")).format(names=names)

    def _show_models(self, engine: EngineSettings | None) -> None:
        """New models mean new label columns (every routed model's labels) and new card pages."""
        self.results.reset(engine.selection.labels if engine else [])
        self.table.setColumnWidth(ResultsTableModel.FILE, 240)
        self.table.setColumnWidth(ResultsTableModel.PATIENT, 150)
        self.table.setColumnWidth(ResultsTableModel.PREDICTION, 160)
        self.card_view.show_cards(engine.selection if engine else None)

    def _thresholds(self, result: ScreenResult | None) -> dict[str, float]:
        """The operating thresholds of the model that scored ``result`` (none when no model did)."""
        bundle = self._engine.bundle_of(result.model) if self._engine and result and result.model else None
        return bundle.thresholds if bundle else {}

    def _on_engine_ready(self, description: str, notes: list[str]) -> None:
        if self._engine is None:
            return
        self.runtime_description = description
        text = self.tr("{models} · {runtime}").format(models=self._models_text(self._engine), runtime=description)
        if self._engine.accelerator == "gpu" and "GPU" not in description:
            text += self.tr(" · GPU unavailable, running on CPU")
        self.model_label.setText(text)
        self.model_label.setToolTip("\n".join(notes))
        self.model_panel.set_runtime(description, notes)
        self.engineReady.emit(description)

    def _on_engine_failed(self, error: str) -> None:
        self.model_label.setText(self.tr("Model could not be opened"))
        self.model_panel.set_runtime(self.tr("failed"), [error])
        self.statusBar().showMessage(self.tr("The model could not be opened: {error}").format(error=error))

    # ----------------------------------------------------------------------------- input
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt API)
        if event.mimeData().hasUrls() and any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt API)
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths and self.screen_paths(paths):
            event.acceptProposedAction()

    def open_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("Open chest X-ray images"),
                                                self.settings.last_folder, self.tr(IMAGE_FILTER))
        if files:
            self.settings.last_folder = str(Path(files[0]).parent)
            self.screen_paths(files)

    def open_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Open a folder of chest X-ray images"),
                                                  self.settings.last_folder)
        if folder:
            self.settings.last_folder = folder
            self.screen_paths([folder])

    # ----------------------------------------------------------------------------- screening
    @Slot(list)
    def screen_paths(self, paths: list[str]) -> bool:
        """Screen files/folders (drop, dialogs and tests all come here); False if refused now."""
        if self._job is not None:
            self.statusBar().showMessage(self.tr("Busy: wait for the current job or cancel it."), 5000)
            return False
        if self._engine is None:
            self.statusBar().showMessage(self.tr("No model is available: see the Model && runtime tab."), 5000)
            return False
        request = BatchRequest(inputs=tuple(str(path) for path in paths), batch_key=batch_key(paths))
        self._set_busy(request)
        self.progress.setRange(0, 0)
        self.progress_label.setText(self.tr("Looking for images…"))
        self._startBatch.emit(request)
        return True

    @Slot()
    def cancel(self) -> None:
        if self._job is not None:
            self._job.cancel.set()
            self.progress_label.setText(self.tr("Cancelling…"))

    @property
    def busy(self) -> bool:
        return self._job is not None

    def _on_scanned(self, total: int) -> None:
        self._clock.start(total)
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(0)
        self.progress_label.setText(self.tr("{done} / {total}").format(done=0, total=total))

    def _on_result(self, result: ScreenResult, done: int, total: int) -> None:
        self.results.add_result(result)
        self.table_stack.setCurrentWidget(self.table)
        self._clock.advance(timed=not result.resumed)
        self.progress.setValue(done)
        self.progress_label.setText(self._progress_text(done, total, self._clock.remaining_seconds()))

    def _progress_text(self, done: int, total: int, remaining: float | None) -> str:
        count = self.tr("{done} / {total}").format(done=done, total=total)
        if remaining is None or done >= total:
            return count
        if remaining < 60:
            return self.tr("{count} · less than a minute left").format(count=count)
        return self.tr("{count} · about {minutes} min left").format(count=count, minutes=round(remaining / 60))

    def _on_batch_finished(self, summary: BatchSummary) -> None:
        self._set_busy(None)
        counts = summary.status_counts
        text = self.tr("{verb}: {done} of {total} file(s) · {flagged} need review ({not_validated} not validated) · "
                       "{errors} error(s), {rejected} rejected · {resumed} resumed from earlier").format(
            verb=self.tr("Cancelled") if summary.cancelled else self.tr("Done"), done=len(summary.results),
            total=summary.total, flagged=summary.flagged, not_validated=counts[STATUS_NOT_VALIDATED],
            errors=counts["error"], rejected=counts["rejected"], resumed=summary.resumed)
        self.progress_label.setText(text)
        if summary.total == 0:
            self.statusBar().showMessage(self.tr("No image files found there."), 8000)
        self.batchDone.emit(summary)

    def _on_batch_failed(self, message: str) -> None:
        self._set_busy(None)
        self.progress_label.setText(self.tr("Screening stopped"))
        QMessageBox.critical(self, self.tr("Screening stopped"), message)

    def clear_results(self) -> None:
        if self._job is None:
            self.results.reset(self.results.labels)
            self._heatmaps.clear()
            self._heatmap_pending.clear()
            self.table_stack.setCurrentIndex(0)
            self._show_selected(None)
            self._update_actions()

    # ----------------------------------------------------------------------------- selection
    def selected_result(self) -> ScreenResult | None:
        rows = self.table.selectionModel().selectedRows()
        return self.proxy.data(rows[0], RESULT_ROLE) if rows else None

    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show_selected(self.selected_result())

    def _show_selected(self, result: ScreenResult | None) -> None:
        self.details.show_result(result, self._thresholds(result))
        self._viewer_path = None if result is None else result.path
        self._viewer_pixels = None
        if result is None:
            self.viewer.show_message(self.tr("Select a row to view the film."))
            return
        self.viewer.show_message(self.tr("Loading {name}…").format(name=Path(result.path).name))
        path = result.path
        run_in_pool(lambda: (path, decode_image(path)), self._on_film_decoded, self._on_film_failed)

    def _on_film_decoded(self, loaded: tuple[str, DecodedImage]) -> None:
        path, decoded = loaded
        if path != self._viewer_path:
            return  # the selection moved on while this film was decoding
        self._viewer_pixels = decoded.pixels
        caption = self.tr("{name} · {width}×{height} · {format}, {bits} bit").format(
            name=Path(path).name, width=decoded.width, height=decoded.height,
            format=decoded.source_format, bits=decoded.bits_stored)
        self.viewer.show_film(decoded.pixels, caption)
        self._update_overlay()

    def _on_film_failed(self, error: Exception) -> None:
        if isinstance(error, DecodeError) and error.path != self._viewer_path:
            return
        detail = error.detail if isinstance(error, DecodeError) else str(error)
        self.viewer.show_message(self.tr("Cannot show this file: {reason}").format(reason=detail))

    # ----------------------------------------------------------------------------- heatmaps
    def _update_overlay(self) -> None:
        result = self.selected_result()
        wanted = self.viewer.heatmap_box.isChecked() and result is not None and result.scored
        if not wanted or self._viewer_pixels is None or result.path != self._viewer_path:
            self.viewer.set_overlay(None)
            if wanted and result.path not in self._heatmaps:
                self._request_heatmap(result)
            return
        heatmap = self._heatmaps.get(result.path)
        if heatmap is None:
            self._request_heatmap(result)
            self.viewer.set_overlay(None)
            return
        height, width = self._viewer_pixels.shape
        scale = min(1.0, OVERLAY_PIXELS / max(height, width))
        self.viewer.set_overlay(overlay_rgba(heatmap, max(1, round(height * scale)), max(1, round(width * scale))))
        self.heatmapShown.emit(result.path)

    def _request_heatmap(self, result: ScreenResult) -> None:
        """Ask the analysis worker for a heatmap by the model that scored ``result``."""
        if result.path not in self._heatmap_pending:
            self._heatmap_pending.add(result.path)
            self.statusBar().showMessage(self.tr("Computing heatmap…"))
            self._requestHeatmap.emit(result.path, result.model)

    def _on_heatmap_ready(self, path: str, heatmap: Heatmap, model: ModelIdentity) -> None:
        self._heatmap_pending.discard(path)
        if self._engine is None or model not in self._engine.identities:
            return  # computed by the previous model, before the worker saw the change
        self._heatmaps[path] = heatmap
        self.statusBar().clearMessage()
        if path == self._viewer_path:
            self._update_overlay()

    def _on_heatmap_failed(self, path: str, reason: str) -> None:
        self._heatmap_pending.discard(path)
        self.statusBar().showMessage(self.tr("Heatmap failed for {name}: {reason}").format(
            name=Path(path).name, reason=reason), 8000)

    def cached_heatmap(self, path: str) -> Heatmap | None:
        return self._heatmaps.get(path)

    # ----------------------------------------------------------------------------- export
    def _patient_fields_toggled(self, checked: bool) -> None:
        self.settings.include_patient_fields = checked

    def export_csv(self, path: Path | None = None) -> bool:
        """Write the table (all rows, not only the filtered ones) as CSV; asks for a file if not given."""
        path = path or self._ask_save_path(self.tr("Export results as CSV"), "results.csv", self.tr("CSV files (*.csv)"))
        if path is None:
            return False
        try:
            write_csv(path, self.results.results(), self.results.labels, self.patient_fields_action.isChecked())
        except OSError as error:
            QMessageBox.critical(self, self.tr("Export failed"), self.tr("Cannot write {path}: {reason}").format(
                path=path, reason=error.strerror or error))
            return False
        self.statusBar().showMessage(self.tr("Saved {path}").format(path=path), 8000)
        return True

    def export_pdf(self, path: Path | None = None) -> bool:
        """Write the PDF report in the analysis worker (heatmaps computed there as needed)."""
        if self._job is not None or self._engine is None or not self.results.rowCount():
            return False
        path = path or self._ask_save_path(self.tr("Export PDF report"), "screening-report.pdf",
                                           self.tr("PDF files (*.pdf)"))
        if path is None:
            return False
        from desktop.reports.pdf_report import ReportContent, ReportModel  # reportlab loads only when a report is made

        models = [ReportModel(identity, bundle.thresholds)
                  for identity, (bundle, _) in zip(self._engine.identities, self._engine.selection.models)]
        content = ReportContent(
            results=self.results.results(), models=models, automatic=self._engine.automatic,
            runtime=self.runtime_description, heatmaps=dict(self._heatmaps),
            include_patient_fields=self.patient_fields_action.isChecked(),
        )
        request = ExportRequest(path=Path(path), content=content)
        self._set_busy(request)
        self.progress.setRange(0, 0)
        self.progress_label.setText(self.tr("Writing the report…"))
        self._startExport.emit(request)
        return True

    def _ask_save_path(self, title: str, name: str, file_filter: str) -> Path | None:
        start = str(Path(self.settings.last_folder or Path.home()) / name)
        chosen, _ = QFileDialog.getSaveFileName(self, title, start, file_filter)
        if not chosen:
            return None
        self.settings.last_folder = str(Path(chosen).parent)
        return Path(chosen)

    def _on_export_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.progress_label.setText(self.tr("Writing the report… {done} / {total}").format(done=done, total=total))

    def _on_export_finished(self, path: str) -> None:
        self._set_busy(None)
        self.progress_label.setText(self.tr("Saved {path}").format(path=path))
        self.exportDone.emit(path)

    def _on_export_failed(self, message: str) -> None:
        self._set_busy(None)
        self.progress_label.setText(message)
        self.exportDone.emit("")

    # ----------------------------------------------------------------------------- state
    def _set_busy(self, job: BatchRequest | ExportRequest | None) -> None:
        self._job = job
        self.progress.setVisible(job is not None)
        self.cancel_button.setVisible(job is not None)
        self.model_panel.setEnabled(job is None)
        self._update_actions()

    def _update_actions(self) -> None:
        idle, ready = self._job is None, self._engine is not None
        has_rows = self.results.rowCount() > 0
        for action in (self.open_files_action, self.open_folder_action):
            action.setEnabled(idle and ready)
        self.export_csv_action.setEnabled(idle and has_rows)
        self.export_pdf_action.setEnabled(idle and ready and has_rows)
        self.clear_action.setEnabled(idle and has_rows)

    def _about(self) -> None:
        QMessageBox.about(self, self.tr("About CXR Screening"), self.tr(
            "<p><b>CXR Screening</b> flags chest X-rays that need a clinician's review. It works "
            "offline; images never leave this computer.</p><p>A result supports and does not replace "
            "a clinician's reading.</p>"))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        self.cancel()
        self.settings.geometry = self.saveGeometry()
        self.settings.window_state = self.saveState()
        self.settings.sync()
        stop_thread(self.screening, self._screening_thread)
        stop_thread(self.analysis, self._analysis_thread)
        super().closeEvent(event)
