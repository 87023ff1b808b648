"""`converters.requantize` and `converters.edge_quantizer` on the tiny real model of `test_quantize`.

The tiny run is converted with float builds only (as a bundle whose Keras model is gone would be
left), then given an int8 build made from its float32 build; the tests check that build is full
integer, judged by the card's own gate limits against the float32 build, timed beside the others,
chosen as default only by the converter's rule, and that the rewritten bundle loads and reproduces
its reference outputs. The selection rule and the validation margin are tested on their own.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from cxrcore.bundle import load_bundle
from cxrcore.classifier import Classifier
from cxrcore.signing import SIGNATURE_FILE
from converters.card import write_card
from converters.drift import GateLimits, gate_reasons
from converters.references import check_reference_outputs
from converters.requantize import choose_float_ops, disagreement_bound_reason
from tests.converters.test_quantize import LOOSE_LIMITS, quantize_cli, tiny_run

pytestmark = pytest.mark.slow

#: Warnings put on the float-only bundle's card: one about fitting, which stays, and one about a default
#: build that no longer is, which the requantized card must not keep.
FITTING_WARNING = "fitting: a warning that is not about the default build"
STALE_DEFAULT_WARNING = "the default build (stale) reaches 0.0% sensitivity for PNEUMONIA on validation"


@pytest.fixture(scope="module")
def float_bundle(tmp_path_factory: pytest.TempPathFactory, kermany_root: Path) -> Path:
    """The tiny run as a bundle of float32 and float16 builds only, signed-looking (a stale signature file)."""
    base = tmp_path_factory.getbasetemp()
    out = base / "models" / "tiny-float-only"
    if not out.is_dir():
        assert quantize_cli(tiny_run(base, kermany_root), kermany_root, out, base / "cache", *LOOSE_LIMITS,
                            "--builds", "float32,float16") == 0
        card = json.loads((out / "card.json").read_text())
        card["warnings"] = [FITTING_WARNING, STALE_DEFAULT_WARNING]
        for derived in ("files", "card_sha256", "schema_version", "preprocessing_id"):
            card.pop(derived)
        write_card(out, card)
        (out / SIGNATURE_FILE).write_text("{}")  # signs the card about to be replaced
    return out


@pytest.fixture(scope="module")
def requantized(float_bundle: Path, tmp_path_factory: pytest.TempPathFactory, kermany_root: Path) -> tuple[Path, int]:
    from converters.requantize import main

    bundle = tmp_path_factory.mktemp("requantized") / "tiny"
    status = main(["--bundle", str(float_bundle), "--out", str(bundle), "--data", str(kermany_root),
                   "--calibration-size", "32",
                   "--latency-runs", "3", "--max-float-ops", "2", "--version", "0.0.2-test",
                   "--cache-dir", str(tmp_path_factory.getbasetemp() / "cache")])
    return bundle, status


def test_the_int8_build_is_full_integer_and_judged_by_the_cards_gate(requantized: tuple[Path, int]) -> None:
    directory, status = requantized
    bundle = load_bundle(directory)  # every hash verified
    int8 = bundle.builds["int8"]
    assert status == (0 if int8["status"] == "passed" else 1)
    assert int8["reasons"] == gate_reasons(int8["drift"], GateLimits(**bundle.card["evaluation"]["gate_limits"]))
    assert "float32 build" in int8["drift_reference"] and "float32 build" in (directory / "drift.md").read_text()
    with Classifier(bundle, "int8", accelerator="cpu") as classifier:
        assert classifier.engine.input_info.dtype == "int8" and classifier.engine.output_info.dtype == "int8"
    method = bundle.card["evaluation"]["int8"]
    assert method["made_by"].startswith("python -m converters.requantize --bundle ")
    assert method["calibration_films"].startswith("32 TRAIN films") and "ai-edge-quantizer" in method["quantizer"]
    assert method["weight_rounding"].startswith("GPTQ") and method["bias_correction"].startswith("per channel")
    assert "GPTQ weight rounding, bias correction" in bundle.card["selective_int8"]["summary"]
    assert bundle.version == "0.0.2-test"


def test_the_default_builds_validation_check_is_made_again(requantized: tuple[Path, int]) -> None:
    """The warning about the old default build goes, the others stay, and the new default is checked."""
    bundle = load_bundle(requantized[0])
    warnings = bundle.card["warnings"]
    assert FITTING_WARNING in warnings and STALE_DEFAULT_WARNING not in warnings
    about_default = [text for text in warnings if text.startswith("the default build (")]
    assert all(text.startswith(f"the default build ({bundle.default_build})") for text in about_default)
    assert json.loads((requantized[0] / "drift.json").read_text())["warnings"] == warnings


def test_the_float_builds_keep_their_figures_and_are_timed_again(float_bundle: Path,
                                                                 requantized: tuple[Path, int]) -> None:
    before, after = load_bundle(float_bundle).card, load_bundle(requantized[0]).card
    for kind in ("float32", "float16"):
        assert after["builds"][kind]["test_metrics"] == before["builds"][kind]["test_metrics"]
        assert after["builds"][kind]["drift"] == before["builds"][kind]["drift"]
        assert set(after["builds"][kind]["latency_ms"]) == {"1", "2"}
    timings = {kind: build["latency_ms"]["2"]["median_ms"] for kind, build in after["builds"].items()
               if build["status"] == "passed"}
    assert after["default_build"] == min(timings, key=timings.__getitem__)
    report = json.loads((requantized[0] / "drift.json").read_text())
    assert report["default_build"] == after["default_build"] and report["builds"]["int8"]["drift"] == \
        after["builds"]["int8"]["drift"]


def test_the_rewritten_bundle_reproduces_its_references_and_drops_the_stale_signature(
        requantized: tuple[Path, int]) -> None:
    bundle = load_bundle(requantized[0])
    assert check_reference_outputs(bundle) == []
    assert not (requantized[0] / SIGNATURE_FILE).exists()
    int8_references = [entry for entry in bundle.reference_outputs if entry["build"] == "int8"]
    assert bool(int8_references) == (bundle.builds["int8"]["status"] == "passed")


def test_a_bundle_without_a_float32_build_is_refused(float_bundle: Path, kermany_root: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    from converters.card import write_card
    from converters.requantize import main

    bundle = tmp_path / "bundle"
    shutil.copytree(float_bundle, bundle)
    card = load_bundle(bundle).card
    card["builds"]["float32"]["drift"]["agreement"] = 0.99  # a float32 build that is not the Keras model
    write_card(bundle, card)
    assert main(["--bundle", str(bundle), "--out", str(bundle), "--data", str(kermany_root)]) == 2
    assert "does not agree with the Keras model" in capsys.readouterr().err


def test_the_source_bundle_is_left_as_it_was_and_an_existing_out_is_refused(
        float_bundle: Path, requantized: tuple[Path, int], kermany_root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from converters.requantize import main

    source = load_bundle(float_bundle)
    assert "int8" not in source.builds and (float_bundle / SIGNATURE_FILE).exists()
    assert not (float_bundle / "model_int8.tflite").exists()
    assert main(["--bundle", str(float_bundle), "--out", str(requantized[0]), "--data", str(kermany_root)]) == 2
    assert "exists; give a new folder" in capsys.readouterr().err


def test_ops_kept_in_float_stay_float(float_bundle: Path, kermany_root: Path) -> None:
    from ai_edge_litert.interpreter import Interpreter

    from converters import edge_quantizer

    float_model = load_bundle(float_bundle).build_path("float32").read_bytes()
    inputs = np.random.default_rng(0).uniform(-1, 1, (8, 64, 64, 1)).astype(np.float32)
    calibration = edge_quantizer.calibrate(float_model, inputs)
    ops = edge_quantizer.quantizable_ops(float_model)
    first_conv = ops[0]

    def dtype_of(model: bytes, name: str) -> np.dtype:
        interpreter = Interpreter(model_content=model)
        return {detail["name"]: detail["dtype"] for detail in interpreter.get_tensor_details()}[name]

    assert dtype_of(edge_quantizer.quantize(calibration), first_conv) == np.int8
    assert dtype_of(edge_quantizer.quantize(calibration, [first_conv]), first_conv) == np.float32
    assert calibration.films == 8
    input_range = calibration.ranges[Interpreter(model_content=float_model).get_input_details()[0]["name"]]
    assert float(np.min(input_range["min"])) == pytest.approx(inputs.min())  # the global range, not an average
    assert float(np.max(input_range["max"])) == pytest.approx(inputs.max())


def test_float_ops_are_added_best_first_only_after_full_int8_is_refused() -> None:
    built: list[list[str]] = []

    def build(ops: list[str]) -> bytes:
        built.append(ops)
        return ",".join(ops).encode()

    def refused(model: bytes) -> tuple[list[str], float]:
        return ["refused"], 0.02

    ranking = [{"op": name} for name in ("a", "b", "c", "d")]
    passes_with_b = choose_float_ops(build, lambda model: ([], 0.0) if b"b" in model else refused(model),
                                     lambda: ranking, 3)
    assert built == [[], ["a"], ["a", "b"]] and passes_with_b.float_ops == ["a", "b"]
    assert passes_with_b.passed_validation and passes_with_b.tflite == b"a,b"

    built.clear()
    full = choose_float_ops(build, lambda model: ([], 0.0), lambda: pytest.fail("ranked although full int8 passed"), 3)
    assert built == [[]] and full.float_ops == [] and full.passed_validation


def test_when_no_candidate_passes_the_one_that_disagrees_least_on_validation_goes_to_test() -> None:
    disagreement = {b"": 0.03, b"a": 0.012, b"a,b": 0.02, b"a,b,c": 0.012}
    never = choose_float_ops(lambda ops: ",".join(ops).encode(), lambda model: (["refused"], disagreement[model]),
                             lambda: [{"op": name} for name in ("a", "b", "c", "d")], 3)
    assert not never.passed_validation and len(never.tried) == 4
    assert never.float_ops == ["a"] and never.tflite == b"a"  # the fewest float ops among the least disagreeing
    assert [tried.validation_disagreement for tried in never.tried] == [0.03, 0.012, 0.02, 0.012]


@pytest.mark.parametrize(("flips", "refused"), [(0, False), (2, False), (3, True), (8, True)])
def test_validation_needs_the_disagreements_upper_bound_within_the_limit(flips: int, refused: bool) -> None:
    films = 779
    drift = {"agreement": 1 - flips / films}
    assert bool(disagreement_bound_reason(drift, films, GateLimits())) is refused
