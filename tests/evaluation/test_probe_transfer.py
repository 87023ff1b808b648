"""The probe-transfer study: a probe fitted on one source is scored on every source (studies.probe_transfer).

Synthetic features make the expected answer known: source A's label lies along feature 0, source B's
along feature 1. A probe fitted on A must rank A's films and not B's; one fitted on both ranks both.
The grouping is checked on the shipped adult bundle's real validation paths. The off-source AUC is
noise around 0.5 (over seeds 0–7 it stayed within 0.21 of it), hence the 0.25 tolerance."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from studies.probe_transfer import RADIOGRAPHY_PARTS, evaluation_groups, transfer_matrix
from trainer.data.manifest import read_split_manifest

REPO_ROOT = Path(__file__).resolve().parents[2]


def _films(rng: np.random.Generator, count: int) -> dict[str, np.ndarray]:
    y = np.tile([0, 1], count)
    group = np.repeat(["A", "B"], count)
    features = rng.normal(size=(2 * count, 6))
    features[group == "A", 0] += 3.0 * y[group == "A"]
    features[group == "B", 1] += 3.0 * y[group == "B"]
    return {"features": features, "y": y, "group": group}


def test_a_probe_ranks_the_source_it_was_fitted_on_and_not_one_whose_label_lies_elsewhere() -> None:
    rng = np.random.default_rng(0)
    fit, score = _films(rng, 200), _films(rng, 200)
    training = {"A": fit["group"] == "A", "B": fit["group"] == "B", "both": np.ones(len(fit["y"]), bool),
                "too few": np.arange(len(fit["y"])) < 4}
    evaluation = {"A": score["group"] == "A", "B": score["group"] == "B"}
    matrix = transfer_matrix(fit, score, training, evaluation, {"both": np.ones(len(fit["y"]))})
    assert set(matrix) == {"A", "B", "both"}  # 2 films of a label cannot feed a 3-fold CV
    assert matrix["A"]["A"]["auc"] > 0.95 and abs(matrix["A"]["B"]["auc"] - 0.5) < 0.25
    assert matrix["B"]["B"]["auc"] > 0.95 and abs(matrix["B"]["A"]["auc"] - 0.5) < 0.25
    assert matrix["both"]["A"]["auc"] > 0.9 and matrix["both"]["B"]["auc"] > 0.9
    low, high = matrix["A"]["A"]["ci95"]
    assert low <= matrix["A"]["A"]["auc"] <= high and matrix["A"]["fit_films"] == 200
    assert matrix["A"]["B"]["normal"] == matrix["A"]["B"]["abnormal"] == 100


def test_radiography_comparisons_share_its_normal_films_and_keep_one_abnormal_folder_each() -> None:
    rows = [row for row in read_split_manifest(REPO_ROOT / "models" / "adult-abnormal" / "split.csv")
            if row.split == "val"]
    paths = [row.path for row in rows]
    y = np.array([row.label == "ABNORMAL" for row in rows], dtype=int)
    groups = evaluation_groups(paths, y)
    assert sum(groups[source].sum() for source in ("nih", "radiography", "covidnet")) == len(rows)
    (lung, lung_folder), (covid, covid_folder) = RADIOGRAPHY_PARTS
    normals = groups["radiography"] & (y == 0)
    for name, folder in ((lung, lung_folder), (covid, covid_folder)):
        chosen = [path for path, keep in zip(paths, groups[name]) if keep]
        assert np.all(groups[name][normals]) and all("/Normal/" in p or f"/{folder}/" in p for p in chosen)
        assert 0 < int((groups[name] & (y == 1)).sum()) < int((groups["radiography"] & (y == 1)).sum())
    with pytest.raises(ValueError):
        evaluation_groups(["somewhere/else.png"], np.array([0]))
