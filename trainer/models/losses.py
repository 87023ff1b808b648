"""Losses the papers use that Keras does not ship, written with ``keras.ops`` only.

P0's models 2 and 3 were trained with ``SparseCategoricalFocalLoss`` from the ``focal-loss``
package (Lin et al. 2017, "Focal Loss for Dense Object Detection"). That package is TensorFlow
only, so this is a backend-agnostic reimplementation with the same arguments and semantics.
"""

from __future__ import annotations

from collections.abc import Sequence

import keras
from keras import ops

__all__ = ["SparseCategoricalFocalLoss"]


@keras.saving.register_keras_serializable(package="cxr")
class SparseCategoricalFocalLoss(keras.losses.Loss):
    """Focal loss for integer class labels: ``-w[y] * (1 - p_y)**gamma * log(p_y)``.

    ``p_y`` is the predicted probability of the true class, so confident correct predictions
    (``p_y`` near 1) are down-weighted and hard examples dominate; ``gamma=0`` is exactly sparse
    categorical cross-entropy.

    Args:
        gamma: focusing parameter (>= 0). P0 does not state its value; 2.0 is the value Lin et
            al. found best and the one the ``focal-loss`` documentation uses in its examples.
        class_weight: optional per-class weights ``w`` (length = number of classes), applied to
            each example by its true class. (P0 passed class weights to ``fit`` instead; either
            works — do not use both, or the weights multiply.)
        from_logits: whether ``y_pred`` are logits (softmax applied here) or probabilities.
        reduction, name, dtype: as for any ``keras.losses.Loss``.

    Probabilities are clipped to ``[epsilon, 1 - epsilon]`` (Keras' ``backend.epsilon()``) before
    the log, as Keras' own cross-entropy does, so a zero probability gives a large finite loss.
    """

    def __init__(
        self,
        gamma: float = 2.0,
        class_weight: Sequence[float] | None = None,
        from_logits: bool = False,
        reduction: str = "sum_over_batch_size",
        name: str = "sparse_categorical_focal_loss",
        dtype: str | None = None,
    ) -> None:
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        if gamma < 0:
            raise ValueError(f"gamma must be >= 0, got {gamma}")
        self.gamma = float(gamma)
        self.class_weight = None if class_weight is None else [float(w) for w in class_weight]
        self.from_logits = bool(from_logits)

    def call(self, y_true, y_pred):
        y_pred = ops.convert_to_tensor(y_pred)
        labels = ops.cast(ops.convert_to_tensor(y_true), "int32")
        if len(labels.shape) == len(y_pred.shape):  # labels given as (..., 1)
            labels = ops.squeeze(labels, axis=-1)
        if self.from_logits:
            log_probs = ops.log_softmax(y_pred, axis=-1)
        else:
            epsilon = keras.backend.epsilon()
            log_probs = ops.log(ops.clip(y_pred, epsilon, 1.0 - epsilon))
        log_p = ops.squeeze(ops.take_along_axis(log_probs, ops.expand_dims(labels, -1), axis=-1), axis=-1)
        loss = -ops.power(1.0 - ops.exp(log_p), self.gamma) * log_p
        if self.class_weight is not None:
            loss = loss * ops.take(ops.convert_to_tensor(self.class_weight, dtype=loss.dtype), labels)
        return loss

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(gamma=self.gamma, class_weight=self.class_weight, from_logits=self.from_logits)
        return config
