"""The command line end to end, each in a fresh interpreter: headless screening and its resume,
no TensorFlow/Keras/Qt and no socket on that path, exit codes, and the packaging self-test."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pytest

import desktop.cli
from cxrcore.bundle import load_bundle
from cxrcore.classifier import Classifier
from desktop.reports.csv_export import ENCODING
from tests.factories import sample_films
from tests.desktop_support import (
    FAKE_SAFETY_PRELUDE, calibrated_bundle, film_folder, kermany_films, rewrite_card, run_desktop,
)
from tests.factories import PEDIATRIC_POPULATION

pytestmark = pytest.mark.slow

#: Runs before the CLI in the child: refuse any network use, and report heavy imports at exit.
GUARD = """
import atexit, json, sys
def _no_network(event, args):
    if event.startswith("socket.") :
        raise RuntimeError(f"network use attempted: {event}")
sys.addaudithook(_no_network)
atexit.register(lambda: print("MODULES " + json.dumps(sorted(
    {m.split('.')[0] for m in sys.modules} & {"tensorflow", "keras", "PySide6", "torch"}))))
"""


@pytest.fixture()
def models(tmp_path: Path, tiny_tflite: bytes) -> Path:
    calibrated_bundle(tmp_path / "models" / "tiny-bundle", tiny_tflite, population=PEDIATRIC_POPULATION)
    return tmp_path / "models"


def screen(paths: list[Path], out: Path, models: Path, store: Path, data: Path, prelude: str = "",
           model: str = "tiny-bundle"):
    """``screen`` with `FakeSafety` (every film a child's): these tests are about the command's mechanics."""
    args = ["screen", *map(str, paths), "--out", str(out), "--models-dir", str(models), "--models-dir-only",
            "--model", model, "--store", str(store), "--threads", "1"]
    return run_desktop(args, data, prelude=FAKE_SAFETY_PRELUDE + prelude)


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding=ENCODING, newline="") as stream:
        return list(csv.DictReader(stream))


def test_headless_screen_end_to_end_without_tf_qt_or_network(tmp_path: Path, models: Path, kermany_root: Path) -> None:
    films = kermany_films(kermany_root, 10)
    folder = film_folder(tmp_path / "in", films)
    out = tmp_path / "out" / "results.csv"

    done = screen([folder], out, models, tmp_path / "store.sqlite3", tmp_path / "data", prelude=GUARD, model="auto")

    assert done.returncode == 0, done.stderr
    assert "MODULES []" in done.stdout
    assert "21 file(s): 21 screened" in done.stdout
    assert "Models (routed by population): tiny-bundle 0.0.1-test float32" in done.stderr
    rows = {Path(row["path"]).name: row for row in read_csv(out)}
    assert len(rows) == 21
    assert rows["corrupt.jpg"]["status"] == "error" and rows["corrupt.jpg"]["message"]
    classifier = Classifier(load_bundle(models / "tiny-bundle"), threads=1)
    for film in films:
        row, expected = rows[film.name], classifier.classify_file(film).decision
        assert (row["status"], row["prediction"]) == ("ok", expected.prediction)
        assert float(row["p_PNEUMONIA"]) == pytest.approx(expected.probabilities["PNEUMONIA"], abs=1e-6)
        assert row["flagged"] == str(float(row["p_PNEUMONIA"]) >= 0.5).lower()
        assert row["model"] == "tiny-bundle 0.0.1-test float32"
    classifier.close()


def test_bad_model_arguments_exit_2_and_name_what_is_available(tmp_path: Path, models: Path, tiny_tflite: bytes) -> None:
    film = sample_films()[0]
    calibrated_bundle(models / "no-population", tiny_tflite)
    build_with_auto = run_desktop(["screen", str(film), "--out", str(tmp_path / "x.csv"), "--models-dir", str(models),
                                   "--models-dir-only", "--build", "float32"], tmp_path / "data")
    unknown = screen([film], tmp_path / "x.csv", models, tmp_path / "s.sqlite3", tmp_path / "data", model="nope")
    assert build_with_auto.returncode == unknown.returncode == 2
    assert "--build needs --model NAME" in build_with_auto.stderr
    assert "no valid model named 'nope'; available: auto, no-population, tiny-bundle" in unknown.stderr
    assert not (tmp_path / "x.csv").exists()


def test_rerun_with_more_files_resumes_and_screens_only_the_new_ones(tmp_path: Path, models: Path, kermany_root: Path) -> None:
    films = kermany_films(kermany_root, 10)
    store, out, data = tmp_path / "store.sqlite3", tmp_path / "results.csv", tmp_path / "data"
    first = film_folder(tmp_path / "in", films[:5] + films[10:15], corrupt=False)

    assert screen([first], out, models, store, data).returncode == 0
    film_folder(first, films[5:10] + films[15:], corrupt=False)
    again = screen([first], out, models, store, data)

    assert again.returncode == 0, again.stderr
    assert "20 file(s): 10 screened, 10 resumed" in again.stdout
    assert len(read_csv(out)) == 20
    with sqlite3.connect(store) as database:
        audited = [row[0] for row in database.execute("SELECT path FROM audit")]
        stored = database.execute("SELECT COUNT(*) FROM results").fetchone()[0]
    assert len(audited) == len(set(audited)) == 20 and stored == 20


def test_no_usable_model_exits_2_with_directions(tmp_path: Path, kermany_root: Path) -> None:
    done = run_desktop(["screen", str(kermany_films(kermany_root, 1)[0]), "--out", str(tmp_path / "x.csv"),
                        "--models-dir", str(tmp_path / "none"), "--models-dir-only"], tmp_path / "data")
    assert done.returncode == 2
    assert "No usable model bundle" in done.stderr and "--models-dir" in done.stderr
    assert not (tmp_path / "x.csv").exists()


def test_importing_the_package_loads_neither_qt_nor_a_runtime(tmp_path: Path) -> None:
    done = run_desktop(["--help"], tmp_path, prelude=GUARD + "\nimport desktop, desktop.cli, desktop.headless\n")
    assert done.returncode == 0 and "MODULES []" in done.stdout


def test_window_code_defers_heavy_imports_until_needed(tmp_path: Path) -> None:
    """Start-up speed: the report library, DICOM reader and runtime load only when used."""
    prelude = ("import json, sys\nimport desktop.ui.main_window, desktop.ui.app\n"
               "print('HEAVY ' + json.dumps(sorted({m.split('.')[0] for m in sys.modules} & "
               "{'reportlab', 'pydicom', 'ai_edge_litert', 'tensorflow', 'keras'})))\n")
    done = run_desktop(["--help"], tmp_path, prelude=prelude)
    assert done.returncode == 0 and "HEAVY []" in done.stdout, done.stdout + done.stderr


def test_self_test_passes_on_a_good_bundle(tmp_path: Path, models: Path) -> None:
    done = run_desktop(["--self-test", "--models-dir", str(models), "--models-dir-only"], tmp_path / "data")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "PASS  tiny-bundle 0.0.1-test  build=float32  runtime=LiteRT" in done.stdout
    assert done.stdout.rstrip().endswith("RESULT: PASS")


def test_self_test_fails_when_reference_probabilities_were_altered(tmp_path: Path, models: Path) -> None:
    def shift(card: dict) -> None:
        card["reference_outputs"][0]["probabilities"] = [p + 0.01 * s for p, s in
                                                        zip(card["reference_outputs"][0]["probabilities"], (1, -1))]

    rewrite_card(models / "tiny-bundle", shift)
    assert load_bundle(models / "tiny-bundle")  # still a valid bundle: only the numbers lie
    done = run_desktop(["--self-test", "--models-dir", str(models), "--models-dir-only"], tmp_path / "data")
    assert done.returncode == 1
    assert "FAIL  tiny-bundle" in done.stdout and "> tolerance" in done.stdout


def test_self_test_fails_on_an_altered_model_file_and_on_no_bundle(tmp_path: Path, models: Path) -> None:
    tflite = models / "tiny-bundle" / "model_float32.tflite"
    tflite.write_bytes(tflite.read_bytes()[:-1] + b"\x00")
    done = run_desktop(["--self-test", "--models-dir", str(models), "--models-dir-only"], tmp_path / "data")
    assert done.returncode == 1
    assert "SHA-256" in done.stdout and "RESULT: FAIL" in done.stdout
    empty = run_desktop(["--self-test", "--models-dir", str(tmp_path / "none"), "--models-dir-only"], tmp_path / "data")
    assert empty.returncode == 1 and "no model bundle found" in empty.stdout


def test_a_missing_input_exits_1_and_keeps_its_error_row(tmp_path: Path, models: Path) -> None:
    film, missing, out = sample_films()[0], tmp_path / "no-such-folder", tmp_path / "results.csv"

    done = screen([film, missing], out, models, tmp_path / "store.sqlite3", tmp_path / "data")

    assert done.returncode == 1, done.stderr
    assert f"error: 1 input(s) do not exist (an error row each): {missing}" in done.stderr
    rows = {row["path"]: row for row in read_csv(out)}
    assert rows[str(missing)]["status"] == "error" and rows[str(film)]["status"] == "ok"


def test_nothing_screenable_exits_1_with_the_csv_written(tmp_path: Path, models: Path) -> None:
    folder, out = film_folder(tmp_path / "in", []), tmp_path / "results.csv"  # only a corrupt file

    done = screen([folder], out, models, tmp_path / "store.sqlite3", tmp_path / "data")

    assert done.returncode == 1, done.stderr
    assert "error: no film could be screened: all 1 row(s) are errors" in done.stderr
    assert [row["status"] for row in read_csv(out)] == ["error"]


def test_a_pdf_that_cannot_be_written_exits_1_with_the_csv_written(tmp_path: Path, models: Path) -> None:
    film, out = sample_films()[0], tmp_path / "results.csv"
    (tmp_path / "a-file").write_text("not a folder")
    report = tmp_path / "a-file" / "report.pdf"

    done = screen([film, "--pdf", report], out, models, tmp_path / "store.sqlite3", tmp_path / "data")

    assert done.returncode == 1, done.stderr
    assert f"error: cannot write the PDF report {report}: " in done.stderr
    assert [row["status"] for row in read_csv(out)] == ["ok"]


def test_the_pdf_goes_into_a_folder_made_for_it_as_the_csv_does(tmp_path: Path, models: Path) -> None:
    film, out = sample_films()[0], tmp_path / "new" / "results.csv"
    report = tmp_path / "reports" / "today" / "report.pdf"

    done = screen([film, "--pdf", report], out, models, tmp_path / "store.sqlite3", tmp_path / "data")

    assert done.returncode == 0, done.stderr
    assert report.read_bytes().startswith(b"%PDF") and out.is_file()


def test_screen_help_documents_the_exit_codes(tmp_path: Path) -> None:
    done = run_desktop(["screen", "--help"], tmp_path)
    text = " ".join(done.stdout.split())  # argparse wraps the epilog
    assert done.returncode == 0
    assert "1 an input does not exist or no film could be screened" in text and "130 interrupted" in text


def test_every_command_keeps_freed_array_memory_before_anything_else(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(desktop.cli, "keep_freed_memory", lambda: calls.append("set") or True)
    # help exits while parsing, so a call seen here came before the command's own arguments were read
    # (``receive``/``watch`` would first route native stderr to the user's log: not done in this process)
    for command in (["screen", "--help"], ["--help"]):
        with pytest.raises(SystemExit):
            desktop.cli.main(command)
    assert calls == ["set"] * 2
