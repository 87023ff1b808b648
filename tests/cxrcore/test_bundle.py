"""Bundle validation: a good bundle is accepted; every kind of damage is refused by name."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pytest

from cxrcore.bundle import CARD_FILE, BundleError, find_bundles, load_bundle, optional_files, seal_card
from cxrcore.files import sha256_file
from cxrcore.classifier import Classifier
from tests.factories import PEDIATRIC_POPULATION, sample_films, tiny_tflite_bytes, write_bundle


def _edit_card(bundle_dir: Path, edit: Callable[[dict[str, Any]], None], reseal: bool = True) -> None:
    """Change the card; resealed (the default) it stands for a builder that wrote a bad card."""
    card_path = bundle_dir / CARD_FILE
    card = json.loads(card_path.read_text())
    edit(card)
    card_path.write_text(json.dumps(seal_card(card) if reseal else card))


def test_good_bundle_is_accepted(tiny_bundle: Path) -> None:
    bundle = load_bundle(tiny_bundle)
    assert bundle.labels == ["NORMAL", "PNEUMONIA"]
    assert bundle.usable_builds == ["float32"]
    assert bundle.build_path().is_file()
    assert find_bundles(tiny_bundle.parent) == [tiny_bundle]


def test_altered_tflite_is_refused(tiny_bundle: Path) -> None:
    model = tiny_bundle / "model_float32.tflite"
    data = bytearray(model.read_bytes())
    data[-10] ^= 0xFF
    model.write_bytes(bytes(data))
    with pytest.raises(BundleError, match=r"model_float32.tflite.*altered or damaged"):
        load_bundle(tiny_bundle)


def test_altered_reference_image_is_refused(tiny_bundle: Path) -> None:
    reference = next((tiny_bundle / "reference").iterdir())
    reference.write_bytes(reference.read_bytes() + b"\0")
    with pytest.raises(BundleError, match="altered or damaged"):
        load_bundle(tiny_bundle)


@pytest.mark.parametrize(
    "edit",
    [lambda card: card["thresholds"].update(PNEUMONIA=0.9), lambda card: card["calibration"].update(temperature=2.0),
     lambda card: card.update(labels=["PNEUMONIA", "NORMAL"]), lambda card: card.pop("card_sha256")],
    ids=["threshold", "temperature", "labels swapped", "digest removed"],
)
def test_card_edited_after_building_is_refused(tiny_bundle: Path, edit: Callable[[dict[str, Any]], None]) -> None:
    _edit_card(tiny_bundle, edit, reseal=False)
    with pytest.raises(BundleError, match="card was altered after the bundle was built"):
        load_bundle(tiny_bundle)


def test_reformatting_the_card_is_not_an_alteration(tiny_bundle: Path) -> None:
    card = json.loads((tiny_bundle / CARD_FILE).read_text())
    (tiny_bundle / CARD_FILE).write_text(json.dumps(dict(reversed(list(card.items()))), indent=7))
    assert load_bundle(tiny_bundle).labels == ["NORMAL", "PNEUMONIA"]


def test_missing_file_is_refused(tiny_bundle: Path) -> None:
    (tiny_bundle / "model_float32.tflite").unlink()
    with pytest.raises(BundleError, match="missing"):
        load_bundle(tiny_bundle)


@pytest.mark.parametrize("field", ["labels", "input", "thresholds", "builds", "preprocessing_id", "limitations"])
def test_missing_field_is_refused(tiny_bundle: Path, field: str) -> None:
    _edit_card(tiny_bundle, lambda card: card.pop(field))
    with pytest.raises(BundleError, match=f"missing required field '{field}'"):
        load_bundle(tiny_bundle)


def test_wrong_label_count_is_refused_by_the_card_check(tiny_bundle: Path) -> None:
    def add_label(card: dict[str, Any]) -> None:
        card["labels"].append("COVID")

    _edit_card(tiny_bundle, add_label)
    with pytest.raises(BundleError, match="2 output units but the card's 3 labels"):
        load_bundle(tiny_bundle)


def test_card_lying_about_output_units_is_refused_by_the_model_check(tiny_bundle: Path) -> None:
    """A card whose labels and output_units agree but do not match the actual model file."""

    def claim_three(card: dict[str, Any]) -> None:
        card["labels"].append("COVID")
        card["builds"]["float32"]["output_units"] = 3
        for reference in card["reference_outputs"]:
            reference["probabilities"].append(0.0)

    _edit_card(tiny_bundle, claim_three)
    bundle = load_bundle(tiny_bundle)
    with pytest.raises(BundleError, match="outputs 2 values"):
        Classifier(bundle, accelerator="cpu")


def test_preprocessing_mismatch_is_refused(tiny_bundle: Path) -> None:
    _edit_card(tiny_bundle, lambda card: card.update(preprocessing_id="someone-elses-v9"))
    with pytest.raises(BundleError, match="silently wrong"):
        load_bundle(tiny_bundle)


def test_failed_default_build_is_refused(tiny_bundle: Path) -> None:
    _edit_card(tiny_bundle, lambda card: card["builds"]["float32"].update(status="failed"))
    with pytest.raises(BundleError, match="failed the drift gate"):
        load_bundle(tiny_bundle)


def test_threshold_outside_unit_interval_is_refused(tiny_bundle: Path) -> None:
    _edit_card(tiny_bundle, lambda card: card["thresholds"].update(PNEUMONIA=1.5))
    with pytest.raises(BundleError, match="probability in"):
        load_bundle(tiny_bundle)


def test_path_escaping_the_bundle_is_refused(tiny_bundle: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.bin"
    outside.write_bytes(b"x")
    _edit_card(tiny_bundle, lambda card: card["files"].update({"../outside.bin": sha256_file(outside)}))
    with pytest.raises(BundleError, match="points outside its folder"):
        load_bundle(tiny_bundle)


def test_not_json_is_refused(tiny_bundle: Path) -> None:
    (tiny_bundle / CARD_FILE).write_text("{ not json")
    with pytest.raises(BundleError, match="not valid JSON"):
        load_bundle(tiny_bundle)


def test_sigmoid_bundle_runs_and_gives_two_probabilities(tmp_path: Path) -> None:
    bundle_dir = write_bundle(
        tmp_path / "sigmoid", tiny_tflite_bytes(units=1, activation="sigmoid"), activation="sigmoid"
    )
    classifier = Classifier(load_bundle(bundle_dir), accelerator="cpu")
    result = classifier.classify_file(sample_films()[0])
    assert result.probabilities.shape == (2,)
    assert np.isclose(result.probabilities.sum(), 1.0)


@pytest.fixture
def shipped_bundle_copy(tmp_path: Path) -> Path:
    """A copy of the shipped pneumonia bundle: four builds, the default and at least two others passed."""
    source = Path(__file__).resolve().parents[2] / "models" / "pneumonia-pediatric"
    copy = tmp_path / source.name
    shutil.copytree(source, copy)
    card = json.loads((copy / CARD_FILE).read_text())
    assert sorted(card["builds"]) == ["dynamic", "float16", "float32", "int8"]
    assert len(_passed_others(card)) >= 2 and card["builds"][card["default_build"]]["status"] == "passed"
    return copy


def _passed_others(card: dict) -> list[str]:
    return [kind for kind, build in card["builds"].items() if build["status"] == "passed" and kind != card["default_build"]]


def _file(card: dict, kind: str) -> str:
    return card["builds"][kind]["file"]


def test_only_the_default_build_and_the_reference_films_are_required(shipped_bundle_copy: Path) -> None:
    card = json.loads((shipped_bundle_copy / CARD_FILE).read_text())
    others = {_file(card, kind) for kind in card["builds"] if kind != card["default_build"]}
    assert optional_files(card) == others | {"split.csv", "drift.json", "drift.md"}


def test_a_copy_without_a_reference_film_is_refused(shipped_bundle_copy: Path) -> None:
    next((shipped_bundle_copy / "reference").iterdir()).unlink()
    with pytest.raises(BundleError, match="reference/.*missing"):
        load_bundle(shipped_bundle_copy)


def test_a_copy_with_only_the_default_build_loads_and_offers_only_it(shipped_bundle_copy: Path) -> None:
    """What the packaged app ships: the other builds' files left out, passed or not, and the maintainers' files."""
    card = json.loads((shipped_bundle_copy / CARD_FILE).read_text())
    for name in optional_files(card):
        (shipped_bundle_copy / name).unlink()
    bundle = load_bundle(shipped_bundle_copy)
    assert bundle.usable_builds == [card["default_build"]] and bundle.build_path().is_file()
    other = _passed_others(card)[0]
    with pytest.raises(BundleError, match=f"'{other}'.*not in this copy of the bundle"):
        bundle.build_path(other)


def test_a_copy_without_one_passed_build_offers_the_others(shipped_bundle_copy: Path) -> None:
    card = json.loads((shipped_bundle_copy / CARD_FILE).read_text())
    removed, *kept = _passed_others(card)
    (shipped_bundle_copy / _file(card, removed)).unlink()
    assert load_bundle(shipped_bundle_copy).usable_builds == [card["default_build"], *kept]


def test_a_copy_without_the_default_build_is_refused(shipped_bundle_copy: Path) -> None:
    card = json.loads((shipped_bundle_copy / CARD_FILE).read_text())
    (shipped_bundle_copy / _file(card, card["default_build"])).unlink()
    with pytest.raises(BundleError, match=f"{_file(card, card['default_build'])}.*missing"):
        load_bundle(shipped_bundle_copy)


def test_a_build_that_is_present_is_still_verified(shipped_bundle_copy: Path) -> None:
    card = json.loads((shipped_bundle_copy / CARD_FILE).read_text())
    other = _file(card, _passed_others(card)[0])
    (shipped_bundle_copy / other).write_bytes(b"not the build the card records")
    with pytest.raises(BundleError, match=f"{other}.*altered or damaged"):
        load_bundle(shipped_bundle_copy)


def test_a_file_shared_with_the_default_build_is_required(shipped_bundle_copy: Path) -> None:
    card = json.loads((shipped_bundle_copy / CARD_FILE).read_text())
    card["builds"]["int8"]["file"] = card["builds"]["float32"]["file"]
    assert "model_float32.tflite" not in optional_files(card)


def test_population_is_read_when_present_and_none_when_absent(tiny_bundle: Path) -> None:
    assert load_bundle(tiny_bundle).population is None
    _edit_card(tiny_bundle, lambda card: card.update(population=PEDIATRIC_POPULATION))
    assert load_bundle(tiny_bundle).population == PEDIATRIC_POPULATION


@pytest.mark.parametrize(
    ("change", "problem"),
    [({"routable": "yes"}, "'routable' must be true or false"), ({"age_years": [5, 1]}, "age_years must be"),
     ({"age_years": [1]}, "age_years must be"), ({"sources": [""]}, "sources must be"),
     ({"population_check": ""}, "must name a population check"), ({"view": None}, "'view' must be a string")],
    ids=["routable not bool", "age reversed", "age one value", "empty source", "no check", "view missing"],
)
def test_malformed_population_is_refused(tiny_bundle: Path, change: dict[str, Any], problem: str) -> None:
    population = {**PEDIATRIC_POPULATION, **change}
    _edit_card(tiny_bundle, lambda card: card.update(population=population))
    with pytest.raises(BundleError, match=problem):
        load_bundle(tiny_bundle)


def test_card_extra_accepts_a_population_and_refuses_a_malformed_one(tiny_bundle: Path, tmp_path: Path) -> None:
    from converters import ConversionError
    from converters.card import describe

    extra = tmp_path / "extra.json"
    extra.write_text(json.dumps({"population": PEDIATRIC_POPULATION}))
    assert describe(tiny_bundle, extra) == ["population"]
    assert load_bundle(tiny_bundle).population == PEDIATRIC_POPULATION
    extra.write_text(json.dumps({"population": {**PEDIATRIC_POPULATION, "age_years": "1-5"}}))
    with pytest.raises(ConversionError, match="--card-extra .*population field 'age_years' must be a list"):
        describe(tiny_bundle, extra)
