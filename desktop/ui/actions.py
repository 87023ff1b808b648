"""The window's menus and toolbar: File (open, export CSV/PDF/DICOM, clear, quit), View (heatmap
default, optional columns), Clinic (receive from an X-ray unit, watch a folder) and Help (About).
`update` enables each action from the workspace's state, so that what
cannot be done now (screen while a job runs, export nothing) is greyed out rather than refused.
"""

from __future__ import annotations

from typing import Callable, Protocol

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QToolBar

from desktop.ui.results_table import ResultsTable
from desktop.ui.settings import AppSettings
from desktop.workspace import Workspace


#: Qt's translate under a short name that pyside6-lupdate still reads (it needs the context literally).
translate = QCoreApplication.translate


class ActionTarget(Protocol):
    """What the actions act on: the main window (a protocol, so this module need not import it)."""

    settings: AppSettings
    table: ResultsTable

    def menuBar(self) -> QMenuBar: ...  # noqa: N802 (Qt API)
    def addToolBar(self, title: str) -> QToolBar: ...  # noqa: N802 (Qt API)
    def open_files(self) -> None: ...
    def open_folder(self) -> None: ...
    def export_csv(self) -> bool: ...
    def export_pdf(self) -> bool: ...
    def export_dicom(self) -> bool: ...
    def configure_receive(self) -> None: ...
    def set_watching(self, on: bool) -> None: ...
    def clear_results(self) -> None: ...
    def close(self) -> bool: ...
    def about(self) -> None: ...
    def set_heatmap_for_flagged(self, enabled: bool) -> None: ...


class WindowActions:
    def __init__(self, window: ActionTarget) -> None:
        file_menu = window.menuBar().addMenu(translate("WindowActions", "&File"))
        self.open_files = _add(file_menu, translate("WindowActions", "Open &files…"), window.open_files,
                               QKeySequence.StandardKey.Open)
        self.open_folder = _add(file_menu, translate("WindowActions", "Open f&older…"), window.open_folder,
                                "Ctrl+Shift+O")
        file_menu.addSeparator()
        self.export_csv = _add(file_menu, translate("WindowActions", "Export &CSV…"), window.export_csv, "Ctrl+E")
        self.export_pdf = _add(file_menu, translate("WindowActions", "Export &PDF report…"), window.export_pdf,
                               QKeySequence.StandardKey.Print)
        self.export_dicom = _add(file_menu, translate("WindowActions", "Export &DICOM results…"), window.export_dicom)
        self.export_dicom.setToolTip(translate(
            "WindowActions", "A structured report and a heatmap image per scored DICOM film, for the PACS"))
        self.patient_fields = _checkable(
            file_menu, translate("WindowActions", "Include patient fields in exports"),
            window.settings.include_patient_fields,
            lambda checked: setattr(window.settings, "include_patient_fields", checked))
        self.patient_fields.setToolTip(translate(
            "WindowActions", "Patient name, ID, birth date… from DICOM files: identifying data"))
        file_menu.addSeparator()
        self.clear = _add(file_menu, translate("WindowActions", "C&lear results"), window.clear_results)
        file_menu.addSeparator()
        _add(file_menu, translate("WindowActions", "&Quit"), window.close, QKeySequence.StandardKey.Quit)

        view_menu = window.menuBar().addMenu(translate("WindowActions", "&View"))
        self.heatmap_for_flagged = _checkable(
            view_menu, translate("WindowActions", "Show the heatmap of films that need review"),
            window.settings.heatmap_for_flagged, window.set_heatmap_for_flagged)
        self.columns_menu = view_menu.addMenu(translate("WindowActions", "&Columns"))
        self.columns_menu.aboutToShow.connect(lambda: window.table.fill_columns_menu(self.columns_menu))

        clinic_menu = window.menuBar().addMenu(translate("WindowActions", "&Clinic"))
        self.receive = _add(clinic_menu, translate("WindowActions", "&Receive from X-ray unit…"),
                            window.configure_receive)
        self.watch = _checkable(clinic_menu, translate("WindowActions", "&Watch a folder…"),
                                window.settings.watching, window.set_watching)
        self.watch.setToolTip(translate(
            "WindowActions", "Screen each film that appears in a folder, once it is completely written"))

        help_menu = window.menuBar().addMenu(translate("WindowActions", "&Help"))
        self.about = _add(help_menu, translate("WindowActions", "&About"), window.about)

        toolbar = window.addToolBar(translate("WindowActions", "Main"))
        toolbar.setObjectName("main-toolbar")
        for action in (self.open_files, self.open_folder, self.export_csv, self.export_pdf, self.export_dicom):
            toolbar.addAction(action)

    def update(self, workspace: Workspace) -> None:
        for action in (self.open_files, self.open_folder):
            action.setEnabled(workspace.can_screen)
        self.export_csv.setEnabled(workspace.can_export_csv)
        self.export_pdf.setEnabled(workspace.can_export_pdf)
        self.export_dicom.setEnabled(workspace.can_export_dicom)
        self.clear.setEnabled(workspace.can_clear)


def _add(menu: QMenu, text: str, slot: Callable[[], object], shortcut: QKeySequence.StandardKey | str | None = None
         ) -> QAction:
    """An action in ``menu`` (which owns it) calling ``slot`` with no argument."""
    action = QAction(text, menu)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(lambda _checked=False: slot())
    menu.addAction(action)
    return action


def _checkable(menu: QMenu, text: str, checked: bool, on_toggle: Callable[[bool], object]) -> QAction:
    action = QAction(text, menu)
    action.setCheckable(True)
    action.setChecked(checked)
    action.toggled.connect(on_toggle)
    menu.addAction(action)
    return action
