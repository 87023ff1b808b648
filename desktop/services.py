"""The long-running commands: ``receive`` (a DICOM Storage SCP) and ``watch`` (a folder), plus the
``--dicom-out`` hook that ``screen`` shares with them and ``screen``'s ``--pdf``.

Both commands are the headless screener kept running: the same model discovery and routing
(``--model auto``), safety checks, result store and CSV, with films arriving one by one instead of
being listed up front (`desktop.screening.service.ScreeningService`). Both stop cleanly on Ctrl+C or
SIGTERM (the film in hand is finished) and pick up on restart where they stopped: what was received
or found but not yet screened is still in the inbox or folder, and the store does not have it.

Exit codes: 0 stopped on request; 1 could not start (address in use, inbox, store or folder
unusable, safety checks missing) or the store failed while running; 2 no usable model bundle, or
bad arguments.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Callable, TextIO


from desktop.cli import RECEIVE_COMMAND, WATCH_COMMAND, screening_options, search_dirs
from desktop.headless import EXIT_FAILED, EXIT_OK, CommandError, open_engines
from desktop.paths import default_store_path, user_data_dir
from desktop.screening.heatmap import Heatmap, compute_heatmap
from desktop.screening.results import ScreenResult
from desktop.screening.routing import Router
from desktop.screening.service import ScreeningService
from desktop.screening.store import StoreError

if TYPE_CHECKING:
    from desktop.network.sender import Outbox

DEFAULT_AE_TITLE, DEFAULT_PORT = "CXRSCREEN", 11112

log = logging.getLogger(__name__)


def dicom_out(results: list[ScreenResult], router: Router, out_dir: Path) -> list[Path]:
    """``--dicom-out DIR``: the SR and heatmap capture of each scored DICOM film among ``results``
    (`desktop.reports.dicom_results`); returns the files written. Call it on the thread that owns
    ``router``, before closing it: the heatmaps run its models. Files already there are kept."""
    from desktop.reports.dicom_results import write_dicom_results  # highdicom only when asked for

    thresholds = {route.identity.label: route.bundle.thresholds for route in router.routes}
    return write_dicom_results(results, Path(out_dir), thresholds, _heatmaps_by(router))


def pdf_out(results: list[ScreenResult], router: Router, path: Path, include_patient_fields: bool) -> Path:
    """``screen --pdf FILE``: the app's PDF batch report of ``results`` (`desktop.reports.pdf_report`), each
    scored film with its heatmap. Call it on the thread that owns ``router``, before closing it."""
    from desktop.reports.pdf_report import ReportContent, ReportModel, write_report  # reportlab only when asked for

    heatmap = _heatmaps_by(router)
    heatmaps = {result.path: made for result in results if result.scored and (made := heatmap(result)) is not None}
    models = [ReportModel(route.identity, route.bundle.thresholds) for route in router.routes]
    write_report(Path(path), ReportContent(results=list(results), models=models, automatic=router.automatic,
                                           runtime=router.description, heatmaps=heatmaps,
                                           include_patient_fields=include_patient_fields))
    return Path(path)


def _heatmaps_by(router: Router) -> Callable[[ScreenResult], Heatmap | None]:
    """The heatmap of a result by the model that scored it; None (logged) when it cannot be made."""
    routes = {route.identity: route for route in router.routes}

    def heatmap(result: ScreenResult) -> Heatmap | None:
        route = routes.get(result.model)
        if route is None:
            return None
        try:
            return compute_heatmap(route.classifier, router.model_grays(router.decode(result.path))[route.size])
        except Exception:  # a capture is a review aid: its failure costs the capture, not the report
            log.exception("no heatmap for %s", result.path)
            return None

    return heatmap


def _common_options(parser: argparse.ArgumentParser) -> None:
    """The options ``receive`` and ``watch`` share with ``screen`` (same meaning), then their own outputs."""
    parser.add_argument("--out", required=True, type=Path, metavar="CSV",
                        help="results CSV, rewritten (atomically) after each film")
    screening_options(parser)
    parser.add_argument("--dicom-out", type=Path, default=None, metavar="DIR",
                        help="also write a Structured Report and a heatmap Secondary Capture per scored DICOM film")
    parser.add_argument("--send-to", default=None, metavar="HOST:PORT:AET",
                        help="store the --dicom-out files on this archive (C-STORE, retried; see DIR/sent.jsonl)")
    parser.add_argument("--ae-title", default=DEFAULT_AE_TITLE, metavar="AET",
                        help=f"this program's AE title (default {DEFAULT_AE_TITLE})")
    parser.add_argument("-v", "--verbose", action="store_true", help="also log pynetdicom's and the scanner's details")


_EPILOG = "Exit codes: 0 stopped on request (Ctrl+C, SIGTERM); 1 could not start or the store failed; " \
          "2 no usable model or bad arguments. See docs/clinic-integration.md."


def receive_parser() -> argparse.ArgumentParser:
    parser = _parser(RECEIVE_COMMAND, "Receive films over DICOM (C-STORE) from X-ray units or a PACS and screen each one.")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"TCP port to listen on (default {DEFAULT_PORT})")
    parser.add_argument("--bind", default="127.0.0.1", metavar="ADDR",
                        help="address to listen on (default 127.0.0.1: this machine only; 0.0.0.0: every network)")
    parser.add_argument("--allow", action="append", default=[], metavar="AET",
                        help="accept only these calling AE titles (repeatable or comma-separated; default: any)")
    parser.add_argument("--inbox", type=Path, default=None, metavar="DIR",
                        help="where received films are kept (default: 'inbox' in the user data folder)")
    _common_options(parser)
    return parser


def watch_parser() -> argparse.ArgumentParser:
    parser = _parser(WATCH_COMMAND, "Screen every film that appears in a folder (searched recursively) once it "
                                    "is completely written.")
    parser.add_argument("folder", type=Path, metavar="DIR", help="folder to watch (a USB stick, a share, an export folder)")
    parser.add_argument("--interval", type=float, default=2.0, metavar="SECONDS", help="seconds between polls (default 2)")
    parser.add_argument("--stable-polls", type=int, default=3, metavar="N",
                        help="a file is complete once its size and time are the same in N polls in a row (default 3)")
    _common_options(parser)
    return parser


def _parser(command: str, description: str) -> argparse.ArgumentParser:
    return argparse.ArgumentParser(prog=f"python -m desktop {command}", description=description, epilog=_EPILOG)


def receive_main(argv: list[str], stop: threading.Event | None = None, err: TextIO | None = None) -> int:
    """``python -m desktop receive …``; runs until ``stop`` is set (or Ctrl+C / SIGTERM without one)."""
    from desktop.network.receiver import ReceiverConfig, StorageReceiver, parse_allow  # pynetdicom only here

    parser = receive_parser()
    args = _parse(parser, argv)
    inbox = (args.inbox or user_data_dir() / "inbox").absolute()
    _outputs_outside(parser, args, inbox)
    config = ReceiverConfig(ae_title=args.ae_title, inbox=inbox, port=args.port, bind=args.bind,
                            allow=parse_allow(args.allow))

    def serve(service: ScreeningService, stop: threading.Event, err: TextIO) -> None:
        receiver = StorageReceiver(config, on_stored=service.submit, on_refused=service.record)
        try:
            receiver.start()
        except OSError as error:
            raise CommandError(EXIT_FAILED, f"error: cannot listen on {args.bind}:{args.port}: "
                                            f"{error.strerror or error}") from error
        host, port = receiver.address
        allowed = ", ".join(config.allow) or "any calling AE title"
        print(f"Receiving as {config.ae_title} on {host}:{port} ({allowed}); inbox {inbox}; results {args.out}",
              file=err, flush=True)
        try:
            _wait(stop, service)
        finally:
            receiver.stop()

    return _run(args, [inbox], serve, stop, err or sys.stderr, prepare=lambda: _prepare_inbox(inbox))


def watch_main(argv: list[str], stop: threading.Event | None = None, err: TextIO | None = None) -> int:
    """``python -m desktop watch DIR …``; runs until ``stop`` is set (or Ctrl+C / SIGTERM without one)."""
    from desktop.screening.watch import StableFiles

    parser = watch_parser()
    args = _parse(parser, argv)
    if args.interval <= 0 or args.stable_polls < 1:
        parser.error("--interval must be positive and --stable-polls at least 1")
    folder = args.folder.absolute()
    _outputs_outside(parser, args, folder)

    def serve(service: ScreeningService, stop: threading.Event, err: TextIO) -> None:
        if not folder.is_dir():
            raise CommandError(EXIT_FAILED, f"error: {folder} is not a folder")
        watcher = StableFiles(folder, args.stable_polls)
        print(f"Watching {folder}; results {args.out}", file=err, flush=True)
        while not service.finished.is_set():
            for path in watcher.poll():
                service.submit(path)
            if stop.wait(args.interval):
                break

    return _run(args, [], serve, stop, err or sys.stderr)


def _parse(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace:
    args = parser.parse_args(argv)
    if args.send_to and not args.dicom_out:
        parser.error("--send-to sends the --dicom-out files: give --dicom-out DIR too")
    if args.send_to:
        from desktop.network.sender import parse_peer

        try:
            args.send_to = parse_peer(args.send_to)
        except ValueError as error:
            parser.error(str(error))
    _configure_logging(args.verbose)
    return args


def _outputs_outside(parser: argparse.ArgumentParser, args: argparse.Namespace, films: Path) -> None:
    """The DICOM results must not land where films are taken from: the heatmap captures would be
    screened as films themselves."""
    if args.dicom_out is not None and args.dicom_out.absolute().is_relative_to(films):
        parser.error(f"--dicom-out must be outside {films}, where films are taken from")


def _run(args: argparse.Namespace, backlog: list[Path],
         serve: Callable[[ScreeningService, threading.Event, TextIO], None],
         stop: threading.Event | None, err: TextIO, prepare: Callable[[], None] | None = None) -> int:
    """Open the models and the store, screen ``backlog``, then ``serve`` until stopped; always close
    everything (the film in hand is finished first)."""
    if stop is None:
        stop = threading.Event()
        _stop_on_signals(stop)
    outbox = _outbox(args)
    after = None if args.dicom_out is None else _dicom_after(args.dicom_out, outbox)
    service = ScreeningService(lambda: open_engines(args, search_dirs(args), err), args.store or default_store_path(), args.out,
                               args.include_patient_fields, after)
    try:
        if prepare is not None:
            prepare()
        service.start(backlog)
        serve(service, stop, err)
    except CommandError as error:
        print(error, file=err)
        return error.exit_code
    except (OSError, StoreError) as error:
        print(f"error: {error}", file=err)
        return EXIT_FAILED
    finally:
        service.stop()
        if outbox is not None:
            outbox.close()
    return EXIT_FAILED if service.failure is not None else EXIT_OK


def _outbox(args: argparse.Namespace) -> Outbox | None:
    """The sender for ``--send-to`` (pynetdicom is imported only then), already holding what a
    previous run did not get stored."""
    if args.send_to is None:
        return None
    from desktop.network.sender import SEND_LOG_NAME, Outbox, SendLog, unsent

    send_log = SendLog(args.dicom_out / SEND_LOG_NAME)
    outbox = Outbox(args.send_to, args.ae_title, send_log)
    outbox.put(unsent(args.dicom_out, send_log, args.send_to))
    return outbox


def _dicom_after(out_dir: Path, outbox: Outbox | None) -> Callable[[list[ScreenResult], Router], None]:
    def after(results: list[ScreenResult], router: Router) -> None:
        written = dicom_out(results, router, out_dir)
        if outbox is not None:
            outbox.put(written)

    return after


def _prepare_inbox(inbox: Path) -> None:
    from desktop.files import prepare_inbox

    for leftover in prepare_inbox(inbox):
        log.info("removed %s, an instance that was never acknowledged", leftover.name)


def _wait(stop: threading.Event, service: ScreeningService) -> None:
    while not stop.wait(0.5) and not service.finished.is_set():
        pass


def _stop_on_signals(stop: threading.Event) -> None:
    """Ctrl+C and SIGTERM (systemd, a service manager) end the command cleanly."""
    if threading.current_thread() is not threading.main_thread():
        return
    for name in ("SIGINT", "SIGTERM"):
        signal.signal(getattr(signal, name), lambda number, frame: stop.set())


def _configure_logging(verbose: bool) -> None:
    """A service's log is its record of who sent what: INFO by default, with times."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        stream=sys.stderr)
    if not verbose:
        for noisy in ("pynetdicom", "highdicom", "desktop.screening.scan"):  # per-PDU and per-module chatter; hidden files
            logging.getLogger(noisy).setLevel(logging.WARNING)
