"""Choosing the Keras backend and the devices, the only backend-specific code in the trainer.

Keras reads ``KERAS_BACKEND`` once, at its first import, so `select_backend` must run before
anything imports Keras (the trainer's data layer never does). `configure_devices` then:

* sets the precision policy: by default (``auto``) ``mixed_float16`` on a GPU (float16 compute,
  float32 weights; Keras wraps the optimizer in a loss-scale optimizer) and float32 on a CPU. Asked for,
  ``mixed_bfloat16`` computes in bfloat16 on the CPU too: on a CPU with AVX512-BF16 or AMX (oneDNN
  under TensorFlow) a training step runs 1.4–1.8× faster (p3-vgg300 1.48 → 0.84 s a batch of 32 on this
  project's 2-core EPYC; `benchmarks/train_throughput.py --precision float32 mixed_bfloat16`, figures in
  docs/REPRODUCTION.md), while the weights, the optimizer and the checkpoint stay float32. On a
  CPU without those instructions bfloat16 is emulated (not measured here: time it with the benchmark
  first). The zoo's output layer
  computes in float32 under every policy and `float32_output` keeps other outputs float32, so the
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
#: Precision policies the trainer accepts; "auto" is mixed_float16 on a GPU, float32 otherwise.
PRECISIONS = ("auto", "float32", "mixed_float16", "mixed_bfloat16")


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
    #: The Keras dtype policy set: "float32", "mixed_float16" or "mixed_bfloat16".
    precision: str
    data_parallel: bool
    description: str
    #: Devices one training step runs on (the data-parallel shards; 1 otherwise).
    device_count: int = 1

    @property
    def mixed_precision(self) -> bool:
        return self.precision != "float32"


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


def resolve_precision(precision: str, gpus: tuple[str, ...]) -> str:
    """The dtype policy ``precision`` names on this machine ("auto": mixed_float16 on a GPU, else float32)."""
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {PRECISIONS}, got {precision!r}")
    if precision == "auto":
        return "mixed_float16" if gpus else "float32"
    return precision


def configure_devices(precision: str = "auto", data_parallel: bool = False) -> DeviceSetup:
    """Set precision policy and distribution for what is visible; call once, before building models.

    ``data_parallel`` asks for `keras.distribution.DataParallel` over every device even without GPUs
    (`DeviceError` when the backend is not JAX or only one device is visible); without it, training is
    data-parallel exactly when JAX sees more than one GPU."""
    import keras

    backend = keras.backend.backend()
    gpus = accelerators()
    policy = resolve_precision(precision, gpus)
    keras.mixed_precision.set_global_policy(policy)
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
    return DeviceSetup(backend, gpus, policy, bool(devices), description, max(len(devices), 1))


def float32_output(model):
    """``model`` with a float32 output: under mixed precision a float16 softmax/sigmoid would reach the
    loss and the saved model; a linear float32 Activation (no weights) casts it back."""
    import keras

    if all(keras.backend.standardize_dtype(output.dtype) == "float32" for output in model.outputs):
        return model
    output = keras.layers.Activation("linear", dtype="float32", name="float32_output")(model.outputs[0])
    return keras.Model(model.inputs, output, name=model.name)


def float32_model(model):
    """``model`` itself when it computes in float32, else a float32 copy with the same weights.

    A checkpoint trained under a mixed policy saves that policy in every layer's config. LiteRT's
    converter has no bfloat16 kernels (a mixed_bfloat16 Conv2D becomes a TensorFlow "flex" op it
    refuses), and the float32 build is the reference the drift gate measures every other build
    against, so conversion and evaluation rebuild the network in float32 from its config."""
    import keras

    config = keras.saving.serialize_keras_object(model)
    if not _has_mixed_policy(config):
        return model
    copy = keras.saving.deserialize_keras_object(_with_float32_policies(config))
    copy.set_weights(model.get_weights())
    return copy


def _has_mixed_policy(node) -> bool:
    if isinstance(node, dict):
        if node.get("class_name") == "DTypePolicy" and str(node.get("config", {}).get("name", "")).startswith("mixed_"):
            return True
        return any(_has_mixed_policy(value) for value in node.values())
    if isinstance(node, list):
        return any(_has_mixed_policy(value) for value in node)
    return False


def _with_float32_policies(node):
    """``node`` (a serialized Keras config) with every mixed dtype policy replaced by float32."""
    if isinstance(node, dict):
        if node.get("class_name") == "DTypePolicy" and str(node.get("config", {}).get("name", "")).startswith("mixed_"):
            return {**node, "config": {**node["config"], "name": "float32"}}
        return {key: _with_float32_policies(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_with_float32_policies(value) for value in node]
    return node
