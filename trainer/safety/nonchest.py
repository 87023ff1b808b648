"""A set of images that are not chest films, assembled only from what ships inside installed packages.

Used to measure how often the gate rejects what it must reject. Nothing is downloaded: the
sources are scikit-image's bundled sample images (`skimage.data`), pydicom's bundled test files
(CT, MR, ultrasound-like secondary captures, ...; kept when `cxrcore.decode` can read them) and
images rendered here (text pages, screenshot-like UIs, shapes, noise). Every base image is also
written rotated by 90° and 180° and inverted, because a film-like *statistic* must not be what
lets a picture through.

Not covered, because no such images exist offline: photographs of chest films, lateral chest
views, radiographs of other body parts (hand, knee, skull...). `docs/safety.md` says so.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from cxrcore.decode import decode_image

#: cxrcore.decode refuses raster images with a side under this many pixels.
MIN_SIDE = 32

#: skimage.data images bundled with the wheel (the others need a download and are skipped).
SKIMAGE_IMAGES = (
    "astronaut", "binary_blobs", "brick", "camera", "cat", "cell", "checkerboard", "chelsea", "clock",
    "coffee", "coins", "colorwheel", "grass", "gravel", "horse", "hubble_deep_field", "immunohistochemistry",
    "logo", "microaneurysms", "moon", "page", "retina", "rocket", "shepp_logan_phantom", "text",
)
VARIANTS = ("original", "rot90", "rot180", "inverted")
_WORDS = (  # noqa: SIM905 — a sentence reads better than 27 quoted words
    "patient name date of birth screening clinic report result normal review referral village health "
    "centre district hospital phone number address signature stamp page total amount paid invoice"
).split()


@dataclass(frozen=True)
class NonChestImage:
    """One written file. ``kind`` groups results in the report (photo, document, screenshot, ...)."""

    name: str
    kind: str
    variant: str
    path: Path


def write_non_chest_set(folder: Path, seed: int = 0, renders_per_kind: int = 12) -> list[NonChestImage]:
    """Write every base image and its variants under ``folder``; return them in a stable order.

    ``renders_per_kind`` sets how many text pages, screenshots, shape and noise images are drawn.
    pydicom files are decoded by `cxrcore` first and written as 16-bit PNG, so they reach the gate
    exactly as a DICOM would (colourless, 16-bit), and duplicates of one image are kept once.
    """
    folder.mkdir(parents=True, exist_ok=True)
    written: list[NonChestImage] = []
    rng = np.random.default_rng(seed)
    for name, kind, pixels in _base_images(rng, renders_per_kind):
        for variant in VARIANTS:
            path = folder / f"{kind}--{name}--{variant}.png"
            Image.fromarray(_variant(pixels, variant)).save(path)
            written.append(NonChestImage(name, kind, variant, path))
    return written


def _base_images(rng: np.random.Generator, count: int) -> Iterator[tuple[str, str, np.ndarray]]:
    yield from _skimage_images()
    yield from _pydicom_images()
    renderers: tuple[tuple[str, Callable[[np.random.Generator], np.ndarray]], ...] = (
        ("document", _text_page),
        ("screenshot", _screenshot),
        ("synthetic", _shapes),
        ("noise", _noise),
    )
    for kind, render in renderers:
        for index in range(count):
            yield f"{render.__name__.strip('_')}-{index:02d}", kind, render(rng)
    for value in (0, 128, 255):
        yield f"uniform-{value}", "synthetic", np.full((256, 256), value, np.uint8)


def _skimage_images() -> Iterator[tuple[str, str, np.ndarray]]:
    import skimage.data

    for name in SKIMAGE_IMAGES:
        yield name, "photo-or-scientific", _to_uint8(getattr(skimage.data, name)())
    left, right, _ = skimage.data.stereo_motorcycle()
    yield "motorcycle-left", "photo-or-scientific", left
    yield "motorcycle-right", "photo-or-scientific", right
    faces = skimage.data.lfw_subset()  # 200 face crops of 25×25: upscale a few to a decodable size
    for index in range(0, len(faces), 20):
        face = Image.fromarray(_to_uint8(faces[index])).resize((100, 100), Image.Resampling.BICUBIC)
        yield f"face-{index:03d}", "photo-or-scientific", np.asarray(face)


def _pydicom_images() -> Iterator[tuple[str, str, np.ndarray]]:
    """Every bundled pydicom test file that `cxrcore.decode` reads, once per distinct image.

    Images under 32 px are left out: written as PNG they could not be decoded (the DICOM path
    has no minimum size, a gap reported in docs/safety.md), so they would never reach the gate.
    """
    from pydicom.data import get_testdata_files

    seen: set[str] = set()
    for file in sorted(get_testdata_files(), key=lambda item: Path(item).name):
        try:
            pixels = decode_image(file).pixels
        except ValueError:  # DecodeError, or the plain ValueError badVR.dcm raises today (docs/safety.md)
            continue
        digest = hashlib.sha256(pixels.tobytes()).hexdigest()
        if digest in seen or min(pixels.shape) < MIN_SIDE:  # a PNG that small is refused by decode
            continue
        seen.add(digest)
        yield Path(file).stem, "other-medical-dicom", pixels


def _to_uint8(image: np.ndarray) -> np.ndarray:
    if image.dtype == bool:
        return image.astype(np.uint8) * 255
    if image.dtype == np.uint8:
        return image
    values = image.astype(np.float64)
    low, high = values.min(), values.max()
    return np.round((values - low) / max(high - low, 1e-12) * 255).astype(np.uint8)


def _variant(pixels: np.ndarray, variant: str) -> np.ndarray:
    if variant == "rot90":
        return np.ascontiguousarray(np.rot90(pixels))
    if variant == "rot180":
        return np.ascontiguousarray(np.rot90(pixels, 2))
    if variant == "inverted":
        top = np.iinfo(pixels.dtype).max
        inverted = top - pixels
        return inverted if pixels.ndim == 2 or pixels.shape[2] == 3 else np.dstack([inverted[..., :3], pixels[..., 3:]])
    return pixels


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.load_default(size=size)


def _sentence(rng: np.random.Generator, words: int) -> str:
    return " ".join(rng.choice(_WORDS, size=words))


def _text_page(rng: np.random.Generator) -> np.ndarray:
    """A printed page (A4-ish, white) or a dark terminal-like page, lines of text at one font size."""
    width, height = (int(v) for v in rng.choice([(850, 1100), (1100, 850), (600, 600), (1024, 768)]))
    dark = rng.random() < 0.3
    paper, ink = (20, 220) if dark else (int(rng.integers(235, 256)), int(rng.integers(0, 60)))
    image = Image.new("L", (width, height), paper)
    draw = ImageDraw.Draw(image)
    size = int(rng.integers(12, 40))
    y = int(rng.integers(10, 60))
    while y < height - size:
        draw.text((int(rng.integers(10, 60)), y), _sentence(rng, int(rng.integers(3, 14))), fill=ink, font=_font(size))
        y += int(size * rng.uniform(1.2, 2.0))
    return np.asarray(image)


def _screenshot(rng: np.random.Generator) -> np.ndarray:
    """A desktop-like window: title bar, side panel, buttons and text; colour or all gray."""
    width, height = (int(v) for v in rng.choice([(1280, 720), (1366, 768), (1920, 1080), (800, 600)]))
    gray = rng.random() < 0.5

    def colour() -> tuple[int, int, int]:
        value = rng.integers(0, 256, 3)
        return (int(value.mean()),) * 3 if gray else tuple(int(v) for v in value)

    image = Image.new("RGB", (width, height), (240, 240, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, 32), fill=colour())
    draw.text((10, 6), _sentence(rng, 4), fill=(255, 255, 255), font=_font(18))
    panel = int(width * rng.uniform(0.15, 0.3))
    draw.rectangle((0, 32, panel, height), fill=colour())
    for row in range(int(rng.integers(5, 20))):
        y = 50 + row * 30
        draw.text((10, y), _sentence(rng, 2), fill=(0, 0, 0), font=_font(14))
        x = panel + 20
        draw.text((x, y), _sentence(rng, int(rng.integers(3, 10))), fill=(30, 30, 30), font=_font(16))
    for _ in range(int(rng.integers(2, 8))):
        x, y = int(rng.integers(panel, width - 120)), int(rng.integers(40, height - 40))
        draw.rounded_rectangle((x, y, x + 110, y + 32), radius=6, fill=colour(), outline=(80, 80, 80))
    return np.asarray(image)


def _shapes(rng: np.random.Generator) -> np.ndarray:
    """Filled rectangles, ellipses and polygons on a plain or gradient background."""
    size = int(rng.choice([256, 512, 640]))
    gradient = rng.random() < 0.5
    background = np.linspace(0, 255, size)[None, :].repeat(size, 0) if gradient else np.full((size, size), 255.0)
    image = Image.fromarray(background.astype(np.uint8))
    draw = ImageDraw.Draw(image)
    for _ in range(int(rng.integers(3, 30))):
        x0, y0 = (int(v) for v in rng.integers(0, size, 2))
        x1, y1 = x0 + int(rng.integers(10, size // 2)), y0 + int(rng.integers(10, size // 2))
        fill = int(rng.integers(0, 256))
        shape = rng.integers(0, 3)
        if shape == 0:
            draw.rectangle((x0, y0, x1, y1), fill=fill)
        elif shape == 1:
            draw.ellipse((x0, y0, x1, y1), fill=fill)
        else:
            draw.polygon([tuple(int(v) for v in rng.integers(0, size, 2)) for _ in range(5)], fill=fill)
    return np.asarray(image)


def _noise(rng: np.random.Generator) -> np.ndarray:
    """White, Gaussian, salt-and-pepper or smoothed (cloud-like, film-like texture) noise."""
    size = int(rng.choice([128, 256, 512]))
    kind = rng.integers(0, 4)
    if kind == 0:
        return rng.integers(0, 256, (size, size), dtype=np.uint8)
    if kind == 1:
        return np.clip(rng.normal(128, 40, (size, size)), 0, 255).astype(np.uint8)
    if kind == 2:
        values = np.full((size, size), 128, np.uint8)
        values[rng.random((size, size)) < 0.1] = 0
        values[rng.random((size, size)) < 0.1] = 255
        return values
    coarse = Image.fromarray(rng.integers(0, 256, (8, 8), dtype=np.uint8))
    return np.asarray(coarse.resize((size, size), Image.Resampling.BICUBIC))
