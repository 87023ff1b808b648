"""Screen a list of files with one `Classifier`, decoding the next files while the model runs.

The app's worker thread, the headless screener and the benchmark all call `screen_paths`, so the
throughput measured is the throughput a clinic gets. Decoding (PIL/OpenCV, which release the
GIL) runs in a small thread pool a few files ahead; inference runs on the calling thread, which
owns the Classifier — LiteRT engines are not thread-safe, so one Classifier never serves two
threads. Every file yields exactly one `ScreenResult`, whatever goes wrong with it.
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

from cxrcore.bundle import sha256_file
from cxrcore.classifier import Classifier
from cxrcore.decode import DecodeError
from cxrcore.safety import NOT_A_CHEST_FILM, InspectedFilm, SafetyChecks

from desktop.film_metadata import read_film_metadata

log = logging.getLogger(__name__)

STATUS_OK = "ok"
STATUS_REJECTED = "rejected"
STATUS_ERROR = "error"
STATUSES = (STATUS_OK, STATUS_REJECTED, STATUS_ERROR)

#: Decode reasons meaning "a readable file, but not a film this model may be given" (rejected),
#: as opposed to a file that could not be read at all (error).
#: Every other `cxrcore.decode.DecodeError` reason (corrupt, not-an-image, unreadable, …) is an error.
REJECTED_REASONS = frozenset({
    "too-small", "too-large", "multi-frame", "not-grayscale", "no-pixel-data", "dicom-unsupported", NOT_A_CHEST_FILM,
})


@dataclass(frozen=True)
class ScreenResult:
    """One input's outcome: a decision (``ok``) or the reason there is none."""

    path: str
    status: str
    reason: str = ""
    message: str = ""
    prediction: str = ""
    confidence: float | None = None
    flagged: bool | None = None
    probabilities: dict[str, float] = field(default_factory=dict)
    metadata: dict[str, str] = field(default_factory=dict)
    file_sha256: str = ""
    resumed: bool = False
    #: 0–100 no-reference quality score (`cxrcore.quality`); None when not measured.
    quality: float | None = None
    #: Sentences shown beside the result: outside the model's training domain, poor quality.
    warnings: tuple[str, ...] = ()

    @classmethod
    def failure(cls, path: str, reason: str, message: str, file_sha256: str = "") -> "ScreenResult":
        status = STATUS_REJECTED if reason in REJECTED_REASONS else STATUS_ERROR
        return cls(path=path, status=status, reason=reason, message=message, file_sha256=file_sha256)


def text_path(path: Path) -> str:
    """The path as text that the store, CSV and PDF can hold: identical for any UTF-8 name; a name
    with undecodable bytes (possible on Linux) keeps them as ``\\xNN`` escapes, still one per file."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


@dataclass
class _Prepared:
    """What the decode thread hands to the inference thread for one file."""

    path: str
    file_sha256: str = ""
    gray: np.ndarray | None = None
    inspected: InspectedFilm | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    done: ScreenResult | None = None  # a failure, or a stored result being resumed


def screen_paths(
    classifier: Classifier,
    paths: Iterable[Path],
    known: Mapping[str, ScreenResult] | None = None,
    cancel: threading.Event | None = None,
    decode_workers: int = 1,
    read_ahead: int = 4,
    safety: SafetyChecks | None = None,
) -> Iterator[ScreenResult]:
    """Yield one `ScreenResult` per path, in order.

    With ``safety``, a film the chest-film gate refuses is ``rejected`` and never scored, and
    every scored film carries its quality score and warnings (`cxrcore.safety`). Its numpy half
    runs in the decode threads; its engines, like the classifier's, on the calling thread.

    ``known`` maps paths to results stored by an earlier run of the same batch: a file whose
    SHA-256 still matches is yielded from there (``resumed=True``) without being decoded or
    classified again. Setting ``cancel`` stops after the result in hand; files not yet yielded
    are dropped, decodes in flight are abandoned.
    """
    known = known or {}
    pending: deque[Future[_Prepared]] = deque()
    pool = ThreadPoolExecutor(max_workers=max(1, decode_workers), thread_name_prefix="cxr-decode")
    iterator = iter(paths)

    def submit_next() -> None:
        path = next(iterator, None)
        if path is not None:
            pending.append(pool.submit(_prepare, classifier, safety, Path(path), known))

    try:
        for _ in range(max(1, read_ahead)):
            submit_next()
        while pending:
            if cancel is not None and cancel.is_set():
                return
            prepared = pending.popleft().result()
            submit_next()
            yield _finish(classifier, safety, prepared)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _prepare(
    classifier: Classifier, safety: SafetyChecks | None, path: Path, known: Mapping[str, ScreenResult]
) -> _Prepared:
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
        decoded = classifier.decode(path)
        gray = classifier.gray_for_model(decoded)
        inspected = safety.inspect(decoded, gray) if safety is not None else None
    except DecodeError as error:
        return _Prepared(key, digest, done=ScreenResult.failure(key, error.reason, error.detail, digest))
    except MemoryError:
        failure = ScreenResult.failure(key, "out-of-memory", "not enough memory to decode this file", digest)
        return _Prepared(key, digest, done=failure)
    except Exception as error:  # an unforeseen decoder failure must cost one row, not the batch
        log.exception("unexpected error decoding %s", key)
        failure = ScreenResult.failure(key, "decode-failed", f"{type(error).__name__}: {error}", digest)
        return _Prepared(key, digest, done=failure)
    return _Prepared(key, digest, gray=gray, inspected=inspected, metadata=read_film_metadata(path))


def _finish(classifier: Classifier, safety: SafetyChecks | None, prepared: _Prepared) -> ScreenResult:
    """Judge and classify a decoded film (calling thread, which owns the engines)."""
    if prepared.done is not None:
        return prepared.done
    try:
        verdict = safety.judge(prepared.inspected) if safety is not None and prepared.inspected is not None else None
        if verdict is not None and not verdict.accepted:
            refusal = ScreenResult.failure(
                prepared.path, NOT_A_CHEST_FILM, f"not scored: {verdict.gate.reason}", prepared.file_sha256
            )
            return replace(refusal, metadata=prepared.metadata)  # whose film was refused still matters
        decision = classifier.classify_gray(prepared.gray).decision
    except Exception as error:  # a runtime failure on one input is reported on its row
        log.exception("inference failed on %s", prepared.path)
        return ScreenResult.failure(
            prepared.path, "inference-failed", f"the model could not run: {type(error).__name__}: {error}",
            prepared.file_sha256,
        )
    return ScreenResult(
        path=prepared.path,
        status=STATUS_OK,
        prediction=decision.prediction,
        confidence=decision.confidence,
        flagged=decision.flagged,
        probabilities=dict(decision.probabilities),
        metadata=prepared.metadata,
        file_sha256=prepared.file_sha256,
        quality=verdict.quality if verdict is not None else None,
        warnings=verdict.warnings if verdict is not None else (),
    )
