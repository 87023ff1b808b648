"""A batch that never ends: films are screened as they arrive (DICOM receiver, watch folder).

One worker thread owns the models and the safety checks for the life of the service — LiteRT engines
are not thread-safe, so they are opened, used and closed on that thread only — and the result store.
Producers (pynetdicom's association threads, the folder poller) only put paths on its queue. The
worker takes whatever is waiting as one group and screens it with `desktop.screening.batch.run_batch`
under one batch key (the output CSV), so the store's resume applies unchanged: a file whose
SHA-256 is already stored is not screened again, across restarts too. After each group the whole
batch is rewritten to the CSV (atomically) and ``after`` is called with the group's results (the
DICOM results and their sending hang there).

A store that cannot be written is fatal (`failure` is set and the worker stops: results that cannot
be saved must not be reported); everything else — a bad file, a CSV or DICOM output that cannot be
written once — is logged, and the service goes on.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
from pathlib import Path
from typing import Callable, Sequence

from cxrcore.safety.checks import SafetyChecks

from desktop.reports.csv_export import write_csv
from desktop.screening.batch import run_batch
from desktop.screening.results import STATUS_OK, ScreenResult, confidence_text
from desktop.screening.routing import Router
from desktop.screening.store import ResultStore

log = logging.getLogger(__name__)

#: What the worker gets: a file to screen, or the row of something refused before screening.
Item = Path | ScreenResult


class ScreeningService:
    """See the module docstring. ``open_engines`` runs on the worker thread and returns the router and
    safety checks it will use; whatever it raises is raised again by `start`."""

    _STOP = object()

    def __init__(
        self,
        open_engines: Callable[[], tuple[Router, SafetyChecks]],
        store_path: Path,
        output: Path,
        include_patient_fields: bool = False,
        after: Callable[[list[ScreenResult], Router], None] | None = None,
    ) -> None:
        self._open_engines = open_engines
        self._store_path = Path(store_path)
        self.output = Path(output).absolute()
        self._include_patient_fields = include_patient_fields
        self._after = after
        self._queue: queue.Queue[object] = queue.Queue()
        self._ready = threading.Event()
        self._cancel = threading.Event()
        self.finished = threading.Event()
        #: The error that stopped the worker (the store could not be written), or None.
        self.failure: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="cxr-service", daemon=True)

    @property
    def batch_key(self) -> str:
        """The same key ``screen --out`` uses for this CSV: both share (and resume) one batch."""
        return f"csv:{self.output}"

    def start(self, backlog: Sequence[Path] = ()) -> None:
        """Open the models on the worker thread and return once they are open; then the worker
        screens ``backlog`` (files or folders) first. Raises what opening raised."""
        if backlog:
            self._queue.put(list(backlog))
        self._thread.start()
        self._ready.wait()
        if self.failure is not None:
            self._thread.join()
            raise self.failure

    def submit(self, path: Path) -> None:
        """Screen ``path`` soon (callable from any thread)."""
        self._queue.put(Path(path))

    def record(self, result: ScreenResult) -> None:
        """Store and list a row for something refused before screening (callable from any thread)."""
        self._queue.put(result)

    def stop(self) -> None:
        """Finish the film in hand, then stop the worker and close the models. What is still queued
        is not lost: it is in the inbox or the watched folder, and the store does not have it, so
        the next start screens it."""
        self._cancel.set()
        self._queue.put(self._STOP)
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        router = safety = None
        try:
            router, safety = self._open_engines()
            with ResultStore(self._store_path) as store:
                batch_id = store.open_batch(self.batch_key, router.identities, router.automatic)
                self._ready.set()
                stopping = False
                while not stopping:
                    group, stopping = self._next_group()
                    if group:
                        self._screen(group, router, safety, store, batch_id)
        except BaseException as error:  # opening failed, or the store: both end the service
            self.failure = error
            if self._ready.is_set():
                log.error("screening stopped: %s", error)
        finally:
            self._ready.set()
            for engine in (router, safety):
                if engine is not None:
                    engine.close()
            self.finished.set()

    def _next_group(self) -> tuple[list[Item], bool]:
        """Block for the next item, then take everything else waiting: (the group, whether to stop
        after it). Producers stop before `stop` is called, so nothing follows the stop mark."""
        items = [self._queue.get()]
        while True:
            try:
                items.append(self._queue.get_nowait())
            except queue.Empty:
                break
        stopping = self._STOP in items
        if stopping:
            items = items[: items.index(self._STOP)]
        return [entry for item in items for entry in (item if isinstance(item, list) else [item])], stopping

    def _screen(self, group: list[Item], router: Router, safety: SafetyChecks, store: ResultStore,
                batch_id: str) -> None:
        refused = [item for item in group if isinstance(item, ScreenResult)]
        paths = list(dict.fromkeys(item for item in group if isinstance(item, Path)))
        if refused:
            store.record(batch_id, refused)
        if paths:
            summary = run_batch(router, paths, store, self.batch_key, cancel=self._cancel, on_result=_log_result,
                                safety=safety)
            if self._after is not None:
                try:
                    self._after(summary.results, router)
                except Exception:  # an output that cannot be written must not stop the screening
                    log.exception("writing the results of %d file(s) failed", len(summary.results))
        try:
            write_csv(self.output, store.results(batch_id).values(), router.labels, self._include_patient_fields)
        except OSError as error:
            log.error("cannot write %s (the results are kept in the store): %s", self.output, error.strerror or error)


def _log_result(result: ScreenResult, done: int, total: int) -> None:
    """One line per film; the path is the inbox or folder path, never a patient field."""
    if result.resumed:
        return
    shown = (f"{result.shown_prediction} {confidence_text(result.confidence)}" if result.confidence is not None
             else result.reason)
    level = logging.INFO if result.status == STATUS_OK else logging.WARNING
    log.log(level, "%s: %s %s%s", os.path.basename(result.path), result.status, shown,
            " (flagged for review)" if result.flagged else "")
