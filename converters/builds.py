"""Keras model → the four LiteRT builds a bundle can carry.

Why four: ``float32`` is the reference every other build is measured against; ``float16``
halves the file with float arithmetic kept; ``dynamic`` stores int8 weights and quantizes
activations on the fly (about 4× smaller, usually faster on CPU); ``int8`` is fully integer
with integer input/output (the fastest CPU path and the only one many NPUs take), but its
activation ranges come from a representative dataset and so it is the build most likely to drift.

Every build leaves here with the model's last feature map as a second output when its head is
global average pooling + dense (`converters.cam_output`), so the app can draw a class-activation
map from the same single inference that scores the film; output 0 is untouched.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from typing import Any, Callable, Iterator, Sequence

import numpy as np

from cxrcore.bundle import BUILD_KINDS

from converters.cam_output import with_feature_output

INT8_IO_TYPES = ("int8", "uint8")


def build_file(kind: str) -> str:
    """The bundle-relative file name of a build."""
    if kind not in BUILD_KINDS:
        raise ValueError(f"unknown build kind {kind!r} (known: {BUILD_KINDS})")
    return f"model_{kind}.tflite"


def representative_dataset(inputs: np.ndarray) -> Callable[[], Iterator[list[np.ndarray]]]:
    """Float model inputs (N, H, W, C) → the generator factory TFLite calibration expects (batches of one)."""
    if inputs.ndim != 4 or inputs.dtype != np.float32 or len(inputs) == 0:
        raise ValueError(
            f"representative inputs must be non-empty float32 (N, H, W, C), got {inputs.dtype} {inputs.shape}"
        )

    def generate() -> Iterator[list[np.ndarray]]:
        for index in range(len(inputs)):
            yield [inputs[index : index + 1]]

    return generate


@contextlib.contextmanager
def quiet_conversion() -> Iterator[None]:
    """Swallow the chatter every conversion prints (it buries the progress lines): the SavedModel
    signature Keras writes to stdout, and two warnings TensorFlow always gives for int8 calibration
    and for the quantization debugger's use of the deprecated ``tf.lite.Interpreter``."""
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.filterwarnings("ignore", message="Statistics for quantized inputs were expected")
        warnings.filterwarnings("ignore", message=r"\s*Warning: tf.lite.Interpreter is deprecated")
        yield


def _converter(model: Any) -> Any:
    import tensorflow as tf

    return tf.lite.TFLiteConverter.from_keras_model(model)


def int8_converter(model: Any, representative: np.ndarray, int8_io: str, integer_only: bool = True) -> Any:
    """A converter set up for full-integer int8 with integer input and output.

    ``integer_only=False`` lets ops without an int8 kernel stay float; `layer_debug` needs that
    freedom to keep chosen layers in float. The shipped int8 build uses ``integer_only=True`` so
    that a model that cannot be fully quantized fails loudly instead of silently mixing.
    """
    import tensorflow as tf

    if int8_io not in INT8_IO_TYPES:
        raise ValueError(f"int8 I/O type must be one of {INT8_IO_TYPES}, got {int8_io!r}")
    converter = _converter(model)
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    converter.representative_dataset = representative_dataset(representative)
    if integer_only:
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    converter.inference_input_type = getattr(tf, int8_io)
    converter.inference_output_type = getattr(tf, int8_io)
    return converter


def convert(model: Any, kind: str, representative: np.ndarray | None = None, int8_io: str = "int8") -> bytes:
    """Convert ``model`` to one build kind; ``int8`` needs ``representative`` float inputs (TRAIN films)."""
    import tensorflow as tf

    build_file(kind)
    if kind == "int8":
        if representative is None:
            raise ValueError("the int8 build needs a representative dataset")
        with quiet_conversion():
            return with_feature_output(bytes(int8_converter(model, representative, int8_io).convert()))
    converter = _converter(model)
    if kind == "float16":
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.target_spec.supported_types = [tf.float16]
    elif kind == "dynamic":
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
    with quiet_conversion():
        return with_feature_output(bytes(converter.convert()))


def quantize_calibrated(calibrated: bytes, int8_io: str, float_layers: Sequence[str]) -> bytes:
    """Quantize an already calibrated model to int8 with integer I/O, keeping ``float_layers`` in float.

    ``float_layers`` are op output tensor names (as `layer_debug` reports them). This is the call
    ``TFLiteConverter`` itself makes after calibration, plus the denylist that the public
    converter API does not expose; `QuantizationDebugger` uses the same function.
    """
    import tensorflow as tf
    from tensorflow.lite.python import convert as tflite_convert

    if int8_io not in INT8_IO_TYPES:
        raise ValueError(f"int8 I/O type must be one of {INT8_IO_TYPES}, got {int8_io!r}")
    io_type = getattr(tf, int8_io)
    return with_feature_output(bytes(
        tflite_convert.mlir_quantize(
            calibrated,
            input_data_type=io_type,
            output_data_type=io_type,
            denylisted_nodes=list(float_layers),
        )
    ))
