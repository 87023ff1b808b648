"""A small two-class network on the gate's 64×64 view, trained with real examples of both sides.

Used twice: the gate's frontal-chest check (frontal chest films of every source against MedNIST
hands, CT and MRI, the package-shipped non-chest set and chest films turned, inverted or cut in
half) and the population check (Kermany children against every adult source). The one-class gate
model knows only chest films and let lateral views and CT slices through; a discriminative
model has seen real negatives. Sources are weighted equally within each class, so the model cannot
win by recognising the largest source, and the augmentation (gamma, contrast, blur, noise,
down-sampling, small shifts and zooms) blurs the export pipelines that distinguish sources.
(Shrinking films into black or white frames and washing them out, tried against the real films
the gate refused, made the five-epoch model underfit and refuse four times as many: docs/safety.md.)

The exported graph takes one 64×64 film and outputs P(positive) as its one score.
Keras/TensorFlow are imported inside the functions only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from trainer.safety import geometric


@dataclass(frozen=True)
class BinarySettings:
    """Everything that decides the trained weights; recorded in safety.json."""

    epochs: int = 5
    batch_size: int = 64
    learning_rate: float = 2e-3
    seed: int = 0
    filters: tuple[int, ...] = (16, 32, 64, 96)
    augment_shift: float = 0.06
    augment_zoom: float = 0.10
    #: log-gamma drawn from ±this, contrast factor from 1 ± `contrast`.
    gamma: float = 0.4
    contrast: float = 0.3
    #: Share of films blurred (3×3 mean) and of films down-sampled to half size and back.
    blur_share: float = 0.3
    downsample_share: float = 0.3
    noise_sigma: float = 0.03

    def as_dict(self) -> dict:
        return {key: list(value) if isinstance(value, tuple) else value for key, value in self.__dict__.items()}


def balanced_weights(labels: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Weights giving each class half the total and each group (source) an equal share of its class."""
    weights = np.zeros(len(labels), dtype=np.float32)
    for label in np.unique(labels):
        in_class = labels == label
        class_groups = np.unique(groups[in_class])
        for group in class_groups:
            members = in_class & (groups == group)
            weights[members] = 1.0 / (2 * len(class_groups) * members.sum())
    return weights * len(labels)


def build_network(settings: BinarySettings):
    import keras
    from keras import layers

    image = keras.Input((geometric.SIDE, geometric.SIDE, 1), name="film")
    x = image
    for filters in settings.filters:  # no batch normalisation: inference must see what training saw
        x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        x = layers.MaxPooling2D(2)(x)
    x = layers.GlobalAveragePooling2D()(x)
    output = layers.Dense(1, activation="sigmoid", name="p")(x)
    return keras.Model(image, output, name="binary_film_classifier")


def _augmenter(settings: BinarySettings):
    """A tf.data map function: (films in [0, 1], labels, weights) → augmented batch."""
    import keras
    import tensorflow as tf
    from keras import layers

    geometry = keras.Sequential([
        layers.RandomTranslation(settings.augment_shift, settings.augment_shift, fill_mode="nearest",
                                 seed=settings.seed),
        layers.RandomZoom(settings.augment_zoom, fill_mode="nearest", seed=settings.seed),
    ])
    side = geometric.SIDE

    def augment(films, labels, weights):
        count = tf.shape(films)[0]
        x = geometry(films, training=True)
        x = tf.clip_by_value(x, 0.0, 1.0) ** tf.exp(tf.random.uniform((count, 1, 1, 1), -settings.gamma, settings.gamma))
        mean = tf.reduce_mean(x, axis=(1, 2, 3), keepdims=True)
        x = mean + (x - mean) * tf.random.uniform((count, 1, 1, 1), 1 - settings.contrast, 1 + settings.contrast)
        blurred = tf.nn.avg_pool2d(x, 3, 1, "SAME")
        x = tf.where(tf.random.uniform((count, 1, 1, 1)) < settings.blur_share, blurred, x)
        small = tf.image.resize(tf.image.resize(x, (side // 2, side // 2), antialias=True), (side, side))
        x = tf.where(tf.random.uniform((count, 1, 1, 1)) < settings.downsample_share, small, x)
        x = x + tf.random.normal(tf.shape(x)) * tf.random.uniform((count, 1, 1, 1), 0, settings.noise_sigma)
        return tf.clip_by_value(x, 0.0, 1.0), labels, weights

    return augment


def train(films: np.ndarray, labels: np.ndarray, groups: np.ndarray, settings: BinarySettings):
    """Fit on (N, 64, 64) uint8 films with 0/1 labels; ``groups`` (the source of each film) sets the weights."""
    import keras
    import tensorflow as tf

    from cxrcore.preprocess import to_model_input

    keras.utils.set_random_seed(settings.seed)
    model = build_network(settings)
    x = to_model_input(films, geometric.SPEC)
    data = tf.data.Dataset.from_tensor_slices((x, labels.astype(np.float32)[:, None], balanced_weights(labels, groups)))
    data = data.shuffle(len(films), seed=settings.seed).batch(settings.batch_size)
    data = data.map(_augmenter(settings), num_parallel_calls=2).prefetch(2)
    model.compile(optimizer=keras.optimizers.Adam(settings.learning_rate), loss="binary_crossentropy")
    model.fit(data, epochs=settings.epochs, verbose=2)
    return model


def predict(model, films: np.ndarray) -> np.ndarray:
    """P(positive) for (N, 64, 64) uint8 films — the same graph the `.tflite` runs, in batches."""
    from cxrcore.preprocess import to_model_input

    return model.predict(to_model_input(films, geometric.SPEC), batch_size=512, verbose=0).reshape(-1)


def to_tflite(model) -> bytes:
    """Float32, batch 1 (the app scores one film at a time): one input film, one output score."""
    import keras
    import tensorflow as tf

    film = keras.Input((geometric.SIDE, geometric.SIDE, 1), batch_size=1, name="film")
    return tf.lite.TFLiteConverter.from_keras_model(keras.Model(film, model(film, training=False))).convert()
