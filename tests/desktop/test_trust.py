"""The app uses only bundles signed by a key it trusts: shipped keys, or one a user added on purpose.

Through `discover`, the app's own path: a forged copy of a shipped bundle (threshold edited, every
hash and the card digest re-computed, so it verifies as undamaged) is listed as refused with the
reason; so is an unsigned bundle; a locally built bundle is accepted once its key is in the user's
trusted-keys folder, and not before.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cxrcore.bundle import CARD_FILE, seal_card
from cxrcore.signing import SIGNATURE_FILE

from converters.sign import new_key, read_private_key, sign_bundle
from desktop.paths import DATA_DIR_ENV, TRUSTED_KEYS_ENV, trusted_keys_dir
from desktop.screening.catalog import discover

REPO = Path(__file__).resolve().parents[2]


def _only_shipped_keys(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> None:
    """The app as a clinic runs it: no test key trusted, an empty user data folder."""
    monkeypatch.delenv(TRUSTED_KEYS_ENV, raising=False)
    monkeypatch.setenv(DATA_DIR_ENV, str(data_dir))


def test_shipped_bundles_are_accepted_with_only_the_shipped_keys(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _only_shipped_keys(monkeypatch, tmp_path / "data")
    catalog = discover([REPO / "models"])
    assert {bundle.name for bundle in catalog.valid} >= {"pneumonia-pediatric", "adult-abnormal"}
    assert catalog.invalid == []


def test_a_forged_rehashed_bundle_is_refused_by_the_app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _only_shipped_keys(monkeypatch, tmp_path / "data")
    forged = tmp_path / "models" / "pneumonia-pediatric"
    shutil.copytree(REPO / "models" / "pneumonia-pediatric", forged)
    card = json.loads((forged / CARD_FILE).read_text(encoding="utf-8"))
    card["thresholds"] = {label: 0.99 for label in card["thresholds"]}
    (forged / CARD_FILE).write_text(json.dumps(seal_card(card), indent=2), encoding="utf-8")
    catalog = discover([tmp_path / "models"])
    assert catalog.valid == []
    assert len(catalog.invalid) == 1 and "does not match its card" in catalog.invalid[0].error


def test_unsigned_and_user_trusted_bundles(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _only_shipped_keys(monkeypatch, tmp_path / "data")
    local = tmp_path / "models" / "adult-abnormal"
    shutil.copytree(REPO / "models" / "adult-abnormal", local, ignore=shutil.ignore_patterns(SIGNATURE_FILE))
    assert "is not signed" in discover([tmp_path / "models"]).invalid[0].error

    private = tmp_path / "keys" / "clinic.key"
    new_key(private, tmp_path / "keys" / "clinic.pub", "a clinic's own build")
    sign_bundle(local, read_private_key(private))
    assert "does not trust" in discover([tmp_path / "models"]).invalid[0].error

    trusted_keys_dir().mkdir(parents=True)
    shutil.copy(tmp_path / "keys" / "clinic.pub", trusted_keys_dir())  # the user's explicit step
    catalog = discover([tmp_path / "models"])
    assert [bundle.name for bundle in catalog.valid] == ["adult-abnormal"] and catalog.invalid == []


def test_a_damaged_key_file_is_reported_and_takes_no_trust_away_from_others(monkeypatch: pytest.MonkeyPatch,
                                                                            tmp_path: Path) -> None:
    _only_shipped_keys(monkeypatch, tmp_path / "data")
    trusted_keys_dir().mkdir(parents=True)
    (trusted_keys_dir() / "broken.pub").write_text("{", encoding="utf-8")
    catalog = discover([REPO / "models"])
    assert {bundle.name for bundle in catalog.valid} >= {"pneumonia-pediatric", "adult-abnormal"}
    assert [item.directory for item in catalog.invalid] == [trusted_keys_dir()]
    assert "broken.pub is unreadable and ignored" in catalog.invalid[0].error
