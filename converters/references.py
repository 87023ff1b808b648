"""Reference films shipped inside a bundle, with each passed build's expected calibrated probabilities.

Films come from TEST (stratified, seeded) so they were never trained on, and the expected values
are produced by `Classifier.classify_file`, the exact call the app makes on a file. The check that
re-runs them, and the tolerance each entry records, are `cxrcore.references`: the app's self-test
uses the same check, so the converter cannot write a bundle the installed app would refuse.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, Sequence

from cxrcore import references
from cxrcore.bundle import ModelBundle
from cxrcore.classifier import Classifier

from converters.datasets import stratified_sample
from converters.evaluate import open_build
from trainer.data.manifest import SplitRow

REFERENCE_DIR = "reference"


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
                "tolerance": references.tolerance(classifier.build),
            }
        )
    return entries


def check_reference_outputs(bundle: ModelBundle) -> list[str]:
    """`cxrcore.references.check_reference_outputs` with every build on the CPU, as the converter measured it."""
    return references.check_reference_outputs(bundle, open_build)
