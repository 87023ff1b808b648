"""`require_training_extras`: an entry point that needs ``.[train]`` says so in one line instead of a traceback.

The app installs only ``.[app]``; the trainer's and the converters' command lines need Keras,
TensorFlow and the rest of ``.[train]``. Run without them, the first import deep inside a module
fails with a ``ModuleNotFoundError`` traceback that names a module, not the fix. Each such entry
point calls this first, under ``if __name__ == "__main__":`` and before its own imports (which are
what would fail), so the person running it reads what to install. Looking a module up does not
import it, so the check costs nothing when the extras are there. Standard library only.
"""

from __future__ import annotations

import importlib.util
import sys
from typing import Sequence

#: The import names of what the entry points use from ``.[train]``.
TRAINING_MODULES = ("keras", "tensorflow", "sklearn", "matplotlib", "tqdm", "ai_edge_quantizer")
#: Exit status of a command that cannot run as installed (as for any other unusable input).
EXIT_MISSING = 2


def missing_modules(modules: Sequence[str] = TRAINING_MODULES) -> list[str]:
    """The ``modules`` that cannot be imported here (absent, or blocked with ``sys.modules[name] = None``)."""
    missing = []
    for name in modules:
        try:
            found = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):  # a broken or half-imported package counts as missing
            found = False
        if not found:
            missing.append(name)
    return missing


def require_training_extras(entry_point: str) -> None:
    """Return when the training extras are importable; otherwise print one line naming ``entry_point``,
    the install command and the missing modules, and exit with `EXIT_MISSING`."""
    missing = missing_modules()
    if missing:
        print(f'{entry_point} needs the training extras: pip install -e ".[train]" (missing: {", ".join(missing)})',
              file=sys.stderr)
        raise SystemExit(EXIT_MISSING)
