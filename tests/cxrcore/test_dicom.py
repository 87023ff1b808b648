"""DICOM decoding: a real film wrapped in DICOM, MONOCHROME1, windowing and refusals."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

pydicom = pytest.importorskip("pydicom")
from pydicom.dataset import FileDataset, FileMetaDataset  # noqa: E402
from pydicom.uid import ExplicitVRLittleEndian, JPEG2000Lossless, SecondaryCaptureImageStorage, generate_uid  # noqa: E402

from cxrcore.decode import DecodeError, decode_image  # noqa: E402
from cxrcore.preprocess import to_uint8  # noqa: E402


def _write_dicom(path: Path, pixels: np.ndarray, photometric: str = "MONOCHROME2", **extra: object) -> Path:
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = SecondaryCaptureImageStorage
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    dataset = FileDataset(str(path), {}, file_meta=meta, preamble=b"\0" * 128)
    dataset.PatientName = "Test^Patient"
    dataset.PatientID = "P0001"
    dataset.Modality = "DX"
    dataset.Rows, dataset.Columns = pixels.shape
    dataset.SamplesPerPixel = 1
    dataset.PhotometricInterpretation = photometric
    dataset.BitsAllocated = 16
    dataset.BitsStored = 12
    dataset.HighBit = 11
    dataset.PixelRepresentation = 0
    dataset.PixelData = pixels.astype(np.uint16).tobytes()
    for key, value in extra.items():
        setattr(dataset, key, value)
    dataset.save_as(path, enforce_file_format=True)
    return path


@pytest.fixture()
def film12(kermany_root: Path) -> np.ndarray:
    """A real Kermany film stretched to 12-bit values, as a DX detector would store it."""
    path = sorted((kermany_root / "chest_xray" / "test" / "PNEUMONIA").glob("*.jpeg"))[0]
    gray = np.asarray(Image.open(path).convert("L")).astype(np.uint16)
    return gray * 16


def test_dicom_film_decodes_with_metadata(tmp_path: Path, film12: np.ndarray) -> None:
    path = _write_dicom(tmp_path / "IM0001", film12)  # extensionless, found by the DICM magic
    decoded = decode_image(path)
    assert decoded.source_format == "DICOM" and decoded.pixels.dtype == np.uint16
    assert decoded.metadata["PatientID"] == "P0001"
    # Without a window the full range maps linearly: 8-bit view correlates perfectly with the source.
    correlation = np.corrcoef(to_uint8(decoded).ravel(), film12.ravel())[0, 1]
    assert correlation > 0.999


def test_monochrome1_is_inverted(tmp_path: Path, film12: np.ndarray) -> None:
    normal = to_uint8(decode_image(_write_dicom(tmp_path / "m2.dcm", film12)))
    inverted = to_uint8(decode_image(_write_dicom(tmp_path / "m1.dcm", 4095 - film12, "MONOCHROME1")))
    assert np.abs(normal.astype(int) - inverted.astype(int)).max() <= 1


def test_window_is_applied(tmp_path: Path, film12: np.ndarray) -> None:
    windowed = decode_image(_write_dicom(tmp_path / "w.dcm", film12, WindowCenter=2048, WindowWidth=1024))
    view = to_uint8(windowed)
    # Values below the window floor saturate to black, above the ceiling to white.
    assert view[film12 < 1536].max() == 0 and view[film12 > 2560].min() == 255


def test_dicom_without_pixel_data_is_refused(tmp_path: Path, film12: np.ndarray) -> None:
    path = _write_dicom(tmp_path / "nopix.dcm", film12)
    dataset = pydicom.dcmread(path)
    del dataset.PixelData
    dataset.save_as(path)
    with pytest.raises(DecodeError) as caught:
        decode_image(path)
    assert caught.value.reason == "no-pixel-data"


def test_compressed_syntax_without_decoder_is_refused_clearly(tmp_path: Path, film12: np.ndarray) -> None:
    path = _write_dicom(tmp_path / "j2k.dcm", film12)
    dataset = pydicom.dcmread(path)
    dataset.file_meta.TransferSyntaxUID = JPEG2000Lossless
    dataset.PixelData = pydicom.encaps.encapsulate([b"\xff\x4f\xff\x51" + b"\0" * 64])
    dataset["PixelData"].is_undefined_length = True
    dataset.save_as(path)
    with pytest.raises(DecodeError) as caught:
        decode_image(path)
    assert caught.value.reason == "dicom-compressed"
    assert "transfer syntax" in str(caught.value)


def test_multiframe_is_refused(tmp_path: Path, film12: np.ndarray) -> None:
    stacked = np.concatenate([film12, film12])
    path = _write_dicom(tmp_path / "multi.dcm", stacked, NumberOfFrames=2)
    dataset = pydicom.dcmread(path)
    dataset.Rows = film12.shape[0]
    dataset.save_as(path)
    with pytest.raises(DecodeError) as caught:
        decode_image(path)
    assert caught.value.reason == "multi-frame"


def test_tiny_dicom_is_refused_like_a_tiny_png(tmp_path: Path) -> None:
    path = _write_dicom(tmp_path / "icon.dcm", np.full((16, 16), 2000, np.uint16))
    with pytest.raises(DecodeError) as caught:
        decode_image(path)
    assert caught.value.reason == "too-small"
