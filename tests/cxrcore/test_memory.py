"""Keeping freed array memory (cxrcore.memory): the quality score stops faulting pages in film after film,
and the environment's own choice is respected (that every command sets it: tests/desktop/test_cli.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cxrcore.memory import glibc_version

REPOSITORY = Path(__file__).resolve().parents[2]
FILM = REPOSITORY / "samples" / "kermany-test-normal-IM-0001-0001.jpeg"

#: Run in a fresh interpreter, since the setting cannot be undone: page faults per quality score of one
#: real film, after one warm-up score, with or without the app's setting.
_FAULTS_PER_FILM = """
import resource, sys
import numpy as np
from PIL import Image
from cxrcore.memory import keep_freed_memory
from cxrcore.safety.quality import quality_features
applied = keep_freed_memory() if sys.argv[2] == "tuned" else None
film = np.asarray(Image.open(sys.argv[1]).convert("L"))
quality_features(film)
start = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(10):
    quality_features(film)
print(applied, (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - start) / 10)
"""

needs_glibc = pytest.mark.skipif(glibc_version() is None, reason="the setting exists on glibc only")


def _faults_per_film(mode: str, **environment: str) -> tuple[str, float]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("MALLOC_")} | environment
    output = subprocess.run([sys.executable, "-c", _FAULTS_PER_FILM, str(FILM), mode], env=env, cwd=REPOSITORY,
                            check=True, capture_output=True, text=True).stdout.split()
    return output[0], float(output[1])


@needs_glibc
def test_the_quality_score_stops_faulting_pages_once_freed_memory_is_kept() -> None:
    _, default = _faults_per_film("default")
    applied, tuned = _faults_per_film("tuned")
    assert applied == "True"
    assert default > 500  # the heap's free top goes back to the kernel after each film: measured about 2,300
    assert tuned < 10


@needs_glibc
def test_a_threshold_set_in_the_environment_is_left_alone() -> None:
    applied, faults = _faults_per_film("tuned", MALLOC_MMAP_THRESHOLD_=str(128 * 1024))
    assert applied == "False"
    assert faults > 500  # glibc's own default, as the environment asked
