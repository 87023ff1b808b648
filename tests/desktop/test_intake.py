"""Films that arrive by themselves, without Qt: the `Workspace` screens them through the same batch job as
a dropped folder, waiting for the job in hand and for a model, one group per source; an input's failure
lights it red through the one error channel; the DICOM export takes only the scored DICOM films and never
writes where films are taken from. Driven as `desktop.ui.clinic` and the worker bridge drive it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from desktop.intake import RECEIVE, WATCH, InputState, InputStatus
from desktop.jobs import BatchRequest, DicomExportRequest, arrival_key
from desktop.screening.batch import BatchSummary
from desktop.screening.results import ScreenResult
from desktop.workspace import Failure, JobRefused, Workspace
# The fixtures of test_workspace.py (the shipped model's results on the sample films), shared, not rebuilt:
# pytest finds them by the names imported here, which the tests' parameters then repeat.
# ruff: noqa: F811
from tests.desktop.test_workspace import catalog, classifier, films, pediatric, record, screen, workspace  # noqa: F401


def finish(workspace: Workspace) -> None:
    workspace.finish_batch(BatchSummary(batch_id="b", total=0))


def test_arrivals_wait_for_the_job_in_hand_then_go_one_source_at_a_time(workspace: Workspace, tmp_path: Path) -> None:
    started = record(workspace.events.job_started)
    inbox, watched = arrival_key(RECEIVE, tmp_path / "inbox"), arrival_key(WATCH, tmp_path / "in")
    dropped = workspace.start_batch(["dropped"])
    workspace.add_arrivals(inbox, ["a.dcm"])
    workspace.add_arrivals(watched, ["x.jpeg"])
    workspace.add_arrivals(inbox, ["b.dcm", "a.dcm"])  # a resend while it waits: screened once
    assert [job for (job,) in started] == [dropped]  # nothing is refused, nothing jumps the queue

    finish(workspace)
    assert started[-1][0] == BatchRequest(("a.dcm", "b.dcm"), inbox, started[-1][0].cancel)
    finish(workspace)
    assert started[-1][0].inputs == ("x.jpeg",) and started[-1][0].batch_key == watched
    finish(workspace)
    assert len(started) == 3 and not workspace.busy
    assert inbox == f"gui-receive:{(tmp_path / 'inbox').absolute()}"  # the same batch every session: resumed


def test_arrivals_wait_for_a_model(catalog, pediatric) -> None:
    workspace = Workspace()
    workspace.set_catalog(catalog)
    workspace.add_arrivals("key", ["a.dcm"])
    assert not workspace.busy
    workspace.set_engine(pediatric)
    assert isinstance(workspace.job, BatchRequest) and workspace.job.inputs == ("a.dcm",)


def test_an_input_is_on_off_or_failed_and_its_failure_comes_on_the_one_channel(workspace: Workspace,
                                                                               tmp_path: Path) -> None:
    changed, failures = record(workspace.intake.events.input_changed), record(workspace.events.failed)
    workspace.intake.started(RECEIVE, tmp_path / "inbox", "127.0.0.1:11112")
    workspace.intake.started(WATCH, tmp_path / "in")
    assert workspace.intake.film_sources == [tmp_path / "inbox", tmp_path / "in"]

    failure = Failure(WATCH, "Cannot read the watched folder", "gone")
    workspace.report_failure(failure)
    assert failures == [(failure,)] and not workspace.busy
    assert workspace.intake.inputs[WATCH] == InputStatus(InputState.FAILED, tmp_path / "in",
                                                         reason="Cannot read the watched folder")
    assert workspace.intake.film_sources == [tmp_path / "inbox"]
    workspace.intake.stopped(RECEIVE)
    assert workspace.intake.inputs[RECEIVE] == InputStatus() and [source for source, _ in changed] == [
        RECEIVE, WATCH, WATCH, RECEIVE]


def test_a_refused_object_gets_its_row_at_once(workspace: Workspace) -> None:
    refused = ScreenResult("dicom://UNIT@127.0.0.1/1.2.3", "rejected", "not-an-image-object", "holds no film")
    workspace.add_refused(refused)
    assert list(workspace.results) == [refused] and not workspace.busy


def test_the_dicom_export_takes_the_scored_dicom_films_and_never_writes_where_films_come_from(
        workspace: Workspace, films: dict[str, ScreenResult], tmp_path: Path) -> None:
    screen(workspace, list(films.values()))
    assert workspace.start_dicom_export(tmp_path / "out") is None  # JPEG films only: nothing to write
    scored = next(result for result in films.values() if result.scored)
    dicom = replace(scored, path=str(tmp_path / "film.dcm"), metadata={"StudyInstanceUID": "1.2.3"})
    unscored = replace(films["missing.jpg"], path=str(tmp_path / "other.dcm"), metadata={"StudyInstanceUID": "1.2"})
    screen(workspace, [dicom, unscored])
    assert workspace.dicom_films == [dicom]

    workspace.intake.started(WATCH, tmp_path / "in")
    with pytest.raises(JobRefused) as refused:
        workspace.start_dicom_export(tmp_path / "in" / "results")
    assert refused.value.reason == JobRefused.FILM_SOURCE and not workspace.busy

    request = workspace.start_dicom_export(tmp_path / "out")
    assert isinstance(request, DicomExportRequest) and workspace.busy and request.films == (dicom,)
    assert request.thresholds == {dicom.model.label: workspace.thresholds_of(dicom)}
    workspace.report_failure(Failure("export", "Cannot write"))
    assert not workspace.busy
