"""The app folder's size, by component: what ``packaging/build.py --report`` prints and writes.

Components are matched by path inside the folder (`fnmatch`: ``*`` spans folders), first match
wins, so the table always adds up to the folder's total (sum of file sizes; links count nothing,
as for the budget).
"""

from __future__ import annotations

from fnmatch import fnmatch
from pathlib import Path

#: (component, globs relative to the folder): the order decides where a file counts.
COMPONENTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Qt: ICU data", ("_internal/PySide6/Qt/lib/libicudata*",)),
    ("Qt: ICU code", ("_internal/PySide6/Qt/lib/libicu*",)),
    ("Qt: libraries", ("_internal/PySide6/Qt/lib/*", "_internal/PySide6/Qt6*", "_internal/PySide6/*.dylib")),
    ("Qt: plugins", ("_internal/PySide6/Qt/plugins/*", "_internal/PySide6/plugins/*")),
    ("Qt: translations", ("_internal/PySide6/Qt/translations/*", "_internal/PySide6/translations/*")),
    ("PySide6 bindings", ("_internal/PySide6/*", "_internal/shiboken6/*")),
    ("safety models", ("_internal/models/_safety/*",)),
    ("model bundles", ("_internal/models/*",)),
    ("LiteRT", ("_internal/ai_edge_litert/*",)),
    ("numpy: OpenBLAS", ("_internal/numpy.libs/*", "_internal/numpy/.libs/*")),
    ("numpy", ("_internal/numpy/*",)),
    ("Pillow", ("_internal/PIL/*", "_internal/pillow.libs/*")),
    ("Python runtime", ("_internal/libpython*", "_internal/python3*", "_internal/base_library.zip")),
    ("executable (Python modules: PYZ)", ("cxr-screening", "cxr-screening.exe")),
    ("JPEG-LS (pyjpegls)", ("_internal/_CharLS*",)),
    ("PyNaCl (libsodium)", ("_internal/nacl/*",)),
    ("system libraries", ("_internal/lib*.so*", "_internal/*.dll", "_internal/*.dylib")),
)
OTHER = "other"


def component(relative: str) -> str:
    """The component a file at ``relative`` (POSIX path inside the folder) counts towards."""
    return next((name for name, patterns in COMPONENTS if any(fnmatch(relative, pattern) for pattern in patterns)),
                OTHER)


def component_sizes(folder: Path) -> dict[str, float]:
    """MB per component, largest first."""
    sizes: dict[str, float] = {}
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            name = component(path.relative_to(folder).as_posix())
            sizes[name] = sizes.get(name, 0.0) + path.stat().st_size / 1e6
    return {name: round(size, 1) for name, size in sorted(sizes.items(), key=lambda item: -item[1])}


def table(sizes: dict[str, float]) -> str:
    """A Markdown table of `component_sizes`, with the total."""
    rows = [f"| {name} | {size:.1f} |" for name, size in sizes.items()]
    return "\n".join(["| component | MB |", "|---|---:|", *rows, f"| **total** | **{sum(sizes.values()):.1f}** |"])
