"""One screening batch, the same for the app's worker thread and the headless screener.

scan the inputs → open (or resume) the batch in the store → `pipeline.screen_paths` → commit each
result to the store as it arrives → report it to the caller. Keeping this sequence in one place is
what makes "nothing lost, nothing screened twice" hold for both front ends.
"""

from __future__ import annotations

import os
import queue
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Iterable

from cxrcore.safety.checks import SafetyChecks

from desktop.screening.pipeline import screen_paths
from desktop.screening.results import STATUS_ERROR, ScreenResult
from desktop.screening.routing import Router
from desktop.screening.scan import collect_inputs
from desktop.screening.store import ResultStore


@dataclass
class BatchSummary:
    """What a finished (or cancelled) batch did; ``results`` are in input order."""

    batch_id: str
    total: int
    results: list[ScreenResult] = field(default_factory=list)
    screened: int = 0
    resumed: int = 0
    cancelled: bool = False

    @property
    def status_counts(self) -> Counter[str]:
        return Counter(result.status for result in self.results)

    @property
    def flagged(self) -> int:
        return sum(1 for result in self.results if result.flagged)

    @property
    def warned(self) -> int:
        """Films that carry a warning (not validated for the film, poor quality)."""
        return sum(1 for result in self.results if result.warnings)


def run_batch(
    router: Router,
    inputs: Iterable[str | os.PathLike[str]],
    store: ResultStore,
    batch_key: str,
    cancel: threading.Event | None = None,
    on_scanned: Callable[[int], None] | None = None,
    on_result: Callable[[ScreenResult, int, int], None] | None = None,
    decode_workers: int | None = None,
    safety: SafetyChecks | None = None,
) -> BatchSummary:
    """Screen ``inputs`` as the batch ``batch_key`` with ``router``'s models; files already stored for the
    same key and the same models (and routing) are resumed.

    ``on_scanned(total)`` is called once the inputs are expanded; ``on_result(result, done,
    total)`` after each result is committed (on the committing thread, see `_Committer`).
    ``decode_workers`` None: as many as the cores inference leaves (`pipeline.decode_workers_for`).
    `desktop.screening.store.StoreError` propagates: if results cannot be saved the batch must stop
    rather than pretend.
    """
    scan = collect_inputs(inputs, cancel)
    batch_id = store.open_batch(batch_key, router.identities, router.automatic)
    summary = BatchSummary(batch_id=batch_id, total=len(scan.files) + len(scan.problems))
    if cancel is not None and cancel.is_set():  # cancelled while scanning: the list is incomplete
        summary.cancelled = True
        return summary
    if on_scanned is not None:
        on_scanned(summary.total)

    def accept(results: list[ScreenResult]) -> None:
        fresh = [result for result in results if not result.resumed]
        if fresh:
            store.record(batch_id, fresh)
        summary.screened += len(fresh)
        summary.resumed += len(results) - len(fresh)
        for result in results:
            summary.results.append(result)
            if on_result is not None:
                on_result(result, len(summary.results), summary.total)

    known = store.results(batch_id)
    committer = _Committer(accept)
    try:
        for problem in scan.problems:
            committer.put(ScreenResult(path=problem.path, status=STATUS_ERROR, reason=problem.reason,
                                       message=problem.message))
        for result in screen_paths(router, scan.files, known=known, cancel=cancel,
                                   decode_workers=decode_workers, safety=safety):
            committer.put(result)
    finally:
        committer.close()  # commits everything already screened, even on Ctrl+C
    summary.cancelled = len(summary.results) < summary.total
    return summary


class _Committer:
    """Commits results on its own thread, in order, so the disk sync of each commit overlaps the
    next inference instead of adding to it. Whatever is waiting when a commit starts goes into
    that commit (see `ResultStore.record`). The store is used only by this thread while it runs.
    A failure (disk full…) is re-raised to the screening loop at the next `put` or at `close`.
    """

    _STOP = object()
    MAX_GROUP = 64

    def __init__(self, accept: Callable[[list[ScreenResult]], None]) -> None:
        self._accept = accept
        self._queue: queue.Queue[object] = queue.Queue(maxsize=4 * self.MAX_GROUP)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="cxr-commit", daemon=True)
        self._thread.start()

    def put(self, result: ScreenResult) -> None:
        if self._error is not None:
            raise self._error
        self._queue.put(result)

    def close(self) -> None:
        self._queue.put(self._STOP)
        self._thread.join()
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        stopping = False
        while not stopping:
            group = [self._queue.get()]
            while len(group) < self.MAX_GROUP:
                try:
                    group.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            if self._STOP in group:
                stopping = True
                group = group[: group.index(self._STOP)]
            if group and self._error is None:
                try:
                    self._accept(group)
                except Exception as error:  # handed to the screening thread, which stops the batch
                    self._error = error
