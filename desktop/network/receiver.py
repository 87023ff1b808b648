"""The DICOM Storage SCP: X-ray units and PACS send films here with C-STORE (pynetdicom).

What "success" means to the sender: the instance is on disk. Each one is written to the inbox as it
arrived (temporary name, fsync, atomic rename, folder fsync: `desktop.files`) *before* status
0x0000 goes back, and only then handed to the screener; a crash or SIGKILL after the answer loses
nothing, because the screener screens on start what the inbox holds and the store lacks.

What is refused, with a DIMSE failure status the sender's log shows, a logged line, and a result row:

- an object that is not an image (a Basic Text SR, an Encapsulated PDF, a presentation state):
  0x0122 *SOP class not supported* (the association accepts every storage SOP class so that such
  an object gets a clear answer instead of a bare "no presentation context");
- pixel data in a transfer syntax no installed decoder reads (e.g. HTJ2K, or JPEG 2000 without
  Pillow's or pylibjpeg's codec): 0xC000 *cannot understand*. Transfer syntaxes are offered
  decodable first, so a sender that proposes several gets one the screener can read;
- an inbox that cannot be written (disk full): 0xA700 *out of resources*, logged, no row.

Associations: C-ECHO is answered; with ``allow`` only those calling AE titles are accepted, others
are rejected (result 1 rejected-permanent, source 1 service-user, reason 3 calling AE title not
recognised); a called AE title other than ours is rejected with reason 7, an association beyond
``max_associations`` with (2, 3, 2) — each logged with the peer's AE title and address. pynetdicom runs each
association in its own thread, so a peer that hangs, aborts or sends garbage costs its own
association only; handlers never raise.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from pydicom import Dataset
from pydicom.uid import RE_VALID_UID, UID
from pynetdicom import ALL_TRANSFER_SYNTAXES, AE, AllStoragePresentationContexts, evt
from pynetdicom.sop_class import Verification  # type: ignore[attr-defined]

from desktop.files import write_file_atomically
from desktop.screening.results import STATUS_ERROR, STATUS_REJECTED, ScreenResult

log = logging.getLogger(__name__)

STATUS_SUCCESS = 0x0000
STATUS_SOP_CLASS_NOT_SUPPORTED = 0x0122
STATUS_OUT_OF_RESOURCES = 0xA700
STATUS_CANNOT_UNDERSTAND = 0xC000
#: Result-row reasons. A compressed film nobody can decode gets the reason `screen` gives the same file.
REASON_NOT_AN_IMAGE = "not-an-image-object"
REASON_UNDECODABLE = "dicom-compressed"
#: The association rejections pynetdicom sends as (result, source, reason) (PS3.8 §9.3.4), for the log.
REJECT_CALLING_AE, REJECT_CALLED_AE, REJECT_BUSY = (1, 1, 3), (1, 1, 7), (2, 3, 2)
_REJECT_REASONS = {REJECT_CALLING_AE: "rejected-permanent, service-user: calling AE title not recognised",
                   REJECT_CALLED_AE: "rejected-permanent, service-user: called AE title not recognised",
                   REJECT_BUSY: "rejected-transient, service-provider: too many associations"}
INBOX_SUFFIX = ".dcm"


@dataclass(frozen=True)
class ReceiverConfig:
    """Where and as whom the receiver listens. ``bind`` 127.0.0.1 keeps it off the network until a
    clinic means it to be reachable (``--bind 0.0.0.0`` or the machine's LAN address)."""

    ae_title: str
    inbox: Path
    port: int = 11112
    bind: str = "127.0.0.1"
    allow: tuple[str, ...] = ()
    #: Seconds of silence before an association is dropped (a peer that hangs must not hold a slot).
    network_timeout: float = 60.0
    max_associations: int = 10


def decodable(transfer_syntax: str) -> bool:
    """Whether pydicom can read pixel data in ``transfer_syntax`` with what is installed now."""
    syntax = UID(transfer_syntax)
    try:
        if not syntax.is_compressed:
            return True
        from pydicom.pixels import get_decoder

        return bool(get_decoder(syntax).is_available)
    except (NotImplementedError, ValueError):  # no decoder class at all (MPEG, JPIP…) or an unknown UID
        return False


def is_image_storage(sop_class: str) -> bool:
    """Storage SOP classes that carry an image ("… Image Storage"); the gate then judges the image."""
    return "Image Storage" in UID(sop_class).name


def preferred_transfer_syntaxes() -> list[str]:
    """Every transfer syntax, decodable ones first: pynetdicom accepts, per proposed context, the
    first of these the sender also proposed."""
    return sorted(ALL_TRANSFER_SYNTAXES, key=lambda syntax: not decodable(syntax))


def is_valid_uid(text: str) -> bool:
    """A UID as PS3.5 §9 defines it (digits and dots, at most 64 characters): safe as a file name."""
    return len(text) <= 64 and RE_VALID_UID.match(text) is not None


def inbox_name(sop_instance_uid: str, data: bytes) -> str:
    """``<SOP Instance UID>.dcm``: a resent instance replaces itself. A UID that is not a UID (a
    peer could send ``../x``) is never used as a path: the content's SHA-256 names the file then."""
    if is_valid_uid(sop_instance_uid):
        return sop_instance_uid + INBOX_SUFFIX
    return hashlib.sha256(data).hexdigest() + INBOX_SUFFIX


class StorageReceiver:
    """One listening AE. ``on_stored(path)`` is called with each instance once it is durably in
    the inbox; ``on_refused(result)`` with the row of each instance refused. Both run on pynetdicom's
    association threads, so they must only hand over (put on a queue) and must not raise."""

    def __init__(self, config: ReceiverConfig, on_stored: Callable[[Path], None],
                 on_refused: Callable[[ScreenResult], None]) -> None:
        self.config = config
        self._on_stored = on_stored
        self._on_refused = on_refused
        self._server = None
        ae = AE(ae_title=config.ae_title)
        ae.require_calling_aet = list(config.allow)
        ae.require_called_aet = True
        ae.network_timeout = config.network_timeout
        ae.maximum_associations = config.max_associations
        syntaxes = preferred_transfer_syntaxes()
        for context in AllStoragePresentationContexts:
            ae.add_supported_context(context.abstract_syntax, syntaxes)
        ae.add_supported_context(Verification)
        self._ae = ae

    def start(self) -> None:
        """Start listening in the background. Raises `OSError` when the address cannot be bound
        (port in use, a port below 1024 without privileges, an address not on this machine)."""
        handlers = [(evt.EVT_C_STORE, self._handle_store), (evt.EVT_C_ECHO, self._handle_echo),
                    (evt.EVT_ACCEPTED, self._log_accepted), (evt.EVT_REJECTED, self._log_rejected),
                    (evt.EVT_ABORTED, self._log_aborted)]
        self._server = self._ae.start_server((self.config.bind, self.config.port), block=False,
                                             evt_handlers=handlers)
        log.info("listening as %s on %s:%d", self.config.ae_title, *self.address)

    @property
    def address(self) -> tuple[str, int]:
        """(host, port) actually bound (port 0 asks the system for a free one)."""
        return self._server.server_address[:2] if self._server is not None else (self.config.bind, self.config.port)

    def stop(self) -> None:
        """Stop accepting; associations in progress are closed."""
        if self._server is not None:
            self._server.shutdown()
            self._server = None
        self._ae.shutdown()

    def _handle_echo(self, event: evt.Event) -> int:
        return STATUS_SUCCESS

    def _handle_store(self, event: evt.Event) -> int | Dataset:
        """Refuse, or store durably then hand over; an unforeseen failure is a failure status."""
        try:
            return self._store(event)
        except Exception:  # never let one instance take the association (or the service) down
            log.exception("C-STORE from %s failed", _peer(event))
            return STATUS_CANNOT_UNDERSTAND

    def _store(self, event: evt.Event) -> int | Dataset:
        sop_class = str(event.request.AffectedSOPClassUID)
        instance = str(event.request.AffectedSOPInstanceUID)
        syntax = str(event.context.transfer_syntax)
        peer = _peer(event)
        if not is_image_storage(sop_class):
            message = f"not screened: a {UID(sop_class).name} object holds no film"
            return self._refuse(event, STATUS_SOP_CLASS_NOT_SUPPORTED, REASON_NOT_AN_IMAGE, STATUS_REJECTED, message)
        if not decodable(syntax):
            message = (f"cannot decode DICOM pixel data (transfer syntax {UID(syntax).name}); "
                       "install pylibjpeg or gdcm to read it, or send it uncompressed")
            return self._refuse(event, STATUS_CANNOT_UNDERSTAND, REASON_UNDECODABLE, STATUS_ERROR, message)
        data = event.encoded_dataset()
        path = self.config.inbox / inbox_name(instance, data)
        try:
            write_file_atomically(path, data)
        except OSError as error:
            log.error("cannot store %s from %s in %s: %s", instance, peer, self.config.inbox, error)
            return _status(STATUS_OUT_OF_RESOURCES, f"the receiver cannot write its inbox: {error.strerror or error}")
        log.info("stored %s from %s", path.name, peer)
        self._on_stored(path)
        return STATUS_SUCCESS

    def _refuse(self, event: evt.Event, status: int, reason: str, row_status: str, message: str) -> Dataset:
        instance = str(event.request.AffectedSOPInstanceUID)
        peer = _peer(event)
        log.warning("refused %s from %s (status 0x%04X): %s", instance, peer, status, message)
        digest = hashlib.sha256(event.encoded_dataset(include_meta=False)).hexdigest()
        sender = event.assoc.requestor
        where = f"dicom://{str(sender.ae_title).strip()}@{sender.address}/{instance}"  # a resend replaces its row
        self._on_refused(ScreenResult(path=where, status=row_status, reason=reason, message=message,
                                      file_sha256=digest))
        return _status(status, message)

    def _log_accepted(self, event: evt.Event) -> None:
        log.info("association from %s accepted", _peer(event))

    def _log_rejected(self, event: evt.Event) -> None:
        """Name the rejection as pynetdicom sent it (the event does not carry the reason itself)."""
        requestor = event.assoc.requestor
        called = str(getattr(requestor.primitive, "called_ae_title", "")).strip()
        if self.config.allow and str(requestor.ae_title).strip() not in self.config.allow:
            result, source, reason = REJECT_CALLING_AE
        elif called != self.config.ae_title:
            result, source, reason = REJECT_CALLED_AE
        else:
            result, source, reason = REJECT_BUSY
        log.warning("association from %s to %s rejected: result %d, source %d, reason %d (%s)", _peer(event),
                    called or "?", result, source, reason, _REJECT_REASONS[(result, source, reason)])

    def _log_aborted(self, event: evt.Event) -> None:
        log.warning("association from %s aborted", _peer(event))


def _status(code: int, comment: str) -> Dataset:
    """A C-STORE response status with an Error Comment (64 characters at most) the sender can log."""
    status = Dataset()
    status.Status = code
    status.ErrorComment = comment[:64]
    return status


def _peer(event: evt.Event) -> str:
    """``AETITLE@address:port`` of the sender, for logs and refused rows (no patient data)."""
    requestor = event.assoc.requestor
    return f"{str(requestor.ae_title).strip()}@{requestor.address}:{requestor.port}"


def parse_allow(values: Sequence[str]) -> tuple[str, ...]:
    """``--allow`` values, each possibly comma-separated, as a tuple of AE titles."""
    return tuple(title.strip() for value in values for title in value.split(",") if title.strip())
