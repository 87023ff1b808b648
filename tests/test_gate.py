"""The shipped chest-film gate and domain check (models/_safety) on real films and on what is not a film.

Rates are recomputed here through the same code the app runs and compared with what
``safety.json`` records, so a card that claims what its models do not do fails the suite.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from cxrcore.decode import DecodedImage, decode_image
from cxrcore.domain import DomainCheck, SafetyCardError, read_safety_card
from cxrcore.gate import ChestFilmGate
from cxrcore.preprocess import to_uint8
from tests.conftest import REPO_ROOT
from tests.factories import sample_films

SAFETY_DIR = REPO_ROOT / "models" / "_safety"


def _card() -> dict:
    return json.loads((SAFETY_DIR / "safety.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def gate():
    loaded = ChestFilmGate.load(SAFETY_DIR)
    yield loaded
    loaded.close()


@pytest.fixture(scope="module")
def domain():
    loaded = DomainCheck.load(SAFETY_DIR, "kermany-pediatric")
    yield loaded
    loaded.close()


def _kermany_test(kermany_root: Path) -> list[Path]:
    return sorted((kermany_root / "chest_xray" / "test").glob("*/*.jpeg"))


def _film(pixels: np.ndarray) -> DecodedImage:
    return DecodedImage(pixels=np.ascontiguousarray(pixels), source_format="array", bits_stored=8)


def test_shipped_files_are_small_and_verified() -> None:
    card = read_safety_card(SAFETY_DIR)
    assert set(card.card["files"]) == {path.name for path in SAFETY_DIR.glob("*.tflite")}
    for name in card.card["files"]:
        assert (SAFETY_DIR / name).stat().st_size < 2_000_000, name


def test_kermany_test_false_rejections_match_the_card(gate: ChestFilmGate, kermany_root: Path) -> None:
    paths = _kermany_test(kermany_root)
    rejected = [path.name for path in paths if not gate.check_file(path).accepted]
    recorded = _card()["gate"]["measured"]["kermany_test (false rejections)"]
    assert len(paths) == recorded["films"] == 624
    assert abs(len(rejected) - recorded["rejected"]) <= 1, rejected  # float rounding may move one borderline film
    assert len(rejected) <= 0.01 * len(paths), rejected


def test_sample_films_are_accepted(gate: ChestFilmGate) -> None:
    for path in sample_films():
        result = gate.check_file(path)
        assert result.accepted and result.score <= 1.0, (path.name, result)


@pytest.mark.parametrize(
    ("variant", "turn"),
    [("inverted", lambda f: 255 - f), ("turned 90°", np.rot90), ("upside down", np.flipud)],
)
def test_inverted_or_turned_films_are_refused(gate: ChestFilmGate, variant: str, turn) -> None:
    films = [to_uint8(decode_image(path)) for path in sample_films()]
    results = [gate.check(_film(turn(film))) for film in films]
    assert all(not result.accepted for result in results), (variant, results)
    assert all("unlike the chest films" in result.reason for result in results)


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


def test_non_chest_set_rejections_match_the_card(gate: ChestFilmGate, tmp_path: Path) -> None:
    from trainer.safety.nonchest import write_non_chest_set

    images = write_non_chest_set(tmp_path / "non-chest")
    accepted = [f"{i.kind}/{i.name}/{i.variant}" for i in images if gate.check_file(i.path).accepted]
    recorded = _card()["gate"]["measured"]["non-chest set"]
    assert len(images) == recorded["films"]
    assert abs((len(images) - len(accepted)) - recorded["rejected"]) <= 1, accepted


def test_domain_flags_adult_films_and_rarely_children(domain: DomainCheck, kermany_root: Path,
                                                      radiography_root: Path) -> None:
    children = [domain.check(to_uint8(decode_image(path))) for path in _kermany_test(kermany_root)]
    # The domain model saw no radiography film at all, so any of them is held out for it.
    adult_dir = radiography_root / "COVID-19_Radiography_Dataset" / "Normal" / "images"
    adults = [domain.check(to_uint8(decode_image(path))) for path in sorted(adult_dir.glob("*.jpg"))[:200]]
    flagged_children = sum(not result.in_domain for result in children)
    flagged_adults = sum(not result.in_domain for result in adults)
    assert flagged_children <= 0.05 * len(children)
    assert flagged_adults >= 0.5 * len(adults)
    assert all(result.message for result in adults if not result.in_domain)
    assert all(result.message is None for result in children if result.in_domain)


def _copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(SAFETY_DIR, tmp_path / "safety"))


def test_altered_model_file_is_refused(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    model = next(folder.glob("*.tflite"))
    data = bytearray(model.read_bytes())
    data[len(data) // 2] ^= 0xFF
    model.write_bytes(bytes(data))
    with pytest.raises(SafetyCardError, match="altered or damaged"):
        ChestFilmGate.load(folder)


def test_other_preprocessing_or_missing_section_is_refused(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    card = _card()
    del card["domains"]
    (folder / "safety.json").write_text(json.dumps(card), encoding="utf-8")
    with pytest.raises(SafetyCardError, match="domains"):
        DomainCheck.load(folder)
    del card["gate"]["limits"]["min_std"]
    (folder / "safety.json").write_text(json.dumps(card), encoding="utf-8")
    with pytest.raises(SafetyCardError, match="min_std"):
        ChestFilmGate.load(folder)
    card["preprocessing_id"] = "some-other-pipeline"
    (folder / "safety.json").write_text(json.dumps(card), encoding="utf-8")
    with pytest.raises(SafetyCardError, match="preprocessing"):
        ChestFilmGate.load(folder)
