"""``python -m desktop``: the window, or ``screen`` / ``--self-test`` headless (see `desktop.cli`)."""

from __future__ import annotations

import sys

from desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
