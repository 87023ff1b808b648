"""Libraries that no longer serve anything kept in the folder: left out after `unused_parts` is applied.

PyInstaller adds each collected binary's shared-library dependencies before the spec removes the
parts the app never loads, so those parts' libraries would stay behind: Qt's GTK theme plugin brought
GTK's stack (cairo, pango, harfbuzz, gdk-pixbuf), QtNetwork brought Kerberos, Pillow's AVIF codec a
5 MB libavif. A dependency stays only if a kept binary needs it, directly or through another kept one.

Only what PyInstaller collected as a dependency may go (`is_dependency`): libraries at the folder's
top level, in a wheel's vendored-library folder (``numpy.libs``, ``pillow.libs``) or in Qt's library
folder. Python extensions, Qt plugins, the Python runtime and the binaries the spec lists itself
(LiteRT's accelerators, which it opens with dlopen) are roots, kept whatever links to them.
"""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import PurePosixPath
from typing import Callable, Iterable

from toc import Entry

#: Referenced library names of one binary (its NEEDED entries, or everything ``ldd`` lists).
Imports = Callable[[str], Iterable[str]]
#: Where Qt's own libraries lie: Linux and macOS wheels, Windows wheels.
_QT_LIBRARY_FOLDERS = (("PySide6", "Qt", "lib"), ("PySide6",))


def referenced_libraries(binary: str) -> list[str]:
    """The library names ``binary`` links against, as PyInstaller's own dependency analysis reads them."""
    from PyInstaller.depend.bindepend import get_imports

    return [name for name, _path in get_imports(binary)]


def _parts(destination: str) -> tuple[str, ...]:
    return PurePosixPath(destination.replace("\\", "/")).parts


def is_dependency(entry: Entry) -> bool:
    """Whether PyInstaller collected ``entry`` as some binary's dependency (so it may be left out)."""
    destination, _source, typecode = entry
    parts = _parts(destination)
    if typecode != "BINARY" or parts[-1].lower().startswith(("libpython", "python3")):
        return False
    folder = parts[:-1]
    return not folder or folder[-1].endswith(".libs") or folder in _QT_LIBRARY_FOLDERS


def unneeded(binaries: list[Entry], imports: Imports = referenced_libraries) -> set[str]:
    """Destinations of the dependencies in ``binaries`` that no kept binary needs."""
    by_name: dict[str, list[Entry]] = defaultdict(list)
    for entry in binaries:
        by_name[_parts(entry[0])[-1]].append(entry)
    candidates = {entry[0] for entry in binaries if is_dependency(entry)}
    pending = [entry for entry in binaries if entry[0] not in candidates]
    kept: set[str] = set()
    while pending:
        entry = pending.pop()
        if entry[0] not in kept:
            kept.add(entry[0])
            pending.extend(needed for name in imports(entry[1]) for needed in by_name.get(os.path.basename(name), []))
    return candidates - kept


def dangling_links(datas: list[Entry], binaries: list[Entry]) -> set[str]:
    """The symbolic links among ``datas`` (where PyInstaller files them) whose target is no longer
    collected, such as the top-level link it made to each library in a subfolder."""
    collected = {_posix(entry[0]) for entry in datas + binaries}
    return {entry[0] for entry in datas if entry[2] == "SYMLINK"
            and _posix(os.path.join(os.path.dirname(entry[0]), entry[1])) not in collected}


def _posix(path: str) -> str:
    return PurePosixPath(os.path.normpath(path).replace("\\", "/")).as_posix()
