"""P1's DCGAN: synthesise extra NORMAL films to balance the training set.

P1 says only that it "adapted a DCGAN model which was used to generate x-ray images" and added
~2,500 generated normals to train (no gain: 88% / 89%). Nothing else is given, so this is the
reference DCGAN of Radford, Metz & Chintala (2016) for 64×64 images, on one grayscale channel:

* Generator: z (100, N(0, 1)) → Dense 4×4×1024 → BN → ReLU → [Conv2DTranspose 5×5 stride 2,
  BN, ReLU] with 512, 256, 128 filters → Conv2DTranspose 5×5 stride 2 to 1 channel → tanh.
* Discriminator: the mirror image: [Conv 5×5 stride 2, LeakyReLU 0.2] with 128 (no BN on the
  first layer), 256, 512, 1024 (+ BN) → Flatten → Dense 1 sigmoid.
* Weights ~ N(0, 0.02); BatchNorm momentum 0.9 / epsilon 1e-5 (PyTorch's 0.1 / 1e-5, as in the
  reference implementations), Adam lr 2e-4, beta_1 0.5, batch 64 — the paper's settings.

Other square power-of-two sizes work (``input_shape`` is the *image* shape, e.g. 128×128×1 for
more detail): filter counts scale so that 64×64 gives exactly the layers above (at most
``max_filters``).

Training, written once for every Keras backend: ``DCGAN`` is a ``keras.Model`` whose only
customisation is ``compute_loss`` — the backend-agnostic hook every backend's built-in
``train_step`` calls — so ``fit`` works unchanged (jit on JAX, ``tf.function`` on TensorFlow).
One optimizer step updates both networks from one scalar, ``d_loss + g_loss``:

* ``d_loss = BCE(D(real), 1) + BCE(D(stop_gradient(G(z))), 0)``: reaches only D's weights.
* ``g_loss = BCE(D'(G(z)), 1)``, the non-saturating generator loss, where ``D'`` is D evaluated
  through ``stateless_call`` on ``stop_gradient`` copies of its weights: the gradient flows
  through D into G but never changes D. D's batch-norm statistics from that pass are discarded.

Both gradients are taken at the same point (simultaneous updates) instead of Radford's
alternating D-then-G steps — the one deviation, forced by using a single optimizer step. With
Adam, one optimizer over both weight sets equals two optimizers with the same settings.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import ops

from trainer.models.blocks import classifier_output, image_input
from trainer.models.registry import register

__all__ = ["DCGAN", "dcgan_discriminator", "dcgan_generator", "generate_images", "to_gan_range"]

_INIT_STDDEV = 0.02
_BN = {"momentum": 0.9, "epsilon": 1e-5}
_KERNEL = 5
_BASE = 4  # the generator starts from, and the discriminator ends at, a 4×4 map
_GAN = {"paper": "P1", "input_shape": (64, 64, 1), "num_classes": 2, "min_size": 8}


def _init() -> keras.initializers.Initializer:
    return keras.initializers.RandomNormal(stddev=_INIT_STDDEV)


def _resolutions(input_shape: tuple[int, int, int], num_classes: int) -> list[int]:
    """Side lengths 4, 8, …, size/2 of the hidden feature maps; validates the image shape."""
    if num_classes != 2:
        raise ValueError(f"DCGAN models are binary (real vs fake): num_classes must be 2, got {num_classes}")
    height, width, channels = input_shape
    steps = int(np.log2(height / _BASE)) if height >= 2 * _BASE else 0
    if height != width or steps < 1 or _BASE * 2**steps != height or channels not in (1, 3):
        raise ValueError(f"DCGAN images must be square, 4·2^k pixels (k >= 1) with 1 or 3 channels, got {input_shape}")
    return [_BASE * 2**i for i in range(steps)]


def _filters(size: int, resolution: int, base_filters: int, max_filters: int) -> int:
    """Filters at a ``resolution``×``resolution`` map: ``base_filters`` at size/2, doubling per halving."""
    return min(max_filters, base_filters * (size // 2) // resolution)


@register(
    "p1-dcgan-generator",
    **_GAN,
    notes="Radford et al. 2016 DCGAN generator at 64×64×1 (P1 gives no architecture); input_shape is the shape "
    "of the generated image; latent 100. Output tanh in [-1, 1].",
)
def dcgan_generator(
    input_shape: tuple[int, int, int],
    num_classes: int = 2,
    name: str = "p1_dcgan_generator",
    latent_dim: int = 100,
    base_filters: int = 128,
    max_filters: int = 1024,
) -> keras.Model:
    """DCGAN generator: ``(batch, latent_dim)`` noise → ``(batch, *input_shape)`` image in [-1, 1].

    Args:
        input_shape: the generated image's shape, square with side 4·2^k.
        num_classes: must be 2 (accepted for the registry's uniform signature).
        latent_dim: length of the noise vector.
        base_filters, max_filters: filters of the last hidden map (size/2) and the cap.
    """
    resolutions = _resolutions(input_shape, num_classes)
    size, channels = input_shape[0], input_shape[2]
    inputs = keras.Input((latent_dim,), name="latent")
    first = _filters(size, _BASE, base_filters, max_filters)
    x = keras.layers.Dense(_BASE * _BASE * first, use_bias=False, kernel_initializer=_init())(inputs)
    x = keras.layers.Reshape((_BASE, _BASE, first))(x)
    x = keras.layers.ReLU()(keras.layers.BatchNormalization(**_BN)(x))
    for resolution in resolutions[1:]:
        x = keras.layers.Conv2DTranspose(
            _filters(size, resolution, base_filters, max_filters),
            _KERNEL,
            strides=2,
            padding="same",
            use_bias=False,
            kernel_initializer=_init(),
        )(x)
        x = keras.layers.ReLU()(keras.layers.BatchNormalization(**_BN)(x))
    outputs = keras.layers.Conv2DTranspose(
        channels, _KERNEL, strides=2, padding="same", activation="tanh", kernel_initializer=_init(), name="image"
    )(x)
    return keras.Model(inputs, outputs, name=name)


@register(
    "p1-dcgan-discriminator",
    **_GAN,
    notes="Radford et al. 2016 DCGAN discriminator at 64×64×1 (P1 gives no architecture). Takes images in [-1, 1] "
    "(see to_gan_range); one sigmoid unit = P(real).",
)
def dcgan_discriminator(
    input_shape: tuple[int, int, int],
    num_classes: int = 2,
    name: str = "p1_dcgan_discriminator",
    base_filters: int = 128,
    max_filters: int = 1024,
) -> keras.Model:
    """DCGAN discriminator: image in [-1, 1] → P(real) (one sigmoid unit)."""
    resolutions = _resolutions(input_shape, num_classes)
    size = input_shape[0]
    inputs = image_input(input_shape)
    x = inputs
    for index, resolution in enumerate(reversed(resolutions)):
        x = keras.layers.Conv2D(
            _filters(size, resolution, base_filters, max_filters),
            _KERNEL,
            strides=2,
            padding="same",
            use_bias=index == 0,
            kernel_initializer=_init(),
        )(x)
        if index:  # no batch norm on the discriminator's input layer
            x = keras.layers.BatchNormalization(**_BN)(x)
        x = keras.layers.LeakyReLU(negative_slope=0.2)(x)
    return keras.Model(inputs, classifier_output(keras.layers.Flatten()(x), 2), name=name)


def _bce(target: float, probabilities):
    return ops.mean(keras.losses.binary_crossentropy(ops.full_like(probabilities, target), probabilities))


@keras.saving.register_keras_serializable(package="cxr")
class DCGAN(keras.Model):
    """Adversarial training of a (generator, discriminator) pair with plain ``fit``.

    Usage::

        gan = DCGAN(create_model("p1-dcgan-generator", (64, 64, 1), 2),
                    create_model("p1-dcgan-discriminator", (64, 64, 1), 2))
        gan.compile()                       # Adam(2e-4, beta_1=0.5) unless given
        gan.fit(to_gan_range(normals_uint8), batch_size=64, epochs=...)
        images = generate_images(gan.generator, 2500, seed=0)

    ``fit`` reports ``d_loss`` and ``g_loss`` (and their sum as ``loss``). The model's own call
    is the discriminator: ``gan(images)`` = P(real). A ``.keras`` file of it restores both
    networks; call ``compile()`` again after loading to resume training.
    """

    def __init__(self, generator: keras.Model, discriminator: keras.Model, seed: int = 0, **kwargs) -> None:
        super().__init__(**kwargs)
        if generator.output_shape[1:] != discriminator.input_shape[1:]:
            raise ValueError(
                f"generator makes {generator.output_shape[1:]} images but the discriminator takes {discriminator.input_shape[1:]}"
            )
        self.generator = generator
        self.discriminator = discriminator
        self.latent_dim = int(generator.input_shape[-1])
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")

    def compile(self, optimizer: keras.optimizers.Optimizer | None = None, **kwargs) -> None:
        super().compile(optimizer=optimizer or keras.optimizers.Adam(2e-4, beta_1=0.5), **kwargs)

    def call(self, images, training: bool = False):
        return self.discriminator(images, training=training)

    def adversarial_losses(self, real, real_probabilities=None, training: bool = True):
        """``(d_loss, g_loss)`` for a batch of real images in [-1, 1], routed as the module
        docstring explains: ``d_loss`` has no gradient into G, ``g_loss`` none into D."""
        if real_probabilities is None:
            real_probabilities = self.discriminator(real, training=training)
        noise = keras.random.normal((ops.shape(real)[0], self.latent_dim), seed=self.seed_generator)
        fake = self.generator(noise, training=training)
        d_loss = _bce(1.0, real_probabilities) + _bce(
            0.0, self.discriminator(ops.stop_gradient(fake), training=training)
        )
        frozen_weights = [ops.stop_gradient(v) for v in self.discriminator.trainable_variables]
        statistics = [v.value for v in self.discriminator.non_trainable_variables]
        fooled, _ = self.discriminator.stateless_call(frozen_weights, statistics, fake, training=training)
        return d_loss, _bce(1.0, fooled)

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        d_loss, g_loss = self.adversarial_losses(x, y_pred, training)
        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        return d_loss + g_loss

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "generator": keras.saving.serialize_keras_object(self.generator),
            "discriminator": keras.saving.serialize_keras_object(self.discriminator),
            "seed": self.seed,
        }

    @classmethod
    def from_config(cls, config: dict) -> DCGAN:
        generator = keras.saving.deserialize_keras_object(config.pop("generator"))
        discriminator = keras.saving.deserialize_keras_object(config.pop("discriminator"))
        return cls(generator, discriminator, **config)


def to_gan_range(images: np.ndarray) -> np.ndarray:
    """uint8 images ``(n, H, W)`` or ``(n, H, W, C)`` → float32 in [-1, 1] with a channel axis,
    the range of the generator's tanh and hence what the discriminator must see for real films."""
    array = np.asarray(images)
    if array.dtype != np.uint8:
        raise ValueError(f"expected uint8 images, got {array.dtype}")
    if array.ndim == 3:
        array = array[..., None]
    return array.astype("float32") / 127.5 - 1.0


def generate_images(generator: keras.Model, n: int, seed: int, batch_size: int = 64) -> np.ndarray:
    """``n`` synthetic films as uint8 ``(n, H, W)``, the same for the same ``seed`` (and weights).

    Noise comes from NumPy's seeded generator, so the result does not depend on the backend's
    random streams; batch norm runs in inference mode. Multi-channel output is averaged to gray.
    """
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    noise = np.random.default_rng(seed).standard_normal((n, int(generator.input_shape[-1])), dtype=np.float32)
    batches = [generator(noise[i : i + batch_size], training=False) for i in range(0, n, batch_size)]
    images = np.concatenate([ops.convert_to_numpy(batch) for batch in batches])
    return np.clip(np.rint((images.mean(axis=-1) + 1.0) * 127.5), 0, 255).astype(np.uint8)
