"""Content fingerprints: exact (SHA-256 of the bytes) and perceptual (from a 32×32 thumbnail).

Both perceptual fingerprints start from the same thumbnail, ``load_resized_gray(path, 32, 32)``
(the one preprocessing and its area-averaging resize), so they do not depend on any model's input size.

Near-duplicate rule (used to keep near-duplicate films in one split): two films are near-
duplicates when their **16×16 average hashes are equal** (the thumbnail area-averaged to 16×16,
each bit = pixel > mean of the 256 pixels). Measured on the shared data (Kermany + radiography):
8×8 hashes collide between unrelated films (635 groups of non-identical files, 310 of them
mixing labels, 61 mixing NORMAL and PNEUMONIA), while 16×16 hashes form 117 such groups, each
inside one class (97, COVID re-uploads) or pairing a Kermany pneumonia film with its re-encoded
copy in radiography's Viral Pneumonia (20).

Cross-dataset match rule (radiography Viral Pneumonia vs Kermany train): the radiography copies
were re-encoded, so bytes never match; thumbnails are compared by Pearson correlation instead,
a match being >= 0.98. On the shared data the best correlations split cleanly: 982 of 1,100
Viral Pneumonia films score >= 0.98 against Kermany train, the other 118 < 0.95, and no film
scores above 0.97 against Kermany test or (Lung_Opacity) above 0.95.
"""

from __future__ import annotations

import os
from typing import Sequence

import numpy as np

from cxrcore.files import sha256_file
from cxrcore.preprocess import resize_gray

THUMBNAIL_SIZE = 32
HASH_SIZE = 16
MATCH_CORRELATION = 0.98

def average_hashes(thumbnails: np.ndarray) -> list[bytes]:
    """(N, 32, 32) uint8 thumbnails → N packed 16×16 average hashes (32 bytes each)."""
    hashes: list[bytes] = []
    for thumbnail in thumbnails:
        small = resize_gray(thumbnail, HASH_SIZE, HASH_SIZE).astype(np.float32)
        hashes.append(np.packbits(small > small.mean()).tobytes())
    return hashes


def thumbnail_vectors(thumbnails: np.ndarray) -> np.ndarray:
    """(N, 32, 32) uint8 → (N, 1024) zero-mean unit-norm float32, so a dot product is a correlation."""
    vectors = thumbnails.reshape(len(thumbnails), -1).astype(np.float32)
    vectors -= vectors.mean(axis=1, keepdims=True)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-6)


def best_matches(query: np.ndarray, reference: np.ndarray, threshold: float = MATCH_CORRELATION,
                 chunk: int = 1024) -> np.ndarray:
    """For each query vector the index of its best-correlated reference vector, or -1 below ``threshold``."""
    result = np.full(len(query), -1, dtype=np.int64)
    if len(reference) == 0:
        return result
    for start in range(0, len(query), chunk):
        scores = query[start:start + chunk] @ reference.T
        best = scores.argmax(axis=1)
        good = scores[np.arange(len(best)), best] >= threshold
        result[start:start + chunk] = np.where(good, best, -1)
    return result


def hash_files(paths: Sequence[str | os.PathLike[str]]) -> list[str | OSError]:
    """SHA-256 of each file, or the `OSError` that stopped reading it (the caller names the file)."""
    results: list[str | OSError] = []
    for path in paths:
        try:
            results.append(sha256_file(path))
        except OSError as error:
            results.append(error)
    return results
