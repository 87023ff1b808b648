"""The frozen app writes DICOM results: ``screen --dicom-out`` on a DICOM film, as a clinic runs it.

Neither the self-test nor the window touch highdicom (loaded only for ``--dicom-out``), its tables of
the standard, or the class-activation heatmap (LiteRT's flatbuffer schema, else a 65-inference
occlusion map): a folder missing any of them starts and self-tests fine. So a sample film is wrapped
as the DX instance an X-ray unit sends (pydicom, in the build's own Python), screened by the frozen
app with the pediatric model, and its Structured Report and heatmap Secondary Capture must be
written, the capture made from a class-activation map.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pydicom
from PIL import Image
from pydicom.dataset import FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

from cxrcore.bundle import ModelBundle, load_bundle
from desktop.reports.dicom_results import CAPTURE_SUFFIX, SR_SUFFIX
from desktop.screening.catalog import DEFAULT_MODEL_NAME
from desktop.screening.heatmap import CAPTIONS, CLASS_ACTIVATION

DX_FOR_PRESENTATION = "1.2.840.10008.5.1.4.1.1.1.1"


def film_as_dicom(image: Path, out: Path, age: str) -> Path:
    """``image`` as a DX For Presentation instance (8-bit, every UID set) of a patient aged ``age``."""
    pixels = np.asarray(Image.open(image).convert("L"), np.uint8)
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID, meta.MediaStorageSOPInstanceUID = DX_FOR_PRESENTATION, generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    dataset = pydicom.Dataset()
    dataset.file_meta = meta
    dataset.SOPClassUID, dataset.SOPInstanceUID = DX_FOR_PRESENTATION, meta.MediaStorageSOPInstanceUID
    dataset.StudyInstanceUID, dataset.SeriesInstanceUID = generate_uid(), generate_uid()
    dataset.PatientName, dataset.PatientID, dataset.PatientAge, dataset.Modality = "BUILD^CHECK", "B-1", age, "DX"
    dataset.Rows, dataset.Columns = pixels.shape
    dataset.SamplesPerPixel, dataset.PhotometricInterpretation = 1, "MONOCHROME2"
    dataset.BitsAllocated, dataset.BitsStored, dataset.HighBit, dataset.PixelRepresentation = 8, 8, 7, 0
    dataset.PixelData = pixels.tobytes()
    out.parent.mkdir(parents=True, exist_ok=True)
    dataset.save_as(out, enforce_file_format=True)
    return out


def age_inside(bundle: ModelBundle) -> str:
    """A DICOM age string in the middle of the ages the bundle was validated for (``003Y`` for 1–5 years)."""
    low, high = (bundle.population or {}).get("age_years", [0, 99])
    return f"{int((low + high) / 2):03d}Y"


def dicom_results(app: Path, image: Path, models: Path, env: dict[str, str], work: Path) -> list[Path]:
    """Screen ``image`` (a pediatric film) as DICOM with the frozen ``app`` and the pediatric bundle of
    ``models``; the SR and capture written. Fails the build when they are not, or when the heatmap is
    not a class-activation map."""
    film = film_as_dicom(image, work / "dicom-in" / "film.dcm", age_inside(load_bundle(models / DEFAULT_MODEL_NAME)))
    out = work / "dicom-out"
    command = [str(app), "screen", str(film), "--out", str(work / "dicom.csv"), "--store", str(work / "dicom.sqlite3"),
               "--model", DEFAULT_MODEL_NAME, "--dicom-out", str(out)]
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300, check=False)
    written = sorted(out.glob(f"*{SR_SUFFIX}")) + sorted(out.glob(f"*{CAPTURE_SUFFIX}"))
    if result.returncode != 0 or len(written) != 2:
        raise SystemExit(f"the frozen app did not write DICOM results (exit {result.returncode}, wrote "
                         f"{[path.name for path in written]}):\n{result.stdout[-2000:]}{result.stderr[-2000:]}")
    derivation = str(pydicom.dcmread(written[1]).get("DerivationDescription", ""))
    if CAPTIONS[CLASS_ACTIVATION].lower() not in derivation:
        raise SystemExit(f"the frozen app's heatmap is not a class-activation map: {derivation!r} "
                         "(is ai_edge_litert.schema_py_generated or flatbuffers missing?)")
    return written
