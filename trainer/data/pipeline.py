"""Batches for Keras ``fit``/``predict`` from the uint8 cache: augment the films, then `to_model_input`.

A `keras.utils.PyDataset` works under every Keras backend (TensorFlow, JAX, PyTorch), unlike a
``tf.data`` pipeline. Augmentation runs on the uint8 films themselves (as float, rounded back to
uint8), *before* the one preprocessing step, so a constant fill is black whatever the model's
scaling (P3 standardises, where 0 after scaling would be mid-gray) and the model input is still
produced only by `cxrcore.preprocess.to_model_input`.

Imports Keras: import this module only after the backend is chosen (`trainer.backend`).
"""

from __future__ import annotations

import keras
import numpy as np
from PIL import Image, ImageDraw

from cxrcore.preprocess import InputSpec, resize_gray, to_model_input
from trainer.recipes import Augmentation


def build_augmenter(augmentation: Augmentation, seed: int) -> keras.Sequential | None:
    """Keras preprocessing layers for ``augmentation`` (None when it does nothing)."""
    if not augmentation.active:
        return None
    fill = {"fill_mode": augmentation.fill_mode, "fill_value": 0.0}
    layers: list[keras.layers.Layer] = []
    flips = ("horizontal_and_vertical" if augmentation.horizontal_flip and augmentation.vertical_flip
             else "horizontal" if augmentation.horizontal_flip else "vertical" if augmentation.vertical_flip else None)
    if flips:
        layers.append(keras.layers.RandomFlip(flips, seed=seed))
    if augmentation.rotation:
        layers.append(keras.layers.RandomRotation(augmentation.rotation, seed=seed + 1, **fill))
    if augmentation.zoom:
        # Independent height/width factors, as ImageDataGenerator's zoom_range draws zx and zy.
        layers.append(keras.layers.RandomZoom(augmentation.zoom, augmentation.zoom, seed=seed + 2, **fill))
    if augmentation.translation:
        layers.append(keras.layers.RandomTranslation(augmentation.translation, augmentation.translation,
                                                     seed=seed + 3, **fill))
    if augmentation.contrast:
        layers.append(keras.layers.RandomContrast(augmentation.contrast, value_range=(0, 255), seed=seed + 4))
    if augmentation.brightness:
        layers.append(keras.layers.RandomBrightness(augmentation.brightness, value_range=(0, 255), seed=seed + 5))
    if augmentation.sharpness:
        factor = (0.5 - augmentation.sharpness, 0.5 + augmentation.sharpness)
        layers.append(keras.layers.RandomSharpness(factor, value_range=(0, 255), seed=seed + 6))
    return keras.Sequential(layers, name="train_augmentation")


def augment_films(films: np.ndarray, augmenter: keras.Sequential) -> np.ndarray:
    """(N, H, W) uint8 → the same films randomly transformed, still uint8."""
    transformed = augmenter(films[..., np.newaxis].astype(np.float32), training=True)
    return np.clip(np.rint(keras.ops.convert_to_numpy(transformed)[..., 0]), 0, 255).astype(np.uint8)


#: Markers X-ray sites burn into films (laterality, projection, portable unit, a date).
BURN_IN_MARKERS = ("L", "R", "AP", "PA", "PORTABLE", "SUPINE", "ERECT", "12/03/2020", "RT", "LT")


class FilmDegradation:
    """Source degradations of `trainer.recipes.Augmentation` (resample, gamma, noise, burn-in) on uint8 films.

    What differs between two collections of the same disease: resolution before the upload was resized, the
    detector's grey-level response, noise, stamped markers. Drawn from ``key`` (seed, epoch, batch), so a
    resumed run repeats them. Shrinking uses the one preprocessing resize (area averaging), enlarging a
    bilinear one, as a low-resolution upload resized by someone else would have been.
    """

    def __init__(self, resample: float, gamma: float, noise: float, burn_in: float) -> None:
        self.resample = resample
        self.gamma = gamma
        self.noise = noise
        self.burn_in = burn_in

    def __call__(self, films: np.ndarray, key: tuple[int, ...]) -> np.ndarray:
        rng = np.random.default_rng(key)
        return np.stack([self._degrade(film, rng) for film in films])

    def _degrade(self, film: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        height, width = film.shape
        if self.resample and rng.random() < 0.5:
            share = rng.uniform(self.resample, 1.0)
            small = resize_gray(film, max(8, round(height * share)), max(8, round(width * share)))
            film = np.asarray(Image.fromarray(small).resize((width, height), Image.BILINEAR))
        values = film.astype(np.float32)
        if self.gamma:
            values = 255.0 * (values / 255.0) ** np.exp(rng.uniform(-self.gamma, self.gamma))
        if self.noise and rng.random() < 0.5:
            values = values + rng.normal(0.0, rng.uniform(0.0, self.noise), values.shape)
        film = np.clip(np.rint(values), 0, 255).astype(np.uint8)
        if self.burn_in and rng.random() < self.burn_in:
            film = _burn_in(film, rng)
        return film


def _burn_in(film: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A random marker, white (mostly) or black, near a random corner of the film."""
    image = Image.fromarray(film)
    draw = ImageDraw.Draw(image)
    height, width = film.shape
    text = BURN_IN_MARKERS[rng.integers(len(BURN_IN_MARKERS))]
    size = int(rng.integers(max(8, height // 24), max(9, height // 9)))
    left, top, right, bottom = draw.textbbox((0, 0), text, font_size=size)
    x = _near_or_far(rng, width, right - left)
    y = _near_or_far(rng, height, bottom - top)
    draw.text((x, y), text, fill=255 if rng.random() < 0.8 else 0, font_size=size)
    return np.asarray(image)


def _near_or_far(rng: np.random.Generator, side: int, extent: int) -> int:
    """A position a random margin (up to a sixth of ``side``) from the near or the far edge, either equally likely."""
    near = int(rng.integers(2, max(3, side // 6)))
    far = max(2, side - extent - int(rng.integers(2, max(3, side // 6))))
    return int(rng.choice([near, far]))


def build_degradation(augmentation: Augmentation) -> FilmDegradation | None:
    """The source degradations of ``augmentation`` (None when it asks for none)."""
    if not augmentation.degrades:
        return None
    return FilmDegradation(augmentation.resample, augmentation.gamma, augmentation.noise, augmentation.burn_in)


class DistilledTargets:
    """Training targets mixed with a teacher's probabilities: ``(1 - weight) * label + weight * p_teacher``.

    The teacher sees the very batch the student sees, augmented, so it says how sure one can be of
    *this* view of the film; its probabilities on its own un-augmented training films would be
    nearly 0 or 1 and teach nothing the labels do not. Binary (sigmoid) models only.
    """

    def __init__(self, teacher: keras.Model, weight: float) -> None:
        self.teacher = teacher
        self.weight = weight

    def __call__(self, x: np.ndarray, labels: np.ndarray) -> np.ndarray:
        soft = keras.ops.convert_to_numpy(self.teacher(x, training=False)).reshape(labels.shape)
        return ((1.0 - self.weight) * labels + self.weight * soft).astype(np.float32)


class MixUp:
    """Mixup (Zhang et al., ICLR 2018): each film of a batch blended with another film of the same batch,
    ``λ·x_i + (1 − λ)·x_j``, its target and weight blended alike, ``λ ~ Beta(alpha, alpha)`` per film.

    A regulariser against fitting the training films too closely (measured on Kermany, one seed: it did not
    transfer to the test set better than plain augmentation; docs/RESULTS.md). The draws come from ``key``
    (seed, epoch, batch), so a resumed run repeats them. Binary (sigmoid) models only: the targets must be
    probabilities.
    """

    def __init__(self, alpha: float) -> None:
        self.alpha = alpha

    def __call__(self, x: np.ndarray, y: np.ndarray, weights: np.ndarray | None,
                 key: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        rng = np.random.default_rng(key)
        lam = rng.beta(self.alpha, self.alpha, size=len(x)).astype(np.float32)
        partner = rng.permutation(len(x))

        def blend(values: np.ndarray) -> np.ndarray:
            share = lam.reshape((-1,) + (1,) * (values.ndim - 1))
            return (share * values + (1.0 - share) * values[partner]).astype(np.float32)

        return blend(x), blend(y), None if weights is None else blend(weights)


class FilmBatches(keras.utils.PyDataset):
    """Batches of ``images[indices]`` as model input, with targets and optional per-film weights.

    ``targets`` is None for prediction. With ``shuffle`` the order is a permutation drawn from
    ``(seed, epoch)``, so a resumed run (``epoch`` = the epoch it resumes at) sees the same order
    an uninterrupted one would.
    """

    def __init__(
        self,
        images: np.ndarray,
        indices: np.ndarray,
        spec: InputSpec,
        batch_size: int,
        targets: np.ndarray | None = None,
        sample_weights: np.ndarray | None = None,
        augmenter: keras.Sequential | None = None,
        shuffle: bool = False,
        seed: int = 0,
        epoch: int = 0,
        distilled: DistilledTargets | None = None,
        mixup: MixUp | None = None,
        degradation: FilmDegradation | None = None,
    ) -> None:
        super().__init__(workers=1, use_multiprocessing=False)
        if targets is not None and len(targets) != len(indices):
            raise ValueError(f"{len(targets)} targets for {len(indices)} films")
        self.images = images
        self.indices = np.asarray(indices, dtype=np.int64)
        self.spec = spec
        self.batch_size = batch_size
        self.targets = targets
        self.sample_weights = sample_weights
        self.augmenter = augmenter
        self.shuffle = shuffle
        self.seed = seed
        self.epoch = epoch
        self.distilled = distilled
        self.mixup = mixup
        self.degradation = degradation
        self._order = self._permutation()

    def _permutation(self) -> np.ndarray:
        if not self.shuffle:
            return np.arange(len(self.indices))
        return np.random.default_rng([self.seed, self.epoch]).permutation(len(self.indices))

    def __len__(self) -> int:
        return -(-len(self.indices) // self.batch_size)

    def __getitem__(self, batch: int):
        positions = self._order[batch * self.batch_size:(batch + 1) * self.batch_size]
        films = np.asarray(self.images[self.indices[positions]])
        if self.degradation is not None:
            films = self.degradation(films, (self.seed, self.epoch, batch, 1))
        if self.augmenter is not None:
            films = augment_films(films, self.augmenter)
        x = to_model_input(films, self.spec)
        if self.targets is None:
            return (x,)
        y = self.targets[positions]
        if self.distilled is not None:
            y = self.distilled(x, y)
        weights = None if self.sample_weights is None else self.sample_weights[positions]
        if self.mixup is not None:
            x, y, weights = self.mixup(x, y, weights, (self.seed, self.epoch, batch))
        return (x, y) if weights is None else (x, y, weights)

    def on_epoch_end(self) -> None:
        self.epoch += 1
        self._order = self._permutation()
