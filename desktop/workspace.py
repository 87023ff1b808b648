"""The app's state, free of Qt: models in use, the job in progress, the results, the selection, the
heatmaps and the clinic inputs (`desktop.intake`: films received or found in a watched folder). The
window's views subscribe to its events (napari's ViewerModel pattern), so every rule about that state
(what a new model clears, when a heatmap is asked for, what may start while a job runs, what each
failure ends, when arriving films are screened) lives here and is tested without a display.

It does no long work itself: it says what should happen (`events.job_started`,
`events.heatmap_requested`, `events.engine_changed`) and is told what happened (`add_result`,
`heatmap_ready`, `report_failure`). `desktop.ui.bridge` connects those to the worker threads, and
`desktop.ui.clinic` hands it the films that arrive by themselves (`add_arrivals`). It is used on the
UI thread only.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Callable

from desktop.events import Event, EventGroup
from desktop.intake import RECEIVE, WATCH, Intake
from desktop.jobs import EXPORTS, BatchRequest, DicomExportRequest, EngineSettings, ExportRequest, Job
from desktop.result_list import ResultList
from desktop.reports.csv_export import write_csv
from desktop.screening.batch import BatchSummary
from desktop.screening.catalog import Catalog, ModelIdentity
from desktop.screening.heatmap import Heatmap
from desktop.screening.progress import ProgressClock
from desktop.screening.results import ScreenResult

#: What can fail in the background, i.e. the ``source`` of a `Failure` (or a clinic input's: `RECEIVE`, `WATCH`).
BATCH, EXPORT, HEATMAP, ENGINE, TASK = "batch", "export", "heatmap", "engine", "task"


@dataclass(frozen=True)
class Failure:
    """One failure of background work, whatever its kind: the one thing the error channel carries.

    ``message`` is for the user, already translated; ``detail`` is the raw reason (an exception's
    text) where one helps; ``path`` names the film concerned, if any (a heatmap, the viewer's film)."""

    source: str
    message: str
    detail: str = ""
    path: str = ""


class JobState(Enum):
    IDLE = "idle"
    RUNNING = "running"
    CANCELLING = "cancelling"


@dataclass(frozen=True)
class Progress:
    """How far the job is: ``total`` None while unknown (inputs still being scanned, report starting)."""

    done: int = 0
    total: int | None = None
    remaining_seconds: float | None = None


class JobRefused(Exception):
    """A job asked for when it cannot start; ``reason`` is `BUSY`, `NO_MODEL` or `FILM_SOURCE` (an export
    into a folder that films are taken from)."""

    BUSY, NO_MODEL, FILM_SOURCE = "busy", "no-model", "film-source"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class WorkspaceEvents(EventGroup):
    catalog_changed: Event  # (Catalog)
    engine_changed: Event  # (EngineSettings | None): models or runtime choices changed
    runtime_changed: Event  # (description, notes): the engines opened
    job_changed: Event  # (JobState, Job | None)
    job_started: Event  # (Job): to be carried out by a worker
    progress_changed: Event  # (Progress)
    batch_finished: Event  # (BatchSummary)
    export_finished: Event  # (path)
    selection_changed: Event  # (ScreenResult | None)
    heatmap_visibility_changed: Event  # (bool)
    heatmap_requested: Event  # (path, ModelIdentity): compute it with the model that scored the film
    heatmap_ready: Event  # (path): its heatmap is now in the cache
    failed: Event  # (Failure): the one error channel


class Workspace:
    """See the module docstring. Read its attributes freely; change it only through its methods."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.events = WorkspaceEvents()
        self.results = ResultList()
        self.catalog: Catalog | None = None
        self.engine: EngineSettings | None = None
        self.runtime_description = ""
        self.job: Job | None = None
        self.job_state = JobState.IDLE
        self.progress: Progress | None = None
        self.selected: ScreenResult | None = None
        #: The heatmap switch as the user left it, and whether flagged films show theirs regardless.
        self.heatmap_choice = False
        self.heatmap_for_flagged = True
        self.heatmap_visible = False
        self._clock = ProgressClock(clock)
        self._heatmaps: dict[str, Heatmap] = {}
        self._pending: set[str] = set()
        self.intake = Intake()

    # ----------------------------------------------------------------------------- models
    def set_catalog(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.events.catalog_changed.emit(catalog)

    def set_engine(self, engine: EngineSettings | None) -> bool:
        """Use ``engine`` (None: no model). Other models mean other label columns, so the results go;
        only another accelerator or thread count keeps them. False if nothing changed."""
        if engine is not None and engine == self.engine:
            return False
        if engine is None or not engine.same_models(self.engine):
            self._reset_results(engine.selection.labels if engine else [])
        self.engine = engine
        self.runtime_description = ""
        self.events.engine_changed.emit(engine)
        self._screen_arrivals()
        return True

    def engine_ready(self, description: str, notes: list[str]) -> None:
        if self.engine is None:
            return
        self.runtime_description = description
        self.events.runtime_changed.emit(description, notes)

    def thresholds_of(self, result: ScreenResult | None) -> dict[str, float]:
        """The operating thresholds of the model that scored ``result`` (none when no model did)."""
        bundle = self.engine.bundle_of(result.model) if self.engine and result and result.model else None
        return bundle.thresholds if bundle else {}

    # ----------------------------------------------------------------------------- jobs
    @property
    def busy(self) -> bool:
        return self.job is not None

    @property
    def can_screen(self) -> bool:
        return not self.busy and self.engine is not None

    @property
    def can_export_csv(self) -> bool:
        return not self.busy and len(self.results) > 0

    can_clear = can_export_csv  # the same condition: rows, and no job that would bring half of them back

    @property
    def can_export_pdf(self) -> bool:
        return self.can_screen and len(self.results) > 0

    can_export_dicom = can_export_pdf  # the same condition: heatmaps need the models

    @property
    def dicom_films(self) -> list[ScreenResult]:
        """The scored films a DICOM export writes results for: DICOM ones whose header names their study
        (read with the film; a JPEG has no such field), so the results can be filed beside them."""
        return [result for result in self.results if result.scored and result.metadata.get("StudyInstanceUID")]

    def start_batch(self, paths: list[str]) -> BatchRequest:
        """Screen files/folders; raises `JobRefused` while busy or without a model."""
        if self.busy:
            raise JobRefused(JobRefused.BUSY)
        if self.engine is None:
            raise JobRefused(JobRefused.NO_MODEL)
        request = BatchRequest.of(paths)
        self._start(request)
        return request

    def batch_scanned(self, total: int) -> None:
        self._clock.start(total)
        self._set_progress(Progress(0, total))

    def add_result(self, result: ScreenResult, done: int, total: int) -> None:
        self.results.add(result)
        self._clock.advance(timed=not result.resumed)
        remaining = None if done >= total else self._clock.remaining_seconds()
        self._set_progress(Progress(done, total, remaining))

    def finish_batch(self, summary: BatchSummary) -> None:
        self._end()
        self.events.batch_finished.emit(summary)
        self._screen_arrivals()

    def start_export(self, path: Path, include_patient_fields: bool) -> ExportRequest | None:
        """Write the PDF report of every result (in a worker: `events.job_started`); None if it cannot start."""
        if not self.can_export_pdf:
            return None
        from desktop.reports.pdf_report import ReportContent, ReportModel  # reportlab loads only for a report

        engine = self.engine
        models = [ReportModel(identity, thresholds) for identity, thresholds in engine.thresholds.items()]
        content = ReportContent(results=list(self.results), models=models, automatic=engine.automatic,
                                runtime=self.runtime_description, heatmaps=dict(self._heatmaps),
                                include_patient_fields=include_patient_fields)
        request = ExportRequest(path=Path(path), content=content)
        self._start(request)
        return request

    def start_dicom_export(self, folder: Path) -> DicomExportRequest | None:
        """Write the SR and heatmap capture of every `dicom_films` into ``folder`` (in a worker); None if
        it cannot start or there is no such film. Raises `JobRefused` (`FILM_SOURCE`) for a folder films
        are taken from."""
        films = self.dicom_films
        if not self.can_export_dicom or not films:
            return None
        if any(Path(folder).absolute().is_relative_to(source) for source in self.intake.film_sources):
            raise JobRefused(JobRefused.FILM_SOURCE)
        thresholds = {identity.label: values for identity, values in self.engine.thresholds.items()}
        request = DicomExportRequest(Path(folder), tuple(films), thresholds, dict(self._heatmaps))
        self._start(request)
        return request

    def export_progress(self, done: int, total: int) -> None:
        self._set_progress(Progress(done, total))

    def finish_export(self, path: str) -> None:
        self._end()
        self.events.export_finished.emit(path)
        self._screen_arrivals()

    def export_csv(self, path: Path, include_patient_fields: bool) -> None:
        """Every result (not only those a filter shows), at once: a CSV takes milliseconds. Raises OSError."""
        write_csv(path, list(self.results), self.results.labels, include_patient_fields)

    def cancel(self) -> None:
        """Ask the running job to stop; it ends (and says so) when the worker has stopped."""
        if self.job is not None and self.job_state is JobState.RUNNING:
            self.job.cancel.set()
            self._set_state(JobState.CANCELLING)

    def report_failure(self, failure: Failure) -> None:
        """The one error channel: end what the failure ended, then tell every subscriber (and screen
        the films that arrived meanwhile)."""
        if (failure.source == BATCH and isinstance(self.job, BatchRequest)) or (
                failure.source == EXPORT and isinstance(self.job, EXPORTS)):
            self._end()
        if failure.source == HEATMAP:
            self._pending.discard(failure.path)
        if failure.source in (RECEIVE, WATCH):
            self.intake.failed(failure.source, failure.message)
        self.events.failed.emit(failure)
        self._screen_arrivals()

    def _start(self, job: Job) -> None:
        self.job = job
        self._set_state(JobState.RUNNING)
        self._set_progress(Progress())
        self.events.job_started.emit(job)

    def _end(self) -> None:
        self.job = None
        self.progress = None
        self._set_state(JobState.IDLE)

    def _set_state(self, state: JobState) -> None:
        self.job_state = state
        self.events.job_changed.emit(state, self.job)

    def _set_progress(self, progress: Progress) -> None:
        self.progress = progress
        self.events.progress_changed.emit(progress)

    # ----------------------------------------------------------------------------- clinic inputs
    def add_arrivals(self, batch_key: str, paths: list[str]) -> None:
        """Films that came by themselves (`desktop.intake`), screened as the batch ``batch_key``: at once,
        or when the job in hand ends. Never refused: nobody is at the window to try again."""
        self.intake.add(batch_key, paths)
        self._screen_arrivals()

    def add_refused(self, result: ScreenResult) -> None:
        """The row of an object the receiver refused before screening (a text report, a PDF): shown as it came."""
        self.results.add(result)

    def _screen_arrivals(self) -> None:
        if self.can_screen and (request := self.intake.take()) is not None:
            self._start(request)

    # ----------------------------------------------------------------------------- results
    def clear_results(self) -> bool:
        """Drop every result and heatmap (not while a job runs: its results would come back half)."""
        if self.busy:
            return False
        self._reset_results(self.results.labels)
        return True

    def _reset_results(self, labels: list[str]) -> None:
        self.results.clear(labels)
        self._heatmaps.clear()
        self._pending.clear()
        self.select(None)

    def select(self, result: ScreenResult | None) -> None:
        """Show ``result``. A flagged film shows its heatmap at once when `heatmap_for_flagged` is on:
        the reviewer of a flagged film needs the area located, and should not have to ask."""
        self.selected = result
        self.events.selection_changed.emit(result)
        self._show_heatmap(self._heatmap_wanted())

    # ----------------------------------------------------------------------------- heatmaps
    def set_heatmap_visible(self, visible: bool) -> None:
        """The user's switch; it holds for the films selected next (a flagged one shows its own anyway)."""
        if visible != self.heatmap_visible:
            self.heatmap_choice = visible
            self._show_heatmap(visible)

    def set_heatmap_for_flagged(self, enabled: bool) -> None:
        self.heatmap_for_flagged = enabled
        self._show_heatmap(self._heatmap_wanted())

    @property
    def heatmap_shown(self) -> bool:
        """Whether the selected film's heatmap belongs on screen (once computed)."""
        return self.heatmap_visible and self.selected is not None and self.selected.scored

    def heatmap(self, path: str) -> Heatmap | None:
        return self._heatmaps.get(path)

    @property
    def pending_heatmaps(self) -> frozenset[str]:
        return frozenset(self._pending)

    def heatmap_ready(self, path: str, heatmap: Heatmap, model: ModelIdentity) -> None:
        """Cache a computed heatmap, unless the model that computed it is no longer in use."""
        self._pending.discard(path)
        if self.engine is None or model not in self.engine.identities:
            return  # computed by the previous model, before the worker saw the change
        self._heatmaps[path] = heatmap
        self.events.heatmap_ready.emit(path)

    def _heatmap_wanted(self) -> bool:
        flagged = self.selected is not None and bool(self.selected.flagged) and self.selected.scored
        return self.heatmap_choice or (self.heatmap_for_flagged and flagged)

    def _show_heatmap(self, visible: bool) -> None:
        if visible != self.heatmap_visible:
            self.heatmap_visible = visible
            self.events.heatmap_visibility_changed.emit(visible)
        result = self.selected
        if self.heatmap_shown and result.path not in self._heatmaps and result.path not in self._pending:
            self._pending.add(result.path)
            self.events.heatmap_requested.emit(result.path, result.model)
