"""Worker objects living in their own QThreads: screening, and analysis (heatmaps, PDF export).

Each worker owns its own classifiers (the screening worker's `Router`, the analysis worker's one per
model), opened and used only in its thread, because LiteRT engines are not thread-safe. Two workers
rather than one so that a heatmap for the film a nurse clicked does not wait behind a 1,000-film
batch. The UI talks to a worker only through queued signals (`desktop.ui.bridge`); the requests
(`desktop.jobs`) carry their own cancel event. Every failure leaves on one signal, `failed`,
carrying a `desktop.workspace.Failure`.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QMetaObject, QObject, Qt, QThread, Signal, Slot

from cxrcore.bundle import BundleError
from cxrcore.classifier import Classifier
from cxrcore.decode import DecodeError
from cxrcore.safety.card import SafetyCardError
from cxrcore.runtime import EngineError
from cxrcore.safety.checks import SafetyChecks

from desktop.jobs import BatchRequest, EngineSettings, ExportRequest
from desktop.screening.batch import run_batch
from desktop.screening.catalog import ModelIdentity
from desktop.screening.heatmap import Heatmap, occlusion_heatmap
from desktop.paths import safety_dir
from desktop.screening.routing import Router
from desktop.screening.store import ResultStore, StoreError
from desktop.workspace import BATCH, ENGINE, EXPORT, HEATMAP, Failure

log = logging.getLogger(__name__)


class _EngineOwner(QObject):
    """Holds the engines of one thread (the one the object lives in); drops them on new settings.

    Subclasses extend the hooks (`_configured`, `_close`, `_release`), never the slots: PySide6 runs
    a slot that a subclass overrides on the *emitting* thread, which would open engines on the UI thread."""

    engineReady = Signal(str, list)  # description, fallback notes
    failed = Signal(object)  # Failure: of the engine, a batch, a heatmap or an export

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
        self._configured()

    @Slot()
    def shutdown(self) -> None:
        """Release the engines (and whatever else the worker holds) in their own thread before it stops."""
        self._close()
        self._release()

    def _configured(self) -> None:
        """After `configure`: nothing by default (engines open on first use)."""

    def _close(self) -> None:
        """Close the engines of the current settings."""
        raise NotImplementedError

    def _release(self) -> None:
        """At shutdown, after `_close`: nothing by default."""

    def _fail(self, source: str, message: str, detail: str = "", path: str = "") -> None:
        self.failed.emit(Failure(source, message, detail, path))

    def _engine_failed(self, error: Exception) -> None:
        self._fail(ENGINE, self.tr("The model could not be opened: {error}").format(error=error), str(error))


class ScreeningWorker(_EngineOwner):
    """Runs batches: scan, gate, route, screen, store; streams each result to the UI as it is committed.
    Owns the `Router` (one classifier per routed model) and the safety checks, all in its thread."""

    scanned = Signal(int)
    resultReady = Signal(object, int, int)  # ScreenResult, done, total
    batchFinished = Signal(object)  # BatchSummary

    def __init__(self, store_path: Path, log_path: Path | None) -> None:
        super().__init__(log_path)
        self._store_path = store_path
        self._store: ResultStore | None = None
        self._safety: SafetyChecks | None = None
        self._router: Router | None = None

    def _configured(self) -> None:
        """Open the engines right away, so the UI can show the runtime before the first batch."""
        self.router()

    def router(self) -> Router | None:
        """The open router, opening it if needed; None (and an engine failure reported) on failure."""
        if self._router is None and self._settings is not None:
            settings = self._settings
            try:
                self._router = Router.open(settings.selection, settings.accelerator, settings.threads,
                                           log_path=self._log_path)
            except (EngineError, BundleError, ValueError) as error:
                self._engine_failed(error)
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
            self._fail(BATCH, self.tr("The model could not be opened; see the Model & runtime tab."))
            return
        try:
            safety = self.safety()
        except (SafetyCardError, EngineError) as error:
            self._fail(BATCH, self.tr("The safety checks could not be opened, so nothing was screened: {error}")
                       .format(error=error), str(error))
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
            self._fail(BATCH, str(error))
            return
        except Exception as error:  # never leave the window waiting for a batch that died
            log.exception("batch failed")
            self._fail(BATCH, f"{type(error).__name__}: {error}")
            return
        self.batchFinished.emit(summary)

    def _release(self) -> None:
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
    exportProgress = Signal(int, int)
    exportFinished = Signal(str)

    def __init__(self, log_path: Path | None) -> None:
        super().__init__(log_path)
        self._classifiers: dict[ModelIdentity, Classifier] = {}

    def classifier(self, identity: ModelIdentity) -> Classifier | None:
        """The classifier of ``identity``, opened if needed; None if it is not one of the configured
        models or cannot be opened (then an engine failure is reported)."""
        if identity not in self._classifiers and self._settings is not None:
            bundle = self._settings.bundle_of(identity)
            if bundle is None:
                return None
            try:
                self._classifiers[identity] = Classifier(bundle, identity.build, self._settings.accelerator,
                                                         self._settings.threads, log_path=self._log_path)
            except (EngineError, BundleError, ValueError) as error:
                self._engine_failed(error)
                return None
        return self._classifiers.get(identity)

    @Slot(str, object)
    def heatmap(self, path: str, identity: ModelIdentity) -> None:
        classifier = self.classifier(identity)
        result = self.tr("the model could not be opened") if classifier is None else self._compute(classifier, path)
        if isinstance(result, Heatmap):
            self.heatmapReady.emit(path, result, identity)
        else:
            self._fail(HEATMAP, self.tr("Heatmap failed for {name}: {reason}").format(
                name=Path(path).name, reason=result), result, path)

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
                self._fail(EXPORT, self.tr("Export cancelled."))
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
            self._fail(EXPORT, self.tr("Export cancelled."))
            return
        except OSError as error:
            self._fail(EXPORT, self.tr("Cannot write {path}: {reason}").format(
                path=request.path, reason=error.strerror or error), str(error))
            return
        except Exception as error:  # a report that cannot be built must not leave the window busy
            log.exception("PDF export failed")
            self._fail(EXPORT, self.tr("The report could not be written: {error}").format(error=error), str(error))
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

