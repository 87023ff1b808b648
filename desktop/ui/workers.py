"""Worker objects living in their own QThreads: screening here, analysis (heatmaps, PDF and DICOM
exports) in `desktop.ui.analysis`; what both share (`EngineOwner`, starting and stopping a thread).

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
from cxrcore.safety.card import SafetyCardError
from cxrcore.runtime import EngineError
from cxrcore.safety.checks import SafetyChecks

from desktop.jobs import BatchRequest, EngineSettings
from desktop.screening.batch import run_batch
from desktop.paths import safety_dir
from desktop.screening.routing import Router
from desktop.screening.store import ResultStore, StoreError
from desktop.workspace import BATCH, ENGINE, Failure

log = logging.getLogger(__name__)


class EngineOwner(QObject):
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


class ScreeningWorker(EngineOwner):
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

