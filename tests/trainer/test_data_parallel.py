"""Data-parallel training on JAX, tested without a GPU: two simulated CPU devices.

``XLA_FLAGS=--xla_force_host_platform_device_count=2`` gives JAX two devices; the same tiny recipe
trained with ``--data-parallel`` (each batch sharded across both) must follow the single-device
run's loss curve, since sharding a batch changes where the arithmetic runs, not what it computes
(only the order of float sums). The data-parallel checkpoint must load under TensorFlow and convert
with `converters.quantize` like any other, and run.json records the device count.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from trainer.run_folder import read_run_info

from tests.converters.test_quantize import quantize_cli

REPO_ROOT = Path(__file__).resolve().parents[2]
#: Relative difference allowed between the two runs' per-epoch losses (float32 sums in another order).
LOSS_TOLERANCE = 1e-3

pytest.importorskip("jax")


def _train(kermany_root: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "KERAS_BACKEND": "jax", "XLA_FLAGS": "--xla_force_host_platform_device_count=2",
           "JAX_PLATFORMS": "cpu"}
    args = ["--recipe", "p1-baseline", "--data", str(kermany_root), "--out", str(out), "--epochs", "2",
            "--limit-per-class", "8", "--size", "32", "--batch", "8", "--backend", "jax", "--cache-dir",
            str(out.parent / "cache"), *extra]
    return subprocess.run([sys.executable, "-m", "trainer.train", *args], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True, timeout=900)


def _losses(run: Path) -> np.ndarray:
    with open(run / "history.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return np.array([[float(row["loss"]), float(row["val_loss"])] for row in rows])


@pytest.mark.slow
def test_data_parallel_matches_one_device_and_converts(kermany_root: Path, tmp_path: Path) -> None:
    single, sharded = tmp_path / "one-device", tmp_path / "two-devices"
    for out, extra in ((single, ()), (sharded, ("--data-parallel",))):
        finished = _train(kermany_root, out, *extra)
        assert finished.returncode == 0, finished.stderr[-3000:]
    assert read_run_info(single)["devices"] == 1 and read_run_info(single)["data_parallel"] is False
    assert read_run_info(sharded)["devices"] == 2 and read_run_info(sharded)["data_parallel"] is True
    one, two = _losses(single), _losses(sharded)
    assert one.shape == two.shape == (2, 2)
    np.testing.assert_allclose(two, one, rtol=LOSS_TOLERANCE)
    assert not np.allclose(one[0], one[1])  # the curve moved: the comparison is of training, not of a constant

    code = quantize_cli(sharded / "best.keras", kermany_root, tmp_path / "bundle", tmp_path / "quantize-cache",
                        "--builds", "float32")
    assert code in (0, 1)  # 1 = a build drifted past the gate: still converted and measured
    assert (tmp_path / "bundle" / "card.json").is_file()


def test_data_parallel_refuses_one_device_with_the_fix(kermany_root: Path, tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key != "XLA_FLAGS"}
    out = tmp_path / "refused"
    args = ["--recipe", "p1-baseline", "--data", str(kermany_root), "--out", str(out), "--epochs", "1",
            "--limit-per-class", "4", "--size", "32", "--batch", "8", "--backend", "jax", "--data-parallel"]
    finished = subprocess.run([sys.executable, "-m", "trainer.train", *args], cwd=REPO_ROOT,
                              env={**env, "KERAS_BACKEND": "jax", "JAX_PLATFORMS": "cpu"},
                              capture_output=True, text=True, timeout=300)
    assert finished.returncode == 2
    assert "xla_force_host_platform_device_count" in finished.stderr + (out / "train.log").read_text()
