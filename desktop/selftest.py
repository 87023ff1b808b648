"""``--self-test``: prove that an installed copy computes what its models' builders computed.

For every bundle found: load it with hash verification, then classify each of its
``reference_outputs`` films with the build named there, on this machine's runtime, and compare
with the stored probabilities within the entry's ``tolerance``. Run after packaging and after
installing on a clinic laptop: it catches a damaged download, a mismatched runtime or a broken
preprocessing path before a single patient film is screened. Then the safety checks
(`cxrcore.safety.checks`): their card and models must load intact, and every reference film must pass the
chest-film gate (a gate that refuses real films would stop every screening).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cxrcore.bundle import BundleError, ModelBundle, find_bundles, load_bundle
from cxrcore.classifier import Classifier
from cxrcore.decode import DecodeError, decode_image
from cxrcore.safety.card import SafetyCardError
from cxrcore.runtime import EngineError
from cxrcore.safety.checks import SafetyChecks

#: Tolerance when a reference entry gives none (float32 builds on different CPUs agree far better).
DEFAULT_TOLERANCE = 1e-4


@dataclass(frozen=True)
class CheckLine:
    """One line of the report: a model build checked, or a bundle that could not be checked."""

    model: str
    build: str
    runtime: str
    max_delta: float | None
    passed: bool
    detail: str = ""

    def render(self) -> str:
        delta = "—" if self.max_delta is None else f"{self.max_delta:.2e}"
        verdict = "PASS" if self.passed else "FAIL"
        text = f"{verdict}  {self.model}  build={self.build}  runtime={self.runtime}  max|Δ|={delta}"
        return f"{text}  ({self.detail})" if self.detail else text


def check_bundle(directory: Path, accelerator: str = "auto", threads: int | None = None,
                 log_path: Path | None = None) -> list[CheckLine]:
    """All checks for one bundle folder: one line per build referenced, or one failure line."""
    try:
        bundle = load_bundle(directory)
    except BundleError as error:
        return [CheckLine(directory.name, "—", "—", None, False, error.problem)]
    if not bundle.reference_outputs:
        return [CheckLine(bundle.name, "—", "—", None, False, "the card lists no reference outputs to verify")]
    builds = sorted({reference["build"] for reference in bundle.reference_outputs})
    return [_check_build(bundle, build, accelerator, threads, log_path) for build in builds]


def _check_build(bundle: ModelBundle, build: str, accelerator: str, threads: int | None,
                 log_path: Path | None) -> CheckLine:
    label = f"{bundle.name} {bundle.version}"
    try:
        classifier = Classifier(bundle, build, accelerator=accelerator, threads=threads, log_path=log_path)
    except (EngineError, BundleError) as error:
        return CheckLine(label, build, "—", None, False, str(error))
    worst = 0.0
    failures: list[str] = []
    try:
        for reference in (r for r in bundle.reference_outputs if r["build"] == build):
            delta = _reference_delta(classifier, bundle.directory, reference)
            if isinstance(delta, str):
                failures.append(delta)
                continue
            worst = max(worst, delta)
            tolerance = float(reference.get("tolerance", DEFAULT_TOLERANCE))
            if not delta <= tolerance:
                failures.append(f"{reference['file']}: |Δ| {delta:.2e} > tolerance {tolerance:.0e}")
    finally:
        classifier.close()
    return CheckLine(label, build, classifier.description, worst, not failures, "; ".join(failures))


def _reference_delta(classifier: Classifier, directory: Path, reference: dict) -> float | str:
    """Max |Δ| between this machine's probabilities and the stored ones, or why it cannot be computed."""
    try:
        probabilities = classifier.classify_file(directory / reference["file"]).probabilities
    except DecodeError as error:
        return f"{reference['file']}: {error.detail}"
    return float(np.max(np.abs(probabilities - np.asarray(reference["probabilities"], np.float64))))


def check_safety(safety_dir: Path, bundle_dirs: list[Path]) -> CheckLine:
    """The safety models load (hashes verified) and accept every bundle's reference films."""
    try:
        safety = SafetyChecks.load(safety_dir)
    except (SafetyCardError, EngineError) as error:
        return CheckLine("safety checks", "—", "—", None, False, str(error))
    refused = []
    try:
        for directory in bundle_dirs:
            try:
                references = load_bundle(directory).reference_outputs
            except BundleError:
                continue  # reported on the bundle's own line
            for reference in references:
                try:
                    verdict = safety.check(decode_image(directory / reference["file"]))
                except DecodeError as error:
                    refused.append(f"{reference['file']}: {error.detail}")
                    continue
                if not verdict.accepted:
                    refused.append(f"{directory.name}/{reference['file']}: {verdict.gate.reason}")
        runtime = next(iter(safety.gate.models.values())).engine.description
    finally:
        safety.close()
    return CheckLine("safety checks", "gate", runtime, None, not refused, "; ".join(refused))


def run_self_test(search_dirs: list[Path], safety_dir: Path, accelerator: str = "auto", threads: int | None = None,
                  log_path: Path | None = None) -> tuple[list[CheckLine], bool]:
    """Check every bundle under ``search_dirs`` and the safety checks; passes only if all pass and
    there is at least one bundle."""
    bundle_dirs = find_bundles(*search_dirs)
    lines = [line for directory in bundle_dirs for line in check_bundle(directory, accelerator, threads, log_path)]
    if not lines:
        return lines, False
    lines.append(check_safety(safety_dir, bundle_dirs))
    return lines, all(line.passed for line in lines)
