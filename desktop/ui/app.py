"""Start the window: QApplication, translations, log file, settings, then `MainWindow`."""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import time
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QEventLoop, QSettings, QThreadPool, QTimer
from PySide6.QtWidgets import QApplication

from desktop.paths import app_log_path, default_store_path, log_dir
from desktop.ui.languages import add_language_menu, install_translators
from desktop.ui.main_window import MainWindow
from desktop.ui.settings import APPLICATION, ORGANIZATION


def configure_logging() -> None:
    """Log to a rotating file in the user data folder: a nurse never sees a console."""
    try:
        log_dir().mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            app_log_path(), maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler])


#: Set to 1 by packaging/build.py: print when the first window is on screen, then quit. This is how
#: the cold-start budget is measured on the frozen app without a person watching.
STARTUP_PROBE_ENV = "CXR_STARTUP_PROBE"


#: How long ``--screenshot`` waits for its batch before giving up.
SCREENSHOT_TIMEOUT_MS = 120_000


def run_app(model_dirs: list[Path], store_path: Path | None, initial_paths: list[str] | None = None, *,
            screenshot: Path | None = None, when_shown: Callable[[], None] | None = None) -> int:
    """Run the window until it closes; returns the exit code.

    ``when_shown`` runs right after the first window is shown (the CLI routes native stderr to the
    log file then, not earlier, so a Qt abort while starting reaches the console). With ``screenshot``,
    ``initial_paths`` are screened, the window is saved there and closed (`save_when_screened`).
    """
    started = time.perf_counter()
    configure_logging()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    settings = QSettings()
    install_translators(app, settings)
    window = MainWindow(model_dirs, store_path or default_store_path(), settings)
    menus = window.menuBar()
    add_language_menu(menus, settings, before=menus.actions()[-1])  # before Help, the last menu
    if initial_paths:
        screen_once_ready(window, initial_paths)
    window.show()
    if when_shown is not None:
        when_shown()
    if os.environ.get(STARTUP_PROBE_ENV) == "1":
        QTimer.singleShot(0, lambda: _report_first_window(window, started))
    code = save_when_screened(window, screenshot) if screenshot is not None else app.exec()
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


def save_when_screened(window: MainWindow, path: Path, timeout_ms: int = SCREENSHOT_TIMEOUT_MS) -> int:
    """Wait for the batch to finish (or time out), grab the window into ``path`` and close it.

    What `packaging/build.py` uses to prove the frozen app draws a real window (under Xvfb):
    0 when the batch finished and the picture was saved, else 1 with the reason on stderr.
    """
    loop = QEventLoop()
    finished: list[object] = []
    window.batchDone.connect(lambda summary: (finished.append(summary), loop.quit()))
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    QApplication.processEvents()
    path.parent.mkdir(parents=True, exist_ok=True)
    saved = bool(finished) and window.grab().save(str(path))
    window.close()
    if not finished:
        print(f"screenshot: screening did not finish within {timeout_ms // 1000} s "
              f"(status bar: {window.statusBar().currentMessage()!r})", file=sys.stderr)
    elif saved:
        print(f"screenshot: saved {path} ({QApplication.platformName()} window)", flush=True)
    else:
        print(f"screenshot: could not write {path}", file=sys.stderr)
    return 0 if saved else 1


def _report_first_window(window: MainWindow, started: float) -> None:
    print(f"startup-probe: first window shown {time.perf_counter() - started:.3f} s after Qt start", flush=True)
    window.close()  # the normal shutdown path: workers stopped, settings saved; the last window quits the app
