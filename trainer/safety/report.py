"""Print safety.json's measured figures as the Markdown tables of docs/safety.md.

    python -m trainer.safety.report [models/_safety]

The tables in the docs are this command's output, pasted: every figure comes from the card that
the app loads, with its 95 % interval, so docs and card cannot disagree by hand.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cxrcore.safety.card import read_safety_card


def _cell(entry: dict) -> str:
    if not entry.get("films"):
        return "–"
    low, high = entry["ci95"]
    return f"{entry['count']}/{entry['films']} = {100 * entry['rate']:.1f} % ({100 * low:.1f}–{100 * high:.1f})"


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


def gate_tables(card: dict) -> str:
    measured = card["gate"]["measured"]
    frontal = [(name, _cell(entry), ", ".join(f"{r}: {n}" for r, n in entry["reasons"].items()) or "–")
               for name, entry in measured["false refusals (frontal films)"].items()]
    others = [(name, _cell(entry), ", ".join(f"{r}: {n}" for r, n in entry["reasons"].items()) or "–")
              for name, entry in measured["refusals (not frontal chest films)"].items() if isinstance(entry, dict)]
    parts = ["**Shipped gate, test splits (through files and cxrcore)**", "",
             _table(("frontal films", "refused (95 % CI)", "by"), frontal), "",
             _table(("not frontal chest films", "refused (95 % CI)", "by"), others)]
    held = card["gate"].get("held_out", {})
    if held:
        rows = []
        for fold, figures in held.items():
            for source, checks in figures.items():
                if isinstance(checks, dict) and "any" in checks:
                    rows.append((fold, source, *(_cell(checks[c]) if c in checks else "–"
                                                 for c in ("structure", "discriminative", "one-class", "any"))))
        parts += ["", "**Held out of fitting and threshold choice (a model per fold, 64×64 in memory)**", "",
                  _table(("fold", "source", "structure", "discriminative", "one-class", "all learnt checks"), rows)]
    return "\n".join(parts)


def population_tables(card: dict) -> str:
    section = card["population"]
    names = list(section["populations"])
    rows = [(name, *(_cell(entry[p]) for p in names)) for name, entry in section["measured"].items()]
    parts = ["**Shipped population model, test splits: films outside each population (95 % CI)**", "",
             _table(("test films", *(f"outside {p}" for p in names)), rows)]
    held = section.get("held_out", {})
    if held:
        rows = [(fold, _cell(f["warned for the pediatric model"]), _cell(f["accepted for the adult model"]))
                for fold, f in held.items()]
        parts += ["", "**Adult source held out of fitting and limits (the whole source)**", "",
                  _table(("fold", "warned for the pediatric model", "accepted for the adult model"), rows)]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m trainer.safety.report", description=__doc__.split("\n\n")[0])
    parser.add_argument("safety_dir", nargs="?", type=Path, default=Path("models/_safety"),
                        help="folder holding safety.json (default: %(default)s)")
    card = read_safety_card(parser.parse_args(argv).safety_dir).card
    print(gate_tables(card) + "\n\n" + population_tables(card))
    return 0


if __name__ == "__main__":
    sys.exit(main())
