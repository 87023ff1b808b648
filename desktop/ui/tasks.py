"""Run a short blocking function (decoding a film for the viewer, discovering models) in Qt's
global thread pool and get its result back on the UI thread as a signal.

For jobs that need no model engine; engine work goes to the dedicated workers in `workers`.
"""

from __future__ import annotations

import logging
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal

log = logging.getLogger(__name__)


class TaskSignals(QObject):
    succeeded = Signal(object)
    failed = Signal(object)  # the exception


class FunctionTask(QRunnable):
    """``function()`` in a pool thread; ``signals.succeeded(result)`` or ``signals.failed(error)``."""

    def __init__(self, function: Callable[[], Any]) -> None:
        super().__init__()
        self._function = function
        self.signals = TaskSignals()

    def run(self) -> None:
        try:
            result = self._function()
        except Exception as error:  # delivered to the UI, which decides what to show
            log.debug("background task failed", exc_info=True)
            self.signals.failed.emit(error)
            return
        self.signals.succeeded.emit(result)


#: Tasks in flight. Python keeps them (not Qt's auto-delete) until their result is delivered:
#: a queued signal whose sender was collected would never arrive.
_live: set[FunctionTask] = set()


def run_in_pool(function: Callable[[], Any], on_success: Callable[[Any], None],
                on_failure: Callable[[Exception], None]) -> None:
    """Start ``function`` in the global pool; the callbacks run on the UI thread (queued to the
    signals object, which is created here, on the calling thread)."""
    task = FunctionTask(function)
    task.setAutoDelete(False)
    _live.add(task)

    def deliver(callback: Callable[[Any], None]) -> Callable[[Any], None]:
        def call(value: Any) -> None:
            _live.discard(task)
            callback(value)
        return call

    task.signals.succeeded.connect(deliver(on_success), Qt.ConnectionType.QueuedConnection)
    task.signals.failed.connect(deliver(on_failure), Qt.ConnectionType.QueuedConnection)
    QThreadPool.globalInstance().start(task)
