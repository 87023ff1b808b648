"""Decoding real films and refusing bad files with a clear reason."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from cxrcore.decode import DecodeError, decode_image, is_candidate_image


def _first(folder: Path) -> Path:
    return sorted(folder.glob("*.jpeg"))[0]


def test_real_kermany_jpeg_decodes_to_its_gray_channel(kermany_root: Path) -> None:
    path = _first(kermany_root / "chest_xray" / "test" / "NORMAL")
    decoded = decode_image(path)
    rgb = np.asarray(Image.open(path))
    assert decoded.pixels.dtype == np.uint8 and decoded.pixels.shape == (224, 224)
    # The shared data is RGB with equal channels; ITU-R 601 luma of equal channels is that channel.
    assert np.array_equal(decoded.pixels, rgb[..., 0])
    assert decoded.source_format == "JPEG" and decoded.bits_stored == 8


def test_real_radiography_grayscale_jpeg(radiography_root: Path) -> None:
    path = sorted((radiography_root / "COVID-19_Radiography_Dataset" / "COVID" / "images").glob("*.jpg"))[0]
    decoded = decode_image(path)
    assert decoded.pixels.shape == (224, 224) and decoded.pixels.dtype == np.uint8


def test_exif_orientation_is_applied(tmp_path: Path, kermany_root: Path) -> None:
    film = np.asarray(Image.open(_first(kermany_root / "chest_xray" / "test" / "NORMAL")).convert("L"))
    wide = np.ascontiguousarray(film[:, :160])  # 224 high, 160 wide: rotation is visible in the shape
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 CW to display"
    path = tmp_path / "rotated.jpg"
    Image.fromarray(wide).save(path, exif=exif, quality=95)
    decoded = decode_image(path)
    assert decoded.pixels.shape == (160, 224)


def test_sixteen_bit_png_keeps_depth(tmp_path: Path) -> None:
    ramp = (np.arange(64 * 64, dtype=np.uint32).reshape(64, 64) * 15).astype(np.uint16)
    path = tmp_path / "ramp16.png"
    Image.fromarray(ramp).save(path)
    decoded = decode_image(path)
    assert decoded.pixels.dtype == np.uint16 and decoded.bits_stored == 16
    assert np.array_equal(decoded.pixels, ramp)


def test_cmyk_jpeg_becomes_gray(tmp_path: Path) -> None:
    path = tmp_path / "cmyk.jpg"
    Image.new("CMYK", (64, 64), (0, 0, 0, 128)).save(path)
    decoded = decode_image(path)
    assert decoded.pixels.ndim == 2 and decoded.pixels.dtype == np.uint8


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width``×``height`` with (almost) no pixel data: a bomb's shape."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0")) + chunk(b"IEND", b"")


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.jpg", b"", "empty-file"),
        ("notes.jpg", b"this is a text file, not an image\n" * 10, "not-an-image"),
        ("bomb.png", _png_header_only(20_000, 20_000), "too-large"),
        ("tiny.png", None, "too-small"),
        ("truncated.jpg", "truncate", "corrupt"),
    ],
)
def test_bad_files_raise_decode_error_with_reason(
    tmp_path: Path, kermany_root: Path, name: str, content: bytes | str | None, reason: str
) -> None:
    path = tmp_path / name
    if content is None:
        Image.new("L", (1, 1)).save(path)
    elif content == "truncate":
        data = _first(kermany_root / "chest_xray" / "test" / "NORMAL").read_bytes()
        path.write_bytes(data[: len(data) // 3])
    else:
        path.write_bytes(content)
    with pytest.raises(DecodeError) as caught:
        decode_image(path)
    assert caught.value.reason == reason
    assert str(path) in str(caught.value)


def test_broken_symlink_and_missing_file(tmp_path: Path) -> None:
    link = tmp_path / "dangling.jpg"
    link.symlink_to(tmp_path / "nowhere.jpg")
    with pytest.raises(DecodeError) as caught:
        decode_image(link)
    assert caught.value.reason == "broken-link"
    with pytest.raises(DecodeError) as missing:
        decode_image(tmp_path / "absent.png")
    assert missing.value.reason == "unreadable"


def test_animated_gif_is_refused(tmp_path: Path) -> None:
    frames = [Image.new("L", (64, 64), value) for value in (0, 128, 255)]
    path = tmp_path / "anim.gif"
    frames[0].save(path, save_all=True, append_images=frames[1:])
    with pytest.raises(DecodeError) as caught:
        decode_image(path)
    assert caught.value.reason == "multi-frame"


def test_candidate_detection(tmp_path: Path) -> None:
    (tmp_path / "a.JPG").write_bytes(b"x")
    (tmp_path / "notes.txt").write_bytes(b"x")
    dicom_like = tmp_path / "IM0001"
    dicom_like.write_bytes(b"\0" * 128 + b"DICM" + b"\0" * 16)
    assert is_candidate_image(tmp_path / "a.JPG")
    assert not is_candidate_image(tmp_path / "notes.txt")
    assert is_candidate_image(dicom_like)
