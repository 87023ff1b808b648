"""The app state without Qt: the shipped pediatric model scores the real sample films, and the
`Workspace` is driven as the window's worker bridge drives it (job state, results, selection,
heatmap cache and pending set, the one error channel). No display, no event loop."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from cxrcore.classifier import Classifier
from desktop.events import Event, EventGroup
from desktop.jobs import BatchRequest, EngineSettings, ExportRequest
from desktop.reports.csv_export import ENCODING
from desktop.screening.batch import BatchSummary
from desktop.screening.catalog import ModelIdentity, discover
from desktop.screening.heatmap import occlusion_heatmap
from desktop.screening.results import STATUS_OK, ScreenResult
from desktop.screening.routing import select
from desktop.workspace import BATCH, ENGINE, EXPORT, HEATMAP, TASK, Failure, JobRefused, JobState, Workspace
from tests.conftest import REPO_ROOT
from tests.factories import sample_films

MODELS = REPO_ROOT / "models"


@pytest.fixture(scope="module")
def catalog():
    return discover([MODELS])


@pytest.fixture(scope="module")
def pediatric(catalog) -> EngineSettings:
    return EngineSettings(select(catalog, "pneumonia-pediatric"), "cpu", 1)


@pytest.fixture(scope="module")
def classifier(pediatric: EngineSettings):
    bundle, build = pediatric.selection.models[0]
    opened = Classifier(bundle, build, "cpu", 1)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def films(classifier: Classifier, pediatric: EngineSettings) -> dict[str, ScreenResult]:
    """Each sample Kermany film scored by the shipped model, as the pipeline records it, plus a failure."""
    identity = pediatric.identities[0]
    results = {}
    for film in sample_films():
        decision = classifier.classify_file(film).decision
        results[film.name] = ScreenResult(path=str(film), status=STATUS_OK, prediction=decision.prediction,
                                          confidence=decision.confidence, flagged=decision.flagged,
                                          probabilities=dict(decision.probabilities), model=identity)
    results["missing.jpg"] = ScreenResult.failure(str(REPO_ROOT / "missing.jpg"), "unreadable", "no such file")
    return results


@pytest.fixture()
def workspace(catalog, pediatric: EngineSettings) -> Workspace:
    opened = Workspace()
    opened.set_catalog(catalog)
    opened.set_engine(pediatric)
    return opened


def record(event: Event) -> list[tuple]:
    """Every emission of ``event``, as its argument tuples."""
    calls: list[tuple] = []
    event.connect(lambda *args: calls.append(args))
    return calls


def flagged(films: dict[str, ScreenResult]) -> ScreenResult:
    return next(result for result in films.values() if result.flagged and result.scored)


def unflagged(films: dict[str, ScreenResult]) -> ScreenResult:
    return next(result for result in films.values() if result.flagged is False)


def screen(workspace: Workspace, results: list[ScreenResult]) -> None:
    """One batch as the screening worker reports it: scanned, each result, finished."""
    workspace.start_batch([str(REPO_ROOT / "samples")])
    workspace.batch_scanned(len(results))
    for done, result in enumerate(results, start=1):
        workspace.add_result(result, done, len(results))
    workspace.finish_batch(BatchSummary(batch_id="b", total=len(results), results=list(results)))


def test_the_workspace_loads_without_qt() -> None:
    code = "import sys, desktop.workspace; print(sorted(m for m in sys.modules if m.startswith('PySide6')))"
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "[]", done.stderr


def test_events_reach_subscribers_in_order_and_a_misspelt_name_is_an_error() -> None:
    class Events(EventGroup):
        changed: Event

    events, heard = Events(), []
    events.changed.connect(lambda value: heard.append(("first", value)))
    second = events.changed.connect(lambda value: heard.append(("second", value)))
    events.changed.emit(1)
    events.changed.disconnect(second)
    events.changed.emit(2)
    assert heard == [("first", 1), ("second", 1), ("first", 2)]
    with pytest.raises(AttributeError):
        events.chnged.connect(print)


def test_a_batch_runs_idle_to_running_to_idle_and_refuses_a_second_job(workspace: Workspace,
                                                                       films: dict[str, ScreenResult]) -> None:
    states, started = record(workspace.events.job_changed), record(workspace.events.job_started)
    assert workspace.can_screen and not workspace.can_export_csv
    request = workspace.start_batch([str(REPO_ROOT / "samples")])
    assert workspace.busy and workspace.job_state is JobState.RUNNING and started == [(request,)]
    assert request.inputs == (str(REPO_ROOT / "samples"),) and request.batch_key.startswith("gui:")
    with pytest.raises(JobRefused) as refused:
        workspace.start_batch(["elsewhere"])
    assert refused.value.reason == JobRefused.BUSY
    assert workspace.start_export(Path("report.pdf"), False) is None and not workspace.can_clear

    workspace.cancel()
    assert request.cancel.is_set() and workspace.job_state is JobState.CANCELLING
    workspace.finish_batch(BatchSummary(batch_id="b", total=3, cancelled=True))
    assert not workspace.busy and workspace.job_state is JobState.IDLE and workspace.progress is None
    assert [state for state, _ in states] == [JobState.RUNNING, JobState.CANCELLING, JobState.IDLE]


def test_without_a_model_nothing_can_be_screened(catalog) -> None:
    workspace = Workspace()
    workspace.set_catalog(catalog)
    with pytest.raises(JobRefused) as refused:
        workspace.start_batch(["films"])
    assert refused.value.reason == JobRefused.NO_MODEL and not workspace.busy


def test_progress_counts_files_and_estimates_the_time_left_from_timed_ones(
        pediatric: EngineSettings, films: dict[str, ScreenResult]) -> None:
    now = [100.0]
    workspace = Workspace(clock=lambda: now[0])
    workspace.set_engine(pediatric)
    progress = record(workspace.events.progress_changed)
    workspace.start_batch(["films"])
    workspace.batch_scanned(4)
    results = list(films.values())
    for done, seconds in enumerate((2.0, 2.0, 2.0), start=1):
        now[0] += seconds
        workspace.add_result(results[done - 1], done, 4)
    assert [(p.done, p.total) for (p,) in progress] == [(0, None), (0, 4), (1, 4), (2, 4), (3, 4)]
    assert progress[2][0].remaining_seconds is None  # one timed film is not a rate
    assert progress[-1][0].remaining_seconds == pytest.approx(2.0)  # 6 s for 3 films, 1 left
    workspace.add_result(results[3], 4, 4)
    assert workspace.progress.remaining_seconds is None  # done


def test_results_stream_in_and_a_film_screened_again_replaces_its_row(workspace: Workspace,
                                                                      films: dict[str, ScreenResult]) -> None:
    events = workspace.results.events
    inserting, inserted, replaced = record(events.inserting), record(events.inserted), record(events.replaced)
    finished = record(workspace.events.batch_finished)
    screen(workspace, list(films.values()))
    assert len(workspace.results) == len(films) and inserting == inserted == [(row,) for row in range(len(films))]
    assert finished[0][0].total == len(films)
    assert workspace.results.labels == ["NORMAL", "PNEUMONIA"]

    again = films["kermany-test-normal-IM-0001-0001.jpeg"]
    screen(workspace, [again])
    assert len(workspace.results) == len(films) and replaced == [(0,)] and workspace.results[0] == again
    assert workspace.can_export_csv and workspace.can_export_pdf


def test_other_models_clear_the_results_and_other_threads_keep_them(workspace: Workspace, catalog,
                                                                    pediatric: EngineSettings,
                                                                    films: dict[str, ScreenResult]) -> None:
    changed = record(workspace.events.engine_changed)
    screen(workspace, list(films.values()))
    workspace.select(workspace.results[0])
    assert not workspace.set_engine(pediatric)  # the same settings: nothing to do
    assert workspace.set_engine(EngineSettings(pediatric.selection, "cpu", 2))
    assert len(workspace.results) == len(films) and workspace.selected is not None

    automatic = EngineSettings(select(catalog, "auto"), "cpu", 1)
    assert workspace.set_engine(automatic)
    assert len(workspace.results) == 0 and workspace.selected is None
    assert workspace.results.labels == automatic.selection.labels != ["NORMAL", "PNEUMONIA"]
    assert [engine for (engine,) in changed] == [EngineSettings(pediatric.selection, "cpu", 2), automatic]
    assert workspace.runtime_description == ""
    workspace.engine_ready("LiteRT · CPU", [])
    assert workspace.runtime_description == "LiteRT · CPU"
    workspace.set_engine(None)
    workspace.engine_ready("late", [])
    assert workspace.runtime_description == "" and not workspace.can_screen


def test_a_flagged_film_asks_for_its_heatmap_once_and_an_unflagged_one_waits_for_the_switch(
        workspace: Workspace, films: dict[str, ScreenResult]) -> None:
    requested, visible = record(workspace.events.heatmap_requested), record(workspace.events.heatmap_visibility_changed)
    screen(workspace, list(films.values()))
    sick, healthy = flagged(films), unflagged(films)

    workspace.select(sick)
    assert workspace.heatmap_visible and workspace.heatmap_shown
    assert requested == [(sick.path, sick.model)] and workspace.pending_heatmaps == {sick.path}
    workspace.select(healthy)
    assert not workspace.heatmap_visible and visible == [(True,), (False,)]
    workspace.select(sick)
    assert len(requested) == 1  # still being computed: not asked twice

    workspace.select(healthy)
    workspace.set_heatmap_visible(True)  # the user ticks the box: every scored film shows its heatmap
    assert requested[-1] == (healthy.path, healthy.model)
    workspace.select(films["missing.jpg"])
    assert workspace.heatmap_visible and not workspace.heatmap_shown and len(requested) == 2  # nothing to map

    workspace.set_heatmap_visible(False)
    workspace.set_heatmap_for_flagged(False)
    workspace.select(sick)
    assert not workspace.heatmap_visible


def test_heatmaps_are_cached_per_film_for_the_models_in_use(workspace: Workspace, classifier: Classifier,
                                                            films: dict[str, ScreenResult]) -> None:
    ready = record(workspace.events.heatmap_ready)
    screen(workspace, list(films.values()))
    sick = flagged(films)
    workspace.select(sick)
    heatmap = occlusion_heatmap(classifier, classifier.load_gray(sick.path), grid=2)
    workspace.heatmap_ready(sick.path, heatmap, sick.model)
    assert workspace.heatmap(sick.path) is heatmap and ready == [(sick.path,)] and not workspace.pending_heatmaps
    workspace.select(sick)
    assert workspace.pending_heatmaps == set()  # cached: not asked again

    stale = ModelIdentity(**{**sick.model.to_dict(), "labels": sick.model.labels, "version": "0.0.0"})
    other = unflagged(films)
    workspace.heatmap_ready(other.path, heatmap, stale)  # computed before the model changed
    assert workspace.heatmap(other.path) is None and len(ready) == 1

    assert workspace.clear_results()
    assert workspace.heatmap(sick.path) is None and len(workspace.results) == 0 and workspace.selected is None


def test_a_report_gathers_every_result_model_and_cached_heatmap(workspace: Workspace, classifier: Classifier,
                                                                films: dict[str, ScreenResult]) -> None:
    finished = record(workspace.events.export_finished)
    assert workspace.start_export(Path("report.pdf"), False) is None  # nothing to report yet
    screen(workspace, list(films.values()))
    sick = flagged(films)
    heatmap = occlusion_heatmap(classifier, classifier.load_gray(sick.path), grid=2)
    workspace.heatmap_ready(sick.path, heatmap, sick.model)
    workspace.engine_ready("LiteRT · CPU", [])

    request = workspace.start_export(Path("report.pdf"), include_patient_fields=True)
    assert isinstance(request, ExportRequest) and workspace.busy and request.path == Path("report.pdf")
    content = request.content
    assert content.results == list(workspace.results) and content.heatmaps == {sick.path: heatmap}
    assert [model.identity for model in content.models] == list(workspace.engine.identities)
    assert content.models[0].thresholds == workspace.thresholds_of(sick) == {"PNEUMONIA": pytest.approx(
        workspace.engine.selection.models[0][0].thresholds["PNEUMONIA"])}
    assert content.runtime == "LiteRT · CPU" and content.include_patient_fields and not content.automatic
    workspace.export_progress(3, 10)
    assert (workspace.progress.done, workspace.progress.total) == (3, 10)
    workspace.finish_export("report.pdf")
    assert finished == [("report.pdf",)] and not workspace.busy


def test_the_csv_holds_every_result(workspace: Workspace, films: dict[str, ScreenResult], tmp_path: Path) -> None:
    screen(workspace, list(films.values()))
    workspace.export_csv(tmp_path / "results.csv", include_patient_fields=False)
    with open(tmp_path / "results.csv", encoding=ENCODING, newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert [row["path"] for row in rows] == [result.path for result in films.values()]
    with pytest.raises(OSError):
        workspace.export_csv(tmp_path / "results.csv" / "inside-a-file.csv", include_patient_fields=False)


@pytest.mark.parametrize("source, ends", [(BATCH, BatchRequest), (EXPORT, ExportRequest), (HEATMAP, None),
                                          (ENGINE, None), (TASK, None)])
def test_every_failure_comes_back_on_the_one_channel_and_ends_only_its_own_job(
        workspace: Workspace, films: dict[str, ScreenResult], source: str, ends: type | None) -> None:
    failures = record(workspace.events.failed)
    screen(workspace, list(films.values()))
    sick = flagged(films)
    workspace.select(sick)  # asks for its heatmap
    job = workspace.start_export(Path("r.pdf"), False) if ends is ExportRequest else workspace.start_batch(["x"])
    failure = Failure(source, "what the user reads", "raw detail", sick.path if source == HEATMAP else "")
    workspace.report_failure(failure)
    assert failures == [(failure,)]
    assert workspace.busy is (ends is None or not isinstance(job, ends))
    assert (sick.path in workspace.pending_heatmaps) is (source != HEATMAP)

