"""``python -m desktop screen PATH… --out results.csv``: the app's screening without a window.

Imports no Qt, so it runs on a server or over SSH. By default each film is routed to the model
validated for its population (`desktop.screening.routing`); ``--model NAME`` forces one. Results go to the
store as they arrive (the batch is keyed by the output CSV and the models), and the CSV is written
at the end, atomically:
re-running the same command after a crash or Ctrl+C resumes and screens only what is missing.

Exit codes: 0 every input has a row in the CSV (rows may still say ``rejected`` or ``error``);
1 nothing to screen, or the model, store or CSV could not be opened/written; 2 no usable model
bundle (or bad arguments); 130 interrupted (what was done is kept in the store).
"""

from __future__ import annotations

import argparse
import logging
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


def screen(args: argparse.Namespace, model_dirs: list[Path], out: TextIO | None = None,
           err: TextIO | None = None) -> int:
    """Run the ``screen`` command; returns the process exit code (streams default to sys's, read late
    because `desktop.cli` may have re-pointed ``sys.stderr`` away from LiteRT's native logging)."""
    out, err = out or sys.stdout, err or sys.stderr
    catalog = discover(model_dirs)
    for item in catalog.invalid:
        print(f"warning: model bundle {item.directory} refused: {item.error}", file=err)
    if not catalog.valid:
        print(no_model_message(catalog), file=err)
        return EXIT_NO_MODEL
    try:
        selection = select(catalog, args.model, args.build)
    except SelectionError as error:
        print(f"error: {error}", file=err)
        return EXIT_NO_MODEL
    try:
        safety = SafetyChecks.load(safety_dir())
    except (SafetyCardError, EngineError) as error:
        print(f"error: cannot open the safety checks, so nothing is screened: {error}", file=err)
        return EXIT_FAILED
    try:
        router = Router.open(selection, args.accelerator, args.threads, log_path=runtime_log_path())
    except (EngineError, BundleError) as error:
        safety.close()
        print(f"error: cannot open the model: {error}", file=err)
        return EXIT_FAILED
    for note in router.fallback_notes:
        print(f"note: {note}", file=err)
    print(describe_models(router), file=err)
    output = Path(args.out).absolute()
    try:
        with ResultStore(args.store or default_store_path()) as store:
            summary = run_batch(
                router, args.paths, store, batch_key=f"csv:{output}",
                on_result=_progress_printer(err), decode_workers=args.decode_workers, safety=safety,
            )
    except StoreError as error:
        print(f"error: {error}", file=err)
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
    return EXIT_OK


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
