"""A file inside a folder whose SHA-256 was recorded: hashed, contained and verified in one place.

Model bundles (``card.json`` → ``files``) and the safety models (``safety.json`` → ``files``) both
name files relative to their folder with the SHA-256 measured when the folder was built. One check
serves both, so a path that climbs out of the folder (``..``, an absolute path, a link pointing
elsewhere) is refused the same way wherever a folder is trusted. Callers turn a `FileProblem`
into their own error (`cxrcore.bundle.BundleError`, `cxrcore.safety.card.SafetyCardError`), which
names the folder.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path, PurePosixPath, PureWindowsPath


class FileProblem(ValueError):
    """A listed file that must not be used; the message names the file (relative) and what is wrong."""


class MissingFile(FileProblem):
    """The listed file is not there (a bundle may lack some files; see `cxrcore.bundle.optional_files`)."""


def sha256_file(path: str | os.PathLike[str]) -> str:
    """Hex SHA-256 of a file, streamed so large builds do not sit in memory twice."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def contained_path(directory: Path, relative: str) -> Path:
    """``directory / relative`` resolved, refusing any path that leaves ``directory``.

    Checked as written (absolute, a drive, or a ``..`` part, in POSIX or Windows spelling) and
    again once resolved, so a link inside the folder that points outside is refused too.
    """
    spellings = (PurePosixPath(relative), PureWindowsPath(relative))
    if not relative or any(path.is_absolute() or path.drive or ".." in path.parts for path in spellings):
        raise FileProblem(f"file {relative!r} points outside its folder")
    root = directory.resolve()
    path = (root / relative).resolve()
    if root not in path.parents:
        raise FileProblem(f"file {relative!r} points outside its folder")
    return path


def verified_file(directory: Path, relative: str, sha256: str) -> Path:
    """The file ``relative`` inside ``directory``, after checking it exists and has the recorded SHA-256."""
    path = contained_path(directory, relative)
    if not path.is_file():
        raise MissingFile(f"file {relative!r} is missing")
    actual = sha256_file(path)
    if actual != sha256:
        raise FileProblem(
            f"file {relative!r} has SHA-256 {actual[:12]}… but {str(sha256)[:12]}… was recorded; "
            "the file was altered or damaged"
        )
    return path
