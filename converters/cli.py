"""The shared shape of the converters' command lines: parse, run, and turn a known failure into one line."""

from __future__ import annotations

import argparse
import shlex
import sys
from typing import Callable, Sequence


def run_tool(
    program: str,
    argv: Sequence[str] | None,
    parse_args: Callable[[Sequence[str]], argparse.Namespace],
    tool: Callable[[argparse.Namespace, str], int],
    errors: tuple[type[Exception], ...],
) -> int:
    """``tool(args, created_by)`` with ``created_by`` the command as typed (it goes into the card); one of
    ``errors`` is printed as ``error: …`` and exits 2, so a maintainer sees the cause, not a traceback."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    try:
        return tool(args, f"{program} {shlex.join(argv)}")
    except errors as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
