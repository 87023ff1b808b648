"""Connects the `Workspace` to the two worker threads, both ways.

The workspace's requests (new engine settings, a job, a heatmap) become queued signals to the
workers; the workers' signals arrive here, on the UI thread (this object lives there, so Qt queues
them), and become workspace calls. The workspace is plain Python: connecting a worker's signal to
it directly would run the workspace on the worker's thread.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from desktop.jobs import BatchRequest, DicomExportRequest, EngineSettings, ExportRequest, Job
from desktop.paths import runtime_log_path
from desktop.screening.batch import BatchSummary
from desktop.screening.catalog import ModelIdentity
from desktop.screening.heatmap import Heatmap
from desktop.screening.results import ScreenResult
from desktop.ui.analysis import AnalysisWorker
from desktop.ui.workers import ScreeningWorker, start_in_thread, stop_thread
from desktop.workspace import Failure, Workspace


class WorkerBridge(QObject):
    """Owns the workers and their threads; `close` stops them."""

    _configure = Signal(object)  # EngineSettings, to both workers
    _screen = Signal(object)  # BatchRequest
    _heatmap = Signal(str, object)  # path, ModelIdentity of the model that scored it
    _export = Signal(object)  # ExportRequest
    _export_dicom = Signal(object)  # DicomExportRequest

    def __init__(self, workspace: Workspace, store_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._workspace = workspace
        log_path = runtime_log_path()
        self.screening = ScreeningWorker(store_path, log_path)
        self.analysis = AnalysisWorker(log_path)
        self._threads = {self.screening: start_in_thread(self.screening, "cxr-screening"),
                         self.analysis: start_in_thread(self.analysis, "cxr-analysis")}
        for worker in self._threads:
            self._configure.connect(worker.configure)
            worker.failed.connect(self._failed)
        self._screen.connect(self.screening.screen)
        self._heatmap.connect(self.analysis.heatmap)
        self._export.connect(self.analysis.export_pdf)
        self._export_dicom.connect(self.analysis.export_dicom)
        self._carriers = {BatchRequest: self._screen, ExportRequest: self._export,
                          DicomExportRequest: self._export_dicom}
        self.screening.engineReady.connect(self._engine_ready)
        self.screening.scanned.connect(self._scanned)
        self.screening.resultReady.connect(self._result)
        self.screening.batchFinished.connect(self._batch_finished)
        self.analysis.heatmapReady.connect(self._heatmap_ready)
        self.analysis.exportProgress.connect(self._export_progress)
        self.analysis.exportFinished.connect(self._export_finished)
        workspace.events.connect(engine_changed=self._engine_changed, job_started=self._job_started,
                                 heatmap_requested=self._heatmap.emit)

    def close(self) -> None:
        """Let each worker release its engines in its thread (after any running job), then stop it."""
        for worker, thread in self._threads.items():
            stop_thread(worker, thread)

    # --- workspace → workers -------------------------------------------------------------
    def _engine_changed(self, engine: EngineSettings | None) -> None:
        if engine is not None:  # no model: the workers keep what they had until one is chosen
            self._configure.emit(engine)

    def _job_started(self, job: Job) -> None:
        self._carriers[type(job)].emit(job)

    # --- workers → workspace (queued: these run on the UI thread) ------------------------
    @Slot(str, list)
    def _engine_ready(self, description: str, notes: list[str]) -> None:
        self._workspace.engine_ready(description, notes)

    @Slot(int)
    def _scanned(self, total: int) -> None:
        self._workspace.batch_scanned(total)

    @Slot(object, int, int)
    def _result(self, result: ScreenResult, done: int, total: int) -> None:
        self._workspace.add_result(result, done, total)

    @Slot(object)
    def _batch_finished(self, summary: BatchSummary) -> None:
        self._workspace.finish_batch(summary)

    @Slot(str, object, object)
    def _heatmap_ready(self, path: str, heatmap: Heatmap, model: ModelIdentity) -> None:
        self._workspace.heatmap_ready(path, heatmap, model)

    @Slot(int, int)
    def _export_progress(self, done: int, total: int) -> None:
        self._workspace.export_progress(done, total)

    @Slot(str)
    def _export_finished(self, path: str) -> None:
        self._workspace.finish_export(path)

    @Slot(object)
    def _failed(self, failure: Failure) -> None:
        self._workspace.report_failure(failure)
