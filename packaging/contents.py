"""What must, and must not, be inside the app folder: read from the folder itself after the build.

Must not: the training and conversion stacks, test code. Must: every language's translation, and
what the app's features load only when used, which a build can lose without the window failing to
start: each bundle's ``signature.json`` and the trusted keys (else every bundle is refused),
libsodium (PyNaCl's ``_sodium``, and CFFI's ``_cffi_backend`` that it imports from C), highdicom's
tables of the standard (``--dicom-out``), and the Python modules the heatmap (LiteRT's flatbuffer
schema), ``receive`` (pynetdicom) and ``--dicom-out`` (highdicom) import, looked up in the
executable's module archive (PYZ).
"""

from __future__ import annotations

from pathlib import Path

import cxrcore
from cxrcore.bundle import CARD_FILE
from cxrcore.signing import PUBLIC_KEY_SUFFIX, SHIPPED_KEYS_DIR, SIGNATURE_FILE
from desktop.i18n import TRANSLATED, qm_name, ts_name

FORBIDDEN_TOP_LEVEL = ("tensorflow", "keras", "jax", "jaxlib", "torch", "tensorboard", "trainer",
                       "converters", "tests", "pytest", "_pytest", "cv2")
#: Where the trusted keys lie relative to the folder holding ``cxrcore``, in a checkout as in ``_internal``.
_KEYS = SHIPPED_KEYS_DIR.relative_to(Path(cxrcore.__file__).resolve().parents[1]).as_posix()
#: Files the app loads on demand, as globs inside ``_internal``.
REQUIRED_FILES = (f"{_KEYS}/*{PUBLIC_KEY_SUFFIX}", "nacl/_sodium*", "_cffi_backend*", "highdicom/_standard/*.json")
#: Modules imported only by one feature: the heatmap, signatures, DICOM networking and DICOM results.
REQUIRED_MODULES = ("ai_edge_litert.schema_py_generated", "flatbuffers", "nacl.signing", "pynetdicom",
                    "highdicom", "cxrcore.signing")


def forbidden_contents(folder: Path) -> list[str]:
    """Top-level packages or libraries in the bundle that belong to the training stack or tests."""
    found = []
    for path in folder.rglob("*"):
        name = path.name.lower()
        stem = name.split(".")[0]
        if path.is_dir() and name in FORBIDDEN_TOP_LEVEL and path.parent.name == "_internal":
            found.append(str(path.relative_to(folder)))
        elif path.is_file() and (stem.startswith(("libtensorflow", "libjax", "libtorch")) or "_pywrap_tensorflow" in name):
            found.append(str(path.relative_to(folder)))
    return found


def missing_translations(folder: Path) -> list[str]:
    """Each language's compiled translation (the window's) or source (the PDF report's) not in the folder."""
    shipped = {path.name for path in folder.rglob("cxr_*") if path.parent.name == "translations"}
    return sorted({name for code in TRANSLATED for name in (qm_name(code), ts_name(code))} - shipped)


def frozen_modules(executable: Path) -> set[str]:
    """The Python modules in the executable's PYZ archive (PyInstaller's one-folder layout)."""
    from PyInstaller.archive.readers import CArchiveReader

    package = CArchiveReader(str(executable))
    archive = next(name for name in package.toc if name.endswith(".pyz"))
    return set(package.open_embedded_archive(archive).toc)


def missing_app_parts(folder: Path, executable: Path) -> list[str]:
    """What of `REQUIRED_FILES`, `REQUIRED_MODULES` and the bundles' signatures the folder lacks."""
    internal = folder / "_internal"
    missing = [pattern for pattern in REQUIRED_FILES if not any(internal.glob(pattern))]
    missing += [f"{card.parent.relative_to(folder)}/{SIGNATURE_FILE}" for card in sorted(internal.glob(f"models/*/{CARD_FILE}"))
                if not (card.parent / SIGNATURE_FILE).is_file()]
    modules = frozen_modules(executable)
    return missing + [f"module {name}" for name in REQUIRED_MODULES if name not in modules]
