"""The shape of a frontal chest film, measured without a model: two lung fields around a bright centre.

A frontal (PA/AP) film shows two dark lung fields side by side, separated by the bright
spine and mediastinum, and is roughly mirror-symmetric about its vertical midline. A lateral
view has one lung field with the spine at one edge; a hand, a skull or an abdomen has no pair
of dark fields either. No lateral view exists offline to train on, so this check is built from
anatomy, not from examples, and its limits are fitted on frontal films only
(``trainer.safety.frontal``): each is a low percentile of that feature on validation films of
every frontal source. An axial CT slice of the chest *does* have this layout; the discriminative
gate model refuses those. Numpy only, on the gate's 64×64 view.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cxrcore.preprocess import resize_gray

SIDE = 64
#: Rows of the view holding the lung fields (the top holds neck and shoulders, the bottom abdomen).
_BAND = slice(16, 48)
#: Columns searched for the central bright column and for each lung field's darkest column.
_CENTRE, _LEFT, _RIGHT = slice(24, 40), slice(4, 30), slice(34, 60)
#: Features, each with a lower limit in ``safety.json``: a frontal film scores high on both.
FEATURES = ("mirror_correlation", "lung_trough_depth")


@dataclass(frozen=True)
class FilmStructure:
    """``mirror_correlation``: correlation of the film with its mirror image (1 = symmetric).
    ``lung_trough_depth``: how far the shallower of the two lung fields lies below the bright centre,
    in units of the film's standard deviation (negative: no pair of dark fields beside a bright centre)."""

    mirror_correlation: float
    lung_trough_depth: float

    def values(self) -> tuple[float, ...]:
        return tuple(getattr(self, name) for name in FEATURES)


def film_structure(gray: np.ndarray) -> FilmStructure:
    """Measure a 2-D uint8 film of any size (reduced to the 64×64 view first)."""
    view = resize_gray(gray, SIDE, SIDE).astype(np.float64)
    view = (view - view.mean()) / max(float(view.std()), 1e-6)
    band = view[8:56]
    mirrored = band[:, ::-1]
    correlation = float(np.mean(band * mirrored) - band.mean() * mirrored.mean()) / max(float(band.var()), 1e-6)
    profile = np.convolve(view[_BAND].mean(axis=0), np.ones(5) / 5, mode="same")
    centre = float(profile[_CENTRE].max())
    depth = centre - max(float(profile[_LEFT].min()), float(profile[_RIGHT].min()))
    return FilmStructure(correlation, depth)
