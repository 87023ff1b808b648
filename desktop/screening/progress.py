"""Time-left estimate for a batch, from the average rate since the batch started.

The rate is measured on files that actually ran: files resumed from the store finish in
microseconds and would otherwise make the estimate wildly optimistic.
"""

from __future__ import annotations

import time
from typing import Callable


class ProgressClock:
    """Call `start`, then `advance` after each file; `remaining_seconds` estimates the rest."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._started = 0.0
        self._timed = 0
        self.total = 0
        self.done = 0

    def start(self, total: int) -> None:
        self._started = self._clock()
        self._timed = 0
        self.total = total
        self.done = 0

    def advance(self, timed: bool = True) -> None:
        """One more file done; ``timed=False`` for one that cost nothing (resumed)."""
        self.done += 1
        if timed:
            self._timed += 1
        elif self._timed == 0:  # resumed files before any real one: start timing after them
            self._started = self._clock()

    def remaining_seconds(self) -> float | None:
        """None until two files have been timed (one is not a rate)."""
        if self._timed < 2:
            return None
        elapsed = self._clock() - self._started
        return elapsed / self._timed * max(0, self.total - self.done)
