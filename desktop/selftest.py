"""``--self-test``: prove that an installed copy computes what its models' builders computed.

For every bundle found: load it with hash verification, then classify each of its
``reference_outputs`` films with the build named there, on this machine's runtime, and compare
with the stored probabilities within the entry's ``tolerance`` (`cxrcore.references`, the very check
the converter ran before it wrote the bundle). Run after packaging and after
installing on a clinic laptop: it catches a damaged download, a mismatched runtime or a broken
preprocessing path before a single patient film is screened. Then the safety checks
(`cxrcore.safety.checks`): their card and models must load intact, and every reference film must pass the
chest-film gate (a gate that refuses real films would stop every screening).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cxrcore.bundle import BundleError, ModelBundle, find_bundles, load_bundle
from cxrcore.classifier import Classifier
from cxrcore.decode import DecodeError, decode_image
from cxrcore.references import check_builds
from cxrcore.safety.card import SafetyCardError
from cxrcore.runtime import EngineError
from cxrcore.safety.checks import SafetyChecks
from cxrcore.signing import TrustedKeys

from desktop.paths import trusted_key_dirs
from desktop.screening.catalog import load_trusted


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
    """All checks for one bundle folder (signed by a trusted key, then `cxrcore.references.check_builds`
    on this machine's runtime as the app will run it): one line per build checked, or one failure line."""
    try:
        bundle = load_trusted(directory, TrustedKeys.load(*trusted_key_dirs()))
    except BundleError as error:
        return [CheckLine(directory.name, "—", "—", None, False, error.problem)]
    if not bundle.reference_outputs:
        return [CheckLine(bundle.name, "—", "—", None, False, "the card lists no reference outputs to verify")]

    def open_classifier(checked: ModelBundle, build: str) -> Classifier:
        return Classifier(checked, build, accelerator=accelerator, threads=threads, log_path=log_path)

    label = f"{bundle.name} {bundle.version}"
    return [CheckLine(label, check.build, check.runtime, check.max_delta, check.passed, "; ".join(check.problems))
            for check in check_builds(bundle, open_classifier)]


def check_safety(safety_dir: Path, bundle_dirs: list[Path]) -> CheckLine:
    """The safety models load (hashes verified) and accept every bundle's reference films."""
    try:
        safety = SafetyChecks.load(safety_dir)
    except (SafetyCardError, EngineError) as error:
        return CheckLine("safety checks", "—", "—", None, False, str(error))
    refused = []
    with safety:
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
