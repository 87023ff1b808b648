"""Patient and study fields of a DICOM film, read from the header only, and how they are shown.

The screening path gets its pixels from `cxrcore.classifier.Classifier.load_gray` (so the
preprocessing is exactly cxrcore's), which does not return metadata; the header is therefore read
here a second time with ``stop_before_pixels`` — cheap next to decoding the pixels.

Patient fields identify a person. The table shows them; CSV/PDF exports include them only when
the user opts in; the audit log and the logs never do. The patient's age (``PatientAge``, or
``PatientBirthDate`` with ``StudyDate``) is read here too: routing uses it
(`cxrcore.safety.population.age_in_years`), and it is a patient field like the others.
"""

from __future__ import annotations

from pathlib import Path

from cxrcore.decode import is_dicom_file
from cxrcore.dicom import PATIENT_FIELDS, STUDY_FIELDS

DICOM_SUFFIXES = frozenset({".dcm", ".dicom"})
#: Every header field kept: cxrcore's patient and study fields plus the age routing reads.
METADATA_FIELDS = (*PATIENT_FIELDS, "PatientAge", *STUDY_FIELDS)

#: Export column for each metadata field, in export order (only written with the opt-in).
EXPORT_COLUMNS: dict[str, str] = {
    "PatientID": "patient_id",
    "PatientName": "patient_name",
    "PatientBirthDate": "patient_birth_date",
    "PatientAge": "patient_age",
    "PatientSex": "patient_sex",
    "StudyDate": "study_date",
    "AccessionNumber": "accession_number",
    "StudyInstanceUID": "study_instance_uid",
    "ViewPosition": "view_position",
}


def read_film_metadata(path: Path) -> dict[str, str]:
    """Patient/study fields for a DICOM file; ``{}`` for other formats or an unreadable header.

    A header that cannot be read here is not an error of its own: the pixel decode of the same
    file reports it with a proper reason.
    """
    if path.suffix.lower() not in DICOM_SUFFIXES and not is_dicom_file(path):
        return {}
    try:
        import pydicom

        dataset = pydicom.dcmread(path, stop_before_pixels=True, force=True)
        return {name: str(dataset.get(name, "")) for name in METADATA_FIELDS if name in dataset}
    except Exception:  # pydicom raises many types for damaged headers (lazily, per element); decoding reports the cause
        return {}


def patient_summary(metadata: dict[str, str]) -> str:
    """One line for the table's patient/study column, e.g. ``"12345 · DOE^JANE · 2024-03-01"``."""
    parts = [metadata.get("PatientID", ""), metadata.get("PatientName", ""), _iso_date(metadata.get("StudyDate", ""))]
    return " · ".join(part for part in parts if part)


def export_fields(metadata: dict[str, str]) -> dict[str, str]:
    """Metadata keyed by export column name (empty strings for absent fields)."""
    return {column: metadata.get(name, "") for name, column in EXPORT_COLUMNS.items()}


def _iso_date(value: str) -> str:
    """DICOM dates are ``YYYYMMDD``; show them as ``YYYY-MM-DD`` and leave anything else as is."""
    return f"{value[:4]}-{value[4:6]}-{value[6:]}" if len(value) == 8 and value.isdigit() else value
