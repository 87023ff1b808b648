"""Results as DICOM (`desktop.reports.dicom_results` through `desktop.services.dicom_out`): real Kermany
films wrapped in DICOM, screened by a real (tiny, untrained) LiteRT model, written as a Comprehensive
SR and a heatmap Secondary Capture, and read back with pydicom and highdicom."""

from __future__ import annotations

import logging
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import highdicom as hd
import numpy as np
import pydicom
import pytest
from PIL import Image
from pydicom.sr.codedict import codes
from pydicom.uid import generate_uid

from cxrcore.safety.population import NOT_VALIDATED
from desktop.reports.dicom_results import CAPTURE_SUFFIX, PRIVATE_SCHEME, SR_SUFFIX
from desktop.screening.pipeline import screen_paths
from desktop.screening.results import STATUS_NOT_VALIDATED
from desktop.services import dicom_out
from tests.desktop.test_pipeline import write_dicom
from tests.desktop_support import forced_router, kermany_films

DX_FOR_PRESENTATION = "1.2.840.10008.5.1.4.1.1.1.1"
COMPREHENSIVE_SR = "1.2.840.10008.5.1.4.1.1.88.33"
SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7"


def dicom_film(path: Path, film: Path, **fields: str) -> Path:
    """A real film as the DX instance an X-ray unit would send: 12-bit pixels and every UID set."""
    pixels = np.asarray(Image.open(film).convert("L"), np.uint16) << 4
    uids = {"SOPClassUID": DX_FOR_PRESENTATION, "SOPInstanceUID": generate_uid(), "StudyInstanceUID": generate_uid(),
            "SeriesInstanceUID": generate_uid(), "AccessionNumber": "ACC-7", "PatientSex": "F"}
    path.parent.mkdir(parents=True, exist_ok=True)
    written = write_dicom(path, pixels, **{**uids, **fields})
    dataset = pydicom.dcmread(written)
    dataset.file_meta.MediaStorageSOPInstanceUID = dataset.SOPInstanceUID  # as the file format requires
    dataset.save_as(written, enforce_file_format=True)
    return written


@pytest.fixture()
def router(tiny_bundle: Path):
    with closing(forced_router(tiny_bundle)) as opened:
        yield opened


def _outputs(folder: Path, suffix: str) -> list[pydicom.Dataset]:
    return [pydicom.dcmread(path) for path in sorted(folder.glob(f"*{suffix}"))]


def test_sr_and_capture_reference_the_film_and_carry_the_result(router, kermany_root: Path, tmp_path: Path) -> None:
    film = dicom_film(tmp_path / "in" / "film.dcm", kermany_films(kermany_root, 1)[1])
    (result,) = screen_paths(router, [film])
    source = pydicom.dcmread(film)

    written = dicom_out([result], router, tmp_path / "out")

    assert sorted(path.name.endswith((SR_SUFFIX, CAPTURE_SUFFIX)) for path in written) == [True, True]
    (report,) = _outputs(tmp_path / "out", SR_SUFFIX)
    assert report.SOPClassUID == COMPREHENSIVE_SR
    assert (report.StudyInstanceUID, report.PatientID, report.PatientName, report.AccessionNumber) == (
        source.StudyInstanceUID, "P-42", "DOE^JANE", "ACC-7")
    assert (report.PreliminaryFlag, report.VerificationFlag) == ("PRELIMINARY", "UNVERIFIED")
    evidence = report.CurrentRequestedProcedureEvidenceSequence[0].ReferencedSeriesSequence[0]
    assert evidence.SeriesInstanceUID == source.SeriesInstanceUID
    assert evidence.ReferencedSOPSequence[0].ReferencedSOPInstanceUID == source.SOPInstanceUID

    document = hd.sr.ComprehensiveSR.from_dataset(report)
    groups = {group.finding_type.meaning: group for group in document.content.get_image_measurement_groups()}
    assert set(groups) == {"Normal", "Pneumonia"}
    pneumonia = groups["Pneumonia"]
    assert pneumonia.finding_type.value == "233604007" and pneumonia.finding_type.scheme_designator == "SCT"
    assert pneumonia.source_images[0].referenced_sop_instance_uid == source.SOPInstanceUID
    probability = pneumonia.get_measurements(name=codes.DCM.Probability)[0]
    assert probability.value == pytest.approx(result.probabilities["PNEUMONIA"], abs=1e-6)
    threshold = router.routes[0].bundle.thresholds["PNEUMONIA"]
    assert pneumonia.get_measurements(name=codes.DCM.ThresholdValue)[0].value == pytest.approx(threshold)
    assert not groups["Normal"].get_measurements(name=codes.DCM.ThresholdValue)  # no threshold on NORMAL
    algorithm = _items(report, "Algorithm Name") + _items(report, "Algorithm Version")
    assert {item.TextValue for item in algorithm} == {result.model.name, result.model.version}
    assert _evaluation(report, "Finding").ConceptCodeSequence[0].CodeMeaning == result.prediction.capitalize()
    flagged = _evaluation(report, "Flagged for review").ConceptCodeSequence[0].CodeMeaning
    assert flagged == ("Yes" if result.flagged else "No")

    (capture,) = _outputs(tmp_path / "out", CAPTURE_SUFFIX)
    assert capture.SOPClassUID == SECONDARY_CAPTURE
    assert (capture.StudyInstanceUID, capture.PatientID) == (source.StudyInstanceUID, "P-42")
    assert capture.SourceImageSequence[0].ReferencedSOPInstanceUID == source.SOPInstanceUID
    assert capture.SeriesInstanceUID != source.SeriesInstanceUID and capture.PhotometricInterpretation == "RGB"
    pixels = capture.pixel_array
    assert pixels.shape == (*source.pixel_array.shape, 3)
    colour = np.abs(pixels.astype(int) - pixels.mean(axis=-1, keepdims=True)).max(axis=-1)
    assert colour.max() > 40  # the heatmap is burned in (a plain film would be gray everywhere)


def test_writing_again_keeps_the_files_and_uids(router, kermany_root: Path, tmp_path: Path) -> None:
    film = dicom_film(tmp_path / "film.dcm", kermany_films(kermany_root, 1)[0])
    results = list(screen_paths(router, [film]))
    first = dicom_out(results, router, tmp_path / "out")
    uids = {path.name: pydicom.dcmread(path).SOPInstanceUID for path in first}

    assert dicom_out(results, router, tmp_path / "out") == []
    (tmp_path / "out" / first[0].name).unlink()
    again = dicom_out(results, router, tmp_path / "out")
    assert [path.name for path in again] == [first[0].name]
    assert pydicom.dcmread(again[0]).SOPInstanceUID == uids[first[0].name]


def test_a_film_not_validated_says_so_instead_of_a_label(router, kermany_root: Path, tmp_path: Path) -> None:
    film = dicom_film(tmp_path / "film.dcm", kermany_films(kermany_root, 1)[0], PatientAge="045Y")
    (result,) = screen_paths(router, [film])
    warning = f"{NOT_VALIDATED}: tiny-bundle was validated for ages 1–5 years and the file states an age outside that."
    result = replace(result, status=STATUS_NOT_VALIDATED, flagged=True, warnings=(warning, "image quality is poor"))

    dicom_out([result], router, tmp_path / "out")

    (report,) = _outputs(tmp_path / "out", SR_SUFFIX)
    finding = _evaluation(report, "Finding").ConceptCodeSequence[0]
    assert (finding.CodingSchemeDesignator, finding.CodeMeaning) == (PRIVATE_SCHEME, NOT_VALIDATED)
    assert _evaluation(report, "Flagged for review").ConceptCodeSequence[0].CodeMeaning == "Yes"
    assert {item.TextValue for item in _items(report, "Comment")} == {warning, "image quality is poor"}


def test_only_scored_dicom_films_that_can_be_referenced_get_outputs(router, kermany_root: Path, tmp_path: Path,
                                                                     caplog: pytest.LogCaptureFixture) -> None:
    jpeg = kermany_films(kermany_root, 1)[0]
    ramp = np.tile(np.linspace(0, 4095, 96, dtype=np.uint16), (96, 1))
    no_study = write_dicom(tmp_path / "no-study.dcm", ramp)  # no StudyInstanceUID: nothing to file it under
    results = list(screen_paths(router, [jpeg, no_study]))
    assert all(result.scored for result in results)

    with caplog.at_level(logging.WARNING):
        assert dicom_out(results, router, tmp_path / "out") == []

    assert "lacks the Study/SOP Instance UIDs" in caplog.text


def _items(dataset: pydicom.Dataset, meaning: str) -> list[pydicom.Dataset]:
    """Every content item (at any depth) whose concept name has ``meaning``."""
    found = []
    for item in dataset.get("ContentSequence", []):
        if item.ConceptNameCodeSequence[0].CodeMeaning == meaning:
            found.append(item)
        found += _items(item, meaning)
    return found


def _evaluation(report: pydicom.Dataset, meaning: str) -> pydicom.Dataset:
    (container,) = _items(report, "Qualitative Evaluations")
    (item,) = [item for item in container.ContentSequence if item.ConceptNameCodeSequence[0].CodeMeaning == meaning]
    return item


def test_the_packaged_highdicom_table_writes_the_same_results(router, kermany_root: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The app folder's pruned ``module_attribute_map.json`` (`packaging/json_tables.py`) gives the same SR and
    capture as highdicom's full table, for a film whose IOD (DX) is not one the app writes."""
    import sys

    import highdicom.base
    from highdicom import _standard_utils
    from tests.conftest import REPO_ROOT

    sys.path.insert(0, str(REPO_ROOT / "packaging"))  # not a package (packaging/build.py says why)
    import json_tables

    standard = Path(_standard_utils.__file__).parent / "_standard"
    pruned = json_tables.pruned_module_attributes(standard)
    assert len(pruned) < len(_standard_utils.get_module_attribute_map()) / 5
    film = dicom_film(tmp_path / "in" / "film.dcm", kermany_films(kermany_root, 1)[1], PatientID="P-42",
                      PatientName="DOE^JANE", PatientBirthDate="19800101")
    (result,) = screen_paths(router, [film])
    dicom_out([result], router, tmp_path / "full")
    monkeypatch.setattr(highdicom.base, "get_module_attribute_map", lambda: pruned)
    dicom_out([result], router, tmp_path / "pruned")
    volatile = {"ContentDate", "ContentTime", "InstanceCreationDate", "InstanceCreationTime"}
    for suffix in (SR_SUFFIX, CAPTURE_SUFFIX):
        (full,), (cut,) = _outputs(tmp_path / "full", suffix), _outputs(tmp_path / "pruned", suffix)
        assert full.PatientBirthDate == "19800101"  # copied through the table's Patient module
        assert {e.keyword for e in full if e.keyword not in volatile} == {e.keyword for e in cut if e.keyword not in volatile}
        assert all(full[k].value == cut[k].value for k in ("PatientID", "PatientName", "PatientBirthDate",
                                                           "StudyInstanceUID", "AccessionNumber"))
