"""Where the app finds its models and keeps its data, from a source checkout or a frozen build.

Two model folders are searched: the one shipped with the app (next to the package, or inside a
PyInstaller bundle) and a per-user one that a clinic can add bundles to without reinstalling.
Everything the app writes (result store, logs) goes to the per-user data folder, never next to
the program, because an installed program folder is often read-only.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_DIR_NAME = "cxr-screening"
#: Environment variable that relocates the whole user data folder (portable installs, tests).
DATA_DIR_ENV = "CXR_SCREENING_DATA_DIR"
#: Environment variable naming one more folder of trusted public keys (a maintainer's test keys, CI).
TRUSTED_KEYS_ENV = "CXR_SCREENING_TRUSTED_KEYS"


def app_models_dirs() -> list[Path]:
    """The shipped ``models/`` folder(s).

    Frozen by PyInstaller, data files live under ``sys._MEIPASS`` (one-file builds unpack there)
    and a clinic may also drop a ``models/`` folder next to the executable; from a checkout the
    folder sits beside the ``desktop`` package.
    """
    if getattr(sys, "frozen", False):
        candidates = [Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent)) / "models"]
        beside_exe = Path(sys.executable).resolve().parent / "models"
        if beside_exe not in candidates:
            candidates.append(beside_exe)
        return candidates
    return [Path(__file__).resolve().parent.parent / "models"]


#: Folder inside a models folder holding the safety checks' card and models (`cxrcore.safety.checks`).
SAFETY_DIR_NAME = "_safety"


def safety_dir() -> Path:
    """The shipped safety models: the first app models folder that has them (else the first one's,
    so that loading fails naming the expected place). A clinic cannot swap them for its own."""
    candidates = [directory / SAFETY_DIR_NAME for directory in app_models_dirs()]
    return next((path for path in candidates if path.is_dir()), candidates[0])


def user_data_dir() -> Path:
    """The per-user data folder: XDG on Linux, Application Support on macOS, LOCALAPPDATA on Windows."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    home = Path.home()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = home / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return base / APP_DIR_NAME


def user_models_dir() -> Path:
    return user_data_dir() / "models"


def trusted_keys_dir() -> Path:
    """Where a user puts the public ``.pub`` key of locally built models, on purpose, to trust them."""
    return user_data_dir() / "trusted-keys"


def trusted_key_dirs() -> list[Path]:
    """Every folder whose public keys the app trusts: the shipped keys (`cxrcore.signing`), the user's
    folder, and the one named by `TRUSTED_KEYS_ENV` when set."""
    from cxrcore.signing import SHIPPED_KEYS_DIR

    extra = os.environ.get(TRUSTED_KEYS_ENV)
    return [SHIPPED_KEYS_DIR, trusted_keys_dir(), *([Path(extra)] if extra else [])]


def default_store_path() -> Path:
    return user_data_dir() / "results.sqlite3"


def log_dir() -> Path:
    return user_data_dir() / "logs"


#: The window's own log (rotated by `desktop.ui.app.configure_logging`) and LiteRT's native one.
APP_LOG_NAME, RUNTIME_LOG_NAME = "app.log", "litert.log"


def app_log_path() -> Path:
    """The window's own log; Help → About names it."""
    return log_dir() / APP_LOG_NAME


def runtime_log_path() -> Path | None:
    """Where LiteRT's native chatter goes (see `cxrcore.runtime.native_stderr_to`).

    The folder is created here because the runtime opens the file before each engine attempt;
    ``None`` (cxrcore's temporary-folder default) when the data folder is not writable.
    """
    try:
        log_dir().mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return log_dir() / RUNTIME_LOG_NAME


def model_search_dirs(extra: list[Path] | None = None, defaults: bool = True) -> list[Path]:
    """App folders, then the user folder, then any ``--models-dir`` given; duplicates removed.

    ``defaults=False`` searches only ``extra`` (``--models-dir-only``): a packaging self-test or a
    test suite must check exactly the bundles it was given.
    """
    ordered: list[Path] = []
    for directory in [*(app_models_dirs() + [user_models_dir()] if defaults else []), *(extra or [])]:
        resolved = Path(directory).expanduser().resolve()
        if resolved not in ordered:
            ordered.append(resolved)
    return ordered
