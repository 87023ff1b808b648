"""The window's two clinic inputs: films sent by an X-ray unit (a DICOM Storage SCP,
`desktop.network.receiver`) and films that settle in a watched folder (`desktop.screening.watch`).

Both are off until the clinic turns them on, and remembered. Neither screens anything itself: each
film that lands is handed to the workspace (`add_arrivals`), which screens it through the screening
worker like a dropped folder, once the job in hand ends; a receiver's films under one batch key per
inbox, a folder's under one per folder, so a film already screened there is resumed, not screened
again (as the ``receive`` and ``watch`` commands do). What each input is doing goes to
`workspace.intake` (the status bar's lights); what goes wrong, to the one error channel.

The receiver's callbacks run on pynetdicom's association threads: they only emit a signal, which Qt
queues to this object on the UI thread. The folder is polled in Qt's thread pool, one poll at a time.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from desktop.intake import RECEIVE, WATCH, InputState
from desktop.jobs import arrival_key
from desktop.screening.results import ScreenResult
from desktop.screening.watch import StableFiles
from desktop.ui.settings import AppSettings
from desktop.ui.tasks import run_in_pool
from desktop.workspace import Failure, Workspace

if TYPE_CHECKING:
    from desktop.network.receiver import ReceiverConfig, StorageReceiver

log = logging.getLogger(__name__)


class ClinicInputs(QObject):
    """Starts, stops and remembers the receiver and the folder watch; see the module docstring."""

    _stored = Signal(str)  # a received film, now durably in the inbox
    _refused = Signal(object)  # the ScreenResult of an object refused before screening

    #: The watched folder is polled this often, and a file taken once unchanged in this many polls in a
    #: row (the ``watch`` command's defaults: a film that has rested 4–6 s).
    watch_interval_ms = 2000
    watch_stable_polls = 3

    def __init__(self, workspace: Workspace, settings: AppSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._workspace = workspace
        self._settings = settings
        self._receiver: StorageReceiver | None = None
        self._inbox_key = ""
        self._watcher: StableFiles | None = None
        self._polling = False
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._poll)
        self._stored.connect(self._received)
        self._refused.connect(self._refusal)

    def restore(self) -> None:
        """Turn on what was on when the window last closed."""
        if self._settings.receiving:
            self.receive(self._settings.receiver)
        if self._settings.watching and self._settings.watch_folder:
            self.watch(Path(self._settings.watch_folder))

    def close(self) -> None:
        """Stop both (the window closes): no new film is accepted; what is in the inbox stays there."""
        self._stop_receiver()
        self._timer.stop()

    # --- receiving -----------------------------------------------------------------------
    def set_receiving(self, enabled: bool, config: ReceiverConfig) -> None:
        """Remember the choice, then listen with ``config`` (restarting) or stop."""
        self._settings.receiving, self._settings.receiver = enabled, config
        if enabled:
            self.receive(config)
        else:
            self._stop_receiver()
            self._workspace.intake.stopped(RECEIVE)

    def receive(self, config: ReceiverConfig) -> None:
        """Listen as ``config`` says, then screen what the inbox already holds (received before a
        crash or quit, never screened); a port that cannot be bound is a failure of `RECEIVE`."""
        from desktop.files import prepare_inbox
        from desktop.network.receiver import StorageReceiver  # pynetdicom loads only for this

        self._stop_receiver()
        try:
            prepare_inbox(config.inbox)
        except OSError as error:
            self._receive_failed(self.tr("Cannot use the inbox {folder}: {reason}").format(
                folder=config.inbox, reason=_reason(error)), error)
            return
        try:
            receiver = StorageReceiver(config, on_stored=lambda path: self._stored.emit(str(path)),
                                       on_refused=self._refused.emit)
            receiver.start()
        except (OSError, ValueError, OverflowError) as error:  # port in use or privileged, bad address or title
            self._receive_failed(self.tr("Cannot listen on {address}: {reason}").format(
                address=f"{config.bind}:{config.port}", reason=_reason(error)), error)
            return
        self._receiver, self._inbox_key = receiver, arrival_key(RECEIVE, config.inbox)
        host, port = receiver.address
        self._workspace.intake.started(RECEIVE, config.inbox, f"{host}:{port}")
        if any(config.inbox.iterdir()):
            self._workspace.add_arrivals(self._inbox_key, [str(config.inbox)])

    def _receive_failed(self, message: str, error: Exception) -> None:
        self._workspace.report_failure(Failure(RECEIVE, message, str(error)))

    def _stop_receiver(self) -> None:
        if self._receiver is not None:
            self._receiver.stop()
            self._receiver = None

    @Slot(str)
    def _received(self, path: str) -> None:
        if self._receiver is not None:  # else it came in as the receiver stopped: the inbox keeps it
            self._workspace.add_arrivals(self._inbox_key, [path])

    @Slot(object)
    def _refusal(self, result: ScreenResult) -> None:
        self._workspace.add_refused(result)

    # --- watching a folder ---------------------------------------------------------------
    def set_watching(self, folder: Path | None) -> None:
        """Remember the choice, then watch ``folder`` or stop (None)."""
        self._settings.watching = folder is not None
        if folder is not None:
            self._settings.watch_folder = str(folder)
            self.watch(folder)
        else:
            self._timer.stop()
            self._watcher = None
            self._workspace.intake.stopped(WATCH)

    def watch(self, folder: Path) -> None:
        """Poll ``folder`` (and below): every film in it is screened once it stops changing, those already
        there first. A folder that is not there is a failure of `WATCH`."""
        self._timer.stop()
        self._watcher = None
        if not folder.is_dir():
            self._workspace.report_failure(Failure(WATCH, self.tr("Cannot watch {folder}: it is not a folder").format(
                folder=folder)))
            return
        self._watcher = StableFiles(folder, self.watch_stable_polls)
        self._workspace.intake.started(WATCH, folder)
        self._timer.start(self.watch_interval_ms)

    def _poll(self) -> None:
        watcher = self._watcher
        if watcher is None or self._polling:
            return  # the last poll is still walking a slow share
        self._polling = True
        run_in_pool(lambda: _poll_once(watcher), lambda paths: self._settled(watcher, paths),
                    lambda error: self._unreadable(watcher, error))

    def _settled(self, watcher: StableFiles, paths: list[Path]) -> None:
        self._polling = False
        if watcher is not self._watcher:
            return  # stopped, or another folder chosen, while this poll ran
        if self._workspace.intake.inputs[WATCH].state is InputState.FAILED:
            self._workspace.intake.started(WATCH, watcher.folder)  # the folder is back (a share, a stick)
        if paths:
            self._workspace.add_arrivals(arrival_key(WATCH, watcher.folder), [str(path) for path in paths])

    def _unreadable(self, watcher: StableFiles, error: Exception) -> None:
        """Said once, not at every poll; polling goes on, and the light turns back on when it is readable."""
        self._polling = False
        if watcher is self._watcher and self._workspace.intake.inputs[WATCH].state is InputState.ON:
            self._workspace.report_failure(Failure(WATCH, self.tr("Cannot read the watched folder {folder}: {reason}")
                                                   .format(folder=watcher.folder, reason=_reason(error)), str(error)))


def _reason(error: Exception) -> str:
    """An OS error as the system words it ("Address already in use"), anything else as its text."""
    return str(getattr(error, "strerror", None) or error)


def _poll_once(watcher: StableFiles) -> list[Path]:
    """One poll (in a pool thread). A folder gone (a share dropped, a stick pulled) raises, where
    `StableFiles` alone would only see it empty."""
    if not watcher.folder.is_dir():
        raise FileNotFoundError(f"{watcher.folder} is not there")
    return watcher.poll()
