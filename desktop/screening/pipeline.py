"""Screen a list of files through a `Router`, decoding the next files while the models run.

The app's worker thread, the headless screener and the benchmark all call `screen_paths`, so the
throughput measured is the throughput a clinic gets. Decoding (PIL/OpenCV, which release the
GIL) runs in a small thread pool a few files ahead: one decode per film (a JPEG DCT-scaled down to
no less than twice the largest model input), one resize per model input size, the safety checks'
numpy half. The gate, the population check and inference run on the calling thread, which owns the
router's classifiers — LiteRT engines are not thread-safe, so one Classifier never serves two
threads; the CPU engine releases the GIL while it runs (`cxrcore.runtime`), so the decode threads
keep working meanwhile. While the next film is not decoded yet, the calling thread prepares a later
file itself rather than wait (`_prepare_a_later_file`). How many decode threads: `decode_workers_for`.
Every file yields exactly one `ScreenResult`, whatever goes wrong with it.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Iterator, Mapping

import numpy as np

from cxrcore.files import sha256_file
from cxrcore.decode import DecodeError
from cxrcore.safety.gate import VIEW_SIDE
from cxrcore.safety.checks import NOT_A_CHEST_FILM, InspectedFilm, SafetyChecks

from desktop.screening.film_metadata import read_film_metadata
from desktop.screening.results import STATUS_NOT_VALIDATED, STATUS_OK, ScreenResult, confidence_text, text_path
from desktop.screening.routing import Router, Routing

log = logging.getLogger(__name__)

@dataclass
class _Prepared:
    """What the decode thread hands to the inference thread for one file."""

    path: str
    file_sha256: str = ""
    grays: dict[tuple[int, int], np.ndarray] = field(default_factory=dict)
    inspected: InspectedFilm | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    done: ScreenResult | None = None  # a failure, or a stored result being resumed


def screen_paths(
    router: Router,
    paths: Iterable[Path],
    known: Mapping[str, ScreenResult] | None = None,
    cancel: threading.Event | None = None,
    decode_workers: int | None = None,
    read_ahead: int | None = None,
    safety: SafetyChecks | None = None,
) -> Iterator[ScreenResult]:
    """Yield one `ScreenResult` per path, in order.

    With ``safety``, a film the chest-film gate refuses is ``rejected`` and never scored; every other
    film is routed by its population (`desktop.screening.routing`) and carries its quality score and warnings.
    The checks' numpy half runs in the decode threads; their engines, like the classifiers', on the
    calling thread. Without ``safety`` (tests, the benchmark's figure without checks) only a forced
    router may be used: nothing would say which population a film belongs to.

    ``known`` maps paths to results stored by an earlier run of the same batch: a file whose
    SHA-256 still matches is yielded from there (``resumed=True``) without being decoded or
    classified again. Setting ``cancel`` stops after the result in hand; files not yet yielded
    are dropped, decodes in flight are abandoned. ``decode_workers`` defaults to `decode_workers_for`,
    ``read_ahead`` (files submitted ahead of the one being classified) to two per worker, at least four.
    """
    if safety is None and router.automatic:
        raise ValueError("automatic routing needs the safety checks (they judge each film's population)")
    known = known or {}
    pending: deque[tuple[Path, Future[_Prepared]]] = deque()
    workers = max(1, decode_workers or decode_workers_for(router))
    read_ahead = read_ahead or max(4, 2 * workers)
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="cxr-decode")
    iterator = iter(paths)

    def submit_next() -> None:
        path = next(iterator, None)
        if path is not None:
            path = Path(path)
            pending.append((path, pool.submit(_prepare, router, safety, path, known)))

    try:
        for _ in range(max(1, read_ahead)):
            submit_next()
        while pending:
            if cancel is not None and cancel.is_set():
                return
            if not pending[0][1].done() and _prepare_a_later_file(pending, router, safety, known):
                continue
            prepared = pending.popleft()[1].result()
            submit_next()
            yield _finish(router, safety, prepared)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _prepare_a_later_file(pending: deque[tuple[Path, Future[_Prepared]]], router: Router,
                          safety: SafetyChecks | None, known: Mapping[str, ScreenResult]) -> bool:
    """While the next film is still being decoded, prepare the newest file no decode thread has started.

    Why: per film the engines cost less than the decode side (a 2000-pixel JPEG: about 5 ms of safety
    engines and int8 inference against 11 ms of hashing, decoding and the checks' numpy half), so the
    calling thread would otherwise wait most of the time while its core idles. Taking the *newest* file
    leaves the decode threads on the oldest ones, which inference needs first; the film keeps its place,
    so results still come in input order. False when every file ahead is already taken (then wait).
    """
    for index in range(len(pending) - 1, 0, -1):
        path, future = pending[index]
        if future.cancel():  # succeeds only while no decode thread has started it
            prepared: Future[_Prepared] = Future()
            prepared.set_result(_prepare(router, safety, path, known))
            pending[index] = (path, prepared)
            return True
    return False


def decode_workers_for(router: Router) -> int:
    """Decode threads for a batch: the cores the router's inference threads leave, at least one.

    Per film the decode side (hash, decode, resize, the safety checks' numpy half) costs more than the
    engine side (the safety engines, inference), and the calling thread also prepares films while it
    would wait, so the cores are shared between them; a thread beyond the cores would only take turns
    with the others (`cxrcore.runtime.default_threads` gives inference the other half).
    """
    return max(1, (os.cpu_count() or 1) - router.threads)


def _prepare(router: Router, safety: SafetyChecks | None, path: Path, known: Mapping[str, ScreenResult]) -> _Prepared:
    """Hash, resume-check, decode and inspect one file (decode thread; touches no engine)."""
    key = text_path(path)
    try:
        digest = sha256_file(path) if path.is_file() else ""  # never open a pipe: it blocks forever
    except OSError:
        digest = ""  # the decode below names the actual problem (missing, unreadable, link loop…)
    prior = known.get(key)
    if prior is not None and digest and prior.file_sha256 == digest:
        return _Prepared(key, digest, done=replace(prior, resumed=True))
    try:
        decoded = router.decode(path)
        grays = router.model_grays(decoded)
        inspected = safety.inspect(decoded, grays.get((VIEW_SIDE, VIEW_SIDE))) if safety is not None else None
    except DecodeError as error:
        return _Prepared(key, digest, done=ScreenResult.failure(key, error.reason, error.detail, digest))
    except MemoryError:
        failure = ScreenResult.failure(key, "out-of-memory", "not enough memory to decode this file", digest)
        return _Prepared(key, digest, done=failure)
    except Exception as error:  # an unforeseen decoder failure must cost one row, not the batch
        log.exception("unexpected error decoding %s", key)
        failure = ScreenResult.failure(key, "decode-failed", f"{type(error).__name__}: {error}", digest)
        return _Prepared(key, digest, done=failure)
    return _Prepared(key, digest, grays=grays, inspected=inspected, metadata=read_film_metadata(path))


def _finish(router: Router, safety: SafetyChecks | None, prepared: _Prepared) -> ScreenResult:
    """Judge, route and classify a decoded film (calling thread, which owns the engines)."""
    if prepared.done is not None:
        return prepared.done
    try:
        verdict = safety.judge(prepared.inspected) if safety is not None and prepared.inspected is not None else None
        if verdict is not None and not verdict.accepted:
            refusal = ScreenResult.failure(
                prepared.path, NOT_A_CHEST_FILM, f"not scored: {verdict.gate.reason}", prepared.file_sha256
            )
            return replace(refusal, metadata=prepared.metadata)  # whose film was refused still matters
        routing = router.route(verdict.populations if verdict is not None else None, prepared.metadata)
        route = routing.route
        decision = route.classifier.classify_gray(prepared.grays[route.size]).decision if route is not None else None
    except Exception as error:  # a runtime failure on one input is reported on its row
        log.exception("inference failed on %s", prepared.path)
        return ScreenResult.failure(
            prepared.path, "inference-failed", f"the model could not run: {type(error).__name__}: {error}",
            prepared.file_sha256,
        )
    result = ScreenResult(
        path=prepared.path,
        status=STATUS_OK,
        metadata=prepared.metadata,
        file_sha256=prepared.file_sha256,
        quality=verdict.quality if verdict is not None else None,
        warnings=verdict.warnings if verdict is not None else (),
    )
    if decision is not None:
        result = replace(result, prediction=decision.prediction, confidence=decision.confidence,
                         flagged=decision.flagged, probabilities=dict(decision.probabilities), model=route.identity)
    return result if routing.validated else _not_validated(result, routing)


def _not_validated(result: ScreenResult, routing: Routing) -> ScreenResult:
    """A film outside the population: flagged for review — a score that was never validated for it
    must not leave it at the bottom of the pile — with the model's answer, if any, kept secondary."""
    if result.scored:
        message = (f"score not validated for this film: {result.model.label} gave {result.prediction} "
                   f"({confidence_text(result.confidence)})")
    else:
        message = "not scored: no installed model was validated for this film"
    return replace(result, status=STATUS_NOT_VALIDATED, reason=f"population-{routing.reason}", message=message,
                   flagged=True, warnings=(routing.message, *result.warnings))
