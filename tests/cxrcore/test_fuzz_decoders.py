"""Fuzz `cxrcore.decode.decode_image`: whatever the bytes, only a `DecodeError` may come out.

Random bytes under every suffix the app offers, and real JPEG/PNG/TIFF/DICOM files with their
headers mutated (bytes replaced, inserted, deleted) or cut short — the damage a flaky USB stick
or an interrupted copy does. A crash or any other exception would take down a whole batch in
the app, so each is a bug. The examples are bounded so the whole module runs in well under 30 s.
"""

from __future__ import annotations

import io
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from cxrcore.decode import DecodeError, decode_image
from tests.factories import sample_films

SUFFIXES = (".jpg", ".png", ".tif", ".bmp", ".dcm", "")
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


def _seeds() -> dict[str, bytes]:
    """Small genuine files of each format, from a real film (and pydicom's CT_small for DICOM)."""
    from pydicom.data import get_testdata_file

    film = Image.open(sample_films()[0]).convert("L").resize((64, 64))
    encoded = {}
    for suffix, fmt in ((".jpg", "JPEG"), (".png", "PNG"), (".tif", "TIFF")):
        buffer = io.BytesIO()
        film.save(buffer, fmt)
        encoded[suffix] = buffer.getvalue()
    encoded[".tif16"] = _encode_16bit(np.asarray(film))
    encoded[".dcm"] = Path(get_testdata_file("CT_small.dcm")).read_bytes()
    return encoded


def _encode_16bit(gray: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(gray.astype(np.uint16) * 257).save(buffer, "TIFF")
    return buffer.getvalue()


SEEDS = _seeds()


def _decode_only_decode_error(path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pydicom and Pillow warn about damaged headers; that is fine
        try:
            decoded = decode_image(path)
        except DecodeError as error:
            assert error.reason and error.detail
            return
    assert decoded.pixels.ndim == 2 and decoded.pixels.dtype in (np.uint8, np.uint16)


@FUZZ
@given(data=st.binary(min_size=0, max_size=4096), suffix=st.sampled_from(SUFFIXES), dicom_magic=st.booleans())
def test_random_bytes(workdir: Path, data: bytes, suffix: str, dicom_magic: bool) -> None:
    if dicom_magic:
        data = data[:128].ljust(128, b"\0") + b"DICM" + data[128:]
    path = workdir / f"random{suffix}"
    path.write_bytes(data)
    _decode_only_decode_error(path)


@st.composite
def _mutations(draw: st.DrawFn) -> tuple[str, bytes]:
    """A seed file with 1–8 edits concentrated in its first 1,024 bytes (the headers), maybe truncated."""
    kind = draw(st.sampled_from(sorted(SEEDS)))
    data = bytearray(SEEDS[kind])
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, min(len(data), 1024) - 1))
        edit = draw(st.sampled_from(("replace", "insert", "delete")))
        value = draw(st.integers(0, 255))
        if edit == "replace":
            data[at] = value
        elif edit == "insert":
            data.insert(at, value)
        else:
            del data[at]
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return kind, bytes(data)


@FUZZ
@given(mutated=_mutations())
def test_mutated_real_files(workdir: Path, mutated: tuple[str, bytes]) -> None:
    kind, data = mutated
    path = workdir / f"mutated{kind[:4]}"
    path.write_bytes(data)
    _decode_only_decode_error(path)


@pytest.mark.parametrize("kind", sorted(SEEDS))
def test_seeds_themselves_decode(workdir: Path, kind: str) -> None:
    """The unmutated seeds decode, so the fuzz above starts from files that exercise the real parsers."""
    path = workdir / f"seed{kind[:4]}"
    path.write_bytes(SEEDS[kind])
    assert decode_image(path).pixels.ndim == 2


def _tiff_second_frame_without_width() -> bytes:
    """Two-frame TIFF whose 2nd IFD lost ImageWidth: Pillow raises TypeError("Missing dimensions")
    while counting frames (found by the fuzz test above)."""
    buffer = io.BytesIO()
    frames = [Image.new("L", (64, 64), value) for value in (100, 150)]
    frames[0].save(buffer, "TIFF", save_all=True, append_images=frames[1:])
    data = bytearray(buffer.getvalue())
    first = int.from_bytes(data[4:8], "little")
    entries = int.from_bytes(data[first : first + 2], "little")
    second = int.from_bytes(data[first + 2 + 12 * entries : first + 6 + 12 * entries], "little")
    for index in range(int.from_bytes(data[second : second + 2], "little")):
        at = second + 2 + 12 * index
        if int.from_bytes(data[at : at + 2], "little") == 256:  # ImageWidth → NewSubfileType
            data[at : at + 2] = (0x00FE).to_bytes(2, "little")
    return bytes(data)


def _ct_small() -> bytes:
    from pydicom.data import get_testdata_file

    return Path(get_testdata_file("CT_small.dcm")).read_bytes()


def _dicom_unknown_vr() -> bytes:
    """CT_small with its first meta element's VR 'UL' changed to 'EU': pydicom raises NotImplementedError."""
    data = bytearray(_ct_small())
    data[136:138] = b"EU"
    return bytes(data)


def _dicom_not_a_transfer_syntax() -> bytes:
    """CT_small whose TransferSyntaxUID is a UID but no transfer syntax: the pixel-data error
    handler's ``is_compressed`` raises ValueError("UID is not a transfer syntax.")."""
    return _ct_small().replace(b"1.2.840.10008.1.2.1\x00", b"1.2.840.10008.1.209\x00", 1)


def _dicom_bad_integer_string() -> bytes:
    """pydicom's own badVR.dcm: NumberOfFrames '1A' makes ``int()`` raise ValueError."""
    from pydicom.data import get_testdata_file

    return Path(get_testdata_file("badVR.dcm")).read_bytes()


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("frames.tif", _tiff_second_frame_without_width),
        ("unknown-vr.dcm", _dicom_unknown_vr),
        ("not-a-syntax.dcm", _dicom_not_a_transfer_syntax),
        ("bad-is.dcm", _dicom_bad_integer_string),
    ],
)
def test_inputs_that_crashed_the_decoder(workdir: Path, name: str, build) -> None:
    """Each of these raised something other than DecodeError (docs/safety.md, "Decoder bugs found")."""
    path = workdir / name
    path.write_bytes(build())
    with pytest.raises(DecodeError) as caught, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        decode_image(path)
    assert caught.value.reason == "corrupt", caught.value
