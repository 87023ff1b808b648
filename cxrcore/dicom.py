"""DICOM films through pydicom: modality LUT, VOI LUT/window, MONOCHROME1 inversion, patient fields.

Kept apart from `cxrcore.decode` because pydicom is only needed by the app, never by the trainer.
Compressed transfer syntaxes decode when pydicom finds a handler (pylibjpeg, gdcm, ...) and are
otherwise refused with the syntax named, so the user knows which package would read them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from cxrcore.image import MAX_PIXELS, MIN_SIDE, DecodedImage, DecodeError

#: DICOM attributes copied into `DecodedImage.metadata`. Patient fields are identifying: the
#: app shows them, but exports and logs include them only when the user opts in.
PATIENT_FIELDS = ("PatientID", "PatientName", "PatientBirthDate", "PatientSex")
STUDY_FIELDS = ("StudyInstanceUID", "StudyDate", "AccessionNumber", "Modality", "BodyPartExamined", "ViewPosition")


def decode_dicom(path: Path) -> DecodedImage:
    """Read one single-frame DICOM film into display-ready grayscale (uint16 keeps its depth)."""
    try:
        import pydicom
        from pydicom.errors import InvalidDicomError
    except ImportError as error:  # the trainer environment has no pydicom; say what to install
        raise DecodeError(path, "dicom-unsupported", "DICOM support needs the 'pydicom' package") from error
    try:
        dataset = pydicom.dcmread(path, force=True)
        has_pixels = "PixelData" in dataset
        rows, columns = int(dataset.get("Rows", 0) or 0), int(dataset.get("Columns", 0) or 0)
        frames = int(dataset.get("NumberOfFrames", 1) or 1)
    except InvalidDicomError as error:
        raise DecodeError(path, "corrupt", f"DICOM file is damaged ({error})") from error
    except Exception as error:  # a fuzzed header can raise anything from pydicom's element parsers
        raise DecodeError(path, "corrupt", f"DICOM header is damaged ({type(error).__name__}: {error})") from error
    if not has_pixels:
        raise DecodeError(path, "no-pixel-data", "DICOM file holds no image (no Pixel Data element)")
    if 0 < min(rows, columns) < MIN_SIDE:
        raise DecodeError(path, "too-small", f"DICOM image is only {columns}×{rows} pixels; a film needs at least {MIN_SIDE}")
    if rows * columns > MAX_PIXELS:
        raise DecodeError(path, "too-large", f"DICOM image is {columns}×{rows}, over the {MAX_PIXELS:,}-pixel limit")
    if frames > 1:
        raise DecodeError(path, "multi-frame", f"DICOM file holds {frames} frames; a chest film has one")
    try:
        raw = dataset.pixel_array
    except Exception as error:  # pydicom raises RuntimeError/NotImplementedError/ValueError per handler
        syntax = getattr(getattr(dataset, "file_meta", None), "TransferSyntaxUID", None)
        name = getattr(syntax, "name", str(syntax))
        if syntax is not None and not _is_compressed(syntax):
            # Uncompressed data that cannot be read is damaged, not waiting for a codec.
            raise DecodeError(path, "corrupt", f"DICOM pixel data is truncated or damaged ({error})") from error
        raise DecodeError(
            path,
            "dicom-compressed",
            f"cannot decode DICOM pixel data (transfer syntax {name}); install pylibjpeg or gdcm to read it",
        ) from error
    if raw.ndim != 2:
        raise DecodeError(path, "not-grayscale", f"DICOM pixel array has shape {raw.shape}; expected one gray frame")
    try:  # header elements are parsed lazily: a damaged one surfaces only here, and then the file is damaged
        pixels = _display_values(dataset, raw)
        metadata = {name: str(dataset.get(name, "")) for name in PATIENT_FIELDS + STUDY_FIELDS if name in dataset}
    except Exception as error:
        raise DecodeError(path, "corrupt", f"DICOM header is damaged ({type(error).__name__}: {error})") from error
    return DecodedImage(pixels=pixels, source_format="DICOM", bits_stored=16, metadata=metadata)


def _is_compressed(syntax: object) -> bool:
    """Whether a transfer syntax compresses pixel data; an unknown UID counts as not compressed.

    pydicom raises ValueError for ``is_compressed`` of a UID it does not know (a damaged header):
    such a file is corrupt, not waiting for a codec.
    """
    try:
        return bool(getattr(syntax, "is_compressed", True))
    except ValueError:
        return False


def _display_values(dataset: object, raw: np.ndarray) -> np.ndarray:
    """Modality LUT, then VOI LUT or window, then inversion for MONOCHROME1, scaled to full uint16."""
    from pydicom.pixels import apply_modality_lut, apply_voi_lut

    values = apply_modality_lut(raw, dataset).astype(np.float64)
    has_voi = "VOILUTSequence" in dataset or "WindowCenter" in dataset
    if has_voi:
        values = apply_voi_lut(values, dataset, index=0).astype(np.float64)
    low, high = float(values.min()), float(values.max())
    scaled = np.zeros(values.shape) if high <= low else (values - low) / (high - low)
    if str(dataset.get("PhotometricInterpretation", "MONOCHROME2")).strip() == "MONOCHROME1":
        scaled = 1.0 - scaled
    return np.round(scaled * 65535.0).astype(np.uint16)
