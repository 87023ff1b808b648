"""Signed bundles: a card signed by a trusted key is accepted; unsigned, unknown-key and forged ones are not.

The forgery is the one hashes cannot catch: a copy of a shipped bundle with its threshold edited and
every SHA-256 and the card's own digest re-computed, so the bundle still verifies as undamaged.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cxrcore.bundle import CARD_FILE, load_bundle, seal_card
from cxrcore.signing import SIGNATURE_FILE, SignatureError, TrustedKeys

from converters import ConversionError
from converters.sign import main as sign_main, new_key, read_private_key, sign_bundle

REPO = Path(__file__).resolve().parents[2]
SHIPPED = REPO / "models" / "pneumonia-pediatric"

pytest.importorskip("nacl")


@pytest.fixture()
def keys(tmp_path: Path) -> tuple[Path, Path]:
    """A throwaway key pair: private file outside the repository, public half in a trusted folder."""
    private, public = tmp_path / "secret" / "test.key", tmp_path / "trusted" / "test.pub"
    new_key(private, public, "throwaway test key")
    return private, public.parent


@pytest.fixture()
def bundle(tmp_path: Path) -> Path:
    copy = tmp_path / "bundle"
    shutil.copytree(SHIPPED, copy, ignore=shutil.ignore_patterns(SIGNATURE_FILE))
    return copy


def test_a_signed_bundle_verifies_with_its_key(keys: tuple[Path, Path], bundle: Path) -> None:
    private, trusted = keys
    signer = sign_bundle(bundle, read_private_key(private))
    assert TrustedKeys.load(trusted).verify(bundle, load_bundle(bundle).card_sha256) == signer


def test_unsigned_and_unknown_key_bundles_are_refused(keys: tuple[Path, Path], bundle: Path, tmp_path: Path) -> None:
    private, trusted = keys
    digest = load_bundle(bundle).card_sha256
    with pytest.raises(SignatureError, match="not signed"):
        TrustedKeys.load(trusted).verify(bundle, digest)
    sign_bundle(bundle, read_private_key(private))
    with pytest.raises(SignatureError, match="does not trust"):
        TrustedKeys.load(tmp_path / "no-keys-here").verify(bundle, digest)


def test_a_forged_bundle_with_recomputed_hashes_is_refused(keys: tuple[Path, Path], bundle: Path) -> None:
    private, trusted = keys
    sign_bundle(bundle, read_private_key(private))
    card = json.loads((bundle / CARD_FILE).read_text(encoding="utf-8"))
    card["thresholds"] = {label: 0.99 for label in card["thresholds"]}  # would hide almost every pneumonia
    (bundle / CARD_FILE).write_text(json.dumps(seal_card(card), indent=2), encoding="utf-8")
    forged = load_bundle(bundle)  # hashes and digest are consistent again: damage checks cannot see it
    assert forged.thresholds != load_bundle(SHIPPED).thresholds
    with pytest.raises(SignatureError, match="does not match"):
        TrustedKeys.load(trusted).verify(bundle, forged.card_sha256)


def test_private_keys_never_go_inside_a_repository(tmp_path: Path) -> None:
    with pytest.raises(ConversionError, match="git work tree"):
        new_key(REPO / "runs" / "leak.key", tmp_path / "leak.pub", "must be refused")
    assert not (REPO / "runs" / "leak.key").exists()


def test_a_damaged_trusted_key_is_ignored_and_reported(keys: tuple[Path, Path]) -> None:
    _, trusted = keys
    (trusted / "broken.pub").write_text("{not json", encoding="utf-8")
    loaded = TrustedKeys.load(trusted)
    assert len(loaded.keys) == 1 and len(loaded.problems) == 1 and "broken.pub is unreadable" in loaded.problems[0]


def test_the_command_line_signs_and_reports(keys: tuple[Path, Path], bundle: Path, capsys: pytest.CaptureFixture[str]) -> None:
    private, _ = keys
    assert sign_main([str(bundle), "--key", str(private)]) == 0
    assert "signed by key" in capsys.readouterr().out
    assert sign_main([str(bundle), "--key", str(bundle / CARD_FILE)]) == 1  # a card is not a key


def test_every_shipped_bundle_is_signed_by_a_shipped_key() -> None:
    trusted = TrustedKeys.shipped()
    for directory in sorted(path for path in (REPO / "models").iterdir() if (path / CARD_FILE).is_file()):
        trusted.verify(directory, load_bundle(directory).card_sha256)
