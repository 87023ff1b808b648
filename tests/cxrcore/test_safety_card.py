"""cxrcore.safety.card: ``safety.json`` is read and its files hashed once per load, and its files stay in their folder."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import cxrcore.files
from cxrcore.safety.card import SAFETY_CARD, SafetyCardError, read_safety_card
from cxrcore.safety.checks import SafetyChecks
from cxrcore.safety.gate import ChestFilmGate
from cxrcore.safety.population import PopulationModel
from cxrcore.safety.quality import QualityCheck
from tests.conftest import REPO_ROOT

SAFETY_DIR = REPO_ROOT / "models" / "_safety"


def test_one_load_reads_the_card_and_hashes_each_file_once(monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[str] = []
    hashed: list[str] = []
    read_text, sha256_file = Path.read_text, cxrcore.files.sha256_file

    def counting_read(path: Path, *args, **kwargs) -> str:
        if path.name == SAFETY_CARD:
            reads.append(str(path))
        return read_text(path, *args, **kwargs)

    def counting_hash(path) -> str:
        hashed.append(Path(path).name)
        return sha256_file(path)

    monkeypatch.setattr(Path, "read_text", counting_read)
    monkeypatch.setattr(cxrcore.files, "sha256_file", counting_hash)
    with SafetyChecks.load(SAFETY_DIR):
        pass
    files = json.loads((SAFETY_DIR / SAFETY_CARD).read_bytes())["files"]
    assert len(reads) == 1
    assert sorted(hashed) == sorted(files), "every listed file hashed exactly once"


def test_each_check_loads_from_a_folder_or_from_a_card_already_read() -> None:
    card = read_safety_card(SAFETY_DIR)
    for source in (SAFETY_DIR, card):
        with ChestFilmGate.load(source) as gate, PopulationModel.load(source) as population:
            assert gate.models and population.populations
        assert QualityCheck.load(source).threshold == card.section("quality", "threshold")


def test_a_listed_file_outside_the_folder_is_refused(tmp_path: Path) -> None:
    folder = Path(shutil.copytree(SAFETY_DIR, tmp_path / "safety"))
    card = json.loads((folder / SAFETY_CARD).read_text(encoding="utf-8"))
    (tmp_path / "elsewhere.tflite").write_bytes(b"x")
    card["files"]["../elsewhere.tflite"] = cxrcore.files.sha256_file(tmp_path / "elsewhere.tflite")
    (folder / SAFETY_CARD).write_text(json.dumps(card), encoding="utf-8")
    with pytest.raises(SafetyCardError, match="'../elsewhere.tflite' points outside its folder"):
        SafetyChecks.load(folder)
