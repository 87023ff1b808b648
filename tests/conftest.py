"""Shared fixtures: real data locations and a small genuine bundle built once per session."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.factories import TEST_SIGNING_KEY_ENV, sample_films, tiny_tflite_bytes, write_bundle

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("CXR_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))
KERMANY = SHARED_DATA / "kermany-224"
RADIOGRAPHY = SHARED_DATA / "covid19-radiography-224"
EXTERNAL = SHARED_DATA / "external"

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def _make_test_signing_key() -> None:
    """One throwaway Ed25519 key per run, outside the repository: the suite signs the bundles it builds
    with it (`tests.factories.sign_for_tests`), and the app, here and in subprocesses, trusts its public
    half through `desktop.paths.TRUSTED_KEYS_ENV`. Shipped bundles keep the maintainers' signature."""
    from converters.sign import new_key
    from desktop.paths import TRUSTED_KEYS_ENV

    root = Path(tempfile.mkdtemp(prefix="cxr-test-keys-"))
    atexit.register(shutil.rmtree, root, True)
    new_key(root / "private" / "test.key", root / "trusted" / "test.pub", "throwaway key of one test run")
    os.environ[TEST_SIGNING_KEY_ENV] = str(root / "private" / "test.key")
    os.environ[TRUSTED_KEYS_ENV] = str(root / "trusted")


_make_test_signing_key()


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
