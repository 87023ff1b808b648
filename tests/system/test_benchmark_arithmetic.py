"""The pipeline benchmark's ideal (`benchmarks/screen_folder.py`): the bounds it takes the minimum of, and
inference charged only for the films that reach it (a refused or not-validated film skips it)."""

from __future__ import annotations

import pytest

from benchmarks.screen_folder import StageCost, ideal_rate, with_inference_share

COSTS = {"decode": StageCost(8.0, 8.0), "safety checks, engine half": StageCost(2.0, 2.0),
         "inference": StageCost(10.0, 10.0)}


def test_the_ideal_is_the_tightest_bound() -> None:
    ideal, bounds = ideal_rate(COSTS, cores=2, workers=1)
    assert bounds == pytest.approx({"2.00 cores ÷ 20.0 ms CPU per film": 100.0,
                                    "1 decode worker(s) + the engine thread ÷ 20.0 ms": 100.0,
                                    "engine thread ÷ 12.0 ms": 1e3 / 12})
    assert ideal == pytest.approx(1e3 / 12)
    # the engine thread also prepares films while it waits, so a decode side twice the engine's binds all threads
    slow_decode = dict(COSTS, decode=StageCost(24.0, 24.0))
    assert ideal_rate(slow_decode, cores=4, workers=1)[0] == pytest.approx(2e3 / 36)


def test_films_that_skip_inference_raise_the_ideal_they_are_measured_against() -> None:
    half = with_inference_share(COSTS, 0.5)
    assert half["inference"] == StageCost(5.0, 5.0) and half["decode"] == COSTS["decode"]
    assert ideal_rate(half, cores=2, workers=1)[0] == pytest.approx(2e3 / 15)  # the cores now bind
    assert with_inference_share(COSTS, 1.0) == COSTS
