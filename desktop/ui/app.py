"""Start the window: QApplication, translations, log file, settings, then `MainWindow`."""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, QThreadPool, QTimer, QTranslator
from PySide6.QtWidgets import QApplication

from desktop.paths import default_store_path, log_dir
from desktop.ui.main_window import MainWindow
from desktop.ui.settings import APPLICATION, ORGANIZATION

#: Compiled translations (``cxr_<locale>.qm``, made with pyside6-lupdate/lrelease) live here.
I18N_DIR = Path(__file__).resolve().parent.parent / "i18n"


def install_translators(app: QApplication) -> list[QTranslator]:
    """Qt's own strings and the app's, for the system locale; English when none is found."""
    installed = []
    for name, folder in (("qtbase", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)), ("cxr", str(I18N_DIR))):
        translator = QTranslator(app)
        if translator.load(QLocale(), name, "_", folder):
            app.installTranslator(translator)
            installed.append(translator)
    return installed


def configure_logging() -> None:
    """Log to a rotating file in the user data folder: a nurse never sees a console."""
    try:
        log_dir().mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            log_dir() / "app.log", maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler])


#: Set to 1 by packaging/build.py: print when the first window is on screen, then quit. This is how
#: the cold-start budget is measured on the frozen app without a person watching.
STARTUP_PROBE_ENV = "CXR_STARTUP_PROBE"


def run_app(model_dirs: list[Path], store_path: Path | None, initial_paths: list[str] | None = None) -> int:
    started = time.perf_counter()
    configure_logging()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    install_translators(app)
    window = MainWindow(model_dirs, store_path or default_store_path(), QSettings())
    if initial_paths:
        screen_once_ready(window, initial_paths)
    window.show()
    if os.environ.get(STARTUP_PROBE_ENV) == "1":
        QTimer.singleShot(0, lambda: _report_first_window(window, started))
    code = app.exec()
    # Background tasks (model discovery, film decoding) may still be running when the window closes
    # quickly; let them finish while the objects they report to still exist.
    QThreadPool.globalInstance().waitForDone(30_000)
    return code


def screen_once_ready(window: MainWindow, paths: list[str]) -> None:
    """Screen ``paths`` when the model's engine is first ready (it opens in a worker thread)."""

    def start(_description: str) -> None:
        window.engineReady.disconnect(start)
        window.screen_paths(paths)

    window.engineReady.connect(start)


def _report_first_window(window: MainWindow, started: float) -> None:
    print(f"startup-probe: first window shown {time.perf_counter() - started:.3f} s after Qt start", flush=True)
    window.close()  # the normal shutdown path: workers stopped, settings saved; the last window quits the app
