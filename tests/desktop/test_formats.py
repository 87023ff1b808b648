"""Small pure pieces: the CSV layout, window/level, the time-left clock, folder locations."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np
import pytest

from desktop import paths
from desktop.ui.display import default_window, window_level
from desktop.screening.catalog import ModelIdentity
from desktop.screening.results import ScreenResult
from desktop.screening.progress import ProgressClock
from desktop.reports.csv_export import ENCODING, csv_columns, write_csv

OK = ScreenResult(
    path="/films/a.dcm", status="ok", prediction="PNEUMONIA", confidence=0.75, flagged=True,
    probabilities={"NORMAL": 0.25, "PNEUMONIA": 0.75},
    metadata={"PatientName": "=HYPERLINK(\"x\")", "PatientID": "P-1", "StudyDate": "20240301"},
    quality=71.25, warnings=("outside the training domain", "image quality is poor"),
    model=ModelIdentity("m", "1.2.0", "float32", "a" * 64, "b" * 64, ("NORMAL", "PNEUMONIA")),
)
BAD = ScreenResult.failure("/films/b.jpg", "corrupt", "image data is damaged")


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding=ENCODING, newline="") as stream:
        return list(csv.DictReader(stream))


def test_csv_layout_without_patient_fields(tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    write_csv(out, [OK, BAD], ["NORMAL", "PNEUMONIA"])
    rows = read_rows(out)
    assert list(rows[0]) == ["path", "status", "prediction", "confidence", "flagged", "message", "model", "p_NORMAL",
                             "p_PNEUMONIA", "quality", "warnings"]
    assert rows[0] == {"path": "/films/a.dcm", "status": "ok", "prediction": "PNEUMONIA", "confidence": "0.750000",
                       "flagged": "true", "message": "", "model": "m 1.2.0 float32", "quality": "71.2",
                       "warnings": "outside the training domain | image quality is poor",
                       "p_NORMAL": "0.250000", "p_PNEUMONIA": "0.750000"}
    assert (rows[1]["status"], rows[1]["flagged"], rows[1]["p_NORMAL"], rows[1]["quality"]) == ("error", "", "", "")
    assert "P-1" not in out.read_text(encoding=ENCODING)
    assert not list(tmp_path.glob(".*tmp"))


def test_csv_patient_fields_only_on_opt_in_and_formulas_defused(tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    write_csv(out, [OK], ["NORMAL", "PNEUMONIA"], include_patient_fields=True)
    row = read_rows(out)[0]
    assert list(row) == csv_columns(["NORMAL", "PNEUMONIA"], include_patient_fields=True)
    assert (row["patient_id"], row["study_date"]) == ("P-1", "20240301")
    assert row["patient_name"].startswith("'=")


def test_window_level_maps_the_window_to_full_gray_range() -> None:
    pixels = np.array([[0, 1000, 2000, 3000, 65535]], np.uint16)
    shown = window_level(pixels, center=2000, width=2000)
    assert shown.dtype == np.uint8
    assert shown.tolist() == [[0, 0, 128, 255, 255]]
    assert default_window(pixels) == (32767, 65535)
    with pytest.raises(ValueError):
        window_level(pixels.astype(np.float32), 1, 1)


def test_progress_clock_ignores_resumed_files() -> None:
    now = [0.0]
    clock = ProgressClock(lambda: now[0])
    clock.start(10)
    clock.advance(timed=False)  # resumed instantly
    assert clock.remaining_seconds() is None
    for _ in range(2):
        now[0] += 2.0
        clock.advance()
    assert clock.remaining_seconds() == pytest.approx(2.0 * 7)


def test_user_data_folder_follows_each_platform(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(paths.DATA_DIR_ENV, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setattr(sys, "platform", "linux")
    assert paths.user_models_dir() == tmp_path / "xdg" / "cxr-screening" / "models"
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "local"))
    assert paths.user_data_dir() == tmp_path / "local" / "cxr-screening"
    monkeypatch.setattr(sys, "platform", "darwin")
    assert paths.user_data_dir() == Path.home() / "Library" / "Application Support" / "cxr-screening"
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path / "portable"))
    assert paths.default_store_path() == tmp_path / "portable" / "results.sqlite3"


def test_frozen_app_finds_models_in_the_bundle_and_beside_the_executable(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert paths.app_models_dirs() == [Path(paths.__file__).resolve().parent.parent / "models"]
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path / "meipass"), raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "app" / "cxr-screen"))
    assert paths.app_models_dirs() == [tmp_path / "meipass" / "models", tmp_path / "app" / "models"]
    assert paths.model_search_dirs([tmp_path / "extra"], defaults=False) == [tmp_path / "extra"]


def test_pdf_pages_name_the_model_and_put_not_validated_above_the_score(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    from reportlab.pdfgen.canvas import Canvas

    from cxrcore.safety.population import NOT_VALIDATED
    from desktop.reports.pdf_report import ReportContent, ReportModel, write_report

    written: list[str] = []
    real = Canvas.drawString
    monkeypatch.setattr(Canvas, "drawString", lambda canvas, x, y, text, *a, **k: (written.append(text),
                                                                                    real(canvas, x, y, text, *a, **k)))
    outside = replace(OK, status="not-validated", flagged=True, warnings=(f"{NOT_VALIDATED} (m was validated on "
                                                                          "children and the film does not look like one).",))
    content = ReportContent(results=[OK, outside, BAD], models=[ReportModel(OK.model, {"PNEUMONIA": 0.4})],
                            automatic=True, runtime="LiteRT CPU")
    write_report(tmp_path / "r.pdf", content)

    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    assert {"automatic by population", "m 1.2.0 float32", "Scored by: m 1.2.0 float32"} <= set(written)
    page = written[written.index(NOT_VALIDATED):]
    assert page[1] == "Model output, not validated for this film: PNEUMONIA  (75.0%)" and page[2] == "NEEDS REVIEW"
    assert "Prediction: PNEUMONIA  (75.0%)" in written[:written.index(NOT_VALIDATED)]  # the validated page only
