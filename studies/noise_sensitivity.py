"""How far a model's probability moves under changes nobody can see: the floor under any int8 build's drift.

    python -m studies.noise_sensitivity --bundle models/X --data DATA [--limit N] [--json FILE]

For the VALIDATION films of the bundle's split.csv (the split that chooses models; test films stay for
final numbers), the float32 build (the Keras model to float precision) is run on three versions of
each film, through the app's classifier and its engine:

- the film as the model sees it (uint8, model size): the reference;
- **half a gray level**: uniform noise in ±0.5 of one uint8 step added to the model input (one value
  per pixel, the same in every channel, so the film stays gray). No film
  can differ from another by that little (it is below the 8-bit step), so a model that moves under
  it moves under every rounding, int8 arithmetic included;
- **saved again**: the model-size film re-encoded once as JPEG at quality 95, what a clinic's
  viewer or a second export does to every film.

Reported per version: mean and 95th percentile |Δp| of the abnormal label, and the films whose
decision changes at the card's threshold (with a Wilson 95 % interval). When the card lists an int8
build, its |Δp| from float32 on the same films is printed beside them: an int8 drift no larger than
half a gray level's is the model's own sensitivity, which no calibration of the quantizer removes.
"""

from __future__ import annotations

from trainer.extras import require_training_extras

if __name__ == "__main__":  # before the imports below: they need the training extras
    require_training_extras("studies.noise_sensitivity")

import argparse
import io
import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from cxrcore.bundle import load_bundle
from cxrcore.classifier import Classifier
from cxrcore.postprocess import calibrated_probabilities
from cxrcore.preprocess import to_model_input
from converters.datasets import load_films, split_records
from evaluation.metrics import wilson_interval

SEED = 0
JPEG_QUALITY = 95


@dataclass(frozen=True)
class Movement:
    """How one version of the films moved the abnormal label's probability from the reference."""

    version: str
    films: int
    mean_abs_dprob: float
    p95_abs_dprob: float
    decisions_changed: int
    decisions_changed_ci95: tuple[float, float] | None


def movement(version: str, reference: np.ndarray, moved: np.ndarray, threshold: float) -> Movement:
    change = np.abs(moved - reference)
    flips = int(np.sum((moved >= threshold) != (reference >= threshold)))
    return Movement(version, len(reference), float(change.mean()), float(np.percentile(change, 95)), flips,
                    wilson_interval(flips, len(reference)))


def resaved(gray: np.ndarray) -> np.ndarray:
    """The model-size film after one JPEG round trip at `JPEG_QUALITY`."""
    buffer = io.BytesIO()
    Image.fromarray(gray).save(buffer, format="JPEG", quality=JPEG_QUALITY)
    return np.asarray(Image.open(buffer).convert("L"))


def abnormal_probability(raw: np.ndarray, bundle, label_index: int) -> np.ndarray:
    return calibrated_probabilities(np.asarray(raw, np.float64).reshape(len(raw), -1), bundle.output_activation,
                                    bundle.temperature)[:, label_index]


def measure(bundle_dir: Path, data: Path, limit: int | None) -> dict:
    bundle = load_bundle(bundle_dir)
    label = bundle.abnormal_labels[0]
    index, threshold = bundle.labels.index(label), bundle.thresholds[label]
    records = split_records(bundle.directory / "split.csv", bundle.labels)["val"]
    films = load_films(records[:limit] if limit else records, data, bundle.input_spec, bundle.labels).gray
    rng = np.random.default_rng(SEED)
    spec = bundle.input_spec
    black, white = (to_model_input(np.full((1, spec.height, spec.width), value, np.uint8), spec) for value in (0, 255))
    step = float(np.max(white - black)) / 255  # one uint8 gray level in model-input units
    with Classifier(bundle, "float32", accelerator="cpu") as classifier:
        reference = abnormal_probability([classifier.raw_output(film) for film in films], bundle, index)
        noisy = []
        for film in films:
            batch = to_model_input(film[None], bundle.input_spec)
            # one value per pixel, the same in every channel: the film stays gray, as every film is
            noise = rng.uniform(-0.5 * step, 0.5 * step, batch.shape[:-1] + (1,)).astype(np.float32)
            noisy.append(classifier.engine.run(batch + noise))
        moved = [movement("half a gray level", reference, abnormal_probability(noisy, bundle, index), threshold),
                 movement(f"saved again (JPEG q{JPEG_QUALITY})", reference, abnormal_probability(
                     [classifier.raw_output(resaved(film)) for film in films], bundle, index), threshold)]
    if "int8" in bundle.builds and bundle.holds_build("int8"):
        with Classifier(bundle, "int8", accelerator="cpu") as int8:
            quantized = abnormal_probability([int8.raw_output(film) for film in films], bundle, index)
        moved.append(movement(f"int8 build ({bundle.builds['int8']['status']} the gate)", reference, quantized,
                              threshold))
    return {"bundle": bundle.name, "version": bundle.version, "label": label, "threshold": threshold,
            "split": "val", "movements": [asdict(entry) for entry in moved]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m studies.noise_sensitivity", description=__doc__.split("\n\n")[0])
    parser.add_argument("--bundle", type=Path, required=True)
    parser.add_argument("--data", type=Path, required=True, help="dataset root that split.csv paths are relative to")
    parser.add_argument("--limit", type=int, help="first N validation films only")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    result = measure(args.bundle, args.data, args.limit)
    print(f"{result['bundle']} {result['version']}: {result['label']} ≥ {result['threshold']:.4g}, float32 build, "
          f"validation films")
    print("| version | films | mean abs Δp | 95th pct abs Δp | decisions changed (95% CI) |")
    print("|---|---:|---:|---:|---|")
    for entry in result["movements"]:
        low, high = entry["decisions_changed_ci95"] or (float("nan"), float("nan"))
        print(f"| {entry['version']} | {entry['films']} | {entry['mean_abs_dprob']:.4f} | {entry['p95_abs_dprob']:.4f} "
              f"| {entry['decisions_changed']} ({low:.2%}–{high:.2%}) |")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
