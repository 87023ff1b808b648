"""Reference outputs: the films a bundle ships with each build's expected probabilities, and the one check of them.

The converter records, per passed build, the calibrated probabilities `Classifier.classify_file`
gives each reference film (`converters.references`); the converter's own last step and the app's
``--self-test`` re-run them here. If a frozen app, another CPU or a damaged file gives other numbers
than were recorded, the bundle is not what was tested. One check and one tolerance table, so the
converter cannot accept a bundle the installed app would then fail, or the other way round.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

from cxrcore.bundle import BundleError, ModelBundle
from cxrcore.classifier import Classifier
from cxrcore.image import DecodeError
from cxrcore.runtime import EngineError

#: Allowed |Δprobability| on re-run, per build kind (recorded in each entry's ``tolerance``). Float
#: builds differ only by kernel summation order across CPUs; quantized builds can round an
#: activation to the next step on another CPU's kernels.
TOLERANCES: dict[str, float] = {"float32": 1e-4, "float16": 1e-4, "dynamic": 2e-3, "int8": 2e-3}

#: Opens one build of a bundle (the converter: on the CPU; the self-test: as the app will run it).
ClassifierFactory = Callable[[ModelBundle, str], Classifier]


def tolerance(build: str) -> float:
    """The allowed |Δprobability| for a build kind."""
    return TOLERANCES[build]


@dataclass(frozen=True)
class BuildCheck:
    """One build's reference films re-run: the runtime that ran them (``—`` if it could not be opened),
    the largest |Δprobability| measured, and one line per problem (none: the build reproduces)."""

    build: str
    runtime: str
    max_delta: float | None
    problems: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.problems


def check_builds(bundle: ModelBundle, open_classifier: ClassifierFactory) -> list[BuildCheck]:
    """One `BuildCheck` per build the reference outputs name that this copy holds (the packaged app's
    holds only the default: `cxrcore.bundle.optional_files`), then one failing check per build the
    app may offer that has none: every offered build must be checked, or it would ship unchecked."""
    referenced = sorted({entry["build"] for entry in bundle.reference_outputs if bundle.holds_build(entry["build"])})
    unchecked = [kind for kind in bundle.usable_builds if kind not in referenced]
    return [check_build(bundle, kind, open_classifier) for kind in referenced] + [
        BuildCheck(kind, "—", None, ("has no reference outputs",)) for kind in unchecked
    ]


def check_build(bundle: ModelBundle, build: str, open_classifier: ClassifierFactory) -> BuildCheck:
    """Re-run every reference film of ``build`` as the app would, comparing with the recorded probabilities."""
    try:
        classifier = open_classifier(bundle, build)
    except (EngineError, BundleError) as error:
        return BuildCheck(build, "—", None, (str(error),))
    worst = 0.0
    problems: list[str] = []
    with classifier:
        for entry in (entry for entry in bundle.reference_outputs if entry["build"] == build):
            try:
                delta = _delta(classifier, bundle, entry)
            except DecodeError as error:
                problems.append(f"{entry['file']}: {error.detail}")
                continue
            worst = max(worst, delta)
            allowed = float(entry.get("tolerance", tolerance(build)))
            if not delta <= allowed:  # NaN fails too
                problems.append(f"{entry['file']}: |Δp| {delta:.2e} > tolerance {allowed:.0e}")
        runtime = classifier.description
    return BuildCheck(build, runtime, worst, tuple(problems))


def check_reference_outputs(bundle: ModelBundle, open_classifier: ClassifierFactory) -> list[str]:
    """Every problem of `check_builds`, one line each naming its build (empty: the bundle reproduces)."""
    return [f"build {check.build}: {problem}" for check in check_builds(bundle, open_classifier)
            for problem in check.problems]


def _delta(classifier: Classifier, bundle: ModelBundle, entry: dict[str, Any]) -> float:
    """Largest |Δ| between this machine's probabilities for the entry's film and the recorded ones."""
    probabilities = classifier.classify_file(bundle.directory / entry["file"]).probabilities
    return float(np.max(np.abs(probabilities - np.asarray(entry["probabilities"], np.float64))))
