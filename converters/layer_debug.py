"""Find the layers that full-integer quantization hurts most, and rebuild int8 with those kept in float.

An int8 build that fails the gate usually owes most of its error to a few layers. TFLite's
`QuantizationDebugger` runs the quantized model with every quantized op shadowed by its float
version (on the TRAIN calibration films) and reports each layer's error; RMSE divided by the
layer's quantization scale says how many quantization steps the error spans, the ranking the
TensorFlow selective-quantization guide uses. Layers are then kept in float a few at a time,
worst first, until the candidate passes the gate on VALIDATION films (never on test: which layers
to keep is a model choice, and test films must not make model choices) or a limit is reached.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import asdict, dataclass, field
from typing import Any, Callable

import numpy as np

from converters.builds import int8_converter, quantize_calibrated, quiet_conversion, representative_dataset


@dataclass(frozen=True)
class LayerError:
    """One quantized layer's error against its float shadow, averaged over the calibration films."""

    tensor_name: str
    op_name: str
    rmse: float
    scale: float

    @property
    def rmse_per_scale(self) -> float:
        return self.rmse / self.scale if self.scale > 0 else math.inf


@dataclass
class SelectiveRound:
    """One attempt: the layers kept in float and why the candidate still failed on validation (empty: passed)."""

    round: int
    float_layers: list[str]
    validation_reasons: list[str]


@dataclass
class SelectiveResult:
    """The last candidate tried, the layers it keeps in float, and every round that led to it."""

    tflite: bytes
    float_layers: list[str]
    rounds: list[SelectiveRound] = field(default_factory=list)
    ranking: list[LayerError] = field(default_factory=list)

    @property
    def passed_validation(self) -> bool:
        return bool(self.rounds) and not self.rounds[-1].validation_reasons

    def to_dict(self) -> dict[str, Any]:
        return {
            "float_layers": self.float_layers,
            "passed_validation": self.passed_validation,
            "rounds": [asdict(attempt) for attempt in self.rounds],
            "ranking": [dict(asdict(layer), rmse_per_scale=layer.rmse_per_scale) for layer in self.ranking],
        }


def rank_layers(model: Any, representative: np.ndarray, int8_io: str) -> tuple[list[LayerError], bytes]:
    """Per-layer int8 error, worst first, and the calibrated (not yet quantized) model for re-quantizing."""
    import tensorflow as tf

    converter = int8_converter(model, representative, int8_io, integer_only=False)
    with quiet_conversion():
        debugger = tf.lite.experimental.QuantizationDebugger(
            converter=converter, debug_dataset=representative_dataset(representative)
        )
        debugger.run()
    dump = io.StringIO()
    debugger.layer_statistics_dump(dump)
    dump.seek(0)
    ranking = [
        LayerError(
            tensor_name=row["tensor_name"],
            op_name=row["op_name"],
            rmse=math.sqrt(max(float(row["mean_squared_error"]), 0.0)),
            scale=float(row["scale"]),
        )
        for row in csv.DictReader(dump)
        if not math.isnan(float(row["mean_squared_error"]))
    ]
    ranking.sort(key=lambda layer: layer.rmse_per_scale, reverse=True)
    return ranking, bytes(debugger.calibrated_model)


def selective_int8(
    calibrated: bytes,
    ranking: list[LayerError],
    int8_io: str,
    validation_reasons: Callable[[bytes], list[str]],
    step: int,
    max_layers: int,
) -> SelectiveResult:
    """Keep the ``step`` worst layers in float, then ``2·step``, … up to ``max_layers``; stop at the first pass.

    ``validation_reasons`` measures a candidate on validation films and returns its gate failures.
    """
    if step < 1 or max_layers < 1:
        raise ValueError("selective int8 needs step ≥ 1 and max_layers ≥ 1")
    if not ranking:
        raise ValueError("the quantization debugger reported no layers to keep in float")
    cap = min(max_layers, len(ranking))
    counts = list(range(step, cap + 1, step))
    if not counts or counts[-1] != cap:
        counts.append(cap)
    result = SelectiveResult(tflite=b"", float_layers=[], ranking=ranking)
    for attempt, count in enumerate(counts, start=1):
        layers = [layer.tensor_name for layer in ranking[:count]]
        candidate = quantize_calibrated(calibrated, int8_io, layers)
        reasons = validation_reasons(candidate)
        result.tflite, result.float_layers = candidate, layers
        result.rounds.append(SelectiveRound(round=attempt, float_layers=layers, validation_reasons=reasons))
        if not reasons:
            break
    return result
