"""PyInstaller's lists of what goes into the folder (TOCs), and leaving entries out with the size that saves.

The spec cuts the folder in steps (`unused_parts`, `dependencies`); each step prints what it left
out, so the build log measures every cut on its own (``docs/packaging.md`` quotes these lines).
"""

from __future__ import annotations

import os

#: A TOC entry: (destination inside ``_internal``, source path or a link's target, typecode).
Entry = tuple[str, str, str]


def print_left_out(what: str, count: int, size: int) -> None:
    """The build log's line for one cut: how many files and MB (``size`` bytes) ``what`` was."""
    print(f"left out, {what}: {count} files, {size / 1e6:.1f} MB")


def without(entries: list[Entry], destinations: set[str], what: str) -> list[Entry]:
    """``entries`` less those placed at ``destinations``, with `print_left_out` of them (links weigh nothing)."""
    dropped = [entry for entry in entries if entry[0] in destinations]
    print_left_out(what, len(dropped), sum(os.path.getsize(source) for _, source, typecode in dropped
                                           if typecode != "SYMLINK" and os.path.isfile(source)))
    return [entry for entry in entries if entry[0] not in destinations]
