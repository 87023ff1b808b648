"""The safety checks inside screening (cxrcore.safety.checks through desktop.screening.pipeline), and patient privacy.

What a clinic gets from one folder screened with the pediatric model forced: real children's films
scored without warnings; a photo, a printed page and a CT slice refused as "not a chest film",
never scored; an adult's film scored but shown as *not validated* and flagged for review; a blurred
film scored with a quality warning. Then privacy: DICOM patient fields appear in exports only on
opt-in, and never in the screener's logs.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from cxrcore.bundle import load_bundle
from cxrcore.decode import decode_image
from cxrcore.safety.population import NOT_VALIDATED
from cxrcore.preprocess import to_uint8
from cxrcore.safety.checks import NOT_A_CHEST_FILM, SafetyChecks
from desktop.screening.pipeline import screen_paths
from desktop.screening.results import STATUS_NOT_VALIDATED, STATUS_OK, STATUS_REJECTED
from desktop.reports.csv_export import ENCODING
from desktop.screening.routing import Router, Selection
from tests.conftest import REPO_ROOT
from tests.desktop_support import run_desktop
from tests.factories import sample_films
from tests.desktop.test_pipeline import write_dicom
from trainer.safety.distortions import distort

MODELS = REPO_ROOT / "models"
SAFETY_DIR = MODELS / "_safety"
PATIENT_NAME = "DOE^JANE"


@pytest.fixture(scope="module")
def engines():
    bundle = load_bundle(MODELS / "pneumonia-pediatric")
    router = Router.open(Selection(((bundle, bundle.card["default_build"]),), automatic=False), "cpu", 1)
    safety = SafetyChecks.load(SAFETY_DIR)
    yield router, safety
    router.close()
    safety.close()


def _pediatric(safety: SafetyChecks, path: Path) -> bool | None:
    """Whether the film is inside the pediatric population (None: the gate refuses it)."""
    verdict = safety.check(decode_image(path))
    return verdict.populations["pediatric"].in_population if verdict.accepted else None


def test_one_folder_gives_scores_refusals_not_validated_and_warnings(engines, external_root: Path,
                                                                     tmp_path: Path) -> None:
    import skimage.data
    from pydicom.data import get_testdata_file

    router, safety = engines
    classifier = router.routes[0].classifier
    children = [path for path in sample_films() if _pediatric(safety, path)][:3]
    assert len(children) >= 2, "the sample films should mostly be inside the pediatric population"
    adults = sorted((external_root / "chestxray8-adult" / "No_findings").glob("*.jpg"))
    adult = Path(shutil.copyfile(next(p for p in adults if _pediatric(safety, p) is False), tmp_path / "adult.jpg"))
    blurred = tmp_path / "blurred.png"
    film = to_uint8(decode_image(children[0]))
    Image.fromarray(distort(film, "blur", 3, np.random.default_rng(0))).save(blurred)
    not_films = [tmp_path / "photo.png", tmp_path / "page.png", tmp_path / "ct.dcm"]
    Image.fromarray(skimage.data.astronaut()).save(not_films[0])
    Image.fromarray(skimage.data.page()).save(not_films[1])
    shutil.copyfile(get_testdata_file("CT_small.dcm"), not_films[2])

    results = {Path(r.path).name: r for r in
               screen_paths(router, [*children, adult, blurred, *not_films], safety=safety)}

    for path in children:
        result = results[path.name]
        assert result.status == STATUS_OK and result.warnings == () and 0 <= result.quality <= 100, result
        assert result.probabilities == pytest.approx(
            dict(zip(classifier.bundle.labels, classifier.classify_file(path).probabilities)), abs=1e-6)
    for path in not_films:
        result = results[path.name]
        assert (result.status, result.reason) == (STATUS_REJECTED, NOT_A_CHEST_FILM), result
        assert result.message.startswith("not scored:") and result.probabilities == {} and result.prediction == ""
    adult_result = results["adult.jpg"]
    assert adult_result.status == STATUS_NOT_VALIDATED and adult_result.flagged is True, adult_result
    assert adult_result.warnings[0].startswith(NOT_VALIDATED)
    blurred_result = results["blurred.png"]
    assert blurred_result.quality < safety.quality.threshold
    assert any("image quality is poor" in text for text in blurred_result.warnings)


def test_screening_refuses_to_start_without_intact_safety_models(tmp_path: Path) -> None:
    """An altered safety model is not skipped: the screener stops and says why."""
    from desktop import paths

    models = tmp_path / "models"
    shutil.copytree(MODELS / "pneumonia-pediatric", models / "pneumonia-pediatric")
    shutil.copytree(SAFETY_DIR, models / paths.SAFETY_DIR_NAME)
    model_file = next((models / paths.SAFETY_DIR_NAME).glob("*.tflite"))
    data = bytearray(model_file.read_bytes())
    data[len(data) // 2] ^= 0xFF
    model_file.write_bytes(bytes(data))
    # Frozen layout: the app searches models/ beside the executable; emulate it for the child.
    prelude = (f"import sys; sys.frozen = True; sys.executable = {str(tmp_path / 'app')!r}; "
               f"sys._MEIPASS = {str(tmp_path)!r}\n")
    done = run_desktop(["screen", str(sample_films()[0]), "--out", str(tmp_path / "r.csv"),
                        "--store", str(tmp_path / "s.sqlite3")], tmp_path / "data", prelude=prelude)
    assert done.returncode == 1, done.stderr
    assert "safety checks" in done.stderr and "altered or damaged" in done.stderr
    assert not (tmp_path / "r.csv").exists()


def test_patient_fields_only_in_opted_in_exports_and_never_in_logs(tmp_path: Path) -> None:
    film = to_uint8(decode_image(sample_films()[0])).astype(np.uint16) * 16
    folder = tmp_path / "in"
    folder.mkdir()
    write_dicom(folder / "study.dcm", film)
    damaged = write_dicom(folder / "damaged.dcm", film)
    damaged.write_bytes(damaged.read_bytes()[:-5000])  # header (with the name) readable, pixels cut
    data_dir = tmp_path / "data"
    logs = []
    for opt_in in (False, True):
        out = tmp_path / f"results-{opt_in}.csv"
        args = ["screen", str(folder), "--out", str(out), "--models-dir", str(MODELS), "--models-dir-only",
                "--model", "pneumonia-pediatric", "--store", str(tmp_path / f"s-{opt_in}.sqlite3"), "--verbose"]
        done = run_desktop(args + (["--include-patient-fields"] if opt_in else []), data_dir)
        assert done.returncode == 0, done.stderr
        text = out.read_text(encoding=ENCODING)
        assert ("study.dcm" in text) and ("damaged.dcm" in text)
        assert (PATIENT_NAME in text) == opt_in and ("P-42" in text) == opt_in
        logs += [done.stdout, done.stderr]
    logs += [path.read_text(encoding="utf-8", errors="replace") for path in data_dir.rglob("*.log")]
    for log in logs:
        assert PATIENT_NAME not in log and "DOE" not in log and "P-42" not in log
        assert max(map(len, log.splitlines()), default=0) < 2000  # no pixel dumps
