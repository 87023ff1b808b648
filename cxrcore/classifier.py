"""A bundle's build bound to a runtime engine: file in, calibrated probabilities and decision out.

Used by the desktop app, the headless screener, the converters' evaluation and the self-test,
so that all four see a build exactly as a clinic does. Opening checks the model's actual input
and output tensors against the card: a card that claims 3 labels for a 2-output model is refused.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cxrcore.bundle import BundleError, ModelBundle
from cxrcore.postprocess import Decision, calibrated_probabilities, decide
from cxrcore.decode import DecodedImage
from cxrcore.preprocess import InputSpec, decode_for_model, model_gray, to_model_input
from cxrcore.runtime import Engine, open_engine
from cxrcore.closing import Closing


@dataclass
class Classification:
    probabilities: np.ndarray
    decision: Decision


class Classifier(Closing):
    """One build of one bundle, ready to classify films."""

    def __init__(
        self,
        bundle: ModelBundle,
        build: str | None = None,
        accelerator: str = "auto",
        threads: int | None = None,
        log_path: Path | None = None,
    ) -> None:
        self.bundle = bundle
        self.build = build or bundle.default_build
        self.engine: Engine = open_engine(bundle.build_path(self.build), accelerator, threads, log_path)
        self.spec = self._engine_input_spec(bundle.input_spec)
        self._check_output()

    def _engine_input_spec(self, spec: InputSpec) -> InputSpec:
        info = self.engine.input_info
        expected = (1, spec.height, spec.width, spec.channels)
        if info.shape != expected:
            raise BundleError(
                self.bundle.directory,
                f"build {self.build!r} takes input {info.shape} but the card describes {expected}",
            )
        if info.quantized:
            return spec.with_quantization(info.dtype, info.scale, info.zero_point)
        if info.dtype != "float32":
            raise BundleError(self.bundle.directory, f"build {self.build!r} has unsupported input dtype {info.dtype}")
        return spec

    def _check_output(self) -> None:
        units = int(self.engine.output_info.shape[-1])
        expected = self.bundle.build(self.build)["output_units"]
        if units != expected:
            raise BundleError(
                self.bundle.directory,
                f"build {self.build!r} outputs {units} values but the card's labels "
                f"{self.bundle.labels} with {self.bundle.output_activation} need {expected}",
            )

    @property
    def description(self) -> str:
        return self.engine.description

    def raw_output(self, gray: np.ndarray) -> np.ndarray:
        """uint8 (H, W) model-size film → dequantized float model output (1, units)."""
        output = self.engine.run(to_model_input(gray, self.spec))
        info = self.engine.output_info
        if info.quantized:
            output = (output.astype(np.float32) - info.zero_point) * info.scale
        return output.astype(np.float32)

    def classify_gray(self, gray: np.ndarray) -> Classification:
        raw = self.raw_output(gray)
        probabilities = calibrated_probabilities(raw, self.bundle.output_activation, self.bundle.temperature)[0]
        decision = decide(probabilities, self.bundle.labels, self.bundle.abnormal_labels, self.bundle.thresholds)
        return Classification(probabilities, decision)

    def close(self) -> None:
        """Release the native model now (also silences LiteRT's shutdown logging)."""
        self.engine.close()

    def decode(self, path: str | os.PathLike[str], draft: bool = True) -> DecodedImage:
        """Decode a file as this model reads it (JPEG draft scaling down to twice its input)."""
        return decode_for_model(path, self.spec.height, self.spec.width, draft)

    def gray_for_model(self, decoded: DecodedImage) -> np.ndarray:
        return model_gray(decoded, self.spec.height, self.spec.width)

    def load_gray(self, path: str | os.PathLike[str], draft: bool = True) -> np.ndarray:
        return self.gray_for_model(self.decode(path, draft))

    def classify_file(self, path: str | os.PathLike[str], draft: bool = True) -> Classification:
        return self.classify_gray(self.load_gray(path, draft=draft))
