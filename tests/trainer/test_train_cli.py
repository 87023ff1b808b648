"""The training and evaluation CLIs end to end: a tiny real run (8 films per class, 32×32, the
p1-baseline model), interrupted after its first epoch and resumed, then evaluated on the test split."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from cxrcore.preprocess import InputSpec, preprocess_file
from trainer import evaluate as evaluate_module
from trainer import train as train_module
from trainer.data.fingerprints import hash_files
from trainer.data.manifest import SPLIT_COLUMNS, read_split_manifest
from trainer.data.records import DataError
from trainer.run_folder import read_run_info

REPO_ROOT = Path(__file__).resolve().parents[2]
RUN_JSON_KEYS = {"recipe", "model", "labels", "abnormal_labels", "input", "output_activation", "dataset",
                 "split_manifest_sha256", "command", "backend", "hardware", "epochs_run", "wall_time_s", "seed"}


class SimulatedCrash(Exception):
    """Stands for a power cut or a killed job right after an epoch was saved."""


def _args(data: Path, out: Path, epochs: int = 2) -> list[str]:
    return ["--recipe", "p1-baseline", "--data", str(data), "--out", str(out), "--epochs", str(epochs),
            "--limit-per-class", "8", "--size", "32", "--batch", "8", "--backend", "tensorflow"]


def _crash_after_first_epoch(args: list[str], patch: pytest.MonkeyPatch) -> None:
    """Run `trainer.train` with ``args`` until a simulated crash right after its first epoch is saved."""
    import keras

    original = train_module._callbacks

    class CrashAfterFirstEpoch(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            raise SimulatedCrash

    patch.setattr(train_module, "_callbacks", lambda *a, **k: original(*a, **k) + [CrashAfterFirstEpoch()])
    with pytest.raises(SimulatedCrash):
        train_module.main(args)
    patch.setattr(train_module, "_callbacks", original)


@pytest.fixture(scope="module")
def run_dir(kermany_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 2-epoch run that crashes after epoch 1, then the same command again (the resume)."""
    out = tmp_path_factory.mktemp("runs") / "p1-tiny"
    with pytest.MonkeyPatch.context() as patch:
        _crash_after_first_epoch(_args(kermany_root, out), patch)
    state = json.loads((out / "state.json").read_text())
    assert state["epoch"] == 1 and (out / "last.keras").is_file()
    assert read_run_info(out)["status"] == "running"
    assert train_module.main(_args(kermany_root, out)) == 0
    return out


def test_run_folder_holds_every_contract_artefact(run_dir: Path, kermany_root: Path) -> None:
    for name in ("best.keras", "run.json", "split.csv", "history.csv", "train.log", "data_report.json", "last.keras"):
        assert (run_dir / name).is_file(), name
    assert any((run_dir / "tensorboard").rglob("events.out.tfevents.*"))
    info = read_run_info(run_dir)
    assert RUN_JSON_KEYS <= set(info)
    assert info["labels"] == ["NORMAL", "PNEUMONIA"] and info["abnormal_labels"] == ["PNEUMONIA"]
    assert info["output_activation"] == "sigmoid" and info["backend"] == "tensorflow"
    assert info["dataset"] == {"kind": "kermany", "root": str(kermany_root)}
    assert InputSpec.from_dict(info["input"]) == InputSpec(32, 32, 3, scale=1 / 255, offset=0.0)
    assert info["command"].startswith("python -m trainer.train --recipe p1-baseline")
    assert info["status"] == "complete" and info["epochs_run"] == 2 and info["wall_time_s"] > 0


def test_split_csv_lists_every_file_with_its_hash(run_dir: Path, kermany_root: Path) -> None:
    with open(run_dir / "split.csv", newline="") as handle:
        assert tuple(next(csv.reader(handle))) == SPLIT_COLUMNS
    rows = read_split_manifest(run_dir / "split.csv")
    assert len(rows) == 5840
    counts = {split: sum(row.split == split for row in rows) for split in ("train", "val", "test")}
    assert counts == {"train": 12, "val": 4, "test": 618}
    sample = [row for row in rows if row.split in ("train", "test")][:5]
    assert hash_files([kermany_root / row.path for row in sample]) == [row.sha256 for row in sample]
    from cxrcore.files import sha256_file

    assert sha256_file(run_dir / "split.csv") == read_run_info(run_dir)["split_manifest_sha256"]


def test_resume_continued_from_the_saved_epoch(run_dir: Path) -> None:
    with open(run_dir / "history.csv", newline="") as handle:
        assert [row["epoch"] for row in csv.DictReader(handle)] == ["0", "1"]
    info = read_run_info(run_dir)
    assert len(info["resumed_with"]) == 1
    assert "resuming p1-baseline" in (run_dir / "train.log").read_text()
    assert json.loads((run_dir / "state.json").read_text())["epoch"] == 2


def test_a_finished_run_is_left_alone_and_a_foreign_recipe_refused(run_dir: Path, kermany_root: Path) -> None:
    before = (run_dir / "history.csv").read_text()
    assert train_module.main(_args(kermany_root, run_dir)) == 0
    assert (run_dir / "history.csv").read_text() == before
    foreign = _args(kermany_root, run_dir)
    foreign[1] = "p2-relu"
    assert train_module.main(foreign) == 2
    assert "holds a p1-baseline run" in (run_dir / "train.log").read_text()


def test_saved_model_loads_under_tensorflow_and_matches_the_app_preprocessing(run_dir: Path, kermany_root: Path) -> None:
    import keras

    from trainer.models.registry import list_models

    list_models()
    model = keras.saving.load_model(run_dir / "best.keras")
    spec = InputSpec.from_dict(read_run_info(run_dir)["input"])
    rows = [row for row in read_split_manifest(run_dir / "split.csv") if row.split == "val"]
    batch = np.concatenate([preprocess_file(kermany_root / row.path, spec) for row in rows])
    first = keras.ops.convert_to_numpy(model(batch, training=False))
    again = keras.saving.load_model(run_dir / "best.keras")
    assert first.shape == (len(rows), 1) and np.all((first >= 0) & (first <= 1))
    np.testing.assert_allclose(keras.ops.convert_to_numpy(again(batch, training=False)), first, rtol=1e-6)


def test_evaluate_writes_reports_consistent_with_its_predictions(run_dir: Path, kermany_root: Path) -> None:
    out = run_dir / "eval-test"
    code = evaluate_module.main(["--model", str(run_dir / "best.keras"), "--data", str(kermany_root),
                                 "--split", "test", "--out", str(out)])
    assert code == 0
    for name in ("metrics.json", "report.md", "predictions.csv", "confusion_matrix.png", "roc.png",
                 "reliability.png", "training_curves.png"):
        assert (out / name).is_file() and (out / name).stat().st_size > 0, name
    result = json.loads((out / "metrics.json").read_text())
    with open(out / "predictions.csv", newline="") as handle:
        predictions = list(csv.DictReader(handle))
    assert result["count"] == len(predictions) == 618
    assert result["accuracy"] == pytest.approx(np.mean([p["label"] == p["predicted"] for p in predictions]))
    assert np.sum(result["confusion_matrix"]) == 618
    assert set(result["per_class"]) == {"NORMAL", "PNEUMONIA"} and "ece_15_bins" in result
    assert "Evaluation: p1-baseline on the test split" in (out / "report.md").read_text()


def test_evaluate_refuses_the_training_split(run_dir: Path, kermany_root: Path, tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        evaluate_module.main(["--model", str(run_dir / "best.keras"), "--data", str(kermany_root),
                              "--split", "train", "--out", str(tmp_path)])
    with pytest.raises(DataError, match="only val or test"):
        evaluate_module.evaluate(run_dir / "best.keras", kermany_root, "train", tmp_path)


def test_distillation_mixes_labels_with_the_teachers_view_of_each_augmented_batch(run_dir: Path,
                                                                                 kermany_root: Path) -> None:
    import keras

    from trainer.data.pipeline import DistilledTargets, FilmBatches, build_augmenter
    from trainer.models.registry import list_models
    from trainer.recipes import Augmentation

    list_models()
    teacher = keras.saving.load_model(run_dir / "best.keras")
    spec = InputSpec.from_dict(read_run_info(run_dir)["input"])
    rows = [row for row in read_split_manifest(run_dir / "split.csv") if row.split == "val"]
    films = np.concatenate([preprocess_file(kermany_root / row.path, spec) for row in rows])
    images = np.rint((films[..., 0] - spec.offset) / spec.scale).astype(np.uint8)  # back to the uint8 cache
    labels = np.array([row.label == "PNEUMONIA" for row in rows], dtype=np.float32)
    batches = FilmBatches(images, np.arange(len(rows)), spec, len(rows), labels,
                          augmenter=build_augmenter(Augmentation(zoom=0.2), seed=0),
                          distilled=DistilledTargets(teacher, 0.25))
    x, y = batches[0]
    soft = keras.ops.convert_to_numpy(teacher(x, training=False))[:, 0]
    assert np.ptp(soft) > 0  # a teacher that says the same of every film would prove nothing
    np.testing.assert_allclose(y, 0.75 * labels + 0.25 * soft, rtol=1e-5, atol=1e-6)


def test_mixup_blends_each_film_its_target_and_its_weight_with_the_same_partner_and_share() -> None:
    from trainer.data.pipeline import MixUp

    rng = np.random.default_rng(0)
    targets = rng.uniform(size=16).astype(np.float32)
    films = np.broadcast_to(targets[:, None, None, None], (16, 8, 8, 3)).copy()  # film i holds its target
    x, y, w = MixUp(0.2)(films, targets, 2 * targets + 1, key=(0, 3, 5))
    assert not np.allclose(y, targets)  # something was mixed
    np.testing.assert_allclose(x, np.broadcast_to(y[:, None, None, None], x.shape), rtol=1e-6)
    np.testing.assert_allclose(w, 2 * y + 1, rtol=1e-6)
    assert targets.min() <= y.min() and y.max() <= targets.max()
    again = MixUp(0.2)(films, targets, None, key=(0, 3, 5))
    np.testing.assert_array_equal(again[1], y)  # a resumed run draws the same blends
    assert again[2] is None
    assert not np.allclose(MixUp(0.2)(films, targets, None, key=(0, 4, 5))[1], y)  # another epoch, others
    with pytest.raises(ValueError, match="mixup blends targets"):
        from trainer.recipes import get_recipe

        replace(get_recipe("p0-m1"), mixup_alpha=0.2)


def test_a_mixup_recipe_blends_every_training_batch(kermany_root: Path, tmp_path: Path) -> None:
    from trainer.data.pipeline import MixUp
    from trainer.recipes import RECIPES, get_recipe

    recipe = replace(get_recipe("p1-baseline"), name="p1-mixup-test", mixup_alpha=0.2)
    args = _args(kermany_root, tmp_path / "mixup", epochs=1)
    args[1] = recipe.name
    keys = []
    blend = MixUp.__call__
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(RECIPES, recipe.name, recipe)
        patch.setattr(MixUp, "__call__", lambda self, x, y, w, key: keys.append(key) or blend(self, x, y, w, key))
        assert train_module.main(args) == 0
    info = read_run_info(tmp_path / "mixup")
    train_films = sum(1 for row in read_split_manifest(tmp_path / "mixup" / "split.csv") if row.split == "train")
    epoch_one = {key for key in keys if key[1] == 0}  # Keras may also fetch a batch ahead, or for shapes
    assert info["epochs_run"] == 1 and epoch_one == {(info["seed"], 0, b) for b in range(-(-train_films // 8))}


def test_a_distilling_recipe_needs_a_teacher_from_the_same_split(run_dir: Path, kermany_root: Path,
                                                                   tmp_path: Path) -> None:
    from trainer.recipes import RECIPES, get_recipe

    recipe = replace(get_recipe("p1-baseline"), name="p1-distilled-test", distillation_weight=0.5)
    teacher = ["--teacher", str(run_dir / "best.keras")]
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(RECIPES, recipe.name, recipe)
        student = _args(kermany_root, tmp_path / "student", epochs=1)
        student[1] = recipe.name
        assert train_module.main(student) == 2
        assert "give the teacher's model with --teacher" in (tmp_path / "student" / "train.log").read_text()
        other_split = _args(kermany_root, tmp_path / "other", epochs=1) + ["--seed", "7"]
        other_split[1] = recipe.name
        assert train_module.main(other_split + teacher) == 2
        assert "split_manifest_sha256 differs" in (tmp_path / "other" / "train.log").read_text()
        assert train_module.main(student + teacher) == 0
    info = read_run_info(tmp_path / "student")
    assert info["teacher"]["weight"] == 0.5 and info["epochs_run"] == 1
    assert info["teacher"]["model_sha256"] == hash_files([run_dir / "best.keras"])[0]
    assert train_module.main(_args(kermany_root, tmp_path / "plain", epochs=1) + teacher) == 2
    with pytest.raises(ValueError, match="soft targets"):
        replace(get_recipe("p0-m1"), distillation_weight=0.5)


def test_a_cosine_schedule_survives_a_crash_ends_at_zero_and_keeps_the_last_epoch(kermany_root: Path,
                                                                                    tmp_path: Path) -> None:
    import keras

    from trainer.models.registry import list_models
    from trainer.recipes import RECIPES, get_recipe

    recipe = replace(get_recipe("p1-baseline"), name="p1-cosine-test", lr_schedule="cosine", reduce_lr=None,
                     early_stopping=None, checkpoint_monitor=None)
    out = tmp_path / "cosine"
    args = _args(kermany_root, out)
    args[1] = recipe.name
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(RECIPES, recipe.name, recipe)
        _crash_after_first_epoch(args, patch)
        assert train_module.main(args) == 0
    list_models()
    last = keras.saving.load_model(out / "last.keras")
    schedule = last.optimizer._learning_rate
    assert isinstance(schedule, keras.optimizers.schedules.CosineDecay)
    steps = int(keras.ops.convert_to_numpy(last.optimizer.iterations))
    assert steps == schedule.decay_steps  # the resumed run continued the schedule; a restart would stop halfway
    assert float(keras.ops.convert_to_numpy(schedule(steps // 2))) == pytest.approx(0.5 * recipe.learning_rate)
    assert float(keras.ops.convert_to_numpy(schedule(steps))) == pytest.approx(0.0, abs=1e-12)
    kept = keras.saving.load_model(out / "best.keras")
    for kept_weights, last_weights in zip(kept.get_weights(), last.get_weights()):
        np.testing.assert_array_equal(kept_weights, last_weights)
    with pytest.raises(ValueError, match="cosine schedule sets the rate itself"):
        replace(get_recipe("p1-baseline"), lr_schedule="cosine")


def test_training_stops_with_a_message_on_data_that_does_not_suit_the_recipe(radiography_root: Path, tmp_path: Path,
                                                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert train_module.main(_args(radiography_root, tmp_path / "wrong")) == 2
    assert "looks like a radiography dataset" in capsys.readouterr().err


@pytest.mark.slow
def test_one_epoch_under_jax(kermany_root: Path, tmp_path: Path) -> None:
    pytest.importorskip("jax")
    out = tmp_path / "jax-run"
    args = _args(kermany_root, out, epochs=1)
    args[args.index("tensorflow")] = "jax"
    env = {**os.environ, "KERAS_BACKEND": "jax"}
    subprocess.run([sys.executable, "-m", "trainer.train", *args], cwd=REPO_ROOT, env=env, check=True, timeout=600)
    info = read_run_info(out)
    assert info["backend"] == "jax" and info["epochs_run"] == 1 and (out / "best.keras").is_file()


@pytest.mark.slow
def test_fine_tuning_phase_runs_after_a_crash_at_the_phase_boundary(kermany_root: Path, radiography_root: Path,
                                                                    tmp_path: Path) -> None:
    """A recipe with a second, fine-tuning phase (as P4's ResNet50): crash after phase 1, resume into phase 2."""
    import keras

    from trainer.data import compose_p4
    from trainer.models.registry import list_models
    from trainer.recipes import RECIPES, FineTune

    manifest = tmp_path / "p4" / "manifest.csv"
    compose_p4.main(["--kermany", str(kermany_root), "--radiography", str(radiography_root), "--out", str(manifest)])
    recipe = replace(RECIPES["p4-effnetlite0"], model_kwargs={"weights": None},
                     fine_tune=FineTune(epochs=1, learning_rate=1e-5, unfreeze_from="block15"))
    out = tmp_path / "ft"
    args = ["--recipe", recipe.name, "--data", str(manifest), "--out", str(out), "--epochs", "1",
            "--limit-per-class", "8", "--size", "64", "--batch", "8"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(RECIPES, recipe.name, recipe)
        _crash_after_first_epoch(args, patch)
        assert json.loads((out / "state.json").read_text())["phase"] == 1
        assert train_module.main(args) == 0
    state = json.loads((out / "state.json").read_text())
    assert (state["phase"], state["phase_start"], state["epoch"]) == (2, 1, 2)
    assert "fine-tuning: unfroze 11 backbone layers from 'block15'" in (out / "train.log").read_text()
    list_models()
    backbone = keras.saving.load_model(out / "last.keras").get_layer("backbone")
    assert backbone.get_layer("block15_dwconv").trainable and not backbone.get_layer("block14_add").trainable
    assert read_run_info(out)["epochs_run"] == 2


def test_every_recipe_names_a_zoo_model_with_its_input_and_a_fitting_loss() -> None:
    from trainer.models.registry import model_info
    from trainer.recipes import RECIPES

    papers = [recipe for recipe in RECIPES.values() if model_info(recipe.model).paper != "ours"]
    products = [recipe for recipe in RECIPES.values() if model_info(recipe.model).paper == "ours"]
    assert len(papers) == 21 and sorted(r.name for r in products) == [
        "adult-abnormal-effnetlite0", "adult-abnormal-effnetlite0-cached",
        "pneumonia-effnetlite0", "pneumonia-effnetlite0-distilled", "pneumonia-effnetlite0-full",
        "pneumonia-effnetlite0-full-mirror", "pneumonia-effnetlite0-full-v2", "pneumonia-effnetlite0-long",
        "pneumonia-effnetlite0-mixup", "radiography-effnetlite0"]
    for recipe in RECIPES.values():
        info = model_info(recipe.model)
        assert info.input_shape == (recipe.height, recipe.width, recipe.channels), recipe.name
        assert recipe.notes, f"{recipe.name} records no assumptions"
    for recipe in papers:
        assert (recipe.loss == "binary_crossentropy") == (model_info(recipe.model).num_classes == 2), recipe.name
    for recipe in products:  # one architecture, binary or 4-class by dataset
        binary = recipe.datasets in (("kermany",), ("adult-composed",))
        assert (recipe.loss == "binary_crossentropy") == binary, recipe.name
