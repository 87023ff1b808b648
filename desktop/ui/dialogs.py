"""The window's questions to the user (which files, where to save) and the About box.

The file dialogs start in, and remember, the last folder used: a clinic's films usually arrive in
the same place every day. The About box names where the app keeps its log and data, which is what
whoever supports the clinic asks for first.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from desktop.paths import RUNTIME_LOG_NAME, app_log_path, log_dir, user_data_dir
from desktop.ui.settings import AppSettings

IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.dcm *.dicom);;All files (*)"


def _tr(text: str) -> str:
    return QCoreApplication.translate("dialogs", text)


def ask_files(parent: QWidget, settings: AppSettings) -> list[str]:
    files, _ = QFileDialog.getOpenFileNames(parent, _tr("Open chest X-ray images"), settings.last_folder,
                                            _tr(IMAGE_FILTER))
    if files:
        settings.last_folder = str(Path(files[0]).parent)
    return files


def ask_folder(parent: QWidget, settings: AppSettings) -> list[str]:
    folder = QFileDialog.getExistingDirectory(parent, _tr("Open a folder of chest X-ray images"),
                                              settings.last_folder)
    if folder:
        settings.last_folder = folder
    return [folder] if folder else []


def ask_save_path(parent: QWidget, settings: AppSettings, title: str, name: str, file_filter: str) -> Path | None:
    start = str(Path(settings.last_folder or Path.home()) / name)
    chosen, _ = QFileDialog.getSaveFileName(parent, title, start, file_filter)
    if not chosen:
        return None
    settings.last_folder = str(Path(chosen).parent)
    return Path(chosen)


def about_html(store_path: Path) -> str:
    """What the app is for, and where its log, results and data folder are on this computer."""
    places = [(_tr("Log file"), app_log_path()), (_tr("Runtime log"), log_dir() / RUNTIME_LOG_NAME),
              (_tr("Results"), store_path), (_tr("Data folder"), user_data_dir())]
    rows = "".join(f"<tr><td>{html.escape(name)}:&nbsp;</td><td nowrap><tt>{html.escape(str(path))}</tt></td></tr>"
                   for name, path in places)
    return _tr(
        "<p><b>CXR Screening</b> flags chest X-rays that need a clinician's review. It works "
        "offline; images never leave this computer.</p><p>A result supports and does not replace "
        "a clinician's reading.</p>") + f"<table>{rows}</table>"


def show_about(parent: QWidget, store_path: Path) -> None:
    """The paths are selectable: whoever supports the clinic is told to copy them."""
    box = QMessageBox(QMessageBox.Icon.Information, _tr("About CXR Screening"), about_html(store_path),
                      QMessageBox.StandardButton.Ok, parent)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.exec()
