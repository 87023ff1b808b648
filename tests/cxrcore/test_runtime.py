"""The LiteRT runtime chain: CPU works, GPU falls back with one plain sentence, outputs agree across engines."""

from __future__ import annotations

import gc
import logging
import os
from pathlib import Path

import numpy as np
import pytest

from cxrcore.bundle import load_bundle
from cxrcore.classifier import Classifier
from cxrcore.preprocess import preprocess_file
from cxrcore.runtime import (
    CompiledModelEngine, EngineError, InterpreterEngine, default_threads, native_stderr_to, open_engine,
)
from tests.factories import TINY_INPUT, sample_films


@pytest.fixture()
def model_path(tmp_path: Path, tiny_tflite: bytes) -> Path:
    path = tmp_path / "tiny.tflite"
    path.write_bytes(tiny_tflite)
    return path


def test_cpu_engines_agree(model_path: Path) -> None:
    batch = preprocess_file(sample_films()[0], TINY_INPUT)
    compiled = CompiledModelEngine(model_path, threads=1, use_gpu=False).run(batch)
    classic = InterpreterEngine(model_path, threads=1).run(batch)
    np.testing.assert_allclose(compiled, classic, atol=1e-6)
    assert compiled.shape == (1, 2)


@pytest.mark.parametrize("open_cpu_engine", [
    lambda path: CompiledModelEngine(path, threads=1, use_gpu=False), lambda path: InterpreterEngine(path, threads=1),
], ids=["compiled-model", "interpreter"])
def test_an_input_filled_in_place_gives_what_run_gives(model_path: Path, open_cpu_engine) -> None:
    films = [preprocess_file(film, TINY_INPUT) for film in sample_films()[:2]]
    engine = open_cpu_engine(model_path)
    for batch in films * 2:  # the input array is reused: nothing of the previous film may remain
        [filled] = engine.run_filled(lambda target, batch=batch: np.copyto(target, batch))
        assert filled.tobytes() == engine.run(batch).tobytes()
    with pytest.raises(ValueError, match="the model takes float32"):
        engine.run(films[0][0])
    engine.close()


@pytest.mark.parametrize(("accelerator", "threads", "sentence"), [
    ("auto", 1, "No usable GPU found; using the CPU (1 thread)."),
    ("gpu", 2, "No usable GPU found; using the CPU (2 threads)."),
])
def test_a_gpu_fallback_is_one_plain_sentence_and_the_reason_goes_to_the_log(
    model_path: Path, caplog: pytest.LogCaptureFixture, accelerator: str, threads: int, sentence: str
) -> None:
    with caplog.at_level(logging.INFO, logger="cxrcore.runtime"):
        engine = open_engine(model_path, accelerator=accelerator, threads=threads)
    assert "LiteRT" in engine.description
    if "GPU" in engine.description:
        pytest.skip("this machine has a usable GPU: nothing falls back")
    assert engine.fallback_notes == [sentence]
    assert "LiteRT CompiledModel GPU could not open" in caplog.text  # the backend's own words, for support


def test_cpu_never_tries_the_gpu(model_path: Path) -> None:
    engine = open_engine(model_path, accelerator="cpu", threads=2)
    assert engine.fallback_notes == [] and "CPU · 2 thread(s)" in engine.description


def test_the_cpu_engine_is_the_interpreter_which_lets_other_threads_run(model_path: Path) -> None:
    """CompiledModel's binding holds the GIL through an inference; the Interpreter's releases it, and the
    screening pipeline decodes beside inference. Both give the same outputs (`test_cpu_engines_agree`)."""
    engine = open_engine(model_path, accelerator="cpu", threads=1)
    assert engine.description.startswith("LiteRT Interpreter") and engine.threads == 1


def test_default_threads_are_half_the_cores_between_one_and_four(monkeypatch: pytest.MonkeyPatch) -> None:
    for cores, threads in ((None, 1), (1, 1), (2, 1), (4, 2), (8, 4), (32, 4)):
        monkeypatch.setattr(os, "cpu_count", lambda: cores)
        assert default_threads() == threads


def test_native_log_noise_stays_off_the_console(model_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    gc.collect()  # engines left by earlier tests die (and log) now, not inside the measured window
    capfd.readouterr()
    engine = open_engine(model_path, accelerator="auto", threads=1, log_path=model_path.with_suffix(".log"))
    engine.run(preprocess_file(sample_films()[0], TINY_INPUT))
    engine.close()
    captured = capfd.readouterr()
    assert "INFO:" not in captured.err and "WebGPU" not in captured.err
    assert "INFO:" not in model_path.with_suffix(".log").read_text()  # warnings and errors only


def test_native_log_keeps_warnings_and_errors_and_drops_the_rest(tmp_path: Path) -> None:
    log = tmp_path / "native.log"
    log.write_bytes(b"INFO: written before, not ours to filter\n")
    with native_stderr_to(log):
        os.write(2, b"INFO: [environment.cc:36] Creating LiteRT environment\n"
                    b"WARNING: [compiler_plugin.cc:312] Failed to load plugin\n"
                    b"\xe2\x94\x94 Could not load shared library\n"
                    b"I0000 00:00:1.0 1 port.cc:153] absl info\n"
                    b"E0000 00:00:1.0 1 delegate_webgpu.cc:736] absl error\n"
                    b"VERBOSE: [x] detail\n")
    assert log.read_bytes() == (b"INFO: written before, not ours to filter\n"
                                b"WARNING: [compiler_plugin.cc:312] Failed to load plugin\n"
                                b"\xe2\x94\x94 Could not load shared library\n"
                                b"E0000 00:00:1.0 1 delegate_webgpu.cc:736] absl error\n")


def test_missing_or_garbage_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EngineError, match="not found"):
        open_engine(tmp_path / "absent.tflite")
    garbage = tmp_path / "garbage.tflite"
    garbage.write_bytes(b"\0" * 256)
    with pytest.raises(EngineError, match="no runtime could open garbage.tflite"):
        open_engine(garbage, accelerator="cpu")


def test_classifier_on_real_films_matches_the_engine(tiny_bundle: Path) -> None:
    bundle = load_bundle(tiny_bundle)
    classifier = Classifier(bundle, accelerator="cpu", threads=1)
    for film in sample_films():
        raw = InterpreterEngine(bundle.build_path(), threads=1).run(preprocess_file(film, TINY_INPUT))
        result = classifier.classify_file(film)
        np.testing.assert_allclose(result.probabilities, raw[0], atol=1e-6)
        assert result.decision.flagged == (result.probabilities[1] >= 0.5)
