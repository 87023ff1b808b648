"""Parts of third-party packages that PyInstaller collects and the app never loads: left out of the folder.

PyInstaller's PySide6 hooks collect every plugin of every Qt module they see and all of Qt's
translations, and the spec's ``excludes`` removes Python modules, never Qt's libraries. The app uses
QtCore, QtGui and QtWidgets only (``tests/system/test_layering.py`` pins its imports); it opens its
window on X11 or Wayland (Windows, macOS: their one platform), runs headless on ``offscreen`` and
``minimal``, speaks `desktop.i18n.TRANSLATED`, and reads no image through Qt: films are decoded by
Pillow and pydicom, which need no WebP or AVIF codec for the formats the app opens
(`cxrcore.decode.IMAGE_SUFFIXES`); it runs its models through LiteRT's Python bindings, not its
stand-alone C library. The libraries only these parts needed then go too (`dependencies.unneeded`).

Each rule reads a destination path inside the folder (``PySide6/Qt/plugins/tls/libqopensslbackend.so``),
so the same rules serve Linux, Windows and macOS file names.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from desktop.i18n import TRANSLATED

#: The Qt modules the app imports; every other binding (QtNetwork, QtDBus…) is left out.
QT_BINDINGS = frozenset({"QtCore", "QtGui", "QtWidgets"})
#: Qt plugin folders the app needs → the plugins kept in each (None: all of them). Unlisted folders
#: (tls, networkinformation, generic input, eglfs device integrations…) serve QtNetwork or an
#: embedded-device platform and are left out.
QT_PLUGINS: dict[str, frozenset[str] | None] = {
    "platforms": frozenset({"qxcb", "qwayland", "qwayland-egl", "qwayland-generic", "qoffscreen", "qminimal",
                            "qwindows", "qcocoa"}),
    "xcbglintegrations": None,
    "wayland-shell-integration": None,
    "wayland-decoration-client": None,
    "wayland-graphics-integration-client": None,
    # Compose key and IBus: how a French or Portuguese user types an accented name.
    "platforminputcontexts": None,
    # The desktop portal's file dialogs; not GTK's theme, which pulls in GTK's stack (cairo, pango…).
    "platformthemes": frozenset({"qxdgdesktopportal"}),
    # Icon themes' SVG icons in the file dialogs; JPEG and ICO for `--screenshot` to such a file.
    "iconengines": None,
    "imageformats": frozenset({"qjpeg", "qico", "qsvg"}),
    "styles": None,  # Windows' and macOS' native look
}
#: Pillow's codec modules for formats the app never opens (their libraries follow them out).
PILLOW_CODECS = frozenset({"_avif", "_webp", "_imagingtk"})
#: LiteRT's stand-alone C API library (8.0 MB, Linux). No binding links it: the Python wrappers carry
#: their runtime in ``libpywrap_litert_common.so``, and the WebGPU accelerator they dlopen needs none of
#: its symbols (``nm -D --undefined-only``). ``ai_edge_litert/__init__`` preloads it only if present,
#: for vendors' NPU dispatch libraries, which the folder does not ship (the spec leaves out
#: ``vendors/``). Checked 2026-12-03: without it the Interpreter and CompiledModel CPU give identical
#: results and CompiledModel GPU loads the WebGPU accelerator and stops at the same "No adapters found".
LITERT_UNUSED = frozenset({"libLiteRt.so"})
#: numpy's random-number and FFT subpackages (3.0 MB, nearly all extension modules), for the spec's
#: ``excludes``. numpy 2 imports neither with ``import numpy`` (``numpy.__getattr__`` loads them on first
#: use), the app's code uses neither, and none of the libraries calls them on the app's paths (highdicom's
#: ``Volume.random_*`` helpers, which do, are never called). `tests/system/test_packaging_contents.py`
#: screens real films, writes the PDF and DICOM results and runs the self-test with both made unimportable.
NUMPY_UNUSED = ("numpy.random", "numpy.fft")


def plugin_name(file_name: str) -> str:
    """A Qt plugin's name without platform decoration: ``libqxcb.so``, ``qxcb.dll`` → ``qxcb``."""
    return file_name.split(".")[0].removeprefix("lib")


def unused_qt_file(parts: tuple[str, ...]) -> bool:
    """A file under ``PySide6/`` the app never loads: another module's binding, a plugin outside
    `QT_PLUGINS`, Qt Quick/QML, or a translation of a language the app does not speak."""
    name = parts[-1]
    stem = name.split(".")[0]
    if len(parts) == 2 and stem.startswith("Qt") and stem[2:3].isupper() and stem not in QT_BINDINGS:
        return True  # a binding (QtNetwork.abi3.so, QtNetwork.pyd); Windows' Qt6Network.dll is a library
    if "qml" in parts:
        return True
    if "plugins" in parts[:-2]:
        folder = parts[-2]
        kept = QT_PLUGINS.get(folder, frozenset())
        return kept is not None and plugin_name(name) not in kept
    if "translations" in parts[:-1] and name.endswith(".qm"):
        return not any(name.startswith((f"qtbase_{code}.", f"qtbase_{code}_")) for code in TRANSLATED)
    return False


def is_unused(destination: str) -> bool:
    """Whether the file PyInstaller would place at ``destination`` (relative to ``_internal``) is left out."""
    parts = PurePosixPath(destination.replace("\\", "/")).parts
    if parts and parts[0] == "PySide6":
        return unused_qt_file(parts)
    if parts[:1] == ("ai_edge_litert",) and len(parts) == 2:
        return parts[1] in LITERT_UNUSED
    return parts[:1] == ("PIL",) and len(parts) == 2 and parts[1].split(".")[0] in PILLOW_CODECS
