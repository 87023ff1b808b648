"""*Clinic → Receive from X-ray unit…*: as whom and where the window listens for films (DICOM C-STORE).

The fields are what the technician enters on the X-ray unit (docs/clinic-integration.md): this AE
title, this computer's address and the port. It listens on 127.0.0.1 (this computer only) unless the
clinic chooses an address the unit can reach, so turning it on never opens the computer to the
network by accident.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget)

if TYPE_CHECKING:
    from desktop.network.receiver import ReceiverConfig

#: DICOM's limit on an AE title (PS3.5 §6.2, AE value representation).
MAX_AE_TITLE = 16
THIS_COMPUTER_ONLY, EVERY_NETWORK = "127.0.0.1", "0.0.0.0"


class ReceiveDialog(QDialog):
    """Whether to receive, and the `ReceiverConfig`; OK is greyed out while a field cannot be used."""

    def __init__(self, enabled: bool, config: ReceiverConfig, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Receive from X-ray unit"))
        self.enabled_box = QCheckBox(self.tr("Receive films from the X-ray unit and screen each one"))
        self.enabled_box.setChecked(enabled)
        self.ae_title = QLineEdit(config.ae_title)
        self.ae_title.setMaxLength(MAX_AE_TITLE)
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(config.port)
        self.bind = QComboBox()
        self.bind.setEditable(True)
        self.bind.addItem(self.tr("{address} (this computer only)").format(address=THIS_COMPUTER_ONLY),
                          THIS_COMPUTER_ONLY)
        self.bind.addItem(self.tr("{address} (every network)").format(address=EVERY_NETWORK), EVERY_NETWORK)
        self.bind.setCurrentIndex(self.bind.findData(config.bind))
        if self.bind.currentIndex() < 0:
            self.bind.setEditText(config.bind)  # the computer's LAN address, typed in
        self.allow = QLineEdit(", ".join(config.allow))
        self.allow.setPlaceholderText(self.tr("any unit (e.g. DR_ROOM1, CR_ROOM2)"))
        self.inbox = QLineEdit(str(config.inbox))
        choose = QPushButton(self.tr("Choose…"))
        choose.clicked.connect(self._choose_inbox)
        inbox_row = QHBoxLayout()
        inbox_row.addWidget(self.inbox)
        inbox_row.addWidget(choose)

        form = QFormLayout()
        form.addRow(self.tr("AE title:"), self.ae_title)
        form.addRow(self.tr("Port:"), self.port)
        form.addRow(self.tr("Listen on:"), self.bind)
        form.addRow(self.tr("Accept only units:"), self.allow)
        form.addRow(self.tr("Keep received films in:"), inbox_row)
        hint = QLabel(self.tr(
            "On the X-ray unit, add a storage destination with this AE title and port and this computer's "
            "address. 127.0.0.1 only accepts films from this computer: for the unit to reach it, listen on "
            "this computer's network address (or 0.0.0.0) and list the unit's own AE title above. DICOM is "
            "not encrypted: keep it on the clinic's network."))
        hint.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.enabled_box)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.buttons)
        for field in (self.ae_title, self.inbox):
            field.textChanged.connect(self._validate)
        self.bind.editTextChanged.connect(self._validate)
        self._validate()

    @property
    def enabled(self) -> bool:
        return self.enabled_box.isChecked()

    def config(self) -> ReceiverConfig:
        from desktop.network.receiver import ReceiverConfig, parse_allow

        return ReceiverConfig(ae_title=self.ae_title.text().strip(), inbox=Path(self.inbox.text().strip()),
                              port=self.port.value(), bind=self._address(), allow=parse_allow([self.allow.text()]))

    def _address(self) -> str:
        """The address chosen from the list, or typed in."""
        index = self.bind.findText(self.bind.currentText())
        return self.bind.itemData(index) if index >= 0 else self.bind.currentText().strip()

    def _validate(self) -> None:
        title = self.ae_title.text().strip()
        usable = bool(title) and "\\" not in title and bool(self._address()) and bool(self.inbox.text().strip())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(usable)

    def _choose_inbox(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Keep received films in"), self.inbox.text())
        if folder:
            self.inbox.setText(folder)


def ask_receiver(parent: QWidget, enabled: bool, config: ReceiverConfig) -> tuple[bool, ReceiverConfig] | None:
    """(whether to receive, as what) as the user left the dialog; None if cancelled."""
    dialog = ReceiveDialog(enabled, config, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.enabled, dialog.config()
