"""Reference films shipped inside a bundle, with each passed build's expected calibrated probabilities.

The packaging self-test (and a clinic's IT) re-runs them: if a frozen app, a different CPU or a
damaged file gives other numbers than the converter recorded, the bundle is not what was tested.
Films come from TEST (stratified, seeded) so they were never trained on, and the expected
values are produced by `Classifier.classify_file`, the exact call the app makes on a file.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, Sequence

from cxrcore.bundle import ModelBundle
from cxrcore.classifier import Classifier

from converters.datasets import stratified_sample
from converters.evaluate import open_build
from trainer.data.manifest import SplitRow

REFERENCE_DIR = "reference"
#: Allowed |Δprobability| on re-run. Float builds differ only by kernel summation order across
#: CPUs; quantized builds can round an activation to the next step on another CPU's kernels.
FLOAT_TOLERANCE = 1e-4
QUANTIZED_TOLERANCE = 2e-3
FLOAT_BUILDS = ("float32", "float16")


def tolerance(kind: str) -> float:
    return FLOAT_TOLERANCE if kind in FLOAT_BUILDS else QUANTIZED_TOLERANCE


def copy_reference_films(
    test_records: Sequence[SplitRow], data_root: str | os.PathLike[str], bundle_dir: Path, count: int, seed: int
) -> list[str]:
    """Copy ``count`` stratified TEST films into ``reference/``; return their bundle-relative paths."""
    target = bundle_dir / REFERENCE_DIR
    target.mkdir(parents=True, exist_ok=True)
    relative_paths = []
    for index, record in enumerate(stratified_sample(test_records, count, seed)):
        relative = f"{REFERENCE_DIR}/{index:02d}-{Path(record.path).name}"
        shutil.copyfile(Path(data_root) / record.path, bundle_dir / relative)
        relative_paths.append(relative)
    return relative_paths


def reference_outputs(classifier: Classifier, films: Sequence[str]) -> list[dict[str, Any]]:
    """One entry per film for the classifier's build: the calibrated probabilities the app computes for that file."""
    entries = []
    for relative in films:
        probabilities = classifier.classify_file(classifier.bundle.directory / relative).probabilities
        entries.append(
            {
                "file": relative,
                "build": classifier.build,
                "probabilities": [float(value) for value in probabilities],
                "tolerance": tolerance(classifier.build),
            }
        )
    return entries


def check_reference_outputs(bundle: ModelBundle) -> list[str]:
    """Re-run every reference film on its build as the app would; one line per film outside its tolerance.

    Every build the app may offer must have reference outputs, or it would ship unchecked.
    """
    unchecked = set(bundle.usable_builds) - {entry["build"] for entry in bundle.reference_outputs}
    problems = [f"build {kind} has no reference outputs" for kind in sorted(unchecked)]
    classifiers: dict[str, Classifier] = {}
    for entry in bundle.reference_outputs:
        kind = entry["build"]
        if kind not in classifiers:
            classifiers[kind] = open_build(bundle, kind)
        actual = classifiers[kind].classify_file(bundle.directory / entry["file"]).probabilities
        worst = float(max(abs(a - e) for a, e in zip(actual, entry["probabilities"])))
        if worst > entry["tolerance"]:
            problems.append(f"{entry['file']} on {kind}: |Δp| {worst:.2e} exceeds {entry['tolerance']:.0e}")
    return problems
