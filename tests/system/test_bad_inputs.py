"""Every kind of bad file a clinic folder can hold: one clear error (or a good result) each, never a crash.

The corpus comes from `tests/bad_inputs.py`; each item goes through the decoder on its own, then the
whole folder (plus real films) goes through the headless screener, which must give exactly one row
per file and carry on past every bad one: a real film in an odd format is scored, a decodable picture
that is no film (a 1-pixel-high banner…) is refused by the chest-film gate.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from cxrcore.decode import DecodeError, decode_image
from tests.bad_inputs import UNREADABLE_SKIP_REASON, copy_films, is_root, write_bad_inputs
from tests.factories import sample_films


@pytest.fixture()
def corpus(tmp_path: Path):
    return write_bad_inputs(tmp_path / "bad", sample_films()[0])


def test_each_bad_input_decodes_or_raises_one_clear_decode_error(corpus) -> None:
    for item in corpus:
        if item.reason is None:
            decoded = decode_image(item.path)
            assert decoded.pixels.ndim == 2 and min(decoded.pixels.shape) >= 32, item.kind
            continue
        with pytest.raises(DecodeError) as caught:
            decode_image(item.path)
        assert caught.value.reason == item.reason, f"{item.kind}: {caught.value}"
        assert caught.value.detail, item.kind


def test_permission_case_is_covered_or_says_why_not() -> None:
    if is_root():
        pytest.skip(UNREADABLE_SKIP_REASON)


def test_headless_screening_of_a_mixed_folder_gives_one_row_per_file(corpus, tmp_path: Path) -> None:
    films = copy_films(sample_films()[:5], tmp_path / "bad" / "films")
    out = tmp_path / "results.csv"
    repo = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-m", "desktop", "screen", str(tmp_path / "bad"), "--out", str(out),
         "--store", str(tmp_path / "store.sqlite3"), "--models-dir", str(repo / "models"), "--models-dir-only",
         "--accelerator", "cpu"],
        capture_output=True, text=True, timeout=600, cwd=repo,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    with open(out, encoding="utf-8-sig", newline="") as handle:
        rows = {Path(row["path"]).name: row for row in csv.DictReader(handle)}
    # A real film is judged: scored, or "not validated" when no model's population accepts it
    # (docs/safety.md §2: about 1 in 10 Kermany test films) — never an error or a refusal.
    judged = ("ok", "not-validated")
    for film in films:
        assert rows[film.name]["status"] in judged
    failing = [item for item in corpus if item.reason is not None and item.path.name in rows]
    assert failing, "the scan offered none of the bad files"
    for item in failing:
        row = rows[item.path.name]
        assert row["status"] in ("error", "rejected") and row["message"], f"{item.kind}: {row}"
    for item in corpus:  # decodable: a real film in an odd format is scored, anything else is gated out
        if item.reason is None and item.path.name in rows:
            row = rows[item.path.name]
            expected = judged if item.holds_film else ("rejected",)
            assert row["status"] in expected, f"{item.kind}: {row}"
            assert item.holds_film or row["message"].startswith("not scored:"), f"{item.kind}: {row}"

