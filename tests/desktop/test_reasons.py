"""Every reason the screening engine can give has a sentence a nurse reads, translated in every language;
an unknown one shows the engine's English words, never an empty label; the English stays as details.

The codes are read from the engine itself, not listed here: every ``DecodeError``/``ScanProblem``/
``failure`` code literal in the source, the receiver's ``REASON_`` constants, and — through the real
screening pipeline — the refusal of each of the gate's limits and models, each population reason and
the quality warning. A code added to the engine without its sentence fails these tests.
"""

from __future__ import annotations

import ast
import math
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from cxrcore.decode import DecodedImage, decode_image
from cxrcore.safety.checks import NOT_A_CHEST_FILM, SafetyChecks
from cxrcore.safety.gate import LIMITS, MODEL_REASONS, STRUCTURE_LIMITS, ChestFilmGate
from cxrcore.safety.population import NOT_VALIDATED, REASONS, PopulationResult
from cxrcore.safety.quality import FEATURE_NAMES, QualityCheck, QualityModel
from desktop import i18n, reasons
from desktop.screening.catalog import ModelIdentity
from desktop.screening.pipeline import screen_paths
from desktop.screening.results import REJECTED_REASONS, ScreenResult
from desktop.screening.routing import Routing
from tests.conftest import REPO_ROOT

IDENTITY = ModelIdentity("m", "1.0", "float32", "a" * 64, "b" * 64, ("NORMAL", "PNEUMONIA"))
#: Calls whose second argument is a result's reason code.
CODE_CALLS = ("DecodeError", "ScanProblem", "failure")


def english(result: ScreenResult) -> reasons.Explanation:
    return reasons.explain(result, lambda context, source: source)


# --- every code the engine gives has a sentence ----------------------------------------------------
def _code_literals() -> set[str]:
    """The reason codes written literally in the engine: ``DecodeError(path, "corrupt", …)``,
    ``ScanProblem(…)``, ``ScreenResult.failure(…)``, and the ``REASON_…`` constants of the app."""
    codes = set()
    for path in [*(REPO_ROOT / "cxrcore").rglob("*.py"), *(REPO_ROOT / "desktop").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
                code = node.args[1] if name in CODE_CALLS and len(node.args) > 1 else None
                if isinstance(code, ast.Constant) and isinstance(code.value, str):
                    codes.add(code.value)
            elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
                codes.update(node.value.value for target in node.targets
                             if isinstance(target, ast.Name) and target.id.startswith("REASON_"))
    return codes


def test_every_failure_code_in_the_engine_has_a_sentence_and_every_sentence_a_code() -> None:
    codes = _code_literals() | REJECTED_REASONS | {NOT_A_CHEST_FILM}
    assert {"corrupt", "too-small", "dicom-compressed", "missing", "inference-failed", "not-an-image-object"} <= codes
    assert codes == set(reasons.FAILURES)


def test_every_sentence_is_translated_in_every_language() -> None:
    """A sentence added to a table without `QT_TRANSLATE_NOOP` would be invisible to lupdate, and English."""
    sources = {*reasons.FAILURES.values(), *(source for _, source in reasons.CHECK_REFUSALS),
               *reasons.MODEL_REFUSALS.values(), *reasons.POPULATION_SCORED.values(),
               *reasons.POPULATION_UNSCORED.values(), reasons.QUALITY_WARNING[1], "Details: {details}"}
    for code in i18n.TRANSLATED:
        translated = i18n.translations(code)
        assert [source for source in sources if (reasons.CONTEXT, source) not in translated] == [], code


class _Router:
    """What the pipeline asks of a router, without a model: a film the gate accepts is validated nowhere,
    for ``population_reason``."""

    automatic = False
    threads = 1

    def __init__(self, population_reason: str = "unknown") -> None:
        self.population_reason = population_reason

    def decode(self, path: Path) -> DecodedImage:
        return decode_image(path)

    def model_grays(self, decoded: DecodedImage) -> dict:
        return {}

    def route(self, populations: dict, metadata: dict) -> Routing:
        return Routing(None, False, f"{NOT_VALIDATED}: no installed model was validated for it.", self.population_reason)


class _Model:
    """One of the gate's models, scoring every film ``score`` against a limit of 1."""

    def __init__(self, score: float) -> None:
        self.names = ["score"]
        self.thresholds = np.array([1.0])
        self.score = score

    def scores(self, view: np.ndarray) -> np.ndarray:
        return np.array([self.score])


class _NoPopulation:
    def judge(self, view: np.ndarray) -> dict[str, PopulationResult]:
        return {}

    def close(self) -> None:
        pass


def _screen(tmp_path: Path, failing: str = "", router: _Router | None = None, quality: float = 0.0) -> ScreenResult:
    """A colourful, noisy film through the real pipeline and safety checks, with every limit and gate
    model passing but ``failing``; a quality warning below a ``quality`` threshold (the film scores 50)."""
    film = tmp_path / "film.png"
    Image.fromarray(np.random.default_rng(0).integers(0, 256, (256, 256, 3), dtype=np.uint8)).save(film)
    bound = {"max": (math.inf, 1e-9), "min": (-math.inf, 1e9)}  # (passes, fails)
    limits = {name: bound[name.split("_")[0]][name == failing] for name in (*LIMITS, *STRUCTURE_LIMITS)}
    models = {kind: _Model(2.0 if kind == failing else 0.5) for kind in MODEL_REASONS}
    zero = np.zeros(len(FEATURE_NAMES))
    checks = SafetyChecks(ChestFilmGate(limits, models), QualityCheck(QualityModel(zero, zero + 1, zero, 0.0), quality),
                          _NoPopulation())
    return next(screen_paths(router or _Router(), [film], safety=checks))  # type: ignore[arg-type]


def test_each_of_the_gates_checks_and_models_refuses_with_its_own_sentence(tmp_path: Path) -> None:
    refusals = {failing: _screen(tmp_path, failing) for failing in (*LIMITS, *STRUCTURE_LIMITS, *MODEL_REASONS)}
    sentences = {}
    for failing, result in refusals.items():
        assert result.reason == NOT_A_CHEST_FILM, (failing, result)
        sentences[failing] = reasons.reason_source(result)
        assert sentences[failing] not in (None, reasons.FAILURES[NOT_A_CHEST_FILM]), (failing, result.message)
    structural = {sentences[name] for name in STRUCTURE_LIMITS}
    assert len(structural) == 1 and len(set(sentences.values())) == len(LIMITS) + 1 + len(MODEL_REASONS)
    photo = english(refusals["max_colourfulness"])
    assert photo.sentences == ("This looks like a colour photograph, not an X-ray film.",)
    assert photo.details == f"Details: {refusals['max_colourfulness'].message}"


@pytest.mark.parametrize("population", REASONS)
def test_every_population_reason_has_a_sentence_scored_or_not(tmp_path: Path, population: str) -> None:
    unscored = _screen(tmp_path, router=_Router(population))
    scored = replace(unscored, model=IDENTITY, prediction="PNEUMONIA", confidence=0.75)
    assert unscored.status == "not-validated" and unscored.warnings[0].startswith(NOT_VALIDATED)
    for result, table in ((unscored, reasons.POPULATION_UNSCORED), (scored, reasons.POPULATION_SCORED)):
        shown = english(result)
        assert shown.sentences == (table[population],)  # the not-validated warning is what it explains
        assert shown.details == f"Details: {reasons.DETAILS_SEPARATOR.join((result.message, *result.warnings))}"


def test_the_quality_warning_has_a_sentence(tmp_path: Path) -> None:
    result = _screen(tmp_path, router=_Router(), quality=60.0)
    assert any(warning.startswith("image quality is poor") for warning in result.warnings)
    assert english(result).sentences[-1] == reasons.QUALITY_WARNING[1]
    assert english(replace(result, warnings=result.warnings[1:], status="ok", reason="", message="")).sentences == (
        reasons.QUALITY_WARNING[1],)


# --- what is not known still says something --------------------------------------------------------
def test_an_unknown_code_shows_the_english_message_and_no_details_twice() -> None:
    newer = ScreenResult.failure("/f.png", "from-a-newer-engine", "the newer engine's words")
    assert english(newer) == reasons.Explanation(("the newer engine's words",), "")
    assert english(replace(newer, message="")).sentences == ("from-a-newer-engine",)  # never an empty label
    assert english(ScreenResult("/f.png", "ok")) == reasons.Explanation((), "")
    refusal = ScreenResult.failure("/f.png", NOT_A_CHEST_FILM, "not scored: a newer gate check said no")
    assert english(refusal).sentences == (reasons.FAILURES[NOT_A_CHEST_FILM],)
    assert english(refusal).details == "Details: not scored: a newer gate check said no"


def test_an_unknown_warning_stays_english_behind_the_translated_safety_sentence() -> None:
    result = ScreenResult("/f.png", "not-validated", warnings=(f"{NOT_VALIDATED} (a reason of a newer engine).",))
    shown = reasons.explain(result, lambda context, source: f"<{source}>" if context == "safety" else source)
    assert shown.sentences == (f"<{NOT_VALIDATED}> (a reason of a newer engine).",)


def test_the_module_loads_no_qt() -> None:
    """The PDF is written without Qt (`tests/system/test_layering.py`): nor may what it explains with load Qt."""
    program = ("import sys, desktop.reasons; "
               "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'desktop.ui'))))")
    loaded = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, cwd=REPO_ROOT, check=True)
    assert loaded.stdout.strip() == "[]"
