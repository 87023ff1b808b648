"""Typed access to the app's persistent settings (QSettings), with one default per key.

One place for key names and types means a typo cannot silently create a second setting, and
tests can hand the window an INI-file QSettings in a temporary folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings

from cxrcore.runtime import ACCELERATORS, default_threads

from desktop.paths import user_data_dir

if TYPE_CHECKING:
    from desktop.network.receiver import ReceiverConfig

ORGANIZATION = "cxr-screening"
APPLICATION = "CXR Screening"


class AppSettings:
    """Window geometry, runtime choices, last folder, model, the patient-field opt-in, whether a
    flagged film shows its heatmap by itself, and the clinic inputs (receiving, watching a folder)."""

    def __init__(self, store: QSettings) -> None:
        self._store = store

    def _get(self, key: str, default: object, kind: type) -> object:
        value = self._store.value(key, default, type=kind)
        return default if value is None else value

    @property
    def geometry(self) -> QByteArray:
        return self._get("window/geometry", QByteArray(), QByteArray)

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self._store.setValue("window/geometry", value)

    @property
    def window_state(self) -> QByteArray:
        return self._get("window/state", QByteArray(), QByteArray)

    @window_state.setter
    def window_state(self, value: QByteArray) -> None:
        self._store.setValue("window/state", value)

    @property
    def threads(self) -> int:
        return max(1, int(self._get("runtime/threads", default_threads(), int)))

    @threads.setter
    def threads(self, value: int) -> None:
        self._store.setValue("runtime/threads", int(value))

    @property
    def accelerator(self) -> str:
        value = str(self._get("runtime/accelerator", "auto", str))
        return value if value in ACCELERATORS else "auto"

    @accelerator.setter
    def accelerator(self, value: str) -> None:
        self._store.setValue("runtime/accelerator", value)

    @property
    def last_folder(self) -> str:
        return str(self._get("files/last_folder", "", str))

    @last_folder.setter
    def last_folder(self, value: str) -> None:
        self._store.setValue("files/last_folder", value)

    #: A new key for routing: before it, the default model's name was saved like a choice, and a
    #: clinic that never chose would otherwise stay forced onto the pediatric model after updating.
    MODEL_KEY = "model/choice"

    @property
    def model(self) -> str:
        """``auto`` (or "" when never set: also automatic) or the name of the one model forced."""
        return str(self._get(self.MODEL_KEY, "", str))

    @model.setter
    def model(self, value: str) -> None:
        self._store.setValue(self.MODEL_KEY, value)

    @property
    def build(self) -> str:
        return str(self._get("model/build", "", str))

    @build.setter
    def build(self, value: str) -> None:
        self._store.setValue("model/build", value)

    @property
    def include_patient_fields(self) -> bool:
        return bool(self._get("export/include_patient_fields", False, bool))

    @include_patient_fields.setter
    def include_patient_fields(self, value: bool) -> None:
        self._store.setValue("export/include_patient_fields", bool(value))

    @property
    def heatmap_for_flagged(self) -> bool:
        """On by default: whoever reviews a flagged film needs the area that drove the flag located."""
        return bool(self._get("viewer/heatmap_for_flagged", True, bool))

    @heatmap_for_flagged.setter
    def heatmap_for_flagged(self, value: bool) -> None:
        self._store.setValue("viewer/heatmap_for_flagged", bool(value))

    @property
    def receiving(self) -> bool:
        """Off by default: a fresh install listens on no port until the clinic turns it on."""
        return bool(self._get("receive/enabled", False, bool))

    @receiving.setter
    def receiving(self, value: bool) -> None:
        self._store.setValue("receive/enabled", bool(value))

    @property
    def receiver(self) -> ReceiverConfig:
        """As whom and where to listen; the defaults are the ``receive`` command's (pynetdicom loads here)."""
        from desktop.network.receiver import ReceiverConfig, parse_allow
        from desktop.services import DEFAULT_AE_TITLE

        default = ReceiverConfig(DEFAULT_AE_TITLE, user_data_dir() / "inbox")
        return ReceiverConfig(
            ae_title=str(self._get("receive/ae_title", default.ae_title, str)),
            inbox=Path(str(self._get("receive/inbox", str(default.inbox), str))),
            port=int(self._get("receive/port", default.port, int)),
            bind=str(self._get("receive/bind", default.bind, str)),
            allow=parse_allow([str(self._get("receive/allow", "", str))]))

    @receiver.setter
    def receiver(self, config: ReceiverConfig) -> None:
        for key, value in (("ae_title", config.ae_title), ("inbox", str(config.inbox)), ("port", config.port),
                           ("bind", config.bind), ("allow", ",".join(config.allow))):
            self._store.setValue(f"receive/{key}", value)

    @property
    def watching(self) -> bool:
        """Off by default, like receiving."""
        return bool(self._get("watch/enabled", False, bool))

    @watching.setter
    def watching(self, value: bool) -> None:
        self._store.setValue("watch/enabled", bool(value))

    @property
    def watch_folder(self) -> str:
        return str(self._get("watch/folder", "", str))

    @watch_folder.setter
    def watch_folder(self, value: str) -> None:
        self._store.setValue("watch/folder", value)

    def sync(self) -> None:
        self._store.sync()
