"""Worker objects living in their own QThreads: screening, and analysis (heatmaps, PDF export).

Each worker owns its own `Classifier`, opened and used only in its thread, because LiteRT engines
are not thread-safe. Two workers rather than one so that a heatmap for the film a nurse clicked
does not wait behind a 1,000-film batch. The UI talks to a worker only through queued signals;
cancellation is a `threading.Event` carried by each request, which the UI sets directly (the
worker is busy in a loop and would not see a queued call until the batch ended).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QMetaObject, QObject, Qt, QThread, Signal, Slot

from cxrcore.bundle import BundleError, ModelBundle
from cxrcore.classifier import Classifier
from cxrcore.decode import DecodeError
from cxrcore.domain import SafetyCardError
from cxrcore.runtime import EngineError
from cxrcore.safety import SafetyChecks

from desktop.batch import run_batch
from desktop.catalog import ModelIdentity
from desktop.heatmap import Heatmap, occlusion_heatmap
from desktop.paths import safety_dir
from desktop.pipeline import STATUS_OK
from desktop.store import ResultStore, StoreError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EngineSettings:
    """Which build to open and how; a worker reopens its engine when these change."""

    bundle: ModelBundle
    build: str
    accelerator: str
    threads: int

    @property
    def identity(self) -> ModelIdentity:
        return ModelIdentity.of(self.bundle, self.build)


@dataclass(frozen=True)
class BatchRequest:
    inputs: tuple[str, ...]
    batch_key: str
    cancel: threading.Event = field(default_factory=threading.Event)


@dataclass(frozen=True)
class ExportRequest:
    """A PDF report to write; heatmaps not yet in ``content.heatmaps`` are computed first."""

    path: Path
    content: object  # desktop.report_pdf.ReportContent (imported lazily: reportlab is heavy)
    cancel: threading.Event = field(default_factory=threading.Event)


class _EngineOwner(QObject):
    """Holds one Classifier for the thread the object lives in; reopens it on new settings."""

    engineReady = Signal(str, list)  # description, fallback notes
    engineFailed = Signal(str)

    def __init__(self, log_path: Path | None) -> None:
        super().__init__()
        self._log_path = log_path
        self._settings: EngineSettings | None = None
        self._classifier: Classifier | None = None

    @Slot(object)
    def configure(self, settings: EngineSettings) -> None:
        """Remember the settings; the engine opens now (`ScreeningWorker`) or on first use."""
        if settings != self._settings:
            self._close()
            self._settings = settings

    def classifier(self) -> Classifier | None:
        """The open Classifier, opening it if needed; None (and engineFailed emitted) on failure."""
        if self._classifier is None and self._settings is not None:
            settings = self._settings
            try:
                self._classifier = Classifier(settings.bundle, settings.build, settings.accelerator,
                                              settings.threads, log_path=self._log_path)
            except (EngineError, BundleError, ValueError) as error:
                self.engineFailed.emit(str(error))
                return None
            self.engineReady.emit(self._classifier.description, list(self._classifier.engine.fallback_notes))
        return self._classifier

    @Slot()
    def shutdown(self) -> None:
        """Release the engine in its own thread before the thread stops."""
        self._close()

    def _close(self) -> None:
        if self._classifier is not None:
            self._classifier.close()
            self._classifier = None


class ScreeningWorker(_EngineOwner):
    """Runs batches: scan, screen, store; streams each result to the UI as it is committed."""

    scanned = Signal(int)
    resultReady = Signal(object, int, int)  # ScreenResult, done, total
    batchFinished = Signal(object)  # BatchSummary
    batchFailed = Signal(str)

    def __init__(self, store_path: Path, log_path: Path | None) -> None:
        super().__init__(log_path)
        self._store_path = store_path
        self._store: ResultStore | None = None
        self._safety: SafetyChecks | None = None
        self._safety_model = ""  # the bundle whose domain check `_safety` holds

    @Slot(object)
    def configure(self, settings: EngineSettings) -> None:
        """Open the engine right away, so the UI can show the runtime before the first batch."""
        super().configure(settings)
        self.classifier()

    def safety(self) -> SafetyChecks:
        """The safety checks for the configured model, opened in this thread (they hold engines).

        Raises `SafetyCardError`/`EngineError`: a batch must not run without them."""
        name = self._settings.bundle.name if self._settings is not None else ""
        if self._safety is not None and self._safety_model != name:
            self._safety.close()
            self._safety = None
        if self._safety is None:
            self._safety = SafetyChecks.load(safety_dir(), name)
            self._safety_model = name
        return self._safety

    @Slot(object)
    def screen(self, request: BatchRequest) -> None:
        classifier = self.classifier()
        if classifier is None or self._settings is None:
            self.batchFailed.emit(self.tr("The model could not be opened; see the Model & runtime tab."))
            return
        try:
            safety = self.safety()
        except (SafetyCardError, EngineError) as error:
            self.batchFailed.emit(self.tr("The safety checks could not be opened, so nothing was screened: {error}")
                                  .format(error=error))
            return
        try:
            if self._store is None:
                self._store = ResultStore(self._store_path)
            summary = run_batch(
                classifier, self._settings.identity, request.inputs, self._store, request.batch_key,
                cancel=request.cancel, on_scanned=self.scanned.emit,
                on_result=lambda result, done, total: self.resultReady.emit(result, done, total), safety=safety,
            )
        except StoreError as error:
            self.batchFailed.emit(str(error))
            return
        except Exception as error:  # never leave the window waiting for a batch that died
            log.exception("batch failed")
            self.batchFailed.emit(f"{type(error).__name__}: {error}")
            return
        self.batchFinished.emit(summary)

    @Slot()
    def shutdown(self) -> None:
        super().shutdown()
        if self._safety is not None:
            self._safety.close()
            self._safety = None
        if self._store is not None:
            self._store.close()
            self._store = None


class AnalysisWorker(_EngineOwner):
    """Occlusion heatmaps (on demand, one film at a time) and PDF reports (which may need many)."""

    heatmapReady = Signal(str, object, object)  # path, Heatmap, ModelIdentity that computed it
    heatmapFailed = Signal(str, str)  # path, reason
    exportProgress = Signal(int, int)
    exportFinished = Signal(str)
    exportFailed = Signal(str)

    @Slot(str)
    def heatmap(self, path: str) -> None:
        classifier = self.classifier()
        if classifier is None:
            self.heatmapFailed.emit(path, self.tr("the model could not be opened"))
            return
        result = self._compute(classifier, path)
        if isinstance(result, Heatmap):
            self.heatmapReady.emit(path, result, self._settings.identity)
        else:
            self.heatmapFailed.emit(path, result)

    def _compute(self, classifier: Classifier, path: str) -> Heatmap | str:
        try:
            return occlusion_heatmap(classifier, classifier.load_gray(path))
        except DecodeError as error:
            return error.detail
        except Exception as error:  # a failed heatmap must not take the worker down
            log.exception("heatmap failed for %s", path)
            return f"{type(error).__name__}: {error}"

    @Slot(object)
    def export_pdf(self, request: ExportRequest) -> None:
        from desktop.report_pdf import ReportCancelled, write_report

        content = request.content
        missing = [r for r in content.results if r.status == STATUS_OK and r.path not in content.heatmaps]
        total_steps = len(missing) + len(content.results) + 1
        classifier = self.classifier() if missing else None
        for step, result in enumerate(missing, start=1):
            if request.cancel.is_set():
                self.exportFailed.emit(self.tr("Export cancelled."))
                return
            heatmap = self._compute(classifier, result.path) if classifier is not None else None
            if isinstance(heatmap, Heatmap):
                content.heatmaps[result.path] = heatmap
                self.heatmapReady.emit(result.path, heatmap, self._settings.identity)
            self.exportProgress.emit(step, total_steps)
        try:
            write_report(request.path, content, request.cancel,
                         on_page=lambda page, _: self.exportProgress.emit(len(missing) + page, total_steps))
        except ReportCancelled:
            self.exportFailed.emit(self.tr("Export cancelled."))
            return
        except OSError as error:
            self.exportFailed.emit(self.tr("Cannot write {path}: {reason}").format(
                path=request.path, reason=error.strerror or error))
            return
        except Exception as error:  # a report that cannot be built must not leave the window busy
            log.exception("PDF export failed")
            self.exportFailed.emit(self.tr("The report could not be written: {error}").format(error=error))
            return
        self.exportFinished.emit(str(request.path))


def start_in_thread(worker: QObject, name: str) -> QThread:
    """Move ``worker`` to a new started QThread; stop it with `stop_thread`."""
    thread = QThread()
    thread.setObjectName(name)
    worker.moveToThread(thread)
    thread.start()
    return thread


def stop_thread(worker: QObject, thread: QThread, timeout_ms: int = 10_000) -> None:
    """Let ``worker`` release its engine in its own thread (after any running job), then stop it."""
    if not thread.isRunning():
        return
    QMetaObject.invokeMethod(worker, "shutdown", Qt.ConnectionType.BlockingQueuedConnection)
    thread.quit()
    if not thread.wait(timeout_ms):
        log.warning("worker thread %s did not stop within %d ms", thread.objectName(), timeout_ms)

