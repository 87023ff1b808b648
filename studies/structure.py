"""How the gate's structural features separate frontal films from turned films and half films (the lateral proxy).

    python -m studies.structure [--data ../shared/data] [--films 600]

Prints, per frontal source, the 0.2nd / 1st / 5th / 50th percentiles of each `cxrcore.safety.structure`
feature on the films themselves, on the same films turned 90°, and on one half of each film
stretched to full width, beside the limits in ``models/_safety/safety.json``. The figures quoted in
docs/safety.md §1 are this command's output.
"""

from __future__ import annotations

from trainer.extras import require_training_extras

if __name__ == "__main__":  # before the imports below: they need the training extras
    require_training_extras("studies.structure")

import argparse
import sys
from pathlib import Path

import numpy as np

from cxrcore.safety.card import read_safety_card
from cxrcore.safety.structure import FEATURES
from trainer.safety.frontal import structure_values
from trainer.safety.sources import FRONTAL_SOURCES, load_safety_data, transform

REPO = Path(__file__).resolve().parent.parent
PERCENTILES = (0.2, 1, 5, 50)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--films", type=int, default=600, help="films per source (the first, in a fixed order)")
    args = parser.parse_args(argv)
    data = load_safety_data(args.data / "kermany-224", args.data / "covid19-radiography-224", args.data / "external")
    limits = read_safety_card(REPO / "models" / "_safety").section("gate", "limits")
    print("limits: " + ", ".join(f"{name} {limits[f'min_{name}']:.2f}" for name in FEATURES))
    print(f"{'source':12s} {'feature':20s} {'films':>6s}  " + "  ".join(
        f"{variant} p{'/'.join(f'{p:g}' for p in PERCENTILES)}" for variant in ("frontal", "turned 90°", "half film")))
    for source in FRONTAL_SOURCES:
        films = data.frontal.where(sources=(source,)).images[: args.films]
        variants = (films, np.stack([np.rot90(f) for f in films]),
                    np.stack([transform(f, "half film (lateral proxy)", i % 2 == 1) for i, f in enumerate(films)]))
        values = [structure_values(v) for v in variants]
        for index, name in enumerate(FEATURES):
            cells = ["/".join(f"{q:.2f}" for q in np.percentile(v[:, index], PERCENTILES)) for v in values]
            print(f"{source:12s} {name:20s} {len(films):6d}  " + "   ".join(f"{c:>24s}" for c in cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
