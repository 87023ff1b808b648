"""Worker objects living in their own QThreads: screening, and analysis (heatmaps, PDF export).

Each worker owns its own classifiers (the screening worker's `Router`, the analysis worker's one per
model), opened and used only in its thread, because LiteRT engines are not thread-safe. Two workers rather than one so that a heatmap for the film a nurse clicked
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
from cxrcore.safety.card import SafetyCardError
from cxrcore.runtime import EngineError
from cxrcore.safety.checks import SafetyChecks

from desktop.screening.batch import run_batch
from desktop.screening.catalog import ModelIdentity
from desktop.screening.heatmap import Heatmap, occlusion_heatmap
from desktop.paths import safety_dir
from desktop.screening.routing import Router, Selection
from desktop.screening.store import ResultStore, StoreError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EngineSettings:
    """Which models to open and how; a worker reopens its engines when these change."""

    selection: Selection
    accelerator: str
    threads: int

    @property
    def identities(self) -> tuple[ModelIdentity, ...]:
        return tuple(ModelIdentity.of(bundle, build) for bundle, build in self.selection.models)

    @property
    def automatic(self) -> bool:
        return self.selection.automatic

    def bundle_of(self, identity: ModelIdentity) -> ModelBundle | None:
        """The bundle behind one of `identities` (None for a result of other settings)."""
        return next((bundle for (bundle, _), known in zip(self.selection.models, self.identities)
                     if known == identity), None)


@dataclass(frozen=True)
class BatchRequest:
    inputs: tuple[str, ...]
    batch_key: str
    cancel: threading.Event = field(default_factory=threading.Event)


@dataclass(frozen=True)
class ExportRequest:
    """A PDF report to write; heatmaps not yet in ``content.heatmaps`` are computed first."""

    path: Path
    content: object  # desktop.reports.pdf_report.ReportContent (imported lazily: reportlab is heavy)
    cancel: threading.Event = field(default_factory=threading.Event)


class _EngineOwner(QObject):
    """Holds the engines of one thread (the one the object lives in); drops them on new settings."""

    engineReady = Signal(str, list)  # description, fallback notes
    engineFailed = Signal(str)

    def __init__(self, log_path: Path | None) -> None:
        super().__init__()
        self._log_path = log_path
        self._settings: EngineSettings | None = None

    @Slot(object)
    def configure(self, settings: EngineSettings) -> None:
        """Remember the settings; engines open now (`ScreeningWorker`) or on first use."""
        if settings != self._settings:
            self._close()
            self._settings = settings

    @Slot()
    def shutdown(self) -> None:
        """Release the engines in their own thread before the thread stops."""
        self._close()

    def _close(self) -> None:
        raise NotImplementedError


class ScreeningWorker(_EngineOwner):
    """Runs batches: scan, gate, route, screen, store; streams each result to the UI as it is committed.
    Owns the `Router` (one classifier per routed model) and the safety checks, all in its thread."""

    scanned = Signal(int)
    resultReady = Signal(object, int, int)  # ScreenResult, done, total
    batchFinished = Signal(object)  # BatchSummary
    batchFailed = Signal(str)

    def __init__(self, store_path: Path, log_path: Path | None) -> None:
        super().__init__(log_path)
        self._store_path = store_path
        self._store: ResultStore | None = None
        self._safety: SafetyChecks | None = None
        self._router: Router | None = None

    @Slot(object)
    def configure(self, settings: EngineSettings) -> None:
        """Open the engines right away, so the UI can show the runtime before the first batch."""
        super().configure(settings)
        self.router()

    def router(self) -> Router | None:
        """The open router, opening it if needed; None (and engineFailed emitted) on failure."""
        if self._router is None and self._settings is not None:
            settings = self._settings
            try:
                self._router = Router.open(settings.selection, settings.accelerator, settings.threads,
                                           log_path=self._log_path)
            except (EngineError, BundleError, ValueError) as error:
                self.engineFailed.emit(str(error))
                return None
            self.engineReady.emit(self._router.description, self._router.fallback_notes)
        return self._router

    def safety(self) -> SafetyChecks:
        """The safety checks, opened once in this thread (they hold engines).

        Raises `SafetyCardError`/`EngineError`: a batch must not run without them."""
        if self._safety is None:
            self._safety = SafetyChecks.load(safety_dir())
        return self._safety

    @Slot(object)
    def screen(self, request: BatchRequest) -> None:
        router = self.router()
        if router is None:
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
                router, request.inputs, self._store, request.batch_key,
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

    def _close(self) -> None:
        if self._router is not None:
            self._router.close()
            self._router = None


class AnalysisWorker(_EngineOwner):
    """Occlusion heatmaps (on demand, one film at a time) and PDF reports (which may need many).
    Each heatmap is computed by the model that scored the film: one classifier per model, opened
    on first use in this thread."""

    heatmapReady = Signal(str, object, object)  # path, Heatmap, ModelIdentity that computed it
    heatmapFailed = Signal(str, str)  # path, reason
    exportProgress = Signal(int, int)
    exportFinished = Signal(str)
    exportFailed = Signal(str)

    def __init__(self, log_path: Path | None) -> None:
        super().__init__(log_path)
        self._classifiers: dict[ModelIdentity, Classifier] = {}

    def classifier(self, identity: ModelIdentity) -> Classifier | None:
        """The classifier of ``identity``, opened if needed; None (engineFailed emitted) if it is not one
        of the configured models or cannot be opened."""
        if identity not in self._classifiers and self._settings is not None:
            bundle = self._settings.bundle_of(identity)
            if bundle is None:
                return None
            try:
                self._classifiers[identity] = Classifier(bundle, identity.build, self._settings.accelerator,
                                                         self._settings.threads, log_path=self._log_path)
            except (EngineError, BundleError, ValueError) as error:
                self.engineFailed.emit(str(error))
                return None
        return self._classifiers.get(identity)

    @Slot(str, object)
    def heatmap(self, path: str, identity: ModelIdentity) -> None:
        classifier = self.classifier(identity)
        if classifier is None:
            self.heatmapFailed.emit(path, self.tr("the model could not be opened"))
            return
        result = self._compute(classifier, path)
        if isinstance(result, Heatmap):
            self.heatmapReady.emit(path, result, identity)
        else:
            self.heatmapFailed.emit(path, result)

    def _close(self) -> None:
        for classifier in self._classifiers.values():
            classifier.close()
        self._classifiers.clear()

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
        from desktop.reports.pdf_report import ReportCancelled, write_report

        content = request.content
        missing = [r for r in content.results if r.scored and r.path not in content.heatmaps]
        total_steps = len(missing) + len(content.results) + 1
        for step, result in enumerate(missing, start=1):
            if request.cancel.is_set():
                self.exportFailed.emit(self.tr("Export cancelled."))
                return
            classifier = self.classifier(result.model)
            heatmap = self._compute(classifier, result.path) if classifier is not None else None
            if isinstance(heatmap, Heatmap):
                content.heatmaps[result.path] = heatmap
                self.heatmapReady.emit(result.path, heatmap, result.model)
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

