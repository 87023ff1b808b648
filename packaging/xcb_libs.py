"""The libraries Qt's X11 plugin needs, carried inside the app folder so it runs on a bare Linux desktop.

Qt ≥ 6.5's ``libqxcb.so`` needs xcb-util libraries (libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1…)
that a minimal desktop install lacks. PyInstaller bundles whatever the build machine's loader
finds, so a build machine without them ships a folder that dies on start. `provide` therefore
makes every one resolvable before PyInstaller runs: missing ones are fetched without root from
the Debian archive the machine already uses (``apt-get download`` + ``dpkg-deb -x`` into
``build/xcb-libs``, kept for later offline builds) and put on ``LD_LIBRARY_PATH`` for PyInstaller.
`check_bundled` then proves the folder itself holds them (its bootloader puts ``_internal`` on
``LD_LIBRARY_PATH``). Linux only.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from desktop.qt_platform import XCB, debian_package, install_commands, ldd, missing_libraries, qt_plugins_dir

#: What PyInstaller collects of the plugin's X11 dependencies (it leaves out libxcb.so.1 and DRI,
#: which come with any X11 client install; see `PyInstaller.depend.dylib.include_library`).
_X11_LIBRARY = re.compile(r"lib(xcb-|xkbcommon)")
_PLUGIN_IN_FOLDER = Path("_internal") / "PySide6" / "Qt" / "plugins" / "platforms" / XCB.plugin


def library_dirs(cache: Path) -> list[Path]:
    """Folders of shared libraries unpacked into ``cache`` by `fetch_debian_packages`."""
    return sorted({path.parent for path in (cache / "root").rglob("*.so.*")})


def with_library_path(env: dict[str, str], directories: list[Path]) -> dict[str, str]:
    joined = os.pathsep.join([*map(str, directories), *filter(None, [env.get("LD_LIBRARY_PATH")])])
    return {**env, "LD_LIBRARY_PATH": joined} if joined else env


def fetch_debian_packages(packages: list[str], cache: Path) -> None:
    """Download ``packages`` (no dependencies, no root) and unpack them under ``cache/root``."""
    debs, root = cache / "debs", cache / "root"
    debs.mkdir(parents=True, exist_ok=True)
    if shutil.which("apt-get") is None or shutil.which("dpkg-deb") is None:
        raise OSError("apt-get and dpkg-deb are not available")
    subprocess.run(["apt-get", "download", "-q", *packages], cwd=debs, check=True, capture_output=True, text=True)
    for deb in sorted(debs.glob("*.deb")):
        subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)


def provide(cache: Path) -> dict[str, str]:
    """The environment for PyInstaller under which every library of Qt's X11 plugin resolves.

    Fails the build, naming what to install, when some are neither installed nor fetchable.
    """
    plugin = qt_plugins_dir() / XCB.plugin
    env = with_library_path(dict(os.environ), library_dirs(cache))
    missing = missing_libraries(plugin, env)
    if not missing:
        return env
    packages = list(dict.fromkeys(map(debian_package, missing)))
    print(f"Qt's X11 plugin needs {', '.join(missing)}, not installed here: fetching {' '.join(packages)} "
          f"from the Debian archive into {cache}")
    try:
        fetch_debian_packages(packages, cache)
    except (OSError, subprocess.CalledProcessError) as error:
        detail = getattr(error, "stderr", None) or error
        print(f"could not fetch them: {str(detail).strip()}")
    env = with_library_path(dict(os.environ), library_dirs(cache))
    still = missing_libraries(plugin, env)
    if still:
        raise SystemExit("the app folder would not open a window on X11: Qt's X11 plugin needs "
                         f"{', '.join(still)}. Install them on this build machine:\n  "
                         + "\n  ".join(install_commands(still)))
    return env


def check_bundled(folder: Path) -> list[str]:
    """The X11 libraries the frozen plugin resolves from inside ``folder``; fails the build when
    one would come from the system (or nowhere), as on a machine that lacks it."""
    from PyInstaller.depend.dylib import include_library

    internal = folder / "_internal"
    resolved = ldd(folder / _PLUGIN_IN_FOLDER, with_library_path(dict(os.environ), [internal])) or {}
    needed = [name for name in resolved if _X11_LIBRARY.match(name) and include_library(name)]
    outside = [name for name in needed if not (resolved[name] or "").startswith(str(internal))]
    if not needed or outside:
        raise SystemExit("the app folder does not carry the X11 libraries Qt's plugin needs: "
                         + (", ".join(f"{name} ({resolved[name] or 'not found'})" for name in outside)
                            or f"ldd found none for {folder / _PLUGIN_IN_FOLDER}"))
    return needed
