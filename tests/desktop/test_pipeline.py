"""The screening pipeline on a real (untrained) LiteRT model: one row per file, same numbers as
`Classifier.classify_file` (detector-size JPEGs included), flags from the card threshold, bad files as
rows, resume and cancel, and decode threads from the core count."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pydicom
import pytest
from PIL import Image
from pydicom.dataset import FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

from cxrcore.classifier import Classifier
from desktop.screening.pipeline import decode_workers_for, screen_paths
from desktop.screening.routing import Router
from tests.desktop_support import forced_router
from tests.factories import sample_films


@pytest.fixture()
def router(tiny_bundle: Path):
    opened = forced_router(tiny_bundle)
    yield opened
    opened.close()


@pytest.fixture()
def classifier(router: Router) -> Classifier:
    return router.routes[0].classifier


def write_dicom(path: Path, pixels: np.ndarray, frames: int = 1, **fields: str) -> Path:
    """A single- or multi-frame 12-bit DICOM film; ``fields`` add header elements (``PatientAge="045Y"``)."""
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.1.1"
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = pydicom.Dataset()
    ds.file_meta = meta
    ds.PatientName, ds.PatientID, ds.StudyDate, ds.Modality = "DOE^JANE", "P-42", "20240301", "DX"
    for name, value in fields.items():
        setattr(ds, name, value)
    ds.Rows, ds.Columns = pixels.shape[-2:]
    ds.SamplesPerPixel, ds.PhotometricInterpretation = 1, "MONOCHROME2"
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 16, 12, 11, 0
    if frames > 1:
        ds.NumberOfFrames = frames
        pixels = np.repeat(pixels[np.newaxis], frames, axis=0)
    ds.PixelData = pixels.astype(np.uint16).tobytes()
    ds.save_as(path, enforce_file_format=True)
    return path


def test_results_equal_classify_file_and_flags_follow_the_threshold(router: Router, classifier: Classifier) -> None:
    films = sample_films()
    results = list(screen_paths(router, films))
    threshold = classifier.bundle.thresholds["PNEUMONIA"]
    assert [r.path for r in results] == [str(f) for f in films]
    for film, result in zip(films, results):
        expected = classifier.classify_file(film)
        assert result.status == "ok"
        assert result.prediction == expected.decision.prediction
        assert result.probabilities == pytest.approx(dict(zip(classifier.bundle.labels, expected.probabilities)), abs=1e-7)
        assert result.flagged == (result.probabilities["PNEUMONIA"] >= threshold)
        assert len(result.file_sha256) == 64
        assert result.model == router.identities[0]


def test_a_detector_size_jpeg_is_draft_decoded_exactly_as_classify_file_decodes_it(
    router: Router, classifier: Classifier, tmp_path: Path
) -> None:
    large = tmp_path / "large.jpg"
    with Image.open(sample_films()[0]) as film:
        film.convert("L").resize((1024, 1229), Image.Resampling.BICUBIC).save(large, quality=95)

    [result] = screen_paths(router, [large])

    assert max(router.decode(large).pixels.shape) <= 1229 // 4, "JPEG DCT scaling, not a full decode"
    expected = classifier.classify_file(large)
    assert result.probabilities == pytest.approx(dict(zip(classifier.bundle.labels, expected.probabilities)), abs=1e-7)


def test_decode_threads_take_the_cores_inference_leaves(router: Router, monkeypatch: pytest.MonkeyPatch) -> None:
    assert router.threads == 1
    for cores, workers in ((1, 1), (2, 1), (4, 3), (None, 1)):
        monkeypatch.setattr("os.cpu_count", lambda: cores)
        assert decode_workers_for(router) == workers


def test_every_bad_file_becomes_one_row_with_a_reason(router: Router, classifier: Classifier, tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.jpg"
    garbage.write_bytes(bytes(range(256)) * 4)
    truncated = tmp_path / "truncated.jpeg"
    truncated.write_bytes(sample_films()[0].read_bytes()[:3000])
    empty = tmp_path / "empty.png"
    empty.touch()
    tiny = tmp_path / "tiny.png"
    Image.new("L", (8, 8)).save(tiny)
    ramp = np.tile(np.linspace(0, 4095, 96, dtype=np.uint16), (96, 1))
    dicom = write_dicom(tmp_path / "film.dcm", ramp)
    multi = write_dicom(tmp_path / "cine.dcm", ramp, frames=3)
    inputs = [garbage, truncated, empty, tiny, dicom, multi, tmp_path / "gone.png"]

    results = {Path(r.path).name: r for r in screen_paths(router, inputs)}

    assert {name: (r.status, r.reason) for name, r in results.items()} == {
        "garbage.jpg": ("error", "not-an-image"),
        "truncated.jpeg": ("error", "corrupt"),
        "empty.png": ("error", "empty-file"),
        "tiny.png": ("rejected", "too-small"),
        "film.dcm": ("ok", ""),
        "cine.dcm": ("rejected", "multi-frame"),
        "gone.png": ("error", "unreadable"),
    }
    assert results["film.dcm"].metadata["PatientID"] == "P-42"
    assert results["film.dcm"].prediction == classifier.classify_file(dicom).decision.prediction
    assert all(r.message for name, r in results.items() if name != "film.dcm")


def test_known_results_are_resumed_only_while_the_file_is_unchanged(router: Router, tmp_path: Path) -> None:
    first, second = sample_films()[:2]
    done = {r.path: r for r in screen_paths(router, [first, second])}
    edited = tmp_path / second.name
    edited.write_bytes(second.read_bytes())
    stale = replace(done[str(second)], path=str(edited), file_sha256="0" * 64)  # stored before an edit
    known = {str(first): done[str(first)], str(edited): stale}

    again = list(screen_paths(router, [first, edited], known=known))

    assert [r.resumed for r in again] == [True, False]
    assert again[0].probabilities == done[str(first)].probabilities


def test_cancel_stops_the_batch_early(router: Router) -> None:
    cancel = threading.Event()
    films = sample_films() * 5
    seen = []
    for result in screen_paths(router, films, cancel=cancel):
        seen.append(result)
        cancel.set()
    assert len(seen) == 1 < len(films)


def test_the_calling_thread_prepares_later_files_while_the_decode_thread_is_slow(
    router: Router, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.screening import pipeline

    films = sample_films() * 3
    expected = list(screen_paths(router, films, decode_workers=1))
    prepared_on: dict[str, list[str]] = {}
    prepare = pipeline._prepare

    def slow_in_decode_threads(*args):
        name = threading.current_thread().name
        if name.startswith("cxr-decode"):
            time.sleep(0.05)  # a decode thread far slower than the engines
        prepared_on.setdefault(name.split("_")[0], []).append(str(args[2]))
        return prepare(*args)

    monkeypatch.setattr(pipeline, "_prepare", slow_in_decode_threads)
    results = list(screen_paths(router, films, decode_workers=1))

    assert [r.path for r in results] == [str(f) for f in films], "input order kept"
    assert [r.probabilities for r in results] == [r.probabilities for r in expected]
    calling = threading.current_thread().name
    assert prepared_on.get(calling), "the calling thread helped"
    assert prepared_on.get("cxr-decode"), "the decode thread still worked"
    assert sum(len(paths) for paths in prepared_on.values()) == len(films), "each file prepared once"
