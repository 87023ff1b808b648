"""Can Qt open a window here? Checked before `QApplication` exists, because Qt cannot say so itself.

When no platform plugin loads, Qt prints one line and calls ``abort()``: exit 134, and on a bare
Linux desktop (Qt ≥ 6.5's X11 plugin needs libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1) or over
SSH without a display, a new user sees nothing at all. So the window path first asks the dynamic
loader (``ldd``) which libraries each display plugin lacks and whether a display is set, and
`problem_report` turns the answer into the missing names and the command that installs them.

Linux only: Windows and macOS wheels carry everything their one platform plugin needs.
``packaging/build.py`` uses `missing_libraries` and `debian_package` to bundle the same libraries.
"""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping, MutableMapping

PLATFORM_ENV = "QT_QPA_PLATFORM"
#: One library in ``ldd``'s answer: ``\tlibxcb-icccm.so.4 => not found`` or ``\tlibGL.so.1 => /lib/… (0x…)``.
_LDD_LINE = re.compile(r"^\s*(\S+) => (.+?)(?: \(0x[0-9a-f]+\))?\s*$", re.M)
#: dlopen's error when a dependency is missing (the fallback where ``ldd`` is not installed).
_DLOPEN_MISSING = re.compile(r"(\S+\.so[.\d]*): cannot open shared object file")


@dataclass(frozen=True)
class DisplayPlatform:
    """A Qt platform plugin that draws on a display server."""

    name: str  # Qt's name, as in QT_QPA_PLATFORM
    plugin: str  # its file in Qt's plugins/platforms folder
    display_env: str  # set when a server of this kind is running
    label: str


XCB = DisplayPlatform("xcb", "libqxcb.so", "DISPLAY", "X11 (xcb)")
WAYLAND = DisplayPlatform("wayland", "libqwayland.so", "WAYLAND_DISPLAY", "Wayland")
_BY_NAME = {"xcb": XCB, "wayland": WAYLAND, "wayland-egl": WAYLAND}

#: Fedora packages of the libraries that Qt's X11 plugin needs beyond a minimal X11 install.
#: (Debian's follow from the soname, see `debian_package`; an unlisted one is named by soname.)
FEDORA_PACKAGES = {
    "libxcb-cursor.so.0": "xcb-util-cursor",
    "libxcb-icccm.so.4": "xcb-util-wm",
    "libxcb-keysyms.so.1": "xcb-util-keysyms",
    "libxcb-image.so.0": "xcb-util-image",
    "libxcb-render-util.so.0": "xcb-util-renderutil",
    "libxcb-util.so.1": "xcb-util",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11",
}


def ldd(binary: Path, env: Mapping[str, str] | None = None) -> dict[str, str | None] | None:
    """Every library ``binary`` needs, directly or not, → the file the dynamic loader would map
    (``None``: not found); ``None`` when ``ldd`` is not installed or gives no answer.

    ``ldd`` resolves exactly as the loader will (``LD_LIBRARY_PATH`` in ``env``, RUNPATH, the system
    cache) and lists every missing library at once.
    """
    tool = shutil.which("ldd")
    if tool is None:
        return None
    try:
        output = subprocess.run([tool, str(binary)], capture_output=True, text=True, timeout=30,
                                env=None if env is None else dict(env)).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return {name: None if target == "not found" else target for name, target in _LDD_LINE.findall(output)} or None


def missing_libraries(binary: Path, env: Mapping[str, str] | None = None) -> list[str]:
    """Sonames ``binary`` needs that the loader cannot find, in ``ldd``'s order. Without ``ldd``,
    loading the file names the first missing one. An answer that cannot be had is ``[]``: the
    check must never refuse to start on a guess."""
    resolved = ldd(binary, env)
    if resolved is None:
        return _first_missing_by_loading(binary)
    return [name for name, target in resolved.items() if target is None]


def _first_missing_by_loading(binary: Path) -> list[str]:
    try:
        ctypes.CDLL(str(binary))
    except OSError as error:
        return _DLOPEN_MISSING.findall(str(error))[:1]
    return []


def debian_package(soname: str) -> str:
    """The Debian/Ubuntu package of a library, from its soname (Debian policy §8.1):
    ``libxcb-icccm.so.4`` → ``libxcb-icccm4``; a hyphen when the name ends in a digit
    (``libxkbcommon-x11.so.0`` → ``libxkbcommon-x11-0``)."""
    name, _, version = soname.partition(".so")
    name, version = name.lower(), version.lstrip(".").split(".")[0]
    return f"{name}-{version}" if name[-1].isdigit() and version else name + version


def fedora_package(soname: str) -> str:
    """Fedora's package name when known, else the soname capability that dnf resolves itself."""
    return FEDORA_PACKAGES.get(soname, f"'{soname}()(64bit)'")


def install_commands(sonames: list[str]) -> list[str]:
    """The commands that install ``sonames``, one per distribution family."""
    return [f"Debian/Ubuntu: sudo apt install {' '.join(dict.fromkeys(map(debian_package, sonames)))}",
            f"Fedora:        sudo dnf install {' '.join(dict.fromkeys(map(fedora_package, sonames)))}"]


@dataclass(frozen=True)
class PlatformCheck:
    """What `check_platform` found: the platform to insist on, or why none can open a window."""

    force: str | None = None  # set QT_QPA_PLATFORM to this (Qt would otherwise try a broken one)
    problems: tuple[str, ...] = ()


def requested_platforms(env: Mapping[str, str]) -> list[DisplayPlatform] | None:
    """The display platforms Qt will try, in order; ``None`` when ``QT_QPA_PLATFORM`` names another
    kind (offscreen, minimal, vnc, eglfs…), which needs no display or reports its own failure."""
    names = [entry.split(":")[0].strip() for entry in env.get(PLATFORM_ENV, "").split(";") if entry.strip()]
    if not names:
        return [XCB, WAYLAND]  # Qt's Linux default is X11, or Wayland in a Wayland session
    if any(name not in _BY_NAME for name in names):
        return None
    return list(dict.fromkeys(_BY_NAME[name] for name in names))


def check_platform(env: Mapping[str, str], plugins_dir: Path,
                   find_missing: Callable[[Path], list[str]] = missing_libraries) -> PlatformCheck:
    """Find a display platform that has both its display and its libraries.

    With ``QT_QPA_PLATFORM`` unset and X11 unusable but Wayland fine, Wayland is forced: Qt may
    otherwise try X11 (e.g. under XWayland) and abort.
    """
    platforms = requested_platforms(env)
    if platforms is None:
        return PlatformCheck()
    problems = []
    for platform in platforms:
        if not env.get(platform.display_env):
            continue
        plugin = plugins_dir / platform.plugin
        if not plugin.is_file():
            problems.append(f"Qt's {platform.label} plugin is not installed ({plugin}): reinstall the app "
                            "(from source: pip install --force-reinstall PySide6).")
            continue
        missing = find_missing(plugin)
        if not missing:
            unrequested = not env.get(PLATFORM_ENV)
            return PlatformCheck(force=platform.name if unrequested and platform is not platforms[0] else None)
        problems.append(_missing_libraries_problem(platform, missing))
    if not any(env.get(platform.display_env) for platform in platforms):
        problems.append("No display: neither DISPLAY (X11) nor WAYLAND_DISPLAY (Wayland) is set.\n"
                        "Start the app from a desktop session (over SSH: ssh -X), or screen without a window:\n"
                        f"  {_program()} screen FOLDER --out results.csv")
    return PlatformCheck(problems=tuple(problems))


def _missing_libraries_problem(platform: DisplayPlatform, missing: list[str]) -> str:
    lines = [f"Qt's {platform.label} plugin cannot load: these system libraries are missing: {', '.join(missing)}",
             "Install them with:"]
    return "\n".join(lines + ["  " + command for command in install_commands(missing)])


def _program() -> str:
    return "cxr-screening" if getattr(sys, "frozen", False) else "python -m desktop"


def problem_report(problems: tuple[str, ...]) -> str:
    """One bullet per problem, its further lines indented under it."""
    bullets = ["  - " + problem.replace("\n", "\n    ") for problem in problems]
    return "\n".join(["CXR Screening cannot open its window:", *bullets])


def qt_plugins_dir() -> Path:
    """Qt's ``plugins/platforms`` folder, as Qt itself resolves it (wheel or frozen app)."""
    from PySide6.QtCore import QLibraryInfo  # QtCore only: loads no platform plugin

    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "platforms"


def ensure_window_platform(env: MutableMapping[str, str] = os.environ) -> str | None:
    """Before `QApplication`: ``None`` when a window can open (forcing Wayland into ``env`` if
    that is the one that works), else the report to print."""
    if not sys.platform.startswith("linux"):
        return None
    found = check_platform(env, qt_plugins_dir())
    if found.force:
        env[PLATFORM_ENV] = found.force
    return problem_report(found.problems) if found.problems else None
