"""A one-class model from chest films alone: predict which of 8 rotations/inversions was applied.

Why this and not an autoencoder: a network that has learnt to tell an upright chest film from
one turned by 90°, 180°, 270° or inverted has learnt what an upright chest film looks like; on
anything else (a photo, a page, a CT slice) it cannot tell the transforms apart, so its average
log-probability of the *correct* transform collapses (Golan & El-Yaniv, "Deep anomaly detection
using geometric transformations", NeurIPS 2018). A convolutional autoencoder tried first
reconstructed smooth photographs as well as films and let 43 % of the non-chest set through at
a comparable false-rejection rate (docs/safety.md). The squared Mahalanobis distance of the
network's pooled features from the training films' Gaussian is the second score: it is what
separates two kinds of chest film (children's vs adults') that are both perfectly upright.

The exported graph takes one 64×64 film and outputs the chosen scores (the gate ships both, the
domain check only the distance); all 8 transforms are built inside it, so the app runs one model
call and compares a number or two with the thresholds in ``safety.json``. Keras/TensorFlow are imported here only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cxrcore.preprocess import InputSpec, to_model_input

#: 64 px is enough to see a film's layout and keeps the model ~100 kB and ~2 ms per film.
SIDE = 64
SPEC = InputSpec(height=SIDE, width=SIDE, channels=1, scale=1.0 / 255.0, offset=0.0)
TRANSFORMS = (
    "upright", "rot90", "rot180", "rot270", "inverted", "inverted-rot90", "inverted-rot180", "inverted-rot270"
)
SCORE_NAMES = ("transform_nll", "feature_mahalanobis2")


@dataclass(frozen=True)
class TrainSettings:
    """Everything that decides the trained weights; recorded in safety.json."""

    epochs: int = 3
    batch_size: int = 32
    learning_rate: float = 2e-3
    seed: int = 0
    #: Shifts/zooms of a few percent so a film framed a little differently is not foreign;
    #: larger would teach the model that any framing is a chest film.
    augment_shift: float = 0.05
    augment_zoom: float = 0.08
    #: Ridge added to the feature covariance, relative to its mean variance (keeps it invertible).
    covariance_ridge: float = 1e-3

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _all_transforms(images):
    """(N, S, S, 1) → (N·8, S, S, 1): each film under the 8 transforms, in `TRANSFORMS` order."""
    from keras import ops

    turned = [images]
    for _ in range(3):
        turned.append(ops.flip(ops.transpose(turned[-1], (0, 2, 1, 3)), axis=1))  # one more 90° turn
    stacked = ops.stack(turned + [1.0 - image for image in turned], axis=1)
    return ops.reshape(stacked, (-1, SIDE, SIDE, 1))


def build_network():
    """(features, classifier): pooled 64-d features and the 8-way transform logits on top."""
    import keras
    from keras import layers

    image = keras.Input((SIDE, SIDE, 1), name="film")
    x = image
    for filters in (16, 32, 64, 64):
        x = layers.Conv2D(filters, 3, strides=2, padding="same", activation="relu")(x)
    pooled = layers.GlobalAveragePooling2D(name="features")(x)
    features = keras.Model(image, pooled, name="features")
    logits = layers.Dense(len(TRANSFORMS), name="transform")(pooled)
    return features, keras.Model(image, logits, name="transform_classifier")


def train(films: np.ndarray, settings: TrainSettings):
    """Fit on (N, 64, 64) uint8 upright films; returns (features, classifier)."""
    import keras
    import tensorflow as tf
    from keras import layers

    keras.utils.set_random_seed(settings.seed)
    features, classifier = build_network()
    augment = keras.Sequential(
        [
            layers.RandomTranslation(settings.augment_shift, settings.augment_shift, fill_mode="nearest"),
            layers.RandomZoom(settings.augment_zoom, fill_mode="nearest"),
        ]
    )
    labels = tf.range(len(TRANSFORMS))
    data = tf.data.Dataset.from_tensor_slices(to_model_input(films, SPEC)).shuffle(len(films), seed=settings.seed)
    data = data.batch(settings.batch_size).map(lambda x: augment(x, training=True))
    data = data.map(lambda x: (_all_transforms(x), tf.tile(labels, [tf.shape(x)[0]]))).prefetch(2)
    classifier.compile(
        optimizer=keras.optimizers.Adam(settings.learning_rate),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    classifier.fit(data, epochs=settings.epochs, verbose=2)
    return features, classifier


def whitening(vectors: np.ndarray, ridge: float) -> tuple[np.ndarray, np.ndarray]:
    """(mean, W) such that ``‖(v − mean) W‖²`` is the squared Mahalanobis distance of v."""
    mean = vectors.mean(axis=0)
    covariance = np.cov(vectors - mean, rowvar=False)
    covariance += ridge * np.trace(covariance) / len(covariance) * np.eye(len(covariance))
    return mean, np.linalg.cholesky(np.linalg.inv(covariance))


def scoring_model(
    features, classifier, mean: np.ndarray, whiten: np.ndarray, scores: tuple[str, ...] = SCORE_NAMES,
    batch_size: int | None = 1,
):
    """The exported graph: films (B, 64, 64, 1) → (B, len(scores)), scores named in `SCORE_NAMES`.

    Exported with ``batch_size=1`` (the app scores one film at a time); the trainer measures with
    ``None`` for speed — the same graph, so measured and shipped scores agree to float rounding.
    """
    import keras
    from keras import layers, ops

    count = len(TRANSFORMS)
    image = keras.Input((SIDE, SIDE, 1), batch_size=batch_size, name="film")
    logits = ops.reshape(classifier(_all_transforms(image)), (-1, count, count))
    log_probabilities = logits - ops.logsumexp(logits, axis=2, keepdims=True)
    nll = -ops.mean(ops.sum(log_probabilities * ops.eye(count), axis=2), axis=1)
    projection = layers.Dense(len(mean), name="whiten")
    distance = ops.sum(ops.square(projection(features(image))), axis=1)
    projection.set_weights([whiten.astype(np.float32), (-mean @ whiten).astype(np.float32)])
    by_name = dict(zip(SCORE_NAMES, (nll, distance)))
    return keras.Model(image, ops.stack([by_name[name] for name in scores], axis=1), name="one_class_scores")


def to_tflite(model) -> bytes:
    """Float32 flatbuffer: the thresholds sit at fine margins, so no quantization."""
    import tensorflow as tf

    return tf.lite.TFLiteConverter.from_keras_model(model).convert()
