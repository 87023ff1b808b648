"""The window's clinic inputs and DICOM export, offscreen, with a real (tiny) LiteRT model and real
Kermany films: an X-ray unit (pynetdicom's own SCU) sends a DICOM film to the receiver turned on in the
window and its row appears; a film copied into a watched folder appears; the scored DICOM films are
exported as SR and heatmap capture, read back with pydicom. `FakeSafety` calls every film a child's."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pydicom
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog

from desktop.intake import RECEIVE, WATCH, InputState
from desktop.reports.dicom_results import CAPTURE_SUFFIX, SR_SUFFIX
from desktop.ui import dialogs
from desktop.ui.clinic_dialog import ReceiveDialog
from desktop.ui.main_window import MainWindow
from desktop.ui.settings import AppSettings
from tests.desktop.test_dicom_results import COMPREHENSIVE_SR, SECONDARY_CAPTURE, dicom_film
# The window of test_gui.py (a tiny model, `FakeSafety`), shared: pytest finds its fixtures by the names
# imported here, which the tests' parameters then repeat.
# ruff: noqa: F811
from tests.desktop.test_gui import TIMEOUT_MS, screen_and_wait, table_results, tiny_bundle, window  # noqa: F401
from tests.desktop.test_receiver import AE_TITLE, free_port, scu, text_report
from tests.desktop_support import film_folder, kermany_films
from tests.factories import sample_films

pytestmark = pytest.mark.gui


def saved_settings(tmp_path: Path) -> AppSettings:
    """The settings as the next start of the window reads them (the fixture's INI file)."""
    return AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


def set_receiving(window: MainWindow, monkeypatch: pytest.MonkeyPatch, enabled: bool, port: int, inbox: Path) -> None:
    """*Clinic → Receive from X-ray unit…*, the dialog filled in as a user would, then OK."""
    def fill_in(dialog: ReceiveDialog) -> QDialog.DialogCode:
        dialog.enabled_box.setChecked(enabled)
        dialog.ae_title.setText(AE_TITLE)
        dialog.port.setValue(port)
        dialog.inbox.setText(str(inbox))
        assert dialog.bind.currentText().startswith("127.0.0.1") and dialog.allow.text() == ""  # the defaults
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(ReceiveDialog, "exec", fill_in)
    window.menu_actions.receive.trigger()


def test_a_film_sent_by_the_x_ray_unit_is_screened_into_the_table(qtbot, window: MainWindow, tmp_path: Path,
                                                                  kermany_root: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    light = window.job_status.lights[RECEIVE]
    assert not saved_settings(tmp_path).receiving and "Not receiving" in light.text()  # off by default
    port, inbox = free_port(), tmp_path / "inbox"
    film = pydicom.dcmread(dicom_film(tmp_path / "unit" / "film.dcm", kermany_films(kermany_root, 1)[0]))

    set_receiving(window, monkeypatch, True, port, inbox)
    assert f"Receiving on 127.0.0.1:{port}" in light.text() and str(inbox) in light.toolTip()
    with qtbot.waitSignal(window.batchDone, timeout=TIMEOUT_MS):
        association = scu().associate("127.0.0.1", port, ae_title=AE_TITLE)
        statuses = [association.send_c_store(dataset).Status
                    for dataset in (film, text_report(film.StudyInstanceUID))]
        association.release()

    assert statuses[0] == 0x0000 and statuses[1] != 0x0000  # the text report holds no film
    rows = table_results(window)
    received = rows[f"{film.SOPInstanceUID}.dcm"]
    assert received.status == "ok" and received.model is not None and received.metadata["PatientID"] == "P-42"
    assert Path(received.path).parent == inbox
    [refused] = [result for result in rows.values() if result.path.startswith("dicom://")]
    assert refused.status == "rejected" and "holds no film" in refused.message
    remembered = saved_settings(tmp_path)
    assert remembered.receiving and remembered.receiver.port == port and remembered.receiver.inbox == inbox

    set_receiving(window, monkeypatch, False, port, inbox)
    assert "Not receiving" in light.text() and not saved_settings(tmp_path).receiving
    with pytest.raises(ConnectionRefusedError):  # the port is closed again
        socket.create_connection(("127.0.0.1", port), timeout=5).close()


def test_a_port_already_taken_lights_the_error_with_its_reason(qtbot, window: MainWindow, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    failures = []
    window.workspace.events.failed.connect(failures.append)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        set_receiving(window, monkeypatch, True, port, tmp_path / "inbox")

    [failure] = failures
    assert failure.source == RECEIVE and f"Cannot listen on 127.0.0.1:{port}" in failure.message
    assert window.workspace.intake.inputs[RECEIVE].state is InputState.FAILED
    assert f"Receiving stopped: Cannot listen on 127.0.0.1:{port}" in window.job_status.lights[RECEIVE].text()


def test_a_film_copied_into_the_watched_folder_is_screened_once_complete(qtbot, window: MainWindow, tmp_path: Path,
                                                                        kermany_root: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "export-folder"
    folder.mkdir()
    window.clinic.watch_interval_ms = 50
    monkeypatch.setattr(dialogs, "ask_watch_folder", lambda parent, settings: folder)
    light = window.job_status.lights[WATCH]
    assert not window.menu_actions.watch.isChecked() and "Not watching" in light.text()  # off by default

    window.menu_actions.watch.setChecked(True)
    assert f"Watching {folder.name}" in light.text() and light.toolTip() == str(folder)
    film = kermany_films(kermany_root, 1)[0]
    shutil.copyfile(film, folder / film.name)
    qtbot.waitUntil(lambda: film.name in table_results(window), timeout=TIMEOUT_MS)

    assert table_results(window)[film.name].status == "ok"
    remembered = saved_settings(tmp_path)
    assert remembered.watching and remembered.watch_folder == str(folder)
    window.menu_actions.watch.setChecked(False)
    assert "Not watching" in light.text() and not saved_settings(tmp_path).watching


def test_dicom_results_of_the_scored_dicom_films_are_exported(qtbot, window: MainWindow, tmp_path: Path,
                                                              kermany_root: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    folder = film_folder(tmp_path / "films", sample_films()[:1], corrupt=False)
    film = dicom_film(folder / "patient.dcm", kermany_films(kermany_root, 1)[1])
    screen_and_wait(qtbot, window, [folder])
    assert window.menu_actions.export_dicom.isEnabled()

    out = tmp_path / "dicom-out"
    with qtbot.waitSignal(window.exportDone, timeout=TIMEOUT_MS) as done:
        assert window.export_dicom(out)
    assert done.args == [str(out)]
    source = pydicom.dcmread(film)
    [report] = [pydicom.dcmread(path) for path in out.glob(f"*{SR_SUFFIX}")]
    [capture] = [pydicom.dcmread(path) for path in out.glob(f"*{CAPTURE_SUFFIX}")]  # only the DICOM film has them
    assert (report.SOPClassUID, capture.SOPClassUID) == (COMPREHENSIVE_SR, SECONDARY_CAPTURE)
    assert report.StudyInstanceUID == capture.StudyInstanceUID == source.StudyInstanceUID
    assert window.cached_heatmap(str(film)) is not None  # computed for the capture, kept for the viewer

    told = []
    monkeypatch.setattr(dialogs.QMessageBox, "warning", lambda parent, title, text: told.append(text))
    window.clinic.set_watching(folder)  # films are taken from there now: no capture may land in it
    assert not window.export_dicom(folder / "results") and "Choose a folder outside" in told[0]


def test_a_batch_without_dicom_films_says_there_is_nothing_to_export(qtbot, window: MainWindow, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    screen_and_wait(qtbot, window, [film_folder(tmp_path / "films", sample_films()[:2])])
    told = []
    monkeypatch.setattr(dialogs.QMessageBox, "information", lambda parent, title, text: told.append(text))

    assert not window.export_dicom(tmp_path / "out")
    assert told and told[0].startswith("There are no DICOM films to export")
    assert not (tmp_path / "out").exists() and not window.busy
