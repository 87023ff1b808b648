"""The safety checks' measured figures, copied into each model card (``safety_checks``).

    python -m converters.safety_card models/pneumonia-pediatric [models/...] [--safety-dir models/_safety]

A model card must say how the model is guarded, not only how it scores: what share of real frontal
films of each source the chest-film gate refuses before this model ever sees them, how much non-chest
material of each kind it stops (on the test split, and on kinds held out of its fitting), and how the
population check that decides whether a film is within this model's validated population (the
card's ``population.population_check``) treats each source. The figures are measured once, by
``python -m trainer.safety.train``, into ``_safety/safety.json``; this command copies the ones that
concern a model into its card (with the SHA-256 of the safety card they came from) and re-seals the
card. ``tests/system/test_shipped_bundles.py`` fails when a shipped card's section no longer matches the
safety card beside it, so the two cannot drift apart silently.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from cxrcore.bundle import CARD_FILE, BundleError, load_bundle
from cxrcore.files import sha256_file
from cxrcore.safety.card import SAFETY_CARD, SafetyCardError, read_safety_card

from converters import ConversionError
from trainer.run_folder import RunFolderError
from converters.card import write_card

SECTION = "safety_checks"
_FIGURES = ("films", "count", "rate", "ci95")


def _figures(entry: dict[str, Any]) -> dict[str, Any]:
    return {key: entry[key] for key in _FIGURES}


def safety_checks_section(safety_dir: str | Path, population_check: str | None) -> dict[str, Any]:
    """The card section for a model whose card names ``population_check`` (None: it names none).

    Raises `cxrcore.safety.card.SafetyCardError` when the safety card is missing, altered or lacks figures.
    """
    card = read_safety_card(safety_dir)
    measured = card.section("gate", "measured")
    held_out = card.section("gate").get("held_out", {})
    section: dict[str, Any] = {
        "safety_card_sha256": sha256_file(Path(safety_dir) / SAFETY_CARD),
        "gate": {
            "what": "chest-film gate run before this model: a refused film is never scored",
            "threshold_rule": card.section("gate", "models", "discriminative")["rule"],
            "frontal_test_films_refused": {name: _figures(value) for name, value in
                                           card.section("gate", "measured", "false refusals (frontal films)").items()},
            "non_chest_test_images_refused": {name: _figures(value) for name, value in
                                              measured["refusals (not frontal chest films)"].items()
                                              if isinstance(value, dict)},
            "held_out_sources_refused": {source: _figures(figures["any"]) for fold in held_out.values()
                                         for source, figures in fold.items() if isinstance(figures, dict) and "any" in figures},
        },
        "population": None,
    }
    population = card.section("population")
    if population_check in population.get("populations", {}):
        rule = population["populations"][population_check]
        section["population"] = {
            "name": population_check,
            "population": rule["description"],
            "threshold_rule": population["limit_rules"][population_check],
            "test_films_outside": {name: _figures(value[population_check])
                                   for name, value in population.get("measured", {}).items()},
            "held_out_sources": {name: {key: _figures(value) for key, value in fold.items() if key != "limits"}
                                 for name, fold in population.get("held_out", {}).items()},
        }
    return section


def attach(bundle_dir: Path, safety_dir: Path) -> dict[str, Any]:
    """Write ``safety_checks`` into the bundle's card (the bundle must load: hashes and seal intact)."""
    try:
        bundle = load_bundle(bundle_dir)
    except BundleError as error:
        raise ConversionError(str(error)) from error
    card = {key: value for key, value in bundle.card.items() if key != SECTION}
    try:
        section = safety_checks_section(safety_dir, (bundle.population or {}).get("population_check"))
    except SafetyCardError as error:
        raise ConversionError(str(error)) from error
    write_card(bundle_dir, {**card, SECTION: section})  # re-hashes the files and re-seals the card
    return section


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m converters.safety_card", description=__doc__.split("\n\n")[0])
    parser.add_argument("bundles", nargs="+", type=Path, help="bundle folders holding a card.json")
    parser.add_argument("--safety-dir", type=Path, default=Path("models/_safety"), help="folder of safety.json")
    args = parser.parse_args(argv)
    try:
        for bundle_dir in args.bundles:
            section = attach(bundle_dir, args.safety_dir)
            population = section["population"]
            print(f"{bundle_dir / CARD_FILE}: safety_checks from {args.safety_dir / SAFETY_CARD} "
                  f"(population check: {population['name'] if population else 'none'})")
    except (ConversionError, RunFolderError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
