"""The LiteRT runtime chain: CPU works, GPU falls back with a reason, outputs agree across engines."""

from __future__ import annotations

import gc
from pathlib import Path

import numpy as np
import pytest

from cxrcore.bundle import load_bundle
from cxrcore.classifier import Classifier
from cxrcore.preprocess import preprocess_file
from cxrcore.runtime import CompiledModelEngine, EngineError, InterpreterEngine, open_engine
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


def test_auto_opens_something_and_explains_any_fallback(model_path: Path) -> None:
    engine = open_engine(model_path, accelerator="auto", threads=1)
    assert "LiteRT" in engine.description
    if "GPU" not in engine.description:  # a machine without a GPU adapter (CI): the reason is kept
        assert engine.fallback_notes and engine.fallback_notes[0].startswith("LiteRT CompiledModel GPU")


def test_cpu_never_tries_the_gpu(model_path: Path) -> None:
    engine = open_engine(model_path, accelerator="cpu", threads=2)
    assert engine.fallback_notes == [] and "CPU · 2 thread(s)" in engine.description


def test_native_log_noise_stays_off_the_console(model_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    gc.collect()  # engines left by earlier tests die (and log) now, not inside the measured window
    capfd.readouterr()
    engine = open_engine(model_path, accelerator="auto", threads=1, log_path=model_path.with_suffix(".log"))
    engine.run(preprocess_file(sample_films()[0], TINY_INPUT))
    engine.close()
    captured = capfd.readouterr()
    assert "INFO:" not in captured.err and "WebGPU" not in captured.err
    assert "INFO:" in model_path.with_suffix(".log").read_text()  # kept for support, not lost


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
