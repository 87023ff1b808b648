"""C-STORE SCU: send the DICOM results (SR, heatmap capture) to an archive, and keep a record.

An archive is sometimes down (rebooting, overloaded, a cable out), so each file is retried a bounded
number of times with growing pauses (`SendPolicy`), then given up on — screening never waits for
the archive: `Outbox` sends on its own thread. Every outcome is appended to a JSON-lines log next to
the files (`SEND_LOG_NAME`), one object per line: time, file, SOP Instance UID, archive, outcome
(``sent`` or ``failed``), attempts, detail. A file the log does not list as sent (a failure, or a
crash before sending) is sent again when the service next starts (`unsent`).
"""

from __future__ import annotations

import json
import logging
import queue
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

from pydicom import dcmread
from pydicom.uid import ExplicitVRLittleEndian, ImplicitVRLittleEndian
from pynetdicom import AE

log = logging.getLogger(__name__)

SEND_LOG_NAME = "sent.jsonl"
SENT, FAILED = "sent", "failed"
#: Success, and the storage warnings that still mean "stored" (coerced, elements discarded, mismatch).
_STORED = frozenset({0x0000, 0xB000, 0xB006, 0xB007})


@dataclass(frozen=True)
class Peer:
    """An archive as a technician writes it: ``HOST:PORT:AET``."""

    host: str
    port: int
    ae_title: str

    def __str__(self) -> str:
        return f"{self.ae_title}@{self.host}:{self.port}"


def parse_peer(text: str) -> Peer:
    """``HOST:PORT:AET`` (an IPv6 host in brackets: ``[fe80::1]:104:PACS``); `ValueError` names the mistake."""
    host, _, rest = text.rpartition(":")
    host, _, port = host.rpartition(":")
    ae_title = rest.strip()
    host = host.strip("[]")
    if not host or not port.isdigit() or not 0 < int(port) < 65536 or not 0 < len(ae_title) <= 16:
        raise ValueError(f"expected HOST:PORT:AET (e.g. pacs.local:104:PACS), got {text!r}")
    return Peer(host, int(port), ae_title)


@dataclass(frozen=True)
class SendPolicy:
    """``attempts`` tries per file; before try n+1 a pause of ``first_pause × factorⁿ⁻¹`` seconds."""

    attempts: int = 4
    first_pause: float = 2.0
    factor: float = 3.0
    timeout: float = 30.0

    def pauses(self) -> list[float]:
        return [self.first_pause * self.factor ** index for index in range(self.attempts - 1)]


class SendLog:
    """The append-only JSON-lines record of what was sent where (one writer: the outbox thread)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def record(self, file: Path, instance: str, peer: Peer, outcome: str, attempts: int, detail: str) -> None:
        entry = {"at": datetime.now(timezone.utc).isoformat(timespec="milliseconds"), "file": file.name,
                 "sop_instance_uid": instance, "archive": str(peer), "outcome": outcome, "attempts": attempts,
                 "detail": detail}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a", encoding="utf-8") as stream:
            stream.write(json.dumps(entry) + "\n")

    def entries(self) -> list[dict[str, object]]:
        if not self.path.exists():
            return []
        lines = self.path.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip().endswith("}")]  # a torn last line is skipped

    def sent(self, peer: Peer) -> set[str]:
        """Names of the files already stored on ``peer``."""
        return {str(entry["file"]) for entry in self.entries()
                if entry["outcome"] == SENT and entry["archive"] == str(peer)}


def unsent(folder: Path, send_log: SendLog, peer: Peer) -> list[Path]:
    """The DICOM files in ``folder`` that ``peer`` has not confirmed storing."""
    done = send_log.sent(peer)
    return sorted(path for path in Path(folder).glob("*.dcm") if path.name not in done)


def send_files(peer: Peer, files: Iterable[Path], calling_ae: str, send_log: SendLog,
               policy: SendPolicy = SendPolicy(), stop: threading.Event | None = None) -> list[Path]:
    """Store ``files`` on ``peer``, retrying those that fail; log each outcome; return those sent.
    ``stop`` cuts the pauses short (the service is shutting down): what is left is logged as failed."""
    stop = stop or threading.Event()
    pending = {Path(file): "" for file in files}
    sent: list[Path] = []
    attempts = 0
    for pause in [0.0, *policy.pauses()]:
        if not pending or stop.wait(pause):
            break
        attempts += 1
        for file, (instance, error) in _send_once(peer, list(pending), calling_ae, policy.timeout).items():
            if error:
                pending[file] = error
            else:
                send_log.record(file, instance, peer, SENT, attempts, "")
                sent.append(file)
                del pending[file]
    for file, error in pending.items():
        log.warning("gave up sending %s to %s after %d attempt(s): %s", file.name, peer, attempts, error)
        send_log.record(file, "", peer, FAILED, attempts, error or "not attempted: shutting down")
    return sent


def _send_once(peer: Peer, files: list[Path], calling_ae: str, timeout: float) -> dict[Path, tuple[str, str]]:
    """One association for all ``files``: {file: (SOP Instance UID, error or "")}."""
    datasets, outcome = {}, {}
    for file in files:
        try:
            datasets[file] = dcmread(file)
        except Exception as error:  # unreadable now: it will not get better by retrying, but say so each time
            outcome[file] = ("", f"cannot read the file: {error}")
    ae = AE(ae_title=calling_ae)
    ae.acse_timeout = ae.dimse_timeout = ae.network_timeout = timeout
    for sop_class in sorted({str(dataset.SOPClassUID) for dataset in datasets.values()}):
        ae.add_requested_context(sop_class, [ExplicitVRLittleEndian, ImplicitVRLittleEndian])
    association = ae.associate(peer.host, peer.port, ae_title=peer.ae_title) if datasets else None
    if association is None or not association.is_established:
        reason = "association rejected or aborted" if association is not None and (
            association.is_rejected or association.is_aborted) else "archive not reachable"
        return {**outcome, **{file: (str(ds.SOPInstanceUID), reason) for file, ds in datasets.items()}}
    try:
        for file, dataset in datasets.items():
            instance = str(dataset.SOPInstanceUID)
            try:
                status = association.send_c_store(dataset)
            except Exception as error:  # pynetdicom raises for a missing context or a broken dataset
                outcome[file] = (instance, f"{type(error).__name__}: {error}")
                continue
            code = getattr(status, "Status", None)
            outcome[file] = (instance, "" if code in _STORED else
                             "no answer (connection lost)" if code is None else f"status 0x{code:04X}")
    finally:
        association.release()
    return outcome


class Outbox:
    """Sends on its own thread what the screener hands it, so a slow or absent archive never holds
    up screening. `close` finishes the file in hand; the rest stays unsent (and `unsent` next time)."""

    _STOP = None

    def __init__(self, peer: Peer, calling_ae: str, send_log: SendLog, policy: SendPolicy = SendPolicy()) -> None:
        self.peer, self.calling_ae, self.send_log, self.policy = peer, calling_ae, send_log, policy
        self._queue: queue.Queue[list[Path] | None] = queue.Queue()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="cxr-outbox", daemon=True)
        self._thread.start()

    def put(self, files: list[Path]) -> None:
        if files:
            self._queue.put(list(files))

    def close(self) -> None:
        self._stop.set()
        self._queue.put(self._STOP)
        self._thread.join()

    def _run(self) -> None:
        while (files := self._queue.get()) is not self._STOP and not self._stop.is_set():
            try:
                send_files(self.peer, files, self.calling_ae, self.send_log, self.policy, self._stop)
            except Exception:  # a log that cannot be written must not end the outbox silently
                log.exception("sending to %s failed", self.peer)
