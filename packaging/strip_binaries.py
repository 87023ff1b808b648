"""Debug info and symbol tables in the folder's libraries, stripped where that is safe (Linux).

Source builds of Python (pyenv) and some wheels ship DWARF sections and full symbol tables the app
never reads: libpython 23 → 5.7 MB, pyjpegls' JPEG-LS codec 6.7 → 0.6 MB, PyNaCl's libsodium 3.7 →
0.6 MB, Pillow's core 3.5 → 0.8 MB, LiteRT's core 18.3 → 14.3 MB. ``strip --strip-unneeded`` keeps what
the dynamic loader links by (the dynamic symbols), as Linux distributions strip every library they
ship. Never stripped: the libraries a wheel vendors in its ``*.libs`` folder, which auditwheel renamed
with patchelf: PyInstaller's own ``strip`` option (every library) corrupted numpy's vendored OpenBLAS,
and the frozen app then failed to import numpy. Off Linux, or without binutils, nothing is stripped.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

#: Sections ``--strip-unneeded`` removes that take room: the symbol table and DWARF debug info.
_STRIPPED_SECTION = re.compile(r"\] \.(symtab|debug_\w+) ")


def has_unneeded_sections(path: Path) -> bool:
    sections = subprocess.run(["readelf", "-S", "-W", str(path)], capture_output=True, text=True, check=False).stdout
    return _STRIPPED_SECTION.search(sections) is not None


def strippable(folder: Path) -> list[Path]:
    """Shared libraries in ``folder`` with a symbol table or debug info, other than wheels' vendored ones."""
    libraries = (path for path in folder.rglob("*.so*")
                 if path.is_file() and not path.is_symlink() and not path.parent.name.endswith(".libs"))
    return sorted(path for path in libraries if has_unneeded_sections(path))


def strip(folder: Path) -> float:
    """``strip --strip-unneeded`` on every `strippable` library; returns the MB saved (0 off Linux)."""
    tool = shutil.which("strip")
    if sys.platform != "linux" or tool is None or shutil.which("readelf") is None:
        return 0.0
    files = strippable(folder)
    if not files:
        return 0.0
    before = sum(path.stat().st_size for path in files)
    subprocess.run([tool, "--strip-unneeded", *map(str, files)], check=True)
    return (before - sum(path.stat().st_size for path in files)) / 1e6
