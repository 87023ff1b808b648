"""The screened films of the session, in arrival order, with events a view can follow.

Its events bracket each change (``inserting`` before, ``inserted`` after, as napari's evented
lists do), so that a Qt table model can be a thin adapter: Qt wants to be told before rows appear.
"""

from __future__ import annotations

from typing import Iterator

from desktop.events import Event, EventGroup
from desktop.screening.results import ScreenResult


class ResultListEvents(EventGroup):
    inserting: Event  # (row): before a row is appended, so a Qt model can bracket the change
    inserted: Event  # (row)
    replaced: Event  # (row): a path screened again took the place of its earlier result
    resetting: Event  # (): before every row goes (and the label columns may change)
    reset: Event  # ()


class ResultList:
    """The screened films in arrival order, plus the label columns of the models that score them.

    A path screened again (a resumed or re-run batch) replaces its entry instead of adding a second."""

    def __init__(self) -> None:
        self.events = ResultListEvents()
        self._labels: list[str] = []
        self._rows: list[ScreenResult] = []
        self._row_of: dict[str, int] = {}

    @property
    def labels(self) -> list[str]:
        return list(self._labels)

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, row: int) -> ScreenResult:
        return self._rows[row]

    def __iter__(self) -> Iterator[ScreenResult]:
        return iter(list(self._rows))

    def add(self, result: ScreenResult) -> None:
        row = self._row_of.get(result.path)
        if row is not None:
            self._rows[row] = result
            self.events.replaced.emit(row)
            return
        row = len(self._rows)
        self.events.inserting.emit(row)
        self._rows.append(result)
        self._row_of[result.path] = row
        self.events.inserted.emit(row)

    def clear(self, labels: list[str]) -> None:
        self.events.resetting.emit()
        self._labels = list(labels)
        self._rows.clear()
        self._row_of.clear()
        self.events.reset.emit()
