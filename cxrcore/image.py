"""The decoded-film types every reader of image files shares: `DecodedImage`, `DecodeError` and the size limits.

Their own module so that `cxrcore.decode` (rasters) and `cxrcore.dicom` (DICOM) both import them
and neither imports the other at module level: decode hands DICOM files to dicom lazily, because
pydicom is an app extra.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import numpy as np

#: Largest image we agree to decode (pixels). A 43×43 cm detector at 100 µm is ~18.5 MP;
#: anything past 80 MP is a decompression bomb or not a radiograph.
MAX_PIXELS = 80_000_000
#: Smallest side we accept: below this there is no film to read (icons, 1×1 tracking pixels).
MIN_SIDE = 32


class DecodeError(ValueError):
    """A file that cannot become a grayscale film. ``reason`` is a stable machine-readable code."""

    def __init__(self, path: str | os.PathLike[str], reason: str, detail: str) -> None:
        self.path = str(path)
        self.reason = reason
        self.detail = detail
        super().__init__(f"{self.path}: {detail}")


@dataclass
class DecodedImage:
    """A decoded film: 2-D grayscale pixels plus what the viewer and the report need to know.

    ``pixels`` is uint8 or uint16, already oriented (EXIF) and, for DICOM, already through the
    modality and VOI LUTs, with MONOCHROME1 inverted, so brighter always means denser.
    """

    pixels: np.ndarray
    source_format: str
    bits_stored: int
    metadata: dict[str, str] = field(default_factory=dict)
    #: Hasler–Süsstrunk colourfulness of the file's own pixels (0 for gray files and DICOM): the
    #: gray conversion above erases colour, and colour is the surest sign of a photograph.
    colourfulness: float = 0.0

    @property
    def height(self) -> int:
        return int(self.pixels.shape[0])

    @property
    def width(self) -> int:
        return int(self.pixels.shape[1])
