"""The frozen app opens a real X11 window (under Xvfb), screens films and saves a screenshot of it.

The self-test and the cold-start probe run Qt ``offscreen``, which loads none of the X11
plugin's system libraries: a folder missing one passes them and still dies on a user's desktop.
This step loads exactly what a desktop session loads. CI machines may lack Xvfb: then the step
is skipped with one loud line, unless ``--require-xvfb`` makes that an error.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from pathlib import Path
from typing import Iterator

SCREEN = "1400x900x24"
#: What the app prints when ``--screenshot`` saved a picture of a real X11 window (`desktop.ui.app.save_when_screened`).
SAVED_ON_X11 = "(xcb window)"


@contextlib.contextmanager
def xvfb_display(xvfb: str) -> Iterator[str]:
    """A fresh Xvfb server on a free display number (Xvfb picks it: ``-displayfd``); yields ``:N``."""
    read_end, write_end = os.pipe()
    server = subprocess.Popen([xvfb, "-displayfd", str(write_end), "-screen", "0", SCREEN, "-nolisten", "tcp"],
                              pass_fds=(write_end,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_end)
    try:
        with os.fdopen(read_end) as announced:
            number = announced.readline().strip()
        if not number:
            raise SystemExit(f"Xvfb did not start (exit {server.poll()})")
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def real_window_screenshot(app: Path, films: list[Path], env: dict[str, str], out: Path, required: bool) -> Path | None:
    """Run ``app --screenshot out FILMS`` on an Xvfb display with the xcb platform; the saved path,
    or ``None`` when Xvfb is not installed and not ``required``."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        if required:
            raise SystemExit("Xvfb not found, and --require-xvfb was given: install it (apt install xvfb)")
        print("WARNING: Xvfb not found: the real-window (X11) check of the app folder is SKIPPED "
              "(apt install xvfb; --require-xvfb makes this an error)")
        return None
    out.unlink(missing_ok=True)
    with xvfb_display(xvfb) as display:
        window_env = {key: value for key, value in env.items() if key not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
        result = subprocess.run([str(app), "--screenshot", str(out), *map(str, films)], capture_output=True,
                                text=True, env=dict(window_env, DISPLAY=display), timeout=300)
    if result.returncode != 0 or SAVED_ON_X11 not in result.stdout or not out.is_file():
        raise SystemExit(f"the app did not open its window under Xvfb (exit {result.returncode}):\n"
                         f"{result.stdout[-2000:]}{result.stderr[-2000:]}")
    print(result.stdout.strip())
    return out
