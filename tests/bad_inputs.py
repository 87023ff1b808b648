"""The bad-input corpus: every kind of file a clinic folder can hold that is not a clean chest film.

Generated at test time into a temporary folder (no image is committed). Each item says what must
happen to it: either it decodes (``reason is None`` — e.g. a PNG named ``.jpg`` is not an error)
or `cxrcore.decode.decode_image` raises one `DecodeError` with ``reason``. Items built from a
real film (``holds_film``) must also pass the chest-film gate: a format quirk must not cost a
patient their screening.

Kinds that need an unprivileged user (a ``chmod 000`` file) are left out when running as root,
where they cannot fail; `UNREADABLE_SKIP_REASON` says so and `tests/system/test_bad_inputs.py` reports
it as a skip. Root-proof unreadable paths (a path under a file, a path over PATH_MAX) are always in.
"""

from __future__ import annotations

import io
import os
import shutil
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

#: Why the permission item is absent when tests run as root (chmod 000 does not stop root).
UNREADABLE_SKIP_REASON = "running as root: a chmod 000 file is still readable, so the case cannot fail"


@dataclass(frozen=True)
class BadInput:
    """One generated file (or link, folder, pipe). ``reason`` None means it must decode."""

    kind: str
    path: Path
    reason: str | None
    holds_film: bool = False


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def write_bad_inputs(folder: Path, film: Path) -> list[BadInput]:
    """Write the whole corpus into ``folder`` (created) from one real JPEG ``film``; return its items."""
    folder.mkdir(parents=True, exist_ok=True)
    gray = np.asarray(Image.open(film).convert("L"))
    jpeg = film.read_bytes()
    png = _encode(Image.fromarray(gray), "PNG")
    items: list[BadInput] = []

    def add(kind: str, name: str, reason: str | None, write: Callable[[Path], None], film_inside: bool = False) -> None:
        path = folder / name
        write(path)
        items.append(BadInput(kind, path, reason, film_inside))

    add("zero-byte", "zero-byte.jpg", "empty-file", lambda p: p.write_bytes(b""))
    add("truncated JPEG", "truncated.jpg", "corrupt", lambda p: p.write_bytes(jpeg[: len(jpeg) // 3]))
    add("truncated PNG", "truncated.png", "corrupt", lambda p: p.write_bytes(png[: len(png) // 2]))
    add("PNG named .jpg", "png-named.jpg", None, lambda p: p.write_bytes(png), film_inside=True)
    add("JPEG named .png", "jpeg-named.png", None, lambda p: p.write_bytes(jpeg), film_inside=True)
    add("text named .jpg", "notes.jpg", "not-an-image", lambda p: p.write_text("patient list\n" * 50, encoding="utf-8"))
    add("CMYK JPEG", "cmyk.jpg", None, lambda p: Image.fromarray(gray).convert("CMYK").save(p, quality=95), True)
    add("16-bit PNG", "film16.png", None, lambda p: _save_16bit(gray, p), film_inside=True)
    add("16-bit TIFF", "film16.tif", None, lambda p: _save_16bit(gray, p), film_inside=True)
    add("float TIFF", "float.tif", None, lambda p: Image.fromarray(gray.astype(np.float32) / 7.0).save(p), True)
    add("RGBA PNG", "rgba.png", None, lambda p: Image.fromarray(gray).convert("RGBA").save(p), film_inside=True)
    add("1×1 image", "one-pixel.png", "too-small", lambda p: Image.new("L", (1, 1)).save(p))
    add("decompression bomb", "bomb.png", "too-large", lambda p: p.write_bytes(_png_header_only(30_000, 30_000)))
    add("animated GIF", "animated.gif", "multi-frame", _write_animated_gif)
    add("bad EXIF orientation", "exif9.jpg", None, lambda p: _save_with_orientation(gray, p, 9), film_inside=True)
    add("very elongated", "banner.png", None, lambda p: Image.fromarray(np.tile(gray[:40], (1, 40))).save(p))
    add("DICOM without pixel data", "no-pixels.dcm", "no-pixel-data", lambda p: _write_dicom(p, "strip-pixels"))
    add("DICOM compressed, no decoder", "j2k.dcm", "dicom-compressed", lambda p: _write_dicom(p, "fake-j2k"))
    add("DICOM truncated", "truncated.dcm", "corrupt", lambda p: _write_dicom(p, "truncate"))
    add("folder named .jpg", "folder.jpg", "not-a-file", lambda p: p.mkdir())
    add("named pipe", "pipe.jpg", "not-a-file", lambda p: os.mkfifo(p))
    add("path under a file", "a-file.jpg/inner.jpg", "unreadable",
        lambda p: p.parent.write_bytes(b"a file, not a folder"))
    add("broken symlink", "dangling.jpg", "broken-link", lambda p: p.symlink_to(folder / "nowhere.jpg"))
    add("symlink loop", "loop-a.jpg", "broken-link", _write_symlink_loop)
    add("Unicode name", "película-胸部-снимок-🫁.jpg", None, lambda p: p.write_bytes(jpeg), film_inside=True)
    add("undecodable-bytes name", os.fsdecode(b"film-\xff\xfe.jpg"), None, lambda p: p.write_bytes(jpeg), True)
    path_max = os.pathconf(folder, "PC_PATH_MAX")
    for kind, root, total, reason in (
        ("path near PATH_MAX", folder / "long", path_max - 64, None),
        ("path over PATH_MAX", folder / "toolong", path_max + 200, "unreadable"),
    ):
        deep = _nested_path(root, total)
        add(kind, os.path.relpath(deep, folder), reason, lambda p, r=root: _write_deep(r, p, jpeg), reason is None)
    if not is_root():
        add("no read permission", "locked.jpg", "unreadable", lambda p: (p.write_bytes(jpeg), p.chmod(0)))
    return items


def _encode(image: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


def _save_16bit(gray: np.ndarray, path: Path) -> None:
    Image.fromarray(gray.astype(np.uint16) * 257).save(path)


def _save_with_orientation(gray: np.ndarray, path: Path, orientation: int) -> None:
    exif = Image.Exif()
    exif[0x0112] = orientation
    Image.fromarray(gray).save(path, exif=exif)


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width``×``height`` but holds one byte of pixel data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0")) + chunk(b"IEND", b"")


def _write_animated_gif(path: Path) -> None:
    frames = [Image.new("L", (64, 64), value) for value in (0, 128, 255)]
    frames[0].save(path, save_all=True, append_images=frames[1:])


def _write_dicom(path: Path, damage: str) -> None:
    """pydicom's bundled CT_small.dcm, damaged: pixel data removed, re-labelled JPEG 2000, or cut short."""
    import pydicom
    from pydicom.data import get_testdata_file
    from pydicom.encaps import encapsulate
    from pydicom.uid import JPEG2000Lossless

    source = Path(get_testdata_file("CT_small.dcm"))
    if damage == "truncate":
        data = source.read_bytes()
        path.write_bytes(data[: len(data) // 2])
        return
    dataset = pydicom.dcmread(source)
    if damage == "strip-pixels":
        del dataset.PixelData
    else:
        dataset.file_meta.TransferSyntaxUID = JPEG2000Lossless
        dataset.PixelData = encapsulate([b"\xff\x4f\xff\x51" + b"\0" * 64])
        dataset["PixelData"].is_undefined_length = True
    dataset.save_as(path)


def _write_symlink_loop(path: Path) -> None:
    other = path.with_name("loop-b.jpg")
    path.symlink_to(other)
    other.symlink_to(path)


def _nested_path(root: Path, total: int) -> Path:
    """A path of 200-character folder names under ``root`` ending in a file name, ``total`` bytes long."""
    path = root
    while len(os.fsencode(path)) + 201 < total - 16:
        path = path / ("d" * 200)
    filler = total - len(os.fsencode(path)) - 1 - len(".jpg")
    return path / ("f" * max(1, min(filler, 250)) + ".jpg")


def _write_deep(root: Path, path: Path, data: bytes) -> None:
    """Create ``path`` (under ``root``) even past PATH_MAX: one component at a time, relative to an open folder."""
    root.mkdir()
    *folders, name = path.relative_to(root).parts
    descriptor = os.open(root, os.O_RDONLY)
    try:
        for part in folders:
            os.mkdir(part, dir_fd=descriptor)
            child = os.open(part, os.O_RDONLY, dir_fd=descriptor)
            os.close(descriptor)
            descriptor = child
        handle = os.open(name, os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=descriptor)
        os.write(handle, data)
        os.close(handle)
    finally:
        os.close(descriptor)


def copy_films(films: list[Path], folder: Path) -> list[Path]:
    """Copy real films into ``folder`` for the mixed-folder test."""
    folder.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copy(film, folder / film.name)) for film in films]
