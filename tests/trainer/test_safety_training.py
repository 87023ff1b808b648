"""The pieces the safety models are fitted with: source weighting, per-source limits, the turned-film negatives.

Fast and model-free: the trained models themselves are measured against their card in
tests/cxrcore/test_gate.py and tests/cxrcore/test_population.py.
"""

from __future__ import annotations

import numpy as np
import pytest

from trainer.safety.discriminative import balanced_weights
from trainer.safety.sources import TRANSFORMS, Pool, per_source_limit, source_counts, transform


def test_each_class_gets_half_the_weight_and_each_source_an_equal_share_of_it() -> None:
    labels = np.array([0] * 90 + [0] * 10 + [1] * 40)
    groups = np.array(["big"] * 90 + ["small"] * 10 + ["neg"] * 40)
    weights = balanced_weights(labels, groups)
    total = weights.sum()
    assert weights[labels == 0].sum() == pytest.approx(total / 2)
    assert weights[groups == "big"].sum() == pytest.approx(weights[groups == "small"].sum())
    assert weights[groups == "small"][0] == pytest.approx(9 * weights[groups == "big"][0])


def test_a_per_source_limit_holds_for_the_worst_source() -> None:
    rng = np.random.default_rng(0)
    scores = np.r_[rng.normal(0, 1, 1000), rng.normal(3, 1, 1000)]
    sources = np.array(["a"] * 1000 + ["b"] * 1000)
    limit = per_source_limit(scores, sources, 99.0)
    assert limit == pytest.approx(np.percentile(scores[1000:], 99.0))
    assert np.mean(scores[sources == "b"] > limit) <= 0.011 and np.mean(scores[sources == "a"] > limit) == 0.0


@pytest.mark.parametrize("kind", TRANSFORMS)
def test_every_transform_keeps_the_size_and_changes_the_film(kind: str) -> None:
    film = np.add.outer(np.arange(64), 2 * np.arange(64)).astype(np.uint8)  # no symmetry a transform could keep
    turned = transform(film, kind)
    assert turned.shape == film.shape and turned.dtype == np.uint8
    assert not np.array_equal(turned, film)


def test_pools_select_by_split_and_source() -> None:
    pool = Pool(np.zeros((4, 2, 2), np.uint8), np.array(["fit", "val", "fit", "test"]), np.array(["a", "a", "b", "b"]))
    assert source_counts(pool.where("fit")) == {"a": 1, "b": 1}
    assert source_counts(pool.where(exclude=("a",))) == {"b": 2}
    assert source_counts(Pool.concat([pool, pool]).where("test", sources=("b",))) == {"b": 2}
