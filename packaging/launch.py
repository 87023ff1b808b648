"""Frozen entry point: the same `desktop.cli.main` that ``python -m desktop`` runs."""

import multiprocessing
import sys

from desktop.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # Windows: worker processes re-enter the frozen exe
    sys.exit(main())
