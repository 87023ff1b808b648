"""The safety checks' measured figures, copied into each model card (``safety_checks``).

    python -m converters.safety_card models/pneumonia-pediatric [models/...] [--safety-dir models/_safety]

A model card must say how the model is guarded, not only how it scores: what share of real test
films the chest-film gate refuses before this model ever sees them, how much non-chest material it
stops, and, for a model with a known training population, how the domain check separates that
population from other chest films. The figures are measured once, by ``python -m trainer.safety.train``,
into ``_safety/safety.json``; this command copies the ones that concern a model into its card (with
the SHA-256 of the safety card they came from) and re-seals the card. ``tests/test_shipped_bundles.py``
fails when a shipped card's section no longer matches the safety card beside it, so the two cannot
drift apart silently.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from cxrcore.bundle import CARD_FILE, BundleError, load_bundle, sha256_file
from cxrcore.domain import SAFETY_CARD, SafetyCardError, read_safety_card

from converters import ConversionError
from converters.card import write_card

SECTION = "safety_checks"
#: Keys of safety.json's measurements that go into every card: real films the gate wrongly refused,
#: non-chest pictures (photos, documents, screenshots, CT/other DICOM, synthetic) it refused, and
#: films a domain check flagged.
_GATE_FALSE_REJECTIONS = " (false rejections)"
_GATE_NON_CHEST = "non-chest set"
_DOMAIN_FLAGGED = " (flagged)"


def _counts(entry: dict[str, Any], counted: str) -> dict[str, Any]:
    return {"films": entry["films"], counted: entry[counted], "rate": entry["rate"]}


def _warned(entry: dict[str, Any]) -> dict[str, Any]:
    """A domain measurement: films flagged as outside the population (and, for other populations, the AUROC)."""
    figures = {"films": entry["films"], "warned": entry["flagged"], "rate": entry["rate"]}
    if "auroc_vs_in_domain" in entry:
        figures["auroc_vs_in_domain"] = entry["auroc_vs_in_domain"]
    return figures


def safety_checks_section(safety_dir: str | Path, model_name: str) -> dict[str, Any]:
    """The card section for ``model_name``: gate figures, and the domain check that applies to it (or None).

    Raises `cxrcore.domain.SafetyCardError` when the safety card is missing, altered or lacks figures.
    """
    card = read_safety_card(safety_dir)
    gate = card.section("gate")
    measured = gate.get("measured", {})
    false_rejections = {
        key.removesuffix(_GATE_FALSE_REJECTIONS): _counts(value, "rejected")
        for key, value in measured.items() if key.endswith(_GATE_FALSE_REJECTIONS)
    }
    if not false_rejections or _GATE_NON_CHEST not in measured:
        raise SafetyCardError(card.directory, "the gate has no measured false-rejection or non-chest figures")
    section: dict[str, Any] = {
        "safety_card_sha256": sha256_file(Path(safety_dir) / SAFETY_CARD),
        "gate": {
            "what": "chest-film gate run before this model: a refused film is never scored",
            "threshold_rule": card.section("gate", "novelty")["threshold_rule"],
            "real_test_films_refused": false_rejections,
            "non_chest_images_refused": _counts(measured[_GATE_NON_CHEST], "rejected"),
        },
        "domain": None,
    }
    for name, domain in card.card.get("domains", {}).items():
        if model_name in domain.get("applies_to", ()):
            section["domain"] = {
                "name": name,
                "population": domain["description"],
                "threshold_rule": domain["novelty"]["threshold_rule"],
                "films_warned": {key.removesuffix(_DOMAIN_FLAGGED): _warned(value)
                                 for key, value in domain.get("measured", {}).items()},
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
        section = safety_checks_section(safety_dir, bundle.name)
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
            refused = section["gate"]["non_chest_images_refused"]
            print(f"{bundle_dir / CARD_FILE}: safety_checks from {args.safety_dir / SAFETY_CARD} "
                  f"(non-chest refused {refused['rejected']}/{refused['films']}; "
                  f"domain check: {section['domain']['name'] if section['domain'] else 'none'})")
    except ConversionError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
