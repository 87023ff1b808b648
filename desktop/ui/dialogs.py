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

#: Qt's translate under a short name that pyside6-lupdate still reads (it needs the context literally).
translate = QCoreApplication.translate


def ask_files(parent: QWidget, settings: AppSettings) -> list[str]:
    files, _ = QFileDialog.getOpenFileNames(
        parent, translate("dialogs", "Open chest X-ray images"), settings.last_folder,
        translate("dialogs", "Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.dcm *.dicom);;All files (*)"))
    if files:
        settings.last_folder = str(Path(files[0]).parent)
    return files


def _choose_folder(parent: QWidget, settings: AppSettings, title: str) -> Path | None:
    folder = QFileDialog.getExistingDirectory(parent, title, settings.last_folder)
    if not folder:
        return None
    settings.last_folder = folder
    return Path(folder)


def ask_folder(parent: QWidget, settings: AppSettings) -> list[str]:
    folder = _choose_folder(parent, settings, translate("dialogs", "Open a folder of chest X-ray images"))
    return [str(folder)] if folder else []


def ask_watch_folder(parent: QWidget, settings: AppSettings) -> Path | None:
    """The folder whose new films are screened as they appear (a modality's export share, a USB stick)."""
    return _choose_folder(parent, settings, translate("dialogs", "Watch a folder for new films"))


def ask_export_folder(parent: QWidget, settings: AppSettings, title: str) -> Path | None:
    return _choose_folder(parent, settings, title)


def say_no_dicom_films(parent: QWidget) -> None:
    QMessageBox.information(parent, translate("dialogs", "Export DICOM results"), translate(
        "dialogs", "There are no DICOM films to export: none of these results is a scored DICOM film. "
                   "JPEG and PNG films have CSV and PDF results only."))


def say_films_come_from(parent: QWidget, folders: list[Path]) -> None:
    """A DICOM export may not land where films are taken from: its heatmap images would be screened."""
    QMessageBox.warning(parent, translate("dialogs", "Export DICOM results"), translate(
        "dialogs", "Choose a folder outside {folders}: films are taken from there, and the heatmap images "
                   "would be screened as films.").format(folders=", ".join(str(folder) for folder in folders)))


def ask_save_path(parent: QWidget, settings: AppSettings, title: str, name: str, file_filter: str) -> Path | None:
    start = str(Path(settings.last_folder or Path.home()) / name)
    chosen, _ = QFileDialog.getSaveFileName(parent, title, start, file_filter)
    if not chosen:
        return None
    settings.last_folder = str(Path(chosen).parent)
    return Path(chosen)


def about_html(store_path: Path) -> str:
    """What the app is for, and where its log, results and data folder are on this computer."""
    places = [(translate("dialogs", "Log file"), app_log_path()),
              (translate("dialogs", "Runtime log"), log_dir() / RUNTIME_LOG_NAME),
              (translate("dialogs", "Results"), store_path), (translate("dialogs", "Data folder"), user_data_dir())]
    rows = "".join(f"<tr><td>{html.escape(name)}:&nbsp;</td><td nowrap><tt>{html.escape(str(path))}</tt></td></tr>"
                   for name, path in places)
    return translate(
        "dialogs", "<p><b>CXR Screening</b> flags chest X-rays that need a clinician's review. It works "
        "offline; images never leave this computer.</p><p>A result supports and does not replace "
        "a clinician's reading.</p>") + f"<table>{rows}</table>"


def show_about(parent: QWidget, store_path: Path) -> None:
    """The paths are selectable: whoever supports the clinic is told to copy them."""
    box = QMessageBox(QMessageBox.Icon.Information, translate("dialogs", "About CXR Screening"),
                      about_html(store_path), QMessageBox.StandardButton.Ok, parent)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.exec()
