"""The DICOM receiver over real associations on 127.0.0.1: pynetdicom's own SCU sends real Kermany
films wrapped in DICOM to ``receive`` (in this process, or as a subprocess that is SIGKILLed), which
screens them with a real (tiny) LiteRT model; `FakeSafety` calls every film a child's, these tests being
about the service's mechanics. Plus the C-STORE SCU that sends the results to an archive."""

from __future__ import annotations

import csv
import io
import logging
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pydicom
import pytest
from PIL import Image
from pydicom.dataset import FileMetaDataset
from pydicom.encaps import encapsulate
from pydicom.uid import ExplicitVRLittleEndian, HTJ2KLossless, generate_uid
from pynetdicom import AE, evt
from pynetdicom.sop_class import BasicTextSRStorage, Verification  # type: ignore[attr-defined]

from desktop.network.receiver import STATUS_CANNOT_UNDERSTAND, STATUS_SOP_CLASS_NOT_SUPPORTED, decodable
from desktop.network.sender import FAILED, SENT, Peer, SendLog, SendPolicy, parse_peer, send_files, unsent
from desktop.reports.csv_export import ENCODING
from desktop.services import receive_main
from tests.desktop.test_dicom_results import DX_FOR_PRESENTATION, dicom_film
from tests.desktop_support import REPO_ROOT, calibrated_bundle, kermany_films, use_fake_safety
from tests.factories import PEDIATRIC_POPULATION

AE_TITLE = "CXRSCREEN"


@pytest.fixture()
def models(tmp_path: Path, tiny_tflite: bytes) -> Path:
    calibrated_bundle(tmp_path / "models" / "tiny-bundle", tiny_tflite, population=PEDIATRIC_POPULATION)
    return tmp_path / "models"


@pytest.fixture()
def films(tmp_path: Path, kermany_root: Path) -> list[pydicom.Dataset]:
    """Four real films as DX instances, one study, read back as an X-ray unit's SCU would send them."""
    study = generate_uid()
    paths = [dicom_film(tmp_path / "films" / f"{index}.dcm", film, StudyInstanceUID=study)
             for index, film in enumerate(kermany_films(kermany_root, 2))]
    return [pydicom.dcmread(path) for path in paths]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def receive_args(tmp_path: Path, models: Path, port: int, *extra: str) -> list[str]:
    return ["--port", str(port), "--ae-title", AE_TITLE, "--out", str(tmp_path / "results.csv"),
            "--inbox", str(tmp_path / "inbox"), "--store", str(tmp_path / "store.sqlite3"),
            "--models-dir", str(models), "--models-dir-only", "--model", "auto", "--threads", "1", *extra]


def scu(calling: str = "MODALITY1", syntax: str = ExplicitVRLittleEndian) -> AE:
    ae = AE(ae_title=calling)
    ae.acse_timeout = ae.dimse_timeout = ae.network_timeout = 10
    ae.add_requested_context(Verification)
    ae.add_requested_context(DX_FOR_PRESENTATION, [syntax])
    ae.add_requested_context(BasicTextSRStorage, [ExplicitVRLittleEndian])
    return ae


def wait_until(condition, timeout: float = 30.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def answers_echo(port: int) -> bool:
    association = scu().associate("127.0.0.1", port, ae_title=AE_TITLE)
    if not association.is_established:
        return False
    status = association.send_c_echo()
    association.release()
    return getattr(status, "Status", None) == 0x0000


def csv_rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with open(path, encoding=ENCODING, newline="") as stream:
        return list(csv.DictReader(stream))


def text_report(study: str) -> pydicom.Dataset:
    """A Basic Text SR: a storage object with no film in it."""
    report = pydicom.Dataset()
    report.file_meta = FileMetaDataset()
    report.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    report.SOPClassUID, report.SOPInstanceUID = BasicTextSRStorage, generate_uid()
    report.StudyInstanceUID, report.SeriesInstanceUID, report.Modality = study, generate_uid(), "SR"
    report.PatientID, report.ValueType = "P-42", "CONTAINER"
    return report


def htj2k_film(film: pydicom.Dataset) -> pydicom.Dataset:
    """The same real film encoded as JPEG 2000 and sent as HTJ2K, which no installed decoder reads."""
    assert not decodable(HTJ2KLossless)
    gray = (film.pixel_array >> 4).astype(np.uint8)
    codestream = io.BytesIO()
    Image.fromarray(gray).save(codestream, format="JPEG2000", no_jp2=True, irreversible=False)
    compressed = pydicom.dcmread(io.BytesIO(_encoded(film)))
    compressed.SOPInstanceUID = generate_uid()
    compressed.BitsAllocated, compressed.BitsStored, compressed.HighBit = 8, 8, 7
    compressed.PixelData = encapsulate([codestream.getvalue()])
    compressed["PixelData"].VR = "OB"
    compressed.file_meta.TransferSyntaxUID = HTJ2KLossless
    return compressed


def _encoded(dataset: pydicom.Dataset) -> bytes:
    buffer = io.BytesIO()
    dataset.save_as(buffer, enforce_file_format=True)
    return buffer.getvalue()


class Archive:
    """A PACS stand-in: a pynetdicom Storage SCP that keeps what it is sent."""

    def __init__(self, port: int, title: str = "ARCHIVE") -> None:
        from pynetdicom import AllStoragePresentationContexts

        self.received: list[pydicom.Dataset] = []
        self.peer = Peer("127.0.0.1", port, title)
        ae = AE(ae_title=title)
        ae.supported_contexts = AllStoragePresentationContexts
        handlers = [(evt.EVT_C_STORE, self._store)]
        self._server = ae.start_server(("127.0.0.1", port), block=False, evt_handlers=handlers)

    def _store(self, event: evt.Event) -> int:
        self.received.append(event.dataset)
        return 0x0000

    def close(self) -> None:
        self._server.shutdown()


@pytest.fixture()
def service(tmp_path: Path, models: Path, monkeypatch: pytest.MonkeyPatch):
    """``receive`` running in a thread of this process; yields (port, start(*extra)) and stops it."""
    monkeypatch.setenv("CXR_SCREENING_DATA_DIR", str(tmp_path / "data"))
    use_fake_safety(monkeypatch)
    port, stop, runs = free_port(), threading.Event(), []

    def start(*extra: str) -> None:
        thread = threading.Thread(target=lambda: runs.append(receive_main(receive_args(tmp_path, models, port, *extra),
                                                                          stop)))
        thread.start()
        runs.append(thread)
        wait_until(lambda: answers_echo(port) or not thread.is_alive(), what="the receiver to answer C-ECHO")

    yield port, start
    stop.set()
    for thread in [run for run in runs if isinstance(run, threading.Thread)]:
        thread.join(timeout=30)
    assert [run for run in runs if isinstance(run, int)] == [0]


def test_bad_input_is_refused_with_a_status_and_a_row_and_the_service_keeps_going(
        service, films: list[pydicom.Dataset], tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    port, start = service
    start("--allow", "MODALITY1,MODALITY2")
    report, unreadable = text_report(films[0].StudyInstanceUID), htj2k_film(films[0])

    association = scu(syntax=ExplicitVRLittleEndian).associate("127.0.0.1", port, ae_title=AE_TITLE)
    statuses = [association.send_c_store(dataset).Status for dataset in (films[0], report)]
    association.release()
    compressed = scu(syntax=HTJ2KLossless).associate("127.0.0.1", port, ae_title=AE_TITLE)
    statuses.append(compressed.send_c_store(unreadable).Status)
    compressed.release()
    intruder = scu(calling="INTRUDER").associate("127.0.0.1", port, ae_title=AE_TITLE)
    misaddressed = scu().associate("127.0.0.1", port, ae_title="PACS")  # the unit set up with the wrong called AET
    with socket.create_connection(("127.0.0.1", port)) as garbage:  # not DICOM at all
        garbage.sendall(os.urandom(512))
    association = scu(calling="MODALITY2").associate("127.0.0.1", port, ae_title=AE_TITLE)
    statuses.append(association.send_c_store(films[1]).Status)
    association.release()

    assert statuses == [0x0000, STATUS_SOP_CLASS_NOT_SUPPORTED, STATUS_CANNOT_UNDERSTAND, 0x0000]
    assert intruder.is_rejected and "Calling AE title not recognised" in caplog.text
    assert misaddressed.is_rejected and "to PACS rejected: result 1, source 1, reason 7" in caplog.text
    assert "association from INTRUDER@127.0.0.1" in caplog.text and "result 1, source 1, reason 3" in caplog.text
    assert "Basic Text SR Storage" in caplog.text and "High-Throughput JPEG 2000" in caplog.text
    out = tmp_path / "results.csv"
    wait_until(lambda: len(csv_rows(out)) == 4, what="four CSV rows")
    rows = {row["path"].rsplit("/", 1)[-1]: row for row in csv_rows(out)}
    for film in films[:2]:
        assert rows[f"{film.SOPInstanceUID}.dcm"]["status"] == "ok"
        assert pydicom.dcmread(tmp_path / "inbox" / f"{film.SOPInstanceUID}.dcm").PatientID == "P-42"
    assert rows[report.SOPInstanceUID]["status"] == "rejected"
    assert "holds no film" in rows[report.SOPInstanceUID]["message"]
    assert rows[unreadable.SOPInstanceUID]["status"] == "error"
    assert "High-Throughput JPEG 2000" in rows[unreadable.SOPInstanceUID]["message"]
    assert not (tmp_path / "inbox" / f"{unreadable.SOPInstanceUID}.dcm").exists()


@pytest.mark.slow
def test_results_are_written_as_dicom_and_stored_on_the_archive(
        service, films: list[pydicom.Dataset], tmp_path: Path) -> None:
    port, start = service
    archive = Archive(free_port())
    try:
        start("--dicom-out", str(tmp_path / "dicom"), "--send-to", f"127.0.0.1:{archive.peer.port}:ARCHIVE")
        association = scu().associate("127.0.0.1", port, ae_title=AE_TITLE)
        assert association.send_c_store(films[0]).Status == 0x0000
        association.release()
        wait_until(lambda: len(archive.received) == 2, what="the SR and the capture on the archive")
    finally:
        archive.close()

    kinds = sorted(str(dataset.SOPClassUID.name) for dataset in archive.received)
    assert kinds == ["Comprehensive SR Storage", "Secondary Capture Image Storage"]
    assert {dataset.StudyInstanceUID for dataset in archive.received} == {films[0].StudyInstanceUID}
    log_entries = SendLog(tmp_path / "dicom" / "sent.jsonl").entries()
    assert sorted(entry["outcome"] for entry in log_entries) == [SENT, SENT]
    assert {entry["sop_instance_uid"] for entry in log_entries} == {d.SOPInstanceUID for d in archive.received}


def test_sending_retries_a_bounded_number_of_times_and_resumes_later(tmp_path: Path, kermany_root: Path) -> None:
    film = dicom_film(tmp_path / "film.dcm", kermany_films(kermany_root, 1)[0])
    port = free_port()
    send_log = SendLog(tmp_path / "sent.jsonl")
    policy = SendPolicy(attempts=3, first_pause=0.05, factor=2.0, timeout=2)

    assert send_files(Peer("127.0.0.1", port, "ARCHIVE"), [film], AE_TITLE, send_log, policy) == []
    (failure,) = send_log.entries()
    assert (failure["outcome"], failure["attempts"]) == (FAILED, 3)
    archive = Archive(port)
    try:
        assert unsent(tmp_path, send_log, archive.peer) == [film]
        assert send_files(archive.peer, [film], AE_TITLE, send_log, policy) == [film]
    finally:
        archive.close()
    assert unsent(tmp_path, send_log, archive.peer) == []
    assert archive.received[0].SOPInstanceUID == pydicom.dcmread(film).SOPInstanceUID


def test_an_archive_is_named_host_port_aet() -> None:
    assert parse_peer("pacs.local:104:PACS") == Peer("pacs.local", 104, "PACS")
    assert parse_peer("[fe80::1]:11112:ARCHIVE") == Peer("fe80::1", 11112, "ARCHIVE")
    for wrong in ("pacs.local:104", "pacs:port:PACS", "pacs:104:", "pacs:70000:PACS", "pacs:104:A_TITLE_TOO_LONG_X"):
        with pytest.raises(ValueError, match="HOST:PORT:AET"):
            parse_peer(wrong)


#: Runs in the receiver subprocess: `FakeSafety`, and with SLOW set a second's pause before each
#: group is screened, so that films are acknowledged well before they are screened.
RECEIVER = """
import os, sys, time
from tests.desktop_support import use_fake_safety
use_fake_safety()
if os.environ.get("SLOW"):
    import desktop.screening.service as service
    real = service.run_batch
    service.run_batch = lambda *args, **kwargs: (time.sleep(1.0), real(*args, **kwargs))[1]
from desktop.services import receive_main
sys.exit(receive_main(sys.argv[1:]))
"""


def start_receiver(tmp_path: Path, models: Path, port: int, slow: bool) -> subprocess.Popen:
    env = {**os.environ, "CXR_SCREENING_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": str(REPO_ROOT),
           "SLOW": "1" if slow else ""}
    log = tmp_path / f"receiver-{time.monotonic_ns()}.log"
    with open(log, "w") as stream:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen([sys.executable, "-c", RECEIVER, *receive_args(tmp_path, models, port)],
                                   cwd=REPO_ROOT, env=env, stdout=stream, stderr=subprocess.STDOUT)
    wait_until(lambda: answers_echo(port) or process.poll() is not None, what="the receiver to answer C-ECHO")
    assert process.poll() is None, log.read_text()
    return process


@pytest.mark.slow
def test_sigkill_mid_batch_loses_nothing_acknowledged(tmp_path: Path, models: Path, kermany_root: Path) -> None:
    study = generate_uid()
    films = [pydicom.dcmread(dicom_film(tmp_path / "films" / f"{index}.dcm", film, StudyInstanceUID=study))
             for index, film in enumerate(kermany_films(kermany_root, 3))]
    port = free_port()
    receiver = start_receiver(tmp_path, models, port, slow=True)
    acknowledged = []
    association = scu().associate("127.0.0.1", port, ae_title=AE_TITLE)
    for film in films:
        if len(acknowledged) == 4:
            receiver.send_signal(signal.SIGKILL)
            receiver.wait(timeout=10)
        try:
            status = association.send_c_store(film)
        except RuntimeError:  # pynetdicom: the association is no longer established
            status = pydicom.Dataset()
        if getattr(status, "Status", None) == 0x0000:
            acknowledged.append(film.SOPInstanceUID)
    association.release()

    assert len(acknowledged) == 4 and receiver.returncode == -signal.SIGKILL
    inbox = tmp_path / "inbox"
    for uid, film in zip(acknowledged, films):
        kept = pydicom.dcmread(inbox / f"{uid}.dcm")
        assert kept.SOPInstanceUID == uid and np.array_equal(kept.pixel_array, film.pixel_array)
    with sqlite3.connect(tmp_path / "store.sqlite3") as database:
        screened_before = database.execute("SELECT COUNT(*) FROM results").fetchone()[0]
    assert screened_before < len(acknowledged)  # the kill came while films waited to be screened

    restarted = start_receiver(tmp_path, models, port, slow=False)
    out = tmp_path / "results.csv"
    wait_until(lambda: len(csv_rows(out)) == len(acknowledged), what="every acknowledged film screened")
    restarted.send_signal(signal.SIGTERM)
    assert restarted.wait(timeout=30) == 0

    rows = csv_rows(out)
    assert sorted(Path(row["path"]).name for row in rows) == sorted(f"{uid}.dcm" for uid in acknowledged)
    assert all(row["status"] == "ok" for row in rows)
    with sqlite3.connect(tmp_path / "store.sqlite3") as database:
        audited = [row[0] for row in database.execute("SELECT path FROM audit")]
    assert len(audited) == len(set(audited)) == len(acknowledged)  # each screened exactly once
    assert sorted(os.listdir(inbox)) == sorted(f"{uid}.dcm" for uid in acknowledged)
