"""Cost per film of the safety checks the app adds before a result: gate, domain check, quality score.

    python benchmarks/safety.py [--safety-dir models/_safety] [--images DIR] [--runs 3]

Each film is decoded once (decoding is the screener's cost, timed separately by
benchmarks/screen_folder.py); then each check is timed on its own, as the app would call it:
the gate from the decoded film (cheap checks, one-class model),
the domain check and the quality score from the 8-bit film. Films: every image in ``--images``,
else the repository's sample films, plus one synthetic 2,000×2,500 film made from the first
(the size of a real detector image), to show what resolution costs. Medians in milliseconds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np
from PIL import Image

from cxrcore.decode import decode_image, is_candidate_image
from cxrcore.domain import DomainCheck
from cxrcore.gate import ChestFilmGate
from cxrcore.preprocess import to_uint8
from cxrcore.quality import QualityCheck

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
    parser.add_argument("--images", type=Path, help="folder of films (default: samples/)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    folder = args.images or REPO / "samples"
    films = sorted(path for path in folder.iterdir() if is_candidate_image(path))
    gate = ChestFilmGate.load(args.safety_dir)
    domain, quality = DomainCheck.load(args.safety_dir), QualityCheck.load(args.safety_dir)
    with tempfile.TemporaryDirectory() as scratch:
        large = Path(scratch) / "large-2000x2500.png"
        Image.open(films[0]).convert("L").resize((2000, 2500), Image.Resampling.BICUBIC).save(large)
        rows = []
        for path in [*films, large]:
            decoded = decode_image(path)
            gray = to_uint8(decoded)
            gate_ms = _median_ms(lambda d=decoded: gate.check(d), args.runs)
            domain_ms = _median_ms(lambda g=gray: domain.check(g), args.runs)
            quality_ms = _median_ms(lambda g=gray: quality.warn(quality.score(g)), args.runs)
            rows.append((path.name, f"{decoded.width}×{decoded.height}", gate_ms, domain_ms, quality_ms))
    print(f"engine: {gate.model.engine.description}")
    header = " ".join(f"{name:>8s}" for name in ("gate", "domain", "quality", "total"))
    print(f"{'film':52s} {'size':>11s} {header}  (ms, median of {args.runs})")
    for name, size, *times in rows:
        print(f"{name[:52]:52s} {size:>11s} " + " ".join(f"{t:8.1f}" for t in times) + f" {sum(times):8.1f}")
    typical = np.median([sum(times) for _, _, *times in rows[:-1]])
    print(f"median total over {len(rows) - 1} film(s): {typical:.1f} ms per film")
    for check in (gate, domain):
        check.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
