"""Cost per film of the safety checks the app adds before a result, beside the classifier, in one run.

    python benchmarks/safety.py [--safety-dir models/_safety] [--bundle models/pneumonia-pediatric] [--images DIR] [--runs 3]

Each film is decoded once (decoding is the screener's cost, timed separately by
benchmarks/screen_folder.py); then each part is timed on its own, as the app calls it: the gate
from the decoded film (cheap and structural checks, then its two models), the population check
and the quality score from the 8-bit film, and the bundle's classifier on the same film, so the
ratio of checks to inference is measured side by side. Films: every image in ``--images``, else
the repository's sample films, plus one synthetic 2,000×2,400 film made from the first (the size
of a real detector image), to show what resolution costs. Medians in milliseconds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


import numpy as np
from PIL import Image

from cxrcore.bundle import load_bundle
from cxrcore.classifier import Classifier
from cxrcore.decode import decode_image, is_candidate_image
from cxrcore.safety.card import read_safety_card
from cxrcore.safety.gate import ChestFilmGate
from cxrcore.safety.population import PopulationModel
from cxrcore.preprocess import to_uint8
from cxrcore.safety.quality import QualityCheck

REPO = Path(__file__).resolve().parent.parent


def _median_ms(action: Callable[[], object], runs: int) -> float:
    action()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000.0)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--safety-dir", type=Path, default=REPO / "models" / "_safety")
    parser.add_argument("--bundle", type=Path, default=REPO / "models" / "pneumonia-pediatric",
                        help="the classifier timed beside the checks")
    parser.add_argument("--images", type=Path, help="folder of films (default: samples/)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    folder = args.images or REPO / "samples"
    films = sorted(path for path in folder.iterdir() if is_candidate_image(path))
    card = read_safety_card(args.safety_dir)
    gate, population, quality = ChestFilmGate.load(card), PopulationModel.load(card), QualityCheck.load(card)
    classifier = Classifier(load_bundle(args.bundle), accelerator="cpu", threads=1)
    with tempfile.TemporaryDirectory() as scratch:
        large = Path(scratch) / "large-2000x2400.png"
        Image.open(films[0]).convert("L").resize((2000, 2400), Image.Resampling.BICUBIC).save(large)
        rows = []
        for path in [*films, large]:
            decoded = decode_image(path)
            gray = to_uint8(decoded)
            model_gray = classifier.gray_for_model(decoded)
            rows.append((path.name, f"{decoded.width}×{decoded.height}",
                         _median_ms(lambda d=decoded: gate.check(d), args.runs),
                         _median_ms(lambda g=gray: population.judge(g), args.runs),
                         _median_ms(lambda g=gray: quality.warn(quality.score(g)), args.runs),
                         _median_ms(lambda g=model_gray: classifier.classify_gray(g), args.runs)))
    print(f"engine: {gate.models['discriminative'].engine.description}; classifier: {args.bundle.name} on {classifier.description}")
    header = " ".join(f"{name:>10s}" for name in ("gate", "population", "quality", "checks", "classifier"))
    print(f"{'film':52s} {'size':>11s} {header}  (ms, median of {args.runs})")
    for name, size, *times in rows:
        checks = sum(times[:3])
        print(f"{name[:52]:52s} {size:>11s} " + " ".join(f"{t:10.1f}" for t in (*times[:3], checks, times[3])))
    typical = np.median([sum(times[:3]) for _, _, *times in rows[:-1]])
    print(f"median checks over {len(rows) - 1} film(s): {typical:.1f} ms per film; "
          f"{sum(rows[-1][2:5]):.1f} ms for the 2,000×2,400 film")
    for engine in (gate, population, classifier):
        engine.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
