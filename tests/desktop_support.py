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

import hashlib
from dataclasses import dataclass
from typing import Iterable, Mapping

import numpy as np

from cxrcore.bundle import CARD_FILE, load_bundle, seal_card
from cxrcore.files import sha256_file
from cxrcore.classifier import Classifier
from cxrcore.decode import DecodedImage, decode_image
from cxrcore.safety.gate import GateResult, film_view
from cxrcore.safety.population import NOT_VALIDATED, PopulationResult
from cxrcore.safety.checks import InspectedFilm, SafetyVerdict

from desktop.screening.routing import Router, Selection
from tests.factories import sign_for_tests, sample_films, write_bundle

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


def calibrated_bundle(directory: Path, tflite: bytes, population: dict | None = None) -> Path:
    """A tiny bundle whose reference outputs hold the probabilities this machine computes."""
    references = tuple(sample_films()[:2])
    draft = write_bundle(directory, tflite, reference_files=references)
    classifier = Classifier(load_bundle(draft), threads=1)
    probabilities = [classifier.classify_file(film).probabilities.tolist() for film in references]
    classifier.close()
    shutil.rmtree(directory)
    return write_bundle(directory, tflite, reference_files=references, reference_probabilities=probabilities,
                        population=population)


def rewrite_card(bundle: Path, change) -> None:
    """Apply ``change(card)`` and keep the card otherwise consistent (hashes of the listed files, its
    own digest): a bundle *built* this way, not a card edited by hand."""
    card_path = bundle / CARD_FILE
    card = json.loads(card_path.read_text(encoding="utf-8"))
    change(card)
    card["files"] = {name: sha256_file(bundle / name) for name in card["files"]}
    card_path.write_text(json.dumps(seal_card(card), indent=2), encoding="utf-8")
    sign_for_tests(bundle)


def run_desktop(args: list[str], data_dir: Path, *, prelude: str = "", timeout: float = 120) -> subprocess.CompletedProcess:
    """``python -m desktop ARGS`` in a fresh interpreter with its data folder in ``data_dir``.

    ``prelude`` runs first in the same interpreter (audit hooks, module checks).
    """
    code = prelude + "\nimport sys\nfrom desktop.cli import main\nsys.exit(main(sys.argv[1:]))\n"
    env = {**os.environ, "CXR_SCREENING_DATA_DIR": str(data_dir), "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.run([sys.executable, "-c", code, *args], cwd=REPO_ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)


def forced_router(bundle_dir: Path) -> Router:
    """A router that sends every film to the one bundle at ``bundle_dir`` (1 thread)."""
    bundle = load_bundle(bundle_dir)
    return Router.open(Selection(((bundle, bundle.card["default_build"]),), automatic=False), threads=1)


def automatic_router(*bundle_dirs: Path) -> Router:
    """A router over the bundles at ``bundle_dirs`` that routes each film by population (1 thread)."""
    bundles = [load_bundle(directory) for directory in bundle_dirs]
    return Router.open(Selection(tuple((b, b.card["default_build"]) for b in bundles), automatic=True), threads=1)


@dataclass(frozen=True)
class _FakeInspected(InspectedFilm):
    fingerprint: str = ""


class FakeSafety:
    """Stands in for `cxrcore.safety.checks.SafetyChecks` where the real population model is not the point:
    each film's population is the one the test declares for it (matched by its decoded pixels, so
    it survives copying and renaming), ``default`` for the others; ``None`` means "not a chest film".
    Quality is a constant 80, without a warning. Real-model tests use the shipped checks instead."""

    POPULATIONS = ("pediatric", "adult")

    def __init__(self, declared: Mapping[Path, str | None] | None = None, default: str | None = "pediatric") -> None:
        self._declared = {_fingerprint(decode_image(path).pixels): name for path, name in (declared or {}).items()}
        self._default = default

    def inspect(self, decoded: DecodedImage, model_gray: np.ndarray | None = None) -> _FakeInspected:
        return _FakeInspected(film_view(decoded), None, 80.0, _fingerprint(decoded.pixels))

    def judge(self, inspected: _FakeInspected) -> SafetyVerdict:
        name = self._declared.get(inspected.fingerprint, self._default)
        if name is None:
            return SafetyVerdict(GateResult(False, "looks like a test non-film", 2.0), {}, None, ())
        populations = {
            other: PopulationResult(other, True, 0.5, "", None) if other == name
            else PopulationResult(other, False, 2.0, "image", f"{NOT_VALIDATED}: it looks unlike {other} films")
            for other in self.POPULATIONS
        }
        return SafetyVerdict(GateResult(True, "", 0.5), populations, inspected.quality, ())

    def close(self) -> None:
        pass


def _fingerprint(pixels: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(pixels).tobytes()).hexdigest()


def declare(films: Iterable[Path], population: str | None) -> dict[Path, str | None]:
    """``{film: population}`` for `FakeSafety`."""
    return {film: population for film in films}


#: Code for `run_desktop`'s ``prelude``: the child's safety checks become a `FakeSafety` (every film a
#: child's chest film), for command-line tests of screening mechanics rather than of the checks.
FAKE_SAFETY_PRELUDE = "from tests.desktop_support import use_fake_safety\nuse_fake_safety()\n"


def use_fake_safety(monkeypatch=None, safety: FakeSafety | None = None) -> None:
    """Make `SafetyChecks.load` return ``safety`` (default: a `FakeSafety` calling every film a child's),
    through ``monkeypatch`` in a test, or for the rest of the process in a `run_desktop` child."""
    from cxrcore.safety.checks import SafetyChecks

    fake = classmethod(lambda cls, safety_dir: safety or FakeSafety())
    if monkeypatch is None:
        SafetyChecks.load = fake  # type: ignore[method-assign]
    else:
        monkeypatch.setattr(SafetyChecks, "load", fake)
