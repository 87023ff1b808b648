"""SparseCategoricalFocalLoss against hand-computed values and Keras' cross-entropy."""

from __future__ import annotations

import math

import keras
import numpy as np
import pytest

from trainer.models.losses import SparseCategoricalFocalLoss

PROBS = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.25, 0.25, 0.5]], dtype="float32")
LABELS = np.array([0, 1, 2])


def _value(loss: keras.losses.Loss, y_true, y_pred) -> np.ndarray:
    return keras.ops.convert_to_numpy(loss(y_true, y_pred))


def test_gamma_zero_is_sparse_categorical_cross_entropy() -> None:
    by_hand = -np.mean(np.log([0.7, 0.3, 0.5]))
    focal = _value(SparseCategoricalFocalLoss(gamma=0.0), LABELS, PROBS)
    keras_ce = _value(keras.losses.SparseCategoricalCrossentropy(), LABELS, PROBS)
    assert focal == pytest.approx(by_hand, rel=1e-6)
    assert focal == pytest.approx(keras_ce, rel=1e-6)


def test_gamma_two_matches_hand_computation() -> None:
    # -(1 - p)^2 * ln p for p = 0.7, 0.3, 0.5
    per_example = [-(0.3**2) * math.log(0.7), -(0.7**2) * math.log(0.3), -(0.5**2) * math.log(0.5)]
    assert per_example == pytest.approx([0.0321007, 0.5899467, 0.1732868], abs=1e-6)
    loss = SparseCategoricalFocalLoss(gamma=2.0, reduction=None)
    np.testing.assert_allclose(_value(loss, LABELS, PROBS), per_example, rtol=1e-5)
    assert _value(SparseCategoricalFocalLoss(), LABELS, PROBS) == pytest.approx(np.mean(per_example), rel=1e-5)


def test_class_weight_scales_each_example_by_its_true_class() -> None:
    plain = _value(SparseCategoricalFocalLoss(reduction=None), LABELS, PROBS)
    weighted = _value(SparseCategoricalFocalLoss(class_weight=[1.0, 2.0, 6.4], reduction=None), LABELS, PROBS)
    np.testing.assert_allclose(weighted, plain * np.array([1.0, 2.0, 6.4]), rtol=1e-6)


def test_logits_equal_probabilities_after_softmax_and_label_shape_is_free() -> None:
    logits = np.log(PROBS) + 3.0  # softmax(log p + c) = p
    from_probs = _value(SparseCategoricalFocalLoss(), LABELS, PROBS)
    assert _value(SparseCategoricalFocalLoss(from_logits=True), LABELS, logits) == pytest.approx(from_probs, rel=1e-5)
    assert _value(SparseCategoricalFocalLoss(), LABELS[:, None], PROBS) == pytest.approx(from_probs, rel=1e-6)


def test_zero_probability_gives_a_finite_loss() -> None:
    value = _value(SparseCategoricalFocalLoss(), np.array([1]), np.array([[1.0, 0.0]], dtype="float32"))
    assert np.isfinite(value) and value > 10


def test_serialization_round_trip_and_validation() -> None:
    loss = SparseCategoricalFocalLoss(gamma=1.5, class_weight=[1, 3], from_logits=True)
    restored = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(loss))
    assert isinstance(restored, SparseCategoricalFocalLoss)
    assert (restored.gamma, restored.class_weight, restored.from_logits) == (1.5, [1.0, 3.0], True)
    with pytest.raises(ValueError, match="gamma"):
        SparseCategoricalFocalLoss(gamma=-1)


def test_a_checkpoint_saved_with_focal_loss_loads_in_a_fresh_process(tmp_path) -> None:
    """trainer.evaluate loads P0 m2/m3 checkpoints after only ``list_models()``: the registry must
    register the loss too (a fresh process, since this one has imported it already)."""
    import subprocess
    import sys

    inputs = keras.Input((4,))
    model = keras.Model(inputs, keras.layers.Dense(3, activation="softmax")(inputs))
    model.compile(optimizer="adam", loss=SparseCategoricalFocalLoss(gamma=2.0, class_weight=[1, 2, 3]))
    path = tmp_path / "focal.keras"
    model.save(path)
    script = (
        "import sys, keras\n"
        "from trainer.models.registry import list_models\n"
        "list_models()\n"
        "model = keras.saving.load_model(sys.argv[1])\n"
        "print(type(model.loss).__name__, model.loss.gamma, model.loss.class_weight)\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "SparseCategoricalFocalLoss 2.0 [1.0, 2.0, 3.0]"
