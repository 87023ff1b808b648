"""`python -m trainer.dcgan_train` on a tiny real subset: outputs decode, the manifest extends the
training split only, and the GAN never sees a film outside the P1 baseline's training split."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from trainer import dcgan_train
from trainer.run_folder import read_run_info

GENERATED = 4


@pytest.fixture(scope="module")
def out(kermany_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("dcgan") / "p1-dcgan"
    code = dcgan_train.main(["--data", str(kermany_root), "--out", str(folder), "--epochs", "1",
                             "--generate", str(GENERATED), "--limit-per-class", "40", "--base-filters", "8",
                             "--batch", "16", "--backend", "tensorflow"])
    assert code == 0
    return folder


def _manifest(out: Path) -> list[dict[str, str]]:
    with open(out / "manifest.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_synthetic_films_and_sample_grid_decode(out: Path) -> None:
    films = sorted((out / "synthetic").glob("*.png"))
    assert len(films) == GENERATED
    for film in films:
        with Image.open(film) as image:
            assert image.mode == "L" and image.size == (64, 64)
    with Image.open(out / "samples.png") as grid:
        assert grid.size == (8 * 64, 64) and np.asarray(grid).std() > 0
    assert (out / "generator.keras").is_file() and (out / "history.csv").is_file()


def test_manifest_adds_synthetic_normals_to_train_and_keeps_official_splits(out: Path, kermany_root: Path) -> None:
    rows = _manifest(out)
    assert list(rows[0]) == ["path", "label", "patient_id", "split"]
    synthetic = [row for row in rows if row["path"].startswith("synthetic/")]
    assert len(synthetic) == GENERATED
    assert {(row["label"], row["split"]) for row in synthetic} == {("NORMAL", "train")}
    assert len({row["patient_id"] for row in synthetic}) == GENERATED
    real = [row for row in rows if row not in synthetic]
    assert len(real) == len(list((kermany_root / "chest_xray").glob("*/*/*.jpeg")))
    for row in real:
        assert (out / row["path"]).resolve().is_file()
        assert f"/{row['split']}/{row['label']}/" in row["path"]


def test_gan_trained_on_training_normals_only(out: Path) -> None:
    info = read_run_info(out)
    films = info["training_films"]
    assert films and all(path.startswith("chest_xray/train/NORMAL/") for path in films)
    assert info["generated"] == GENERATED and info["epochs_run"] == 1 and info["wall_time_s"] > 0
