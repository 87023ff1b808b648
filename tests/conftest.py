"""Shared fixtures: real data locations and a small genuine bundle built once per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.factories import sample_films, tiny_tflite_bytes, write_bundle

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("CXR_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))
KERMANY = SHARED_DATA / "kermany-224"
RADIOGRAPHY = SHARED_DATA / "covid19-radiography-224"
EXTERNAL = SHARED_DATA / "external"

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


@pytest.fixture(scope="session")
def kermany_root() -> Path:
    """The real Kermany data; the suite requires it (CI runs with ../shared beside the clone)."""
    if not (KERMANY / "chest_xray").is_dir():
        pytest.fail(f"real data not found at {KERMANY}; set CXR_SHARED_DATA to the shared/data folder")
    return KERMANY


@pytest.fixture(scope="session")
def radiography_root() -> Path:
    if not (RADIOGRAPHY / "COVID-19_Radiography_Dataset").is_dir():
        pytest.fail(f"real data not found at {RADIOGRAPHY}; set CXR_SHARED_DATA to the shared/data folder")
    return RADIOGRAPHY


@pytest.fixture(scope="session")
def external_root() -> Path:
    """Adult films from other hospitals and MedNIST non-chest images (``external/``)."""
    if not (EXTERNAL / "chestxray8-adult").is_dir():
        pytest.fail(f"real data not found at {EXTERNAL}; set CXR_SHARED_DATA to the shared/data folder")
    return EXTERNAL


@pytest.fixture(scope="session")
def tiny_tflite() -> bytes:
    return tiny_tflite_bytes()


@pytest.fixture()
def tiny_bundle(tmp_path: Path, tiny_tflite: bytes) -> Path:
    """A fresh valid bundle (tiny untrained model, two real reference films) per test, safe to damage."""
    return write_bundle(tmp_path / "tiny-bundle", tiny_tflite, reference_files=tuple(sample_films()[:2]))
