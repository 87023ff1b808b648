"""The shared preprocessing: shapes, scaling, quantization and the documented interpolation."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from cxrcore.decode import DecodedImage
from cxrcore.preprocess import InputSpec, load_resized_gray, preprocess_file, resize_gray, to_model_input, to_uint8


@pytest.fixture(scope="module")
def real_films(kermany_root: Path) -> list[Path]:
    test_dir = kermany_root / "chest_xray" / "test"
    return sorted((test_dir / "NORMAL").glob("*.jpeg"))[:3] + sorted((test_dir / "PNEUMONIA").glob("*.jpeg"))[:3]


def test_model_input_shape_dtype_and_scale(real_films: list[Path]) -> None:
    spec = InputSpec(height=150, width=150, channels=3, scale=1 / 255, offset=0.0)
    batch = preprocess_file(real_films[0], spec)
    assert batch.shape == (1, 150, 150, 3) and batch.dtype == np.float32
    assert 0.0 <= batch.min() and batch.max() <= 1.0
    assert np.array_equal(batch[..., 0], batch[..., 2])  # gray replicated, not colour


def test_scale_offset_are_applied_exactly() -> None:
    gray = np.array([[0, 127, 255, 64]], np.uint8).repeat(8, 0).repeat(2, 1)[:8, :8]
    spec = InputSpec(height=8, width=8, channels=1, scale=1 / 128, offset=-127 / 128)
    values = to_model_input(gray, spec)[0, :, :, 0]
    np.testing.assert_allclose(values, gray.astype(np.float32) / 128 - 127 / 128, atol=1e-6)


def test_int8_input_quantization_rounds_and_clips() -> None:
    gray = np.full((8, 8), 255, np.uint8)
    spec = InputSpec(8, 8, 1, scale=1 / 255, offset=0.0).with_quantization("int8", 1 / 255, -128)
    assert to_model_input(gray, spec).dtype == np.int8
    assert int(to_model_input(gray, spec).max()) == 127
    assert int(to_model_input(np.zeros((8, 8), np.uint8), spec).min()) == -128


def test_resize_is_the_documented_box_filter(real_films: list[Path]) -> None:
    gray = np.asarray(Image.open(real_films[1]).convert("L"))
    expected = np.asarray(Image.fromarray(gray).resize((100, 120), Image.Resampling.BOX))
    assert np.array_equal(resize_gray(gray, 120, 100), expected)


def test_box_filter_averages_blocks_exactly() -> None:
    """Shrinking by 2 is a block mean done in two separable passes (columns, then rows), each rounded
    half-up to 8 bits: the bottom-right block (0, 0 / 0, 1) gives rows 0 and 0.5→1, then 0.5→1."""
    gray = np.array([[0, 10, 100, 200], [20, 30, 50, 50], [255, 255, 0, 0], [255, 254, 0, 1]], np.uint8)
    np.testing.assert_array_equal(resize_gray(gray, 2, 2), [[15, 100], [255, 1]])


def test_sixteen_bit_is_stretched_min_to_max() -> None:
    pixels = np.array([[1000, 2000], [3000, 5000]], np.uint16)
    view = to_uint8(DecodedImage(pixels=pixels, source_format="PNG", bits_stored=16))
    assert view.min() == 0 and view.max() == 255 and view[0, 1] == round(1000 * 255 / 4000)


def test_draft_decoding_changes_nothing_at_training_size(real_films: list[Path]) -> None:
    """The app decodes with JPEG draft enabled; at 224 px it must equal a full decode exactly."""
    for film in real_films:
        assert np.array_equal(load_resized_gray(film, 224, 224, draft=True), load_resized_gray(film, 224, 224))


def test_draft_decoding_of_a_large_film_stays_close(tmp_path: Path, real_films: list[Path]) -> None:
    """A full-size film decoded at reduced DCT scale must resize to nearly the same model input."""
    big = np.asarray(Image.open(real_films[0]).convert("L").resize((1792, 1792), Image.Resampling.BICUBIC))
    path = tmp_path / "big.jpg"
    Image.fromarray(big).save(path, quality=95)
    full = load_resized_gray(path, 224, 224).astype(int)
    draft = load_resized_gray(path, 224, 224, draft=True).astype(int)
    assert np.abs(full - draft).mean() < 1.0


def test_spec_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="channels"):
        InputSpec(224, 224, 2)
    with pytest.raises(ValueError, match="quant_scale"):
        InputSpec(224, 224, 1, dtype="int8")
    with pytest.raises(ValueError, match="unknown input field"):
        InputSpec.from_dict({"height": 224, "width": 224, "channels": 1, "mean": 0.5})


def test_wrong_size_batch_is_refused() -> None:
    with pytest.raises(ValueError, match="expected uint8 images of 64×64"):
        to_model_input(np.zeros((32, 32), np.uint8), InputSpec(64, 64, 1))


@pytest.mark.parametrize("spec", [
    InputSpec(16, 16, 3, scale=1 / 128, offset=-127 / 128),
    InputSpec(16, 16, 1, scale=1 / 58.3, offset=-2.1),
    InputSpec(16, 16, 3, scale=1 / 128, offset=-127 / 128).with_quantization("int8", 0.0078125, -1),
    InputSpec(16, 16, 1, scale=0.017, offset=-1.7).with_quantization("uint8", 0.0071, 128),
], ids=["float-3", "float-1", "int8", "uint8"])
def test_every_level_maps_exactly_as_the_card_formula_and_out_gets_the_same(spec: InputSpec) -> None:
    """Computed in place for speed, the values must stay the formula's, bit for bit, at all 256 levels."""
    levels = np.arange(256, dtype=np.uint8).reshape(16, 16)
    expected = levels.astype(np.float32) * np.float32(spec.scale) + np.float32(spec.offset)
    if spec.dtype != "float32":
        info = np.iinfo(spec.dtype)
        expected = np.clip(np.round(expected / np.float32(spec.quant_scale)) + spec.quant_zero_point,
                           info.min, info.max).astype(spec.dtype)
    expected = np.repeat(expected[np.newaxis, ..., np.newaxis], spec.channels, axis=-1)
    assert to_model_input(levels, spec).tobytes() == expected.tobytes()
    out = np.empty_like(expected)
    assert to_model_input(levels, spec, out=out) is out and out.tobytes() == expected.tobytes()
    with pytest.raises(ValueError, match="cannot write"):
        to_model_input(levels, spec, out=np.empty((1, 16, 16, spec.channels), np.float64))
