"""Do the class-activation map and the occlusion heatmap point at the same part of the film?

    python -m studies.heatmap_agreement [BUNDLE …] [--films DIR --limit N]

For each bundle (default: every bundle under ``models/``), on its default build, both maps are
computed for the same label (`target_label`) on each reference film (``reference/``) and, with
``--films``, on the first N images of a folder. The class-activation map is upsampled to the
model-size film as the overlay draws it and averaged over the occlusion grid's cells, so both live
on the same 8×8 grid, then compared three ways:

- Pearson correlation over the 64 cells;
- whether the two maps' strongest cells coincide (and their distance in cells, Chebyshev);
- the IoU of the top-20 % cells (13 of 64) of each map; two random 13-cell sets score ≈ 0.11;

and it counts how often each map's strongest cell lies on the grid's outer ring (28 of 64 cells:
the film's edge, where a mid-gray occluding patch is itself a new, strong feature).

A film on which the label's probability is tiny (a normal film's abnormal label) has an occlusion
map of noise-sized drops and often an all-zero CAM: its row is printed but it is not a test of
agreement, so the summary counts only films whose target probability is at least 0.5.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cxrcore.bundle import find_bundles, load_bundle
from cxrcore.classifier import Classifier
from desktop.screening.heatmap import (
    DEFAULT_GRID, Heatmap, bilinear_resize, class_activation_heatmap, grid_edges, occlusion_heatmap,
)
from desktop.screening.scan import collect_inputs

REPO = Path(__file__).resolve().parents[1]
TOP_FRACTION = 0.2
#: Below this target probability a film is shown but not summarised (see the module docstring).
SUMMARY_MIN_PROBABILITY = 0.5


@dataclass(frozen=True)
class Agreement:
    """How one film's two maps compare on the occlusion grid."""

    label: str
    probability: float
    correlation: float
    cam_peak: tuple[int, int]
    occlusion_peak: tuple[int, int]
    top_iou: float

    @property
    def same_peak(self) -> bool:
        return self.cam_peak == self.occlusion_peak

    @property
    def peak_distance(self) -> int:
        """Chebyshev distance between the two strongest cells, in cells."""
        return max(abs(a - b) for a, b in zip(self.cam_peak, self.occlusion_peak))


def cell_means(heatmap: Heatmap, height: int, width: int, grid: int) -> np.ndarray:
    """A map upsampled to a (height, width) film and averaged over the occlusion cells: (grid, grid)."""
    film = bilinear_resize(heatmap.drops, height, width)
    rows, cols = grid_edges(height, grid), grid_edges(width, grid)
    return np.array([[film[rows[i]:rows[i + 1], cols[j]:cols[j + 1]].mean() for j in range(grid)]
                     for i in range(grid)])


def agreement(cam: Heatmap, occlusion: Heatmap, height: int, width: int) -> Agreement:
    """Compare a class-activation map with an occlusion map of the same (height, width) film and label."""
    pooled, drops = cell_means(cam, height, width, occlusion.grid).ravel(), occlusion.drops.ravel()
    correlation = float(np.corrcoef(pooled, drops)[0, 1]) if pooled.std() > 0 and drops.std() > 0 else float("nan")
    cam_peak, occlusion_peak = (tuple(int(index) for index in np.unravel_index(int(np.argmax(values)),
                                                                               occlusion.drops.shape))
                                for values in (pooled, drops))
    top = max(1, round(TOP_FRACTION * drops.size))
    cam_top, occlusion_top = (set(np.argsort(values)[-top:].tolist()) for values in (pooled, drops))
    return Agreement(label=cam.label, probability=cam.baseline, correlation=correlation, cam_peak=cam_peak,
                     occlusion_peak=occlusion_peak, top_iou=len(cam_top & occlusion_top) / len(cam_top | occlusion_top))


def on_border(cell: tuple[int, int], grid: int = DEFAULT_GRID) -> bool:
    return min(cell) == 0 or max(cell) == grid - 1


def film_agreement(classifier: Classifier, path: Path) -> Agreement:
    gray = classifier.load_gray(path)
    cam = class_activation_heatmap(classifier, gray)
    occlusion = occlusion_heatmap(classifier, gray, DEFAULT_GRID, cam.label)
    return agreement(cam, occlusion, classifier.spec.height, classifier.spec.width)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bundles", type=Path, nargs="*", help="bundle folders (default: every one under models/)")
    parser.add_argument("--films", type=Path, help="also compare on the images of this folder")
    parser.add_argument("--limit", type=int, default=50, help="images taken from --films")
    args = parser.parse_args(argv)
    extra = collect_inputs([args.films]).files[: args.limit] if args.films else []
    for bundle_dir in args.bundles or find_bundles(REPO / "models"):
        bundle = load_bundle(bundle_dir)
        with Classifier(bundle, accelerator="cpu") as classifier:
            if classifier.cam_head is None:
                print(f"{bundle.name}: build {classifier.build} has no feature-map output; nothing to compare")
                continue
            references = sorted({bundle.directory / entry["file"] for entry in bundle.reference_outputs})
            print(f"{bundle.name} {bundle.version} ({classifier.build})")
            for title, films in (("reference films", references), (f"{args.films}", extra)):
                if films:
                    _report(title, [(path, film_agreement(classifier, path)) for path in films],
                            verbose=films is references)
    return 0


def _report(title: str, rows: list[tuple[Path, Agreement]], verbose: bool) -> None:
    if verbose:
        for path, row in rows:
            print(f"  {path.name[:40]:40s} {row.label:16s} p {row.probability:5.3f}  r {row.correlation:+.2f}  "
                  f"peak {'same' if row.same_peak else f'{row.peak_distance} cell(s) apart'}  "
                  f"top-20% IoU {row.top_iou:.2f}")
    summarised = [row for _, row in rows if row.probability >= SUMMARY_MIN_PROBABILITY]
    if not summarised:
        print(f"  {title}: no film with target probability ≥ {SUMMARY_MIN_PROBABILITY}")
        return
    correlations = np.array([row.correlation for row in summarised])
    print(f"  {title}: {len(summarised)} of {len(rows)} film(s) with target probability ≥ "
          f"{SUMMARY_MIN_PROBABILITY}: median r {np.nanmedian(correlations):+.2f} "
          f"(range {np.nanmin(correlations):+.2f} to {np.nanmax(correlations):+.2f}), "
          f"same peak cell {sum(row.same_peak for row in summarised)}/{len(summarised)}, "
          f"peak within 1 cell {sum(row.peak_distance <= 1 for row in summarised)}/{len(summarised)}, "
          f"median top-20% IoU {np.median([row.top_iou for row in summarised]):.2f}; strongest cell on the outer "
          f"ring: CAM {sum(on_border(row.cam_peak) for row in summarised)}/{len(summarised)}, occlusion "
          f"{sum(on_border(row.occlusion_peak) for row in summarised)}/{len(summarised)}")


if __name__ == "__main__":
    sys.exit(main())
