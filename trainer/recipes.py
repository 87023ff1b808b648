"""Training recipes: how each paper trained each model, as data, with every assumption written down.

A recipe names a model in the zoo (`trainer.models.registry`), the dataset kinds it trains on,
the input size, optimiser, loss, class weighting, under-sampling, augmentation, callbacks,
epochs, batch size, split fractions and seed. What the papers leave unsaid is decided here and
recorded in the recipe's ``notes`` (also copied into run.json).

Input scaling (``x = pixel * scale + offset``) is not repeated here: the model defines what it
expects (`ModelInfo.scale_offset` in the registry, the one source of truth), and models that
standardise (P3, P4's PyTorch port) get ``scale = 1/sd``, ``offset = -mean/sd`` computed on the
training split by `trainer.train`.

Lineage used to fill gaps: P1 and P2 both derive from the same public Kaggle kernel for this
dataset (ImageDataGenerator zoom 0.3 + vertical flip; ReduceLROnPlateau(val_loss, factor 0.3,
patience 2, mode 'max'); EarlyStopping(val_loss, min_delta 0.1, patience 1); seed 232). P1's text
describes exactly that ReduceLROnPlateau ("monitor val_loss, mode max"). We reproduce it
literally: with mode 'max' on a loss, Keras cuts the learning rate whenever the validation loss
has not hit a new *maximum* for 2 epochs, i.e. it acts as a step decay (×0.3 every ~3 epochs);
the paper meant validation accuracy, but its numbers came from what the code did.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from trainer.data.splits import SplitFractions

LOSSES = ("binary_crossentropy", "sparse_categorical_crossentropy", "sparse_categorical_focal")
#: ``class_weights="inverse-frequency"``: weight of class c = (train count of the largest class) /
#: (train count of c). P4's published weights {1.00, 1.75, 1.94, 6.40} are exactly this on its data.
INVERSE_FREQUENCY = "inverse-frequency"
#: ``sample_weighting="source-and-label"``: per-film weights from `trainer.data.adult_sources.source_label_weights`
#: (both labels weigh the same inside each source; sources by the square root of their size).
SOURCE_AND_LABEL = "source-and-label"
LR_SCHEDULES = ("constant", "cosine")


@dataclass(frozen=True)
class Augmentation:
    """Train-time augmentation, applied to batches of uint8 films before `to_model_input`.

    Factors follow Keras' preprocessing layers: ``zoom`` as ImageDataGenerator's ``zoom_range``
    (±fraction), ``rotation`` as a fraction of a full turn, ``translation`` as a fraction of the
    side. ``fill_mode`` applies to zoom, rotation and translation alike ("constant" fills black).
    ``contrast`` and ``brightness`` are photometric (±fraction, Keras' RandomContrast /
    RandomBrightness on the 0–255 film): films from another X-ray unit or another exposure differ
    in grey levels first, so these are the augmentation aimed at a new site's films. ``sharpness``
    blurs or sharpens (±fraction around Keras' RandomSharpness no-op factor 0.5, at most 0.5):
    detector resolution and the resizing upstream of us change edge sharpness too.

    Source degradations (`trainer.data.pipeline.FilmDegradation`, numpy, before the Keras layers), aimed at what
    tells one collection from another rather than one disease from another: ``resample`` shrinks half the films
    to a random share in [resample, 1] of their side and enlarges them back (a lower-resolution upload);
    ``gamma`` draws a gamma exp(U(-gamma, gamma)) per film (another detector response or window); ``noise``
    adds Gaussian noise of sd U(0, noise) grey levels to half the films; ``burn_in`` is the probability that a
    film gets a random marker burned in near an edge (sites stamp "L", "AP", "PORTABLE", dates).
    """

    zoom: float = 0.0
    rotation: float = 0.0
    translation: float = 0.0
    horizontal_flip: bool = False
    vertical_flip: bool = False
    fill_mode: str = "nearest"
    contrast: float = 0.0
    brightness: float = 0.0
    sharpness: float = 0.0
    resample: float = 0.0
    gamma: float = 0.0
    noise: float = 0.0
    burn_in: float = 0.0

    def __post_init__(self) -> None:
        if not 0.0 <= self.sharpness <= 0.5:
            raise ValueError(f"sharpness must be in [0, 0.5] (a factor range around 0.5), got {self.sharpness}")
        if not (0.0 <= self.resample < 1.0 and 0.0 <= self.burn_in <= 1.0 and self.gamma >= 0 and self.noise >= 0):
            raise ValueError("resample must be in [0, 1), burn_in in [0, 1], gamma and noise >= 0")

    @property
    def degrades(self) -> bool:
        """Whether any source degradation is on."""
        return bool(self.resample or self.gamma or self.noise or self.burn_in)

    @property
    def active(self) -> bool:
        """Whether any Keras preprocessing layer is on (the degradations are separate: `degrades`)."""
        return bool(self.zoom or self.rotation or self.translation or self.horizontal_flip or self.vertical_flip
                    or self.contrast or self.brightness or self.sharpness)


@dataclass(frozen=True)
class EarlyStop:
    monitor: str = "val_loss"
    patience: int = 5
    min_delta: float = 0.0
    mode: str = "auto"


@dataclass(frozen=True)
class ReduceLR:
    monitor: str = "val_loss"
    factor: float = 0.1
    patience: int = 10
    mode: str = "auto"
    min_lr: float = 0.0


@dataclass(frozen=True)
class FineTune:
    """A second phase: unfreeze the backbone from layer ``unfreeze_from`` and train on at ``learning_rate``."""

    epochs: int
    learning_rate: float
    unfreeze_from: str


@dataclass(frozen=True)
class Recipe:
    name: str
    model: str
    datasets: tuple[str, ...]
    height: int
    width: int
    channels: int
    loss: str
    epochs: int
    learning_rate: float = 1e-3
    optimizer: str = "adam"
    batch_size: int = 32
    focal_gamma: float = 2.0
    class_weights: str | None = None
    #: Per-film weights instead of per-class ones (None or ``SOURCE_AND_LABEL``).
    sample_weighting: str | None = None
    max_per_class: Mapping[str, int] = field(default_factory=dict)
    augmentation: Augmentation = Augmentation()
    early_stopping: EarlyStop | None = None
    reduce_lr: ReduceLR | None = None
    #: ``"constant"`` (changed only by ``reduce_lr``) or ``"cosine"``: from ``learning_rate`` down to 0
    #: over the epochs trained, so the last epoch's model is the schedule's result.
    lr_schedule: str = "constant"
    #: ``best.keras`` holds the epoch best by this metric, or with None the last epoch.
    checkpoint_monitor: str | None = "val_loss"
    fractions: SplitFractions = SplitFractions()
    seed: int = 0
    model_kwargs: Mapping[str, object] = field(default_factory=dict)
    fine_tune: FineTune | None = None
    #: Backbone layer after which activations are cached and only the rest is trained
    #: (`trainer.finetune_cached`): how a 2-core CPU affords fine-tuning a pretrained network.
    cached_cut: str | None = None
    #: Knowledge distillation (binary recipes, `trainer.train --teacher`): each training target is
    #: ``(1 - w) * label + w * teacher probability`` on the very augmented batch the student sees.
    distillation_weight: float = 0.0
    #: Mixup (binary recipes): training films blended in pairs with λ ~ Beta(mixup_alpha, mixup_alpha);
    #: 0 turns it off. See `trainer.data.pipeline.MixUp`.
    mixup_alpha: float = 0.0
    notes: str = ""

    def __post_init__(self) -> None:
        if self.loss not in LOSSES:
            raise ValueError(f"recipe {self.name}: loss must be one of {LOSSES}, got {self.loss!r}")
        if self.class_weights not in (None, INVERSE_FREQUENCY):
            raise ValueError(f"recipe {self.name}: class_weights must be None or {INVERSE_FREQUENCY!r}")
        if self.sample_weighting not in (None, SOURCE_AND_LABEL):
            raise ValueError(f"recipe {self.name}: sample_weighting must be None or {SOURCE_AND_LABEL!r}")
        if self.sample_weighting and self.class_weights:
            raise ValueError(f"recipe {self.name}: sample_weighting replaces class_weights; give one of them")
        if not 0.0 <= self.distillation_weight <= 1.0:
            raise ValueError(f"recipe {self.name}: distillation_weight must be in [0, 1]")
        if self.distillation_weight and self.loss != "binary_crossentropy":
            raise ValueError(f"recipe {self.name}: distillation needs soft targets, so binary_crossentropy")
        if self.mixup_alpha < 0:
            raise ValueError(f"recipe {self.name}: mixup_alpha must be ≥ 0")
        if self.mixup_alpha and self.loss != "binary_crossentropy":
            raise ValueError(f"recipe {self.name}: mixup blends targets, so binary_crossentropy")
        if self.lr_schedule not in LR_SCHEDULES:
            raise ValueError(f"recipe {self.name}: lr_schedule must be one of {LR_SCHEDULES}, got {self.lr_schedule!r}")
        if self.lr_schedule == "cosine" and (self.reduce_lr or self.fine_tune):
            raise ValueError(f"recipe {self.name}: a cosine schedule sets the rate itself; it takes no reduce_lr "
                             "and no fine-tuning phase")
        if self.optimizer != "adam":
            raise ValueError(f"recipe {self.name}: only the papers' optimiser, adam, is supported")

    @property
    def total_epochs(self) -> int:
        return self.epochs + (self.fine_tune.epochs if self.fine_tune else 0)


# --- P0: COVID-19 Radiography, 4 classes, 150×150×3 -------------------------------------------
_P0_NOTES = (
    "P0: Adam (default lr 1e-3), batch 32, up to 32 epochs with EarlyStopping 'after there is no loss "
    "decrease' (monitor and patience not given: val_loss, patience 3 assumed). Normal under-sampled to "
    "6,001 as in the paper (a no-op on the shared copy, which holds exactly 6,001). Split 72/18/10 "
    "stratified as in the paper, here also grouped by near-duplicate and de-duplicated. The paper "
    "'explored image augmentation' without parameters; train accuracy below validation accuracy in "
    "every model suggests it was on, so a mild one is assumed (rotation ±10°, zoom ±10%). "
)
_P0 = dict(
    datasets=("radiography",), height=150, width=150, channels=3, epochs=32,
    max_per_class={"Normal": 6001}, fractions=SplitFractions(val=0.2, test=0.1),
    augmentation=Augmentation(zoom=0.1, rotation=10 / 360),
    early_stopping=EarlyStop(monitor="val_loss", patience=3),
)
_P0_FOCAL = "Focal gamma not stated: 2.0 (Lin et al.'s value). Class weights not stated: inverse frequency."

# --- P1 / P2: Kermany, binary, 150×150×3 ---------------------------------------------------------
_KERNEL_AUGMENTATION = Augmentation(zoom=0.3, vertical_flip=True, fill_mode="nearest")
_KERNEL_REDUCE_LR = ReduceLR(monitor="val_loss", factor=0.3, patience=2, mode="max")
#: "manifest" too: P1's DCGAN experiment retrains on Kermany plus synthetic normals (trainer.dcgan_train).
_P1 = dict(
    datasets=("kermany", "manifest"), height=150, width=150, channels=3, loss="binary_crossentropy", epochs=20,
    augmentation=_KERNEL_AUGMENTATION, reduce_lr=_KERNEL_REDUCE_LR,
    early_stopping=EarlyStop(monitor="val_loss", patience=5),
    fractions=SplitFractions(val=0.2),
)
_P1_NOTES = (
    "P1: Adam (default lr), binary CE, batch 32, <=20 epochs; ImageDataGenerator zoom 0.3 + vertical flip "
    "(fill 'nearest', its default); ModelCheckpoint; ReduceLROnPlateau(val_loss, mode 'max' as the paper "
    "states; factor 0.3, patience 2 from the kernel P1 follows); EarlyStopping(val_loss, patience 5). The "
    "paper validated on the test set; we validate on a patient-grouped 20% of train. "
)
_P2 = dict(
    datasets=("kermany",), height=150, width=150, channels=3, loss="binary_crossentropy", epochs=10,
    augmentation=_KERNEL_AUGMENTATION, reduce_lr=_KERNEL_REDUCE_LR,
    early_stopping=EarlyStop(monitor="val_loss", min_delta=0.1, patience=1, mode="min"),
    fractions=SplitFractions(val=0.2), seed=232,
)
_P2_NOTES = (
    "P2: Adam (default lr), binary CE, batch 32, 10 epochs; 'rescale, flip and zoom' augmentation, taken as "
    "the kernel's zoom 0.3 + vertical flip; callbacks checkpoint, lr_reduce, early_stop as in P2's Fig. 11, "
    "with the kernel's settings (ReduceLROnPlateau(val_loss, 0.3, patience 2, mode 'max'); "
    "EarlyStopping(val_loss, min_delta 0.1, patience 1), which can stop well before 10 epochs); the "
    "kernel's seed 232. Validation on a patient-grouped 20% of train (P2 validated on test). "
)

# --- P3: Kermany (CoronaHack layout or Kermany's), binary, 300×300×1, standardised --------------
_P3_NOTES = (
    "P3: Adam lr 1e-4, binary CE, batch 32, 60 epochs, 80/20 train/val, inputs standardised with the "
    "training split's mean/sd. No callbacks are mentioned (we still keep the best-val_loss checkpoint). "
    "ImageDataGenerator augmentation without stated parameters: rotation ±10°, zoom ±10%, shift ±10% "
    "(fill 'nearest') assumed. P3 encoded Normal=1; we keep the project's label order (NORMAL, PNEUMONIA; "
    "output = P(pneumonia)), which changes no metric. Trains on CoronaHack or on Kermany's layout (same films)."
)

# --- P4: composed 4-class set, 200×200 ----------------------------------------------------------
_P4 = dict(datasets=("p4-composed",), height=200, width=200, channels=3, loss="sparse_categorical_crossentropy",
           epochs=15, fractions=SplitFractions(val=0.25, test=0.3))
_P4_NOTES = (
    "P4: composed set (python -m trainer.data.compose_p4; COVID adult vs pediatric rest: age shortcut). "
    "70/30 train/test, train 75/25 train/val; Adam (default lr), sparse CE, batch 32. Keras epochs not "
    "stated: 15, the count P4 settled on for its final runs. Augmentation (rotation/zoom/translation 0.1) is "
    "inside the model, as in P4's code, so none in the data pipeline. "
)
_P4_TRANSFER_NOTES = _P4_NOTES + (
    "Pretrained backbones were run without class weights. Needs a local ImageNet weights file (--weights); "
    "refuses to train on random weights."
)


def _p4_transfer(kind: str) -> Recipe:
    return Recipe(name=f"p4-{kind}", model=f"p4-{kind}", notes=_P4_TRANSFER_NOTES, **_P4)


_RECIPES: tuple[Recipe, ...] = (
    Recipe(name="p0-m1", model="p0-m1", loss="sparse_categorical_crossentropy", **_P0, notes=_P0_NOTES),
    Recipe(name="p0-m2", model="p0-m2", loss="sparse_categorical_focal", class_weights=INVERSE_FREQUENCY, **_P0,
           notes=_P0_NOTES + _P0_FOCAL),
    Recipe(name="p0-m3", model="p0-m3", loss="sparse_categorical_focal", class_weights=INVERSE_FREQUENCY, **_P0,
           reduce_lr=ReduceLR(monitor="val_loss", factor=0.1, patience=2, min_lr=1e-6),
           notes=_P0_NOTES + _P0_FOCAL + " Model 3 builds on model 2, so its class weights are kept. "
           "ReduceLROnPlateau settings not given: factor 0.1, patience 2 (below EarlyStopping's 3 so it can act)."),
    Recipe(name="p0-m4", model="p0-m4", loss="sparse_categorical_crossentropy", **_P0,
           notes=_P0_NOTES + "Model 4 uses sparse CE ('proved to have better results' than focal loss), no class weights."),
    Recipe(name="p1-baseline", model="p1-baseline", **_P1, notes=_P1_NOTES),
    Recipe(name="p1-vgg16", model="p1-vgg16", **_P1,
           notes=_P1_NOTES + "Frozen VGG16; needs a local ImageNet weights file (--weights)."),
    Recipe(name="p1-effnetlite0", model="effnetlite0-p1", **_P1, model_kwargs={"weights": "imagenet"},
           notes=_P1_NOTES + "Stand-in for the VGG16 transfer model: frozen EfficientNet-Lite0 (the one ImageNet "
           "backbone available offline) with P1's head; not a reproduction of P1's number."),
    Recipe(name="p2-prelu", model="p2-prelu", **_P2, notes=_P2_NOTES + "PReLU (the paper's final model)."),
    Recipe(name="p2-relu", model="p2-relu", **_P2, notes=_P2_NOTES + "Activation study: ReLU."),
    Recipe(name="p2-leakyrelu03", model="p2-leakyrelu03", **_P2, notes=_P2_NOTES + "Activation study: LeakyReLU 0.3."),
    Recipe(name="p2-leakyrelu30", model="p2-leakyrelu30", **_P2, notes=_P2_NOTES + "Activation study: LeakyReLU 30."),
    Recipe(name="p2-prelu-10ep", model="p2-prelu", **{**_P2, "early_stopping": None},
           notes=_P2_NOTES + "PReLU, NOT P2's protocol: its early stopping (min_delta 0.1, patience 1) removed, so "
           "all 10 epochs run and the checkpoint is the epoch of lowest validation loss. Measures what P2's "
           "network reaches when that rule does not stop it while BatchNorm's moving averages still lag."),
    Recipe(name="p3-vgg300", model="p3-vgg300", datasets=("coronahack", "kermany"), height=300, width=300, channels=1,
           loss="binary_crossentropy", epochs=60, learning_rate=1e-4, fractions=SplitFractions(val=0.2),
           augmentation=Augmentation(zoom=0.1, rotation=10 / 360, translation=0.1), notes=_P3_NOTES),
    Recipe(name="p4-cnn16", model="p4-cnn16", class_weights=INVERSE_FREQUENCY, **_P4,
           notes=_P4_NOTES + "Class weights: P4's {1.00, 1.75, 1.94, 6.40} are largest-class count / class count "
           "on its data; recomputed the same way on our training split (our COVID class is not the smallest)."),
    Recipe(name="p4-cnn16-1ch", model="p4-cnn16-1ch", **{**_P4, "channels": 1},
           augmentation=Augmentation(rotation=10 / 360, translation=0.1, fill_mode="constant"),
           notes=_P4_NOTES.replace("inside the model, as in P4's code, so none in the data pipeline",
                                   "replaced, as in the PyTorch port, by 'small random rotations and translations' "
                                   "in the data pipeline (±10°, ±10%, black fill assumed)")
           + "PyTorch port: 1 channel, dataset mean/sd normalisation, no class weights, 15 epochs. P4 used "
           "lung-masked films; no masks exist for the composed set, so raw films are used."),
    Recipe(name="p4-resnet50", model="p4-resnet50", **_P4,
           fine_tune=FineTune(epochs=10, learning_rate=1e-5, unfreeze_from="conv5"),
           notes=_P4_TRANSFER_NOTES + " Then the conv5 block is unfrozen and fine-tuned (P4: 83.3% → 85.7%); "
           "fine-tuning epochs and lr not stated: 10 epochs at 1e-5 assumed."),
    _p4_transfer("vgg16"),
    _p4_transfer("vgg19"),
    _p4_transfer("xception"),
    _p4_transfer("inceptionv3"),
    Recipe(name="p4-effnetlite0", model="effnetlite0-p4", model_kwargs={"weights": "imagenet"}, **_P4,
           notes=_P4_NOTES + "Stand-in for P4's transfer models: frozen EfficientNet-Lite0 with P4's head and "
           "in-model augmentation; no class weights, like P4's pretrained runs."),
)

# --- Our product models (not papers): EfficientNet-Lite0, top stages fine-tuned on cached activations ----
_PRODUCT_NOTES = (
    "Product model: ImageNet EfficientNet-Lite0 at 224×224×3, blocks 0–10 frozen and run once over every film "
    "(activations cached, original and mirrored view), blocks 11–15 + head fine-tuned with Adam; class weights "
    "inverse frequency; EarlyStopping on val_loss (patience 4, best weights kept); ReduceLROnPlateau. "
    "Train with python -m trainer.finetune_cached, not trainer.train."
)
_PRODUCT = dict(
    model="effnetlite0-cxr", height=224, width=224, channels=3, epochs=20, learning_rate=3e-4,
    class_weights=INVERSE_FREQUENCY, augmentation=Augmentation(horizontal_flip=True),
    early_stopping=EarlyStop(monitor="val_loss", patience=4), cached_cut="block10_add",
    reduce_lr=ReduceLR(monitor="val_loss", factor=0.3, patience=2, min_lr=1e-6),
    model_kwargs={"weights": "imagenet", "dropout": 0.3},
)
_STRONG_AUGMENTATION = Augmentation(zoom=0.15, rotation=10 / 360, translation=0.08, horizontal_flip=True,
                                    fill_mode="constant", contrast=0.3, brightness=0.2)
#: Stronger in every respect than _STRONG_AUGMENTATION, plus blur/sharpen: the pneumonia-effnetlite0-full
#: ablation found augmentation, not end-to-end training, bought most of its test gain.
_STRONGER_AUGMENTATION = Augmentation(zoom=0.2, rotation=15 / 360, translation=0.1, horizontal_flip=True,
                                      fill_mode="constant", contrast=0.4, brightness=0.3, sharpness=0.35)
_PNEUMONIA = dict(datasets=("kermany",), loss="binary_crossentropy", fractions=SplitFractions(val=0.15))
#: The product settings trained end to end by trainer.train (no cached activations), at a lower rate.
_END_TO_END = {**_PRODUCT, "learning_rate": 1e-4, "epochs": 15, "cached_cut": None}
_RECIPES += (
    Recipe(name="pneumonia-effnetlite0", **_PNEUMONIA, **_PRODUCT, notes=_PRODUCT_NOTES),
    Recipe(name="pneumonia-effnetlite0-full", **_PNEUMONIA, **{**_END_TO_END, "augmentation": _STRONG_AUGMENTATION},
           notes="Product model: ImageNet EfficientNet-Lite0 at 224×224×3 fine-tuned end to end (no cached "
           "activations) with strong geometric and photometric augmentation (zoom ±15%, rotation ±10°, shift ±8%, "
           "black fill, mirror, contrast ±30%, brightness ±20%), Adam 1e-4, inverse-frequency class weights, "
           "EarlyStopping on val_loss (patience 4, best weights kept), ReduceLROnPlateau ×0.3. Same split as "
           "pneumonia-effnetlite0 (val 15% of Kermany train, grouped by patient, seed 0). About 2.5 min an epoch "
           "on 2 CPU cores. Train with python -m trainer.train."),
    Recipe(name="pneumonia-effnetlite0-full-v2", **_PNEUMONIA, **{**_END_TO_END, "augmentation": _STRONGER_AUGMENTATION},
           notes="pneumonia-effnetlite0-full with stronger augmentation (zoom ±20%, rotation ±15°, shift ±10%, black "
           "fill, mirror, contrast ±40%, brightness ±30%, blur/sharpen ±0.35 around Keras' RandomSharpness no-op); "
           "same split (seed 0), schedule and optimiser. Trained as the second member of the pneumonia-pediatric "
           "1.2.0 candidate ensemble (python -m trainer.ensemble). Train with python -m trainer.train."),
    Recipe(name="pneumonia-effnetlite0-distilled", **_PNEUMONIA,
           **{**_END_TO_END, "augmentation": _STRONG_AUGMENTATION, "distillation_weight": 0.5},
           notes="pneumonia-effnetlite0-full (same split, augmentation, schedule and optimiser) distilled from a "
           "teacher (--teacher, e.g. the pneumonia-pediatric 1.2.0 ensemble): every training target is half the "
           "label, half the teacher's probability on the same augmented film. One network at the teacher's "
           "knowledge: what makes an ensemble affordable at a clinic. Train with python -m trainer.train."),
    Recipe(name="pneumonia-effnetlite0-long", **_PNEUMONIA,
           **{**_END_TO_END, "augmentation": _STRONG_AUGMENTATION, "epochs": 20, "early_stopping": None,
              "reduce_lr": None, "lr_schedule": "cosine", "checkpoint_monitor": None},
           notes="pneumonia-effnetlite0-full (same split, augmentation, optimiser and starting rate) on a longer "
           "schedule: 20 epochs, twice what its early stopping let it train, with the rate decayed from 1e-4 to 0 "
           "on a cosine and no early stopping; the last epoch's model is kept, not the best by validation loss. "
           "Measures what a longer schedule buys; not a shipping candidate. Train with python -m trainer.train."),
    Recipe(name="pneumonia-effnetlite0-mixup", **_PNEUMONIA,
           **{**_END_TO_END, "augmentation": _STRONG_AUGMENTATION, "mixup_alpha": 0.2},
           notes="pneumonia-effnetlite0-full (same split, augmentation, schedule, optimiser, early stopping) with mixup "
           "(alpha 0.2, Zhang et al. 2018): every training film blended with another of its batch, targets and class "
           "weights alike. Measures whether a regulariser against fitting the training films transfers better to "
           "the test set; not a shipping candidate. Train with python -m trainer.train."),
    Recipe(name="pneumonia-effnetlite0-full-mirror", **_PNEUMONIA, **_END_TO_END,
           notes="Ablation of pneumonia-effnetlite0-full: the same end-to-end fine-tuning, split and schedule with "
           "mirroring as the only augmentation (as pneumonia-effnetlite0), to separate what end-to-end training "
           "and what the strong augmentation each buy. Not a shipping candidate. Train with python -m trainer.train."),
    Recipe(name="radiography-effnetlite0", datasets=("radiography",), loss="sparse_categorical_crossentropy",
           fractions=SplitFractions(val=0.15, test=0.15), **_PRODUCT, notes=_PRODUCT_NOTES),
)

# --- The adult model: every adult frontal source (python -m trainer.data.compose_adult), NORMAL vs ABNORMAL ----
#: _STRONGER_AUGMENTATION plus the source degradations (resolution, gamma, noise, burn-in; pipeline.FilmDegradation).
_SOURCE_AUGMENTATION = Augmentation(zoom=0.2, rotation=15 / 360, translation=0.1, horizontal_flip=True,
                                    fill_mode="constant", contrast=0.4, brightness=0.3, sharpness=0.35,
                                    resample=0.35, gamma=0.35, noise=8.0, burn_in=0.3)
_ADULT = dict(datasets=("adult-composed",), loss="binary_crossentropy", fractions=SplitFractions(val=0.15),
              augmentation=_SOURCE_AUGMENTATION, class_weights=None, sample_weighting=SOURCE_AND_LABEL)
_ADULT_NOTES = (
    "Adult model: every adult frontal source composed by python -m trainer.data.compose_adult (NIH ChestX-ray8, "
    "radiography Normal/COVID/Lung_Opacity capped per class, COVID-Net), test split fixed per source by the "
    "composer, validation 15% of the rest (patient- and near-duplicate-grouped, seed 0). Per-film weights balance "
    "NORMAL and ABNORMAL inside every source (so the source does not predict the label), sources weighted by the "
    "square root of their size. "
)
_SOURCE_AUGMENTATION_NOTES = (
    "Augmentation against source shortcuts: zoom ±20%, rotation ±15°, shift ±10%, "
    "black fill, mirror, contrast ±40%, brightness ±30%, blur/sharpen ±0.35, half the films down-sampled to "
    "35–100% of their side and back up, gamma exp(±0.35), Gaussian noise up to sd 8 on half, a burned-in "
    "marker on 30%. "
)
_RECIPES += (
    Recipe(name="adult-abnormal-effnetlite0", **{**_END_TO_END, **_ADULT, "epochs": 12},
           notes=_ADULT_NOTES + _SOURCE_AUGMENTATION_NOTES + "ImageNet EfficientNet-Lite0 at 224×224×3 fine-tuned end "
           "to end, Adam 1e-4, EarlyStopping on val_loss (patience 4), ReduceLROnPlateau ×0.3, at most 12 epochs (a 2-core CPU's "
           "time box). Train with python -m trainer.train."),
    Recipe(name="adult-abnormal-effnetlite0-cached",
           **{**_PRODUCT, **_ADULT, "augmentation": Augmentation(), "cached_cut": "block13_add"},
           notes=_ADULT_NOTES + "The cheap variant for leave-one-source-out runs "
           "on a 2-core CPU: ImageNet EfficientNet-Lite0 blocks 0–13 frozen and run once per film (activations "
           "cached, no augmentation: none can be cached, and a mirrored view would double the pass), blocks 14–15 + "
           "head fine-tuned with Adam 3e-4, EarlyStopping on val_loss (patience 4, best weights kept), "
           "ReduceLROnPlateau. Train with python -m trainer.finetune_cached."),
)
RECIPES: dict[str, Recipe] = {recipe.name: recipe for recipe in _RECIPES}


def get_recipe(name: str) -> Recipe:
    try:
        return RECIPES[name]
    except KeyError:
        raise KeyError(f"unknown recipe {name!r}; known recipes: {', '.join(RECIPES)}") from None
