"""Build ``models/_safety/``: the chest-film gate, the Kermany domain check and the quality score, each measured.

    python -m trainer.safety.train gate    --kermany ../shared/data/kermany-224 \
        --radiography ../shared/data/covid19-radiography-224 --out models/_safety
    python -m trainer.safety.train domain  (same arguments)
    python -m trainer.safety.train quality (same arguments)

Each step trains on the ``fit`` split, chooses its thresholds on ``val`` (`trainer.safety.data`),
writes its files and its section of ``safety.json`` (with SHA-256 of every file), then reloads
what it wrote through `cxrcore` and measures it on the held-out test films. Each step takes a
few minutes on two CPU cores.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from pathlib import Path

import numpy as np

from cxrcore.bundle import sha256_file
from cxrcore.decode import DecodedImage
from cxrcore.domain import SAFETY_CARD, SAFETY_SCHEMA_VERSION, DomainCheck
from cxrcore.gate import ChestFilmGate, film_statistics, film_view
from cxrcore.preprocess import PREPROCESSING_ID
from trainer.safety import geometric
from trainer.safety.data import ADULT_CLASSES, load_kermany_films, load_radiography_films

GATE_FILE = "chest-film.tflite"
#: The gate must almost never refuse a real film: thresholds at the 99.5th validation percentile.
GATE_PERCENTILE = 99.5
DOMAIN_NAME = "kermany-pediatric"
#: Bundles trained on that domain: the app warns on their films that fall outside it.
DOMAIN_BUNDLES = ("pneumonia-pediatric",)
DOMAIN_FILE = "kermany-pediatric.tflite"
#: A domain warning is advice, not a refusal: the 99th percentile, as the issue suggests.
DOMAIN_PERCENTILE = 99.0
DOMAIN_DESCRIPTION = "chest films of children aged 1–5 from one hospital in Guangzhou (Kermany et al. 2018)"
#: Limits that no training film can inform (every shared film is a gray 224×224 square).
FIXED_LIMITS = {"max_aspect": 2.0, "max_colourfulness": 15.0}


def _update_card(out: Path, key: str, section: dict) -> None:
    """Replace one top-level section of safety.json and re-hash every ``.tflite`` in the folder."""
    path = out / SAFETY_CARD
    card = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    card.update({"schema_version": SAFETY_SCHEMA_VERSION, "preprocessing_id": PREPROCESSING_ID})
    card[key] = section
    card["files"] = {file.name: sha256_file(file) for file in sorted(out.glob("*.tflite"))}
    path.write_text(json.dumps(card, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _merge_domain(out: Path, name: str, section: dict) -> None:
    path = out / SAFETY_CARD
    domains = json.loads(path.read_text(encoding="utf-8")).get("domains", {}) if path.is_file() else {}
    domains[name] = section
    _update_card(out, "domains", domains)


def _cheap_limits(films: np.ndarray) -> dict:
    """Limits for blank/entropy/edge checks from the fitted films, with a wide margin past their extremes."""
    decoded = [DecodedImage(np.asarray(film), "array", 8) for film in films]
    stats = [film_statistics(film, film_view(film)) for film in decoded]
    return {
        "min_std": 0.5 * min(s.std for s in stats),
        "min_entropy": 0.5 * min(s.entropy for s in stats),
        "max_sharp_edge_fraction": 1.5 * max(s.sharp_edge_fraction for s in stats),
    }


def _train_gate(args: argparse.Namespace, command: str) -> dict:
    from trainer.safety.measure import measure_gate
    from trainer.safety.one_class import fit_one_class

    kermany, radiography = load_kermany_films(args.kermany, 64), load_radiography_films(args.radiography, 64)
    fit = np.concatenate([kermany.select("fit"), radiography.select("fit")])
    val = np.concatenate([kermany.select("val"), radiography.select("val")])
    model = fit_one_class(fit, val, GATE_FILE, geometric.SCORE_NAMES, GATE_PERCENTILE,
                          geometric.TrainSettings(epochs=args.epochs))
    (args.out / GATE_FILE).write_bytes(model.tflite)
    big = np.concatenate([load_kermany_films(args.kermany, 224).select("fit"),
                          load_radiography_films(args.radiography, 224).select("fit")])
    limits = {**FIXED_LIMITS, **_cheap_limits(big)}
    section = {
        "novelty": model.section,
        "limits": limits,
        "limit_rules": {
            "max_aspect": "fixed: twice as long as wide; film cassettes are 0.8–1.25",
            "max_colourfulness": "fixed: Hasler & Süsstrunk's 'not colourful' bound",
            "min_std, min_entropy": f"half the lowest value among the {len(big)} fitted films",
            "max_sharp_edge_fraction": f"1.5 × the highest value among the {len(big)} fitted films",
        },
        "created_by": command,
    }
    _update_card(args.out, "gate", section)
    gate = ChestFilmGate.load(args.out)
    section["measured"] = measure_gate(gate, {"kermany_test": kermany.paths_of("test"),
                                              "radiography_test": radiography.paths_of("test")})
    gate.close()
    _update_card(args.out, "gate", section)
    return section["measured"]


def _train_domain(args: argparse.Namespace, command: str) -> dict:
    from trainer.safety.measure import measure_domain
    from trainer.safety.one_class import fit_one_class

    kermany, radiography = load_kermany_films(args.kermany, 64), load_radiography_films(args.radiography, 64)
    model = fit_one_class(kermany.select("fit"), kermany.select("val"), DOMAIN_FILE, ("feature_mahalanobis2",),
                          DOMAIN_PERCENTILE, geometric.TrainSettings(epochs=args.epochs))
    (args.out / DOMAIN_FILE).write_bytes(model.tflite)
    section = {"novelty": model.section, "description": DOMAIN_DESCRIPTION, "applies_to": list(DOMAIN_BUNDLES),
               "created_by": command}
    _merge_domain(args.out, DOMAIN_NAME, section)
    check = DomainCheck.load(args.out, DOMAIN_NAME)
    others = {f"radiography_test {label}": radiography.paths_of("test", (label,)) for label in ADULT_CLASSES}
    others["radiography_test Normal+COVID (adults)"] = radiography.paths_of("test", ("Normal", "COVID"))
    section["measured"] = measure_domain(check, kermany.paths_of("test"), others)
    check.close()
    _merge_domain(args.out, DOMAIN_NAME, section)
    return section["measured"]


def _train_quality(args: argparse.Namespace, command: str) -> dict:
    from trainer.safety.quality_fit import fit_quality, measure_quality

    kermany, radiography = load_kermany_films(args.kermany, 224), load_radiography_films(args.radiography, 224)

    def both(split: str) -> np.ndarray:
        return np.concatenate([kermany.select(split), radiography.select(split)])

    model, threshold, facts = fit_quality(both("fit"), both("val"))
    tests = {"kermany_test": kermany.select("test"), "radiography_test": radiography.select("test")}
    section = {"model": model.to_dict(), "threshold": threshold, **facts, "created_by": command,
               "measured": measure_quality(model, threshold, tests)}
    _update_card(args.out, "quality", section)
    return section["measured"]


STEPS = {"gate": _train_gate, "domain": _train_domain, "quality": _train_quality}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m trainer.safety.train", description=__doc__.split("\n\n")[0])
    parser.add_argument("step", choices=sorted(STEPS))
    parser.add_argument("--kermany", type=Path, required=True, help="the kermany-224 folder")
    parser.add_argument("--radiography", type=Path, required=True, help="the covid19-radiography-224 folder")
    parser.add_argument("--out", type=Path, required=True, help="folder to write (models/_safety)")
    parser.add_argument("--epochs", type=int, default=geometric.TrainSettings.epochs,
                        help="training epochs of the one-class network (gate and domain)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    command = "python -m trainer.safety.train " + " ".join(shlex.quote(arg) for arg in (argv or sys.argv[1:]))
    measured = STEPS[args.step](args, command)
    print(json.dumps(measured, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
