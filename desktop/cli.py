"""Command line: the window (default), ``screen`` (headless) and ``--self-test``.

Qt is imported only on the window's path, so ``screen`` and ``--self-test`` run on machines
without a display or without Qt installed at all.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from cxrcore.runtime import ACCELERATORS

SCREEN_COMMAND = "screen"


def _models_dir_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--models-dir", type=Path, action="append", default=[], metavar="DIR",
        help="also look for model bundles in DIR (repeatable)",
    )
    parser.add_argument("--models-dir-only", action="store_true",
                        help="look only in the --models-dir folders, not in the app's or the user's")


def search_dirs(args: argparse.Namespace) -> list[Path]:
    from desktop.paths import model_search_dirs

    return model_search_dirs(args.models_dir, defaults=not args.models_dir_only)


def _runtime_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--accelerator", choices=ACCELERATORS, default="auto",
                        help="auto: GPU when available, else CPU (default); cpu: never try the GPU")
    parser.add_argument("--threads", type=int, default=None, metavar="N", help="inference threads (default: by core count)")


def app_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m desktop",
        description="Offline chest X-ray screening. Without arguments, opens the window.",
        epilog=f"Headless screening: python -m desktop {SCREEN_COMMAND} PATH... --out results.csv "
               f"(see python -m desktop {SCREEN_COMMAND} --help).",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="files or folders to screen as soon as the model is ready (e.g. samples)")
    _models_dir_option(parser)
    parser.add_argument("--self-test", action="store_true",
                        help="verify every model bundle against its reference outputs and exit (0 pass, 1 fail)")
    parser.add_argument("--store", type=Path, default=None, metavar="PATH", help="result store (SQLite) to use")
    _runtime_options(parser)
    return parser


def screen_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"python -m desktop {SCREEN_COMMAND}",
        description="Screen image files and folders (searched recursively) without opening a window. "
                    "Re-running with the same --out and model resumes where a previous run stopped.",
        epilog="Exit codes: 0 every input has a row; 1 nothing screened (no images, model, store or CSV "
               "failure); 2 no usable model or bad arguments; 130 interrupted.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="image files (PNG, JPEG, BMP, TIFF, DICOM) or folders")
    parser.add_argument("--out", required=True, type=Path, metavar="CSV", help="results CSV to write")
    parser.add_argument("--model", default="auto", metavar="NAME",
                        help="auto (default): send each film to the model validated for its population (age, "
                             "view), a film no model is validated for is 'not validated'; or a bundle name to "
                             "score every film with that one (films outside its population are 'not validated')")
    parser.add_argument("--build", default=None, metavar="KIND",
                        help="build of the --model NAME (default: the card's default build)")
    _models_dir_option(parser)
    _runtime_options(parser)
    parser.add_argument("--store", type=Path, default=None, metavar="PATH",
                        help="result store (SQLite) for resume and audit (default: in the user data folder)")
    parser.add_argument("--include-patient-fields", action="store_true",
                        help="add DICOM patient/study columns to the CSV (identifying data: opt in deliberately)")
    parser.add_argument("--decode-workers", type=int, default=1, metavar="N",
                        help="decoding threads running ahead of inference")
    parser.add_argument("-v", "--verbose", action="store_true", help="also log skipped files and other details")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == [SCREEN_COMMAND]:
        args = screen_parser().parse_args(argv[1:])
        _quiet_native_logging()
        logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                            format="%(levelname)s: %(message)s", stream=sys.stderr)
        from desktop.headless import screen

        return screen(args, search_dirs(args))
    args = app_parser().parse_args(argv)
    _quiet_native_logging()
    if args.self_test:
        return _self_test(args)
    from desktop.ui.app import run_app  # Qt only from here on

    return run_app(search_dirs(args), args.store, [str(path) for path in args.paths])


def _quiet_native_logging() -> None:
    """Send LiteRT's (and Qt's) C++ chatter to the log file; Python's messages keep the console."""
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
