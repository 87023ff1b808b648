"""The window, offscreen, with real (untrained) LiteRT models and real Kermany films: drop a
folder, watch rows stream in, cancel, filter, view, heatmap, export, persist settings, route films
of two populations to two models. `FakeSafety` declares each film's population here; the shipped
checks and models run in `tests/desktop/test_routing_real.py`."""

from __future__ import annotations

import csv
import re
import threading
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMenu, QStyleOptionViewItem

from cxrcore.bundle import load_bundle
from cxrcore.classifier import Classifier
from desktop.screening import pipeline
from desktop.screening.heatmap import occlusion_heatmap
from desktop.reports.csv_export import ENCODING
from desktop.screening.routing import Selection
from desktop.ui.main_window import MainWindow
from desktop.ui.results_model import RESULT_ROLE
from desktop.ui.settings import AppSettings
from desktop.ui.viewer import ViewerPanel
from tests.factories import ADULT_POPULATION, PEDIATRIC_POPULATION, sample_films, tiny_tflite_bytes, write_bundle
from tests.desktop.test_pipeline import write_dicom
from tests.desktop_support import FakeSafety, declare, film_folder, kermany_films, use_fake_safety

pytestmark = pytest.mark.gui
TIMEOUT_MS = 120_000


def make_window(qtbot, tmp_path: Path, model_dirs: list[Path], model: str = "tiny-bundle") -> MainWindow:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue(AppSettings.MODEL_KEY, model)
    settings.setValue("runtime/threads", 1)
    window = MainWindow(model_dirs, tmp_path / "store.sqlite3", settings)
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.fixture()
def tiny_bundle(tmp_path: Path, tiny_tflite: bytes) -> Path:
    """The tiny model, validated (it says) on children: `FakeSafety` calls every film a child's."""
    return write_bundle(tmp_path / "models" / "tiny-bundle", tiny_tflite, reference_files=tuple(sample_films()[:2]),
                        population=PEDIATRIC_POPULATION)


@pytest.fixture()
def window(qtbot, tmp_path: Path, tiny_bundle: Path, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    monkeypatch.setenv("CXR_SCREENING_DATA_DIR", str(tmp_path / "data"))
    use_fake_safety(monkeypatch)
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

    # Select a film: the viewer shows it; ticking Heatmap has it computed in the worker and cached (a
    # flagged film shows its heatmap by itself: test_a_flagged_film_shows_its_heatmap_without_a_click).
    window.menu_actions.heatmap_for_flagged.setChecked(False)
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
        assert window.busy and window.job_status.cancel_button.isVisible()
        qtbot.mouseClick(window.job_status.cancel_button, Qt.MouseButton.LeftButton)
        gate.set()
    summary = done.args[0]

    assert summary.cancelled and summary.total == 40
    assert 1 <= window.results.rowCount() <= 4 < 40
    assert not window.busy and window.menu_actions.open_folder.isEnabled()


def test_exports_csv_and_pdf_and_resumes_a_repeated_drop(qtbot, window: MainWindow, tmp_path: Path) -> None:
    folder = film_folder(tmp_path / "samples", sample_films())
    write_dicom(folder / "patient.dcm", np.tile(np.linspace(0, 4095, 96, dtype=np.uint16), (96, 1)))
    first = screen_and_wait(qtbot, window, [folder])
    again = screen_and_wait(qtbot, window, [folder])
    assert (first.screened, again.screened, again.resumed) == (8, 0, 8)
    assert window.results.rowCount() == 8

    plain, identified = tmp_path / "plain.csv", tmp_path / "identified.csv"
    assert window.export_csv(plain)
    window.menu_actions.patient_fields.setChecked(True)
    assert window.export_csv(identified)
    with open(plain, encoding=ENCODING, newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == 8 and list(rows[0])[:7] == ["path", "status", "prediction", "confidence", "flagged", "message",
                                                    "model"]
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
    assert not window.menu_actions.open_files.isEnabled()


def test_settings_persist_across_windows(qtbot, window: MainWindow, tmp_path: Path, tiny_bundle: Path) -> None:
    assert window.model_panel.model_box.itemData(0) == "auto"  # offered first: the bundle states a population
    window.model_panel.accelerator_box.setCurrentIndex(window.model_panel.accelerator_box.findData("cpu"))
    window.menu_actions.patient_fields.setChecked(True)
    qtbot.waitUntil(lambda: window.runtime_description.startswith("LiteRT"), timeout=TIMEOUT_MS)
    window.close()

    reopened = make_window(qtbot, tmp_path, [tiny_bundle.parent])
    qtbot.waitUntil(lambda: reopened.runtime_description != "", timeout=TIMEOUT_MS)
    assert reopened.model_panel.accelerator == "cpu"
    assert reopened.menu_actions.patient_fields.isChecked()
    assert [bundle.name for bundle, _ in reopened.model_panel.selection.models] == ["tiny-bundle"]
    assert not reopened.model_panel.selection.automatic
    assert "CPU" in reopened.job_status.model_label.text()


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
    use_fake_safety(monkeypatch)
    window = make_window(qtbot, tmp_path, [tiny_bundle.parent])
    with qtbot.waitSignal(window.batchDone, timeout=TIMEOUT_MS):
        screen_once_ready(window, [str(path) for path in sample_films()])
    assert sorted(table_results(window)) == sorted(path.name for path in sample_films())


def test_automatic_routing_in_the_window(qtbot, tmp_path: Path, tiny_tflite: bytes, kermany_root: Path,
                                         radiography_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Real children's and adults' films dropped together reach the model of their population, named in
    the Model column; a film neither accepts reads "Not validated…" and needs review; a non-film is
    Rejected; every model in use has its card and its population on the tabs."""
    import shutil

    from PIL import Image

    from cxrcore.safety.population import NOT_VALIDATED

    monkeypatch.setenv("CXR_SCREENING_DATA_DIR", str(tmp_path / "data"))
    models = tmp_path / "models"
    write_bundle(models / "child-model", tiny_tflite, population=PEDIATRIC_POPULATION)
    write_bundle(models / "adult-model", tiny_tflite_bytes(seed=1), labels=("NORMAL", "ABNORMAL"),
                 population=ADULT_POPULATION)
    children = kermany_films(kermany_root, 2)
    adults = sorted((radiography_root / "COVID-19_Radiography_Dataset" / "Normal" / "images").glob("*.jpg"))[:3]
    folder = film_folder(tmp_path / "drop", [*children, *adults], corrupt=False)
    shutil.copyfile(adults[2], folder / "neither.jpg")
    (folder / adults[2].name).unlink()
    photo = np.random.default_rng(0).integers(0, 255, (96, 96), dtype=np.uint8)
    Image.fromarray(photo).save(folder / "photo.png")
    use_fake_safety(monkeypatch, FakeSafety(declare(adults[:2], "adult") | declare([adults[2]], "neither")
                                           | declare([folder / "photo.png"], None)))
    window = make_window(qtbot, tmp_path, [models], model="")
    qtbot.waitUntil(lambda: window.runtime_description != "", timeout=TIMEOUT_MS)
    assert window.model_panel.model_box.currentText() == "Automatic (by population)"
    assert "child-model 0.0.1-test (float32): children aged 1–5" in window.model_panel.routes_label.text()

    screen_and_wait(qtbot, window, [folder])

    model = window.results
    texts = {Path(model.result_at(row).path).name: [model.index(row, column).data()
                                                   for column in range(model.columnCount())]
             for row in range(model.rowCount())}
    titles = [model.headerData(column, Qt.Orientation.Horizontal) for column in range(model.columnCount())]
    assert titles[4:7] == ["P(NORMAL)", "P(ABNORMAL)", "P(PNEUMONIA)"] and "Model" in titles  # as discovered
    model_column = titles.index("Model")
    assert {texts[film.name][model_column] for film in children} == {"child-model 0.0.1-test float32"}
    assert {texts[film.name][model_column] for film in adults[:2]} == {"adult-model 0.0.1-test float32"}
    assert texts[adults[0].name][5] and texts[adults[0].name][6] == ""  # only its own model's labels
    assert texts["neither.jpg"][model.PREDICTION] == NOT_VALIDATED
    assert texts["neither.jpg"][model_column] == ""
    assert "Needs review" in texts["neither.jpg"][model.column_of(model.REVIEW)]
    assert texts["photo.png"][model.PREDICTION] == "Rejected"

    row = next(r for r in range(window.proxy.rowCount()) if window.proxy.index(r, 0).data() == "neither.jpg")
    window.table.selectRow(row)
    assert NOT_VALIDATED in window.details.headline.text() and not window.details.bars
    row = next(r for r in range(window.proxy.rowCount()) if window.proxy.index(r, 0).data() == adults[0].name)
    window.table.selectRow(row)
    assert "Scored by adult-model 0.0.1-test float32" in window.details.headline.text()
    assert list(window.details.bars) == ["NORMAL", "ABNORMAL"]
    card = window.card_view.toPlainText()
    assert "Automatic routing" in card and "adult-model 0.0.1-test" in card and "child-model 0.0.1-test" in card
    assert "Validated population: adults aged 18–100" in card


def test_model_card_tab_states_how_the_model_is_guarded_per_source(qtbot) -> None:
    """The clinician reads the gate's and the population check's figures per source, with intervals, beside
    the model's own (the card's ``safety_checks``, as `converters.safety_card` writes it)."""
    from desktop.ui.details import ModelCardView
    from tests.conftest import REPO_ROOT

    bundle = load_bundle(REPO_ROOT / "models" / "pneumonia-pediatric")
    figure = {"films": 624, "count": 3, "rate": 3 / 624, "ci95": [0.001, 0.014]}
    card = {**bundle.card, "safety_checks": {
        "gate": {"frontal_test_films_refused": {"kermany_test": figure},
                 "non_chest_test_images_refused": {"mednist_hand": {**figure, "count": 620, "rate": 620 / 624}},
                 "held_out_sources_refused": {"chestxray8": figure}},
        "population": {"name": "pediatric", "population": "Kermany children aged 1–5",
                       "test_films_outside": {"kermany_test": figure},
                       "held_out_sources": {"without covidnet": {"warned for the pediatric model": figure}}}}}
    view = ModelCardView()
    qtbot.addWidget(view)
    view.show_cards(Selection(((type(bundle)(bundle.directory, card), bundle.card["default_build"]),), False))
    text = view.toPlainText()
    assert "Validated population: children aged 1–5, frontal chest films (PA/AP) (sources: Guangzhou" in text
    assert "Chest-film gate refused non-chest test images (mednist_hand): 620 of 624, 99.4% (95% CI 0.1%–1.4%)" in text
    assert "wrongly refused real frontal films (kermany_test): 3 of 624, 0.5% (95% CI 0.1%–1.4%)" in text
    assert "judged outside it (kermany_test): 3 of 624" in text
    assert "Population check (pediatric): Kermany children aged 1–5" in text
    assert "source held out of fitting (without covidnet), warned for the pediatric model: 3 of 624" in text
    view.show_cards(Selection(((bundle, bundle.card["default_build"]),), False))  # the shipped card, as attached
    shipped = view.toPlainText()
    assert "wrongly refused real frontal films (radiography test)" in shipped and "Population check (pediatric)" in shipped


def test_model_card_tab_states_each_test_figure_with_its_interval(qtbot) -> None:
    """A clinician sees how far each headline figure could move: the card's 95% intervals, readably."""
    from desktop.ui.details import ModelCardView
    from tests.conftest import REPO_ROOT

    for name in ("pneumonia-pediatric", "covid-radiography-4class"):
        bundle = load_bundle(REPO_ROOT / "models" / name)
        metrics = bundle.card["builds"][bundle.card["default_build"]]["test_metrics"]
        view = ModelCardView()
        qtbot.addWidget(view)
        view.show_cards(Selection(((bundle, bundle.card["default_build"]),), automatic=False))
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


def test_at_1280_by_800_every_decision_column_fits_and_a_failed_row_says_why(qtbot, window: MainWindow,
                                                                              tmp_path: Path) -> None:
    """A nurse on a 1280×800 laptop sees file, patient, prediction, confidence, needs review, quality and the
    status with its reason without scrolling sideways; the per-label probabilities wait in the details panel
    (and behind the header's menu); an unreadable file says why in its row."""
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: window.width() == 1280)
    screen_and_wait(qtbot, window, [film_folder(tmp_path / "films", sample_films()[:2])])
    model, table, header = window.results, window.table, window.table.horizontalHeader()

    titles = [model.headerData(column, Qt.Orientation.Horizontal) for column in model.decision_columns]
    assert titles == ["File", "Patient", "Prediction", "Confidence", "Needs review", "Quality", "Status / reason"]
    for column in model.decision_columns:
        assert not table.isColumnHidden(column)
        assert header.sectionViewportPosition(column) >= 0
        assert header.sectionViewportPosition(column) + header.sectionSize(column) <= table.viewport().width()
        assert header.sectionSize(column) >= header.sectionSizeHint(column)  # the header text is not clipped
    assert not table.horizontalScrollBar().isVisible()
    assert all(table.isColumnHidden(column) for column in model.optional_columns)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in model.label_columns] == ["P(NORMAL)",
                                                                                            "P(PNEUMONIA)"]
    option = QStyleOptionViewItem()
    table.itemDelegateForColumn(model.FILE).initStyleOption(option, window.proxy.index(0, model.FILE))
    assert option.textElideMode == Qt.TextElideMode.ElideLeft  # file names keep their end

    row = next(r for r in range(window.proxy.rowCount()) if window.proxy.index(r, model.FILE).data() == "corrupt.jpg")
    corrupt = window.proxy.index(row, 0).data(RESULT_ROLE)
    assert corrupt.status == "error" and corrupt.message
    status = window.proxy.index(row, model.column_of(model.STATUS))
    assert status.data() == "Error: The file is not an image this program can read."
    assert status.data(Qt.ItemDataRole.ToolTipRole).endswith(f"Details: {corrupt.message}")

    # An optional column shown from the header's menu stays shown when the table is reset.
    menu = QMenu()
    table.fill_columns_menu(menu)
    pneumonia = next(action for action in menu.actions() if action.text() == "P(PNEUMONIA)")
    pneumonia.trigger()
    column = model.label_columns[1]
    assert not table.isColumnHidden(column) and header.sectionSize(column) > 0
    window.clear_results()
    assert not table.isColumnHidden(column) and table.isColumnHidden(model.label_columns[0])


def test_a_flagged_film_shows_its_heatmap_without_a_click(qtbot, window: MainWindow, tmp_path: Path) -> None:
    """Whoever reviews a flagged film needs the area that drove the flag: on by default, a View-menu switch."""
    screen_and_wait(qtbot, window, [film_folder(tmp_path / "films", sample_films()[:2], corrupt=False)])
    assert all(result.flagged for result in window.results.results())  # the tiny model's P(PNEUMONIA) ≈ 0.56
    assert window.menu_actions.heatmap_for_flagged.isChecked()

    with qtbot.waitSignal(window.heatmapShown, timeout=TIMEOUT_MS) as shown:
        window.table.selectRow(0)
    first = window.selected_result()
    assert shown.args == [first.path] and window.viewer.heatmap_box.isChecked()
    assert window.cached_heatmap(first.path) is not None

    window.viewer.heatmap_box.setChecked(False)  # the switch stays the user's
    assert not window.workspace.heatmap_shown
    window.menu_actions.heatmap_for_flagged.setChecked(False)
    window.table.selectRow(1)
    qtbot.waitUntil(lambda: window.viewer.has_film, timeout=TIMEOUT_MS)
    second = window.selected_result()
    assert second.flagged and not window.viewer.heatmap_box.isChecked()
    assert not window.workspace.pending_heatmaps and window.cached_heatmap(second.path) is None
    saved = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    assert AppSettings(saved).heatmap_for_flagged is False  # remembered


def test_help_about_names_the_log_file_and_the_data_folder(qtbot, window: MainWindow, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.paths import log_dir, user_data_dir
    from desktop.ui import dialogs

    shown = []
    monkeypatch.setattr(dialogs.QMessageBox, "exec", lambda box: shown.append(box) or 0)
    window.menu_actions.about.trigger()
    [box] = shown
    text = box.text()
    assert box.windowTitle() == "About CXR Screening"
    assert box.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse  # to copy a path from
    assert user_data_dir() == tmp_path / "data"  # the test's data folder, as CXR_SCREENING_DATA_DIR says
    for path in (log_dir() / "app.log", user_data_dir(), tmp_path / "store.sqlite3"):
        assert f"<tt>{path}</tt>" in text


def test_failures_of_a_film_come_back_on_the_one_error_channel(qtbot, window: MainWindow, tmp_path: Path) -> None:
    """A film deleted after screening: the viewer cannot decode it and the worker cannot compute its heatmap;
    both failures reach the workspace's one channel, and each is shown where it belongs."""
    from desktop.workspace import HEATMAP, TASK

    folder = film_folder(tmp_path / "films", sample_films()[:1], corrupt=False)
    screen_and_wait(qtbot, window, [folder])
    path = window.results.result_at(0).path
    Path(path).unlink()
    failures = []
    window.workspace.events.failed.connect(failures.append)
    window.table.selectRow(0)  # flagged: its heatmap is asked for at once
    qtbot.waitUntil(lambda: len(failures) == 2, timeout=TIMEOUT_MS)
    assert {failure.source for failure in failures} == {TASK, HEATMAP}
    assert all(failure.path == path and failure.message for failure in failures)
    assert window.viewer.caption.text().startswith("Cannot show this file")
    assert window.statusBar().currentMessage().startswith(f"Heatmap failed for {Path(path).name}")
    assert not window.workspace.pending_heatmaps and not window.busy


def test_the_screening_engines_open_in_the_worker_thread(qtbot, tmp_path: Path, tiny_bundle: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Never on the UI thread, which would freeze while a model loads (PySide6 runs a slot overridden in a
    subclass on the emitting thread: the workers extend hooks instead)."""
    from PySide6.QtCore import QThread

    from desktop.screening.routing import Router

    monkeypatch.setenv("CXR_SCREENING_DATA_DIR", str(tmp_path / "data"))
    opened_on, real_open = [], Router.open

    def open_and_note(*args, **kwargs):
        opened_on.append(QThread.currentThread().objectName())
        return real_open(*args, **kwargs)

    monkeypatch.setattr(Router, "open", open_and_note)
    window = make_window(qtbot, tmp_path, [tiny_bundle.parent])
    qtbot.waitUntil(lambda: window.runtime_description != "", timeout=TIMEOUT_MS)
    assert opened_on == ["cxr-screening"]
