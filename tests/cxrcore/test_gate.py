"""The shipped chest-film gate v2 (models/_safety) on real frontal films of every source and on real non-chest images.

Rates are recomputed here through the same code the app runs (files → cxrcore → `.tflite`) and
compared with what ``safety.json`` records, so a card that claims what its models do not do fails
the suite. The radiography test split (2,157 films, grouped by near-duplicate hashes that need every
film decoded) and the leave-out folds (which need training) are measured by
``python -m trainer.safety.train gate`` only.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from cxrcore.decode import DecodedImage, decode_image
from cxrcore.safety.gate import ChestFilmGate
from cxrcore.preprocess import to_uint8
from cxrcore.safety.card import SafetyCardError, read_safety_card
from cxrcore.safety.structure import film_structure
from tests.conftest import REPO_ROOT
from tests.factories import sample_films
from trainer.safety.data import load_chestxray8_films, load_covidnet_films, load_mednist_images
from trainer.safety.sources import TRANSFORMS, transform

SAFETY_DIR = REPO_ROOT / "models" / "_safety"
FRONTAL = "false refusals (frontal films)"
NOT_FRONTAL = "refusals (not frontal chest films)"


def _measured(group: str, name: str) -> dict:
    card = json.loads((SAFETY_DIR / "safety.json").read_text(encoding="utf-8"))
    return card["gate"]["measured"][group][name]


@pytest.fixture(scope="module")
def gate():
    loaded = ChestFilmGate.load(SAFETY_DIR)
    yield loaded
    loaded.close()


def _film(pixels: np.ndarray) -> DecodedImage:
    return DecodedImage(pixels=np.ascontiguousarray(pixels), source_format="array", bits_stored=8)


def _assert_matches_card(gate: ChestFilmGate, paths: list[Path], group: str, name: str) -> int:
    refused = [path.name for path in paths if not gate.check_file(path).accepted]
    recorded = _measured(group, name)
    assert len(paths) == recorded["films"], name
    assert abs(len(refused) - recorded["count"]) <= 1, (name, refused)  # float rounding may move one film
    return len(refused)


def test_shipped_files_are_small_and_verified() -> None:
    card = read_safety_card(SAFETY_DIR)
    assert set(card.card["files"]) == {path.name for path in SAFETY_DIR.glob("*.tflite")}
    for name in card.card["files"]:
        assert (SAFETY_DIR / name).stat().st_size < 2_000_000, name


def test_kermany_test_false_refusals_match_the_card(gate: ChestFilmGate, kermany_root: Path) -> None:
    paths = sorted((kermany_root / "chest_xray" / "test").glob("*/*.jpeg"))
    assert len(paths) == 624
    assert _assert_matches_card(gate, paths, FRONTAL, "kermany test") <= 0.01 * len(paths)


@pytest.mark.parametrize("source", ["chestxray8", "covidnet"])
def test_adult_sources_false_refusals_match_the_card(gate: ChestFilmGate, external_root: Path, source: str) -> None:
    loader = {"chestxray8": load_chestxray8_films, "covidnet": load_covidnet_films}[source]
    _assert_matches_card(gate, loader(external_root, 64).paths_of("test"), FRONTAL, f"{source} test")


def test_native_resolution_films_match_the_card(gate: ChestFilmGate, external_root: Path) -> None:
    paths = sorted(p for p in (external_root / "full-resolution").rglob("*") if p.is_file())
    _assert_matches_card(gate, paths, FRONTAL, "full-resolution films")


def test_mednist_test_images_are_refused_as_the_card_says(gate: ChestFilmGate, external_root: Path) -> None:
    mednist = load_mednist_images(external_root)
    for kind in sorted(set(mednist.sources.tolist())):
        paths = [mednist.root / p for p, s, k in zip(mednist.paths, mednist.splits, mednist.sources)
                 if s == "test" and k == kind]
        refused = _assert_matches_card(gate, paths, NOT_FRONTAL, f"MedNIST {kind} (test)")
        assert refused >= 0.95 * len(paths), kind


def test_package_images_match_the_card(gate: ChestFilmGate, tmp_path: Path) -> None:
    from trainer.safety.data import three_way_split
    from trainer.safety.nonchest import write_non_chest_set

    images = [i for i in write_non_chest_set(tmp_path / "non-chest") if three_way_split(i.name) == "test"]
    _assert_matches_card(gate, [i.path for i in images], NOT_FRONTAL, "package-shipped images (test)")


def test_sample_films_are_accepted(gate: ChestFilmGate) -> None:
    for path in sample_films():
        result = gate.check_file(path)
        assert result.accepted and result.score <= 1.0, (path.name, result)


@pytest.mark.parametrize("kind", TRANSFORMS)
def test_turned_inverted_or_halved_films_are_refused(gate: ChestFilmGate, kind: str) -> None:
    films = [to_uint8(decode_image(path)) for path in sample_films()]
    results = [gate.check(_film(transform(film, kind, index % 2 == 1))) for index, film in enumerate(films)]
    refused = sum(not result.accepted for result in results)
    assert refused >= len(results) - 1, (kind, results)  # at most one sample film slips through a transform


def test_structure_sees_two_lung_fields_only_in_a_frontal_film() -> None:
    film = to_uint8(decode_image(sample_films()[0]))
    upright, turned, half = (film_structure(f) for f in (film, np.rot90(film), transform(film, TRANSFORMS[-1])))
    assert upright.lung_trough_depth > 0.5 and upright.mirror_correlation > 0.3
    assert turned.lung_trough_depth < upright.lung_trough_depth / 2
    # one lung field stretched to the full width: no longer its own mirror image
    assert half.mirror_correlation < upright.mirror_correlation - 0.5


def _save(array: np.ndarray, path: Path) -> Path:
    Image.fromarray(array).save(path)
    return path


def test_cheap_checks_give_a_nurse_readable_reason(gate: ChestFilmGate, tmp_path: Path) -> None:
    import skimage.data

    film = to_uint8(decode_image(sample_films()[0]))
    cases = {
        "colour photograph": _save(skimage.data.astronaut(), tmp_path / "astronaut.png"),
        "almost blank": _save(np.full((300, 300), 127, np.uint8), tmp_path / "blank.png"),
        "wider or taller": _save(np.tile(film, (1, 4)), tmp_path / "banner.png"),
        "drawing, printed page": _save(skimage.data.horse().astype(np.uint8) * 255, tmp_path / "horse.png"),
    }
    for expected, path in cases.items():
        result = gate.check_file(path)
        assert not result.accepted and expected in result.reason and result.score > 1.0, (path.name, result)


def test_ct_slice_and_text_page_are_refused(gate: ChestFilmGate, tmp_path: Path) -> None:
    import skimage.data
    from pydicom.data import get_testdata_file

    for path in (Path(get_testdata_file("CT_small.dcm")), _save(skimage.data.page(), tmp_path / "page.png")):
        assert not gate.check_file(path).accepted, path.name


def test_colourfulness_separates_gray_from_colour(tmp_path: Path) -> None:
    import skimage.data

    gray_rgb = np.repeat(np.asarray(Image.open(sample_films()[0]).convert("L"))[..., None], 3, axis=2)
    assert decode_image(_save(gray_rgb, tmp_path / "gray.png")).colourfulness == pytest.approx(0.0, abs=1e-9)
    assert decode_image(_save(skimage.data.coffee(), tmp_path / "coffee.png")).colourfulness > 30
    assert decode_image(sample_films()[0]).colourfulness == 0.0  # a gray JPEG film


def _copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(SAFETY_DIR, tmp_path / "safety"))


def test_altered_model_file_is_refused(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    for model in folder.glob("*.tflite"):
        data = bytearray(model.read_bytes())
        data[len(data) // 2] ^= 0xFF
        model.write_bytes(bytes(data))
        with pytest.raises(SafetyCardError, match="altered or damaged"):
            ChestFilmGate.load(folder)
        data[len(data) // 2] ^= 0xFF
        model.write_bytes(bytes(data))


def test_other_preprocessing_or_missing_limits_are_refused(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    card = json.loads((SAFETY_DIR / "safety.json").read_text(encoding="utf-8"))
    for limit in ("min_std", "min_lung_trough_depth"):
        broken = json.loads(json.dumps(card))
        del broken["gate"]["limits"][limit]
        (folder / "safety.json").write_text(json.dumps(broken), encoding="utf-8")
        with pytest.raises(SafetyCardError, match=limit):
            ChestFilmGate.load(folder)
    del card["gate"]["models"]["discriminative"]["thresholds"]
    (folder / "safety.json").write_text(json.dumps(card), encoding="utf-8")
    with pytest.raises(SafetyCardError, match="one threshold per score"):
        ChestFilmGate.load(folder)
    card["preprocessing_id"] = "some-other-pipeline"
    (folder / "safety.json").write_text(json.dumps(card), encoding="utf-8")
    with pytest.raises(SafetyCardError, match="preprocessing"):
        ChestFilmGate.load(folder)
