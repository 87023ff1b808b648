"""The main window: builds the views and wires them to the `Workspace`, which holds the app's state.

The window keeps no state of its own beyond its widgets. The workspace (Qt-free) knows the models in
use, the job, the results, the selection and the heatmaps; the views subscribe to its events
(`status_area`, `film_presenter`, the table's model); `bridge` carries its requests to the worker
threads and their answers back. Model discovery and film decoding run in Qt's thread pool
(`tasks`), screening, heatmaps and the exports in the two workers (`workers`, `analysis`); films
received from an X-ray unit or found in a watched folder come in through `clinic`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QShowEvent
from PySide6.QtWidgets import QMainWindow, QMessageBox, QSplitter, QStackedWidget

from desktop.jobs import EngineSettings
from desktop.screening.catalog import Catalog, discover
from desktop.screening.heatmap import Heatmap
from desktop.screening.results import ScreenResult
from desktop.ui import clinic_dialog, dialogs
from desktop.ui.actions import WindowActions
from desktop.ui.bridge import WorkerBridge
from desktop.ui.clinic import ClinicInputs
from desktop.ui.film_presenter import FilmPresenter
from desktop.ui.pages import NoModelPage
from desktop.ui.results_model import RESULT_ROLE, ResultsFilterProxy, ResultsTableModel
from desktop.ui.results_table import ResultsPane
from desktop.ui.settings import AppSettings
from desktop.ui.side_panel import SidePanel
from desktop.ui.status_area import LONG_MS, StatusArea
from desktop.ui.tasks import run_in_pool
from desktop.workspace import ENGINE, EXPORT, TASK, Failure, JobRefused, Workspace


#: How the window's width is shared at start: the table takes what its decision columns need at 1280 pixels.
TABLE_VIEWER_SHARE = [65, 35]


class MainWindow(QMainWindow):
    """Results table, viewer and panels; see the module docstring."""

    modelsLoaded = Signal(object)  # Catalog
    engineReady = Signal(str)  # runtime description
    batchDone = Signal(object)  # BatchSummary
    exportDone = Signal(str)  # path, or "" when the export failed or was cancelled
    heatmapShown = Signal(str)  # path

    def __init__(self, model_dirs: list[Path], store_path: Path, settings: QSettings) -> None:
        """``model_dirs``: every folder to search for bundles (see `desktop.paths.model_search_dirs`)."""
        super().__init__()
        self.setWindowTitle(self.tr("CXR Screening"))
        self.setAcceptDrops(True)
        self._model_dirs = list(model_dirs)
        self._store_path = store_path
        self._shared_width = False
        self.settings = AppSettings(settings)
        self.workspace = Workspace()
        self.workspace.set_heatmap_for_flagged(self.settings.heatmap_for_flagged)
        self.results = ResultsTableModel(self.workspace.results, self)
        self.proxy = ResultsFilterProxy(self)
        self.proxy.setSourceModel(self.results)
        self.bridge = WorkerBridge(self.workspace, store_path, self)
        self.clinic = ClinicInputs(self.workspace, self.settings, self)
        self._build_views()
        self.menu_actions = WindowActions(self)
        self.job_status = StatusArea(self.workspace, self.statusBar(), self)
        self.presenter = FilmPresenter(self.workspace, self.viewer, self.details, self)
        self._connect_workspace()
        self._restore_geometry()
        self.reload_models()
        self.clinic.restore()

    # ----------------------------------------------------------------------------- views
    def _build_views(self) -> None:
        pane = ResultsPane(self.proxy, self.results, self.workspace.results)
        self.table, self.filter_bar = pane.table, pane.filter_bar
        self.table.selectionModel().selectionChanged.connect(lambda *_: self.workspace.select(self._table_selection()))
        side = SidePanel()
        self.viewer, self.details, self.card_view = side.viewer, side.details, side.card_view
        self.model_panel = side.model_panel
        self.model_panel.selectionChanged.connect(self._apply_model_selection)
        self.model_panel.rescanRequested.connect(self.reload_models)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(pane)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

        self.no_model_page = NoModelPage()
        self.no_model_page.rescanRequested.connect(self.reload_models)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.splitter)
        self.pages.addWidget(self.no_model_page)
        self.setCentralWidget(self.pages)

    def _connect_workspace(self) -> None:
        self.workspace.events.connect(
            catalog_changed=self._show_catalog, engine_changed=self._show_engine, runtime_changed=self._show_runtime,
            job_changed=self._job_changed, batch_finished=self.batchDone.emit, export_finished=self.exportDone.emit,
            failed=self._failed)
        self.workspace.results.events.connect(inserted=self._update_actions, reset=self._update_actions)
        self.presenter.heatmapShown.connect(self.heatmapShown)
        self._job_changed()

    def _restore_geometry(self) -> None:
        if not self.settings.geometry.isEmpty():
            self.restoreGeometry(self.settings.geometry)
        else:
            self.resize(1400, 900)
        if not self.settings.window_state.isEmpty():
            self.restoreState(self.settings.window_state)

    # ----------------------------------------------------------------------------- state, as read by callers
    @property
    def catalog(self) -> Catalog | None:
        return self.workspace.catalog

    @property
    def runtime_description(self) -> str:
        return self.workspace.runtime_description

    @property
    def busy(self) -> bool:
        return self.workspace.busy

    def selected_result(self) -> ScreenResult | None:
        return self.workspace.selected

    def cached_heatmap(self, path: str) -> Heatmap | None:
        return self.workspace.heatmap(path)

    def _table_selection(self) -> ScreenResult | None:
        rows = self.table.selectionModel().selectedRows()
        return self.proxy.data(rows[0], RESULT_ROLE) if rows else None

    # ----------------------------------------------------------------------------- models
    @Slot()
    def reload_models(self) -> None:
        """Discover bundles in a pool thread (hashing builds takes a moment on an old laptop)."""
        self.job_status.show_message(self.tr("Looking for models…"), 0)
        dirs = list(self._model_dirs)
        run_in_pool(lambda: discover(dirs), self.workspace.set_catalog, lambda error: self.workspace.report_failure(
            Failure(TASK, self.tr("Could not look for models: {error}").format(error=error), str(error))))

    def _show_catalog(self, catalog: Catalog) -> None:
        self.model_panel.set_catalog(catalog, self.settings.model, self.settings.build,
                                     self.settings.accelerator, self.settings.threads)
        self.no_model_page.show_catalog(catalog)
        self.pages.setCurrentWidget(self.splitter if catalog.valid else self.no_model_page)
        self.job_status.show_message(
            self.tr("{count} model(s) available").format(count=len(catalog.valid)) if catalog.valid
            else self.tr("No model installed"))
        self._apply_model_selection()
        self.modelsLoaded.emit(catalog)

    @Slot()
    def _apply_model_selection(self) -> None:
        panel, selection = self.model_panel, self.model_panel.selection
        engine = None if selection is None else EngineSettings(selection, panel.accelerator, panel.threads)
        if self.workspace.set_engine(engine) and engine is not None:
            self.settings.model = panel.model_box.currentData()
            self.settings.build = "" if engine.automatic else engine.identities[0].build
            self.settings.accelerator, self.settings.threads = engine.accelerator, engine.threads

    def _show_engine(self, engine: EngineSettings | None) -> None:
        self.card_view.show_cards(engine.selection if engine else None)
        self._update_actions()

    def _show_runtime(self, description: str, notes: list[str]) -> None:
        self.model_panel.set_runtime(description, notes)
        self.engineReady.emit(description)

    # ----------------------------------------------------------------------------- input
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt API)
        if event.mimeData().hasUrls() and any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt API)
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths and self.screen_paths(paths):
            event.acceptProposedAction()

    def open_files(self) -> None:
        if files := dialogs.ask_files(self, self.settings):
            self.screen_paths(files)

    def open_folder(self) -> None:
        if folder := dialogs.ask_folder(self, self.settings):
            self.screen_paths(folder)

    # ----------------------------------------------------------------------------- jobs
    @Slot(list)
    def screen_paths(self, paths: list[str]) -> bool:
        """Screen files/folders (drop, dialogs and tests all come here); False if refused now."""
        try:
            self.workspace.start_batch(list(paths))
        except JobRefused as refused:
            self.job_status.show_message(self.tr("Busy: wait for the current job or cancel it.")
                                         if refused.reason == JobRefused.BUSY
                                         else self.tr("No model is available: see the Model & runtime tab."))
            return False
        return True

    @Slot()
    def cancel(self) -> None:
        self.workspace.cancel()

    def clear_results(self) -> None:
        self.workspace.clear_results()

    def export_csv(self, path: Path | None = None) -> bool:
        """Write the table (all rows, not only the filtered ones) as CSV; asks for a file if not given."""
        path = path or dialogs.ask_save_path(self, self.settings, self.tr("Export results as CSV"), "results.csv",
                                             self.tr("CSV files (*.csv)"))
        if path is None:
            return False
        try:
            self.workspace.export_csv(path, self.settings.include_patient_fields)
        except OSError as error:
            QMessageBox.critical(self, self.tr("Export failed"), self.tr("Cannot write {path}: {reason}").format(
                path=path, reason=error.strerror or error))
            return False
        self.job_status.show_message(self.tr("Saved {path}").format(path=path), LONG_MS)
        return True

    def export_pdf(self, path: Path | None = None) -> bool:
        """Write the PDF report in the analysis worker (heatmaps computed there as needed)."""
        if not self.workspace.can_export_pdf:
            return False
        path = path or dialogs.ask_save_path(self, self.settings, self.tr("Export PDF report"),
                                             "screening-report.pdf", self.tr("PDF files (*.pdf)"))
        return path is not None and self.workspace.start_export(path, self.settings.include_patient_fields) is not None

    def export_dicom(self, folder: Path | None = None) -> bool:
        """Write the SR and heatmap capture of each scored DICOM film into a folder, in the analysis worker."""
        if not self.workspace.can_export_dicom:
            return False
        if not self.workspace.dicom_films:
            dialogs.say_no_dicom_films(self)
            return False
        folder = folder or dialogs.ask_export_folder(self, self.settings, self.tr("Export DICOM results into"))
        try:
            return folder is not None and self.workspace.start_dicom_export(folder) is not None
        except JobRefused:  # FILM_SOURCE
            dialogs.say_films_come_from(self, self.workspace.intake.film_sources)
            return False

    # ----------------------------------------------------------------------------- clinic inputs
    def configure_receive(self) -> None:
        if (chosen := clinic_dialog.ask_receiver(self, self.settings.receiving, self.settings.receiver)) is not None:
            self.clinic.set_receiving(*chosen)

    def set_watching(self, on: bool) -> None:
        """*Clinic → Watch a folder…* ticked asks which one (cancelled: it goes back off), unticked stops."""
        folder = dialogs.ask_watch_folder(self, self.settings) if on else None
        if on and folder is None:
            self.menu_actions.watch.setChecked(False)
        else:
            self.clinic.set_watching(folder)

    def _job_changed(self, *_state: object) -> None:
        self.model_panel.setEnabled(not self.workspace.busy)
        self._update_actions()

    def _update_actions(self, *_event_args: object) -> None:
        self.menu_actions.update(self.workspace)

    def _failed(self, failure: Failure) -> None:
        """The window's part of showing a failure (the status bar and the viewer show theirs)."""
        if failure.source == ENGINE:
            self.model_panel.set_runtime(self.tr("failed"), [failure.detail])
        elif failure.source == EXPORT:
            self.exportDone.emit("")

    # ----------------------------------------------------------------------------- view menu, help, close
    def set_heatmap_for_flagged(self, enabled: bool) -> None:
        self.settings.heatmap_for_flagged = enabled
        self.workspace.set_heatmap_for_flagged(enabled)

    def about(self) -> None:
        dialogs.show_about(self, self._store_path)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt API)
        """Share the width once the window has one (before, the splitter would share its size hints)."""
        if not self._shared_width:
            self._shared_width = True
            self.splitter.setSizes([self.width() * part // sum(TABLE_VIEWER_SHARE) for part in TABLE_VIEWER_SHARE])
        super().showEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        self.cancel()
        self.settings.geometry = self.saveGeometry()
        self.settings.window_state = self.saveState()
        self.settings.sync()
        self.clinic.close()
        self.bridge.close()
        super().closeEvent(event)
