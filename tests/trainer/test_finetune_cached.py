"""Fine-tuning on cached activations: the split is exact and a tiny real run yields a normal run folder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from cxrcore.preprocess import InputSpec  # noqa: E402
from trainer.cached_backbone import CachedViews, cache_activations, join, split_at  # noqa: E402
from trainer.finetune_cached import main, split_nested_backbone  # noqa: E402
from trainer.models.registry import create_model  # noqa: E402
from trainer.run_folder import read_run_info  # noqa: E402


@pytest.fixture(scope="module")
def model() -> keras.Model:
    keras.utils.set_random_seed(0)
    return create_model("effnetlite0-cxr", (64, 64, 3), 4, weights=None)


def test_split_then_join_reproduces_the_model_exactly(model: keras.Model) -> None:
    bottom, top = split_nested_backbone(model, "block10_add")
    films = np.random.default_rng(0).random((2, 64, 64, 3)).astype("float32")
    expected = model.predict_on_batch(films)
    np.testing.assert_allclose(top.predict_on_batch(bottom.predict_on_batch(films)), expected, atol=1e-5)
    np.testing.assert_allclose(join(bottom, top, "joined").predict_on_batch(films), expected, atol=1e-5)
    assert bottom.output.shape[1:] == (4, 4, 112)


def test_split_at_unknown_layer_names_it(model: keras.Model) -> None:
    with pytest.raises(ValueError, match="no layer 'block99_add'"):
        split_at(model, "block99_add")


def test_activation_cache_holds_mirrored_views_and_is_reused(model: keras.Model, tmp_path: Path) -> None:
    bottom, _ = split_nested_backbone(model, "block10_add")
    films = np.random.default_rng(1).integers(0, 256, (3, 64, 64), dtype=np.uint8)
    spec = InputSpec(64, 64, 3, scale=1 / 128, offset=-127 / 128)
    cached = cache_activations(bottom, films, spec, tmp_path / "acts.npy", mirrored=True, progress=False)
    assert cached.shape == (2, 3, 4, 4, 112) and cached.dtype == np.float16
    mtime = (tmp_path / "acts.npy").stat().st_mtime_ns
    cache_activations(bottom, films, spec, tmp_path / "acts.npy", mirrored=True, progress=False)
    assert (tmp_path / "acts.npy").stat().st_mtime_ns == mtime
    batches = CachedViews(cached, np.arange(3, dtype=np.int32), batch_size=2, shuffle=True, seed=0)
    assert len(batches) == 2 and batches[0][0].shape[1:] == (4, 4, 112)


def test_tiny_real_run_writes_the_converters_contract(kermany_root: Path, tmp_path: Path) -> None:
    out = tmp_path / "run"
    code = main(["--recipe", "pneumonia-effnetlite0", "--data", str(kermany_root), "--out", str(out),
                 "--limit-per-class", "8", "--size", "64", "--epochs", "1", "--cache-dir", str(tmp_path / "cache")])
    assert code == 0
    info = read_run_info(out)
    assert info["labels"] == ["NORMAL", "PNEUMONIA"] and info["output_activation"] == "sigmoid"
    assert info["cached_cut"] == "block10_add" and info["epochs_run"] == 1
    assert {"best.keras", "split.csv", "history.csv"} <= {path.name for path in out.iterdir()}
    from trainer.models.registry import list_models

    list_models()
    saved = keras.saving.load_model(out / "best.keras")
    assert saved.input_shape == (None, 64, 64, 3) and saved.output_shape == (None, 1)
    assert main(["--recipe", "pneumonia-effnetlite0", "--data", str(kermany_root), "--out", str(out)]) == 2
