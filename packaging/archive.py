"""The file a clinic downloads: the app folder in one compressed archive, named for its platform.

``cxr-screening-linux-x86_64.tar.gz`` (Linux, macOS: tar keeps the executable bit and the folder's
symbolic links; any desktop opens it) or ``cxr-screening-windows-amd64.zip`` (Windows' own format).
gzip at level 6, so that CI can afford it on every build: on this folder (251 MB) it gives 111.6 MB
in 12 s, level 9 111.2 MB in 27 s; ``xz -6`` would give 91 MB but takes 100 s on two cores.
"""

from __future__ import annotations

import platform
import sys
import tarfile
import zipfile
from pathlib import Path

COMPRESS_LEVEL = 6


def archive_path(folder: Path) -> Path:
    """Where the archive of ``folder`` goes: beside it, named for this OS and machine."""
    system, machine = platform.system().lower(), platform.machine().lower()
    suffix = ".zip" if sys.platform == "win32" else ".tar.gz"
    return folder.with_name(f"{folder.name}-{system}-{machine}{suffix}")


def write_archive(folder: Path) -> Path:
    """Compress ``folder`` (as its top-level directory) into `archive_path`; returns that path."""
    out = archive_path(folder)
    out.unlink(missing_ok=True)
    if out.suffix == ".zip":
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as archive:
            for path in sorted(folder.rglob("*")):
                archive.write(path, path.relative_to(folder.parent))
    else:
        with tarfile.open(out, "w:gz", compresslevel=COMPRESS_LEVEL) as archive:
            archive.add(folder, arcname=folder.name)
    return out
