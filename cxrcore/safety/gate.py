"""Refuse to score what is not a frontal chest film: photos, documents, screenshots, CT/MR slices, blanks.

A classifier always returns a probability, whatever it is given; a nurse who drops a phone
photo or a scanned referral letter into the folder must get "this is not a chest film", not
"pneumonia 12 %". The gate runs on the decoded film before classification, cheapest test first:

1. shape: far wider or taller than any film cassette;
2. colour: the file is a colour picture (Hasler–Süsstrunk colourfulness of the original pixels,
   which `cxrcore.decode` measures before it turns everything gray);
3. blank: one flat shade;
4. histogram entropy: a two-tone drawing, page or graphic;
5. text-like edges: many sharp steps, as in printed text and screenshots;
6. a one-class model trained on chest films only (`trainer.safety.geometric`, run through
   `cxrcore.safety.card.NoveltyModel`): it recognises an upright frontal chest film.

Thresholds 3–6 were set from the training films only (``safety.json`` records how); 1–2 are
fixed in the card and documented in ``docs/safety.md``. Numpy, Pillow and LiteRT only.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from cxrcore.decode import DecodedImage, decode_image
from cxrcore.safety.card import SafetyCard, SafetyCardError, ScoreModel, as_safety_card
from cxrcore.safety.structure import FEATURES, film_structure
from cxrcore.preprocess import resize_gray, to_uint8
from cxrcore.closing import Closing

#: Side of the view the cheap checks look at: the models' working size.
VIEW_SIDE = 224
#: Edge strength (3×3 Sobel magnitude, 8-bit levels) above which a pixel counts as a sharp step.
SHARP_EDGE = 250.0
#: The cheap checks' limits that ``safety.json`` must give.
LIMITS = ("max_aspect", "max_colourfulness", "min_std", "min_entropy", "max_sharp_edge_fraction")
#: The structural limits (lower bounds of `cxrcore.safety.structure.FEATURES`).
STRUCTURE_LIMITS = tuple(f"min_{name}" for name in FEATURES)
#: What each of the card's gate models (``gate.models``, checked in this order) says when it refuses.
MODEL_REASONS = {
    "discriminative": "does not look like a frontal chest film (the gate's model trained against hands, CT, MRI "
                      "and turned films)",
    "one-class": "unlike the chest films the gate's one-class model knows",
}


@dataclass(frozen=True)
class GateResult:
    """``score``: how far past its limit the deciding check is (≤ 1 passes); the novelty ratio when accepted."""

    accepted: bool
    reason: str
    score: float


@dataclass(frozen=True)
class FilmStatistics:
    """The cheap measurements of one decoded film."""

    aspect: float
    std: float
    entropy: float
    sharp_edge_fraction: float


def film_view(decoded: DecodedImage) -> np.ndarray:
    """The 224×224 8-bit view every safety check looks at (the same view a 224-pixel model gets)."""
    return resize_gray(to_uint8(decoded), VIEW_SIDE, VIEW_SIDE)


def film_statistics(decoded: DecodedImage, view: np.ndarray) -> FilmStatistics:
    """Aspect of the original pixels, then contrast, entropy and sharp edges of the 224×224 view."""
    histogram = np.bincount(view.ravel(), minlength=256) / view.size
    present = histogram[histogram > 0]
    aspect = max(decoded.width / decoded.height, decoded.height / decoded.width)
    return FilmStatistics(aspect, float(view.std()), float(-(present * np.log2(present)).sum()), _sharp_fraction(view))


def _sharp_fraction(view: np.ndarray) -> float:
    """Fraction of pixels whose 3×3 Sobel gradient magnitude exceeds `SHARP_EDGE` (mirrored borders).

    In integers, comparing the squared magnitude: exact (8-bit gradients square to well under 2³¹)
    and three times faster than the float ``hypot`` it replaces, with the same answer.
    """
    padded = np.pad(view.astype(np.int32), 1, mode="reflect")
    rows, cols = view.shape

    def shifted(dy: int, dx: int) -> np.ndarray:
        return padded[1 + dy : 1 + dy + rows, 1 + dx : 1 + dx + cols]

    gx = shifted(-1, 1) + 2 * shifted(0, 1) + shifted(1, 1) - shifted(-1, -1) - 2 * shifted(0, -1) - shifted(1, -1)
    gy = shifted(1, -1) + 2 * shifted(1, 0) + shifted(1, 1) - shifted(-1, -1) - 2 * shifted(-1, 0) - shifted(-1, 1)
    return float(np.mean(gx * gx + gy * gy > SHARP_EDGE * SHARP_EDGE))


class ChestFilmGate(Closing):
    """The gate with its thresholds and one-class model from ``safety.json``'s ``gate`` section."""

    def __init__(self, limits: dict[str, float], models: dict[str, ScoreModel]) -> None:
        self.limits = {key: float(value) for key, value in limits.items()}
        self.models = models

    @classmethod
    def load(cls, source: SafetyCard | str | os.PathLike[str], accelerator: str = "cpu") -> ChestFilmGate:
        """From a safety card already read, or from the folder holding ``safety.json``."""
        card = as_safety_card(source)
        limits = card.section("gate", "limits")
        missing = sorted(set(LIMITS + STRUCTURE_LIMITS) - set(limits))
        if missing:
            raise SafetyCardError(card.directory, f"gate limits lack {missing}")
        sections = card.section("gate", "models")
        unknown = sorted(set(sections) - set(MODEL_REASONS))
        if unknown:
            raise SafetyCardError(card.directory, f"gate models {unknown} are not known to this app")
        models: dict[str, ScoreModel] = {}
        try:
            for kind in MODEL_REASONS:
                models[kind] = ScoreModel(card, card.section("gate", "models", kind), accelerator)
                if len(models[kind].thresholds) != len(models[kind].names):
                    raise SafetyCardError(card.directory, f"gate model {kind!r} needs one threshold per score")
        except BaseException:
            for model in models.values():
                model.close()
            raise
        return cls(limits, models)

    def check_file(self, path: str | os.PathLike[str]) -> GateResult:
        """Decode ``path`` and check it. Raises only `cxrcore.decode.DecodeError`."""
        return self.check(decode_image(path))

    def check(self, decoded: DecodedImage) -> GateResult:
        """Accept or reject one decoded film (its colourfulness was measured by the decoder)."""
        view = film_view(decoded)
        return self.cheap_check(decoded, view) or self.model_check(view)

    def cheap_check(self, decoded: DecodedImage, view: np.ndarray) -> GateResult | None:
        """Checks 1–6 (numpy only, safe on any thread): a rejection, or None to go on to `model_check`."""
        limits = self.limits
        stats = film_statistics(decoded, view)
        cheap = (
            (stats.aspect / limits["max_aspect"],
             f"the picture is far wider or taller than a chest film ({decoded.width}×{decoded.height})"),
            (decoded.colourfulness / limits["max_colourfulness"], "looks like a colour photograph, not an X-ray film"),
            (limits["min_std"] / max(stats.std, 1e-9), "the picture is almost blank (one flat shade)"),
            (limits["min_entropy"] / max(stats.entropy, 1e-9),
             "looks like a drawing, printed page or graphic (very few gray shades), not an X-ray film"),
            (stats.sharp_edge_fraction / limits["max_sharp_edge_fraction"],
             "looks like a document or screenshot (sharp, text-like edges), not an X-ray film"),
        )
        for ratio, reason in cheap:
            if ratio > 1.0:
                return GateResult(False, reason, float(ratio))
        return self.structure_check(view)

    def structure_check(self, view: np.ndarray) -> GateResult | None:
        """Check 6: a frontal film's two lung fields around a bright centre (`cxrcore.safety.structure`)."""
        structure = film_structure(view)
        for name, value in zip(FEATURES, structure.values()):
            limit = self.limits[f"min_{name}"]
            if value < limit:
                ratio = 1.0 + (limit - value)  # lower bounds: how far below, past 1
                return GateResult(False, f"lacks the two lung fields side by side of a frontal chest film "
                                  f"({name.replace('_', ' ')} {value:.2f}, limit {limit:.2f}); "
                                  "is it a lateral view or another body part?", float(ratio))
        return None

    def model_check(self, view: np.ndarray) -> GateResult:
        """Checks 7–8, the gate's models (LiteRT engines: call from the thread that owns the gate)."""
        worst_ratio = 0.0
        for kind, model in self.models.items():
            scores = model.scores(view)
            ratios = scores / model.thresholds
            worst = int(np.argmax(ratios))
            if ratios[worst] > 1.0:
                return GateResult(
                    False,
                    f"{MODEL_REASONS[kind]} ({model.names[worst].replace('_', ' ')} "
                    f"{scores[worst]:.3g}, limit {model.thresholds[worst]:.3g}); "
                    "is it an upright, front-view chest film?",
                    float(ratios[worst]),
                )
            worst_ratio = max(worst_ratio, float(ratios[worst]))
        return GateResult(True, "looks like a frontal chest film", worst_ratio)

    def close(self) -> None:
        for model in self.models.values():
            model.close()

