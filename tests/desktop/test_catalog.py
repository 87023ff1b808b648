"""Model discovery: the default choice, refused bundles listed with their reason."""

from __future__ import annotations

from pathlib import Path

from desktop.screening.catalog import DEFAULT_MODEL_NAME, ModelIdentity, discover
from tests.factories import write_bundle
from tests.desktop_support import rewrite_card


def test_default_prefers_pneumonia_pediatric_and_invalid_bundles_are_listed(tmp_path: Path, tiny_tflite: bytes) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    write_bundle(first / "aaa-model", tiny_tflite)
    write_bundle(second / DEFAULT_MODEL_NAME, tiny_tflite)
    broken = write_bundle(second / "broken", tiny_tflite)
    (broken / "model_float32.tflite").write_bytes(tiny_tflite + b"tampered")
    write_bundle(second / "aaa-model", tiny_tflite)  # same name as one already found

    catalog = discover([first, second])

    assert [bundle.name for bundle in catalog.valid] == ["aaa-model", DEFAULT_MODEL_NAME]
    assert catalog.default().name == DEFAULT_MODEL_NAME
    assert catalog.choose("aaa-model").directory == (first / "aaa-model").resolve()
    assert catalog.choose("missing") is None
    refused = {item.directory.name: item.error for item in catalog.invalid}
    assert "altered or damaged" in refused["broken"]
    assert "is used instead" in refused["aaa-model"]


def test_without_the_preferred_model_the_first_valid_one_is_default(tmp_path: Path, tiny_tflite: bytes) -> None:
    write_bundle(tmp_path / "zeta", tiny_tflite)
    write_bundle(tmp_path / "alpha", tiny_tflite)
    assert discover([tmp_path]).default().name == "alpha"
    assert discover([tmp_path / "empty"]).default() is None


def test_model_identity_changes_with_thresholds_not_only_with_the_build(tmp_path: Path, tiny_tflite: bytes) -> None:
    bundle_dir = write_bundle(tmp_path / "m", tiny_tflite)
    before = ModelIdentity.of(discover([tmp_path]).valid[0], "float32")
    rewrite_card(bundle_dir, lambda card: card["thresholds"].update(PNEUMONIA=0.3))
    after = ModelIdentity.of(discover([tmp_path]).valid[0], "float32")
    assert before.build_sha256 == after.build_sha256
    assert before.card_sha256 != after.card_sha256
