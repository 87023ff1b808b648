"""Splits: the rules on small hand-made record sets, then their guarantees on the real datasets."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

import pytest

from trainer.data.fingerprints import average_hashes, hash_files
from trainer.data.cache import load_gray_cache
from trainer.data.kermany import load_kermany
from trainer.data.manifest import USED_SPLITS, read_split_manifest, write_split_manifest
from trainer.data.pediatric import kermany_train_matches
from trainer.data.prepare import PrepareOptions, prepare_split
from trainer.data.radiography import load_radiography
from trainer.data.records import DataError, Record
from trainer.data.splits import SplitFractions, assign_splits, cap_per_class, exclude_exact_duplicates, group_ids


def _record(path: str, label: str = "A", patient: str | None = None, split: str | None = None, sha: str = "") -> Record:
    return Record(path, label, patient, split, sha or f"sha-{path}")


# --- rules on hand-made records ------------------------------------------------------------------------


def test_duplicates_keep_one_copy_and_prefer_the_official_test_copy() -> None:
    records = [_record("a", split="train", sha="x"), _record("b", split="test", sha="x"),
               _record("c", split="train", sha="x"), _record("d", split="train", sha="y"),
               _record("e", split="train", sha="z"), _record("f", split="train", sha="z")]
    kept, excluded = exclude_exact_duplicates(records)
    assert [r.path for r in kept] == ["b", "d", "e"]
    assert sorted(row.path for row in excluded) == ["a", "c", "f"]
    assert {row.split for row in excluded} == {"excluded-duplicate"}


def test_duplicates_with_conflicting_labels_stop_naming_the_files() -> None:
    with pytest.raises(DataError, match=r"a, b: byte-identical files carry different labels"):
        exclude_exact_duplicates([_record("a", "A", sha="x"), _record("b", "B", sha="x")])


def test_groups_join_patients_and_near_duplicates_transitively() -> None:
    records = [_record("a", patient="p1"), _record("b", patient="p1"), _record("c"), _record("d", patient="p2"),
               _record("e")]
    ids = group_ids(records, [None, b"h1", b"h1", None, None])
    assert ids[0] == ids[1] == ids[2], "a-b share a patient, b-c a near-duplicate hash"
    assert len({ids[0], ids[3], ids[4]}) == 3


def test_official_test_stays_and_pool_films_linked_to_it_are_excluded() -> None:
    records = [_record("t1", patient="p1", split="test"), _record("t2", split="test"),
               _record("r1", patient="p1", split="train"), _record("r2", split="train"),
               _record("r3", split="train"), *[_record(f"x{i}", split="train") for i in range(8)]]
    keys = [None, b"same", None, b"same", None] + [None] * 8
    rows = {row.path: row.split for row in assign_splits(records, keys, SplitFractions(val=0.25, test=0.5), seed=0)}
    assert rows["t1"] == rows["t2"] == "test"
    assert rows["r1"] == rows["r2"] == "excluded-test-overlap"
    assert Counter(split for path, split in rows.items() if path.startswith(("r3", "x"))) == {"train": 7, "val": 2}


def test_test_is_carved_only_without_an_official_test_and_stratified() -> None:
    records = [_record(f"{label}{i}", label) for label, n in (("A", 100), ("B", 40)) for i in range(n)]
    rows = assign_splits(records, [None] * len(records), SplitFractions(val=0.2, test=0.1), seed=1)
    counts = Counter((row.label, row.split) for row in rows)
    assert counts[("A", "test")] == 10 and counts[("B", "test")] == 4
    assert counts[("A", "val")] == 18 and counts[("B", "val")] == 7  # 20% of the 90 / 36 left
    assert rows == assign_splits(records, [None] * len(records), SplitFractions(val=0.2, test=0.1), seed=1)
    assert rows != assign_splits(records, [None] * len(records), SplitFractions(val=0.2, test=0.1), seed=2)


def test_cap_per_class_is_seeded_and_spares_the_official_test() -> None:
    records = [_record(f"a{i}", "A", split="train") for i in range(10)] + [_record(f"t{i}", "A", split="test") for i in range(5)]
    kept, excluded = cap_per_class(records, {"A": 3}, seed=0, reason="excluded-limit", keep_official_test=True)
    assert sum(r.official_split == "train" for r in kept) == 3 and sum(r.official_split == "test" for r in kept) == 5
    assert len(excluded) == 7 and {row.split for row in excluded} == {"excluded-limit"}
    assert kept == cap_per_class(records, {"A": 3}, seed=0, reason="excluded-limit", keep_official_test=True)[0]


def test_split_manifest_round_trip_and_bad_values(tmp_path: Path) -> None:
    records = [_record(f"{label}{i}", label) for label in "AB" for i in range(10)]
    rows = assign_splits(records, [None] * 20, SplitFractions(val=0.2, test=0.2), seed=0)
    digest = write_split_manifest(rows, tmp_path / "split.csv")
    assert len(digest) == 64 and read_split_manifest(tmp_path / "split.csv") == rows
    (tmp_path / "bad.csv").write_text("path,label,patient_id,split,sha256\na,A,,holdout,x\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"bad\.csv line 2: unknown split 'holdout'"):
        read_split_manifest(tmp_path / "bad.csv")


# --- the real datasets --------------------------------------------------------------------------------


def _hashed(dataset) -> list[Record]:
    digests = hash_files([dataset.root / r.path for r in dataset.records])
    return [replace(r, sha256=d) for r, d in zip(dataset.records, digests)]


@pytest.fixture(scope="module")
def kermany_records(kermany_root: Path) -> list[Record]:
    return _hashed(load_kermany(kermany_root))


@pytest.fixture(scope="module")
def radiography_records(radiography_root: Path) -> list[Record]:
    return _hashed(load_radiography(radiography_root))


def test_real_kermany_byte_identical_groups(kermany_records: list[Record]) -> None:
    groups = Counter(r.sha256 for r in kermany_records)
    assert sum(1 for n in groups.values() if n > 1) == 30
    kept, excluded = exclude_exact_duplicates(kermany_records)
    assert len(excluded) == 32 and len({r.sha256 for r in kept}) == len(kept) == 5840 - 32
    paths = {row.path for row in excluded}
    pair = {"chest_xray/test/NORMAL/NORMAL2-IM-0095-0001.jpeg", "chest_xray/test/NORMAL/NORMAL2-IM-0096-0001.jpeg"}
    assert len(pair & paths) == 1, "one of the identical test pair is kept, the other excluded"


def test_real_radiography_duplicates(radiography_records: list[Record]) -> None:
    """Measured: COVID has 37 byte-identical groups of 89 files (the data README says 30 / 73);
    Viral Pneumonia 5 pairs."""
    _, excluded = exclude_exact_duplicates(radiography_records)
    assert Counter(row.label for row in excluded) == {"COVID": 52, "Viral Pneumonia": 5}


def _check_split(rows, fractions: SplitFractions, official_test: bool) -> None:
    by_split = defaultdict(list)
    for row in rows:
        by_split[row.split].append(row)
    for key in ("patient_id", "sha256"):
        owners = defaultdict(set)
        for row in rows:
            if row.split in USED_SPLITS and getattr(row, key):
                owners[getattr(row, key)].add(row.split)
        assert all(len(splits) == 1 for splits in owners.values()), f"a {key} straddles splits"
    labels = {row.label for row in rows}
    for label in labels:
        count = {split: sum(row.label == label for row in by_split[split]) for split in USED_SPLITS}
        total = sum(count.values())
        if not official_test:
            assert count["test"] / total == pytest.approx(fractions.test, abs=0.01)
        assert count["val"] / (count["val"] + count["train"]) == pytest.approx(fractions.val, abs=0.01)


def test_real_kermany_split_is_patient_grouped_stratified_and_deterministic(kermany_records: list[Record]) -> None:
    kept, _ = exclude_exact_duplicates(kermany_records)
    fractions = SplitFractions(val=0.2)
    rows = assign_splits(kept, [None] * len(kept), fractions, seed=0)
    _check_split(rows, fractions, official_test=True)
    assert Counter(row.split for row in rows) == {"train": 4152, "val": 1038, "test": 618}
    assert rows == assign_splits(kept, [None] * len(kept), fractions, seed=0)
    assert rows != assign_splits(kept, [None] * len(kept), fractions, seed=1)


def test_real_radiography_split_is_stratified_72_18_10(radiography_records: list[Record]) -> None:
    kept, _ = exclude_exact_duplicates(radiography_records)
    fractions = SplitFractions(val=0.2, test=0.1)
    rows = assign_splits(kept, [None] * len(kept), fractions, seed=0)
    _check_split(rows, fractions, official_test=False)
    assert Counter(row.split for row in rows) == {"train": 8485, "val": 2122, "test": 1178}


def test_real_near_duplicates_share_a_split(radiography_root: Path, radiography_records: list[Record],
                                            tmp_path: Path) -> None:
    """COVID-1 / COVID-591 are not byte-identical but have equal 16×16 average hashes."""
    wanted = {f"COVID-19_Radiography_Dataset/COVID/images/COVID-{n}.jpg" for n in (1, 591, 100, 97)}
    pairs = [r for r in radiography_records if r.path in wanted]
    others = [r for r in radiography_records if r.label == "COVID"][:60]
    records = pairs + [r for r in others if r.path not in wanted]
    thumbnails = load_gray_cache(records, radiography_root, 32, 32, cache_dir=tmp_path)
    keys = average_hashes(thumbnails.images)
    by_name = {Path(r.path).stem: key for r, key in zip(records, keys)}
    assert by_name["COVID-1"] == by_name["COVID-591"] and by_name["COVID-100"] == by_name["COVID-97"]
    assert by_name["COVID-1"] != by_name["COVID-100"]
    assert len({r.sha256 for r in pairs}) == 4, "near-duplicates, not byte-identical copies"
    for seed in range(5):
        rows = {row.path: row.split for row in assign_splits(records, keys, SplitFractions(0.3, 0.3), seed)}
        groups = defaultdict(set)
        for record, key in zip(records, keys):
            groups[key].add(rows[record.path])
        assert all(len(splits) == 1 for splits in groups.values())


def test_prepare_split_lists_every_file_once(kermany_root: Path) -> None:
    prepared = prepare_split(load_kermany(kermany_root), PrepareOptions(SplitFractions(val=0.25), limit_per_class=20))
    assert len(prepared.rows) == len({row.path for row in prepared.rows}) == 5840
    report = prepared.report
    assert report["counts"]["train"] == {"NORMAL": 15, "PNEUMONIA": 15}
    assert report["counts"]["test"] == {"NORMAL": 231, "PNEUMONIA": 387}
    assert report["excluded"]["excluded-duplicate"] == 32
    assert report["excluded"]["excluded-limit"] == 5840 - 32 - 40 - 618


@pytest.mark.slow
def test_viral_pneumonia_films_that_are_kermany_train_films(kermany_root: Path, radiography_root: Path,
                                                              radiography_records: list[Record]) -> None:
    viral = [r for r in radiography_records if r.label == "Viral Pneumonia"]
    thumbnails = load_gray_cache(viral, radiography_root, 32, 32)
    matches = kermany_train_matches(thumbnails.images, kermany_root)
    assert sum(match is not None for match in matches) == 982
    assert all(match.startswith("chest_xray/train/PNEUMONIA/") for match in matches if match)
