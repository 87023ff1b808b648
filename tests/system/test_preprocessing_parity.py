"""Training and the app must feed a model byte-identical tensors for the same file.

The trainer path decodes once into the uint8 cache (`trainer.data.cache.load_gray_cache`) and
scales batches with `to_model_input`; the app path is `cxrcore.preprocess.preprocess_file` with JPEG
draft decoding enabled, exactly as `Classifier.classify_file` calls it. Any divergence here is the
silent train/deploy mismatch this project exists to prevent.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from cxrcore.bundle import load_bundle
from cxrcore.classifier import Classifier
from cxrcore.preprocess import InputSpec, preprocess_file, to_model_input
from trainer.data.cache import load_gray_cache
from trainer.data.fingerprints import hash_files
from trainer.data.manifest import SplitRow

SPECS = [
    InputSpec(224, 224, 3, scale=1 / 128, offset=-127 / 128),  # EfficientNet-Lite0 product models
    InputSpec(150, 150, 3, scale=1 / 255, offset=0.0),  # P0/P1/P2
    InputSpec(300, 300, 1, scale=1 / 58.3, offset=-2.1),  # P3: standardised, enlarged
]


def _rows(root: Path, paths: list[Path]) -> list[SplitRow]:
    digests = hash_files(paths)
    return [SplitRow(str(path.relative_to(root)), "x", "", "train", digest) for path, digest in zip(paths, digests)]


@pytest.fixture(scope="module")
def real_files(kermany_root: Path, radiography_root: Path) -> list[tuple[Path, list[Path]]]:
    kermany_test = kermany_root / "chest_xray" / "test"
    radiography = radiography_root / "COVID-19_Radiography_Dataset"
    return [
        (kermany_root, sorted((kermany_test / "NORMAL").glob("*.jpeg"))[:4] + sorted((kermany_test / "PNEUMONIA").glob("*.jpeg"))[:4]),
        (radiography_root, sorted((radiography / "COVID" / "images").glob("*.jpg"))[:4]
         + sorted((radiography / "Viral Pneumonia" / "images").glob("*.jpg"))[:4]),
    ]


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: f"{spec.height}x{spec.channels}")
def test_trainer_and_app_inputs_are_byte_identical(spec: InputSpec, real_files, tmp_path: Path) -> None:
    for root, paths in real_files:
        cache = load_gray_cache(_rows(root, paths), root, spec.height, spec.width, cache_dir=tmp_path)
        trainer_batch = to_model_input(np.asarray(cache.images), spec)
        app_batch = np.concatenate([preprocess_file(path, spec, draft=True) for path in paths])
        assert trainer_batch.dtype == app_batch.dtype and trainer_batch.shape == app_batch.shape
        assert trainer_batch.tobytes() == app_batch.tobytes()


def test_classifier_uses_the_same_tensor(tiny_bundle: Path, real_files, tmp_path: Path) -> None:
    """The classifier's own loading is the app path: same gray image as the trainer's cache gives."""
    classifier = Classifier(load_bundle(tiny_bundle), accelerator="cpu", threads=1)
    root, paths = real_files[0]
    spec = classifier.spec
    cache = load_gray_cache(_rows(root, paths), root, spec.height, spec.width, cache_dir=tmp_path)
    for path, cached in zip(paths, np.asarray(cache.images)):
        assert np.array_equal(classifier.load_gray(path), cached)
