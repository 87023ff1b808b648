"""Run a ``.tflite`` build: LiteRT CompiledModel (GPU, then CPU), classic LiteRT Interpreter, tflite-runtime.

Why a fallback chain: LiteRT's CompiledModel with a GPU accelerator fails outright on a machine
without a GPU adapter (even when CPU is OR-ed in), old laptops often have none, and on platforms
without an ai-edge-litert wheel the dead-but-installable tflite-runtime is the last resort.
Each engine reports what it is (`Engine.description`) and, when it is not the first choice, why.

LiteRT prints plugin and accelerator chatter on the process's native stderr; `native_stderr_to`
moves it into a log file so a nurse never sees it on the console.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Protocol

import numpy as np

from cxrcore.closing import Closing
ACCELERATORS = ("auto", "gpu", "cpu")


class EngineError(RuntimeError):
    """No runtime could open the model; the message lists what each backend said."""


@dataclass(frozen=True)
class TensorInfo:
    """Shape, dtype and (for integer tensors) affine quantization of one model input or output."""

    shape: tuple[int, ...]
    dtype: str
    scale: float = 0.0
    zero_point: int = 0

    @property
    def quantized(self) -> bool:
        return self.dtype in ("int8", "uint8") and self.scale > 0


class Engine(Protocol):
    description: str
    fallback_notes: list[str]
    input_info: TensorInfo
    output_info: TensorInfo
    log_path: Path | None

    def run(self, batch: np.ndarray) -> np.ndarray:
        """One forward pass on a batch of exactly the model's input shape; returns the raw output."""

    def close(self) -> None:
        """Release the native model now, with its shutdown chatter sent to the log."""


@contextlib.contextmanager
def native_stderr_to(log_path: Path | None) -> Iterator[None]:
    """Redirect file descriptor 2 (where LiteRT's C++ logging goes) into ``log_path``, or discard it.

    LiteRT offers no Python switch for its log severity, and its C setter is not exported, so
    the only reliable silencer is the file descriptor itself.
    """
    sys.stderr.flush()
    saved = os.dup(2)
    target = open(log_path, "ab") if log_path else open(os.devnull, "wb")
    try:
        os.dup2(target.fileno(), 2)
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)
        target.close()


def route_native_stderr(log_path: Path) -> None:
    """For app processes: native stderr (fd 2) goes to ``log_path`` for good; Python's own stderr
    keeps the console, so tracebacks and our messages still reach the user while LiteRT's and
    Qt's C++ chatter, which can be printed at any time (even at exit), does not."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    sys.stderr.flush()
    console = os.dup(2)
    with open(log_path, "ab") as target:
        os.dup2(target.fileno(), 2)
    sys.stderr = os.fdopen(console, "w", buffering=1, encoding="utf-8", errors="replace")


def _release(holder: object, attributes: tuple[str, ...], log_path: Path | None) -> None:
    """Drop native objects inside the redirect so their destructors' logging is captured too."""
    with native_stderr_to(log_path):
        for name in attributes:
            if hasattr(holder, name):
                delattr(holder, name)
        gc.collect()


def _tensor_info(details: dict) -> TensorInfo:
    scale, zero_point = details.get("quantization", (0.0, 0))
    dtype = np.dtype(details["dtype"]).name
    return TensorInfo(tuple(int(v) for v in details["shape"]), dtype, float(scale), int(zero_point))


@dataclass
class InterpreterEngine(Closing):
    """The classic Interpreter API, from ai_edge_litert or from tflite_runtime."""

    model_path: Path
    threads: int
    module: str = "ai_edge_litert.interpreter"
    fallback_notes: list[str] = field(default_factory=list)
    log_path: Path | None = None

    def __post_init__(self) -> None:
        if self.module == "tflite_runtime.interpreter":
            from tflite_runtime.interpreter import Interpreter
        else:
            from ai_edge_litert.interpreter import Interpreter
        self._interpreter = Interpreter(model_path=str(self.model_path), num_threads=self.threads)
        self._interpreter.allocate_tensors()
        self._input = self._interpreter.get_input_details()[0]
        self._output = self._interpreter.get_output_details()[0]
        self.input_info = _tensor_info(self._input)
        self.output_info = _tensor_info(self._output)
        runtime = "tflite-runtime" if self.module.startswith("tflite_runtime") else "LiteRT Interpreter"
        self.description = f"{runtime} · CPU · {self.threads} thread(s)"

    def run(self, batch: np.ndarray) -> np.ndarray:
        self._interpreter.set_tensor(self._input["index"], batch)
        self._interpreter.invoke()
        return self._interpreter.get_tensor(self._output["index"]).copy()

    def close(self) -> None:
        _release(self, ("_interpreter",), self.log_path)


@dataclass
class CompiledModelEngine(Closing):
    """LiteRT's CompiledModel API on one accelerator (GPU via WebGPU/Metal, or CPU via XNNPACK)."""

    model_path: Path
    threads: int
    use_gpu: bool
    fallback_notes: list[str] = field(default_factory=list)
    log_path: Path | None = None

    def __post_init__(self) -> None:
        from ai_edge_litert.compiled_model import CompiledModel
        from ai_edge_litert.hardware_accelerator import HardwareAccelerator
        from ai_edge_litert.options import CpuOptions, Options

        accelerator = HardwareAccelerator.GPU if self.use_gpu else HardwareAccelerator.CPU
        options = Options(hardware_accelerators=accelerator, cpu_options=CpuOptions(num_threads=self.threads))
        self._model = CompiledModel.from_file(str(self.model_path), options=options)
        # Quantization parameters are not exposed by CompiledModel; read them once from the Interpreter.
        probe = InterpreterEngine(self.model_path, threads=1)
        self.input_info, self.output_info = probe.input_info, probe.output_info
        self._inputs = self._model.create_input_buffers(0)
        self._outputs = self._model.create_output_buffers(0)
        self._output_count = int(np.prod(self.output_info.shape))
        where = "GPU" if self.use_gpu else f"CPU · {self.threads} thread(s)"
        self.description = f"LiteRT CompiledModel · {where}"

    def run(self, batch: np.ndarray) -> np.ndarray:
        self._inputs[0].write(np.ascontiguousarray(batch))
        self._model.run_by_index(0, self._inputs, self._outputs)
        flat = self._outputs[0].read(self._output_count, np.dtype(self.output_info.dtype))
        return np.asarray(flat).reshape(self.output_info.shape)

    def close(self) -> None:
        _release(self, ("_inputs", "_outputs", "_model"), self.log_path)


def default_threads() -> int:
    """All cores but one on big machines (keep the UI responsive), at least one, at most four."""
    return max(1, min(4, (os.cpu_count() or 2) - 1)) if (os.cpu_count() or 1) > 2 else (os.cpu_count() or 1)


def open_engine(
    model_path: str | os.PathLike[str],
    accelerator: str = "auto",
    threads: int | None = None,
    log_path: Path | None = None,
) -> Engine:
    """Open ``model_path`` with the best runtime available, trying in order and noting each failure.

    ``accelerator``: ``auto`` and ``gpu`` try the GPU first and fall back to CPU (``gpu`` only
    differs in that the fallback is recorded as a warning the UI shows); ``cpu`` never tries it.
    """
    if accelerator not in ACCELERATORS:
        raise ValueError(f"accelerator must be one of {ACCELERATORS}, got {accelerator!r}")
    model_path = Path(model_path)
    if not model_path.is_file():
        raise EngineError(f"model file not found: {model_path}")
    threads = threads or default_threads()
    attempts: list[tuple[str, object]] = []
    if accelerator in ("auto", "gpu"):
        attempts.append(("LiteRT CompiledModel GPU", lambda: CompiledModelEngine(model_path, threads, use_gpu=True)))
    attempts += [
        ("LiteRT CompiledModel CPU", lambda: CompiledModelEngine(model_path, threads, use_gpu=False)),
        ("LiteRT Interpreter", lambda: InterpreterEngine(model_path, threads)),
        ("tflite-runtime", lambda: InterpreterEngine(model_path, threads, module="tflite_runtime.interpreter")),
    ]
    notes: list[str] = []
    log_path = log_path or Path(tempfile.gettempdir()) / "cxr-screening-litert.log"
    for name, factory in attempts:
        with native_stderr_to(log_path):
            try:
                engine = factory()
            except ImportError as error:
                notes.append(f"{name}: not installed ({error.name or error})")
                continue
            except Exception as error:  # each backend raises its own types; the note keeps the reason
                notes.append(f"{name}: {_first_line(error)}")
                del error
                gc.collect()  # the failed attempt's native environment logs as it dies: keep that in the log
                continue
        engine.fallback_notes = notes
        engine.log_path = log_path
        return engine
    raise EngineError(f"no runtime could open {model_path.name}: " + "; ".join(notes))


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}".strip()
