"""Shared helpers for the desktop tests (no tests here; a plain module would fall outside the
files this suite owns). Builds real inputs: Kermany test films, corrupt files, a tiny bundle
whose reference probabilities are the ones this runtime really computes.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from cxrcore.bundle import CARD_FILE, load_bundle, seal_card, sha256_file
from cxrcore.classifier import Classifier

from tests.factories import sample_films, write_bundle

REPO_ROOT = Path(__file__).resolve().parent.parent


def kermany_films(kermany_root: Path, per_class: int) -> list[Path]:
    """The first ``per_class`` NORMAL and PNEUMONIA films of the real Kermany test split."""
    test = kermany_root / "chest_xray" / "test"
    return [film for label in ("NORMAL", "PNEUMONIA") for film in sorted((test / label).glob("*.jpeg"))[:per_class]]


def film_folder(target: Path, films: list[Path], corrupt: bool = True) -> Path:
    """Copy ``films`` into ``target`` (plus a garbage ``corrupt.jpg``) and return the folder."""
    target.mkdir(parents=True, exist_ok=True)
    for film in films:
        shutil.copyfile(film, target / film.name)
    if corrupt:
        (target / "corrupt.jpg").write_bytes(os.urandom(2048))
    return target


def calibrated_bundle(directory: Path, tflite: bytes) -> Path:
    """A tiny bundle whose reference outputs hold the probabilities this machine computes."""
    references = tuple(sample_films()[:2])
    draft = write_bundle(directory, tflite, reference_files=references)
    classifier = Classifier(load_bundle(draft), threads=1)
    probabilities = [classifier.classify_file(film).probabilities.tolist() for film in references]
    classifier.close()
    shutil.rmtree(directory)
    return write_bundle(directory, tflite, reference_files=references, reference_probabilities=probabilities)


def rewrite_card(bundle: Path, change) -> None:
    """Apply ``change(card)`` and keep the card otherwise consistent (hashes of the listed files, its
    own digest): a bundle *built* this way, not a card edited by hand."""
    card_path = bundle / CARD_FILE
    card = json.loads(card_path.read_text(encoding="utf-8"))
    change(card)
    card["files"] = {name: sha256_file(bundle / name) for name in card["files"]}
    card_path.write_text(json.dumps(seal_card(card), indent=2), encoding="utf-8")


def run_desktop(args: list[str], data_dir: Path, *, prelude: str = "", timeout: float = 120) -> subprocess.CompletedProcess:
    """``python -m desktop ARGS`` in a fresh interpreter with its data folder in ``data_dir``.

    ``prelude`` runs first in the same interpreter (audit hooks, module checks).
    """
    code = prelude + "\nimport sys\nfrom desktop.cli import main\nsys.exit(main(sys.argv[1:]))\n"
    env = {**os.environ, "CXR_SCREENING_DATA_DIR": str(data_dir), "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.run([sys.executable, "-c", code, *args], cwd=REPO_ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)
