"""Dataset loaders, manifests, compose_p4, the image cache and the batch pipeline, on real files.

Counts are checked on the full shared folders (listing files is cheap); everything that decodes
works on a handful of real films, copied into tmp_path where a test needs a damaged layout.
"""

from __future__ import annotations

import csv
import shutil
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from cxrcore.preprocess import InputSpec, load_resized_gray, to_model_input
from trainer.data import compose_p4
from trainer.data.cache import load_gray_cache
from trainer.data.coronahack import METADATA_FILE, load_coronahack
from trainer.data.datasets import detect_layout, load_dataset, resolve_kind
from trainer.data.fingerprints import hash_files
from trainer.data.kermany import load_kermany, parse_file_name
from trainer.data.manifest import load_manifest
from trainer.data.prepare import PrepareOptions, prepare_split
from trainer.data.radiography import load_radiography
from trainer.data.records import DataError, Record
from trainer.data.splits import SplitFractions


def _counts(dataset, split=None) -> Counter:
    return Counter(r.label for r in dataset.records if split is None or r.official_split == split)


# --- loaders on the real folders -------------------------------------------------------------------


def test_kermany_counts_match_the_readme(kermany_root: Path) -> None:
    dataset = load_kermany(kermany_root)
    assert _counts(dataset, "train") == {"NORMAL": 1341, "PNEUMONIA": 3875}
    assert _counts(dataset, "test") == {"NORMAL": 234, "PNEUMONIA": 390}
    assert dataset.rejected == () and dataset.labels == ("NORMAL", "PNEUMONIA")
    assert all(r.patient_id for r in dataset.records), "every Kermany name carries a patient id"


def test_kermany_three_class_labels_from_file_names(kermany_root: Path) -> None:
    dataset = load_dataset("kermany-3class", kermany_root)
    assert _counts(dataset, "train") == {"normal": 1341, "bacterial": 2530, "viral": 1345}
    assert _counts(dataset, "test") == {"normal": 234, "bacterial": 242, "viral": 148}
    assert dataset.abnormal_labels == ("bacterial", "viral")


def test_radiography_counts_match_the_readme(radiography_root: Path) -> None:
    dataset = load_radiography(radiography_root)
    assert _counts(dataset) == {"COVID": 3616, "Normal": 6001, "Lung_Opacity": 1125, "Viral Pneumonia": 1100}
    assert all(r.patient_id is None and r.official_split is None for r in dataset.records)
    assert "Viral Pneumonia" in dataset.notes[0]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("person1_bacteria_1.jpeg", ("bacterial", "person1")),
        ("person1661_virus_2872.jpeg", ("viral", "person1661")),
        ("person447_virus_921_1.jpeg", ("viral", "person447")),
        ("IM-0115-0001.jpeg", ("normal", "IM-0115")),
        ("IM-0011-0001-0002.jpeg", ("normal", "IM-0011")),
        ("NORMAL2-IM-0383-0001.jpeg", ("normal", "IM-0383")),
        ("scan_17.jpeg", None),
        ("person12_fungus_3.jpeg", None),
    ],
)
def test_kermany_file_name_parsing(name: str, expected) -> None:
    assert parse_file_name(name) == expected


def test_kermany_patient_ids_are_namespaced_by_official_split(kermany_root: Path) -> None:
    """Test numbering restarts: train person1 has bacterial films, test person1 viral ones."""
    records = {r.path: r for r in load_kermany(kermany_root).records}
    assert records["chest_xray/train/PNEUMONIA/person1_bacteria_1.jpeg"].patient_id == "train/person1"
    assert records["chest_xray/test/PNEUMONIA/person1_virus_6.jpeg"].patient_id == "test/person1"
    assert records["chest_xray/train/NORMAL/NORMAL2-IM-0383-0001.jpeg"].patient_id == "train/IM-0383"


def test_layout_detection_and_recipe_compatibility(kermany_root: Path, radiography_root: Path, tmp_path: Path) -> None:
    assert detect_layout(kermany_root) == "kermany"
    assert detect_layout(radiography_root) == "radiography"
    assert resolve_kind(kermany_root, ("coronahack", "kermany")) == "kermany"
    with pytest.raises(DataError, match="looks like a kermany dataset"):
        resolve_kind(kermany_root, ("radiography",))
    with pytest.raises(DataError, match=str(tmp_path)):
        detect_layout(tmp_path)


# --- errors name the file or folder -------------------------------------------------------------------


def _mini_kermany(source: Path, target: Path, per_class: int = 3) -> Path:
    """A Kermany-layout copy of a few real films per (split, class)."""
    for split in ("train", "test"):
        for label in ("NORMAL", "PNEUMONIA"):
            folder = target / "chest_xray" / split / label
            folder.mkdir(parents=True)
            for path in sorted((source / "chest_xray" / split / label).iterdir())[:per_class]:
                shutil.copyfile(path, folder / path.name)
    return target


def test_official_val_is_loaded_and_pooled_with_train(kermany_root: Path, tmp_path: Path) -> None:
    """Kermany's official val (16 films upstream) is too small to trust: it is pooled and val is carved."""
    root = _mini_kermany(kermany_root, tmp_path / "k")
    for label in ("NORMAL", "PNEUMONIA"):
        folder = root / "chest_xray" / "val" / label
        folder.mkdir(parents=True)
        for path in sorted((kermany_root / "chest_xray" / "train" / label).iterdir())[3:5]:
            shutil.copyfile(path, folder / path.name)
    dataset = load_kermany(root)
    assert Counter(r.official_split for r in dataset.records) == {"train": 6, "val": 4, "test": 6}
    rows = prepare_split(dataset, PrepareOptions(SplitFractions(val=0.2), cache_dir=tmp_path / "cache")).rows
    assert Counter(row.split for row in rows) == {"train": 8, "val": 2, "test": 6}


def test_missing_folder_is_named(kermany_root: Path, tmp_path: Path) -> None:
    root = _mini_kermany(kermany_root, tmp_path / "k")
    shutil.rmtree(root / "chest_xray" / "test")
    with pytest.raises(DataError, match=r"chest_xray/test: Kermany test folder not found"):
        load_kermany(root)


def test_empty_class_is_named(kermany_root: Path, tmp_path: Path) -> None:
    root = _mini_kermany(kermany_root, tmp_path / "k")
    for path in (root / "chest_xray" / "train" / "NORMAL").iterdir():
        path.unlink()
    with pytest.raises(DataError, match=r"train/NORMAL: class 'NORMAL' has no image files"):
        load_kermany(root)


def test_unknown_radiography_class_folder_is_named(radiography_root: Path, tmp_path: Path) -> None:
    base = tmp_path / "r" / "COVID-19_Radiography_Dataset"
    for label in ("Normal", "COVID", "Lung_Opacity", "Viral Pneumonia", "Tuberculosis"):
        (base / label / "images").mkdir(parents=True)
    with pytest.raises(DataError, match=r"Tuberculosis: unknown label"):
        load_radiography(tmp_path / "r")


def test_unknown_label_stops_the_split_naming_the_file_unless_skipped(kermany_root: Path, tmp_path: Path) -> None:
    root = _mini_kermany(kermany_root, tmp_path / "k")
    odd = root / "chest_xray" / "train" / "PNEUMONIA" / "scan_17.jpeg"
    shutil.copyfile(next((root / "chest_xray" / "train" / "PNEUMONIA").iterdir()), odd)
    dataset = load_kermany(root, three_class=True)
    options = PrepareOptions(fractions=SplitFractions(val=0.34), cache_dir=tmp_path / "cache")
    with pytest.raises(DataError, match=r"scan_17\.jpeg: unknown label"):
        prepare_split(dataset, options)
    prepared = prepare_split(dataset, replace(options, skip_bad_files=True))
    bad = [row for row in prepared.rows if row.split == "excluded-bad-file"]
    assert [row.path for row in bad] == ["chest_xray/train/PNEUMONIA/scan_17.jpeg"]
    assert prepared.report["excluded"]["excluded-bad-file"] == 1
    assert "unknown label" in prepared.report["bad_files"][0]["reason"]


def test_undecodable_file_stops_the_split_naming_the_file_unless_skipped(kermany_root: Path, tmp_path: Path) -> None:
    root = _mini_kermany(kermany_root, tmp_path / "k")
    broken = root / "chest_xray" / "train" / "NORMAL" / "IM-9999-0001.jpeg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 this is not a complete JPEG")
    options = PrepareOptions(fractions=SplitFractions(val=0.34), cache_dir=tmp_path / "cache")
    with pytest.raises(DataError, match=r"IM-9999-0001\.jpeg"):
        prepare_split(load_kermany(root), options)
    prepared = prepare_split(load_kermany(root), replace(options, skip_bad_files=True))
    assert prepared.report["excluded"]["excluded-bad-file"] == 1
    assert len(prepared.rows) == 13, "every file, the bad one included, has a row in split.csv"


def test_radiography_flat_layout_and_masks_are_handled(radiography_root: Path, tmp_path: Path) -> None:
    """Older releases put films directly in <Class>/; masks/ folders are never read as films."""
    base = tmp_path / "r" / "COVID-19_Radiography_Dataset"
    source = radiography_root / "COVID-19_Radiography_Dataset"
    for label in ("Normal", "COVID", "Lung_Opacity", "Viral Pneumonia"):
        (base / label / "masks").mkdir(parents=True)
        for path in sorted((source / label / "images").iterdir())[:2]:
            shutil.copyfile(path, base / label / path.name)
            shutil.copyfile(path, base / label / "masks" / path.name)
    dataset = load_radiography(tmp_path / "r")
    assert len(dataset.records) == 8 and not any("masks" in r.path for r in dataset.records)
    assert dataset.records[0].path.startswith("COVID-19_Radiography_Dataset/Normal/")


# --- CoronaHack (no such data offline: a fixture built from real Kermany films) ----------------------


def _coronahack(kermany_root: Path, target: Path) -> Path:
    rows = [("", "X_ray_image_name", "Label", "Dataset_type", "Label_2_Virus_category", "Label_1_Virus_category")]
    for index, (split, label, name) in enumerate([
        ("train", "NORMAL", "IM-0115-0001.jpeg"), ("train", "NORMAL", "IM-0117-0001.jpeg"),
        ("train", "PNEUMONIA", "person1_bacteria_1.jpeg"), ("train", "PNEUMONIA", "person1_bacteria_2.jpeg"),
        ("test", "NORMAL", "IM-0001-0001.jpeg"), ("test", "PNEUMONIA", "person1_virus_6.jpeg"),
    ]):
        folder = target / "Coronahack-Chest-XRay-Dataset" / "Coronahack-Chest-XRay-Dataset" / split
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(kermany_root / "chest_xray" / split / label / name, folder / name)
        kaggle_label = "Normal" if label == "NORMAL" else "Pnemonia"
        category = "" if label == "NORMAL" else ("bacteria" if "bacteria" in name else "Virus")
        rows.append((str(index), name, kaggle_label, split.upper(), "", category))
    with open(target / METADATA_FILE, "w", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return target


def test_coronahack_labels_and_split_come_from_the_csv(kermany_root: Path, tmp_path: Path) -> None:
    root = _coronahack(kermany_root, tmp_path / "ch")
    assert detect_layout(root) == "coronahack"
    dataset = load_coronahack(root)
    assert dataset.rejected == ()
    assert _counts(dataset, "train") == {"NORMAL": 2, "PNEUMONIA": 2}
    assert _counts(dataset, "test") == {"NORMAL": 1, "PNEUMONIA": 1}
    by_name = {Path(r.path).name: r for r in dataset.records}
    assert by_name["person1_bacteria_2.jpeg"].patient_id == "train/person1"
    assert by_name["person1_virus_6.jpeg"].patient_id == "test/person1"


def test_coronahack_mismatches_are_reported_not_dropped(kermany_root: Path, tmp_path: Path) -> None:
    root = _coronahack(kermany_root, tmp_path / "ch")
    images = root / "Coronahack-Chest-XRay-Dataset" / "Coronahack-Chest-XRay-Dataset"
    (images / "train" / "IM-0117-0001.jpeg").unlink()  # listed but missing
    shutil.copyfile(images / "test" / "IM-0001-0001.jpeg", images / "test" / "stray.jpeg")  # present, unlisted
    with open(root / METADATA_FILE, "a", newline="") as handle:
        csv.writer(handle).writerow(("9", "person1_bacteria_2.jpeg", "Fungal", "TRAIN", "", ""))
    reasons = sorted(item.reason.split(" (")[0] for item in load_coronahack(root).rejected)
    assert reasons == ["listed in Chest_xray_Corona_Metadata.csv line 3 but missing", "not listed in Chest_xray_Corona_Metadata.csv",
                       "unknown label 'Fungal'"]


def test_coronahack_without_metadata_is_named(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=METADATA_FILE):
        load_coronahack(tmp_path)


# --- manifests and the P4 composition -----------------------------------------------------------------


def test_manifest_paths_labels_patients_and_splits(kermany_root: Path, tmp_path: Path) -> None:
    normal = kermany_root / "chest_xray" / "train" / "NORMAL" / "IM-0115-0001.jpeg"
    sick = kermany_root / "chest_xray" / "test" / "PNEUMONIA" / "person1_virus_6.jpeg"
    manifest = tmp_path / "m.csv"
    manifest.write_text(f"path,label,patient_id,split\n{normal},Normal,p1,train\n{sick},Pneumonia,,TEST\n"
                        f"{sick},Pneumonia,,holdout\nmissing.jpeg,Normal,,\n", encoding="utf-8")
    dataset = load_manifest(manifest)
    assert dataset.labels == ("Normal", "Pneumonia") and dataset.abnormal_labels == ("Pneumonia",)
    assert [(r.label, r.patient_id, r.official_split) for r in dataset.records] == [
        ("Normal", "p1", "train"), ("Pneumonia", None, "test")]
    assert (dataset.root / dataset.records[0].path).resolve() == normal.resolve()
    assert sorted(item.reason.split(" (")[0] for item in dataset.rejected) == [
        "file not found", "unknown split 'holdout'"]


def test_manifest_missing_column_is_named(tmp_path: Path) -> None:
    manifest = tmp_path / "m.csv"
    manifest.write_text("file,label\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"m\.csv: missing column\(s\) \['path'\]"):
        load_manifest(manifest)


def test_compose_p4_writes_the_four_class_manifest(kermany_root: Path, radiography_root: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "p4" / "manifest.csv"
    assert compose_p4.main(["--kermany", str(kermany_root), "--radiography", str(radiography_root), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "adult" in printed and "shortcut" in printed
    dataset = load_dataset("p4-composed", out)
    assert _counts(dataset) == {"healthy": 1575, "bacterial": 2772, "viral": 1493, "COVID-19": 3616}
    assert dataset.labels == compose_p4.P4_LABELS and "healthy" not in dataset.abnormal_labels
    assert any("age" in note for note in dataset.notes)
    first = dataset.records[0]
    assert (dataset.root / first.path).is_file() and first.patient_id.startswith("train/")


# --- cache and pipeline -------------------------------------------------------------------------------


def _hashed(dataset, count: int) -> list[Record]:
    records = list(dataset.records[:count])
    return [replace(r, sha256=h) for r, h in zip(records, hash_files([dataset.root / r.path for r in records]))]


def test_cache_holds_exactly_the_shared_preprocessing(kermany_root: Path, tmp_path: Path) -> None:
    dataset = load_kermany(kermany_root)
    records = _hashed(dataset, 5)
    cache = load_gray_cache(records, dataset.root, 40, 48, cache_dir=tmp_path)
    assert cache.images.shape == (5, 40, 48) and cache.images.dtype == np.uint8 and cache.bad == {}
    for record, image in zip(records, cache.images):
        np.testing.assert_array_equal(image, load_resized_gray(dataset.root / record.path, 40, 48))
    files = sorted(tmp_path.iterdir())
    stamp = [f.stat().st_mtime_ns for f in files]
    again = load_gray_cache(records, dataset.root, 40, 48, cache_dir=tmp_path)
    assert [f.stat().st_mtime_ns for f in sorted(tmp_path.iterdir())] == stamp, "a complete cache is reused"
    np.testing.assert_array_equal(again.images, cache.images)
    load_gray_cache(records[:4], dataset.root, 40, 48, cache_dir=tmp_path)
    assert len(list(tmp_path.glob("*.json"))) == 2, "another file set is another cache"


def test_cache_refuses_unhashed_records(kermany_root: Path, tmp_path: Path) -> None:
    dataset = load_kermany(kermany_root)
    with pytest.raises(ValueError, match="no sha256"):
        load_gray_cache(dataset.records[:1], dataset.root, 32, 32, cache_dir=tmp_path)


def test_film_batches_are_to_model_input_of_the_cache(kermany_root: Path, tmp_path: Path) -> None:
    from trainer.data.pipeline import FilmBatches, augment_films, build_augmenter
    from trainer.recipes import Augmentation

    dataset = load_kermany(kermany_root)
    cache = load_gray_cache(_hashed(dataset, 10), dataset.root, 32, 32, cache_dir=tmp_path)
    spec = InputSpec(32, 32, 3, scale=1 / 255, offset=0.0)
    targets = np.arange(10, dtype=np.float32)
    weights = np.linspace(1, 2, 10).astype(np.float32)
    plain = FilmBatches(cache.images, np.arange(10), spec, 4, targets, weights, shuffle=True, seed=3)
    assert len(plain) == 3
    x, y, w = plain[0]
    order = plain._order[:4]
    np.testing.assert_array_equal(x, to_model_input(np.asarray(cache.images[order]), spec))
    np.testing.assert_array_equal(y, targets[order])
    np.testing.assert_array_equal(w, weights[order])
    same_epoch = FilmBatches(cache.images, np.arange(10), spec, 4, targets, shuffle=True, seed=3)
    np.testing.assert_array_equal(same_epoch._order, plain._order)
    plain.on_epoch_end()
    resumed = FilmBatches(cache.images, np.arange(10), spec, 4, targets, shuffle=True, seed=3, epoch=1)
    np.testing.assert_array_equal(resumed._order, plain._order)

    augmenter = build_augmenter(Augmentation(zoom=0.3, vertical_flip=True), seed=0)
    augmented = FilmBatches(cache.images, np.arange(10), spec, 4, targets, augmenter=augmenter)
    x_aug, _ = augmented[0]
    assert x_aug.shape == (4, 32, 32, 3) and x_aug.dtype == np.float32
    assert 0.0 <= x_aug.min() and x_aug.max() <= 1.0
    assert not np.array_equal(x_aug, to_model_input(np.asarray(cache.images[:4]), spec))
    assert build_augmenter(Augmentation(), seed=0) is None

    # Photometric only: the film keeps its geometry (dark stays where it was) but its grey levels move.
    photometric = build_augmenter(Augmentation(contrast=0.3, brightness=0.2), seed=0)
    films = np.asarray(cache.images[:4])
    shifted = augment_films(films, photometric)
    assert shifted.shape == films.shape and shifted.dtype == np.uint8
    assert not np.array_equal(shifted, films)
    for before, after in zip(films, shifted):
        assert np.corrcoef(before.ravel(), after.ravel())[0, 1] > 0.9

    # Sharpness alone blurs or sharpens: grey levels stay put on average, edges change.
    sharpened = augment_films(films, build_augmenter(Augmentation(sharpness=0.4), seed=0))
    assert not np.array_equal(sharpened, films)
    for before, after in zip(films, sharpened):
        assert np.corrcoef(before.ravel(), after.ravel())[0, 1] > 0.9
        assert abs(float(before.mean()) - float(after.mean())) < 5
    with pytest.raises(ValueError, match="sharpness"):
        Augmentation(sharpness=0.6)
