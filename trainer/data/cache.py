"""Decode every film once into a uint8 memmap, reused by every epoch and every later run.

The cache holds exactly what `cxrcore.preprocess.load_resized_gray` returns, so training
batches are `to_model_input(cache[idx], spec)`: the same two calls the app makes, split in time.
Its key is a SHA-256 over ``PREPROCESSING_ID``, the size and the ordered content hashes of the
files, so an edited file, a different subset or a changed preprocessing gets a new cache and a
stale one can never be read. Writes go to a temporary name and are renamed when complete, so an
interrupted run (or two runs building the same cache at once) never leaves a half-written cache.
"""

from __future__ import annotations

import hashlib
import json
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np
from tqdm import tqdm

from cxrcore.decode import DecodeError
from cxrcore.preprocess import PREPROCESSING_ID, load_resized_gray
from trainer.data.records import DataError

#: Default cache folder: ``cache/`` in the repository root (gitignored).
DEFAULT_CACHE_DIR = Path(__file__).resolve().parents[2] / "cache"


class HashedFile(Protocol):
    path: str
    sha256: str


@dataclass(frozen=True)
class GrayCache:
    """``images[i]`` is record i at (height, width); rows of ``bad`` records are zeros, never used."""

    images: np.ndarray
    bad: dict[int, str]


def cache_key(hashes: Sequence[str], height: int, width: int) -> str:
    digest = hashlib.sha256(f"{PREPROCESSING_ID}\n{height}x{width}\n".encode())
    for value in hashes:
        digest.update(value.encode() + b"\n")
    return digest.hexdigest()


def load_gray_cache(
    records: Sequence[HashedFile],
    data_root: str | os.PathLike[str],
    height: int,
    width: int,
    cache_dir: str | os.PathLike[str] | None = None,
    skip_bad_files: bool = False,
) -> GrayCache:
    """The (N, height, width) uint8 images of ``records`` (which must carry their sha256).

    A file that cannot be decoded stops with a `DataError` naming it, unless ``skip_bad_files``:
    then its row stays zero and ``bad`` says why, for the caller to exclude and count.
    """
    missing = [record.path for record in records if not record.sha256]
    if missing:
        raise ValueError(f"{missing[0]}: record has no sha256; hash the records before caching")
    folder = Path(cache_dir) if cache_dir is not None else DEFAULT_CACHE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    stem = folder / f"gray-{height}x{width}-{cache_key([r.sha256 for r in records], height, width)[:24]}"
    data_path, meta_path = stem.with_suffix(".u8"), stem.with_suffix(".json")
    if not meta_path.is_file():
        _build(records, Path(data_root), height, width, data_path, meta_path)
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    bad = {int(index): reason for index, reason in meta["bad"].items()}
    if bad and not skip_bad_files:
        index = min(bad)
        raise DataError(f"{Path(data_root) / records[index].path}: {bad[index]} (use --skip-bad-files to skip such files)")
    shape = (len(records), height, width)
    images = np.memmap(data_path, dtype=np.uint8, mode="r", shape=shape) if records else np.zeros(shape, np.uint8)
    return GrayCache(images=images, bad=bad)


def _build(records: Sequence[HashedFile], root: Path, height: int, width: int, data_path: Path, meta_path: Path) -> None:
    suffix = f".{os.getpid()}.tmp"
    temporary = data_path.with_name(data_path.name + suffix)
    bad: dict[int, str] = {}
    if records:
        # A raw file rather than .npy: the shape lives in the .json written last, which marks completion.
        array = np.memmap(temporary, dtype=np.uint8, mode="w+", shape=(len(records), height, width))

        def decode(index: int) -> tuple[int, np.ndarray | None, str]:
            try:
                return index, load_resized_gray(root / records[index].path, height, width), ""
            except DecodeError as error:
                return index, None, error.detail

        workers = max(1, min(8, (os.cpu_count() or 1)))
        with ThreadPoolExecutor(workers) as pool:
            results = pool.map(decode, range(len(records)))
            for index, image, problem in tqdm(results, total=len(records), unit="film", disable=None,
                                              desc=f"decoding films at {height}x{width}"):
                if image is None:
                    bad[index] = problem
                else:
                    array[index] = image
        array.flush()
        del array
        os.replace(temporary, data_path)
    meta = {"count": len(records), "height": height, "width": width, "preprocessing_id": PREPROCESSING_ID,
            "bad": {str(index): reason for index, reason in sorted(bad.items())}}
    meta_temporary = meta_path.with_name(meta_path.name + suffix)
    meta_temporary.write_text(json.dumps(meta, indent=1), encoding="utf-8")
    os.replace(meta_temporary, meta_path)
