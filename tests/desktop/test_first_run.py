"""A new user's first ``python -m desktop samples``: where Qt cannot open a window, the app says
why and how to fix it, on the console, fast, and exits 2 (never a silent abort, exit 134).

The missing-library case runs against a fake ``ldd`` first on PATH, so no system library has to
be removed; the check itself is also driven directly with a fake resolver.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop.qt_platform import (
    WAYLAND, XCB, check_platform, debian_package, fedora_package, missing_libraries, problem_report,
)
from tests.desktop_support import REPO_ROOT

DISPLAY_VARIABLES = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the check runs on Linux only")


def launch(tmp_path: Path, args: list[str], **env: str) -> tuple[subprocess.CompletedProcess, float]:
    """``python -m desktop ARGS`` as the quick start runs it, with no display variables but ``env``."""
    clean = {key: value for key, value in os.environ.items() if key not in DISPLAY_VARIABLES}
    clean.update(CXR_SCREENING_DATA_DIR=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "config"), **env)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "desktop", *args], cwd=REPO_ROOT, env=clean,
                          capture_output=True, text=True, timeout=120)
    return done, time.perf_counter() - started


def fake_ldd(folder: Path, *missing: str) -> str:
    """A folder whose ``ldd`` reports ``missing`` as not found (and libxcb.so.1 as found); PATH with it first."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = [f"\t{name} => not found" for name in missing] + ["\tlibxcb.so.1 => /usr/lib/libxcb.so.1 (0x00007f00)"]
    script = folder / "ldd"
    script.write_text("#!/bin/sh\n" + "".join(f"printf '%s\\n' '{line}'\n" for line in lines))
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return f"{folder}{os.pathsep}{os.environ.get('PATH', '')}"


#: Why no window can open → (the environment that causes it, what the console must then say).
NO_WINDOW = {
    "no display": (lambda tmp_path: {}, [
        "No display: neither DISPLAY (X11) nor WAYLAND_DISPLAY (Wayland) is set.\n",
        "python -m desktop screen FOLDER --out results.csv",
    ]),
    "missing library": (lambda tmp_path: {"DISPLAY": ":99", "PATH": fake_ldd(tmp_path / "bin", "libxcb-cursor.so.0")}, [
        "these system libraries are missing: libxcb-cursor.so.0\n",
        "Debian/Ubuntu: sudo apt install libxcb-cursor0\n",
        "Fedora:        sudo dnf install xcb-util-cursor\n",
    ]),
}


@linux_only
@pytest.mark.parametrize("cause", NO_WINDOW)
def test_where_no_window_can_open_the_console_says_why_and_how_to_fix_it(tmp_path: Path, cause: str) -> None:
    environment, expected = NO_WINDOW[cause]

    done, elapsed = launch(tmp_path, ["samples"], **environment(tmp_path))

    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("CXR Screening cannot open its window:\n")
    for text in expected:
        assert text in done.stderr
    assert elapsed < 30


@linux_only
def test_a_qt_abort_before_the_window_reaches_the_console(tmp_path: Path) -> None:
    """The check passes (fake ``ldd``: nothing missing) but no X server listens on the display: Qt's
    own fatal message must be on the console, not only in the log file."""
    done, _ = launch(tmp_path, ["samples"], DISPLAY=":98", PATH=fake_ldd(tmp_path / "bin"))

    assert done.returncode != 0
    assert "Qt platform plugin" in done.stderr


def test_the_check_follows_the_display_and_the_libraries(tmp_path: Path) -> None:
    for platform in (XCB, WAYLAND):
        (tmp_path / platform.plugin).touch()
    broken_xcb = {XCB.plugin: ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]}

    def check(env: dict[str, str], missing: dict[str, list[str]] | None = None):
        return check_platform(env, tmp_path, lambda plugin: (missing or {}).get(plugin.name, []))

    assert check({"DISPLAY": ":0"}) == check({"QT_QPA_PLATFORM": "offscreen"}) == check({"QT_QPA_PLATFORM": "vnc:size=800x600"})
    assert check({"DISPLAY": ":0"}).problems == () and check({"DISPLAY": ":0"}).force is None
    assert check({}).problems[0].startswith("No display")
    assert check({"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "wayland-0"}).problems[0].startswith("No display")
    # X11 broken, Wayland fine: Wayland is forced, unless the user asked for X11
    assert check({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, broken_xcb).force == WAYLAND.name
    assert check({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0", "QT_QPA_PLATFORM": "xcb"}, broken_xcb).problems
    report = problem_report(check({"DISPLAY": ":0"}, broken_xcb).problems)
    assert report.splitlines() == [
        "CXR Screening cannot open its window:",
        "  - Qt's X11 (xcb) plugin cannot load: these system libraries are missing: libxcb-icccm.so.4, libxcb-keysyms.so.1",
        "    Install them with:",
        "      Debian/Ubuntu: sudo apt install libxcb-icccm4 libxcb-keysyms1",
        "      Fedora:        sudo dnf install xcb-util-wm xcb-util-keysyms",
    ]


def test_a_missing_plugin_file_is_reported_as_such(tmp_path: Path) -> None:
    problems = check_platform({"DISPLAY": ":0"}, tmp_path, lambda plugin: []).problems
    assert len(problems) == 1 and "plugin is not installed" in problems[0]


@pytest.mark.parametrize(("soname", "debian", "fedora"), [
    ("libxcb-cursor.so.0", "libxcb-cursor0", "xcb-util-cursor"),
    ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0", "libxkbcommon-x11"),
    ("libX11-xcb.so.1", "libx11-xcb1", "'libX11-xcb.so.1()(64bit)'"),
])
def test_package_names_follow_the_soname(soname: str, debian: str, fedora: str) -> None:
    assert (debian_package(soname), fedora_package(soname)) == (debian, fedora)


@linux_only
def test_missing_libraries_reads_ldd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", fake_ldd(tmp_path / "bin", "libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxcb-icccm.so.4"))
    assert missing_libraries(tmp_path / "libqxcb.so") == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]


@pytest.mark.gui
@pytest.mark.slow
def test_screenshot_screens_the_films_saves_the_window_and_exits_0(tmp_path: Path) -> None:
    """What packaging/build.py runs under Xvfb on the frozen app; here offscreen, from source."""
    out = tmp_path / "window.png"
    done, _ = launch(tmp_path, ["--screenshot", str(out), "samples"], QT_QPA_PLATFORM="offscreen")

    assert done.returncode == 0, done.stderr
    assert f"screenshot: saved {out} (offscreen window)" in done.stdout
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_screenshot_needs_paths(tmp_path: Path) -> None:
    done, _ = launch(tmp_path, ["--screenshot", str(tmp_path / "x.png")])
    assert done.returncode == 2 and "--screenshot needs the PATH(s) to screen" in done.stderr
