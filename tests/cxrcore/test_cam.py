"""The class-activation head: every shipped build outputs its feature map, and CAM reproduces its logit.

The shipped models pool the last feature map globally and apply one dense layer, so averaging
``F · w + b`` over the map must give back the model's own logit: that is what makes the CAM exact
(`cxrcore.cam`). Checked on the real reference films of every shipped bundle.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from cxrcore.bundle import CARD_FILE, find_bundles, load_bundle
from cxrcore.cam import read_dense_head
from cxrcore.classifier import Classifier
from cxrcore.runtime import InterpreterEngine
from tests.conftest import REPO_ROOT
from tests.factories import sample_films

SHIPPED = find_bundles(REPO_ROOT / "models")


def _builds() -> list:
    pairs = []
    for path in SHIPPED:
        card = json.loads((path / CARD_FILE).read_text(encoding="utf-8"))
        pairs += [pytest.param(path, kind, build["file"], id=f"{path.name}-{kind}")
                  for kind, build in card["builds"].items()]
    return pairs


@pytest.mark.parametrize(("bundle_dir", "kind", "file"), _builds())
def test_every_shipped_build_outputs_the_feature_map_its_head_pools(bundle_dir: Path, kind: str, file: str) -> None:
    head = read_dense_head(bundle_dir / file)
    assert head is not None, f"{file} has no global-average-pooling + dense head"
    with InterpreterEngine(bundle_dir / file, threads=1) as engine:
        assert len(engine.output_infos) == 2
        features = engine.output_infos[1]
        assert features.index == head.feature_tensor and features.shape == (1, 7, 7, head.weights.shape[1])
        assert engine.output_info.shape[-1] == head.weights.shape[0] == head.bias.shape[0]


@pytest.mark.parametrize("bundle_dir", [pytest.param(path, id=path.name) for path in SHIPPED])
def test_pooled_class_activation_gives_back_the_model_logit(bundle_dir: Path) -> None:
    bundle = load_bundle(bundle_dir)
    with Classifier(bundle, accelerator="cpu", threads=1) as classifier:
        assert classifier.cam_head is not None
        for film in sorted({entry["file"] for entry in bundle.reference_outputs}):
            gray = classifier.load_gray(bundle.directory / film)
            classification, features = classifier.classify_with_features(gray)
            np.testing.assert_array_equal(classification.probabilities, classifier.classify_gray(gray).probabilities)
            raw = classifier.raw_output(gray)[0].astype(np.float64)
            pooled = features.mean(axis=(0, 1))
            logits = np.array([pooled @ classifier.cam_weights(label) for label in bundle.labels])
            output = classifier.engine.output_info
            if output.quantized:  # the build rounds the pooled features and its output: compare probabilities
                if bundle.output_activation == "sigmoid":  # labels[1]'s weights are the one unit's
                    probabilities = 1 / (1 + np.exp(-(logits[1:] + classifier.cam_head.bias)))
                else:
                    probabilities = np.exp(logits + classifier.cam_head.bias)
                    probabilities /= probabilities.sum()
                np.testing.assert_allclose(probabilities, raw, atol=2 * output.scale)  # two output steps
            elif bundle.output_activation == "sigmoid":  # both labels' weights: ± the one unit's
                expected = np.log(raw[0] / (1 - raw[0])) - classifier.cam_head.bias[0]
                np.testing.assert_allclose(logits, [-expected, expected], atol=1e-3)
            else:  # softmax: log-probabilities are the logits up to one shared constant
                shifted = logits + classifier.cam_head.bias
                np.testing.assert_allclose(shifted - shifted.max(), np.log(raw) - np.log(raw).max(), atol=1e-3)


def test_a_build_without_the_feature_output_has_no_head(tiny_bundle: Path) -> None:
    with Classifier(load_bundle(tiny_bundle), accelerator="cpu", threads=1) as classifier:
        assert classifier.cam_head is None
        with pytest.raises(ValueError, match="no feature-map output"):
            classifier.classify_with_features(classifier.load_gray(sample_films()[0]))
