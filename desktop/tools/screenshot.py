"""Screenshot of the main window after a real screening, for the docs.

    xvfb-run -s "-screen 0 1400x900x24" python -m desktop.tools.screenshot \\
        --models-dir models --images samples --out docs/screenshot-main-window.png

Runs the real window (a temporary store, settings and data folder, so nothing of the user's is
touched), screens ``--images``, selects the first flagged film (else the first screened one),
shows its heatmap (a class-activation map where the build has one) and grabs the window.
``--size 1280x800`` is the smallest screen the table's decision columns are laid out for
(`docs/screenshot-1280x800.png`).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from desktop.paths import DATA_DIR_ENV, model_search_dirs
from desktop.ui.results_model import RESULT_ROLE
from desktop.ui.settings import AppSettings

TIMEOUT_MS = 300_000


def wait_for(signal, condition=lambda: False) -> None:
    """Run the event loop until ``signal`` fires (or ``condition`` already holds), or time out."""
    if condition():
        return
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(TIMEOUT_MS, loop.quit)
    loop.exec()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models-dir", type=Path, action="append", default=[], required=True)
    parser.add_argument("--images", type=Path, nargs="+", required=True, help="files or folders to screen")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--model", default="", help="bundle name (default: automatic by population)")
    parser.add_argument("--size", default="1400x900")
    args = parser.parse_args(argv)
    width, height = (int(value) for value in args.size.split("x"))

    scratch = Path(tempfile.mkdtemp(prefix="cxr-screenshot-"))
    os.environ[DATA_DIR_ENV] = str(scratch / "data")
    from desktop.ui.main_window import MainWindow  # after the data folder is redirected

    app = QApplication(sys.argv[:1])
    settings = QSettings(str(scratch / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue(AppSettings.MODEL_KEY, args.model)
    window = MainWindow(model_search_dirs(args.models_dir, defaults=False), scratch / "store.sqlite3", settings)
    window.resize(width, height)
    window.show()
    wait_for(window.engineReady, lambda: bool(window.runtime_description))
    if not window.runtime_description:
        print("no model could be opened from", args.models_dir, file=sys.stderr)
        return 2
    window.screen_paths([str(path) for path in args.images])
    wait_for(window.batchDone)
    rows = [window.proxy.index(row, 0).data(RESULT_ROLE) for row in range(window.proxy.rowCount())]
    ok_rows = [row for row, result in enumerate(rows) if result.status == "ok"]
    flagged = [row for row in ok_rows if rows[row].flagged]
    if ok_rows:
        shown: list[str] = []
        window.heatmapShown.connect(shown.append)
        window.table.selectRow((flagged or ok_rows)[0])  # a flagged film shows its heatmap by itself
        window.viewer.heatmap_box.setChecked(True)
        wait_for(window.heatmapShown, lambda: bool(shown))
    for _ in range(5):
        app.processEvents()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    saved = window.grab().save(str(args.out))
    window.close()
    print(f"{'saved' if saved else 'could not save'} {args.out}")
    return 0 if saved else 1


if __name__ == "__main__":
    sys.exit(main())
