"""Screening results as DICOM objects a PACS files beside the film, in the film's own study.

For each scored DICOM film two instances:

- a **Structured Report** (Comprehensive SR holding a TID 1500 measurement report, built with
  highdicom): per label one measurement group (TID 1501) whose finding type is the label and whose
  measurements are its probability and, for abnormal labels, the operating threshold, with the model
  as the algorithm (TID 4019: name, version, build and hashes); then a "Qualitative Evaluations"
  container with the finding (the prediction, or "not validated" — never a plain label for a film the
  model was not validated for, as in every other export), flagged for review yes/no, and the warnings
  as text. It references the film (evidence and source image) and copies its patient and study
  modules, so a viewer lists it under the same patient and StudyInstanceUID. It is marked
  PRELIMINARY and UNVERIFIED: software output that a clinician has not signed;
- a **Secondary Capture** of the film with the heatmap burned in (RGB, at most `MAX_CAPTURE_SIDE`
  pixels on its long side: a review aid, not a diagnostic image), when a heatmap can be made.

UIDs are derived from the film's SHA-256 and the model's hashes, and each file is named after its
own SOP Instance UID (``<UID>-sr.dcm``, ``<UID>-heatmap.dcm``; never after text from the film's
header), so writing the same result again yields the same instances (an archive deduplicates them)
and an existing file is not rewritten: the receiver can call this again after a crash to fill in
what is missing. Files are written atomically (`desktop.files`).
"""

from __future__ import annotations

import hashlib
import io
import logging
from pathlib import Path
from typing import Callable, Iterable, Mapping

import highdicom as hd
import numpy as np
import pydicom
from highdicom.coding_schemes import CodingSchemeIdentificationItem
from PIL import Image
from pydicom import Dataset
from pydicom.sr.codedict import codes
from pydicom.uid import generate_uid

from cxrcore.decode import decode_image, is_dicom_file
from cxrcore.preprocess import to_uint8
from cxrcore.safety.population import NOT_VALIDATED

from desktop.files import write_file_atomically
from desktop.screening.film_metadata import DICOM_SUFFIXES
from desktop.screening.heatmap import Heatmap, overlay_rgba
from desktop.screening.results import STATUS_NOT_VALIDATED, ScreenResult

log = logging.getLogger(__name__)

MANUFACTURER = "CXR Screening"
#: Private coding scheme for concepts no standard vocabulary has (DICOM reserves "99" prefixes).
PRIVATE_SCHEME = "99CXRSCREEN"
SR_SERIES_NUMBER, CAPTURE_SERIES_NUMBER = 9901, 9902
MAX_CAPTURE_SIDE = 1024
SR_SUFFIX, CAPTURE_SUFFIX = "-sr.dcm", "-heatmap.dcm"
#: Outputs are UTF-8 whatever the film used: warnings hold dashes, names may hold any script.
UTF8 = "ISO_IR 192"

#: Type 2 patient/study attributes highdicom reads from the film; a film may omit them (empty is valid).
_TYPE2_FROM_FILM = ("PatientID", "PatientName", "PatientBirthDate", "PatientSex", "AccessionNumber", "StudyID",
                    "StudyDate", "StudyTime", "ReferringPhysicianName")
#: Patient Orientation values a capture can state as they are (combinations like "FL" are left unstated).
_BIPED_DIRECTIONS = frozenset("APLRHF")
#: SNOMED CT concepts for the labels the shipped models use; other labels get a private code.
_LABEL_CODES = {
    "normal": ("17621005", "SCT", "Normal"),
    "abnormal": ("263654008", "SCT", "Abnormal"),
    "pneumonia": ("233604007", "SCT", "Pneumonia"),
    "viral pneumonia": ("75570004", "SCT", "Viral pneumonia"),
    "covid": ("840539006", "SCT", "COVID-19"),
}


def write_dicom_results(
    results: Iterable[ScreenResult],
    out_dir: Path,
    thresholds: Mapping[str, Mapping[str, float]],
    heatmap_for: Callable[[ScreenResult], Heatmap | None] | None = None,
) -> list[Path]:
    """Write the SR (and, with a heatmap, the Secondary Capture) of every scored DICOM film among
    ``results`` into ``out_dir``; return the files written now (existing ones are kept as they are).

    ``thresholds`` maps a model's label (`ModelIdentity.label`) to its card's operating thresholds;
    ``heatmap_for(result)`` gives the heatmap of the model that scored it (None: no capture). It is
    asked only for captures not yet written, since a heatmap costs many inferences. A film whose
    header lacks the UIDs to reference it gets nothing, with a logged reason; `OSError` (disk full)
    propagates."""
    written: list[Path] = []
    for result in results:
        if result.scored and _is_dicom(Path(result.path)):
            try:
                written += _write_film(result, Path(out_dir), thresholds.get(result.model.label, {}), heatmap_for)
            except OSError:
                raise
            except Exception:  # an unusual header costs this film's outputs, not the others'
                log.exception("no DICOM results for %s", result.path)
    return written


def _write_film(result: ScreenResult, out_dir: Path, thresholds: Mapping[str, float],
                heatmap_for: Callable[[ScreenResult], Heatmap | None] | None) -> list[Path]:
    film = source_header(Path(result.path))
    if film is None:
        log.warning("no DICOM results for %s: its header lacks the Study/SOP Instance UIDs to reference", result.path)
        return []
    written = []
    report_path = out_dir / (report_uid(result) + SR_SUFFIX)
    if not report_path.exists():
        written.append(_save(structured_report(result, film, thresholds), report_path))
    capture_path = out_dir / (capture_uid(result) + CAPTURE_SUFFIX)
    heatmap = None if heatmap_for is None or capture_path.exists() else heatmap_for(result)
    if heatmap is not None:
        written.append(_save(secondary_capture(result, film, heatmap), capture_path))
    return written


def source_header(path: Path) -> Dataset | None:
    """The film's header with what the outputs copy and reference, or None when it cannot be
    referenced (no StudyInstanceUID or SOP Instance UID). Missing type 2 fields become empty."""
    try:
        film = pydicom.dcmread(path, stop_before_pixels=True, force=True)
    except Exception:  # a damaged header: the pipeline has already reported this file
        return None
    meta = getattr(film, "file_meta", None)
    film.SOPInstanceUID = film.get("SOPInstanceUID") or getattr(meta, "MediaStorageSOPInstanceUID", "")
    film.SOPClassUID = film.get("SOPClassUID") or getattr(meta, "MediaStorageSOPClassUID", "")
    if not (film.SOPInstanceUID and film.SOPClassUID and film.get("StudyInstanceUID")):
        return None
    film.SeriesInstanceUID = film.get("SeriesInstanceUID") or _uid(film.StudyInstanceUID, "unnamed series")
    for name in _TYPE2_FROM_FILM:
        if name not in film:
            setattr(film, name, "")
    return film


def structured_report(result: ScreenResult, film: Dataset, thresholds: Mapping[str, float]) -> hd.sr.ComprehensiveSR:
    """The Comprehensive SR (TID 1500) of one result; see the module docstring for its content."""
    model = result.model
    algorithm = hd.sr.AlgorithmIdentification(
        name=model.name, version=model.version,
        parameters=[f"build={model.build}", f"build_sha256={model.build_sha256}", f"card_sha256={model.card_sha256}"],
    )
    source = hd.sr.SourceImageForMeasurementGroup(film.SOPClassUID, film.SOPInstanceUID)
    unit = hd.sr.CodedConcept("1", "UCUM", "no units")
    groups = []
    for label, probability in result.probabilities.items():
        measurements = [hd.sr.Measurement(name=codes.DCM.Probability, value=probability, unit=unit)]
        if label in thresholds:
            measurements.append(hd.sr.Measurement(name=codes.DCM.ThresholdValue, value=thresholds[label], unit=unit))
        groups.append(hd.sr.MeasurementsAndQualitativeEvaluations(
            tracking_identifier=hd.sr.TrackingIdentifier(uid=_uid(_digest(result), "group", label),
                                                         identifier=f"{MANUFACTURER}: {label}"),
            finding_type=label_code(label), algorithm_id=algorithm, measurements=measurements,
            source_images=[source],
        ))
    observer = hd.sr.ObserverContext(
        observer_type=codes.DCM.Device,
        observer_identifying_attributes=hd.sr.DeviceObserverIdentifyingAttributes(
            uid=_uid(model.build_sha256, "device"), name=MANUFACTURER, manufacturer_name=MANUFACTURER,
            model_name=model.label[:64],
        ),
    )
    report = hd.sr.MeasurementReport(
        observation_context=hd.sr.ObservationContext(observer_device_context=observer),
        procedure_reported=codes.SCT.ChestImaging, imaging_measurements=groups,
    )
    report[0].ContentSequence.append(_evaluations(result))
    return hd.sr.ComprehensiveSR(
        evidence=[film], content=report[0], series_instance_uid=_uid(film.StudyInstanceUID, "sr series"),
        series_number=SR_SERIES_NUMBER, sop_instance_uid=report_uid(result),
        instance_number=int(film.get("InstanceNumber") or 1), manufacturer=MANUFACTURER, is_complete=True,
        series_description=f"{MANUFACTURER} result (not verified)", specific_character_set=UTF8,
        coding_schemes=[CodingSchemeIdentificationItem(
            designator=PRIVATE_SCHEME, name=f"{MANUFACTURER} private concepts", responsible_organization=MANUFACTURER)],
    )


def secondary_capture(result: ScreenResult, film: Dataset, heatmap: Heatmap) -> hd.sc.SCImage:
    """The film with the heatmap burned in, as an RGB Secondary Capture in the film's study."""
    gray = to_uint8(decode_image(result.path))
    image = Image.fromarray(gray)
    image.thumbnail((MAX_CAPTURE_SIDE, MAX_CAPTURE_SIDE), Image.Resampling.LANCZOS)
    pixels = burn_in(np.asarray(image), heatmap)
    orientation = tuple(film.get("PatientOrientation") or ())
    known = len(orientation) == 2 and all(value in _BIPED_DIRECTIONS for value in orientation)
    capture = hd.sc.SCImage.from_ref_dataset(
        ref_dataset=film, pixel_array=pixels, photometric_interpretation="RGB", bits_allocated=8,
        coordinate_system="PATIENT", series_instance_uid=_uid(film.StudyInstanceUID, "heatmap series"),
        series_number=CAPTURE_SERIES_NUMBER, sop_instance_uid=capture_uid(result),
        instance_number=int(film.get("InstanceNumber") or 1), manufacturer=MANUFACTURER,
        patient_orientation=orientation if known else ("L", "F"), specific_character_set=UTF8,
    )
    if not known:  # type 2: say nothing rather than invent the film's orientation
        capture.PatientOrientation = ""
    capture.SeriesDescription = f"{MANUFACTURER} heatmap (not for diagnosis)"
    capture.ImageType = ["DERIVED", "SECONDARY"]
    capture.DerivationDescription = (f"{film.get('Modality', '')} film with the {heatmap.caption.lower()} of "
                                     f"{heatmap.label} by {result.model.label} burned in")[:1024]
    capture.BurnedInAnnotation = "NO"
    reference = Dataset()
    reference.ReferencedSOPClassUID, reference.ReferencedSOPInstanceUID = film.SOPClassUID, film.SOPInstanceUID
    capture.SourceImageSequence = [reference]
    return capture


def burn_in(gray: np.ndarray, heatmap: Heatmap) -> np.ndarray:
    """``gray`` (2-D uint8) as RGB with `overlay_rgba` alpha-blended over it."""
    overlay = overlay_rgba(heatmap, gray.shape[0], gray.shape[1]).astype(np.float32)
    alpha = overlay[..., 3:4] / 255.0
    base = np.repeat(gray[..., np.newaxis].astype(np.float32), 3, axis=-1)
    return np.round(base * (1.0 - alpha) + overlay[..., :3] * alpha).astype(np.uint8)


def label_code(label: str) -> hd.sr.CodedConcept:
    """The coded concept of a model label: SNOMED CT where known, else a private code."""
    value, scheme, meaning = _LABEL_CODES.get(label.lower(), (_private_value(label), PRIVATE_SCHEME, label))
    return hd.sr.CodedConcept(value, scheme, meaning)


def _evaluations(result: ScreenResult) -> hd.sr.ContainerContentItem:
    """The TID 1500 "Qualitative Evaluations" container: finding, flagged, and the warnings as text."""
    contains = hd.sr.RelationshipTypeValues.CONTAINS
    if result.status == STATUS_NOT_VALIDATED:
        finding = hd.sr.CodedConcept("NOTVALIDATED", PRIVATE_SCHEME, NOT_VALIDATED)
    else:
        finding = label_code(result.prediction)
    flagged = hd.sr.CodedConcept("FLAGGED", PRIVATE_SCHEME, "Flagged for review")
    container = hd.sr.ContainerContentItem(
        name=hd.sr.CodedConcept("C0034375", "UMLS", "Qualitative Evaluations"), relationship_type=contains,
    )
    container.ContentSequence = hd.sr.ContentSequence([
        hd.sr.CodeContentItem(name=codes.DCM.Finding, value=finding, relationship_type=contains),
        hd.sr.CodeContentItem(name=flagged, value=codes.SCT.Yes if result.flagged else codes.SCT.No,
                              relationship_type=contains),
        *(hd.sr.TextContentItem(name=codes.DCM.Comment, value=text, relationship_type=contains)
          for text in (result.message, *result.warnings) if text),
    ])
    return container


def report_uid(result: ScreenResult) -> str:
    """The SR's SOP Instance UID, which also names its file (`_digest`: same result, same UID)."""
    return _uid(_digest(result), "sr")


def capture_uid(result: ScreenResult) -> str:
    return _uid(_digest(result), "heatmap")


def _save(dataset: Dataset, path: Path) -> Path:
    buffer = io.BytesIO()
    dataset.save_as(buffer, enforce_file_format=True)
    return write_file_atomically(path, buffer.getvalue())


def _digest(result: ScreenResult) -> str:
    """What identifies one result: the film's bytes and the exact model (build and card)."""
    parts = (result.file_sha256, result.model.build_sha256, result.model.card_sha256)
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _uid(*parts: str) -> str:
    """A UID that is always the same for the same ``parts`` (pydicom's root, hashed entropy)."""
    return str(generate_uid(entropy_srcs=list(parts)))


def _private_value(label: str) -> str:
    """A code value (SH, at most 16 characters) for a label without a standard code."""
    return "L" + hashlib.sha256(label.encode()).hexdigest()[:15]


def _is_dicom(path: Path) -> bool:
    return path.suffix.lower() in DICOM_SUFFIXES or is_dicom_file(path)
