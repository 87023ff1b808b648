"""The window, offscreen, with a real (untrained) LiteRT model and real Kermany films: drop a
folder, watch rows stream in, cancel, filter, view, heatmap, export, persist settings."""

from __future__ import annotations

import csv
import re
import threading
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from cxrcore.bundle import load_bundle
from cxrcore.classifier import Classifier
from desktop import pipeline
from desktop.heatmap import occlusion_heatmap
from desktop.results_csv import ENCODING
from desktop.ui.main_window import MainWindow
from desktop.ui.viewer import ViewerPanel
from tests.factories import sample_films
from tests.test_desktop_pipeline import write_dicom
from tests.desktop_support import film_folder, kermany_films

pytestmark = pytest.mark.gui
TIMEOUT_MS = 120_000


def make_window(qtbot, tmp_path: Path, model_dirs: list[Path], model: str = "tiny-bundle") -> MainWindow:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("model/name", model)
    settings.setValue("runtime/threads", 1)
    window = MainWindow(model_dirs, tmp_path / "store.sqlite3", settings)
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.fixture()
def window(qtbot, tmp_path: Path, tiny_bundle: Path, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    monkeypatch.setenv("CXR_SCREENING_DATA_DIR", str(tmp_path / "data"))
    opened = make_window(qtbot, tmp_path, [tiny_bundle.parent])
    qtbot.waitUntil(lambda: opened.runtime_description != "", timeout=TIMEOUT_MS)
    return opened


def drop(window: MainWindow, paths: list[Path]) -> bool:
    """Deliver a real drag-enter and drop to the window, as the desktop shell would."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    enter = QDragEnterEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    event = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, event)
    return event.isAccepted()


def screen_and_wait(qtbot, window: MainWindow, paths: list[Path]):
    with qtbot.waitSignal(window.batchDone, timeout=TIMEOUT_MS) as done:
        assert drop(window, paths)
    return done.args[0]


def table_results(window: MainWindow) -> dict[str, object]:
    return {Path(result.path).name: result for result in window.results.results()}


def test_dropped_folder_of_real_films_streams_one_row_per_file(qtbot, window: MainWindow, tmp_path: Path,
                                                                kermany_root: Path, tiny_bundle: Path) -> None:
    films = kermany_films(kermany_root, 10)
    folder = film_folder(tmp_path / "drop", films)

    summary = screen_and_wait(qtbot, window, [folder])

    assert (summary.total, summary.screened, summary.cancelled) == (21, 21, False)
    assert window.results.rowCount() == 21 and not window.busy
    rows = table_results(window)
    assert (rows["corrupt.jpg"].status, rows["corrupt.jpg"].reason) == ("error", "not-an-image")
    reference = Classifier(load_bundle(tiny_bundle), threads=1)
    for film in films:
        expected = reference.classify_file(film).decision
        assert rows[film.name].prediction == expected.prediction
        assert rows[film.name].probabilities["PNEUMONIA"] == pytest.approx(expected.probabilities["PNEUMONIA"], abs=1e-6)
        assert rows[film.name].flagged == (rows[film.name].probabilities["PNEUMONIA"] >= 0.5)

    # Filters: status, flagged only, text.
    window.filter_bar.status.setCurrentIndex(window.filter_bar.status.findData("error"))
    assert window.proxy.rowCount() == 1
    window.filter_bar.status.setCurrentIndex(0)
    window.filter_bar.flagged_only.setChecked(True)
    assert window.proxy.rowCount() == sum(1 for result in rows.values() if result.flagged)
    window.filter_bar.flagged_only.setChecked(False)
    window.filter_bar.text.setText("bacteria")
    assert window.proxy.rowCount() == sum(1 for name in rows if "bacteria" in name)
    window.filter_bar.text.clear()

    # Sorting by P(PNEUMONIA) is numeric.
    column = 5
    window.table.sortByColumn(column, Qt.SortOrder.DescendingOrder)
    shown = [window.proxy.index(row, column).data() for row in range(window.proxy.rowCount())]
    numbers = [float(value) for value in shown if value]
    assert numbers == sorted(numbers, reverse=True)

    # Select a film: the viewer shows it; the heatmap is computed in the worker and cached.
    first_ok = next(row for row in range(window.proxy.rowCount()) if window.proxy.index(row, column).data())
    window.table.selectRow(first_ok)
    qtbot.waitUntil(lambda: window.viewer.has_film, timeout=TIMEOUT_MS)
    selected = window.selected_result()
    with qtbot.waitSignal(window.heatmapShown, timeout=TIMEOUT_MS):
        window.viewer.heatmap_box.setChecked(True)
    expected_map = occlusion_heatmap(reference, reference.load_gray(selected.path))
    np.testing.assert_allclose(window.cached_heatmap(selected.path).drops, expected_map.drops, atol=1e-6)
    reference.close()


def test_cancel_mid_batch_keeps_what_was_done_and_returns_to_idle(qtbot, window: MainWindow, tmp_path: Path,
                                                                  kermany_root: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    folder = film_folder(tmp_path / "many", kermany_films(kermany_root, 20), corrupt=False)
    # Hold the decode thread at the 4th film until the user has pressed Cancel, so the batch is
    # really mid-way whatever the machine's speed; the window must stay usable meanwhile.
    gate, calls = threading.Event(), []
    real_metadata = pipeline.read_film_metadata

    def metadata_after_gate(path: Path) -> dict[str, str]:
        calls.append(path)
        if len(calls) > 3:
            gate.wait(timeout=60)
        return real_metadata(path)

    monkeypatch.setattr(pipeline, "read_film_metadata", metadata_after_gate)
    with qtbot.waitSignal(window.batchDone, timeout=TIMEOUT_MS) as done:
        assert drop(window, [folder])
        qtbot.waitUntil(lambda: window.results.rowCount() >= 1, timeout=TIMEOUT_MS)
        assert window.busy and window.cancel_button.isVisible()
        qtbot.mouseClick(window.cancel_button, Qt.MouseButton.LeftButton)
        gate.set()
    summary = done.args[0]

    assert summary.cancelled and summary.total == 40
    assert 1 <= window.results.rowCount() <= 4 < 40
    assert not window.busy and window.open_folder_action.isEnabled()


def test_exports_csv_and_pdf_and_resumes_a_repeated_drop(qtbot, window: MainWindow, tmp_path: Path) -> None:
    folder = film_folder(tmp_path / "samples", sample_films())
    write_dicom(folder / "patient.dcm", np.tile(np.linspace(0, 4095, 96, dtype=np.uint16), (96, 1)))
    first = screen_and_wait(qtbot, window, [folder])
    again = screen_and_wait(qtbot, window, [folder])
    assert (first.screened, again.screened, again.resumed) == (8, 0, 8)
    assert window.results.rowCount() == 8

    plain, identified = tmp_path / "plain.csv", tmp_path / "identified.csv"
    assert window.export_csv(plain)
    window.patient_fields_action.setChecked(True)
    assert window.export_csv(identified)
    with open(plain, encoding=ENCODING, newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == 8 and list(rows[0])[:6] == ["path", "status", "prediction", "confidence", "flagged", "message"]
    assert "P-42" not in plain.read_text(encoding=ENCODING)
    assert "P-42" in identified.read_text(encoding=ENCODING)

    report = tmp_path / "report.pdf"
    with qtbot.waitSignal(window.exportDone, timeout=TIMEOUT_MS) as done:
        assert window.export_pdf(report)
    assert done.args == [str(report)]
    data = report.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data)) == 8 + 1
    ok_paths = [r.path for r in window.results.results() if r.status == "ok"]
    assert all(window.cached_heatmap(path) is not None for path in ok_paths)  # computed for the report


def test_without_a_model_the_window_explains_how_to_add_one(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CXR_SCREENING_DATA_DIR", str(tmp_path / "data"))
    window = make_window(qtbot, tmp_path, [tmp_path / "no-models"])
    qtbot.waitUntil(lambda: window.catalog is not None, timeout=TIMEOUT_MS)
    assert window.pages.currentWidget() is window.no_model_page
    assert "No screening model is installed" in window.no_model_page.text.text()
    assert str(tmp_path / "data" / "models") in window.no_model_page.text.text()
    assert not window.screen_paths([str(tmp_path)])
    assert not window.open_files_action.isEnabled()


def test_settings_persist_across_windows(qtbot, window: MainWindow, tmp_path: Path, tiny_bundle: Path) -> None:
    window.model_panel.accelerator_box.setCurrentIndex(window.model_panel.accelerator_box.findData("cpu"))
    window.patient_fields_action.setChecked(True)
    qtbot.waitUntil(lambda: window.runtime_description.startswith("LiteRT"), timeout=TIMEOUT_MS)
    window.close()

    reopened = make_window(qtbot, tmp_path, [tiny_bundle.parent])
    qtbot.waitUntil(lambda: reopened.runtime_description != "", timeout=TIMEOUT_MS)
    assert reopened.model_panel.accelerator == "cpu"
    assert reopened.patient_fields_action.isChecked()
    assert reopened.model_panel.bundle.name == "tiny-bundle"
    assert "CPU" in reopened.model_label.text()


def test_viewer_windows_16_bit_films(qtbot) -> None:
    panel = ViewerPanel()
    qtbot.addWidget(panel)
    film = np.tile(np.linspace(0, 60000, 256).astype(np.uint16), (128, 1))
    panel.show_film(film, "ramp")
    assert panel.width_slider.maximum() == 65536 and panel.center_slider.value() == 30000
    panel.set_window(10000, 2000)
    image = panel.view._film.pixmap().toImage()
    assert image.pixelColor(20, 10).value() == 0 and image.pixelColor(250, 10).value() == 255
    assert (panel.center_slider.value(), panel.width_slider.value()) == (10000, 2000)


def test_paths_given_at_start_are_screened_once_the_model_is_ready(qtbot, tmp_path: Path, tiny_bundle: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The README quick start opens the window with ``samples``: those films must get rows by themselves."""
    from desktop.ui.app import screen_once_ready

    monkeypatch.setenv("CXR_SCREENING_DATA_DIR", str(tmp_path / "data"))
    window = make_window(qtbot, tmp_path, [tiny_bundle.parent])
    with qtbot.waitSignal(window.batchDone, timeout=TIMEOUT_MS):
        screen_once_ready(window, [str(path) for path in sample_films()])
    assert sorted(table_results(window)) == sorted(path.name for path in sample_films())


def test_the_table_shows_refused_films_and_warnings(qtbot, tmp_path: Path, radiography_root: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """With the shipped pediatric model: a photo is 'Rejected' and never scored; an adult film
    the domain check flags is scored with ⚠ and its warning in the reason column."""
    import shutil

    import skimage.data
    from PIL import Image

    from cxrcore.decode import decode_image
    from cxrcore.safety import SafetyChecks
    from desktop.paths import safety_dir

    monkeypatch.setenv("CXR_SCREENING_DATA_DIR", str(tmp_path / "data"))
    folder = tmp_path / "drop"
    folder.mkdir()
    shutil.copyfile(sample_films()[0], folder / "child.jpeg")
    Image.fromarray(skimage.data.astronaut()).save(folder / "photo.png")
    checks = SafetyChecks.load(safety_dir(), "pneumonia-pediatric")
    adults = sorted((radiography_root / "COVID-19_Radiography_Dataset" / "Normal" / "images").glob("*.jpg"))[:50]
    adult = next(path for path in adults if checks.check(decode_image(path)).warnings)
    checks.close()
    shutil.copyfile(adult, folder / "adult.jpg")
    models = Path(__file__).resolve().parent.parent / "models"
    window = make_window(qtbot, tmp_path, [models], model="pneumonia-pediatric")
    qtbot.waitUntil(lambda: window.runtime_description != "", timeout=TIMEOUT_MS)

    screen_and_wait(qtbot, window, [folder])

    model = window.results
    texts = {}
    for row in range(model.rowCount()):
        result = model.result_at(row)
        texts[Path(result.path).name] = [model.index(row, column).data() for column in range(model.columnCount())]
    rows = table_results(window)
    assert rows["photo.png"].status == "rejected" and rows["photo.png"].probabilities == {}
    assert texts["photo.png"][model.PREDICTION] == "Rejected"
    assert rows["adult.jpg"].status == "ok" and rows["adult.jpg"].warnings
    assert texts["adult.jpg"][model.PREDICTION].endswith("⚠")
    assert "unlike the films the model was trained on" in texts["adult.jpg"][-1]
    assert rows["child.jpeg"].warnings == () and not texts["child.jpeg"][model.PREDICTION].endswith("⚠")


def test_model_card_tab_states_how_the_shipped_model_is_guarded(qtbot) -> None:
    """The clinician reads the gate's and the domain check's measured figures beside the model's own."""
    from desktop.ui.details import ModelCardView
    from tests.conftest import REPO_ROOT

    bundle = load_bundle(REPO_ROOT / "models" / "pneumonia-pediatric")
    view = ModelCardView()
    qtbot.addWidget(view)
    view.show_card(bundle, bundle.card["default_build"])
    text = view.toPlainText()
    gate = bundle.card["safety_checks"]["gate"]
    refused = gate["non_chest_images_refused"]
    assert f"refused {refused['rejected']} of {refused['films']} non-chest test pictures" in text
    kermany = gate["real_test_films_refused"]["kermany_test"]
    assert f"wrongly refused {kermany['rejected']} of {kermany['films']} real films (kermany_test" in text
    assert "Outside-population warning: chest films of children aged 1–5" in text


def test_model_card_tab_states_each_test_figure_with_its_interval(qtbot) -> None:
    """A clinician sees how far each headline figure could move: the card's 95% intervals, readably."""
    from desktop.ui.details import ModelCardView
    from tests.conftest import REPO_ROOT

    for name in ("pneumonia-pediatric", "covid-radiography-4class"):
        bundle = load_bundle(REPO_ROOT / "models" / name)
        metrics = bundle.card["builds"][bundle.card["default_build"]]["test_metrics"]
        view = ModelCardView()
        qtbot.addWidget(view)
        view.show_card(bundle, bundle.card["default_build"])
        text = view.toPlainText()
        low, high = metrics["ci95"]["accuracy"]
        assert f"Trained on: {bundle.card['training']['dataset']['kind']}: " in text
        assert f"Accuracy\n{metrics['accuracy']:.1%} (95% CI {low:.1%}–{high:.1%})" in text
        low, high = metrics["ci95"]["auc"]
        assert f"ROC AUC\n{metrics['auc']:.3f} (95% CI {low:.3f}–{high:.3f})" in text
        for label, values in metrics["at_threshold"].items():
            low, high = metrics["ci95"]["at_threshold"][label]["sensitivity"]
            assert (f"{label} sensitivity at threshold {values['threshold']:.3f}\n"
                    f"{values['sensitivity']:.1%} (95% CI {low:.1%}–{high:.1%})") in text
