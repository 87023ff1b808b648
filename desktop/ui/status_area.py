"""The status bar: the models and runtime in use, the job's progress with Cancel, a light per clinic
input (receiving, watching a folder: off, on and where, or failed and why), and the failures that
concern no film on screen (a film's own failure shows in the viewer, `film_presenter`).
"""

from __future__ import annotations

import html

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QMessageBox, QProgressBar, QPushButton, QStatusBar, QWidget

from desktop.intake import RECEIVE, WATCH, InputState, InputStatus
from desktop.jobs import BatchRequest, DicomExportRequest, EngineSettings, Job
from desktop.screening.batch import BatchSummary
from desktop.screening.results import STATUS_NOT_VALIDATED
from desktop.workspace import BATCH, ENGINE, EXPORT, HEATMAP, TASK, Failure, JobState, Progress, Workspace

#: How long a transient message stays (ms); 0 keeps it until the next one.
BRIEF_MS, LONG_MS = 5000, 8000
#: The lights' colours: grey off, green on, red failed.
LIGHT_COLOURS = {InputState.OFF: "#9e9e9e", InputState.ON: "#2e7d32", InputState.FAILED: "#c62828"}


class StatusArea(QObject):
    def __init__(self, workspace: Workspace, bar: QStatusBar, window: QWidget) -> None:
        super().__init__(window)
        self._workspace = workspace
        self._bar = bar
        self._window = window
        self.model_label = QLabel()
        self.progress_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(260)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(workspace.cancel)
        self.lights = {RECEIVE: QLabel(), WATCH: QLabel()}
        for widget in (*self.lights.values(), self.model_label, self.progress_label, self.progress,
                       self.cancel_button):
            bar.addPermanentWidget(widget)
        workspace.events.connect(
            engine_changed=self._engine_changed, runtime_changed=self._runtime_changed, job_changed=self._job_changed,
            progress_changed=self._progress_changed, batch_finished=self._batch_finished, failed=self._failed,
            export_finished=lambda path: self.progress_label.setText(self.tr("Saved {path}").format(path=path)),
            heatmap_requested=lambda _path, _model: bar.showMessage(self.tr("Computing heatmap…")),
            heatmap_ready=lambda _path: bar.clearMessage())
        workspace.intake.events.input_changed.connect(self._input_changed)
        for source, status in workspace.intake.inputs.items():
            self._input_changed(source, status)
        self._job_changed(workspace.job_state, workspace.job)

    def show_message(self, text: str, timeout_ms: int = BRIEF_MS) -> None:
        self._bar.showMessage(text, timeout_ms)

    # --- models --------------------------------------------------------------------------
    def _models_text(self, engine: EngineSettings) -> str:
        names = ", ".join(identity.label for identity in engine.identities)
        return (self.tr("Models (automatic by population): {names}") if engine.automatic
                else self.tr("Model: {names}")).format(names=names)

    def _engine_changed(self, engine: EngineSettings | None) -> None:
        self.model_label.setText("" if engine is None else self.tr("{models} · opening…").format(
            models=self._models_text(engine)))

    def _runtime_changed(self, description: str, notes: list[str]) -> None:
        engine = self._workspace.engine
        text = self.tr("{models} · {runtime}").format(models=self._models_text(engine), runtime=description)
        if engine.accelerator == "gpu" and "GPU" not in description:
            text += self.tr(" · GPU unavailable, running on CPU")
        self.model_label.setText(text)
        self.model_label.setToolTip("\n".join(notes))

    # --- clinic inputs -------------------------------------------------------------------
    def _input_changed(self, source: str, status: InputStatus) -> None:
        light = self.lights[source]
        light.setText(f'<span style="color:{LIGHT_COLOURS[status.state]}">●</span> '
                      f"{html.escape(self._input_text(source, status))}")
        if status.folder is None:
            light.setToolTip("")
        elif source == RECEIVE:
            light.setToolTip(self.tr("Received films are kept in {folder}").format(folder=status.folder))
        else:
            light.setToolTip(str(status.folder))

    def _input_text(self, source: str, status: InputStatus) -> str:
        """What the light says; a watched folder by its name (the tooltip has its path)."""
        if status.state is InputState.FAILED:
            return (self.tr("Receiving stopped: {reason}") if source == RECEIVE
                    else self.tr("Watching stopped: {reason}")).format(reason=status.reason)
        if status.state is InputState.OFF:
            return self.tr("Not receiving") if source == RECEIVE else self.tr("Not watching")
        return (self.tr("Receiving on {address}").format(address=status.address) if source == RECEIVE
                else self.tr("Watching {folder}").format(folder=status.folder.name or status.folder))

    # --- jobs ----------------------------------------------------------------------------
    def _job_changed(self, state: JobState, job: Job | None) -> None:
        self.progress.setVisible(job is not None)
        self.cancel_button.setVisible(job is not None)
        if state is JobState.CANCELLING:
            self.progress_label.setText(self.tr("Cancelling…"))

    def _progress_changed(self, progress: Progress) -> None:
        if self._workspace.job_state is JobState.CANCELLING:
            return  # keep saying so until the worker stops
        job = self._workspace.job
        batch = isinstance(job, BatchRequest)
        writing = self.tr("Writing DICOM results…") if isinstance(job, DicomExportRequest) else self.tr(
            "Writing the report…")
        if progress.total is None:
            self.progress.setRange(0, 0)  # busy indicator: the amount of work is not known yet
            self.progress_label.setText(self.tr("Looking for images…") if batch else writing)
            return
        self.progress.setRange(0, max(1, progress.total))
        self.progress.setValue(progress.done)
        count = self.tr("{done} / {total}").format(done=progress.done, total=progress.total)
        self.progress_label.setText(self._time_left(count, progress.remaining_seconds) if batch
                                    else self.tr("{writing} {count}").format(writing=writing, count=count))

    def _time_left(self, count: str, remaining: float | None) -> str:
        if remaining is None:
            return count
        if remaining < 60:
            return self.tr("{count} · less than a minute left").format(count=count)
        return self.tr("{count} · about {minutes} min left").format(count=count, minutes=round(remaining / 60))

    def _batch_finished(self, summary: BatchSummary) -> None:
        counts = summary.status_counts
        self.progress_label.setText(self.tr(
            "{verb}: {done} of {total} file(s) · {flagged} need review ({not_validated} not validated) · "
            "{errors} error(s), {rejected} rejected · {resumed} resumed from earlier").format(
            verb=self.tr("Cancelled") if summary.cancelled else self.tr("Done"), done=len(summary.results),
            total=summary.total, flagged=summary.flagged, not_validated=counts[STATUS_NOT_VALIDATED],
            errors=counts["error"], rejected=counts["rejected"], resumed=summary.resumed))
        if summary.total == 0:
            self.show_message(self.tr("No image files found there."), LONG_MS)

    # --- failures ------------------------------------------------------------------------
    def _failed(self, failure: Failure) -> None:
        if failure.source == BATCH:
            self.progress_label.setText(self.tr("Screening stopped"))
            QMessageBox.critical(self._window, self.tr("Screening stopped"), failure.message)
        elif failure.source == EXPORT:
            self.progress_label.setText(failure.message)
        elif failure.source == ENGINE:
            self.model_label.setText(self.tr("Model could not be opened"))
            self.show_message(failure.message, 0)
        elif failure.source in (HEATMAP, RECEIVE, WATCH):  # an input's failure stays on its light too
            self.show_message(failure.message, LONG_MS)
        elif failure.source == TASK and not failure.path:  # one about a film is the viewer's to show
            self.show_message(failure.message, 0)
