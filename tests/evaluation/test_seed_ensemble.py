"""studies/seed_ensemble.py: the mean of models' probabilities, scored on the films they share."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from studies.seed_ensemble import ensemble_rows, main


def _write(folder: Path, rows: list[tuple[str, str, float]]) -> Path:
    folder.mkdir()
    with open(folder / "predictions.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["path", "label", "predicted", "p_NORMAL", "p_PNEUMONIA"])
        for path, label, p in rows:
            writer.writerow([path, label, "PNEUMONIA" if p >= 0.5 else "NORMAL", 1 - p, p])
    return folder


def test_mean_fixes_what_each_model_gets_wrong_alone(tmp_path: Path, capsys) -> None:
    # Model a ranks normal n2 above pneumonia p1; model b ranks n1 above p2; their mean ranks all correctly.
    a = _write(tmp_path / "a", [("n1", "NORMAL", 0.1), ("n2", "NORMAL", 0.7), ("p1", "PNEUMONIA", 0.6),
                                ("p2", "PNEUMONIA", 0.9)])
    b = _write(tmp_path / "b", [("n1", "NORMAL", 0.7), ("n2", "NORMAL", 0.1), ("p1", "PNEUMONIA", 0.9),
                                ("p2", "PNEUMONIA", 0.6)])
    rows = {name: (accuracy, auc) for name, accuracy, auc in ensemble_rows([a, b], "PNEUMONIA")}
    assert rows[str(a)] == pytest.approx((0.75, 0.75)) and rows[str(b)] == pytest.approx((0.75, 0.75))
    assert rows["mean"] == pytest.approx((1.0, 1.0))
    assert main([str(a), str(b)]) == 0
    assert "mean" in capsys.readouterr().out


def test_refuses_evaluations_of_other_films_or_labels(tmp_path: Path) -> None:
    a = _write(tmp_path / "a", [("n1", "NORMAL", 0.1), ("p1", "PNEUMONIA", 0.9)])
    other = _write(tmp_path / "other", [("n1", "NORMAL", 0.1), ("p9", "PNEUMONIA", 0.9)])
    with pytest.raises(SystemExit, match="other films"):
        ensemble_rows([a, other], "PNEUMONIA")
    with pytest.raises(SystemExit, match="no column 'p_COVID'"):
        ensemble_rows([a, a], "COVID")
