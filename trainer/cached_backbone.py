"""Fine-tune the top of a pretrained backbone on cached activations: transfer learning a 2-core CPU can afford.

Why: fine-tuning all of EfficientNet-Lite0 at 224×224 runs at about 3–6 images/s on the project's
2-core machines, i.e. 15–25 minutes per Kermany epoch. Its early, high-resolution stages hold most of
the compute but the most generic features, so we freeze them, run them once over every film (forward
only, a few minutes) and cache their activations; the later stages and the head then train on the
cached 14×14 maps at a fraction of the cost, for as many epochs as validation wants. Afterwards the
two halves are joined into one ordinary Keras model, so conversion and the app see no difference.

Augmentation is limited to what can be cached: each film is cached as given and, optionally,
mirrored (a second view), and training draws one of the views per epoch.
"""

from __future__ import annotations

from pathlib import Path

import keras
import numpy as np

from cxrcore.preprocess import InputSpec, to_model_input


def split_at(model: keras.Model, layer_name: str) -> tuple[keras.Model, keras.Model]:
    """Split a functional model at a block boundary into (bottom, top) with top(bottom(x)) == model(x).

    ``layer_name`` must be a layer whose output is the only tensor crossing the cut (a block's
    output in a residual network); Keras refuses the top model otherwise.
    """
    try:
        boundary = model.get_layer(layer_name).output
    except ValueError as error:
        raise ValueError(f"{model.name} has no layer {layer_name!r} to split at") from error
    bottom = keras.Model(model.input, boundary, name=f"{model.name}_bottom")
    top = keras.Model(boundary, model.output, name=f"{model.name}_top")
    return bottom, top


def join(bottom: keras.Model, top: keras.Model, name: str) -> keras.Model:
    """One inference model from the two halves (shares their weights)."""
    inputs = keras.Input(bottom.input.shape[1:], name="image")
    return keras.Model(inputs, top(bottom(inputs)), name=name)


def cache_activations(
    bottom: keras.Model,
    films: np.ndarray,
    spec: InputSpec,
    path: Path,
    mirrored: bool = False,
    batch_size: int = 32,
    progress: bool = True,
) -> np.ndarray:
    """Run ``bottom`` once over uint8 films (N, H, W) and store float16 activations at ``path``.

    Returns a read-only memmap of shape (views, N, h, w, c). Reuses ``path`` when it already holds
    activations of the right shape (the caller keys the path by model, cut, films and spec).
    """
    views = 2 if mirrored else 1
    out_shape = (views, len(films), *bottom.output.shape[1:])
    if path.exists():
        cached = np.load(path, mmap_mode="r")
        if cached.shape == out_shape:
            return cached
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial.npy")
    store = np.lib.format.open_memmap(partial, mode="w+", dtype=np.float16, shape=out_shape)
    bar = keras.utils.Progbar(views * len(films), unit_name="film") if progress else None
    for view in range(views):
        for start in range(0, len(films), batch_size):
            chunk = films[start : start + batch_size]
            if view == 1:
                chunk = chunk[:, :, ::-1]
            activations = bottom.predict_on_batch(to_model_input(np.ascontiguousarray(chunk), spec))
            store[view, start : start + len(chunk)] = np.asarray(activations, dtype=np.float16)
            if bar:
                bar.add(len(chunk))
    store.flush()
    del store
    partial.replace(path)
    return np.load(path, mmap_mode="r")


class CachedViews(keras.utils.PyDataset):
    """Batches of cached activations; each epoch picks a random view per film (mirror augmentation)."""

    def __init__(
        self,
        activations: np.ndarray,
        labels: np.ndarray,
        batch_size: int,
        shuffle: bool,
        seed: int,
        sample_weights: np.ndarray | None = None,
    ) -> None:
        super().__init__()
        self.activations = activations
        self.labels = labels
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.sample_weights = sample_weights
        self._rng = np.random.default_rng(seed)
        self._order = np.arange(len(labels))
        self._views = np.zeros(len(labels), dtype=np.int64)
        self.on_epoch_end()

    def __len__(self) -> int:
        return int(np.ceil(len(self.labels) / self.batch_size))

    def __getitem__(self, index: int) -> tuple[np.ndarray, ...]:
        rows = np.sort(self._order[index * self.batch_size : (index + 1) * self.batch_size])
        batch = np.stack([self.activations[self._views[row], row] for row in rows]).astype(np.float32)
        if self.sample_weights is None:
            return batch, self.labels[rows]
        return batch, self.labels[rows], self.sample_weights[rows]

    def on_epoch_end(self) -> None:
        if self.shuffle:
            self._order = self._rng.permutation(len(self.labels))
            self._views = self._rng.integers(0, self.activations.shape[0], size=len(self.labels))
