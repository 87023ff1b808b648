"""``python -m desktop screen PATH… --out results.csv``: the app's screening without a window.

Imports no Qt, so it runs on a server or over SSH. By default each film is routed to the model
validated for its population (`desktop.screening.routing`); ``--model NAME`` forces one. Results go to the
store as they arrive (the batch is keyed by the output CSV and the models), and the CSV is written
at the end, atomically:
re-running the same command after a crash or Ctrl+C resumes and screens only what is missing.

Exit codes: 0 every input exists and has a row in the CSV, and at least one film was screened (rows
may still say ``rejected`` or ``error``); 1 an input does not exist or no film could be screened (the
CSV is still written, an error row for each: a script must not mistake a typo for a clean batch),
nothing to screen, or the model, store, CSV or ``--pdf`` report could not be opened/written (a report that
cannot be written still leaves the CSV); 2 no usable model bundle
(or bad arguments); 130 interrupted (what was done is kept in the store).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import Callable, TextIO

from cxrcore.bundle import BundleError
from cxrcore.runtime import EngineError
from cxrcore.safety.checks import SafetyChecks
from cxrcore.safety.card import SafetyCardError

from desktop.screening.batch import BatchSummary, run_batch
from desktop.screening.catalog import Catalog, discover
from desktop.paths import default_store_path, runtime_log_path, safety_dir, user_models_dir
from desktop.screening.results import STATUS_ERROR, STATUS_NOT_VALIDATED, STATUS_OK, STATUS_REJECTED, ScreenResult
from desktop.screening.routing import Router, SelectionError, select
from desktop.reports.csv_export import write_csv
from desktop.screening.store import ResultStore, StoreError

EXIT_OK, EXIT_FAILED, EXIT_NO_MODEL, EXIT_INTERRUPTED = 0, 1, 2, 130

log = logging.getLogger(__name__)


def no_model_message(catalog: Catalog) -> str:
    """How to add a model, naming every folder searched and why each bundle found was refused."""
    lines = ["No usable model bundle was found. Searched:"]
    lines += [f"  {directory}" for directory in catalog.searched]
    lines += [f"Refused {item.directory}: {item.error}" for item in catalog.invalid]
    lines.append(f"Copy a model bundle folder (with its card.json) into {user_models_dir()} or pass --models-dir DIR.")
    return "\n".join(lines)


class CommandError(Exception):
    """A reason the command cannot run, with the exit code it ends with."""

    def __init__(self, exit_code: int, message: str) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def open_engines(args: argparse.Namespace, model_dirs: list[Path], err: TextIO) -> tuple[Router, SafetyChecks]:
    """Discover, select and open the models and the safety checks for a headless command, on the calling
    thread (which then owns them); `CommandError` says why not and with which exit code."""
    catalog = discover(model_dirs)
    for item in catalog.invalid:
        print(f"warning: model bundle {item.directory} refused: {item.error}", file=err)
    if not catalog.valid:
        raise CommandError(EXIT_NO_MODEL, no_model_message(catalog))
    try:
        selection = select(catalog, args.model, args.build)
        safety = SafetyChecks.load(safety_dir())
    except SelectionError as error:
        raise CommandError(EXIT_NO_MODEL, f"error: {error}") from error
    except (SafetyCardError, EngineError) as error:
        raise CommandError(EXIT_FAILED, f"error: cannot open the safety checks, so nothing is screened: {error}") from error
    try:
        router = Router.open(selection, args.accelerator, args.threads, log_path=runtime_log_path())
    except (EngineError, BundleError) as error:
        safety.close()
        raise CommandError(EXIT_FAILED, f"error: cannot open the model: {error}") from error
    for note in router.fallback_notes:
        print(f"note: {note}", file=err)
    print(describe_models(router), file=err)
    return router, safety


def screen(args: argparse.Namespace, model_dirs: list[Path], out: TextIO | None = None,
           err: TextIO | None = None) -> int:
    """Run the ``screen`` command; returns the process exit code (streams default to sys's, read late
    because `desktop.cli` may have re-pointed ``sys.stderr`` away from LiteRT's native logging)."""
    out, err = out or sys.stdout, err or sys.stderr
    try:
        router, safety = open_engines(args, model_dirs, err)
    except CommandError as error:
        print(error, file=err)
        return error.exit_code
    output = Path(args.out).absolute()
    try:
        with ResultStore(args.store or default_store_path()) as store:
            summary = run_batch(
                router, args.paths, store, batch_key=f"csv:{output}",
                on_result=_progress_printer(err), decode_workers=args.decode_workers, safety=safety,
            )
            if args.dicom_out:  # heatmaps run the router's models: before it is closed, on this thread
                from desktop.services import dicom_out

                dicom_out(summary.results, router, args.dicom_out)
            pdf_failure = write_pdf(args, summary, router)
    except StoreError as error:
        print(f"error: {error}", file=err)
        return EXIT_FAILED
    except OSError as error:
        print(f"error: cannot write the DICOM results: {error.strerror or error}", file=err)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("\nInterrupted. Results so far are saved; run the same command again to resume.", file=err)
        return EXIT_INTERRUPTED
    finally:
        router.close()
        safety.close()
    if summary.total == 0:
        print("error: no image files found in the given paths", file=err)
        return EXIT_FAILED
    try:
        write_csv(output, summary.results, router.labels, args.include_patient_fields)
    except OSError as error:
        print(f"error: cannot write {output}: {error.strerror or error}", file=err)
        return EXIT_FAILED
    print(render_summary(summary, output), file=out)
    failures = incomplete_batch(args.paths, summary) + ([pdf_failure] if pdf_failure else [])
    for failure in failures:
        print(f"error: {failure}", file=err)
    return EXIT_FAILED if failures else EXIT_OK


def write_pdf(args: argparse.Namespace, summary: BatchSummary, router: Router) -> str | None:
    """``--pdf FILE``: the report of the batch, or why it could not be written (the CSV is written either way)."""
    if args.pdf is None or not summary.results:
        return None
    from desktop.services import pdf_out  # heatmaps run the router's models: before it is closed, on this thread

    path = Path(args.pdf).absolute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)  # as the CSV's folder is made
        pdf_out(summary.results, router, path, args.include_patient_fields)
    except OSError as error:
        return f"cannot write the PDF report {args.pdf}: {error.strerror or error}"
    return None


def incomplete_batch(inputs: list[str], summary: BatchSummary) -> list[str]:
    """Why a batch whose CSV was written still failed: inputs that do not exist, or no film screened."""
    failures = []
    missing = [path for path in inputs if not os.path.lexists(path)]
    if missing:
        failures.append(f"{len(missing)} input(s) do not exist (an error row each): " + ", ".join(missing))
    if summary.status_counts[STATUS_ERROR] == len(summary.results):
        failures.append(f"no film could be screened: all {len(summary.results)} row(s) are errors")
    return failures


def describe_models(router: Router) -> str:
    """``Models (routed by population): a 1.0 float32, b 2.0 float32 on <runtime>``, or the one forced."""
    names = ", ".join(identity.label for identity in router.identities)
    how = "Models (routed by population)" if router.automatic else "Model (forced)"
    return f"{how}: {names} on {router.description}"


def render_summary(summary: BatchSummary, output: Path) -> str:
    counts = summary.status_counts
    return (
        f"{summary.total} file(s): {summary.screened} screened, {summary.resumed} resumed from the store; "
        f"{counts[STATUS_OK]} ok, {counts[STATUS_NOT_VALIDATED]} not validated, {counts[STATUS_REJECTED]} rejected, "
        f"{counts[STATUS_ERROR]} error; "
        f"{summary.flagged} flagged for review, {summary.warned} with warnings.\nResults: {output}"
    )


def _progress_printer(err: TextIO) -> Callable[[ScreenResult, int, int], None]:
    """A one-line progress counter on a terminal; silent when stderr is a file or pipe."""
    interactive = err.isatty()

    def report(result: ScreenResult, done: int, total: int) -> None:
        if result.status != STATUS_OK:
            log.warning("%s: %s (%s)", result.path, result.message, result.status)
        if interactive:
            end = "\n" if done == total else ""
            print(f"\r[{done}/{total}]", end=end, file=err, flush=True)

    return report
