"""Durable, atomic file writes: a file either appears whole under its name or not at all.

The DICOM receiver may only answer "stored" once an instance would survive a power cut, and the
DICOM results must never leave half a file for a PACS sender to pick up. Both write to a hidden
temporary name in the target folder (same file system, so the rename is atomic), fsync the data,
rename, then fsync the folder so the rename itself is on disk.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

#: Temporary files start with this (hidden, so folder scans skip them) and end with `TEMP_SUFFIX`.
TEMP_PREFIX = "."
TEMP_SUFFIX = ".partial"


def write_file_atomically(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` durably (see the module docstring); returns ``path``.
    Raises `OSError` (disk full, read-only folder) with no temporary file left behind."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_folder(path.parent)
    return path


def remove_leftover_temporaries(folder: Path) -> list[Path]:
    """Delete temporary files a crash left in ``folder`` (never acknowledged, so nothing is lost)."""
    removed = []
    for leftover in Path(folder).glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"):
        leftover.unlink(missing_ok=True)
        removed.append(leftover)
    return removed


def _fsync_folder(folder: Path) -> None:
    """Make a rename durable. Windows cannot open a folder for fsync; NTFS journals the rename."""
    if os.name == "nt":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def prepare_inbox(inbox: Path) -> list[Path]:
    """Create a receiving folder and drop the temporary files a crash left in it (never acknowledged to
    the sender, so nothing is lost); returns what was removed. Used by the ``receive`` command and the
    window alike."""
    inbox.mkdir(parents=True, exist_ok=True)
    return remove_leftover_temporaries(inbox)
