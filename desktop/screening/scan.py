"""Turn what the user dropped (files and folders) into an ordered list of films to screen.

Folder scans are recursive and must survive whatever a USB stick or clinic share holds:
symbolic-link loops, unreadable folders, broken links, the same film reachable twice, macOS
``._`` junk. The rules:

- a file named explicitly is always screened (if it is not an image, its row says so);
- inside folders only `cxrcore.decode.is_candidate_image` files are taken, hidden entries skipped;
- an unreadable folder or a missing input becomes a `ScanProblem`, which the caller shows as an
  error row, so nothing the user gave disappears silently;
- a link loop or a second path to an already listed file is skipped with a logged reason.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from cxrcore.decode import is_candidate_image

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScanProblem:
    """An input that could not be scanned; becomes one error row."""

    path: str
    reason: str
    message: str


@dataclass
class ScanResult:
    files: list[Path] = field(default_factory=list)
    problems: list[ScanProblem] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def skip(self, path: str, why: str) -> None:
        log.info("scan skipped %s: %s", path, why)
        self.skipped.append((path, why))


def collect_inputs(inputs: Iterable[str | os.PathLike[str]], cancel: threading.Event | None = None) -> ScanResult:
    """Expand ``inputs`` in the order given; folders are walked depth-first, entries sorted by name."""
    result = ScanResult()
    seen_files: set[str] = set()
    for raw in inputs:
        if cancel is not None and cancel.is_set():
            break
        path = Path(raw).absolute()
        if path.is_dir():
            _walk(path, result, seen_files, cancel)
        elif path.exists() or path.is_symlink():
            _add_file(path, result, seen_files)
        else:
            result.problems.append(ScanProblem(str(path), "missing", "file or folder does not exist"))
    return result


def _add_file(path: Path, result: ScanResult, seen_files: set[str]) -> None:
    real = os.path.realpath(path)
    if real in seen_files:
        result.skip(str(path), "same file already listed through another path")
        return
    seen_files.add(real)
    result.files.append(path)


def _walk(root: Path, result: ScanResult, seen_files: set[str], cancel: threading.Event | None) -> None:
    visited_dirs: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        if cancel is not None and cancel.is_set():
            return
        folder = stack.pop()
        try:
            info = folder.stat()
            key = (info.st_dev, info.st_ino)
            if key in visited_dirs:
                result.skip(str(folder), "folder already scanned (symbolic-link loop or repeated link)")
                continue
            visited_dirs.add(key)
            with os.scandir(folder) as iterator:
                entries = sorted(iterator, key=lambda entry: entry.name)
        except OSError as error:
            result.problems.append(
                ScanProblem(str(folder), "unreadable-folder", f"cannot read folder: {error.strerror or error}")
            )
            continue
        subfolders: list[Path] = []
        for entry in entries:
            entry_path = Path(entry.path)
            if entry.name.startswith("."):
                result.skip(entry.path, "hidden file or folder")
            elif _is_dir(entry):
                subfolders.append(entry_path)
            elif is_candidate_image(entry_path):
                _add_file(entry_path, result, seen_files)
        stack.extend(reversed(subfolders))  # pop() then visits them in name order


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=True)
    except OSError:  # a link we may not follow is treated as a file, whose decode then explains
        return False
