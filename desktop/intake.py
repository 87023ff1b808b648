"""Films that reach the app by themselves: received from an X-ray unit (`RECEIVE`) or settled in a
watched folder (`WATCH`). What each of these clinic inputs is doing (the status bar's lights), and the
films that wait for the job in hand to end.

Qt-free, owned by the `desktop.workspace.Workspace`, which screens what waits here through the same
worker as a dropped folder (not a second pipeline). The Qt side (`desktop.ui.clinic`) runs the
receiver and the folder poll and reports here; a failure of either comes through the workspace's one
error channel, which marks the input failed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from desktop.events import Event, EventGroup
from desktop.jobs import BatchRequest

#: The two clinic inputs; each is also the ``source`` of its failures (`desktop.workspace.Failure`).
RECEIVE, WATCH = "receive", "watch"


class InputState(Enum):
    OFF = "off"
    ON = "on"
    FAILED = "failed"


@dataclass(frozen=True)
class InputStatus:
    """What one input is doing: off, on, or failed (``reason``, for the user). ``address`` is where the
    receiver listens (``host:port``); ``folder`` where its films land (the inbox, the watched folder)."""

    state: InputState = InputState.OFF
    folder: Path | None = None
    address: str = ""
    reason: str = ""


class IntakeEvents(EventGroup):
    input_changed: Event  # (source, InputStatus)


class Intake:
    """The inputs' status and the films waiting to be screened, by batch key (`desktop.jobs.arrival_key`)."""

    def __init__(self) -> None:
        self.events = IntakeEvents()
        self.inputs = {RECEIVE: InputStatus(), WATCH: InputStatus()}
        self._waiting: dict[str, list[str]] = {}

    def started(self, source: str, folder: Path, address: str = "") -> None:
        self._set(source, InputStatus(InputState.ON, Path(folder).absolute(), address))

    def stopped(self, source: str) -> None:
        self._set(source, InputStatus())

    def failed(self, source: str, reason: str) -> None:
        """The folder is kept, so the light can still say which one failed."""
        self._set(source, InputStatus(InputState.FAILED, self.inputs[source].folder, reason=reason))

    @property
    def film_sources(self) -> list[Path]:
        """The folders films are taken from now: no DICOM export may write there, or its heatmap
        captures would be screened as films."""
        return [status.folder for status in self.inputs.values() if status.state is InputState.ON]

    def add(self, batch_key: str, paths: list[str]) -> None:
        self._waiting.setdefault(batch_key, []).extend(paths)

    def take(self) -> BatchRequest | None:
        """The next group to screen: every film waiting under the oldest batch key, each once."""
        if not self._waiting:
            return None
        key = next(iter(self._waiting))
        return BatchRequest(tuple(dict.fromkeys(self._waiting.pop(key))), key)

    def _set(self, source: str, status: InputStatus) -> None:
        self.inputs[source] = status
        self.events.input_changed.emit(source, status)
