"""A bundle's build bound to a runtime engine: file in, calibrated probabilities and decision out.

Used by the desktop app, the headless screener, the converters' evaluation and the self-test,
so that all four see a build exactly as a clinic does. Opening checks the model's actual input
and output tensors against the card: a card that claims 3 labels for a 2-output model is refused.

A build that also outputs its last feature map (`cxrcore.cam`) gives, in the same single
inference, what a class-activation map needs: `classify_with_features` and `cam_weights`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Callable

import numpy as np

from cxrcore.bundle import BundleError, ModelBundle
from cxrcore.cam import DenseHead, read_dense_head
from cxrcore.postprocess import Decision, calibrated_probabilities, decide
from cxrcore.decode import DecodedImage
from cxrcore.preprocess import InputSpec, decode_for_model, model_gray, to_model_input
from cxrcore.runtime import Engine, TensorInfo, open_engine
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
        """uint8 (H, W) model-size film → the float model output (1, units), dequantized (`_probability_output`)."""
        [raw] = self.engine.run_filled(self._input_of(gray))
        return _probability_output(raw, self.engine.output_info, self.bundle.output_activation)

    def _input_of(self, gray: np.ndarray) -> Callable[[np.ndarray], object]:
        """Writes the film's model input straight into the engine's input array (no batch of its own)."""
        return lambda target: to_model_input(gray, self.spec, out=target)

    def classify_gray(self, gray: np.ndarray) -> Classification:
        return self._classification(self.raw_output(gray))

    def _classification(self, raw: np.ndarray) -> Classification:
        probabilities = calibrated_probabilities(raw, self.bundle.output_activation, self.bundle.temperature)[0]
        decision = decide(probabilities, self.bundle.labels, self.bundle.abnormal_labels, self.bundle.thresholds)
        return Classification(probabilities, decision)

    @cached_property
    def cam_head(self) -> DenseHead | None:
        """The build's pooling + dense head when its second output is the feature map that head pools,
        else None (then only occlusion can explain a result). Read from the build file on first use
        rather than at open, because screening never needs it; None under tflite-runtime, which
        ships no flatbuffer schema to read it with."""
        outputs = self.engine.output_infos
        if len(outputs) < 2:
            return None
        try:
            head = read_dense_head(self.bundle.build_path(self.build))
        except ImportError:
            return None
        return head if head is not None and head.feature_tensor == outputs[1].index else None

    def classify_with_features(self, gray: np.ndarray) -> tuple[Classification, np.ndarray]:
        """One inference on a uint8 model-size film: its classification (exactly `classify_gray`'s) and
        the dequantized (h, w, channels) feature map the head pools. Needs `cam_head`."""
        if self.cam_head is None:
            raise ValueError(f"build {self.build!r} of {self.bundle.name} has no feature-map output")
        raw, features = self.engine.run_filled(self._input_of(gray), outputs=2)
        output = _probability_output(raw, self.engine.output_info, self.bundle.output_activation)
        classification = self._classification(output)
        return classification, _dequantized(features, self.engine.output_infos[1])[0]

    def cam_weights(self, label: str) -> np.ndarray:
        """(channels,) weights whose dot product with the feature map at a location is that location's
        contribution to ``label``'s logit. A sigmoid unit is the logit of the second label, so the
        first label's weights are its negation. Needs `cam_head`."""
        if self.cam_head is None:
            raise ValueError(f"build {self.build!r} of {self.bundle.name} has no feature-map output")
        labels = self.bundle.labels
        if label not in labels:
            raise ValueError(f"unknown label {label!r}; the model has {labels}")
        weights = self.cam_head.weights
        if self.bundle.output_activation == "sigmoid":
            return weights[0] if label == labels[1] else -weights[0]
        return weights[labels.index(label)]

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


def _probability_output(output: np.ndarray, info: TensorInfo, activation: str) -> np.ndarray:
    """The model's probability output as float32. An integer sigmoid build's lowest level stands for
    every probability below half a step (1/512 on LiteRT's 1/256 output grid), not for zero, so it is
    read as that half step: the least confident value it allows. Read as 0, calibration turned it into
    a confidence of 100.0% on about one normal film in five, a certainty the grid never measured. No
    other level lies below half a step, so ranking, ties and decisions are unchanged. A softmax output
    is left as it is: raising one class's floor there would re-weigh the others and move each card's
    measured figures (its displayed confidence is capped by the views instead)."""
    values = _dequantized(output, info)
    if info.quantized and activation == "sigmoid":
        values = np.maximum(values, np.float32(info.scale / 2))
    return values


def _dequantized(output: np.ndarray, info: TensorInfo) -> np.ndarray:
    """A raw engine output as float32, undoing an integer build's affine quantization."""
    if info.quantized:
        output = (output.astype(np.float32) - info.zero_point) * info.scale
    return output.astype(np.float32)
