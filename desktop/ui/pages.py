"""Placeholder pages: the drop hint shown before any result, and the "no model" explanation."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.screening.catalog import Catalog
from desktop.paths import user_models_dir


class DropHint(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.setStyleSheet("QLabel { border: 2px dashed #999; color: #555; font-size: 15px; padding: 24px; }")
        self.setText(self.tr(
            "Drop chest X-ray images or folders here\n(PNG, JPEG, BMP, TIFF, DICOM)\n\n"
            "or use File → Open files… / Open folder…"))


class NoModelPage(QWidget):
    """Explains how to add a model bundle; lists the folders searched and any refused bundle."""

    rescanRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        rescan = QPushButton(self.tr("Look for models again"))
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.text)
        layout.addWidget(rescan, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(2)
        rescan.clicked.connect(self.rescanRequested)

    def show_catalog(self, catalog: Catalog) -> None:
        folders = "".join(f"<li>{html.escape(str(folder))}</li>" for folder in catalog.searched)
        refused = "".join(
            f"<li>{html.escape(str(item.directory))}: {html.escape(item.error)}</li>" for item in catalog.invalid)
        text = self.tr(
            "<h2>No screening model is installed</h2>"
            "<p>This program needs a model bundle: a folder holding <tt>card.json</tt> and a "
            "<tt>.tflite</tt> file, provided by your program administrator.</p>"
            "<p>To add one, copy the whole folder into <b>{user_folder}</b> and press "
            "<i>Look for models again</i>.</p><p>Folders searched:</p><ul>{folders}</ul>"
        ).format(user_folder=html.escape(str(user_models_dir())), folders=folders)
        if refused:
            text += self.tr("<p>Bundles found but refused (damaged or incompatible):</p><ul>{items}</ul>").format(
                items=refused)
        self.text.setText(text)
