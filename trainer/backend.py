"""Choosing the Keras backend and the devices, the only backend-specific code in the trainer.

Keras reads ``KERAS_BACKEND`` once, at its first import, so `select_backend` must run before
anything imports Keras (the trainer's data layer never does). `configure_devices` then:

* on a GPU, sets the ``mixed_float16`` policy (float16 compute, float32 weights; Keras wraps the
  optimizer in a loss-scale optimizer); `float32_output` keeps the model's output float32 so the
  loss, the saved model and its LiteRT conversion see full-precision probabilities;
* with more than one accelerator under JAX, or when asked for (``--data-parallel``), distributes
  training with ``keras.distribution.DataParallel`` over every device Keras lists (each device gets a
  slice of every batch; the batch size is the global one, so scale it with the device count). On a
  CPU, ``XLA_FLAGS=--xla_force_host_platform_device_count=N`` gives JAX N devices: that is how the
  data-parallel path is tested without a GPU. Keras' distribution API is JAX-only; under TensorFlow
  or PyTorch the trainer uses one device and says so in the log.
"""

from __future__ import annotations

import os
import platform
import sys
from dataclasses import dataclass

BACKENDS = ("tensorflow", "jax", "torch")


def select_backend(name: str | None = None) -> str:
    """Set ``KERAS_BACKEND`` (default: the environment's, else tensorflow) before Keras is imported."""
    name = name or os.environ.get("KERAS_BACKEND") or "tensorflow"
    if name not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}, got {name!r}")
    if "keras" in sys.modules:
        current = sys.modules["keras"].backend.backend()
        if current != name:
            raise RuntimeError(f"Keras was already imported with the {current!r} backend; cannot switch to {name!r}")
    os.environ["KERAS_BACKEND"] = name
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    return name


@dataclass(frozen=True)
class DeviceSetup:
    backend: str
    accelerators: tuple[str, ...]
    mixed_precision: bool
    data_parallel: bool
    description: str
    #: Devices one training step runs on (the data-parallel shards; 1 otherwise).
    device_count: int = 1


class DeviceError(ValueError):
    """Data-parallel training was asked for where it cannot run; the message says what is needed."""


def accelerators() -> tuple[str, ...]:
    """GPU names visible to the current backend (empty on a CPU-only machine)."""
    import keras

    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        return tuple(
            tf.config.experimental.get_device_details(gpu).get("device_name", gpu.name)
            for gpu in tf.config.list_physical_devices("GPU")
        )
    if backend == "jax":
        import jax

        return tuple(device.device_kind for device in jax.devices() if device.platform == "gpu")
    import torch

    return tuple(torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count()))


def configure_devices(mixed_precision: bool = True, data_parallel: bool = False) -> DeviceSetup:
    """Set precision policy and distribution for what is visible; call once, before building models.

    ``data_parallel`` asks for `keras.distribution.DataParallel` over every device even without GPUs
    (`DeviceError` when the backend is not JAX or only one device is visible); without it, training is
    data-parallel exactly when JAX sees more than one GPU."""
    import keras

    backend = keras.backend.backend()
    gpus = accelerators()
    use_mixed = bool(gpus) and mixed_precision
    if use_mixed:
        keras.mixed_precision.set_global_policy("mixed_float16")
    devices: list[str] = []
    if data_parallel:
        if backend != "jax":
            raise DeviceError(f"--data-parallel needs the JAX backend (--backend jax), not {backend}")
        devices = keras.distribution.list_devices()
        if len(devices) < 2:
            raise DeviceError(f"--data-parallel needs at least two devices; JAX sees {len(devices)} "
                              "(on a CPU, set XLA_FLAGS=--xla_force_host_platform_device_count=2)")
    elif len(gpus) > 1 and backend == "jax":
        devices = keras.distribution.list_devices("gpu")
    if devices:
        keras.distribution.set_distribution(keras.distribution.DataParallel(devices=devices))
    where = f"{len(gpus)}× {gpus[0]}" if gpus else "CPU only"
    description = f"{platform.platform()}; {os.cpu_count()} CPU cores; {where}"
    return DeviceSetup(backend, gpus, use_mixed, bool(devices), description, max(len(devices), 1))


def float32_output(model):
    """``model`` with a float32 output: under mixed precision a float16 softmax/sigmoid would reach the
    loss and the saved model; a linear float32 Activation (no weights) casts it back."""
    import keras

    if all(keras.backend.standardize_dtype(output.dtype) == "float32" for output in model.outputs):
        return model
    output = keras.layers.Activation("linear", dtype="float32", name="float32_output")(model.outputs[0])
    return keras.Model(model.inputs, output, name=model.name)
