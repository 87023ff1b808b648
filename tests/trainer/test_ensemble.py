"""trainer.ensemble on two tiny models over real Kermany films: the saved model is the members' mean,
and the run folder it writes is one the evaluator and the converters accept as they are."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import numpy as np
import pytest

from cxrcore.preprocess import InputSpec, preprocess_file
from trainer import ensemble as ensemble_module
from trainer import evaluate as evaluate_module
from trainer.run_folder import read_run, read_run_info, write_run_info

SPEC = InputSpec(height=32, width=32, channels=1)
LABELS = ["NORMAL", "PNEUMONIA"]


def _films(kermany_root: Path) -> list[tuple[str, str, str]]:
    """(relative path, label, split): 3 val and 3 test films per class, from the official test folder."""
    rows = []
    for label in LABELS:
        files = sorted((kermany_root / "chest_xray" / "test" / label).glob("*.jpeg"))[:6]
        rows += [(p.relative_to(kermany_root).as_posix(), label, "val" if k < 3 else "test") for k, p in enumerate(files)]
    return rows


def _member(run_dir: Path, kermany_root: Path, rows: list[tuple[str, str, str]], seed: int) -> Path:
    """A run folder around an untrained tiny sigmoid CNN (weights drawn from ``seed``)."""
    import keras

    keras.utils.set_random_seed(seed)
    inputs = keras.Input((SPEC.height, SPEC.width, SPEC.channels))
    hidden = keras.layers.GlobalAveragePooling2D()(keras.layers.Conv2D(4, 3, activation="relu")(inputs))
    model = keras.Model(inputs, keras.layers.Dense(1, activation="sigmoid")(hidden))
    run_dir.mkdir(parents=True)
    model.save(run_dir / "best.keras")
    with open(run_dir / "split.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["path", "label", "patient_id", "split", "sha256"])
        for path, label, split in rows:
            writer.writerow([path, label, Path(path).stem, split, hashlib.sha256((kermany_root / path).read_bytes()).hexdigest()])
    info = {"recipe": f"tiny-{seed}", "model": "tiny-cnn", "labels": LABELS, "abnormal_labels": ["PNEUMONIA"],
            "input": SPEC.to_dict(), "preprocessing_id": "cxr-gray-box-v1", "output_activation": "sigmoid",
            "dataset": {"kind": "kermany", "root": str(kermany_root)}, "seed": seed,
            "split_manifest_sha256": hashlib.sha256((run_dir / "split.csv").read_bytes()).hexdigest()}
    write_run_info(run_dir, info)
    return run_dir / "best.keras"


@pytest.fixture(scope="module")
def members(kermany_root: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    root = tmp_path_factory.mktemp("members")
    rows = _films(kermany_root)
    return [_member(root / f"m{seed}", kermany_root, rows, seed) for seed in (1, 2)]


def test_the_ensemble_outputs_the_mean_of_its_members(members: list[Path], kermany_root: Path, tmp_path: Path) -> None:
    import keras

    out = tmp_path / "ens"
    assert ensemble_module.main(["--members", *map(str, members), "--out", str(out)]) == 0
    rows = _films(kermany_root)
    batch = np.concatenate([preprocess_file(kermany_root / path, SPEC) for path, _, _ in rows])
    each = [keras.ops.convert_to_numpy(keras.saving.load_model(path)(batch)) for path in members]
    assert not np.allclose(each[0], each[1])  # distinct members, or the mean would prove nothing
    combined = keras.ops.convert_to_numpy(keras.saving.load_model(out / "best.keras")(batch))
    np.testing.assert_allclose(combined, (each[0] + each[1]) / 2, rtol=1e-5, atol=1e-6)

    info = read_run_info(out)
    assert info["recipe"] == "ensemble(tiny-1 + tiny-2)"
    assert [member["model_sha256"] for member in info["members"]] == [
        hashlib.sha256(path.read_bytes()).hexdigest() for path in members]
    assert (out / "split.csv").read_bytes() == (members[0].parent / "split.csv").read_bytes()

    # The run folder is a normal one downstream: the evaluator and the converters' reader accept it.
    result = evaluate_module.evaluate(out / "best.keras", kermany_root, "val", tmp_path / "eval")
    assert result["count"] == 6 and result["recipe"] == info["recipe"]
    assert read_run(out / "best.keras").labels == LABELS


def test_members_of_different_splits_or_a_lone_member_are_refused(members: list[Path], tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "other"
    other.mkdir()
    for name in ("best.keras", "split.csv"):
        (other / name).write_bytes((members[1].parent / name).read_bytes())
    info = read_run_info(members[1].parent)
    write_run_info(other, {**info, "split_manifest_sha256": "0" * 64})
    assert ensemble_module.main(["--members", str(members[0]), str(other / "best.keras"), "--out", str(tmp_path / "x")]) == 2
    assert "split_manifest_sha256 differs" in capsys.readouterr().err
    assert ensemble_module.main(["--members", str(members[0]), "--out", str(tmp_path / "y")]) == 2
    assert "at least two members" in capsys.readouterr().err
    assert not (tmp_path / "x").exists() and not (tmp_path / "y").exists()
