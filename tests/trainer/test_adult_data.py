"""The adult composer (`trainer.data.compose_adult`) and its training weights, on a tiny real subset of the shared data.

The subset holds real films linked into a temporary shared-data layout: NIH patients with several films (some
with both labels), one NIH "Pneumonia" film that is a radiography "Normal" film (conflicting labels), one NIH
"No finding" film that is also a radiography Normal film (agreeing), COVID-Net films and a few radiography
films per class.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import SHARED_DATA
from trainer.data.adult_sources import LABELS, SOURCES, source_label_weights, source_of
from trainer.data.compose_adult import compose, manifest_name, write_manifest
from trainer.data.datasets import load_dataset
from trainer.data.prepare import PrepareOptions, prepare_split
from trainer.data.splits import SplitFractions

NIH_PATIENTS = ("00003426", "00001543", "00000766", "00011237", "00009507", "00003490", "00001504", "00001993")
CONFLICT = ("chestxray8-adult/Pneumonia/00006822_000.jpg", "Normal/images/Normal-1538.jpg")
AGREEING = ("chestxray8-adult/No_findings/00001543_006.jpg", "Normal/images/Normal-7063.jpg")
RADIOGRAPHY_CAP = 6


def _link(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.symlink_to(source)


@pytest.fixture(scope="module")
def tiny_shared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A shared-data layout of symbolic links to ~150 real films (nothing is copied)."""
    external = SHARED_DATA / "external"
    if not (external / "chestxray8-adult").is_dir():
        pytest.fail(f"real data not found at {external}; set CXR_SHARED_DATA to the shared/data folder")
    shared = tmp_path_factory.mktemp("shared")
    for label in ("No_findings", "Pneumonia"):
        folder = external / "chestxray8-adult" / label
        names = sorted(path.name for path in folder.iterdir())
        chosen = [name for name in names if name[:8] in NIH_PATIENTS] + names[:6]
        chosen += [Path(CONFLICT[0]).name] if label == "Pneumonia" else []
        for name in sorted(set(chosen)):
            _link(folder / name, shared / "external" / "chestxray8-adult" / label / name)
    for path in sorted((external / "covidnet-adult").rglob("*.jpg"))[::3]:
        _link(path, shared / "external" / path.relative_to(external))
    radiography = SHARED_DATA / "covid19-radiography-224" / "COVID-19_Radiography_Dataset"
    for name in ("Normal", "COVID", "Lung_Opacity"):
        for path in sorted((radiography / name / "images").iterdir())[:8]:
            _link(path, shared / "covid19-radiography-224" / "COVID-19_Radiography_Dataset" / name / "images" / path.name)
    for relative in (CONFLICT[1], AGREEING[1]):
        _link(radiography / relative, shared / "covid19-radiography-224" / "COVID-19_Radiography_Dataset" / relative)
    return shared


@pytest.fixture(scope="module")
def composed(tiny_shared: Path, tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("adult")
    cache = tmp_path_factory.mktemp("cache")
    root, films, split, report = compose(tiny_shared, out, radiography_cap=RADIOGRAPHY_CAP, cache_dir=cache)
    for source in (None, "nih"):
        write_manifest(root / manifest_name(source), films, split, source)
    return root, films, split, report, cache


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_cross_dataset_duplicates_are_excluded_and_counted(composed) -> None:
    root, films, _, report, _ = composed
    paths = {film.record.path for film in films}
    conflicting = report["cross_source_duplicates"]["conflicting_labels_excluded_both"]
    assert [(pair["kept_source_path"], pair["other_path"].split("Dataset/")[1]) for pair in conflicting] == [CONFLICT]
    assert CONFLICT[0] not in paths and not any(path.endswith(CONFLICT[1]) for path in paths)
    agreeing = report["cross_source_duplicates"]["agreeing_labels_dropped_second"]
    assert [(pair["kept_source_path"], pair["other_path"].split("Dataset/")[1]) for pair in agreeing] == [AGREEING]
    assert AGREEING[0] in paths and not any(path.endswith(AGREEING[1]) for path in paths)
    assert all((root / path).is_file() for path in paths)


def test_manifest_labels_sources_and_radiography_cap(composed) -> None:
    root, films, _, _, _ = composed
    rows = _rows(root / "manifest.csv")
    assert {row["label"] for row in rows} == set(LABELS)
    assert all(source_of(row["path"]) == row["source"] for row in rows)
    assert {row["source"] for row in rows} == set(SOURCES)
    per_class = Counter(film.subclass for film in films if film.source == "radiography")
    assert set(per_class) == {"Normal", "COVID", "Lung_Opacity"} and max(per_class.values()) <= RADIOGRAPHY_CAP
    assert load_dataset("adult-composed", root / "manifest.csv").labels == LABELS


def test_every_source_has_a_test_share_and_no_nih_patient_straddles_splits(composed) -> None:
    root, _, _, _, cache = composed
    dataset = load_dataset("adult-composed", root / "manifest.csv")
    prepared = prepare_split(dataset, PrepareOptions(fractions=SplitFractions(val=0.2), cache_dir=cache))
    splits_of: dict[str, set[str]] = defaultdict(set)
    for row in prepared.rows:
        if row.used and row.patient_id:
            splits_of[row.patient_id].add(row.split)
    assert splits_of and all(len(splits) == 1 for splits in splits_of.values())
    test_sources = {source_of(row.path) for row in prepared.rows if row.split == "test"}
    assert test_sources == set(SOURCES)
    assert {row.split for row in prepared.rows if row.used} == {"train", "val", "test"}


def test_leave_one_source_out_manifest_tests_every_film_of_that_source(composed) -> None:
    root, _, _, _, _ = composed
    main = {row["path"]: row for row in _rows(root / "manifest.csv")}
    without = _rows(root / manifest_name("nih"))
    assert {row["path"] for row in without} == set(main)
    for row in without:
        expected = "test" if row["source"] == "nih" else main[row["path"]]["split"]
        assert row["split"] == expected


def test_composition_is_deterministic(composed, tiny_shared: Path, tmp_path: Path) -> None:
    root, _, _, _, cache = composed
    again, films, split, _ = compose(tiny_shared, tmp_path, radiography_cap=RADIOGRAPHY_CAP, cache_dir=cache)
    write_manifest(again / "manifest.csv", films, split)
    assert (again / "manifest.csv").read_bytes() == (root / "manifest.csv").read_bytes()


def test_source_label_weights_balance_labels_within_each_source() -> None:
    paths = (["chestxray8-adult/a"] * 30 + ["chestxray8-adult/b"] * 10 + ["../covid19-radiography-224/c"] * 300
             + ["../covid19-radiography-224/d"] * 100)
    labels = ["NORMAL"] * 30 + ["ABNORMAL"] * 10 + ["NORMAL"] * 300 + ["ABNORMAL"] * 100
    weights, table = source_label_weights(paths, labels)
    assert weights.mean() == pytest.approx(1.0)
    nih, radiography = slice(0, 40), slice(40, 440)
    for part in (nih, radiography):
        normal = np.array(labels[part]) == "NORMAL"
        assert weights[part][normal].sum() == pytest.approx(weights[part][~normal].sum())
    assert weights[radiography].sum() / weights[nih].sum() == pytest.approx(np.sqrt(400 / 40))
    assert set(table) == {"nih/NORMAL", "nih/ABNORMAL", "radiography/NORMAL", "radiography/ABNORMAL"}
    with pytest.raises(ValueError, match="not under any adult source"):
        source_of("kermany-224/chest_xray/x.jpeg")
