"""Find radiography "Viral Pneumonia" films that are Kermany *train* pediatric films.

The radiography copies were re-encoded (gray JPEG q90), so bytes never match; the match is by
thumbnail correlation (rule and its measured margins in `trainer.data.fingerprints`).
Kermany *train* is the reference because that is where the published overlap lies: on the
shared data 982 of the 1,100 Viral Pneumonia films match, none matches Kermany test.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from trainer.data.cache import load_gray_cache
from trainer.data.fingerprints import THUMBNAIL_SIZE, best_matches, hash_files, thumbnail_vectors
from trainer.data.kermany import load_kermany
from trainer.data.records import DataError


def kermany_train_matches(thumbnails: np.ndarray, kermany_root: str | Path,
                          cache_dir: str | Path | None = None) -> list[str | None]:
    """For each (32×32 uint8) thumbnail, the Kermany-root-relative path of the train film it copies, or None."""
    kermany = load_kermany(kermany_root)
    train = [record for record in kermany.records if record.official_split == "train"]
    hashes = hash_files([kermany.root / record.path for record in train])
    for record, digest in zip(train, hashes):
        if isinstance(digest, OSError):
            raise DataError(f"{kermany.root / record.path}: cannot read ({digest.strerror or digest})")
    train = [replace(record, sha256=digest) for record, digest in zip(train, hashes)]
    reference = load_gray_cache(train, kermany.root, THUMBNAIL_SIZE, THUMBNAIL_SIZE, cache_dir, skip_bad_files=True)
    usable = [index for index in range(len(train)) if index not in reference.bad]
    matches = best_matches(thumbnail_vectors(thumbnails), thumbnail_vectors(reference.images[usable]))
    return [train[usable[match]].path if match >= 0 else None for match in matches]
