"""Command line: the window (default), ``screen`` (headless), ``receive`` and ``watch`` (`desktop.services`)
and ``--self-test``.

Qt is imported only on the window's path, so ``screen`` and ``--self-test`` run on machines
without a display or without Qt installed at all. The window's path first checks that Qt can
open a window at all (`desktop.qt_platform`), and keeps native stderr on the console until the
window is shown, so that nothing Qt says before that is lost in the log file.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from cxrcore.memory import keep_freed_memory
from cxrcore.runtime import ACCELERATORS

SCREEN_COMMAND = "screen"
#: The long-running commands (`desktop.services`): a DICOM receiver and a watch folder.
RECEIVE_COMMAND, WATCH_COMMAND = "receive", "watch"
#: The window cannot open here (no display, missing system libraries): the reason is printed.
EXIT_NO_WINDOW = 2


def models_dir_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--models-dir", type=Path, action="append", default=[], metavar="DIR",
        help="also look for model bundles in DIR (repeatable)",
    )
    parser.add_argument("--models-dir-only", action="store_true",
                        help="look only in the --models-dir folders, not in the app's or the user's")


def search_dirs(args: argparse.Namespace) -> list[Path]:
    from desktop.paths import model_search_dirs

    return model_search_dirs(args.models_dir, defaults=not args.models_dir_only)


def runtime_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--accelerator", choices=ACCELERATORS, default="auto",
                        help="auto: GPU when available, else CPU (default); cpu: never try the GPU")
    parser.add_argument("--threads", type=int, default=None, metavar="N", help="inference threads (default: by core count)")


def screening_options(parser: argparse.ArgumentParser) -> None:
    """The options every screening command shares with the same meaning: ``screen``, ``receive``, ``watch``."""
    parser.add_argument("--model", default="auto", metavar="NAME",
                        help="auto (default): send each film to the model validated for its population (age, "
                             "view), a film no model is validated for is 'not validated'; or a bundle name to "
                             "score every film with that one (films outside its population are 'not validated')")
    parser.add_argument("--build", default=None, metavar="KIND",
                        help="build of the --model NAME (default: the card's default build)")
    models_dir_options(parser)
    runtime_options(parser)
    parser.add_argument("--store", type=Path, default=None, metavar="PATH",
                        help="result store (SQLite) for resume and audit (default: in the user data folder)")
    parser.add_argument("--include-patient-fields", action="store_true",
                        help="add DICOM patient/study columns to the CSV (identifying data: opt in deliberately)")


def app_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m desktop",
        description="Offline chest X-ray screening. Without arguments, opens the window.",
        epilog=f"Headless screening: python -m desktop {SCREEN_COMMAND} PATH... --out results.csv "
               f"(see python -m desktop {SCREEN_COMMAND} --help); from the X-ray unit over DICOM: "
               f"python -m desktop {RECEIVE_COMMAND} --out results.csv; a folder as films arrive: "
               f"python -m desktop {WATCH_COMMAND} DIR --out results.csv. Exit code {EXIT_NO_WINDOW}: the window cannot "
               "open here (no display, or system libraries Qt needs are missing; the message names them).",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="files or folders to screen as soon as the model is ready (e.g. samples)")
    models_dir_options(parser)
    parser.add_argument("--self-test", action="store_true",
                        help="verify every model bundle against its reference outputs and exit (0 pass, 1 fail)")
    parser.add_argument("--store", type=Path, default=None, metavar="PATH", help="result store (SQLite) to use")
    parser.add_argument("--screenshot", type=Path, default=None, metavar="PNG",
                        help="screen PATH..., save a picture of the window when done and exit (0 saved, 1 not)")
    runtime_options(parser)
    return parser


def screen_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"python -m desktop {SCREEN_COMMAND}",
        description="Screen image files and folders (searched recursively) without opening a window. "
                    "Re-running with the same --out and model resumes where a previous run stopped.",
        epilog="Exit codes: 0 every input exists and has a row, and at least one film was screened (rows may "
               "still say rejected or error); 1 an input does not exist or no film could be screened (the CSV is "
               "still written, with an error row for each), no image files, or the model, store or CSV failed; "
               "2 no usable model or bad arguments; 130 interrupted. A --pdf that cannot be written exits 1 with the CSV written.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="image files (PNG, JPEG, BMP, TIFF, DICOM) or folders")
    parser.add_argument("--out", required=True, type=Path, metavar="CSV", help="results CSV to write")
    screening_options(parser)
    parser.add_argument("--dicom-out", type=Path, default=None, metavar="DIR",
                        help="also write a Structured Report and a heatmap Secondary Capture per scored DICOM film "
                             "(docs/clinic-integration.md)")
    parser.add_argument("--pdf", type=Path, default=None, metavar="FILE",
                        help="also write the PDF report the window writes: a summary page, then each film with "
                             "its heatmap (patient fields only with --include-patient-fields)")
    parser.add_argument("--decode-workers", type=int, default=None, metavar="N",
                        help="decoding threads running ahead of inference (default: the cores inference leaves)")
    parser.add_argument("-v", "--verbose", action="store_true", help="also log skipped files and other details")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    keep_freed_memory()  # before any screening thread starts: every command screens films
    if argv[:1] in ([RECEIVE_COMMAND], [WATCH_COMMAND]):
        _quiet_native_logging()
        from desktop.services import receive_main, watch_main

        return (receive_main if argv[0] == RECEIVE_COMMAND else watch_main)(argv[1:])
    if argv[:1] == [SCREEN_COMMAND]:
        args = screen_parser().parse_args(argv[1:])
        _quiet_native_logging()
        logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                            format="%(levelname)s: %(message)s", stream=sys.stderr)
        from desktop.headless import screen

        return screen(args, search_dirs(args))
    parser = app_parser()
    args = parser.parse_args(argv)
    if args.screenshot is not None and not args.paths:
        parser.error("--screenshot needs the PATH(s) to screen")
    if args.self_test:
        _quiet_native_logging()
        return _self_test(args)
    return _window(args)


def _window(args: argparse.Namespace) -> int:
    """The window, once `desktop.qt_platform` agrees one can open: where Qt would abort (exit 134, its
    message easy to miss), the user reads what is missing and how to fix it, and the exit code is 2."""
    from desktop.qt_platform import ensure_window_platform

    problem = ensure_window_platform()
    if problem is not None:
        print(problem, file=sys.stderr)
        return EXIT_NO_WINDOW
    from desktop.ui.app import run_app

    return run_app(search_dirs(args), args.store, [str(path) for path in args.paths],
                   screenshot=args.screenshot, when_shown=_quiet_native_logging)


def _quiet_native_logging() -> None:
    """Send LiteRT's (and Qt's) C++ chatter to the log file; Python's messages keep the console.

    The window's path calls this only once the window is shown: a Qt abort before that must be seen."""
    from cxrcore.runtime import route_native_stderr
    from desktop.paths import runtime_log_path

    log_path = runtime_log_path()
    if log_path is not None:
        route_native_stderr(log_path)


def _self_test(args: argparse.Namespace) -> int:
    from desktop.paths import runtime_log_path, safety_dir
    from desktop.selftest import run_self_test

    folders = search_dirs(args)
    lines, passed = run_self_test(folders, safety_dir(), args.accelerator, args.threads, runtime_log_path())
    print("CXR Screening self-test")
    for line in lines:
        print("  " + line.render())
    if not lines:
        print("  FAIL  no model bundle found in: " + ", ".join(str(folder) for folder in folders))
    print("RESULT: " + ("PASS" if passed else "FAIL"))
    return 0 if passed else 1
