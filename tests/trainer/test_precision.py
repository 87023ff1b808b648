"""Training under a mixed precision policy (``--precision mixed_bfloat16``), on a tiny real run.

Under bfloat16 a CPU with AVX512-BF16 halves a convolution step, which is what makes the 60-epoch
P3 run fit a working day on 2 cores. What must hold: the policy is recorded and kept on resume (a
resumed run cannot silently change it), the probabilities are float32 (not bfloat16's 1/256 steps
near 1), and the checkpoint converts with `converters.quantize`, whose LiteRT converter has no
bfloat16 kernels, into a float32 build that reproduces the float32 copy of the model.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from trainer import train as train_module
from trainer.run_folder import read_run_info

from tests.converters.test_quantize import quantize_cli
from tests.trainer.test_train_cli import _args, _crash_after_first_epoch


@pytest.fixture(autouse=True)
def _float32_policy_after():
    """The trainer sets Keras' global policy; leave float32 behind for the tests that follow."""
    yield
    import keras

    keras.mixed_precision.set_global_policy("float32")


@pytest.fixture(scope="module")
def bf16_run(kermany_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("runs") / "bf16"
    args = _args(kermany_root, out) + ["--precision", "mixed_bfloat16"]
    with pytest.MonkeyPatch.context() as patch:
        _crash_after_first_epoch(args, patch)
    refused = _args(kermany_root, out) + ["--precision", "float32"]
    assert train_module.main(refused) == 2
    assert "started with precision mixed_bfloat16" in (out / "train.log").read_text()
    assert train_module.main(_args(kermany_root, out)) == 0  # no --precision: keeps the run's own
    import keras

    keras.mixed_precision.set_global_policy("float32")
    return out


def test_the_policy_is_recorded_and_kept_on_resume(bf16_run: Path) -> None:
    info = read_run_info(bf16_run)
    assert info["precision"] == "mixed_bfloat16" and info["mixed_precision"] is True
    assert info["epochs_run"] == 2 and info["status"] == "complete"
    assert json.loads((bf16_run / "state.json").read_text())["epoch"] == 2
    config = json.dumps(json.loads(__import__("zipfile").ZipFile(bf16_run / "last.keras").read("config.json")))
    assert '"mixed_bfloat16"' in config  # the layers really trained in bfloat16


def test_the_output_is_float32_and_a_float32_copy_computes_the_same(bf16_run: Path, kermany_root: Path) -> None:
    import keras

    from cxrcore.preprocess import InputSpec, preprocess_file
    from trainer.backend import float32_model
    from trainer.data.manifest import read_split_manifest
    from trainer.models.registry import list_models

    list_models()
    trained = keras.saving.load_model(bf16_run / "best.keras", compile=False)
    assert trained.get_layer("predictions").compute_dtype == "float32"
    spec = InputSpec.from_dict(read_run_info(bf16_run)["input"])
    rows = [row for row in read_split_manifest(bf16_run / "split.csv") if row.split == "test"][:24]
    batch = np.concatenate([preprocess_file(kermany_root / row.path, spec) for row in rows])
    mixed = keras.ops.convert_to_numpy(trained(batch, training=False))
    copy = float32_model(trained)
    assert copy is not trained and all(layer.compute_dtype == "float32" for layer in copy.layers)
    exact = keras.ops.convert_to_numpy(copy(batch, training=False))
    assert mixed.dtype == exact.dtype == np.float32
    assert len(np.unique(exact)) > len(rows) // 2  # real float32 probabilities, not a few bfloat16 steps
    np.testing.assert_allclose(mixed, exact, atol=0.02)  # bfloat16 keeps ~3 significant digits
    assert float32_model(copy) is copy


def test_the_checkpoint_converts_to_litert(bf16_run: Path, kermany_root: Path, tmp_path: Path) -> None:
    code = quantize_cli(bf16_run / "best.keras", kermany_root, tmp_path / "bundle", tmp_path / "cache",
                        "--builds", "float32")
    assert code in (0, 1)  # 1 = a build drifted past the gate: still converted and measured
    card = json.loads((tmp_path / "bundle" / "card.json").read_text())
    assert card["builds"]["float32"]["status"] == "passed"  # the float32 build agrees with the float32 copy


def test_evaluation_and_the_reproduction_table_read_the_run(bf16_run: Path, kermany_root: Path) -> None:
    from studies.reproduction_table import row
    from trainer import evaluate as evaluate_module

    out = bf16_run / "eval-test"
    assert evaluate_module.main(["--model", str(bf16_run / "best.keras"), "--data", str(kermany_root),
                                 "--split", "test", "--out", str(out)]) == 0
    metrics = json.loads((out / "metrics.json").read_text())
    line = row("p1-baseline", bf16_run.name, 90.0, "90%", "recalls", bf16_run.parent)
    assert f"**{100 * metrics['accuracy']:.1f}%**" in line and "618 films" in line
    assert "2 / 20 (capped by --epochs; mixed_bfloat16)" in line
    assert "--precision mixed_bfloat16" in line and line.count("`python -m trainer.train") == 2  # start + the resume (the refused one is not recorded)
