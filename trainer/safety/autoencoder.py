"""A small convolutional autoencoder as a one-class model, exported as a two-number ``.tflite``.

Why an autoencoder plus a Mahalanobis distance: the reconstruction error alone is low for
*simple* pictures (a blank page or a smooth gradient is easy to reconstruct even for a model
that never saw one), while the distance of the bottleneck code from the training codes is
high for them; each catches what the other misses. The exported model therefore outputs
``[reconstruction MSE, squared Mahalanobis distance of the code]`` for one 64×64 film, so the
app needs no statistics of its own, only the two thresholds in ``safety.json``.

Keras/TensorFlow live here only; the app runs the ``.tflite`` through `cxrcore.runtime`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cxrcore.preprocess import InputSpec, to_model_input

#: Side of the square input. 64 px keeps the model small (< 1 MB) and fast (~1 ms on a CPU) and is
#: enough to see the layout of a chest film; fine texture is the quality check's business.
SIDE = 64
SPEC = InputSpec(height=SIDE, width=SIDE, channels=1, scale=1.0 / 255.0, offset=0.0)


@dataclass(frozen=True)
class TrainSettings:
    """Everything that decides the trained weights, recorded in safety.json."""

    code_size: int = 32
    epochs: int = 20
    batch_size: int = 64
    learning_rate: float = 2e-3
    seed: int = 0
    #: Random shifts/zooms of a few percent, so a film framed a little differently from the
    #: training data is not called foreign; larger would teach the model that anything goes.
    augment_shift: float = 0.05
    augment_zoom: float = 0.08

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def build(code_size: int):
    """(encoder, decoder, autoencoder) Keras models; the code is a plain dense vector."""
    import keras
    from keras import layers

    image = keras.Input((SIDE, SIDE, 1), name="film")
    x = image
    for filters in (16, 32, 32):
        x = layers.Conv2D(filters, 3, strides=2, padding="same", activation="relu")(x)
    code = layers.Dense(code_size, name="code")(layers.Flatten()(x))
    encoder = keras.Model(image, code, name="encoder")

    code_in = keras.Input((code_size,), name="code_in")
    y = layers.Dense(8 * 8 * 32, activation="relu")(code_in)
    y = layers.Reshape((8, 8, 32))(y)
    for filters in (32, 32, 16):
        y = layers.Conv2DTranspose(filters, 3, strides=2, padding="same", activation="relu")(y)
    reconstruction = layers.Conv2D(1, 3, padding="same", activation="sigmoid")(y)
    decoder = keras.Model(code_in, reconstruction, name="decoder")
    return encoder, decoder, keras.Model(image, decoder(encoder(image)), name="autoencoder")


def train(films: np.ndarray, settings: TrainSettings):
    """Fit on (N, 64, 64) uint8 films; returns (encoder, decoder)."""
    import keras
    from keras import layers

    keras.utils.set_random_seed(settings.seed)
    encoder, decoder, autoencoder = build(settings.code_size)
    augment = keras.Sequential(
        [
            layers.RandomTranslation(settings.augment_shift, settings.augment_shift, fill_mode="nearest"),
            layers.RandomZoom(settings.augment_zoom, fill_mode="nearest"),
        ]
    )
    inputs = to_model_input(films, SPEC)

    def batches():
        import tensorflow as tf

        data = tf.data.Dataset.from_tensor_slices(inputs).shuffle(len(inputs), seed=settings.seed)
        data = data.batch(settings.batch_size).map(lambda x: augment(x, training=True))
        return data.map(lambda x: (x, x)).prefetch(2)

    autoencoder.compile(optimizer=keras.optimizers.Adam(settings.learning_rate), loss="mse")
    schedule = keras.callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=2)
    autoencoder.fit(batches(), epochs=settings.epochs, verbose=2, callbacks=[schedule])
    return encoder, decoder


def codes_and_errors(encoder, decoder, films: np.ndarray, batch_size: int = 256) -> tuple[np.ndarray, np.ndarray]:
    """(codes (N, k), reconstruction MSE (N,)) for uint8 films, computed in Keras for speed."""
    inputs = to_model_input(films, SPEC)
    codes = encoder.predict(inputs, batch_size=batch_size, verbose=0)
    rebuilt = decoder.predict(codes, batch_size=batch_size, verbose=0)
    return codes, ((rebuilt - inputs) ** 2).mean(axis=(1, 2, 3))


def whitening(codes: np.ndarray, ridge: float = 1e-3) -> tuple[np.ndarray, np.ndarray]:
    """(mean, W) with ``‖(c − mean) W‖²`` the squared Mahalanobis distance under the codes' Gaussian.

    A small ridge (relative to the mean variance) keeps the covariance invertible when some
    code dimensions are nearly unused.
    """
    mean = codes.mean(axis=0)
    covariance = np.cov(codes - mean, rowvar=False)
    covariance += ridge * np.trace(covariance) / len(covariance) * np.eye(len(covariance))
    precision = np.linalg.inv(covariance)
    return mean, np.linalg.cholesky(precision)


def scoring_model(encoder, decoder, mean: np.ndarray, whiten: np.ndarray):
    """The exported graph: film → [reconstruction MSE, squared Mahalanobis distance of its code]."""
    import keras
    from keras import layers, ops

    image = keras.Input((SIDE, SIDE, 1), batch_size=1, name="film")
    code = encoder(image)
    rebuilt = decoder(code)
    error = ops.mean(ops.square(rebuilt - image), axis=(1, 2, 3))
    projection = layers.Dense(len(mean), name="whiten")
    distance = ops.sum(ops.square(projection(code)), axis=1)
    projection.set_weights([whiten.astype(np.float32), (-mean @ whiten).astype(np.float32)])
    return keras.Model(image, ops.stack([error, distance], axis=1), name="one_class_scores")


def to_tflite(model) -> bytes:
    """Float32 flatbuffer (no quantization: the scores are thresholded at fine margins)."""
    import tensorflow as tf

    return tf.lite.TFLiteConverter.from_keras_model(model).convert()
