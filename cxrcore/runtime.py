"""Run a ``.tflite`` build: LiteRT CompiledModel on the GPU, else the classic LiteRT Interpreter on the CPU
(then CompiledModel on the CPU, then tflite-runtime).

Why a fallback chain: LiteRT's CompiledModel with a GPU accelerator fails outright on a machine
without a GPU adapter (even when CPU is OR-ed in), old laptops often have none, and on platforms
without an ai-edge-litert wheel the dead-but-installable tflite-runtime is the last resort.
Each engine reports what it is (`Engine.description`) and, when it is not the first choice, why.

Why the classic Interpreter before CompiledModel on the CPU: both run the same XNNPACK kernels and give
bit-identical outputs (measured on every shipped build, both thread counts, 60 real films), but
CompiledModel's Python binding holds the GIL for the whole inference (ai-edge-litert 2.3, measured:
a pure-Python thread stalls while it runs), while the Interpreter's ``invoke`` releases it. The
screening pipeline decodes and runs the safety checks' numpy half in other threads during inference
(`desktop.screening.pipeline`); with CompiledModel those threads wait for every inference.

LiteRT prints plugin and accelerator chatter on the process's native stderr; `native_stderr_to`
moves it into a log file so a nurse never sees it on the console, and keeps only its warnings and
errors there. What a user reads about a fallback is one plain sentence (`Engine.fallback_notes`); the
backend's own error text goes to Python logging (INFO) and the native log.

A build may have more than one output (``converters.cam_output`` adds the last feature map as a
second one for class-activation maps); ``run`` returns output 0, the model's answer, and
``run_all`` every output from the same single inference.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import re
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Protocol

import numpy as np

from cxrcore.closing import Closing

ACCELERATORS = ("auto", "gpu", "cpu")
#: Native log lines below warning severity: LiteRT's and TFLite's ``INFO: …`` / ``VERBOSE: …`` and
#: absl's ``I0000 …``. Every engine open prints a few dozen (accelerator registration, plugin
#: paths) that say nothing a support person needs; warnings and errors (why the GPU failed, a
#: plugin that did not load) are kept.
_BELOW_WARNING = re.compile(rb"^(?:(?:INFO|VERBOSE|DEBUG): |I\d{4} )")
#: fd 2 is one per process: two threads opening engines at once must not interleave redirects.
_NATIVE_STDERR_LOCK = threading.RLock()

log = logging.getLogger(__name__)


class EngineError(RuntimeError):
    """No runtime could open the model; the message lists what each backend said."""


@dataclass(frozen=True)
class TensorInfo:
    """Shape, dtype, (for integer tensors) affine quantization and graph tensor index of one model
    input or output."""

    shape: tuple[int, ...]
    dtype: str
    scale: float = 0.0
    zero_point: int = 0
    index: int = -1

    @property
    def quantized(self) -> bool:
        return self.dtype in ("int8", "uint8") and self.scale > 0


class Engine(Protocol):
    description: str
    threads: int
    fallback_notes: list[str]
    input_info: TensorInfo
    output_info: TensorInfo
    output_infos: tuple[TensorInfo, ...]
    log_path: Path | None

    def run(self, batch: np.ndarray) -> np.ndarray:
        """One forward pass on a batch of exactly the model's input shape; returns the raw output 0."""

    def run_all(self, batch: np.ndarray) -> list[np.ndarray]:
        """One forward pass; every output, raw, in the graph's output order."""

    def run_filled(self, fill: Callable[[np.ndarray], object], outputs: int = 1) -> list[np.ndarray]:
        """One forward pass on the input that ``fill`` writes into the array it is given (the engine's own
        input, of the model's shape and dtype); the first ``outputs`` outputs, raw."""

    def close(self) -> None:
        """Release the native model now, with its shutdown chatter sent to the log."""


@contextlib.contextmanager
def native_stderr_to(log_path: Path | None) -> Iterator[None]:
    """Redirect file descriptor 2 (where LiteRT's C++ logging goes) into ``log_path``, or discard it;
    on the way out, drop the lines below warning severity that this stretch appended.

    LiteRT offers no switch for its log severity: ai-edge-litert 2.3 has no Python API for it (an
    open feature request upstream, google-ai-edge/LiteRT#7420), ``LiteRtSetMinLoggerSeverity`` is
    a local symbol of its libraries, and it reads neither ``TF_CPP_MIN_LOG_LEVEL`` nor any other
    variable (measured). So the file descriptor is the only reliable silencer, and the severity is
    applied afterwards to the text. Filtering after the fact, rather than through a pipe, keeps
    every line on disk while native code runs: a crash inside an engine still leaves its last words.
    """
    with _NATIVE_STDERR_LOCK:
        sys.stderr.flush()
        saved = os.dup(2)
        target = open(log_path, "ab") if log_path else open(os.devnull, "wb")
        start = target.tell()
        try:
            os.dup2(target.fileno(), 2)
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            target.close()
            if log_path:
                _drop_below_warning(log_path, start)


def _drop_below_warning(log_path: Path, start: int) -> None:
    """Rewrite ``log_path`` from byte ``start`` on without its `_BELOW_WARNING` lines."""
    with open(log_path, "r+b") as handle:
        handle.seek(start)
        written = handle.read()
        kept = b"".join(line for line in written.splitlines(keepends=True) if not _BELOW_WARNING.match(line))
        if len(kept) != len(written):
            handle.seek(start)
            handle.write(kept)
            handle.truncate()


def route_native_stderr(log_path: Path) -> None:
    """For app processes: native stderr (fd 2) goes to ``log_path`` for good; Python's own stderr
    keeps the console, so tracebacks and our messages still reach the user while LiteRT's and
    Qt's C++ chatter, which can be printed at any time (even at exit), does not. Unfiltered: what
    is printed outside `native_stderr_to` (rare, e.g. at exit) is kept whole."""
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
    shape = tuple(int(v) for v in details["shape"])
    return TensorInfo(shape, dtype, float(scale), int(zero_point), int(details["index"]))


class _Outputs:
    """``run``, ``run_all`` and ``run_filled`` for an engine whose input can be written in place, that
    invokes once and can then read any output.

    Why ``run_filled``: the classifier computes each film's model input straight into the engine's input
    array; a batch of its own would cost an allocation and one more copy of it per film (600 kB for a
    224×224×3 float input; about 0.1 ms per film, timed right after an inference: docs/converters.md).
    """

    output_infos: tuple[TensorInfo, ...]

    def _fill(self, fill: Callable[[np.ndarray], object]) -> None:
        raise NotImplementedError

    def _invoke(self) -> None:
        raise NotImplementedError

    def _read(self, position: int) -> np.ndarray:
        raise NotImplementedError

    def run(self, batch: np.ndarray) -> np.ndarray:
        return self.run_filled(lambda target: _copy_input(batch, target))[0]

    def run_all(self, batch: np.ndarray) -> list[np.ndarray]:
        return self.run_filled(lambda target: _copy_input(batch, target), len(self.output_infos))

    def run_filled(self, fill: Callable[[np.ndarray], object], outputs: int = 1) -> list[np.ndarray]:
        self._fill(fill)
        self._invoke()
        return [self._read(position) for position in range(outputs)]


def _copy_input(batch: np.ndarray, target: np.ndarray) -> None:
    """``run``'s fill: the batch as given, which must have exactly the input's shape and dtype."""
    if batch.shape != target.shape or batch.dtype != target.dtype:
        raise ValueError(f"the model takes {target.dtype} {target.shape}, got {batch.dtype} {batch.shape}")
    target[...] = batch


@dataclass
class InterpreterEngine(_Outputs, Closing):
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
        self.input_info = _tensor_info(self._input)
        self.output_infos = tuple(_tensor_info(details) for details in self._interpreter.get_output_details())
        self.output_info = self.output_infos[0]
        runtime = "tflite-runtime" if self.module.startswith("tflite_runtime") else "LiteRT Interpreter"
        self.description = f"{runtime} · CPU · {self.threads} thread(s)"

    def _fill(self, fill: Callable[[np.ndarray], object]) -> None:
        # A view of the input tensor itself; ``invoke`` refuses to run while one is alive, and this one
        # dies with the call (`_copy_input` and `to_model_input` keep no reference).
        fill(self._interpreter.tensor(self._input["index"])())

    def _invoke(self) -> None:
        self._interpreter.invoke()

    def _read(self, position: int) -> np.ndarray:
        return self._interpreter.get_tensor(self.output_infos[position].index)  # already a copy

    def close(self) -> None:
        _release(self, ("_interpreter",), self.log_path)


@dataclass
class CompiledModelEngine(_Outputs, Closing):
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
        self.input_info, self.output_info, self.output_infos = probe.input_info, probe.output_info, probe.output_infos
        self._inputs = self._model.create_input_buffers(0)
        self._outputs = self._model.create_output_buffers(0)
        # Its buffers take a copy (one bound to host memory must be 1-D, which the model refuses), so the
        # input is assembled here first.
        self._staging = np.empty(self.input_info.shape, np.dtype(self.input_info.dtype))
        self._buffer_of = self._buffer_positions()
        # One inference now, inside open_engine's log redirect: the first buffer write creates LiteRT's
        # process-wide buffer environment, which logs a screenful, and an engine that opens but cannot
        # run then falls back here instead of failing on the first film.
        self.run_all(np.zeros(self.input_info.shape, np.dtype(self.input_info.dtype)))
        where = "GPU" if self.use_gpu else f"CPU · {self.threads} thread(s)"
        self.description = f"LiteRT CompiledModel · {where}"

    def _buffer_positions(self) -> list[int]:
        """For each graph output, the position of its buffer: CompiledModel orders them as the signature
        lists its outputs, which need not be the graph's order."""
        signatures = list(self._model.get_signature_list())
        if not signatures:
            return list(range(len(self.output_infos)))
        indices = [details["index"] for details in self._model.get_output_tensor_details(signatures[0]).values()]
        return [indices.index(info.index) for info in self.output_infos]

    def _fill(self, fill: Callable[[np.ndarray], object]) -> None:
        fill(self._staging)
        self._inputs[0].write(self._staging)

    def _invoke(self) -> None:
        self._model.run_by_index(0, self._inputs, self._outputs)

    def _read(self, position: int) -> np.ndarray:
        info = self.output_infos[position]
        flat = self._outputs[self._buffer_of[position]].read(int(np.prod(info.shape)), np.dtype(info.dtype))
        return np.asarray(flat).reshape(info.shape)

    def close(self) -> None:
        _release(self, ("_inputs", "_outputs", "_model"), self.log_path)


def default_threads() -> int:
    """Half the cores, at least one, at most four. Screening decodes films and runs the safety checks'
    numpy half in decode workers while the model runs (`desktop.screening.pipeline.decode_workers_for`
    gives them the other half): inference threads beyond that only take turns with the decoders on
    the same cores, and an XNNPACK inference waits for its slowest thread. The cap of four is the
    earlier rule's. It also leaves the UI a core on every machine with more than one."""
    return max(1, min(4, (os.cpu_count() or 2) // 2))


def open_engine(
    model_path: str | os.PathLike[str],
    accelerator: str = "auto",
    threads: int | None = None,
    log_path: Path | None = None,
) -> Engine:
    """Open ``model_path`` with the best runtime available, trying in order and noting each failure.

    ``accelerator``: ``auto`` and ``gpu`` try the GPU first and fall back to CPU (``gpu`` only
    differs in that the fallback is recorded as a warning the UI shows); ``cpu`` never tries it.
    Each fallback becomes one plain sentence in ``fallback_notes`` (`_fallback_note`); what the
    backend said is logged, not shown.
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
        ("LiteRT Interpreter", lambda: InterpreterEngine(model_path, threads)),
        ("LiteRT CompiledModel CPU", lambda: CompiledModelEngine(model_path, threads, use_gpu=False)),
        ("tflite-runtime", lambda: InterpreterEngine(model_path, threads, module="tflite_runtime.interpreter")),
    ]
    failures: list[tuple[str, str]] = []
    log_path = log_path or Path(tempfile.gettempdir()) / "cxr-screening-litert.log"
    for name, factory in attempts:
        with native_stderr_to(log_path):
            try:
                engine = factory()
            except ImportError as error:
                failures.append((name, f"not installed ({error.name or error})"))
                continue
            except Exception as error:  # each backend raises its own types; the log keeps the reason
                log.info("%s could not open %s (native log: %s): %s", name, model_path, log_path, error)
                failures.append((name, _first_line(error)))
                del error
                gc.collect()  # the failed attempt's native environment logs as it dies: keep that in the log
                continue
        engine.fallback_notes = [_fallback_note(name, reason, threads, engine.description) for name, reason in failures]
        engine.log_path = log_path
        return engine
    raise EngineError(f"no runtime could open {model_path.name}: "
                      + "; ".join(f"{name}: {reason}" for name, reason in failures))


def _fallback_note(failed: str, reason: str, threads: int, used: str) -> str:
    """What a user reads about one backend that was tried and not used: a sentence, not a stack of errors."""
    if failed == "LiteRT CompiledModel GPU":
        return f"No usable GPU found; using the CPU ({threads} thread{'' if threads == 1 else 's'})."
    problem = "is not installed" if reason.startswith("not installed") else "could not open this model"
    return f"{failed} {problem}; using {used} instead."


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}".strip()
