"""The converter end to end on a tiny but real model: real Kermany films, a real run folder, all four builds.

A small CNN is trained for a few epochs on 64 Kermany training films at 64×64 (its accuracy is
poor and irrelevant); the run folder follows the trainer contract (best.keras, run.json,
split.csv over real files). The CLI then converts it, and the tests check the bundle as the app
and the self-test will read it, and that the card's numbers are what the files do.
"""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from cxrcore.bundle import BUILD_KINDS, load_bundle
from cxrcore.classifier import Classifier
from cxrcore.preprocess import InputSpec, load_resized_gray, to_model_input
from tests.conftest import REPO_ROOT, SHARED_DATA
from trainer.run_folder import write_run_info

pytestmark = pytest.mark.slow

SAFETY_DIR = REPO_ROOT / "models" / "_safety"

LABELS = ("NORMAL", "PNEUMONIA")
SPEC = InputSpec(height=64, width=64, channels=1)
PER_CLASS = {"train": 32, "val": 20, "test": 20}
#: Two films of the tiny 40-film test split: a 1 % limit would mean "not one film may flip".
LOOSE_LIMITS = ["--max-disagreement", "0.05", "--max-accuracy-drop", "0.05", "--max-sensitivity-drop", "0.05"]


def patient_of(file_name: str) -> str:
    """Kermany patient key: ``personN`` for pneumonia films, ``IM-xxxx`` for normals (NORMAL2- prefix dropped)."""
    name = file_name.removeprefix("NORMAL2-")
    return name.split("_")[0] if name.startswith("person") else "-".join(name.split("-")[:2])


def pick_rows(kermany_root: Path) -> list[tuple[str, str, str]]:
    """(relative path, label, split): train from the start of each sorted official-train class folder,
    val from its end (patient-disjoint from train, checked), test from the official test folder."""
    rows = []
    for label in LABELS:
        train_files = sorted((kermany_root / "chest_xray" / "train" / label).glob("*.jpeg"))
        test_files = sorted((kermany_root / "chest_xray" / "test" / label).glob("*.jpeg"))
        chosen = {
            "train": train_files[: PER_CLASS["train"]],
            "val": train_files[-PER_CLASS["val"] :],
            "test": test_files[: PER_CLASS["test"]],
        }
        assert not {patient_of(p.name) for p in chosen["train"]} & {patient_of(p.name) for p in chosen["val"]}
        rows += [(p.relative_to(kermany_root).as_posix(), label, split)
                 for split, files in chosen.items() for p in files]
    return rows


def write_run_folder(run_dir: Path, data_root: Path, rows: list[tuple[str, str, str]], model_file: Path) -> Path:
    """A run folder per the trainer contract around an existing ``best.keras``; returns the model path."""
    run_dir.mkdir(parents=True, exist_ok=True)
    model_path = run_dir / "best.keras"
    if model_file != model_path:
        shutil.copyfile(model_file, model_path)
    with open(run_dir / "split.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["path", "label", "patient_id", "split", "sha256"])
        for path, label, split in rows:
            digest = hashlib.sha256((data_root / path).read_bytes()).hexdigest()
            writer.writerow([path, label, patient_of(Path(path).name), split, digest])
    run = {
        "recipe": "test-tiny",
        "model": "tiny-cnn",
        "labels": list(LABELS),
        "abnormal_labels": ["PNEUMONIA"],
        "input": SPEC.to_dict(),
        "output_activation": "softmax",
        "dataset": {"kind": "kermany", "root": str(data_root)},
        "split_manifest_sha256": hashlib.sha256((run_dir / "split.csv").read_bytes()).hexdigest(),
        "command": "tests/converters/test_quantize.py",
        "backend": "tensorflow",
        "hardware": "cpu",
        "epochs_run": 20,
        "wall_time_s": 0.0,
        "seed": 0,
    }
    write_run_info(run_dir, run)
    return model_path


def train_tiny_model(kermany_root: Path, rows: list[tuple[str, str, str]], path: Path) -> None:
    """A 3-conv CNN, 20 epochs on the 64 training films (seeded), saved as ``.keras``."""
    import keras

    train = [(p, label) for p, label, split in rows if split == "train"]
    x = to_model_input(np.stack([load_resized_gray(kermany_root / p, SPEC.height, SPEC.width) for p, _ in train]), SPEC)
    y = np.array([LABELS.index(label) for _, label in train])
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input((SPEC.height, SPEC.width, SPEC.channels)),
            keras.layers.Conv2D(8, 3, strides=2, activation="relu"),
            keras.layers.Conv2D(16, 3, strides=2, activation="relu"),
            keras.layers.Conv2D(16, 3, strides=2, activation="relu"),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(len(LABELS), activation="softmax"),
        ]
    )
    model.compile(keras.optimizers.Adam(1e-2), "sparse_categorical_crossentropy")
    model.fit(x, y, batch_size=16, epochs=20, verbose=0)
    model.save(path)


def tiny_run(base: Path, kermany_root: Path) -> Path:
    """The trained tiny run folder under the session's base temp, built once and shared by test modules."""
    run_dir = base / "tiny-run"
    model_path = run_dir / "best.keras"
    if not model_path.is_file():
        rows = pick_rows(kermany_root)
        run_dir.mkdir(parents=True)
        train_tiny_model(kermany_root, rows, run_dir / "trained.keras")
        write_run_folder(run_dir, kermany_root, rows, run_dir / "trained.keras")
    return model_path


def quantize_cli(model: Path, data: Path, out: Path, cache: Path, *extra: str) -> int:
    from converters.quantize import main

    return main(["--model", str(model), "--data", str(data), "--out", str(out), "--calibration-size", "32",
                 "--latency-runs", "5", "--cache-dir", str(cache), *extra])


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory, kermany_root: Path) -> tuple[Path, Path, int]:
    """(run model path, bundle folder, CLI exit status) of one conversion with every build."""
    base = tmp_path_factory.getbasetemp()
    model = tiny_run(base, kermany_root)
    extra = base / "card-extra.json"
    extra.write_text(json.dumps({"intended_use": "test fixture only", "limitations": ["tiny test model"]}))
    out = base / "models" / "tiny-bundle"
    status = quantize_cli(model, kermany_root, out, base / "cache", *LOOSE_LIMITS, "--card-extra", str(extra),
                          "--version", "0.0.1-test", "--safety-dir", str(SAFETY_DIR))
    return model, out, status


def test_cli_writes_all_four_builds_into_a_valid_bundle(converted: tuple[Path, Path, int]) -> None:
    model, out, status = converted
    assert status == 0
    bundle = load_bundle(out)
    assert sorted(bundle.card["builds"]) == sorted(BUILD_KINDS)
    assert sorted(bundle.usable_builds) == sorted(BUILD_KINDS)
    for kind in BUILD_KINDS:
        build = bundle.card["builds"][kind]
        assert build["file"] == f"model_{kind}.tflite"
        assert build["size_bytes"] == (out / build["file"]).stat().st_size
        assert set(build["latency_ms"]) == {"1", "2"}
        Classifier(bundle, kind, accelerator="cpu")
    assert (out / "split.csv").read_bytes() == (model.parent / "split.csv").read_bytes()
    assert {"split.csv", "drift.json", "drift.md"} <= set(bundle.card["files"])
    assert bundle.card["created_by"].startswith("python -m converters.quantize --model ")
    assert bundle.card["intended_use"] == "test fixture only" and bundle.card["limitations"] == ["tiny test model"]
    assert bundle.version == "0.0.1-test" and bundle.name == "tiny-bundle"


def test_card_holds_the_safety_checks_figures(converted: tuple[Path, Path, int]) -> None:
    from converters.safety_card import safety_checks_section

    section = load_bundle(converted[1]).card["safety_checks"]
    assert section == safety_checks_section(SAFETY_DIR, None)
    assert section["population"] is None  # the tiny bundle's card names no population
    assert all(entry["films"] > 0 for entry in section["gate"]["non_chest_test_images_refused"].values())
    assert {"kermany test", "radiography test", "chestxray8 test", "covidnet test"} <= set(
        section["gate"]["frontal_test_films_refused"])


def test_builds_are_what_their_names_say(converted: tuple[Path, Path, int]) -> None:
    bundle = load_bundle(converted[1])
    sizes = {kind: bundle.card["builds"][kind]["size_bytes"] for kind in BUILD_KINDS}
    assert sizes["float16"] < sizes["float32"] and sizes["dynamic"] < sizes["float16"]
    int8 = Classifier(bundle, "int8", accelerator="cpu").engine
    assert int8.input_info.dtype == "int8" and int8.output_info.dtype == "int8"
    assert Classifier(bundle, "float32", accelerator="cpu").engine.input_info.dtype == "float32"


def test_drift_numbers_are_internally_consistent(converted: tuple[Path, Path, int]) -> None:
    out = converted[1]
    report = json.loads((out / "drift.json").read_text())
    float32 = report["builds"]["float32"]["drift"]
    assert float32["agreement"] == 1.0
    assert float32["max_abs_dprob"] < 1e-5
    assert float32["snr_db"] is None or float32["snr_db"] > 80
    for kind, build in report["builds"].items():
        drift = build["drift"]
        assert 0.0 <= drift["mean_abs_dprob"] <= drift["max_abs_dprob"] <= 1.0
        accuracy_change = build["test_metrics"]["accuracy"] - report["reference_metrics"]["accuracy"]
        assert drift["accuracy_change"] == pytest.approx(accuracy_change)
        assert build["test_metrics"]["n_images"] == 40
    quantized = [report["builds"][kind]["drift"]["snr_db"] for kind in ("dynamic", "int8")]
    assert all(20 < snr < float32["snr_db"] for snr in quantized), "quantized builds must be noisier than float32"
    card = json.loads((out / "card.json").read_text())
    assert card["builds"]["int8"]["drift"] == report["builds"]["int8"]["drift"]
    markdown = (out / "drift.md").read_text()
    assert "| int8 | passed |" in markdown and "Default build" in markdown


def test_default_build_is_the_fastest_passed_at_two_threads(converted: tuple[Path, Path, int]) -> None:
    card = load_bundle(converted[1]).card
    timings = {kind: build["latency_ms"]["2"]["median_ms"] for kind, build in card["builds"].items()
               if build["status"] == "passed"}
    assert card["default_build"] == min(timings, key=timings.__getitem__)
    assert card["default_build"] in card["default_build_reason"]


def test_calibration_and_operating_point_are_fitted_on_validation(converted: tuple[Path, Path, int]) -> None:
    card = load_bundle(converted[1]).card
    calibration = card["calibration"]
    assert calibration["temperature"] > 0 and calibration["ece_bins"] == 15
    assert calibration["nll_after"] <= calibration["nll_before"] + 1e-12
    assert calibration["n_images"] == 40 and "validation" in calibration["fitted_on"]
    validation = card["threshold_selection"]["validation_metrics"]["at_threshold"]["PNEUMONIA"]
    assert validation["threshold"] == card["thresholds"]["PNEUMONIA"]
    assert validation["sensitivity"] >= card["threshold_selection"]["target_sensitivity"]


def test_card_metrics_are_what_the_files_do(converted: tuple[Path, Path, int], tmp_path: Path) -> None:
    from converters.recheck import data_root, headline_mismatches, remeasure

    bundle = load_bundle(converted[1])
    for kind in bundle.usable_builds:
        measured = remeasure(bundle, kind, data_root(bundle, SHARED_DATA), cache_dir=tmp_path)
        assert headline_mismatches(bundle.card["builds"][kind]["test_metrics"], measured) == [], kind


def _rewrite_test_metrics(bundle_dir: Path, change) -> None:
    """Apply ``change`` to every build's test metrics in card.json and drift.json, then re-seal the card."""
    from converters.card import write_card

    report = json.loads((bundle_dir / "drift.json").read_text())
    for build in report["builds"].values():
        change(build["test_metrics"])
    (bundle_dir / "drift.json").write_text(json.dumps(report))
    card = load_bundle(bundle_dir, verify_hashes=False).card
    for build in card["builds"].values():
        change(build["test_metrics"])
    write_card(bundle_dir, card)


def test_recheck_command_adds_intervals_to_an_older_card_but_never_changes_a_claim(
    converted: tuple[Path, Path, int], kermany_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    from converters.recheck import main

    bundle = tmp_path / "bundle"
    shutil.copytree(converted[1], bundle)
    measured = {kind: build["test_metrics"]["ci95"] for kind, build in load_bundle(bundle).card["builds"].items()}
    _rewrite_test_metrics(bundle, lambda metrics: metrics.pop("ci95"))  # a card built before intervals existed
    args = ["--bundle", str(bundle), "--data", str(kermany_root), "--cache-dir", str(tmp_path / "cache")]
    assert main(args) == 1
    assert "the card states no intervals" in capsys.readouterr().out
    assert main([*args, "--update"]) == 0
    updated = load_bundle(bundle)  # hashes and seal hold after the rewrite
    assert {kind: build["test_metrics"]["ci95"] for kind, build in updated.card["builds"].items()} == measured
    report = json.loads((bundle / "drift.json").read_text())
    assert report["builds"]["int8"]["test_metrics"]["ci95"] == measured["int8"]
    assert "95% intervals of the test figures" in (bundle / "drift.md").read_text()
    assert main(args) == 0

    _rewrite_test_metrics(bundle, lambda metrics: metrics.update(accuracy=metrics["accuracy"] - 0.05))
    before = (bundle / "card.json").read_bytes()
    assert main([*args, "--update"]) == 1, "a card whose claim differs from its file is reported, never rewritten"
    assert "accuracy: card says" in capsys.readouterr().out
    assert (bundle / "card.json").read_bytes() == before


def test_reference_outputs_cover_every_build_and_reproduce(converted: tuple[Path, Path, int]) -> None:
    from converters.references import check_reference_outputs

    bundle = load_bundle(converted[1])
    references = bundle.card["reference_outputs"]
    films = sorted({entry["file"] for entry in references})
    assert len(films) == 4 and all(film.startswith("reference/") for film in films)
    assert {entry["build"] for entry in references} == set(BUILD_KINDS)
    assert {entry["tolerance"] for entry in references if entry["build"] in ("float32", "float16")} == {1e-4}
    assert {entry["tolerance"] for entry in references if entry["build"] in ("dynamic", "int8")} == {2e-3}
    assert check_reference_outputs(bundle) == []


def test_uint8_io_and_selective_int8_keep_chosen_layers_float(
    converted: tuple[Path, Path, int], kermany_root: Path
) -> None:
    """The int8 alternatives the CLI can take, on the same tiny model (no second CLI run)."""
    import keras
    from ai_edge_litert.interpreter import Interpreter

    from converters.builds import convert
    from converters.layer_debug import rank_layers, selective_int8

    model = keras.saving.load_model(converted[0], compile=False)
    rows = [p for p, _, split in pick_rows(kermany_root) if split == "train"][::4]
    inputs = to_model_input(np.stack([load_resized_gray(kermany_root / p, 64, 64) for p in rows]), SPEC)

    uint8 = Interpreter(model_content=convert(model, "int8", inputs, int8_io="uint8"))
    assert uint8.get_input_details()[0]["dtype"] == np.uint8

    ranking, calibrated = rank_layers(model, inputs, "int8")
    scores = [layer.rmse_per_scale for layer in ranking]
    assert len(ranking) >= 4 and scores == sorted(scores, reverse=True)
    attempts: list[int] = []

    def passes_from_two_layers(candidate: bytes) -> list[str]:
        attempts.append(len(candidate))
        return [] if len(attempts) >= 2 else ["still drifting"]

    result = selective_int8(calibrated, ranking, "int8", passes_from_two_layers, step=1, max_layers=5)
    assert result.passed_validation and [len(r.float_layers) for r in result.rounds] == [1, 2]
    assert result.float_layers == [layer.tensor_name for layer in ranking[:2]]
    interpreter = Interpreter(model_content=result.tflite)
    assert interpreter.get_input_details()[0]["dtype"] == np.int8
    ops = {op["op_name"] for op in interpreter._get_ops_details()}
    assert "DEQUANTIZE" in ops, "a layer kept in float needs its input dequantized"

    never = selective_int8(calibrated, ranking, "int8", lambda candidate: ["drifts"], step=2, max_layers=3)
    assert not never.passed_validation and [len(r.float_layers) for r in never.rounds] == [2, 3]


def test_card_extra_cannot_override_measurements(tmp_path: Path) -> None:
    from converters import ConversionError
    from converters.card import read_card_extra

    extra = tmp_path / "extra.json"
    extra.write_text(json.dumps({"task": "screening", "thresholds": {"PNEUMONIA": 0.1}}))
    with pytest.raises(ConversionError, match="thresholds"):
        read_card_extra(extra)
    extra.write_text(json.dumps({"task": "screening", "safety_checks": {"gate": "trust me"}}))
    with pytest.raises(ConversionError, match="safety_checks"):
        read_card_extra(extra)
    extra.write_text(json.dumps({"task": "screening", "limitations": "not a list"}))
    with pytest.raises(ConversionError, match="limitations"):
        read_card_extra(extra)


def test_safety_card_command_refuses_an_altered_safety_model_or_a_broken_bundle(
    converted: tuple[Path, Path, int], tmp_path: Path
) -> None:
    from converters.safety_card import main

    safety = tmp_path / "_safety"
    shutil.copytree(SAFETY_DIR, safety)
    (safety / "chest-film.tflite").write_bytes(b"altered")  # not the model the figures were measured on
    bundle = tmp_path / "bundle"
    shutil.copytree(converted[1], bundle)
    before = (bundle / "card.json").read_bytes()
    assert main([str(bundle), "--safety-dir", str(safety)]) == 1
    assert (bundle / "card.json").read_bytes() == before
    (bundle / "model_float32.tflite").write_bytes(b"altered")
    assert main([str(bundle), "--safety-dir", str(SAFETY_DIR)]) == 1
    assert (bundle / "card.json").read_bytes() == before
    assert main([str(tmp_path / "missing"), "--safety-dir", str(SAFETY_DIR)]) == 1


def test_card_command_rewrites_descriptions_and_nothing_measured(
    converted: tuple[Path, Path, int], tmp_path: Path
) -> None:
    from converters.card import main

    bundle = tmp_path / "bundle"
    shutil.copytree(converted[1], bundle)
    before = load_bundle(bundle).card
    extra = tmp_path / "extra.json"
    extra.write_text(json.dumps({"limitations": ["tiny test model", "a limitation measured later"]}))
    assert main([str(bundle), "--card-extra", str(extra)]) == 0
    after = load_bundle(bundle).card  # hashes and seal hold
    assert after["limitations"] == ["tiny test model", "a limitation measured later"]
    unchanged = {key for key in before if key not in ("limitations", "card_sha256")}
    assert {key: after[key] for key in unchanged} == {key: before[key] for key in unchanged}

    extra.write_text(json.dumps({"thresholds": {"PNEUMONIA": 0.01}}))
    written = (bundle / "card.json").read_bytes()
    assert main([str(bundle), "--card-extra", str(extra)]) == 1, "a measured field is never set by hand"
    (bundle / "model_float32.tflite").write_bytes(b"altered")
    extra.write_text(json.dumps({"task": "screening"}))
    assert main([str(bundle), "--card-extra", str(extra)]) == 1, "a bundle that fails its hashes is not re-sealed"
    assert (bundle / "card.json").read_bytes() == written


def test_cli_refuses_a_folder_that_is_not_a_run(tmp_path: Path) -> None:
    import subprocess
    import sys

    model = tmp_path / "best.keras"
    model.write_bytes(b"not a model")
    result = subprocess.run(
        [sys.executable, "-m", "converters.quantize", "--model", str(model), "--data", str(tmp_path), "--out",
         str(tmp_path / "out")],
        capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2], timeout=120,
    )
    assert result.returncode == 2
    assert "no run.json beside the model" in result.stderr


def test_benchmark_times_every_build_and_the_keras_model(
    converted: tuple[Path, Path, int], capsys: pytest.CaptureFixture
) -> None:
    from benchmarks.inference import main

    model, out, _ = converted
    assert main(["--bundle", str(out), "--model", str(model), "--threads", "1", "--runs", "3"]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if line.startswith("| ") and "---" not in line][1:]
    assert [row.split(" | ")[0].lstrip("| ") for row in rows] == [*BUILD_KINDS, "keras (float)"]
    assert rows[0].split(" | ")[6] == "1.00×", "float32 is its own baseline"


def test_stratified_sample_is_proportional_seeded_and_keeps_rare_labels() -> None:
    from converters.datasets import stratified_sample
    from trainer.data.manifest import SplitRow

    rows = [SplitRow(f"{label}/{i:04d}.png", label, f"p{i}", "train", "x") for label, count in
            (("NORMAL", 300), ("PNEUMONIA", 690), ("RARE", 10)) for i in range(count)]
    sample = stratified_sample(rows[::-1], 100, seed=7)
    counts = {label: sum(r.label == label for r in sample) for label in ("NORMAL", "PNEUMONIA", "RARE")}
    assert counts == {"NORMAL": 30, "PNEUMONIA": 69, "RARE": 1}
    assert sample == stratified_sample(rows, 100, seed=7), "input order must not matter"
    assert sample != stratified_sample(rows, 100, seed=8)
    assert len({r.path for r in sample}) == 100
    assert {r.label for r in stratified_sample(rows, 3, seed=0)} == {"NORMAL", "PNEUMONIA", "RARE"}
