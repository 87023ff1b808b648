"""Which films in a watched folder are complete: those that have stopped changing.

A film copied from a USB stick, a share or a modality's export arrives over seconds, and read
half-way it would be a "corrupt" row. No portable notification says "the writer is done" (inotify's
close-write is Linux-only and absent on network shares), so the folder is polled with the standard
library and a file is handed out once its size and modification time have stayed the same for
``polls`` consecutive polls and it is not empty. Copy tools that write to a hidden temporary name and
rename at the end (rsync, most browsers) are covered twice: hidden files are never taken
(`desktop.screening.scan.collect_inputs` walks the folder, with its link-loop and junk rules).

A file is handed out once per content: if it changes again later (a copy restarted, a file
replaced), it is handed out again when it settles, and the store screens it again because its
SHA-256 differs. Across restarts the store, not this class, prevents rescreening.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from desktop.screening.scan import collect_inputs

log = logging.getLogger(__name__)

#: (size in bytes, modification time in ns): what "has not changed" compares.
Signature = tuple[int, int]


@dataclass
class _Settling:
    signature: Signature
    unchanged: int = 1


class StableFiles:
    """Poll ``folder``; `poll` returns the files that have just become stable (see the module docstring)."""

    def __init__(self, folder: Path, polls: int = 3) -> None:
        if polls < 1:
            raise ValueError("a file must be seen unchanged at least once")
        self.folder = Path(folder)
        self.polls = polls
        self._settling: dict[Path, _Settling] = {}
        self._handed_out: dict[Path, Signature] = {}
        self._problems_logged: set[str] = set()

    def poll(self) -> list[Path]:
        scan = collect_inputs([self.folder])
        for problem in scan.problems:
            if problem.path not in self._problems_logged:  # an unreadable subfolder: say so once, not each poll
                self._problems_logged.add(problem.path)
                log.warning("cannot watch %s: %s", problem.path, problem.message)
        ready = []
        present = set(scan.files)
        for path in scan.files:
            signature = _signature(path)
            if signature is None or signature[0] == 0 or self._handed_out.get(path) == signature:
                self._settling.pop(path, None)
                continue
            settling = self._settling.get(path)
            if settling is not None and settling.signature == signature:
                settling.unchanged += 1
            else:
                settling = self._settling[path] = _Settling(signature)
            if settling.unchanged >= self.polls:
                del self._settling[path]
                self._handed_out[path] = signature
                ready.append(path)
        for gone in (set(self._settling) | set(self._handed_out)) - present:
            self._settling.pop(gone, None)
            self._handed_out.pop(gone, None)
        return ready


def _signature(path: Path) -> Signature | None:
    try:
        info = os.stat(path)
    except OSError:  # deleted or moved between the scan and now
        return None
    return info.st_size, info.st_mtime_ns
